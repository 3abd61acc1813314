/* lxm_structure: the shape of a cleaned report: its title, the year it is about, its
 * top-level sections (kind and byte span), the officials it names, and where its body
 * starts (the facts scanner starts there).
 *
 * Promises: pure functions of the text, no allocation kept between calls; never crash on
 * any text (offsets always lie within it); results go into the record through the
 * lxm_record_* appenders, so the record owns them. */
#ifndef LXM_STRUCTURE_H
#define LXM_STRUCTURE_H
#include <stdbool.h>
#include <stddef.h>
#include "lxm_record.h"

typedef struct {
    size_t body_start; /* first byte after the title lines (0 when there is no title) */
    size_t title_start, title_end; /* span of the title lines, both 0 when none */
} lxm_structure_t;

/* Fills REC's title, year, sections and people from TEXT (the cleaned text) and adds
 * warnings (no year, mangled date). META_TITLE (the page's <title> / ArticleTitle, may be
 * NULL) is the fallback when the text carries no title line. */
void lxm_structure_analyse(const char *text, size_t len, const char *meta_title,
                           lxm_record_t *rec, lxm_structure_t *out);

/* Kind of a top-level heading: "measures" "shortcomings" "leadership" "plan" or
 * "other" (static strings). REPORT_YEAR (0 = unknown) makes a later year a plan;
 * SEEN_LATE says a shortcomings / plan section came before (an unclassified heading
 * is then "other", not "measures"). */
const char *lxm_heading_kind(const char *heading, size_t len, int report_year,
                             bool seen_late);

/* The year the text names at P ("2024年", "2024年度", "二〇二四年"), or 0. Sets
 * *consumed to the bytes of the number (not 年). */
int lxm_year_at(const char *p, size_t n, size_t *consumed);

#endif
