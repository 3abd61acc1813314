/* test_gen: the corpus generator is deterministic, lays files out as promised, and its
 * gold parses and says only what the documents say. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lxm_buf.h"
#include "lxm_gen.h"

/* ------------------------------------------------------------ helpers */

static char *s_tmpdir(void)
{
    char tmpl[] = "/tmp/lxm_test_gen.XXXXXX";
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static void s_rmtree(const char *path)
{
    DIR *dir = opendir(path);
    if (!dir) {
        unlink(path);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dir))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
        struct stat st;
        if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode))
            s_rmtree(sub);
        else
            unlink(sub);
    }
    closedir(dir);
    rmdir(path);
}

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    lxm_buf_t b = {0};
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        lxm_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    return lxm_buf_take(&b);
}

static void s_generate(const char *dir, uint64_t n, uint64_t seed)
{
    lxm_gen_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n = n;
    cfg.seed = seed;
    char *error = NULL;
    int rc = lxm_gen_write(&cfg, dir, &error);
    if (rc != 0)
        fprintf(stderr, "gen: %s\n", error ? error : "?");
    free(error);
    assert_int_equal(rc, 0);
}

/* Byte-compares every file of A with the same path under B; returns 1 when all equal. */
static int s_same_tree(const char *a, const char *b, uint64_t n)
{
    char pa[4096], pb[4096];
    snprintf(pa, sizeof pa, "%s/gold.jsonl", a);
    snprintf(pb, sizeof pb, "%s/gold.jsonl", b);
    size_t la = 0, lb = 0;
    char *x = s_slurp(pa, &la), *y = s_slurp(pb, &lb);
    int same = x && y && la == lb && memcmp(x, y, la) == 0;
    free(x);
    free(y);
    for (uint64_t i = 0; same && i < n; i++) {
        static const char *const exts[] = {"txt", "html", "bin"};
        for (int e = 0; e < 3; e++) {
            snprintf(pa, sizeof pa, "%s/%04llu/%07llu.%s", a, (unsigned long long)(i / 1000),
                     (unsigned long long)i, exts[e]);
            snprintf(pb, sizeof pb, "%s/%04llu/%07llu.%s", b, (unsigned long long)(i / 1000),
                     (unsigned long long)i, exts[e]);
            x = s_slurp(pa, &la);
            y = s_slurp(pb, &lb);
            if (x || y)
                same = same && x && y && la == lb && memcmp(x, y, la) == 0;
            free(x);
            free(y);
        }
    }
    return same;
}

/* --------------------------------------------------- a small JSON reader */

typedef struct {
    const char *p, *end;
    bool ok;
} json_t;

static void s_ws(json_t *j)
{
    while (j->p < j->end && (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r'))
        j->p++;
}

static bool s_value(json_t *j, int depth);

/* Reads a JSON string into OUT (decoded; \uXXXX for the BMP), or skips it if OUT is NULL. */
static bool s_string(json_t *j, lxm_buf_t *out)
{
    if (j->p >= j->end || *j->p != '"')
        return false;
    j->p++;
    while (j->p < j->end && *j->p != '"') {
        unsigned char c = (unsigned char)*j->p;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            j->p++;
            if (j->p >= j->end)
                return false;
            char e = *j->p++;
            const char *map = strchr("\"\\/bfnrt", e);
            if (!map && e != 'u')
                return false;
            if (e == 'u') {
                if (j->end - j->p < 4)
                    return false;
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    char h = j->p[i];
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                           : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                           : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 99);
                    if (v > 0xFFFF)
                        return false;
                }
                j->p += 4;
                if (out) {
                    char u[4];
                    if (v < 0x80) {
                        u[0] = (char)v;
                        lxm_buf_append(out, u, 1);
                    } else if (v < 0x800) {
                        u[0] = (char)(0xC0 | (v >> 6));
                        u[1] = (char)(0x80 | (v & 0x3F));
                        lxm_buf_append(out, u, 2);
                    } else {
                        u[0] = (char)(0xE0 | (v >> 12));
                        u[1] = (char)(0x80 | ((v >> 6) & 0x3F));
                        u[2] = (char)(0x80 | (v & 0x3F));
                        lxm_buf_append(out, u, 3);
                    }
                }
            } else if (out) {
                static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
                lxm_buf_putc(out, to[strchr(from, e) - from]);
            }
            continue;
        }
        if (out)
            lxm_buf_putc(out, (char)c);
        j->p++;
    }
    if (j->p >= j->end)
        return false;
    j->p++;
    return true;
}

