/* lxm_facts: one pass over the body finding numbers followed by a measure word; the key
 * rules run only on the short window of each fact found (see lxm_facts.h). */
#include <pthread.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>
#include "lxm_buf.h"
#include "lxm_data.h"
#include "lxm_facts.h"
#include "lxm_gaz_priv.h"
#include "lxm_numbers.h"
#include "lxm_rules.h"

#define LXM_FACTS_MAX_CLAUSE 240 /* bytes of clause kept before a number */

/* Character classes of the scan, indexed by code point below U+10000. */
enum {
    C_NONE = 0,
    C_DIGIT = 1,   /* ASCII or full-width digit */
    C_NUMERAL = 2, /* Chinese numeral */
    C_BOUND = 3,   /* ends a clause: ， 。 ； ： ！ ？ and ASCII , ; : ! ? newline */
    C_QUOTE = 4    /* opens or closes a quotation or a book title: “ ” 「 」 ‘ ’ 《 》 " */
};

static unsigned char s_class[65536];
/* One bit per code point: "s_class is not C_NONE". 8 KB, so the hot loop stays in L1. */
static uint64_t s_interest[65536 / 64];
/* One bit per code point: a traditional character (lxm_trad_char), so a scan of the
 * text says where the first one is (lxm_facts_traditional_at). */
static uint64_t s_trad[65536 / 64];
static pthread_once_t s_class_once = PTHREAD_ONCE_INIT;

/* Division names of the gazetteer with a numeral and a measure word in them (三台县,
 * 两家子镇, 三个庄子镇): in the text they are names, not counts. Built once. */
typedef struct {
    const char *name; /* points into the embedded CSV */
    size_t len;       /* bytes of the name */
    size_t numeral;   /* byte offset of the numeral in the name */
    uint64_t key;     /* the 6 bytes from the numeral (its character and the next) */
} s_place_t;
static s_place_t *s_places;
static size_t s_n_places;
static void s_places_init(void);

static void s_class_init(void)
{
    for (uint32_t c = '0'; c <= '9'; c++)
        s_class[c] = C_DIGIT;
    for (uint32_t c = 0xFF10; c <= 0xFF19; c++)
        s_class[c] = C_DIGIT;
    for (uint32_t c = 0x3000; c < 0xA000; c++)
        if (lxm_numeral_value(c) >= 0)
            s_class[c] = C_NUMERAL;
    const uint32_t bounds[] = {',', ';', ':', '!', '?', '\n', '\r', 0xFF0C, 0x3002, 0xFF1B,
                               0xFF1A, 0xFF01, 0xFF1F};
    for (size_t i = 0; i < sizeof bounds / sizeof bounds[0]; i++)
        s_class[bounds[i]] = C_BOUND;
    const uint32_t quotes[] = {'"', 0x201C, 0x201D, 0x300C, 0x300D, 0x2018, 0x2019, 0x300A, 0x300B};
    for (size_t i = 0; i < sizeof quotes / sizeof quotes[0]; i++)
        s_class[quotes[i]] = C_QUOTE;
    for (uint32_t c = 0; c < 65536; c++) {
        if (lxm_trad_char(c))
            s_trad[c >> 6] |= 1ULL << (c & 63);
        if (s_class[c] || lxm_trad_char(c)) /* (traditional ones: to be seen, see below) */
            s_interest[c >> 6] |= 1ULL << (c & 63);
    }
    s_places_init();
}

struct lxm_facts_t {
    const lxm_rules_t *rules; /* borrowed, may be NULL (no keys, no vetoes) */
    pcre2_match_data *md;     /* this thread's match data */
    lxm_buf_t window;         /* scratch: key window / veto subject */
    size_t trad_at;           /* lxm_facts_traditional_at */
    bool plain;               /* the text the current fact's windows are cut from holds no
                                 traditional character: nothing to map */
    /* s_key_respectively's search of the current clause for 分别, carried from one fact
     * to the next of the same clause so each byte is searched once */
    size_t resp_clause;       /* the clause searched (SIZE_MAX: none yet in this text) */
    size_t resp_to;           /* searched up to here */
    size_t resp_at;           /* the last 分别 found in it, or SIZE_MAX */
};

/* Maps the traditional characters of the window (from byte AT) for the key and @same
 * rows. Only the windows of facts found are mapped: a scan of the whole text would
 * cost more than these few short windows. (@nofact subjects are not: the idioms are
 * matched as written.) */
static void s_window_simplify(lxm_facts_t *self, size_t at)
{
    if (!self->plain)
        lxm_trad_simplify(self->window.data + at, self->window.len - at);
}

lxm_facts_t *lxm_facts_new(const lxm_rules_t *rules)
{
    pthread_once(&s_class_once, s_class_init);
    lxm_facts_t *self = lxm_xcalloc(1, sizeof *self);
    self->rules = rules;
    self->trad_at = SIZE_MAX;
    if (rules) {
        self->md = lxm_rules_match_data(rules);
        if (!self->md) {
            free(self);
            return NULL;
        }
    }
    return self;
}

void lxm_facts_destroy(lxm_facts_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_facts_t *self = *self_p;
    if (self->md)
        pcre2_match_data_free(self->md);
    lxm_buf_free(&self->window);
    free(self);
    *self_p = NULL;
}

/* Code point at S (0 when invalid or at the end), with its length in *len. */
static inline uint32_t s_cp(const char *s, size_t n, size_t *len)
{
    uint32_t cp = 0;
    *len = lxm_utf8_decode(s, n, &cp);
    return *len ? cp : 0;
}

