/* lxm_text: raw bytes -> cleaned UTF-8 text plus page metadata (see lxm_text.h).
 *
 * Three passes, each linear in the input:
 *  1. decode: pick UTF-8 or GB18030 (by how well each decodes), reject binary input;
 *  2. for HTML pages, a small tag scanner turns markup into lines and reads <title> and
 *     <meta> fields; then a folding pass maps full-width digits / letters / spaces to
 *     ASCII, normalises line ends and trims every line;
 *  3. chrome: the lines near the top and bottom of the page are classified (metadata
 *     field lines, share / print / breadcrumb / exit-banner lines, footers) and dropped;
 *     metadata values are read into DOC first. The middle of the page is never touched,
 *     so the body stays verbatim. */
#include <ctype.h>
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "lxm_find.h"
#include "lxm_text.h"

/* ------------------------------------------------------------------ helpers */

static void s_warn(lxm_doc_t *doc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void s_warn(lxm_doc_t *doc, const char *fmt, ...)
{
    if (doc->n_warnings >= sizeof doc->warnings / sizeof doc->warnings[0])
        return;
    char tmp[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    doc->warnings[doc->n_warnings++] = lxm_xstrdup(tmp);
}

static void s_put_cp(lxm_buf_t *b, unsigned long cp)
{
    char u[4];
    if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
        cp = 0xFFFD;
    if (cp < 0x80) {
        u[0] = (char)cp;
        lxm_buf_append(b, u, 1);
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        lxm_buf_append(b, u, 2);
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        lxm_buf_append(b, u, 3);
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        lxm_buf_append(b, u, 4);
    }
}

static inline bool s_starts(const char *p, size_t n, const char *lit)
{
    /* the first byte decides most calls without a strlen */
    if (n == 0 || p[0] != lit[0])
        return false;
    size_t l = strlen(lit);
    return n >= l && memcmp(p, lit, l) == 0;
}

/* LIT occurs in P[0..n) (lxm_find.h says why not memmem). */
static bool s_has(const char *p, size_t n, const char *lit)
{
    return lxm_find_cue(p, n, lit) != NULL;
}

/* P ends with LIT. */
static bool s_ends_with_lit(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(p + n - l, lit, l) == 0;
}

/* ------------------------------------------------------------------ decoding */

#define REPLACEMENT "\xEF\xBF\xBD"

/* Decodes GB18030 into OUT; every undecodable byte becomes U+FFFD. Returns the number of
 * errors, or -1 when iconv has no GB18030. */
static long s_gb18030(const unsigned char *in, size_t n, lxm_buf_t *out)
{
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1)
        return -1;
    long errors = 0;
    char *src = (char *)in;
    size_t left = n;
    lxm_buf_reserve(out, n * 3 / 2 + 16);
    while (left > 0) {
        lxm_buf_reserve(out, left * 2 + 16);
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        out->len = (size_t)(dst - out->data);
        out->data[out->len] = '\0';
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            continue;
        /* EILSEQ or EINVAL (truncated at the end): skip one byte, mark it */
        lxm_buf_append(out, REPLACEMENT, 3);
        errors++;
        src++;
        left--;
        iconv(cd, NULL, NULL, NULL, NULL);
    }
    iconv_close(cd);
    return errors;
}

/* Set bits of a 16-bit mask (no popcnt instruction in the baseline target). */
static inline size_t s_pop16(unsigned x)
{
    x = x - ((x >> 1) & 0x5555);
    x = (x & 0x3333) + ((x >> 2) & 0x3333);
    x = (x + (x >> 4)) & 0x0F0F;
    return (x + (x >> 8)) & 0x1F;
}

/* UTF-8 validation as a shift automaton: each byte's row holds, at bit S, the 6-bit
 * state that follows state S (states are multiples of 6), so one load and one shift
 * per byte, no branch. The states: */
enum {
    U8_OK = 0,   /* between characters */
    U8_BAD = 6,  /* invalid (stays) */
    U8_C1 = 12,  /* one continuation byte to go */
    U8_C2 = 18,  /* two to go */
    U8_E0 = 24,  /* after E0: A0..BF, then one (no overlong forms) */
    U8_ED = 30,  /* after ED: 80..9F, then one (no surrogates) */
    U8_C3 = 36,  /* three to go */
    U8_F0 = 42,  /* after F0: 90..BF, then two */
    U8_F4 = 48,  /* after F4: 80..8F, then two (nothing past U+10FFFF) */
};
#define U8_T(s, next) ((uint64_t)(next) << (s))
/* the row of a byte: where each state goes (the bad state stays bad) */
#define U8_ROW(ok, c1, c2, e0, ed, c3, f0, f4)                                              \
    (U8_T(U8_OK, ok) | U8_T(U8_BAD, U8_BAD) | U8_T(U8_C1, c1) | U8_T(U8_C2, c2) |          \
     U8_T(U8_E0, e0) | U8_T(U8_ED, ed) | U8_T(U8_C3, c3) | U8_T(U8_F0, f0) | U8_T(U8_F4, f4))
#define U8_LEAD(next) U8_ROW(next, U8_BAD, U8_BAD, U8_BAD, U8_BAD, U8_BAD, U8_BAD, U8_BAD)
static const uint64_t s_u8_rows[256] = {
    [0x00 ... 0x7F] = U8_LEAD(U8_OK),
    [0x80 ... 0x8F] = U8_ROW(U8_BAD, U8_OK, U8_C1, U8_BAD, U8_C1, U8_C2, U8_BAD, U8_C2),
    [0x90 ... 0x9F] = U8_ROW(U8_BAD, U8_OK, U8_C1, U8_BAD, U8_C1, U8_C2, U8_C2, U8_BAD),
    [0xA0 ... 0xBF] = U8_ROW(U8_BAD, U8_OK, U8_C1, U8_C1, U8_BAD, U8_C2, U8_C2, U8_BAD),
    [0xC0 ... 0xC1] = U8_LEAD(U8_BAD),
    [0xC2 ... 0xDF] = U8_LEAD(U8_C1),
    [0xE0] = U8_LEAD(U8_E0),
    [0xE1 ... 0xEC] = U8_LEAD(U8_C2),
    [0xED] = U8_LEAD(U8_ED),
    [0xEE ... 0xEF] = U8_LEAD(U8_C2),
    [0xF0] = U8_LEAD(U8_F0),
    [0xF1 ... 0xF3] = U8_LEAD(U8_C3),
    [0xF4] = U8_LEAD(U8_F4),
    [0xF5 ... 0xFF] = U8_LEAD(U8_BAD),
};

/* Byte classes of the quick check: 1 a byte the slow pass must count (NUL, a control
 * other than tab / line ends, DEL), 2 a byte that is not white space. */
static const unsigned char s_u8_class[256] = {
    [0x00 ... 0x08] = 1, [0x0B ... 0x0C] = 1, [0x0E ... 0x1F] = 1,
    [0x21 ... 0x7E] = 2, [0x7F] = 1, [0x80 ... 0xFF] = 2,
};

#ifdef __SSE2__
/* One bit for each of the 16 bytes of V that lies in LO..HI (unsigned). */
static inline uint32_t s_range_bits(__m128i v, unsigned char lo, unsigned char hi)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return (uint32_t)_mm_movemask_epi8(
        _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t));
}
#endif

/* True when IN is valid UTF-8 with something besides white space in it and no control
 * byte but tab, CR and LF: what most documents are, settled without a branch per byte.
 * False sends the document to the counting pass of s_decode, which decides.
 *
 * Text of ASCII and three-byte characters with lead E1..EC or EE..EF (all CJK and its
 * punctuation) is checked 32 bytes at a time: every lead is followed by exactly two
 * continuation bytes and every continuation byte follows a lead. A character may run
 * across two blocks (CARRY: the continuation bytes the next block must open with).
 * Anything else (E0, ED, two- and four-byte characters, invalid bytes) goes through the
 * automaton, 32 bytes at a time, and back to the blocks once it is between characters or
 * inside a three-byte one. */
static bool s_plain_utf8(const unsigned char *in, size_t n)
{
    uint64_t st = U8_OK;
    unsigned cls = 0;
    size_t i = 0;
    while (i < n) {
#ifdef __SSE2__
        uint64_t s6 = st & 63;
        if (s6 == U8_OK || s6 == U8_C1 || s6 == U8_C2) {
            uint32_t carry = s6 == U8_OK ? 0 : s6 == U8_C1 ? 1 : 3;
            for (; i + 32 <= n; i += 32) {
                __m128i a = _mm_loadu_si128((const __m128i *)(in + i));
                __m128i b = _mm_loadu_si128((const __m128i *)(in + i + 16));
                uint32_t lead = s_range_bits(a, 0xE1, 0xEC) | s_range_bits(a, 0xEE, 0xEF) |
                                (s_range_bits(b, 0xE1, 0xEC) | s_range_bits(b, 0xEE, 0xEF)) << 16;
                uint32_t cont = s_range_bits(a, 0x80, 0xBF) | s_range_bits(b, 0x80, 0xBF) << 16;
                uint32_t print = s_range_bits(a, 0x20, 0x7E) | s_range_bits(b, 0x20, 0x7E) << 16;
                uint32_t ws = s_range_bits(a, 0x09, 0x0A) | s_range_bits(a, 0x0D, 0x0D) |
                              (s_range_bits(b, 0x09, 0x0A) | s_range_bits(b, 0x0D, 0x0D)) << 16;
                if (((lead << 1) | (lead << 2) | carry) != cont ||
                    (print | ws | lead | cont) != 0xFFFFFFFFu)
                    break;
                uint32_t space = s_range_bits(a, 0x20, 0x20) | s_range_bits(b, 0x20, 0x20) << 16;
                if ((print & ~space) | lead)
                    cls |= 2;
                carry = (lead >> 30) | (lead >> 31) | ((lead >> 31) << 1);
            }
            st = carry == 0 ? U8_OK : carry == 1 ? U8_C1 : U8_C2;
        }
#endif
        size_t end = n - i > 32 ? i + 32 : n;
        for (; i < end; i++) {
            st = s_u8_rows[in[i]] >> (st & 63);
            cls |= s_u8_class[in[i]];
        }
        if ((st & 63) == U8_BAD)
            return false;
    }
    return (st & 63) == U8_OK && cls == 2;
}

