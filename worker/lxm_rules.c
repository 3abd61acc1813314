/* lxm_rules: loads and runs the indicator rules (see lxm_rules.h and the header comment
 * of data/indicators.rules for the format). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_rules.h"

/* PCRE2's JIT code looks uninitialised to valgrind; under valgrind the rules run
 * interpreted so a memcheck run reports only real errors. */
#if defined(__has_include)
#if __has_include(<valgrind/valgrind.h>)
#include <valgrind/valgrind.h>
#define LXM_UNDER_VALGRIND() RUNNING_ON_VALGRIND
#endif
#endif
#ifndef LXM_UNDER_VALGRIND
#define LXM_UNDER_VALGRIND() 0
#endif

const char *const lxm_units[LXM_UNITS_N] = {
    [LXM_U_PERCENT] = "%",
    [LXM_U_CHANGCI] = "场次",
    [LXM_U_RENCI] = "人次",
    [LXM_U_CI] = "次",
    [LXM_U_CHANG] = "场",
    [LXM_U_MING] = "名",
    [LXM_U_REN] = "人",
    [LXM_U_WEI] = "位",
    [LXM_U_FEN] = "份",
    [LXM_U_CE] = "册",
    [LXM_U_JIAN] = "件",
    [LXM_U_QI] = "起",
    [LXM_U_TIAO] = "条",
    [LXM_U_GE] = "个",
    [LXM_U_XIANG] = "项",
    [LXM_U_QIHAO] = "期",
    [LXM_U_PIAN] = "篇",
    [LXM_U_SOU] = "艘",
    [LXM_U_TANG] = "堂",
    [LXM_U_HU] = "户",
    [LXM_U_JIA] = "家",
    [LXM_U_SUO] = "所",
    [LXM_U_CHU] = "处",
    [LXM_U_PI] = "批",
    [LXM_U_ZHANG] = "张",
    [LXM_U_BEN] = "本",
    [LXM_U_TAO] = "套",
    [LXM_U_TAI] = "台",
    [LXM_U_YUAN] = "元",
};

int lxm_unit_id(const char *unit)
{
    if (!unit)
        return -1;
    for (int i = 0; i < LXM_UNITS_N; i++)
        if (strcmp(lxm_units[i], unit) == 0)
            return i;
    return -1;
}

typedef struct {
    char *key;              /* indicator key ("study.sessions"); "@nofact" for a veto row */
    char *after;            /* KEY<AFTER: the row applies only right after a fact keyed
                               AFTER in the same sentence; NULL for any fact */
    uint64_t units;         /* bit per unit id this row applies to ("*": all) */
    pcre2_code *re;         /* the pattern */
    bool jit;               /* RE was JIT-compiled: call the JIT directly */
    pcre2_code *neg;        /* optional: the row does not apply when this matches */
    char *src;              /* the pattern as written (veto rows are merged from it) */
    size_t from;            /* merged veto: index of its first row (whose negative applies) */
    int line;               /* line in the rules text, for messages */
} s_rule_t;

struct lxm_rules_t {
    s_rule_t *keys;      /* key rows in file order */
    size_t n_keys;
    s_rule_t *vetoes;    /* @nofact rows as written */
    size_t n_vetoes;
    s_rule_t *same;      /* @same rows: a fact whose stretch matches continues the previous */
    size_t n_same;
    s_rule_t *back;      /* @back rows: a fact whose stretch matches names its noun in the
                            previous clause ("满意度较上年提高…，达到96.8%") */
    size_t n_back;
    s_rule_t *merged;    /* @nofact rows with one unit set joined into one alternation:
                            one JIT call per fact instead of one per row */
    size_t n_merged;
    char digest[13];     /* 12 hex chars of FNV-1a 64 over the rules text */
};

static char *s_format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *s_format(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *out = NULL;
    if (vasprintf(&out, fmt, ap) < 0)
        out = NULL;
    va_end(ap);
    return out;
}

static void s_rule_free(s_rule_t *r)
{
    free(r->key);
    free(r->after);
    free(r->src);
    pcre2_code_free(r->re);
    pcre2_code_free(r->neg);
    memset(r, 0, sizeof *r);
}

