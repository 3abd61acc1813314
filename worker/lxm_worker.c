/* lxm_worker: the worker actor. One loop over the pipe, the broker DEALER and the
 * collector DEALER; waiting jobs are parsed for up to S_PARSE_TURN_US per turn, so
 * heartbeats flow between turns. (A plain
 * zmq_poll loop rather than zloop: zloop has no "run when idle" step, and the broker
 * socket is recreated on reconnect.) See lxm_worker.h for what it promises.
 *
 * Credit: the worker holds at most CREDIT jobs (waiting, being parsed, or waiting for
 * the collector). HELD counts them: +1 per JOB received, -1 per DONE sent. READY
 * always announces CREDIT - HELD, and every DONE returns one slot at the broker, so
 * the broker's view stays right across reconnects. */
#include "lxm_worker.h"
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_bundle.h"
#include "lxm_msg.h"
#include "lxm_record.h"
#include "lxm_role.h"

#define S_READ_BATCH 256        /* messages read per socket per turn */
#define S_STORE_FAILS_MAX 5     /* collector store errors before a document is failed */
#define S_PARSE_TURN_US 8000    /* waiting jobs are parsed back to back for up to this long
                                   per turn, and the turn's STOREs and DONEs leave as one
                                   bundle each: on a machine the roles share, every wake-up
                                   of another process may take the parser's core, so fewer,
                                   larger turns (8 ms, vs 2 ms: context switches per document
                                   0.3 -> 0.1) leave it more of its core; heartbeats still
                                   flow between turns */

typedef struct {
    uint64_t job;            /* job id: the seq of STORE, STORED and DONE */
    uint32_t copies;         /* JOBs with this id folded into this store (DONEs owed) */
    char *batch;             /* the client's submission token */
    char *source;            /* for logs */
    char doc_id[LXM_ID_HEX + 1];
    void *record;            /* record msgpack (owned) */
    size_t record_size;
    char *text;              /* cleaned text (owned) */
    size_t text_size;
    int64_t deadline;        /* zclock_mono when to re-send */
    int timeout_ms;          /* current re-send interval */
    uint32_t failures;       /* collector store errors so far */
} s_pending_t;

typedef struct {
    lxm_worker_config_t cfg;    /* copy; strings point at the owned copies below */
    char *broker_ep, *collector_ep, *name;
    zsock_t *pipe;              /* actor pipe (not owned) */
    zsock_t *broker;            /* DEALER to the broker, recreated on reconnect */
    zsock_t *collector;         /* DEALER to the collector */
    lxm_inbox_t *from_broker;   /* opens the broker's bundles of JOBs */
    lxm_inbox_t *from_collector; /* opens the collector's bundles of STOREDs */
    lxm_bundle_t *to_broker;    /* DONEs of this turn, sent as one message */
    lxm_bundle_t *to_collector; /* STOREs of this turn, sent as one message */
    zactor_t *monitor;          /* zmonitor on the collector socket (CONNECTED), or NULL */
    lxm_extractor_t *extractor; /* ours (possibly sharing cfg.shared's data) */
    char instance[17];          /* our instance id */
    char *broker_instance;      /* the broker's, from its HEARTBEAT; NULL until seen */
    int64_t broker_expiry;      /* reconnect when the broker is silent past this */
    int64_t next_heartbeat;     /* when we heartbeat the broker next */
    zlistx_t *jobs;             /* lxm_msg_t * JOBs waiting to be parsed (owned) */
    zlistx_t *fresh;            /* s_pending_t * parsed this turn, STORE not sent yet (not
                                   owned: the pending table owns them) */
    zhashx_t *pending;          /* job id hex -> s_pending_t awaiting STORED (owned) */
    uint32_t held;              /* jobs held: queued + parsing + pending copies */
    bool terminated;            /* $TERM seen */
    lxm_record_t rec;           /* reused per job */
    lxm_buf_t cleaned;          /* reused per job */
    /* counters */
    uint64_t received, parsed, rejected, stores_sent, resends, stored, duplicates;
    uint64_t store_failed, dones, reconnects, restarts, protocol_errors, folded;
    uint64_t extract_us;        /* CPU time in lxm_extract (this thread's): the rest of the
                                   thread's CPU is messaging */
} s_worker_t;

static void s_pending_free(void **item)
{
    s_pending_t *p = (s_pending_t *) *item;
    if (!p)
        return;
    free(p->batch);
    free(p->source);
    free(p->record);
    free(p->text);
    free(p);
    *item = NULL;
}

