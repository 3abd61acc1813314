/* lxm_submit: sends files and folders to a broker and waits until every document is
 * resolved (stored, already stored, or failed with a reason).
 *
 * Promises:
 *  - lxm_submit_add_path walks files and folders recursively, in sorted (byte) order,
 *    skipping names that start with a dot. A path that cannot be read, is not a regular
 *    file, or is over the size limit becomes a failure with its reason, never a crash.
 *  - lxm_submit_run streams the documents over one DEALER socket with a bounded window
 *    of unresolved documents; a file is read only when it is about to be sent, so memory
 *    stays bounded whatever the size of the crawl (only the path list is kept).
 *  - Delivery: the client keeps every unresolved document until a RESULT names it. It
 *    sends HEARTBEAT every heartbeat interval; when the broker's instance id changes (a
 *    restart) or the broker is silent for `liveness` intervals, it re-creates its socket
 *    and resends every unresolved document. The store is idempotent by content id, so a
 *    resend is harmless: each document is counted once, by its first RESULT.
 *  - A deadline (timeout_ms > 0) fails whatever is still unresolved when it passes;
 *    SIGINT/SIGTERM (zsys_interrupted) fails it as "interrupted".
 *  - Counts and failures are readable after the run; lxm_submit_print_summary prints
 *    "N stored, N already stored, N failed (T s, X docs/s)" then "  FILE: reason" lines. */
#ifndef LXM_SUBMIT_H
#define LXM_SUBMIT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LXM_SUBMIT_BROKER "tcp://127.0.0.1:5555"
/* Documents in flight. Each waits for a durable commit at the collector (a few ms), so
 * the window must cover several commits' worth of all workers' parsing. */
#define LXM_SUBMIT_WINDOW 2048
#define LXM_SUBMIT_MAX_BYTES (32u << 20)
#define LXM_SUBMIT_HEARTBEAT_MS 1000
#define LXM_SUBMIT_LIVENESS 3

typedef enum {
    LXM_PROGRESS_AUTO = 0, /* a bar on a terminal, otherwise a line every few seconds */
    LXM_PROGRESS_NONE,     /* nothing until the summary */
    LXM_PROGRESS_BAR,      /* a one-line bar redrawn in place */
    LXM_PROGRESS_LINES     /* a plain line every few seconds */
} lxm_progress_t;

typedef struct {
    const char *broker;    /* clients endpoint to connect to; NULL = LXM_SUBMIT_BROKER */
    size_t window;         /* max unresolved documents in flight; 0 = LXM_SUBMIT_WINDOW */
    size_t max_bytes;      /* larger files fail locally ("too large"); 0 = default */
    int64_t timeout_ms;    /* deadline for the whole run; <= 0 = none */
    int heartbeat_ms;      /* 0 = LXM_SUBMIT_HEARTBEAT_MS */
    int liveness;          /* silent intervals before resending; 0 = LXM_SUBMIT_LIVENESS */
    lxm_progress_t progress;
    FILE *progress_out;    /* NULL = stderr */
} lxm_submit_opts_t;

typedef struct lxm_submit_t lxm_submit_t;

/* OPTS may be NULL (all defaults); it is copied (the broker string too). */
lxm_submit_t *lxm_submit_new(const lxm_submit_opts_t *opts);
void lxm_submit_destroy(lxm_submit_t **self_p);

/* Adds PATH (a file, or a folder walked recursively). Returns the number of documents
 * added; paths that cannot be used are recorded as failures (and count as documents). */
size_t lxm_submit_add_path(lxm_submit_t *self, const char *path);

/* Sends every added document and waits for all of them to be resolved, the deadline,
 * or an interrupt. Returns 0 when nothing failed, 1 when some document failed, -1 when
 * the socket could not be created (nothing was sent; every document is failed). */
int lxm_submit_run(lxm_submit_t *self);

/* Counts (valid at any time; final after lxm_submit_run). */
size_t lxm_submit_total(const lxm_submit_t *self);
size_t lxm_submit_stored(const lxm_submit_t *self);
size_t lxm_submit_duplicates(const lxm_submit_t *self);
size_t lxm_submit_failed(const lxm_submit_t *self);
/* Times the socket was re-created and unresolved documents resent. */
size_t lxm_submit_resends(const lxm_submit_t *self);
/* Seconds lxm_submit_run took. */
double lxm_submit_elapsed(const lxm_submit_t *self);

/* The Ith failure (0 <= I < lxm_submit_failed): returns its path and sets *reason;
 * NULL when I is out of range. Both strings belong to SELF. */
const char *lxm_submit_failure(const lxm_submit_t *self, size_t i, const char **reason);

/* The content id a stored or already stored document got, by its path order (0-based,
 * in the order added); NULL when it has none. Belongs to SELF. */
const char *lxm_submit_doc_id(const lxm_submit_t *self, size_t i);

/* Prints the summary line and one line per failure to OUT. */
void lxm_submit_print_summary(const lxm_submit_t *self, FILE *out);

#endif
