/* test_bundle: BUNDLE messages over real sockets (inproc DEALER/ROUTER): what goes in
 * comes out, in order, with the sender's routing id; a bundle of one is a plain message;
 * a damaged bundle is refused whole, counted, consumed, and the socket stays usable. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "lxm_bundle.h"
#include "lib/sockpair.h"

#define PEER "peer-b"

typedef struct {
    zsock_t *router;
    zsock_t *dealer;
    lxm_inbox_t *at_router;
    lxm_inbox_t *at_dealer;
} s_pair_t;

static int s_setup(void **state)
{
    s_pair_t *p = calloc(1, sizeof *p);
    t_sockpair_open("bundle", PEER, &p->router, &p->dealer);
    p->at_router = lxm_inbox_new();
    p->at_dealer = lxm_inbox_new();
    *state = p;
    return 0;
}

static int s_teardown(void **state)
{
    s_pair_t *p = *state;
    lxm_inbox_destroy(&p->at_router);
    lxm_inbox_destroy(&p->at_dealer);
    zsock_destroy(&p->dealer);
    zsock_destroy(&p->router);
    free(p);
    return 0;
}

/* A STORE numbered I with a record and a text of a size that depends on I. */
static lxm_msg_t *s_store(uint64_t i)
{
    lxm_msg_t *m = lxm_msg_new(LXM_STORE);
    m->seq = i;
    lxm_msg_set_str(&m->batch, "batch-1");
    char source[64];
    snprintf(source, sizeof source, "/crawl/%04llu.html", (unsigned long long) i);
    lxm_msg_set_str(&m->source, source);
    size_t n = 10 + (i * 37) % 5000;
    char *bytes = malloc(n);
    for (size_t k = 0; k < n; k++)
        bytes[k] = (char) (i + k); /* NULs included: blobs are binary */
    lxm_msg_add_blob(m, bytes, n);
    lxm_msg_add_blob(m, bytes, n / 2);
    free(bytes);
    return m;
}

static void s_assert_store(const lxm_msg_t *m, uint64_t i)
{
    lxm_msg_t *want = s_store(i);
    assert_int_equal(m->cmd, LXM_STORE);
    assert_int_equal(m->seq, i);
    assert_string_equal(m->batch, want->batch);
    assert_string_equal(m->source, want->source);
    assert_int_equal(m->n_blobs, 2);
    for (size_t b = 0; b < 2; b++) {
        assert_int_equal(m->blob_size[b], want->blob_size[b]);
        assert_memory_equal(m->blob[b], want->blob[b], want->blob_size[b]);
    }
    lxm_msg_destroy(&want);
}

/* Reads one raw zmq message from SOCK and returns how many frames it had. */
static int s_frames_of_next(zsock_t *sock)
{
    zmsg_t *z = zmsg_recv(sock);
    assert_non_null(z);
    int n = (int) zmsg_size(z);
    zmsg_destroy(&z);
    return n;
}

static void test_round_trip_in_order(void **state)
{
    s_pair_t *p = *state;
    lxm_bundle_t *b = lxm_bundle_new();
    for (uint64_t i = 1; i <= 300; i++) {
        lxm_msg_t *m = s_store(i);
        if (!lxm_bundle_room(b, m))
            assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0);
        assert_int_equal(lxm_bundle_add(b, m), 0);
        lxm_msg_destroy(&m);
    }
    assert_true(lxm_bundle_count(b) > 0 && lxm_bundle_count(b) < 300);
    assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0);
    assert_int_equal(lxm_bundle_count(b), 0);
    for (uint64_t i = 1; i <= 300; i++) {
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        assert_int_equal(lxm_inbox_recv(p->at_router, p->router, &in, &why, NULL), 0);
        s_assert_store(in, i);
        assert_non_null(in->routing_id);
        assert_int_equal(zframe_size(in->routing_id), strlen(PEER));
        assert_memory_equal(zframe_data(in->routing_id), PEER, strlen(PEER));
        lxm_msg_destroy(&in);
    }
    assert_int_equal(lxm_inbox_waiting(p->at_router), 0);
    assert_false(lxm_inbox_ready(p->at_router, p->router));

    /* back through the ROUTER: a routing id is required there */
    lxm_msg_t *m = lxm_msg_new(LXM_STORED);
    m->seq = 7;
    assert_int_equal(lxm_bundle_add(b, m), 0);
    m->seq = 8;
    assert_int_equal(lxm_bundle_add(b, m), 0);
    lxm_msg_destroy(&m);
    assert_int_equal(lxm_bundle_send(b, p->router, NULL), -1);
    assert_int_equal(errno, EINVAL);
    assert_int_equal(lxm_bundle_count(b), 0); /* emptied whatever happened */
    zframe_t *peer = zframe_new(PEER, strlen(PEER));
    m = lxm_msg_new(LXM_STORED);
    for (uint64_t s = 1; s <= 3; s++) {
        m->seq = s;
        assert_int_equal(lxm_bundle_add(b, m), 0);
    }
    lxm_msg_destroy(&m);
    assert_int_equal(lxm_bundle_send(b, p->router, peer), 0);
    for (uint64_t s = 1; s <= 3; s++) {
        lxm_msg_t *in = NULL;
        assert_int_equal(lxm_inbox_recv(p->at_dealer, p->dealer, &in, NULL, NULL), 0);
        assert_int_equal(in->cmd, LXM_STORED);
        assert_int_equal(in->seq, s);
        assert_null(in->routing_id);
        assert_int_equal(lxm_inbox_waiting(p->at_dealer), 3 - s);
        lxm_msg_destroy(&in);
    }
    zframe_destroy(&peer);
    lxm_bundle_destroy(&b);
}