static void s_msg_free(void **item)
{
    lxm_msg_destroy((lxm_msg_t **) item);
}

static uint32_t s_free_credit(const s_worker_t *self)
{
    return self->cfg.credit > self->held ? self->cfg.credit - self->held : 0;
}

static int64_t s_liveness_ms(const s_worker_t *self)
{
    return (int64_t) self->cfg.heartbeat_ms * self->cfg.liveness;
}

/* Sends MSG (kept by the caller) without ever blocking: both sockets have a zero send
 * timeout, so a full or peerless pipe fails here instead of stalling heartbeats. */
static int s_send(s_worker_t *self, zsock_t *sock, lxm_msg_t *msg)
{
    int rc = lxm_msg_send(msg, sock);
    if (rc != 0 && self->cfg.verbose)
        zsys_info("%s: could not send %s (%s); will rely on a retry", self->name,
                  lxm_cmd_name(msg->cmd), zmq_strerror(errno));
    return rc;
}

/* Sends what BUNDLE holds on SOCK (never blocking, as s_send). */
static void s_flush(s_worker_t *self, lxm_bundle_t *bundle, zsock_t *sock)
{
    size_t n = lxm_bundle_count(bundle);
    if (n && lxm_bundle_send(bundle, sock, NULL) != 0 && self->cfg.verbose)
        zsys_info("%s: could not send %zu messages (%s); will rely on a retry", self->name,
                  n, zmq_strerror(errno));
}

/* Adds MSG (kept by the caller) to BUNDLE, sending first when it is full. */
static void s_bundle(s_worker_t *self, lxm_bundle_t *bundle, zsock_t *sock, lxm_msg_t *msg)
{
    if (!lxm_bundle_room(bundle, msg))
        s_flush(self, bundle, sock);
    if (lxm_bundle_add(bundle, msg) != 0)
        zsys_error("%s: cannot encode %s", self->name, lxm_cmd_name(msg->cmd));
}

static zsock_t *s_dealer(s_worker_t *self, const char *ep)
{
    zsock_t *sock = zsock_new(ZMQ_DEALER);
    if (!sock)
        return NULL;
    lxm_sock_harden(sock);
    int zero = 0; /* plain zmq call: CZMQ's setter asserts if the context is ending */
    zmq_setsockopt(zsock_resolve(sock), ZMQ_SNDTIMEO, &zero, sizeof zero);
    if (zsock_connect(sock, "%s", ep) != 0) {
        zsys_error("%s: cannot connect to %s", self->name, ep);
        zsock_destroy(&sock);
    }
    return sock;
}

static void s_send_heartbeat(s_worker_t *self)
{
    lxm_msg_t *hb = lxm_msg_new(LXM_HEARTBEAT);
    lxm_msg_set_str(&hb->instance, self->instance);
    s_send(self, self->broker, hb);
    lxm_msg_destroy(&hb);
    self->next_heartbeat = zclock_mono() + self->cfg.heartbeat_ms;
}

/* (Re)creates the broker socket and announces our free credit. Returns 0 or -1. */
static int s_broker_connect(s_worker_t *self)
{
    if (self->broker)
        s_flush(self, self->to_broker, self->broker); /* DONEs owed to the old link */
    lxm_inbox_clear(self->from_broker); /* what is left came over the old link */
    zsock_destroy(&self->broker);
    self->broker = s_dealer(self, self->broker_ep);
    if (!self->broker)
        return -1;
    free(self->broker_instance);
    self->broker_instance = NULL;
    self->broker_expiry = zclock_mono() + s_liveness_ms(self);
    lxm_msg_t *ready = lxm_msg_new(LXM_READY);
    ready->credit = s_free_credit(self);
    s_send(self, self->broker, ready);
    lxm_msg_destroy(&ready);
    s_send_heartbeat(self);
    return 0;
}

static void s_reconnect(s_worker_t *self, const char *why)
{
    zsys_info("%s: %s; reconnecting to %s with credit %u (%u jobs still held)", self->name,
              why, self->broker_ep, s_free_credit(self), self->held);
    self->reconnects++;
    if (s_broker_connect(self) != 0)
        zsys_error("%s: cannot recreate the broker socket", self->name);
}

