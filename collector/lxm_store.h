/* lxm_store: the LMDB store of report records, shared by the collector (the one writer)
 * and the query commands (readers, possibly in other processes while the collector runs).
 *
 * Promises:
 *  - One LMDB environment per directory. Each record gets a serial number in store
 *    order (8-byte big-endian). Databases: "ids" (40-char hex content id -> serial),
 *    "records" (serial -> record msgpack), "texts" (serial -> cleaned text), "meta"
 *    (serial -> store time, batch token, source), dupsort indexes "by_code", "by_name",
 *    "by_year" (4-byte big-endian), "by_province" (key -> serial), and "info" (schema
 *    version, byte count). Serial keys make a batch's writes appends (few dirty pages
 *    per commit) and index lists grow at their ends; "ids" gives id order for export.
 *  - One handle per directory per process (LMDB's rule: a second mdb_env_open of the
 *    same files in one process breaks its locks); other processes may open freely.
 *  - Writes happen in batches (one write transaction): lxm_store_begin, any number of
 *    lxm_store_put, lxm_store_commit. A record is visible to readers and durable on disk
 *    (fsync, unless opened with LXM_STORE_NOSYNC) exactly when its commit returns 0;
 *    after a crash at any point the store reopens with every committed batch whole and
 *    nothing of an uncommitted one.
 *  - A put is idempotent by content id: the first put stores (LXM_ST_STORED), a later
 *    put of the same id reports LXM_ST_RESENT when it is the same document again (same
 *    batch token and same source as the put that stored it), and LXM_ST_DUPLICATE
 *    otherwise (another batch, or another file with the same text); neither changes
 *    what is stored.
 *  - Every record is validated with lxm_record_check before it is written; an invalid
 *    one is refused with the checker's reason and the batch carries on.
 *  - Map full (MDB_MAP_FULL) grows the map and replays the batch once; disk full and
 *    other I/O errors come back as -1 with a readable reason (lxm_store_error). Nothing
 *    in this module asserts on stored or incoming bytes.
 *  - A handle is used by one thread at a time. Any number of read-only handles (in this
 *    or other processes) may read while one writer writes (LMDB MVCC readers).
 *
 * Memory: pointers handed to callbacks (lxm_store_visit_fn) and by lxm_store_get_ref
 * point into the LMDB map; they stay valid until the next call on the same handle that
 * starts or ends a read (or until lxm_store_read_end). lxm_store_get returns copies the
 * caller frees. */
#ifndef LXM_STORE_H
#define LXM_STORE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "lxm_record.h"

#define LXM_STORE_SCHEMA 2 /* 2: records keyed by serial, "ids" maps content ids */
#define LXM_STORE_DEFAULT_MAP (64ULL << 30) /* 64 GiB: sparse, costs nothing until used */

/* lxm_store_open flags */
#define LXM_STORE_RDONLY 0x1 /* read-only handle (queries); never writes, never creates */
#define LXM_STORE_NOSYNC 0x2 /* no fsync on commit (benchmarks, tests): not durable */

typedef struct lxm_store_t lxm_store_t;

/* What lxm_store_find filters on; NULL / 0 fields match anything. */
typedef struct {
    const char *unit_code; /* exact division code ("331004103") */
    const char *unit_name; /* exact unit name ("新桥镇") */
    const char *province;  /* exact province name ("浙江省") */
    int year;              /* report year, 0 = any */
} lxm_store_query_t;

/* Counters of a store. */
typedef struct {
    uint64_t records;     /* stored records */
    uint64_t used_bytes;  /* bytes of the map in use (pages * page size) */
    uint64_t map_bytes;   /* current map size */
    uint64_t data_bytes;  /* record + text bytes stored (sum of value sizes) */
} lxm_store_counts_t;

/* Called for each record a scan visits, in id order. ID is NUL-terminated; REC points
 * into the map (valid during the call only). Return 0 to go on, non-zero to stop. */
typedef int (lxm_store_visit_fn)(const char *id, const void *rec, size_t len, void *arg);

/* Opens (and with write access creates) the store in DIR.
 * @param dir       directory; created when missing unless LXM_STORE_RDONLY
 * @param flags     LXM_STORE_RDONLY, LXM_STORE_NOSYNC
 * @param map_size  map size in bytes; 0 = LXM_STORE_DEFAULT_MAP (or the size already on
 *                  disk when larger)
 * @param err_p     on failure receives a malloc'ed reason naming DIR (caller frees);
 *                  may be NULL
 * @return the handle, or NULL (missing directory for a reader, not an lexmill store,
 *         newer schema, LMDB error). */
lxm_store_t *lxm_store_open(const char *dir, int flags, uint64_t map_size, char **err_p);

/* Closes the store, aborting an open batch (nothing of it is kept), and nulls *self_p. */
void lxm_store_close(lxm_store_t **self_p);

