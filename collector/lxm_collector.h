/* lxm_collector: the collector role, a CZMQ actor that stores the records workers send,
 * answers queries on the store and publishes what it stored.
 *
 * Promises:
 *  - Results endpoint (ROUTER): every STORE (seq, batch, blob0 = record msgpack, blob1 =
 *    cleaned text) is answered with exactly one STORED (same seq; status STORED,
 *    DUPLICATE, RESENT or FAILED with the reason), and only after the LMDB transaction
 *    holding it has committed (fsync'ed): a worker that saw STORED may forget the
 *    document. STOREs are group-committed: every STORE waiting on the socket (up to
 *    max_batch messages or max_batch_bytes) goes into one transaction.
 *  - An invalid record (lxm_record_check, or an id that is not the text's content id)
 *    is answered STORED status FAILED with the reason and counted; nothing is written.
 *    A failed commit (disk full, I/O error) answers FAILED for the whole batch, which
 *    the workers may resend.
 *  - A malformed message (lxm_msg_recv LXM_MSG_EPROTO) on any socket is logged with its
 *    reason, counted, answered with ERROR when the sender is known, and the collector
 *    carries on.
 *  - Query endpoint (ROUTER): GET (doc_id, with_text) -> RECORDS [record, text?] or
 *    ERROR "no record with id ..."; FIND (unit_code, unit_name, province, year, limit,
 *    cursor) and EXPORT (cursor, limit) -> RECORDS with at most
 *    min(limit, LXM_COLLECTOR_PAGE_MAX) records and the cursor of the next page ("" at
 *    the end); STATUS -> STATS with the counters as a JSON object.
 *  - Feed endpoint (PUB): after each commit, one FEED (doc_id, blob0 = record) per newly
 *    stored record, in commit order. Duplicates and resends are not republished.
 *  - Crash safety is LMDB's: after SIGKILL the store reopens with every committed batch.
 *
 * Actor pipe commands (besides $TERM):
 *    "STATS"      -> one string frame: the JSON counters (as in the STATS reply)
 *    "ENDPOINTS"  -> three string frames: results, query and feed endpoints as bound
 *                    (resolved, e.g. "tcp://127.0.0.1:40123" for "tcp://127.0.0.1:*") */
#ifndef LXM_COLLECTOR_H
#define LXM_COLLECTOR_H
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LXM_COLLECTOR_RESULTS_EP "tcp://*:5557"
#define LXM_COLLECTOR_QUERY_EP "tcp://*:5558"
#define LXM_COLLECTOR_FEED_EP "tcp://*:5559"
#define LXM_COLLECTOR_STORE_DIR "./lexmill-store"
#define LXM_COLLECTOR_PAGE_MAX 64 /* records per RECORDS reply (LXM_MSG_MAX_BLOBS) */

typedef struct {
    const char *store_dir;        /* LMDB directory (LXM_COLLECTOR_STORE_DIR) */
    const char *results_endpoint; /* bind address for workers' STORE (LXM_COLLECTOR_RESULTS_EP) */
    const char *query_endpoint;   /* bind address for queries (LXM_COLLECTOR_QUERY_EP) */
    const char *feed_endpoint;    /* bind address of the PUB feed (LXM_COLLECTOR_FEED_EP) */
    uint64_t map_size;            /* LMDB map size in bytes; 0 = the store's default (64 GiB) */
    size_t max_batch;             /* STOREs per transaction, 1000 */
    size_t max_batch_bytes;       /* record + text bytes per transaction, 8 MiB */
    bool nosync;                  /* no fsync on commit (tests only: not durable) */
    bool verbose;                 /* log every message */
} lxm_collector_config_t;

/* Fills CFG with the defaults above. */
void lxm_collector_config_defaults(lxm_collector_config_t *cfg);

/* Starts the collector actor (CFG is copied; NULL means defaults). Returns NULL, after
 * logging why, when the store cannot be opened or an endpoint cannot be bound (port
 * taken). Stop it with lxm_collector_destroy (or zactor_destroy). */
zactor_t *lxm_collector_new(const lxm_collector_config_t *cfg);
void lxm_collector_destroy(zactor_t **self_p);

/* Counters as JSON (caller frees), or NULL. */
char *lxm_collector_stats(zactor_t *self);

/* The bound endpoints (caller frees the three strings). Returns 0 or -1. */
int lxm_collector_endpoints(zactor_t *self, char **results, char **query, char **feed);

/* The actor body, for callers that want zactor_new themselves. It signals the pipe
 * twice: once as zactor_new's handshake, then 0 once the store is open and the three
 * endpoints are bound, or 1 on failure (after logging why; the actor then ends).
 * ARGS is a const lxm_collector_config_t *. lxm_collector_new does this for you. */
void lxm_collector_actor(zsock_t *pipe, void *args);

#endif