static void s_send_done(s_worker_t *self, uint64_t job, uint32_t status, const char *doc_id,
                        const char *reason, uint32_t copies)
{
    lxm_msg_t *done = lxm_msg_new(LXM_DONE);
    done->seq = job;
    done->status = status;
    lxm_msg_set_str(&done->doc_id, doc_id);
    lxm_msg_set_str(&done->reason, reason);
    /* one DONE per JOB received: each returns the credit its JOB took; they leave
     * with the turn's others (s_flush) */
    for (uint32_t i = 0; i < copies; i++)
        s_bundle(self, self->to_broker, self->broker, done);
    lxm_msg_destroy(&done);
    self->held = self->held >= copies ? self->held - copies : 0;
    self->dones += copies;
}

static void s_send_store(s_worker_t *self, s_pending_t *p)
{
    lxm_msg_t *store = lxm_msg_new(LXM_STORE);
    store->seq = p->job;
    lxm_msg_set_str(&store->batch, p->batch);
    lxm_msg_set_str(&store->source, p->source);
    /* lend the bytes for the send, then take them back */
    store->blob[0] = p->record;
    store->blob_size[0] = p->record_size;
    store->blob[1] = p->text;
    store->blob_size[1] = p->text_size;
    store->n_blobs = 2;
    s_bundle(self, self->to_collector, self->collector, store); /* copied into the bundle */
    store->n_blobs = 0;
    store->blob[0] = store->blob[1] = NULL;
    lxm_msg_destroy(&store);
    self->stores_sent++;
    p->deadline = zclock_mono() + p->timeout_ms;
}

/* Parses the first waiting job: DONE FAILED to the broker, or STORE to the collector. */
static void s_process_one(s_worker_t *self)
{
    lxm_msg_t *job = (lxm_msg_t *) zlistx_detach(self->jobs, NULL);
    if (!job)
        return;
    char key[17];
    snprintf(key, sizeof key, "%016" PRIx64, job->seq);
    s_pending_t *p = (s_pending_t *) zhashx_lookup(self->pending, key);
    if (p) {
        /* the broker gave us a job we are already storing (it timed out and came back):
         * one store, one DONE per dispatch */
        p->copies++;
        self->folded++;
        lxm_msg_destroy(&job);
        return;
    }
    char *error = NULL;
    int64_t started = zclock_usecs();
    struct timespec c0, c1; /* CPU, not wall: a preempted parse is not the parser's cost */
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    int rc = lxm_extract(self->extractor, job->source ? job->source : "",
                         job->n_blobs && job->blob[0] ? job->blob[0] : "",
                         job->n_blobs ? job->blob_size[0] : 0,
                         &self->rec, &self->cleaned, &error);
    int64_t took = zclock_usecs() - started;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    self->extract_us += (uint64_t) ((c1.tv_sec - c0.tv_sec) * 1000000 + (c1.tv_nsec - c0.tv_nsec) / 1000);
    if (rc != 0) {
        self->rejected++;
        if (self->cfg.verbose)
            zsys_info("%s: job %s (%s) rejected in %" PRId64 " us: %s", self->name, key,
                      job->source ? job->source : "?", took, error ? error : "?");
        s_send_done(self, job->seq, LXM_ST_FAILED, NULL, error ? error : "could not parse",
                    1);
        free(error);
        lxm_msg_destroy(&job);
        return;
    }
    self->parsed++;
    p = (s_pending_t *) lxm_xcalloc(1, sizeof *p);
    p->job = job->seq;
    p->copies = 1;
    p->batch = job->batch;
    job->batch = NULL;
    p->source = job->source;
    job->source = NULL;
    if (self->rec.id)
        snprintf(p->doc_id, sizeof p->doc_id, "%s", self->rec.id);
    lxm_buf_t packed = {0};
    lxm_record_pack(&self->rec, &packed);
    p->record_size = packed.len;
    p->record = lxm_buf_take(&packed);
    p->text_size = self->cleaned.len;
    p->text = lxm_buf_take(&self->cleaned); /* all of its bytes, whatever they hold */
    p->timeout_ms = self->cfg.store_timeout_ms;
    zhashx_insert(self->pending, key, p);
    if (self->cfg.verbose)
        zsys_info("%s: job %s (%s) parsed in %" PRId64 " us: %s, %zu facts", self->name, key,
                  p->source ? p->source : "?", took, p->doc_id, self->rec.n_facts);
    zlistx_add_end(self->fresh, p); /* sent with the turn's others (s_send_fresh) */
    lxm_record_reset(&self->rec);
    lxm_buf_clear(&self->cleaned);
    lxm_msg_destroy(&job);
}

