/* lxm_msg: the lexmill wire codec (PROTOCOL.md): header frame, msgpack field map, blobs.
 *
 * The field frame is a msgpack map keyed by field name ("seq", "batch", ...). A map
 * rather than a fixed array so that a field can be added without breaking older peers:
 * unknown keys are skipped, known keys are type-checked whatever the command, and each
 * command names the fields it requires and how many blobs it carries. */
#include <errno.h>
#include <msgpack.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_mpack.h"
#include "lxm_msg.h"

#define S_HEADER_SIZE 5          /* "LXM" + version + command */
#define S_MAX_FIELDS (1u << 20)  /* bytes of the msgpack field frame */

/* Field bits, in the order of the table below. */
enum {
    F_SEQ = 1u << 0,
    F_CREDIT = 1u << 1,
    F_ATTEMPT = 1u << 2,
    F_STATUS = 1u << 3,
    F_YEAR = 1u << 4,
    F_LIMIT = 1u << 5,
    F_WITH_TEXT = 1u << 6,
    F_BATCH = 1u << 7,
    F_SOURCE = 1u << 8,
    F_DOC_ID = 1u << 9,
    F_REASON = 1u << 10,
    F_INSTANCE = 1u << 11,
    F_UNIT_CODE = 1u << 12,
    F_UNIT_NAME = 1u << 13,
    F_PROVINCE = 1u << 14,
    F_CURSOR = 1u << 15,
};

typedef enum { K_U64, K_U32, K_STATUS, K_YEAR, K_BOOL, K_STR } s_kind_t;

typedef struct {
    const char *name; /* key in the field map */
    size_t len;       /* strlen(name) */
    s_kind_t kind;    /* its msgpack shape */
    size_t max;       /* strings: longest accepted, in bytes */
    size_t offset;    /* where it lives in lxm_msg_t */
} s_field_t;

#define S_OFF(f) offsetof(lxm_msg_t, f)
static const s_field_t s_fields[] = {
    {"seq", 3, K_U64, 0, S_OFF(seq)},
    {"credit", 6, K_U32, 0, S_OFF(credit)},
    {"attempt", 7, K_U32, 0, S_OFF(attempt)},
    {"status", 6, K_STATUS, 0, S_OFF(status)},
    {"year", 4, K_YEAR, 0, S_OFF(year)},
    {"limit", 5, K_U32, 0, S_OFF(limit)},
    {"with_text", 9, K_BOOL, 0, S_OFF(with_text)},
    {"batch", 5, K_STR, 256, S_OFF(batch)},
    {"source", 6, K_STR, 4096, S_OFF(source)},
    {"doc_id", 6, K_STR, 128, S_OFF(doc_id)},
    {"reason", 6, K_STR, 1u << 20, S_OFF(reason)},
    {"instance", 8, K_STR, 64, S_OFF(instance)},
    {"unit_code", 9, K_STR, 64, S_OFF(unit_code)},
    {"unit_name", 9, K_STR, 256, S_OFF(unit_name)},
    {"province", 8, K_STR, 256, S_OFF(province)},
    {"cursor", 6, K_STR, 256, S_OFF(cursor)},
};
#define S_NFIELDS (sizeof s_fields / sizeof s_fields[0])

typedef struct {
    const char *name;  /* command name for logs */
    uint32_t required; /* F_ bits the command must carry */
    uint8_t min_blobs, max_blobs;
} s_command_t;