/* Decodes BYTES into OUT (UTF-8). Returns 0, or -1 with *error. */
static int s_decode(const unsigned char *in, size_t n, lxm_buf_t *out, const char **view,
                    size_t *view_len, lxm_doc_t *doc, char **error)
{
    if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
        in += 3;
        n -= 3;
    } else if (n >= 2 && ((in[0] == 0xFF && in[1] == 0xFE) || (in[0] == 0xFE && in[1] == 0xFF))) {
        /* UTF-16 with its byte-order mark (some Windows exports): to UTF-8, then as usual */
        iconv_t cd = iconv_open("UTF-8", in[0] == 0xFF ? "UTF-16LE" : "UTF-16BE");
        if (cd != (iconv_t)-1) {
            lxm_buf_t u8 = {0};
            char *src = (char *)in + 2;
            size_t left = n - 2;
            lxm_buf_reserve(&u8, left * 2 + 16);
            char *dst = u8.data;
            size_t room = u8.cap - 1;
            size_t r = iconv(cd, &src, &left, &dst, &room);
            iconv_close(cd);
            u8.len = (size_t)(dst - u8.data);
            u8.data[u8.len] = '\0';
            int rc = -1;
            if (r == (size_t)-1 && left > 1)
                *error = lxm_xstrdup("binary data, not text (bad UTF-16)");
            else
                rc = s_decode((const unsigned char *)u8.data, u8.len, out, NULL, NULL, doc,
                              error);
            lxm_buf_free(&u8);
            if (rc == 0)
                doc->encoding = "utf-16";
            return rc;
        }
    }
    if (s_plain_utf8(in, n)) {
        /* what the counting pass below would find: no NUL, no control byte, no invalid
         * sequence, not empty */
        if (view) {
            *view = (const char *)in;
            *view_len = n;
        } else {
            lxm_buf_append(out, in, n);
        }
        doc->encoding = "utf-8";
        return 0;
    }
    /* binary: NUL bytes, or many control bytes that no text file carries; and the UTF-8
     * check, all in one pass (ASCII and 3-byte CJK on a fast path) */
    size_t nul = 0, ctrl = 0, nonspace = 0, multi = 0, bad = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = in[i];
        if (c < 0x80) {
#ifdef __SSE2__
            /* 16 ASCII bytes whose controls are all plain white space (HTML markup, Latin
             * text) are counted at once; anything else takes the byte loop below */
            if (i + 16 <= n) {
                __m128i v = _mm_loadu_si128((const __m128i *)(in + i));
                if (_mm_movemask_epi8(v) == 0) {
                    __m128i low = _mm_or_si128(_mm_cmplt_epi8(v, _mm_set1_epi8(0x21)),
                                               _mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)));
                    __m128i ws = _mm_or_si128(
                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))),
                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\r')),
                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))));
                    unsigned lm = (unsigned)_mm_movemask_epi8(low);
                    unsigned wm = (unsigned)_mm_movemask_epi8(ws);
                    if ((lm & ~wm) == 0) {
                        nonspace += 16 - s_pop16(wm);
                        i += 16;
                        continue;
                    }
                }
            }
#endif
            if (c < 0x21 || c == 0x7F) {
                if (c == 0)
                    nul++;
                else if (c != ' ' && c != '\n' && c != '\r' && c != '\t' && c != '\f' &&
                         c != '\v') {
                    if (c != 0x1A)
                        ctrl++;
                    nonspace++;
                }
            } else {
                nonspace++;
            }
            i++;
            continue;
        }
#ifdef __SSE2__
        /* sixteen 3-byte characters (48 bytes) at once: lead bytes E1..EF but ED (whose
         * continuations need range checks) where the period of three puts them, and
         * continuation bytes between; checked 16 bytes at a time for each phase */
        if (c >= 0xE1 && i + 48 <= n) {
            /* per phase: the bytes that are leads (F0 mask, E0 value), the rest 80..BF */
            static const unsigned lead_bits[3] = {0x9249, 0x4924, 0x2492};
            unsigned ok = 0;
            for (int k = 0; k < 3; k++) {
                __m128i v = _mm_loadu_si128((const __m128i *)(in + i + 16 * k));
                __m128i is_lead = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xF0)),
                                                 _mm_set1_epi8((char)0xE0));
                __m128i is_cont = _mm_cmpeq_epi8(_mm_and_si128(v, _mm_set1_epi8((char)0xC0)),
                                                 _mm_set1_epi8((char)0x80));
                __m128i odd = _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE0)),
                                           _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xED)));
                unsigned lm = (unsigned)_mm_movemask_epi8(is_lead);
                unsigned cm = (unsigned)_mm_movemask_epi8(is_cont);
                unsigned om = (unsigned)_mm_movemask_epi8(odd);
                if (lm != lead_bits[k] || cm != (~lead_bits[k] & 0xFFFF) || (om & lm))
                    break;
                ok++;
            }
            if (ok == 3) {
                nonspace += 16;
                multi += 16;
                i += 48;
                continue;
            }
        }
#endif
        /* two common 3-byte characters (lead E1..EC, two continuation bytes) at once */
        if (i + 8 <= n) {
            uint64_t x;
            memcpy(&x, in + i, 8);
            if ((x & 0x0000C0C000C0C000ull) == 0x0000808000808000ull &&
                (unsigned)((x & 0xFF) - 0xE1) < 12 && (unsigned)(((x >> 24) & 0xFF) - 0xE1) < 12) {
                nonspace += 2;
                multi += 2;
                i += 6;
                continue;
            }
        }
        nonspace++;
        size_t l;
        if (c >= 0xE1 && c <= 0xEC && i + 2 < n && (in[i + 1] & 0xC0) == 0x80 &&
            (in[i + 2] & 0xC0) == 0x80)
            l = 3;
        else
            l = lxm_utf8_len(in + i, n - i);
        if (l == 0) {
            bad++;
            i++;
        } else {
            multi++;
            i += l;
        }
    }
    if (nonspace == 0) {
        *error = lxm_xstrdup("empty file");
        return -1;
    }
    if (nul > 0 || ctrl * 20 > n) {
        *error = lxm_xstrdup("binary data, not text");
        return -1;
    }
    if (bad == 0) {
        /* valid UTF-8 as given: the caller reads the input in place (no copy) when it
         * can take a VIEW */
        if (view) {
            *view = (const char *)in;
            *view_len = n;
        } else {
            lxm_buf_append(out, in, n);
        }
        doc->encoding = "utf-8";
        return 0;
    }
    /* invalid UTF-8: GB18030, unless GB18030 reads it worse (damaged UTF-8, such as a
     * crawl cut inside a character) */
    long gb_bad = s_gb18030(in, n, out);
    size_t high = 0;
    for (size_t i = 0; i < n; i++)
        high += in[i] >= 0x80;
    if (gb_bad < 0 || (multi > 0 && bad <= (size_t)gb_bad)) {
        lxm_buf_clear(out);
        for (size_t i = 0; i < n;) {
            size_t l = in[i] < 0x80 ? 1 : lxm_utf8_len(in + i, n - i);
            if (l == 0) {
                lxm_buf_append(out, REPLACEMENT, 3);
                i++;
            } else {
                lxm_buf_append(out, in + i, l);
                i += l;
            }
        }
        doc->encoding = "utf-8";
        s_warn(doc, "invalid UTF-8: %zu bytes replaced", bad);
        return 0;
    }
    if ((size_t)gb_bad * 10 > high / 2 + 1) {
        lxm_buf_clear(out);
        *error = lxm_xstrdup("binary data, not text (neither UTF-8 nor GB18030)");
        return -1;
    }
    doc->encoding = "gb18030";
    if (gb_bad > 0)
        s_warn(doc, "invalid GB18030: %ld bytes replaced", gb_bad);
    return 0;
}

/* ------------------------------------------------------------------ HTML */

static bool s_is_html(const char *p, size_t n)
{
    size_t lim = n < 4096 ? n : 4096;
    size_t i = 0;
    while (i < lim && isspace((unsigned char)p[i]))
        i++;
    static const char *const marks[] = {"<html", "<!doctype", "<body", "<head", "<p>", "<p ",
                                        "<div", "<meta", "<table", "<br", "<title"};
    enum { N_MARKS = sizeof marks / sizeof marks[0] };
    bool seen[N_MARKS] = {false};
    int found = 0;
    /* visit only the '<' of the first 4 KB */
    for (const char *lt = memchr(p, '<', lim); lt; lt = memchr(lt + 1, '<', (size_t)(p + lim - lt - 1))) {
        size_t left = (size_t)(p + lim - lt);
        /* every mark goes on with one of these letters: most '<' are ruled out at once */
        char c1 = left >= 2 ? (char)(lt[1] | 0x20) : 0;
        if (c1 != 'h' && c1 != '!' && c1 != 'b' && c1 != 'p' && c1 != 'd' && c1 != 'm' &&
            c1 != 't') {
            if (lt + 1 >= p + lim)
                break;
            continue;
        }
        for (int k = 0; k < N_MARKS; k++) {
            size_t ml = strlen(marks[k]);
            if (!seen[k] && left >= ml && strncasecmp(lt, marks[k], ml) == 0) {
                seen[k] = true;
                found += (k < 4) ? 2 : 1;
            }
        }
        if (lt + 1 >= p + lim)
            break;
    }
    if (i < lim && p[i] == '<')
        return found >= 1;
    return found >= 2;
}

static const struct {
    const char *name;
    unsigned cp;
} s_entities[] = {
    {"nbsp", 0xA0},   {"amp", '&'},      {"lt", '<'},       {"gt", '>'},
    {"quot", '"'},    {"apos", '\''},    {"ldquo", 0x201C}, {"rdquo", 0x201D},
    {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"mdash", 0x2014}, {"ndash", 0x2013},
    {"hellip", 0x2026}, {"middot", 0xB7}, {"times", 0xD7},   {"copy", 0xA9},
    {"reg", 0xAE},    {"emsp", 0x2003},  {"ensp", 0x2002},  {"thinsp", 0x2009},
    {"bull", 0x2022}, {"yen", 0xA5},     {"deg", 0xB0},     {"plusmn", 0xB1},
    {"laquo", 0xAB},  {"raquo", 0xBB},   {"divide", 0xF7},  {"sect", 0xA7},
    {"para", 0xB6},   {"trade", 0x2122}, {"larr", 0x2190},  {"rarr", 0x2192},
    {"zwj", 0x200D},  {"zwnj", 0x200C},  {"shy", 0xAD},
};

/* Decodes the entity at P ('&'). Appends it and returns bytes consumed, or 0 when P is no
 * entity (the caller copies '&' as is). */
static size_t s_entity(const char *p, size_t n, lxm_buf_t *out)
{
    size_t i = 1;
    if (i < n && p[i] == '#') {
        i++;
        int base = 10;
        if (i < n && (p[i] == 'x' || p[i] == 'X')) {
            base = 16;
            i++;
        }
        unsigned long cp = 0;
        size_t digits = 0;
        while (i < n && digits < 8 && (base == 16 ? isxdigit((unsigned char)p[i])
                                                  : isdigit((unsigned char)p[i]))) {
            int d = isdigit((unsigned char)p[i]) ? p[i] - '0'
                                                 : (tolower((unsigned char)p[i]) - 'a' + 10);
            cp = cp * (unsigned long)base + (unsigned long)d;
            i++;
            digits++;
        }
        if (digits == 0)
            return 0;
        if (i < n && p[i] == ';')
            i++;
        s_put_cp(out, cp);
        return i;
    }
    size_t j = i;
    while (j < n && j - i < 10 && isalnum((unsigned char)p[j]))
        j++;
    if (j == i)
        return 0;
    for (size_t k = 0; k < sizeof s_entities / sizeof s_entities[0]; k++) {
        size_t l = strlen(s_entities[k].name);
        if (l == j - i && memcmp(p + i, s_entities[k].name, l) == 0) {
            s_put_cp(out, s_entities[k].cp);
            return (j < n && p[j] == ';') ? j + 1 : j;
        }
    }
    return 0;
}

