/* lxm_broker: the broker actor. Layout after zguide's mdbroker (constants, structs,
 * then the loop with its heartbeat and purge step), without asserts on anything a peer
 * sends. See lxm_broker.h for what it promises.
 *
 * Ownership: the jobs table owns every job; a job is in exactly one of two places,
 * the queue (job->queue_handle) or one worker's in-flight list (job->worker,
 * job->inflight_handle). The workers and clients tables own their entries. */
#include "lxm_broker.h"
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "lxm_buf.h"
#include "lxm_bundle.h"
#include "lxm_msg.h"
#include "lxm_role.h"

#define S_READ_BATCH 256           /* messages read per wake-up before polling again */
#define S_MAX_CREDIT 65536         /* a worker announcing more is capped */
#define S_PACE_US 2000             /* pause after each busy turn: what arrives meanwhile is
                                      read in one batch, so each wake-up (poll, signalling
                                      between socket threads, TCP segments) serves many
                                      messages instead of one; 2 ms is nothing next to the
                                      windows and heartbeats, and the pause sleeps */

typedef struct s_worker_t s_worker_t;

typedef struct {
    uint64_t id;            /* job id, the seq of JOB and DONE */
    char key[17];           /* id as hex, the jobs table key */
    zframe_t *client;       /* the submitting client's routing id */
    uint64_t seq;           /* the client's document number */
    char *batch;            /* the client's submission token */
    char *source;           /* path or URL */
    void *doc;              /* document bytes (owned) */
    size_t size;            /* bytes in doc */
    uint32_t attempt;       /* 1 for the first dispatch */
    int64_t dispatched_at;  /* zclock_mono of the last dispatch */
    s_worker_t *worker;     /* holder while in flight, else NULL */
    void *queue_handle;     /* handle in the queue while queued, else NULL */
    void *inflight_handle;  /* handle in worker->inflight while in flight */
} s_job_t;

struct s_worker_t {
    zframe_t *routing;      /* routing id on the workers socket */
    char *key;              /* routing id as hex, the workers table key */
    char *instance;         /* the worker's instance id from its HEARTBEAT, or NULL */
    uint32_t credit;        /* jobs we may still send it */
    bool gone;              /* its connection closed (a send said EHOSTUNREACH) */
    uint32_t retries;       /* retried jobs (attempt > 1) in flight: while > 0 it gets
                               nothing else (see s_dispatch) */
    int64_t expiry;         /* zclock_mono after which it is dead */
    zlistx_t *inflight;     /* s_job_t * it holds (not owned) */
    lxm_bundle_t *out;      /* JOBs of this dispatch, not sent yet */
    size_t unsent;          /* the last UNSENT jobs of inflight are in OUT */
};

typedef struct {
    zframe_t *routing;      /* routing id on the clients socket */
    int64_t expiry;         /* stop heartbeating it after this */
    lxm_bundle_t *out;      /* ACCEPTs and RESULTs of this turn, not sent yet */
} s_client_t;

typedef struct {
    lxm_broker_config_t cfg;   /* copy; endpoint strings point at the fields below */
    char *clients_ep_cfg;      /* configured bind addresses (owned) */
    char *workers_ep_cfg;
    char *clients_ep;          /* resolved bound addresses (owned) */
    char *workers_ep;
    zsock_t *pipe;             /* the actor pipe (not owned) */
    zsock_t *clients;          /* ROUTER facing clients */
    zsock_t *workers;          /* ROUTER facing workers */
    lxm_inbox_t *from_clients; /* opens the clients' bundles of SUBMITs */
    lxm_inbox_t *from_workers; /* opens the workers' bundles of DONEs */
    zloop_t *loop;
    zactor_t *monitor;         /* zmonitor on the workers socket (DISCONNECTED), or NULL */
    char instance[17];         /* our instance id, sent in HEARTBEAT */
    zhashx_t *workers_by_key;  /* hex routing id -> s_worker_t (owned) */
    zhashx_t *clients_by_key;  /* hex routing id -> s_client_t (owned) */
    zhashx_t *jobs;            /* job key -> s_job_t (owned) */
    zlistx_t *queue;           /* s_job_t * waiting for a worker, FIFO */
    size_t queued_bytes;       /* document bytes in the queue */
    size_t in_flight;          /* jobs held by workers */
    bool reading_clients;      /* false while the queue is full (back-pressure) */
    uint64_t next_job_id;      /* random start, so a restarted broker's ids differ */
    bool terminated;           /* $TERM seen */
    /* counters */
    uint64_t submitted, dispatched, done, stored, duplicates, failed, gave_up;
    uint64_t requeued, timeouts, expired_workers, results_dropped, protocol_errors;
    uint64_t stale_dones, paused;
} s_broker_t;

/* ---------------------------------------------------------------- small helpers */

static void s_job_free(void **item)
{
    s_job_t *job = (s_job_t *) *item;
    if (!job)
        return;
    zframe_destroy(&job->client);
    free(job->batch);
    free(job->source);
    free(job->doc);
    free(job);
    *item = NULL;
}

static void s_worker_free(void **item)
{
    s_worker_t *w = (s_worker_t *) *item;
    if (!w)
        return;
    zframe_destroy(&w->routing);
    free(w->key);
    free(w->instance);
    zlistx_destroy(&w->inflight);
    lxm_bundle_destroy(&w->out);
    free(w);
    *item = NULL;
}

