/* test_unit: lxm_unit_resolve on short titles and texts written for the test that carry
 * the cues of the five seed reports (not the seed files), and on the shapes SPEC names:
 * departments, county / city / province reports, a municipality district, traditional
 * characters, an unknown town, no unit at all, ties and substrings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#if defined(__has_include) && __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#else
#define RUNNING_ON_VALGRIND 0
#endif
#include "lxm_gazetteer.h"
#include "lxm_record.h"

static lxm_gazetteer_t *s_gaz;

static int s_setup(void **state)
{
    char *err = NULL;
    s_gaz = lxm_gazetteer_load(&err);
    if (!s_gaz) {
        fprintf(stderr, "load failed: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    return 0;
}

static int s_teardown(void **state)
{
    lxm_gazetteer_destroy(&s_gaz);
    return 0;
}

typedef struct {
    lxm_unit_t u;
    lxm_record_t *rec; /* collects the warnings */
} s_res_t;

static void s_resolve(s_res_t *r, const char *title, const char *text, const char *issuer,
                      const char *source)
{
    lxm_unit_context_t ctx = {.title = title,
                              .title_len = title ? strlen(title) : 0,
                              .text = text,
                              .text_len = text ? strlen(text) : 0,
                              .issuer = issuer,
                              .source = source};
    r->rec = lxm_record_new();
    lxm_unit_resolve(s_gaz, &ctx, &r->u, r->rec);
}

static void s_done(s_res_t *r)
{
    /* the record owns the unit's strings */
    r->rec->unit = r->u;
    lxm_record_destroy(&r->rec);
}

#define STR_EQ(got, want)                                                                  \
    do {                                                                                   \
        const char *g_ = (got), *w_ = (want);                                              \
        if (w_ == NULL)                                                                    \
            assert_null(g_);                                                               \
        else {                                                                             \
            assert_non_null(g_);                                                           \
            assert_string_equal(g_, w_);                                                   \
        }                                                                                  \
    } while (0)

static void s_expect(const s_res_t *r, const char *name, const char *level, const char *code,
                     const char *county, const char *city, const char *province,
                     const char *match)
{
    printf("  -> %s %s %s %s %s %s %s %d\n", r->u.name, r->u.level, r->u.code, r->u.county,
           r->u.city, r->u.province, r->u.match, r->u.candidates);
    STR_EQ(r->u.name, name);
    STR_EQ(r->u.level, level);
    STR_EQ(r->u.code, code);
    STR_EQ(r->u.county, county);
    STR_EQ(r->u.city, city);
    STR_EQ(r->u.province, province);
    if (match) /* NULL: unique and context are both right */
        STR_EQ(r->u.match, match);
}

/* seed 000: 新桥镇 (21 in China); 路桥 named in the text as 法治路桥 and 路桥区委 */
static void test_seed_000_context(void **state)
{
    s_res_t r;
    s_resolve(&r, "新桥镇2024年法治政府建设年度报告",
              "新桥镇2024年法治政府建设年度报告\n今年以来，在区委、区政府的坚强领导下，新桥镇坚持"
              "依法行政，自觉对照《2024年法治路桥建设重点工作》开展法治建设工作。认真贯彻落实"
              "台州市委、路桥区委关于法治建设的部署。",
              NULL, "seeds/000.txt");
    s_expect(&r, "新桥镇", "镇", "331004103", "路桥区", "台州市", "浙江省", "context");
    assert_int_equal(r.u.candidates, 21);
    assert_int_equal(r.rec->n_warnings, 0);
    s_done(&r);
}

/* the same town with no county, city or province named: never guess. "区委" alone names
 * no county. */
static void test_ambiguous_without_context(void **state)
{
    s_res_t r;
    s_resolve(&r, "新桥镇2024年法治政府建设年度报告",
              "今年以来，在区委、区政府的坚强领导下，新桥镇坚持依法行政，重新桥接各方资源。",
              NULL, NULL);
    s_expect(&r, "新桥镇", "镇", NULL, NULL, NULL, NULL, "ambiguous");
    assert_int_equal(r.u.candidates, 21);
    assert_true(r.rec->n_warnings >= 1);
    s_done(&r);
}

