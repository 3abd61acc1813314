/* test_extract: report structure (titles, year, sections, people) and the whole
 * extraction pipeline, including non-reports and random bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_extract.h"
#include "lxm_structure.h"

/* Runs the structure analysis on TEXT into a fresh record. */
static lxm_record_t *s_analyse(const char *text, const char *meta_title, lxm_structure_t *st)
{
    lxm_record_t *rec = lxm_record_new();
    lxm_structure_analyse(text, strlen(text), meta_title, rec, st);
    return rec;
}

static bool s_warned(const lxm_record_t *rec, const char *part)
{
    for (size_t i = 0; i < rec->n_warnings; i++)
        if (strstr(rec->warnings[i], part))
            return true;
    return false;
}

static const char *BODY =
    "今年以来，全镇坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面推进依法行政，各项工作取得明显成效。\n";

static void test_title_single_line(void **state)
{
    (void)state;
    lxm_buf_t t = {0};
    lxm_buf_printf(&t, "洮南市瓦房镇人民政府2024年度法治政府建设工作报告\n%s", BODY);
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "洮南市瓦房镇人民政府2024年度法治政府建设工作报告");
    assert_int_equal(rec->year, 2024);
    assert_int_equal(st.body_start, strlen("洮南市瓦房镇人民政府2024年度法治政府建设工作报告\n"));
    lxm_record_destroy(&rec);
    lxm_buf_free(&t);
}

static void test_title_split(void **state)
{
    (void)state;
    /* the unit on one line, the title on the next: joined without a separator */
    lxm_buf_t t = {0};
    lxm_buf_printf(&t, "尼山镇人民政府\n关于2024年度法治政府建设的情况报告\n\n%s", BODY);
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "尼山镇人民政府关于2024年度法治政府建设的情况报告");
    assert_int_equal(rec->year, 2024);
    assert_int_equal(st.title_start, 0);
    assert_true(strncmp(t.data + st.body_start, "今年以来", strlen("今年以来")) == 0);
    lxm_record_destroy(&rec);

    /* a site header above a title that names its own unit is not part of it */
    lxm_buf_clear(&t);
    lxm_buf_printf(&t, "潼关县人民政府\n政务公开\n潼关县司法局2023年度法治政府建设工作报告\n%s", BODY);
    rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "潼关县司法局2023年度法治政府建设工作报告");
    lxm_record_destroy(&rec);
    lxm_buf_clear(&t);
    lxm_buf_printf(&t, "潼关县人民政府\n潼关县司法局2023年度法治政府建设工作报告\n%s", BODY);
    rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "潼关县司法局2023年度法治政府建设工作报告");
    lxm_record_destroy(&rec);

    /* a column name before the real title: the one naming a year wins */
    lxm_buf_clear(&t);
    lxm_buf_printf(&t, "法治政府建设年度报告\n某镇2023年法治政府建设年度报告\n%s", BODY);
    rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "某镇2023年法治政府建设年度报告");
    lxm_record_destroy(&rec);

    /* three lines: unit, then a title broken in two */
    lxm_buf_clear(&t);
    lxm_buf_printf(&t, "某某县人民政府\n关于2023年法治政府建设\n工作情况的报告\n%s", BODY);
    rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "某某县人民政府关于2023年法治政府建设工作情况的报告");
    assert_true(strncmp(t.data + st.body_start, "今年以来", strlen("今年以来")) == 0);
    lxm_record_destroy(&rec);

    /* the title broken before its last words */
    lxm_buf_clear(&t);
    lxm_buf_printf(&t, "某某县司法局2023年法治政府建设\n年度报告\n%s", BODY);
    rec = s_analyse(t.data, NULL, &st);
    assert_string_equal(rec->title, "某某县司法局2023年法治政府建设年度报告");
    assert_int_equal(rec->year, 2023);
    lxm_record_destroy(&rec);
    lxm_buf_free(&t);
}

