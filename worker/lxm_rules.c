/* lxm_rules: loads and runs the indicator rules (see lxm_rules.h and the header comment
 * of data/indicators.rules for the format). */
#include <ctype.h>
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

/* At most this many character sets are kept per rule (the smallest ones). */
#define LXM_RULE_NEED_MAX 4

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
    /* prefilter: every match of RE holds a character of each of these sets (a 256-bit
     * hash of its code point), so a window without one cannot match; 0 sets: no test */
    uint64_t need[LXM_RULE_NEED_MAX][4];
    size_t n_need;
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
    bool no_prefilter;   /* tests: run every row's regex */
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

/* ---- prefilter: characters every match must hold ------------------------------------
 * A conservative reading of a pattern: a literal character outside any optional part
 * must be in every match; a group of alternatives needs one character of the union of
 * what each branch needs. Anything not understood (classes, escapes, '.') needs
 * nothing, and any construct outside the small grammar below turns the prefilter off for
 * that rule, so a rule is only ever skipped when it cannot match. Sets are 256-bit
 * hashes of code points; a window's characters are hashed the same way once per call. */

typedef struct {
    uint64_t w[4];
} s_cset_t;

#define S_CLAUSES_MAX 16
typedef struct {
    s_cset_t c[S_CLAUSES_MAX]; /* each set must meet the window's characters */
    size_t n;
} s_need_t;

typedef struct {
    const unsigned char *p;
    size_t len;
    size_t i;
    bool fail; /* a construct outside the grammar: no prefilter */
} s_pat_t;

static inline unsigned s_cp_bit(uint32_t cp)
{
    return (uint32_t) (cp * 2654435761u) >> 24;
}

static size_t s_popcount(const s_cset_t *c)
{
    return (size_t) (__builtin_popcountll(c->w[0]) + __builtin_popcountll(c->w[1]) +
                     __builtin_popcountll(c->w[2]) + __builtin_popcountll(c->w[3]));
}

/* Adds C to NEED; when full, C replaces the widest set if it is narrower. */
static void s_need_add(s_need_t *need, const s_cset_t *c)
{
    if (need->n < S_CLAUSES_MAX) {
        need->c[need->n++] = *c;
        return;
    }
    size_t widest = 0;
    for (size_t k = 1; k < need->n; k++)
        if (s_popcount(&need->c[k]) > s_popcount(&need->c[widest]))
            widest = k;
    if (s_popcount(c) < s_popcount(&need->c[widest]))
        need->c[widest] = *c;
}

/* Decodes one UTF-8 character at S[*I] (LEN bytes), advancing *I; a byte that does not
 * start a well-formed sequence stands for itself. */
static uint32_t s_utf8_next(const unsigned char *s, size_t len, size_t *i)
{
    unsigned char b = s[*i];
    size_t n = b < 0x80 ? 0 : (b & 0xE0) == 0xC0 ? 1 : (b & 0xF0) == 0xE0 ? 2
             : (b & 0xF8) == 0xF0 ? 3 : 0;
    bool ok = n > 0 && *i + n < len;
    for (size_t k = 1; ok && k <= n; k++)
        ok = (s[*i + k] & 0xC0) == 0x80;
    if (!ok) {
        (*i)++;
        return b;
    }
    uint32_t cp = b & (0x3F >> n);
    for (size_t k = 1; k <= n; k++)
        cp = (cp << 6) | (s[*i + k] & 0x3F);
    *i += n + 1;
    return cp;
}

static void s_parse_alt(s_pat_t *pt, s_need_t *out, int depth);

/* Skips the body of {…} after an escape letter; fails when there is no closing brace. */
static void s_skip_braces(s_pat_t *pt)
{
    while (pt->i < pt->len && pt->p[pt->i] != '}')
        pt->i++;
    if (pt->i >= pt->len)
        pt->fail = true;
    else
        pt->i++;
}

