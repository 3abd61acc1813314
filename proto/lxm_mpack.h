/* lxm_mpack: the one guarded way lexmill reads msgpack that came from outside.
 *
 * Promises:
 *  - lxm_mpack_scan walks BYTES without allocating and says whether they hold exactly
 *    one complete msgpack value whose declared element counts fit in the bytes present
 *    (so a 5-byte "array of 4 billion" cannot make the unpacker allocate gigabytes).
 *  - It also refuses more than LXM_MPACK_MAX_VALUES values in all, which bounds what the
 *    unpacker allocates (24-48 bytes a value) whatever the size of the bytes.
 *  - lxm_mpack_unpack runs that scan, then msgpack_unpack into ZONE. Strings in *OBJ
 *    borrow from BYTES. Nesting deeper than msgpack-c's stack (32) is refused.
 *  - The reader (lxm_mpack_read, lxm_mpack_skip) walks bytes one value head at a time
 *    without allocating; strings borrow from the bytes; every step is bounds-checked
 *    and a false return means the bytes are malformed or truncated there.
 *  - None of these ever crashes on any input. */
#ifndef LXM_MPACK_H
#define LXM_MPACK_H
#include <msgpack.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define LXM_MPACK_MAX_VALUES (1u << 20) /* a report's record holds a few thousand */
#define LXM_MPACK_MAX_DEPTH 32            /* nesting the unpacker and the reader accept */

/* Returns 0 when BYTES are one well-formed msgpack value and nothing else, else -1 with
 * *why (static text) set when WHY is not NULL. */
int lxm_mpack_scan(const void *bytes, size_t len, const char **why);

/* Returns 0 with *OBJ set (allocations in ZONE), or -1 with *why. */
int lxm_mpack_unpack(const void *bytes, size_t len, msgpack_zone *zone, msgpack_object *obj,
                     const char **why);

/* The string at O as (ptr, len), or -1 when O is not a msgpack str. */
int lxm_mpack_str(const msgpack_object *o, const char **ptr, size_t *len);

/* Looks KEY up in map O (string keys only); NULL when O is not a map or lacks it. */
const msgpack_object *lxm_mpack_get(const msgpack_object *o, const char *key);

/* ---- the reader ---- */

typedef enum {
    LXM_MPACK_NIL, LXM_MPACK_BOOL, LXM_MPACK_UINT, LXM_MPACK_NINT, LXM_MPACK_FLOAT,
    LXM_MPACK_STR, LXM_MPACK_BIN, LXM_MPACK_EXT, LXM_MPACK_ARRAY, LXM_MPACK_MAP
} lxm_mpack_kind_t;

/* One value's head. Integers are read as msgpack-c reads them: any form holding a value
 * >= 0 (fixint, uint*, int*) is UINT with U set; below 0 is NINT. */
typedef struct {
    lxm_mpack_kind_t kind;
    uint64_t u;      /* UINT value, BOOL 0/1 */
    const char *s;   /* STR, BIN, EXT bytes (borrowed) */
    uint32_t n;      /* STR/BIN/EXT length, ARRAY elements, MAP pairs */
} lxm_mpack_val_t;

typedef struct {
    const unsigned char *p, *end;
    uint64_t values;   /* heads read so far (a reader bounds what it accepts with it) */
} lxm_mpack_reader_t;

void lxm_mpack_reader_init(lxm_mpack_reader_t *r, const void *bytes, size_t len);
/* Reads the next value's head (a string's, bin's or ext's body is passed over too; an
 * array's or map's elements are next). False when malformed or truncated. */
bool lxm_mpack_read(lxm_mpack_reader_t *r, lxm_mpack_val_t *v);
/* Passes over the elements of the container whose head V was just read (nothing for
 * other values). False when malformed, truncated, or nested LXM_MPACK_MAX_DEPTH deep
 * counting from DEPTH. */
bool lxm_mpack_skip(lxm_mpack_reader_t *r, const lxm_mpack_val_t *v, int depth);
/* True when every byte has been read. */
bool lxm_mpack_at_end(const lxm_mpack_reader_t *r);

#endif