static void test_title_absent_and_meta(void **state)
{
    (void)state;
    /* the body begins at once: no title, the year from the opening sentence */
    const char *text = "2025年，黄金镇坚持以习近平新时代中国特色社会主义思想为指导，紧扣县委"
                       "“1116”总体工作思路，扎实推进法治政府建设。现将全年工作情况报告如下：\n"
                       "一、2025年推进法治政府建设的工作举措和成效\n正文。\n"
                       "二、2026年推进法治政府建设的工作思路\n正文。\n";
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(text, NULL, &st);
    assert_null(rec->title);
    assert_int_equal(rec->year, 2025);
    assert_int_equal(st.body_start, 0);
    lxm_record_destroy(&rec);

    /* an HTML page whose body lacks the title: <title> without the site suffix */
    rec = s_analyse(text, "广海镇2021年度法治政府建设工作情况报告_台山政府网", &st);
    assert_string_equal(rec->title, "广海镇2021年度法治政府建设工作情况报告");
    assert_int_equal(rec->year, 2021);
    lxm_record_destroy(&rec);

    /* a page title that names no report is not a title */
    rec = s_analyse(text, "首页_某某政府网", &st);
    assert_null(rec->title);
    lxm_record_destroy(&rec);
}

static void test_year_rules(void **state)
{
    (void)state;
    lxm_structure_t st;
    /* a year inside a quoted document title is not the report's */
    const char *t1 = "今年以来，新桥镇自觉对照《2024年法治路桥建设重点工作》开展法治建设工作。\n"
                     "一、主要举措和成效\n正文。\n";
    lxm_record_t *rec = s_analyse(t1, NULL, &st);
    assert_int_equal(rec->year, 0);
    assert_true(s_warned(rec, "no year"));
    lxm_record_destroy(&rec);

    /* the year from a measures heading, or the year before a plan heading's */
    const char *t2 = "今年以来，我局坚持依法行政。\n一、2023年主要工作成效\n正文。\n"
                     "二、存在问题\n正文。\n";
    rec = s_analyse(t2, NULL, &st);
    assert_int_equal(rec->year, 2023);
    lxm_record_destroy(&rec);
    const char *t3 = "今年以来，我局坚持依法行政。\n一、主要工作成效\n正文。\n"
                     "二、2024年工作计划\n正文。\n";
    rec = s_analyse(t3, NULL, &st);
    assert_int_equal(rec->year, 2023);
    lxm_record_destroy(&rec);

    /* a full date is when something was signed, not the year reported: the next
     * paragraph's opening gives it */
    rec = s_analyse("某镇法治政府建设年度报告\n（2024年1月5日）\n2023年，某镇坚持依法行政。\n",
                    NULL, &st);
    assert_int_equal(rec->year, 2023);
    lxm_record_destroy(&rec);
    rec = s_analyse("某镇法治政府建设年度报告\n（2024年1月5日）\n一、主要成效\n2025年计划。\n",
                    NULL, &st);
    assert_int_equal(rec->year, 0);
    lxm_record_destroy(&rec);

    /* numerals in the title */
    rec = s_analyse("某镇二〇二二年法治政府建设年度报告\n正文。\n", NULL, &st);
    assert_int_equal(rec->year, 2022);
    lxm_record_destroy(&rec);

    size_t used = 0;
    assert_int_equal(lxm_year_at("2024年度", strlen("2024年度"), &used), 2024);
    assert_int_equal(used, 4);
    assert_int_equal(lxm_year_at("2024", 4, &used), 0);
    assert_int_equal(lxm_year_at("2025 年", strlen("2025 年"), &used), 2025);
    assert_int_equal(lxm_year_at("1116年", strlen("1116年"), &used), 0);
}

static void test_sections_kinds_offsets(void **state)
{
    (void)state;
    const char *text =
        "某镇2024年法治政府建设年度报告\n"
        "2024年，某镇深入贯彻落实习近平法治思想。\n"
        "一、主要举措和成效\n"
        "（一）强化组织领导。开展学习4次。\n"
        "1.健全制度。正文。\n"
        "2.加强培训。正文。\n"
        "（二）依法全面履行政府职能\n正文。\n"
        "二、存在不足和原因\n一是问题一。二是问题二。\n"
        "三、党政主要负责人履行推进法治建设第一责任人职责情况\n正文。\n"
        "2025年工作安排\n坚持实干导向。\n"
        "某镇人民政府\n2025年1月2日\n";
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(text, NULL, &st);
    assert_int_equal(rec->year, 2024);
    assert_int_equal(rec->n_sections, 4);
    const char *kinds[] = {"measures", "shortcomings", "leadership", "plan"};
    const char *heads[] = {"一、主要举措和成效", "二、存在不足和原因",
                           "三、党政主要负责人履行推进法治建设第一责任人职责情况",
                           "2025年工作安排"};
    for (size_t i = 0; i < 4; i++) {
        assert_string_equal(rec->sections[i].kind, kinds[i]);
        assert_string_equal(rec->sections[i].heading, heads[i]);
        assert_int_equal(rec->sections[i].start, strstr(text, heads[i]) - text);
        uint32_t end = i + 1 < 4 ? (uint32_t)(strstr(text, heads[i + 1]) - text)
                                 : (uint32_t)strlen(text);
        assert_int_equal(rec->sections[i].end, end);
    }
    lxm_record_destroy(&rec);
}

