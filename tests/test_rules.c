/* test_rules: the key-row prefilter of lxm_rules never changes a key. Every clause of the
 * seeds and of the real reports in tests/corpus, with each number in turn written '#',
 * is keyed for every unit with the prefilter on and off and the keys must agree; small
 * rules written for this test check the pattern reader on the constructs it must get
 * right (optional parts, alternatives with an empty branch, lookarounds, classes,
 * escapes, counted repeats) and that it stands aside on those it does not read. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_data.h"
#include "lxm_rules.h"

#define CORPUS "../shared/corpus"

static lxm_rules_t *s_load(const char *text)
{
    char *error = NULL;
    lxm_rules_t *rules = lxm_rules_load(text, strlen(text), &error);
    if (!rules)
        fprintf(stderr, "rules: %s\n", error ? error : "?");
    free(error);
    return rules;
}

/* Key of WINDOW for UNIT with the prefilter on, after checking it is the key without. */
static const char *s_key(lxm_rules_t *rules, pcre2_match_data *md, const char *window,
                         int unit, const char *prev)
{
    size_t len = strlen(window);
    lxm_rules_set_prefilter(rules, false);
    const char *plain = lxm_rules_key_after(rules, md, window, len, unit, prev);
    lxm_rules_set_prefilter(rules, true);
    const char *fast = lxm_rules_key_after(rules, md, window, len, unit, prev);
    if ((plain == NULL) != (fast == NULL) || (plain && strcmp(plain, fast) != 0))
        fail_msg("window \"%s\" unit %d: %s without the prefilter, %s with it", window,
                 unit, plain ? plain : "null", fast ? fast : "null");
    return fast;
}

static void test_reader(void **state)
{
    (void) state;
    lxm_rules_t *rules = s_load("t.opt    *  甲(?:乙)?丙\n"
                                "t.alt    *  (?:丁|戊戌)己\n"
                                "t.empty  *  (?:庚|)辛\n"
                                "t.look   *  (?<=壬)癸\n"
                                "t.case   *  (?i)abc\n"
                                "t.class  *  [子丑]寅\n"
                                "t.esc    *  \\x{5375}卯\n"
                                "t.rep    *  辰{0,2}巳\n"
                                "t.neg    *  午+未   申\n"
                                "t.after<t.opt  个  ^酉\n");
    assert_non_null(rules);
    pcre2_match_data *md = lxm_rules_match_data(rules);
    assert_non_null(md);
    /* (?i) is not read: that row runs every time; the other nine have sets */
    assert_int_equal(lxm_rules_prefiltered(rules), 9);
    int ge = lxm_unit_id("个");
    struct {
        const char *window, *key;
    } cases[] = {
        { "甲丙#", "t.opt" },  { "甲乙丙#", "t.opt" }, { "#乙丙", NULL },
        { "戊戌己", "t.alt" }, { "丁己", "t.alt" },     { "戌己", NULL },
        { "辛#", "t.empty" },  { "庚辛", "t.empty" },   { "壬癸", "t.look" },
        { "癸", NULL },        { "xABCx", "t.case" },   { "丑寅", "t.class" },
        { "寅", NULL },        { "卵卯", "t.esc" },     { "卯", NULL },
        { "巳", "t.rep" },     { "辰辰巳", "t.rep" },   { "午午未", "t.neg" },
        { "午未申", NULL },    { "未", NULL },          { "", NULL },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *key = s_key(rules, md, cases[i].window, ge, NULL);
        if (cases[i].key)
            assert_string_equal(key, cases[i].key);
        else
            assert_null(key);
    }
    assert_string_equal(s_key(rules, md, "酉#", ge, "t.opt"), "t.after");
    assert_null(s_key(rules, md, "酉#", ge, NULL));
    assert_null(s_key(rules, md, "酉#", lxm_unit_id("件"), "t.opt"));
    pcre2_match_data_free(md);
    lxm_rules_destroy(&rules);
}

/* Clause breaks: ， 。 ； ： ！ ？ and line ends. */
static size_t s_break(const char *s, size_t len, size_t i)
{
    if (s[i] == '\n' || s[i] == '\r')
        return 1;
    static const char *const marks[] = { "，", "。", "；", "：", "！", "？" };
    for (size_t k = 0; k < sizeof marks / sizeof marks[0]; k++)
        if (i + 3 <= len && memcmp(s + i, marks[k], 3) == 0)
            return 3;
    return 0;
}

/* Keys every window of the clause S (LEN bytes) every way; counts windows and keys. */
static void s_clause(lxm_rules_t *rules, pcre2_match_data *md, const char *s, size_t len,
                     size_t *windows, size_t *keyed)
{
    static const char *const prevs[] = { NULL, "enforcement.training_sessions",
                                         "study.sessions", "publicity.events" };
    char buf[1024];
    for (size_t i = 0; i < len && len < sizeof buf - 2; i++) {
        if (s[i] < '0' || s[i] > '9' || (i > 0 && s[i - 1] >= '0' && s[i - 1] <= '9'))
            continue;
        size_t j = i;
        while (j < len && ((s[j] >= '0' && s[j] <= '9') || s[j] == '.'))
            j++;
        /* the whole clause, and the stretch up to the quantity */
        for (int whole = 0; whole < 2; whole++) {
            size_t n = 0;
            memcpy(buf, s, i);
            n = i;
            buf[n++] = '#';
            if (whole) {
                memcpy(buf + n, s + j, len - j);
                n += len - j;
            }
            buf[n] = '\0';
            for (int unit = 0; unit < LXM_UNITS_N; unit++)
                for (size_t p = 0; p < sizeof prevs / sizeof prevs[0]; p++) {
                    (*windows)++;
                    *keyed += s_key(rules, md, buf, unit, prevs[p]) != NULL;
                }
        }
    }
}

static void test_corpus(void **state)
{
    (void) state;
    size_t len;
    const char *text = lxm_data_get("indicators.rules", &len);
    assert_non_null(text);
    lxm_rules_t *rules = s_load(text);
    assert_non_null(rules);
    /* most rows are plain words and alternatives of words: nearly all have sets */
    assert_true(lxm_rules_prefiltered(rules) * 10 >= lxm_rules_count(rules, NULL) * 9);
    pcre2_match_data *md = lxm_rules_match_data(rules);
    glob_t g;
    memset(&g, 0, sizeof g);
    glob(CORPUS "/seeds/*.txt", 0, NULL, &g);
    glob("tests/corpus/real/*.txt", GLOB_APPEND, NULL, &g);
    size_t files = 0, windows = 0, keyed = 0;
    for (size_t f = 0; f < g.gl_pathc; f++) {
        FILE *fp = fopen(g.gl_pathv[f], "rb");
        if (!fp)
            continue;
        char *doc = NULL;
        size_t cap = 0;
        ssize_t n = getdelim(&doc, &cap, '\0', fp);
        fclose(fp);
        if (n > 0) {
            files++;
            size_t start = 0;
            for (size_t i = 0; i < (size_t) n;) {
                size_t b = s_break(doc, (size_t) n, i);
                if (!b) {
                    i++;
                    continue;
                }
                s_clause(rules, md, doc + start, i - start, &windows, &keyed);
                i += b;
                start = i;
            }
            s_clause(rules, md, doc + start, (size_t) n - start, &windows, &keyed);
        }
        free(doc);
    }
    globfree(&g);
    fprintf(stderr, "test_rules: %zu files, %zu windows, %zu keyed, same keys both ways\n",
            files, windows, keyed);
    if (files == 0)
        skip();
    assert_true(keyed > 100);
    pcre2_match_data_free(md);
    lxm_rules_destroy(&rules);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
