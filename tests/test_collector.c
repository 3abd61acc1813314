/* test_collector: the collector actor on 127.0.0.1 ephemeral ports: STORE -> STORED
 * after commit, group commits, harmless resends, invalid and malformed input counted
 * while it keeps serving, GET / FIND / EXPORT / STATUS on the query socket, FEED on a
 * SUB, and a clear refusal to start when a port is taken or the store cannot open. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include "lxm_collector.h"
#include "lxm_msg.h"
#include "lib/inbox.h"
#include "lxm_record.h"
#include "lxm_store.h"

#define S_WAIT_MS 5000 /* the longest any single reply may take */

typedef struct {
    char dir[64];              /* scratch store directory */
    zactor_t *collector;
    char *results, *query, *feed; /* bound endpoints */
    zsock_t *worker;           /* DEALER on results */
    zsock_t *client;           /* DEALER on query */
    zsock_t *sub;              /* SUB on feed */
} fx_t;

static int s_setup(void **state)
{
    fx_t *fx = calloc(1, sizeof *fx);
    strcpy(fx->dir, "/tmp/lxm-test-coll-XXXXXX");
    if (!mkdtemp(fx->dir))
        return -1;
    lxm_collector_config_t cfg;
    lxm_collector_config_defaults(&cfg);
    cfg.store_dir = fx->dir;
    cfg.results_endpoint = "tcp://127.0.0.1:*";
    cfg.query_endpoint = "tcp://127.0.0.1:*";
    cfg.feed_endpoint = "tcp://127.0.0.1:*";
    fx->collector = lxm_collector_new(&cfg);
    if (!fx->collector)
        return -1;
    if (lxm_collector_endpoints(fx->collector, &fx->results, &fx->query, &fx->feed) != 0)
        return -1;
    fx->worker = zsock_new_dealer(fx->results);
    fx->client = zsock_new_dealer(fx->query);
    fx->sub = zsock_new_sub(fx->feed, "");
    if (!fx->worker || !fx->client || !fx->sub)
        return -1;
    zsock_set_linger(fx->worker, 0);
    zsock_set_linger(fx->client, 0);
    zsock_set_linger(fx->sub, 0);
    zclock_sleep(200); /* let the subscription reach the publisher */
    *state = fx;
    return 0;
}

static int s_teardown(void **state)
{
    fx_t *fx = *state;
    zsock_destroy(&fx->worker);
    zsock_destroy(&fx->client);
    zsock_destroy(&fx->sub);
    lxm_collector_destroy(&fx->collector);
    zstr_free(&fx->results);
    zstr_free(&fx->query);
    zstr_free(&fx->feed);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    int rc = system(cmd);
    free(fx);
    return rc == 0 ? 0 : -1;
}

/* ---- documents ------------------------------------------------------------------ */

typedef struct {
    lxm_buf_t rec;   /* record msgpack */
    lxm_buf_t text;  /* cleaned text */
    char id[LXM_ID_HEX + 1];
    char code[16];
} doc_t;

static void s_doc(doc_t *d, const char *tag, int n)
{
    memset(d, 0, sizeof *d);
    lxm_buf_printf(&d->text, "%s %d：法治政府建设年度报告。悬挂横幅%d条。", tag, n, n + 1);
    lxm_record_t r = {0};
    lxm_content_id(d->text.data, d->text.len, d->id);
    r.id = lxm_xstrdup(d->id);
    char src[64];
    snprintf(src, sizeof src, "test/%s-%d.txt", tag, n);
    r.source = lxm_xstrdup(src);
    snprintf(d->code, sizeof d->code, "3310041%02d", n % 3);
    r.unit.code = lxm_xstrdup(d->code);
    r.unit.name = lxm_xstrdup("新桥镇");
    r.unit.province = lxm_xstrdup("浙江省");
    r.year = 2024;
    lxm_record_add_fact(&r, "publicity.banners", n + 1, "条", false, NULL, "悬挂横幅", 12, 0);
    lxm_record_pack(&r, &d->rec);
    lxm_record_reset(&r);
}