static const s_command_t s_commands[LXM_CMD_MAX] = {
    [LXM_SUBMIT] = {"SUBMIT", F_SEQ | F_BATCH | F_SOURCE, 1, 1},
    [LXM_ACCEPT] = {"ACCEPT", F_SEQ, 0, 0},
    [LXM_RESULT] = {"RESULT", F_SEQ | F_STATUS, 0, 0},
    [LXM_READY] = {"READY", F_CREDIT, 0, 0},
    [LXM_JOB] = {"JOB", F_SEQ | F_ATTEMPT | F_BATCH | F_SOURCE, 1, 1},
    [LXM_DONE] = {"DONE", F_SEQ | F_STATUS, 0, 0},
    [LXM_HEARTBEAT] = {"HEARTBEAT", F_INSTANCE, 0, 0},
    [LXM_DISCONNECT] = {"DISCONNECT", 0, 0, 0},
    [LXM_STORE] = {"STORE", F_SEQ | F_BATCH, 1, 2},
    [LXM_STORED] = {"STORED", F_SEQ | F_STATUS, 0, 0},
    [LXM_GET] = {"GET", F_SEQ | F_DOC_ID, 0, 0},
    [LXM_FIND] = {"FIND", F_SEQ, 0, 0},
    [LXM_EXPORT] = {"EXPORT", F_SEQ, 0, 0},
    [LXM_RECORDS] = {"RECORDS", F_SEQ, 0, LXM_MSG_MAX_BLOBS},
    [LXM_STATUS] = {"STATUS", F_SEQ, 0, 0},
    [LXM_STATS] = {"STATS", F_SEQ | F_REASON, 0, 0},
    [LXM_ERROR] = {"ERROR", F_REASON, 0, 0},
    [LXM_FEED] = {"FEED", F_DOC_ID, 1, 2},
    [LXM_BUNDLE] = {"BUNDLE", 0, 1, 1},
};

static atomic_uint_fast64_t s_errors;

/* ---- the message object ---------------------------------------------------------- */

lxm_msg_t *lxm_msg_new(lxm_cmd_t cmd)
{
    lxm_msg_t *self = lxm_xcalloc(1, sizeof(lxm_msg_t));
    self->cmd = cmd;
    return self;
}

void lxm_msg_destroy(lxm_msg_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_msg_t *self = *self_p;
    zframe_destroy(&self->routing_id);
    for (size_t i = 0; i < S_NFIELDS; i++)
        if (s_fields[i].kind == K_STR)
            free(*(char **)((char *)self + s_fields[i].offset));
    for (size_t i = 0; i < self->n_blobs; i++)
        free(self->blob[i]);
    free(self);
    *self_p = NULL;
}

const char *lxm_cmd_name(lxm_cmd_t cmd)
{
    if (cmd > 0 && cmd < LXM_CMD_MAX && s_commands[cmd].name)
        return s_commands[cmd].name;
    return "UNKNOWN";
}

void lxm_msg_set_str(char **field, const char *value)
{
    assert(field);
    char *copy = lxm_xstrdup(value);
    free(*field);
    *field = copy;
}

int lxm_msg_add_blob(lxm_msg_t *self, const void *bytes, size_t n)
{
    assert(self);
    if (self->n_blobs >= LXM_MSG_MAX_BLOBS)
        return -1;
    void *copy = lxm_xmalloc(n);
    if (n)
        memcpy(copy, bytes, n);
    self->blob[self->n_blobs] = copy;
    self->blob_size[self->n_blobs++] = n;
    return 0;
}

int lxm_msg_add_blob_owned(lxm_msg_t *self, void *bytes, size_t n)
{
    assert(self);
    if (self->n_blobs >= LXM_MSG_MAX_BLOBS)
        return -1; /* still the caller's: they free it */
    self->blob[self->n_blobs] = bytes;
    self->blob_size[self->n_blobs++] = n;
    return 0;
}

void lxm_msg_set_routing_id(lxm_msg_t *self, zframe_t *routing_id)
{
    assert(self);
    zframe_t *copy = routing_id ? zframe_dup(routing_id) : NULL;
    zframe_destroy(&self->routing_id);
    self->routing_id = copy;
}

uint64_t lxm_msg_errors(void)
{
    return atomic_load(&s_errors);
}

/* ---- encode -------------------------------------------------------------------- */

static int s_buf_write(void *data, const char *buf, size_t len)
{
    lxm_buf_append((lxm_buf_t *)data, buf, len);
    return 0;
}