static void s_client_free(void **item)
{
    s_client_t *c = (s_client_t *) *item;
    if (!c)
        return;
    zframe_destroy(&c->routing);
    lxm_bundle_destroy(&c->out);
    free(c);
    *item = NULL;
}

static bool s_queue_full(const s_broker_t *self)
{
    return zlistx_size(self->queue) >= self->cfg.queue_max_docs ||
           self->queued_bytes >= self->cfg.queue_max_bytes;
}

static int64_t s_liveness_ms(const s_broker_t *self)
{
    return (int64_t) self->cfg.heartbeat_ms * self->cfg.liveness;
}

/* Sends MSG to ROUTING on SOCK and destroys MSG. Returns 0, or -1 with errno
 * EHOSTUNREACH when the peer is gone (ROUTER_MANDATORY) or EAGAIN when its pipe is full
 * (lxm_msg_send never blocks on a ROUTER). */
static int s_send_to(zsock_t *sock, zframe_t *routing, lxm_msg_t **msg_p)
{
    lxm_msg_t *msg = *msg_p;
    lxm_msg_set_routing_id(msg, routing);
    int rc = lxm_msg_send(msg, sock);
    int err = errno;
    lxm_msg_destroy(msg_p);
    errno = err;
    return rc;
}

static int s_send_simple(zsock_t *sock, zframe_t *routing, lxm_cmd_t cmd, uint64_t seq,
                          const char *reason, const char *instance)
{
    lxm_msg_t *msg = lxm_msg_new(cmd);
    msg->seq = seq;
    if (reason)
        lxm_msg_set_str(&msg->reason, reason);
    if (instance)
        lxm_msg_set_str(&msg->instance, instance);
    return s_send_to(sock, routing, &msg);
}

/* Logs and counts a peer that broke the protocol, and tells it why when we can. */
static void s_protocol_error(s_broker_t *self, zsock_t *sock, zframe_t *routing,
                             const char *side, const char *why)
{
    self->protocol_errors++;
    char *hex = routing ? zframe_strhex(routing) : NULL;
    zsys_warning("broker: malformed message from %s %s: %s", side, hex ? hex : "?", why);
    free(hex);
    if (routing)
        s_send_simple(sock, routing, LXM_ERROR, 0, why, NULL);
}

/* ---------------------------------------------------------------- bundles */

static s_client_t *s_client_lookup(s_broker_t *self, zframe_t *routing)
{
    char *hex = zframe_strhex(routing);
    s_client_t *c = (s_client_t *) zhashx_lookup(self->clients_by_key, hex);
    free(hex);
    return c;
}

/* Sends what client C's bundle holds; a failure drops those replies (counted). */
static void s_client_flush(s_broker_t *self, s_client_t *c)
{
    size_t n = lxm_bundle_count(c->out);
    if (n == 0)
        return;
    if (lxm_bundle_send(c->out, self->clients, c->routing) != 0) {
        /* the documents are stored (or failed) anyway; a client that cares resubmits */
        self->results_dropped += n;
        char *hex = zframe_strhex(c->routing);
        zsys_warning("broker: client %s is gone or not reading; %zu replies dropped (%s)",
                     hex, n, zmq_strerror(errno));
        free(hex);
    }
}

/* Queues MSG (destroyed) for the client at ROUTING: it leaves with the turn's other
 * replies to that client (s_flush_all). A client we no longer know gets it at once.
 * Returns -1 when it could not be sent or queued. */
static int s_to_client(s_broker_t *self, zframe_t *routing, lxm_msg_t **msg_p)
{
    s_client_t *c = s_client_lookup(self, routing);
    if (!c)
        return s_send_to(self->clients, routing, msg_p);
    if (!lxm_bundle_room(c->out, *msg_p))
        s_client_flush(self, c);
    int rc = lxm_bundle_add(c->out, *msg_p);
    lxm_msg_destroy(msg_p);
    return rc;
}

static void s_job_requeue_unsent(s_broker_t *self, s_worker_t *w);
static void s_worker_delete(s_broker_t *self, s_worker_t *w, const char *why, bool count);

/* Sends worker W's bundle of JOBs. When the send fails, the jobs in it go back to the
 * front of the queue as they were (never sent: same attempt), and W is paused (pipe
 * full) or forgotten (gone). Returns -1 when W was forgotten. */
static int s_worker_flush(s_broker_t *self, s_worker_t *w)
{
    if (lxm_bundle_count(w->out) == 0)
        return 0;
    int rc = lxm_bundle_send(w->out, self->workers, w->routing);
    int err = errno;
    if (rc == 0) {
        w->unsent = 0;
        return 0;
    }
    s_job_requeue_unsent(self, w);
    if (err == EAGAIN) {
        /* its pipe is full: it announced more credit than it reads; it gets more work
         * once it answers */
        zsys_warning("broker: worker %s not reading (pipe full); pausing it", w->key);
        w->credit = 0;
        return 0;
    }
    zsys_warning("broker: worker %s unreachable (%s); forgetting it", w->key, zmq_strerror(err));
    self->expired_workers++;
    s_worker_delete(self, w, "worker unreachable", true);
    return -1;
}

