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
 *  - Neither ever crashes on any input. */
#ifndef LXM_MPACK_H
#define LXM_MPACK_H
#include <msgpack.h>
#include <stddef.h>

#define LXM_MPACK_MAX_VALUES (1u << 20) /* a report's record holds a few thousand */

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

#endif