static void test_sections_other_shapes(void **state)
{
    (void)state;
    /* no 一、: the parenthesised numbers are the top level; a restart is not one */
    const char *text = "某局2022年法治政府建设情况报告\n"
                       "（一）依法履行职能，加强法治建设\n正文。\n"
                       "(二)深入推进严格规范公正文明执法\n1.健全制度。\n"
                       "（三）存在的问题\n（一）不是顶层。\n"
                       "（四）2023年工作打算\n正文。\n";
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(text, NULL, &st);
    assert_int_equal(rec->n_sections, 4);
    assert_string_equal(rec->sections[0].kind, "measures");
    /* a bare line with a plan cue inside the plan section is a sub-heading; one with only
     * a measures cue does not split a numbered document */
    const char *t2 = "某局2022年法治政府建设情况报告\n一、主要措施\n正文。\n完善监督措施\n正文。\n"
                     "二、下一步工作计划\n正文。\n下一步工作安排\n正文。\n";
    lxm_record_t *r2 = s_analyse(t2, NULL, &st);
    assert_int_equal(r2->n_sections, 2);
    lxm_record_destroy(&r2);
    /* 一、二、 inside paragraphs do not outrank headings of their own lines */
    const char *t4 = "某局2022年法治政府建设情况报告\n（一）主要举措和成效\n"
                     "一、健全制度。正文。\n二、加强培训。正文。\n"
                     "（二）存在问题\n正文。\n（三）下一步工作计划\n正文。\n";
    r2 = s_analyse(t4, NULL, &st);
    assert_int_equal(r2->n_sections, 3);
    assert_string_equal(r2->sections[1].kind, "shortcomings");
    lxm_record_destroy(&r2);
    /* a list restarting at 一、 inside a section, in sentences, is not the top level */
    const char *t3 = "某局2022年法治政府建设情况报告\n一、主要成效\n正文。\n二、存在问题\n"
                     "一、意识不强。正文。\n二、力量薄弱。正文。\n三、保障不足。正文。\n"
                     "三、下一步工作打算\n正文。\n";
    r2 = s_analyse(t3, NULL, &st);
    assert_int_equal(r2->n_sections, 3);
    assert_string_equal(r2->sections[2].kind, "plan");
    assert_int_equal(r2->sections[2].start, strstr(t3, "三、下一步") - t3);
    lxm_record_destroy(&r2);
    assert_string_equal(rec->sections[1].kind, "measures");
    assert_string_equal(rec->sections[2].kind, "shortcomings");
    assert_string_equal(rec->sections[3].kind, "plan");
    lxm_record_destroy(&rec);

    /* heading kinds by cue, and a later year makes a plan */
    assert_string_equal(lxm_heading_kind("下一步工作重点", strlen("下一步工作重点"), 2021, false), "plan");
    assert_string_equal(lxm_heading_kind("存在问题", strlen("存在问题"), 0, false), "shortcomings");
    assert_string_equal(lxm_heading_kind("党政责任人履行法治政府建设情况",
                                         strlen("党政责任人履行法治政府建设情况"), 0, false),
                        "leadership");
    assert_string_equal(lxm_heading_kind("2026年推进法治政府建设的重点",
                                         strlen("2026年推进法治政府建设的重点"), 2025, false),
                        "plan");
    assert_string_equal(lxm_heading_kind("聚焦习近平法治思想,加强法治组织领导",
                                         strlen("聚焦习近平法治思想,加强法治组织领导"), 2021,
                                         false),
                        "measures");
    assert_string_equal(lxm_heading_kind("其他事项", strlen("其他事项"), 2021, true), "other");
    /* 安排 as a verb of the work done is no plan; at the end of a heading it is */
    assert_string_equal(lxm_heading_kind("统筹安排部署，加强组织领导",
                                         strlen("统筹安排部署，加强组织领导"), 2021, false),
                        "measures");
    assert_string_equal(lxm_heading_kind("2022年推进法治政府建设的工作思路和重点",
                                         strlen("2022年推进法治政府建设的工作思路和重点"), 0,
                                         false),
                        "plan");
}

