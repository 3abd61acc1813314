/* test_record: the record codec: pack -> check -> JSON, validation of hostile bytes,
 * number printing, content ids. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <msgpack.h>
#include "lxm_mpack.h"
#include "lxm_record.h"

#define ID_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"

/* ---- helpers ------------------------------------------------------------------- */

static lxm_record_t *s_full_record(void)
{
    lxm_record_t *r = lxm_record_new();
    r->id = lxm_xstrdup(ID_ABC);
    r->source = lxm_xstrdup("seeds/001.txt");
    r->title = lxm_xstrdup("新桥镇2024年法治政府建设年度报告");
    r->unit.name = lxm_xstrdup("新桥镇");
    r->unit.level = lxm_xstrdup("镇");
    r->unit.code = lxm_xstrdup("320111101");
    r->unit.county = lxm_xstrdup("浦口区");
    r->unit.city = lxm_xstrdup("南京市");
    r->unit.province = lxm_xstrdup("江苏省");
    r->unit.match = lxm_xstrdup("context");
    r->unit.candidates = 21;
    r->year = 2024;
    r->published = lxm_xstrdup("2025-01-15");
    r->issuer = lxm_xstrdup("新桥镇人民政府");
    const char *h = "一、主要举措和成效xx";
    lxm_record_add_section(r, "measures", h, strlen(h) - 2, 10, 500);
    lxm_record_add_section(r, "plan", "二、下一步工作安排", strlen("二、下一步工作安排"), 500, 900);
    const char *t = "矛盾纠纷化解率达99.11%。";
    lxm_record_add_fact(r, "disputes.resolution_rate", 99.11, "%", false, NULL, t,
                        strlen("矛盾纠纷化解率达99.11%"), 120);
    lxm_record_add_fact(r, "publicity.audience", 18000, "人次", true, "余", "覆盖1.8万余人次",
                        strlen("覆盖1.8万余人次"), 200);
    lxm_record_add_fact(r, NULL, 0.5, "个", false, NULL, NULL, 0, 0);
    lxm_record_add_person(r, "王立春", "组长");
    lxm_record_add_person(r, "李明", NULL);
    lxm_record_add_warning(r, "signature date %s is mangled", "202512");
    r->stats.bytes = 12345;
    r->stats.encoding = "utf-8";
    r->stats.boilerplate_bytes = 345;
    r->stats.text_bytes = 12000;
    r->parser = lxm_xstrdup("lexmill 0.1.0 rules:abcd");
    return r;
}

static const char *s_full_json =
    "{\"id\":\"" ID_ABC "\",\"source\":\"seeds/001.txt\","
    "\"title\":\"新桥镇2024年法治政府建设年度报告\","
    "\"unit\":{\"name\":\"新桥镇\",\"level\":\"镇\",\"code\":\"320111101\",\"county\":\"浦口区\","
    "\"city\":\"南京市\",\"province\":\"江苏省\",\"match\":\"context\",\"candidates\":21},"
    "\"year\":2024,\"published\":\"2025-01-15\",\"issuer\":\"新桥镇人民政府\","
    "\"sections\":[{\"kind\":\"measures\",\"heading\":\"一、主要举措和成效\",\"start\":10,\"end\":500},"
    "{\"kind\":\"plan\",\"heading\":\"二、下一步工作安排\",\"start\":500,\"end\":900}],"
    "\"facts\":[{\"key\":\"disputes.resolution_rate\",\"value\":99.11,\"unit\":\"%\",\"approx\":false,"
    "\"qual\":null,\"text\":\"矛盾纠纷化解率达99.11%\",\"start\":120},"
    "{\"key\":\"publicity.audience\",\"value\":18000,\"unit\":\"人次\",\"approx\":true,"
    "\"qual\":\"余\",\"text\":\"覆盖1.8万余人次\",\"start\":200},"
    "{\"key\":null,\"value\":0.5,\"unit\":\"个\",\"approx\":false,\"qual\":null,\"text\":null,"
    "\"start\":0}],"
    "\"people\":[{\"name\":\"王立春\",\"role\":\"组长\"},{\"name\":\"李明\",\"role\":null}],"
    "\"warnings\":[\"signature date 202512 is mangled\"],"
    "\"stats\":{\"bytes\":12345,\"encoding\":\"utf-8\",\"boilerplate_bytes\":345,"
    "\"text_bytes\":12000},\"parser\":\"lexmill 0.1.0 rules:abcd\"}";

