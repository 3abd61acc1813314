/* lxm_bundle: BUNDLE messages (PROTOCOL.md 3.4) and the inbox that opens them.
 *
 * The payload frame is: count (4 octets, big-endian), then each inner message as its
 * frame count (1 octet) and its frames, each a length (4 octets, big-endian) and the
 * bytes. The inner frames are exactly those the message would have on its own, so the
 * one codec (lxm_msg) encodes and checks them. */
#include "lxm_bundle.h"
#include <errno.h>
#include <string.h>

#define S_HEADER_SIZE 5
#define S_MAX_INNER_FRAMES (2 + LXM_MSG_MAX_BLOBS)

struct lxm_bundle_t {
    lxm_buf_t payload; /* count placeholder + inner messages */
    size_t count;      /* inner messages */
    lxm_buf_t fields;  /* scratch for one message's field frame */
};

static void s_put_u32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char) (v >> 24);
    p[1] = (unsigned char) (v >> 16);
    p[2] = (unsigned char) (v >> 8);
    p[3] = (unsigned char) v;
}

static uint32_t s_get_u32(const unsigned char *p)
{
    return (uint32_t) p[0] << 24 | (uint32_t) p[1] << 16 | (uint32_t) p[2] << 8 | p[3];
}

static void s_append_frame(lxm_buf_t *b, const void *bytes, size_t n)
{
    unsigned char len[4];
    s_put_u32(len, (uint32_t) n);
    lxm_buf_append(b, len, 4);
    if (n)
        lxm_buf_append(b, bytes, n);
}

lxm_bundle_t *lxm_bundle_new(void)
{
    return lxm_xcalloc(1, sizeof(lxm_bundle_t));
}

void lxm_bundle_destroy(lxm_bundle_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_buf_free(&(*self_p)->payload);
    lxm_buf_free(&(*self_p)->fields);
    free(*self_p);
    *self_p = NULL;
}

int lxm_bundle_add(lxm_bundle_t *self, const lxm_msg_t *msg)
{
    assert(self && msg);
    lxm_buf_clear(&self->fields);
    if (msg->cmd == LXM_BUNDLE || lxm_msg_encode_fields(msg, &self->fields) != 0) {
        errno = EINVAL;
        return -1;
    }
    if (self->count == 0) {
        lxm_buf_clear(&self->payload);
        unsigned char zero[4] = {0};
        lxm_buf_append(&self->payload, zero, 4); /* the count, written at send */
    }
    size_t bytes = S_HEADER_SIZE + self->fields.len + 4 * (2 + msg->n_blobs) + 1;
    for (size_t i = 0; i < msg->n_blobs; i++)
        bytes += msg->blob_size[i];
    lxm_buf_reserve(&self->payload, bytes);
    lxm_buf_putc(&self->payload, (char) (2 + msg->n_blobs));
    unsigned char header[S_HEADER_SIZE] = {'L', 'X', 'M', LXM_PROTO_VERSION,
                                           (unsigned char) msg->cmd};
    s_append_frame(&self->payload, header, sizeof header);
    s_append_frame(&self->payload, self->fields.data, self->fields.len);
    for (size_t i = 0; i < msg->n_blobs; i++)
        s_append_frame(&self->payload, msg->blob[i], msg->blob_size[i]);
    self->count++;
    return 0;
}

void lxm_bundle_clear(lxm_bundle_t *self)
{
    self->count = 0;
    lxm_buf_clear(&self->payload);
}

size_t lxm_bundle_count(const lxm_bundle_t *self)
{
    return self->count;
}

size_t lxm_bundle_bytes(const lxm_bundle_t *self)
{
    return self->count ? self->payload.len : 0;
}

bool lxm_bundle_room(const lxm_bundle_t *self, const lxm_msg_t *msg)
{
    if (self->count == 0)
        return true;
    size_t bytes = 64 + 4 * (2 + msg->n_blobs); /* header, fields (small), lengths */
    for (size_t i = 0; i < msg->n_blobs; i++)
        bytes += msg->blob_size[i];
    return self->count < LXM_BUNDLE_FULL_MSGS &&
           lxm_bundle_bytes(self) + bytes <= LXM_BUNDLE_FULL_BYTES;
}

static void s_free_sent(void *data, void *hint)
{
    (void) hint;
    free(data);
}

/* Sends the frames of the one inner message in the payload as a plain message. */
static int s_send_single(lxm_bundle_t *self, void *handle, int base)
{
    unsigned char *p = (unsigned char *) self->payload.data + 4;
    size_t nframes = *p++;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < nframes; i++) {
        uint32_t n = s_get_u32(p);
        p += 4;
        rc = lxm_sock_send_frame(handle, p, n, base | (i + 1 < nframes ? ZMQ_SNDMORE : 0), NULL);
        p += n;
    }
    return rc;
}