static void s_doc_free(doc_t *d)
{
    lxm_buf_free(&d->rec);
    lxm_buf_free(&d->text);
}

static void s_send_store(zsock_t *sock, uint64_t seq, const char *batch, doc_t *d)
{
    lxm_msg_t *m = lxm_msg_new(LXM_STORE);
    m->seq = seq;
    lxm_msg_set_str(&m->batch, batch);
    lxm_msg_set_str(&m->source, "test");
    lxm_msg_add_blob(m, d->rec.data, d->rec.len);
    lxm_msg_add_blob(m, d->text.data, d->text.len);
    assert_int_equal(lxm_msg_send(m, sock), 0);
    lxm_msg_destroy(&m);
}

/* Next message on SOCK within MS, or NULL. Fails the test on a malformed one. */
static lxm_msg_t *s_recv(zsock_t *sock, int ms)
{
    if (!t_ready(sock, ms))
        return NULL;
    lxm_msg_t *m = NULL;
    const char *why = NULL;
    assert_int_equal(t_recv(&m, sock, &why, NULL), 0);
    return m;
}

/* Sends REQ on the query socket and returns the answer. */
static lxm_msg_t *s_ask(fx_t *fx, lxm_msg_t *req)
{
    assert_int_equal(lxm_msg_send(req, fx->client), 0);
    lxm_msg_destroy(&req);
    lxm_msg_t *reply = s_recv(fx->client, S_WAIT_MS);
    assert_non_null(reply);
    return reply;
}

/* One counter out of the collector's JSON. */
static long long s_counter(fx_t *fx, const char *key)
{
    char *json = lxm_collector_stats(fx->collector);
    assert_non_null(json);
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *p = strstr(json, pat);
    assert_non_null(p);
    long long v = strtoll(p + strlen(pat), NULL, 10);
    zstr_free(&json);
    return v;
}

/* In a child process (another LMDB reader, as `lexmill get` would be), counts how many
 * of IDS the store on disk holds right now. */
static int s_on_disk(const char *dir, doc_t *docs, int n)
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        lxm_store_t *st = lxm_store_open(dir, LXM_STORE_RDONLY, 0, NULL);
        int found = 0;
        for (int i = 0; st && i < n; i++) {
            void *rec;
            size_t len;
            if (lxm_store_get(st, docs[i].id, &rec, &len, NULL, NULL) == 0) {
                found++;
                free(rec);
            }
        }
        _exit(found);
    }
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status));
    return WEXITSTATUS(status);
}

/* ---- tests --------------------------------------------------------------------- */

static void test_store_ack_after_commit(void **state)
{
    fx_t *fx = *state;
    enum { N = 5 };
    doc_t d[N];
    for (int i = 0; i < N; i++) {
        s_doc(&d[i], "ack", i);
        s_send_store(fx->worker, 100 + i, "batch-1", &d[i]);
    }
    for (int i = 0; i < N; i++) {
        lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
        assert_non_null(r);
        assert_int_equal(r->cmd, LXM_STORED);
        assert_int_equal(r->status, LXM_ST_STORED);
        assert_true(r->seq >= 100 && r->seq < 100 + N);
        assert_string_equal(r->doc_id, d[r->seq - 100].id);
        lxm_msg_destroy(&r);
    }
    /* every acknowledged record is already committed: another process sees it */
    assert_int_equal(s_on_disk(fx->dir, d, N), N);
    /* and each was published once, after its commit */
    int feeds = 0;
    lxm_msg_t *f;
    while ((f = s_recv(fx->sub, 500))) {
        assert_int_equal(f->cmd, LXM_FEED);
        assert_int_equal(f->n_blobs, 1);
        lxm_record_keys_t keys;
        assert_int_equal(lxm_record_check(f->blob[0], f->blob_size[0], &keys, NULL), 0);
        assert_memory_equal(keys.id, f->doc_id, LXM_ID_HEX);
        feeds++;
        lxm_msg_destroy(&f);
    }
    assert_int_equal(feeds, N);
    assert_int_equal(s_counter(fx, "stored"), N);
    assert_true(s_counter(fx, "commits") >= 1);
    for (int i = 0; i < N; i++)
        s_doc_free(&d[i]);
}