void lxm_rules_destroy(lxm_rules_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_rules_t *self = *self_p;
    for (size_t i = 0; i < self->n_keys; i++)
        s_rule_free(&self->keys[i]);
    for (size_t i = 0; i < self->n_vetoes; i++)
        s_rule_free(&self->vetoes[i]);
    for (size_t i = 0; i < self->n_merged; i++)
        s_rule_free(&self->merged[i]);
    for (size_t i = 0; i < self->n_same; i++)
        s_rule_free(&self->same[i]);
    for (size_t i = 0; i < self->n_back; i++)
        s_rule_free(&self->back[i]);
    free(self->same);
    free(self->back);
    free(self->keys);
    free(self->vetoes);
    free(self->merged);
    free(self);
    *self_p = NULL;
}

/* Compiles PAT (LEN bytes) with JIT. Returns NULL and *error naming LINE on failure. */
static pcre2_code *s_compile(const char *pat, size_t len, bool anchored, int line, char **error)
{
    int code;
    PCRE2_SIZE off;
    uint32_t opts = PCRE2_UTF | (anchored ? PCRE2_ANCHORED : 0);
    pcre2_code *re = pcre2_compile((PCRE2_SPTR) pat, len, opts, &code, &off, NULL);
    if (!re) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(code, msg, sizeof msg);
        if (error)
            *error = s_format("indicators rules line %d: pattern error at offset %zu: %s",
                              line, (size_t) off, (char *) msg);
        return NULL;
    }
    /* JIT is an optimisation: a pattern it cannot handle still runs interpreted */
    if (!LXM_UNDER_VALGRIND())
        pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);
    return re;
}

/* Splits LINE at runs of blanks into at most MAX fields (pointer, length). */
static size_t s_fields(const char *line, size_t len, const char **f, size_t *fl, size_t max)
{
    size_t n = 0, i = 0;
    while (i < len && n < max) {
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i >= len)
            break;
        size_t s = i;
        while (i < len && line[i] != ' ' && line[i] != '\t')
            i++;
        f[n] = line + s;
        fl[n] = i - s;
        n++;
    }
    return n;
}