/* Whether field I goes on the wire: required ones always, others when set. */
static bool s_field_present(const lxm_msg_t *self, size_t i, uint32_t required)
{
    const char *p = (const char *)self + s_fields[i].offset;
    if (required & (1u << i))
        return true;
    switch (s_fields[i].kind) {
    case K_U64: return *(const uint64_t *)p != 0;
    case K_U32:
    case K_STATUS: return *(const uint32_t *)p != 0;
    case K_YEAR: return *(const int32_t *)p != 0;
    case K_BOOL: return *(const bool *)p;
    case K_STR: return *(char *const *)p != NULL;
    }
    return false;
}

/* Writes the field map of SELF into OUT; -1 when a required string is missing. */
static int s_encode_fields(const lxm_msg_t *self, lxm_buf_t *out)
{
    uint32_t required = s_commands[self->cmd].required;
    size_t n = 0;
    for (size_t i = 0; i < S_NFIELDS; i++) {
        if (!s_field_present(self, i, required))
            continue;
        if (s_fields[i].kind == K_STR && !*(char *const *)((const char *)self +
                                                          s_fields[i].offset))
            return -1;
        n++;
    }
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_buf_write);
    msgpack_pack_map(&pk, n);
    for (size_t i = 0; i < S_NFIELDS; i++) {
        if (!s_field_present(self, i, required))
            continue;
        const char *p = (const char *)self + s_fields[i].offset;
        size_t kl = s_fields[i].len;
        msgpack_pack_str(&pk, kl);
        msgpack_pack_str_body(&pk, s_fields[i].name, kl);
        switch (s_fields[i].kind) {
        case K_U64: msgpack_pack_uint64(&pk, *(const uint64_t *)p); break;
        case K_U32:
        case K_STATUS: msgpack_pack_uint32(&pk, *(const uint32_t *)p); break;
        case K_YEAR: msgpack_pack_int32(&pk, *(const int32_t *)p); break;
        case K_BOOL:
            if (*(const bool *)p)
                msgpack_pack_true(&pk);
            else
                msgpack_pack_false(&pk);
            break;
        case K_STR: {
            const char *s = *(char *const *)p;
            size_t sl = strlen(s);
            msgpack_pack_str(&pk, sl);
            msgpack_pack_str_body(&pk, s, sl);
            break;
        }
        }
    }
    return 0;
}

/* A message the peer would refuse is a programming error on our side: refuse to send it
 * rather than have the peer count it as malformed. */
static bool s_encodable(const lxm_msg_t *self)
{
    if (self->cmd <= 0 || self->cmd >= LXM_CMD_MAX)
        return false;
    const s_command_t *c = &s_commands[self->cmd];
    return self->n_blobs >= c->min_blobs && self->n_blobs <= c->max_blobs;
}

zmsg_t *lxm_msg_encode(const lxm_msg_t *self)
{
    assert(self);
    if (!s_encodable(self))
        return NULL;
    lxm_buf_t fields = {0};
    if (s_encode_fields(self, &fields) != 0) {
        lxm_buf_free(&fields);
        return NULL;
    }
    zmsg_t *zmsg = zmsg_new();
    byte header[S_HEADER_SIZE] = {'L', 'X', 'M', LXM_PROTO_VERSION, (byte)self->cmd};
    zmsg_addmem(zmsg, header, sizeof header);
    zmsg_addmem(zmsg, fields.data, fields.len);
    for (size_t i = 0; i < self->n_blobs; i++)
        zmsg_addmem(zmsg, self->blob[i], self->blob_size[i]);
    lxm_buf_free(&fields);
    return zmsg;
}

/* ---- send ---------------------------------------------------------------------- */

int lxm_sock_type(void *handle)
{
    int type = -1;
    size_t size = sizeof type;
    if (zmq_getsockopt(handle, ZMQ_TYPE, &type, &size) != 0)
        return -1;
    return type;
}

