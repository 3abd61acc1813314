/* lxm_gen: a deterministic, labelled corpus of synthetic 法治政府建设年度报告.
 *
 * Promises:
 *  - Same config (n, seed, mix) -> byte-identical files and gold, on any machine: the
 *    generator uses its own PRNG (splitmix64 / xoshiro256**), never rand(), and never
 *    reads the clock, the locale or the environment while generating.
 *  - Writes N documents into OUT_DIR/0000/, OUT_DIR/0001/, ... (at most 1,000 per folder)
 *    and OUT_DIR/gold.jsonl, one JSON label per document in the format of the shared
 *    corpus/gold.jsonl: file (relative to OUT_DIR), kind ("report" | "nonreport"), title,
 *    unit {name, level, code, county, city, province}, year, published, issuer, sections
 *    (kinds in order), people [{name, role}], facts [{text, value, unit, key, approx}]
 *    and accept_null where the text alone cannot decide the unit; plus "container"
 *    (text chrome html gb18030 notice news binary empty), which the scorer ignores.
 *  - Document I depends only on (seed, I): a larger N starts with the smaller corpus.
 *  - Units are real: they come from the embedded gazetteer (data/lxm_data.h): towns,
 *    乡 and 民族乡, 街道 (about a third of them sharing their name; half of those named
 *    with just enough county / city / province to decide, half with none, labelled
 *    code null and accept_null), counties and districts, prefecture cities, provinces,
 *    and county or city departments (level 部门, the code of their government).
 *  - Every quantity written is labelled, as the brief for the parser cuts it: text from
 *    after the last ，,。；;：: before the number to the measure word (and 以上 / 左右);
 *    the non-facts of SPEC (years, dates, ordinals, quoted slogans, codes, phone
 *    numbers, idioms, numerals inside place names) are written and not labelled.
 *  - Texts come from this module's own templates and phrase tables; containers are raw
 *    UTF-8 text, HTML pages with chrome, GB18030 bytes, and a few non-reports.
 *  - lxm_gen_write returns 0, or -1 with *error (malloc'ed, caller frees). */
#ifndef LXM_GEN_H
#define LXM_GEN_H
#include <stdint.h>
#include <stdio.h>

typedef struct {
    uint64_t n;        /* documents to write */
    uint64_t seed;     /* PRNG seed: same seed and n -> same bytes */
    int progress;      /* nonzero: a progress line on stderr every so often */
    int custom_mix;    /* 0: the default mix (~60% text, 20% HTML, 10% GB18030, 3%
                          non-reports, the rest text variants); nonzero: the three below */
    int pct_html;      /* percent of HTML pages */
    int pct_gb18030;   /* percent of GB18030-encoded files */
    int pct_nonreport; /* percent of non-reports */
} lxm_gen_config_t;

/* What a run wrote (filled by lxm_gen_write_stats when STATS is not NULL). */
typedef struct {
    uint64_t files;    /* documents written */
    uint64_t bytes;    /* bytes of documents written (gold excluded) */
    uint64_t facts;    /* facts labelled */
    uint64_t html, gb18030, nonreport, text; /* per container */
} lxm_gen_stats_t;

/* Writes the corpus. OUT_DIR is created when missing. Returns 0 or -1 with *error. */
int lxm_gen_write(const lxm_gen_config_t *cfg, const char *out_dir, char **error);

/* Same, and fills STATS (may be NULL). */
int lxm_gen_write_stats(const lxm_gen_config_t *cfg, const char *out_dir,
                        lxm_gen_stats_t *stats, char **error);

#endif
