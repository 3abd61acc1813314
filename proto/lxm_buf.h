/* lxm_buf: a growable byte buffer, the one string builder every module uses.
 *
 * Promises: data is always NUL-terminated (len does not count the NUL); appends either
 * succeed or abort the program on out-of-memory (allocation failure is not an input
 * error lexmill can recover from). A zero-initialised lxm_buf_t is a valid empty buffer. */
#ifndef LXM_BUF_H
#define LXM_BUF_H
#include <stdarg.h>
#include <stddef.h>

typedef struct {
    char *data;  /* bytes, NUL-terminated; NULL while nothing was ever appended */
    size_t len;  /* bytes used, without the NUL */
    size_t cap;  /* bytes allocated */
} lxm_buf_t;

void lxm_buf_reserve(lxm_buf_t *b, size_t extra);
void lxm_buf_append(lxm_buf_t *b, const void *bytes, size_t n);
void lxm_buf_puts(lxm_buf_t *b, const char *s);
void lxm_buf_putc(lxm_buf_t *b, char c);
void lxm_buf_printf(lxm_buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends S as a JSON string literal (quotes included), escaping what JSON requires;
 * invalid UTF-8 bytes become U+FFFD so the output is always valid JSON. */
void lxm_buf_json_string(lxm_buf_t *b, const char *s, size_t n);
/* Empties the buffer, keeping its memory. */
void lxm_buf_clear(lxm_buf_t *b);
/* Frees the memory; the buffer is empty and reusable afterwards. */
void lxm_buf_free(lxm_buf_t *b);
/* Hands the bytes to the caller (free() them); the buffer is empty afterwards.
 * Never returns NULL. */
char *lxm_buf_take(lxm_buf_t *b);

/* Length of the valid UTF-8 sequence at S (1..4), or 0 when it is invalid, overlong, a
 * surrogate or truncated by N. Inline: the decoder calls it once per character. */
static inline size_t lxm_utf8_len(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    size_t len;
    if (c < 0x80)
        return 1;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4;
    else
        return 0;
    if (len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xC0) != 0x80)
            return 0;
    if (len == 3 && c == 0xE0 && s[1] < 0xA0)
        return 0;
    if (len == 3 && c == 0xED && s[1] >= 0xA0)
        return 0;
    if (len == 4 && c == 0xF0 && s[1] < 0x90)
        return 0;
    if (len == 4 && c == 0xF4 && s[1] >= 0x90)
        return 0;
    return len;
}

/* Out-of-memory-checked allocation helpers (abort on failure). */
void *lxm_xmalloc(size_t n);
void *lxm_xcalloc(size_t count, size_t n);
void *lxm_xrealloc(void *p, size_t n);
char *lxm_xstrdup(const char *s);     /* NULL in, NULL out */
char *lxm_xstrndup(const char *s, size_t n);

#endif