/* msgpack-c packer into an sbuffer, for hand-made (often broken) records */
typedef struct {
    msgpack_sbuffer sb;
    msgpack_packer pk;
} s_mp_t;

static void s_mp_init(s_mp_t *m)
{
    msgpack_sbuffer_init(&m->sb);
    msgpack_packer_init(&m->pk, &m->sb, msgpack_sbuffer_write);
}

static void s_mp_str(s_mp_t *m, const char *s)
{
    msgpack_pack_str(&m->pk, strlen(s));
    msgpack_pack_str_body(&m->pk, s, strlen(s));
}

/* A minimal valid record with field ID replaced (value written by the callback) or
 * dropped (SKIP names a field to leave out). */
typedef void (*s_val_fn)(s_mp_t *m);

static void s_v_good_id(s_mp_t *m) { s_mp_str(m, ID_ABC); }
static void s_v_short_id(s_mp_t *m) { s_mp_str(m, "a9993e36"); }
static void s_v_upper_id(s_mp_t *m) { s_mp_str(m, "A9993E364706816ABA3E25717850C26C9CD0D89D"); }
static void s_v_nonhex_id(s_mp_t *m) { s_mp_str(m, "g9993e364706816aba3e25717850c26c9cd0d89d"); }
static void s_v_int(s_mp_t *m) { msgpack_pack_int(&m->pk, 5); }
static void s_v_str(s_mp_t *m) { s_mp_str(m, "x"); }
static void s_v_map(s_mp_t *m) { msgpack_pack_map(&m->pk, 0); }
static void s_v_array0(s_mp_t *m) { msgpack_pack_array(&m->pk, 0); }
static void s_v_fact_value_str(s_mp_t *m)
{
    msgpack_pack_array(&m->pk, 1);
    msgpack_pack_map(&m->pk, 2);
    s_mp_str(m, "value");
    s_mp_str(m, "12");
    s_mp_str(m, "unit");
    s_mp_str(m, "件");
}
static void s_v_fact_no_value(s_mp_t *m)
{
    msgpack_pack_array(&m->pk, 1);
    msgpack_pack_map(&m->pk, 1);
    s_mp_str(m, "unit");
    s_mp_str(m, "件");
}
static void s_v_fact_not_map(s_mp_t *m)
{
    msgpack_pack_array(&m->pk, 1);
    msgpack_pack_int(&m->pk, 3);
}
static void s_v_section_no_kind(s_mp_t *m)
{
    msgpack_pack_array(&m->pk, 1);
    msgpack_pack_map(&m->pk, 2);
    s_mp_str(m, "start");
    msgpack_pack_int(&m->pk, 0);
    s_mp_str(m, "end");
    msgpack_pack_int(&m->pk, 1);
}
static void s_v_warnings_int(s_mp_t *m)
{
    msgpack_pack_array(&m->pk, 1);
    msgpack_pack_int(&m->pk, 1);
}
static void s_v_unit_bad_candidates(s_mp_t *m)
{
    msgpack_pack_map(&m->pk, 1);
    s_mp_str(m, "candidates");
    msgpack_pack_int(&m->pk, -1);
}

typedef struct {
    const char *key;
    s_val_fn fn;
} s_override_t;

/* Packs {id, source, unit, year, facts, sections, warnings} with OV applied: a NULL fn
 * drops the field. */
static void s_mp_record(s_mp_t *m, s_override_t ov)
{
    static const char *keys[] = {"id", "source", "unit", "year", "facts", "sections",
                                 "warnings"};
    static const s_val_fn defs[] = {s_v_good_id, s_v_str, s_v_map, s_v_int, s_v_array0,
                                    s_v_array0, s_v_array0};
    size_t n = 0;
    for (size_t i = 0; i < 7; i++)
        if (!ov.key || strcmp(ov.key, keys[i]) != 0 || ov.fn)
            n++;
    msgpack_pack_map(&m->pk, n);
    for (size_t i = 0; i < 7; i++) {
        s_val_fn fn = defs[i];
        if (ov.key && strcmp(ov.key, keys[i]) == 0) {
            if (!ov.fn)
                continue;
            fn = ov.fn;
        }
        s_mp_str(m, keys[i]);
        if (strcmp(keys[i], "year") == 0 && fn == s_v_int)
            msgpack_pack_int(&m->pk, 2024);
        else
            fn(m);
    }
}