/* Code point of the character that ends just before POS (not before FLOOR); 0 if none. */
static uint32_t s_cp_before(const char *text, size_t floor, size_t pos, size_t *start)
{
    if (pos <= floor)
        return 0;
    size_t p = pos - 1;
    while (p > floor && pos - p < 4 && ((unsigned char) text[p] & 0xC0) == 0x80)
        p--;
    size_t len;
    uint32_t cp = s_cp(text + p, pos - p, &len);
    if (!len || p + len != pos)
        return 0;
    if (start)
        *start = p;
    return cp;
}

static bool s_starts(const char *s, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(s, lit, l) == 0;
}

/* Measure word at S: returns its unit id (lxm_units) and its length, or -1. 场次 and 人次
 * are tried before 场 and 人; traditional forms (場 個 項 …) give the simplified unit. */
static int s_unit_at(const char *s, size_t n, size_t *ulen)
{
    if (n == 0)
        return -1;
    if (s[0] == '%') {
        *ulen = 1;
        return LXM_U_PERCENT;
    }
    uint32_t cp;
    size_t l = lxm_utf8_decode(s, n, &cp);
    if (l != 3)
        return -1;
    int id;
    switch (cp) {
    case 0xFF05: *ulen = 3; return LXM_U_PERCENT; /* ％ */
    case 0x573A: /* 场 */
    case 0x5834: /* 場 */
    case 0x4EBA: /* 人 */
        if (s_starts(s + 3, n - 3, "次")) {
            *ulen = 6;
            return cp == 0x4EBA ? LXM_U_RENCI : LXM_U_CHANGCI;
        }
        id = cp == 0x4EBA ? LXM_U_REN : LXM_U_CHANG;
        break;
    case 0x6B21: id = LXM_U_CI; break;  /* 次 */
    case 0x540D: id = LXM_U_MING; break;  /* 名 */
    case 0x4F4D: id = LXM_U_WEI; break;  /* 位 */
    case 0x4EFD: id = LXM_U_FEN; break;  /* 份 */
    case 0x518C: /* 册 */
    case 0x518A: id = LXM_U_CE; break;  /* 冊 */
    case 0x4EF6: id = LXM_U_JIAN; break; /* 件 */
    case 0x8D77: id = LXM_U_QI; break; /* 起 */
    case 0x6761: /* 条 */
    case 0x689D: id = LXM_U_TIAO; break; /* 條 */
    case 0x4E2A: /* 个 */
    case 0x500B: id = LXM_U_GE; break; /* 個 */
    case 0x9879: /* 项 */
    case 0x9805: id = LXM_U_XIANG; break; /* 項 */
    case 0x671F: id = LXM_U_QIHAO; break; /* 期 */
    case 0x7BC7: id = LXM_U_PIAN; break; /* 篇 */
    case 0x8258: id = LXM_U_SOU; break; /* 艘 */
    case 0x5802: id = LXM_U_TANG; break; /* 堂 */
    case 0x6237: /* 户 */
    case 0x6236: id = LXM_U_HU; break; /* 戶 */
    case 0x5BB6: id = LXM_U_JIA; break; /* 家 */
    case 0x6240: id = LXM_U_SUO; break; /* 所 */
    case 0x5904: /* 处 */
    case 0x8655: id = LXM_U_CHU; break; /* 處 */
    case 0x6279: id = LXM_U_PI; break; /* 批 */
    case 0x5F20: /* 张 */
    case 0x5F35: id = LXM_U_ZHANG; break; /* 張 */
    case 0x672C: id = LXM_U_BEN; break; /* 本 */
    case 0x5957: id = LXM_U_TAO; break; /* 套 */
    case 0x53F0: /* 台 */
    case 0x81FA: id = LXM_U_TAI; break; /* 臺 */
    case 0x5143: id = LXM_U_YUAN; break; /* 元 */
    default: return -1;
    }
    *ulen = 3;
    return id;
}

/* The 6 bytes at P as a sort key (P must have 6 readable bytes). */
static uint64_t s_key6(const char *p)
{
    uint64_t k = 0;
    memcpy(&k, p, 6);
    return k;
}

/* Reads the quoted names of one embedded gazetteer CSV (code,"name",...) and keeps
 * those that hold a numeral followed by a measure word. */
static void s_places_scan(const char *csv, size_t len, size_t *cap)
{
    size_t i = 0;
    while (i < len) {
        const char *nl = memchr(csv + i, '\n', len - i);
        size_t end = nl ? (size_t) (nl - csv) : len;
        const char *q1 = memchr(csv + i, '"', end - i);
        const char *q2 = q1 ? memchr(q1 + 1, '"', (size_t) (csv + end - q1 - 1)) : NULL;
        if (q1 && q2) {
            const char *name = q1 + 1;
            size_t nlen = (size_t) (q2 - name);
            for (size_t k = 0; k < nlen;) {
                uint32_t cp;
                size_t l = lxm_utf8_decode(name + k, nlen - k, &cp);
                if (!l)
                    break;
                lxm_num_t num;
                size_t skip = 0, ul;
                if (lxm_numeral_value(cp) >= 0 &&
                    lxm_number_read(name + k, nlen - k, &num, &skip)) {
                    size_t u = k + num.consumed;
                    if (u < nlen && (s_starts(name + u, nlen - u, "余") ||
                                     s_starts(name + u, nlen - u, "多")))
                        u += 3;
                    if (s_unit_at(name + u, nlen - u, &ul) >= 0 && k + 6 <= nlen) {
                        if (s_n_places == *cap) {
                            *cap = *cap ? *cap * 2 : 256;
                            s_places = lxm_xrealloc(s_places, *cap * sizeof *s_places);
                        }
                        s_places[s_n_places++] = (s_place_t){name, nlen, k, s_key6(name + k)};
                        break;
                    }
                }
                k += skip > l ? skip : l;
            }
        }
        i = end + 1;
    }
}

