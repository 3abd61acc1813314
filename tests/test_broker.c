/* test_broker: the broker actor on 127.0.0.1 ephemeral ports, driven by fake worker and
 * client DEALER sockets speaking lxm_msg. Short heartbeats (100 ms) keep it quick. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <inttypes.h>
#include <string.h>
#include "lxm_broker.h"
#include "lxm_extract.h"
#include "lxm_msg.h"
#include "lib/inbox.h"
#include "lxm_record.h"
#include "lxm_worker.h"

#define HB_MS 100

typedef struct {
    zactor_t *broker;
    char *clients_ep, *workers_ep;
} fixture_t;

static fixture_t *s_start_hb(int max_attempts, size_t queue_max, int job_timeout_ms, int hb_ms)
{
    fixture_t *f = calloc(1, sizeof *f);
    lxm_broker_config_t cfg;
    lxm_broker_config_defaults(&cfg);
    cfg.clients_endpoint = "tcp://127.0.0.1:*";
    cfg.workers_endpoint = "tcp://127.0.0.1:*";
    cfg.heartbeat_ms = hb_ms;
    cfg.liveness = 3;
    cfg.max_attempts = max_attempts;
    if (queue_max)
        cfg.queue_max_docs = queue_max;
    if (job_timeout_ms)
        cfg.job_timeout_ms = job_timeout_ms;
    f->broker = lxm_broker_new(&cfg);
    assert_non_null(f->broker);
    assert_int_equal(lxm_broker_endpoints(f->broker, &f->clients_ep, &f->workers_ep), 0);
    assert_non_null(strstr(f->clients_ep, "127.0.0.1:"));
    return f;
}

static fixture_t *s_start(int max_attempts, size_t queue_max, int job_timeout_ms)
{
    return s_start_hb(max_attempts, queue_max, job_timeout_ms, HB_MS);
}

static void s_stop(fixture_t **f_p)
{
    fixture_t *f = *f_p;
    lxm_broker_destroy(&f->broker);
    free(f->clients_ep);
    free(f->workers_ep);
    free(f);
    *f_p = NULL;
}

static zsock_t *s_dealer(const char *ep)
{
    zsock_t *s = zsock_new(ZMQ_DEALER);
    assert_non_null(s);
    zsock_set_linger(s, 0);
    assert_int_equal(zsock_connect(s, "%s", ep), 0);
    return s;
}

static void s_send(zsock_t *sock, lxm_msg_t **msg_p)
{
    assert_int_equal(lxm_msg_send(*msg_p, sock), 0);
    lxm_msg_destroy(msg_p);
}

static void s_ready(zsock_t *worker, uint32_t credit)
{
    lxm_msg_t *m = lxm_msg_new(LXM_READY);
    m->credit = credit;
    s_send(worker, &m);
}

static void s_heartbeat(zsock_t *sock)
{
    lxm_msg_t *m = lxm_msg_new(LXM_HEARTBEAT);
    lxm_msg_set_str(&m->instance, "0123456789abcdef");
    s_send(sock, &m);
}

static void s_submit(zsock_t *client, uint64_t seq, const char *source, const char *text)
{
    lxm_msg_t *m = lxm_msg_new(LXM_SUBMIT);
    m->seq = seq;
    lxm_msg_set_str(&m->batch, "batch-1");
    lxm_msg_set_str(&m->source, source);
    lxm_msg_add_blob(m, text, strlen(text));
    s_send(client, &m);
}

static void s_done(zsock_t *worker, uint64_t job, uint32_t status, const char *doc_id,
                   const char *reason)
{
    lxm_msg_t *m = lxm_msg_new(LXM_DONE);
    m->seq = job;
    m->status = status;
    lxm_msg_set_str(&m->doc_id, doc_id);
    lxm_msg_set_str(&m->reason, reason);
    s_send(worker, &m);
}

/* Fake workers that are alive: every wait below heartbeats them every 50 ms. A test
 * "kills" a worker by taking it off this list (and usually destroying it). */
static zsock_t *s_alive[8];

static void s_live(zsock_t *sock)
{
    for (size_t i = 0; i < 8; i++)
        if (!s_alive[i]) {
            s_alive[i] = sock;
            return;
        }
    fail_msg("too many live fake workers");
}

/* The fake worker stops heartbeating (as if hung or cut off) but stays connected. */
static void s_silence(zsock_t *sock)
{
    for (size_t i = 0; i < 8; i++)
        if (s_alive[i] == sock)
            s_alive[i] = NULL;
}

static void s_kill(zsock_t **sock_p)
{
    s_silence(*sock_p);
    zsock_destroy(sock_p);
}

/* The next message on SOCK that is not a HEARTBEAT, waiting at most TIMEOUT_MS, or
 * NULL; the live fake workers heartbeat meanwhile. */
static lxm_msg_t *s_next(zsock_t *sock, int timeout_ms)
{
    int64_t deadline = zclock_mono() + timeout_ms;
    int64_t next_hb = 0;
    while (zclock_mono() < deadline) {
        if (zclock_mono() >= next_hb) {
            for (size_t i = 0; i < 8; i++)
                if (s_alive[i])
                    s_heartbeat(s_alive[i]);
            next_hb = zclock_mono() + 50;
        }
        if (!t_ready(sock, 20))
            continue;
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        int rc = t_recv(&msg, sock, &why, NULL);
        if (rc != 0)
            continue;
        if (msg->cmd == LXM_HEARTBEAT) {
            lxm_msg_destroy(&msg);
            continue;
        }
        return msg;
    }
    return NULL;
}

/* Waits (at most 3 s) until the broker knows no worker. */
static void s_wait_no_workers(zactor_t *broker);

