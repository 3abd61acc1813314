/* test_msg: the message codec over real sockets (inproc DEALER/ROUTER) and without
 * them: every command round trips, every malformed shape is refused, counted and
 * consumed, and the socket stays usable. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <msgpack.h>
#include "lxm_msg.h"
#include "lib/sockpair.h"

#define PEER "peer-1"

typedef struct {
    zsock_t *router;
    zsock_t *dealer;
} s_pair_t;

static int s_setup(void **state)
{
    s_pair_t *p = calloc(1, sizeof *p);
    t_sockpair_open("msg", PEER, &p->router, &p->dealer);
    *state = p;
    return 0;
}

static int s_teardown(void **state)
{
    s_pair_t *p = *state;
    zsock_destroy(&p->dealer);
    zsock_destroy(&p->router);
    free(p);
    return 0;
}

/* How many blobs a sample of CMD carries. */
static size_t s_sample_blobs(lxm_cmd_t cmd)
{
    switch (cmd) {
    case LXM_SUBMIT:
    case LXM_JOB:
    case LXM_FEED:
    case LXM_BUNDLE: return 1; /* as a plain message; lxm_bundle opens it */
    case LXM_STORE: return 2;
    case LXM_RECORDS: return 3;
    default: return 0;
    }
}

/* A message of CMD with every field set (each is decoded whatever the command). */
static lxm_msg_t *s_sample(lxm_cmd_t cmd)
{
    lxm_msg_t *m = lxm_msg_new(cmd);
    m->seq = 0x1234567890ULL + cmd;
    m->credit = 10 + cmd;
    m->attempt = 2;
    m->status = LXM_ST_RESENT;
    m->year = 2024;
    m->limit = 500;
    m->with_text = true;
    lxm_msg_set_str(&m->batch, "batch-abc");
    lxm_msg_set_str(&m->source, "/data/报告 001.html");
    lxm_msg_set_str(&m->doc_id, "a9993e364706816aba3e25717850c26c9cd0d89d");
    lxm_msg_set_str(&m->reason, "{\"stored\":3}");
    lxm_msg_set_str(&m->instance, "0123456789abcdef");
    lxm_msg_set_str(&m->unit_code, "320111101");
    lxm_msg_set_str(&m->unit_name, "新桥镇");
    lxm_msg_set_str(&m->province, "江苏省");
    lxm_msg_set_str(&m->cursor, "");
    for (size_t i = 0; i < s_sample_blobs(cmd); i++) {
        char blob[16] = "blob ?\0tail"; /* binary: a NUL inside travels too */
        blob[5] = (char)('0' + i);
        assert_int_equal(lxm_msg_add_blob(m, blob, 11), 0);
    }
    return m;
}

static void s_assert_str(const char *a, const char *b)
{
    if (!a || !b)
        assert_ptr_equal(a, b);
    else
        assert_string_equal(a, b);
}

static void s_assert_same(const lxm_msg_t *a, const lxm_msg_t *b)
{
    assert_int_equal(a->cmd, b->cmd);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->credit, b->credit);
    assert_int_equal(a->attempt, b->attempt);
    assert_int_equal(a->status, b->status);
    assert_int_equal(a->year, b->year);
    assert_int_equal(a->limit, b->limit);
    assert_int_equal(a->with_text, b->with_text);
    s_assert_str(a->batch, b->batch);
    s_assert_str(a->source, b->source);
    s_assert_str(a->doc_id, b->doc_id);
    s_assert_str(a->reason, b->reason);
    s_assert_str(a->instance, b->instance);
    s_assert_str(a->unit_code, b->unit_code);
    s_assert_str(a->unit_name, b->unit_name);
    s_assert_str(a->province, b->province);
    s_assert_str(a->cursor, b->cursor);
    assert_int_equal(a->n_blobs, b->n_blobs);
    for (size_t i = 0; i < a->n_blobs; i++) {
        assert_int_equal(a->blob_size[i], b->blob_size[i]);
        assert_memory_equal(a->blob[i], b->blob[i], a->blob_size[i]);
    }
}

static void s_assert_routing(zframe_t *f, const char *id)
{
    assert_non_null(f);
    assert_int_equal(zframe_size(f), strlen(id));
    assert_memory_equal(zframe_data(f), id, strlen(id));
}