static int s_place_cmp(const void *a, const void *b)
{
    uint64_t x = ((const s_place_t *)a)->key, y = ((const s_place_t *)b)->key;
    return x < y ? -1 : x > y;
}

static void s_places_init(void)
{
    const char *files[] = {"streets.csv", "areas.csv", "cities.csv"};
    size_t cap = 0;
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        size_t len = 0;
        const char *csv = lxm_data_get(files[f], &len);
        if (csv)
            s_places_scan(csv, len, &cap);
    }
    /* sorted by the bytes from the numeral: a number in the text is compared only with
     * the names that continue it the same way */
    if (s_n_places)
        qsort(s_places, s_n_places, sizeof *s_places, s_place_cmp);
}

/* True when the number at P is the numeral of a division name written out in full. */
static bool s_place_name(const char *text, size_t len, size_t floor, size_t p)
{
    if (p + 6 > len)
        return false; /* every name holds a numeral and a measure word from it */
    uint64_t key = s_key6(text + p);
    size_t lo = 0, hi = s_n_places;
    while (lo < hi) { /* first place with a key >= KEY */
        size_t mid = lo + (hi - lo) / 2;
        if (s_places[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < s_n_places && s_places[i].key == key; i++) {
        const s_place_t *pl = &s_places[i];
        if (p < floor + pl->numeral)
            continue;
        size_t at = p - pl->numeral;
        if (at + pl->len <= len && memcmp(text + at, pl->name, pl->len) == 0)
            return true;
    }
    return false;
}

static bool s_is_ascii_alpha(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* Characters glued to a number that make it a code, a date or a formula, not a count. */
static bool s_code_joiner(uint32_t c)
{
    return c == '+' || c == 0xFF0B || c == '-' || c == '/' || c == '*' || c == 0xD7 ||
           c == '@' || c == '#' || c == '_' || c == '=' || c == 0x2010 || c == 0x2013 ||
           c == '~' || c == 0xFF5E || c == 0x2014;
}

/* Where the scan last saw quotation marks and book-title marks (byte offsets just after
 * them, 0 = none), so a fact can be checked without looking back over the text. */
typedef struct {
    size_t open_q, close_q;   /* “ 「 ‘  and  ” 」 ’ */
    size_t open_t, close_t;   /* 《 and 》 */
    size_t ascii_q;           /* the last " */
    int ascii_n;              /* how many " since the line start */
} s_marks_t;

static void s_marks_see(s_marks_t *m, uint32_t cp, size_t after)
{
    switch (cp) {
    case 0x201C: case 0x300C: case 0x2018: m->open_q = after; break;
    case 0x201D: case 0x300D: case 0x2019: m->close_q = after; break;
    case 0x300A: m->open_t = after; break;
    case 0x300B: m->close_t = after; break;
    default: m->ascii_q = after; m->ascii_n++; break;
    }
}

/* Scans forward from TO (at most MAX characters, not past a line end or 。) for the
 * closing mark WANT; false when another opening mark comes first. */
static bool s_closes(const char *text, size_t len, size_t to, uint32_t want, int max)
{
    size_t q = to;
    for (int steps = 0; q < len && steps < max; steps++) {
        size_t l;
        uint32_t c = s_cp(text + q, len - q, &l);
        if (!l || c == '\n' || (c == 0x3002 && want != 0x300B))
            return false;
        if (c == want || (want == 0x201D && (c == 0x300D || c == 0x2019)))
            return true;
        if (c == 0x201C || c == 0x300C || c == 0x2018 || (c == 0x300A && want == 0x300B))
            return false;
        q += l;
    }
    return false;
}

/* True when [from, to) sits inside a short quotation “…” "…" 「…」 ‘…’ or a book title
 * 《…》 on the same line: slogans and names, not counts. Only marks near the number count,
 * so an unbalanced quote far away cannot hide a real fact. */
static bool s_quoted(const s_marks_t *m, const char *text, size_t len, size_t line,
                     size_t from, size_t to)
{
    if (m->open_t > m->close_t && m->open_t >= line && from - m->open_t <= 180 &&
        s_closes(text, len, to, 0x300B, 60))
        return true;
    if (m->open_q > m->close_q && m->open_q >= line && from - m->open_q <= 72 &&
        s_closes(text, len, to, 0x201D, 16))
        return true;
    if ((m->ascii_n % 2) && m->ascii_q >= line && from - m->ascii_q <= 72 &&
        s_closes(text, len, to, '"', 16))
        return true;
    return false;
}

/* Appends S[0,n) to B with invalid UTF-8 bytes replaced by '?', so PCRE2 may skip its
 * own check. */
static void s_append_clean(lxm_buf_t *b, const char *s, size_t n)
{
    size_t i = 0, run = 0;
    while (i < n) {
#ifdef __SSE2__
        /* sixteen bytes of ASCII and whole three-byte characters (lead E1..EC or EE..EF,
         * two continuation bytes) at once: every lead has its continuation bytes in the
         * block and every continuation byte follows a lead */
        if (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *) (s + i));
            __m128i t1 = _mm_sub_epi8(v, _mm_set1_epi8((char) 0xE1));
            __m128i t2 = _mm_sub_epi8(v, _mm_set1_epi8((char) 0xEE));
            __m128i t3 = _mm_sub_epi8(v, _mm_set1_epi8((char) 0x80));
            unsigned lead =
                (unsigned) _mm_movemask_epi8(_mm_or_si128(
                    _mm_cmpeq_epi8(_mm_min_epu8(t1, _mm_set1_epi8(11)), t1),
                    _mm_cmpeq_epi8(_mm_min_epu8(t2, _mm_set1_epi8(1)), t2)));
            unsigned cont = (unsigned) _mm_movemask_epi8(
                _mm_cmpeq_epi8(_mm_min_epu8(t3, _mm_set1_epi8(0x3F)), t3));
            unsigned ascii = ~(unsigned) _mm_movemask_epi8(v) & 0xFFFF;
            if (!(lead & 0xC000) && cont == ((lead << 1) | (lead << 2)) &&
                (ascii | lead | cont) == 0xFFFF) {
                i += 16;
                continue;
            }
        }
#endif
        /* two 3-byte characters at once, as lxm_utf8_decode would take them one by one
         * (lead 1110xxxx, two continuation bytes each) */
        if (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, s + i, 8);
            if ((x & 0x0000C0C0F0C0C0F0ull) == 0x00008080E08080E0ull) {
                i += 6;
                continue;
            }
        }
        uint32_t cp;
        size_t l = lxm_utf8_decode(s + i, n - i, &cp);
        if (l) {
            i += l;
            continue;
        }
        lxm_buf_append(b, s + run, i - run);
        lxm_buf_putc(b, '?');
        i++;
        run = i;
    }
    lxm_buf_append(b, s + run, n - run);
}

