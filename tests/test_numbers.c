/* test_numbers: the number reader and the fact scanner on single clauses: every number
 * form of SPEC (Arabic, full-width, Chinese numerals, 万/亿, percentages, 百分之…,
 * approximations) and every class of non-fact (dates, ordinals, quotations, codes, phone
 * numbers, idioms), plus the rules loader and a fuzz run. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_data.h"
#include "lxm_facts.h"
#include "lxm_record.h"

typedef struct {
    double value;
    const char *unit;
    const char *qual; /* NULL: not approximate */
} want_t;

typedef struct {
    const char *clause;
    int n;          /* facts expected; 0: "no fact" */
    want_t want[3];
} case_t;

static const case_t CASES[] = {
    /* Arabic, full-width, decimals */
    {"开展党委理论学习中心组集中学习4次", 1, {{4, "次", NULL}}},
    {"化解率达99.11%", 1, {{99.11, "%", NULL}}},
    {"全年开展专题学习研讨４５次", 1, {{45, "次", NULL}}},
    {"化解率达９９．１１％", 1, {{99.11, "%", NULL}}},
    {"同比增长13.8%", 1, {{13.8, "%", NULL}}},
    {"合格率达100%", 1, {{100, "%", NULL}}},
    {"满意率100％", 1, {{100, "%", NULL}}},
    {"开展普法宣传10场次", 1, {{10, "场次", NULL}}},
    {"培训执法人员76人次", 1, {{76, "人次", NULL}}},
    {"共拆解销毁“三无”船舶102艘", 1, {{102, "艘", NULL}}},
    {"班子成员带头讲法治党课12堂", 1, {{12, "堂", NULL}}},
    {"撰写学习心得19篇", 1, {{19, "篇", NULL}}},
    {"走访企业35家", 1, {{35, "家", NULL}}},
    {"入户走访群众260户", 1, {{260, "户", NULL}}},
    {"开展“双随机”抽查2165户次", 1, {{2165, "户", NULL}}},
    {"发放法律读本400册", 1, {{400, "册", NULL}}},
    {"配备执法记录仪12台", 1, {{12, "台", NULL}}},
    {"张贴海报80张", 1, {{80, "张", NULL}}},
    {"建成法治文化阵地6处", 1, {{6, "处", NULL}}},
    {"覆盖辖区学校8所", 1, {{8, "所", NULL}}},
    /* 万 / 亿 multipliers */
    {"覆盖1.8万余人次", 1, {{18000, "人次", "余"}}},
    {"标的额在100万元以上", 1, {{1000000, "元", "以上"}}},
    {"覆盖群众3万余人次", 1, {{30000, "人次", "余"}}},
    {"投入资金300余万元", 1, {{3000000, "元", "余"}}},
    {"争取资金2.5亿元", 1, {{250000000, "元", NULL}}},
    {"投入资金1,200万元", 1, {{12000000, "元", NULL}}},
    {"罚没款1,234,567元", 1, {{1234567, "元", NULL}}},
    {"学法4次,123人参加", 2, {{4, "次", NULL}, {123, "人", NULL}}},
    {"覆盖两万余人", 1, {{20000, "人", "余"}}},
    /* approximations */
    {"参学人员达320人次左右", 1, {{320, "人次", "左右"}}},
    {"发放宣传资料900余份", 1, {{900, "份", "余"}}},
    {"发放宣传资料3000多份", 1, {{3000, "份", "多"}}},
    {"约300人参加", 1, {{300, "人", "约"}}},
    {"吸引近200名群众参加", 1, {{200, "名", "近"}}},
    {"群众满意度达到95%以上", 1, {{95, "%", "以上"}}},
    {"进村入户宣讲20余次", 1, {{20, "次", "余"}}},
    {"组织学习二十余次", 1, {{20, "次", "余"}}},
    {"调解纠纷十余起", 1, {{10, "起", "余"}}},
    {"开展活动五十多场", 1, {{50, "场", "多"}}},
    {"参加培训百余人", 1, {{100, "人", "余"}}},
    {"发放资料千余份", 1, {{1000, "份", "余"}}},
    {"覆盖群众万余人次", 1, {{10000, "人次", "余"}}},
    {"吸引近千人参加", 1, {{1000, "人", "近"}}},
    /* Chinese numerals */
    {"先后组织三次集中销毁行动", 1, {{3, "次", NULL}}},
    {"我镇仅有一名机关干部通过法律职业资格考试", 1, {{1, "名", NULL}}},
    {"以党员干部、青少年两个关键人群为重点", 1, {{2, "个", NULL}}},
    {"开展法治讲座十二场", 1, {{12, "场", NULL}}},
    {"共接待群众一百零五人次", 1, {{105, "人次", NULL}}},
    {"发放资料三千份", 1, {{3000, "份", NULL}}},
    {"悬挂横幅十条", 1, {{10, "条", NULL}}},
    {"办理案件一百二十三件", 1, {{123, "件", NULL}}},
    {"群众满意率达到百分之九十五", 1, {{95, "%", NULL}}},
    {"聘请两名法律顾问", 1, {{2, "名", NULL}}},
    {"累计受理调解矛盾纠纷一百一十件", 1, {{110, "件", NULL}}},
    {"审查各类合同一百二十八件", 1, {{128, "件", NULL}}},
    {"签订合同一份", 1, {{1, "份", NULL}}},
    /* division names are not counts (the gazetteer says which hold a numeral) */
    {"三台县司法局2024年法治政府建设年度报告", 0, {{0, NULL, NULL}}},
    {"朝阳县二十家子镇认真贯彻落实", 0, {{0, NULL, NULL}}},
    {"奇台县三个庄子镇人民政府", 0, {{0, NULL, NULL}}},
    {"三元区富兴堡街道办事处", 0, {{0, NULL, NULL}}},
    {"走访三家村村民", 0, {{0, NULL, NULL}}},
    {"走访辖区企业三家", 1, {{3, "家", NULL}}},
    /* several facts in one sentence; 、 does not end a clause, a comma does */
    {"全年审核重大决策事项1项，政府合同15份", 2, {{1, "项", NULL}, {15, "份", NULL}}},
    {"全年开展专题学习研讨8次、宣讲6场", 2, {{8, "次", NULL}, {6, "场", NULL}}},
    {"组织全镇145名干部职工参加2025年法治理论考试，合格率达100%", 2,
     {{145, "名", NULL}, {100, "%", NULL}}},
    /* durations are not counts */
    {"原本需要5个工作日，现在仅需3个工作日即可完成", 0, {{0, NULL, NULL}}},
    {"用时3个多月完成整改", 0, {{0, NULL, NULL}}},
    /* crawled text: blanks between number and unit, traditional characters */
    {"共 5 次", 1, {{5, "次", NULL}}},
    {"行政复议案件\t12\t件", 1, {{12, "件", NULL}}},
    {"在第 3 次会议上", 0, {{0, NULL, NULL}}},
    {"舉辦法治講座3場", 1, {{3, "场", NULL}}},
    {"覆蓋群眾兩萬餘人", 1, {{20000, "人", "余"}}},
    {"約300個單位", 1, {{300, "个", "约"}}},
    {"行政败诉率为百分之零", 1, {{0, "%", NULL}}},
    {"案件办结率达到百分之百", 1, {{100, "%", NULL}}},
    {"印发《关于开展“八五”普法的十条措施》", 0, {{0, NULL, NULL}}},
    {"广海镇9个村(社区)均建立有法律服务工作室", 1, {{9, "个", NULL}}},
    /* years and dates */
    {"2024年推进法治政府建设的主要举措", 0, {{0, NULL, NULL}}},
    {"2025年度工作安排", 0, {{0, NULL, NULL}}},
    {"在6.26国际禁毒日开展宣传", 0, {{0, NULL, NULL}}},
    {"12.4宪法宣传日", 0, {{0, NULL, NULL}}},
    {"生成日期: 2021-11-29 16:21:08", 0, {{0, NULL, NULL}}},
    {"二〇二四年工作总结", 0, {{0, NULL, NULL}}},
    {"2024年12月31日前完成", 0, {{0, NULL, NULL}}},
    {"《法治政府建设实施纲要(2021—2025年)》", 0, {{0, NULL, NULL}}},
    /* ordinals, names, headings */
    {"以七届区委第五轮巡察工作为契机", 0, {{0, NULL, NULL}}},
    {"深入学习党的二十大精神", 0, {{0, NULL, NULL}}},
    {"全面贯彻党的二十大和二十届二中、三中全会精神", 0, {{0, NULL, NULL}}},
    {"一是建立政府合同目录", 0, {{0, NULL, NULL}}},
    {"作为党政法治建设第一责任人", 0, {{0, NULL, NULL}}},
    {"在第3次会议上", 0, {{0, NULL, NULL}}},
    {"第十二个宪法宣传周", 0, {{0, NULL, NULL}}},
    {"(一)强化政治引领", 0, {{0, NULL, NULL}}},
    {"1.推动学习宣传贯彻抓实走深", 0, {{0, NULL, NULL}}},
    {"研究谋划“十五五”时期重点工作", 0, {{0, NULL, NULL}}},
    {"编制十四五规划", 0, {{0, NULL, NULL}}},
    /* quotations and book titles */
    {"用好“十个结合”“三十六条”工作方法", 0, {{0, NULL, NULL}}},
    {"率先创新建立“四个结合”综合治理模式", 0, {{0, NULL, NULL}}},
    {"紧扣县委“1116”总体工作思路", 0, {{0, NULL, NULL}}},
    {"贯彻\"八五\"普法规划", 0, {{0, NULL, NULL}}},
    {"全面应用“两平台”办理行政执法案件", 0, {{0, NULL, NULL}}},
    {"对照《2025年度忠县人民政府重大行政决策事项目录》", 0, {{0, NULL, NULL}}},
    {"探索出“一针一线两张网”的管理模式", 0, {{0, NULL, NULL}}},
    {"落实“三个一批”工作要求", 0, {{0, NULL, NULL}}},
    /* codes and phone numbers */
    {"集中“1+3+N”网格力量", 0, {{0, NULL, NULL}}},
    {"村(社区)法律顾问1+1+N结对共建", 0, {{0, NULL, NULL}}},
    {"联系方式:0750-5524538", 0, {{0, NULL, NULL}}},
    {"咨询电话13800138000", 0, {{0, NULL, NULL}}},
    {"依托12345平台及时受理", 0, {{0, NULL, NULL}}},
    {"邮件:ts686@126.com", 0, {{0, NULL, NULL}}},
    {"推进5G基站建设", 0, {{0, NULL, NULL}}},
    /* idioms and fixed expressions */
    {"确保不漏一人", 0, {{0, NULL, NULL}}},
    {"整理出一批“三无”船舶", 0, {{0, NULL, NULL}}},
    {"整理出一批船舶", 0, {{0, NULL, NULL}}},
    {"形成一级抓一级的工作体系", 0, {{0, NULL, NULL}}},
    {"2024年无一起领导干部违规干预司法活动", 0, {{0, NULL, NULL}}},
    {"大家一起努力", 0, {{0, NULL, NULL}}},
    {"探索一站式矛盾纠纷化解机制", 0, {{0, NULL, NULL}}},
    {"深化一村一法律顾问建设", 0, {{0, NULL, NULL}}},
    {"推行一户一档管理", 0, {{0, NULL, NULL}}},
    {"推进大综合一体化行政执法改革", 0, {{0, NULL, NULL}}},
    {"采取了一系列措施", 0, {{0, NULL, NULL}}},
    {"送法进千家万户", 0, {{0, NULL, NULL}}},
    {"千方百计解决群众诉求", 0, {{0, NULL, NULL}}},
    {"落实中央八项规定精神", 0, {{0, NULL, NULL}}},
    {"统筹推进五位一体总体布局", 0, {{0, NULL, NULL}}},
    {"增强四个意识", 0, {{0, NULL, NULL}}},
    {"做到两个维护", 0, {{0, NULL, NULL}}},
    {"落实全面从严治党两个责任", 0, {{0, NULL, NULL}}},
    {"贯彻十四个坚持", 0, {{0, NULL, NULL}}},
    {"高效办成一件事", 0, {{0, NULL, NULL}}},
    {"实行一次性告知", 0, {{0, NULL, NULL}}},
    {"开展三四次检查", 0, {{0, NULL, NULL}}},
    {"开展数十次排查", 0, {{0, NULL, NULL}}},
    {"落实行政执法三项制度", 0, {{0, NULL, NULL}}},
    {"严格落实一把手责任", 0, {{0, NULL, NULL}}},
    {"建设一支过硬队伍", 0, {{0, NULL, NULL}}},
    {"主要从以下三个方面开展工作", 0, {{0, NULL, NULL}}},
    {"坚持一年一次全面体检", 0, {{0, NULL, NULL}}},
    {"推行一企一策，一人一档", 0, {{0, NULL, NULL}}},
    {"再一次强调", 0, {{0, NULL, NULL}}},
    {"发生3起诉讼案件", 1, {{3, "起", NULL}}},
    /* page furniture */
    {"浏览次数：1523次", 0, {{0, NULL, NULL}}},
    {"0条评论", 0, {{0, NULL, NULL}}},
    {"序号 1 名称 法治讲座", 0, {{0, NULL, NULL}}},
};

