/* lxm_find: the first place of a short cue word in a line, for the text and structure
 * passes. The needles are one or two CJK characters and the haystacks lines: memmem's
 * set-up costs more than the search there, and a memchr for one byte stops at too many
 * places in CJK text, so the needle's first three bytes are compared 16 places at a time.
 * Inline: it is asked at nearly every line. */
#ifndef LXM_FIND_H
#define LXM_FIND_H
#include <stddef.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* First LIT (NUL-terminated) in P[0..n), or NULL. */
static inline const char *lxm_find_cue(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    if (l < 3 || n < l)
        return n < l ? NULL : (const char *)memmem(p, n, lit, l);
    size_t last = n - l, i = 0; /* the last place LIT may start */
#ifdef __SSE2__
    const __m128i a = _mm_set1_epi8(lit[0]), b = _mm_set1_epi8(lit[1]), c = _mm_set1_epi8(lit[2]);
    for (; i + 18 <= n; i += 16) {
        __m128i m = _mm_and_si128(
            _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i)), a),
            _mm_and_si128(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i + 1)), b),
                          _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + i + 2)), c)));
        for (unsigned mask = (unsigned)_mm_movemask_epi8(m); mask; mask &= mask - 1) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            if (at > last)
                return NULL;
            if (memcmp(p + at + 3, lit + 3, l - 3) == 0)
                return p + at;
        }
    }
#endif
    for (; i <= last; i++)
        if (p[i] == lit[0] && p[i + 1] == lit[1] && p[i + 2] == lit[2] &&
            memcmp(p + i + 3, lit + 3, l - 3) == 0)
            return p + i;
    return NULL;
}

#endif
