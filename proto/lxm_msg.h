/* lxm_msg: every message on every lexmill socket, and the one codec all roles use.
 * proto/PROTOCOL.md is the specification; this is its implementation.
 *
 * Promises:
 *  - lxm_msg_recv never asserts or crashes on what a peer sends: a message without the
 *    lexmill signature, of another protocol version, of an unknown command or with a
 *    malformed body is consumed whole, counted (lxm_msg_errors) and reported as
 *    LXM_MSG_EPROTO with a reason, and the caller carries on.
 *  - lxm_msg_send consumes nothing of the caller's: the message stays the caller's.
 *  - A message owns every string and blob it points to (set with the lxm_msg_set_*
 *    helpers); lxm_msg_destroy frees them and nulls the caller's pointer.
 *
 * Wire shape (see PROTOCOL.md): [routing id if ROUTER] | header frame "LXM" + version
 * byte + command byte | one msgpack frame with the scalar fields | zero or more blob
 * frames (document bytes, record msgpack, cleaned text), so large payloads are never
 * re-encoded. */
#ifndef LXM_MSG_H
#define LXM_MSG_H
#include <czmq.h>
#include <stdbool.h>
#include <stdint.h>
#include "lxm_buf.h"

#define LXM_PROTO_VERSION 1
#define LXM_MSG_EPROTO (-2)           /* lxm_msg_recv: malformed message, consumed */
#define LXM_MAX_MSG_SIZE (64LL << 20) /* ZMQ_MAXMSGSIZE for sockets facing peers */

typedef enum {
    /* client <-> broker (clients endpoint) */
    LXM_SUBMIT = 1,   /* C->B seq, batch, source, blob0=document bytes */
    LXM_ACCEPT,       /* B->C seq: the broker queued it (client may stop counting it as unsent) */
    LXM_RESULT,       /* B->C seq, status, doc_id, reason */
    /* worker <-> broker (workers endpoint) */
    LXM_READY,        /* W->B credit: how many more jobs the worker takes */
    LXM_JOB,          /* B->W seq=job id, attempt, batch, source, blob0=document bytes */
    LXM_DONE,         /* W->B seq=job id, status, doc_id, reason; also returns one credit */
    /* any peer <-> broker/collector */
    LXM_HEARTBEAT,    /* instance: the sender's random instance id (a restart changes it) */
    LXM_DISCONNECT,   /* B->W or W->B: forget me / re-announce yourself */
    /* worker <-> collector (results endpoint) */
    LXM_STORE,        /* W->Col seq=job id, batch, blob0=record msgpack, blob1=cleaned text */
    LXM_STORED,       /* Col->W seq=job id, status, doc_id, reason (after commit) */
    /* client <-> collector (query endpoint) */
    LXM_GET,          /* C->Col seq, doc_id; with_text */
    LXM_FIND,         /* C->Col seq, unit_code, unit_name, province, year, limit, cursor */
    LXM_EXPORT,       /* C->Col seq, cursor, limit: the next records after cursor by id */
    LXM_RECORDS,      /* Col->C seq, cursor (for the next page; "" when done), blobs=records */
    LXM_STATUS,       /* C->Col/B seq: ask for counters */
    LXM_STATS,        /* Col/B->C seq, reason=JSON object of counters */
    LXM_ERROR,        /* any reply: seq, reason */
    /* collector feed (PUB) */
    LXM_FEED,         /* Col->subscribers doc_id, blob0=record msgpack */
    /* any direction where its messages may go (lxm_bundle.h) */
    LXM_BUNDLE,       /* blob0=several messages for one peer, packed (PROTOCOL.md 3.4) */
    LXM_CMD_MAX
} lxm_cmd_t;

/* status values in RESULT, DONE, STORED */
typedef enum {
    LXM_ST_STORED = 0,    /* newly stored */
    LXM_ST_DUPLICATE = 1, /* the same content id was already stored */
    LXM_ST_FAILED = 2,    /* could not be stored; reason says why */
    LXM_ST_RESENT = 3     /* STORED only: already stored by this same batch (a resend) */
} lxm_status_t;

#define LXM_MSG_MAX_BLOBS 64

typedef struct {
    lxm_cmd_t cmd;
    zframe_t *routing_id;   /* peer identity on ROUTER sockets; NULL elsewhere */
    uint64_t seq;           /* client document number, job id, or query number */
    uint32_t credit;        /* READY */
    uint32_t attempt;       /* JOB: 1 for the first try */
    uint32_t status;        /* lxm_status_t */
    int32_t year;           /* FIND: 0 = any */
    uint32_t limit;         /* FIND/EXPORT: max records in the reply */
    bool with_text;         /* GET: also return the cleaned text as a second blob */
    char *batch;            /* submission token: one per `lexmill submit` run */
    char *source;           /* file path or URL */
    char *doc_id;           /* content id */
    char *reason;           /* failure reason, error text, or JSON counters */
    char *instance;         /* HEARTBEAT */
    char *unit_code, *unit_name, *province; /* FIND filters, NULL = any */
    char *cursor;           /* FIND/EXPORT/RECORDS paging */
    size_t n_blobs;
    void *blob[LXM_MSG_MAX_BLOBS];      /* owned bytes */
    size_t blob_size[LXM_MSG_MAX_BLOBS];
} lxm_msg_t;

