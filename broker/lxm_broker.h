/* lxm_broker: the broker role, a CZMQ actor that hands documents from clients to
 * parsing workers (ROUTER clients endpoint, ROUTER workers endpoint, one zloop).
 *
 * Promises:
 *  - Every document a client SUBMITs is answered with ACCEPT once queued and, later,
 *    exactly one RESULT: the worker's DONE (STORED, DUPLICATE or FAILED with the
 *    reason) or FAILED "gave up after N attempts: ..." when workers kept dying or
 *    timing out on it. A result for a client that is gone is logged and dropped.
 *  - Jobs go only to workers with credit (READY credit, +1 per DONE), least loaded
 *    first. A worker whose connection closed (seen at once through a socket monitor,
 *    or when a heartbeat to it fails with EHOSTUNREACH) or that is silent for LIVENESS
 *    heartbeats is forgotten and its jobs are
 *    requeued at the front with attempt+1; so is a job in flight longer than the job
 *    timeout. A worker's DONE FAILED is final (not retried).
 *  - A retried job travels alone (to a worker with nothing in flight, which gets nothing
 *    else meanwhile), so a document that kills workers is given up without charging the
 *    documents that happened to share its worker more than one attempt.
 *  - DONE or HEARTBEAT from a worker the broker does not know (e.g. after a broker
 *    restart) is answered with DISCONNECT so the worker re-announces itself; a DONE for
 *    a job the broker no longer holds is ignored (its credit still returns).
 *  - The queue is bounded (documents and bytes); while it is full the broker stops
 *    reading the clients socket, so clients block at their HWM (flow control, no drop).
 *  - Nothing a peer sends makes the broker assert or crash: malformed messages are
 *    logged with the peer and reason, counted, and answered with ERROR.
 *
 * Actor pipe commands (besides $TERM):
 *    "STATS"      -> one string frame: JSON object of counters (as in the STATS reply)
 *    "ENDPOINTS"  -> two string frames: the clients and workers endpoints as bound
 *                    (resolved, e.g. "tcp://127.0.0.1:40123" for "tcp://127.0.0.1:*") */
#ifndef LXM_BROKER_H
#define LXM_BROKER_H
#include <czmq.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LXM_BROKER_CLIENTS_EP "tcp://*:5555"
#define LXM_BROKER_WORKERS_EP "tcp://*:5556"

typedef struct {
    const char *clients_endpoint; /* bind address for clients (LXM_BROKER_CLIENTS_EP) */
    const char *workers_endpoint; /* bind address for workers (LXM_BROKER_WORKERS_EP) */
    int heartbeat_ms;             /* heartbeat interval, 1000 */
    int liveness;                 /* intervals of silence before a worker is dead, 3 */
    int job_timeout_ms;           /* in flight longer than this: requeue, 60000 */
    int max_attempts;             /* dispatches per document before FAILED, 3 */
    size_t queue_max_docs;        /* queued documents before back-pressure, 10000 */
    size_t queue_max_bytes;       /* queued document bytes before back-pressure, 512 MiB */
    bool verbose;                 /* log every message */
} lxm_broker_config_t;

/* Fills CFG with the defaults above. */
void lxm_broker_config_defaults(lxm_broker_config_t *cfg);

/* Starts the broker actor (CFG is copied; NULL means defaults). Returns NULL, after
 * logging why, when an endpoint cannot be bound. Stop it with zactor_destroy (or
 * lxm_broker_destroy). */
zactor_t *lxm_broker_new(const lxm_broker_config_t *cfg);
void lxm_broker_destroy(zactor_t **self_p);

/* Helpers over the pipe commands. lxm_broker_stats returns the counters as JSON
 * (caller frees) or NULL; lxm_broker_endpoints returns 0 and two strings the caller
 * frees, or -1. */
char *lxm_broker_stats(zactor_t *self);
int lxm_broker_endpoints(zactor_t *self, char **clients, char **workers);

/* The actor body, for callers that want zactor_new themselves. It signals the pipe
 * twice: once as zactor_new's handshake, then 0 after both binds or 1 on failure (see
 * lxm_broker_new, which does this for you). ARGS is a const lxm_broker_config_t *. */
void lxm_broker_actor(zsock_t *pipe, void *args);

#endif