/* Sends every bundle still held: each client's replies and each worker's JOBs. */
static void s_flush_all(s_broker_t *self)
{
    for (s_client_t *c = (s_client_t *) zhashx_first(self->clients_by_key); c;
         c = (s_client_t *) zhashx_next(self->clients_by_key))
        s_client_flush(self, c);
    zlistx_t *failed = NULL;
    for (s_worker_t *w = (s_worker_t *) zhashx_first(self->workers_by_key); w;
         w = (s_worker_t *) zhashx_next(self->workers_by_key)) {
        if (lxm_bundle_count(w->out) == 0)
            continue;
        /* a failed flush may delete W: not while the table is being walked */
        if (!failed)
            failed = zlistx_new();
        zlistx_add_end(failed, w);
    }
    if (!failed)
        return;
    for (s_worker_t *w = (s_worker_t *) zlistx_first(failed); w;
         w = (s_worker_t *) zlistx_next(failed))
        s_worker_flush(self, w);
    zlistx_destroy(&failed);
}

/* ---------------------------------------------------------------- jobs */

/* Takes JOB out of the queue or out of its worker's in-flight list. */
static void s_job_detach(s_broker_t *self, s_job_t *job)
{
    if (job->queue_handle) {
        zlistx_delete(self->queue, job->queue_handle);
        job->queue_handle = NULL;
        self->queued_bytes -= job->size;
    }
    if (job->worker) {
        if (job->attempt > 1 && job->worker->retries > 0)
            job->worker->retries--;
        zlistx_delete(job->worker->inflight, job->inflight_handle);
        job->inflight_handle = NULL;
        job->worker = NULL;
        self->in_flight--;
    }
}

/* Sends the job's RESULT to its client and forgets the job. */
static void s_job_finish(s_broker_t *self, s_job_t *job, uint32_t status, const char *doc_id,
                         const char *reason)
{
    s_job_detach(self, job);
    self->done++;
    if (status == LXM_ST_STORED)
        self->stored++;
    else if (status == LXM_ST_DUPLICATE)
        self->duplicates++;
    else
        self->failed++;
    lxm_msg_t *msg = lxm_msg_new(LXM_RESULT);
    msg->seq = job->seq;
    msg->status = status;
    lxm_msg_set_str(&msg->doc_id, doc_id);
    lxm_msg_set_str(&msg->reason, reason);
    if (s_to_client(self, job->client, &msg) != 0) {
        /* the document is stored (or failed) anyway; the client resubmits if it cares */
        self->results_dropped++;
        char *hex = zframe_strhex(job->client);
        zsys_warning("broker: client %s is gone or not reading; result of seq %" PRIu64
                     " (%s) dropped", hex, job->seq, job->source ? job->source : "?");
        free(hex);
    }
    else if (self->cfg.verbose)
        zsys_info("broker: job %s (%s) done: status %u%s%s", job->key,
                  job->source ? job->source : "?", status, reason ? ": " : "",
                  reason ? reason : "");
    char key[sizeof job->key];
    memcpy(key, job->key, sizeof key); /* the table's destructor frees JOB */
    zhashx_delete(self->jobs, key);
}

/* Puts JOB back at the front of the queue with one more attempt, or gives up on it.
 * COUNT is false when the job's worker left cleanly (not the document's fault). */
static void s_job_requeue(s_broker_t *self, s_job_t *job, const char *why, bool count)
{
    s_job_detach(self, job);
    if (count && job->attempt + 1 > (uint32_t) self->cfg.max_attempts) {
        char reason[160];
        snprintf(reason, sizeof reason, "gave up after %u attempts: %s", job->attempt, why);
        zsys_warning("broker: job %s (%s): %s", job->key, job->source ? job->source : "?",
                     reason);
        self->gave_up++;
        s_job_finish(self, job, LXM_ST_FAILED, NULL, reason);
        return;
    }
    if (count)
        job->attempt++;
    self->requeued++;
    job->queue_handle = zlistx_add_start(self->queue, job);
    self->queued_bytes += job->size;
    if (self->cfg.verbose)
        zsys_info("broker: job %s requeued (%s), attempt %u next", job->key, why, job->attempt);
}

/* Puts back at the front of the queue, in order and with their attempt unchanged, the
 * jobs of W's bundle that could not be sent. */
static void s_job_requeue_unsent(s_broker_t *self, s_worker_t *w)
{
    for (; w->unsent > 0; w->unsent--) {
        s_job_t *job = (s_job_t *) zlistx_last(w->inflight);
        if (!job)
            break;
        s_job_detach(self, job);
        self->dispatched--;
        job->queue_handle = zlistx_add_start(self->queue, job);
        self->queued_bytes += job->size;
        if (w->credit < S_MAX_CREDIT)
            w->credit++;
    }
    w->unsent = 0;
}

/* ---------------------------------------------------------------- workers */

static s_worker_t *s_worker_lookup(s_broker_t *self, zframe_t *routing)
{
    char *hex = zframe_strhex(routing);
    s_worker_t *w = (s_worker_t *) zhashx_lookup(self->workers_by_key, hex);
    free(hex);
    return w;
}

/* Forgets W, requeueing every job it held. */
static void s_worker_delete(s_broker_t *self, s_worker_t *w, const char *why, bool count)
{
    s_job_t *job;
    lxm_bundle_clear(w->out); /* never sent: those jobs are not its fault */
    s_job_requeue_unsent(self, w);
    /* last first: each goes to the front, so the queue keeps the dispatch order */
    while ((job = (s_job_t *) zlistx_last(w->inflight)))
        s_job_requeue(self, job, why, count);
    zhashx_delete(self->workers_by_key, w->key);
}

