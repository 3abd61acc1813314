/* lxm_collector: group-committing STORE handler, query server and feed publisher over
 * one zloop. See lxm_collector.h for what it promises. */
#include "lxm_collector.h"
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_bundle.h"
#include "lxm_msg.h"
#include "lxm_record.h"
#include "lxm_role.h"
#include "lxm_store.h"

/* A STORE waits up to this long for others to share its commit. Each commit costs two
 * fsyncs and rewrites the B-tree pages on the paths it touches, so a few ms of patience
 * make the batches, and the records per page written, several times larger; the workers'
 * credit covers the wait. */
#define S_GATHER_MS 5

/* One STORE waiting for the batch's commit. */
typedef struct {
    lxm_msg_t *msg;          /* the STORE (owns its routing id and blobs) */
    int status;              /* lxm_status_t once put; -1 not stored */
    bool refused;            /* the record itself was refused (invalid): final */
    const char *why;         /* static reason when refused */
    char id[LXM_ID_HEX + 1]; /* the record's id when it had a valid one */
} s_pending_t;

/* The STOREDs of one commit for one worker, sent as one message. */
typedef struct {
    zframe_t *routing;       /* the worker's routing id (owned) */
    lxm_bundle_t *out;
} s_peer_t;

typedef struct {
    lxm_collector_config_t cfg; /* copy; strings below own the endpoint texts */
    char *store_dir, *results_ep, *query_ep, *feed_ep; /* copies of the config strings */
    char *bound_results, *bound_query, *bound_feed;    /* resolved bound endpoints */
    zsock_t *pipe;           /* our actor pipe */
    zsock_t *results;        /* ROUTER: workers' STORE */
    zsock_t *query;          /* ROUTER: GET / FIND / EXPORT / STATUS */
    zsock_t *feed;           /* PUB: FEED after commit */
    zloop_t *loop;
    lxm_store_t *store;
    s_pending_t *pending;    /* the batch being read */
    size_t n_pending;
    lxm_inbox_t *from_workers; /* opens the workers' bundles of STOREs */
    s_peer_t *peers;         /* reply bundles of the commit being answered */
    size_t n_peers, cap_peers;
    /* counters */
    uint64_t stored;         /* newly stored records */
    uint64_t resent;         /* STOREs of a record its own batch stored before */
    uint64_t duplicate;      /* STOREs of a record another batch stored */
    uint64_t invalid;        /* STOREs refused as invalid */
    uint64_t failed;         /* STOREs lost to a failed batch (disk full, I/O) */
    uint64_t proto_errors;   /* malformed or unexpected messages */
    uint64_t commits;        /* committed transactions */
    uint64_t committed_puts; /* STOREs answered after a successful commit */
    uint64_t max_commit;     /* most STOREs in one commit */
    uint64_t queries;        /* query requests answered */
    uint64_t published;      /* FEED messages sent */
    uint64_t reply_drops;    /* replies to peers that were gone */
} s_self_t;

void lxm_collector_config_defaults(lxm_collector_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->store_dir = LXM_COLLECTOR_STORE_DIR;
    cfg->results_endpoint = LXM_COLLECTOR_RESULTS_EP;
    cfg->query_endpoint = LXM_COLLECTOR_QUERY_EP;
    cfg->feed_endpoint = LXM_COLLECTOR_FEED_EP;
    cfg->max_batch = 1000;
    cfg->max_batch_bytes = 8u << 20;
}

/* ------------------------------------------------------------------ replies */

static void s_send(s_self_t *self, lxm_msg_t *msg, zsock_t *sock, const char *what)
{
    if (lxm_msg_send(msg, sock) != 0) {
        self->reply_drops++;
        if (self->cfg.verbose)
            zsys_warning("collector: %s not delivered: %s", what, strerror(errno));
    }
}

static void s_send_error(s_self_t *self, zsock_t *sock, zframe_t *routing, uint64_t seq,
                         const char *reason)
{
    if (!routing)
        return;
    lxm_msg_t *err = lxm_msg_new(LXM_ERROR);
    lxm_msg_set_routing_id(err, routing);
    err->seq = seq;
    lxm_msg_set_str(&err->reason, reason);
    s_send(self, err, sock, "ERROR");
    lxm_msg_destroy(&err);
}

