/* lxm_mpack: a bounds-checking pre-scan in front of msgpack-c's unpacker, and a reader
 * that walks msgpack bytes without building objects. */
#include <stdint.h>
#include <string.h>
#include "lxm_mpack.h"

/* Big-endian unsigned of N bytes at P. */
static uint64_t s_be(const uint8_t *p, size_t n)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = (v << 8) | p[i];
    return v;
}

int lxm_mpack_scan(const void *bytes, size_t len, const char **why)
{
    const uint8_t *p = bytes;
    size_t pos = 0;
    /* values still to read; each needs at least one byte, which bounds every count */
    uint64_t pending = 1;
    uint64_t values = 0;
    const char *err = NULL;
    if (!bytes && len) {
        err = "no bytes";
        goto fail;
    }
    while (pending) {
        if (pos >= len) {
            err = "truncated msgpack";
            goto fail;
        }
        if (++values > LXM_MPACK_MAX_VALUES) {
            err = "too many msgpack values";
            goto fail;
        }
        uint8_t c = p[pos++];
        pending--;
        uint64_t children = 0; /* values contained by this one */
        size_t lenbytes = 0;   /* size of a length field that follows */
        size_t fixed = 0;      /* payload bytes that follow (after any length field) */
        size_t extra = 0;      /* ext type byte */
        if (c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3) {
            /* fixints, nil, bools: the byte is the value */
        } else if (c <= 0x8f) {
            children = 2u * (c & 0x0f);
        } else if (c <= 0x9f) {
            children = c & 0x0f;
        } else if (c <= 0xbf) {
            fixed = c & 0x1f;
        } else {
            switch (c) {
            case 0xc4: lenbytes = 1; break; /* bin 8/16/32 */
            case 0xc5: lenbytes = 2; break;
            case 0xc6: lenbytes = 4; break;
            case 0xc7: lenbytes = 1; extra = 1; break; /* ext 8/16/32 */
            case 0xc8: lenbytes = 2; extra = 1; break;
            case 0xc9: lenbytes = 4; extra = 1; break;
            case 0xca: fixed = 4; break;
            case 0xcb: fixed = 8; break;
            case 0xcc: fixed = 1; break;
            case 0xcd: fixed = 2; break;
            case 0xce: fixed = 4; break;
            case 0xcf: fixed = 8; break;
            case 0xd0: fixed = 1; break;
            case 0xd1: fixed = 2; break;
            case 0xd2: fixed = 4; break;
            case 0xd3: fixed = 8; break;
            case 0xd4: fixed = 2; break; /* fixext: type byte + 1/2/4/8/16 */
            case 0xd5: fixed = 3; break;
            case 0xd6: fixed = 5; break;
            case 0xd7: fixed = 9; break;
            case 0xd8: fixed = 17; break;
            case 0xd9: lenbytes = 1; break; /* str 8/16/32 */
            case 0xda: lenbytes = 2; break;
            case 0xdb: lenbytes = 4; break;
            case 0xdc: /* array 16/32 */
            case 0xdd:
            case 0xde: /* map 16/32 */
            case 0xdf: {
                size_t w = (c == 0xdc || c == 0xde) ? 2 : 4;
                if (len - pos < w) {
                    err = "truncated msgpack";
                    goto fail;
                }
                uint64_t n = s_be(p + pos, w);
                pos += w;
                children = (c >= 0xde) ? 2 * n : n;
                break;
            }
            default: /* 0xc1 is never used */
                err = "invalid msgpack type byte";
                goto fail;
            }
        }
        if (lenbytes) {
            if (len - pos < lenbytes) {
                err = "truncated msgpack";
                goto fail;
            }
            uint64_t n = s_be(p + pos, lenbytes);
            pos += lenbytes;
            if (n > len - pos || extra > len - pos - n) {
                err = "truncated msgpack";
                goto fail;
            }
            fixed = (size_t)n + extra;
        }
        if (fixed > len - pos) {
            err = "truncated msgpack";
            goto fail;
        }
        pos += fixed;
        pending += children;
        if (pending > len - pos) {
            err = "msgpack counts exceed the bytes present";
            goto fail;
        }
    }
    if (pos != len) {
        err = "trailing bytes after the msgpack value";
        goto fail;
    }
    return 0;
fail:
    if (why)
        *why = err;
    return -1;
}

int lxm_mpack_unpack(const void *bytes, size_t len, msgpack_zone *zone, msgpack_object *obj,
                     const char **why)
{
    if (lxm_mpack_scan(bytes, len, why) != 0)
        return -1;
    size_t off = 0;
    msgpack_unpack_return rc = msgpack_unpack(bytes, len, &off, zone, obj);
    if (rc != MSGPACK_UNPACK_SUCCESS || off != len) {
        /* the scan passed, so this is nesting beyond the unpacker's stack */
        if (why)
            *why = rc == MSGPACK_UNPACK_NOMEM_ERROR ? "msgpack nested too deep"
                                                    : "malformed msgpack";
        return -1;
    }
    return 0;
}

int lxm_mpack_str(const msgpack_object *o, const char **ptr, size_t *len)
{
    if (!o || o->type != MSGPACK_OBJECT_STR)
        return -1;
    *ptr = o->via.str.ptr;
    *len = o->via.str.size;
    return 0;
}

