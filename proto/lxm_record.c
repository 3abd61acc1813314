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

/* The record is packed straight into the buffer rather than through msgpack-c's packer,
 * whose callback per token (a thousand for a report with forty facts) cost more than the
 * bytes. The bytes are the same msgpack-c writes: the smallest form of each value,
 * non-negative integers in their unsigned forms. */

static inline unsigned char *s_room(lxm_buf_t *b, size_t n)
{
    if (b->len + n + 1 > b->cap) /* rare: the record's size was reserved up front */
        lxm_buf_reserve(b, n);
    return (unsigned char *)b->data + b->len;
}

static inline void s_wrote(lxm_buf_t *b, size_t n)
{
    b->len += n;
    b->data[b->len] = '\0';
}

static void s_be(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--, v >>= 8)
        p[i] = (unsigned char)v;
}

/* A head byte TAG followed by V on BYTES bytes (0: the tag alone). */
static inline void s_head(lxm_buf_t *b, unsigned char tag, uint64_t v, int bytes)
{
    unsigned char *p = s_room(b, 9);
    p[0] = tag;
    s_be(p + 1, v, bytes);
    s_wrote(b, 1 + (size_t)bytes);
}

static void s_pack_uint(lxm_buf_t *b, uint64_t v)
{
    if (v < 128)
        s_head(b, (unsigned char)v, 0, 0);
    else if (v < 256)
        s_head(b, 0xcc, v, 1);
    else if (v < 65536)
        s_head(b, 0xcd, v, 2);
    else if (v <= UINT32_MAX)
        s_head(b, 0xce, v, 4);
    else
        s_head(b, 0xcf, v, 8);
}

static void s_pack_int(lxm_buf_t *b, int64_t v)
{
    if (v >= 0)
        s_pack_uint(b, (uint64_t)v);
    else if (v >= -32)
        s_head(b, (unsigned char)(int8_t)v, 0, 0);
    else if (v >= INT8_MIN)
        s_head(b, 0xd0, (uint64_t)v, 1);
    else if (v >= INT16_MIN)
        s_head(b, 0xd1, (uint64_t)v, 2);
    else if (v >= INT32_MIN)
        s_head(b, 0xd2, (uint64_t)v, 4);
    else
        s_head(b, 0xd3, (uint64_t)v, 8);
}

static void s_pack_container(lxm_buf_t *b, uint32_t n, unsigned char fix, unsigned char tag16)
{
    if (n < 16)
        s_head(b, (unsigned char)(fix | n), 0, 0);
    else if (n < 65536)
        s_head(b, tag16, n, 2);
    else
        s_head(b, (unsigned char)(tag16 + 1), n, 4);
}

static void s_pack_map(lxm_buf_t *b, uint32_t n)
{
    s_pack_container(b, n, 0x80, 0xde);
}

static void s_pack_array(lxm_buf_t *b, uint32_t n)
{
    s_pack_container(b, n, 0x90, 0xdc);
}

static void s_pack_strn(lxm_buf_t *b, const char *s, size_t n)
{
    if (n < 32)
        s_head(b, (unsigned char)(0xa0 | n), 0, 0);
    else if (n < 256)
        s_head(b, 0xd9, n, 1);
    else if (n < 65536)
        s_head(b, 0xda, n, 2);
    else
        s_head(b, 0xdb, n, 4);
    memcpy(s_room(b, n), s, n);
    s_wrote(b, n);
}

/* Keys are literals: their length is known at compile time. */
#define s_pack_key(b, key) s_pack_strn((b), (key), sizeof(key) - 1)

static void s_pack_str(lxm_buf_t *b, const char *s)
{
    if (!s)
        s_head(b, 0xc0, 0, 0);
    else
        s_pack_strn(b, s, strlen(s));
}

/* An integral value that fits an int64 goes out as an integer (18000, not 18000.0),
 * so every consumer sees counts as counts; rates like 99.11 stay doubles. */
static void s_pack_number(lxm_buf_t *b, double v)
{
    if (isfinite(v) && v == floor(v) && v >= -9.2e18 && v <= 9.2e18) {
        s_pack_int(b, (int64_t)v);
        return;
    }
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    s_head(b, 0xcb, bits, 8);
}

