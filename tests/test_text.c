/* test_text: decoding, HTML, folding and chrome removal of lxm_text_prepare. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_text.h"

static int s_prep(const char *bytes, size_t len, lxm_doc_t *doc, char **err)
{
    *err = NULL;
    return lxm_text_prepare(bytes, len, doc, err);
}

static bool s_has_warning(const lxm_doc_t *doc, const char *part)
{
    for (size_t i = 0; i < doc->n_warnings; i++)
        if (strstr(doc->warnings[i], part))
            return true;
    return false;
}

static void test_utf8_bom(void **state)
{
    (void)state;
    const char in[] = "\xEF\xBB\xBF新桥镇2024年法治政府建设年度报告\n今年以来，新桥镇依法行政。";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.encoding, "utf-8");
    assert_int_equal(doc.input_bytes, sizeof in - 1);
    assert_string_equal(doc.text.data,
                        "新桥镇2024年法治政府建设年度报告\n今年以来，新桥镇依法行政。");
    assert_int_equal(doc.n_warnings, 0);
    lxm_doc_reset(&doc);
}

/* Converts UTF-8 to GBK with iconv, as a crawler would receive it. */
static char *s_to_gbk(const char *utf8, size_t *out_len)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    size_t in_left = strlen(utf8), cap = in_left * 2 + 16, out_left = cap;
    char *out = malloc(cap), *dst = out, *src = (char *)utf8;
    assert_true(iconv(cd, &src, &in_left, &dst, &out_left) != (size_t)-1);
    iconv_close(cd);
    *out_len = cap - out_left;
    return out;
}

static void test_gb18030(void **state)
{
    (void)state;
    const char *utf8 = "瓦房镇２０２４年度法治政府建设工作报告\r\n全年共举办培训班４期，悬挂横幅18条。";
    size_t n;
    char *gbk = s_to_gbk(utf8, &n);
    /* the bytes are not UTF-8 */
    assert_true(n < strlen(utf8));
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(gbk, n, &doc, &err), 0);
    assert_string_equal(doc.encoding, "gb18030");
    /* full-width digits folded, CRLF normalised, punctuation kept */
    assert_string_equal(doc.text.data,
                        "瓦房镇2024年度法治政府建设工作报告\n全年共举办培训班4期，悬挂横幅18条。");
    lxm_doc_reset(&doc);
    free(gbk);
}

static void test_html(void **state)
{
    (void)state;
    const char in[] =
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
        "<title>某某报告_台山政府网</title>"
        "<meta name=\"ArticleTitle\" content=\"广海镇2021年度法治政府建设工作情况报告\">"
        "<meta name=\"PubDate\" content=\"2021-11-29 16:21\">"
        "<meta name=\"ContentSource\" content=\"台山市人民政府\">"
        "<script>var s = \"<p>脚本里的报告</p>\";</script><style>p { color: red }</style>"
        "</head><body><div class=\"nav\">首页 &gt; 政务公开</div>"
        "<h1>广海镇2021年度法治政府建设工作情况报告</h1>"
        "<p>一、加强&nbsp;领导&amp;监督，共开展活动&#49;&#x30;场&lt;含线上&gt;。</p>"
        "<!-- a comment with 报告 -->"
        "<p>第二段<br>第三行<span>连着</span>写</p>"
        "<table><tr><td>索引号：123</td><td>发布机构：台山政府网</td></tr></table>"
        "</body></html>";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_true(doc.is_html);
    assert_string_equal(doc.meta_title, "广海镇2021年度法治政府建设工作情况报告");
    assert_string_equal(doc.published, "2021-11-29");
    /* a 发布机构 line on the page beats the <meta> source */
    assert_string_equal(doc.issuer, "台山政府网");
    const char *t = doc.text.data;
    assert_null(strstr(t, "脚本"));
    assert_null(strstr(t, "color"));
    assert_null(strstr(t, "comment"));
    assert_null(strstr(t, "首页"));
    assert_null(strstr(t, "索引号"));
    assert_null(strstr(t, "<p"));
    assert_null(strstr(t, "<div"));
    assert_non_null(strstr(t, "一、加强 领导&监督，共开展活动10场<含线上>。"));
    assert_non_null(strstr(t, "第二段\n第三行连着写"));
    assert_true(strncmp(t, "广海镇2021年度", strlen("广海镇2021年度")) == 0);
    assert_true(doc.boilerplate_bytes > 200);
    lxm_doc_reset(&doc);
}