const msgpack_object *lxm_mpack_get(const msgpack_object *o, const char *key)
{
    if (!o || o->type != MSGPACK_OBJECT_MAP)
        return NULL;
    size_t klen = strlen(key);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *k = &o->via.map.ptr[i].key;
        if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
            memcmp(k->via.str.ptr, key, klen) == 0)
            return &o->via.map.ptr[i].val;
    }
    return NULL;
}

/* ---- the reader ------------------------------------------------------------------ */

void lxm_mpack_reader_init(lxm_mpack_reader_t *r, const void *bytes, size_t len)
{
    r->p = bytes;
    r->end = r->p + (bytes ? len : 0);
    r->values = 0;
}

bool lxm_mpack_at_end(const lxm_mpack_reader_t *r)
{
    return r->p == r->end;
}

static bool s_take(lxm_mpack_reader_t *r, size_t n, const unsigned char **at)
{
    if ((size_t)(r->end - r->p) < n)
        return false;
    *at = r->p;
    r->p += n;
    return true;
}

bool lxm_mpack_read(lxm_mpack_reader_t *r, lxm_mpack_val_t *v)
{
    const unsigned char *h, *x;
    if (!s_take(r, 1, &h))
        return false;
    r->values++;
    unsigned c = *h;
    memset(v, 0, sizeof *v);
    size_t body = 0;
    int lenbytes = 0;
    if (c <= 0x7f) {
        v->kind = LXM_MPACK_UINT;
        v->u = c;
        return true;
    }
    if (c >= 0xe0) {
        v->kind = LXM_MPACK_NINT;
        return true;
    }
    if (c <= 0x9f) {
        v->kind = c <= 0x8f ? LXM_MPACK_MAP : LXM_MPACK_ARRAY;
        v->n = c & 0x0f;
        return true;
    }
    if (c <= 0xbf) {
        v->kind = LXM_MPACK_STR;
        v->n = c & 0x1f;
        if (!s_take(r, v->n, &x))
            return false;
        v->s = (const char *)x;
        return true;
    }
    switch (c) {
    case 0xc0: v->kind = LXM_MPACK_NIL; return true;
    case 0xc2:
    case 0xc3: v->kind = LXM_MPACK_BOOL; v->u = c == 0xc3; return true;
    case 0xc4: case 0xc5: case 0xc6:
        v->kind = LXM_MPACK_BIN;
        lenbytes = 1 << (c - 0xc4);
        break;
    case 0xc7: case 0xc8: case 0xc9:
        v->kind = LXM_MPACK_EXT;
        lenbytes = 1 << (c - 0xc7);
        body = 1; /* the type byte */
        break;
    case 0xca: v->kind = LXM_MPACK_FLOAT; return s_take(r, 4, &x);
    case 0xcb: v->kind = LXM_MPACK_FLOAT; return s_take(r, 8, &x);
    case 0xcc: case 0xcd: case 0xce: case 0xcf: {
        size_t n = (size_t)1 << (c - 0xcc);
        if (!s_take(r, n, &x))
            return false;
        v->kind = LXM_MPACK_UINT;
        v->u = s_be(x, n);
        return true;
    }
    case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        /* msgpack-c reads a signed form holding a value >= 0 as a positive integer */
        size_t n = (size_t)1 << (c - 0xd0);
        if (!s_take(r, n, &x))
            return false;
        if (x[0] & 0x80) {
            v->kind = LXM_MPACK_NINT;
        } else {
            v->kind = LXM_MPACK_UINT;
            v->u = s_be(x, n);
        }
        return true;
    }
    case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
        v->kind = LXM_MPACK_EXT;
        return s_take(r, 1 + ((size_t)1 << (c - 0xd4)), &x);
    case 0xd9: case 0xda: case 0xdb:
        v->kind = LXM_MPACK_STR;
        lenbytes = 1 << (c - 0xd9);
        break;
    case 0xdc: case 0xdd:
    case 0xde: case 0xdf: {
        size_t n = c == 0xdc || c == 0xde ? 2 : 4;
        if (!s_take(r, n, &x))
            return false;
        v->kind = c <= 0xdd ? LXM_MPACK_ARRAY : LXM_MPACK_MAP;
        v->n = (uint32_t)s_be(x, n);
        return true;
    }
    default: return false; /* 0xc1 is never used */
    }
    if (!s_take(r, (size_t)lenbytes, &x))
        return false;
    uint64_t n = s_be(x, (size_t)lenbytes);
    if (n > (uint64_t)(r->end - r->p) || !s_take(r, (size_t)n + body, &x))
        return false;
    v->n = (uint32_t)n;
    v->s = (const char *)x + body;
    return true;
}

bool lxm_mpack_skip(lxm_mpack_reader_t *r, const lxm_mpack_val_t *v, int depth)
{
    if (v->kind != LXM_MPACK_ARRAY && v->kind != LXM_MPACK_MAP)
        return true;
    if (depth >= LXM_MPACK_MAX_DEPTH)
        return false;
    uint64_t n = v->kind == LXM_MPACK_MAP ? 2 * (uint64_t)v->n : v->n;
    for (uint64_t i = 0; i < n; i++) {
        lxm_mpack_val_t e;
        /* each element takes a byte at least: a count past the bytes fails here, fast */
        if (!lxm_mpack_read(r, &e) || !lxm_mpack_skip(r, &e, depth + 1))
            return false;
    }
    return true;
}