/* The worker with credit and the fewest jobs in flight, or NULL. ALONE asks for a
 * worker with nothing in flight. */
static s_worker_t *s_worker_pick(s_broker_t *self, bool alone)
{
    s_worker_t *best = NULL;
    for (s_worker_t *w = (s_worker_t *) zhashx_first(self->workers_by_key); w;
         w = (s_worker_t *) zhashx_next(self->workers_by_key)) {
        if (w->credit == 0 || w->retries > 0 || (alone && zlistx_size(w->inflight) > 0))
            continue;
        if (!best || zlistx_size(w->inflight) < zlistx_size(best->inflight) ||
            (zlistx_size(w->inflight) == zlistx_size(best->inflight) &&
             w->credit > best->credit))
            best = w;
    }
    return best;
}

static int s_clients_readable(zloop_t *loop, zsock_t *sock, void *arg);

/* Resumes reading submissions once the queue has room again. */
static void s_flow_check(s_broker_t *self)
{
    if (!self->reading_clients && !s_queue_full(self)) {
        if (zloop_reader(self->loop, self->clients, s_clients_readable, self) == 0) {
            zloop_reader_set_tolerant(self->loop, self->clients);
            self->reading_clients = true;
            if (self->cfg.verbose)
                zsys_info("broker: queue has room again; reading submissions");
        }
    }
}

/* Hands queued jobs to workers with credit until one or the other runs out.
 *
 * A retried job (its worker died or it timed out) travels alone: it goes only to a
 * worker with nothing in flight, which gets nothing else until it answers. When a
 * document kills its worker, the documents that happened to share that worker are
 * charged one attempt, not max-attempts: the poison is isolated on its next try and
 * only it is given up. The queue waits (in order) for such a worker to drain. */
static void s_dispatch(s_broker_t *self)
{
    while (zlistx_size(self->queue) > 0) {
        s_job_t *job = (s_job_t *) zlistx_first(self->queue);
        s_worker_t *w = s_worker_pick(self, job->attempt > 1);
        if (!w)
            break;
        zlistx_delete(self->queue, job->queue_handle);
        job->queue_handle = NULL;
        self->queued_bytes -= job->size;

        lxm_msg_t *msg = lxm_msg_new(LXM_JOB);
        msg->seq = job->id;
        msg->attempt = job->attempt;
        lxm_msg_set_str(&msg->batch, job->batch);
        lxm_msg_set_str(&msg->source, job->source);
        /* lend the document bytes to the message while it is copied into the bundle */
        msg->blob[0] = job->doc;
        msg->blob_size[0] = job->size;
        msg->n_blobs = 1;
        /* a full bundle leaves first; the job keeps its place if that fails */
        if (!lxm_bundle_room(w->out, msg)) {
            msg->blob[0] = NULL;
            msg->n_blobs = 0;
            lxm_msg_destroy(&msg);
            job->queue_handle = zlistx_add_start(self->queue, job);
            self->queued_bytes += job->size;
            s_worker_flush(self, w);
            continue;
        }
        int rc = lxm_bundle_add(w->out, msg);
        msg->blob[0] = NULL;
        msg->blob_size[0] = 0;
        msg->n_blobs = 0;
        lxm_msg_destroy(&msg);
        if (rc != 0) {
            /* cannot happen for a job we built; fail it rather than loop on it */
            zsys_error("broker: job %s cannot be encoded", job->key);
            s_job_finish(self, job, LXM_ST_FAILED, NULL, "could not be encoded for a worker");
            continue;
        }
        /* in flight from now on; sent when the dispatch ends (s_flush_all) */
        w->unsent++;
        w->credit--;
        if (job->attempt > 1)
            w->retries++;
        job->worker = w;
        job->inflight_handle = zlistx_add_end(w->inflight, job);
        job->dispatched_at = zclock_mono();
        self->in_flight++;
        self->dispatched++;
        if (self->cfg.verbose)
            zsys_info("broker: job %s (%s, attempt %u) -> worker %s", job->key,
                      job->source ? job->source : "?", job->attempt, w->key);
    }
    s_flush_all(self);
    s_flow_check(self);
}

static void s_on_ready(s_broker_t *self, lxm_msg_t *msg)
{
    s_worker_t *w = s_worker_lookup(self, msg->routing_id);
    uint32_t credit = msg->credit > S_MAX_CREDIT ? S_MAX_CREDIT : msg->credit;
    if (!w) {
        w = (s_worker_t *) lxm_xcalloc(1, sizeof *w);
        w->routing = zframe_dup(msg->routing_id);
        w->key = zframe_strhex(w->routing);
        w->inflight = zlistx_new();
        w->out = lxm_bundle_new();
        zhashx_insert(self->workers_by_key, w->key, w);
        zsys_info("broker: worker %s ready with credit %u", w->key, credit);
    }
    else if (self->cfg.verbose)
        zsys_info("broker: worker %s re-announced credit %u", w->key, credit);
    /* READY states the worker's free slots; jobs it holds keep their place */
    w->credit = credit;
    w->expiry = zclock_mono() + s_liveness_ms(self);
}

