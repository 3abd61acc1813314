/* lxm_extract: one document in, one record out (see lxm_extract.h).
 *
 * The pipeline: text preparation (decode, HTML, chrome) -> structure (title, year,
 * sections, people) -> facts -> unit resolution against the gazetteer (told by the facts
 * scan where the first traditional character is) -> content id -> stats. Everything that can be built once (gazetteer, compiled rules) is, in
 * lxm_extractor_new; per-document state is reused between calls. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_data.h"
#include "lxm_extract.h"
#include "lxm_facts.h"
#include "lxm_gazetteer.h"
#include "lxm_structure.h"
#include "lxm_text.h"

#define LXM_EXTRACT_VERSION "0.1.0" /* kept equal to LXM_VERSION of the client */

struct lxm_extractor_t {
    lxm_gazetteer_t *gaz;  /* division gazetteer (owned unless shared) */
    lxm_rules_t *rules;    /* compiled indicator rules (owned unless shared) */
    bool owns;             /* this extractor frees gaz and rules */
    lxm_facts_t *facts;    /* per-extractor scanner state */
    lxm_doc_t doc;         /* the last document's prepared text, reused */
    char parser[128];      /* "lexmill VERSION rules:DIGEST" */
};

static lxm_extractor_t *s_finish(lxm_extractor_t *self)
{
    self->facts = lxm_facts_new(self->rules);
    snprintf(self->parser, sizeof self->parser, "lexmill %s rules:%s", LXM_EXTRACT_VERSION,
             lxm_rules_digest(self->rules));
    return self;
}

lxm_extractor_t *lxm_extractor_new(char **error)
{
    char *dummy = NULL;
    if (!error)
        error = &dummy;
    *error = NULL;
    lxm_extractor_t *self = lxm_xcalloc(1, sizeof *self);
    self->owns = true;
    self->gaz = lxm_gazetteer_load(error);
    if (!self->gaz)
        goto err;
    size_t len = 0;
    const char *rules = lxm_data_get("indicators.rules", &len);
    if (!rules) {
        *error = lxm_xstrdup("indicators.rules is not embedded");
        goto err;
    }
    self->rules = lxm_rules_load(rules, len, error);
    if (!self->rules)
        goto err;
    free(dummy);
    return s_finish(self);
err:
    if (error == &dummy)
        free(dummy);
    lxm_extractor_destroy(&self);
    return NULL;
}

lxm_extractor_t *lxm_extractor_new_shared(const lxm_extractor_t *first)
{
    if (!first)
        return NULL;
    lxm_extractor_t *self = lxm_xcalloc(1, sizeof *self);
    self->gaz = first->gaz;
    self->rules = first->rules;
    self->owns = false;
    return s_finish(self);
}

void lxm_extractor_destroy(lxm_extractor_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_extractor_t *self = *self_p;
    lxm_facts_destroy(&self->facts);
    if (self->owns) {
        lxm_gazetteer_destroy(&self->gaz);
        lxm_rules_destroy(&self->rules);
    }
    lxm_doc_reset(&self->doc);
    free(self);
    *self_p = NULL;
}

const char *lxm_extractor_parser(const lxm_extractor_t *self)
{
    return self ? self->parser : "lexmill " LXM_EXTRACT_VERSION;
}

/* Any sign that TEXT is about law-based government or is a report at all. */
static bool s_reportish(const char *text, size_t len)
{
    static const char *const cues[] = {"法治", "依法", "报告", "報告", "法制", "總結", "总结",
                                       "執法", "执法", NULL};
    for (const char *const *c = cues; *c; c++)
        if (memmem(text, len, *c, strlen(*c)))
            return true;
    return false;
}

/* A clause break at I: a line break or clause punctuation (， 。 ； , ;). */
static inline bool s_break_at(const unsigned char *u, size_t len, size_t i)
{
    unsigned char c = u[i];
    if (c == '\n' || c == ',' || c == ';')
        return true;
    if ((c != 0xE3 && c != 0xEF) || i + 2 >= len)
        return false;
    return (c == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82) || /* 。 */
           (c == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x8C || u[i + 2] == 0x9B)); /* ， ； */
}

/* True when TEXT has a stretch of more than MAX bytes without a clause break. Real prose
 * breaks every few hundred bytes; a file that never does is not prose, and every
 * quantity in it would carry the whole stretch as its clause. From each start the
 * last break within MAX bytes is looked for backwards (it is usually a few bytes
 * away): the stretches before it are all shorter, so the text is crossed in steps of
 * about MAX bytes. */
static bool s_has_long_clause(const char *text, size_t len, size_t max)
{
    const unsigned char *u = (const unsigned char *)text;
    size_t start = 0;
    while (len - start > max) {
        size_t i = start + max; /* a break here ends a stretch of exactly MAX bytes */
        while (i > start && !s_break_at(u, len, i))
            i--;
        if (i == start && !s_break_at(u, len, i))
            return true;
        start = i + 1;
    }
    return false;
}

/* A title naming another annual report and not the rule-of-law one: the
 * 政府信息公开 / 政务公开工作年度报告 (under the disclosure regulations) and the 政府工作报告
 * (to the people's congress) have their own outlines; none of the fields of a
 * 法治政府建设 record fit them. */
static bool s_other_report(const char *title)
{
    if (!title)
        return false;
    size_t n = strlen(title);
    static const char *const ours[] = {"法治", "法制", "依法", NULL};
    for (const char *const *c = ours; *c; c++)
        if (memmem(title, n, *c, strlen(*c)))
            return false;
    if (!memmem(title, n, "报告", strlen("报告")))
        return false;
    static const char *const others[] = {"信息公开", "政务公开", "政府工作报告", NULL};
    for (const char *const *c = others; *c; c++)
        if (memmem(title, n, *c, strlen(*c)))
            return true;
    return false;
}

