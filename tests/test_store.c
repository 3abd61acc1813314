/* test_store: the LMDB store (lxm_store) on its own: puts and gets, idempotence, index
 * scans with paging, export order, refusal of invalid records, map growth, crash
 * safety (a writer killed with SIGKILL mid-batch) and readers beside a writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lxm_msg.h"
#include "lxm_record.h"
#include "lxm_store.h"

/* ---- fixtures ------------------------------------------------------------------ */

typedef struct {
    char dir[64];        /* scratch store directory */
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/lxm-test-store-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd) != 0)
        return -1;
    free(fx);
    return 0;
}

/* One test document: the record msgpack and its text. Fields vary with N so the index
 * scans have something to select: 4 codes, 3 names, 5 years, 2 provinces. */
typedef struct {
    char *rec;
    size_t rec_len;
    char *text;
    size_t text_len;
    char id[LXM_ID_HEX + 1];
    char code[16];
    const char *name;
    const char *province;
    int year;
} doc_t;

static const char *s_names[] = {"新桥镇", "尼山镇", "城关街道"};
static const char *s_provs[] = {"浙江省", "山东省"};

static void s_doc(doc_t *d, const char *tag, int n)
{
    memset(d, 0, sizeof *d);
    lxm_buf_t t = {0};
    lxm_buf_printf(&t, "%s %d：2024年度法治政府建设工作报告。开展专题学法%d次。", tag, n, n);
    lxm_record_t r = {0};
    lxm_content_id(t.data, t.len, d->id);
    r.id = lxm_xstrdup(d->id);
    char src[64];
    snprintf(src, sizeof src, "test/%s-%d.txt", tag, n);
    r.source = lxm_xstrdup(src);
    d->name = s_names[n % 3];
    d->province = s_provs[n % 2];
    d->year = 2020 + n % 5;
    snprintf(d->code, sizeof d->code, "33100410%d", n % 4);
    r.unit.name = lxm_xstrdup(d->name);
    r.unit.code = lxm_xstrdup(d->code);
    r.unit.province = lxm_xstrdup(d->province);
    r.unit.level = lxm_xstrdup("镇");
    r.unit.match = lxm_xstrdup("unique");
    r.year = d->year;
    lxm_record_add_section(&r, "measures", "一、主要举措", 18, 0, (uint32_t) t.len);
    lxm_record_add_fact(&r, "study.sessions", n, "次", false, NULL, "开展专题学法", 18, 0);
    lxm_buf_t out = {0};
    lxm_record_pack(&r, &out);
    d->rec_len = out.len;
    d->rec = lxm_buf_take(&out);
    d->text_len = t.len;
    d->text = lxm_buf_take(&t);
    lxm_record_reset(&r);
}

static void s_doc_free(doc_t *d)
{
    free(d->rec);
    free(d->text);
}

static int s_put(lxm_store_t *st, doc_t *d, const char *batch)
{
    const char *why = NULL;
    return lxm_store_put(st, d->rec, d->rec_len, d->text, d->text_len, batch, NULL, &why);
}

/* Stores docs [0, n) in batches of BATCH; asserts every put is STORED. */
static void s_fill(lxm_store_t *st, doc_t *docs, int n, int batch)
{
    for (int i = 0; i < n; i += batch) {
        assert_int_equal(lxm_store_begin(st), 0);
        for (int j = i; j < n && j < i + batch; j++)
            assert_int_equal(s_put(st, &docs[j], "fill"), LXM_ST_STORED);
        assert_int_equal(lxm_store_commit(st), 0);
    }
}

/* ---- tests --------------------------------------------------------------------- */