/* Steps back from POS to the start of a UTF-8 character, not below FLOOR. */
static size_t s_align(const char *text, size_t floor, size_t pos)
{
    while (pos > floor && ((unsigned char) text[pos] & 0xC0) == 0x80)
        pos--;
    return pos;
}

typedef struct {
    size_t clause;     /* start of the clause (after the last boundary) */
    size_t local;      /* start of this fact's own stretch (after the previous fact) */
    size_t num;        /* number start (约/近 excluded) */
    size_t lead;       /* start of the quantity: 约/近 included */
    size_t end;        /* end of the fact text: unit and trailing 以上/左右 */
    double value;
    int unit;          /* unit id (lxm_units) */
    const char *qual;
} s_fact_t;

static bool s_vetoed(lxm_facts_t *self, const char *text, size_t len, size_t floor,
                     const s_fact_t *f)
{
    if (!self->rules)
        return false;
    size_t ws = f->num > floor + 24 ? s_align(text, floor, f->num - 24) : floor;
    size_t we = f->end + 48 < len ? s_align(text, f->end, f->end + 48) : len;
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + ws, f->num - ws);
    size_t off = self->window.len;
    s_append_clean(&self->window, text + f->num, we - f->num);
    return lxm_rules_veto(self->rules, self->md, self->window.data, self->window.len, off,
                          f->unit);
}

/* The key of a fact (the rules are written in simplified characters: every window is
 * mapped from traditional first). The rules first see this fact's own stretch of clause with the
 * quantity replaced by '#' ("全年办理人大代表建议#"); only when no row fits there do they
 * see it followed by the rest of the clause ("聘请#人大代表、群众代表担任行政执法监督员"),
 * up to a boundary or the next Arabic number that is not a year. */
static bool s_verbal_unit(int unit);

/* True when a number followed by a measure word (after 余/多) starts at P. */
static bool s_counts_at(const char *text, size_t len, size_t p)
{
    lxm_num_t num;
    size_t skip, ul;
    if (!lxm_number_read(text + p, len - p, &num, &skip) || num.kind == LXM_NUM_POSITIONAL)
        return false;
    size_t q = p + num.consumed;
    if (s_starts(text + q, len - q, "余") || s_starts(text + q, len - q, "多"))
        q += 3;
    return s_unit_at(text + q, len - q, &ul) >= 0;
}

static const char *s_key(lxm_facts_t *self, const char *text, size_t len, const s_fact_t *f,
                         const char *prev)
{
    if (!self->rules)
        return NULL;
    /* after a verbal classifier an enumeration comma starts another matter
     * (观看庭审直播6次、讲授党课13次); after a nominal one it may continue the noun
     * (聘请10名人大代表、群众代表担任…监督员) */
    bool verbal = s_verbal_unit(f->unit);
    size_t tail = f->end, chars = 0, last_dun = 0;
    while (tail < len && chars < 30) {
        size_t l;
        uint32_t c = s_cp(text + tail, len - tail, &l);
        if (!l || (c < 65536 && s_class[c] == C_BOUND) || (verbal && c == 0x3001))
            break;
        /* the next quantity (not a year: 参加2025年法治理论考试) starts another fact, and
         * its words start after the last enumeration comma (示范村9个、受理纠纷十起) */
        if (c < 65536 && (s_class[c] == C_DIGIT || s_class[c] == C_NUMERAL) &&
            s_counts_at(text, len, tail)) {
            if (last_dun)
                tail = last_dun;
            break;
        }
        if (c == 0x3001)
            last_dun = tail;
        tail += l;
        chars++;
    }
    /* the scan has not read the words after the fact yet */
    if (self->plain && lxm_trad_first(text + f->end, tail - f->end) < tail - f->end)
        self->plain = false;
    const char *key;
    /* a nominal classifier is followed by the noun it counts (12件规范性文件, 10名…监督员):
     * that noun is the best evidence, so it is tried alone first. A verbal one (次 场 期)
     * ends its phrase: what follows is another matter. */
    if (!verbal && tail > f->end) {
        /* the noun ends at an enumeration comma: 建议54件、群众信访举报45件 */
        const char *dun = memmem(text + f->end, tail - f->end, "、", 3);
        size_t noun_end = dun ? (size_t) (dun - text) : tail;
        lxm_buf_clear(&self->window);
        lxm_buf_putc(&self->window, '#');
        s_append_clean(&self->window, text + f->end, noun_end - f->end);
        s_window_simplify(self, 0);
        key = lxm_rules_key_after(self->rules, self->md, self->window.data, self->window.len,
                                  f->unit, prev);
        if (key)
            return key;
    }
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + f->local, f->lead - f->local);
    lxm_buf_putc(&self->window, '#');
    s_window_simplify(self, 0);
    key = lxm_rules_key_after(self->rules, self->md, self->window.data, self->window.len, f->unit,
                              prev);
    if (key || tail == f->end)
        return key;
    size_t at = self->window.len;
    s_append_clean(&self->window, text + f->end, tail - f->end);
    s_window_simplify(self, at);
    return lxm_rules_key_after(self->rules, self->md, self->window.data, self->window.len,
                               f->unit, prev);
}

