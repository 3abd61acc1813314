/* lxm_facts: every quantity in the body as a SPEC fact, keyed by the indicator rules.
 *
 * The rules are data (data/indicators.rules, embedded; another file may be given),
 * compiled with PCRE2 JIT once; a new indicator is a new row, not new C. The scan is one
 * pass over the text: find a number (Arabic, full-width, Chinese numerals, 万/亿,
 * decimals, percentages, 百分之…) followed by a measure word, drop the non-facts of SPEC
 * (years, dates, ordinals, quoted slogans, codes, phone numbers, idioms), take the clause,
 * and only then run the key rules on that clause.
 *
 * Promises: lxm_rules_t is read-only after load and may be shared between threads;
 * lxm_facts_t is per thread. Never crashes on any text. */
#ifndef LXM_FACTS_H
#define LXM_FACTS_H
#include <stdbool.h>
#include <stddef.h>
#include "lxm_record.h"

typedef struct lxm_rules_t lxm_rules_t;
typedef struct lxm_facts_t lxm_facts_t;

/* Compiles rules text (the format is documented at the top of data/indicators.rules).
 * Returns NULL and *error (malloc'ed, naming the line) when a rule does not compile. */
lxm_rules_t *lxm_rules_load(const char *text, size_t len, char **error);
void lxm_rules_destroy(lxm_rules_t **self_p);
/* Short hex digest of the rules text, for the record's parser field. */
const char *lxm_rules_digest(const lxm_rules_t *self);

lxm_facts_t *lxm_facts_new(const lxm_rules_t *rules);
void lxm_facts_destroy(lxm_facts_t **self_p);

/* Appends to REC the facts found in TEXT[body_start, len). Returns how many. */
size_t lxm_facts_extract(lxm_facts_t *self, const char *text, size_t len, size_t body_start,
                         lxm_record_t *rec);
/* Where the text given to the last lxm_facts_extract holds its first traditional
 * character (one lxm_trad_simplify maps): its byte offset, or the text's length when it
 * holds none; SIZE_MAX when that call looked at nothing. The scan reads every character
 * anyway, so the answer costs the unit resolution a pass over the text. */
size_t lxm_facts_traditional_at(const lxm_facts_t *self);

/* Parses a number at S (Arabic, full-width, Chinese numerals, with 万/亿, decimals).
 * Returns true with *value and *consumed (bytes) when S starts with a number. */
bool lxm_number_parse(const char *s, size_t n, double *value, size_t *consumed);

#endif