/* Sends the STOREs of the jobs parsed this turn as one bundle (few system calls for
 * all of them). */
static void s_send_fresh(s_worker_t *self)
{
    for (s_pending_t *p = (s_pending_t *) zlistx_first(self->fresh); p;
         p = (s_pending_t *) zlistx_next(self->fresh))
        s_send_store(self, p);
    zlistx_purge(self->fresh);
    s_flush(self, self->to_collector, self->collector);
}

/* Re-sends every STORE whose answer is overdue, backing off up to the maximum. */
static void s_resend_overdue(s_worker_t *self, int64_t now)
{
    for (s_pending_t *p = (s_pending_t *) zhashx_first(self->pending); p;
         p = (s_pending_t *) zhashx_next(self->pending)) {
        if (now < p->deadline)
            continue;
        p->timeout_ms *= 2;
        if (p->timeout_ms > self->cfg.store_timeout_max_ms)
            p->timeout_ms = self->cfg.store_timeout_max_ms;
        if (p->timeout_ms < self->cfg.store_timeout_ms)
            p->timeout_ms = self->cfg.store_timeout_ms;
        self->resends++;
        if (self->cfg.verbose)
            zsys_info("%s: no STORED for job %016" PRIx64 " yet; re-sending", self->name,
                      p->job);
        s_send_store(self, p);
    }
    s_flush(self, self->to_collector, self->collector);
}

static int64_t s_earliest_deadline(s_worker_t *self)
{
    int64_t earliest = INT64_MAX;
    for (s_pending_t *p = (s_pending_t *) zhashx_first(self->pending); p;
         p = (s_pending_t *) zhashx_next(self->pending))
        if (p->deadline < earliest)
            earliest = p->deadline;
    return earliest;
}

static void s_on_stored(s_worker_t *self, lxm_msg_t *msg)
{
    char key[17];
    snprintf(key, sizeof key, "%016" PRIx64, msg->seq);
    s_pending_t *p = (s_pending_t *) zhashx_lookup(self->pending, key);
    if (!p)
        return; /* the answer to a re-send we already had an answer for */
    uint32_t status = msg->status;
    const char *reason = msg->reason;
    if (status == LXM_ST_FAILED) {
        /* a refused record is final; a store error (commit failed, disk full) is the
         * collector's trouble, not the document's: retry it a few times */
        bool refused = reason && strncmp(reason, "invalid record", 14) == 0;
        if (!refused && ++p->failures < S_STORE_FAILS_MAX) {
            zsys_warning("%s: collector could not store job %s (%s); will retry", self->name,
                         key, reason ? reason : "?");
            p->deadline = zclock_mono() + p->timeout_ms;
            return;
        }
        self->store_failed++;
    }
    else if (status == LXM_ST_DUPLICATE)
        self->duplicates++;
    else if (status == LXM_ST_STORED || status == LXM_ST_RESENT) {
        status = LXM_ST_STORED; /* a re-send of ours: it is stored */
        self->stored++;
    }
    else {
        status = LXM_ST_FAILED;
        reason = "collector answered an unknown status";
        self->store_failed++;
    }
    const char *doc_id = msg->doc_id ? msg->doc_id : (p->doc_id[0] ? p->doc_id : NULL);
    if (status == LXM_ST_FAILED && !reason)
        reason = "the collector could not store it";
    if (status != LXM_ST_FAILED)
        reason = NULL;
    if (self->cfg.verbose)
        zsys_info("%s: job %s answered: status %u", self->name, key, status);
    s_send_done(self, p->job, status, doc_id, reason, p->copies);
    zhashx_delete(self->pending, key);
}