lxm_msg_t *lxm_msg_new(lxm_cmd_t cmd);
void lxm_msg_destroy(lxm_msg_t **self_p);
const char *lxm_cmd_name(lxm_cmd_t cmd);

/* Setters copy (strings: NULL clears). */
void lxm_msg_set_str(char **field, const char *value);
/* Appends a copy of N bytes as the next blob; returns -1 past LXM_MSG_MAX_BLOBS. */
int lxm_msg_add_blob(lxm_msg_t *self, const void *bytes, size_t n);
/* Appends a blob, taking ownership of the malloc'ed BYTES. */
int lxm_msg_add_blob_owned(lxm_msg_t *self, void *bytes, size_t n);
/* Sets the routing id (copied) for a reply on a ROUTER socket. */
void lxm_msg_set_routing_id(lxm_msg_t *self, zframe_t *routing_id);

/* Sends on SOCK (a zsock_t or actor). Prefixes the routing id when set.
 * (Only on ROUTER sockets, where it is required: -1 EINVAL without one; elsewhere a
 * routing id left on the message is not sent.)
 * Returns 0, or -1 when the socket refused (errno as zmq sets it, e.g. EHOSTUNREACH
 * with ROUTER_MANDATORY, EAGAIN when it would block with ZMQ_DONTWAIT semantics). */
int lxm_msg_send(lxm_msg_t *self, void *sock);

/* Receives one message from SOCK. ROUTER sockets (zsock_type == ZMQ_ROUTER) have
 * their routing id read into (*msg_p)->routing_id. Returns 0 with *msg_p set,
 * LXM_MSG_EPROTO with *msg_p NULL and *why (static text) when the message is malformed
 * (it is consumed whole; *routing_p, when not NULL, receives the sender's routing id so
 * the caller may answer with an ERROR; the caller destroys it), or -1 when interrupted. */
int lxm_msg_recv(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p);

/* Encode/decode without a socket, for tests and for the broker's journal-free requeue.
 * lxm_msg_encode returns a new zmsg_t (without routing id); lxm_msg_decode consumes
 * nothing and returns 0, or LXM_MSG_EPROTO with *why.
 * A message its peer would refuse (a required string missing, the wrong number of blobs,
 * an unknown command) is not encoded: lxm_msg_encode returns NULL and lxm_msg_send
 * returns -1 with errno EINVAL. */
zmsg_t *lxm_msg_encode(const lxm_msg_t *self);
int lxm_msg_decode(zmsg_t *zmsg, lxm_msg_t **msg_p, const char **why);

/* For lxm_bundle, which packs several messages into one: the field frame of SELF
 * appended to OUT (-1 when SELF would be refused, as lxm_msg_send refuses it), and a
 * message decoded from borrowed frames (header, fields, blobs; the blobs are copied):
 * 0, or LXM_MSG_EPROTO with *why. Neither counts an error in lxm_msg_errors. */
int lxm_msg_encode_fields(const lxm_msg_t *self, lxm_buf_t *out);
int lxm_msg_decode_frames(const void *const *data, const size_t *size, size_t n,
                          lxm_msg_t **msg_p, const char **why);
/* As lxm_msg_recv, but a well-formed BUNDLE is not copied into a message: OPEN gets its
 * payload where it lies (valid during the call) and the sender's routing id (NULL off a
 * ROUTER; OPEN copies what it keeps), and returns NULL, or why the bundle is refused
 * (then this returns LXM_MSG_EPROTO, counted, with *why). After an opened bundle this
 * returns 0 with *msg_p NULL. */
typedef const char *(lxm_msg_open_fn)(const void *payload, size_t len, zframe_t *routing,
                                      void *arg);
int lxm_msg_recv_open(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p,
                      lxm_msg_open_fn *open, void *arg);


/* Malformed messages seen by this process since start. */
uint64_t lxm_msg_errors(void);

/* Applies lexmill's settings for a socket facing peers: MAXMSGSIZE, bounded HWMs,
 * linger, and ROUTER_MANDATORY on ROUTER sockets (so a send to a gone peer errors
 * instead of dropping silently). */
void lxm_sock_harden(zsock_t *sock);

/* Sends one frame of N bytes on libzmq socket HANDLE with FLAGS: a copy, or with GIVE
 * the malloc'ed BYTES themselves, which GIVE frees once libzmq has written them (or at
 * once when the send is refused). Returns 0, or -1 with errno. */
int lxm_sock_send_frame(void *handle, void *bytes, size_t n, int flags, zmq_free_fn *give);

/* The ZMQ_TYPE of a libzmq socket HANDLE (zsock_resolve'd), or -1. */
int lxm_sock_type(void *handle);

/* A random hex instance id for heartbeats (17 bytes incl NUL). */
void lxm_instance_id(char out[17]);

#endif