void lxm_record_pack(const lxm_record_t *self, lxm_buf_t *out)
{
    assert(self && out);
    lxm_buf_t *b = out;
    /* most of a record is its fact clauses: one reservation for the lot */
    lxm_buf_reserve(b, 512 + self->n_facts * 320 + self->n_sections * 96);

    s_pack_map(b, 13);
    s_pack_key(b, "id");
    s_pack_str(b, self->id);
    s_pack_key(b, "source");
    s_pack_str(b, self->source);
    s_pack_key(b, "title");
    s_pack_str(b, self->title);

    s_pack_key(b, "unit");
    s_pack_map(b, 8);
    s_pack_key(b, "name");
    s_pack_str(b, self->unit.name);
    s_pack_key(b, "level");
    s_pack_str(b, self->unit.level);
    s_pack_key(b, "code");
    s_pack_str(b, self->unit.code);
    s_pack_key(b, "county");
    s_pack_str(b, self->unit.county);
    s_pack_key(b, "city");
    s_pack_str(b, self->unit.city);
    s_pack_key(b, "province");
    s_pack_str(b, self->unit.province);
    s_pack_key(b, "match");
    s_pack_str(b, self->unit.match);
    s_pack_key(b, "candidates");
    s_pack_int(b, self->unit.candidates);

    s_pack_key(b, "year");
    if (self->year)
        s_pack_int(b, self->year);
    else
        s_head(b, 0xc0, 0, 0);
    s_pack_key(b, "published");
    s_pack_str(b, self->published);
    s_pack_key(b, "issuer");
    s_pack_str(b, self->issuer);

    s_pack_key(b, "sections");
    s_pack_array(b, (uint32_t)self->n_sections);
    for (size_t i = 0; i < self->n_sections; i++) {
        const lxm_section_t *s = &self->sections[i];
        s_pack_map(b, 4);
        s_pack_key(b, "kind");
        s_pack_str(b, s->kind);
        s_pack_key(b, "heading");
        s_pack_str(b, s->heading);
        s_pack_key(b, "start");
        s_pack_uint(b, s->start);
        s_pack_key(b, "end");
        s_pack_uint(b, s->end);
    }

    s_pack_key(b, "facts");
    s_pack_array(b, (uint32_t)self->n_facts);
    for (size_t i = 0; i < self->n_facts; i++) {
        const lxm_fact_t *f = &self->facts[i];
        s_pack_map(b, 7);
        s_pack_key(b, "key");
        s_pack_str(b, f->key);
        s_pack_key(b, "value");
        s_pack_number(b, f->value);
        s_pack_key(b, "unit");
        s_pack_str(b, f->unit);
        s_pack_key(b, "approx");
        s_head(b, f->approx ? 0xc3 : 0xc2, 0, 0);
        s_pack_key(b, "qual");
        s_pack_str(b, f->qual);
        s_pack_key(b, "text");
        s_pack_str(b, f->text);
        s_pack_key(b, "start");
        s_pack_uint(b, f->start);
    }

    s_pack_key(b, "people");
    s_pack_array(b, (uint32_t)self->n_people);
    for (size_t i = 0; i < self->n_people; i++) {
        s_pack_map(b, 2);
        s_pack_key(b, "name");
        s_pack_str(b, self->people[i].name);
        s_pack_key(b, "role");
        s_pack_str(b, self->people[i].role);
    }

    s_pack_key(b, "warnings");
    s_pack_array(b, (uint32_t)self->n_warnings);
    for (size_t i = 0; i < self->n_warnings; i++)
        s_pack_str(b, self->warnings[i]);

    s_pack_key(b, "stats");
    s_pack_map(b, 4);
    s_pack_key(b, "bytes");
    s_pack_uint(b, self->stats.bytes);
    s_pack_key(b, "encoding");
    s_pack_str(b, self->stats.encoding);
    s_pack_key(b, "boilerplate_bytes");
    s_pack_uint(b, self->stats.boilerplate_bytes);
    s_pack_key(b, "text_bytes");
    s_pack_uint(b, self->stats.text_bytes);

    s_pack_key(b, "parser");
    s_pack_str(b, self->parser);
}