static void s_on_done(s_broker_t *self, lxm_msg_t *msg, s_worker_t *w)
{
    s_job_t *job = NULL;
    char key[17];
    snprintf(key, sizeof key, "%016" PRIx64, msg->seq);
    job = (s_job_t *) zhashx_lookup(self->jobs, key);
    if (w && w->credit < S_MAX_CREDIT)
        w->credit++; /* a DONE always frees one slot at its worker */
    if (!job) {
        self->stale_dones++;
        if (self->cfg.verbose)
            zsys_info("broker: stale DONE for job %s ignored", key);
        return;
    }
    uint32_t status = msg->status;
    const char *reason = msg->reason;
    if (status == LXM_ST_RESENT)
        status = LXM_ST_STORED;
    else if (status > LXM_ST_FAILED) {
        status = LXM_ST_FAILED;
        reason = "worker reported an unknown status";
    }
    if (status == LXM_ST_FAILED && (!reason || !*reason))
        reason = "worker could not process the document";
    /* whichever worker answers first settles the job; a later DONE is stale */
    s_job_finish(self, job, status, msg->doc_id, reason);
}

static void s_on_worker_msg(s_broker_t *self, lxm_msg_t *msg)
{
    s_worker_t *w = s_worker_lookup(self, msg->routing_id);
    if (w)
        w->expiry = zclock_mono() + s_liveness_ms(self);
    switch (msg->cmd) {
    case LXM_READY:
        s_on_ready(self, msg);
        break;
    case LXM_DONE:
        s_on_done(self, msg, w);
        if (!w) {
            /* e.g. we restarted, or expired it: it must announce itself again */
            s_send_simple(self->workers, msg->routing_id, LXM_DISCONNECT, 0, NULL, NULL);
        }
        break;
    case LXM_HEARTBEAT:
        if (!w)
            s_send_simple(self->workers, msg->routing_id, LXM_DISCONNECT, 0, NULL, NULL);
        else if (msg->instance && (!w->instance || strcmp(w->instance, msg->instance))) {
            free(w->instance);
            w->instance = lxm_xstrdup(msg->instance);
        }
        break;
    case LXM_DISCONNECT:
        if (w) {
            zsys_info("broker: worker %s disconnected", w->key);
            s_worker_delete(self, w, "worker left", false);
        }
        break;
    case LXM_ERROR:
        zsys_warning("broker: worker says: %s", msg->reason ? msg->reason : "(no reason)");
        break;
    default: {
        char why[80];
        snprintf(why, sizeof why, "unexpected %s on the workers endpoint",
                 lxm_cmd_name(msg->cmd));
        s_protocol_error(self, self->workers, msg->routing_id, "worker", why);
        break;
    }
    }
}

static int s_workers_readable(zloop_t *loop, zsock_t *sock, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    int reads = 0;
    while (lxm_inbox_more(self->from_workers, sock, &reads, S_READ_BATCH)) {
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        zframe_t *routing = NULL;
        int rc = lxm_inbox_recv(self->from_workers, sock, &msg, &why, &routing);
        if (rc == LXM_MSG_EPROTO) {
            s_protocol_error(self, sock, routing, "worker", why ? why : "malformed");
            zframe_destroy(&routing);
            continue;
        }
        if (rc != 0)
            break;
        if (!msg->routing_id) {
            lxm_msg_destroy(&msg);
            continue;
        }
        s_on_worker_msg(self, msg);
        lxm_msg_destroy(&msg);
    }
    s_dispatch(self);
    usleep(S_PACE_US);
    return 0;
}

/* ---------------------------------------------------------------- clients */

static void s_client_seen(s_broker_t *self, zframe_t *routing)
{
    char *hex = zframe_strhex(routing);
    s_client_t *c = (s_client_t *) zhashx_lookup(self->clients_by_key, hex);
    if (!c) {
        c = (s_client_t *) lxm_xcalloc(1, sizeof *c);
        c->routing = zframe_dup(routing);
        c->out = lxm_bundle_new();
        zhashx_insert(self->clients_by_key, hex, c);
    }
    c->expiry = zclock_mono() + s_liveness_ms(self);
    free(hex);
}

static char *s_stats_json(s_broker_t *self)
{
    uint64_t credit = 0;
    for (s_worker_t *w = (s_worker_t *) zhashx_first(self->workers_by_key); w;
         w = (s_worker_t *) zhashx_next(self->workers_by_key))
        credit += w->credit;
    lxm_buf_t b = {0};
    lxm_buf_printf(&b,
                   "{\"role\":\"broker\",\"instance\":\"%s\",\"queued\":%zu,"
                   "\"queued_bytes\":%zu,\"in_flight\":%zu,\"workers\":%zu,\"credit\":%" PRIu64
                   ",\"clients\":%zu,\"accepting\":%s,\"submitted\":%" PRIu64
                   ",\"dispatched\":%" PRIu64 ",\"done\":%" PRIu64 ",\"stored\":%" PRIu64
                   ",\"duplicates\":%" PRIu64 ",\"failed\":%" PRIu64 ",\"gave_up\":%" PRIu64
                   ",\"requeued\":%" PRIu64 ",\"timeouts\":%" PRIu64
                   ",\"expired_workers\":%" PRIu64 ",\"stale_dones\":%" PRIu64
                   ",\"results_dropped\":%" PRIu64 ",\"paused\":%" PRIu64
                   ",\"protocol_errors\":%" PRIu64 "}",
                   self->instance, zlistx_size(self->queue), self->queued_bytes,
                   self->in_flight, zhashx_size(self->workers_by_key), credit,
                   zhashx_size(self->clients_by_key), self->reading_clients ? "true" : "false",
                   self->submitted, self->dispatched, self->done, self->stored,
                   self->duplicates, self->failed, self->gave_up, self->requeued,
                   self->timeouts, self->expired_workers, self->stale_dones,
                   self->results_dropped, self->paused, self->protocol_errors);
    return lxm_buf_take(&b);
}

