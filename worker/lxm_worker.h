/* lxm_worker: the worker role, a CZMQ actor that parses documents for a broker and
 * stores their records through a collector.
 *
 * Promises:
 *  - It announces READY with its free credit to the broker (DEALER), takes JOBs,
 *    extracts them a few ms' worth per loop turn (heartbeats keep flowing), and either
 *    reports DONE FAILED with the extractor's reason ("empty file", "not a report: ...")
 *    or sends STORE (seq = job id, record msgpack, cleaned text) to the collector
 *    (DEALER) and reports DONE to the broker only once the collector answers STORED.
 *  - A STORE the collector has not answered is re-sent (2 s, doubling up to 8 s, and at
 *    once when the collector connection comes back up); the store is idempotent by
 *    content id, so a collector restart loses nothing.
 *  - When the broker is silent for LIVENESS heartbeats, sends DISCONNECT, or its
 *    instance id changes (a restart), the worker recreates its broker socket and
 *    announces READY again with its free credit. DONEs for jobs of an earlier broker
 *    are still sent (the broker ignores what it no longer knows).
 *  - Sends never block the actor: a refused send is retried later or left to the
 *    broker's requeue.
 *  - On exit it logs one line of counters.
 *
 * Actor pipe commands (besides $TERM):
 *    "STATS" -> one string frame: JSON object of counters. */
#ifndef LXM_WORKER_H
#define LXM_WORKER_H
#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>
#include "lxm_extract.h"

#define LXM_WORKER_BROKER_EP "tcp://127.0.0.1:5556"
#define LXM_WORKER_COLLECTOR_EP "tcp://127.0.0.1:5557"
/* Default credit. Every job is held until the collector's durable commit (a few ms of
 * fsync), so the credit must cover a commit's worth of parsing or the worker idles. */
#define LXM_WORKER_CREDIT 512

typedef struct {
    const char *broker_endpoint;    /* connect address (LXM_WORKER_BROKER_EP) */
    const char *collector_endpoint; /* connect address (LXM_WORKER_COLLECTOR_EP) */
    uint32_t credit;                /* jobs held at once (queued, parsing, storing), LXM_WORKER_CREDIT */
    int heartbeat_ms;               /* heartbeat interval, 1000 */
    int liveness;                   /* silent broker intervals before reconnecting, 3 */
    int store_timeout_ms;           /* first re-send of an unanswered STORE, 2000 */
    int store_timeout_max_ms;       /* the re-send interval doubles up to this, 8000 */
    bool verbose;                   /* log every job */
    const lxm_extractor_t *shared;  /* NULL: the worker loads its own extractor; else it
                                       makes one with lxm_extractor_new_shared (SHARED
                                       must outlive the worker) */
    const char *name;               /* log prefix, e.g. "worker 2"; NULL = "worker" */
} lxm_worker_config_t;

/* Fills CFG with the defaults above. */
void lxm_worker_config_defaults(lxm_worker_config_t *cfg);

/* Starts the worker actor (CFG is copied; NULL means defaults). Returns NULL, after
 * logging why, when the extractor cannot be loaded or an endpoint is invalid. */
zactor_t *lxm_worker_new(const lxm_worker_config_t *cfg);
void lxm_worker_destroy(zactor_t **self_p);

/* Counters as JSON (caller frees), or NULL. */
char *lxm_worker_stats(zactor_t *self);

/* The actor body; signals twice like lxm_broker_actor (handshake, then 0 or 1).
 * ARGS is a const lxm_worker_config_t *. */
void lxm_worker_actor(zsock_t *pipe, void *args);

#endif