static void test_put_get(void **state)
{
    fx_t *fx = *state;
    char *err = NULL;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, &err);
    assert_non_null(st);
    doc_t d[3];
    for (int i = 0; i < 3; i++)
        s_doc(&d[i], "pg", i);
    s_fill(st, d, 3, 10);
    for (int i = 0; i < 3; i++) {
        void *rec;
        size_t len, tlen;
        char *text;
        assert_int_equal(lxm_store_get(st, d[i].id, &rec, &len, &text, &tlen), 0);
        assert_int_equal(len, d[i].rec_len);
        assert_memory_equal(rec, d[i].rec, len);
        assert_int_equal(tlen, d[i].text_len);
        assert_string_equal(text, d[i].text);
        free(rec);
        free(text);
    }
    void *rec;
    size_t len;
    assert_int_equal(lxm_store_get(st, "0000000000000000000000000000000000000000", &rec,
                                   &len, NULL, NULL), 1);
    assert_int_equal(lxm_store_get(st, "short", &rec, &len, NULL, NULL), 1);
    lxm_store_counts_t c;
    assert_int_equal(lxm_store_counts(st, &c), 0);
    assert_int_equal(c.records, 3);
    assert_int_equal(c.data_bytes, d[0].rec_len + d[0].text_len + d[1].rec_len +
                                       d[1].text_len + d[2].rec_len + d[2].text_len);
    /* a put without a batch is refused, not a crash */
    assert_int_equal(s_put(st, &d[0], "x"), -1);
    lxm_store_close(&st);
    assert_null(st);
    for (int i = 0; i < 3; i++)
        s_doc_free(&d[i]);
}

/* An aborted batch leaves nothing, and the next batch stores normally. */
static void test_abort(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    doc_t d[4];
    for (int i = 0; i < 4; i++)
        s_doc(&d[i], "abort", i);
    s_fill(st, d, 1, 10);
    assert_int_equal(lxm_store_begin(st), 0);
    assert_int_equal(lxm_store_begin(st), -1); /* one batch at a time */
    assert_int_equal(s_put(st, &d[1], "a"), LXM_ST_STORED);
    assert_int_equal(s_put(st, &d[2], "a"), LXM_ST_STORED);
    lxm_store_abort(st);
    assert_false(lxm_store_in_batch(st));
    void *rec;
    size_t len;
    assert_int_equal(lxm_store_get(st, d[1].id, &rec, &len, NULL, NULL), 1);
    assert_int_equal(lxm_store_begin(st), 0);
    assert_int_equal(s_put(st, &d[2], "b"), LXM_ST_STORED);
    assert_int_equal(s_put(st, &d[3], "b"), LXM_ST_STORED);
    assert_int_equal(lxm_store_commit(st), 0);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, 3);
    for (int i = 0; i < 4; i++) {
        int rc = lxm_store_get(st, d[i].id, &rec, &len, NULL, NULL);
        assert_int_equal(rc, i == 1 ? 1 : 0);
        if (rc == 0) {
            assert_memory_equal(rec, d[i].rec, len);
            free(rec);
        }
    }
    lxm_store_close(&st);
    for (int i = 0; i < 4; i++)
        s_doc_free(&d[i]);
}

static void test_idempotent(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    doc_t a, b;
    s_doc(&a, "idem", 1);
    s_doc(&b, "idem", 2);
    assert_int_equal(lxm_store_begin(st), 0);
    assert_int_equal(s_put(st, &a, "batch-A"), LXM_ST_STORED);
    /* the same id again inside the same transaction sees the first put */
    assert_int_equal(s_put(st, &a, "batch-A"), LXM_ST_RESENT);
    assert_int_equal(s_put(st, &a, "batch-B"), LXM_ST_DUPLICATE);
    assert_int_equal(lxm_store_commit(st), 0);

    assert_int_equal(lxm_store_begin(st), 0);
    assert_int_equal(s_put(st, &a, "batch-A"), LXM_ST_RESENT);
    assert_int_equal(s_put(st, &a, "batch-B"), LXM_ST_DUPLICATE);
    assert_int_equal(s_put(st, &a, NULL), LXM_ST_DUPLICATE);
    /* the same text under another source in the same batch: two files, one content */
    lxm_record_t r = {0};
    r.id = lxm_xstrdup(a.id);
    r.source = lxm_xstrdup("test/a-copy.txt");
    lxm_buf_t copy = {0};
    lxm_record_pack(&r, &copy);
    lxm_record_reset(&r);
    assert_int_equal(lxm_store_put(st, copy.data, copy.len, a.text, a.text_len, "batch-A",
                                   NULL, NULL), LXM_ST_DUPLICATE);
    lxm_buf_free(&copy);
    assert_int_equal(s_put(st, &b, "batch-B"), LXM_ST_STORED);
    assert_int_equal(lxm_store_commit(st), 0);

    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, 2);
    assert_int_equal(c.data_bytes, a.rec_len + a.text_len + b.rec_len + b.text_len);
    /* a resend leaves exactly one index entry */
    lxm_store_query_t q = {.unit_code = a.code};
    assert_int_equal(lxm_store_find(st, &q, NULL, 0, NULL, NULL, NULL), 1);
    lxm_store_close(&st);
    s_doc_free(&a);
    s_doc_free(&b);
}

