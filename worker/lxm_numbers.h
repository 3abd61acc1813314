/* lxm_numbers: the number reader under lxm_facts (internal to worker/).
 *
 * Promises: every function reads at most N bytes from S, never crashes on any bytes
 * (invalid UTF-8 is simply "not a number"), keeps no state and is thread-safe.
 * The public entry point is lxm_number_parse (declared in lxm_facts.h); this header adds
 * the pieces the fact scanner needs to tell number shapes apart. */
#ifndef LXM_NUMBERS_H
#define LXM_NUMBERS_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Shape of a parsed number: which script, and whether it is a bare positional digit
 * string (二〇二四: a year or a code, never a count). */
typedef enum {
    LXM_NUM_ARABIC = 1,   /* 45, ４５, 99.11, 1.8万 */
    LXM_NUM_CHINESE = 2,  /* 十二, 一百零五, 三千 */
    LXM_NUM_POSITIONAL = 3 /* 二〇二四: digit by digit, no 十百千 */
} lxm_num_kind_t;

typedef struct {
    double value;        /* multipliers applied */
    size_t consumed;     /* bytes of the number, multiplier included */
    lxm_num_kind_t kind;
    int int_digits;      /* Arabic: digits before the decimal point */
    bool has_fraction;   /* Arabic: a decimal part was read */
    bool multiplied;     /* a 万 / 亿 / 千 multiplier was read */
    bool lone_one;       /* Chinese: the number is the single character 一 */
} lxm_num_t;

/* Decodes one UTF-8 character at S. Returns its length (1-4) and *cp, or 0 when S does
 * not start with a valid, complete character. Inline: the scanner calls it per character. */
static inline size_t lxm_utf8_decode(const char *s, size_t n, uint32_t *cp)
{
    if (n == 0)
        return 0;
    const unsigned char *u = (const unsigned char *) s;
    if (u[0] < 0x80) {
        *cp = u[0];
        return 1;
    }
    if ((u[0] & 0xF0) == 0xE0) { /* the common case: CJK */
        if (n < 3 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
            return 0;
        *cp = ((uint32_t) (u[0] & 0x0F) << 12) | ((uint32_t) (u[1] & 0x3F) << 6) | (u[2] & 0x3F);
        return 3;
    }
    size_t len;
    uint32_t c;
    if ((u[0] & 0xE0) == 0xC0) {
        len = 2;
        c = u[0] & 0x1F;
    } else if ((u[0] & 0xF8) == 0xF0) {
        len = 4;
        c = u[0] & 0x07;
    } else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++) {
        if ((u[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (u[i] & 0x3F);
    }
    *cp = c;
    return len;
}

/* Value of a Chinese numeral character: 0-9 for digits (零 〇 一 二 两 …), 10, 100, 1000,
 * 10000, 100000000 for 十 百 千 万 亿, -1 for anything else. */
long lxm_numeral_value(uint32_t cp);

/* True when CP can start a number: ASCII or full-width digit, or a Chinese numeral. */
bool lxm_number_start(uint32_t cp);

/* Reads the number at S. Returns false when S does not start with a well-formed number
 * (not a numeral; a bare 百/千/万/亿; run-on digits like 三四 or 十四五). In every case
 * *skip (may be NULL) is set to the bytes a scanner should step over so it never
 * restarts inside the same run of numeral characters. */
bool lxm_number_read(const char *s, size_t n, lxm_num_t *num, size_t *skip);

#endif
