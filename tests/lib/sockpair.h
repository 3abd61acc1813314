/* sockpair.h: a hardened inproc ROUTER and a DEALER connected to it under the identity
 * PEER, with 2 s receive timeouts, for the codec tests. */
#ifndef T_SOCKPAIR_H
#define T_SOCKPAIR_H
#include <czmq.h>
#include "lxm_msg.h"

/* Binds ROUTER and connects DEALER on a fresh inproc endpoint named after WHAT. */
static inline void t_sockpair_open(const char *what, const char *peer, zsock_t **router,
                                   zsock_t **dealer)
{
    static int n;
    char ep[96];
    snprintf(ep, sizeof ep, "inproc://test-%s-%d", what, n++);
    *router = zsock_new(ZMQ_ROUTER);
    lxm_sock_harden(*router);
    zsock_set_rcvtimeo(*router, 2000);
    assert_int_equal(zsock_bind(*router, "%s", ep), 0);
    *dealer = zsock_new(ZMQ_DEALER);
    lxm_sock_harden(*dealer);
    zsock_set_identity(*dealer, peer);
    zsock_set_rcvtimeo(*dealer, 2000);
    assert_int_equal(zsock_connect(*dealer, "%s", ep), 0);
}
#endif