/* Reads one message from SOCK; a malformed one is logged, counted and answered with
 * ERROR. Returns the message or NULL (nothing usable). */
static lxm_msg_t *s_recv(s_self_t *self, zsock_t *sock, lxm_inbox_t *inbox, const char *where)
{
    lxm_msg_t *msg = NULL;
    const char *why = NULL;
    zframe_t *routing = NULL;
    int rc = inbox ? lxm_inbox_recv(inbox, sock, &msg, &why, &routing)
                   : lxm_msg_recv(&msg, sock, &why, &routing);
    if (rc == LXM_MSG_EPROTO) {
        self->proto_errors++;
        zsys_warning("collector: malformed message on %s endpoint: %s", where, why);
        char reason[160];
        snprintf(reason, sizeof reason, "malformed message: %s", why);
        s_send_error(self, sock, routing, 0, reason);
        zframe_destroy(&routing);
        return NULL;
    }
    return rc == 0 ? msg : NULL;
}

/* ------------------------------------------------------------------ stats */

static char *s_stats_json(s_self_t *self)
{
    lxm_store_counts_t c;
    if (lxm_store_counts(self->store, &c) != 0)
        memset(&c, 0, sizeof c);
    lxm_buf_t b = {0};
    lxm_buf_printf(&b,
                   "{\"role\":\"collector\",\"stored\":%" PRIu64 ",\"resent\":%" PRIu64
                   ",\"duplicate\":%" PRIu64 ",\"invalid\":%" PRIu64 ",\"failed\":%" PRIu64
                   ",\"protocol_errors\":%" PRIu64 ",\"commits\":%" PRIu64
                   ",\"records_per_commit\":%.1f,\"max_commit\":%" PRIu64
                   ",\"queries\":%" PRIu64 ",\"published\":%" PRIu64
                   ",\"reply_drops\":%" PRIu64 ",\"records\":%" PRIu64
                   ",\"data_bytes\":%" PRIu64 ",\"used_bytes\":%" PRIu64
                   ",\"map_bytes\":%" PRIu64 ",\"store\":",
                   self->stored, self->resent, self->duplicate, self->invalid, self->failed,
                   self->proto_errors, self->commits,
                   self->commits ? (double) self->committed_puts / self->commits : 0.0,
                   self->max_commit, self->queries, self->published, self->reply_drops,
                   c.records, c.data_bytes, c.used_bytes, c.map_bytes);
    lxm_buf_json_string(&b, self->store_dir, strlen(self->store_dir));
    lxm_buf_putc(&b, '}');
    return lxm_buf_take(&b);
}

/* ------------------------------------------------------------------ STORE batches */

/* The reply bundle for ROUTING in this commit's answers. */
static lxm_bundle_t *s_peer_bundle(s_self_t *self, zframe_t *routing)
{
    for (size_t i = 0; i < self->n_peers; i++)
        if (zframe_eq(self->peers[i].routing, routing))
            return self->peers[i].out;
    if (self->n_peers == self->cap_peers) {
        self->cap_peers = self->cap_peers ? self->cap_peers * 2 : 8;
        self->peers = lxm_xrealloc(self->peers, self->cap_peers * sizeof *self->peers);
        for (size_t i = self->n_peers; i < self->cap_peers; i++)
            self->peers[i] = (s_peer_t){NULL, lxm_bundle_new()};
    }
    s_peer_t *p = &self->peers[self->n_peers++];
    p->routing = zframe_dup(routing);
    return p->out;
}

/* Sends OUT, a worker's bundle of STOREDs (a gone worker re-sends and gets RESENT). */
static void s_peer_send(s_self_t *self, lxm_bundle_t *out, zframe_t *routing)
{
    size_t n = lxm_bundle_count(out);
    if (n && lxm_bundle_send(out, self->results, routing) != 0) {
        self->reply_drops += n;
        if (self->cfg.verbose)
            zsys_warning("collector: %zu STORED not delivered: %s", n, strerror(errno));
    }
}

/* Sends each worker's bundle of STOREDs. */
static void s_peers_flush(s_self_t *self)
{
    for (size_t i = 0; i < self->n_peers; i++) {
        s_peer_send(self, self->peers[i].out, self->peers[i].routing);
        zframe_destroy(&self->peers[i].routing);
    }
    self->n_peers = 0;
}

