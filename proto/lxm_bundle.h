/* lxm_bundle: several messages for one peer travelling as one BUNDLE message, and the
 * inbox that hands them out again one by one (PROTOCOL.md 3.4).
 *
 * Why: on loopback or a LAN, what a document costs the broker, collector and clients is
 * mostly per ZeroMQ message (a wake-up of the socket thread, a send() per frame of a
 * few KB, a poll on the other side), not per byte. A BUNDLE packs the messages that
 * leave together (the JOBs of one dispatch, the STOREs of one parse turn, the STOREDs of
 * one commit) into a single frame, which libzmq writes and reads in a few large
 * system calls.
 *
 * Promises:
 *  - lxm_bundle_send sends what was added, in order, as one message (a bundle of one
 *    message is sent as that message itself), and empties the bundle whatever happens;
 *    it never blocks on a ROUTER socket (as lxm_msg_send).
 *  - lxm_inbox_recv returns exactly the messages the sender added, in order, each with
 *    the bundle's routing id; a malformed bundle (bad lengths, a bundle inside a bundle,
 *    one malformed inner message) is refused whole, consumed, counted and reported as
 *    LXM_MSG_EPROTO like any malformed message: none of its messages is acted on.
 *  - Nothing else is ever held back: lxm_inbox_ready is true while a message is waiting,
 *    in the inbox or in the socket. */
#ifndef LXM_BUNDLE_H
#define LXM_BUNDLE_H
#include <czmq.h>
#include <stdbool.h>
#include "lxm_msg.h"

#define LXM_BUNDLE_MAX_MSGS 1024            /* inner messages a reader accepts */
#define LXM_BUNDLE_FULL_MSGS 256            /* senders start a new bundle past these... */
#define LXM_BUNDLE_FULL_BYTES ((size_t) 4 << 20) /* ...or past these payload bytes */

typedef struct lxm_bundle_t lxm_bundle_t;

lxm_bundle_t *lxm_bundle_new(void);
void lxm_bundle_destroy(lxm_bundle_t **self_p);

/* Appends a copy of MSG's encoding (MSG stays the caller's, its routing id is ignored).
 * Returns 0, or -1 (errno EINVAL) for a message its peer would refuse (as
 * lxm_msg_send) or a BUNDLE. */
int lxm_bundle_add(lxm_bundle_t *self, const lxm_msg_t *msg);

/* Forgets the messages added since the last send. */
void lxm_bundle_clear(lxm_bundle_t *self);

/* Messages added since the last send, and the payload bytes they take. */
size_t lxm_bundle_count(const lxm_bundle_t *self);
size_t lxm_bundle_bytes(const lxm_bundle_t *self);
/* True when MSG may join: the bundle is empty (a lone message goes as itself), or it
 * stays within LXM_BUNDLE_FULL_* with MSG in it. Senders ask this before adding, so a
 * bundle never outgrows what its reader accepts, whatever the documents weigh. */
bool lxm_bundle_room(const lxm_bundle_t *self, const lxm_msg_t *msg);

/* Sends the messages added so far to ROUTING on SOCK (ROUTING: required on a ROUTER,
 * ignored elsewhere). Returns 0 (also when there was nothing to send), or -1 with errno
 * as lxm_msg_send sets it; either way the bundle is empty afterwards. */
int lxm_bundle_send(lxm_bundle_t *self, void *sock, zframe_t *routing);

typedef struct lxm_inbox_t lxm_inbox_t;

lxm_inbox_t *lxm_inbox_new(void);
void lxm_inbox_destroy(lxm_inbox_t **self_p);

/* As lxm_msg_recv, opening bundles: the messages of a bundle come out one per call, the
 * first at once and the others before SOCK is read again. */
int lxm_inbox_recv(lxm_inbox_t *self, void *sock, lxm_msg_t **msg_p, const char **why,
                   zframe_t **routing_p);

/* True when lxm_inbox_recv would return a message without waiting: one is left from a
 * bundle, or SOCK is readable. */
bool lxm_inbox_ready(lxm_inbox_t *self, void *sock);

/* For a reader's loop: true when another message should be read, the rest of a bundle
 * always (nothing may wait unseen in an inbox), from SOCK while it is readable and
 * *READS (counted here) is under MAX_READS, so one busy peer cannot starve the others. */
bool lxm_inbox_more(lxm_inbox_t *self, void *sock, int *reads, int max_reads);

/* Messages left from bundles already read. */
size_t lxm_inbox_waiting(const lxm_inbox_t *self);

/* Drops the messages left (their socket is gone, e.g. on a reconnect). */
void lxm_inbox_clear(lxm_inbox_t *self);

#endif