/* Text with entities decoded and whitespace collapsed, for titles and meta values. */
static char *s_clean_attr(const char *p, size_t n)
{
    lxm_buf_t b = {0};
    bool space = true;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)p[i];
        if (c == '&') {
            size_t k = s_entity(p + i, n - i, &b);
            if (k) {
                i += k;
                space = false;
                continue;
            }
        }
        if (isspace(c)) {
            if (!space)
                lxm_buf_putc(&b, ' ');
            space = true;
            i++;
            continue;
        }
        lxm_buf_putc(&b, (char)c);
        space = false;
        i++;
    }
    while (b.len && b.data[b.len - 1] == ' ')
        b.data[--b.len] = '\0';
    if (b.len == 0) {
        lxm_buf_free(&b);
        return NULL;
    }
    return lxm_buf_take(&b);
}

/* Value of attribute NAME inside the tag text P[0..n), or NULL. */
static bool s_attr(const char *p, size_t n, const char *name, const char **val, size_t *vlen)
{
    size_t nl = strlen(name);
    char c0 = (char)(name[0] | 0x20); /* NAME is lower case */
    for (size_t i = 0; i + nl < n; i++) {
        /* the first letter (case folded) settles most places without a call */
        if ((char)(p[i] | 0x20) != c0 || strncasecmp(p + i, name, nl) != 0)
            continue;
        if (i > 0 && !isspace((unsigned char)p[i - 1]))
            continue;
        size_t j = i + nl;
        while (j < n && isspace((unsigned char)p[j]))
            j++;
        if (j >= n || p[j] != '=')
            continue;
        j++;
        while (j < n && isspace((unsigned char)p[j]))
            j++;
        if (j < n && (p[j] == '"' || p[j] == '\'')) {
            char q = p[j++];
            size_t k = j;
            while (k < n && p[k] != q)
                k++;
            *val = p + j;
            *vlen = k - j;
            return true;
        }
        size_t k = j;
        while (k < n && !isspace((unsigned char)p[k]) && p[k] != '>')
            k++;
        *val = p + j;
        *vlen = k - j;
        return true;
    }
    return false;
}

static bool s_tag_is(const char *name, size_t nl, const char *const *set)
{
    if (nl == 0)
        return false;
    /* the first letters differ (case folded) for most pairs: no strlen for those */
    char c0 = (char)(name[0] | 0x20);
    for (; *set; set++)
        if (((*set)[0] | 0x20) == c0 && strlen(*set) == nl && strncasecmp(name, *set, nl) == 0)
            return true;
    return false;
}

/* Reads a <meta name=... content=...> tag into DOC (page title, date, source). */
static void s_meta(const char *t, size_t n, lxm_doc_t *doc, char **meta_issuer,
                   char **meta_date)
{
    const char *nm, *ct;
    size_t nml, ctl;
    if (!s_attr(t, n, "name", &nm, &nml) && !s_attr(t, n, "property", &nm, &nml))
        return;
    if (!s_attr(t, n, "content", &ct, &ctl))
        return;
    static const char *const titles[] = {"ArticleTitle", "og:title", NULL};
    static const char *const dates[] = {"PubDate", "firstpublishedtime", "publishdate",
                                        "pubdate", "article:published_time", NULL};
    static const char *const sources[] = {"ContentSource", "source", NULL};
    if (s_tag_is(nm, nml, titles)) {
        char *v = s_clean_attr(ct, ctl);
        if (v) {
            free(doc->meta_title);
            doc->meta_title = v; /* ArticleTitle beats <title>, which carries site names */
        }
    } else if (s_tag_is(nm, nml, dates) && !*meta_date) {
        *meta_date = s_clean_attr(ct, ctl);
    } else if (s_tag_is(nm, nml, sources) && !*meta_issuer) {
        *meta_issuer = s_clean_attr(ct, ctl);
    }
}

/* A container whose class or id names page furniture (navigation, menus, breadcrumbs,
 * share bars, footers), or a <nav>. */
static bool s_furniture_element(const char *name, size_t nl, const char *attrs, size_t alen)
{
    if (nl == 3 && strncasecmp(name, "nav", 3) == 0)
        return true;
    static const char *const containers[] = {"div", "ul", "ol", "table", "section", "aside",
                                             "footer", "span", "p", "dl", NULL};
    if (!s_tag_is(name, nl, containers))
        return false;
    if (nl == 5 && strncasecmp(name, "aside", 5) == 0)
        return true;
    static const char *const words[] = {"nav", "menu", "breadcrumb", "crumb", "share",
                                        "copyright", "footer", "sidebar", "related", NULL};
    static const char *const keys[] = {"class", "id"};
    for (size_t k = 0; k < 2; k++) {
        const char *v;
        size_t vl;
        if (!s_attr(attrs, alen, keys[k], &v, &vl))
            continue;
        for (const char *const *w = words; *w; w++) {
            size_t l = strlen(*w);
            for (size_t i = 0; i + l <= vl; i++)
                if ((char)(v[i] | 0x20) == (*w)[0] && strncasecmp(v + i, *w, l) == 0)
                    return true;
        }
    }
    return false;
}

/* End (after its closing tag) of the element NAME whose content starts at FROM, nested
 * elements of the same name counted; 0 when it does not close within a short span (then
 * nothing is skipped: better some furniture than a lost body). */
static size_t s_element_end(const char *p, size_t n, size_t from, const char *name, size_t nl)
{
    size_t lim = n - from > 65536 ? from + 65536 : n;
    int depth = 1;
    for (size_t k = from; k < lim;) {
        const char *lt = memchr(p + k, '<', lim - k);
        if (!lt)
            return 0;
        k = (size_t)(lt - p) + 1;
        bool closing = k < lim && p[k] == '/';
        size_t t = k + closing;
        if (t + nl <= lim && strncasecmp(p + t, name, nl) == 0 &&
            (t + nl == lim || !isalnum((unsigned char)p[t + nl]))) {
            /* skip the tag itself */
            const char *gt = memchr(p + t, '>', lim - t);
            if (!gt)
                return 0;
            bool self_closing = gt > p && gt[-1] == '/';
            if (closing)
                depth--;
            else if (!self_closing)
                depth++;
            k = (size_t)(gt - p) + 1;
            if (depth == 0)
                return k;
        }
    }
    return 0;
}

/* HTML -> text with one line per block; counts markup bytes as boilerplate. */
static void s_html_to_text(const char *p, size_t n, lxm_buf_t *out, lxm_doc_t *doc,
                           char **meta_issuer, char **meta_date)
{
    static const char *const blocks[] = {
        "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul",
        "ol", "section", "article", "header", "footer", "nav", "dt", "dd", "blockquote",
        "pre", "hr", "form", "tbody", "thead", "center", "title", "body", "html", NULL};
    static const char *const cells[] = {"td", "th", NULL};
    static const char *const skips[] = {"script", "style", "noscript", "template", "iframe",
                                        "svg", "object", "select", "button", NULL};
    size_t markup = 0;
    bool in_head = false, space = true;
    size_t i = 0;
    while (i < n) {
        char c = p[i];
        if (c != '<') {
            if (in_head) { /* stray head text: not the document */
                markup++;
                i++;
                continue;
            }
            if (c == '&') {
                size_t k = s_entity(p + i, n - i, out);
                if (k) {
                    i += k;
                    space = false;
                    continue;
                }
            }
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                /* a run of source whitespace reads as one space; one that holds a line
                 * break between two Chinese characters is only source wrapping */
                size_t j = i;
                bool wrap = false;
                while (j < n && (p[j] == ' ' || p[j] == '\t' || p[j] == '\n' || p[j] == '\r' ||
                                 p[j] == '\f'))
                    wrap |= p[j++] == '\n';
                bool cjk_before = out->len && (unsigned char)out->data[out->len - 1] >= 0x80;
                bool cjk_after = j < n && (unsigned char)p[j] >= 0x80;
                if (!space && !(wrap && cjk_before && cjk_after))
                    lxm_buf_putc(out, ' ');
                space = true;
                i = j;
                continue;
            }
            /* a run of ordinary text in one copy (its end found 16 bytes at a time) */
            size_t j = i + 1;
#ifdef __SSE2__
            for (; j + 16 <= n; j += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
                __m128i t = _mm_sub_epi8(v, _mm_set1_epi8(0x09)); /* \t \n */
                __m128i u = _mm_sub_epi8(v, _mm_set1_epi8(0x0C)); /* \f \r */
                __m128i stop = _mm_or_si128(
                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('<')),
                                 _mm_cmpeq_epi8(v, _mm_set1_epi8('&'))),
                    _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(' ')),
                                 _mm_or_si128(
                                     _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8(1)), t),
                                     _mm_cmpeq_epi8(_mm_min_epu8(u, _mm_set1_epi8(1)), u))));
                unsigned mask = (unsigned)_mm_movemask_epi8(stop);
                if (mask) {
                    j += (size_t)__builtin_ctz(mask);
                    break;
                }
            }
#endif
            while (j < n && p[j] != '<' && p[j] != '&' && p[j] != ' ' && p[j] != '\t' &&
                   p[j] != '\n' && p[j] != '\r' && p[j] != '\f')
                j++;
            lxm_buf_append(out, p + i, j - i);
            space = false;
            i = j;
            continue;
        }
        size_t start = i;
        if (s_starts(p + i, n - i, "<!--")) {
            const char *e = memmem(p + i + 4, n - i - 4, "-->", 3);
            i = e ? (size_t)(e - p) + 3 : n;
            markup += i - start;
            continue;
        }
        size_t j = i + 1;
        bool closing = false;
        if (j < n && p[j] == '/') {
            closing = true;
            j++;
        }
        if (j >= n || !(isalpha((unsigned char)p[j]) || p[j] == '!' || p[j] == '?')) {
            lxm_buf_putc(out, '<'); /* a bare '<' in text */
            space = false;
            i++;
            continue;
        }
        const char *name = p + j;
        while (j < n && (isalnum((unsigned char)p[j]) || p[j] == '!' || p[j] == '?' ||
                         p[j] == ':' || p[j] == '-'))
            j++;
        size_t nl = (size_t)(p + j - name);
        /* end of tag, quotes respected: a quoted value is crossed with memchr */
        while (j < n && p[j] != '>') {
            if (p[j] != '"' && p[j] != '\'') {
                j++;
                continue;
            }
            const char *close = memchr(p + j + 1, p[j], n - j - 1);
            j = close ? (size_t)(close - p) + 1 : n;
        }
        size_t tag_end = j < n ? j + 1 : n;
        const char *attrs = name + nl;
        size_t alen = (size_t)(p + j - attrs);
        i = tag_end;
        markup += tag_end - start;
        if (!closing && !in_head && s_furniture_element(name, nl, attrs, alen)) {
            size_t e = s_element_end(p, n, i, name, nl);
            if (e) {
                markup += e - i;
                i = e;
                if (out->len && out->data[out->len - 1] != '\n')
                    lxm_buf_putc(out, '\n');
                space = true;
                continue;
            }
        }
        if (!closing && s_tag_is(name, nl, skips)) {
            /* skip to </name> */
            size_t k = i;
            while (k < n) {
                const char *e = memchr(p + k, '<', n - k);
                if (!e) {
                    k = n;
                    break;
                }
                k = (size_t)(e - p);
                if (k + 2 + nl <= n && p[k + 1] == '/' && strncasecmp(p + k + 2, name, nl) == 0) {
                    const char *gt = memchr(p + k, '>', n - k);
                    k = gt ? (size_t)(gt - p) + 1 : n;
                    break;
                }
                k++;
            }
            markup += k - i;
            i = k;
            continue;
        }
        if (nl == 4 && strncasecmp(name, "head", 4) == 0) {
            in_head = !closing;
            continue;
        }
        if (nl == 4 && strncasecmp(name, "body", 4) == 0)
            in_head = false;
        if (!closing && nl == 5 && strncasecmp(name, "title", 5) == 0) {
            const char *e = memmem(p + i, n - i, "</", 2);
            while (e && strncasecmp(e + 2, "title", 5) != 0)
                e = memmem(e + 2, (size_t)(p + n - e - 2), "</", 2);
            size_t tl = e ? (size_t)(e - (p + i)) : n - i;
            if (!doc->meta_title)
                doc->meta_title = s_clean_attr(p + i, tl);
            markup += tl;
            i += tl;
            continue;
        }
        if (!closing && nl == 4 && strncasecmp(name, "meta", 4) == 0) {
            s_meta(attrs, alen, doc, meta_issuer, meta_date);
            continue;
        }
        if (in_head)
            continue;
        if (s_tag_is(name, nl, blocks)) {
            if (out->len && out->data[out->len - 1] != '\n')
                lxm_buf_putc(out, '\n');
            space = true;
        } else if (s_tag_is(name, nl, cells)) {
            if (!space)
                lxm_buf_putc(out, ' ');
            lxm_buf_putc(out, ' '); /* a cell gap reads as a field separator */
            space = true;
        }
    }
    doc->boilerplate_bytes += markup;
}

