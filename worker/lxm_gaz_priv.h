/* lxm_gaz_priv: the gazetteer's table layout, shared by lxm_gazetteer.c (loading,
 * lookups) and lxm_unit.c (resolution). Not part of the public contract.
 *
 * Promises: every unit (province, city, county, town) is one row of `units`, in that
 * order of kinds; rows name their parents by row index. Every name a unit is known by
 * (its full name, and for counties / cities / provinces its name without the suffix)
 * is one `group` (distinct key) holding the rows that carry it. Strings live in `pool`,
 * NUL-terminated. Everything is read-only after lxm_gazetteer_load. */
#ifndef LXM_GAZ_PRIV_H
#define LXM_GAZ_PRIV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lxm_buf.h"
#include "lxm_gazetteer.h"

typedef enum { LXM_GK_PROVINCE, LXM_GK_CITY, LXM_GK_COUNTY, LXM_GK_TOWN } lxm_gaz_kind_t;

/* Levels as SPEC names them; the index is what rows store. */
typedef enum {
    LXM_LV_ZHEN, LXM_LV_XIANG, LXM_LV_JIEDAO, LXM_LV_XIAN, LXM_LV_QU, LXM_LV_SHI,
    LXM_LV_SHENG, LXM_LV_OTHER, LXM_LV_DEPT
} lxm_gaz_level_t;
extern const char *const lxm_gaz_level_names[];

typedef struct {
    uint32_t code;      /* pool offset of the code digits */
    uint32_t name;      /* pool offset of the name */
    uint16_t name_len;  /* bytes */
    uint8_t kind;       /* lxm_gaz_kind_t */
    uint8_t level;      /* lxm_gaz_level_t */
    int32_t county;     /* row of the county-level unit (itself for a county), -1 above */
    int32_t city;       /* row of the prefecture, -1 when none (directly administered) */
    int32_t province;   /* row of the province (itself for a province) */
    uint32_t disp_city; /* pool offset of the city name to report (municipality name for
                           北京 天津 上海 重庆), UINT32_MAX for none */
} lxm_gaz_row_t;

typedef struct {
    uint32_t row;      /* unit row */
    uint32_t stripped; /* 1 when the key is the name without its suffix */
} lxm_gaz_entry_t;

/* Group flags. */
#define LXM_GF_TOWN      0x01 /* a 镇 / 乡 / 街道 carries this full name */
#define LXM_GF_TOWN_ODD  0x02 /* another township-level unit (农场, 开发区...) carries it */
#define LXM_GF_UPPER     0x04 /* a county, city or province carries it as full name */
#define LXM_GF_STRIPPED  0x08 /* a county, city or province carries it without suffix */
#define LXM_GF_GENERIC   0x10 /* 城区 郊区 街道: a common word too, never context */
#define LXM_GF_URBAN     0x20 /* 老城区 城西区 市中区: a common word too, never context, but
                                 may open a report's text as its unit */

/* A slot of the prefix hash: the prefix's 6 bytes (as lxm_gaz_prefix64 reads them) and
 * its run of candidates, so one cache line settles a probe. */
typedef struct {
    uint64_t prefix;
    uint32_t start;    /* first candidate in `cands` */
    uint32_t count;    /* candidates; 0 = empty slot */
} lxm_gaz_pslot_t;

/* A group as a scan compares it, without touching the group or the pool until the
 * third character agrees. */
typedef struct {
    uint32_t group;
    uint16_t key_len;  /* bytes */
    uint16_t flags;    /* LXM_GF_* */
    uint32_t third;    /* key bytes 6..8 (as lxm_gaz_third reads them), when key_len >= 9 */
} lxm_gaz_cand_t;

typedef struct {
    uint32_t key;      /* pool offset of the name */
    uint16_t key_len;  /* bytes */
    uint16_t flags;    /* LXM_GF_* */
    uint32_t first;    /* first entry in `entries` */
    uint32_t count;    /* entries */
} lxm_gaz_group_t;

struct lxm_gazetteer_t {
    char *pool;                /* every string, NUL-terminated */
    size_t pool_len, pool_cap;
    lxm_gaz_row_t *units;      /* provinces, cities, counties, towns */
    size_t n_units;
    size_t first[4], count[4]; /* row range of each lxm_gaz_kind_t */
    lxm_gaz_entry_t *entries;  /* grouped by key */
    size_t n_entries;
    lxm_gaz_group_t *groups;
    size_t n_groups;
    uint32_t *slots;           /* open-addressing hash: group index + 1, 0 = empty */
    size_t slot_mask;
    uint32_t *by_prefix;       /* group indices sorted by first 6 bytes, longest first */
    lxm_gaz_cand_t *cands;     /* the same groups, what a scan compares, in that order */
    size_t n_prefixes;
    lxm_gaz_pslot_t *pslots;   /* hash of the distinct 6-byte prefixes (count 0 = empty) */
    size_t pslot_mask;
    uint16_t *trad;            /* U+4E00..U+9FFF -> simplified code point, 0 = same */
    uint64_t *trad_bits;       /* U+4E00..U+9FFF: one bit per character trad maps */
    uint64_t *pfilter;         /* one bit per hashed 6-byte prefix of any key: most places
                                  of a text start no name and are rejected here, in a
                                  64 KB table, before the prefix hash is probed */
    uint64_t *pfilter2;        /* the same with other bits of the hash: of the places the
                                  first table lets through, most are false hits, and a
                                  probe of the prefix hash costs a cache miss or two */
};