int lxm_sock_send_frame(void *handle, void *bytes, size_t n, int flags, zmq_free_fn *give)
{
    zmq_msg_t part;
    if (give) {
        if (zmq_msg_init_data(&part, bytes, n, give, NULL) != 0) {
            give(bytes, NULL);
            return -1;
        }
    } else {
        if (zmq_msg_init_size(&part, n) != 0)
            return -1;
        if (n)
            memcpy(zmq_msg_data(&part), bytes, n);
    }
    if (zmq_msg_send(&part, handle, flags) < 0) {
        int err = errno;
        zmq_msg_close(&part); /* a refused part stays ours to free (GIVE frees it here) */
        errno = err;
        return -1;
    }
    return 0;
}

/* Sends one frame, copied: the caller keeps its bytes. */
static int s_send_frame(void *handle, const void *bytes, size_t n, int flags)
{
    return lxm_sock_send_frame(handle, (void *)bytes, n, flags, NULL);
}

int lxm_msg_send(lxm_msg_t *self, void *sock)
{
    assert(self && sock);
    void *handle = zsock_resolve(sock);
    if (!handle || !s_encodable(self)) {
        errno = EINVAL;
        return -1;
    }
    lxm_buf_t fields = {0};
    if (s_encode_fields(self, &fields) != 0) {
        lxm_buf_free(&fields);
        errno = EINVAL;
        return -1;
    }
    /* A ROUTER never blocks on one slow or gone peer: with ROUTER_MANDATORY the send
     * fails at once (EHOSTUNREACH / EAGAIN) and the caller decides. The routing id only
     * means something there: a message received on a ROUTER may be passed on through a
     * DEALER without clearing it. */
    bool router = lxm_sock_type(handle) == ZMQ_ROUTER;
    if (router && !self->routing_id) {
        lxm_buf_free(&fields);
        errno = EINVAL; /* libzmq would take the header for a routing id */
        return -1;
    }
    int base = router ? ZMQ_DONTWAIT : 0;
    byte header[S_HEADER_SIZE] = {'L', 'X', 'M', LXM_PROTO_VERSION, (byte)self->cmd};
    int rc = 0;
    if (router)
        rc = s_send_frame(handle, zframe_data(self->routing_id), zframe_size(self->routing_id),
                          base | ZMQ_SNDMORE);
    if (rc == 0)
        rc = s_send_frame(handle, header, sizeof header, base | ZMQ_SNDMORE);
    if (rc == 0)
        rc = s_send_frame(handle, fields.data, fields.len,
                          base | (self->n_blobs ? ZMQ_SNDMORE : 0));
    for (size_t i = 0; rc == 0 && i < self->n_blobs; i++)
        rc = s_send_frame(handle, self->blob[i], self->blob_size[i],
                          base | (i + 1 < self->n_blobs ? ZMQ_SNDMORE : 0));
    int err = errno;
    lxm_buf_free(&fields);
    errno = err;
    return rc;
}

int lxm_msg_encode_fields(const lxm_msg_t *self, lxm_buf_t *out)
{
    assert(self && out);
    if (!s_encodable(self))
        return -1;
    size_t mark = out->len;
    if (s_encode_fields(self, out) != 0) {
        out->len = mark;
        return -1;
    }
    return 0;
}

/* ---- decode -------------------------------------------------------------------- */

/* Reads one field value V into SELF; returns the reason it is refused, or NULL. */
static const char *s_decode_field(lxm_msg_t *self, const s_field_t *f, const lxm_mpack_val_t *v)
{
    char *p = (char *)self + f->offset;
    if (v->kind == LXM_MPACK_NIL)
        return NULL; /* nil means absent */
    switch (f->kind) {
    case K_U64:
        if (v->kind != LXM_MPACK_UINT)
            return "an integer field has the wrong type";
        *(uint64_t *)p = v->u;
        return NULL;
    case K_U32:
    case K_STATUS:
        if (v->kind != LXM_MPACK_UINT)
            return "an integer field has the wrong type";
        if (v->u > UINT32_MAX)
            return "an integer field is out of range";
        if (f->kind == K_STATUS && v->u > LXM_ST_RESENT)
            return "unknown status";
        *(uint32_t *)p = (uint32_t)v->u;
        return NULL;
    case K_YEAR:
        if (v->kind != LXM_MPACK_UINT)
            return "year has the wrong type";
        if (v->u > 9999)
            return "year is out of range";
        *(int32_t *)p = (int32_t)v->u;
        return NULL;
    case K_BOOL:
        if (v->kind != LXM_MPACK_BOOL)
            return "a boolean field has the wrong type";
        *(bool *)p = v->u != 0;
        return NULL;
    case K_STR:
        if (v->kind != LXM_MPACK_STR)
            return "a string field has the wrong type";
        if (v->n > f->max)
            return "a string field is too long";
        if (memchr(v->s, '\0', v->n))
            return "a string field holds a NUL byte";
        free(*(char **)p);
        *(char **)p = lxm_xstrndup(v->s, v->n);
        return NULL;
    }
    return "unknown field kind";
}