/* The reason of the last failed call on this handle (static-lifetime until the next
 * failure); "" when none. */
const char *lxm_store_error(const lxm_store_t *self);

/* Starts a write batch. @return 0, or -1 (read-only handle, a batch already open,
 * LMDB error). */
int lxm_store_begin(lxm_store_t *self);

/* Puts one record into the open batch.
 * @param rec, rec_len    record msgpack (copied; checked with lxm_record_check)
 * @param text, text_len  cleaned text (copied; may be NULL/0). When given, the record's
 *                        id must be its content id (lxm_content_id)
 * @param batch           the submission token that sent it (may be NULL = "")
 * @param id_out          receives the record's id when it has a valid one (may be NULL)
 * @param why             on -1, a static reason (also in lxm_store_error)
 * @return LXM_ST_STORED, LXM_ST_RESENT, LXM_ST_DUPLICATE, or -1: the record was refused
 *         (invalid, id mismatch) and the batch goes on, or the batch failed (LMDB error;
 *         lxm_store_in_batch() turns false and every put of the batch is lost). */
int lxm_store_put(lxm_store_t *self, const void *rec, size_t rec_len, const char *text,
                  size_t text_len, const char *batch, char id_out[LXM_ID_HEX + 1],
                  const char **why);

/* Commits the open batch: durable when it returns 0 (unless NOSYNC).
 * @return 0, or -1 with lxm_store_error (disk full, I/O error): nothing of the batch
 *         is stored and the batch is closed. */
int lxm_store_commit(lxm_store_t *self);

/* Drops the open batch (no-op without one). */
void lxm_store_abort(lxm_store_t *self);

/* True while a batch is open. */
bool lxm_store_in_batch(const lxm_store_t *self);

/* Reads one record by id into malloc'ed copies.
 * @param rec_p, len_p    receive the record msgpack (caller frees)
 * @param text_p, tlen_p  receive the cleaned text, NUL-terminated (caller frees);
 *                        pass NULL when not wanted
 * @return 0, 1 when no record has that id, -1 on LMDB error. */
int lxm_store_get(lxm_store_t *self, const char *id, void **rec_p, size_t *len_p,
                  char **text_p, size_t *tlen_p);

/* Zero-copy reads: lxm_store_read_begin opens a read snapshot on the handle (no-op when
 * one is open); lxm_store_get_ref points REC at the record inside the map, valid until
 * lxm_store_read_end. @return as lxm_store_get. Not usable while a batch is open. */
int lxm_store_read_begin(lxm_store_t *self);
int lxm_store_get_ref(lxm_store_t *self, const char *id, const void **rec_p, size_t *len_p);
void lxm_store_read_end(lxm_store_t *self);

/* Visits records matching Q (NULL or no filter = all) starting after the record AFTER
 * (NULL or "" = from the first), at most LIMIT of them (0 = no limit). Without a filter
 * the order is id order; with filters it is store order (the order of commits), read
 * from the most selective index among the filters given, the others checked on each
 * record.
 * @param after an id returned in NEXT by an earlier call with the same Q
 * @param next  receives the id to pass as AFTER for the next page, or "" when no
 *              further record matches (may be NULL; may be the AFTER buffer)
 * @return the number of records visited, or -1 on LMDB error or an AFTER id that is
 *         not in the store for a filtered scan (lxm_store_error says which). */
long lxm_store_find(lxm_store_t *self, const lxm_store_query_t *q, const char *after,
                    size_t limit, lxm_store_visit_fn *fn, void *arg,
                    char next[LXM_ID_HEX + 1]);

/* Export: every record in id order after AFTER, LIMIT at a time (lxm_store_find with no
 * filter). */
long lxm_store_scan(lxm_store_t *self, const char *after, size_t limit,
                    lxm_store_visit_fn *fn, void *arg, char next[LXM_ID_HEX + 1]);

/* Fills counters. @return 0 or -1. */
int lxm_store_counts(lxm_store_t *self, lxm_store_counts_t *out);

/* Measures the store and prints the figures to OUT (one "name: value" line each, plus a
 * JSON line starting with "{" for scripts):
 *  - records/s of the durable group-commit path (lxm_store_put + fsync'ed commit) and of
 *    a plain LMDB put loop over the same records, both N_RECORDS of about REC_BYTES in
 *    batches of BATCH;
 *  - lxm_store_get_ref latency p50/p99 in microseconds over N_GETS random ids once the
 *    store holds at least GET_RECORDS records.
 * DIR must be an empty scratch directory (its contents are removed at the end); NULL
 * makes one under $TMPDIR. 0 arguments take the defaults (100000, 2048, 1000, 200000
 * gets over 200000 records). Never fails on time. @return 0, or -1 when the store could
 * not be written (reason printed). */
int lxm_store_bench(const char *dir, size_t n_records, size_t rec_bytes, size_t batch,
                    size_t get_records, size_t n_gets, FILE *out);

#endif