static lxm_msg_t *s_expect(zsock_t *sock, lxm_cmd_t cmd, int timeout_ms)
{
    lxm_msg_t *msg = s_next(sock, timeout_ms);
    if (!msg)
        fail_msg("expected %s, got nothing in %d ms", lxm_cmd_name(cmd), timeout_ms);
    if (msg->cmd != cmd)
        fail_msg("expected %s, got %s", lxm_cmd_name(cmd), lxm_cmd_name(msg->cmd));
    return msg;
}

/* A counter out of the broker's STATS JSON. */
static long s_stat(zactor_t *broker, const char *name)
{
    char *json = lxm_broker_stats(broker);
    assert_non_null(json);
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", name);
    const char *at = strstr(json, pattern);
    long v = at ? strtol(at + strlen(pattern), NULL, 10) : -1;
    free(json);
    return v;
}

static void s_wait_no_workers(zactor_t *broker)
{
    int64_t deadline = zclock_mono() + 3000;
    while (s_stat(broker, "workers") != 0) {
        if (zclock_mono() > deadline)
            fail_msg("the broker still counts workers after 3 s");
        zclock_sleep(20);
    }
}

/* Jobs go only to workers with credit; DONE is forwarded as RESULT and returns credit. */
static void test_dispatch_by_credit(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *worker = s_dealer(f->workers_ep);
    zsock_t *idle = s_dealer(f->workers_ep);
    zsock_t *client = s_dealer(f->clients_ep);
    s_ready(idle, 0); /* a worker without credit must get nothing */
    s_ready(worker, 2);
    s_live(idle);
    s_live(worker);
    zclock_sleep(50);
    for (uint64_t i = 1; i <= 3; i++) {
        char src[32];
        snprintf(src, sizeof src, "doc-%" PRIu64, i);
        s_submit(client, i, src, "某镇2024年法治政府建设情况报告");
    }
    for (uint64_t i = 1; i <= 3; i++) {
        lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
        assert_int_equal(acc->seq, i);
        lxm_msg_destroy(&acc);
    }
    lxm_msg_t *j1 = s_expect(worker, LXM_JOB, 1000);
    lxm_msg_t *j2 = s_expect(worker, LXM_JOB, 1000);
    assert_string_equal(j1->source, "doc-1");
    assert_string_equal(j2->source, "doc-2");
    assert_int_equal(j1->attempt, 1);
    assert_string_equal(j1->batch, "batch-1");
    assert_int_equal(j1->n_blobs, 1);
    assert_int_equal(j1->blob_size[0], strlen("某镇2024年法治政府建设情况报告"));
    assert_memory_equal(j1->blob[0], "某镇2024年法治政府建设情况报告", j1->blob_size[0]);
    /* credit spent: the third job waits, and the idle worker gets nothing */
    lxm_msg_t *none = s_next(worker, 400);
    assert_null(none);
    none = s_next(idle, 50);
    assert_null(none);
    assert_int_equal(s_stat(f->broker, "queued"), 1);
    assert_int_equal(s_stat(f->broker, "in_flight"), 2);

    s_done(worker, j1->seq, LXM_ST_STORED, "aaaa", NULL);
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 1000);
    assert_int_equal(res->seq, 1);
    assert_int_equal(res->status, LXM_ST_STORED);
    assert_string_equal(res->doc_id, "aaaa");
    lxm_msg_destroy(&res);
    lxm_msg_t *j3 = s_expect(worker, LXM_JOB, 1000);
    assert_string_equal(j3->source, "doc-3");

    /* a worker's FAILED is final: forwarded with its reason, never retried */
    s_done(worker, j2->seq, LXM_ST_FAILED, NULL, "not a report: no heading");
    res = s_expect(client, LXM_RESULT, 1000);
    assert_int_equal(res->seq, 2);
    assert_int_equal(res->status, LXM_ST_FAILED);
    assert_string_equal(res->reason, "not a report: no heading");
    lxm_msg_destroy(&res);
    s_done(worker, j3->seq, LXM_ST_DUPLICATE, "bbbb", NULL);
    res = s_expect(client, LXM_RESULT, 1000);
    assert_int_equal(res->seq, 3);
    assert_int_equal(res->status, LXM_ST_DUPLICATE);
    lxm_msg_destroy(&res);
    /* a second DONE for a settled job is stale: ignored, no second RESULT */
    s_done(worker, j3->seq, LXM_ST_STORED, "bbbb", NULL);
    assert_null(s_next(client, 300));
    assert_int_equal(s_stat(f->broker, "done"), 3);
    assert_int_equal(s_stat(f->broker, "requeued"), 0);
    assert_int_equal(s_stat(f->broker, "stale_dones"), 1);
    assert_int_equal(s_stat(f->broker, "workers"), 2);

    /* STATUS from a client: STATS JSON */
    lxm_msg_t *st = lxm_msg_new(LXM_STATUS);
    st->seq = 77;
    s_send(client, &st);
    lxm_msg_t *stats = s_expect(client, LXM_STATS, 1000);
    assert_int_equal(stats->seq, 77);
    assert_non_null(strstr(stats->reason, "\"dispatched\":3"));
    lxm_msg_destroy(&stats);

    lxm_msg_destroy(&j1);
    lxm_msg_destroy(&j2);
    lxm_msg_destroy(&j3);
    s_kill(&worker);
    s_kill(&idle);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A worker that stops heartbeating loses its jobs to another worker. */
