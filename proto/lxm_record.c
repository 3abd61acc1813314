/* lxm_record: the SPEC record in memory, its msgpack form, its validation and JSON. */
#include <czmq.h>
#include <inttypes.h>
#include <math.h>
#include <msgpack.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_mpack.h"
#include <openssl/evp.h>
#include <pthread.h>
#include <openssl/sha.h>
#include "lxm_record.h"

/* ---- lifecycle ----------------------------------------------------------------- */

lxm_record_t *lxm_record_new(void)
{
    return lxm_xcalloc(1, sizeof(lxm_record_t));
}

void lxm_record_destroy(lxm_record_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_record_reset(*self_p);
    free(*self_p);
    *self_p = NULL;
}

void lxm_record_reset(lxm_record_t *self)
{
    if (!self)
        return;
    free(self->id);
    free(self->source);
    free(self->title);
    free(self->unit.name);
    free(self->unit.level);
    free(self->unit.code);
    free(self->unit.county);
    free(self->unit.city);
    free(self->unit.province);
    free(self->unit.match);
    free(self->published);
    free(self->issuer);
    for (size_t i = 0; i < self->n_sections; i++) {
        free(self->sections[i].kind);
        free(self->sections[i].heading);
    }
    free(self->sections);
    for (size_t i = 0; i < self->n_facts; i++) {
        free(self->facts[i].key);
        free(self->facts[i].unit);
        free(self->facts[i].qual);
        free(self->facts[i].text);
    }
    free(self->facts);
    for (size_t i = 0; i < self->n_people; i++) {
        free(self->people[i].name);
        free(self->people[i].role);
    }
    free(self->people);
    for (size_t i = 0; i < self->n_warnings; i++)
        free(self->warnings[i]);
    free(self->warnings);
    free(self->parser);
    memset(self, 0, sizeof *self);
}

/* Makes room for one more element of SIZE bytes in *ARR (count N, capacity *CAP). */
static void s_grow(void **arr, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return;
    size_t ncap = *cap ? *cap * 2 : 8;
    *arr = lxm_xrealloc(*arr, ncap * size);
    *cap = ncap;
}

lxm_fact_t *lxm_record_add_fact(lxm_record_t *self, const char *key, double value,
                                const char *unit, bool approx, const char *qual,
                                const char *text, size_t text_len, uint32_t start)
{
    assert(self);
    s_grow((void **)&self->facts, self->n_facts, &self->cap_facts, sizeof(lxm_fact_t));
    lxm_fact_t *f = &self->facts[self->n_facts++];
    f->key = lxm_xstrdup(key);
    f->value = value;
    f->unit = lxm_xstrdup(unit);
    f->approx = approx;
    f->qual = lxm_xstrdup(qual);
    f->text = text ? lxm_xstrndup(text, text_len) : NULL;
    f->start = start;
    return f;
}

lxm_section_t *lxm_record_add_section(lxm_record_t *self, const char *kind,
                                      const char *heading, size_t heading_len,
                                      uint32_t start, uint32_t end)
{
    assert(self);
    s_grow((void **)&self->sections, self->n_sections, &self->cap_sections,
           sizeof(lxm_section_t));
    lxm_section_t *s = &self->sections[self->n_sections++];
    s->kind = lxm_xstrdup(kind);
    s->heading = heading ? lxm_xstrndup(heading, heading_len) : NULL;
    s->start = start;
    s->end = end;
    return s;
}

void lxm_record_add_person(lxm_record_t *self, const char *name, const char *role)
{
    assert(self);
    s_grow((void **)&self->people, self->n_people, &self->cap_people, sizeof(lxm_person_t));
    lxm_person_t *p = &self->people[self->n_people++];
    p->name = lxm_xstrdup(name);
    p->role = lxm_xstrdup(role);
}