/* ---- round trips --------------------------------------------------------------- */

static void test_round_trip_sockets(void **state)
{
    s_pair_t *p = *state;
    for (int c = 1; c < LXM_CMD_MAX; c++) {
        lxm_msg_t *out = s_sample((lxm_cmd_t)c);
        assert_int_equal(lxm_msg_send(out, p->dealer), 0);
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        assert_int_equal(lxm_msg_recv(&in, p->router, &why, NULL), 0);
        s_assert_same(out, in);
        s_assert_routing(in->routing_id, PEER);

        /* the reply goes back through the routing id */
        lxm_msg_t *reply = s_sample((lxm_cmd_t)c);
        reply->seq = in->seq + 1;
        lxm_msg_set_routing_id(reply, in->routing_id);
        assert_int_equal(lxm_msg_send(reply, p->router), 0);
        lxm_msg_t *back = NULL;
        assert_int_equal(lxm_msg_recv(&back, p->dealer, &why, NULL), 0);
        assert_null(back->routing_id);
        zframe_destroy(&reply->routing_id);
        s_assert_same(reply, back);
        assert_string_equal(lxm_cmd_name(back->cmd), lxm_cmd_name((lxm_cmd_t)c));

        lxm_msg_destroy(&out);
        lxm_msg_destroy(&in);
        lxm_msg_destroy(&reply);
        lxm_msg_destroy(&back);
        assert_null(back);
    }
}

static void test_encode_decode(void **state)
{
    for (int c = 1; c < LXM_CMD_MAX; c++) {
        lxm_msg_t *out = s_sample((lxm_cmd_t)c);
        zmsg_t *z = lxm_msg_encode(out);
        assert_non_null(z);
        assert_int_equal(zmsg_size(z), 2 + s_sample_blobs((lxm_cmd_t)c));
        zframe_t *h = zmsg_first(z);
        assert_int_equal(zframe_size(h), 5);
        assert_memory_equal(zframe_data(h), "LXM\x01", 4);
        assert_int_equal(zframe_data(h)[4], c);
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        assert_int_equal(lxm_msg_decode(z, &in, &why), 0);
        assert_int_equal(zmsg_size(z), 2 + s_sample_blobs((lxm_cmd_t)c)); /* not consumed */
        s_assert_same(out, in);
        zmsg_destroy(&z);
        lxm_msg_destroy(&out);
        lxm_msg_destroy(&in);
    }
    /* a message with only what its command requires: the rest decodes as zero / NULL */
    lxm_msg_t *m = lxm_msg_new(LXM_DONE);
    m->seq = 9;
    m->status = LXM_ST_STORED; /* 0, but required, so on the wire */
    zmsg_t *z = lxm_msg_encode(m);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_decode(z, &in, NULL), 0);
    s_assert_same(m, in);
    assert_null(in->reason);
    assert_int_equal(in->n_blobs, 0);
    zmsg_destroy(&z);
    lxm_msg_destroy(&in);
    lxm_msg_destroy(&m);

    /* 64 blobs is the most a RECORDS page carries */
    m = lxm_msg_new(LXM_RECORDS);
    m->seq = 1;
    for (int i = 0; i < LXM_MSG_MAX_BLOBS; i++)
        assert_int_equal(lxm_msg_add_blob(m, "r", 1), 0);
    assert_int_equal(lxm_msg_add_blob(m, "r", 1), -1);
    void *owned = malloc(4);
    assert_int_equal(lxm_msg_add_blob_owned(m, owned, 4), -1);
    free(owned); /* refused: still ours */
    z = lxm_msg_encode(m);
    assert_int_equal(lxm_msg_decode(z, &in, NULL), 0);
    assert_int_equal(in->n_blobs, LXM_MSG_MAX_BLOBS);
    zmsg_destroy(&z);
    lxm_msg_destroy(&in);
    lxm_msg_destroy(&m);
}