static bool s_number(json_t *j)
{
    const char *s = j->p;
    if (j->p < j->end && *j->p == '-')
        j->p++;
    while (j->p < j->end && ((*j->p >= '0' && *j->p <= '9') || *j->p == '.' || *j->p == 'e' ||
                             *j->p == 'E' || *j->p == '+' || *j->p == '-'))
        j->p++;
    return j->p > s;
}

static bool s_value(json_t *j, int depth)
{
    if (depth > 16)
        return false;
    s_ws(j);
    if (j->p >= j->end)
        return false;
    char c = *j->p;
    if (c == '"')
        return s_string(j, NULL);
    if (c == '{' || c == '[') {
        char close = c == '{' ? '}' : ']';
        j->p++;
        s_ws(j);
        if (j->p < j->end && *j->p == close) {
            j->p++;
            return true;
        }
        for (;;) {
            s_ws(j);
            if (c == '{') {
                if (!s_string(j, NULL))
                    return false;
                s_ws(j);
                if (j->p >= j->end || *j->p != ':')
                    return false;
                j->p++;
            }
            if (!s_value(j, depth + 1))
                return false;
            s_ws(j);
            if (j->p < j->end && *j->p == ',') {
                j->p++;
                continue;
            }
            if (j->p < j->end && *j->p == close) {
                j->p++;
                return true;
            }
            return false;
        }
    }
    if (!strncmp(j->p, "true", 4) && j->end - j->p >= 4) {
        j->p += 4;
        return true;
    }
    if (!strncmp(j->p, "false", 5) && j->end - j->p >= 5) {
        j->p += 5;
        return true;
    }
    if (!strncmp(j->p, "null", 4) && j->end - j->p >= 4) {
        j->p += 4;
        return true;
    }
    return s_number(j);
}

/* The text of an HTML page as a reader sees it: tags dropped, the entities the
 * generator writes decoded. Returns a malloc'ed string. */
static char *s_html_text(const char *doc, size_t len, size_t *out_len)
{
    static const char *const ent[][2] = {{"&ldquo;", "“"}, {"&rdquo;", "”"},
                                         {"&nbsp;", " "}, {"&gt;", ">"}, {"&lt;", "<"},
                                         {"&amp;", "&"}};
    lxm_buf_t b = {0};
    for (size_t i = 0; i < len;) {
        if (doc[i] == '<') {
            const char *gt = memchr(doc + i, '>', len - i);
            i = gt ? (size_t)(gt - doc) + 1 : len;
            continue;
        }
        bool done = false;
        for (size_t e = 0; e < sizeof ent / sizeof ent[0] && !done; e++) {
            size_t el = strlen(ent[e][0]);
            if (len - i >= el && memcmp(doc + i, ent[e][0], el) == 0) {
                lxm_buf_puts(&b, ent[e][1]);
                i += el;
                done = true;
            }
        }
        if (!done)
            lxm_buf_putc(&b, doc[i++]);
    }
    *out_len = b.len;
    return lxm_buf_take(&b);
}

/* The string value that follows the first occurrence of KEY ("\"file\": ") in LINE. */
static bool s_field(const char *line, const char *end, const char *key, lxm_buf_t *out)
{
    const char *k = memmem(line, (size_t)(end - line), key, strlen(key));
    if (!k)
        return false;
    json_t j = {k + strlen(key), end, true};
    lxm_buf_clear(out);
    return s_string(&j, out);
}