static void s_pending_clear(s_self_t *self)
{
    for (size_t i = 0; i < self->n_pending; i++)
        lxm_msg_destroy(&self->pending[i].msg);
    self->n_pending = 0;
}

/* Writes the pending STOREs in one transaction, commits, then answers and publishes. */
static void s_flush(s_self_t *self)
{
    if (self->n_pending == 0)
        return;
    const char *batch_why = NULL; /* set when the whole batch failed */
    char batch_err[300] = "";
    if (lxm_store_begin(self->store) != 0)
        batch_why = "not stored";
    for (size_t i = 0; !batch_why && i < self->n_pending; i++) {
        s_pending_t *p = &self->pending[i];
        lxm_msg_t *m = p->msg;
        p->status = lxm_store_put(self->store, m->blob[0], m->blob_size[0],
                                  m->n_blobs > 1 ? m->blob[1] : NULL,
                                  m->n_blobs > 1 ? m->blob_size[1] : 0, m->batch, p->id,
                                  &p->why);
        if (p->status < 0 && !lxm_store_in_batch(self->store))
            batch_why = p->why; /* LMDB failed: the transaction is gone */
        else if (p->status < 0)
            p->refused = true;
    }
    if (!batch_why && lxm_store_commit(self->store) != 0)
        batch_why = "not stored";
    if (batch_why) {
        snprintf(batch_err, sizeof batch_err, "%s: %s", batch_why, lxm_store_error(self->store));
        zsys_error("collector: batch of %zu lost: %s", self->n_pending, batch_err);
    } else {
        self->commits++;
        self->committed_puts += self->n_pending;
        if (self->n_pending > self->max_commit)
            self->max_commit = self->n_pending;
    }
    for (size_t i = 0; i < self->n_pending; i++) {
        s_pending_t *p = &self->pending[i];
        lxm_msg_t *reply = lxm_msg_new(LXM_STORED);
        lxm_msg_set_routing_id(reply, p->msg->routing_id);
        reply->seq = p->msg->seq;
        if (p->id[0])
            lxm_msg_set_str(&reply->doc_id, p->id);
        if (p->refused) {
            /* "invalid record" tells the worker the refusal is final */
            reply->status = LXM_ST_FAILED;
            char reason[200];
            snprintf(reason, sizeof reason, "invalid record: %s", p->why ? p->why : "?");
            lxm_msg_set_str(&reply->reason, reason);
            self->invalid++;
            zsys_warning("collector: refused record%s%s (source %s): %s",
                         p->id[0] ? " " : "", p->id,
                         p->msg->source ? p->msg->source : "?", reason);
        } else if (batch_why) {
            /* its transaction never committed (or it was the put LMDB failed on): the
             * worker may send it again */
            reply->status = LXM_ST_FAILED;
            lxm_msg_set_str(&reply->reason, batch_err);
            self->failed++;
        } else {
            reply->status = (uint32_t) p->status;
            if (p->status == LXM_ST_STORED)
                self->stored++;
            else if (p->status == LXM_ST_RESENT)
                self->resent++;
            else
                self->duplicate++;
        }
        if (self->cfg.verbose)
            zsys_info("collector: STORED seq=%" PRIu64 " %s status=%u", reply->seq,
                      p->id, reply->status);
        /* one message per worker for the whole commit (s_peers_flush), split when a
         * commit holds more than a bundle may */
        lxm_bundle_t *out = p->msg->routing_id ? s_peer_bundle(self, p->msg->routing_id) : NULL;
        if (out && !lxm_bundle_room(out, reply))
            s_peer_send(self, out, p->msg->routing_id);
        if (!out || lxm_bundle_add(out, reply) != 0)
            self->reply_drops++;
        lxm_msg_destroy(&reply);

        if (!batch_why && p->status == LXM_ST_STORED) {
            lxm_msg_t *feed = lxm_msg_new(LXM_FEED);
            lxm_msg_set_str(&feed->doc_id, p->id);
            /* the blob moves to the FEED: the STORE is destroyed right after */
            lxm_msg_add_blob_owned(feed, p->msg->blob[0], p->msg->blob_size[0]);
            p->msg->blob[0] = NULL;
            p->msg->blob_size[0] = 0;
            if (lxm_msg_send(feed, self->feed) == 0)
                self->published++;
            lxm_msg_destroy(&feed);
        }
    }
    s_peers_flush(self);
    s_pending_clear(self);
}