static void s_on_broker_msg(s_worker_t *self, lxm_msg_t **msg_p)
{
    lxm_msg_t *msg = *msg_p;
    self->broker_expiry = zclock_mono() + s_liveness_ms(self);
    switch (msg->cmd) {
    case LXM_JOB:
        self->received++;
        self->held++;
        zlistx_add_end(self->jobs, msg);
        *msg_p = NULL; /* the jobs list owns it now */
        break;
    case LXM_HEARTBEAT:
        if (!msg->instance)
            break;
        if (self->broker_instance && strcmp(self->broker_instance, msg->instance) != 0) {
            self->restarts++;
            s_reconnect(self, "the broker restarted");
        }
        else if (!self->broker_instance)
            self->broker_instance = lxm_xstrdup(msg->instance);
        break;
    case LXM_DISCONNECT:
        s_reconnect(self, "the broker asked us to re-announce");
        break;
    case LXM_ERROR:
        zsys_warning("%s: broker says: %s", self->name, msg->reason ? msg->reason : "?");
        break;
    default:
        self->protocol_errors++;
        zsys_warning("%s: unexpected %s from the broker", self->name, lxm_cmd_name(msg->cmd));
        break;
    }
}

static void s_read_broker(s_worker_t *self)
{
    int reads = 0;
    while (lxm_inbox_more(self->from_broker, self->broker, &reads, S_READ_BATCH)) {
        zsock_t *sock = self->broker;
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        int rc = lxm_inbox_recv(self->from_broker, sock, &msg, &why, NULL);
        if (rc == LXM_MSG_EPROTO) {
            self->protocol_errors++;
            zsys_warning("%s: malformed message from the broker: %s", self->name,
                         why ? why : "?");
            continue;
        }
        if (rc != 0)
            break;
        s_on_broker_msg(self, &msg);
        lxm_msg_destroy(&msg);
        if (self->broker != sock)
            break; /* reconnected: the old socket is gone */
    }
}

static void s_read_collector(s_worker_t *self)
{
    int reads = 0;
    while (lxm_inbox_more(self->from_collector, self->collector, &reads, S_READ_BATCH)) {
        lxm_msg_t *msg = NULL;
        const char *why = NULL;
        int rc = lxm_inbox_recv(self->from_collector, self->collector, &msg, &why, NULL);
        if (rc == LXM_MSG_EPROTO) {
            self->protocol_errors++;
            zsys_warning("%s: malformed message from the collector: %s", self->name,
                         why ? why : "?");
            continue;
        }
        if (rc != 0)
            break;
        if (msg->cmd == LXM_STORED)
            s_on_stored(self, msg);
        else if (msg->cmd == LXM_ERROR)
            zsys_warning("%s: collector says: %s", self->name, msg->reason ? msg->reason : "?");
        else if (msg->cmd != LXM_HEARTBEAT) {
            self->protocol_errors++;
            zsys_warning("%s: unexpected %s from the collector", self->name,
                         lxm_cmd_name(msg->cmd));
        }
        lxm_msg_destroy(&msg);
    }
}

/* The collector connection came (back) up, e.g. after a collector restart: re-send
 * what it has not answered now rather than at each STORE's timeout. */
static void s_on_collector_connected(s_worker_t *self)
{
    zmsg_t *event = zmsg_recv(self->monitor);
    zmsg_destroy(&event);
    int64_t now = zclock_mono();
    size_t n = 0;
    for (s_pending_t *p = (s_pending_t *) zhashx_first(self->pending); p;
         p = (s_pending_t *) zhashx_next(self->pending)) {
        p->deadline = now;
        p->timeout_ms = self->cfg.store_timeout_ms / 2; /* back to the first interval */
        n++;
    }
    if (n > 0)
        zsys_info("%s: collector connected; re-sending %zu unanswered stores", self->name, n);
}

static char *s_stats_json(s_worker_t *self)
{
    lxm_buf_t b = {0};
    lxm_buf_printf(&b,
                   "{\"role\":\"worker\",\"instance\":\"%s\",\"credit\":%u,\"held\":%u,"
                   "\"waiting\":%zu,\"storing\":%zu,\"received\":%" PRIu64
                   ",\"parsed\":%" PRIu64 ",\"rejected\":%" PRIu64 ",\"stores_sent\":%" PRIu64
                   ",\"resends\":%" PRIu64 ",\"stored\":%" PRIu64 ",\"duplicates\":%" PRIu64
                   ",\"store_failed\":%" PRIu64 ",\"dones\":%" PRIu64 ",\"folded\":%" PRIu64
                   ",\"reconnects\":%" PRIu64 ",\"broker_restarts\":%" PRIu64
                   ",\"protocol_errors\":%" PRIu64 ",\"extract_cpu_us\":%" PRIu64 "}",
                   self->instance, self->cfg.credit, self->held, zlistx_size(self->jobs),
                   zhashx_size(self->pending), self->received, self->parsed, self->rejected,
                   self->stores_sent, self->resends, self->stored, self->duplicates,
                   self->store_failed, self->dones, self->folded, self->reconnects,
                   self->restarts, self->protocol_errors, self->extract_us);
    return lxm_buf_take(&b);
}