#include "lib/facts_fixture.h"

static void test_case_table(void **state)
{
    (void) state;
    size_t n = sizeof CASES / sizeof CASES[0];
    assert_true(n >= 80);
    int bad = 0;
    lxm_record_t rec = {0};
    for (size_t i = 0; i < n; i++) {
        const case_t *c = &CASES[i];
        lxm_record_reset(&rec);
        size_t got = lxm_facts_extract(s_facts, c->clause, strlen(c->clause), 0, &rec);
        bool ok = got == (size_t) c->n && rec.n_facts == got;
        for (size_t k = 0; ok && k < got; k++) {
            const lxm_fact_t *f = &rec.facts[k];
            const want_t *w = &c->want[k];
            ok = fabs(f->value - w->value) < 1e-9 && strcmp(f->unit, w->unit) == 0 &&
                 f->approx == (w->qual != NULL) &&
                 (w->qual ? f->qual && strcmp(f->qual, w->qual) == 0 : f->qual == NULL);
        }
        if (!ok) {
            bad++;
            fprintf(stderr, "case %zu: %s: want %d fact(s), got %zu:", i, c->clause, c->n, got);
            for (size_t k = 0; k < rec.n_facts; k++)
                fprintf(stderr, " [%g %s %s '%s']", rec.facts[k].value, rec.facts[k].unit,
                        rec.facts[k].qual ? rec.facts[k].qual : "-", rec.facts[k].text);
            fprintf(stderr, "\n");
        }
    }
    lxm_record_reset(&rec);
    fprintf(stderr, "number cases: %zu, %d wrong\n", n, bad);
    assert_int_equal(bad, 0);
}

