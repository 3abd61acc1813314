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

/* Out-of-memory-checked allocation helpers (abort on failure). */
void *lxm_xmalloc(size_t n);
void *lxm_xcalloc(size_t count, size_t n);
void *lxm_xrealloc(void *p, size_t n);
char *lxm_xstrdup(const char *s);     /* NULL in, NULL out */
char *lxm_xstrndup(const char *s, size_t n);

#endif