static void test_one_message_goes_plain(void **state)
{
    s_pair_t *p = *state;
    lxm_bundle_t *b = lxm_bundle_new();
    assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0); /* nothing: nothing sent */
    lxm_msg_t *m = s_store(42);
    assert_int_equal(lxm_bundle_add(b, m), 0);
    assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0);
    /* routing id + header + fields + 2 blobs: the message itself, as lxm_msg_send */
    assert_int_equal(s_frames_of_next(p->router), 5);
    assert_int_equal(lxm_bundle_add(b, m), 0);
    assert_int_equal(lxm_bundle_add(b, m), 0);
    assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0);
    assert_int_equal(s_frames_of_next(p->router), 4); /* routing id + BUNDLE's 3 */
    /* a plain message goes through the inbox untouched */
    assert_int_equal(lxm_msg_send(m, p->dealer), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_inbox_recv(p->at_router, p->router, &in, NULL, NULL), 0);
    s_assert_store(in, 42);
    lxm_msg_destroy(&in);
    lxm_msg_destroy(&m);
    lxm_bundle_destroy(&b);
}

static void test_refuses_what_peers_refuse(void **state)
{
    lxm_bundle_t *b = lxm_bundle_new();
    lxm_msg_t *m = lxm_msg_new(LXM_SUBMIT); /* no batch, no source, no document */
    m->seq = 1;
    assert_int_equal(lxm_bundle_add(b, m), -1);
    assert_int_equal(errno, EINVAL);
    lxm_msg_destroy(&m);
    m = lxm_msg_new(LXM_BUNDLE);
    lxm_msg_add_blob(m, "x", 1);
    assert_int_equal(lxm_bundle_add(b, m), -1); /* no bundle inside a bundle */
    lxm_msg_destroy(&m);
    assert_int_equal(lxm_bundle_count(b), 0);
    lxm_bundle_destroy(&b);
}

/* A payload of COUNT messages, each the frames given (header, fields...). */
static void s_put_u32(zchunk_t *c, uint32_t v)
{
    unsigned char b[4] = {(unsigned char) (v >> 24), (unsigned char) (v >> 16),
                          (unsigned char) (v >> 8), (unsigned char) v};
    zchunk_extend(c, b, 4);
}

/* Sends a raw BUNDLE with PAYLOAD from the dealer. */
static void s_send_raw_bundle(s_pair_t *p, zchunk_t *payload)
{
    zmsg_t *z = zmsg_new();
    unsigned char header[5] = {'L', 'X', 'M', LXM_PROTO_VERSION, LXM_BUNDLE};
    zmsg_addmem(z, header, 5);
    zmsg_addmem(z, "\x80", 1);
    zmsg_addmem(z, zchunk_data(payload), zchunk_size(payload));
    assert_int_equal(zmsg_send(&z, p->dealer), 0);
}

/* A valid payload of two HEARTBEATs, then damaged by CASE. */
static zchunk_t *s_payload(int kase)
{
    zchunk_t *c = zchunk_new(NULL, 256);
    s_put_u32(c, kase == 1 ? 3 : kase == 2 ? 0 : 2);
    for (int k = 0; k < 2; k++) {
        unsigned char nframes = kase == 3 ? 1 : 2;
        zchunk_extend(c, &nframes, 1);
        unsigned char header[5] = {'L', 'X', 'M', LXM_PROTO_VERSION,
                                   kase == 4 && k == 1 ? LXM_BUNDLE : LXM_HEARTBEAT};
        s_put_u32(c, 5);
        zchunk_extend(c, header, 5);
        /* {"instance": "abc"} or, for case 5, a map missing the required field */
        const char *fields = kase == 5 && k == 1 ? "\x80" : "\x81\xa8instance\xa3" "abc";
        size_t flen = kase == 5 && k == 1 ? 1 : 14;
        s_put_u32(c, kase == 6 && k == 1 ? 9999 : (uint32_t) flen);
        zchunk_extend(c, fields, flen);
    }
    if (kase == 7)
        zchunk_extend(c, "junk", 4);
    return c;
}