/* The first line of TEXT is the title of another kind of document: short, no clause
 * punctuation, ending in a genre word (关于印发…的通知, …工作要点, …结果公示). Only asked
 * when no report title was found. */
static bool s_other_genre(const char *text, size_t len)
{
    const char *nl = memchr(text, '\n', len);
    size_t n = nl ? (size_t)(nl - text) : len;
    while (n > 0 && text[n - 1] == ' ')
        n--;
    if (n == 0 || n > 180 || memmem(text, n, "，", 3) || memmem(text, n, "。", 3))
        return false;
    static const char *const ends[] = {"通知", "通告", "公告", "通报", "决定", "意见", "方案",
                                       "办法", "批复", "纪要", "要点", "公示", "公报", "决算",
                                       "预算", "规划", NULL};
    for (const char *const *e = ends; *e; e++) {
        size_t l = strlen(*e);
        if (n >= l && memcmp(text + n - l, *e, l) == 0)
            return true;
    }
    return false;
}

#define MAX_CLAUSE 8192 /* bytes of text without a clause break we accept */

/* The text announces itself as a report ("现将…情况报告如下"). */
static bool s_says_report(const char *text, size_t len)
{
    static const char *const cues[] = {"报告如下", "報告如下", "总结如下", "汇报如下",
                                       "總結如下", "彙報如下", NULL};
    for (const char *const *c = cues; *c; c++)
        if (memmem(text, len, *c, strlen(*c)))
            return true;
    return false;
}

int lxm_extract(lxm_extractor_t *self, const char *source, const void *bytes, size_t len,
                lxm_record_t *rec, lxm_buf_t *cleaned, char **error)
{
    char *dummy = NULL;
    if (!error)
        error = &dummy;
    *error = NULL;
    lxm_record_reset(rec);
    lxm_buf_clear(cleaned);
    lxm_doc_t *doc = &self->doc;
    if (lxm_text_prepare(bytes, len, doc, error) != 0) {
        free(dummy);
        return -1;
    }
    /* the cleaned text goes to the caller by swapping buffers, not by a copy; TEXT
     * stays where it is (the document's next preparation starts from a fresh buffer) */
    lxm_buf_t swap = *cleaned;
    *cleaned = doc->text;
    doc->text = swap;
    const char *text = cleaned->data;
    size_t tlen = cleaned->len;

    rec->source = lxm_xstrdup(source ? source : "");
    rec->published = lxm_xstrdup(doc->published);
    rec->issuer = lxm_xstrdup(doc->issuer);
    for (size_t i = 0; i < doc->n_warnings; i++)
        lxm_record_add_warning(rec, "%s", doc->warnings[i]);

    lxm_structure_t st;
    lxm_structure_analyse(text, tlen, doc->meta_title, rec, &st);

    /* the facts before the unit: their scan reads every character and says where the
     * first traditional one is, which the unit resolution would otherwise look for in a
     * pass of its own (facts and unit add to different parts of the record; a document
     * turned away below loses both) */
    lxm_facts_extract(self->facts, text, tlen, st.body_start, rec);
    size_t trad = lxm_facts_traditional_at(self->facts);

    lxm_unit_context_t ctx = {
        .title = rec->title, .title_len = rec->title ? strlen(rec->title) : 0,
        .text = text, .text_len = tlen,
        .issuer = rec->issuer, .source = rec->source,
        .text_trad_known = trad <= tlen, .text_trad = trad,
    };
    lxm_unit_resolve(self->gaz, &ctx, &rec->unit, rec);

    bool has_unit = rec->unit.name && !(rec->unit.match && !strcmp(rec->unit.match, "unknown"));
    if (!s_reportish(text, tlen) && !has_unit) {
        *error = lxm_xstrdup("not a report: no 法治/依法/报告 and no reporting unit");
        lxm_record_reset(rec);
        free(dummy);
        return -1;
    }
    if (s_other_report(rec->title)) {
        *error = lxm_xstrdup("not a 法治政府建设 report: the title names another report");
        lxm_record_reset(rec);
        free(dummy);
        return -1;
    }
    if (!rec->title && s_other_genre(text, tlen)) {
        *error = lxm_xstrdup("not a report: the first line titles a notice, plan or list");
        lxm_record_reset(rec);
        free(dummy);
        return -1;
    }
    if (s_has_long_clause(text, tlen, MAX_CLAUSE)) {
        *error = lxm_xstrdup("not a report: no sentence breaks in 8 KB of text");
        lxm_record_reset(rec);
        free(dummy);
        return -1;
    }
    /* a short page with no report title, no sections and no "报告如下" is news or a
     * notice; longer untitled texts are kept (a report may lack its title) */
    if (!rec->title && rec->n_sections < 2 && tlen < 3000 && !s_says_report(text, tlen)) {
        *error = lxm_xstrdup("not a report: no report title, no sections, no 报告如下");
        lxm_record_reset(rec);
        free(dummy);
        return -1;
    }

    char id[LXM_ID_HEX + 1];
    lxm_content_id(text, tlen, id);
    rec->id = lxm_xstrdup(id);
    rec->stats.bytes = len;
    rec->stats.encoding = doc->encoding;
    rec->stats.boilerplate_bytes = doc->boilerplate_bytes;
    rec->stats.text_bytes = tlen;
    rec->parser = lxm_xstrdup(self->parser);
    free(dummy);
    return 0;
}