static void test_invalid_refused(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    doc_t a, b;
    s_doc(&a, "inv", 1);
    s_doc(&b, "inv", 2);
    assert_int_equal(lxm_store_begin(st), 0);
    const char *why = NULL;
    /* not msgpack at all */
    assert_int_equal(lxm_store_put(st, "\xc1\xc1garbage", 9, NULL, 0, "x", NULL, &why), -1);
    assert_non_null(why);
    /* msgpack, but a string instead of a map */
    why = NULL;
    assert_int_equal(lxm_store_put(st, "\xa3" "abc", 4, NULL, 0, "x", NULL, &why), -1);
    assert_non_null(why);
    /* a truncated record */
    why = NULL;
    assert_int_equal(lxm_store_put(st, a.rec, a.rec_len / 2, NULL, 0, "x", NULL, &why), -1);
    assert_non_null(why);
    /* a valid record sent with another document's text */
    why = NULL;
    assert_int_equal(lxm_store_put(st, a.rec, a.rec_len, b.text, b.text_len, "x", NULL, &why),
                     -1);
    assert_non_null(strstr(why, "content id"));
    /* the batch carries on */
    assert_true(lxm_store_in_batch(st));
    char id[LXM_ID_HEX + 1];
    assert_int_equal(lxm_store_put(st, b.rec, b.rec_len, b.text, b.text_len, "x", id, &why),
                     LXM_ST_STORED);
    assert_string_equal(id, b.id);
    assert_int_equal(lxm_store_commit(st), 0);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, 1);
    lxm_store_close(&st);
    s_doc_free(&a);
    s_doc_free(&b);
}

typedef struct {
    char ids[200][LXM_ID_HEX + 1];
    int n;
} collect_t;

static int s_collect(const char *id, const void *rec, size_t len, void *arg)
{
    collect_t *c = arg;
    lxm_record_keys_t keys;
    assert_int_equal(lxm_record_check(rec, len, &keys, NULL), 0);
    assert_memory_equal(keys.id, id, LXM_ID_HEX);
    if (c->n < 200)
        strcpy(c->ids[c->n], id);
    c->n++;
    return 0;
}

/* Counts docs matching Q the slow way. */
static int s_expect(doc_t *docs, int n, const lxm_store_query_t *q)
{
    int k = 0;
    for (int i = 0; i < n; i++)
        if ((!q->unit_code || strcmp(q->unit_code, docs[i].code) == 0) &&
            (!q->unit_name || strcmp(q->unit_name, docs[i].name) == 0) &&
            (!q->province || strcmp(q->province, docs[i].province) == 0) &&
            (!q->year || q->year == docs[i].year))
            k++;
    return k;
}

static void s_check_unique(collect_t *c)
{
    for (int i = 0; i < c->n; i++)
        for (int j = i + 1; j < c->n; j++)
            assert_string_not_equal(c->ids[i], c->ids[j]);
}

static void s_check_sorted_unique(collect_t *c)
{
    for (int i = 1; i < c->n; i++)
        assert_true(strcmp(c->ids[i - 1], c->ids[i]) < 0);
}