/* ---- check --------------------------------------------------------------------- */

/* The check walks the msgpack bytes once, without building objects: the collector runs
 * it on every record it receives, and unpacking a record into a msgpack-c object tree
 * cost more than the rest of a put. lxm_mpack_scan has already proved the bytes one
 * complete, well-formed value whose counts fit; the walker still checks its bounds. */

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

/* What a field's value holds beyond its type. */
typedef enum {
    SUB_NONE,
    SUB_MAP,         /* a map checked against SUB */
    SUB_MAPS,        /* an array of maps checked against SUB */
    SUB_STRS,        /* an array of strings */
} s_sub_t;

typedef struct s_field_t s_field_t;
struct s_field_t {
    const char *key;
    size_t len;
    s_type_t type;
    bool required;
    s_sub_t sub;
    const s_field_t *fields; /* SUB_MAP, SUB_MAPS: the nested fields */
    size_t n;
    const char *what;        /* SUB_MAP, SUB_MAPS: the reason when an element is not a map */
    size_t capture_at;       /* SUB_MAP: where its fields' values are captured, after the
                                parent's slots (0: not captured) */
};

static bool s_is_type(const lxm_mpack_val_t *v, s_type_t t)
{
    switch (t) {
    case T_STR: return v->kind == LXM_MPACK_STR;
    case T_STR_NIL: return v->kind == LXM_MPACK_STR || v->kind == LXM_MPACK_NIL;
    case T_UINT: return v->kind == LXM_MPACK_UINT;
    case T_NUM: return v->kind == LXM_MPACK_UINT || v->kind == LXM_MPACK_NINT || v->kind == LXM_MPACK_FLOAT;
    case T_BOOL: return v->kind == LXM_MPACK_BOOL;
    case T_YEAR: return v->kind == LXM_MPACK_NIL || (v->kind == LXM_MPACK_UINT && v->u >= 1 && v->u <= 9999);
    case T_MAP: return v->kind == LXM_MPACK_MAP;
    case T_ARRAY: return v->kind == LXM_MPACK_ARRAY;
    }
    return false;
}

static int s_check_map(lxm_mpack_reader_t *r, const lxm_mpack_val_t *head, const s_field_t *fields, size_t n,
                       const char *what, lxm_mpack_val_t *captured, int depth, const char **why);

/* Checks the nested content of field F whose value head V was just read. */
static int s_check_sub(lxm_mpack_reader_t *r, const s_field_t *f, const lxm_mpack_val_t *v, lxm_mpack_val_t *captured,
                       int depth, const char **why)
{
    switch (f->sub) {
    case SUB_NONE:
        break;
    case SUB_MAP:
        return s_check_map(r, v, f->fields, f->n, f->what, captured, depth + 1, why);
    case SUB_MAPS:
        for (uint32_t i = 0; i < v->n; i++) {
            lxm_mpack_val_t e;
            if (!lxm_mpack_read(r, &e)) {
                *why = "record is not well-formed msgpack";
                return -1;
            }
            if (s_check_map(r, &e, f->fields, f->n, f->what, NULL, depth + 2, why) != 0)
                return -1;
        }
        return 0;
    case SUB_STRS:
        for (uint32_t i = 0; i < v->n; i++) {
            lxm_mpack_val_t e;
            if (!lxm_mpack_read(r, &e) || !lxm_mpack_skip(r, &e, depth + 2)) {
                *why = "record is not well-formed msgpack";
                return -1;
            }
            if (e.kind != LXM_MPACK_STR) {
                *why = "a warning is not a string";
                return -1;
            }
        }
        return 0;
    }
    if (!lxm_mpack_skip(r, v, depth + 1)) {
        *why = "record is not well-formed msgpack";
        return -1;
    }
    return 0;
}