/* The clause text runs from the last ， , 。 ； : before the number to the unit and a
 * trailing 以上/左右; start is its byte offset. */
static void test_clause_text(void **state)
{
    (void) state;
    static const struct {
        const char *text;
        const char *clause[2];
    } T[] = {
        {"深入学习纲要,组织专题学法、会前学法23次,参学人员达320人次左右。",
         {"组织专题学法、会前学法23次", "参学人员达320人次左右"}},
        {"对照清单，全年审核重大决策事项1项，政府合同15份，合法性审查覆盖率达100%。",
         {"全年审核重大决策事项1项", "政府合同15份"}},
        {"截至目前：共排查矛盾纠纷563起；化解率达99.11%",
         {"共排查矛盾纠纷563起", "化解率达99.11%"}},
        {"　　今年以来，共召开领导小组会议5次\n审议通过法治建设相关文件2份",
         {"共召开领导小组会议5次", "审议通过法治建设相关文件2份"}},
    };
    lxm_record_t rec = {0};
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        lxm_record_reset(&rec);
        lxm_facts_extract(s_facts, T[i].text, strlen(T[i].text), 0, &rec);
        assert_true(rec.n_facts >= 2);
        for (size_t k = 0; k < 2; k++) {
            assert_string_equal(rec.facts[k].text, T[i].clause[k]);
            assert_memory_equal(T[i].text + rec.facts[k].start, T[i].clause[k],
                                strlen(T[i].clause[k]));
        }
    }
    lxm_record_reset(&rec);
}