static void test_find(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    enum { N = 120 };
    doc_t docs[N];
    for (int i = 0; i < N; i++)
        s_doc(&docs[i], "find", i);
    s_fill(st, docs, N, 25);

    lxm_store_query_t qs[] = {
        {.unit_code = "331004101", .year = 2021},
        {.unit_name = "尼山镇"},
        {.province = "山东省"},
        {.year = 2023},
        {.unit_name = "新桥镇", .province = "浙江省", .year = 2022},
        {.unit_code = "331004102", .unit_name = "城关街道"},
        {.unit_name = "没有这个镇"},
        {.unit_code = "331004101", .year = 1999},
    };
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        collect_t c = {0};
        char next[LXM_ID_HEX + 1];
        long n = lxm_store_find(st, &qs[i], NULL, 0, s_collect, &c, next);
        assert_int_equal(n, s_expect(docs, N, &qs[i]));
        assert_int_equal(c.n, n);
        assert_string_equal(next, "");
        s_check_unique(&c);
        /* with filters the order is store order: the order docs[] was stored in */
        int last = -1;
        for (int k = 0; k < c.n; k++) {
            int at = -1;
            for (int j = 0; j < N; j++)
                if (strcmp(docs[j].id, c.ids[k]) == 0)
                    at = j;
            assert_true(at > last);
            last = at;
        }
    }
    /* the generator gives code+year pairs a real selection */
    assert_true(s_expect(docs, N, &qs[0]) > 0);
    assert_true(s_expect(docs, N, &qs[0]) < N / 4);

    /* paging by 7 over one province gives the same ids as one call */
    collect_t all = {0}, paged = {0};
    lxm_store_find(st, &qs[2], NULL, 0, s_collect, &all, NULL);
    char cursor[LXM_ID_HEX + 1] = "";
    int pages = 0;
    do {
        long n = lxm_store_find(st, &qs[2], cursor, 7, s_collect, &paged, cursor);
        assert_true(n >= 0 && n <= 7);
        if (cursor[0])
            assert_int_equal(n, 7);
        pages++;
    } while (cursor[0] && pages < 100);
    assert_int_equal(paged.n, all.n);
    assert_int_equal(pages, (all.n + 6) / 7);
    /* a cursor that names no stored record is an error, not a silent restart */
    assert_int_equal(lxm_store_find(st, &qs[2], "ffffffffffffffffffffffffffffffffffffffff", 7,
                                    s_collect, &paged, NULL), -1);
    assert_non_null(strstr(lxm_store_error(st), "cursor"));
    for (int i = 0; i < all.n; i++)
        assert_string_equal(all.ids[i], paged.ids[i]);
    lxm_store_close(&st);
    for (int i = 0; i < N; i++)
        s_doc_free(&docs[i]);
}

static void test_export_order(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    enum { N = 150 };
    doc_t docs[N];
    for (int i = 0; i < N; i++)
        s_doc(&docs[i], "exp", i);
    s_fill(st, docs, N, 40);
    collect_t c = {0};
    char cursor[LXM_ID_HEX + 1] = "";
    do {
        long n = lxm_store_scan(st, cursor, 16, s_collect, &c, cursor);
        assert_true(n >= 0);
    } while (cursor[0] && c.n <= N);
    assert_int_equal(c.n, N);
    s_check_sorted_unique(&c);
    /* every stored id is in the export exactly once */
    for (int i = 0; i < N; i++) {
        int found = 0;
        for (int j = 0; j < c.n; j++)
            found += strcmp(c.ids[j], docs[i].id) == 0;
        assert_int_equal(found, 1);
    }
    lxm_store_close(&st);
    for (int i = 0; i < N; i++)
        s_doc_free(&docs[i]);
}

static void test_map_grows(void **state)
{
    fx_t *fx = *state;
    /* a 256 KiB map fills after a few dozen records: the store must grow it */
    lxm_store_t *st = lxm_store_open(fx->dir, LXM_STORE_NOSYNC, 256 << 10, NULL);
    assert_non_null(st);
    enum { N = 600 };
    doc_t *docs = calloc(N, sizeof *docs);
    for (int i = 0; i < N; i++)
        s_doc(&docs[i], "grow", i);
    s_fill(st, docs, N, 150);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, N);
    assert_true(c.map_bytes > (256 << 10));
    for (int i = 0; i < N; i += 37) {
        void *rec;
        size_t len;
        assert_int_equal(lxm_store_get(st, docs[i].id, &rec, &len, NULL, NULL), 0);
        assert_memory_equal(rec, docs[i].rec, len);
        free(rec);
    }
    lxm_store_close(&st);
    for (int i = 0; i < N; i++)
        s_doc_free(&docs[i]);
    free(docs);
}