static void test_large_blob(void **state)
{
    s_pair_t *p = *state;
    size_t n = 8u << 20;
    unsigned char *doc = malloc(n);
    for (size_t i = 0; i < n; i++)
        doc[i] = (unsigned char)(i * 31);
    lxm_msg_t *m = lxm_msg_new(LXM_SUBMIT);
    m->seq = 1;
    lxm_msg_set_str(&m->batch, "b");
    lxm_msg_set_str(&m->source, "big");
    assert_int_equal(lxm_msg_add_blob_owned(m, doc, n), 0);
    assert_int_equal(lxm_msg_send(m, p->dealer), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_recv(&in, p->router, NULL, NULL), 0);
    s_assert_same(m, in);
    lxm_msg_destroy(&m);
    lxm_msg_destroy(&in);
}

/* ---- malformed ----------------------------------------------------------------- */

/* The msgpack field frame {NAME: VAL...} built by the case functions below. */
typedef struct {
    msgpack_sbuffer sb;
    msgpack_packer pk;
} s_mp_t;

static void s_mp_init(s_mp_t *m)
{
    msgpack_sbuffer_init(&m->sb);
    msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
}

static void s_mp_str(s_mp_t *m, const char *s, size_t n)
{
    msgpack_pack_str(&m->pk, n);
    msgpack_pack_str_body(&m->pk, s, n);
}

static zmsg_t *s_raw(const void *header, size_t hlen, s_mp_t *fields, int nblobs)
{
    zmsg_t *z = zmsg_new();
    zmsg_addmem(z, header, hlen);
    if (fields) {
        zmsg_addmem(z, fields->sb.data, fields->sb.size);
        msgpack_sbuffer_destroy(&fields->sb);
    }
    for (int i = 0; i < nblobs; i++)
        zmsg_addmem(z, "doc", 3);
    return z;
}

/* valid SUBMIT fields, with one key changed by the case */
static s_mp_t s_submit_fields(const char *skip)
{
    s_mp_t m;
    s_mp_init(&m);
    int n = 3 - (skip != NULL);
    msgpack_pack_map(&m.pk, n);
    if (!skip || strcmp(skip, "seq")) {
        s_mp_str(&m, "seq", 3);
        msgpack_pack_uint64(&m.pk, 1);
    }
    if (!skip || strcmp(skip, "batch")) {
        s_mp_str(&m, "batch", 5);
        s_mp_str(&m, "b", 1);
    }
    if (!skip || strcmp(skip, "source")) {
        s_mp_str(&m, "source", 6);
        s_mp_str(&m, "s", 1);
    }
    return m;
}

/* one-field frame for a HEARTBEAT-like case: {KEY: value written by KIND} */
static s_mp_t s_one_field(const char *key, int kind)
{
    s_mp_t m;
    s_mp_init(&m);
    msgpack_pack_map(&m.pk, kind == 9 ? 2 : 1);
    s_mp_str(&m, key, strlen(key));
    char big[200];
    memset(big, 'x', sizeof big);
    switch (kind) {
    case 0: s_mp_str(&m, "5", 1); break;             /* string where an int belongs */
    case 1: msgpack_pack_int(&m.pk, -1); break;      /* negative int */
    case 2: msgpack_pack_uint64(&m.pk, 1ULL << 40); break; /* beyond uint32 */
    case 3: s_mp_str(&m, big, sizeof big); break;    /* too long */
    case 4: s_mp_str(&m, "a\0b", 3); break;          /* NUL inside */
    case 5: msgpack_pack_double(&m.pk, 1.5); break;  /* float where an int belongs */
    case 6: msgpack_pack_int(&m.pk, 7); break;       /* int where a string belongs */
    case 7: msgpack_pack_uint32(&m.pk, 9); break;    /* status out of range */
    case 8: msgpack_pack_true(&m.pk); break;
    case 9: /* the same key twice */
        s_mp_str(&m, "0123", 4);
        s_mp_str(&m, key, strlen(key));
        s_mp_str(&m, "0123", 4);
        break;
    }
    return m;
}