static void test_dead_worker_requeued(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *dying = s_dealer(f->workers_ep);
    zsock_t *client = s_dealer(f->clients_ep);
    s_ready(dying, 5);
    s_live(dying);
    zclock_sleep(50);
    s_submit(client, 10, "a.txt", "甲");
    s_submit(client, 11, "b.txt", "乙");
    lxm_msg_t *j1 = s_expect(dying, LXM_JOB, 1000);
    lxm_msg_t *j2 = s_expect(dying, LXM_JOB, 1000);
    zsock_t *healthy = s_dealer(f->workers_ep);
    s_ready(healthy, 5);
    s_live(healthy);
    s_silence(dying); /* liveness 3 x 100 ms */
    lxm_msg_t *r1 = s_expect(healthy, LXM_JOB, 2000);
    assert_int_equal(r1->seq, j1->seq); /* requeued at the front, in order */
    assert_int_equal(r1->attempt, 2);
    assert_string_equal(r1->source, "a.txt");
    assert_int_equal(s_stat(f->broker, "workers"), 1);
    assert_int_equal(s_stat(f->broker, "requeued"), 2);
    /* a retried job travels alone: the next waits until the first is answered */
    assert_null(s_next(healthy, 300));
    s_done(healthy, r1->seq, LXM_ST_STORED, "cccc", NULL);
    lxm_msg_t *r2 = s_expect(healthy, LXM_JOB, 1000);
    assert_int_equal(r2->seq, j2->seq);
    assert_int_equal(r2->attempt, 2);
    s_done(healthy, r2->seq, LXM_ST_STORED, "dddd", NULL);
    bool seen[2] = {false, false};
    for (int i = 0; i < 4; i++) {
        lxm_msg_t *m = s_next(client, 1000);
        assert_non_null(m);
        if (m->cmd == LXM_RESULT) {
            assert_true(m->seq == 10 || m->seq == 11);
            assert_int_equal(m->status, LXM_ST_STORED);
            seen[m->seq - 10] = true;
        }
        lxm_msg_destroy(&m);
        if (seen[0] && seen[1])
            break;
    }
    assert_true(seen[0] && seen[1]);

    /* the dead worker comes back: its late DONE settles nothing twice, and it is told
     * to re-announce itself */
    s_done(dying, j1->seq, LXM_ST_STORED, "cccc", NULL);
    lxm_msg_t *bye = s_expect(dying, LXM_DISCONNECT, 1000);
    lxm_msg_destroy(&bye);
    assert_null(s_next(client, 200));
    assert_int_equal(s_stat(f->broker, "done"), 2);

    lxm_msg_destroy(&j1);
    lxm_msg_destroy(&j2);
    lxm_msg_destroy(&r1);
    lxm_msg_destroy(&r2);
    zsock_destroy(&dying);
    s_kill(&healthy);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A document that kills every worker it meets is reported FAILED after max-attempts. */
static void test_poison_gives_up(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *client = s_dealer(f->clients_ep);
    s_submit(client, 5, "poison.html", "<html>");
    lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
    lxm_msg_destroy(&acc);
    for (uint32_t attempt = 1; attempt <= 3; attempt++) {
        zsock_t *victim = s_dealer(f->workers_ep);
        s_ready(victim, 1);
        s_live(victim);
        lxm_msg_t *job = s_expect(victim, LXM_JOB, 2000);
        assert_int_equal(job->attempt, attempt);
        assert_string_equal(job->source, "poison.html");
        lxm_msg_destroy(&job);
        s_kill(&victim); /* the worker "crashes" on it */
    }
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 2000);
    assert_int_equal(res->seq, 5);
    assert_int_equal(res->status, LXM_ST_FAILED);
    assert_non_null(res->reason);
    assert_non_null(strstr(res->reason, "gave up after 3 attempts"));
    lxm_msg_destroy(&res);
    assert_int_equal(s_stat(f->broker, "gave_up"), 1);
    assert_int_equal(s_stat(f->broker, "queued"), 0);
    assert_int_equal(s_stat(f->broker, "in_flight"), 0);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A worker whose connection closes (the process was killed) loses its jobs at once,
 * not at the next heartbeat: here the heartbeat is 3 s and the job moves in < 1 s. */
static void test_killed_worker_fast(void **state)
{
    fixture_t *f = s_start_hb(3, 0, 0, 3000);
    zsock_t *client = s_dealer(f->clients_ep);
    zsock_t *doomed = s_dealer(f->workers_ep);
    zsock_t *healthy = s_dealer(f->workers_ep);
    s_ready(doomed, 1);
    zclock_sleep(50);
    s_submit(client, 1, "k.txt", "辛");
    lxm_msg_t *job = s_expect(doomed, LXM_JOB, 1000);
    s_ready(healthy, 1);
    zclock_sleep(50);
    int64_t killed = zclock_mono();
    zsock_destroy(&doomed);
    lxm_msg_t *again = s_expect(healthy, LXM_JOB, 1000);
    assert_true(zclock_mono() - killed < 1000);
    assert_int_equal(again->seq, job->seq);
    assert_int_equal(again->attempt, 2);
    lxm_msg_destroy(&job);
    lxm_msg_destroy(&again);
    zsock_destroy(&healthy);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A document that kills its worker does not take the documents sharing that worker
 * down with it: retried jobs travel alone, so only the poison is given up. */
static void test_poison_isolated(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *client = s_dealer(f->clients_ep);
    const char *names[4] = {"poison.html", "a.txt", "b.txt", "c.txt"};
    for (uint64_t i = 0; i < 4; i++)
        s_submit(client, i + 1, names[i], "己");
    /* first victim takes all four and dies */
    zsock_t *victim = s_dealer(f->workers_ep);
    s_ready(victim, 8);
    s_live(victim);
    for (int i = 0; i < 4; i++) {
        lxm_msg_t *job = s_expect(victim, LXM_JOB, 2000);
        lxm_msg_destroy(&job);
    }
    s_kill(&victim);
    s_wait_no_workers(f->broker);
    /* the next two workers each get the poison alone, and die of it */
    for (uint32_t attempt = 2; attempt <= 3; attempt++) {
        victim = s_dealer(f->workers_ep);
        s_ready(victim, 8);
        s_live(victim);
        lxm_msg_t *job = s_expect(victim, LXM_JOB, 2000);
        assert_string_equal(job->source, "poison.html");
        assert_int_equal(job->attempt, attempt);
        lxm_msg_destroy(&job);
        assert_null(s_next(victim, 150)); /* nothing else while it holds a retry */
        s_kill(&victim);
        s_wait_no_workers(f->broker);
    }
    /* a healthy worker gets the other three, one at a time, and stores them */
    zsock_t *healthy = s_dealer(f->workers_ep);
    s_ready(healthy, 8);
    s_live(healthy);
    for (int i = 1; i < 4; i++) {
        lxm_msg_t *job = s_expect(healthy, LXM_JOB, 2000);
        assert_string_equal(job->source, names[i]);
        assert_int_equal(job->attempt, 2);
        s_done(healthy, job->seq, LXM_ST_STORED, "9999", NULL);
        lxm_msg_destroy(&job);
    }
    int stored = 0, failed = 0;
    lxm_msg_t *m;
    while ((stored + failed < 4) && (m = s_next(client, 1000))) {
        if (m->cmd == LXM_RESULT) {
            if (m->seq == 1) {
                assert_int_equal(m->status, LXM_ST_FAILED);
                assert_non_null(strstr(m->reason, "gave up after 3 attempts"));
                failed++;
            }
            else {
                assert_int_equal(m->status, LXM_ST_STORED);
                stored++;
            }
        }
        lxm_msg_destroy(&m);
    }
    assert_int_equal(stored, 3);
    assert_int_equal(failed, 1);
    s_kill(&healthy);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A job in flight longer than the job timeout is requeued even if its worker lives. */
static void test_job_timeout(void **state)
{
    fixture_t *f = s_start(2, 0, 300);
    zsock_t *worker = s_dealer(f->workers_ep);
    zsock_t *client = s_dealer(f->clients_ep);
    s_ready(worker, 2);
    s_live(worker);
    zclock_sleep(50);
    s_submit(client, 1, "slow.txt", "丙");
    lxm_msg_t *j = s_expect(worker, LXM_JOB, 1000);
    /* the worker keeps heartbeating but never answers: the job comes back to it
     * (it still has one credit) as attempt 2, then is given up */
    lxm_msg_t *again = s_expect(worker, LXM_JOB, 2000);
    assert_int_equal(again->seq, j->seq);
    assert_int_equal(again->attempt, 2);
    lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
    lxm_msg_destroy(&acc);
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 2000);
    assert_int_equal(res->status, LXM_ST_FAILED);
    assert_non_null(strstr(res->reason, "gave up after 2 attempts"));
    assert_true(s_stat(f->broker, "timeouts") >= 2);
    lxm_msg_destroy(&res);
    lxm_msg_destroy(&j);
    lxm_msg_destroy(&again);
    s_kill(&worker);
    zsock_destroy(&client);
    s_stop(&f);
}

/* Garbage is counted and answered with ERROR; the broker keeps serving. */
static void test_malformed(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *client = s_dealer(f->clients_ep);
    zsock_t *worker = s_dealer(f->workers_ep);
    zstr_send(client, "hello broker");
    lxm_msg_t *err = s_expect(client, LXM_ERROR, 1000);
    assert_non_null(err->reason);
    lxm_msg_destroy(&err);
    /* the right signature with a body that is not msgpack */
    zmsg_t *bad = zmsg_new();
    byte header[5] = {'L', 'X', 'M', LXM_PROTO_VERSION, LXM_READY};
    zmsg_addmem(bad, header, sizeof header);
    zmsg_addmem(bad, "\xc1\xc1\xc1", 3);
    zmsg_send(&bad, worker);
    err = s_expect(worker, LXM_ERROR, 1000);
    lxm_msg_destroy(&err);
    /* a worker command on the clients endpoint */
    s_ready(client, 3);
    err = s_expect(client, LXM_ERROR, 1000);
    assert_non_null(strstr(err->reason, "READY"));
    lxm_msg_destroy(&err);
    assert_int_equal(s_stat(f->broker, "protocol_errors"), 3);
    assert_int_equal(s_stat(f->broker, "workers"), 0);

    /* still serving */
    s_ready(worker, 1);
    s_live(worker);
    s_submit(client, 9, "ok.txt", "丁");
    lxm_msg_t *job = s_expect(worker, LXM_JOB, 1000);
    s_done(worker, job->seq, LXM_ST_STORED, "eeee", NULL);
    lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
    lxm_msg_destroy(&acc);
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 1000);
    assert_int_equal(res->seq, 9);
    lxm_msg_destroy(&res);
    lxm_msg_destroy(&job);
    zsock_destroy(&client);
    s_kill(&worker);
    s_stop(&f);
}

/* A full queue stops the broker taking submissions; it resumes as workers drain it. */
static void test_queue_bound(void **state)
{
    fixture_t *f = s_start(3, 5, 0);
    zsock_t *client = s_dealer(f->clients_ep);
    for (uint64_t i = 1; i <= 20; i++)
        s_submit(client, i, "q.txt", "戊");
    int accepted = 0;
    lxm_msg_t *m;
    while ((m = s_next(client, 400))) {
        if (m->cmd == LXM_ACCEPT)
            accepted++;
        lxm_msg_destroy(&m);
    }
    assert_int_equal(accepted, 5);
    assert_int_equal(s_stat(f->broker, "queued"), 5);
    char *json = lxm_broker_stats(f->broker);
    assert_non_null(strstr(json, "\"accepting\":false"));
    free(json);
    /* while paused the broker cannot hear the client, yet keeps heartbeating it past
     * the liveness window, so the client does not take it for dead */
    int late_heartbeats = 0;
    int64_t start = zclock_mono();
    while (zclock_mono() - start < 800) {
        if (!t_ready(client, 50))
            continue;
        const char *why = NULL;
        if (t_recv(&m, client, &why, NULL) != 0)
            continue;
        if (m->cmd == LXM_HEARTBEAT && zclock_mono() - start > 500)
            late_heartbeats++;
        assert_int_not_equal(m->cmd, LXM_ACCEPT);
        lxm_msg_destroy(&m);
    }
    assert_true(late_heartbeats >= 1);

    zsock_t *worker = s_dealer(f->workers_ep);
    s_ready(worker, 100);
    s_live(worker);
    int jobs = 0;
    while (jobs < 20 && (m = s_next(worker, 1000))) {
        if (m->cmd == LXM_JOB) {
            jobs++;
            s_done(worker, m->seq, LXM_ST_STORED, "ffff", NULL);
        }
        lxm_msg_destroy(&m);
    }
    assert_int_equal(jobs, 20);
    int results = 0;
    while ((m = s_next(client, 500))) {
        if (m->cmd == LXM_ACCEPT)
            accepted++;
        else if (m->cmd == LXM_RESULT)
            results++;
        lxm_msg_destroy(&m);
    }
    assert_int_equal(accepted, 20);
    assert_int_equal(results, 20);
    assert_true(s_stat(f->broker, "paused") >= 1);
    json = lxm_broker_stats(f->broker);
    assert_non_null(strstr(json, "\"accepting\":true"));
    free(json);
    s_kill(&worker);
    zsock_destroy(&client);
    s_stop(&f);
}

/* A result for a client that has gone is counted and dropped (the document is stored
 * anyway); a worker the broker does not know is told to re-announce itself. */
static void test_gone_client_unknown_worker(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    zsock_t *client = s_dealer(f->clients_ep);
    zsock_t *worker = s_dealer(f->workers_ep);
    s_ready(worker, 1);
    s_live(worker);
    s_submit(client, 1, "x.txt", "庚");
    lxm_msg_t *job = s_expect(worker, LXM_JOB, 1000);
    zsock_destroy(&client);
    zclock_sleep(100); /* let the broker's ROUTER see the connection close */
    s_done(worker, job->seq, LXM_ST_STORED, "abab", NULL);
    lxm_msg_destroy(&job);
    int64_t deadline = zclock_mono() + 2000;
    while (s_stat(f->broker, "results_dropped") < 1 && zclock_mono() < deadline)
        zclock_sleep(20);
    assert_int_equal(s_stat(f->broker, "results_dropped"), 1);
    assert_int_equal(s_stat(f->broker, "done"), 1);

    zsock_t *stranger = s_dealer(f->workers_ep);
    s_heartbeat(stranger);
    lxm_msg_t *bye = s_expect(stranger, LXM_DISCONNECT, 1000);
    lxm_msg_destroy(&bye);
    assert_int_equal(s_stat(f->broker, "workers"), 1);
    zsock_destroy(&stranger);
    s_kill(&worker);
    s_stop(&f);
}

/* Two brokers cannot bind the same endpoint: the second constructor returns NULL. */
static void test_bind_failure(void **state)
{
    fixture_t *f = s_start(3, 0, 0);
    lxm_broker_config_t cfg;
    lxm_broker_config_defaults(&cfg);
    cfg.clients_endpoint = f->clients_ep;
    cfg.workers_endpoint = "tcp://127.0.0.1:*";
    zactor_t *second = lxm_broker_new(&cfg);
    assert_null(second);
    s_stop(&f);
}

/* ------------------------------------------------------------------ worker role
 * The worker actor against a fake broker and a fake collector (ROUTERs on 127.0.0.1). */

static lxm_extractor_t *s_extractor; /* one, shared by every test worker */

static const char S_REPORT[] =
    "浙江省湖州市安吉县递铺街道2023年法治政府建设年度报告\n"
    "一、主要举措和成效\n"
    "全年开展学法活动12次，参与干部300余人次。\n"
    "二、存在的不足\n"
    "法治宣传还不够深入。\n";

typedef struct {
    zsock_t *broker;     /* fake broker, workers endpoint */
    zsock_t *collector;  /* fake collector, results endpoint */
    zactor_t *worker;
} wfixture_t;

static zsock_t *s_router(char **ep)
{
    zsock_t *s = zsock_new(ZMQ_ROUTER);
    assert_non_null(s);
    zsock_set_linger(s, 0);
    assert_true(zsock_bind(s, "tcp://127.0.0.1:*") > 0);
    *ep = zsock_last_endpoint(s);
    return s;
}

static wfixture_t *s_wstart_st(uint32_t credit, int liveness, int store_timeout_ms)
{
    wfixture_t *f = calloc(1, sizeof *f);
    char *bep = NULL, *cep = NULL;
    f->broker = s_router(&bep);
    f->collector = s_router(&cep);
    lxm_worker_config_t cfg;
    lxm_worker_config_defaults(&cfg);
    cfg.broker_endpoint = bep;
    cfg.collector_endpoint = cep;
    cfg.credit = credit;
    cfg.heartbeat_ms = HB_MS;
    cfg.liveness = liveness;
    cfg.store_timeout_ms = store_timeout_ms;
    cfg.store_timeout_max_ms = 2 * store_timeout_ms;
    cfg.shared = s_extractor;
    cfg.name = "test worker";
    f->worker = lxm_worker_new(&cfg);
    assert_non_null(f->worker);
    free(bep);
    free(cep);
    return f;
}

static wfixture_t *s_wstart(uint32_t credit, int liveness)
{
    return s_wstart_st(credit, liveness, 200);
}

static void s_wstop(wfixture_t **f_p)
{
    wfixture_t *f = *f_p;
    lxm_worker_destroy(&f->worker);
    zsock_destroy(&f->broker);
    zsock_destroy(&f->collector);
    free(f);
    *f_p = NULL;
}

static void s_job(wfixture_t *f, zframe_t *to, uint64_t id, const void *doc, size_t n)
{
    lxm_msg_t *m = lxm_msg_new(LXM_JOB);
    m->seq = id;
    m->attempt = 1;
    lxm_msg_set_str(&m->batch, "batch-w");
    lxm_msg_set_str(&m->source, "report.txt");
    lxm_msg_add_blob(m, doc, n);
    lxm_msg_set_routing_id(m, to);
    s_send(f->broker, &m);
}

static void s_stored(wfixture_t *f, lxm_msg_t *store, uint32_t status, const char *reason)
{
    lxm_msg_t *m = lxm_msg_new(LXM_STORED);
    m->seq = store->seq;
    m->status = status;
    lxm_msg_set_str(&m->reason, reason);
    lxm_msg_set_routing_id(m, store->routing_id);
    s_send(f->collector, &m);
}

static void s_broker_says(wfixture_t *f, zframe_t *to, lxm_cmd_t cmd, const char *instance)
{
    lxm_msg_t *m = lxm_msg_new(cmd);
    if (instance)
        lxm_msg_set_str(&m->instance, instance);
    lxm_msg_set_routing_id(m, to);
    s_send(f->broker, &m);
}

static long s_wstat(zactor_t *worker, const char *name)
{
    char *json = lxm_worker_stats(worker);
    assert_non_null(json);
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":", name);
    const char *at = strstr(json, pattern);
    long v = at ? strtol(at + strlen(pattern), NULL, 10) : -1;
    free(json);
    return v;
}