static void test_damaged_bundles_refused_whole(void **state)
{
    s_pair_t *p = *state;
    /* 0 is the valid bundle; every other case damages it in one way */
    static const char *const expect[] = {
        NULL, "fewer messages", "count out of range", "bad frame count",
        "bundle inside a bundle", "required field", "runs past", "bytes after"};
    for (int kase = 0; kase < 8; kase++) {
        zchunk_t *payload = s_payload(kase);
        s_send_raw_bundle(p, payload);
        zchunk_destroy(&payload);
        uint64_t errors = lxm_msg_errors();
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        zframe_t *routing = NULL;
        int rc = lxm_inbox_recv(p->at_router, p->router, &in, &why, &routing);
        if (kase == 0) {
            assert_int_equal(rc, 0);
            assert_int_equal(in->cmd, LXM_HEARTBEAT);
            assert_string_equal(in->instance, "abc");
            lxm_msg_destroy(&in);
            assert_int_equal(lxm_inbox_waiting(p->at_router), 1);
            assert_int_equal(lxm_inbox_recv(p->at_router, p->router, &in, &why, NULL), 0);
            lxm_msg_destroy(&in);
            continue;
        }
        assert_int_equal(rc, LXM_MSG_EPROTO);
        assert_null(in);
        assert_non_null(why);
        if (!strstr(why, expect[kase]))
            fail_msg("case %d: reason '%s' does not say '%s'", kase, why, expect[kase]);
        assert_int_equal(lxm_msg_errors(), errors + 1);
        assert_int_equal(lxm_inbox_waiting(p->at_router), 0); /* none of it is kept */
        assert_non_null(routing); /* so the receiver can answer with an ERROR */
        zframe_destroy(&routing);
    }
    /* the socket is still usable */
    lxm_msg_t *m = s_store(5);
    assert_int_equal(lxm_msg_send(m, p->dealer), 0);
    lxm_msg_destroy(&m);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_inbox_recv(p->at_router, p->router, &in, NULL, NULL), 0);
    s_assert_store(in, 5);
    lxm_msg_destroy(&in);
}

static void test_room_keeps_bundles_readable(void **state)
{
    lxm_bundle_t *b = lxm_bundle_new();
    lxm_msg_t *small = s_store(1);
    lxm_msg_t *big = lxm_msg_new(LXM_STORE);
    big->seq = 2;
    lxm_msg_set_str(&big->batch, "b");
    size_t n = LXM_BUNDLE_FULL_BYTES; /* alone it goes as itself; with company it waits */
    char *bytes = calloc(1, n);
    lxm_msg_add_blob_owned(big, bytes, n);
    assert_true(lxm_bundle_room(b, big));
    assert_int_equal(lxm_bundle_add(b, small), 0);
    assert_false(lxm_bundle_room(b, big));
    assert_true(lxm_bundle_room(b, small));
    for (size_t i = 1; i < LXM_BUNDLE_FULL_MSGS; i++)
        assert_int_equal(lxm_bundle_add(b, small), 0);
    assert_false(lxm_bundle_room(b, small)); /* the count is bounded too */
    assert_int_equal(lxm_bundle_count(b), LXM_BUNDLE_FULL_MSGS);
    lxm_bundle_clear(b);
    assert_true(lxm_bundle_room(b, big));
    lxm_msg_destroy(&small);
    lxm_msg_destroy(&big);
    lxm_bundle_destroy(&b);
}

static void test_clear_drops_leftovers(void **state)
{
    s_pair_t *p = *state;
    lxm_bundle_t *b = lxm_bundle_new();
    for (uint64_t i = 1; i <= 5; i++) {
        lxm_msg_t *m = s_store(i);
        assert_int_equal(lxm_bundle_add(b, m), 0);
        lxm_msg_destroy(&m);
    }
    assert_int_equal(lxm_bundle_send(b, p->dealer, NULL), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_inbox_recv(p->at_router, p->router, &in, NULL, NULL), 0);
    lxm_msg_destroy(&in);
    assert_int_equal(lxm_inbox_waiting(p->at_router), 4);
    assert_true(lxm_inbox_ready(p->at_router, p->router));
    lxm_inbox_clear(p->at_router);
    assert_int_equal(lxm_inbox_waiting(p->at_router), 0);
    assert_false(lxm_inbox_ready(p->at_router, p->router));
    lxm_bundle_destroy(&b);
}

int main(void)
{
    zsys_init();
    zsys_set_logstream(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_in_order, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_one_message_goes_plain, s_setup, s_teardown),
        cmocka_unit_test(test_refuses_what_peers_refuse),
        cmocka_unit_test_setup_teardown(test_damaged_bundles_refused_whole, s_setup,
                                        s_teardown),
        cmocka_unit_test(test_room_keeps_bundles_readable),
        cmocka_unit_test_setup_teardown(test_clear_drops_leftovers, s_setup, s_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