static zmsg_t *s_case(int i, const char **label)
{
    s_mp_t f;
    switch (i) {
    case 0: *label = "empty frame"; return s_raw("", 0, NULL, 0);
    case 1: *label = "no signature"; f = s_submit_fields(NULL);
        return s_raw("XYZ\x01\x01", 5, &f, 1);
    case 2: *label = "wrong version"; f = s_submit_fields(NULL);
        return s_raw("LXM\x02\x01", 5, &f, 1);
    case 3: *label = "command 0"; f = s_submit_fields(NULL);
        return s_raw("LXM\x01\x00", 5, &f, 1);
    case 4: *label = "command past the last"; {
        f = s_submit_fields(NULL);
        char h[5] = {'L', 'X', 'M', 1, (char)LXM_CMD_MAX};
        return s_raw(h, 5, &f, 1);
    }
    case 5: *label = "command 200"; f = s_submit_fields(NULL);
        return s_raw("LXM\x01\xc8", 5, &f, 1);
    case 6: *label = "short header"; f = s_submit_fields(NULL);
        return s_raw("LXM\x01", 4, &f, 1);
    case 7: *label = "header only"; return s_raw("LXM\x01\x01", 5, NULL, 0);
    case 8: *label = "SUBMIT without its document"; f = s_submit_fields(NULL);
        return s_raw("LXM\x01\x01", 5, &f, 0);
    case 9: *label = "SUBMIT with two documents"; f = s_submit_fields(NULL);
        return s_raw("LXM\x01\x01", 5, &f, 2);
    case 10: *label = "RECORDS with 65 blobs"; {
        s_mp_init(&f);
        msgpack_pack_map(&f.pk, 1);
        s_mp_str(&f, "seq", 3);
        msgpack_pack_uint64(&f.pk, 1);
        return s_raw("LXM\x01\x0e", 5, &f, LXM_MSG_MAX_BLOBS + 1);
    }
    case 11: *label = "bad msgpack"; {
        zmsg_t *z = zmsg_new();
        zmsg_addmem(z, "LXM\x01\x07", 5);
        zmsg_addmem(z, "\xc1\x00", 2);
        return z;
    }
    case 12: *label = "truncated msgpack"; {
        zmsg_t *z = zmsg_new();
        zmsg_addmem(z, "LXM\x01\x07", 5);
        zmsg_addmem(z, "\x81\xa8instan", 8);
        return z;
    }
    case 13: *label = "trailing bytes"; {
        zmsg_t *z = zmsg_new();
        zmsg_addmem(z, "LXM\x01\x07", 5);
        zmsg_addmem(z, "\x81\xa8instance\xa1x\xc0", 13);
        return z;
    }
    case 14: *label = "fields not a map"; s_mp_init(&f);
        msgpack_pack_array(&f.pk, 1);
        msgpack_pack_int(&f.pk, 1);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 15: *label = "non-string field name"; s_mp_init(&f);
        msgpack_pack_map(&f.pk, 1);
        msgpack_pack_int(&f.pk, 1);
        msgpack_pack_int(&f.pk, 1);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 16: *label = "seq as a string"; f = s_one_field("seq", 0);
        return s_raw("LXM\x01\x02", 5, &f, 0);
    case 17: *label = "negative credit"; f = s_one_field("credit", 1);
        return s_raw("LXM\x01\x04", 5, &f, 0);
    case 18: *label = "credit beyond 32 bits"; f = s_one_field("credit", 2);
        return s_raw("LXM\x01\x04", 5, &f, 0);
    case 19: *label = "instance too long"; f = s_one_field("instance", 3);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 20: *label = "NUL inside a string"; f = s_one_field("instance", 4);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 21: *label = "float credit"; f = s_one_field("credit", 5);
        return s_raw("LXM\x01\x04", 5, &f, 0);
    case 22: *label = "int instance"; f = s_one_field("instance", 6);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 23: *label = "unknown status"; {
        s_mp_init(&f);
        msgpack_pack_map(&f.pk, 2);
        s_mp_str(&f, "seq", 3);
        msgpack_pack_uint64(&f.pk, 1);
        s_mp_str(&f, "status", 6);
        msgpack_pack_uint32(&f.pk, 9);
        return s_raw("LXM\x01\x06", 5, &f, 0);
    }
    case 24: *label = "with_text as int"; f = s_one_field("with_text", 6);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 25: *label = "a field twice"; f = s_one_field("instance", 9);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 26: *label = "SUBMIT without batch"; f = s_submit_fields("batch");
        return s_raw("LXM\x01\x01", 5, &f, 1);
    case 27: *label = "SUBMIT without seq"; f = s_submit_fields("seq");
        return s_raw("LXM\x01\x01", 5, &f, 1);
    case 28: *label = "HEARTBEAT without instance"; s_mp_init(&f);
        msgpack_pack_map(&f.pk, 0);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 29: *label = "required field as nil"; s_mp_init(&f);
        msgpack_pack_map(&f.pk, 1);
        s_mp_str(&f, "instance", 8);
        msgpack_pack_nil(&f.pk);
        return s_raw("LXM\x01\x07", 5, &f, 0);
    case 30: *label = "huge map header"; {
        zmsg_t *z = zmsg_new();
        zmsg_addmem(z, "LXM\x01\x07", 5);
        zmsg_addmem(z, "\xdf\xff\xff\xff\xff", 5);
        return z;
    }
    default: return NULL;
    }
}