/* The key of a fact whose own stretch an @back row matches, from the previous clause
 * (from FROM, at most two clause lengths back) and the stretch; NULL otherwise. */
static const char *s_key_back(lxm_facts_t *self, const char *text, size_t from,
                              const s_fact_t *f, const char *prev)
{
    if (!self->rules || !lxm_rules_has_back(self->rules))
        return NULL;
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + f->local, f->lead - f->local);
    lxm_buf_putc(&self->window, '#');
    s_window_simplify(self, 0);
    if (!lxm_rules_back(self->rules, self->md, self->window.data, self->window.len, f->unit))
        return NULL;
    if (f->lead - from > 2 * LXM_FACTS_MAX_CLAUSE)
        from = f->lead - 2 * LXM_FACTS_MAX_CLAUSE;
    while (from < f->lead && ((unsigned char) text[from] & 0xC0) == 0x80)
        from++;
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + from, f->lead - from);
    lxm_buf_putc(&self->window, '#');
    s_window_simplify(self, 0);
    return lxm_rules_key_after(self->rules, self->md, self->window.data, self->window.len,
                               f->unit, prev);
}

/* "行政复议、行政诉讼案件分别为12件、8件": after 分别 the I-th quantity counts the I-th item
 * of the enumeration (、) before it, so each is keyed from its own item. Returns that key,
 * or NULL when F's clause is no such pairing (no 分别 before F, fewer than two items, or
 * as many quantities after 分别 as items: a mismatch is read the usual way). */
static const char *s_key_respectively(lxm_facts_t *self, const char *text, size_t len,
                                      const s_fact_t *f, const char *prev)
{
    static const char resp[] = "分别", dun[] = "、";
    if (!self->rules || f->lead - f->clause < 9)
        return NULL;
    /* the last 分别 of the clause before F (the bytes before the previous fact of the
     * clause were searched for it already; a number cannot be inside 分别) */
    if (self->resp_clause != f->clause || self->resp_to > f->lead) {
        self->resp_clause = f->clause;
        self->resp_to = f->clause;
        self->resp_at = SIZE_MAX;
    }
    for (const char *p = text + self->resp_to; p < text + f->lead;) {
        const char *q = memmem(p, (size_t) (text + f->lead - p), resp, 6);
        if (!q)
            break;
        self->resp_at = (size_t) (q - text);
        p = q + 6;
    }
    self->resp_to = f->lead;
    size_t at = self->resp_at;
    if (at == SIZE_MAX)
        return NULL;
    /* the items before it */
    enum { MAX_ITEMS = 8 };
    size_t from[MAX_ITEMS], to[MAX_ITEMS];
    int items = 0;
    for (size_t s = f->clause;;) {
        const char *d = s < at ? memmem(text + s, at - s, dun, 3) : NULL;
        if (items == MAX_ITEMS)
            return NULL;
        from[items] = s;
        to[items++] = d ? (size_t) (d - text) : at;
        if (!d)
            break;
        s = (size_t) (d - text) + 3;
    }
    if (items < 2)
        return NULL;
    /* the quantities after it, up to the clause's end: which one F is, and how many */
    int mine = -1, quantities = 0;
    for (size_t i = at + 6; i < len;) {
        size_t l;
        uint32_t c = s_cp(text + i, len - i, &l);
        if (!l || (c < 65536 && s_class[c] == C_BOUND))
            break;
        if (c < 65536 && (s_class[c] == C_DIGIT || s_class[c] == C_NUMERAL) &&
            s_counts_at(text, len, i)) {
            if (i == f->num)
                mine = quantities;
            quantities++;
            lxm_num_t num;
            size_t skip = 0;
            if (lxm_number_read(text + i, len - i, &num, &skip) && num.consumed > 0) {
                i += num.consumed;
                continue;
            }
        }
        i += l;
    }
    if (mine < 0 || quantities != items)
        return NULL;
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + from[mine], to[mine] - from[mine]);
    lxm_buf_putc(&self->window, '#');
    s_window_simplify(self, 0);
    return lxm_rules_key_after(self->rules, self->md, self->window.data, self->window.len,
                               f->unit, prev);
}