static void test_group_commit(void **state)
{
    fx_t *fx = *state;
    enum { N = 300 };
    doc_t *d = calloc(N, sizeof *d);
    for (int i = 0; i < N; i++)
        s_doc(&d[i], "group", i);
    for (int i = 0; i < N; i++)
        s_send_store(fx->worker, i + 1, "g", &d[i]);
    int stored = 0;
    for (int i = 0; i < N; i++) {
        lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
        assert_non_null(r);
        stored += r->status == LXM_ST_STORED;
        lxm_msg_destroy(&r);
    }
    assert_int_equal(stored, N);
    /* STOREs that arrived while a commit was syncing share the next transaction */
    long long commits = s_counter(fx, "commits");
    assert_true(commits >= 1);
    assert_true(commits < N);
    assert_true(s_counter(fx, "max_commit") > 1);
    for (int i = 0; i < N; i++)
        s_doc_free(&d[i]);
    free(d);
}

static void test_resend_harmless(void **state)
{
    fx_t *fx = *state;
    doc_t d;
    s_doc(&d, "resend", 1);
    s_send_store(fx->worker, 1, "batch-A", &d);
    lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->status, LXM_ST_STORED);
    lxm_msg_destroy(&r);
    lxm_msg_t *f = s_recv(fx->sub, S_WAIT_MS);
    assert_non_null(f);
    lxm_msg_destroy(&f);

    s_send_store(fx->worker, 2, "batch-A", &d);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->seq, 2);
    assert_int_equal(r->status, LXM_ST_RESENT);
    lxm_msg_destroy(&r);
    s_send_store(fx->worker, 3, "batch-B", &d);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->status, LXM_ST_DUPLICATE);
    assert_string_equal(r->doc_id, d.id);
    lxm_msg_destroy(&r);
    /* nothing republished, one record stored */
    assert_null(s_recv(fx->sub, 300));
    assert_int_equal(s_counter(fx, "stored"), 1);
    assert_int_equal(s_counter(fx, "resent"), 1);
    assert_int_equal(s_counter(fx, "duplicate"), 1);
    assert_int_equal(s_counter(fx, "records"), 1);
    s_doc_free(&d);
}

static void test_invalid_and_malformed(void **state)
{
    fx_t *fx = *state;
    /* a well-formed STORE carrying a record that is not one */
    lxm_msg_t *m = lxm_msg_new(LXM_STORE);
    m->seq = 7;
    lxm_msg_set_str(&m->batch, "bad");
    lxm_msg_add_blob(m, "\x81\xa1x\x01", 4); /* {"x": 1}: no id, no unit */
    assert_int_equal(lxm_msg_send(m, fx->worker), 0);
    lxm_msg_destroy(&m);
    lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->cmd, LXM_STORED);
    assert_int_equal(r->seq, 7);
    assert_int_equal(r->status, LXM_ST_FAILED);
    assert_non_null(strstr(r->reason, "invalid record"));
    lxm_msg_destroy(&r);

    /* a record whose id is not its text's */
    doc_t a, b;
    s_doc(&a, "mis", 1);
    s_doc(&b, "mis", 2);
    m = lxm_msg_new(LXM_STORE);
    m->seq = 8;
    lxm_msg_set_str(&m->batch, "bad");
    lxm_msg_add_blob(m, a.rec.data, a.rec.len);
    lxm_msg_add_blob(m, b.text.data, b.text.len);
    assert_int_equal(lxm_msg_send(m, fx->worker), 0);
    lxm_msg_destroy(&m);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->status, LXM_ST_FAILED);
    assert_non_null(strstr(r->reason, "content id"));
    lxm_msg_destroy(&r);

    /* frames that are not lexmill at all: counted, answered with ERROR */
    zstr_sendx(fx->worker, "HELLO", "garbage", NULL);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->cmd, LXM_ERROR);
    assert_non_null(strstr(r->reason, "malformed"));
    lxm_msg_destroy(&r);
    /* a lexmill header with a broken field frame, on the query socket */
    byte header[5] = {'L', 'X', 'M', LXM_PROTO_VERSION, LXM_GET};
    zmsg_t *z = zmsg_new();
    zmsg_addmem(z, header, 5);
    zmsg_addmem(z, "\xdf\xff\xff\xff\xff", 5); /* map of 4 billion entries, no bytes */
    zmsg_send(&z, fx->client);
    r = s_recv(fx->client, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->cmd, LXM_ERROR);
    lxm_msg_destroy(&r);
    /* a command that has no business on the results socket */
    m = lxm_msg_new(LXM_STATUS);
    m->seq = 9;
    assert_int_equal(lxm_msg_send(m, fx->worker), 0);
    lxm_msg_destroy(&m);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->cmd, LXM_ERROR);
    lxm_msg_destroy(&r);

    /* and it keeps serving */
    s_send_store(fx->worker, 10, "good", &a);
    r = s_recv(fx->worker, S_WAIT_MS);
    assert_non_null(r);
    assert_int_equal(r->status, LXM_ST_STORED);
    lxm_msg_destroy(&r);
    assert_int_equal(s_counter(fx, "invalid"), 2);
    assert_int_equal(s_counter(fx, "protocol_errors"), 3);
    assert_int_equal(s_counter(fx, "stored"), 1);
    s_doc_free(&a);
    s_doc_free(&b);
}