static void test_people(void **state)
{
    (void)state;
    const char *text =
        "某镇2024年法治政府建设年度报告\n"
        "成立了以王立春同志为组长的法治建设工作领导小组，由张三丰担任副组长。"
        "坚持以习近平同志为核心的党中央的领导。与郑际村村民林某某的行政诉讼案件。"
        "由党委书记为组长，其他领导班子为副组长。镇长李红同志主持会议。"
        "副组长由陈建国同志担任，由镇党委副书记刘洋任副组长。"
        "成立以党委书记赵明为组长、镇长孙丽为副组长的工作专班，以分管领导为副组长。\n";
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse(text, NULL, &st);
    assert_int_equal(rec->n_people, 7);
    const char *want[][2] = {{"王立春", "组长"}, {"李红", "镇长"}, {"张三丰", "副组长"},
                             {"陈建国", "副组长"}, {"刘洋", "副组长"}, {"赵明", "组长"},
                             {"孙丽", "副组长"}};
    for (size_t w = 0; w < 7; w++) {
        const char *role = NULL;
        for (size_t i = 0; i < rec->n_people; i++)
            if (strcmp(rec->people[i].name, want[w][0]) == 0)
                role = rec->people[i].role;
        assert_non_null(role);
        assert_string_equal(role, want[w][1]);
    }
    lxm_record_destroy(&rec);
}

static void test_signature_date_warning(void **state)
{
    (void)state;
    lxm_structure_t st;
    lxm_record_t *rec = s_analyse("某镇2024年法治政府建设年度报告\n正文。\n某镇人民政府\n202512\n",
                                  NULL, &st);
    assert_true(s_warned(rec, "mangled date"));
    lxm_record_destroy(&rec);
    rec = s_analyse("某镇2024年法治政府建设年度报告\n正文。\n某镇人民政府\n2025年1月2日\n", NULL, &st);
    assert_false(s_warned(rec, "mangled date"));
    lxm_record_destroy(&rec);
}

/* ---------------------------------------------------------------- whole pipeline */

static int s_setup(void **state)
{
    char *err = NULL;
    lxm_extractor_t *ex = lxm_extractor_new(&err);
    if (!ex) {
        fprintf(stderr, "extractor: %s\n", err ? err : "?");
        free(err);
        return -1;
    }
    *state = ex;
    return 0;
}

static int s_teardown(void **state)
{
    lxm_extractor_t *ex = *state;
    lxm_extractor_destroy(&ex);
    return 0;
}

static void test_pipeline_record(void **state)
{
    lxm_extractor_t *ex = *state;
    const char *page =
        "<html><head><title>瓦房镇2024年度法治政府建设工作报告_洮南市人民政府</title></head>"
        "<body><div>当前位置：首页 &gt; 政务公开</div>"
        "<p>洮南市瓦房镇人民政府2024年度法治政府建设工作报告</p>"
        "<p>发布日期：2025-02-10</p>"
        "<p>在市委市政府坚强领导下，瓦房镇政府深入贯彻落实习近平总书记法治建设思想，全面推进依法行政，"
        "现将有关情况报告如下：</p>"
        "<p>一、主要举措与成效</p><p>全年共举办行政执法培训班４期，培训执法人员76人次，"
        "悬挂横幅18条。</p><p>二、存在的问题与不足</p><p>法治意识仍需提高。</p>"
        "<p>三、下一步工作安排</p><p>持续加强法治教育培训。</p>"
        "<div>分享 打印 关闭</div></body></html>";
    lxm_record_t *rec = lxm_record_new();
    lxm_buf_t cleaned = {0};
    char *err = NULL;
    assert_int_equal(lxm_extract(ex, "http://example.org/a.html", page, strlen(page), rec,
                                 &cleaned, &err),
                     0);
    assert_string_equal(rec->source, "http://example.org/a.html");
    assert_string_equal(rec->title, "洮南市瓦房镇人民政府2024年度法治政府建设工作报告");
    assert_int_equal(rec->year, 2024);
    assert_string_equal(rec->published, "2025-02-10");
    assert_string_equal(rec->unit.name, "瓦房镇");
    assert_int_equal(rec->n_sections, 3);
    assert_string_equal(rec->sections[2].kind, "plan");
    char id[LXM_ID_HEX + 1];
    lxm_content_id(cleaned.data, cleaned.len, id);
    assert_string_equal(rec->id, id);
    assert_int_equal(rec->stats.bytes, strlen(page));
    assert_int_equal(rec->stats.text_bytes, cleaned.len);
    assert_true(rec->stats.boilerplate_bytes > 0);
    assert_non_null(strstr(rec->parser, "lexmill 0.1.0 rules:"));
    assert_null(strstr(cleaned.data, "当前位置"));
    assert_null(strstr(cleaned.data, "打印"));
    /* offsets point into the cleaned text; fact clauses are substrings at their start */
    for (size_t i = 0; i < rec->n_sections; i++) {
        assert_true(rec->sections[i].start < rec->sections[i].end);
        assert_true(rec->sections[i].end <= cleaned.len);
        assert_memory_equal(cleaned.data + rec->sections[i].start, rec->sections[i].heading,
                            strlen(rec->sections[i].heading));
    }
    assert_true(rec->n_facts >= 3);
    bool four = false;
    for (size_t i = 0; i < rec->n_facts; i++) {
        lxm_fact_t *f = &rec->facts[i];
        assert_true(f->start + strlen(f->text) <= cleaned.len);
        assert_memory_equal(cleaned.data + f->start, f->text, strlen(f->text));
        if (f->value == 4 && strcmp(f->unit, "期") == 0)
            four = true; /* full-width ４ folded */
    }
    assert_true(four);
    lxm_buf_free(&cleaned);
    lxm_record_destroy(&rec);
}

