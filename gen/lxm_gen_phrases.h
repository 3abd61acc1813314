/* lxm_gen_phrases: the phrase tables the corpus generator composes reports from
 * (private to gen/).
 *
 * Promises: every table is static, read-only data. Filler strings hold no quantity
 * (no number followed by a measure word) except the non-facts SPEC names, which live in
 * lxm_gen_nonfacts only. Strings are written with full-width punctuation; the generator
 * may switch a document to half-width commas. Placeholders expanded by the generator:
 *   {S}  the unit's own short word (镇 乡 街道 县 区 市 局): 我{S}, 全{S}
 *   {P}  the parent government's short word (县 区 市): 在{P}委、{P}政府
 *   {Y}  the report year, {N} the next year
 *   {U}  the unit as named in the document
 *   {C}  the full name of the unit's county (only where naming it is allowed) */
#ifndef LXM_GEN_PHRASES_H
#define LXM_GEN_PHRASES_H
#include <stddef.h>

/* How a fact's number may be written. */
enum {
    LXM_GF_COUNT = 0, /* a count: Arabic, full-width, Chinese numerals, 余 多 左右 约 近 */
    LXM_GF_BIG,       /* a count that may be large: also 1.8万 */
    LXM_GF_PCT,       /* a percentage: 99.5%, 100%, 百分之九十五, 以上 */
    LXM_GF_MONEY,     /* an amount in 万元 */
    LXM_GF_PLAIN      /* a count with no qualifier (3个百分点) */
};

/* One way a report states one indicator: BEFORE, the quantity, AFTER, in one clause. */
typedef struct {
    const char *key;    /* SPEC indicator key; "" for a quantity no key fits; "~trend"
                           for a keyless change written only right after another fact */
    const char *before; /* clause text before the number (no separator, no number) */
    const char *units;  /* measure words allowed, space-separated ("%" for LXM_GF_PCT) */
    int lo, hi;         /* value range (percent: lo..hi, 100 common) */
    int form;           /* LXM_GF_* */
    const char *after;  /* rest of the clause after the quantity, may be "" */
} lxm_gen_fact_t;

/* A theme of work: subsection headings, filler clauses, and the keys it reports. */
typedef struct {
    const char *headings[6]; /* subsection heading texts (no number), NULL-terminated */
    const char *fillers[10]; /* clauses with no quantity, NULL-terminated */
    const char *keys[10];    /* indicator keys ("" = a keyless quantity), NULL-terminated */
} lxm_gen_topic_t;

extern const lxm_gen_fact_t lxm_gen_facts[];
extern const size_t lxm_gen_n_facts;
extern const lxm_gen_topic_t lxm_gen_topics[];
extern const size_t lxm_gen_n_topics;

/* NULL-terminated string lists. */
extern const char *const lxm_gen_h_measures[];     /* top-level heading texts per kind */
extern const char *const lxm_gen_h_themed[];       /* themed top-level measures headings */
extern const char *const lxm_gen_h_shortcomings[];
extern const char *const lxm_gen_h_leadership[];
extern const char *const lxm_gen_h_plan[];
extern const char *const lxm_gen_h_plan_bare[];    /* unnumbered last heading */
extern const char *const lxm_gen_h_other[];
extern const char *const lxm_gen_openers[];        /* preamble sentences */
extern const char *const lxm_gen_openers_named[];  /* preambles naming the county {C} */
extern const char *const lxm_gen_closers[];        /* end of the preamble */
extern const char *const lxm_gen_nonfacts[];       /* clauses with SPEC non-facts only */
extern const char *const lxm_gen_short_items[];    /* shortcomings items */
extern const char *const lxm_gen_short_causes[];
extern const char *const lxm_gen_lead_fillers[];   /* leadership clauses */
extern const char *const lxm_gen_lead_headings[];
extern const char *const lxm_gen_plan_items[];
extern const char *const lxm_gen_other_items[];
extern const char *const lxm_gen_surnames[];
extern const char *const lxm_gen_given[];          /* one-character given-name parts */
extern const char *const lxm_gen_departments[];
extern const char *const lxm_gen_lead_titles[];    /* 党委书记 ... with {S} */

size_t lxm_gen_count(const char *const *list);

#endif