static void test_readonly_open(void **state)
{
    fx_t *fx = *state;
    char *err = NULL;
    char missing[128];
    snprintf(missing, sizeof missing, "%s/nothing-here", fx->dir);
    assert_null(lxm_store_open(missing, LXM_STORE_RDONLY, 0, &err));
    assert_non_null(err);
    assert_non_null(strstr(err, "nothing-here"));
    free(err);
    /* an empty directory is not a store either */
    err = NULL;
    assert_null(lxm_store_open(fx->dir, LXM_STORE_RDONLY, 0, &err));
    assert_non_null(err);
    free(err);
    /* a reader cannot write */
    lxm_store_t *w = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(w);
    lxm_store_close(&w);
    lxm_store_t *r = lxm_store_open(fx->dir, LXM_STORE_RDONLY, 0, NULL);
    assert_non_null(r);
    assert_int_equal(lxm_store_begin(r), -1);
    assert_non_null(strstr(lxm_store_error(r), "read-only"));
    lxm_store_close(&r);
}

/* Child: commits BATCHES batches of 10 records (one byte on FD after each commit), then
 * puts 10 more into an open batch, writes 'p' and waits to be killed. */
static void s_crash_child(const char *dir, int fd, int batches)
{
    lxm_store_t *st = lxm_store_open(dir, 0, 0, NULL);
    if (!st)
        _exit(3);
    for (int b = 0; b <= batches; b++) {
        if (lxm_store_begin(st) != 0)
            _exit(4);
        for (int j = 0; j < 10; j++) {
            doc_t d;
            s_doc(&d, "crash", b * 10 + j);
            if (s_put(st, &d, "crash") != LXM_ST_STORED)
                _exit(5);
            s_doc_free(&d);
        }
        if (b == batches) {
            if (write(fd, "p", 1) != 1)
                _exit(6);
            for (;;)
                pause();
        }
        if (lxm_store_commit(st) != 0)
            _exit(7);
        if (write(fd, "c", 1) != 1)
            _exit(6);
    }
    _exit(0);
}

static void test_crash_recovery(void **state)
{
    fx_t *fx = *state;
    enum { BATCHES = 6 };
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        s_crash_child(fx->dir, p[1], BATCHES);
    }
    close(p[1]);
    char buf[BATCHES + 1];
    size_t got = 0;
    while (got < sizeof buf) {
        ssize_t n = read(p[0], buf + got, sizeof buf - got);
        if (n <= 0)
            break;
        got += (size_t) n;
    }
    close(p[0]);
    assert_int_equal(got, BATCHES + 1);
    assert_int_equal(buf[BATCHES], 'p'); /* child is inside its last batch */
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));

    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, BATCHES * 10);
    for (int i = 0; i < (BATCHES + 1) * 10; i++) {
        doc_t d;
        s_doc(&d, "crash", i);
        void *rec = NULL;
        size_t len;
        char *text = NULL;
        int rc = lxm_store_get(st, d.id, &rec, &len, &text, NULL);
        if (i < BATCHES * 10) {
            assert_int_equal(rc, 0);
            assert_memory_equal(rec, d.rec, d.rec_len);
            assert_string_equal(text, d.text);
        } else {
            assert_int_equal(rc, 1); /* nothing of the killed batch */
        }
        free(rec);
        free(text);
        s_doc_free(&d);
    }
    /* the store takes writes again, and the interrupted batch can be redone */
    assert_int_equal(lxm_store_begin(st), 0);
    doc_t d;
    s_doc(&d, "crash", BATCHES * 10);
    assert_int_equal(s_put(st, &d, "crash"), LXM_ST_STORED);
    assert_int_equal(lxm_store_commit(st), 0);
    s_doc_free(&d);
    lxm_store_close(&st);
}

/* A read-only handle in this process while a child process writes: every snapshot is
 * consistent (whole batches, every record checks) and counts never go down. */