static void s_on_submit(s_broker_t *self, lxm_msg_t *msg)
{
    if (msg->n_blobs < 1) {
        s_protocol_error(self, self->clients, msg->routing_id, "client",
                         "SUBMIT without document bytes");
        return;
    }
    s_job_t *job = (s_job_t *) lxm_xcalloc(1, sizeof *job);
    job->id = self->next_job_id++;
    snprintf(job->key, sizeof job->key, "%016" PRIx64, job->id);
    job->client = zframe_dup(msg->routing_id);
    job->seq = msg->seq;
    job->batch = msg->batch;
    msg->batch = NULL;
    job->source = msg->source;
    msg->source = NULL;
    /* take the document bytes from the message instead of copying them */
    job->doc = msg->blob[0];
    job->size = msg->blob_size[0];
    msg->blob[0] = NULL;
    msg->blob_size[0] = 0;
    job->attempt = 1;
    zhashx_insert(self->jobs, job->key, job);
    job->queue_handle = zlistx_add_end(self->queue, job);
    self->queued_bytes += job->size;
    self->submitted++;
    lxm_msg_t *accept = lxm_msg_new(LXM_ACCEPT);
    accept->seq = msg->seq;
    s_to_client(self, msg->routing_id, &accept);
    if (self->cfg.verbose)
        zsys_info("broker: job %s queued: seq %" PRIu64 " %s (%zu bytes)", job->key, job->seq,
                  job->source ? job->source : "?", job->size);
}

static void s_on_client_msg(s_broker_t *self, lxm_msg_t *msg)
{
    s_client_seen(self, msg->routing_id);
    switch (msg->cmd) {
    case LXM_SUBMIT:
        s_on_submit(self, msg);
        break;
    case LXM_HEARTBEAT:
        s_send_simple(self->clients, msg->routing_id, LXM_HEARTBEAT, 0, NULL, self->instance);
        break;
    case LXM_STATUS: {
        char *json = s_stats_json(self);
        s_send_simple(self->clients, msg->routing_id, LXM_STATS, msg->seq, json, NULL);
        free(json);
        break;
    }
    case LXM_DISCONNECT: {
        char *hex = zframe_strhex(msg->routing_id);
        zhashx_delete(self->clients_by_key, hex);
        free(hex);
        break;
    }
    default: {
        char why[80];
        snprintf(why, sizeof why, "unexpected %s on the clients endpoint",
                 lxm_cmd_name(msg->cmd));
        s_protocol_error(self, self->clients, msg->routing_id, "client", why);
        break;
    }
    }
}

static int s_clients_readable(zloop_t *loop, zsock_t *sock, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    int reads = 0;
    /* a full queue stops the reading of new messages, not of the rest of a bundle:
     * the queue may pass its bound by one bundle */
    while (lxm_inbox_waiting(self->from_clients) > 0 ||
           (!s_queue_full(self) && lxm_inbox_more(self->from_clients, sock, &reads, S_READ_BATCH))) {
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        zframe_t *routing = NULL;
        int rc = lxm_inbox_recv(self->from_clients, sock, &msg, &why, &routing);
        if (rc == LXM_MSG_EPROTO) {
            s_protocol_error(self, sock, routing, "client", why ? why : "malformed");
            zframe_destroy(&routing);
            continue;
        }
        if (rc != 0)
            break;
        if (msg->routing_id)
            s_on_client_msg(self, msg);
        lxm_msg_destroy(&msg);
    }
    s_dispatch(self);
    usleep(S_PACE_US);
    if (s_queue_full(self) && self->reading_clients) {
        /* back-pressure: leave submissions in ZMQ's pipes until the queue drains */
        zloop_reader_end(loop, sock);
        self->reading_clients = false;
        self->paused++;
        zsys_info("broker: queue full (%zu documents, %zu bytes); pausing submissions",
                  zlistx_size(self->queue), self->queued_bytes);
    }
    return 0;
}

/* ---------------------------------------------------------------- heartbeat, purge */

/* Heartbeats every worker, forgets the dead ones (connection closed, or silent for
 * the liveness window) and requeues their jobs and any job in flight too long. */
