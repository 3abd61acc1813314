/* inbox.h: the tests' fake peers read through an inbox per socket, as the roles do, so
 * a BUNDLE from the role under test comes out as the messages it carries.
 * t_recv and t_ready replace lxm_msg_recv and a plain poll. A socket's inbox lives until
 * t_forget (call it before destroying a socket whose messages were not all read). */
#ifndef T_INBOX_H
#define T_INBOX_H
#include "lxm_bundle.h"

typedef struct {
    void *sock;
    lxm_inbox_t *inbox;
} t_inbox_entry_t;

static t_inbox_entry_t t_inboxes[128];

static lxm_inbox_t *t_inbox(void *sock)
{
    size_t free_slot = SIZE_MAX;
    for (size_t i = 0; i < sizeof t_inboxes / sizeof t_inboxes[0]; i++) {
        if (t_inboxes[i].sock == sock)
            return t_inboxes[i].inbox;
        if (!t_inboxes[i].sock && free_slot == SIZE_MAX)
            free_slot = i;
    }
    assert(free_slot != SIZE_MAX);
    t_inboxes[free_slot].sock = sock;
    t_inboxes[free_slot].inbox = lxm_inbox_new();
    return t_inboxes[free_slot].inbox;
}

static inline void t_forget(void *sock)
{
    for (size_t i = 0; i < sizeof t_inboxes / sizeof t_inboxes[0]; i++)
        if (t_inboxes[i].sock == sock) {
            lxm_inbox_destroy(&t_inboxes[i].inbox);
            t_inboxes[i].sock = NULL;
        }
}

static inline int t_recv(lxm_msg_t **msg_p, void *sock, const char **why, zframe_t **routing_p)
{
    return lxm_inbox_recv(t_inbox(sock), sock, msg_p, why, routing_p);
}

/* Waits up to MS for a message on SOCK (in its inbox or the socket): true when one is
 * there. */
static inline bool t_ready(void *sock, int ms)
{
    if (lxm_inbox_waiting(t_inbox(sock)) > 0)
        return true;
    zmq_pollitem_t item = {zsock_resolve(sock), 0, ZMQ_POLLIN, 0};
    return zmq_poll(&item, 1, ms) > 0;
}
#endif