static void test_reader_beside_writer(void **state)
{
    fx_t *fx = *state;
    lxm_store_t *w = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(w);
    lxm_store_close(&w); /* one handle per directory per process: the child writes */
    enum { BATCHES = 40, PER = 25 };
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
        if (!st)
            _exit(3);
        for (int b = 0; b < BATCHES; b++) {
            if (lxm_store_begin(st) != 0)
                _exit(4);
            for (int j = 0; j < PER; j++) {
                doc_t d;
                s_doc(&d, "rw", b * PER + j);
                if (s_put(st, &d, "rw") != LXM_ST_STORED)
                    _exit(5);
                s_doc_free(&d);
            }
            if (lxm_store_commit(st) != 0)
                _exit(7);
            usleep(2000);
        }
        lxm_store_close(&st);
        _exit(0);
    }
    lxm_store_t *r = lxm_store_open(fx->dir, LXM_STORE_RDONLY, 0, NULL);
    assert_non_null(r);
    uint64_t last = 0;
    int reads = 0, done = 0;
    while (!done) {
        done = waitpid(pid, NULL, WNOHANG) == pid;
        collect_t c = {0};
        long n = lxm_store_scan(r, NULL, 0, s_collect, &c, NULL); /* checks each record */
        assert_true(n >= 0);
        assert_true((uint64_t) n >= last);
        assert_int_equal(n % PER, 0); /* whole batches only */
        last = (uint64_t) n;
        reads++;
    }
    lxm_store_counts_t c;
    lxm_store_counts(r, &c);
    assert_int_equal(c.records, BATCHES * PER);
    assert_true(reads > 1);
    lxm_store_close(&r);
}

/* A full disk (simulated with RLIMIT_FSIZE: writes past it fail with EFBIG) makes a
 * commit fail with a readable error, never a crash; what was committed stays. The
 * writer runs in a child so the limit does not touch the test process. */
static void test_disk_full(void **state)
{
    fx_t *fx = *state;
    int p[2];
    assert_int_equal(pipe(p), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(p[0]);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {512 << 10, RLIM_INFINITY};
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
            _exit(3);
        lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
        if (!st)
            _exit(4);
        int committed = 0;
        for (int b = 0; b < 1000; b++) {
            if (lxm_store_begin(st) != 0)
                _exit(5);
            for (int j = 0; j < 20; j++) {
                doc_t d;
                s_doc(&d, "full", b * 20 + j);
                int rc = s_put(st, &d, "full");
                s_doc_free(&d);
                if (rc != LXM_ST_STORED)
                    _exit(6);
            }
            if (lxm_store_commit(st) != 0) {
                /* the reason must say what happened */
                const char *e = lxm_store_error(st);
                if (!strstr(e, "commit failed"))
                    _exit(7);
                /* space comes back: the same handle writes again */
                rl.rlim_cur = RLIM_INFINITY;
                if (setrlimit(RLIMIT_FSIZE, &rl) != 0 || lxm_store_begin(st) != 0)
                    _exit(9);
                doc_t d;
                s_doc(&d, "full", b * 20);
                if (s_put(st, &d, "full") != LXM_ST_STORED || lxm_store_commit(st) != 0)
                    _exit(10);
                s_doc_free(&d);
                committed++;
                if (write(p[1], &committed, sizeof committed) < 0)
                    _exit(11);
                lxm_store_close(&st);
                _exit(0);
            }
            committed += 20;
        }
        _exit(8); /* never filled up */
    }
    close(p[1]);
    int committed = -1;
    assert_int_equal(read(p[0], &committed, sizeof committed), (ssize_t) sizeof committed);
    close(p[0]);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_true(committed > 0);
    lxm_store_t *st = lxm_store_open(fx->dir, 0, 0, NULL);
    assert_non_null(st);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, (uint64_t) committed);
    collect_t col = {0};
    assert_int_equal(lxm_store_scan(st, NULL, 0, s_collect, &col, NULL), committed);
    lxm_store_close(&st);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_put_get, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_abort, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_idempotent, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_refused, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_find, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_export_order, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_map_grows, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_readonly_open, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_crash_recovery, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_reader_beside_writer, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