/* Units that count events (次 场 场次 人次 期 堂) or are a rate (%): they close their phrase. */
static bool s_verbal_unit(int unit)
{
    return unit == LXM_U_PERCENT || unit == LXM_U_CI || unit == LXM_U_CHANG ||
           unit == LXM_U_CHANGCI || unit == LXM_U_RENCI || unit == LXM_U_QIHAO ||
           unit == LXM_U_TANG;
}

/* True when TEXT[from, to) holds only separators of an enumeration (、 和 及 与 blanks):
 * "6次、8次" counts the same thing twice. */
static bool s_only_separators(const char *text, size_t from, size_t to)
{
    size_t i = from;
    while (i < to) {
        size_t l;
        uint32_t c = s_cp(text + i, to - i, &l);
        if (!l)
            return false;
        if (c != 0x3001 && c != 0x548C && c != 0x53CA && c != 0x4E0E && c != ' ' && c != 0x3000)
            return false;
        i += l;
    }
    return true;
}

/* True when an @same row recognises the fact's own stretch of clause. */
static bool s_continues(lxm_facts_t *self, const char *text, const s_fact_t *f)
{
    if (!self->rules)
        return false;
    lxm_buf_clear(&self->window);
    s_append_clean(&self->window, text + f->local, f->lead - f->local);
    lxm_buf_putc(&self->window, '#');
    s_window_simplify(self, 0);
    return lxm_rules_same(self->rules, self->md, self->window.data, self->window.len, f->unit);
}

/* 百余人, 千余份, 万余人次, 近千人: a bare 百 千 万 is a round number when 余/多 follows it
 * or 近/约 precedes it (elsewhere it is an idiom: 千家万户, 百姓). Fills NUM. */
static bool s_round_number(const char *text, size_t len, size_t floor, size_t p, lxm_num_t *num)
{
    size_t l;
    uint32_t c = s_cp(text + p, len - p, &l);
    double v = c == 0x767E ? 100 : c == 0x5343 ? 1000 : (c == 0x4E07 || c == 0x842C) ? 1e4 : 0;
    if (v == 0)
        return false;
    size_t l2;
    uint32_t after = s_cp(text + p + l, len - p - l, &l2);
    uint32_t before = s_cp_before(text, floor, p, NULL);
    if (!(after == 0x4F59 || after == 0x9918 || after == 0x591A || before == 0x8FD1 ||
          before == 0x7EA6 || before == 0x7D04))
        return false;
    memset(num, 0, sizeof *num);
    num->value = v;
    num->consumed = l;
    num->kind = LXM_NUM_CHINESE;
    return true;
}

/* Tries to read a fact whose number starts at P. Returns true with F filled; *next is
 * where the scan goes on either way. */
static bool s_fact_at(lxm_facts_t *self, const char *text, size_t len, size_t floor,
                      size_t p, s_fact_t *f, size_t *next)
{
    lxm_num_t num;
    size_t skip = 0, q;
    bool percent_words = false;
    double value;
    /* 百分之九十五, 百分之百 */
    if (s_starts(text + p, len - p, "百分之")) {
        size_t s2 = 0;
        if (s_starts(text + p + 9, len - p - 9, "百")) {
            memset(&num, 0, sizeof num);
            num.value = 100;
            num.consumed = 3;
            num.kind = LXM_NUM_CHINESE;
        } else if (!lxm_number_read(text + p + 9, len - p - 9, &num, &s2)) {
            *next = p + 9 + (s2 ? s2 : 0);
            return false;
        }
        percent_words = true;
        q = p + 9 + num.consumed;
        /* 百分之九十六点五: the spoken decimal point, then one digit word per place */
        if (s_starts(text + q, len - q, "点")) {
            static const char *const digits[] = {"零", "一", "二", "三", "四",
                                                 "五", "六", "七", "八", "九"};
            size_t d = q + 3;
            double scale = 0.1, frac = 0;
            for (;;) {
                int k = 0;
                while (k < 10 && !s_starts(text + d, len - d, digits[k]))
                    k++;
                if (k == 10 && !s_starts(text + d, len - d, "〇"))
                    break;
                frac += (k == 10 ? 0 : k) * scale;
                scale /= 10;
                d += 3;
            }
            if (d > q + 3) {
                num.value += frac;
                q = d;
            }
        }
        *next = q;
    } else {
        bool ok = lxm_number_read(text + p, len - p, &num, &skip);
        *next = p + (skip ? skip : 1);
        if (!ok && !s_round_number(text, len, floor, p, &num))
            return false;
        q = p + num.consumed;
        if (num.consumed > skip)
            *next = q;
    }
    if (num.kind == LXM_NUM_POSITIONAL)
        return false;
    value = num.value;

    size_t bstart = p;
    uint32_t before = s_cp_before(text, floor, p, &bstart);
    if (before == 0x7B2C) /* 第: an ordinal */
        return false;
    if (before == ' ' || before == 0x3000) { /* "第 3 次" */
        size_t b2;
        if (s_cp_before(text, floor, bstart, &b2) == 0x7B2C)
            return false;
    }
    if (s_is_ascii_alpha(before) || s_code_joiner(before) || before == '.' || before == 0xFF0E)
        return false;
    if (num.kind == LXM_NUM_ARABIC && !num.has_fraction && !num.multiplied &&
        (num.int_digits >= 11 || (num.int_digits >= 3 && text[p] == '0')))
        return false; /* phone numbers and codes */

    const char *qual = NULL;
    size_t lead = p;
    if (before == 0x7D04)
        before = 0x7EA6; /* 約 */
    if (before == 0x7EA6 || before == 0x8FD1) { /* 约 近 before the number */
        qual = before == 0x7EA6 ? "约" : "近";
        lead = bstart;
    }
    size_t l;
    uint32_t c = s_cp(text + q, len - q, &l);
    /* "1,200 余份": one ASCII space after Latin digits before the qualifier */
    if (c == ' ' && num.kind == LXM_NUM_ARABIC && !percent_words) {
        size_t l2;
        uint32_t c2 = s_cp(text + q + 1, len - q - 1, &l2);
        if (l2 && (c2 == 0x4F59 || c2 == 0x9918 || c2 == 0x591A)) {
            q += 1;
            c = c2;
            l = l2;
        }
    }
    if (l && (c == 0x4F59 || c == 0x9918 || c == 0x591A) && !percent_words) { /* 余 餘 多 */
        qual = c == 0x591A ? "多" : "余";
        q += l;
        /* 300余万元: the multiplier may follow the qualifier */
        c = s_cp(text + q, len - q, &l);
        if (l && (c == 0x4E07 || c == 0x4EBF) && !num.multiplied) {
            value *= c == 0x4E07 ? 1e4 : 1e8;
            q += l;
        }
    }
    if (l && !percent_words && (s_code_joiner(c) || s_is_ascii_alpha(c)))
        return false;
    /* crawled text may space a number from its unit ("共 5 次"): one or two blanks */
    size_t sp = q;
    for (int blanks = 0; blanks < 2 && sp < len; blanks++) {
        if (text[sp] == ' ' || text[sp] == '\t')
            sp += 1;
        else if (s_starts(text + sp, len - sp, "\u3000"))
            sp += 3;
        else if (s_starts(text + sp, len - sp, "\u00a0"))
            sp += 2;
        else
            break;
    }
    size_t ul;
    if (sp > q && s_unit_at(text + sp, len - sp, &ul) >= 0)
        q = sp;
    size_t ulen = 0;
    int unit = percent_words ? LXM_U_PERCENT : s_unit_at(text + q, len - q, &ulen);
    if (unit < 0)
        return false;
    size_t end = q + ulen;
    /* 320批次, 2165户次, 120件次: the unit is the measure word, 次 belongs to it */
    if (unit != LXM_U_PERCENT && unit != LXM_U_CHANGCI && unit != LXM_U_RENCI &&
        unit != LXM_U_CI && s_starts(text + end, len - end, "次"))
        end += 3;
    if (s_starts(text + end, len - end, "以上") || s_starts(text + end, len - end, "左右")) {
        if (!qual)
            qual = s_starts(text + end, len - end, "以上") ? "以上" : "左右";
        end += 6;
    }
    *next = end;
    f->num = p;
    f->lead = lead;
    f->end = end;
    f->value = value;
    f->unit = unit;
    f->qual = qual;
    return true;
}