/* ------------------------------------------------------------------ folding */

typedef struct {
    size_t start;      /* offset in the folded buffer */
    size_t len;        /* trimmed length */
    bool drop;         /* chrome or metadata: not part of the cleaned text */
    unsigned char heading; /* s_heading_like of the line: 0 not asked yet, 1 no, 2 yes */
} s_line_t;

typedef struct {
    s_line_t *v;
    size_t n, cap;
} s_lines_t;

/* Bytes s_fold must look at: line ends, controls, and the lead bytes of NBSP / C1
 * (C2), of the U+2000 spaces and zero-width characters (E2), of U+3000 (E3) and of the
 * full-width forms and BOM (EF). The input is valid UTF-8 (s_decode made it so), so
 * continuation bytes travel with their lead byte. */
static const unsigned char s_fold_special[256] = {
    [0 ... 0x1F] = 1, [0x7F] = 1, [0xC2] = 1, [0xE2] = 1, [0xE3] = 1, [0xEF] = 1,
};

/* Length of the character at P when it starts with a lead byte of s_fold_special but
 * is copied as it is (，。“ and the other punctuation of these leads), 0 when s_fold
 * must look at it. Lets the copy loop run over CJK punctuation. */
static inline size_t s_fold_plain(const unsigned char *p, size_t n)
{
    unsigned char c = p[0];
    if (c < 0x80)
        return 0;
    size_t l = lxm_utf8_len(p, n);
    if (l == 0)
        return 0;
    switch (c) {
    case 0xC2: /* NBSP, soft hyphen, C1 controls */
        return p[1] <= 0xA0 || p[1] == 0xAD ? 0 : l;
    case 0xE2: /* U+2002..U+200D spaces and zero-width characters */
        return p[1] == 0x80 && p[2] >= 0x82 && p[2] <= 0x8D ? 0 : l;
    case 0xE3: /* U+3000 */
        return p[1] == 0x80 && p[2] == 0x80 ? 0 : l;
    case 0xEF: /* full-width digits and letters, BOM */
        if (p[1] == 0xBC && ((p[2] >= 0x90 && p[2] <= 0x99) || (p[2] >= 0xA1 && p[2] <= 0xBA)))
            return 0;
        if (p[1] == 0xBD && p[2] >= 0x81 && p[2] <= 0x9A)
            return 0;
        return p[1] == 0xBB && p[2] == 0xBF ? 0 : l;
    default:
        return 0;
    }
}

#ifdef __SSE2__
/* A V (16 bytes) lies in LO..HI, unsigned. */
static inline __m128i s_in_range(__m128i v, unsigned char lo, unsigned char hi)
{
    __m128i t = _mm_sub_epi8(v, _mm_set1_epi8((char)lo));
    return _mm_cmpeq_epi8(_mm_min_epu8(t, _mm_set1_epi8((char)(hi - lo))), t);
}

/* One bit for each of the 16 bytes at P (18 readable) where s_fold_plain would not let
 * the copy run on: controls and DEL, and the lead bytes C2 E2 E3 EF when the bytes
 * after them make a character s_fold changes or are not continuation bytes. */
static inline unsigned s_fold_mask(const unsigned char *p)
{
    const __m128i v0 = _mm_loadu_si128((const __m128i *)p);
    const __m128i v1 = _mm_loadu_si128((const __m128i *)(p + 1));
    const __m128i v2 = _mm_loadu_si128((const __m128i *)(p + 2));
    const __m128i c0 = _mm_set1_epi8((char)0xC0), x80 = _mm_set1_epi8((char)0x80);
    __m128i nc1 = _mm_xor_si128(_mm_cmpeq_epi8(_mm_and_si128(v1, c0), x80), _mm_set1_epi8(-1));
    __m128i nc2 = _mm_xor_si128(_mm_cmpeq_epi8(_mm_and_si128(v2, c0), x80), _mm_set1_epi8(-1));
    __m128i bad3 = _mm_or_si128(nc1, nc2);
    __m128i sp = _mm_or_si128(s_in_range(v0, 0x00, 0x1F), _mm_cmpeq_epi8(v0, _mm_set1_epi8(0x7F)));
    /* C2: NBSP, soft hyphen, C1 controls */
    __m128i c2 = _mm_or_si128(_mm_or_si128(s_in_range(v1, 0x00, 0xA0),
                                           _mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xAD))), nc1);
    sp = _mm_or_si128(sp, _mm_and_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8((char)0xC2)), c2));
    __m128i b1_80 = _mm_cmpeq_epi8(v1, x80);
    /* E2 80 82..8D: spaces and zero-width characters */
    __m128i e2 = _mm_or_si128(_mm_and_si128(b1_80, s_in_range(v2, 0x82, 0x8D)), bad3);
    sp = _mm_or_si128(sp, _mm_and_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8((char)0xE2)), e2));
    /* E3 80 80: the ideographic space */
    __m128i e3 = _mm_or_si128(_mm_and_si128(b1_80, _mm_cmpeq_epi8(v2, x80)), bad3);
    sp = _mm_or_si128(sp, _mm_and_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8((char)0xE3)), e3));
    /* EF BC 90..99 / A1..BA, EF BD 81..9A: full-width digits and letters; EF BB BF */
    __m128i ef = _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBC)),
                               _mm_or_si128(s_in_range(v2, 0x90, 0x99), s_in_range(v2, 0xA1, 0xBA)));
    ef = _mm_or_si128(ef, _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBD)),
                                        s_in_range(v2, 0x81, 0x9A)));
    ef = _mm_or_si128(ef, _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)0xBB)),
                                        _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)0xBF))));
    ef = _mm_or_si128(ef, bad3);
    sp = _mm_or_si128(sp, _mm_and_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8((char)0xEF)), ef));
    return (unsigned)_mm_movemask_epi8(sp);
}
#endif

/* Folds full-width digits, letters and spaces to ASCII, drops control and zero-width
 * characters, and splits into trimmed lines (blank lines dropped). */
static void s_fold(const char *src, size_t n, lxm_buf_t *out, s_lines_t *lines)
{
    const unsigned char *p = (const unsigned char *)src;
    lxm_buf_reserve(out, n);
    size_t line_start = out->len;
    for (size_t i = 0; i <= n;) {
        if (i == n || p[i] == '\n' || p[i] == '\r') {
            /* end of line: trim spaces on both sides */
            size_t s = line_start, e = out->len;
            while (s < e && out->data[s] == ' ')
                s++;
            while (e > s && out->data[e - 1] == ' ')
                e--;
            if (e > s) {
                if (lines->n == lines->cap) {
                    lines->cap = lines->cap ? lines->cap * 2 : 64;
                    lines->v = lxm_xrealloc(lines->v, lines->cap * sizeof *lines->v);
                }
                lines->v[lines->n++] = (s_line_t){s, e - s, false, 0};
            }
            if (i == n)
                break;
            if (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n')
                i++;
            i++;
            lxm_buf_putc(out, '\n');
            line_start = out->len;
            continue;
        }
        /* copy the run of ordinary bytes up to the next one that may need work */
        size_t j = i;
        while (j < n) {
#ifdef __SSE2__
            /* 16 bytes at a time to the next character s_fold must look at: the lead
             * bytes of the punctuation (，。、“” …) are tested with the bytes after them
             * as s_fold_plain does, so a run no longer stops at each punctuation mark */
            for (; j + 18 <= n; j += 16) {
                unsigned mask = s_fold_mask(p + j);
                if (mask) {
                    j += (size_t)__builtin_ctz(mask);
                    break;
                }
            }
            if (j + 18 <= n)
                goto look; /* stopped at a byte s_fold_mask names */
            /* the last bytes: 16 at a time to the next byte s_fold_special names */
            for (; j + 16 <= n; j += 16) {
                __m128i v = _mm_loadu_si128((const __m128i *)(p + j));
                __m128i sp = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
                sp = _mm_or_si128(sp, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8(0x7F)),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xC2))));
                sp = _mm_or_si128(sp, _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE2)),
                                                   _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE3))));
                sp = _mm_or_si128(sp, _mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xEF)));
                unsigned mask = (unsigned)_mm_movemask_epi8(sp);
                if (mask) {
                    j += (size_t)__builtin_ctz(mask);
                    break;
                }
            }
            if (j >= n)
                break;
        look:
#endif
            if (!s_fold_special[p[j]]) {
                j++;
                continue;
            }
            size_t pl = s_fold_plain(p + j, n - j);
            if (!pl)
                break;
            j += pl;
        }
        if (j > i) {
            lxm_buf_append(out, p + i, j - i);
            i = j;
            continue;
        }
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == '\t' || c == '\v' || c == '\f')
                lxm_buf_putc(out, ' ');
            else if (c >= 0x20 && c != 0x7F)
                lxm_buf_putc(out, (char)c);
            i++;
            continue;
        }
        size_t l = lxm_utf8_len(p + i, n - i);
        if (l == 0) { /* cannot happen after decoding; keep the guarantee anyway */
            lxm_buf_append(out, REPLACEMENT, 3);
            i++;
            continue;
        }
        if (l == 2 && c == 0xC2 && p[i + 1] == 0xA0) { /* NBSP */
            lxm_buf_putc(out, ' ');
        } else if (l == 3 && c == 0xE3 && p[i + 1] == 0x80 && p[i + 2] == 0x80) { /* U+3000 */
            lxm_buf_putc(out, ' ');
        } else if (l == 3 && c == 0xEF && p[i + 1] == 0xBC && p[i + 2] >= 0x90 &&
                   p[i + 2] <= 0x99) { /* ０-９ */
            lxm_buf_putc(out, (char)('0' + p[i + 2] - 0x90));
        } else if (l == 3 && c == 0xEF && p[i + 1] == 0xBC && p[i + 2] >= 0xA1 &&
                   p[i + 2] <= 0xBA) { /* Ａ-Ｚ */
            lxm_buf_putc(out, (char)('A' + p[i + 2] - 0xA1));
        } else if (l == 3 && c == 0xEF && p[i + 1] == 0xBD && p[i + 2] >= 0x81 &&
                   p[i + 2] <= 0x9A) { /* ａ-ｚ */
            lxm_buf_putc(out, (char)('a' + p[i + 2] - 0x81));
        } else if (l == 3 && c == 0xE2 && p[i + 1] == 0x80 && p[i + 2] >= 0x82 &&
                   p[i + 2] <= 0x8A) { /* en/em/thin spaces */
            lxm_buf_putc(out, ' ');
        } else if ((l == 3 && c == 0xE2 && p[i + 1] == 0x80 && p[i + 2] >= 0x8B &&
                    p[i + 2] <= 0x8D) ||
                   (l == 3 && c == 0xEF && p[i + 1] == 0xBB && p[i + 2] == 0xBF) ||
                   (l == 2 && c == 0xC2 && p[i + 1] == 0xAD)) {
            /* zero-width characters and soft hyphens: invisible, dropped */
        } else if (l == 2 && c == 0xC2 && p[i + 1] >= 0x80 && p[i + 1] < 0xA0) {
            /* C1 control characters */
        } else {
            lxm_buf_append(out, p + i, l);
        }
        i += l;
    }
}

/* ------------------------------------------------------------------ chrome */

/* Metadata field labels; traditional forms too. Each is read only when followed by a
 * colon. */
enum { F_ISSUER = 1, F_DATE = 2, F_OTHER = 3, F_TITLE = 4 };
static const struct {
    const char *label;
    int kind;
    int rank; /* lower wins within a kind */
} s_fields[] = {
    {"发布机构", F_ISSUER, 0}, {"發佈機構", F_ISSUER, 0}, {"發布機構", F_ISSUER, 0},
    {"发文机关", F_ISSUER, 1}, {"發文機關", F_ISSUER, 1}, {"发布单位", F_ISSUER, 1},
    {"发文机构", F_ISSUER, 1}, {"发文单位", F_ISSUER, 1},  {"发布部门", F_ISSUER, 1},
    {"信息来源", F_ISSUER, 2}, {"文章来源", F_ISSUER, 2}, {"来源单位", F_ISSUER, 2},
    {"稿件来源", F_ISSUER, 2}, {"供稿单位", F_ISSUER, 2}, {"来源", F_ISSUER, 3},
    {"來源", F_ISSUER, 3},     {"发布日期", F_DATE, 0},   {"發佈日期", F_DATE, 0},
    {"發布日期", F_DATE, 0},   {"生成日期", F_DATE, 1},   {"成文日期", F_DATE, 2},
    {"发布时间", F_DATE, 3},   {"發佈時間", F_DATE, 3},   {"發布時間", F_DATE, 3},
    {"发文日期", F_DATE, 2},   {"印发日期", F_DATE, 2},   {"日期", F_DATE, 4},       {"时间", F_DATE, 5},       {"時間", F_DATE, 5},
    {"更新时间", F_DATE, 6},   {"索引号", F_OTHER, 0},    {"索引號", F_OTHER, 0},
    {"发文字号", F_OTHER, 0},  {"發文字號", F_OTHER, 0},  {"文号", F_OTHER, 0},
    {"主题分类", F_OTHER, 0},  {"主題分類", F_OTHER, 0},  {"主题词", F_OTHER, 0},
    {"信息分类", F_OTHER, 0},  {"体裁分类", F_OTHER, 0},  {"组配分类", F_OTHER, 0},
    {"服务对象", F_OTHER, 0},  {"公开方式", F_OTHER, 0},  {"公开范围", F_OTHER, 0},
    {"有效性", F_OTHER, 0},    {"浏览次数", F_OTHER, 0},  {"浏览", F_OTHER, 0},
    {"瀏覽", F_OTHER, 0},      {"点击数", F_OTHER, 0},    {"点击", F_OTHER, 0},
    {"阅读", F_OTHER, 0},      {"访问量", F_OTHER, 0},    {"作者", F_OTHER, 0},
    {"责任编辑", F_OTHER, 0},  {"编辑", F_OTHER, 0},      {"字号", F_OTHER, 0},
    {"字体", F_OTHER, 0},
    /* counters a portal sets straight after the source, with no space between:
     * "信息来源：某某镇阅读次数：" (the bare 阅读 / 浏览 / 点击 labels above need the colon
     * right after them) */
    {"阅读次数", F_OTHER, 0},  {"阅读量", F_OTHER, 0},    {"浏览量", F_OTHER, 0},
    {"点击量", F_OTHER, 0},    {"点击次数", F_OTHER, 0},  {"访问次数", F_OTHER, 0},
    {"内容概述", F_OTHER, 0},  {"关键词", F_OTHER, 0},    {"所属机构", F_OTHER, 0},  {"分类", F_OTHER, 0},      {"发布", F_OTHER, 0},
    {"文章标题", F_TITLE, 0},  {"信息名称", F_TITLE, 0},  {"标题", F_TITLE, 0},
    {"標題", F_TITLE, 0},      {"名称", F_TITLE, 0},      {"名稱", F_TITLE, 0},
};
#define N_FIELDS (sizeof s_fields / sizeof s_fields[0])

/* Length of a colon at P (':' or '：'), else 0. */
static size_t s_colon(const char *p, size_t n)
{
    if (n >= 1 && p[0] == ':')
        return 1;
    if (n >= 3 && memcmp(p, "\xEF\xBC\x9A", 3) == 0)
        return 3;
    return 0;
}

/* Length of a closing bracket at P (']', '】', '］'), else 0. */
static size_t s_close_bracket(const char *p, size_t n)
{
    if (n >= 1 && p[0] == ']')
        return 1;
    if (n >= 3 && (memcmp(p, "】", 3) == 0 || memcmp(p, "］", 3) == 0))
        return 3;
    return 0;
}

/* Bytes of list bullets, brackets and spaces that open a metadata line. */
static size_t s_skip_lead(const char *p, size_t n)
{
    static const char *const marks[] = {"【", "（", "［", "•", "·", "●", "■", "◆", "▪", "○", NULL};
    size_t i = 0;
    for (;;) {
        if (i < n && (p[i] == '[' || p[i] == '(' || p[i] == ' ' || p[i] == '*' || p[i] == '-')) {
            i++;
            continue;
        }
        const char *const *m = marks;
        for (; *m; m++)
            if (s_starts(p + i, n - i, *m))
                break;
        if (!*m)
            return i;
        i += strlen(*m);
    }
}

/* When P starts with "label:" (spaces allowed before the colon), returns the field index
 * and sets *after to the byte after the colon; else -1. */
static bool s_may_start(const char *p, size_t n);

/* Bytes of LAB at P, where a table may space a short label out to the width of the
 * others ("索 引 号", "来　　源"): up to two spaces between its characters. 0 if absent. */
static size_t s_label_len(const char *p, size_t n, const char *lab)
{
    size_t i = 0;
    for (const char *c = lab; *c;) {
        size_t cl = 1;
        while (c[cl] && ((unsigned char)c[cl] & 0xC0) == 0x80)
            cl++;
        if (c != lab)
            for (int sp = 0; sp < 2 && i < n && p[i] == ' '; sp++)
                i++;
        if (n - i < cl || memcmp(p + i, c, cl) != 0)
            return 0;
        i += cl;
        c += cl;
    }
    return i;
}

static int s_field_at(const char *p, size_t n, size_t *after)
{
    if (!s_may_start(p, n))
        return -1;
    for (size_t k = 0; k < N_FIELDS; k++) {
        const char *lab = s_fields[k].label;
        if (lab[1] != p[1] || lab[0] != p[0])
            continue;
        size_t j = s_label_len(p, n, lab), label_end = j;
        if (!j)
            continue;
        while (j < n && p[j] == ' ')
            j++;
        size_t c = s_colon(p + j, n - j);
        if (!c) /* "[ 发布机构 ] 某某" / "【来源】某某" */
            c = s_close_bracket(p + j, n - j);
        if (c) {
            *after = j + c;
            return (int)k;
        }
        /* a table cell holds the label, the next cell its value: "发布日期   2024-01-29"
         * (cells come apart by runs of spaces) */
        if (j - label_end >= 2 && j < n) {
            *after = j;
            return (int)k;
        }
    }
    return -1;
}

/* "YYYY-MM-DD" from the first date in P (2021-11-29, 2021/11/29, 2021.11.29,
 * 2021年11月29日) into OUT[11]; false when none. */
