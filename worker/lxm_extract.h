/* lxm_extract: bytes of one crawled document in, one SPEC record and its cleaned text out.
 * This is the extraction engine the worker role runs; `lexmill parse` runs it alone.
 *
 * Promises:
 *  - lxm_extractor_new loads the gazetteer and compiles the rules once (per worker);
 *    an extractor is used by one thread at a time. The gazetteer and rules inside are
 *    read-only and may be shared by several extractors (see lxm_extractor_new_shared).
 *  - lxm_extract never crashes on any bytes. It returns 0 and a record (possibly with
 *    warnings) for anything that decodes to text; it returns -1 with *error (malloc'ed,
 *    caller frees) naming what was wrong ("empty file", "binary data", "not a report:
 *    ...") when there is no record to give.
 *  - The record's id is the content id of CLEANED; offsets (sections, facts) are byte
 *    offsets into CLEANED. */
#ifndef LXM_EXTRACT_H
#define LXM_EXTRACT_H
#include <stddef.h>
#include "lxm_buf.h"
#include "lxm_record.h"

typedef struct lxm_extractor_t lxm_extractor_t;

/* Returns NULL and *error (malloc'ed) when the embedded data cannot be loaded. */
lxm_extractor_t *lxm_extractor_new(char **error);
/* A second extractor sharing FIRST's gazetteer and rules (FIRST must outlive it). */
lxm_extractor_t *lxm_extractor_new_shared(const lxm_extractor_t *first);
void lxm_extractor_destroy(lxm_extractor_t **self_p);

/* The record's `parser` field: "lexmill VERSION rules:DIGEST". */
const char *lxm_extractor_parser(const lxm_extractor_t *self);

/* Extracts BYTES (from SOURCE, a path or URL, copied into the record) into REC (reset
 * first) and CLEANED (cleared first). */
int lxm_extract(lxm_extractor_t *self, const char *source, const void *bytes, size_t len,
                lxm_record_t *rec, lxm_buf_t *cleaned, char **error);

#endif