/* Offset of the first traditional character in TEXT[from, to), or SIZE_MAX. */
static size_t s_trad_in(const char *text, size_t from, size_t to)
{
    size_t k = lxm_trad_first(text + from, to - from);
    return k < to - from ? from + k : SIZE_MAX;
}

size_t lxm_facts_extract(lxm_facts_t *self, const char *text, size_t len, size_t body_start,
                         lxm_record_t *rec)
{
    if (self) {
        self->trad_at = SIZE_MAX;
        self->resp_clause = SIZE_MAX;
    }
    if (!self || !text || !rec || body_start >= len)
        return 0;
    /* the first traditional character: before the body, else where the scan below meets
     * one (they are in s_interest), else in a stretch the scan jumps over */
    size_t trad_at = lxm_trad_first(text, body_start);
    if (trad_at >= body_start)
        trad_at = SIZE_MAX;
    size_t found = 0;
    size_t i = body_start;
    size_t clause = body_start;   /* start of the current clause */
    size_t prev_clause = SIZE_MAX; /* start of the clause before it in this sentence */
    size_t prev_end = body_start; /* end of the previous fact in this clause, if any */
    size_t line = body_start;
    s_marks_t marks = {0, 0, 0, 0, 0, 0};
    size_t sentence = body_start; /* start of the current sentence (after 。！？ or a line) */
    const char *prev_key = NULL;  /* the previous fact: its key, unit and number */
    int prev_unit = -1;
    size_t prev_num = 0;
    const unsigned char *u = (const unsigned char *) text;
    while (i < len) {
        /* hot loop: most characters are 3-byte CJK that are neither numerals nor
         * boundaries. The first two bytes name a block of 64 code points; most blocks
         * hold nothing of interest and are skipped without reading the third byte */
        unsigned char b = u[i];
        uint32_t cp;
        size_t l;
        /* two CJK characters of no interest at once (the common case) */
        if (b >= 0xE0 && i + 8 <= len) {
            uint64_t x;
            memcpy(&x, u + i, 8);
            if ((x & 0x0000C0C0F0C0C0F0ull) == 0x00008080E08080E0ull) {
                uint32_t c0 = (uint32_t)((x & 0x0F) << 12 | ((x >> 8) & 0x3F) << 6 | ((x >> 16) & 0x3F));
                uint32_t c1 = (uint32_t)(((x >> 24) & 0x0F) << 12 | ((x >> 32) & 0x3F) << 6 |
                                         ((x >> 40) & 0x3F));
                uint64_t m0 = s_interest[c0 >> 6] >> (c0 & 63), m1 = s_interest[c1 >> 6] >> (c1 & 63);
                if (!((m0 | m1) & 1)) {
                    i += 6;
                    continue;
                }
                if (!(m0 & 1)) { /* only the second is of interest: step to it */
                    i += 3;
                    continue;
                }
            }
        }
        if (b < 0x80) {
            if (!s_class[b]) {
                i++;
                continue;
            }
            cp = b;
            l = 1;
        } else if ((b & 0xF0) == 0xE0 && i + 2 < len && (u[i + 1] & 0xC0) == 0x80) {
            uint64_t block = s_interest[((b & 0x0F) << 6) | (u[i + 1] & 0x3F)];
            if ((u[i + 2] & 0xC0) != 0x80) {
                i += 2; /* broken character: resynchronise on the next byte */
                continue;
            }
            if (!block || !((block >> (u[i + 2] & 0x3F)) & 1)) {
                i += 3;
                continue;
            }
            cp = ((uint32_t) (b & 0x0F) << 12) | ((uint32_t) (u[i + 1] & 0x3F) << 6) |
                 (u[i + 2] & 0x3F);
            l = 3;
            if (!s_class[cp]) { /* a traditional character, of no other interest */
                if (trad_at == SIZE_MAX)
                    trad_at = i;
                i += 3;
                continue;
            }
            if (trad_at == SIZE_MAX && ((s_trad[cp >> 6] >> (cp & 63)) & 1))
                trad_at = i; /* 萬 億 兩: numerals too */
        } else {
            l = lxm_utf8_decode(text + i, len - i, &cp);
            if (!l) {
                i++;
                continue;
            }
            if (cp >= 65536 || !s_class[cp]) {
                i += l;
                continue;
            }
        }
        unsigned char cls = s_class[cp];
        if (cls == C_QUOTE) {
            i += l;
            s_marks_see(&marks, cp, i);
            continue;
        }
        if (cls == C_BOUND) {
            i += l;
            prev_clause = clause;
            clause = prev_end = i;
            if (cp == '\n' || cp == '\r' || cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F ||
                cp == '!' || cp == '?') {
                sentence = i;
                prev_clause = SIZE_MAX;
            }
            if (cp == '\n' || cp == '\r') {
                line = i;
                marks.ascii_n = 0;
            }
            continue;
        }
        s_fact_t f;
        size_t next;
        if (!s_fact_at(self, text, len, line, i, &f, &next)) {
            size_t to = next > i ? next : i + l;
            if (trad_at == SIZE_MAX && to > i + l && to <= len) /* jumped over */
                trad_at = s_trad_in(text, i + l, to);
            i = to;
            continue;
        }
        if (trad_at == SIZE_MAX && next > i + l && next <= len)
            trad_at = s_trad_in(text, i + l, next);
        i = next;
        if (s_quoted(&marks, text, len, line, f.lead, f.end) ||
            s_vetoed(self, text, len, line, &f))
            continue;
        if ((unsigned char) text[f.num] >= 0x80 && s_place_name(text, len, line, f.num))
            continue;
        /* the clause starts after the boundary, without leading blanks; text with no
         * punctuation for pages on end gets a bounded clause (the last 240 bytes) */
        size_t cs = clause;
        if (f.lead - cs > LXM_FACTS_MAX_CLAUSE) {
            cs = f.lead - LXM_FACTS_MAX_CLAUSE;
            while (cs < f.lead && ((unsigned char) text[cs] & 0xC0) == 0x80)
                cs++;
        }
        while (cs < f.lead) {
            if (text[cs] == ' ' || text[cs] == '\t')
                cs++;
            else if (s_starts(text + cs, f.lead - cs, "\u3000") ||
                     s_starts(text + cs, f.lead - cs, "\u00a0"))
                cs += (unsigned char) text[cs] == 0xE3 ? 3 : 2;
            else
                break;
        }
        f.clause = cs;
        f.local = prev_end > cs ? prev_end : cs;
        /* the previous fact of this sentence, for KEY<AFTER rows */
        const char *prev = prev_key && sentence <= prev_num ? prev_key : NULL;
        /* the windows below are cut from the text before the scan's place (none of it
         * traditional so far?) and from the words after the fact (s_key looks) */
        self->plain = trad_at == SIZE_MAX;
        const char *key = s_key_respectively(self, text, len, &f, prev);
        if (!key)
            key = s_key(self, text, len, &f, prev);
        /* no row fits, and an @back row says the noun is in the previous clause
         * ("满意度较上年提高2.5个百分点，达到96.8%"): the key rows see both clauses */
        if (!key && prev_clause != SIZE_MAX)
            key = s_key_back(self, text, prev_clause, &f, prev);
        /* no row fits: a fact that only continues the previous one of the same sentence
         * and unit counts the same thing: an enumeration ("6次、8次") or a clause the
         * @same rows recognise ("收到行政复议申请86件，受理79件，审结72件") */
        if (!key && prev_key && prev_unit == f.unit && sentence <= prev_num &&
            (s_only_separators(text, f.local, f.lead) || s_continues(self, text, &f)))
            key = prev_key;
        lxm_record_add_fact(rec, key, f.value, lxm_units[f.unit], f.qual != NULL, f.qual, text + cs,
                            f.end - cs, (uint32_t) cs);
        prev_end = f.end;
        prev_key = key;
        prev_unit = f.unit;
        prev_num = f.num;
        found++;
    }
    self->trad_at = trad_at == SIZE_MAX ? len : trad_at;
    self->plain = false;
    return found;
}

size_t lxm_facts_traditional_at(const lxm_facts_t *self)
{
    return self ? self->trad_at : SIZE_MAX;
}