void lxm_record_add_warning(lxm_record_t *self, const char *fmt, ...)
{
    assert(self);
    lxm_buf_t b = {0};
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    lxm_buf_reserve(&b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b.data, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b.len = (size_t)n;
    s_grow((void **)&self->warnings, self->n_warnings, &self->cap_warnings, sizeof(char *));
    self->warnings[self->n_warnings++] = lxm_buf_take(&b);
}

/* ---- content id ---------------------------------------------------------------- */

/* libcrypto's SHA-1, looked up once: OpenSSL 3 otherwise fetches the algorithm on
 * every call, which costs more than hashing a small document. */
static EVP_MD *s_sha1;
static void s_sha1_fetch(void)
{
    s_sha1 = EVP_MD_fetch(NULL, "SHA1", NULL);
}

void lxm_content_id(const char *text, size_t len, char out[LXM_ID_HEX + 1])
{
    /* SHA-1 through libcrypto: it uses the CPU's SHA extensions where present, several
     * times faster than a portable C SHA-1, and the id is computed for every document. */
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    static const char hex[] = "0123456789abcdef";
    unsigned char h[SHA_DIGEST_LENGTH];
    pthread_once(&once, s_sha1_fetch);
    EVP_Digest(text ? text : "", len, h, NULL, s_sha1 ? s_sha1 : EVP_sha1(), NULL);
    for (size_t i = 0; i < LXM_ID_HEX / 2; i++) {
        out[2 * i] = hex[h[i] >> 4];
        out[2 * i + 1] = hex[h[i] & 0x0f];
    }
    out[LXM_ID_HEX] = '\0';
}

/* ---- pack ---------------------------------------------------------------------- */

static int s_buf_write(void *data, const char *buf, size_t len)
{
    lxm_buf_append((lxm_buf_t *)data, buf, len);
    return 0;
}

static void s_pack_key(msgpack_packer *pk, const char *key)
{
    size_t n = strlen(key);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, key, n);
}

static void s_pack_str(msgpack_packer *pk, const char *s)
{
    if (!s) {
        msgpack_pack_nil(pk);
        return;
    }
    size_t n = strlen(s);
    msgpack_pack_str(pk, n);
    msgpack_pack_str_body(pk, s, n);
}

/* An integral value that fits an int64 goes out as an integer (18000, not 18000.0),
 * so every consumer sees counts as counts; rates like 99.11 stay doubles. */
static void s_pack_number(msgpack_packer *pk, double v)
{
    if (isfinite(v) && v == floor(v) && v >= -9.2e18 && v <= 9.2e18)
        msgpack_pack_int64(pk, (int64_t)v);
    else
        msgpack_pack_double(pk, v);
}