/* -------------------------------------------------------------- tests */

static void test_deterministic(void **state)
{
    (void)state;
    char *a = s_tmpdir(), *b = s_tmpdir(), *c = s_tmpdir();
    s_generate(a, 400, 42);
    s_generate(b, 400, 42);
    s_generate(c, 400, 43);
    assert_true(s_same_tree(a, b, 400));
    assert_false(s_same_tree(a, c, 400));
    s_rmtree(a);
    s_rmtree(b);
    s_rmtree(c);
    free(a);
    free(b);
    free(c);
}

/* A document depends on the seed and its index only, not on N: a larger corpus starts
 * with the smaller one. */
static void test_prefix_stable(void **state)
{
    (void)state;
    char *a = s_tmpdir(), *b = s_tmpdir();
    s_generate(a, 60, 8);
    s_generate(b, 130, 8);
    for (int i = 0; i < 60; i++) {
        static const char *const exts[] = {"txt", "html", "bin"};
        for (int e = 0; e < 3; e++) {
            char pa[4096], pb[4096];
            snprintf(pa, sizeof pa, "%s/0000/%07d.%s", a, i, exts[e]);
            snprintf(pb, sizeof pb, "%s/0000/%07d.%s", b, i, exts[e]);
            size_t la = 0, lb = 0;
            char *x = s_slurp(pa, &la), *y = s_slurp(pb, &lb);
            assert_true((x == NULL) == (y == NULL));
            if (x)
                assert_true(la == lb && memcmp(x, y, la) == 0);
            free(x);
            free(y);
        }
    }
    s_rmtree(a);
    s_rmtree(b);
    free(a);
    free(b);
}

static void test_layout(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    s_generate(dir, 2500, 3);
    size_t total = 0, folders = 0;
    DIR *top = opendir(dir);
    assert_non_null(top);
    struct dirent *e;
    while ((e = readdir(top))) {
        if (e->d_name[0] == '.' || !strcmp(e->d_name, "gold.jsonl"))
            continue;
        /* only four-digit folders besides gold.jsonl */
        assert_int_equal(strlen(e->d_name), 4);
        char sub[4096];
        snprintf(sub, sizeof sub, "%s/%s", dir, e->d_name);
        DIR *d = opendir(sub);
        assert_non_null(d);
        size_t n = 0;
        struct dirent *f;
        while ((f = readdir(d)))
            n += f->d_name[0] != '.';
        closedir(d);
        assert_true(n <= 1000);
        total += n;
        folders++;
    }
    closedir(top);
    assert_int_equal(total, 2500);
    assert_int_equal(folders, 3);
    s_rmtree(dir);
    free(dir);
}