#define LXM_GAZ_PFILTER_BITS 19 /* 2^19 bits: ~5% false hits for the ~25,000 prefixes */

/* The 6 bytes at S as one number (S must have 6 readable bytes). */
static inline uint64_t lxm_gaz_prefix64(const char *s)
{
    uint32_t a;
    uint16_t b;
    __builtin_memcpy(&a, s, 4);
    __builtin_memcpy(&b, s + 4, 2);
    return (uint64_t)b << 32 | a;
}

/* The 3 bytes at S as one number (S must have 3 readable bytes). */
static inline uint32_t lxm_gaz_third(const char *s)
{
    return (uint32_t)(unsigned char)s[0] | (uint32_t)(unsigned char)s[1] << 8 |
           (uint32_t)(unsigned char)s[2] << 16;
}

/* The filter bit of the 6 bytes at S (S must have 6 readable bytes). */
static inline uint32_t lxm_gaz_pfilter_bit(const char *s)
{
    uint64_t x = lxm_gaz_prefix64(s) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> (64 - LXM_GAZ_PFILTER_BITS));
}

/* The second filter's bit: other bits of the same product. */
static inline uint32_t lxm_gaz_pfilter_bit2(const char *s)
{
    uint64_t x = lxm_gaz_prefix64(s) * 0x9E3779B97F4A7C15ull;
    return (uint32_t)(x >> (64 - 2 * LXM_GAZ_PFILTER_BITS)) & ((1u << LXM_GAZ_PFILTER_BITS) - 1);
}

/* False when no key starts with the 6 bytes at S (both filters). */
static inline bool lxm_gaz_may_prefix(const lxm_gazetteer_t *self, const char *s)
{
    uint64_t x = lxm_gaz_prefix64(s) * 0x9E3779B97F4A7C15ull;
    uint32_t b1 = (uint32_t)(x >> (64 - LXM_GAZ_PFILTER_BITS));
    uint32_t b2 = (uint32_t)(x >> (64 - 2 * LXM_GAZ_PFILTER_BITS)) &
                  ((1u << LXM_GAZ_PFILTER_BITS) - 1);
    return ((self->pfilter[b1 >> 6] >> (b1 & 63)) & (self->pfilter2[b2 >> 6] >> (b2 & 63)) & 1) != 0;
}

/* Offset of the first character of S[0..LEN) that lxm_gaz_normalize would change, or
 * LEN when there is none (the text can then be used as it is). */
size_t lxm_gaz_first_traditional(const lxm_gazetteer_t *self, const char *s, size_t len);

/* Maps the traditional characters of S[0..LEN) to simplified in place (the mapping of
 * lxm_gaz_normalize, same byte length), without a loaded gazetteer: for the fact
 * rules, written in simplified characters. Thread-safe. */
void lxm_trad_simplify(char *s, size_t len);
/* lxm_gaz_first_traditional without a loaded gazetteer. */
size_t lxm_trad_first(const char *s, size_t len);
/* CP is a character lxm_trad_simplify maps. */
bool lxm_trad_char(uint32_t cp);

/* Group of the exact key S[0..LEN), or -1. */
long lxm_gaz_lookup(const lxm_gazetteer_t *self, const char *s, size_t len);
/* Longest group whose key starts at S[0..AVAIL) and whose flags intersect WANT and do
 * not intersect AVOID; -1 when none. */
long lxm_gaz_longest(const lxm_gazetteer_t *self, const char *s, size_t avail,
                     unsigned want, unsigned avoid);
/* Every group lxm_gaz_longest could return at S, longest first, at most MAX of them
 * into OUT; returns how many. */
size_t lxm_gaz_matches(const lxm_gazetteer_t *self, const char *s, size_t avail,
                       unsigned want, unsigned avoid, long *out, size_t max);
/* Appends IN with traditional characters mapped to simplified (same byte length). */
void lxm_gaz_normalize(const lxm_gazetteer_t *self, const char *in, size_t len,
                       lxm_buf_t *out);

/* Fills OUT with borrowed strings of unit ROW. */
void lxm_gaz_fill(const lxm_gazetteer_t *self, size_t row, lxm_gaz_unit_t *out);

static inline const char *lxm_gaz_str(const lxm_gazetteer_t *self, uint32_t off)
{
    return self->pool + off;
}

#endif