static bool s_parse_date(const char *p, size_t n, char out[11])
{
    for (size_t i = 0; i + 4 <= n; i++) {
        if (!(isdigit((unsigned char)p[i]) && (i == 0 || !isdigit((unsigned char)p[i - 1]))))
            continue;
        size_t j = i;
        int y = 0;
        while (j < n && isdigit((unsigned char)p[j]) && j - i < 5)
            y = y * 10 + (p[j++] - '0');
        if (j - i != 4 || y < 1990 || y > 2100)
            continue;
        size_t sep = 0;
        if (j < n && (p[j] == '-' || p[j] == '/' || p[j] == '.'))
            sep = 1;
        else if (s_starts(p + j, n - j, "年"))
            sep = 3;
        if (!sep)
            continue;
        j += sep;
        int m = 0, d = 0;
        size_t k = j;
        while (k < n && isdigit((unsigned char)p[k]) && k - j < 2)
            m = m * 10 + (p[k++] - '0');
        if (k == j || m < 1 || m > 12)
            continue;
        if (k < n && (p[k] == '-' || p[k] == '/' || p[k] == '.'))
            k += 1;
        else if (s_starts(p + k, n - k, "月"))
            k += 3;
        else
            continue;
        size_t dj = k;
        while (k < n && isdigit((unsigned char)p[k]) && k - dj < 2)
            d = d * 10 + (p[k++] - '0');
        if (k == dj || d < 1 || d > 31)
            continue;
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    return false;
}

typedef struct {
    char *issuer;
    int issuer_rank;
    char published[11];
    int date_rank;
    char *title; /* 标题 / 名称 of an information-disclosure table */
} s_meta_t;

/* Field value: after the colon, up to whitespace or the next "label:" (a title runs to
 * the next label). */
static size_t s_value_len(const char *p, size_t n, int kind)
{
    bool is_date = kind == F_DATE;
    size_t i = 0;
    while (i < n) {
        size_t after;
        if (s_field_at(p + i, n - i, &after) >= 0)
            break;
        /* "【来源：某某】【发布时间：…】": the bracket closes the field */
        if (kind != F_TITLE && s_close_bracket(p + i, n - i))
            break;
        if (p[i] == ' ' && kind != F_TITLE) {
            /* a date keeps its time: "2021-11-29 16:21:08" */
            if (is_date && i + 1 < n && isdigit((unsigned char)p[i + 1]))
                ;
            else
                break;
        }
        i++;
    }
    return i;
}

/* Reads every "label: value" of a metadata line into M. NEXT (may be NULL) is the next
 * line, used when a label stands alone with its value on the following line; returns
 * true when NEXT was consumed. */
static bool s_read_fields(const char *p, size_t n, const char *next, size_t next_len,
                          s_meta_t *m)
{
    bool used_next = false;
    for (size_t i = 0; i < n;) {
        size_t after;
        int k = s_field_at(p + i, n - i, &after);
        if (k < 0) {
            i++;
            continue;
        }
        size_t v = i + after;
        while (v < n && p[v] == ' ')
            v++;
        const char *val = p + v;
        size_t vl = s_value_len(p + v, n - v, s_fields[k].kind);
        if (vl == 0 && v >= n && next && next_len < 120) {
            size_t dummy, lead = s_skip_lead(next, next_len);
            if (s_field_at(next + lead, next_len - lead, &dummy) < 0) {
                val = next;
                vl = s_value_len(next, next_len, s_fields[k].kind);
                used_next = true;
            }
        }
        if (s_fields[k].kind == F_TITLE && vl > 0 && vl < 400 && !m->title) {
            size_t tl = vl;
            while (tl > 0 && val[tl - 1] == ' ')
                tl--;
            m->title = lxm_xstrndup(val, tl);
        } else if (s_fields[k].kind == F_ISSUER && vl > 0 && vl < 200 &&
            (!m->issuer || s_fields[k].rank < m->issuer_rank)) {
            /* "（来源：某某司法局）": the closing bracket belongs to the wrapper */
            if (vl > 3 && s_ends_with_lit(val, vl, "）") && !s_has(val, vl, "（"))
                vl -= 3;
            else if (vl > 1 && val[vl - 1] == ')' && !memchr(val, '(', vl))
                vl -= 1;
            free(m->issuer);
            m->issuer = lxm_xstrndup(val, vl);
            m->issuer_rank = s_fields[k].rank;
        } else if (s_fields[k].kind == F_DATE && vl > 0 &&
                   (!m->published[0] || s_fields[k].rank < m->date_rank)) {
            char d[11];
            if (s_parse_date(val, vl, d)) {
                memcpy(m->published, d, 11);
                m->date_rank = s_fields[k].rank;
            }
        }
        if (used_next)
            break;
        i = v + vl; /* past the label at least, so the loop always advances */
    }
    /* a bare date on a metadata line is the page's date when no field names one */
    char d[11];
    if (!m->published[0] && s_parse_date(p, n, d)) {
        memcpy(m->published, d, 11);
        m->date_rank = 9;
    }
    return used_next;
}

/* A label of s_fields ending right before P[at] (spaces allowed), or -1. */
static int s_label_before(const char *p, size_t at)
{
    while (at > 0 && p[at - 1] == ' ')
        at--;
    for (size_t k = 0; k < N_FIELDS; k++) {
        size_t l = strlen(s_fields[k].label);
        if (at >= l && memcmp(p + at - l, s_fields[k].label, l) == 0)
            return (int)k;
    }
    return -1;
}

/* A metadata line: starts with "label:", or holds two or more of them. Only the colons
 * are visited, so a long line costs one pass. */
static bool s_is_meta_line(const char *p, size_t n)
{
    size_t after;
    if (n > 400)
        return false;
    /* "【发布时间：…】", "[来源：…]" */
    size_t lead = s_skip_lead(p, n);
    p += lead;
    n -= lead;
    int k = s_field_at(p, n, &after);
    if (k >= 0 && s_fields[k].kind != F_OTHER)
        return true;
    if (k >= 0 && strcmp(s_fields[k].label, "发布") != 0 && strcmp(s_fields[k].label, "分类") != 0)
        return true;
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = s_colon(p + i, n - i);
        if (!c)
            continue;
        if (s_label_before(p, i) >= 0 && ++count >= 2)
            return true;
        i += c - 1;
    }
    /* one field beside a bare date: "2024-01-15 来源：某某司法局" */
    char d[11];
    return count == 1 && n < 160 && !s_has(p, n, "，") && !s_has(p, n, "。") &&
           s_parse_date(p, n, d);
}

/* Words that make up share / print / font-size / exit-banner button rows. A line made of
 * nothing else is chrome. */
static const char *const s_button_words[] = {
    "分享到", "分享", "打印本页", "打印", "关闭窗口", "关闭本页", "关闭", "收藏本页",
    "加入收藏", "收藏", "字号", "字体", "默认", "返回顶部", "返回", "顶部", "继续访问",
    "放弃", "取消", "确定", "微信", "微博", "QQ", "空间", "扫一扫", "保存", "本页", "窗口",
    "我要纠错", "纠错", "繁体", "简体", "繁體", "簡體", "關閉", "列印", "打印此页",
    "大", "中", "小", "【", "】", "〖", "〗", "｜", "：", "，", "·",
    /* a portal's top menu, one item a line: 首页 / 政务公开 / 政务服务 / 互动交流 */
    "网站首页", "首页", "政务公开", "政府信息公开", "信息公开", "政务服务", "办事服务",
    "互动交流", "政民互动", "公众参与", "新闻中心", "新闻动态", "数据开放", "网站地图",
    "无障碍", "长者模式", "English", NULL};

static bool s_only_buttons(const char *p, size_t n)
{
    if (n == 0 || n > 160)
        return false;
    size_t i = 0;
    while (i < n) {
        char c = p[i];
        if (c == ' ' || c == '|' || c == ':' || c == '[' || c == ']' || c == '/' || c == '-' ||
            c == '>' || c == '(' || c == ')') {
            i++;
            continue;
        }
        const char *const *w = s_button_words;
        for (; *w; w++)
            if (s_starts(p + i, n - i, *w))
                break;
        if (!*w)
            return false;
        i += strlen(*w);
    }
    return true;
}

/* Cues of navigation and page furniture: a short line holding one is chrome. */
static const char *const s_chrome_cues[] = {
    "您访问的链接即将离开", "即将离开", "是否继续", "您现在的位置", "您当前的位置",
    "当前位置", "您的位置", "所在位置", "當前位置", "您現在的位置", "首页 >", "首页>",
    "首页 »", "首页»", "首页 ›", "首页›", "首頁 >", "首頁>", "扫一扫在手机打开",
    "在手机打开当前页", "手机扫一扫", "微信扫一扫", "二维码", "二維碼", "上一篇", "下一篇",
    "上一条", "下一条", "上一篇：", "【打印】", "【关闭】", "【字体", "【字号", "[打印]",
    "[关闭]", "打印本页", "关闭窗口", "无障碍", "长者模式", "关怀版", "适老化", "網站導航",
    "网站导航", "设为首页", "加入收藏", "扫一扫", "用手机扫描", "所在的位置", "当前的位置",
    "扫码", "手机浏览", "返回首页", "今天是", "星期", "打印整页", "打印内容", NULL};

/* Cues that start a page footer: everything from such a line to the end is furniture
 * when it sits in the last part of the page. */
static const char *const s_footer_starts[] = {
    "版权声明", "版权所有", "版權所有", "版權聲明", "主办单位", "主办：", "主办:",
    "主辦", "承办单位", "承办：", "承办:", "承辦", "网站标识码", "網站標識碼", "联系方式",
    "聯繫方式", "联系电话", "聯繫電話", "联系我们", "邮件:", "邮件：", "邮箱:", "邮箱：",
    "电子邮件", "技术支持", "网站地图", "相关链接", "相关文章", "相关阅读", "相關鏈接",
    "Copyright", "copyright", "COPYRIGHT", "©", NULL};
static const char *const s_footer_anywhere[] = {
    "版权所有", "版權所有", "ICP备", "ICP證", "ICP证", "网站标识码", "公网安备",
    "Copyright", "©", NULL};

static bool s_any_start(const char *p, size_t n, const char *const *set)
{
    /* allow a leading bracket or symbol before the cue */
    while (n && (*p == '[' || *p == '|' || *p == ' ')) {
        p++;
        n--;
    }
    if (s_starts(p, n, "【")) {
        p += 3;
        n -= 3;
    }
    if (!s_may_start(p, n)) /* the two-byte prefilter holds every footer cue */
        return false;
    for (; *set; set++)
        if (s_starts(p, n, *set))
            return true;
    return false;
}

/* Which two-byte starts begin some cue word or field label: lets the scans below skip,
 * with one lookup, the positions where nothing can match. Filled once at start-up. */
static unsigned char s_starts2[65536 / 8];

static void s_mark_words(const char *const *set)
{
    for (; *set; set++) {
        const unsigned char *w = (const unsigned char *)*set;
        unsigned k = (unsigned)w[0] << 8 | w[1];
        s_starts2[k >> 3] |= (unsigned char)(1u << (k & 7));
    }
}

/* The same for s_any_in, on the whole first character of the cue words (one bit per
 * code point below U+10000): with two bytes only, most CJK characters would pass. */
static uint64_t s_first_cp[65536 / 64];

static inline uint32_t s_cp_at(const unsigned char *w, size_t n)
{
    if (w[0] < 0x80 || n < 2)
        return w[0];
    if (w[0] < 0xE0 || n < 3)
        return (uint32_t)(w[0] & 0x1F) << 6 | (w[1] & 0x3F);
    return (uint32_t)(w[0] & 0x0F) << 12 | (uint32_t)(w[1] & 0x3F) << 6 | (w[2] & 0x3F);
}

static void s_mark_first(const char *const *set)
{
    for (; *set; set++) {
        const unsigned char *w = (const unsigned char *)*set;
        uint32_t cp = s_cp_at(w, strlen(*set)) & 0xFFFF;
        s_first_cp[cp >> 6] |= 1ull << (cp & 63);
    }
}

static bool s_may_start(const char *p, size_t n)
{
    if (n < 2)
        return false;
    unsigned k = (unsigned)(unsigned char)p[0] << 8 | (unsigned char)p[1];
    return s_starts2[k >> 3] & (1u << (k & 7));
}

/* Any word of SET in P: one pass over P, the words tried only where the prefilter says
 * one may start. */
static bool s_any_in(const char *p, size_t n, const char *const *set)
{
    /* the words are UTF-8 and the text is valid UTF-8: a word starts on a character, so
     * the continuation bytes are stepped over */
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i + 1 < n; i += u[i] < 0xC0 ? 1 : u[i] < 0xE0 ? 2 : 3) {
        uint32_t cp = s_cp_at(u + i, n - i) & 0xFFFF;
        if (!((s_first_cp[cp >> 6] >> (cp & 63)) & 1) || !s_may_start(p + i, n - i))
            continue;
        for (const char *const *w = set; *w; w++)
            if ((*w)[1] == p[i + 1] && s_starts(p + i, n - i, *w))
                return true;
    }
    return false;
}

__attribute__((constructor)) static void s_init_words(void)
{
    s_mark_words(s_chrome_cues);
    s_mark_words(s_footer_starts);
    s_mark_words(s_footer_anywhere);
    s_mark_first(s_chrome_cues);
    s_mark_first(s_footer_anywhere);
    for (size_t k = 0; k < N_FIELDS; k++) {
        const char *one[2] = {s_fields[k].label, NULL};
        s_mark_words(one);
    }
}