static void test_gold(void **state)
{
    (void)state;
    char *dir = s_tmpdir();
    const uint64_t n = 1000;
    s_generate(dir, n, 11);
    char path[4096];
    snprintf(path, sizeof path, "%s/gold.jsonl", dir);
    size_t len = 0;
    char *gold = s_slurp(path, &len);
    assert_non_null(gold);
    static const char *const kinds[] = {"text", "chrome", "html", "gb18030",
                                        "notice", "news", "binary", "empty"};
    size_t seen[8] = {0}, lines = 0, facts = 0, checked = 0, reports = 0, ambiguous = 0;
    lxm_buf_t file = {0}, cont = {0}, text = {0};
    for (char *line = gold; line < gold + len;) {
        char *nl = memchr(line, '\n', (size_t)(gold + len - line));
        assert_non_null(nl);
        json_t j = {line, nl, true};
        assert_true(s_value(&j, 0));
        s_ws(&j);
        assert_true(j.p == nl); /* one whole object per line */
        assert_true(line[0] == '{');
        assert_true(s_field(line, nl, "\"file\": ", &file));
        assert_true(s_field(line, nl, "\"container\": ", &cont));
        int k = -1;
        for (int i = 0; i < 8; i++)
            if (!strcmp(cont.data, kinds[i]))
                k = i;
        assert_true(k >= 0);
        seen[k]++;
        bool report = memmem(line, (size_t)(nl - line), "\"kind\": \"report\"", 16) != NULL;
        reports += report;
        if (report) {
            assert_non_null(memmem(line, (size_t)(nl - line), "\"unit\": {\"name\": \"", 18));
            assert_non_null(memmem(line, (size_t)(nl - line), "\"sections\": [\"", 14));
            if (memmem(line, (size_t)(nl - line), "\"accept_null\"", 13)) {
                ambiguous++;
                assert_non_null(memmem(line, (size_t)(nl - line), "\"code\": null", 12));
            }
        }
        char fpath[4096];
        snprintf(fpath, sizeof fpath, "%s/%s", dir, file.data);
        size_t dlen = 0;
        char *doc = s_slurp(fpath, &dlen);
        assert_non_null(doc);
        if (k == 2) { /* HTML: compare with what a reader sees */
            size_t tl = 0;
            char *t = s_html_text(doc, dlen, &tl);
            free(doc);
            doc = t;
            dlen = tl;
        }
        /* every fact's clause occurs verbatim in a UTF-8 document */
        const char *p = line;
        const char *key = "{\"text\": ";
        while ((p = memmem(p, (size_t)(nl - p), key, strlen(key)))) {
            json_t t = {p + strlen(key), nl, true};
            lxm_buf_clear(&text);
            assert_true(s_string(&t, &text));
            assert_true(text.len > 0);
            facts++;
            if (k != 3) {
                if (!memmem(doc, dlen, text.data, text.len))
                    fail_msg("%s: fact text not in the document: %s", file.data, text.data);
                checked++;
            }
            p = t.p;
        }
        /* the page chrome the gold names is in the page */
        const char *bp = memmem(line, (size_t)(nl - line), "\"boilerplate\": [", 16);
        if (bp && k != 3) {
            json_t bj = {bp + 16, nl, true};
            for (;;) {
                s_ws(&bj);
                lxm_buf_clear(&text);
                if (!s_string(&bj, &text))
                    break;
                if (!memmem(doc, dlen, text.data, text.len))
                    fail_msg("%s: boilerplate not in the page: %s", file.data, text.data);
                s_ws(&bj);
                if (bj.p < bj.end && *bj.p == ',')
                    bj.p++;
            }
        }
        free(doc);
        lines++;
        line = nl + 1;
    }
    assert_int_equal(lines, n);
    for (int i = 0; i < 8; i++)
        if (!seen[i])
            fail_msg("no %s document in %llu", kinds[i], (unsigned long long)n);
    assert_true(facts > 5 * reports);
    assert_true(checked > 0);
    assert_true(ambiguous > 0);
    /* the mix is roughly what was asked */
    assert_true(seen[2] > n / 10 && seen[2] < n * 3 / 10);
    assert_true(seen[3] > n / 20 && seen[3] < n * 2 / 10);
    lxm_buf_free(&file);
    lxm_buf_free(&cont);
    lxm_buf_free(&text);
    free(gold);
    s_rmtree(dir);
    free(dir);
}

static void test_bad_config(void **state)
{
    (void)state;
    lxm_gen_config_t cfg;
    memset(&cfg, 0, sizeof cfg);
    cfg.n = 1;
    char *error = NULL;
    assert_int_equal(lxm_gen_write(&cfg, "/proc/lexmill-cannot-create-this", &error), -1);
    assert_non_null(error);
    free(error);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deterministic),
        cmocka_unit_test(test_prefix_stable),
        cmocka_unit_test(test_layout),
        cmocka_unit_test(test_gold),
        cmocka_unit_test(test_bad_config),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