static int s_parse_row(const char *line, size_t len, int lineno, s_rule_t *r, char **error)
{
    const char *f[5];
    size_t fl[5];
    size_t n = s_fields(line, len, f, fl, 5);
    if (n < 3 || n > 4) {
        if (error)
            *error = s_format("indicators rules line %d: want KEY UNITS PATTERN [NEGATIVE], "
                              "got %zu fields", lineno, n);
        return -1;
    }
    r->line = lineno;
    r->key = lxm_xstrndup(f[0], fl[0]);
    char *lt = r->key[0] != '@' ? strchr(r->key, '<') : NULL;
    if (lt) { /* KEY<AFTER */
        *lt = '\0';
        r->after = lxm_xstrdup(lt + 1);
        if (!r->key[0] || !r->after[0]) {
            if (error)
                *error = s_format("indicators rules line %d: want KEY<AFTER, both keys", lineno);
            return -1;
        }
    }
    bool veto = strcmp(r->key, "@nofact") == 0;
    if (fl[1] == 1 && f[1][0] == '*')
        r->units = ~0ULL;
    else {
        size_t i = 0;
        while (i < fl[1]) {
            size_t s = i;
            while (i < fl[1] && f[1][i] != ',')
                i++;
            if (i > s) {
                char unit[32];
                snprintf(unit, sizeof unit, "%.*s", (int) (i - s), f[1] + s);
                int id = lxm_unit_id(unit);
                if (id < 0) {
                    if (error)
                        *error = s_format("indicators rules line %d: '%s' is not a measure "
                                          "word of SPEC", lineno, unit);
                    return -1;
                }
                r->units |= 1ULL << id;
            }
            i++;
        }
    }
    r->src = lxm_xstrndup(f[2], fl[2]);
    r->re = s_compile(f[2], fl[2], veto, lineno, error);
    if (!r->re)
        return -1;
    size_t jit_size = 0;
    r->jit = pcre2_pattern_info(r->re, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size > 0;
    if (n == 4) {
        r->neg = s_compile(f[3], fl[3], false, lineno, error);
        if (!r->neg)
            return -1;
    }
    return 0;
}

/* Joins the veto rows that share a unit set (and have no negative pattern) into one
 * anchored alternation each. Rows with a negative pattern stay alone. */
static int s_merge_vetoes(lxm_rules_t *self, char **error)
{
    if (self->n_vetoes == 0)
        return 0;
    self->merged = calloc(self->n_vetoes, sizeof *self->merged);
    if (!self->merged)
        return -1;
    bool *done = calloc(self->n_vetoes, sizeof *done);
    if (!done)
        return -1;
    for (size_t i = 0; i < self->n_vetoes; i++) {
        if (done[i])
            continue;
        const s_rule_t *first = &self->vetoes[i];
        s_rule_t *m = &self->merged[self->n_merged++];
        m->key = lxm_xstrdup(first->key);
        m->units = first->units;
        m->line = first->line;
        m->from = i;
        char *pat = NULL;
        size_t plen = 0;
        FILE *mem = open_memstream(&pat, &plen);
        if (!mem) {
            free(done);
            return -1;
        }
        fprintf(mem, "(?:%s)", first->src);
        done[i] = true;
        if (!first->neg) {
            for (size_t j = i + 1; j < self->n_vetoes; j++) {
                const s_rule_t *r = &self->vetoes[j];
                if (!done[j] && !r->neg && r->units == first->units) {
                    fprintf(mem, "|(?:%s)", r->src);
                    done[j] = true;
                }
            }
        }
        fclose(mem);
        m->src = pat;
        m->re = s_compile(pat, plen, true, first->line, error);
        if (!m->re) {
            free(done);
            return -1;
        }
        size_t jit_size = 0;
        m->jit = pcre2_pattern_info(m->re, PCRE2_INFO_JITSIZE, &jit_size) == 0 && jit_size > 0;
    }
    free(done);
    return 0;
}

lxm_rules_t *lxm_rules_load(const char *text, size_t len, char **error)
{
    if (error)
        *error = NULL;
    lxm_rules_t *self = calloc(1, sizeof *self);
    if (!self)
        return NULL;
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char) text[i];
        h *= 1099511628211ULL;
    }
    snprintf(self->digest, sizeof self->digest, "%012llx",
             (unsigned long long) (h >> 16));
    size_t cap_keys = 0, cap_vetoes = 0, cap_same = 0, cap_back = 0;
    int lineno = 0;
    size_t pos = 0;
    while (text && pos < len) {
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t ll = nl ? (size_t) (nl - line) : len - pos;
        pos += ll + (nl ? 1 : 0);
        lineno++;
        while (ll > 0 && (line[ll - 1] == '\r' || line[ll - 1] == ' ' || line[ll - 1] == '\t'))
            ll--;
        size_t lead = 0;
        while (lead < ll && (line[lead] == ' ' || line[lead] == '\t'))
            lead++;
        if (lead == ll || line[lead] == '#')
            continue;
        s_rule_t r;
        memset(&r, 0, sizeof r);
        if (s_parse_row(line, ll, lineno, &r, error) != 0) {
            s_rule_free(&r);
            lxm_rules_destroy(&self);
            return NULL;
        }
        bool veto = strcmp(r.key, "@nofact") == 0;
        bool same = strcmp(r.key, "@same") == 0;
        bool back = strcmp(r.key, "@back") == 0;
        if (!veto && !same && !back && r.key[0] == '@') {
            if (error)
                *error = s_format("indicators rules line %d: unknown directive %s", lineno,
                                  r.key);
            s_rule_free(&r);
            lxm_rules_destroy(&self);
            return NULL;
        }
        s_rule_t **arr = veto ? &self->vetoes : same ? &self->same : back ? &self->back
                                                                           : &self->keys;
        size_t *cnt = veto ? &self->n_vetoes : same ? &self->n_same : back ? &self->n_back
                                                                            : &self->n_keys;
        size_t *cap = veto ? &cap_vetoes : same ? &cap_same : back ? &cap_back : &cap_keys;
        if (*cnt == *cap) {
            size_t nc = *cap ? *cap * 2 : 32;
            s_rule_t *grown = realloc(*arr, nc * sizeof **arr);
            if (!grown) {
                s_rule_free(&r);
                lxm_rules_destroy(&self);
                if (error)
                    *error = s_format("indicators rules: out of memory");
                return NULL;
            }
            *arr = grown;
            *cap = nc;
        }
        (*arr)[(*cnt)++] = r;
    }
    if (s_merge_vetoes(self, error) != 0) {
        lxm_rules_destroy(&self);
        return NULL;
    }
    return self;
}