static char *s_stats_fn(void *arg)
{
    return s_stats_json((s_worker_t *) arg);
}

static void s_on_pipe(s_worker_t *self)
{
    if (lxm_role_pipe(self->pipe, self->name, s_stats_fn, self, NULL) != 0)
        self->terminated = true;
}

static void s_loop(s_worker_t *self)
{
    while (!self->terminated) {
        int64_t now = zclock_mono();
        long timeout = 0;
        if (zlistx_size(self->jobs) == 0) {
            int64_t wake = self->next_heartbeat;
            if (self->broker_expiry < wake)
                wake = self->broker_expiry;
            int64_t d = s_earliest_deadline(self);
            if (d < wake)
                wake = d;
            timeout = wake > now ? (long) (wake - now) : 0;
        }
        zmq_pollitem_t items[] = {
            {zsock_resolve(self->pipe), 0, ZMQ_POLLIN, 0},
            {zsock_resolve(self->broker), 0, ZMQ_POLLIN, 0},
            {zsock_resolve(self->collector), 0, ZMQ_POLLIN, 0},
            {self->monitor ? zsock_resolve(self->monitor) : NULL, 0, ZMQ_POLLIN, 0},
        };
        int rc = zmq_poll(items, self->monitor ? 4 : 3, timeout);
        if (rc < 0 && zmq_errno() != EINTR)
            break; /* the context is gone */
        if (rc > 0) {
            if (items[0].revents & ZMQ_POLLIN) {
                s_on_pipe(self);
                if (self->terminated)
                    break;
            }
            if (items[1].revents & ZMQ_POLLIN)
                s_read_broker(self);
            if (items[2].revents & ZMQ_POLLIN)
                s_read_collector(self);
            if (self->monitor && (items[3].revents & ZMQ_POLLIN))
                s_on_collector_connected(self);
        }
        if (zlistx_size(self->jobs) > 0) {
            int64_t until = zclock_usecs() + S_PARSE_TURN_US;
            do
                s_process_one(self);
            while (zlistx_size(self->jobs) > 0 && zclock_usecs() < until);
            s_send_fresh(self);
        }
        s_flush(self, self->to_broker, self->broker); /* the turn's DONEs */

        now = zclock_mono();
        if (now > self->broker_expiry)
            s_reconnect(self, "the broker is silent");
        if (now >= self->next_heartbeat)
            s_send_heartbeat(self);
        s_resend_overdue(self, now);
    }
}

void lxm_worker_config_defaults(lxm_worker_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->broker_endpoint = LXM_WORKER_BROKER_EP;
    cfg->collector_endpoint = LXM_WORKER_COLLECTOR_EP;
    cfg->credit = LXM_WORKER_CREDIT;
    cfg->heartbeat_ms = 1000;
    cfg->liveness = 3;
    cfg->store_timeout_ms = 2000;
    cfg->store_timeout_max_ms = 8000;
}

static void s_worker_free(s_worker_t *self)
{
    zactor_destroy(&self->monitor); /* before the socket it watches */
    zsock_destroy(&self->broker);
    zsock_destroy(&self->collector);
    lxm_inbox_destroy(&self->from_broker);
    lxm_inbox_destroy(&self->from_collector);
    lxm_bundle_destroy(&self->to_broker);
    lxm_bundle_destroy(&self->to_collector);
    lxm_extractor_destroy(&self->extractor);
    zlistx_destroy(&self->jobs);
    zlistx_destroy(&self->fresh);
    zhashx_destroy(&self->pending);
    lxm_record_reset(&self->rec);
    lxm_buf_free(&self->cleaned);
    free(self->broker_instance);
    free(self->broker_ep);
    free(self->collector_ep);
    free(self->name);
    free(self);
}