/* Checks the map whose head HEAD was just read against FIELDS: every key a string, no
 * known key twice, known keys of their type, required keys present. Unknown keys are
 * allowed (and passed over) so that a newer worker's extra fields do not make an older
 * collector drop records. CAPTURED (one slot per field, or NULL) gets each known
 * field's value head, and a SUB_MAP field's own fields at its capture_at. */
static int s_check_map(lxm_mpack_reader_t *r, const lxm_mpack_val_t *head, const s_field_t *fields, size_t n,
                       const char *what, lxm_mpack_val_t *captured, int depth, const char **why)
{
    if (head->kind != LXM_MPACK_MAP) {
        *why = what;
        return -1;
    }
    if (depth >= LXM_MPACK_MAX_DEPTH) {
        *why = "record is nested too deeply";
        return -1;
    }
    uint32_t seen = 0;
    assert(n <= 32);
    for (uint32_t i = 0; i < head->n; i++) {
        lxm_mpack_val_t k, v;
        if (!lxm_mpack_read(r, &k)) {
            *why = "record is not well-formed msgpack";
            return -1;
        }
        if (k.kind != LXM_MPACK_STR) {
            *why = "a map key is not a string";
            return -1;
        }
        if (!lxm_mpack_read(r, &v)) {
            *why = "record is not well-formed msgpack";
            return -1;
        }
        size_t f = 0;
        while (f < n && (k.n != fields[f].len || memcmp(k.s, fields[f].key, k.n) != 0))
            f++;
        if (f == n) {
            if (!lxm_mpack_skip(r, &v, depth + 1)) {
                *why = "record is not well-formed msgpack";
                return -1;
            }
            continue;
        }
        if (seen & (1u << f)) {
            *why = "a key appears twice";
            return -1;
        }
        seen |= 1u << f;
        if (!s_is_type(&v, fields[f].type)) {
            *why = "a field has the wrong type";
            return -1;
        }
        if (captured)
            captured[f] = v;
        lxm_mpack_val_t *child = captured && fields[f].capture_at ? captured + fields[f].capture_at
                                                          : NULL;
        if (s_check_sub(r, &fields[f], &v, child, depth, why) != 0)
            return -1;
    }
    for (size_t f = 0; f < n; f++)
        if (fields[f].required && !(seen & (1u << f))) {
            *why = "a required field is missing";
            return -1;
        }
    return 0;
}

#define S_N(a) (sizeof(a) / sizeof((a)[0]))
#define S_F(key, type, required) {key, sizeof(key) - 1, type, required, SUB_NONE, NULL, 0, NULL, 0}

static const s_field_t s_unit_fields[] = {
    S_F("name", T_STR_NIL, false),  S_F("level", T_STR_NIL, false),
    S_F("code", T_STR_NIL, false),  S_F("county", T_STR_NIL, false),
    S_F("city", T_STR_NIL, false),  S_F("province", T_STR_NIL, false),
    S_F("match", T_STR_NIL, false), S_F("candidates", T_UINT, false),
};
enum { U_NAME, U_LEVEL, U_CODE, U_COUNTY, U_CITY, U_PROVINCE };
static const s_field_t s_section_fields[] = {
    S_F("kind", T_STR, true),
    S_F("heading", T_STR_NIL, false),
    S_F("start", T_UINT, true),
    S_F("end", T_UINT, true),
};
static const s_field_t s_fact_fields[] = {
    S_F("key", T_STR_NIL, false), S_F("value", T_NUM, true),     S_F("unit", T_STR_NIL, false),
    S_F("approx", T_BOOL, false), S_F("qual", T_STR_NIL, false), S_F("text", T_STR_NIL, false),
    S_F("start", T_UINT, false),
};
static const s_field_t s_person_fields[] = {
    S_F("name", T_STR, true),
    S_F("role", T_STR_NIL, false),
};
static const s_field_t s_stats_fields[] = {
    S_F("bytes", T_UINT, false),
    S_F("encoding", T_STR_NIL, false),
    S_F("boilerplate_bytes", T_UINT, false),
    S_F("text_bytes", T_UINT, false),
};
#define S_N_RECORD 13
/* The unit's fields are captured (for the store's indexes) after the record's 13. */
static const s_field_t s_record_fields[S_N_RECORD] = {
    S_F("id", T_STR, true),
    S_F("source", T_STR, true),
    S_F("title", T_STR_NIL, false),
    {"unit", 4, T_MAP, true, SUB_MAP, s_unit_fields, S_N(s_unit_fields), "unit is not a map",
     S_N_RECORD},
    S_F("year", T_YEAR, false),
    S_F("published", T_STR_NIL, false),
    S_F("issuer", T_STR_NIL, false),
    {"sections", 8, T_ARRAY, true, SUB_MAPS, s_section_fields, S_N(s_section_fields),
     "a section is not a map", 0},
    {"facts", 5, T_ARRAY, true, SUB_MAPS, s_fact_fields, S_N(s_fact_fields),
     "a fact is not a map", 0},
    {"people", 6, T_ARRAY, false, SUB_MAPS, s_person_fields, S_N(s_person_fields),
     "a person is not a map", 0},
    {"warnings", 8, T_ARRAY, false, SUB_STRS, NULL, 0, NULL, 0},
    {"stats", 5, T_MAP, false, SUB_MAP, s_stats_fields, S_N(s_stats_fields),
     "stats is not a map", 0},
    S_F("parser", T_STR_NIL, false),
};
enum { R_ID, R_SOURCE, R_TITLE, R_UNIT, R_YEAR };