/* After a backslash: skips the escape. It never adds a need (conservative). */
static void s_skip_escape(s_pat_t *pt)
{
    if (pt->i >= pt->len) {
        pt->fail = true;
        return;
    }
    unsigned char c = pt->p[pt->i++];
    if (c == 'Q' || c == 'E') { /* quoted literals: not read here */
        pt->fail = true;
        return;
    }
    if ((c == 'x' || c == 'p' || c == 'P' || c == 'N' || c == 'g' || c == 'k' || c == 'o') &&
        pt->i < pt->len && pt->p[pt->i] == '{') {
        s_skip_braces(pt);
        return;
    }
    if ((c == 'g' || c == 'k') && pt->i < pt->len &&
        (pt->p[pt->i] == '<' || pt->p[pt->i] == '\'')) {
        unsigned char close = pt->p[pt->i] == '<' ? '>' : '\'';
        while (pt->i < pt->len && pt->p[pt->i] != close)
            pt->i++;
        if (pt->i >= pt->len)
            pt->fail = true;
        else
            pt->i++;
        return;
    }
    if (c == 'x') {
        for (int k = 0; k < 2 && pt->i < pt->len && isxdigit(pt->p[pt->i]); k++)
            pt->i++;
        return;
    }
    if (c == 'c') {
        if (pt->i < pt->len)
            pt->i++;
        return;
    }
    if (c >= '0' && c <= '9') {
        while (pt->i < pt->len && pt->p[pt->i] >= '0' && pt->p[pt->i] <= '9')
            pt->i++;
        return;
    }
    if (c >= 0x80) /* an escaped non-ASCII character: skip the rest of it */
        while (pt->i < pt->len && (pt->p[pt->i] & 0xC0) == 0x80)
            pt->i++;
}

/* Skips a character class after its '['. */
static void s_skip_class(s_pat_t *pt)
{
    if (pt->i < pt->len && pt->p[pt->i] == '^')
        pt->i++;
    if (pt->i < pt->len && pt->p[pt->i] == ']')
        pt->i++;
    while (pt->i < pt->len) {
        unsigned char c = pt->p[pt->i];
        if (c == ']') {
            pt->i++;
            return;
        }
        if (c == '[' && pt->i + 1 < pt->len && (pt->p[pt->i + 1] == ':' ||
                                                pt->p[pt->i + 1] == '.' ||
                                                pt->p[pt->i + 1] == '=')) {
            pt->fail = true; /* POSIX classes: not read here */
            return;
        }
        pt->i++;
        if (c == '\\')
            s_skip_escape(pt);
    }
    pt->fail = true;
}

/* Reads a quantifier, if any, and returns its minimum (1 when there is none). */
static size_t s_quantifier(s_pat_t *pt)
{
    if (pt->i >= pt->len)
        return 1;
    unsigned char c = pt->p[pt->i];
    size_t min = 1;
    if (c == '?' || c == '*') {
        min = 0;
        pt->i++;
    } else if (c == '+') {
        pt->i++;
    } else if (c == '{') {
        size_t j = pt->i + 1, n = 0;
        bool digits = false;
        while (j < pt->len && pt->p[j] >= '0' && pt->p[j] <= '9') {
            n = n * 10 + (size_t) (pt->p[j] - '0');
            if (n > 100000)
                n = 100000;
            j++;
            digits = true;
        }
        if (j < pt->len && pt->p[j] == ',') {
            j++;
            while (j < pt->len && pt->p[j] >= '0' && pt->p[j] <= '9')
                j++;
        }
        if (!digits || j >= pt->len || pt->p[j] != '}') {
            pt->fail = true; /* a literal '{' or a form not read here */
            return 1;
        }
        pt->i = j + 1;
        min = n;
    } else {
        return 1;
    }
    if (pt->i < pt->len && (pt->p[pt->i] == '?' || pt->p[pt->i] == '+'))
        pt->i++; /* lazy or possessive: same minimum */
    return min;
}