static void test_fullwidth_and_lines(void **state)
{
    (void)state;
    const char in[] = "\r\n\xE3\x80\x80\xE3\x80\x80２０２４年ＡＢｃ　测试，（一）保持。  \r\n"
                      "\t\n\n\n   第二段：１２３人次\xC2\xA0\n";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.text.data, "2024年ABc 测试，（一）保持。\n第二段：123人次");
    lxm_doc_reset(&doc);
}

static void test_chrome_removed_and_counted(void **state)
{
    (void)state;
    const char *banner = "您访问的链接即将离开“广海镇人民政府”门户网站 是否继续?";
    const char *buttons = "继续访问放弃";
    const char *crumb = "您现在的位置 :";
    const char *meta = "发布机构: 台山政府网 生成日期: 2021-11-29 16:21:08";
    const char *title = "广海镇2021年度法治政府建设工作情况报告";
    const char *body =
        "2021年，广海镇在台山市委、市政府的领导和支持下，认真贯彻落实各级有关依法治镇精神，"
        "着力抓好关键少数的牵头作用，健全完善依法治镇各项制度机制，全面推进依法治理，"
        "来源于群众的意见都得到了回应。";
    const char *body2 = "一、加强组织领导。今年广海镇共开展大型普法宣传教育活动10场。";
    const char *qr = "扫一扫在手机打开当前页";
    const char *share = "【打印】 【关闭】";
    const char *footer1 = "版权声明:";
    const char *footer2 = "凡本网注明的稿件版权均属本网所有，转载须注明来源。";
    const char *footer3 = "联系方式:0750-5524538邮件:ts686@126.com";
    lxm_buf_t in = {0};
    const char *parts[] = {banner, buttons, crumb, meta, title, body, body2,
                           qr, share, footer1, footer2, footer3};
    size_t chrome = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        lxm_buf_puts(&in, parts[i]);
        lxm_buf_puts(&in, "\n\n");
        if (parts[i] != title && parts[i] != body && parts[i] != body2)
            chrome += strlen(parts[i]);
    }
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in.data, in.len, &doc, &err), 0);
    lxm_buf_t want = {0};
    lxm_buf_printf(&want, "%s\n%s\n%s", title, body, body2);
    assert_string_equal(doc.text.data, want.data);
    assert_true(doc.boilerplate_bytes >= chrome);
    assert_true(doc.boilerplate_bytes <= chrome + 16);
    assert_string_equal(doc.issuer, "台山政府网");
    assert_string_equal(doc.published, "2021-11-29");
    lxm_buf_free(&in);
    lxm_buf_free(&want);
    lxm_doc_reset(&doc);
}

static void test_source_line_and_traditional(void **state)
{
    (void)state;
    const char in[] = "尼山镇人民政府\n关于2024年度法治政府建设的情况报告\n\n"
                      "來源:曲阜市尼山镇 瀏覽: 日期:2025-01-03 11:16\n"
                      "發佈日期：2024年12月6日\n\n"
                      "2024年，尼山镇深入贯彻落实习近平法治思想，推动法治政府建设规范化、制度化，"
                      "推动传统文化浸润法治乡村建设，现将尼山镇2024年度法治政府建设情况报告如下：\n"
                      "分享\n打印 关闭\n";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.issuer, "曲阜市尼山镇");
    /* 发布日期 ranks above 日期 */
    assert_string_equal(doc.published, "2024-12-06");
    assert_null(strstr(doc.text.data, "來源"));
    assert_null(strstr(doc.text.data, "分享"));
    assert_null(strstr(doc.text.data, "打印"));
    assert_non_null(strstr(doc.text.data, "情况报告如下："));
    lxm_doc_reset(&doc);
}