static void s_expect_usable(s_pair_t *p)
{
    lxm_msg_t *hb = lxm_msg_new(LXM_HEARTBEAT);
    lxm_msg_set_str(&hb->instance, "feedfeedfeedfeed");
    assert_int_equal(lxm_msg_send(hb, p->dealer), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_recv(&in, p->router, NULL, NULL), 0);
    s_assert_same(hb, in);
    lxm_msg_destroy(&hb);
    lxm_msg_destroy(&in);
}

static void test_malformed_router(void **state)
{
    s_pair_t *p = *state;
    int tried = 0;
    const char *label = NULL;
    for (int i = 0;; i++) {
        zmsg_t *z = s_case(i, &label);
        if (!z)
            break;
        tried++;
        uint64_t before = lxm_msg_errors();
        assert_int_equal(zmsg_send(&z, p->dealer), 0);
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        zframe_t *routing = NULL;
        int rc = lxm_msg_recv(&in, p->router, &why, &routing);
        if (rc != LXM_MSG_EPROTO)
            fail_msg("case %d (%s): rc %d", i, label, rc);
        assert_null(in);
        assert_non_null(why);
        assert_int_equal(lxm_msg_errors(), before + 1);
        s_assert_routing(routing, PEER); /* so the caller can answer with ERROR */
        zframe_destroy(&routing);
        /* the whole message was consumed: the next one is read cleanly */
        s_expect_usable(p);

        /* the same bytes through lxm_msg_decode */
        z = s_case(i, &label);
        before = lxm_msg_errors();
        why = NULL;
        assert_int_equal(lxm_msg_decode(z, &in, &why), LXM_MSG_EPROTO);
        assert_null(in);
        assert_non_null(why);
        assert_int_equal(lxm_msg_errors(), before + 1);
        zmsg_destroy(&z);
    }
    assert_int_equal(tried, 31);
}

static void test_malformed_dealer(void **state)
{
    s_pair_t *p = *state;
    /* learn the dealer's routing id */
    s_expect_usable(p);
    const char *label;
    for (int i = 0; i < 3; i++) {
        zmsg_t *z = s_case(i == 2 ? 23 : i + 1, &label);
        zmsg_pushstr(z, PEER);
        assert_int_equal(zmsg_send(&z, p->router), 0);
        uint64_t before = lxm_msg_errors();
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        zframe_t *routing = (zframe_t *)1;
        assert_int_equal(lxm_msg_recv(&in, p->dealer, &why, &routing), LXM_MSG_EPROTO);
        assert_null(routing); /* no routing ids on a DEALER */
        assert_int_equal(lxm_msg_errors(), before + 1);
    }
    lxm_msg_t *ok = lxm_msg_new(LXM_ACCEPT);
    ok->seq = 5;
    zframe_t *rid = zframe_new(PEER, strlen(PEER));
    lxm_msg_set_routing_id(ok, rid);
    zframe_destroy(&rid);
    assert_int_equal(lxm_msg_send(ok, p->router), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_recv(&in, p->dealer, NULL, NULL), 0);
    assert_int_equal(in->cmd, LXM_ACCEPT);
    assert_int_equal(in->seq, 5);
    lxm_msg_destroy(&ok);
    lxm_msg_destroy(&in);
}

/* ---- refusals on the sending side ---------------------------------------------- */