/* One branch: a sequence of atoms up to '|' or ')' or the end. */
static void s_parse_seq(s_pat_t *pt, s_need_t *out, int depth)
{
    out->n = 0;
    while (!pt->fail && pt->i < pt->len && pt->p[pt->i] != '|' && pt->p[pt->i] != ')') {
        unsigned char c = pt->p[pt->i];
        s_need_t atom;
        atom.n = 0;
        bool zero_width = false;
        if (c == '(') {
            pt->i++;
            if (depth > 32 || pt->i >= pt->len || pt->p[pt->i] == '*') {
                pt->fail = true;
                return;
            }
            if (pt->p[pt->i] == '?') {
                pt->i++;
                const unsigned char *q = pt->p + pt->i;
                size_t left = pt->len - pt->i;
                if (left >= 1 && (q[0] == ':' || q[0] == '>' || q[0] == '|'))
                    pt->i++;
                else if (left >= 1 && (q[0] == '=' || q[0] == '!')) {
                    pt->i++;
                    zero_width = true;
                } else if (left >= 2 && q[0] == '<' && (q[1] == '=' || q[1] == '!')) {
                    pt->i += 2;
                    zero_width = true;
                } else if (left >= 2 && (q[0] == '<' || q[0] == '\'' ||
                                         (q[0] == 'P' && q[1] == '<'))) {
                    unsigned char close = q[0] == '\'' ? '\'' : '>';
                    while (pt->i < pt->len && pt->p[pt->i] != close)
                        pt->i++;
                    if (pt->i >= pt->len) {
                        pt->fail = true;
                        return;
                    }
                    pt->i++;
                } else {
                    pt->fail = true; /* options, comments, conditions: not read here */
                    return;
                }
            }
            s_parse_alt(pt, &atom, depth + 1);
            if (pt->fail || pt->i >= pt->len || pt->p[pt->i] != ')') {
                pt->fail = true;
                return;
            }
            pt->i++;
            if (zero_width)
                atom.n = 0; /* what a lookaround sees is not part of the match */
        } else if (c == '[') {
            pt->i++;
            s_skip_class(pt);
        } else if (c == '\\') {
            pt->i++;
            s_skip_escape(pt);
        } else if (c == '.' || c == '^' || c == '$') {
            pt->i++;
        } else if (c == '*' || c == '+' || c == '?' || c == '{') {
            pt->fail = true;
            return;
        } else {
            uint32_t cp = s_utf8_next(pt->p, pt->len, &pt->i);
            s_cset_t one;
            memset(&one, 0, sizeof one);
            unsigned bit = s_cp_bit(cp);
            one.w[bit >> 6] |= 1ULL << (bit & 63);
            atom.c[0] = one;
            atom.n = 1;
        }
        if (pt->fail)
            return;
        if (s_quantifier(pt) == 0)
            atom.n = 0;
        for (size_t k = 0; k < atom.n; k++)
            s_need_add(out, &atom.c[k]);
    }
}

/* Alternatives separated by '|' up to ')' or the end: one branch keeps its sets; more
 * need the union of each branch's narrowest set (nothing if a branch needs nothing). */
static void s_parse_alt(s_pat_t *pt, s_need_t *out, int depth)
{
    s_need_t branch;
    s_parse_seq(pt, out, depth);
    if (pt->fail || pt->i >= pt->len || pt->p[pt->i] != '|')
        return;
    s_cset_t uni;
    memset(&uni, 0, sizeof uni);
    bool all = true;
    const s_need_t *b = out;
    for (;;) {
        if (b->n == 0)
            all = false;
        else if (all) {
            size_t best = 0;
            for (size_t k = 1; k < b->n; k++)
                if (s_popcount(&b->c[k]) < s_popcount(&b->c[best]))
                    best = k;
            for (int w = 0; w < 4; w++)
                uni.w[w] |= b->c[best].w[w];
        }
        if (pt->fail || pt->i >= pt->len || pt->p[pt->i] != '|')
            break;
        pt->i++;
        s_parse_seq(pt, &branch, depth);
        b = &branch;
    }
    out->n = 0;
    if (all && !pt->fail) {
        out->c[0] = uni;
        out->n = 1;
    }
}