void lxm_record_pack(const lxm_record_t *self, lxm_buf_t *out)
{
    assert(self && out);
    msgpack_packer pk;
    msgpack_packer_init(&pk, out, s_buf_write);

    msgpack_pack_map(&pk, 13);
    s_pack_key(&pk, "id");
    s_pack_str(&pk, self->id);
    s_pack_key(&pk, "source");
    s_pack_str(&pk, self->source);
    s_pack_key(&pk, "title");
    s_pack_str(&pk, self->title);

    s_pack_key(&pk, "unit");
    msgpack_pack_map(&pk, 8);
    s_pack_key(&pk, "name");
    s_pack_str(&pk, self->unit.name);
    s_pack_key(&pk, "level");
    s_pack_str(&pk, self->unit.level);
    s_pack_key(&pk, "code");
    s_pack_str(&pk, self->unit.code);
    s_pack_key(&pk, "county");
    s_pack_str(&pk, self->unit.county);
    s_pack_key(&pk, "city");
    s_pack_str(&pk, self->unit.city);
    s_pack_key(&pk, "province");
    s_pack_str(&pk, self->unit.province);
    s_pack_key(&pk, "match");
    s_pack_str(&pk, self->unit.match);
    s_pack_key(&pk, "candidates");
    msgpack_pack_int(&pk, self->unit.candidates);

    s_pack_key(&pk, "year");
    if (self->year)
        msgpack_pack_int(&pk, self->year);
    else
        msgpack_pack_nil(&pk);
    s_pack_key(&pk, "published");
    s_pack_str(&pk, self->published);
    s_pack_key(&pk, "issuer");
    s_pack_str(&pk, self->issuer);

    s_pack_key(&pk, "sections");
    msgpack_pack_array(&pk, self->n_sections);
    for (size_t i = 0; i < self->n_sections; i++) {
        const lxm_section_t *s = &self->sections[i];
        msgpack_pack_map(&pk, 4);
        s_pack_key(&pk, "kind");
        s_pack_str(&pk, s->kind);
        s_pack_key(&pk, "heading");
        s_pack_str(&pk, s->heading);
        s_pack_key(&pk, "start");
        msgpack_pack_uint32(&pk, s->start);
        s_pack_key(&pk, "end");
        msgpack_pack_uint32(&pk, s->end);
    }

    s_pack_key(&pk, "facts");
    msgpack_pack_array(&pk, self->n_facts);
    for (size_t i = 0; i < self->n_facts; i++) {
        const lxm_fact_t *f = &self->facts[i];
        msgpack_pack_map(&pk, 7);
        s_pack_key(&pk, "key");
        s_pack_str(&pk, f->key);
        s_pack_key(&pk, "value");
        s_pack_number(&pk, f->value);
        s_pack_key(&pk, "unit");
        s_pack_str(&pk, f->unit);
        s_pack_key(&pk, "approx");
        if (f->approx)
            msgpack_pack_true(&pk);
        else
            msgpack_pack_false(&pk);
        s_pack_key(&pk, "qual");
        s_pack_str(&pk, f->qual);
        s_pack_key(&pk, "text");
        s_pack_str(&pk, f->text);
        s_pack_key(&pk, "start");
        msgpack_pack_uint32(&pk, f->start);
    }

    s_pack_key(&pk, "people");
    msgpack_pack_array(&pk, self->n_people);
    for (size_t i = 0; i < self->n_people; i++) {
        msgpack_pack_map(&pk, 2);
        s_pack_key(&pk, "name");
        s_pack_str(&pk, self->people[i].name);
        s_pack_key(&pk, "role");
        s_pack_str(&pk, self->people[i].role);
    }

    s_pack_key(&pk, "warnings");
    msgpack_pack_array(&pk, self->n_warnings);
    for (size_t i = 0; i < self->n_warnings; i++)
        s_pack_str(&pk, self->warnings[i]);

    s_pack_key(&pk, "stats");
    msgpack_pack_map(&pk, 4);
    s_pack_key(&pk, "bytes");
    msgpack_pack_uint64(&pk, self->stats.bytes);
    s_pack_key(&pk, "encoding");
    s_pack_str(&pk, self->stats.encoding);
    s_pack_key(&pk, "boilerplate_bytes");
    msgpack_pack_uint64(&pk, self->stats.boilerplate_bytes);
    s_pack_key(&pk, "text_bytes");
    msgpack_pack_uint64(&pk, self->stats.text_bytes);

    s_pack_key(&pk, "parser");
    s_pack_str(&pk, self->parser);
}

/* ---- check --------------------------------------------------------------------- */

/* Field shapes the checker knows. */
typedef enum {
    T_STR,      /* string */
    T_STR_NIL,  /* string or nil */
    T_UINT,     /* non-negative integer */
    T_NUM,      /* integer or float */
    T_BOOL,
    T_YEAR,     /* nil or 1..9999 */
    T_MAP,
    T_ARRAY,
} s_type_t;

typedef struct {
    const char *key;
    s_type_t type;
    bool required;
} s_field_t;

static bool s_is_type(const msgpack_object *o, s_type_t t)
{
    switch (t) {
    case T_STR: return o->type == MSGPACK_OBJECT_STR;
    case T_STR_NIL: return o->type == MSGPACK_OBJECT_STR || o->type == MSGPACK_OBJECT_NIL;
    case T_UINT: return o->type == MSGPACK_OBJECT_POSITIVE_INTEGER;
    case T_NUM:
        return o->type == MSGPACK_OBJECT_POSITIVE_INTEGER ||
               o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER ||
               o->type == MSGPACK_OBJECT_FLOAT32 || o->type == MSGPACK_OBJECT_FLOAT64;
    case T_BOOL: return o->type == MSGPACK_OBJECT_BOOLEAN;
    case T_YEAR:
        return o->type == MSGPACK_OBJECT_NIL ||
               (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER && o->via.u64 >= 1 &&
                o->via.u64 <= 9999);
    case T_MAP: return o->type == MSGPACK_OBJECT_MAP;
    case T_ARRAY: return o->type == MSGPACK_OBJECT_ARRAY;
    }
    return false;
}