/* The same report as a UTF-8 text file and as an HTML page with chrome: one content id. */
static void test_same_text_same_id(void **state)
{
    lxm_extractor_t *ex = *state;
    const char *txt = "\xEF\xBB\xBF某镇2023年法治政府建设年度报告\r\n\r\n"
                      "\xE3\x80\x80\xE3\x80\x80" "2023年，某镇坚持依法行政，现将有关情况报告如下：\r\n\r\n"
                      "一、主要举措和成效\r\n\r\n"
                      "\xE3\x80\x80\xE3\x80\x80全年开展普法宣传活动１２场次。\r\n";
    const char *html = "<html><head><title>x</title></head><body>"
                       "<div>当前位置：首页 &gt; 法治政府建设</div>"
                       "<h2>某镇2023年法治政府建设年度报告</h2>\n"
                       "<p>&nbsp;&nbsp;2023年，某镇坚持依法行政，现将有关情况报告如下：</p>\n"
                       "<p>一、主要举措和成效</p>\n<p>&nbsp;&nbsp;全年开展普法宣传活动12场次。</p>"
                       "<div>【打印】【关闭】</div></body></html>";
    lxm_record_t *a = lxm_record_new(), *b = lxm_record_new();
    lxm_buf_t ca = {0}, cb = {0};
    char *err = NULL;
    assert_int_equal(lxm_extract(ex, "a.txt", txt, strlen(txt), a, &ca, &err), 0);
    assert_int_equal(lxm_extract(ex, "a.html", html, strlen(html), b, &cb, &err), 0);
    assert_string_equal(ca.data, cb.data);
    assert_string_equal(a->id, b->id);
    lxm_record_destroy(&a);
    lxm_record_destroy(&b);
    lxm_buf_free(&ca);
    lxm_buf_free(&cb);
}