int lxm_record_check(const void *bytes, size_t len, lxm_record_keys_t *keys, const char **why)
{
    const char *dummy;
    if (!why)
        why = &dummy;
    if (!bytes || len == 0) {
        *why = "empty record";
        return -1;
    }
    /* the walk is bounds-checked itself; no separate scan of the bytes first */
    lxm_mpack_reader_t r;
    lxm_mpack_reader_init(&r, bytes, len);
    lxm_mpack_val_t cap[S_N_RECORD + S_N(s_unit_fields)]; /* the record's fields, then the unit's */
    memset(cap, 0, sizeof cap);
    lxm_mpack_val_t root;
    if (!lxm_mpack_read(&r, &root)) {
        *why = "record is not well-formed msgpack";
        return -1;
    }
    if (s_check_map(&r, &root, s_record_fields, S_N(s_record_fields), "record is not a map",
                    cap, 0, why) != 0)
        return -1;
    /* what every reader of the store can unpack: one value, at most so many in all */
    if (!lxm_mpack_at_end(&r)) {
        *why = "trailing bytes after the msgpack value";
        return -1;
    }
    if (r.values > LXM_MPACK_MAX_VALUES) {
        *why = "too many msgpack values";
        return -1;
    }
    const lxm_mpack_val_t *id = &cap[R_ID];
    if (id->n != LXM_ID_HEX) {
        *why = "id is not 40 hex characters";
        return -1;
    }
    for (uint32_t i = 0; i < LXM_ID_HEX; i++) {
        char c = id->s[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            *why = "id is not lowercase hex";
            return -1;
        }
    }
    if (keys) {
        const lxm_mpack_val_t *unit = cap + S_N_RECORD;
        memset(keys, 0, sizeof *keys);
        keys->id = id->s;
        keys->id_len = id->n;
        keys->source = cap[R_SOURCE].s;
        keys->source_len = cap[R_SOURCE].n;
        if (unit[U_CODE].kind == LXM_MPACK_STR) {
            keys->unit_code = unit[U_CODE].s;
            keys->unit_code_len = unit[U_CODE].n;
        }
        if (unit[U_NAME].kind == LXM_MPACK_STR) {
            keys->unit_name = unit[U_NAME].s;
            keys->unit_name_len = unit[U_NAME].n;
        }
        if (unit[U_PROVINCE].kind == LXM_MPACK_STR) {
            keys->province = unit[U_PROVINCE].s;
            keys->province_len = unit[U_PROVINCE].n;
        }
        if (cap[R_YEAR].kind == LXM_MPACK_UINT)
            keys->year = (int)cap[R_YEAR].u;
    }
    return 0;
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