/* JOB -> STORE (a valid record and its text); DONE only after STORED; an unanswered
 * STORE is re-sent, and two answers still make one DONE. */
static void test_worker_store_then_done(void **state)
{
    wfixture_t *f = s_wstart(4, 50);
    lxm_msg_t *ready = s_expect(f->broker, LXM_READY, 2000);
    assert_int_equal(ready->credit, 4);
    s_job(f, ready->routing_id, 42, S_REPORT, strlen(S_REPORT));

    lxm_msg_t *store = s_expect(f->collector, LXM_STORE, 2000);
    assert_int_equal(store->seq, 42);
    assert_string_equal(store->batch, "batch-w");
    assert_int_equal(store->n_blobs, 2);
    lxm_record_keys_t keys;
    const char *why = NULL;
    assert_int_equal(lxm_record_check(store->blob[0], store->blob_size[0], &keys, &why), 0);
    char id[LXM_ID_HEX + 1];
    lxm_content_id(store->blob[1], store->blob_size[1], id);
    assert_int_equal(keys.id_len, LXM_ID_HEX);
    assert_memory_equal(keys.id, id, LXM_ID_HEX);
    assert_int_equal(keys.year, 2023);

    /* no DONE before the collector answers; the STORE comes again meanwhile */
    assert_null(s_next(f->broker, 300));
    lxm_msg_t *again = s_expect(f->collector, LXM_STORE, 1000);
    assert_int_equal(again->seq, 42);
    assert_true(s_wstat(f->worker, "resends") >= 1);

    s_stored(f, store, LXM_ST_RESENT, NULL);
    s_stored(f, again, LXM_ST_RESENT, NULL);
    lxm_msg_t *done = s_expect(f->broker, LXM_DONE, 1000);
    assert_int_equal(done->seq, 42);
    assert_int_equal(done->status, LXM_ST_STORED); /* RESENT counts as STORED */
    assert_string_equal(done->doc_id, id);
    assert_null(s_next(f->broker, 300)); /* one DONE for one JOB */
    assert_int_equal(s_wstat(f->worker, "held"), 0);

    lxm_msg_destroy(&ready);
    lxm_msg_destroy(&store);
    lxm_msg_destroy(&again);
    lxm_msg_destroy(&done);
    s_wstop(&f);
}