static int s_check_override(const char *key, s_val_fn fn, const char **why)
{
    s_mp_t m;
    s_mp_init(&m);
    s_mp_record(&m, (s_override_t){key, fn});
    int rc = lxm_record_check(m.sb.data, m.sb.size, NULL, why);
    msgpack_sbuffer_destroy(&m.sb);
    return rc;
}

/* ---- tests --------------------------------------------------------------------- */

static void test_content_id(void **state)
{
    char id[LXM_ID_HEX + 1];
    lxm_content_id("abc", 3, id);
    assert_string_equal(id, ID_ABC);
    lxm_content_id("", 0, id);
    assert_string_equal(id, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    lxm_content_id("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 56, id);
    assert_string_equal(id, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
}

static void test_full_round_trip(void **state)
{
    lxm_record_t *r = s_full_record();
    lxm_buf_t mp = {0}, json = {0};
    lxm_record_pack(r, &mp);
    const char *why = NULL;
    lxm_record_keys_t keys;
    assert_int_equal(lxm_record_check(mp.data, mp.len, &keys, &why), 0);
    assert_int_equal(keys.id_len, 40);
    assert_memory_equal(keys.id, ID_ABC, 40);
    assert_int_equal(keys.source_len, strlen("seeds/001.txt"));
    assert_memory_equal(keys.source, "seeds/001.txt", keys.source_len);
    assert_int_equal(keys.unit_code_len, 9);
    assert_memory_equal(keys.unit_code, "320111101", 9);
    assert_memory_equal(keys.unit_name, "新桥镇", keys.unit_name_len);
    assert_memory_equal(keys.province, "江苏省", keys.province_len);
    assert_int_equal(keys.year, 2024);

    assert_int_equal(lxm_mpack_to_json(mp.data, mp.len, &json), 0);
    assert_string_equal(json.data, s_full_json);
    lxm_buf_t json2 = {0};
    lxm_record_to_json(r, &json2);
    assert_string_equal(json2.data, s_full_json);

    /* reset empties the record for reuse */
    lxm_record_reset(r);
    assert_null(r->id);
    assert_int_equal(r->n_facts, 0);
    assert_int_equal(r->n_sections, 0);
    lxm_buf_free(&mp);
    lxm_buf_free(&json);
    lxm_buf_free(&json2);
    lxm_record_destroy(&r);
    assert_null(r);
}

static void test_empty_round_trip(void **state)
{
    lxm_record_t r = {0};
    r.id = lxm_xstrdup(ID_ABC);
    r.source = lxm_xstrdup("x");
    lxm_buf_t mp = {0}, json = {0};
    lxm_record_pack(&r, &mp);
    lxm_record_keys_t keys;
    const char *why = NULL;
    assert_int_equal(lxm_record_check(mp.data, mp.len, &keys, &why), 0);
    assert_null(keys.unit_code);
    assert_null(keys.unit_name);
    assert_null(keys.province);
    assert_int_equal(keys.year, 0);
    lxm_record_to_json(&r, &json);
    assert_string_equal(json.data,
                        "{\"id\":\"" ID_ABC "\",\"source\":\"x\",\"title\":null,"
                        "\"unit\":{\"name\":null,\"level\":null,\"code\":null,\"county\":null,"
                        "\"city\":null,\"province\":null,\"match\":null,\"candidates\":0},"
                        "\"year\":null,\"published\":null,\"issuer\":null,\"sections\":[],"
                        "\"facts\":[],\"people\":[],\"warnings\":[],\"stats\":{\"bytes\":0,"
                        "\"encoding\":null,\"boilerplate_bytes\":0,\"text_bytes\":0},"
                        "\"parser\":null}");
    /* a record without id packs (null) but does not pass the check */
    lxm_record_t none = {0};
    lxm_buf_clear(&mp);
    lxm_record_pack(&none, &mp);
    assert_int_equal(lxm_record_check(mp.data, mp.len, NULL, &why), -1);
    assert_non_null(why);
    lxm_record_reset(&r);
    lxm_buf_free(&mp);
    lxm_buf_free(&json);
}

static void test_appenders_grow(void **state)
{
    lxm_record_t *r = lxm_record_new();
    for (int i = 0; i < 1000; i++) {
        lxm_record_add_fact(r, "k", i, "件", false, NULL, "text", 4, (uint32_t)i);
        lxm_record_add_section(r, "other", "h", 1, (uint32_t)i, (uint32_t)i + 1);
        lxm_record_add_person(r, "张三", NULL);
        lxm_record_add_warning(r, "warning %d", i);
    }
    assert_int_equal(r->n_facts, 1000);
    assert_int_equal(r->n_sections, 1000);
    assert_int_equal(r->n_people, 1000);
    assert_int_equal(r->n_warnings, 1000);
    assert_true(r->facts[999].value == 999);
    assert_int_equal(r->sections[999].end, 1000);
    assert_string_equal(r->warnings[999], "warning 999");
    r->id = lxm_xstrdup(ID_ABC);
    r->source = lxm_xstrdup("s");
    lxm_buf_t mp = {0};
    lxm_record_pack(r, &mp);
    assert_int_equal(lxm_record_check(mp.data, mp.len, NULL, NULL), 0);
    lxm_buf_free(&mp);
    lxm_record_destroy(&r);
}

static void test_json_escaping(void **state)
{
    lxm_record_t r = {0};
    r.id = lxm_xstrdup(ID_ABC);
    r.source = lxm_xstrdup("a\"b\\c\nd\te\x01" "f\xff" "g/法");
    lxm_buf_t json = {0};
    lxm_record_to_json(&r, &json);
    assert_non_null(strstr(json.data,
                           "\"source\":\"a\\\"b\\\\c\\nd\\te\\u0001f\xEF\xBF\xBDg/法\""));
    lxm_record_reset(&r);
    lxm_buf_free(&json);
}

/* JSON of one packed double */
static void s_double_json(double v, bool single, const char *expect)
{
    msgpack_sbuffer sb;
    msgpack_sbuffer_init(&sb);
    msgpack_packer pk;
    msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
    if (single)
        msgpack_pack_float(&pk, (float)v);
    else
        msgpack_pack_double(&pk, v);
    lxm_buf_t json = {0};
    assert_int_equal(lxm_mpack_to_json(sb.data, sb.size, &json), 0);
    assert_string_equal(json.data, expect);
    lxm_buf_free(&json);
    msgpack_sbuffer_destroy(&sb);
}

static void test_doubles(void **state)
{
    s_double_json(99.11, false, "99.11");
    s_double_json(18000, false, "18000");
    s_double_json(0.5, false, "0.5");
    s_double_json(0.1 + 0.2, false, "0.30000000000000004");
    s_double_json(-2.75, false, "-2.75");
    s_double_json(-0.0, false, "0");
    s_double_json(1e-7, false, "1e-07");
    s_double_json(NAN, false, "null");
    s_double_json(INFINITY, false, "null");
    s_double_json(1.1, true, "1.1"); /* float32: shortest at float precision */
    s_double_json(99.11, true, "99.11");

    /* fact values: integral -> msgpack integer, else double */
    lxm_record_t r = {0};
    r.id = lxm_xstrdup(ID_ABC);
    r.source = lxm_xstrdup("s");
    lxm_record_add_fact(&r, NULL, 18000, "人次", false, NULL, NULL, 0, 0);
    lxm_record_add_fact(&r, NULL, 99.11, "%", false, NULL, NULL, 0, 0);
    lxm_record_add_fact(&r, NULL, 1e30, "元", false, NULL, NULL, 0, 0);
    lxm_buf_t json = {0};
    lxm_record_to_json(&r, &json);
    assert_non_null(strstr(json.data, "\"value\":18000,"));
    assert_non_null(strstr(json.data, "\"value\":99.11,"));
    assert_non_null(strstr(json.data, "\"value\":1e+30,"));
    lxm_buf_t mp = {0};
    lxm_record_pack(&r, &mp);
    /* 18000 went out as a uint16 (0xcd 0x46 0x50), not a float64 */
    assert_non_null(memmem(mp.data, mp.len, "value\xcd\x46\x50", 8));
    lxm_buf_free(&mp);
    lxm_buf_free(&json);
    lxm_record_reset(&r);
}

static void test_mpack_to_json_any(void **state)
{
    s_mp_t m;
    s_mp_init(&m);
    msgpack_pack_map(&m.pk, 6);
    msgpack_pack_int(&m.pk, 1);
    s_mp_str(&m, "a");
    msgpack_pack_true(&m.pk);
    msgpack_pack_int(&m.pk, -2);
    msgpack_pack_nil(&m.pk);
    msgpack_pack_array(&m.pk, 0);
    msgpack_pack_array(&m.pk, 1);
    s_mp_str(&m, "k");
    msgpack_pack_int(&m.pk, 4);
    msgpack_pack_bin(&m.pk, 3);
    msgpack_pack_bin_body(&m.pk, "b\"n", 3);
    msgpack_pack_bin(&m.pk, 2);
    msgpack_pack_bin_body(&m.pk, "\xff" "a", 2);
    s_mp_str(&m, "u");
    msgpack_pack_uint64(&m.pk, UINT64_MAX);
    lxm_buf_t json = {0};
    assert_int_equal(lxm_mpack_to_json(m.sb.data, m.sb.size, &json), 0);
    assert_string_equal(json.data,
                        "{\"1\":\"a\",\"true\":-2,\"null\":[],\"[\\\"k\\\"]\":4,"
                        "\"b\\\"n\":\"\xEF\xBF\xBD" "a\",\"u\":18446744073709551615}");

    /* trailing garbage and truncation: -1 and nothing appended */
    lxm_buf_clear(&json);
    lxm_buf_puts(&json, "keep");
    msgpack_sbuffer_write(&m.sb, "\xc0", 1);
    assert_int_equal(lxm_mpack_to_json(m.sb.data, m.sb.size, &json), -1);
    assert_int_equal(lxm_mpack_to_json(m.sb.data, m.sb.size - 3, &json), -1);
    assert_int_equal(lxm_mpack_to_json(m.sb.data, 0, &json), -1);
    assert_string_equal(json.data, "keep");
    lxm_buf_free(&json);
    msgpack_sbuffer_destroy(&m.sb);
}

static void test_check_rejects(void **state)
{
    const char *why = NULL;
    assert_int_equal(s_check_override(NULL, NULL, &why), 0); /* the base is valid */
    struct {
        const char *key;
        s_val_fn fn;
    } bad[] = {
        {"id", NULL},                      /* id missing */
        {"id", s_v_short_id},              /* too short */
        {"id", s_v_upper_id},              /* not lowercase */
        {"id", s_v_nonhex_id},             /* not hex */
        {"id", s_v_int},                   /* not a string */
        {"source", NULL},                  /* source missing */
        {"unit", s_v_str},                 /* unit not a map */
        {"unit", s_v_unit_bad_candidates}, /* candidates negative */
        {"facts", s_v_map},                /* facts not an array */
        {"facts", NULL},                   /* facts missing */
        {"facts", s_v_fact_value_str},     /* a value that is a string */
        {"facts", s_v_fact_no_value},      /* a fact without value */
        {"facts", s_v_fact_not_map},       /* a fact that is not a map */
        {"sections", s_v_str},             /* sections not an array */
        {"sections", s_v_section_no_kind}, /* a section without kind */
        {"year", s_v_str},                 /* year not an int */
        {"warnings", s_v_warnings_int},    /* a warning that is not a string */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        why = NULL;
        if (s_check_override(bad[i].key, bad[i].fn, &why) != -1)
            fail_msg("case %zu (%s) was accepted", i, bad[i].key);
        assert_non_null(why);
    }

    /* not a map at all */
    s_mp_t m;
    s_mp_init(&m);
    msgpack_pack_array(&m.pk, 1);
    s_mp_str(&m, ID_ABC);
    assert_int_equal(lxm_record_check(m.sb.data, m.sb.size, NULL, &why), -1);
    msgpack_sbuffer_destroy(&m.sb);

    /* a duplicated key */
    s_mp_init(&m);
    s_mp_record(&m, (s_override_t){NULL, NULL});
    m.sb.data[0] = (char)0x88; /* one more pair than written ... */
    s_mp_str(&m, "id");        /* ... which is a second id */
    s_mp_str(&m, ID_ABC);
    assert_int_equal(lxm_record_check(m.sb.data, m.sb.size, NULL, &why), -1);
    msgpack_sbuffer_destroy(&m.sb);

    /* every truncation of a valid record, and trailing garbage */
    lxm_record_t *r = s_full_record();
    lxm_buf_t mp = {0};
    lxm_record_pack(r, &mp);
    for (size_t n = 0; n < mp.len; n++)
        assert_int_equal(lxm_record_check(mp.data, n, NULL, &why), -1);
    lxm_buf_putc(&mp, 0);
    assert_int_equal(lxm_record_check(mp.data, mp.len, NULL, &why), -1);
    assert_int_equal(lxm_record_check(NULL, 0, NULL, &why), -1);
    lxm_buf_free(&mp);
    lxm_record_destroy(&r);

    /* headers claiming billions of elements in a few bytes: refused before allocating */
    const char huge_arr[] = "\xdd\xff\xff\xff\xff\x01";
    const char huge_map[] = "\xdf\x7f\xff\xff\xff\xa1x";
    const char huge_str[] = "\xdb\xff\xff\xff\xf0xx";
    assert_int_equal(lxm_record_check(huge_arr, 6, NULL, &why), -1);
    assert_int_equal(lxm_record_check(huge_map, 7, NULL, &why), -1);
    assert_int_equal(lxm_record_check(huge_str, 7, NULL, &why), -1);
    lxm_buf_t json = {0};
    assert_int_equal(lxm_mpack_to_json(huge_arr, 6, &json), -1);
    /* more values than any record holds, though every one is present: an array of
     * MAX nils is MAX + 1 values (refused), of MAX - 1 nils exactly MAX (accepted) */
    size_t nv = LXM_MPACK_MAX_VALUES;
    char *many = malloc(nv + 5);
    memset(many + 5, 0xc0, nv);
    for (int pass = 0; pass < 2; pass++) {
        size_t k = pass == 0 ? nv : nv - 1;
        many[0] = (char)0xdd;
        many[1] = (char)(k >> 24);
        many[2] = (char)(k >> 16);
        many[3] = (char)(k >> 8);
        many[4] = (char)k;
        lxm_buf_clear(&json);
        assert_int_equal(lxm_mpack_to_json(many, k + 5, &json), pass == 0 ? -1 : 0);
        if (pass == 1)
            assert_int_equal(json.len, 5 * k + 1); /* [null,null,...] */
    }
    lxm_buf_clear(&json);
    free(many);
    /* deep nesting beyond the unpacker's stack */
    char deep[200];
    memset(deep, 0x91, sizeof deep - 1);
    deep[sizeof deep - 1] = (char)0xc0;
    assert_int_equal(lxm_record_check(deep, sizeof deep, NULL, &why), -1);
    assert_int_equal(lxm_mpack_to_json(deep, sizeof deep, &json), -1);
    lxm_buf_free(&json);
}

/* xorshift: a fixed seed keeps failures reproducible */
static uint64_t s_rng = 0x9e3779b97f4a7c15ULL;
static uint64_t s_rand(void)
{
    s_rng ^= s_rng << 13;
    s_rng ^= s_rng >> 7;
    s_rng ^= s_rng << 17;
    return s_rng;
}

static void test_fuzz(void **state)
{
    unsigned char buf[512];
    lxm_buf_t json = {0};
    const char *why;
    /* random bytes */
    for (int i = 0; i < 5000; i++) {
        size_t n = s_rand() % sizeof buf;
        for (size_t j = 0; j < n; j++)
            buf[j] = (unsigned char)s_rand();
        lxm_record_check(buf, n, NULL, &why);
        lxm_buf_clear(&json);
        lxm_mpack_to_json(buf, n, &json);
    }
    /* mutations of a valid record: whatever passes the check must print as JSON */
    lxm_record_t *r = s_full_record();
    lxm_buf_t mp = {0};
    lxm_record_pack(r, &mp);
    unsigned char *copy = malloc(mp.len);
    int accepted = 0;
    for (int i = 0; i < 5000; i++) {
        memcpy(copy, mp.data, mp.len);
        int flips = 1 + (int)(s_rand() % 4);
        for (int k = 0; k < flips; k++)
            copy[s_rand() % mp.len] = (unsigned char)s_rand();
        size_t n = mp.len - (s_rand() % 3 == 0 ? s_rand() % mp.len : 0);
        lxm_record_keys_t keys;
        if (lxm_record_check(copy, n, &keys, &why) == 0) {
            accepted++;
            assert_int_equal(keys.id_len, 40);
            lxm_buf_clear(&json);
            assert_int_equal(lxm_mpack_to_json(copy, n, &json), 0);
        }
    }
    /* flipping bytes inside strings keeps many records valid */
    assert_true(accepted > 0);
    free(copy);
    lxm_buf_free(&mp);
    lxm_buf_free(&json);
    lxm_record_destroy(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_content_id),
        cmocka_unit_test(test_full_round_trip),
        cmocka_unit_test(test_empty_round_trip),
        cmocka_unit_test(test_appenders_grow),
        cmocka_unit_test(test_json_escaping),
        cmocka_unit_test(test_doubles),
        cmocka_unit_test(test_mpack_to_json_any),
        cmocka_unit_test(test_check_rejects),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
