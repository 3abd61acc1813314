/* lxm_numbers: reads Arabic, full-width and Chinese numbers (see lxm_numbers.h). */
#include <math.h>
#include <string.h>
#include "lxm_facts.h"
#include "lxm_numbers.h"

long lxm_numeral_value(uint32_t cp)
{
    switch (cp) {
    case 0x96F6: /* 零 */
    case 0x3007: /* 〇 */
        return 0;
    case 0x4E00: return 1;          /* 一 */
    case 0x4E8C: return 2;          /* 二 */
    case 0x4E24: return 2;          /* 两 */
    case 0x5169: return 2;          /* 兩 (traditional) */
    case 0x4E09: return 3;          /* 三 */
    case 0x56DB: return 4;          /* 四 */
    case 0x4E94: return 5;          /* 五 */
    case 0x516D: return 6;          /* 六 */
    case 0x4E03: return 7;          /* 七 */
    case 0x516B: return 8;          /* 八 */
    case 0x4E5D: return 9;          /* 九 */
    case 0x5341: return 10;         /* 十 */
    case 0x767E: return 100;        /* 百 */
    case 0x5343: return 1000;       /* 千 */
    case 0x4E07: return 10000;      /* 万 */
    case 0x842C: return 10000;      /* 萬 */
    case 0x4EBF: return 100000000;  /* 亿 */
    case 0x5104: return 100000000;  /* 億 */
    default: return -1;
    }
}

/* Digit value of an ASCII or full-width digit, -1 otherwise. */
static int s_digit(uint32_t cp)
{
    if (cp >= '0' && cp <= '9')
        return (int) (cp - '0');
    if (cp >= 0xFF10 && cp <= 0xFF19)
        return (int) (cp - 0xFF10);
    return -1;
}

bool lxm_number_start(uint32_t cp)
{
    return s_digit(cp) >= 0 || lxm_numeral_value(cp) >= 0;
}

/* Reads a multiplier character (万 亿, and 千 after Arabic digits: 3千余人) at S. */
static size_t s_multiplier(const char *s, size_t n, double *mult, bool allow_thousand)
{
    uint32_t cp;
    size_t len = lxm_utf8_decode(s, n, &cp);
    if (!len)
        return 0;
    if (cp == 0x4E07 || cp == 0x842C) { /* 万 萬 */
        *mult = 1e4;
        /* 万亿 */
        uint32_t cp2;
        size_t len2 = lxm_utf8_decode(s + len, n - len, &cp2);
        if (len2 && (cp2 == 0x4EBF || cp2 == 0x5104)) {
            *mult = 1e12;
            return len + len2;
        }
        return len;
    }
    if (cp == 0x4EBF || cp == 0x5104) {
        *mult = 1e8;
        return len;
    }
    if (allow_thousand && cp == 0x5343) {
        *mult = 1e3;
        return len;
    }
    return 0;
}

static bool s_read_arabic(const char *s, size_t n, lxm_num_t *num, size_t *skip)
{
    size_t i = 0;
    double v = 0;
    int digits = 0;
    uint32_t cp;
    size_t len;
    int group = 0; /* digits since the start or the last thousands separator */
    for (;;) {
        while (i < n && (len = lxm_utf8_decode(s + i, n - i, &cp)) && s_digit(cp) >= 0) {
            v = v * 10 + s_digit(cp);
            digits++;
            group++;
            i += len;
        }
        /* 1,200万元: an ASCII comma between groups of three digits is a separator, not a
         * clause boundary (1-3 digits before it, exactly 3 after, then no digit) */
        if (i + 4 <= n && s[i] == ',' && group >= 1 && group <= 3 && (digits == group || group == 3) &&
            s[i + 1] >= '0' && s[i + 1] <= '9' && s[i + 2] >= '0' && s[i + 2] <= '9' &&
            s[i + 3] >= '0' && s[i + 3] <= '9' && (i + 4 == n || s[i + 4] < '0' || s[i + 4] > '9')) {
            i++;
            group = 0;
            continue;
        }
        break;
    }
    num->int_digits = digits;
    num->has_fraction = false;
    /* a decimal point counts only when a digit follows (so "1." of a heading is not) */
    if (i < n && (len = lxm_utf8_decode(s + i, n - i, &cp)) && (cp == '.' || cp == 0xFF0E)) {
        size_t j = i + len;
        uint32_t cp2;
        size_t len2 = lxm_utf8_decode(s + j, n - j, &cp2);
        if (len2 && s_digit(cp2) >= 0) {
            /* integer mantissa, one division: 99.11 and 1.8万 come out exact */
            double mant = v, scale = 1;
            while (j < n && (len2 = lxm_utf8_decode(s + j, n - j, &cp2)) && s_digit(cp2) >= 0) {
                if (scale < 1e15) {
                    mant = mant * 10 + s_digit(cp2);
                    scale *= 10;
                }
                j += len2;
            }
            v = mant / scale;
            i = j;
            num->has_fraction = true;
        }
    }
    *skip = i;
    double mult = 1;
    size_t m = s_multiplier(s + i, n - i, &mult, true);
    /* text from PDF or Word spaces runs of Latin digits: "1.2 万人次" (one ASCII space,
     * never two nor a line break) */
    if (!m && i + 1 < n && s[i] == ' ') {
        m = s_multiplier(s + i + 1, n - i - 1, &mult, true);
        if (m)
            m++;
    }
    num->multiplied = m > 0;
    if (m) {
        v *= mult;
        i += m;
        double r = nearbyint(v);
        if (fabs(v - r) < 1e-6)
            v = r; /* 1.8万 is 18000, not 18000.000000000004 */
    }
    num->value = v;
    num->consumed = i;
    num->kind = LXM_NUM_ARABIC;
    num->lone_one = false;
    return true;
}