/* Documents without a record are DONE FAILED with the extractor's reason, no STORE;
 * a collector refusal is final too. */
static void test_worker_failures(void **state)
{
    wfixture_t *f = s_wstart(4, 50);
    lxm_msg_t *ready = s_expect(f->broker, LXM_READY, 2000);
    s_job(f, ready->routing_id, 7, "", 0);
    lxm_msg_t *done = s_expect(f->broker, LXM_DONE, 2000);
    assert_int_equal(done->seq, 7);
    assert_int_equal(done->status, LXM_ST_FAILED);
    assert_non_null(done->reason);
    assert_non_null(strstr(done->reason, "empty"));
    lxm_msg_destroy(&done);
    const char *junk = "hello, this is a shopping list: eggs, milk";
    s_job(f, ready->routing_id, 8, junk, strlen(junk));
    done = s_expect(f->broker, LXM_DONE, 2000);
    assert_int_equal(done->status, LXM_ST_FAILED);
    assert_non_null(strstr(done->reason, "not a report"));
    lxm_msg_destroy(&done);
    assert_null(s_next(f->collector, 200));

    s_job(f, ready->routing_id, 9, S_REPORT, strlen(S_REPORT));
    lxm_msg_t *store = s_expect(f->collector, LXM_STORE, 2000);
    s_stored(f, store, LXM_ST_FAILED, "invalid record: no id");
    done = s_expect(f->broker, LXM_DONE, 1000);
    assert_int_equal(done->seq, 9);
    assert_int_equal(done->status, LXM_ST_FAILED);
    assert_string_equal(done->reason, "invalid record: no id");
    assert_int_equal(s_wstat(f->worker, "rejected"), 2);
    lxm_msg_destroy(&done);
    lxm_msg_destroy(&store);
    lxm_msg_destroy(&ready);
    s_wstop(&f);
}