static void test_empty_and_binary(void **state)
{
    (void)state;
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep("", 0, &doc, &err), -1);
    assert_string_equal(err, "empty file");
    free(err);
    assert_int_equal(s_prep(" \n\r\n\t ", 6, &doc, &err), -1);
    assert_string_equal(err, "empty file");
    free(err);
    const char bin[] = "PK\x03\x04\x00\x00\x08\x00报告\x00\x01\x02";
    assert_int_equal(s_prep(bin, sizeof bin - 1, &doc, &err), -1);
    assert_non_null(strstr(err, "binary"));
    free(err);
    unsigned char ctl[256];
    for (size_t i = 0; i < sizeof ctl; i++)
        ctl[i] = (unsigned char)(1 + i % 8);
    assert_int_equal(s_prep((const char *)ctl, sizeof ctl, &doc, &err), -1);
    assert_non_null(strstr(err, "binary"));
    free(err);
    lxm_doc_reset(&doc);
}

static void test_truncated_utf8(void **state)
{
    (void)state;
    /* a crawl cut in the middle of the last character */
    const char in[] = "新桥镇2024年法治政府建设年度报告\n今年以来，新桥镇坚持依法行政，开展学法4次\xE4\xB8";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.encoding, "utf-8");
    assert_true(s_has_warning(&doc, "UTF-8"));
    const char *t = doc.text.data;
    size_t n = doc.text.len;
    assert_true(n >= 3 && memcmp(t + n - 3, "\xEF\xBF\xBD", 3) == 0);
    assert_non_null(strstr(t, "开展学法4次"));
    lxm_doc_reset(&doc);
}

static void test_body_kept_verbatim(void **state)
{
    (void)state;
    /* cue words inside the body's middle must not cut it */
    lxm_buf_t in = {0};
    lxm_buf_puts(&in, "某县2023年法治政府建设年度报告\n");
    for (int i = 0; i < 6; i++)
        lxm_buf_puts(&in, "全面推进依法行政，加强行政执法监督，规范行政执法行为，提高执法水平，"
                          "确保各项工作落到实处，取得明显成效。\n");
    lxm_buf_puts(&in, "分享\n");                         /* a short line mid-body */
    lxm_buf_puts(&in, "来源：群众来信，日期：不详。\n"); /* mid-body, not page metadata */
    for (int i = 0; i < 6; i++)
        lxm_buf_puts(&in, "持续深化法治宣传教育，组织开展普法活动，营造良好法治氛围，"
                          "推动形成办事依法的良好环境。\n");
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in.data, in.len, &doc, &err), 0);
    assert_non_null(strstr(doc.text.data, "\n分享\n"));
    assert_non_null(strstr(doc.text.data, "来源：群众来信"));
    assert_int_equal(doc.boilerplate_bytes, 0);
    lxm_buf_free(&in);
    lxm_doc_reset(&doc);
}

static void test_html_wrapping_and_nav(void **state)
{
    (void)state;
    const char in[] = "<html><body><div>首页 | 政务公开 | 无障碍</div>\n"
                      "<p>全面推进法治政\n      府建设，开展 law\n  day 活动。</p></body></html>";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    /* source line wrapping inside Chinese text vanishes; between Latin words it is a
     * space; the navigation row is gone */
    assert_string_equal(doc.text.data, "全面推进法治政府建设，开展 law day 活动。");
    lxm_doc_reset(&doc);
}