#define FOOTER_LINES 40 /* how far up from the end a footer may start */
#define EDGE_LINES 60   /* how many lines at either end may hold page chrome */

/* A line that is only a machine date: "2023-12-20", "2021/03/29 11:30:01". */
static bool s_bare_timestamp(const char *p, size_t n)
{
    if (n < 8 || n > 19)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(isdigit((unsigned char)p[i]) || p[i] == '-' || p[i] == '/' || p[i] == '.' ||
              p[i] == ':' || p[i] == ' '))
            return false;
    char d[11];
    return s_parse_date(p, n, d);
}

/* A breadcrumb trail without 首页: "政务公开 > 工作报告 > 正文" (two or more arrows, no
 * sentence punctuation). */
static bool s_crumbs(const char *p, size_t n)
{
    if (n > 240 || s_has(p, n, "。") || s_has(p, n, "，"))
        return false;
    int arrows = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '>')
            arrows++;
        else if (s_starts(p + i, n - i, "＞") || s_starts(p + i, n - i, "»") ||
                 s_starts(p + i, n - i, "›") || s_starts(p + i, n - i, "→"))
            arrows++;
    }
    return arrows >= 2;
}

/* Any of ， 。 ； or an ASCII comma in P: one pass instead of a search for each. */
static bool s_has_clause_punct(const char *p, size_t n)
{
    const unsigned char *u = (const unsigned char *)p;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = u[i];
        if (c == ',')
            return true;
        if (i + 2 < n && ((c == 0xEF && u[i + 1] == 0xBC && (u[i + 2] == 0x8C || u[i + 2] == 0x9B)) ||
                          (c == 0xE3 && u[i + 1] == 0x80 && u[i + 2] == 0x82)))
            return true;
    }
    return false;
}

/* A line of running text: long enough and with clause punctuation. */
static bool s_body_like(const char *p, size_t n)
{
    if (n < 60)
        return false;
    if (!s_has_clause_punct(p, n))
        return false;
    if (n >= 400)
        return true; /* no chrome line is that long */
    return !s_any_in(p, n, s_chrome_cues) && !s_is_meta_line(p, n);
}

/* Marks chrome lines as dropped and reads metadata into M. Only the page's furniture
 * zones are examined: the lines before the first line of running text, those after the
 * last one, and a footer (from a footer cue in the second half of the page to the end).
 * Lines between two lines of running text are body and are kept as they are. */
static void s_chrome(const char *text, s_lines_t *L, s_meta_t *m)
{
    size_t total = 0;
    for (size_t i = 0; i < L->n; i++)
        total += L->v[i].len + 1;
    /* the footer: the first footer cue in the second half of the page, among its last
     * lines (a footer is a few dozen lines at most; the body is not searched) */
    size_t footer = L->n, pos = 0;
    size_t tail_from = L->n > FOOTER_LINES ? L->n - FOOTER_LINES : 0;
    for (size_t i = 0; i < L->n; i++) {
        const char *p = text + L->v[i].start;
        size_t n = L->v[i].len;
        if (i >= tail_from && pos >= total / 2 && (s_any_start(p, n, s_footer_starts) ||
                                 (n < 200 && s_any_in(p, n, s_footer_anywhere)))) {
            footer = i;
            break;
        }
        pos += n + 1;
    }
    /* running text spans [first_body, last_body]: found from both ends, so the middle
     * of a long page is never examined */
    size_t first_body = footer, last_body = 0;
    bool any_body = false;
    for (size_t i = 0; i < footer; i++)
        if (s_body_like(text + L->v[i].start, L->v[i].len)) {
            first_body = last_body = i;
            any_body = true;
            break;
        }
    for (size_t i = footer; any_body && i-- > first_body;)
        if (s_body_like(text + L->v[i].start, L->v[i].len)) {
            last_body = i;
            break;
        }
    for (size_t i = 0; i < L->n; i++) {
        s_line_t *ln = &L->v[i];
        const char *p = text + ln->start;
        size_t n = ln->len;
        if (i >= footer) {
            ln->drop = true;
            continue;
        }
        if (ln->drop || (any_body && i >= first_body && i <= last_body))
            continue;
        /* page furniture is a few dozen lines at either end, never the bulk of a file */
        if (i >= EDGE_LINES && i + EDGE_LINES < footer)
            continue;
        if (s_is_meta_line(p, n)) {
            ln->drop = true;
            const char *next = i + 1 < L->n ? text + L->v[i + 1].start : NULL;
            size_t next_len = i + 1 < L->n ? L->v[i + 1].len : 0;
            if (s_read_fields(p, n, next, next_len, m))
                L->v[i + 1].drop = true;
            continue;
        }
        if (s_only_buttons(p, n) || (n < 240 && s_any_in(p, n, s_chrome_cues)) ||
            (n < 200 && (s_starts(p, n, "首页") || s_starts(p, n, "首頁"))) || s_crumbs(p, n))
            ln->drop = true;
        else if (i < first_body && s_bare_timestamp(p, n)) {
            /* a page's date alone on a line above the text: furniture, and the page's
             * date when no field names one */
            ln->drop = true;
            char d[11];
            if (!m->published[0] && s_parse_date(p, n, d)) {
                memcpy(m->published, d, 11);
                m->date_rank = 9;
            }
        }
    }
}

/* ------------------------------------------------------------------ entry points */

/* Empties DOC for the next document, keeping the capacity of its buffers. */
static void s_doc_clear(lxm_doc_t *doc)
{
    free(doc->meta_title);
    free(doc->published);
    free(doc->issuer);
    for (size_t i = 0; i < doc->n_warnings; i++)
        free(doc->warnings[i]);
    lxm_buf_t text = doc->text, scratch[3] = {doc->scratch[0], doc->scratch[1], doc->scratch[2]};
    void *lines = doc->scratch_lines;
    size_t lines_cap = doc->scratch_lines_cap;
    memset(doc, 0, sizeof *doc);
    doc->text = text;
    lxm_buf_clear(&doc->text);
    for (int i = 0; i < 3; i++) {
        doc->scratch[i] = scratch[i];
        lxm_buf_clear(&doc->scratch[i]);
    }
    doc->scratch_lines = lines;
    doc->scratch_lines_cap = lines_cap;
}

void lxm_doc_reset(lxm_doc_t *doc)
{
    if (!doc)
        return;
    lxm_buf_free(&doc->text);
    for (int i = 0; i < 3; i++)
        lxm_buf_free(&doc->scratch[i]);
    free(doc->scratch_lines);
    free(doc->meta_title);
    free(doc->published);
    free(doc->issuer);
    for (size_t i = 0; i < doc->n_warnings; i++)
        free(doc->warnings[i]);
    memset(doc, 0, sizeof *doc);
}

/* ------------------------------------------------------------------ hard wraps */

/* Text taken out of a PDF keeps the page's line breaks ("…深入学习贯彻" / "习近平法治思想…")
 * and its page numbers ("— 3 —"). A break inside a sentence would cut every clause that
 * spans it, so such lines are joined again; page-number lines are dropped. */


/* Display columns of P: 2 for a wide (multi-byte) character, 1 for ASCII; at least CAP
 * (not exact) when there are that many. */
static size_t s_cols(const char *p, size_t n, size_t cap)
{
    size_t c = 0, i = 0;
#ifdef __SSE2__
    /* every line is measured: 16 bytes at a time (ASCII: top bit clear; lead bytes of a
     * multi-byte character: 0xC0 and above, as signed bytes above 0xBF); once CAP is
     * reached the exact count no longer matters */
    const __m128i cont_max = _mm_set1_epi8((char)0xBF);
    for (; i + 16 <= n && c < cap; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        unsigned high = (unsigned)_mm_movemask_epi8(v);
        unsigned lead = (unsigned)_mm_movemask_epi8(_mm_cmpgt_epi8(v, cont_max)) & high;
        c += 16 - s_pop16(high) + 2 * s_pop16(lead);
    }
#endif
    for (; i < n && c < cap; i++) {
        unsigned char b = (unsigned char)p[i];
        if (b < 0x80)
            c++;
        else if (b >= 0xC0)
            c += 2;
    }
    return c;
}

/* The line ends a sentence or a lead-in: 。！？；： (or one of them before a closing quote). */
static bool s_ends_sentence(const char *p, size_t n)
{
    static const char *const ends[] = {"。", "！", "？", "；", "：", "…", NULL};
    if (n > 0 && strchr("!?;:", p[n - 1]))
        return true;
    if (n >= 3 && (memcmp(p + n - 3, "”", 3) == 0 || memcmp(p + n - 3, "’", 3) == 0))
        n -= 3;
    for (const char *const *e = ends; *e; e++)
        if (n >= 3 && memcmp(p + n - 3, *e, 3) == 0)
            return true;
    return false;
}

/* A line holding nothing but a page number: "— 3 —", "- 3 -", "3", "第3页", "第3页 共8页". */
static bool s_page_number_line(const char *p, size_t n)
{
    size_t i = 0, digits = 0, run = 0;
    while (i < n) {
        if (isdigit((unsigned char)p[i])) {
            digits++;
            if (++run > 3)
                return false; /* a year or a mangled date ("202512"), not a page */
            i++;
            continue;
        }
        run = 0;
        if (p[i] == ' ' || p[i] == '-' || p[i] == '/') {
            i++;
        } else if (s_starts(p + i, n - i, "—") || s_starts(p + i, n - i, "－") ||
                   s_starts(p + i, n - i, "–") || s_starts(p + i, n - i, "共")) {
            i += 3;
        } else if (s_starts(p + i, n - i, "第") || s_starts(p + i, n - i, "页")) {
            i += 3;
        } else {
            return false;
        }
    }
    return digits >= 1 && n <= 30;
}

/* The line opens a heading or a list item (一、 （一） 1. 第一部分 【 一是), which never
 * continues the line above. */
static bool s_opens_item(const char *p, size_t n)
{
    /* most lines start with a character no item opens with: settled by the first one */
    if (n == 0)
        return false;
    unsigned char c0 = (unsigned char)p[0];
    if (c0 < 0x80) {
        if (c0 != '(' && c0 != '*' && !isdigit(c0))
            return false;
    } else {
        switch (s_cp_at((const unsigned char *)p, n)) {
        case 0xFF08: case 0x3010: case 0x7B2C: case 0x9644: /* （ 【 第 附 */
        case 0x4E00: case 0x4E8C: case 0x4E09: case 0x56DB: case 0x4E94: /* 一 二 三 四 五 */
        case 0x516D: case 0x4E03: case 0x516B: case 0x4E5D: case 0x5341: /* 六 七 八 九 十 */
            break;
        default:
            return false;
        }
    }
    static const char *const opens[] = {"（", "(", "【", "第", "一是", "二是", "三是", "四是",
                                        "五是", "六是", "七是", "八是", "九是", "十是",
                                        "附件", "**", NULL};
    for (const char *const *o = opens; *o; o++)
        if (s_starts(p, n, *o))
            return true;
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                     NULL};
    size_t i = 0;
    for (bool more = true; more && i < n && i < 9;) {
        more = false;
        for (const char *const *c = cn; *c; c++)
            if (s_starts(p + i, n - i, *c)) {
                i += 3;
                more = true;
                break;
            }
    }
    if (i == 0)
        while (i < n && i < 3 && isdigit((unsigned char)p[i]))
            i++;
    return i > 0 && (s_starts(p + i, n - i, "、") || s_starts(p + i, n - i, "．") ||
                     (i < n && p[i] == '.'));
}