static void test_queries(void **state)
{
    fx_t *fx = *state;
    enum { N = 10 };
    doc_t d[N];
    for (int i = 0; i < N; i++) {
        s_doc(&d[i], "query", i);
        s_send_store(fx->worker, i, "q", &d[i]);
    }
    for (int i = 0; i < N; i++) {
        lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
        assert_non_null(r);
        lxm_msg_destroy(&r);
    }
    /* GET with text */
    lxm_msg_t *req = lxm_msg_new(LXM_GET);
    req->seq = 1;
    lxm_msg_set_str(&req->doc_id, d[3].id);
    req->with_text = true;
    lxm_msg_t *r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_RECORDS);
    assert_int_equal(r->seq, 1);
    assert_int_equal(r->n_blobs, 2);
    assert_int_equal(r->blob_size[0], d[3].rec.len);
    assert_memory_equal(r->blob[0], d[3].rec.data, d[3].rec.len);
    assert_int_equal(r->blob_size[1], d[3].text.len);
    assert_memory_equal(r->blob[1], d[3].text.data, d[3].text.len);
    lxm_msg_destroy(&r);
    /* GET of an id nobody stored */
    req = lxm_msg_new(LXM_GET);
    req->seq = 2;
    lxm_msg_set_str(&req->doc_id, "ffffffffffffffffffffffffffffffffffffffff");
    r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_ERROR);
    assert_int_equal(r->seq, 2);
    assert_non_null(strstr(r->reason, "no record with id"));
    lxm_msg_destroy(&r);
    /* FIND by code: docs 0, 3, 6, 9 have code ...100 */
    req = lxm_msg_new(LXM_FIND);
    req->seq = 3;
    lxm_msg_set_str(&req->unit_code, "331004100");
    req->year = 2024;
    r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_RECORDS);
    assert_int_equal(r->n_blobs, 4);
    assert_string_equal(r->cursor, "");
    lxm_msg_destroy(&r);
    /* FIND by name, 3 per page: 4 pages, every record once */
    char cursor[64] = "";
    int total = 0, pages = 0;
    do {
        req = lxm_msg_new(LXM_FIND);
        req->seq = 10 + pages;
        lxm_msg_set_str(&req->unit_name, "新桥镇");
        lxm_msg_set_str(&req->cursor, cursor);
        req->limit = 3;
        r = s_ask(fx, req);
        assert_int_equal(r->cmd, LXM_RECORDS);
        assert_true(r->n_blobs <= 3);
        total += (int) r->n_blobs;
        snprintf(cursor, sizeof cursor, "%s", r->cursor ? r->cursor : "");
        lxm_msg_destroy(&r);
        pages++;
    } while (cursor[0] && pages < 20);
    assert_int_equal(total, N);
    assert_int_equal(pages, 4);
    /* FIND with no match */
    req = lxm_msg_new(LXM_FIND);
    req->seq = 40;
    lxm_msg_set_str(&req->province, "山东省");
    r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_RECORDS);
    assert_int_equal(r->n_blobs, 0);
    lxm_msg_destroy(&r);
    /* EXPORT: ids ascending, all of them */
    req = lxm_msg_new(LXM_EXPORT);
    req->seq = 41;
    r = s_ask(fx, req);
    assert_int_equal(r->n_blobs, N);
    char prev[LXM_ID_HEX + 1] = "";
    for (size_t i = 0; i < r->n_blobs; i++) {
        lxm_record_keys_t keys;
        assert_int_equal(lxm_record_check(r->blob[i], r->blob_size[i], &keys, NULL), 0);
        assert_true(memcmp(prev, keys.id, LXM_ID_HEX) < 0 || !prev[0]);
        memcpy(prev, keys.id, LXM_ID_HEX);
        prev[LXM_ID_HEX] = '\0';
    }
    lxm_msg_destroy(&r);
    /* STATUS */
    req = lxm_msg_new(LXM_STATUS);
    req->seq = 42;
    r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_STATS);
    assert_int_equal(r->seq, 42);
    assert_non_null(strstr(r->reason, "\"records\":10"));
    assert_non_null(strstr(r->reason, "\"stored\":10"));
    lxm_msg_destroy(&r);
    for (int i = 0; i < N; i++)
        s_doc_free(&d[i]);
}