/* A clause with no punctuation for pages: bounded text, still ending at the unit. */
static void test_long_clause(void **state)
{
    (void) state;
    lxm_buf_t b = {0};
    for (int i = 0; i < 2000; i++)
        lxm_buf_puts(&b, "法治");
    lxm_buf_puts(&b, "学习5次");
    lxm_record_t rec = {0};
    assert_int_equal(lxm_facts_extract(s_facts, b.data, b.len, 0, &rec), 1);
    size_t tl = strlen(rec.facts[0].text);
    assert_true(tl <= 260);
    assert_memory_equal(rec.facts[0].text + tl - strlen("学习5次"), "学习5次", strlen("学习5次"));
    assert_memory_equal(b.data + rec.facts[0].start, rec.facts[0].text, tl);
    lxm_record_reset(&rec);
    lxm_buf_free(&b);
}

/* body_start: nothing before it is scanned, offsets stay offsets into the whole text. */
static void test_body_start(void **state)
{
    (void) state;
    const char *text = "标题2024年共5次\n正文开展学习6次";
    size_t body = strstr(text, "正文") - text;
    lxm_record_t rec = {0};
    assert_int_equal(lxm_facts_extract(s_facts, text, strlen(text), body, &rec), 1);
    assert_true(rec.facts[0].value == 6);
    assert_int_equal(rec.facts[0].start, body);
    lxm_record_reset(&rec);
    assert_int_equal(lxm_facts_extract(s_facts, text, strlen(text), strlen(text), &rec), 0);
    assert_int_equal(lxm_facts_extract(s_facts, text, strlen(text), 9999, &rec), 0);
    lxm_record_reset(&rec);
}