/* A restarted broker (new instance id), a DISCONNECT or a silent broker make the worker
 * announce itself again from a new socket with its free credit; jobs it still holds
 * are finished and reported anyway. */
static void test_worker_reconnects(void **state)
{
    wfixture_t *f = s_wstart(3, 3);
    lxm_msg_t *ready = s_expect(f->broker, LXM_READY, 2000);
    assert_int_equal(ready->credit, 3);
    s_broker_says(f, ready->routing_id, LXM_HEARTBEAT, "aaaaaaaaaaaaaaaa");
    s_job(f, ready->routing_id, 100, S_REPORT, strlen(S_REPORT));
    lxm_msg_t *store = s_expect(f->collector, LXM_STORE, 2000); /* held, unanswered */

    s_broker_says(f, ready->routing_id, LXM_HEARTBEAT, "bbbbbbbbbbbbbbbb");
    lxm_msg_t *ready2 = s_expect(f->broker, LXM_READY, 1000);
    assert_int_equal(ready2->credit, 2); /* one job still held */
    assert_false(zframe_eq(ready->routing_id, ready2->routing_id));

    s_broker_says(f, ready2->routing_id, LXM_DISCONNECT, NULL);
    lxm_msg_t *ready3 = s_expect(f->broker, LXM_READY, 1000);
    assert_int_equal(ready3->credit, 2);

    /* the old job completes: its DONE goes out on the new socket */
    s_stored(f, store, LXM_ST_STORED, NULL);
    lxm_msg_t *done = s_expect(f->broker, LXM_DONE, 1000);
    assert_int_equal(done->seq, 100);
    assert_true(zframe_eq(done->routing_id, ready3->routing_id));

    /* silence: after liveness x heartbeat the worker re-announces, full credit again */
    lxm_msg_t *ready4 = s_expect(f->broker, LXM_READY, 2000);
    assert_int_equal(ready4->credit, 3);
    assert_true(s_wstat(f->worker, "reconnects") >= 3);

    lxm_msg_destroy(&ready);
    lxm_msg_destroy(&ready2);
    lxm_msg_destroy(&ready3);
    lxm_msg_destroy(&ready4);
    lxm_msg_destroy(&store);
    lxm_msg_destroy(&done);
    s_wstop(&f);
}

