/* lxm_text: raw bytes -> cleaned UTF-8 text plus page metadata.
 * Decoding (UTF-8 with or without BOM, GB18030/GBK via iconv), HTML (tags, entities,
 * <meta> ArticleTitle/PubDate/ContentSource, scripts and styles dropped), full-width
 * folding where it matters (digits, colon), and page chrome removal (exit-link banners,
 * breadcrumbs, share/print/close, QR lines, copyright/contact footers); metadata lines
 * (发布机构 生成日期 来源 日期 索引号 发文字号 ...) are read into fields and removed.
 *
 * Promises: never crashes on any bytes; lxm_text_prepare returns 0 with DOC filled, or
 * -1 with *error (malloc'ed) for input with no text to give (empty, binary, undecodable).
 * Everything in DOC is owned by DOC and freed by lxm_doc_reset; lxm_text_prepare
 * empties DOC itself (keeping its working buffers), so one DOC serves many documents. */
#ifndef LXM_TEXT_H
#define LXM_TEXT_H
#include <stddef.h>
#include "lxm_buf.h"

typedef struct {
    lxm_buf_t text;            /* cleaned UTF-8 text; record offsets point into it */
    const char *encoding;      /* "utf-8" or "gb18030" ("utf-16" for a file with a UTF-16 BOM) (static) */
    size_t input_bytes;        /* bytes given */
    size_t boilerplate_bytes;  /* bytes of markup and chrome removed */
    int is_html;               /* 1 when the input was an HTML page */
    char *meta_title;          /* <title> / ArticleTitle, or NULL */
    char *published;           /* "YYYY-MM-DD" from the page, or NULL */
    char *issuer;              /* 发布机构 / 来源 / ContentSource as written, or NULL */
    char *warnings[8];         /* what looked wrong while cleaning */
    size_t n_warnings;
    /* working buffers kept from one document to the next (a DOC reused for many
     * documents allocates them once); their contents mean nothing outside the call */
    lxm_buf_t scratch[3];
    void *scratch_lines;
    size_t scratch_lines_cap;
} lxm_doc_t;

int lxm_text_prepare(const void *bytes, size_t len, lxm_doc_t *doc, char **error);
void lxm_doc_reset(lxm_doc_t *doc);

#endif