static void test_number_parse(void **state)
{
    (void) state;
    static const struct {
        const char *s;
        bool ok;
        double value;
        size_t consumed;
    } T[] = {
        {"4次", true, 4, 1},
        {"99.11%", true, 99.11, 5},
        {"４５人", true, 45, 6},
        {"９９．１１", true, 99.11, 15},
        {"1.8万余", true, 18000, 6},
        {"100万元", true, 1000000, 6},
        {"十二场", true, 12, 6},
        {"十", true, 10, 3},
        {"一百零五", true, 105, 12},
        {"一百二十三", true, 123, 15},
        {"三千", true, 3000, 6},
        {"两万", true, 20000, 6},
        {"三万五千", true, 35000, 12},
        {"十万", true, 100000, 6},
        {"二〇二四", true, 2024, 12},
        {"1.", true, 1, 1},
        {"百", false, 0, 0},
        {"千家万户", false, 0, 0},
        {"三四次", false, 0, 0},
        {"十四五", false, 0, 0},
        {"abc", false, 0, 0},
        {"", false, 0, 0},
    };
    for (size_t i = 0; i < sizeof T / sizeof T[0]; i++) {
        double v = -1;
        size_t used = 0;
        bool ok = lxm_number_parse(T[i].s, strlen(T[i].s), &v, &used);
        if (ok != T[i].ok || (ok && (fabs(v - T[i].value) > 1e-9 || used != T[i].consumed)))
            fail_msg("'%s': got ok=%d value=%g consumed=%zu", T[i].s, ok, v, used);
    }
    /* never reads past N */
    double v;
    size_t used;
    assert_true(lxm_number_parse("12345", 2, &v, &used));
    assert_true(v == 12 && used == 2);
    assert_false(lxm_number_parse("十二", 2, &v, &used)); /* half a character */
}