/* Fills SELF from the field frame; returns a reason or NULL. SEEN gets the F_ bits.
 * The frame is walked once with the allocation-free reader (a message costs no msgpack
 * object tree): exactly one map, nothing after it. */
static const char *s_decode_fields(lxm_msg_t *self, const void *bytes, size_t len,
                                   uint32_t *seen)
{
    if (len > S_MAX_FIELDS)
        return "field frame too large";
    lxm_mpack_reader_t r;
    lxm_mpack_reader_init(&r, bytes, len);
    lxm_mpack_val_t root;
    if (!lxm_mpack_read(&r, &root))
        return "field frame is not valid msgpack";
    if (root.kind != LXM_MPACK_MAP) {
        if (!lxm_mpack_skip(&r, &root, 0) || !lxm_mpack_at_end(&r))
            return "field frame is not valid msgpack";
        return "field frame is not a map";
    }
    for (uint32_t i = 0; i < root.n; i++) {
        lxm_mpack_val_t k, v;
        if (!lxm_mpack_read(&r, &k))
            return "field frame is not valid msgpack";
        if (k.kind != LXM_MPACK_STR)
            return "a field name is not a string";
        if (!lxm_mpack_read(&r, &v))
            return "field frame is not valid msgpack";
        size_t f = 0;
        while (f < S_NFIELDS && (k.n != s_fields[f].len || memcmp(k.s, s_fields[f].name, k.n)))
            f++;
        if (f == S_NFIELDS) {
            /* unknown names are skipped: a newer peer may send more */
            if (!lxm_mpack_skip(&r, &v, 1))
                return "field frame is not valid msgpack";
            continue;
        }
        if (*seen & (1u << f))
            return "a field appears twice";
        const char *why = s_decode_field(self, &s_fields[f], &v);
        if (why)
            return why;
        if (!lxm_mpack_skip(&r, &v, 1)) /* a container in a scalar field was refused above */
            return "field frame is not valid msgpack";
        if (v.kind != LXM_MPACK_NIL)
            *seen |= 1u << f;
    }
    if (!lxm_mpack_at_end(&r))
        return "field frame is not valid msgpack";
    return NULL;
}

/* One received frame, borrowed. */
typedef struct {
    const void *data;
    size_t size;
} s_frame_t;

/* Most frames a well-formed message has (routing id, header, fields, blobs); a longer
 * message is refused by its frame count, so the frames past this are never looked at. */
#define S_MAX_FRAMES (3 + LXM_MSG_MAX_BLOBS)

/* Decodes FRAMES (no routing id; NFRAMES in the message, at most S_MAX_FRAMES of them
 * stored) into a new message; returns the reason it is malformed, or NULL. */