/* Checks map O against FIELDS: every key a string, no known key twice, known keys of
 * their type, required keys present. Unknown keys are allowed so that a newer worker's
 * extra fields do not make an older collector drop records. */
static int s_check_map(const msgpack_object *o, const s_field_t *fields, size_t n,
                       const char *what, const char **why)
{
    if (o->type != MSGPACK_OBJECT_MAP) {
        *why = what;
        return -1;
    }
    uint32_t seen = 0;
    assert(n <= 32);
    for (uint32_t i = 0; i < o->via.map.size; i++) {
        const msgpack_object *k = &o->via.map.ptr[i].key;
        const msgpack_object *v = &o->via.map.ptr[i].val;
        if (k->type != MSGPACK_OBJECT_STR) {
            *why = "a map key is not a string";
            return -1;
        }
        for (size_t f = 0; f < n; f++) {
            size_t kl = strlen(fields[f].key);
            if (k->via.str.size != kl || memcmp(k->via.str.ptr, fields[f].key, kl) != 0)
                continue;
            if (seen & (1u << f)) {
                *why = "a key appears twice";
                return -1;
            }
            seen |= 1u << f;
            if (!s_is_type(v, fields[f].type)) {
                *why = "a field has the wrong type";
                return -1;
            }
            break;
        }
    }
    for (size_t f = 0; f < n; f++)
        if (fields[f].required && !(seen & (1u << f))) {
            *why = "a required field is missing";
            return -1;
        }
    return 0;
}

static const s_field_t s_record_fields[] = {
    {"id", T_STR, true},          {"source", T_STR, true},
    {"title", T_STR_NIL, false},  {"unit", T_MAP, true},
    {"year", T_YEAR, false},      {"published", T_STR_NIL, false},
    {"issuer", T_STR_NIL, false}, {"sections", T_ARRAY, true},
    {"facts", T_ARRAY, true},     {"people", T_ARRAY, false},
    {"warnings", T_ARRAY, false}, {"stats", T_MAP, false},
    {"parser", T_STR_NIL, false},
};
static const s_field_t s_unit_fields[] = {
    {"name", T_STR_NIL, false},  {"level", T_STR_NIL, false},
    {"code", T_STR_NIL, false},  {"county", T_STR_NIL, false},
    {"city", T_STR_NIL, false},  {"province", T_STR_NIL, false},
    {"match", T_STR_NIL, false}, {"candidates", T_UINT, false},
};
static const s_field_t s_section_fields[] = {
    {"kind", T_STR, true},
    {"heading", T_STR_NIL, false},
    {"start", T_UINT, true},
    {"end", T_UINT, true},
};
static const s_field_t s_fact_fields[] = {
    {"key", T_STR_NIL, false}, {"value", T_NUM, true},      {"unit", T_STR_NIL, false},
    {"approx", T_BOOL, false}, {"qual", T_STR_NIL, false},  {"text", T_STR_NIL, false},
    {"start", T_UINT, false},
};
static const s_field_t s_person_fields[] = {
    {"name", T_STR, true},
    {"role", T_STR_NIL, false},
};
static const s_field_t s_stats_fields[] = {
    {"bytes", T_UINT, false},
    {"encoding", T_STR_NIL, false},
    {"boilerplate_bytes", T_UINT, false},
    {"text_bytes", T_UINT, false},
};

#define S_N(a) (sizeof(a) / sizeof((a)[0]))