int lxm_bundle_send(lxm_bundle_t *self, void *sock, zframe_t *routing)
{
    assert(self && sock);
    if (self->count == 0)
        return 0;
    void *handle = zsock_resolve(sock);
    bool router = handle && lxm_sock_type(handle) == ZMQ_ROUTER;
    int rc = -1;
    errno = EINVAL;
    if (!handle || (router && !routing))
        goto done;
    int base = router ? ZMQ_DONTWAIT : 0;
    rc = 0;
    if (router)
        rc = lxm_sock_send_frame(handle, zframe_data(routing), zframe_size(routing),
                                 base | ZMQ_SNDMORE, NULL);
    if (rc == 0 && self->count == 1) {
        rc = s_send_single(self, handle, base);
        goto done;
    }
    unsigned char header[S_HEADER_SIZE] = {'L', 'X', 'M', LXM_PROTO_VERSION, LXM_BUNDLE};
    unsigned char no_fields = 0x80; /* msgpack: an empty map */
    if (rc == 0)
        rc = lxm_sock_send_frame(handle, header, sizeof header, base | ZMQ_SNDMORE, NULL);
    if (rc == 0)
        rc = lxm_sock_send_frame(handle, &no_fields, 1, base | ZMQ_SNDMORE, NULL);
    if (rc == 0) {
        /* the payload leaves without a copy: libzmq frees it once written */
        s_put_u32((unsigned char *) self->payload.data, (uint32_t) self->count);
        size_t len = self->payload.len;
        rc = lxm_sock_send_frame(handle, lxm_buf_take(&self->payload), len, base, s_free_sent);
    }
done:;
    int err = errno;
    self->count = 0;
    lxm_buf_clear(&self->payload);
    errno = err;
    return rc;
}

/* ---- the inbox ------------------------------------------------------------------- */

struct lxm_inbox_t {
    lxm_msg_t **msgs; /* messages left from the last bundle, from head */
    size_t head, n, cap;
};

lxm_inbox_t *lxm_inbox_new(void)
{
    return lxm_xcalloc(1, sizeof(lxm_inbox_t));
}

void lxm_inbox_clear(lxm_inbox_t *self)
{
    for (size_t i = self->head; i < self->n; i++)
        lxm_msg_destroy(&self->msgs[i]);
    self->head = self->n = 0;
}

void lxm_inbox_destroy(lxm_inbox_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_inbox_clear(*self_p);
    free((*self_p)->msgs);
    free(*self_p);
    *self_p = NULL;
}

size_t lxm_inbox_waiting(const lxm_inbox_t *self)
{
    return self->n - self->head;
}

bool lxm_inbox_more(lxm_inbox_t *self, void *sock, int *reads, int max_reads)
{
    if (lxm_inbox_waiting(self) > 0)
        return true;
    if (*reads >= max_reads || !(zsock_events(sock) & ZMQ_POLLIN))
        return false;
    (*reads)++;
    return true;
}

bool lxm_inbox_ready(lxm_inbox_t *self, void *sock)
{
    return lxm_inbox_waiting(self) > 0 || (zsock_events(sock) & ZMQ_POLLIN);
}

/* Decodes every inner message of PAYLOAD into the inbox (empty before); returns NULL,
 * or the reason the bundle is refused (the inbox is left empty). */
static const char *s_open(lxm_inbox_t *self, const void *payload, size_t len,
                          const zframe_t *routing)
{
    const unsigned char *p = payload;
    if (len < 4)
        return "bundle: payload too short";
    uint32_t count = s_get_u32(p);
    if (count < 1 || count > LXM_BUNDLE_MAX_MSGS)
        return "bundle: message count out of range";
    if (count > self->cap) {
        self->cap = count;
        self->msgs = lxm_xrealloc(self->msgs, count * sizeof *self->msgs);
    }
    const unsigned char *end = p + len;
    p += 4;
    const char *why = NULL;
    for (uint32_t k = 0; k < count && !why; k++) {
        if (p >= end) {
            why = "bundle: fewer messages than its count";
            break;
        }
        size_t nframes = *p++;
        if (nframes < 2 || nframes > S_MAX_INNER_FRAMES) {
            why = "bundle: an inner message has a bad frame count";
            break;
        }
        const void *data[S_MAX_INNER_FRAMES];
        size_t size[S_MAX_INNER_FRAMES];
        for (size_t i = 0; i < nframes && !why; i++) {
            if ((size_t) (end - p) < 4) {
                why = "bundle: truncated";
                break;
            }
            uint32_t n = s_get_u32(p);
            p += 4;
            if ((size_t) (end - p) < n) {
                why = "bundle: a frame runs past the payload";
                break;
            }
            data[i] = p;
            size[i] = n;
            p += n;
        }
        if (why)
            break;
        if (size[0] == S_HEADER_SIZE && ((const unsigned char *) data[0])[4] == LXM_BUNDLE) {
            why = "bundle: a bundle inside a bundle";
            break;
        }
        lxm_msg_t *msg = NULL;
        if (lxm_msg_decode_frames(data, size, nframes, &msg, &why) != 0)
            break; /* why says which rule the inner message broke */
        if (routing)
            msg->routing_id = zframe_dup((zframe_t *) routing);
        self->msgs[self->n++] = msg;
    }
    if (!why && p != end)
        why = "bundle: bytes after the last message";
    if (why)
        lxm_inbox_clear(self);
    return why;
}

static const char *s_open_fn(const void *payload, size_t len, zframe_t *routing, void *arg)
{
    return s_open((lxm_inbox_t *) arg, payload, len, routing);
}

int lxm_inbox_recv(lxm_inbox_t *self, void *sock, lxm_msg_t **msg_p, const char **why,
                   zframe_t **routing_p)
{
    assert(self && msg_p);
    *msg_p = NULL;
    if (routing_p)
        *routing_p = NULL;
    if (self->head == self->n) {
        /* a bundle is opened straight from the received frame into the inbox */
        int rc = lxm_msg_recv_open(msg_p, sock, why, routing_p, s_open_fn, self);
        if (rc != 0 || *msg_p)
            return rc;
        if (self->head == self->n)
            return -1; /* cannot happen: a bundle holds one message at least */
    }
    *msg_p = self->msgs[self->head];
    self->msgs[self->head++] = NULL;
    if (self->head == self->n)
        self->head = self->n = 0;
    return 0;
}