/* Chinese numerals: 十二, 一百零五, 三千, 两万, 1亿 levels; 二〇二四 read digit by digit. */
static bool s_read_chinese(const char *s, size_t n, lxm_num_t *num, size_t *skip)
{
    size_t i = 0, len;
    uint32_t cp;
    double total = 0;   /* whole 亿 groups */
    double wan = 0;     /* whole 万 groups below 亿 */
    double section = 0; /* below 万 */
    long digit = -1;    /* pending digit, -1 none */
    int chars = 0;
    bool units = false, run_on = false, zero = false, bare_big = false;
    double positional = 0;
    long prev = -2; /* value of the previous character */
    while (i < n && (len = lxm_utf8_decode(s + i, n - i, &cp))) {
        long v = lxm_numeral_value(cp);
        if (v < 0)
            break;
        chars++;
        if (v <= 9) {
            positional = positional * 10 + v;
            if (v == 0) {
                zero = true;
                /* 零 between units is a placeholder (一百零五) */
            } else if (prev >= 1 && prev <= 9)
                run_on = true; /* 三四, 十四五: a range or a name, not one number */
            digit = v;
        } else if (v < 10000) {
            units = true;
            if (digit < 0 || (digit == 0 && prev == 0)) {
                if (v == 10 && (prev == -2 || prev == 0))
                    digit = 1; /* a leading 十 is 一十 (十二 = 12), after 零 too (一百零十) */
                else if (prev == -2)
                    bare_big = true; /* 百姓, 千家万户: not a number */
                else
                    digit = 1;
            }
            section += (double) (digit < 0 ? 1 : digit) * (double) v;
            digit = -1;
        } else {
            units = true;
            double part = section + (digit > 0 ? digit : 0);
            if (part == 0 && wan == 0 && total == 0)
                bare_big = true; /* 万人, 亿万: bare multiplier */
            if (v == 10000) {
                wan += part * 1e4;
            } else {
                total += (wan + part) * 1e8;
                wan = 0;
            }
            section = 0;
            digit = -1;
        }
        prev = v;
        i += len;
    }
    *skip = i;
    if (chars == 0)
        return false;
    num->kind = LXM_NUM_CHINESE;
    num->int_digits = 0;
    num->has_fraction = false;
    num->multiplied = false;
    num->lone_one = (chars == 1 && prev == 1);
    num->consumed = i;
    if (!units) {
        if (chars == 1) {
            num->value = (double) prev;
            return true;
        }
        /* 二〇二四 is a year or a code; 一两 / 三四 is a range: neither is a count */
        if (!zero)
            return false;
        num->kind = LXM_NUM_POSITIONAL;
        num->value = positional;
        return true;
    }
    if (bare_big || run_on)
        return false;
    num->value = total + wan + section + (digit > 0 ? digit : 0);
    return true;
}

bool lxm_number_read(const char *s, size_t n, lxm_num_t *num, size_t *skip)
{
    size_t dummy;
    if (!skip)
        skip = &dummy;
    *skip = 0;
    if (!s || n == 0 || !num)
        return false;
    memset(num, 0, sizeof *num);
    uint32_t cp;
    size_t len = lxm_utf8_decode(s, n, &cp);
    if (!len) {
        *skip = 1;
        return false;
    }
    if (s_digit(cp) >= 0)
        return s_read_arabic(s, n, num, skip);
    if (lxm_numeral_value(cp) >= 0)
        return s_read_chinese(s, n, num, skip);
    *skip = len;
    return false;
}

bool lxm_number_parse(const char *s, size_t n, double *value, size_t *consumed)
{
    lxm_num_t num;
    if (!lxm_number_read(s, n, &num, NULL))
        return false;
    if (value)
        *value = num.value;
    if (consumed)
        *consumed = num.consumed;
    return true;
}