/* Fills R's prefilter from its pattern source (no sets when the pattern is not read). */
static void s_rule_prefilter(s_rule_t *r)
{
    r->n_need = 0;
    s_pat_t pt = { (const unsigned char *) r->src, strlen(r->src), 0, false };
    s_need_t need;
    s_parse_alt(&pt, &need, 0);
    if (pt.fail || pt.i != pt.len)
        return;
    /* keep the narrowest sets: they reject most windows */
    bool used[S_CLAUSES_MAX] = { false };
    while (r->n_need < LXM_RULE_NEED_MAX) {
        size_t best = S_CLAUSES_MAX;
        for (size_t k = 0; k < need.n; k++)
            if (!used[k] && (best == S_CLAUSES_MAX ||
                             s_popcount(&need.c[k]) < s_popcount(&need.c[best])))
                best = k;
        if (best == S_CLAUSES_MAX)
            break;
        used[best] = true;
        memcpy(r->need[r->n_need++], need.c[best].w, sizeof need.c[best].w);
    }
}

/* The hashed set of WINDOW's characters. */
static void s_window_bits(const char *window, size_t len, uint64_t bits[4])
{
    bits[0] = bits[1] = bits[2] = bits[3] = 0;
    const unsigned char *s = (const unsigned char *) window;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        unsigned char b = s[i];
        if (b < 0x80) {
            cp = b;
            i++;
        } else if ((b & 0xF0) == 0xE0 && i + 2 < len && (s[i + 1] & 0xC0) == 0x80 &&
                   (s[i + 2] & 0xC0) == 0x80) { /* CJK: the common case, inline */
            cp = ((uint32_t) (b & 0x0F) << 12) | ((uint32_t) (s[i + 1] & 0x3F) << 6) |
                 (s[i + 2] & 0x3F);
            i += 3;
        } else {
            cp = s_utf8_next(s, len, &i);
        }
        unsigned bit = s_cp_bit(cp);
        bits[bit >> 6] |= 1ULL << (bit & 63);
    }
}

/* False when R cannot match a window whose characters hash to BITS. */
static inline bool s_may_match(const s_rule_t *r, const uint64_t bits[4])
{
    for (size_t k = 0; k < r->n_need; k++)
        if (!((r->need[k][0] & bits[0]) | (r->need[k][1] & bits[1]) |
              (r->need[k][2] & bits[2]) | (r->need[k][3] & bits[3])))
            return false;
    return true;
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
    if (!veto) /* veto rows run anchored in the document, where a window test is no help */
        s_rule_prefilter(r);
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

size_t lxm_rules_prefiltered(const lxm_rules_t *self)
{
    size_t n = 0;
    for (size_t i = 0; self && i < self->n_keys; i++)
        n += self->keys[i].n_need > 0;
    return n;
}

void lxm_rules_set_prefilter(lxm_rules_t *self, bool on)
{
    if (self)
        self->no_prefilter = !on;
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
    uint64_t bits[4];
    bool have_bits = false;
    for (size_t i = 0; i < self->n_keys; i++) {
        const s_rule_t *r = &self->keys[i];
        if (!s_unit_fits(r, unit_id))
            continue;
        if (r->after && (!prev_key || strcmp(r->after, prev_key) != 0))
            continue;
        if (r->n_need && !self->no_prefilter) {
            if (!have_bits) { /* once per window, only when some row needs it */
                s_window_bits(window, len, bits);
                have_bits = true;
            }
            if (!s_may_match(r, bits))
                continue;
        }
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