static void test_not_a_report(void **state)
{
    lxm_extractor_t *ex = *state;
    const char *junk = "Lorem ipsum dolor sit amet, consectetur adipiscing elit.\n"
                       "今天天气很好，我们一起去公园散步，看到了很多花。\n";
    lxm_record_t *rec = lxm_record_new();
    lxm_buf_t cleaned = {0};
    char *err = NULL;
    assert_int_equal(lxm_extract(ex, "junk.txt", junk, strlen(junk), rec, &cleaned, &err), -1);
    assert_non_null(err);
    assert_true(strncmp(err, "not a report", 12) == 0);
    free(err);
    err = NULL;
    /* pages about the reports, not reports: a notice and a news item */
    const char *notice = "关于做好2023年度法治政府建设年度报告工作的通知\n\n各乡镇人民政府：\n"
                         "现就做好年度报告工作通知如下。请各单位按时将报告报送县司法局。\n"
                         "某县人民政府办公室\n2024年1月3日\n";
    const char *news = "某市召开法治政府建设推进会\n\n近日，某市召开法治政府建设推进会，部署"
                       "下阶段重点任务，要求扎实推进依法行政。\n\n责任编辑：综合科\n";
    const char *pages[] = {notice, news};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(lxm_extract(ex, "page.txt", pages[i], strlen(pages[i]), rec, &cleaned,
                                     &err),
                         -1);
        assert_true(strncmp(err, "not a report", 12) == 0);
        free(err);
        err = NULL;
    }
    /* a file with no sentence breaks is not prose (and would give every number a
     * clause as long as the file) */
    lxm_buf_t run = {0};
    lxm_buf_puts(&run, "某镇2023年法治政府建设年度报告\n");
    while (run.len < 20000)
        lxm_buf_puts(&run, "开展普法宣传活动12场次发放资料300份");
    assert_int_equal(lxm_extract(ex, "run.txt", run.data, run.len, rec, &cleaned, &err), -1);
    assert_true(strncmp(err, "not a report", 12) == 0);
    free(err);
    err = NULL;
    lxm_buf_free(&run);
    /* a short report without a title still is one when it says so */
    const char *untitled = "2024年，某镇坚持依法行政，现将有关情况报告如下：全年开展普法宣传10场次。\n";
    assert_int_equal(lxm_extract(ex, "r.txt", untitled, strlen(untitled), rec, &cleaned, &err), 0);
    assert_int_equal(rec->year, 2024);
    assert_int_equal(lxm_extract(ex, "empty.txt", "", 0, rec, &cleaned, &err), -1);
    assert_string_equal(err, "empty file");
    free(err);
    lxm_buf_free(&cleaned);
    lxm_record_destroy(&rec);
}

/* Random bytes, and random mixtures of report fragments and bytes: never a crash, always
 * a record or an error, offsets always inside the cleaned text. */
static void test_fuzz(void **state)
{
    lxm_extractor_t *ex = *state;
    static const char *const frags[] = {
        "一、", "（一）", "(二)", "1.", "二是", "报告", "2024年", "２０２５年", "法治政府建设",
        "同志为组长", "王立春", "发布机构：", "来源:", "日期:2025-01-03", "\n", "\n\n", "，",
        "。", "共排查矛盾纠纷563起", "化解率达99.11%", "<p>", "</div>", "&#x4E00;", "&amp",
        "<script>", "版权所有", "分享", "新桥镇", "\xE4\xB8", "\xFF\xFE", "百分之", "1.8万余人次",
    };
    const size_t nfrags = sizeof frags / sizeof frags[0];
    srand(12345);
    lxm_record_t *rec = lxm_record_new();
    lxm_buf_t cleaned = {0}, in = {0};
    int ok = 0, failed = 0;
    for (int round = 0; round < 1000; round++) {
        lxm_buf_clear(&in);
        size_t n = (size_t)(rand() % 2000);
        bool mixed = round % 2 == 1;
        while (in.len < n) {
            if (mixed && rand() % 3) {
                lxm_buf_puts(&in, frags[rand() % nfrags]);
            } else {
                char c = (char)(rand() % 256);
                lxm_buf_append(&in, &c, 1);
            }
        }
        char *err = NULL;
        int rc = lxm_extract(ex, "fuzz", in.data ? in.data : "", in.len, rec, &cleaned, &err);
        if (rc == 0) {
            ok++;
            assert_null(err);
            assert_non_null(rec->id);
            for (size_t i = 0; i < rec->n_sections; i++)
                assert_true(rec->sections[i].end <= cleaned.len);
            for (size_t i = 0; i < rec->n_facts; i++)
                assert_true(rec->facts[i].start <= cleaned.len);
        } else {
            assert_int_equal(rc, -1);
            assert_non_null(err);
            failed++;
            free(err);
        }
    }
    /* both outcomes must occur, or the generator is not exercising the parser */
    assert_true(ok > 0);
    assert_true(failed > 0);
    lxm_buf_free(&in);
    lxm_buf_free(&cleaned);
    lxm_record_destroy(&rec);
}

int main(void)
{
    /* one group, so the runner's count covers every case */
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_title_single_line),
        cmocka_unit_test(test_title_split),
        cmocka_unit_test(test_title_absent_and_meta),
        cmocka_unit_test(test_year_rules),
        cmocka_unit_test(test_sections_kinds_offsets),
        cmocka_unit_test(test_sections_other_shapes),
        cmocka_unit_test(test_people),
        cmocka_unit_test(test_signature_date_warning),
        cmocka_unit_test(test_pipeline_record),
        cmocka_unit_test(test_same_text_same_id),
        cmocka_unit_test(test_not_a_report),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