static void test_utf16(void **state)
{
    (void)state;
    /* "报告2024" as UTF-16LE with its byte-order mark */
    const char in[] = "\xFF\xFE\xA5\x62\x4A\x54\x32\x00\x30\x00\x32\x00\x34\x00";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.text.data, "报告2024");
    assert_string_equal(doc.encoding, "utf-16");
    lxm_doc_reset(&doc);
}

static void test_bracketed_and_bare_date_meta(void **state)
{
    (void)state;
    const char in[] = "某县司法局2023年度法治政府建设工作报告\n"
                      "【发布时间：2024-01-15 09:30】【字体：大 中 小】\n"
                      "2024-01-16 来源：某县司法局\n"
                      "2023年，县司法局在县委、县政府的坚强领导下，深入学习贯彻习近平法治思想，"
                      "全面推进依法行政，现将有关情况报告如下。\n";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.published, "2024-01-15");
    assert_string_equal(doc.issuer, "某县司法局");
    assert_null(strstr(doc.text.data, "发布时间"));
    assert_null(strstr(doc.text.data, "2024-01-16"));
    lxm_doc_reset(&doc);
}

static void test_html_furniture_elements(void **state)
{
    (void)state;
    /* navigation and share blocks go by their markup, whatever their words */
    const char in[] = "<html><body><nav><ul><li>机构设置</li><li>工作计划</li></ul></nav>"
                      "<div class=\"top-menu\"><div>政务公开</div><div>办事服务</div></div>"
                      "<div id=\"content\"><p>某镇2023年法治政府建设年度报告</p>"
                      "<p>全年开展普法宣传活动12场次。</p></div>"
                      "<div class=\"bdsharebuttonbox\"><a>微信</a><a>微博</a></div>"
                      "<div class=\"menu\">never closed"
                      "<p>落款：某镇人民政府</p></body></html>";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_null(strstr(doc.text.data, "机构设置"));
    assert_null(strstr(doc.text.data, "办事服务"));
    assert_null(strstr(doc.text.data, "微博"));
    assert_non_null(strstr(doc.text.data, "某镇2023年法治政府建设年度报告\n全年开展普法宣传活动12场次。"));
    /* an element that never closes is not skipped */
    assert_non_null(strstr(doc.text.data, "落款：某镇人民政府"));
    lxm_doc_reset(&doc);
}

static void test_disclosure_table_title(void **state)
{
    (void)state;
    const char in[] = "索引号：11510000/2024-00012 信息分类：法治政府建设\n"
                      "名称：某县2023年法治政府建设年度报告\n"
                      "发布机构：某县人民政府办公室 生成日期：2024-02-01\n"
                      "2023年，某县坚持依法行政，全面推进法治政府建设，现将有关情况报告如下。"
                      "全年开展普法宣传活动12场次，覆盖群众3000余人次。\n";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_string_equal(doc.meta_title, "某县2023年法治政府建设年度报告");
    assert_string_equal(doc.issuer, "某县人民政府办公室");
    assert_string_equal(doc.published, "2024-02-01");
    assert_null(strstr(doc.text.data, "名称"));
    lxm_doc_reset(&doc);
}