static const char *s_decode(const s_frame_t *frames, size_t nframes, lxm_msg_t **msg_p)
{
    *msg_p = NULL;
    if (nframes < 2)
        return "too few frames";
    const byte *h = frames[0].data;
    if (frames[0].size != S_HEADER_SIZE || memcmp(h, "LXM", 3) != 0)
        return "not a lexmill message (bad signature)";
    if (h[3] != LXM_PROTO_VERSION)
        return "unsupported protocol version";
    if (h[4] == 0 || h[4] >= LXM_CMD_MAX || !s_commands[h[4]].name)
        return "unknown command";
    const s_command_t *c = &s_commands[h[4]];
    size_t nblobs = nframes - 2;
    if (nblobs < c->min_blobs)
        return "missing blob frames";
    if (nblobs > c->max_blobs)
        return "too many blob frames";

    lxm_msg_t *self = lxm_msg_new((lxm_cmd_t)h[4]);
    uint32_t seen = 0;
    const char *why = s_decode_fields(self, frames[1].data, frames[1].size, &seen);
    if (!why && (seen & c->required) != c->required)
        why = "a required field is missing";
    for (size_t i = 2; !why && i < nframes; i++)
        lxm_msg_add_blob(self, frames[i].data, frames[i].size);
    if (why) {
        lxm_msg_destroy(&self);
        return why;
    }
    *msg_p = self;
    return NULL;
}

/* s_decode over a zmsg_t (consumes nothing). */
static const char *s_decode_zmsg(zmsg_t *zmsg, lxm_msg_t **msg_p)
{
    s_frame_t frames[S_MAX_FRAMES];
    size_t n = 0, total = zmsg ? zmsg_size(zmsg) : 0;
    for (zframe_t *f = total ? zmsg_first(zmsg) : NULL; f && n < S_MAX_FRAMES;
         f = zmsg_next(zmsg)) {
        frames[n].data = zframe_data(f);
        frames[n++].size = zframe_size(f);
    }
    return s_decode(frames, total, msg_p);
}

int lxm_msg_decode_frames(const void *const *data, const size_t *size, size_t n,
                          lxm_msg_t **msg_p, const char **why)
{
    assert(msg_p);
    s_frame_t frames[S_MAX_FRAMES];
    if (n > S_MAX_FRAMES) {
        *msg_p = NULL;
        if (why)
            *why = "too many blob frames";
        return LXM_MSG_EPROTO;
    }
    for (size_t i = 0; i < n; i++) {
        frames[i].data = data[i];
        frames[i].size = size[i];
    }
    const char *reason = s_decode(frames, n, msg_p);
    if (reason) {
        if (why)
            *why = reason;
        return LXM_MSG_EPROTO;
    }
    return 0;
}

int lxm_msg_decode(zmsg_t *zmsg, lxm_msg_t **msg_p, const char **why)
{
    assert(msg_p);
    const char *reason = s_decode_zmsg(zmsg, msg_p);
    if (reason) {
        atomic_fetch_add(&s_errors, 1);
        if (why)
            *why = reason;
        return LXM_MSG_EPROTO;
    }
    return 0;
}

/* A well-formed BUNDLE in FRAMES (no routing id): its payload frame, else NULL. The
 * bundle's own field frame is checked as any message's. */
static const s_frame_t *s_bundle_payload(const s_frame_t *frames, size_t n, const char **why)
{
    *why = NULL;
    if (n < 1 || frames[0].size != S_HEADER_SIZE || memcmp(frames[0].data, "LXM", 3) != 0 ||
        ((const byte *)frames[0].data)[3] != LXM_PROTO_VERSION ||
        ((const byte *)frames[0].data)[4] != LXM_BUNDLE)
        return NULL;
    if (n != 3) {
        *why = n < 3 ? "missing blob frames" : "too many blob frames";
        return NULL;
    }
    lxm_msg_t scratch = {.cmd = LXM_BUNDLE};
    uint32_t seen = 0;
    *why = s_decode_fields(&scratch, frames[1].data, frames[1].size, &seen);
    for (size_t i = 0; i < S_NFIELDS; i++) /* a peer may send any known field */
        if (s_fields[i].kind == K_STR)
            free(*(char **)((char *)&scratch + s_fields[i].offset));
    return *why ? NULL : &frames[2];
}