/* Reads every message waiting on the results socket into the batch (bounded). */
static void s_drain_results(s_self_t *self, zsock_t *sock, size_t *bytes)
{
    do {
        lxm_msg_t *msg = s_recv(self, sock, self->from_workers, "results");
        if (!msg)
            continue;
        if (msg->cmd == LXM_STORE) {
            s_pending_t *p = &self->pending[self->n_pending++];
            memset(p, 0, sizeof *p);
            p->msg = msg;
            for (size_t i = 0; i < msg->n_blobs; i++)
                *bytes += msg->blob_size[i];
            continue;
        }
        if (msg->cmd != LXM_HEARTBEAT && msg->cmd != LXM_DISCONNECT) {
            self->proto_errors++;
            char reason[120];
            snprintf(reason, sizeof reason, "unexpected %s on the results endpoint",
                     lxm_cmd_name(msg->cmd));
            zsys_warning("collector: %s", reason);
            s_send_error(self, sock, msg->routing_id, msg->seq, reason);
        }
        lxm_msg_destroy(&msg);
    } while (self->n_pending < self->cfg.max_batch && *bytes < self->cfg.max_batch_bytes &&
             lxm_inbox_ready(self->from_workers, sock));
}

/* Results socket readable: gathers the STOREs that arrive within S_GATHER_MS of the
 * first (bounded), then one commit. */
static int s_on_results(zloop_t *loop, zsock_t *sock, void *arg)
{
    s_self_t *self = arg;
    /* a full batch may leave messages of a bundle in the inbox: they make the next
     * batch at once (the socket will not wake us for them) */
    do {
        size_t bytes = 0;
        int64_t until = zclock_mono() + S_GATHER_MS;
        for (;;) {
            s_drain_results(self, sock, &bytes);
            if (self->n_pending == 0 || self->n_pending >= self->cfg.max_batch ||
                bytes >= self->cfg.max_batch_bytes)
                break;
            int64_t left = until - zclock_mono();
            zmq_pollitem_t item = {zsock_resolve(sock), 0, ZMQ_POLLIN, 0};
            if (left <= 0 || zmq_poll(&item, 1, (long) left) <= 0)
                break;
        }
        s_flush(self);
    } while (lxm_inbox_waiting(self->from_workers) > 0);
    return 0;
}

/* ------------------------------------------------------------------ queries */

typedef struct {
    lxm_msg_t *reply; /* RECORDS being filled */
    size_t bytes;     /* its blob bytes so far */
} s_page_t;

static int s_add_record(const char *id, const void *rec, size_t len, void *arg)
{
    s_page_t *page = arg;
    lxm_msg_add_blob(page->reply, rec, len);
    page->bytes += len;
    /* stay well under the peers' MAXMSGSIZE whatever the records weigh */
    return page->bytes > (size_t) (LXM_MAX_MSG_SIZE / 4);
}

static void s_on_get(s_self_t *self, lxm_msg_t *req)
{
    void *rec = NULL;
    char *text = NULL;
    size_t len = 0, tlen = 0;
    const char *id = req->doc_id ? req->doc_id : "";
    int rc = lxm_store_get(self->store, id, &rec, &len, req->with_text ? &text : NULL, &tlen);
    if (rc != 0) {
        char reason[200];
        if (rc > 0)
            snprintf(reason, sizeof reason, "no record with id %.64s", id);
        else
            snprintf(reason, sizeof reason, "store error: %.150s", lxm_store_error(self->store));
        s_send_error(self, self->query, req->routing_id, req->seq, reason);
        return;
    }
    lxm_msg_t *reply = lxm_msg_new(LXM_RECORDS);
    lxm_msg_set_routing_id(reply, req->routing_id);
    reply->seq = req->seq;
    lxm_msg_set_str(&reply->cursor, "");
    lxm_msg_add_blob_owned(reply, rec, len);
    if (text)
        lxm_msg_add_blob_owned(reply, text, tlen);
    s_send(self, reply, self->query, "RECORDS");
    lxm_msg_destroy(&reply);
}