static void test_refuses_to_start(void **state)
{
    fx_t *fx = *state;
    /* the results port is taken by the running collector */
    lxm_collector_config_t cfg;
    lxm_collector_config_defaults(&cfg);
    char dir2[96];
    snprintf(dir2, sizeof dir2, "%s/second", fx->dir);
    cfg.store_dir = dir2;
    cfg.results_endpoint = fx->results;
    cfg.query_endpoint = "tcp://127.0.0.1:*";
    cfg.feed_endpoint = "tcp://127.0.0.1:*";
    zactor_t *c = lxm_collector_new(&cfg);
    assert_null(c);
    /* a store path that is a file */
    char file[96];
    snprintf(file, sizeof file, "%s/a-file", fx->dir);
    FILE *f = fopen(file, "w");
    assert_non_null(f);
    fclose(f);
    cfg.store_dir = file;
    cfg.results_endpoint = "tcp://127.0.0.1:*";
    c = lxm_collector_new(&cfg);
    assert_null(c);
    /* the first one is unharmed */
    lxm_msg_t *req = lxm_msg_new(LXM_STATUS);
    req->seq = 1;
    lxm_msg_t *r = s_ask(fx, req);
    assert_int_equal(r->cmd, LXM_STATS);
    lxm_msg_destroy(&r);
}

/* Three distinct free TCP ports on 127.0.0.1: bound at once on random ports, then
 * released (good enough for a test). */
static void s_free_ports(int *a, int *b, int *c)
{
    zsock_t *s[3];
    int *out[3] = {a, b, c};
    for (int i = 0; i < 3; i++) {
        s[i] = zsock_new(ZMQ_PULL);
        zsock_set_linger(s[i], 0);
        *out[i] = zsock_bind(s[i], "tcp://127.0.0.1:!");
    }
    for (int i = 0; i < 3; i++)
        zsock_destroy(&s[i]);
    zclock_sleep(100); /* let the I/O thread release them */
}

/* Waits until a collector answers STATUS on PORT; false after 10 s. */
static bool s_wait_up(int port)
{
    zsock_t *q = zsock_new(ZMQ_DEALER);
    zsock_set_linger(q, 0);
    zsock_connect(q, "tcp://127.0.0.1:%d", port);
    lxm_msg_t *req = lxm_msg_new(LXM_STATUS);
    req->seq = 1;
    lxm_msg_send(req, q);
    lxm_msg_destroy(&req);
    lxm_msg_t *r = s_recv(q, 10000);
    bool up = r && r->cmd == LXM_STATS;
    lxm_msg_destroy(&r);
    zsock_destroy(&q);
    return up;
}