void lxm_worker_actor(zsock_t *pipe, void *args)
{
    s_worker_t *self = (s_worker_t *) lxm_xcalloc(1, sizeof *self);
    lxm_worker_config_t def;
    lxm_worker_config_defaults(&def);
    self->cfg = args ? *(const lxm_worker_config_t *) args : def;
    /* zero settings mean the default, never a busy loop */
    if (!self->cfg.broker_endpoint)
        self->cfg.broker_endpoint = def.broker_endpoint;
    if (!self->cfg.collector_endpoint)
        self->cfg.collector_endpoint = def.collector_endpoint;
    if (self->cfg.credit == 0)
        self->cfg.credit = def.credit;
    if (self->cfg.heartbeat_ms <= 0)
        self->cfg.heartbeat_ms = def.heartbeat_ms;
    if (self->cfg.liveness <= 0)
        self->cfg.liveness = def.liveness;
    if (self->cfg.store_timeout_ms <= 0)
        self->cfg.store_timeout_ms = def.store_timeout_ms;
    if (self->cfg.store_timeout_max_ms < self->cfg.store_timeout_ms)
        self->cfg.store_timeout_max_ms = self->cfg.store_timeout_ms;
    self->broker_ep = lxm_xstrdup(self->cfg.broker_endpoint);
    self->collector_ep = lxm_xstrdup(self->cfg.collector_endpoint);
    self->name = lxm_xstrdup(self->cfg.name ? self->cfg.name : "worker");
    self->cfg.broker_endpoint = self->broker_ep;
    self->cfg.collector_endpoint = self->collector_ep;
    self->cfg.name = self->name;
    self->pipe = pipe;
    zsock_signal(pipe, 0); /* zactor_new's handshake: ARGS is no longer needed */

    lxm_instance_id(self->instance);
    self->jobs = zlistx_new();
    zlistx_set_destructor(self->jobs, s_msg_free);
    self->fresh = zlistx_new();
    self->from_broker = lxm_inbox_new();
    self->from_collector = lxm_inbox_new();
    self->to_broker = lxm_bundle_new();
    self->to_collector = lxm_bundle_new();
    self->pending = zhashx_new();
    zhashx_set_destructor(self->pending, s_pending_free);
    char *error = NULL;
    if (self->cfg.shared)
        self->extractor = lxm_extractor_new_shared(self->cfg.shared);
    else
        self->extractor = lxm_extractor_new(&error);
    if (!self->extractor) {
        zsys_error("%s: cannot load the extractor: %s", self->name,
                   error ? error : "unknown error");
        free(error);
        zsock_signal(pipe, 1);
        s_worker_free(self);
        return;
    }
    self->collector = s_dealer(self, self->collector_ep);
    if (!self->collector || s_broker_connect(self) != 0) {
        zsock_signal(pipe, 1);
        s_worker_free(self);
        return;
    }
    self->monitor = zactor_new(zmonitor, self->collector);
    if (self->monitor) {
        zstr_sendx(self->monitor, "LISTEN", "CONNECTED", NULL);
        zstr_send(self->monitor, "START");
        zsock_wait(self->monitor);
    }
    zsys_info("%s: broker %s, collector %s, credit %u (instance %s)", self->name,
              self->broker_ep, self->collector_ep, self->cfg.credit, self->instance);
    zsock_signal(pipe, 0);

    s_loop(self);

    /* a clean exit: the broker requeues what we still hold at once instead of after
     * the liveness timeout */
    s_flush(self, self->to_broker, self->broker);
    if (self->held > 0) {
        lxm_msg_t *bye = lxm_msg_new(LXM_DISCONNECT);
        s_send(self, self->broker, bye);
        lxm_msg_destroy(&bye);
    }
    zsys_info("%s: exit: received %" PRIu64 ", parsed %" PRIu64 ", rejected %" PRIu64
              ", stored %" PRIu64 ", duplicates %" PRIu64 ", store failed %" PRIu64
              ", resends %" PRIu64 ", reconnects %" PRIu64 ", still held %u, protocol errors %" PRIu64
              ", %.3f CPU-s extracting",
              self->name, self->received, self->parsed, self->rejected, self->stored,
              self->duplicates, self->store_failed, self->resends, self->reconnects, self->held,
              self->protocol_errors, (double) self->extract_us / 1e6);
    s_worker_free(self);
}

zactor_t *lxm_worker_new(const lxm_worker_config_t *cfg)
{
    lxm_worker_config_t def;
    if (!cfg) {
        lxm_worker_config_defaults(&def);
        cfg = &def;
    }
    return lxm_role_start(lxm_worker_actor, (void *) cfg);
}

void lxm_worker_destroy(zactor_t **self_p)
{
    zactor_destroy(self_p);
}

char *lxm_worker_stats(zactor_t *self)
{
    return lxm_role_stats(self);
}