static void s_on_find(s_self_t *self, lxm_msg_t *req)
{
    lxm_store_query_t q = {
        .unit_code = req->cmd == LXM_FIND ? req->unit_code : NULL,
        .unit_name = req->cmd == LXM_FIND ? req->unit_name : NULL,
        .province = req->cmd == LXM_FIND ? req->province : NULL,
        .year = req->cmd == LXM_FIND ? req->year : 0,
    };
    size_t limit = req->limit && req->limit < LXM_COLLECTOR_PAGE_MAX ? req->limit
                                                                      : LXM_COLLECTOR_PAGE_MAX;
    s_page_t page = {lxm_msg_new(LXM_RECORDS), 0};
    char next[LXM_ID_HEX + 1];
    long n = lxm_store_find(self->store, &q, req->cursor, limit, s_add_record, &page, next);
    if (n < 0) {
        char reason[200];
        snprintf(reason, sizeof reason, "store error: %.150s", lxm_store_error(self->store));
        s_send_error(self, self->query, req->routing_id, req->seq, reason);
    } else {
        lxm_msg_set_routing_id(page.reply, req->routing_id);
        page.reply->seq = req->seq;
        lxm_msg_set_str(&page.reply->cursor, next);
        s_send(self, page.reply, self->query, "RECORDS");
    }
    lxm_msg_destroy(&page.reply);
}

static int s_on_query(zloop_t *loop, zsock_t *sock, void *arg)
{
    s_self_t *self = arg;
    lxm_msg_t *req = s_recv(self, sock, NULL, "query");
    if (!req)
        return 0;
    if (self->cfg.verbose)
        zsys_info("collector: query %s seq=%" PRIu64, lxm_cmd_name(req->cmd), req->seq);
    self->queries++;
    switch (req->cmd) {
    case LXM_GET:
        s_on_get(self, req);
        break;
    case LXM_FIND:
    case LXM_EXPORT:
        s_on_find(self, req);
        break;
    case LXM_STATUS: {
        lxm_msg_t *reply = lxm_msg_new(LXM_STATS);
        lxm_msg_set_routing_id(reply, req->routing_id);
        reply->seq = req->seq;
        reply->reason = s_stats_json(self);
        s_send(self, reply, sock, "STATS");
        lxm_msg_destroy(&reply);
        break;
    }
    case LXM_HEARTBEAT:
        self->queries--;
        break;
    default: {
        self->queries--;
        self->proto_errors++;
        char reason[120];
        snprintf(reason, sizeof reason, "unexpected %s on the query endpoint",
                 lxm_cmd_name(req->cmd));
        zsys_warning("collector: %s", reason);
        s_send_error(self, sock, req->routing_id, req->seq, reason);
    }
    }
    lxm_msg_destroy(&req);
    return 0;
}

/* ------------------------------------------------------------------ pipe */

static char *s_stats_fn(void *arg)
{
    return s_stats_json((s_self_t *) arg);
}

static int s_on_pipe(zloop_t *loop, zsock_t *pipe, void *arg)
{
    s_self_t *self = arg;
    const char *endpoints[] = {self->bound_results, self->bound_query, self->bound_feed, NULL};
    return lxm_role_pipe(pipe, "collector", s_stats_fn, self, endpoints);
}

/* ------------------------------------------------------------------ actor */

static void s_self_free(s_self_t *self)
{
    s_pending_clear(self);
    free(self->pending);
    for (size_t i = 0; i < self->cap_peers; i++) {
        zframe_destroy(&self->peers[i].routing);
        lxm_bundle_destroy(&self->peers[i].out);
    }
    free(self->peers);
    lxm_inbox_destroy(&self->from_workers);
    zloop_destroy(&self->loop);
    zsock_destroy(&self->results);
    zsock_destroy(&self->query);
    zsock_destroy(&self->feed);
    lxm_store_close(&self->store);
    free(self->store_dir);
    free(self->results_ep);
    free(self->query_ep);
    free(self->feed_ep);
    free(self->bound_results);
    free(self->bound_query);
    free(self->bound_feed);
    free(self);
}