static void test_rules_errors(void **state)
{
    (void) state;
    char *error = NULL;
    const char *bad = "# comment\nstudy.sessions 次 学法\nstudy.sessions 次 (unclosed\n";
    assert_null(lxm_rules_load(bad, strlen(bad), &error));
    assert_non_null(error);
    assert_non_null(strstr(error, "line 3"));
    free(error);
    error = NULL;
    const char *unit = "x.y 斤 学法\n";
    assert_null(lxm_rules_load(unit, strlen(unit), &error));
    assert_non_null(error);
    free(error);
    error = NULL;
    const char *fields = "x.y 次\n";
    assert_null(lxm_rules_load(fields, strlen(fields), &error));
    free(error);
    /* a good file: keys come from it, and the digest follows its text */
    const char *good = "a.b 次 学法\n@nofact * 一批\n";
    const char *good2 = "a.b 次 学习\n";
    lxm_rules_t *r1 = lxm_rules_load(good, strlen(good), &error);
    lxm_rules_t *r2 = lxm_rules_load(good2, strlen(good2), &error);
    assert_non_null(r1);
    assert_non_null(r2);
    assert_true(strlen(lxm_rules_digest(r1)) >= 8);
    assert_string_not_equal(lxm_rules_digest(r1), lxm_rules_digest(r2));
    lxm_facts_t *fx = lxm_facts_new(r1);
    lxm_record_t rec = {0};
    const char *t = "组织学法3次，学习4次";
    assert_int_equal(lxm_facts_extract(fx, t, strlen(t), 0, &rec), 2);
    assert_string_equal(rec.facts[0].key, "a.b");
    assert_null(rec.facts[1].key);
    lxm_record_reset(&rec);
    lxm_facts_destroy(&fx);
    lxm_rules_destroy(&r1);
    lxm_rules_destroy(&r2);
    assert_null(r1);
    /* no rules at all: facts without keys */
    fx = lxm_facts_new(NULL);
    assert_int_equal(lxm_facts_extract(fx, t, strlen(t), 0, &rec), 2);
    assert_null(rec.facts[0].key);
    lxm_record_reset(&rec);
    lxm_facts_destroy(&fx);
}

/* Any bytes: no crash, every fact inside the text with a clause that starts there. */
static void test_fuzz(void **state)
{
    (void) state;
    static const char *const pieces[] = {
        "1", "2.5", "９", "．", "一", "十", "百", "千", "万", "亿", "〇", "零", "两", "余", "多",
        "约", "近", "次", "人次", "场", "%", "％", "以上", "左右", "，", "。", "、", "“", "”",
        "《", "》", "\"", "+", "-", "第", "年", "学法", "\n", "\xe4", "\xb8", "\xff", " ",
    };
    const size_t np = sizeof pieces / sizeof pieces[0];
    uint64_t x = 88172645463325252ULL;
    lxm_record_t rec = {0};
    char buf[512];
    for (int round = 0; round < 20000; round++) {
        size_t len = 0;
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;
        int parts = (int) (x % 40);
        for (int k = 0; k < parts; k++) {
            x ^= x << 13, x ^= x >> 7, x ^= x << 17;
            const char *p = pieces[x % np];
            size_t pl = strlen(p);
            if (round % 3 == 0) { /* raw random bytes too */
                p = (const char *) &x;
                pl = 1 + (x >> 60) % 7;
            }
            if (len + pl >= sizeof buf)
                break;
            memcpy(buf + len, p, pl);
            len += pl;
        }
        lxm_record_reset(&rec);
        lxm_facts_extract(s_facts, buf, len, 0, &rec);
        for (size_t k = 0; k < rec.n_facts; k++) {
            assert_true(rec.facts[k].start <= len);
            assert_true(rec.facts[k].start + strlen(rec.facts[k].text) <= len);
            assert_non_null(rec.facts[k].unit);
        }
    }
    lxm_record_reset(&rec);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_case_table),  cmocka_unit_test(test_clause_text),
        cmocka_unit_test(test_body_start),  cmocka_unit_test(test_number_parse),
        cmocka_unit_test(test_long_clause),
        cmocka_unit_test(test_rules_errors), cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