/* Every element of array O (known to be an array, or absent) must pass the map check. */
static int s_check_each(const msgpack_object *o, const s_field_t *fields, size_t n,
                        const char *what, const char **why)
{
    if (!o)
        return 0;
    for (uint32_t i = 0; i < o->via.array.size; i++)
        if (s_check_map(&o->via.array.ptr[i], fields, n, what, why) != 0)
            return -1;
    return 0;
}

static int s_check_object(const msgpack_object *root, lxm_record_keys_t *keys,
                          const char **why)
{
    if (s_check_map(root, s_record_fields, S_N(s_record_fields), "record is not a map",
                    why) != 0)
        return -1;
    const msgpack_object *id = lxm_mpack_get(root, "id");
    if (id->via.str.size != LXM_ID_HEX) {
        *why = "id is not 40 hex characters";
        return -1;
    }
    for (uint32_t i = 0; i < LXM_ID_HEX; i++) {
        char c = id->via.str.ptr[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            *why = "id is not lowercase hex";
            return -1;
        }
    }
    const msgpack_object *unit = lxm_mpack_get(root, "unit");
    if (s_check_map(unit, s_unit_fields, S_N(s_unit_fields), "unit is not a map", why))
        return -1;
    if (s_check_each(lxm_mpack_get(root, "sections"), s_section_fields,
                     S_N(s_section_fields), "a section is not a map", why) ||
        s_check_each(lxm_mpack_get(root, "facts"), s_fact_fields, S_N(s_fact_fields),
                     "a fact is not a map", why) ||
        s_check_each(lxm_mpack_get(root, "people"), s_person_fields, S_N(s_person_fields),
                     "a person is not a map", why))
        return -1;
    const msgpack_object *w = lxm_mpack_get(root, "warnings");
    for (uint32_t i = 0; w && i < w->via.array.size; i++)
        if (w->via.array.ptr[i].type != MSGPACK_OBJECT_STR) {
            *why = "a warning is not a string";
            return -1;
        }
    const msgpack_object *stats = lxm_mpack_get(root, "stats");
    if (stats &&
        s_check_map(stats, s_stats_fields, S_N(s_stats_fields), "stats is not a map", why))
        return -1;

    if (keys) {
        memset(keys, 0, sizeof *keys);
        keys->id = id->via.str.ptr;
        keys->id_len = id->via.str.size;
        lxm_mpack_str(lxm_mpack_get(root, "source"), &keys->source, &keys->source_len);
        lxm_mpack_str(lxm_mpack_get(unit, "code"), &keys->unit_code, &keys->unit_code_len);
        lxm_mpack_str(lxm_mpack_get(unit, "name"), &keys->unit_name, &keys->unit_name_len);
        lxm_mpack_str(lxm_mpack_get(unit, "province"), &keys->province,
                      &keys->province_len);
        const msgpack_object *year = lxm_mpack_get(root, "year");
        if (year && year->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
            keys->year = (int)year->via.u64;
    }
    return 0;
}

int lxm_record_check(const void *bytes, size_t len, lxm_record_keys_t *keys, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!bytes || len == 0) {
        *why = "empty record";
        return -1;
    }
    msgpack_zone zone;
    if (!msgpack_zone_init(&zone, 2048)) {
        *why = "out of memory";
        return -1;
    }
    msgpack_object root;
    int rc = lxm_mpack_unpack(bytes, len, &zone, &root, why);
    if (rc == 0)
        rc = s_check_object(&root, keys, why);
    msgpack_zone_destroy(&zone);
    return rc;
}

/* ---- JSON ---------------------------------------------------------------------- */

/* Shortest %.Ng that reads back as the same double (or float, for FLOAT32 values). */
static void s_json_double(lxm_buf_t *out, double v, bool single)
{
    if (!isfinite(v)) {
        lxm_buf_puts(out, "null"); /* JSON has no NaN or infinity */
        return;
    }
    if (v == floor(v) && fabs(v) < 1e17) {
        lxm_buf_printf(out, "%.0f", v == 0 ? 0.0 : v); /* also turns -0 into 0 */
        return;
    }
    char tmp[40];
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*g", prec, v);
        double back = strtod(tmp, NULL);
        if (single ? (float)back == (float)v : back == v)
            break;
    }
    lxm_buf_puts(out, tmp);
}