void lxm_collector_actor(zsock_t *pipe, void *args)
{
    s_self_t *self = lxm_xcalloc(1, sizeof *self);
    lxm_collector_config_t def;
    const lxm_collector_config_t *cfg = args;
    if (!cfg) {
        lxm_collector_config_defaults(&def);
        cfg = &def;
    }
    self->cfg = *cfg;
    self->store_dir = lxm_xstrdup(cfg->store_dir ? cfg->store_dir : LXM_COLLECTOR_STORE_DIR);
    self->results_ep = lxm_xstrdup(cfg->results_endpoint ? cfg->results_endpoint
                                                         : LXM_COLLECTOR_RESULTS_EP);
    self->query_ep = lxm_xstrdup(cfg->query_endpoint ? cfg->query_endpoint
                                                     : LXM_COLLECTOR_QUERY_EP);
    self->feed_ep = lxm_xstrdup(cfg->feed_endpoint ? cfg->feed_endpoint : LXM_COLLECTOR_FEED_EP);
    if (!self->cfg.max_batch)
        self->cfg.max_batch = 1000;
    if (!self->cfg.max_batch_bytes)
        self->cfg.max_batch_bytes = 8u << 20;
    self->cfg.store_dir = self->store_dir;
    self->cfg.results_endpoint = self->results_ep;
    self->cfg.query_endpoint = self->query_ep;
    self->cfg.feed_endpoint = self->feed_ep;
    self->pipe = pipe;
    self->pending = lxm_xcalloc(self->cfg.max_batch, sizeof *self->pending);
    self->from_workers = lxm_inbox_new();
    zsock_signal(pipe, 0); /* zactor_new's handshake: ARGS is no longer needed */

    char *err = NULL;
    self->store = lxm_store_open(self->store_dir, self->cfg.nosync ? LXM_STORE_NOSYNC : 0,
                                 self->cfg.map_size, &err);
    if (!self->store) {
        zsys_error("collector: cannot open the store: %s", err);
        free(err);
        goto fail;
    }
    self->results = lxm_role_bind(ZMQ_ROUTER, self->results_ep, "collector", "results",
                                  &self->bound_results);
    self->query = self->results ? lxm_role_bind(ZMQ_ROUTER, self->query_ep, "collector",
                                                "query", &self->bound_query)
                                : NULL;
    self->feed = self->query ? lxm_role_bind(ZMQ_PUB, self->feed_ep, "collector", "feed",
                                             &self->bound_feed)
                             : NULL;
    if (!self->feed)
        goto fail;

    self->loop = zloop_new();
    zloop_set_nonstop(self->loop, true); /* only $TERM stops us, not a signal */
    zloop_reader(self->loop, pipe, s_on_pipe, self);
    zloop_reader(self->loop, self->results, s_on_results, self);
    zloop_reader(self->loop, self->query, s_on_query, self);
    lxm_store_counts_t c;
    lxm_store_counts(self->store, &c);
    zsys_info("collector: store %s (%" PRIu64 " records), results %s, query %s, feed %s",
              self->store_dir, c.records, self->bound_results, self->bound_query,
              self->bound_feed);
    zsock_signal(pipe, 0);
    zloop_start(self->loop);
    s_flush(self); /* nothing is pending between turns; kept for safety */
    zsys_info("collector: exit: %" PRIu64 " stored, %" PRIu64 " duplicate, %" PRIu64
              " resent, %" PRIu64 " invalid, %" PRIu64 " failed, %" PRIu64
              " protocol errors, %" PRIu64 " commits",
              self->stored, self->duplicate, self->resent, self->invalid, self->failed,
              self->proto_errors, self->commits);
    s_self_free(self);
    return;
fail:
    zsock_signal(pipe, 1);
    s_self_free(self);
}

zactor_t *lxm_collector_new(const lxm_collector_config_t *cfg)
{
    lxm_collector_config_t def;
    if (!cfg) {
        lxm_collector_config_defaults(&def);
        cfg = &def;
    }
    return lxm_role_start(lxm_collector_actor, (void *) cfg);
}

void lxm_collector_destroy(zactor_t **self_p)
{
    zactor_destroy(self_p);
}

char *lxm_collector_stats(zactor_t *self)
{
    return lxm_role_stats(self);
}

int lxm_collector_endpoints(zactor_t *self, char **results, char **query, char **feed)
{
    *results = *query = *feed = NULL;
    if (zstr_send(self, "ENDPOINTS") != 0)
        return -1;
    if (zstr_recvx(self, results, query, feed, NULL) != 3) {
        zstr_free(results);
        zstr_free(query);
        zstr_free(feed);
        return -1;
    }
    return 0;
}