/* two candidates equally supported (江阴 and 靖江 both have a 新桥镇): still ambiguous,
 * and what both share (江苏省) is kept */
static void test_tie_keeps_shared(void **state)
{
    s_res_t r;
    s_resolve(&r, "新桥镇2024年法治政府建设年度报告",
              "新桥镇与江阴市、靖江市的兄弟乡镇开展法治交流。", NULL, NULL);
    s_expect(&r, "新桥镇", "镇", NULL, NULL, NULL, "江苏省", "ambiguous");
    assert_int_equal(r.u.candidates, 2);
    s_done(&r);
}

/* the county written before the town in the title decides, whatever the text says */
static void test_chain_in_title(void **state)
{
    s_res_t r;
    s_resolve(&r, "路桥区新桥镇2024年法治政府建设年度报告", "新桥镇与江阴市开展交流。", NULL,
              NULL);
    s_expect(&r, "新桥镇", "镇", "331004103", "路桥区", "台州市", "浙江省", "context");
    s_done(&r);
    /* a source path naming the county (percent-encoded 路桥) is context too */
    s_resolve(&r, "新桥镇2024年法治政府建设年度报告", "新桥镇坚持依法行政。", NULL,
              "https://example.gov.cn/%E8%B7%AF%E6%A1%A5/2024.html");
    s_expect(&r, "新桥镇", "镇", "331004103", "路桥区", "台州市", "浙江省", "context");
    s_done(&r);
}

/* ordinary words that are also county names without their suffix give no context:
 * 法治资源 is not 资源县 (which has a 中峰镇, one of four) */