static void s_check_workers(s_broker_t *self)
{
    int64_t now = zclock_mono();
    /* collect first: the tables must not change while we walk them */
    zlistx_t *dead = zlistx_new();
    zlistx_t *late = zlistx_new();
    for (s_worker_t *w = (s_worker_t *) zhashx_first(self->workers_by_key); w;
         w = (s_worker_t *) zhashx_next(self->workers_by_key)) {
        /* a closed connection is final: a worker that lives on reconnects under a new
         * routing id, so there is no need to wait out its liveness */
        if (s_send_simple(self->workers, w->routing, LXM_HEARTBEAT, 0, NULL,
                          self->instance) != 0 && errno == EHOSTUNREACH)
            w->gone = true;
        if (w->gone || now > w->expiry) {
            zlistx_add_end(dead, w);
            continue;
        }
        for (s_job_t *job = (s_job_t *) zlistx_first(w->inflight); job;
             job = (s_job_t *) zlistx_next(w->inflight))
            if (now - job->dispatched_at > self->cfg.job_timeout_ms)
                zlistx_add_end(late, job);
    }
    for (s_worker_t *w = (s_worker_t *) zlistx_first(dead); w;
         w = (s_worker_t *) zlistx_next(dead)) {
        if (w->gone)
            zsys_warning("broker: worker %s disconnected; requeueing its %zu jobs", w->key,
                         zlistx_size(w->inflight));
        else
            zsys_warning("broker: worker %s silent for %d heartbeats; requeueing its %zu jobs",
                         w->key, self->cfg.liveness, zlistx_size(w->inflight));
        self->expired_workers++;
        s_worker_delete(self, w, "worker died or timed out", true);
    }
    for (s_job_t *job = (s_job_t *) zlistx_last(late); job;
         job = (s_job_t *) zlistx_prev(late)) {
        zsys_warning("broker: job %s (%s) in flight for over %d ms; requeueing", job->key,
                     job->source ? job->source : "?", self->cfg.job_timeout_ms);
        self->timeouts++;
        /* its worker keeps the credit it spent until it answers */
        s_job_requeue(self, job, "worker died or timed out", true);
    }
    zlistx_destroy(&dead);
    zlistx_destroy(&late);
}

/* Looks for workers whose connection closed. ZMQ_EVENTS makes the socket process its
 * pending commands (a closed peer's pipe is torn down in a few steps between threads). */
static int s_probe(zloop_t *loop, int timer_id, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    zsock_events(self->workers);
    s_check_workers(self);
    s_dispatch(self);
    return 0;
}

/* The workers socket saw a connection close: find out whose now rather than at the
 * next heartbeat, so a killed worker's jobs move on at once. The socket forgets the
 * peer a moment after the event, so look again shortly after. */
static int s_monitor_event(zloop_t *loop, zsock_t *sock, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    zmsg_t *event = zmsg_recv(sock);
    zmsg_destroy(&event);
    s_probe(loop, 0, self);
    zloop_timer(loop, 10, 1, s_probe, self);
    zloop_timer(loop, 100, 1, s_probe, self);
    zloop_timer(loop, 500, 1, s_probe, self);
    return 0;
}

static int s_tick(zloop_t *loop, int timer_id, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    int64_t now = zclock_mono();
    s_check_workers(self);

    zlistx_t *gone = zlistx_new();
    for (s_client_t *c = (s_client_t *) zhashx_first(self->clients_by_key); c;
         c = (s_client_t *) zhashx_next(self->clients_by_key)) {
        /* while we do not read the clients socket their silence is ours: keep
         * heartbeating them so they do not take us for dead and resubmit */
        if (!self->reading_clients)
            c->expiry = now + s_liveness_ms(self);
        if (now > c->expiry)
            zlistx_add_end(gone, lxm_xstrdup((const char *) zhashx_cursor(self->clients_by_key)));
        else
            s_send_simple(self->clients, c->routing, LXM_HEARTBEAT, 0, NULL, self->instance);
    }
    for (char *key = (char *) zlistx_first(gone); key; key = (char *) zlistx_next(gone)) {
        zhashx_delete(self->clients_by_key, key);
        free(key);
    }
    zlistx_destroy(&gone);

    s_dispatch(self); /* sends every bundle held */
    return 0;
}

/* ---------------------------------------------------------------- actor */

static char *s_stats_fn(void *arg)
{
    return s_stats_json((s_broker_t *) arg);
}

static int s_pipe_readable(zloop_t *loop, zsock_t *pipe, void *arg)
{
    s_broker_t *self = (s_broker_t *) arg;
    const char *endpoints[] = {self->clients_ep, self->workers_ep, NULL};
    int rc = lxm_role_pipe(pipe, "broker", s_stats_fn, self, endpoints);
    if (rc != 0)
        self->terminated = true;
    return rc;
}

void lxm_broker_config_defaults(lxm_broker_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->clients_endpoint = LXM_BROKER_CLIENTS_EP;
    cfg->workers_endpoint = LXM_BROKER_WORKERS_EP;
    cfg->heartbeat_ms = 1000;
    cfg->liveness = 3;
    cfg->job_timeout_ms = 60000;
    cfg->max_attempts = 3;
    cfg->queue_max_docs = 10000;
    cfg->queue_max_bytes = (size_t) 512 << 20;
}

static void s_broker_free(s_broker_t *self)
{
    zloop_destroy(&self->loop);
    zactor_destroy(&self->monitor); /* before the socket it watches */
    /* queue and worker lists hold borrowed pointers: drop them before the owners */
    zlistx_destroy(&self->queue);
    zhashx_destroy(&self->workers_by_key);
    zhashx_destroy(&self->clients_by_key);
    zhashx_destroy(&self->jobs);
    zsock_destroy(&self->clients);
    zsock_destroy(&self->workers);
    lxm_inbox_destroy(&self->from_clients);
    lxm_inbox_destroy(&self->from_workers);
    free(self->clients_ep_cfg);
    free(self->workers_ep_cfg);
    free(self->clients_ep);
    free(self->workers_ep);
    free(self);
}