static pid_t s_spawn_collector_limited(const char *dir, int rp, int qp, int fp,
                                      rlim_t fsize);

static pid_t s_spawn_collector(const char *dir, int rp, int qp, int fp)
{
    return s_spawn_collector_limited(dir, rp, qp, fp, RLIM_INFINITY);
}

/* Starts bin/lexmill collector; FSIZE limits the files it may write (a full disk). */
static pid_t s_spawn_collector_limited(const char *dir, int rp, int qp, int fp,
                                      rlim_t fsize)
{
    char r[64], q[64], f[64];
    snprintf(r, sizeof r, "tcp://127.0.0.1:%d", rp);
    snprintf(q, sizeof q, "tcp://127.0.0.1:%d", qp);
    snprintf(f, sizeof f, "tcp://127.0.0.1:%d", fp);
    pid_t pid = fork();
    if (pid == 0) {
        if (fsize != RLIM_INFINITY) {
            struct rlimit rl = {fsize, RLIM_INFINITY};
            signal(SIGXFSZ, SIG_IGN); /* so a write past the limit fails with EFBIG */
            if (setrlimit(RLIMIT_FSIZE, &rl) != 0)
                _exit(125);
        }
        /* its log lines would only clutter the test output */
        if (!freopen("/dev/null", "w", stderr) || !freopen("/dev/null", "w", stdout))
            _exit(126);
        execl("bin/lexmill", "lexmill", "collector", "--store", dir, "--results", r, "--query",
              q, "--feed", f, (char *) NULL);
        _exit(127);
    }
    return pid;
}

/* The real `lexmill collector` process killed with SIGKILL while workers stream into it:
 * every STORE it acknowledged is in the store afterwards (ack after commit), the store
 * reopens, and a restarted collector takes the resends as harmless RESENTs. */
static void test_kill9_keeps_acked(void **state)
{
    fx_t *fx = *state;
    if (access("bin/lexmill", X_OK) != 0)
        skip(); /* run from the repository root after make */
    char dir[96];
    snprintf(dir, sizeof dir, "%s/killed", fx->dir);
    int rp, qp, fp;
    s_free_ports(&rp, &qp, &fp);
    assert_true(rp > 0 && qp > 0 && fp > 0);
    pid_t pid = s_spawn_collector(dir, rp, qp, fp);
    assert_true(pid > 0);
    assert_true(s_wait_up(qp));
    zsock_t *w = zsock_new_dealer(NULL);
    zsock_set_linger(w, 0);
    zsock_set_sndhwm(w, 0);
    assert_int_equal(zsock_connect(w, "tcp://127.0.0.1:%d", rp), 0);

    enum { N = 3000 };
    doc_t *d = calloc(N, sizeof *d);
    bool *acked = calloc(N, sizeof *acked);
    for (int i = 0; i < N; i++) {
        s_doc(&d[i], "kill", i);
        s_send_store(w, (uint64_t) i + 1, "k", &d[i]);
    }
    int n_acked = 0;
    while (n_acked < 200) {
        lxm_msg_t *r = s_recv(w, S_WAIT_MS);
        assert_non_null(r); /* the collector answers within seconds */
        assert_int_equal(r->status, LXM_ST_STORED);
        acked[r->seq - 1] = true;
        n_acked++;
        lxm_msg_destroy(&r);
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFSIGNALED(status));
    /* acks already on their way count too */
    lxm_msg_t *r;
    while ((r = s_recv(w, 200))) {
        acked[r->seq - 1] = true;
        n_acked++;
        lxm_msg_destroy(&r);
    }

    lxm_store_t *st = lxm_store_open(dir, LXM_STORE_RDONLY, 0, NULL);
    assert_non_null(st);
    lxm_store_counts_t c;
    assert_int_equal(lxm_store_counts(st, &c), 0);
    assert_true(c.records >= (uint64_t) n_acked);
    for (int i = 0; i < N; i++) {
        if (!acked[i])
            continue;
        void *rec;
        size_t len;
        assert_int_equal(lxm_store_get(st, d[i].id, &rec, &len, NULL, NULL), 0);
        assert_memory_equal(rec, d[i].rec.data, len);
        free(rec);
    }
    lxm_store_close(&st);
    uint64_t survived = c.records;

    /* restart on the same store; resend everything, as workers do after a timeout */
    pid = s_spawn_collector(dir, rp, qp, fp);
    assert_true(pid > 0);
    assert_true(s_wait_up(qp));
    for (int i = 0; i < N; i++)
        s_send_store(w, (uint64_t) i + 1, "k", &d[i]);
    int stored = 0, resent = 0;
    for (int i = 0; i < N; i++) {
        r = s_recv(w, S_WAIT_MS * 2);
        assert_non_null(r);
        if (r->status == LXM_ST_STORED)
            stored++;
        else if (r->status == LXM_ST_RESENT)
            resent++;
        lxm_msg_destroy(&r);
    }
    assert_int_equal(resent, (int) survived);
    assert_int_equal(stored + resent, N);
    kill(pid, SIGTERM);
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    st = lxm_store_open(dir, LXM_STORE_RDONLY, 0, NULL);
    assert_non_null(st);
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, N);
    lxm_store_close(&st);
    zsock_destroy(&w);
    for (int i = 0; i < N; i++)
        s_doc_free(&d[i]);
    free(d);
    free(acked);
}

