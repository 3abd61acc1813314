/* lxm_buf: growable byte buffer and checked allocation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_buf.h"

static void s_oom(size_t n)
{
    fprintf(stderr, "lexmill: out of memory (asked for %zu bytes)\n", n);
    abort();
}

void *lxm_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        s_oom(n);
    return p;
}

void *lxm_xcalloc(size_t count, size_t n)
{
    void *p = calloc(count ? count : 1, n ? n : 1);
    if (!p)
        s_oom(count * n);
    return p;
}

void *lxm_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        s_oom(n);
    return q;
}

char *lxm_xstrdup(const char *s)
{
    return s ? lxm_xstrndup(s, strlen(s)) : NULL;
}

char *lxm_xstrndup(const char *s, size_t n)
{
    if (!s)
        return NULL;
    char *p = lxm_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void lxm_buf_reserve(lxm_buf_t *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap *= 2;
    b->data = lxm_xrealloc(b->data, cap);
    b->cap = cap;
}

void lxm_buf_append(lxm_buf_t *b, const void *bytes, size_t n)
{
    lxm_buf_reserve(b, n);
    if (n)
        memcpy(b->data + b->len, bytes, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void lxm_buf_puts(lxm_buf_t *b, const char *s)
{
    lxm_buf_append(b, s, strlen(s));
}

void lxm_buf_putc(lxm_buf_t *b, char c)
{
    lxm_buf_append(b, &c, 1);
}

void lxm_buf_printf(lxm_buf_t *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    lxm_buf_reserve(b, (size_t)n);
    va_start(ap, fmt);
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void lxm_buf_json_string(lxm_buf_t *b, const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    lxm_buf_reserve(b, n + 2);
    lxm_buf_putc(b, '"');
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            lxm_buf_append(b, esc, 2);
            i++;
        } else if (c < 0x20) {
            switch (c) {
            case '\n': lxm_buf_append(b, "\\n", 2); break;
            case '\r': lxm_buf_append(b, "\\r", 2); break;
            case '\t': lxm_buf_append(b, "\\t", 2); break;
            default: lxm_buf_printf(b, "\\u%04x", c); break;
            }
            i++;
        } else if (c < 0x80) {
            lxm_buf_putc(b, (char)c);
            i++;
        } else {
            size_t len = lxm_utf8_len(s + i, n - i);
            if (len == 0) {
                lxm_buf_append(b, "\xEF\xBF\xBD", 3);
                i++;
            } else {
                lxm_buf_append(b, s + i, len);
                i += len;
            }
        }
    }
    lxm_buf_putc(b, '"');
}

void lxm_buf_clear(lxm_buf_t *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void lxm_buf_free(lxm_buf_t *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *lxm_buf_take(lxm_buf_t *b)
{
    char *p = b->data ? b->data : lxm_xstrdup("");
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}