void lxm_broker_actor(zsock_t *pipe, void *args)
{
    s_broker_t *self = (s_broker_t *) lxm_xcalloc(1, sizeof *self);
    if (args)
        self->cfg = *(const lxm_broker_config_t *) args;
    else
        lxm_broker_config_defaults(&self->cfg);
    lxm_broker_config_t def;
    lxm_broker_config_defaults(&def);
    /* zero or negative settings mean the default, never a busy loop */
    if (!self->cfg.clients_endpoint)
        self->cfg.clients_endpoint = def.clients_endpoint;
    if (!self->cfg.workers_endpoint)
        self->cfg.workers_endpoint = def.workers_endpoint;
    if (self->cfg.heartbeat_ms <= 0)
        self->cfg.heartbeat_ms = def.heartbeat_ms;
    if (self->cfg.liveness <= 0)
        self->cfg.liveness = def.liveness;
    if (self->cfg.job_timeout_ms <= 0)
        self->cfg.job_timeout_ms = def.job_timeout_ms;
    if (self->cfg.max_attempts <= 0)
        self->cfg.max_attempts = def.max_attempts;
    if (self->cfg.queue_max_docs == 0)
        self->cfg.queue_max_docs = def.queue_max_docs;
    if (self->cfg.queue_max_bytes == 0)
        self->cfg.queue_max_bytes = def.queue_max_bytes;
    self->clients_ep_cfg = lxm_xstrdup(self->cfg.clients_endpoint);
    self->workers_ep_cfg = lxm_xstrdup(self->cfg.workers_endpoint);
    self->cfg.clients_endpoint = self->clients_ep_cfg;
    self->cfg.workers_endpoint = self->workers_ep_cfg;
    self->pipe = pipe;
    zsock_signal(pipe, 0); /* zactor_new's handshake: ARGS is no longer needed */

    lxm_instance_id(self->instance);
    /* job ids start at our random instance id: a restarted broker never mistakes an old
     * broker's DONE for one of its own jobs */
    self->next_job_id = strtoull(self->instance, NULL, 16) >> 1;
    self->workers_by_key = zhashx_new();
    zhashx_set_destructor(self->workers_by_key, s_worker_free);
    self->clients_by_key = zhashx_new();
    zhashx_set_destructor(self->clients_by_key, s_client_free);
    self->jobs = zhashx_new();
    zhashx_set_destructor(self->jobs, s_job_free);
    self->queue = zlistx_new();
    self->from_clients = lxm_inbox_new();
    self->from_workers = lxm_inbox_new();

    self->clients = lxm_role_bind(ZMQ_ROUTER, self->cfg.clients_endpoint, "broker", "clients",
                                  &self->clients_ep);
    if (self->clients)
        self->workers = lxm_role_bind(ZMQ_ROUTER, self->cfg.workers_endpoint, "broker",
                                      "workers", &self->workers_ep);
    if (!self->clients || !self->workers) {
        zsock_signal(pipe, 1);
        s_broker_free(self);
        return;
    }
    /* lxm_msg_send never blocks on a ROUTER (ZMQ_DONTWAIT): a peer that is gone or not
     * reading fails the send, and we requeue (workers) or count a dropped result */

    self->loop = zloop_new();
    zloop_set_nonstop(self->loop, true); /* only $TERM stops us; the command handles signals */
    zloop_reader(self->loop, pipe, s_pipe_readable, self);
    zloop_reader(self->loop, self->workers, s_workers_readable, self);
    zloop_reader_set_tolerant(self->loop, self->workers);
    zloop_reader(self->loop, self->clients, s_clients_readable, self);
    zloop_reader_set_tolerant(self->loop, self->clients);
    self->reading_clients = true;
    zloop_timer(self->loop, (size_t) self->cfg.heartbeat_ms, 0, s_tick, self);
    self->monitor = zactor_new(zmonitor, self->workers);
    if (self->monitor) {
        zstr_sendx(self->monitor, "LISTEN", "DISCONNECTED", NULL);
        zstr_send(self->monitor, "START");
        zsock_wait(self->monitor);
        zloop_reader(self->loop, zactor_sock(self->monitor), s_monitor_event, self);
    }

    zsys_info("broker: clients on %s, workers on %s (instance %s)", self->clients_ep,
              self->workers_ep, self->instance);
    zsock_signal(pipe, 0);
    zloop_start(self->loop);

    zsys_info("broker: exit: submitted %" PRIu64 ", dispatched %" PRIu64 ", done %" PRIu64
              " (stored %" PRIu64 ", duplicates %" PRIu64 ", failed %" PRIu64
              "), requeued %" PRIu64 ", still queued %zu, in flight %zu, protocol errors %" PRIu64,
              self->submitted, self->dispatched, self->done, self->stored, self->duplicates,
              self->failed, self->requeued, zlistx_size(self->queue), self->in_flight,
              self->protocol_errors);
    s_broker_free(self);
}

zactor_t *lxm_broker_new(const lxm_broker_config_t *cfg)
{
    lxm_broker_config_t def;
    if (!cfg) {
        lxm_broker_config_defaults(&def);
        cfg = &def;
    }
    return lxm_role_start(lxm_broker_actor, (void *) cfg);
}

void lxm_broker_destroy(zactor_t **self_p)
{
    zactor_destroy(self_p);
}

char *lxm_broker_stats(zactor_t *self)
{
    return lxm_role_stats(self);
}

int lxm_broker_endpoints(zactor_t *self, char **clients, char **workers)
{
    *clients = *workers = NULL;
    if (!self || zstr_send(self, "ENDPOINTS") != 0)
        return -1;
    if (zstr_recvx(self, clients, workers, NULL) != 2) {
        zstr_free(clients);
        zstr_free(workers);
        return -1;
    }
    return 0;
}