/* A collector that comes back (restarted on the same endpoint) gets the unanswered
 * STOREs at once, not at their 5 s timeout. */
static void test_worker_collector_restart(void **state)
{
    wfixture_t *f = s_wstart_st(4, 50, 5000);
    char *cep = zsock_last_endpoint(f->collector);
    lxm_msg_t *ready = s_expect(f->broker, LXM_READY, 2000);
    s_job(f, ready->routing_id, 11, S_REPORT, strlen(S_REPORT));
    lxm_msg_t *store = s_expect(f->collector, LXM_STORE, 2000);
    lxm_msg_destroy(&store);
    zsock_destroy(&f->collector); /* the collector dies before answering */
    zclock_sleep(200);
    f->collector = zsock_new(ZMQ_ROUTER);
    zsock_set_linger(f->collector, 0);
    int port = -1;
    for (int i = 0; i < 20 && port < 0; i++) {
        port = zsock_bind(f->collector, "%s", cep);
        if (port < 0)
            zclock_sleep(50);
    }
    if (port < 0) {
        /* another process took the ephemeral port meanwhile: nothing to test here */
        lxm_msg_destroy(&ready);
        free(cep);
        s_wstop(&f);
        skip();
    }
    int64_t back = zclock_mono();
    store = s_expect(f->collector, LXM_STORE, 3000);
    assert_true(zclock_mono() - back < 2000);
    assert_int_equal(store->seq, 11);
    s_stored(f, store, LXM_ST_STORED, NULL);
    lxm_msg_t *done = s_expect(f->broker, LXM_DONE, 1000);
    assert_int_equal(done->seq, 11);
    assert_int_equal(done->status, LXM_ST_STORED);
    lxm_msg_destroy(&done);
    lxm_msg_destroy(&store);
    lxm_msg_destroy(&ready);
    free(cep);
    s_wstop(&f);
}

/* The same job dispatched twice (the broker timed it out and it came back) is stored
 * once and answered with one DONE per dispatch, so the broker's credit stays right. */
static void test_worker_folds_redispatch(void **state)
{
    wfixture_t *f = s_wstart(4, 50);
    lxm_msg_t *ready = s_expect(f->broker, LXM_READY, 2000);
    s_job(f, ready->routing_id, 5, S_REPORT, strlen(S_REPORT));
    lxm_msg_t *store = s_expect(f->collector, LXM_STORE, 2000);
    s_job(f, ready->routing_id, 5, S_REPORT, strlen(S_REPORT));
    zclock_sleep(100);
    assert_int_equal(s_wstat(f->worker, "folded"), 1);
    s_stored(f, store, LXM_ST_DUPLICATE, NULL);
    lxm_msg_t *d1 = s_expect(f->broker, LXM_DONE, 1000);
    lxm_msg_t *d2 = s_expect(f->broker, LXM_DONE, 1000);
    assert_int_equal(d1->seq, 5);
    assert_int_equal(d2->seq, 5);
    assert_int_equal(d1->status, LXM_ST_DUPLICATE);
    assert_int_equal(s_wstat(f->worker, "held"), 0);
    lxm_msg_destroy(&d1);
    lxm_msg_destroy(&d2);
    lxm_msg_destroy(&store);
    lxm_msg_destroy(&ready);
    s_wstop(&f);
}

/* Broker and worker actors together, with a fake collector: a document submitted by a
 * client comes back as RESULT STORED with the record's id. */