/* The disk fills under a running collector: the STOREs of the batches that cannot
 * commit are answered FAILED with a reason the worker treats as retryable (not
 * "invalid record"), the process stays up and keeps answering queries. */
static void test_disk_full_answers_failed(void **state)
{
    fx_t *fx = *state;
    if (access("bin/lexmill", X_OK) != 0)
        skip(); /* run from the repository root after make */
    char dir[96];
    snprintf(dir, sizeof dir, "%s/full", fx->dir);
    int rp, qp, fp;
    s_free_ports(&rp, &qp, &fp);
    pid_t pid = s_spawn_collector_limited(dir, rp, qp, fp, 1 << 20);
    assert_true(pid > 0);
    assert_true(s_wait_up(qp));
    zsock_t *w = zsock_new_dealer(NULL);
    zsock_set_linger(w, 0);
    zsock_set_sndhwm(w, 0);
    assert_int_equal(zsock_connect(w, "tcp://127.0.0.1:%d", rp), 0);
    enum { N = 3000 };
    int stored = 0, failed = 0;
    for (int i = 0; i < N; i++) {
        doc_t d;
        s_doc(&d, "disk", i);
        s_send_store(w, (uint64_t) i + 1, "d", &d);
        s_doc_free(&d);
        if (i % 100 != 99)
            continue;
        /* batches of 100 so that some commit before the file reaches its limit */
        for (int k = 0; k < 100; k++) {
            lxm_msg_t *r = s_recv(w, S_WAIT_MS);
            assert_non_null(r);
            assert_int_equal(r->cmd, LXM_STORED);
            if (r->status == LXM_ST_STORED)
                stored++;
            else {
                assert_int_equal(r->status, LXM_ST_FAILED);
                assert_non_null(r->reason);
                assert_true(strncmp(r->reason, "invalid record", 14) != 0);
                if (failed++ == 0)
                    print_message("first refusal: %s\n", r->reason);
            }
            lxm_msg_destroy(&r);
        }
    }
    assert_true(stored > 0);
    assert_true(failed > 0);
    assert_true(s_wait_up(qp)); /* still serving */
    assert_int_equal(kill(pid, 0), 0);
    kill(pid, SIGTERM);
    int status;
    waitpid(pid, &status, 0);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    /* what was acknowledged as stored is there */
    lxm_store_t *st = lxm_store_open(dir, LXM_STORE_RDONLY, 0, NULL);
    assert_non_null(st);
    lxm_store_counts_t c;
    lxm_store_counts(st, &c);
    assert_int_equal(c.records, (uint64_t) stored);
    lxm_store_close(&st);
    zsock_destroy(&w);
}