static void test_send_refused(void **state)
{
    s_pair_t *p = *state;
    lxm_msg_t *m = lxm_msg_new(LXM_RESULT);
    m->seq = 1;
    lxm_msg_set_str(&m->reason, "x");
    zframe_t *rid = zframe_new("nobody", 6);
    lxm_msg_set_routing_id(m, rid);
    zframe_destroy(&rid);
    errno = 0;
    assert_int_equal(lxm_msg_send(m, p->router), -1);
    assert_int_equal(errno, EHOSTUNREACH);
    /* the message is still whole and the caller's */
    assert_string_equal(m->reason, "x");
    s_assert_routing(m->routing_id, "nobody");
    lxm_msg_destroy(&m);

    /* a ROUTER cannot send without a routing id; a DEALER ignores one */
    m = lxm_msg_new(LXM_ACCEPT);
    m->seq = 3;
    assert_int_equal(lxm_msg_send(m, p->router), -1);
    assert_int_equal(errno, EINVAL);
    rid = zframe_new("stale", 5);
    lxm_msg_set_routing_id(m, rid);
    zframe_destroy(&rid);
    assert_int_equal(lxm_msg_send(m, p->dealer), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_recv(&in, p->router, NULL, NULL), 0);
    assert_int_equal(in->seq, 3);
    s_assert_routing(in->routing_id, PEER);
    lxm_msg_destroy(&in);
    lxm_msg_destroy(&m);

    /* a message its peer would refuse is not sent */
    m = lxm_msg_new(LXM_SUBMIT);
    m->seq = 1;
    lxm_msg_set_str(&m->batch, "b");
    lxm_msg_add_blob(m, "doc", 3);
    assert_null(lxm_msg_encode(m)); /* no source */
    assert_int_equal(lxm_msg_send(m, p->dealer), -1);
    assert_int_equal(errno, EINVAL);
    lxm_msg_set_str(&m->source, "s");
    lxm_msg_add_blob(m, "doc", 3);
    assert_null(lxm_msg_encode(m)); /* two documents */
    lxm_msg_destroy(&m);
    m = lxm_msg_new((lxm_cmd_t)0);
    assert_null(lxm_msg_encode(m));
    lxm_msg_destroy(&m);
    lxm_msg_destroy(&m); /* destroying NULL is harmless */
}

static void test_harden(void **state)
{
    s_pair_t *p = *state;
    int64_t max = 0;
    size_t sz = sizeof max;
    assert_int_equal(zmq_getsockopt(zsock_resolve(p->router), ZMQ_MAXMSGSIZE, &max, &sz), 0);
    assert_true(max == LXM_MAX_MSG_SIZE);
    assert_int_equal(zsock_sndhwm(p->router), 10000);
    assert_int_equal(zsock_rcvhwm(p->dealer), 10000);
    assert_int_equal(zsock_linger(p->router), 0);
    assert_int_equal(zsock_linger(p->dealer), 1000);
}

static void test_handover(void **state)
{
    s_pair_t *p = *state;
    s_expect_usable(p);
    /* a restarted peer comes back with the same identity on a new socket */
    char ep[256];
    snprintf(ep, sizeof ep, "%s", zsock_endpoint(p->router));
    zsock_t *again = zsock_new(ZMQ_DEALER);
    lxm_sock_harden(again);
    zsock_set_identity(again, PEER);
    zsock_set_rcvtimeo(again, 2000);
    assert_int_equal(zsock_connect(again, "%s", ep), 0);
    lxm_msg_t *hb = lxm_msg_new(LXM_HEARTBEAT);
    lxm_msg_set_str(&hb->instance, "0000000000000002");
    assert_int_equal(lxm_msg_send(hb, again), 0);
    lxm_msg_t *in = NULL;
    assert_int_equal(lxm_msg_recv(&in, p->router, NULL, NULL), 0);
    assert_string_equal(in->instance, "0000000000000002");
    /* the reply now reaches the new socket */
    lxm_msg_t *reply = lxm_msg_new(LXM_ACCEPT);
    reply->seq = 77;
    lxm_msg_set_routing_id(reply, in->routing_id);
    assert_int_equal(lxm_msg_send(reply, p->router), 0);
    lxm_msg_t *back = NULL;
    assert_int_equal(lxm_msg_recv(&back, again, NULL, NULL), 0);
    assert_int_equal(back->seq, 77);
    lxm_msg_destroy(&hb);
    lxm_msg_destroy(&in);
    lxm_msg_destroy(&reply);
    lxm_msg_destroy(&back);
    zsock_destroy(&again);
}