const char *lxm_rules_digest(const lxm_rules_t *self)
{
    return self ? self->digest : "none";
}

size_t lxm_rules_count(const lxm_rules_t *self, size_t *vetoes)
{
    if (vetoes)
        *vetoes = self ? self->n_vetoes : 0;
    return self ? self->n_keys : 0;
}

pcre2_match_data *lxm_rules_match_data(const lxm_rules_t *self)
{
    /* the rules only ask "does it match": one pair of offsets is enough */
    (void) self;
    return pcre2_match_data_create(1, NULL);
}

static inline bool s_unit_fits(const s_rule_t *r, int unit_id)
{
    return unit_id >= 0 && unit_id < 64 && ((r->units >> unit_id) & 1);
}

static bool s_matches(const pcre2_code *re, bool jit, pcre2_match_data *md, const char *s,
                      size_t len, size_t offset)
{
    /* the subject is valid UTF-8 (the caller sanitises it), so the JIT fast path, which
     * does no checks, is safe */
    int rc = jit ? pcre2_jit_match(re, (PCRE2_SPTR) s, len, offset, 0, md, NULL)
                 : pcre2_match(re, (PCRE2_SPTR) s, len, offset, PCRE2_NO_UTF_CHECK, md, NULL);
    return rc >= 0 || rc == PCRE2_ERROR_NOMEMORY; /* NOMEMORY: ovector too small = matched */
}

const char *lxm_rules_key(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                          size_t len, int unit_id)
{
    return lxm_rules_key_after(self, md, window, len, unit_id, NULL);
}

const char *lxm_rules_key_after(const lxm_rules_t *self, pcre2_match_data *md,
                                const char *window, size_t len, int unit_id,
                                const char *prev_key)
{
    if (!self || !md || !window)
        return NULL;
    for (size_t i = 0; i < self->n_keys; i++) {
        const s_rule_t *r = &self->keys[i];
        if (!s_unit_fits(r, unit_id))
            continue;
        if (r->after && (!prev_key || strcmp(r->after, prev_key) != 0))
            continue;
        if (!s_matches(r->re, r->jit, md, window, len, 0))
            continue;
        if (r->neg && s_matches(r->neg, false, md, window, len, 0))
            continue;
        return r->key;
    }
    return NULL;
}

bool lxm_rules_same(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                    size_t len, int unit_id)
{
    if (!self || !md || !window)
        return false;
    for (size_t i = 0; i < self->n_same; i++) {
        const s_rule_t *r = &self->same[i];
        if (s_unit_fits(r, unit_id) && s_matches(r->re, r->jit, md, window, len, 0) &&
            !(r->neg && s_matches(r->neg, false, md, window, len, 0)))
            return true;
    }
    return false;
}

/* The rows of SET (n of them) for UNIT_ID that match WINDOW. */
static bool s_any_row(const s_rule_t *set, size_t n, pcre2_match_data *md, const char *window,
                      size_t len, int unit_id)
{
    for (size_t i = 0; i < n; i++) {
        const s_rule_t *r = &set[i];
        if (s_unit_fits(r, unit_id) && s_matches(r->re, r->jit, md, window, len, 0) &&
            !(r->neg && s_matches(r->neg, false, md, window, len, 0)))
            return true;
    }
    return false;
}

bool lxm_rules_has_back(const lxm_rules_t *self)
{
    return self && self->n_back > 0;
}

bool lxm_rules_back(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                    size_t len, int unit_id)
{
    return self && md && window && s_any_row(self->back, self->n_back, md, window, len, unit_id);
}

bool lxm_rules_veto(const lxm_rules_t *self, pcre2_match_data *md, const char *subject,
                    size_t len, size_t offset, int unit_id)
{
    if (!self || !md || !subject || offset > len)
        return false;
    for (size_t i = 0; i < self->n_merged; i++) {
        const s_rule_t *r = &self->merged[i];
        if (!s_unit_fits(r, unit_id))
            continue;
        /* a row with a negative pattern is never merged with others: its own applies */
        const pcre2_code *neg = self->vetoes[r->from].neg;
        if (s_matches(r->re, r->jit, md, subject, len, offset) &&
            !(neg && s_matches(neg, false, md, subject, len, offset)))
            return true;
    }
    return false;
}