static void test_site_header_chrome(void **state)
{
    (void)state;
    const char in[] = "今天是:2019年10月31日 星期三 农历十月初七\n"
                      "您所在的位置:政务公开 > 工作报告\n"
                      "政务公开 > 法治政府 > 正文\n"
                      "2020年静海区法治政府建设情况报告\n"
                      "文章来源:司法局 更新时间:2021/03/29 11:30:01\n"
                      "2020年，静海区坚持以习近平新时代中国特色社会主义思想为指导，依法全面履行"
                      "政府职能，为全区经济社会发展创造良好法治环境。\n"
                      "扫码使用手机浏览本页内容\n打印整页 打印内容 分享\n";
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in, sizeof in - 1, &doc, &err), 0);
    assert_true(strncmp(doc.text.data, "2020年静海区法治政府建设情况报告\n2020年，",
                        strlen("2020年静海区法治政府建设情况报告\n2020年，")) == 0);
    assert_null(strstr(doc.text.data, "扫码"));
    assert_null(strstr(doc.text.data, "打印"));
    assert_string_equal(doc.issuer, "司法局");
    assert_string_equal(doc.published, "2021-03-29");
    lxm_doc_reset(&doc);

    /* a bare date line above the text is the page date when nothing else names one */
    const char in2[] = "政府信息公开\n2023-12-20\n某区2023年法治政府建设情况报告\n"
                       "2023年，某区坚持以习近平新时代中国特色社会主义思想为指导，依法全面履行"
                       "政府职能，为全区经济社会发展创造良好法治环境。\n";
    assert_int_equal(s_prep(in2, sizeof in2 - 1, &doc, &err), 0);
    assert_string_equal(doc.published, "2023-12-20");
    assert_null(strstr(doc.text.data, "2023-12-20"));
    lxm_doc_reset(&doc);
}

static void test_bracket_and_bullet_fields(void **state)
{
    (void)state;
    const char *body = "2025年，乡党委、政府深入学习贯彻习近平法治思想，扎实推进法治政府建设各项工作，"
                       "为全乡经济社会高质量发展提供了坚实法治保障。\n";
    lxm_buf_t in = {0};
    lxm_buf_puts(&in, "[ 索引号 ] 11500230008689762A/2026-00004 [ 发文字号 ]\n"
                      "[ 发布机构 ] 丰都县栗子乡人民政府 [ 有效性 ]\n"
                      "[ 成文日期 ] 2026-01-22 [ 发布日期 ] 2026-02-10\n"
                      "丰都县栗子乡人民政府2025年法治政府建设情况报告\n");
    lxm_buf_puts(&in, body);
    lxm_doc_t doc = {0};
    char *err;
    assert_int_equal(s_prep(in.data, in.len, &doc, &err), 0);
    assert_string_equal(doc.issuer, "丰都县栗子乡人民政府");
    assert_string_equal(doc.published, "2026-02-10");
    assert_null(strstr(doc.text.data, "索引号"));
    lxm_doc_reset(&doc);

    /* a bulleted list, each value on the line after its label */
    lxm_buf_clear(&in);
    lxm_buf_puts(&in, "某县司法局2023年法治政府建设年度报告\n  • 来源:\n  • 发文机构:\n\n"
                      "    某县司法局\n  • 发布日期:\n    2024年04月08日 16:34\n");
    lxm_buf_puts(&in, body);
    assert_int_equal(s_prep(in.data, in.len, &doc, &err), 0);
    assert_string_equal(doc.issuer, "某县司法局");
    assert_string_equal(doc.published, "2024-04-08");
    assert_true(strncmp(doc.text.data, "某县司法局2023年法治政府建设年度报告\n2025年，",
                        strlen("某县司法局2023年法治政府建设年度报告\n2025年，")) == 0);
    lxm_doc_reset(&doc);
    lxm_buf_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_bom),
        cmocka_unit_test(test_gb18030),
        cmocka_unit_test(test_html),
        cmocka_unit_test(test_fullwidth_and_lines),
        cmocka_unit_test(test_chrome_removed_and_counted),
        cmocka_unit_test(test_source_line_and_traditional),
        cmocka_unit_test(test_empty_and_binary),
        cmocka_unit_test(test_truncated_utf8),
        cmocka_unit_test(test_body_kept_verbatim),
        cmocka_unit_test(test_html_wrapping_and_nav),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_bracketed_and_bare_date_meta),
        cmocka_unit_test(test_html_furniture_elements),
        cmocka_unit_test(test_disclosure_table_title),
        cmocka_unit_test(test_site_header_chrome),
        cmocka_unit_test(test_bracket_and_bullet_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