/* xorshift with a fixed seed: failures reproduce */
static uint64_t s_rng = 0x2545f4914f6cdd1dULL;
static uint64_t s_rand(void)
{
    s_rng ^= s_rng << 13;
    s_rng ^= s_rng >> 7;
    s_rng ^= s_rng << 17;
    return s_rng;
}

static void test_decode_fuzz(void **state)
{
    int accepted = 0, refused = 0;
    for (int i = 0; i < 6000; i++) {
        lxm_cmd_t cmd = (lxm_cmd_t)(1 + s_rand() % (LXM_CMD_MAX - 1));
        lxm_msg_t *m = s_sample(cmd);
        zmsg_t *z = lxm_msg_encode(m);
        lxm_msg_destroy(&m);
        /* damage one frame: flip bytes, cut it short, or replace it with noise */
        size_t which = s_rand() % zmsg_size(z);
        zframe_t *f = zmsg_first(z);
        for (size_t k = 0; k < which; k++)
            f = zmsg_next(z);
        size_t n = zframe_size(f);
        byte *copy = malloc(n + 16);
        memcpy(copy, zframe_data(f), n);
        switch (s_rand() % 3) {
        case 0:
            for (int k = 0; n && k < 3; k++)
                copy[s_rand() % n] = (byte)s_rand();
            break;
        case 1:
            n = n ? s_rand() % n : 0;
            break;
        default:
            n = s_rand() % 16;
            for (size_t k = 0; k < n; k++)
                copy[k] = (byte)s_rand();
        }
        zframe_reset(f, copy, n);
        free(copy);
        if (s_rand() % 8 == 0)
            zmsg_addmem(z, "extra", 5);
        lxm_msg_t *in = NULL;
        const char *why = NULL;
        uint64_t before = lxm_msg_errors();
        int rc = lxm_msg_decode(z, &in, &why);
        if (rc == 0) {
            accepted++;
            assert_non_null(in);
            /* what decodes must encode again */
            zmsg_t *again = lxm_msg_encode(in);
            assert_non_null(again);
            zmsg_destroy(&again);
            lxm_msg_destroy(&in);
        } else {
            refused++;
            assert_int_equal(rc, LXM_MSG_EPROTO);
            assert_null(in);
            assert_non_null(why);
            assert_int_equal(lxm_msg_errors(), before + 1);
        }
        zmsg_destroy(&z);
    }
    assert_true(accepted > 0);
    assert_true(refused > 0);
}

static void test_recv_timeout(void **state)
{
    s_pair_t *p = *state;
    zsock_set_rcvtimeo(p->router, 50);
    lxm_msg_t *in = (lxm_msg_t *)1;
    assert_int_equal(lxm_msg_recv(&in, p->router, NULL, NULL), -1);
    assert_null(in);
}

static void test_names_and_ids(void **state)
{
    assert_string_equal(lxm_cmd_name(LXM_SUBMIT), "SUBMIT");
    assert_string_equal(lxm_cmd_name(LXM_FEED), "FEED");
    assert_string_equal(lxm_cmd_name((lxm_cmd_t)0), "UNKNOWN");
    assert_string_equal(lxm_cmd_name(LXM_CMD_MAX), "UNKNOWN");
    char a[17], b[17];
    lxm_instance_id(a);
    lxm_instance_id(b);
    assert_int_equal(strlen(a), 16);
    assert_int_equal(strspn(a, "0123456789abcdef"), 16);
    assert_string_not_equal(a, b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_round_trip_sockets, s_setup, s_teardown),
        cmocka_unit_test(test_encode_decode),
        cmocka_unit_test_setup_teardown(test_large_blob, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_router, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_malformed_dealer, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_send_refused, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_harden, s_setup, s_teardown),
        cmocka_unit_test_setup_teardown(test_handover, s_setup, s_teardown),
        cmocka_unit_test(test_decode_fuzz),
        cmocka_unit_test_setup_teardown(test_recv_timeout, s_setup, s_teardown),
        cmocka_unit_test(test_names_and_ids),
    };
    zsys_init();
    zsys_set_logstream(NULL);
    return cmocka_run_group_tests_name("msg", tests, NULL, NULL);
}
