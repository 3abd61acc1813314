/* lxm_record: the report record of SPEC (the contract with every downstream consumer),
 * in memory and on the wire.
 *
 * Promises:
 *  - lxm_record_t holds one record; every string it points to is owned by the record
 *    (set them with lxm_xstrdup or the lxm_record_add_* helpers) and freed by
 *    lxm_record_reset / lxm_record_destroy.
 *  - lxm_record_pack writes the record as one msgpack map whose keys and shapes are the
 *    JSON field names of SPEC (null for absent strings, year 0 -> null). That msgpack is
 *    what workers send, the collector stores and consumers receive.
 *  - lxm_record_check validates msgpack from the outside world without trusting it: it
 *    never crashes on any bytes and says why a record is refused.
 *  - lxm_mpack_to_json turns any stored record (any msgpack value) into one line of JSON. */
#ifndef LXM_RECORD_H
#define LXM_RECORD_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lxm_buf.h"

#define LXM_ID_HEX 40 /* hex characters of a content id (SHA-1 of the cleaned text) */

typedef struct {
    char *key;      /* indicator key ("study.sessions") or NULL when none fits */
    double value;   /* the quantity, multipliers applied (1.8万 -> 18000) */
    char *unit;     /* measure word as written ("人次"), or "%" */
    bool approx;    /* qualified by 余 多 左右 约 近 以上 ... */
    char *qual;     /* the qualifier word, NULL when !approx */
    char *text;     /* the clause the number stands in */
    uint32_t start; /* byte offset of the clause in the cleaned text */
} lxm_fact_t;

typedef struct {
    char *kind;     /* measures | shortcomings | leadership | plan | other */
    char *heading;  /* the heading line as written */
    uint32_t start; /* byte offset of the heading in the cleaned text */
    uint32_t end;   /* byte offset where the section ends (next heading or end of text) */
} lxm_section_t;

typedef struct {
    char *name; /* 王立春 */
    char *role; /* 组长, or NULL */
} lxm_person_t;

typedef struct {
    char *name;     /* gazetteer's simplified name (新桥镇), or the name as found, or NULL */
    char *level;    /* 镇 乡 街道 县 区 市 省 部门 其他, or NULL */
    char *code;     /* statistical division code at its level, NULL when not certain */
    char *county;   /* county-level unit name, NULL above that level */
    char *city;     /* prefecture-level city name (municipality name for 北京 天津 上海 重庆) */
    char *province; /* province name */
    char *match;    /* unique | context | ambiguous | unknown */
    int candidates; /* how many gazetteer units fit the name */
} lxm_unit_t;

typedef struct {
    uint64_t bytes;             /* input bytes */
    const char *encoding;       /* "utf-8" or "gb18030" (static string, not owned) */
    uint64_t boilerplate_bytes; /* bytes of page chrome / markup removed */
    uint64_t text_bytes;        /* bytes of cleaned text */
} lxm_stats_t;

typedef struct {
    char *id;           /* hex content id of the cleaned text */
    char *source;       /* the path or URL the client submitted */
    char *title;        /* NULL when the report has none */
    lxm_unit_t unit;
    int year;           /* 0 = unknown (null in JSON) */
    char *published;    /* "YYYY-MM-DD" or NULL */
    char *issuer;       /* or NULL */
    lxm_section_t *sections;
    size_t n_sections, cap_sections;
    lxm_fact_t *facts;
    size_t n_facts, cap_facts;
    lxm_person_t *people;
    size_t n_people, cap_people;
    char **warnings;
    size_t n_warnings, cap_warnings;
    lxm_stats_t stats;
    char *parser;       /* "lexmill VERSION rules:DIGEST" */
} lxm_record_t;

/* Lifecycle. A zero-initialised record is valid and empty. */
lxm_record_t *lxm_record_new(void);
void lxm_record_destroy(lxm_record_t **self_p);
/* Frees everything the record owns and zeroes it for reuse. */
void lxm_record_reset(lxm_record_t *self);

/* Appenders: each copies its string arguments (NULL allowed where the field allows). */
lxm_fact_t *lxm_record_add_fact(lxm_record_t *self, const char *key, double value,
                                const char *unit, bool approx, const char *qual,
                                const char *text, size_t text_len, uint32_t start);
lxm_section_t *lxm_record_add_section(lxm_record_t *self, const char *kind,
                                      const char *heading, size_t heading_len,
                                      uint32_t start, uint32_t end);
void lxm_record_add_person(lxm_record_t *self, const char *name, const char *role);
void lxm_record_add_warning(lxm_record_t *self, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Content id: hex digest (LXM_ID_HEX chars + NUL into out) of the cleaned text. */
void lxm_content_id(const char *text, size_t len, char out[LXM_ID_HEX + 1]);

/* Appends the msgpack form of the record to OUT. */
void lxm_record_pack(const lxm_record_t *self, lxm_buf_t *out);

/* What the collector indexes a record by, read out of its msgpack form. Pointers borrow
 * from the checked buffer; absent fields are NULL / 0. */
typedef struct {
    const char *id; size_t id_len;
    const char *source; size_t source_len;
    const char *unit_code; size_t unit_code_len;
    const char *unit_name; size_t unit_name_len;
    const char *province; size_t province_len;
    int year;
} lxm_record_keys_t;

/* Validates msgpack bytes as a record: a map with a string "id" of LXM_ID_HEX hex chars,
 * a "source" string, a "unit" map, "facts" and "sections" arrays, and the other SPEC
 * fields of the right type when present. Returns 0 and fills KEYS (may be NULL) when
 * valid; returns -1 and sets *why to a static description when not. Never crashes. */
int lxm_record_check(const void *bytes, size_t len, lxm_record_keys_t *keys, const char **why);

/* Appends any msgpack value as JSON (maps with string keys become objects; integral
 * floats print without a fraction). Returns 0, or -1 when BYTES are not one complete
 * msgpack value (nothing useful appended). */
int lxm_mpack_to_json(const void *bytes, size_t len, lxm_buf_t *out);

/* Convenience: record -> one line of JSON (no trailing newline) appended to OUT. */
void lxm_record_to_json(const lxm_record_t *self, lxm_buf_t *out);

#endif