static void test_broker_and_worker(void **state)
{
    fixture_t *b = s_start(3, 0, 0);
    char *cep = NULL;
    zsock_t *collector = s_router(&cep);
    lxm_worker_config_t cfg;
    lxm_worker_config_defaults(&cfg);
    cfg.broker_endpoint = b->workers_ep;
    cfg.collector_endpoint = cep;
    cfg.heartbeat_ms = HB_MS;
    cfg.shared = s_extractor;
    zactor_t *worker = lxm_worker_new(&cfg);
    assert_non_null(worker);
    zsock_t *client = s_dealer(b->clients_ep);
    s_submit(client, 1, "r.txt", S_REPORT);
    lxm_msg_t *store = s_expect(collector, LXM_STORE, 2000);
    lxm_msg_t *reply = lxm_msg_new(LXM_STORED);
    reply->seq = store->seq;
    reply->status = LXM_ST_STORED;
    lxm_msg_set_routing_id(reply, store->routing_id);
    s_send(collector, &reply);
    lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 2000);
    assert_int_equal(res->seq, 1);
    assert_int_equal(res->status, LXM_ST_STORED);
    char id[LXM_ID_HEX + 1];
    lxm_content_id(store->blob[1], store->blob_size[1], id);
    assert_string_equal(res->doc_id, id);
    assert_int_equal(s_stat(b->broker, "in_flight"), 0);
    lxm_msg_destroy(&acc);
    lxm_msg_destroy(&res);
    lxm_msg_destroy(&store);
    lxm_worker_destroy(&worker);
    zsock_destroy(&client);
    zsock_destroy(&collector);
    free(cep);
    s_stop(&b);
}

/* The broker restarts on the same endpoint: the worker actor notices (DISCONNECT or the
 * new instance id), announces itself again, and serves the new broker's jobs. */
static void test_worker_survives_broker_restart(void **state)
{
    fixture_t *b = s_start(3, 0, 0);
    char *cep = NULL;
    zsock_t *collector = s_router(&cep);
    lxm_worker_config_t cfg;
    lxm_worker_config_defaults(&cfg);
    cfg.broker_endpoint = b->workers_ep;
    cfg.collector_endpoint = cep;
    cfg.heartbeat_ms = HB_MS;
    cfg.shared = s_extractor;
    zactor_t *worker = lxm_worker_new(&cfg);
    assert_non_null(worker);
    int64_t deadline = zclock_mono() + 2000;
    while (s_stat(b->broker, "workers") < 1 && zclock_mono() < deadline)
        zclock_sleep(20);
    assert_int_equal(s_stat(b->broker, "workers"), 1);

    /* restart: same endpoints, new instance */
    char *clients_ep = strdup(b->clients_ep), *workers_ep = strdup(b->workers_ep);
    s_stop(&b);
    lxm_broker_config_t bcfg;
    lxm_broker_config_defaults(&bcfg);
    bcfg.clients_endpoint = clients_ep;
    bcfg.workers_endpoint = workers_ep;
    bcfg.heartbeat_ms = HB_MS;
    zactor_t *broker = NULL;
    for (int i = 0; i < 20 && !broker; i++) {
        broker = lxm_broker_new(&bcfg);
        if (!broker)
            zclock_sleep(50);
    }
    if (!broker) {
        /* another process took one of the ephemeral ports meanwhile */
        lxm_worker_destroy(&worker);
        zsock_destroy(&collector);
        free(cep);
        free(clients_ep);
        free(workers_ep);
        skip();
    }
    deadline = zclock_mono() + 3000;
    while (s_stat(broker, "workers") < 1 && zclock_mono() < deadline)
        zclock_sleep(20);
    assert_int_equal(s_stat(broker, "workers"), 1);
    assert_int_equal(s_stat(broker, "credit"), LXM_WORKER_CREDIT);

    zsock_t *client = s_dealer(clients_ep);
    s_submit(client, 1, "after-restart.txt", S_REPORT);
    lxm_msg_t *store = s_expect(collector, LXM_STORE, 2000);
    lxm_msg_t *reply = lxm_msg_new(LXM_STORED);
    reply->seq = store->seq;
    reply->status = LXM_ST_STORED;
    lxm_msg_set_routing_id(reply, store->routing_id);
    s_send(collector, &reply);
    lxm_msg_t *acc = s_expect(client, LXM_ACCEPT, 1000);
    lxm_msg_t *res = s_expect(client, LXM_RESULT, 2000);
    assert_int_equal(res->status, LXM_ST_STORED);
    assert_true(s_wstat(worker, "reconnects") >= 1);
    lxm_msg_destroy(&acc);
    lxm_msg_destroy(&res);
    lxm_msg_destroy(&store);
    lxm_worker_destroy(&worker);
    zsock_destroy(&client);
    zsock_destroy(&collector);
    lxm_broker_destroy(&broker);
    free(cep);
    free(clients_ep);
    free(workers_ep);
}

int main(void)
{
    zsys_init();
    char *error = NULL;
    s_extractor = lxm_extractor_new(&error);
    if (!s_extractor) {
        fprintf(stderr, "cannot load the extractor: %s\n", error ? error : "?");
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dispatch_by_credit),
        cmocka_unit_test(test_dead_worker_requeued),
        cmocka_unit_test(test_poison_gives_up),
        cmocka_unit_test(test_poison_isolated),
        cmocka_unit_test(test_killed_worker_fast),
        cmocka_unit_test(test_job_timeout),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_queue_bound),
        cmocka_unit_test(test_gone_client_unknown_worker),
        cmocka_unit_test(test_bind_failure),
        cmocka_unit_test(test_worker_store_then_done),
        cmocka_unit_test(test_worker_failures),
        cmocka_unit_test(test_worker_reconnects),
        cmocka_unit_test(test_worker_folds_redispatch),
        cmocka_unit_test(test_worker_collector_restart),
        cmocka_unit_test(test_broker_and_worker),
        cmocka_unit_test(test_worker_survives_broker_restart),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    lxm_extractor_destroy(&s_extractor);
    return rc;
}