/* Runs CMD through the shell; returns its exit status and its stdout in OUT. */
static int s_run(const char *cmd, lxm_buf_t *out)
{
    lxm_buf_clear(out);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        lxm_buf_append(out, buf, n);
    int status = pclose(f);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static int s_lines(const lxm_buf_t *b)
{
    int n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

/* The query commands, against the store on disk and against the running collector:
 * same answers both ways. */
static void test_cli(void **state)
{
    fx_t *fx = *state;
    if (access("bin/lexmill", X_OK) != 0)
        skip(); /* run from the repository root after make */
    enum { N = 150 };
    doc_t *d = calloc(N, sizeof *d);
    for (int i = 0; i < N; i++) {
        s_doc(&d[i], "cli", i);
        s_send_store(fx->worker, (uint64_t) i, "cli", &d[i]);
    }
    for (int i = 0; i < N; i++) {
        lxm_msg_t *r = s_recv(fx->worker, S_WAIT_MS);
        assert_non_null(r);
        lxm_msg_destroy(&r);
    }
    char src[2][160];
    snprintf(src[0], sizeof src[0], "--store '%s'", fx->dir);
    snprintf(src[1], sizeof src[1], "--query '%s'", fx->query);
    lxm_buf_t out = {0};
    char cmd[512];
    for (int k = 0; k < 2; k++) {
        snprintf(cmd, sizeof cmd, "bin/lexmill export %s 2>/dev/null", src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_int_equal(s_lines(&out), N); /* more than one 64-record page remotely */
        snprintf(cmd, sizeof cmd, "bin/lexmill export --format csv %s 2>/dev/null", src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_int_equal(s_lines(&out), N + 1);
        assert_true(strncmp(out.data, "id,source,", 10) == 0);
        snprintf(cmd, sizeof cmd, "bin/lexmill get %s --text %s 2>/dev/null", d[7].id, src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_int_equal(s_lines(&out), 1);
        assert_non_null(strstr(out.data, d[7].id));
        assert_non_null(strstr(out.data, "\"text\":"));
        snprintf(cmd, sizeof cmd, "bin/lexmill get %.39sx %s 2>&1", d[7].id, src[k]);
        assert_int_equal(s_run(cmd, &out), 1);
        assert_non_null(strstr(out.data, "no record with id"));
        /* 50 of the 150 carry code ...101 */
        snprintf(cmd, sizeof cmd, "bin/lexmill find --code 331004101 --year 2024 %s 2>/dev/null",
                 src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_int_equal(s_lines(&out), N / 3);
        snprintf(cmd, sizeof cmd, "bin/lexmill find --unit 新桥镇 --limit 70 %s 2>/dev/null",
                 src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_int_equal(s_lines(&out), 70);
        snprintf(cmd, sizeof cmd, "bin/lexmill find --province 山东省 %s 2>/dev/null", src[k]);
        assert_int_equal(s_run(cmd, &out), 1);
        assert_int_equal(out.len, 0);
        snprintf(cmd, sizeof cmd, "bin/lexmill status %s 2>/dev/null", src[k]);
        assert_int_equal(s_run(cmd, &out), 0);
        assert_non_null(strstr(out.data, "\"records\":150"));
    }
    assert_int_equal(s_run("bin/lexmill find --year nineteen 2>/dev/null", &out), 2);
    assert_int_equal(s_run("bin/lexmill get 2>/dev/null", &out), 2);
    lxm_buf_free(&out);
    for (int i = 0; i < N; i++)
        s_doc_free(&d[i]);
    free(d);
}

int main(void)
{
    zsys_init();
    zsys_set_logstream(stderr);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_store_ack_after_commit, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_group_commit, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_resend_harmless, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_invalid_and_malformed, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_queries, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_refuses_to_start, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_kill9_keeps_acked, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_cli, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_disk_full_answers_failed, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