static void s_json_value(const msgpack_object *o, lxm_buf_t *out);

/* Map keys must be JSON strings: a non-string key is written as JSON and quoted. */
static void s_json_key(const msgpack_object *k, lxm_buf_t *out)
{
    if (k->type == MSGPACK_OBJECT_STR) {
        lxm_buf_json_string(out, k->via.str.ptr, k->via.str.size);
        return;
    }
    if (k->type == MSGPACK_OBJECT_BIN) {
        lxm_buf_json_string(out, k->via.bin.ptr, k->via.bin.size);
        return;
    }
    lxm_buf_t tmp = {0};
    s_json_value(k, &tmp);
    lxm_buf_json_string(out, tmp.data ? tmp.data : "", tmp.len);
    lxm_buf_free(&tmp);
}

static void s_json_value(const msgpack_object *o, lxm_buf_t *out)
{
    switch (o->type) {
    case MSGPACK_OBJECT_NIL:
        lxm_buf_puts(out, "null");
        break;
    case MSGPACK_OBJECT_BOOLEAN:
        lxm_buf_puts(out, o->via.boolean ? "true" : "false");
        break;
    case MSGPACK_OBJECT_POSITIVE_INTEGER:
        lxm_buf_printf(out, "%" PRIu64, o->via.u64);
        break;
    case MSGPACK_OBJECT_NEGATIVE_INTEGER:
        lxm_buf_printf(out, "%" PRId64, o->via.i64);
        break;
    case MSGPACK_OBJECT_FLOAT32:
        s_json_double(out, o->via.f64, true);
        break;
    case MSGPACK_OBJECT_FLOAT64:
        s_json_double(out, o->via.f64, false);
        break;
    case MSGPACK_OBJECT_STR:
        lxm_buf_json_string(out, o->via.str.ptr, o->via.str.size);
        break;
    case MSGPACK_OBJECT_BIN:
        lxm_buf_json_string(out, o->via.bin.ptr, o->via.bin.size);
        break;
    case MSGPACK_OBJECT_EXT:
        /* no JSON form: its payload bytes as a string, like binary */
        lxm_buf_json_string(out, o->via.ext.ptr, o->via.ext.size);
        break;
    case MSGPACK_OBJECT_ARRAY:
        lxm_buf_putc(out, '[');
        for (uint32_t i = 0; i < o->via.array.size; i++) {
            if (i)
                lxm_buf_putc(out, ',');
            s_json_value(&o->via.array.ptr[i], out);
        }
        lxm_buf_putc(out, ']');
        break;
    case MSGPACK_OBJECT_MAP:
        lxm_buf_putc(out, '{');
        for (uint32_t i = 0; i < o->via.map.size; i++) {
            if (i)
                lxm_buf_putc(out, ',');
            s_json_key(&o->via.map.ptr[i].key, out);
            lxm_buf_putc(out, ':');
            s_json_value(&o->via.map.ptr[i].val, out);
        }
        lxm_buf_putc(out, '}');
        break;
    default:
        lxm_buf_puts(out, "null");
        break;
    }
}

int lxm_mpack_to_json(const void *bytes, size_t len, lxm_buf_t *out)
{
    assert(out);
    msgpack_zone zone;
    if (!msgpack_zone_init(&zone, 2048))
        return -1;
    msgpack_object root;
    int rc = lxm_mpack_unpack(bytes, len, &zone, &root, NULL);
    if (rc == 0)
        s_json_value(&root, out);
    msgpack_zone_destroy(&zone);
    return rc;
}

void lxm_record_to_json(const lxm_record_t *self, lxm_buf_t *out)
{
    lxm_buf_t mp = {0};
    lxm_record_pack(self, &mp);
    int rc = lxm_mpack_to_json(mp.data, mp.len, out);
    assert(rc == 0); /* our own packing is always one complete value */
    (void)rc;
    lxm_buf_free(&mp);
}