/* "一是" … "十是" at P: an enumerated item inside a paragraph. */
static bool s_one_shi(const char *p, size_t n)
{
    static const char *const cn[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十",
                                     NULL};
    for (const char *const *c = cn; *c; c++)
        if (s_starts(p, n, *c) && s_starts(p + 3, n - 3, "是"))
            return true;
    return false;
}

/* A numbered line with no full stop: a heading (一是… opens a run-on item instead). */
static bool s_heading_like(const char *p, size_t n)
{
    return s_opens_item(p, n) && !s_has(p, n, "。") && !s_one_shi(p, n);
}

/* s_heading_like of line LN of TEXT, asked once per line. */
static bool s_line_heading(const char *text, s_line_t *ln)
{
    if (!ln->heading)
        ln->heading = s_heading_like(text + ln->start, ln->len) ? 2 : 1;
    return ln->heading == 2;
}

#define WRAP_MIN_COLS 36 /* a wrapped page line holds at least 18 characters */
#define WRAP_SLACK 4     /* columns a full line may fall short of the page width */
#define WRAP_MIN_LINES 4 /* full lines that must agree on a width */

/* The page width in columns when the kept lines of L show hard wrapping (at least
 * WRAP_MIN_LINES unfinished lines of one width, a third of all long lines), else 0. */
static size_t s_wrap_width(const char *text, s_lines_t *l)
{
    size_t hist[256] = {0}, long_lines = 0;
    for (size_t i = 0; i < l->n; i++) {
        s_line_t *ln = &l->v[i];
        if (ln->drop)
            continue;
        const char *p = text + ln->start;
        /* the histogram stops at 256; a line that ends a sentence only counts as long */
        bool ends = s_ends_sentence(p, ln->len);
        size_t c = s_cols(p, ln->len, ends ? WRAP_MIN_COLS : 256);
        /* headings may share a width by chance; wrapped body lines do by layout */
        if (c < WRAP_MIN_COLS || s_line_heading(text, ln))
            continue;
        long_lines++;
        if (c < 256 && !ends)
            hist[c]++;
    }
    size_t best = 0, best_n = 0, in_hist = 0;
    for (size_t w = WRAP_MIN_COLS; w < 256; w++)
        in_hist += hist[w];
    if (in_hist < WRAP_MIN_LINES)
        return 0; /* no width can gather enough lines */
    /* lines within the slack below W, slid along: one entry in, one out per width */
    size_t cnt = 0;
    for (size_t k = WRAP_MIN_COLS - WRAP_SLACK; k < WRAP_MIN_COLS; k++)
        cnt += hist[k];
    for (size_t w = WRAP_MIN_COLS; w < 256; w++) {
        cnt += hist[w];
        if (cnt > best_n) {
            best_n = cnt;
            best = w;
        }
        cnt -= hist[w - WRAP_SLACK];
    }
    /* wrapped pages are mostly full lines; a page of paragraphs has a few long headings */
    return best_n >= WRAP_MIN_LINES && best_n * 3 >= long_lines ? best : 0;
}

/* ------------------------------------------------------------------ flattened text */

/* Some crawlers store a page as one line, its paragraphs joined by spaces. Lines are
 * given back where the layout left a mark: a space between two Chinese characters or
 * after a sentence's end, a run of two or more spaces, a space before a numbered heading
 * (一、 （一） 1. 第一部分), the space after a title that ends in 报告 / 总结, and the
 * space before a closing date. Spaces among digits and Latin letters stay. */

#define FLAT_MIN_BYTES 600 /* a single line this long is a flattened page */


/* "2024年1月22日" (Arabic digits, folded) at P running to the end of the text. */
static bool s_closing_date(const char *p, size_t n)
{
    char d[11];
    while (n > 0 && p[n - 1] == ' ')
        n--;
    return n >= 10 && n <= 18 && isdigit((unsigned char)p[0]) && s_ends_with_lit(p, n, "日") &&
           s_parse_date(p, n, d);
}

static void s_unflatten(const char *t, size_t n, lxm_buf_t *out)
{
    size_t line = 0;      /* where the current line starts in T */
    bool heading = false; /* the current line opened with a heading number */
    for (size_t i = 0; i < n;) {
        if (t[i] != ' ') {
            lxm_buf_putc(out, t[i++]);
            continue;
        }
        size_t j = i;
        while (j < n && t[j] == ' ')
            j++;
        /* Chinese puts no space between words: one between two Chinese characters, or
         * after a full stop, is where a line was */
        bool wide = i > 0 && j < n && ((unsigned char)t[i - 1] & 0x80) && ((unsigned char)t[j] & 0x80);
        bool brk = wide || j - i >= 2 || s_opens_item(t + j, n - j) ||
                   s_closing_date(t + j, n - j) || s_ends_sentence(t, i);
        /* a heading has no space in it: the first one ends it ("四、…主要安排 2025年,…") */
        if (!brk && heading && !s_has(t + line, i - line, "。") &&
            !s_ends_with_lit(t + line, i - line, "部分") && !s_ends_with_lit(t + line, i - line, "章"))
            brk = true; /* (not the space after "第一部分") */
        /* a title ends in 报告 / 总结 near the top; a page's time stamp ends its field line
         * ("生成日期: 2021-11-29 16:21:08 广海镇…") */
        if (!brk && i < 600) {
            static const char *const ends[] = {"报告", "報告", "总结", "總結", NULL};
            for (const char *const *e = ends; *e && !brk; e++)
                brk = s_ends_with_lit(t, i, *e);
            brk = brk || (i >= 3 && t[i - 3] == ':' && isdigit((unsigned char)t[i - 2]) &&
                          isdigit((unsigned char)t[i - 1]));
        }
        lxm_buf_putc(out, brk ? '\n' : ' ');
        if (brk) {
            line = j;
            heading = s_opens_item(t + j, n - j) && !s_one_shi(t + j, n - j);
        }
        i = j;
    }
}

int lxm_text_prepare(const void *bytes, size_t len, lxm_doc_t *doc, char **error)
{
    s_doc_clear(doc);
    doc->input_bytes = len;
    doc->encoding = "utf-8";
    char *err_dummy = NULL;
    if (!error)
        error = &err_dummy;
    *error = NULL;
    if (!bytes || len == 0) {
        *error = lxm_xstrdup("empty file");
        return -1;
    }
    /* the working buffers of the last document, emptied */
    lxm_buf_t decoded = doc->scratch[0], html = doc->scratch[1], folded = doc->scratch[2];
    s_lines_t lines = {doc->scratch_lines, 0, doc->scratch_lines_cap};
    s_meta_t meta = {0};
    char *meta_issuer = NULL, *meta_date = NULL;
    int rc = -1;
    const char *src = NULL;
    size_t src_len = 0;
    if (s_decode(bytes, len, &decoded, &src, &src_len, doc, error) != 0)
        goto done;
    if (!src) {
        src = decoded.data;
        src_len = decoded.len;
    }
    if (s_is_html(src, src_len)) {
        doc->is_html = 1;
        if (src != decoded.data) {
            /* the HTML reader looks one tag name past a "</" and relies on the NUL
             * after the text, which the caller's bytes need not have */
            lxm_buf_append(&decoded, src, src_len);
            src = decoded.data;
        }
        s_html_to_text(src, src_len, &html, doc, &meta_issuer, &meta_date);
        src = html.data ? html.data : "";
        src_len = html.len;
    }
    s_fold(src, src_len, &folded, &lines);
    if (lines.n == 1 && lines.v[0].len >= FLAT_MIN_BYTES) {
        lxm_buf_t lined = {0};
        s_unflatten(folded.data + lines.v[0].start, lines.v[0].len, &lined);
        lxm_buf_clear(&folded);
        lines.n = 0;
        s_fold(lined.data ? lined.data : "", lined.len, &folded, &lines);
        lxm_buf_free(&lined);
    }
    if (lines.n == 0) {
        *error = lxm_xstrdup("empty file");
        goto done;
    }
    s_chrome(folded.data, &lines, &meta);
    /* assemble the kept lines, one newline between two, no blank lines: the same report
     * as text (paragraphs apart) or as HTML (one <p> each) gives the same text, so the
     * same content id */
    size_t removed = 0;
    lxm_buf_reserve(&doc->text, folded.len);
    for (size_t i = 0; i < lines.n; i++)
        if (!lines.v[i].drop && s_page_number_line(folded.data + lines.v[i].start,
                                                   lines.v[i].len))
            lines.v[i].drop = true;
    size_t wrap = s_wrap_width(folded.data, &lines);
    bool joined = false; /* the previous kept line runs on into this one */
    for (size_t i = 0; i < lines.n; i++) {
        s_line_t *ln = &lines.v[i];
        if (ln->drop) {
            removed += ln->len + 1;
            continue;
        }
        const char *p = folded.data + ln->start;
        if (doc->text.len && !(joined && !s_opens_item(p, ln->len)))
            lxm_buf_putc(&doc->text, '\n');
        lxm_buf_append(&doc->text, p, ln->len);
        size_t c = wrap ? s_cols(p, ln->len, SIZE_MAX) : 0;
        /* a heading that happens to fill the line is not wrapped: it has no clause */
        bool heading = s_line_heading(folded.data, ln);
        /* the first line is the title, centred on its page, never a wrapped one */
        joined = wrap && doc->text.len > ln->len && c + WRAP_SLACK >= wrap && c <= wrap &&
                 !heading && !s_ends_sentence(p, ln->len);
    }
    doc->boilerplate_bytes += removed;
    if (doc->text.len == 0) {
        *error = lxm_xstrdup("empty file (nothing but page chrome)");
        goto done;
    }
    if (meta.title) { /* the disclosure table's 标题 beats <title>, which names the site */
        free(doc->meta_title);
        doc->meta_title = meta.title;
        meta.title = NULL;
    }
    /* page fields: lines beat <meta>, which some sites fill with the portal's name */
    doc->issuer = meta.issuer ? meta.issuer : meta_issuer;
    meta.issuer = NULL;
    if (doc->issuer == meta_issuer)
        meta_issuer = NULL;
    char d[11];
    if (meta.published[0])
        doc->published = lxm_xstrdup(meta.published);
    else if (meta_date && s_parse_date(meta_date, strlen(meta_date), d))
        doc->published = lxm_xstrdup(d);
    rc = 0;
done:
    /* kept for the next document */
    doc->scratch[0] = decoded;
    doc->scratch[1] = html;
    doc->scratch[2] = folded;
    doc->scratch_lines = lines.v;
    doc->scratch_lines_cap = lines.cap;
    free(meta.issuer);
    free(meta.title);
    free(meta_issuer);
    free(meta_date);
    free(err_dummy);
    if (rc != 0)
        lxm_buf_clear(&doc->text);
    return rc;
}