static void test_words_are_not_places(void **state)
{
    s_res_t r;
    s_resolve(&r, "中峰镇2024年法治政府建设年度报告",
              "2024年，中峰镇整合法治资源，建议和政协委员共同推进平安和平建设。", NULL, NULL);
    s_expect(&r, "中峰镇", "镇", NULL, NULL, NULL, NULL, "ambiguous");
    assert_int_equal(r.u.candidates, 4);
    s_done(&r);
    /* a bare 台山 before a town 台山 does not hold neither resolves nor contradicts */
    s_resolve(&r, "台山新桥镇2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "新桥镇", "镇", NULL, NULL, NULL, NULL, "ambiguous");
    s_done(&r);
}

/* a county written before a town it does not hold: not that town elsewhere */
static void test_chain_contradiction(void **state)
{
    s_res_t r;
    s_resolve(&r, "路桥区瓦房镇2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "瓦房镇", "镇", NULL, NULL, NULL, NULL, "unknown");
    assert_true(r.rec->n_warnings >= 1);
    s_done(&r);
    /* the longest name is not always the right one: 新华街道办事处 is a unit of its own
     * in 阿拉善左旗, 通州区 has a 新华街道 */
    s_resolve(&r, "通州区新华街道办事处2023年度法治政府建设工作报告", NULL, NULL, NULL);
    s_expect(&r, "新华街道", "街道", "110112002", "通州区", "北京市", "北京市", "context");
    s_done(&r);
    /* and without the county, XX街道办事处 is the office of any XX街道 */
    s_resolve(&r, "王府街道办事处2025年法治政府建设工作情况报告", NULL, NULL, NULL);
    STR_EQ(r.u.code, NULL);
    STR_EQ(r.u.match, "ambiguous");
    s_done(&r);
    /* a name that reads two ways: 随州市经济开发区 is a unit (in 曾都区), and 随州市 + the
     * 经济开发区 of 广水市 another; no code, what both share is kept */
    s_resolve(&r, "随州市经济开发区2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "随州市经济开发区", "其他", NULL, NULL, "随州市", "湖北省", "ambiguous");
    assert_int_equal(r.u.candidates, 2);
    s_done(&r);
    /* but a county-level name is taken as written */
    s_resolve(&r, "保定高新技术产业开发区应急管理局2021年度法治政府建设情况报告", NULL, NULL,
              NULL);
    s_expect(&r, "保定高新技术产业开发区应急管理局", "部门", "130671", "保定高新技术产业开发区",
             "保定市", "河北省", "unique");
    s_done(&r);
    /* every name of the chain counts: the 白马镇 of the 市中区 of 内江市, not of 乐山市 */
    s_resolve(&r, "内江市市中区白马镇人民政府关于2019年度法治政府建设工作情况的报告", NULL,
              NULL, NULL);
    s_expect(&r, "白马镇", "镇", "511002100", "市中区", "内江市", "四川省", "context");
    s_done(&r);
}

/* seed 001: 洮南市瓦房镇人民政府… */
static void test_seed_001_county_prefix(void **state)
{
    s_res_t r;
    s_resolve(&r, "洮南市瓦房镇人民政府2024年度法治政府建设工作报告",
              "在市委市政府坚强领导下，瓦房镇政府深入贯彻落实法治建设部署。", NULL, NULL);
    s_expect(&r, "瓦房镇", "镇", "220881100", "洮南市", "白城市", "吉林省", NULL);
    assert_true(strcmp(r.u.match, "unique") == 0 || strcmp(r.u.match, "context") == 0);
    s_done(&r);
}

/* seed 002: 广海镇, 台山 named by the text and the issuer */
static void test_seed_002(void **state)
{
    s_res_t r;
    s_resolve(&r, "广海镇2021年度法治政府建设工作情况报告",
              "2021年，广海镇在台山市委、市政府的领导和支持下，全面推进依法治理。", "台山政府网",
              NULL);
    s_expect(&r, "广海镇", "镇", "440781110", "台山市", "江门市", "广东省", NULL);
    s_done(&r);
}

/* seed 003: title over two lines joined, issuer 曲阜市尼山镇 */
static void test_seed_003_unique(void **state)
{
    s_res_t r;
    s_resolve(&r, "尼山镇人民政府关于2024年度法治政府建设的情况报告",
              "2024年，尼山镇深入贯彻落实习近平法治思想。", "曲阜市尼山镇", NULL);
    s_expect(&r, "尼山镇", "镇", "370881105", "曲阜市", "济宁市", "山东省", "unique");
    assert_int_equal(r.u.candidates, 1);
    s_done(&r);
    /* no title: the issuer is enough */
    s_resolve(&r, NULL, "现将有关情况报告如下。", "曲阜市尼山镇", NULL);
    s_expect(&r, "尼山镇", "镇", "370881105", "曲阜市", "济宁市", "山东省", "unique");
    s_done(&r);
}

/* seed 004: no title; the unit only in the first sentence, 忠县 and 重庆 further on */
static void test_seed_004_text_only(void **state)
{
    s_res_t r;
    s_resolve(&r, NULL,
              "2025年，黄金镇坚持以习近平新时代中国特色社会主义思想为指导，认真落实习近平总书记"
              "视察重庆重要讲话重要指示精神，紧扣县委“1116”总体工作思路。现将全年工作情况报告"
              "如下：\n一、主要举措\n对照《2025年度忠县人民政府重大行政决策事项目录》开展合法性审查。",
              NULL, NULL);
    s_expect(&r, "黄金镇", "镇", "500233122", "忠县", "重庆市", "重庆市", "context");
    assert_int_equal(r.u.candidates, 5);
    s_done(&r);
    /* only 重庆 named, twice: the one 黄金镇 in 重庆 is the only one with support */
    s_resolve(&r, NULL, "2025年，黄金镇认真落实视察重庆重要讲话精神，助力重庆高质量发展。", NULL,
              NULL);
    s_expect(&r, "黄金镇", "镇", "500233122", "忠县", "重庆市", "重庆市", "context");
    s_done(&r);
    /* a province named once in passing is no support (学习浙江经验 in a report from
     * anywhere); in the source path it is */
    s_resolve(&r, NULL, "2025年，黄金镇认真学习浙江“千万工程”经验。", NULL, NULL);
    s_expect(&r, "黄金镇", "镇", NULL, NULL, NULL, NULL, "ambiguous");
    s_done(&r);
    s_resolve(&r, NULL, "2025年，黄金镇坚持依法行政。", NULL, "crawl/重庆/2025/report.txt");
    s_expect(&r, "黄金镇", "镇", "500233122", "忠县", "重庆市", "重庆市", "context");
    s_done(&r);
}

static void test_department(void **state)
{
    s_res_t r;
    s_resolve(&r, "潼关县司法局2024年法治政府建设年度报告", "2024年，县司法局坚持依法行政。",
              NULL, NULL);
    s_expect(&r, "潼关县司法局", "部门", "610522", "潼关县", "渭南市", "陕西省", "unique");
    s_done(&r);
    s_resolve(&r, "路桥区人民政府办公室关于2024年度法治政府建设情况的报告", NULL, NULL, NULL);
    s_expect(&r, "路桥区人民政府办公室", "部门", "331004", "路桥区", "台州市", "浙江省",
             "unique");
    s_done(&r);
    s_resolve(&r, "台州市生态环境局2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "台州市生态环境局", "部门", "3310", NULL, "台州市", "浙江省", "unique");
    s_done(&r);
    /* the government itself is not a department */
    s_resolve(&r, "尼山镇人民政府关于2024年度法治政府建设的情况报告", NULL, NULL, NULL);
    STR_EQ(r.u.level, "镇");
    s_done(&r);
    /* no title: the department opens the text */
    s_resolve(&r, NULL, "2021年，平阴县市场监督管理局在县委、县政府的坚强领导下，坚持依法行政。",
              NULL, NULL);
    s_expect(&r, "平阴县市场监督管理局", "部门", "370124", "平阴县", "济南市", "山东省", NULL);
    s_done(&r);
    /* the text names the county, the issuer its department */
    s_resolve(&r, NULL, "2025年，岳阳县坚持依法行政，现将有关情况报告如下。", "岳阳县市场监督管理局",
              NULL);
    s_expect(&r, "岳阳县市场监督管理局", "部门", "430621", "岳阳县", "岳阳市", "湖南省", NULL);
    s_done(&r);
    /* the government's office only publishes the government's report */
    s_resolve(&r, NULL, "2025年，岳阳县坚持依法行政，现将有关情况报告如下。", "岳阳县人民政府办公室",
              NULL);
    STR_EQ(r.u.level, "县");
    s_done(&r);
    /* but a title naming the county is the county's report */
    s_resolve(&r, "岳阳县2025年法治政府建设年度报告", NULL, "岳阳县市场监督管理局", NULL);
    STR_EQ(r.u.level, "县");
    s_done(&r);
    /* but a town that goes on with its sentence is the town */
    s_resolve(&r, NULL, "2024年，尼山镇全面落实党委部署，坚持依法行政。", NULL, NULL);
    STR_EQ(r.u.level, "镇");
    s_done(&r);
}

static void test_county_city_province(void **state)
{
    s_res_t r;
    s_resolve(&r, "路桥区2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "路桥区", "区", "331004", "路桥区", "台州市", "浙江省", "unique");
    s_done(&r);
    s_resolve(&r, "忠县2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "忠县", "县", "500233", "忠县", "重庆市", "重庆市", "unique");
    s_done(&r);
    s_resolve(&r, "台山市2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "台山市", "市", "440781", "台山市", "江门市", "广东省", "unique");
    s_done(&r);
    s_resolve(&r, "台州市2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "台州市", "市", "3310", NULL, "台州市", "浙江省", "unique");
    s_done(&r);
    s_resolve(&r, "浙江省2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "浙江省", "省", "33", NULL, NULL, "浙江省", "unique");
    s_done(&r);
    /* a county name four cities share, and the city named in the text */
    s_resolve(&r, "鼓楼区2024年法治政府建设年度报告", "在南京市委的领导下，鼓楼区坚持依法行政。",
              NULL, NULL);
    s_expect(&r, "鼓楼区", "区", "320106", "鼓楼区", "南京市", "江苏省", "context");
    assert_int_equal(r.u.candidates, 4);
    s_done(&r);
    s_resolve(&r, "鼓楼区2024年法治政府建设年度报告", "鼓楼区坚持依法行政。", NULL, NULL);
    s_expect(&r, "鼓楼区", "区", NULL, "鼓楼区", NULL, NULL, "ambiguous");
    assert_int_equal(r.u.candidates, 4);
    s_done(&r);
}

static void test_city_without_counties(void **state)
{
    /* 东莞市: a prefecture and a county-level unit of the same name that holds its
     * towns; the name means the county-level unit */
    s_res_t r;
    s_resolve(&r, "东莞市民政局2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "东莞市民政局", "部门", "441900", "东莞市", "东莞市", "广东省", NULL);
    s_done(&r);
}

static void test_title_shapes(void **state)
{
    s_res_t r;
    /* full-width year before the unit, blanks between names */
    s_resolve(&r, "２０２４年度路桥区　新桥镇法治政府建设工作报告", NULL, NULL, NULL);
    s_expect(&r, "新桥镇", "镇", "331004103", "路桥区", "台州市", "浙江省", "context");
    s_done(&r);
    s_resolve(&r, "关于二〇二四年尼山镇法治政府建设情况的报告", NULL, NULL, NULL);
    s_expect(&r, "尼山镇", "镇", "370881105", "曲阜市", "济宁市", "山东省", "unique");
    s_done(&r);
    /* the party committee and the government report together */
    s_resolve(&r, "中共尼山镇委员会 尼山镇人民政府关于2024年度法治建设工作情况的报告", NULL, NULL,
              NULL);
    s_expect(&r, "尼山镇", "镇", "370881105", "曲阜市", "济宁市", "山东省", "unique");
    s_done(&r);
}

static void test_municipality(void **state)
{
    s_res_t r;
    /* a township-level unit in 许昌 (河南) is called 东城区 too: 北京市 in front decides */
    s_resolve(&r, "北京市东城区2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "东城区", "区", "110101", "东城区", "北京市", "北京市", "context");
    s_done(&r);
    s_resolve(&r, "北京市2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "北京市", "省", "11", NULL, "北京市", "北京市", "unique");
    s_done(&r);
}

static void test_traditional(void **state)
{
    s_res_t r;
    s_resolve(&r, "北京市東城區2024年法治政府建設年度報告", NULL, NULL, NULL);
    s_expect(&r, "东城区", "区", "110101", "东城区", "北京市", "北京市", "context");
    s_done(&r);
    s_resolve(&r, "新橋鎮2024年法治政府建設年度報告", "新橋鎮堅持依法行政，落實路橋區委部署。",
              NULL, NULL);
    s_expect(&r, "新桥镇", "镇", "331004103", "路桥区", "台州市", "浙江省", "context");
    s_done(&r);
}

static void test_unknown_and_none(void **state)
{
    s_res_t r;
    s_resolve(&r, "新开源镇2024年法治政府建设年度报告", "2024年，新开源镇坚持依法行政。", NULL,
              NULL);
    s_expect(&r, "新开源镇", "镇", NULL, NULL, NULL, NULL, "unknown");
    assert_true(r.rec->n_warnings >= 1);
    s_done(&r);
    /* in a county the gazetteer knows: where it lies is kept, the code is not made up */
    s_resolve(&r, "路桥区新开源镇2024年法治政府建设年度报告", NULL, NULL, NULL);
    s_expect(&r, "新开源镇", "镇", NULL, "路桥区", "台州市", "浙江省", "unknown");
    s_done(&r);
    s_resolve(&r, NULL, "2024年，新开源街道坚持依法行政。", NULL, NULL);
    s_expect(&r, "新开源街道", "街道", NULL, NULL, NULL, NULL, "unknown");
    s_done(&r);
    s_resolve(&r, "2024年法治政府建设年度报告", "今年以来，我们坚持依法行政，各乡镇扎实推进工作。",
              NULL, NULL);
    s_expect(&r, NULL, NULL, NULL, NULL, NULL, NULL, "unknown");
    assert_int_equal(r.rec->n_warnings, 1);
    s_done(&r);
    s_resolve(&r, NULL, NULL, NULL, NULL);
    s_expect(&r, NULL, NULL, NULL, NULL, NULL, NULL, "unknown");
    s_done(&r);
}

/* a town name inside the opening text wins over its county named first */
static void test_text_prefers_town(void **state)
{
    s_res_t r;
    /* the subject of the opening sentence, not a town it mentions */
    s_resolve(&r, NULL, "2024年，路桥区坚持依法行政，在新桥镇召开法治建设现场会。", NULL, NULL);
    s_expect(&r, "路桥区", "区", "331004", "路桥区", "台州市", "浙江省", "unique");
    s_done(&r);
    s_resolve(&r, NULL, "2024年，在洮南市委市政府的领导下，瓦房镇全面推进依法行政。", NULL, NULL);
    s_expect(&r, "瓦房镇", "镇", "220881100", "洮南市", "白城市", "吉林省", NULL);
    s_done(&r);
}

/* any bytes: no crash, something well-formed back */
static void test_garbage(void **state)
{
    unsigned seed = 12345;
    char buf[4096];
    for (int round = 0; round < 2000; round++) {
        size_t n = (size_t)(rand_r(&seed) % sizeof buf);
        for (size_t i = 0; i < n; i++)
            buf[i] = (char)(rand_r(&seed) % 3 == 0 ? 0xE6 + rand_r(&seed) % 4 : rand_r(&seed));
        lxm_unit_context_t ctx = {.title = buf, .title_len = n / 4, .text = buf, .text_len = n};
        lxm_unit_t u;
        lxm_unit_resolve(s_gaz, &ctx, &u, NULL);
        assert_non_null(u.match);
        free(u.name), free(u.level), free(u.code), free(u.county), free(u.city);
        free(u.province), free(u.match);
    }
}

/* one pass over the text: under 0.2 ms for 10 KB, and linear (100 KB under 2 ms). Not
 * timed under valgrind, which runs the same code some 30 times slower. */
static double s_time_resolve(const char *para, size_t target)
{
    char *text = malloc(target + 1024);
    assert_non_null(text);
    size_t n = 0, k = strlen(para);
    while (n + k < target) {
        memcpy(text + n, para, k);
        n += k;
    }
    text[n] = '\0';
    const char *title = "新桥镇2024年法治政府建设年度报告";
    lxm_unit_context_t ctx = {.title = title, .title_len = strlen(title), .text = text,
                              .text_len = n};
    int reps = (int)(20000000 / target);
    clock_t t0 = clock();
    for (int i = 0; i < reps; i++) {
        lxm_unit_t u;
        lxm_unit_resolve(s_gaz, &ctx, &u, NULL);
        assert_non_null(u.code);
        free(u.name), free(u.level), free(u.code), free(u.county), free(u.city);
        free(u.province), free(u.match);
    }
    double ms = (double)(clock() - t0) * 1000.0 / CLOCKS_PER_SEC / reps;
    printf("resolve with a %zu-byte text: %.3f ms\n", n, ms);
    free(text);
    return ms;
}

static void test_speed(void **state)
{
    const char *para = "2024年，新桥镇坚持依法行政，认真落实路桥区委、台州市委关于法治建设的部署，"
                       "开展普法宣传10场次，发放宣传资料900余份。";
    double small = s_time_resolve(para, 10240), large = s_time_resolve(para, 102400);
    if (!RUNNING_ON_VALGRIND) {
        assert_true(small < 0.2);
        assert_true(large < 2.0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seed_000_context),
        cmocka_unit_test(test_ambiguous_without_context),
        cmocka_unit_test(test_tie_keeps_shared),
        cmocka_unit_test(test_chain_in_title),
        cmocka_unit_test(test_words_are_not_places),
        cmocka_unit_test(test_chain_contradiction),
        cmocka_unit_test(test_seed_001_county_prefix),
        cmocka_unit_test(test_seed_002),
        cmocka_unit_test(test_seed_003_unique),
        cmocka_unit_test(test_seed_004_text_only),
        cmocka_unit_test(test_department),
        cmocka_unit_test(test_county_city_province),
        cmocka_unit_test(test_city_without_counties),
        cmocka_unit_test(test_title_shapes),
        cmocka_unit_test(test_municipality),
        cmocka_unit_test(test_traditional),
        cmocka_unit_test(test_unknown_and_none),
        cmocka_unit_test(test_text_prefers_town),
        cmocka_unit_test(test_garbage),
        cmocka_unit_test(test_speed),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