static int s_recv(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p,
                  lxm_msg_open_fn *open, void *arg)
{
    assert(msg_p && sock);
    *msg_p = NULL;
    if (routing_p)
        *routing_p = NULL;
    void *handle = zsock_resolve(sock);
    if (!handle)
        return -1;
    /* Every part is read, so a malformed message is always consumed whole; the parts are
     * read straight into zmq messages (no zmsg/zframe objects on this hot path). */
    zmq_msg_t parts[S_MAX_FRAMES];
    size_t n = 0, total = 0;
    for (bool more = true; more; total++) {
        zmq_msg_t part;
        zmq_msg_init(&part);
        if (zmq_msg_recv(&part, handle, 0) < 0) {
            /* only the first part can fail: libzmq delivers a message whole */
            zmq_msg_close(&part);
            for (size_t i = 0; i < n; i++)
                zmq_msg_close(&parts[i]);
            return -1;
        }
        more = zmq_msg_more(&part);
        if (n < S_MAX_FRAMES)
            parts[n++] = part;
        else
            zmq_msg_close(&part);
    }
    s_frame_t frames[S_MAX_FRAMES];
    for (size_t i = 0; i < n; i++) {
        frames[i].data = zmq_msg_data(&parts[i]);
        frames[i].size = zmq_msg_size(&parts[i]);
    }
    zframe_t *routing = NULL;
    const char *reason = NULL;
    size_t first = 0;
    if (lxm_sock_type(handle) == ZMQ_ROUTER) {
        routing = zframe_new(frames[0].data, frames[0].size);
        first = 1;
    }
    const s_frame_t *payload = NULL;
    if (open && total - first <= S_MAX_FRAMES - first)
        payload = s_bundle_payload(frames + first, total - first, &reason);
    if (payload) /* opened where it lies: no copy of the payload */
        reason = open(payload->data, payload->size, routing, arg);
    else if (!reason)
        reason = s_decode(frames + first, total - first, msg_p);
    for (size_t i = 0; i < n; i++)
        zmq_msg_close(&parts[i]);
    if (reason) {
        atomic_fetch_add(&s_errors, 1);
        if (why)
            *why = reason;
        if (routing_p)
            *routing_p = routing;
        else
            zframe_destroy(&routing);
        return LXM_MSG_EPROTO;
    }
    if (payload)
        zframe_destroy(&routing); /* OPEN gave each message its copy */
    else
        (*msg_p)->routing_id = routing;
    return 0;
}

int lxm_msg_recv(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p)
{
    return s_recv(msg_p, sock, why, routing_p, NULL, NULL);
}

int lxm_msg_recv_open(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p,
                      lxm_msg_open_fn *open, void *arg)
{
    return s_recv(msg_p, sock, why, routing_p, open, arg);
}

/* ---- sockets ------------------------------------------------------------------- */

void lxm_sock_harden(zsock_t *sock)
{
    assert(sock);
    void *handle = zsock_resolve(sock);
    int64_t maxsize = LXM_MAX_MSG_SIZE;
    zmq_setsockopt(handle, ZMQ_MAXMSGSIZE, &maxsize, sizeof maxsize);
    zsock_set_sndhwm(sock, 10000);
    zsock_set_rcvhwm(sock, 10000);
    int type = lxm_sock_type(handle);
    if (type == ZMQ_ROUTER) {
        zsock_set_linger(sock, 0); /* a server drops replies to gone peers at close */
        zsock_set_router_mandatory(sock, 1);
        zsock_set_router_handover(sock, 1);
    } else if (type == ZMQ_PUB) {
        zsock_set_linger(sock, 0);
    } else {
        zsock_set_linger(sock, 1000); /* give a last DONE/STORE a second to leave */
    }
}

void lxm_instance_id(char out[17])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[8];
    bool ok = false;
    FILE *f = fopen("/dev/urandom", "rb");
    if (f) {
        ok = fread(raw, 1, sizeof raw, f) == sizeof raw;
        fclose(f);
    }
    if (!ok) {
        zuuid_t *uuid = zuuid_new();
        memcpy(raw, zuuid_data(uuid), sizeof raw);
        zuuid_destroy(&uuid);
    }
    for (size_t i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 0x0f];
    }
    out[16] = '\0';
}
