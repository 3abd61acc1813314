/* lxm_structure: title, year, top-level sections and people of a cleaned report.
 *
 * All of it is read from the shape of the lines, in one or two passes:
 *  - the title is among the first few lines: short, no sentence punctuation, names a
 *    report (报告 总结 情况) and a year or 法治; a unit line right above it (尼山镇人民政府)
 *    is part of it;
 *  - headings are lines that start with a numbering (第一部分, 一、, (一), 1., (1)); the
 *    top level is the highest numbering that occurs as a sequence 1, 2, ...; short
 *    unnumbered lines that carry a section cue (2025年工作安排) count as top level too;
 *  - kinds come from cue words in the heading;
 *  - people are names anchored by 同志 or 由…担任 with a role word. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "lxm_find.h"
#include "lxm_structure.h"

/* ------------------------------------------------------------------ helpers */

static inline bool s_starts(const char *p, size_t n, const char *lit)
{
    /* the first two bytes settle most calls before any strlen */
    if (n < 2 || p[0] != lit[0] || p[1] != lit[1])
        return n >= 1 && lit[1] == '\0' && p[0] == lit[0];
    size_t l = strlen(lit);
    return n >= l && memcmp(p, lit, l) == 0;
}

/* First LIT in P[0..n) (lxm_find.h says why not memmem). */
static const char *s_find(const char *p, size_t n, const char *lit)
{
    return lxm_find_cue(p, n, lit);
}

/* Bytes of the UTF-8 character at P (1 for a stray byte). */
static size_t s_clen(const char *p, size_t n)
{
    unsigned char c = (unsigned char)p[0];
    size_t l = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
    return l <= n ? l : 1;
}

/* A CJK ideograph (U+4E00..U+9FFF) at P. */
static bool s_han(const char *p, size_t n)
{
    if (n < 3)
        return false;
    unsigned char a = (unsigned char)p[0], b = (unsigned char)p[1];
    if (a < 0xE4 || a > 0xE9)
        return false;
    if (a == 0xE4 && b < 0xB8)
        return false;
    return (b & 0xC0) == 0x80 && ((unsigned char)p[2] & 0xC0) == 0x80;
}

/* A Chinese numeral digit at P: its value, or -1. */
static int s_cn_digit(const char *p, size_t n)
{
    /* every digit is a three-byte character: one decode and a switch, not a comparison
     * per digit (this is asked at every character of titles and headings) */
    const unsigned char *u = (const unsigned char *)p;
    if (n < 3 || (u[0] & 0xF0) != 0xE0 || (u[1] & 0xC0) != 0x80 || (u[2] & 0xC0) != 0x80)
        return -1;
    switch ((uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F)) {
    case 0x96F6: case 0x3007: return 0; /* 零 〇 */
    case 0x4E00: return 1;              /* 一 */
    case 0x4E8C: case 0x4E24: return 2; /* 二 两 */
    case 0x4E09: return 3;              /* 三 */
    case 0x56DB: return 4;              /* 四 */
    case 0x4E94: return 5;              /* 五 */
    case 0x516D: return 6;              /* 六 */
    case 0x4E03: return 7;              /* 七 */
    case 0x516B: return 8;              /* 八 */
    case 0x4E5D: return 9;              /* 九 */
    default: return -1;
    }
}

/* Chinese numeral up to 99 at P (一, 十二, 二十三). Returns the value (0 when none) and
 * sets *used. */
static int s_cn_number(const char *p, size_t n, size_t *used)
{
    size_t i = 0;
    int val = 0, cur = -1;
    bool any = false;
    while (i < n) {
        int d = s_cn_digit(p + i, n - i);
        if (d >= 1) {
            if (cur >= 0)
                break; /* two digits in a row: not a heading number */
            cur = d;
            i += 3;
            any = true;
        } else if (s_starts(p + i, n - i, "十")) {
            val += (cur > 0 ? cur : 1) * 10;
            cur = -1;
            i += 3;
            any = true;
        } else {
            break;
        }
    }
    if (!any)
        return 0;
    if (cur > 0)
        val += cur;
    *used = i;
    return val;
}

int lxm_year_at(const char *p, size_t n, size_t *consumed)
{
    size_t i = 0;
    int y = 0;
    if (n >= 4 && isdigit((unsigned char)p[0])) {
        while (i < n && isdigit((unsigned char)p[i]) && i < 5)
            y = y * 10 + (p[i++] - '0');
        if (i != 4)
            return 0;
    } else {
        /* 二〇二四年: four numeral digits */
        int digits = 0;
        while (i < n && digits < 4) {
            int d = s_cn_digit(p + i, n - i);
            if (d < 0 || s_starts(p + i, n - i, "两"))
                break;
            y = y * 10 + d;
            i += 3;
            digits++;
        }
        if (digits != 4)
            return 0;
    }
    if (i < n && p[i] == ' ') /* "2025 年" as some typists write it */
        i++;
    if (y < 1990 || y > 2100 || !s_starts(p + i, n - i, "年"))
        return 0;
    if (consumed)
        *consumed = i;
    return y;
}

/* "M月D日" (Arabic or Chinese numerals) at P, right after a year's 年. */
static bool s_full_date(const char *p, size_t n)
{
    size_t i = 0, d = 0;
    while (i < n && d < 3 && (isdigit((unsigned char)p[i]) || s_cn_digit(p + i, n - i) >= 0 ||
                              s_starts(p + i, n - i, "十"))) {
        i += isdigit((unsigned char)p[i]) ? 1 : 3;
        d++;
    }
    if (d == 0 || !s_starts(p + i, n - i, "月"))
        return false;
    i += 3;
    size_t j = i;
    while (i < n && i - j < 9 && (isdigit((unsigned char)p[i]) || s_cn_digit(p + i, n - i) >= 0 ||
                                  s_starts(p + i, n - i, "十")))
        i += isdigit((unsigned char)p[i]) ? 1 : 3;
    return i > j && (s_starts(p + i, n - i, "日") || s_starts(p + i, n - i, "号"));
}

/* First year named in P (not one inside 《》 when SKIP_QUOTED), or 0. */
static int s_first_year(const char *p, size_t n, bool skip_quoted)
{
    int depth = 0;
    for (size_t i = 0; i < n;) {
        if (s_starts(p + i, n - i, "《")) {
            depth++;
        } else if (s_starts(p + i, n - i, "》")) {
            if (depth)
                depth--;
        } else if (!(skip_quoted && depth) &&
                   (i == 0 || !isdigit((unsigned char)p[i - 1]))) {
            size_t used;
            int y = lxm_year_at(p + i, n - i, &used);
            /* in running text a full date (2024年1月5日) is when something happened or
             * was signed, not the year reported on */
            if (y && skip_quoted && s_full_date(p + i + used + 3, n - i - used - 3)) {
                i += used;
                continue;
            }
            if (y)
                return y;
        }
        i += s_clen(p + i, n - i);
    }
    return 0;
}

/* ------------------------------------------------------------------ lines */

typedef struct {
    size_t start, len;
} s_span_t;

/* Next non-empty line at or after *pos; false at the end. */
static bool s_next_line(const char *text, size_t len, size_t *pos, s_span_t *out)
{
    size_t i = *pos;
    while (i < len) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t e = nl ? (size_t)(nl - text) : len;
        if (e > i) {
            out->start = i;
            out->len = e - i;
            *pos = e < len ? e + 1 : len;
            return true;
        }
        i = e + 1;
    }
    *pos = len;
    return false;
}

static bool s_has_any(const char *p, size_t n, const char *const *set)
{
    for (; *set; set++)
        if (s_find(p, n, *set))
            return true;
    return false;
}

static const char *const s_sentence_punct[] = {"。", "，", ",", "；", ";", "：", ":", "！",
                                               "？", NULL};
static const char *const s_title_cues[] = {"报告", "報告", "总结", "總結", "情况", "情況",
                                           NULL};
static const char *const s_title_topics[] = {"法治", "依法", "法制", NULL};

/* A line that can be (part of) a title: short, no sentence punctuation. */
static bool s_titleish(const char *p, size_t n)
{
    return n > 0 && n <= 240 && !s_has_any(p, n, s_sentence_punct);
}

/* Ends with a report word: a title may then hold a colon ("某镇：2023年…报告"). */
static bool s_ends_report(const char *p, size_t n)
{
    static const char *const ends[] = {"报告", "報告", "总结", "總結", "情况", "情況", NULL};
    for (const char *const *e = ends; *e; e++) {
        size_t l = strlen(*e);
        if (n >= l && memcmp(p + n - l, *e, l) == 0)
            return true;
    }
    return false;
}

static const char *const s_clause_punct[] = {"。", "，", ",", "；", ";", "！", "？", NULL};

static int s_numbering(const char *p, size_t n, int *num, size_t *text_off);

/* A line that is a report title on its own. */
static bool s_title_line(const char *p, size_t n)
{
    if (!s_has_any(p, n, s_title_cues))
        return false;
    int num;
    size_t off;
    if (s_numbering(p, n, &num, &off) != 0)
        return false; /* "一、2023年法治政府建设情况" is a heading */
    /* a notice about the reports is not one: "关于做好…年度报告工作的通知" */
    static const char *const notice_ends[] = {"通知", "通告", "公告", "通报", "决定", "意见",
                                              "方案", "办法", "批复", "函", "纪要", NULL};
    for (const char *const *e = notice_ends; *e; e++) {
        size_t l = strlen(*e);
        if (n >= l && memcmp(p + n - l, *e, l) == 0)
            return false;
    }
    if (!s_titleish(p, n) &&
        !(n <= 240 && s_ends_report(p, n) && !s_has_any(p, n, s_clause_punct)))
        return false;
    return s_first_year(p, n, false) || s_has_any(p, n, s_title_topics);
}

/* A line that names the reporting body above a title (尼山镇人民政府, 中共XX委员会). */
static bool s_unit_line(const char *p, size_t n)
{
    static const char *const ends[] = {"人民政府", "政府", "办事处", "委员会", "局", "镇",
                                       "乡", "街道", "县", "区", "市", "党委", "党工委",
                                       "司法所", "厅", "委", NULL};
    if (!s_titleish(p, n) || n > 90 || s_has_any(p, n, s_title_cues))
        return false;
    for (const char *const *e = ends; *e; e++) {
        size_t l = strlen(*e);
        if (n >= l && memcmp(p + n - l, *e, l) == 0)
            return true;
    }
    return false;
}

/* The title line names its own unit before its subject ("潼关县司法局2023年…"), so a
 * unit line above it is a site header, not the first half of the title. */
static bool s_names_unit(const char *p, size_t n)
{
    size_t subject = n;
    for (size_t i = 0; i < n; i += s_clen(p + i, n - i)) {
        size_t used;
        if (lxm_year_at(p + i, n - i, &used) || s_starts(p + i, n - i, "法治") ||
            s_starts(p + i, n - i, "关于")) {
            subject = i;
            break;
        }
    }
    static const char *const units[] = {"镇", "乡", "街道", "县", "区", "市", "局", "政府",
                                        "委员会", "办事处", "旗", "州", "盟", NULL};
    for (const char *const *u = units; *u; u++)
        if (s_find(p, subject, *u))
            return true;
    return false;
}

/* Strips a site suffix from a page title ("…报告_台山政府网", "… - XX网"). */
static size_t s_strip_site(const char *t, size_t n)
{
    static const char *const seps[] = {"_", " - ", " | ", "|", "｜", " — ", "－", "——", NULL};
    size_t best = n;
    for (const char *const *s = seps; *s; s++) {
        const char *hit = s_find(t, n, *s);
        if (hit && (size_t)(hit - t) < best && hit > t)
            best = (size_t)(hit - t);
    }
    while (best > 0 && t[best - 1] == ' ')
        best--;
    return best;
}

/* ------------------------------------------------------------------ headings */

#define TITLE_LINES 30 /* the title is among this many first (short) lines */

enum { H_NONE = 0, H_PART, H_CN, H_PAREN_CN, H_ARABIC, H_PAREN_AR, H_QUESTION, H_KINDS };

static int s_numbering_bare(const char *p, size_t n, int *num, size_t *text_off);
static bool s_date_line(const char *p, size_t n, char out[11]);

static bool s_ends_with(const char *p, size_t n, const char *lit)
{
    size_t l = strlen(lit);
    return n >= l && memcmp(p + n - l, lit, l) == 0;
}

/* Numbering at the start of a line: its shape and number, *text_off = where the heading
 * words start. Pages mark headings up as bold ("**一、…**", kept from Markdown) or in
 * lenticular brackets ("【一、…】", "【一】…"): the marker opens the line, the numbering
 * follows it. */
static int s_numbering(const char *p, size_t n, int *num, size_t *text_off)
{
    size_t w = 0;
    if (s_starts(p, n, "**"))
        w = 2;
    else if (s_starts(p, n, "【"))
        w = 3;
    int shape = s_numbering_bare(p + w, n - w, num, text_off);
    if (shape != H_NONE) {
        *text_off += w;
        return shape;
    }
    if (w == 3) { /* "【一】加强组织领导" */
        size_t used = 0;
        int v = s_cn_number(p + w, n - w, &used);
        if (v > 0 && s_starts(p + w + used, n - w - used, "】")) {
            *num = v;
            *text_off = w + used + 3;
            return H_CN;
        }
    }
    return H_NONE;
}

/* "3.2024年…": a heading number, then a year (not the decimal 3.2024) */
static bool s_year_follows(const char *p, size_t n)
{
    return n >= 7 && isdigit((unsigned char)p[0]) && isdigit((unsigned char)p[1]) &&
           isdigit((unsigned char)p[2]) && isdigit((unsigned char)p[3]) &&
           s_starts(p + 4, n - 4, "年");
}

/* A report written as questions and answers: "问一：…有哪些举措？" / "问题2：…?" on a
 * line of its own heads the answer that follows. Its own shape, lowest in rank, so a
 * question list inside a numbered section is not taken for the top level. */
static int s_numbering_question(const char *p, size_t n, int *num, size_t *text_off)
{
    size_t j = s_starts(p, n, "问题") ? 6 : s_starts(p, n, "问") ? 3 : 0;
    if (!j || !(s_find(p, n, "？") || memchr(p, '?', n)) || s_find(p, n, "。"))
        return H_NONE;
    size_t used = 0;
    int v = s_cn_number(p + j, n - j, &used);
    if (v == 0) {
        while (j + used < n && isdigit((unsigned char)p[j + used]) && used < 2)
            v = v * 10 + (p[j + used++] - '0');
    }
    if (v <= 0 || used == 0)
        return H_NONE;
    j += used;
    if (s_starts(p + j, n - j, "：") || s_starts(p + j, n - j, "、"))
        j += 3;
    else if (j < n && (p[j] == ':' || p[j] == '.'))
        j += 1;
    else
        return H_NONE;
    *num = v;
    *text_off = j;
    return H_QUESTION;
}

static int s_numbering_bare(const char *p, size_t n, int *num, size_t *text_off)
{
    size_t used = 0;
    if (s_starts(p, n, "问"))
        return s_numbering_question(p, n, num, text_off);
    if (s_starts(p, n, "第")) {
        int v = s_cn_number(p + 3, n - 3, &used);
        if (v > 0) {
            size_t j = 3 + used;
            if (s_starts(p + j, n - j, "部分") || s_starts(p + j, n - j, "章")) {
                j += s_starts(p + j, n - j, "章") ? 3 : 6;
                while (j < n && (p[j] == ' ' || s_starts(p + j, n - j, "、")))
                    j += p[j] == ' ' ? 1 : 3;
                *num = v;
                *text_off = j;
                return H_PART;
            }
        }
        return H_NONE;
    }
    int v = s_cn_number(p, n, &used);
    if (v > 0) {
        size_t j = used;
        if (s_starts(p + j, n - j, "、") || s_starts(p + j, n - j, "．")) {
            *num = v;
            *text_off = j + 3;
            return H_CN;
        }
        if (j < n && p[j] == '.' &&
            (!(j + 1 < n && isdigit((unsigned char)p[j + 1])) || s_year_follows(p + j + 1, n - j - 1))) {
            *num = v;
            *text_off = j + 1;
            return H_CN;
        }
        /* typed with a comma or colon for 、 ("二，存在的不足"): only on a heading's own
         * line, never a sentence */
        if (!s_find(p, n, "。") && (s_starts(p + j, n - j, "，") || s_starts(p + j, n - j, "："))) {
            *num = v;
            *text_off = j + 3;
            return H_CN;
        }
        if (!s_find(p, n, "。") && j < n && (p[j] == ',' || p[j] == ':')) {
            *num = v;
            *text_off = j + 1;
            return H_CN;
        }
        return H_NONE;
    }
    size_t open = 0;
    if (n > 0 && p[0] == '(')
        open = 1;
    else if (s_starts(p, n, "（"))
        open = 3;
    if (open) {
        v = s_cn_number(p + open, n - open, &used);
        int shape = H_PAREN_CN;
        if (v == 0) {
            size_t k = open;
            while (k < n && isdigit((unsigned char)p[k]) && k - open < 2)
                v = v * 10 + (p[k++] - '0');
            used = k - open;
            shape = H_PAREN_AR;
        }
        if (v > 0 && used > 0) {
            size_t j = open + used;
            if (j < n && p[j] == ')') {
                *num = v;
                *text_off = j + 1;
                return shape;
            }
            if (s_starts(p + j, n - j, "）")) {
                *num = v;
                *text_off = j + 3;
                return shape;
            }
        }
        return H_NONE;
    }
    if (n > 0 && isdigit((unsigned char)p[0])) {
        size_t k = 0;
        v = 0;
        while (k < n && isdigit((unsigned char)p[k]) && k < 3)
            v = v * 10 + (p[k++] - '0');
        if (k > 2 || v == 0)
            return H_NONE;
        if (k < n && p[k] == '.' &&
            (!(k + 1 < n && isdigit((unsigned char)p[k + 1])) || s_year_follows(p + k + 1, n - k - 1))) {
            *num = v;
            *text_off = k + 1;
            return H_ARABIC;
        }
        if (s_starts(p + k, n - k, "、") || s_starts(p + k, n - k, "．")) {
            *num = v;
            *text_off = k + 3;
            return H_ARABIC;
        }
    }
    return H_NONE;
}

/* Heading words of a numbered line that runs on into a paragraph: up to the first 。 */
static size_t s_heading_len(const char *p, size_t n)
{
    const char *stop = s_find(p, n, "。");
    size_t l = stop ? (size_t)(stop - p) : n;
    if (l > 300) { /* cut on a character boundary */
        l = 300;
        while (l > 0 && ((unsigned char)p[l] & 0xC0) == 0x80)
            l--;
    }
    return l;
}

static const char *const s_cue_leadership[] = {
    "第一责任人", "主要负责人", "负责人履行", "责任人履行", "党政主要", "党政负责",
    "党政责任", "履行推进法治", "述法", "第一責任人", "主要負責人", NULL};
static const char *const s_cue_plan[] = {
    "下一步", "下一年", "下步", "明年", "来年", "展望", "今后", "努力方向", "下一階段",
    "下一阶段", "下阶段", "接下来", NULL};
/* Words that name a plan only at the end of a heading ("2025年工作安排"); earlier they
 * are verbs of the work done ("统筹安排部署，加强组织领导"). */
static const char *const s_cue_plan_end[] = {"安排", "思路", "打算", "计划", "計劃", "规划",
                                             "重点", NULL};
#define PLAN_END_BYTES 18 /* the last six characters of a heading */
static const char *const s_cue_short[] = {
    "不足", "差距", "短板", "薄弱", "存在的问题", "存在问题", "问题和", "问题与", "问题及",
    "主要问题", "困难", "存在的問題", "問題", "需要改进", "有待改进", "有待加强", NULL};
/* The fifth item of the statutory outline (其他需要报告的事项 / 情况): always "other". */
static const char *const s_cue_other[] = {"其他需要报告", "其它需要报告", "其他需要说明",
                                          "其他需要報告", NULL};
static const char *const s_cue_measures[] = {
    "举措", "成效", "做法", "工作开展", "主要工作", "工作情况", "措施", "成绩", "进展",
    "开展情况", "舉措", "成效", NULL};

/* Position of the earliest cue of SET in P, or n when none. */
static size_t s_first_cue(const char *p, size_t n, const char *const *set)
{
    size_t best = n;
    for (; *set; set++) {
        const char *h = s_find(p, n, *set);
        if (h && (size_t)(h - p) < best)
            best = (size_t)(h - p);
    }
    return best;
}

/* All the heading cue sets searched in one pass over a line (a heading is asked about
 * every set; one s_find per cue word went over it some fifty times). The cue words are
 * bucketed by a hash of their first three bytes; positions whose bucket is empty are
 * passed over at once. The earliest match of each set is the earliest position where
 * one of its words matches, the same answer as the least of the words' first finds. */
enum { C_OTHER, C_LEAD, C_PLAN, C_PLAN_END, C_SHORT, C_MEAS, C_SETS };
#define CUE_BUCKETS 1024
#define CUE_MAX 128

typedef struct {
    const char *w;
    size_t len;
    int set;
} s_cue_t;

static s_cue_t s_cues_v[CUE_MAX];
static unsigned short s_cue_bucket[CUE_BUCKETS + 1]; /* start of each bucket in s_cues_v */
static bool s_cues_ready;

static inline unsigned s_cue_hash(const unsigned char *u)
{
    uint32_t k = (uint32_t)u[0] << 16 | (uint32_t)u[1] << 8 | u[2];
    return (k * 2654435761u) >> 22; /* 10 bits */
}

__attribute__((constructor)) static void s_cues_init(void)
{
    const char *const *sets[C_SETS] = {s_cue_other,    s_cue_leadership, s_cue_plan,
                                       s_cue_plan_end, s_cue_short,      s_cue_measures};
    s_cue_t all[CUE_MAX];
    size_t n = 0;
    for (int k = 0; k < C_SETS; k++)
        for (const char *const *w = sets[k]; *w; w++) {
            size_t l = strlen(*w);
            if (l < 3 || (unsigned char)**w < 0x80 || n == CUE_MAX)
                return; /* not ready: s_first_cue is used instead */
            all[n++] = (s_cue_t){*w, l, k};
        }
    unsigned count[CUE_BUCKETS] = {0};
    for (size_t i = 0; i < n; i++)
        count[s_cue_hash((const unsigned char *)all[i].w)]++;
    unsigned at = 0;
    for (unsigned b = 0; b < CUE_BUCKETS; b++) {
        s_cue_bucket[b] = (unsigned short)at;
        at += count[b];
    }
    s_cue_bucket[CUE_BUCKETS] = (unsigned short)at;
    unsigned fill[CUE_BUCKETS];
    for (unsigned b = 0; b < CUE_BUCKETS; b++)
        fill[b] = s_cue_bucket[b];
    for (size_t i = 0; i < n; i++)
        s_cues_v[fill[s_cue_hash((const unsigned char *)all[i].w)]++] = all[i];
    s_cues_ready = true;
}

/* Fills AT[set] with the earliest position of a cue of each set in P (n when none);
 * plan end words count only from the last PLAN_END_BYTES of the line. */
static void s_cues(const char *p, size_t n, size_t at[C_SETS])
{
    size_t tail = n > PLAN_END_BYTES ? n - PLAN_END_BYTES : 0;
    while (tail > 0 && ((unsigned char)p[tail] & 0xC0) == 0x80)
        tail--; /* on a character boundary */
    if (!s_cues_ready) {
        at[C_OTHER] = s_first_cue(p, n, s_cue_other);
        at[C_LEAD] = s_first_cue(p, n, s_cue_leadership);
        at[C_PLAN] = s_first_cue(p, n, s_cue_plan);
        size_t late = s_first_cue(p + tail, n - tail, s_cue_plan_end);
        at[C_PLAN_END] = late < n - tail ? tail + late : n;
        at[C_SHORT] = s_first_cue(p, n, s_cue_short);
        at[C_MEAS] = s_first_cue(p, n, s_cue_measures);
        return;
    }
    for (int k = 0; k < C_SETS; k++)
        at[k] = n;
    const unsigned char *u = (const unsigned char *)p;
    unsigned found = 0;
    for (size_t i = 0; i + 3 <= n && found != (1u << C_SETS) - 1; i++) {
        if (u[i] < 0x80)
            continue; /* every cue word starts with a CJK character */
        unsigned b = s_cue_hash(u + i);
        for (unsigned e = s_cue_bucket[b]; e < s_cue_bucket[b + 1]; e++) {
            const s_cue_t *c = &s_cues_v[e];
            if ((found >> c->set) & 1 || c->len > n - i || memcmp(p + i, c->w, c->len) != 0)
                continue;
            if (c->set == C_PLAN_END && i < tail)
                continue;
            at[c->set] = i;
            found |= 1u << c->set;
        }
    }
}

/* The plan position from the cue positions: a strong plan cue anywhere, an end word in
 * the last characters. */
static size_t s_plan_at(const size_t at[C_SETS])
{
    return at[C_PLAN_END] < at[C_PLAN] ? at[C_PLAN_END] : at[C_PLAN];
}

const char *lxm_heading_kind(const char *p, size_t n, int report_year, bool seen_late)
{
    if (!p)
        return "other";
    size_t at[C_SETS];
    s_cues(p, n, at);
    if (at[C_OTHER] < n)
        return "other";
    if (at[C_LEAD] < n)
        return "leadership";
    /* a heading about a later year than the report's is next year's plan */
    if (report_year) {
        for (size_t i = 0; i < n; i += s_clen(p + i, n - i)) {
            size_t used;
            int y = lxm_year_at(p + i, n - i, &used);
            if (y > report_year)
                return "plan";
            if (y)
                i += used;
        }
    }
    size_t plan = s_plan_at(at);
    size_t shortc = at[C_SHORT];
    size_t meas = at[C_MEAS];
    if (plan < n || shortc < n || meas < n) {
        if (shortc <= plan && shortc <= meas)
            return "shortcomings";
        if (plan <= meas)
            return "plan";
        return "measures";
    }
    return seen_late ? "other" : "measures";
}

/* An unnumbered line that reads as a section heading: short, no sentence punctuation,
 * a section cue. */
static bool s_bare_heading(const char *p, size_t n)
{
    /* an unnumbered question of a question-answer report ("问：…有哪些举措？") on a line
     * of its own: a heading when it asks about a section's matter */
    size_t ask = s_starts(p, n, "问：") ? 6 : s_starts(p, n, "问:") ? 4 : 0;
    if (ask && n <= 150 && !s_find(p, n, "。") &&
        (s_ends_with(p, n, "？") || (n > 0 && p[n - 1] == '?'))) {
        size_t at[C_SETS];
        s_cues(p + ask, n - ask, at);
        size_t m = n - ask;
        return s_plan_at(at) < m || at[C_SHORT] < m || at[C_LEAD] < m || at[C_MEAS] < m ||
               at[C_OTHER] < m;
    }
    if (n < 6 || n > 90 || s_has_any(p, n, s_sentence_punct) || s_has_any(p, n, (const char *const[]){"、", "“", "”", "《", NULL}))
        return false;
    size_t at[C_SETS];
    s_cues(p, n, at);
    return s_plan_at(at) < n || at[C_SHORT] < n || at[C_LEAD] < n || at[C_MEAS] < n ||
           at[C_OTHER] < n;
}

/* A heading on a line of its own: short, no full stop. */
static bool s_standalone(const char *p, size_t n)
{
    return n <= 150 && !s_find(p, n, "。");
}

typedef struct {
    size_t start;    /* line start */
    size_t len;      /* line length */
    size_t text_off; /* heading words start (after the numbering) */
    int shape;
    int num;
} s_head_t;

/* ------------------------------------------------------------------ people */

static const char s_surnames[] =
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
    "毛郝龚邵万钱严覃武戴莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关"
    "兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻"
    "祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿"
    "桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝";

#define N_ROLES 26
static const char *const s_roles[N_ROLES + 1] = {
    "常务副组长", "副组长", "组长", "党委副书记", "党委书记", "党工委书记", "副书记", "书记",
    "副镇长", "镇长", "副乡长", "乡长", "副县长", "县长", "副区长", "区长", "副市长", "市长",
    "副主任", "主任", "副局长", "局长", "所长", "部长", "副主席", "主席", NULL};

/* One bit per code point: the surnames, and the first and last characters of the role
 * words. Most places a name or role is looked for are settled by one bit, without a
 * comparison per word. Filled once at start-up. */
static uint64_t s_surname_bits[65536 / 64], s_role_first[65536 / 64], s_role_last[65536 / 64];
static size_t s_role_len[N_ROLES];

/* The code point of the three-byte character at P, or 0 when P does not hold one. */
static inline uint32_t s_cp3(const unsigned char *p)
{
    if ((p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
    return (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
}

static inline bool s_bit(const uint64_t *set, uint32_t cp)
{
    return (set[cp >> 6] >> (cp & 63)) & 1;
}

__attribute__((constructor)) static void s_people_init(void)
{
    for (size_t i = 0; i + 3 <= sizeof s_surnames - 1; i += 3) {
        uint32_t cp = s_cp3((const unsigned char *)s_surnames + i);
        s_surname_bits[cp >> 6] |= 1ull << (cp & 63);
    }
    for (int r = 0; r < N_ROLES; r++) {
        const unsigned char *w = (const unsigned char *)s_roles[r];
        size_t l = strlen(s_roles[r]);
        uint32_t a = s_cp3(w), z = s_cp3(w + l - 3);
        s_role_len[r] = l;
        s_role_first[a >> 6] |= 1ull << (a & 63);
        s_role_last[z >> 6] |= 1ull << (z & 63);
    }
}

static bool s_is_surname(const char *p, size_t n)
{
    if (n < 3)
        return false;
    uint32_t cp = s_cp3((const unsigned char *)p);
    return cp && s_bit(s_surname_bits, cp);
}

/* Role word starting at P, or NULL. */
static const char *s_role_at(const char *p, size_t n)
{
    if (n < 6)
        return NULL; /* every role is two characters or more */
    uint32_t cp = s_cp3((const unsigned char *)p);
    if (!cp || !s_bit(s_role_first, cp))
        return NULL;
    for (int r = 0; r < N_ROLES; r++)
        if (n >= s_role_len[r] && memcmp(p, s_roles[r], s_role_len[r]) == 0)
            return s_roles[r];
    return NULL;
}

/* Role word ending exactly at P (looking back), or NULL. */
static const char *s_role_before(const char *text, const char *p)
{
    size_t room = (size_t)(p - text);
    if (room < 6)
        return NULL;
    uint32_t cp = s_cp3((const unsigned char *)p - 3);
    if (!cp || !s_bit(s_role_last, cp))
        return NULL;
    for (int r = 0; r < N_ROLES; r++) {
        size_t l = s_role_len[r];
        /* the last byte of the character before the last settles most words (增长 成长) */
        if (room >= l && p[-4] == s_roles[r][l - 4] && memcmp(p - l, s_roles[r], l) == 0)
            return s_roles[r];
    }
    return NULL;
}

/* Characters that may stand right before a name. */
static bool s_name_boundary(const char *text, const char *p)
{
    if (p == text || p[-1] == '\n' || p[-1] == ' ' || p[-1] == ',' || p[-1] == '(')
        return true;
    static const char *const before[] = {"以", "由", "和", "与", "及", "、", "，", "：",
                                         "（", "“", "请", "派", "同", NULL};
    for (const char *const *b = before; *b; b++)
        if ((size_t)(p - text) >= 3 && memcmp(p - 3, *b, 3) == 0)
            return true;
    return s_role_before(text, p) != NULL;
}

static bool s_valid_name(const char *p, size_t n)
{
    if (!s_is_surname(p, n))
        return false;
    for (size_t i = 0; i < n; i += 3)
        if (!s_han(p + i, n - i))
            return false;
    if (s_find(p, n, "某") || s_find(p, n, "习近平"))
        return false;
    return true;
}

static void s_add_person(lxm_record_t *rec, const char *name, size_t nl, const char *role)
{
    char buf[16];
    if (nl >= sizeof buf)
        return;
    memcpy(buf, name, nl);
    buf[nl] = '\0';
    for (size_t i = 0; i < rec->n_people; i++)
        if (strcmp(rec->people[i].name, buf) == 0)
            return;
    lxm_record_add_person(rec, buf, role);
}

/* Role after a name: "为组长" "任组长" "担任组长" (within a few characters). */
static const char *s_role_after(const char *p, size_t n)
{
    static const char *const links[] = {"担任", "出任", "任", "为", NULL};
    for (const char *const *l = links; *l; l++) {
        if (!s_starts(p, n, *l))
            continue;
        size_t j = strlen(*l);
        /* allow one qualifier word: 为领导小组组长 */
        for (size_t k = j; k < n && k <= j + 18; k += s_clen(p + k, n - k)) {
            const char *r = s_role_at(p + k, n - k);
            if (r)
                return r;
            if (!s_han(p + k, n - k))
                break;
        }
    }
    return NULL;
}

/* H is the 任 of a two-character link (担任 出任 兼任) whose first character lies after
 * TEXT: a name before it ends one character earlier. */
static bool s_two_char_link(const char *text, const char *h)
{
    if (h - text < 3 || memcmp(h, "任", 3) != 0)
        return false;
    return !memcmp(h - 3, "担", 3) || !memcmp(h - 3, "出", 3) || !memcmp(h - 3, "兼", 3);
}

/* NAME同志 at H (the 同志) with a role before or after it. */
static void s_person_tongzhi(const char *text, const char *end, const char *h, lxm_record_t *rec)
{
    for (size_t nl = 9; nl >= 6; nl -= 3) {
        const char *name = h - nl;
        if (name < text || !s_valid_name(name, nl) || !s_name_boundary(text, name))
            continue;
        const char *role = s_role_after(h + 6, (size_t)(end - h - 6));
        if (!role)
            role = s_role_before(text, name);
        /* "组长由王立春同志担任" */
        if (!role && name - text >= 3 && memcmp(name - 3, "由", 3) == 0)
            role = s_role_before(text, name - 3);
        if (role)
            s_add_person(rec, name, nl, role);
        return;
    }
}

/* (以)(书记)NAME为ROLE at H (the 为 or 任): "以党委书记王立春为组长、镇长李红为副组长". */
static void s_person_link(const char *text, const char *end, const char *h, lxm_record_t *rec)
{
    /* the role may follow a qualifier: 兼任办公室主任, 为领导小组组长 */
    const char *role = s_role_after(h, (size_t)(end - h));
    if (!role)
        return;
    if (s_two_char_link(text, h))
        h -= 3; /* 担任 / 出任 / 兼任: the name ends before the link's first character */
    for (size_t nl = 9; nl >= 6; nl -= 3) {
        const char *name = h - nl;
        if (name < text || !s_valid_name(name, nl))
            continue;
        /* a bare 为/任 after a name needs a role or 以/由/、 before it */
        const char *pre = name - 3;
        bool ok = s_role_before(text, name) != NULL ||
                  (pre >= text && (!memcmp(pre, "以", 3) || !memcmp(pre, "由", 3) ||
                                   !memcmp(pre, "、", 3)));
        if (ok) {
            s_add_person(rec, name, nl, role);
            return;
        }
    }
}

/* 由NAME担任ROLE, 由(镇党委)书记NAME任ROLE at H (the 由). */
static bool s_two_char_link(const char *text, const char *h);
static void s_person_you(const char *end, const char *h, lxm_record_t *rec)
{
    const char *starts[2] = {h + 3, NULL};
    /* a title before the name: the name starts right after a role word */
    for (const char *j = h + 3; j < end && j <= h + 3 + 15; j += s_clen(j, (size_t)(end - j))) {
        const char *r = s_role_at(j, (size_t)(end - j));
        if (r) {
            starts[1] = j + strlen(r);
            break;
        }
        if (!s_han(j, (size_t)(end - j)))
            break;
    }
    for (int k = 0; k < 2 && starts[k]; k++) {
        const char *name = starts[k];
        for (size_t nl = 9; nl >= 6; nl -= 3) {
            if ((size_t)(end - name) < nl + 3 || !s_valid_name(name, nl))
                continue;
            if (s_two_char_link(name, name + nl))
                continue; /* "赵刚担|任": the name is shorter */
            const char *after = name + nl;
            size_t left = (size_t)(end - after);
            if (s_starts(after, left, "同志"))
                return; /* the 同志 rule has it */
            const char *role = s_role_after(after, left);
            if (role && !s_starts(after, left, "为")) {
                s_add_person(rec, name, nl, role);
                return;
            }
        }
    }
}

/* True when the character at U[0..2] is one of the anchors: 为 任 (E4) 同 (E5) 由 (E7). */
static inline bool s_anchor3(const unsigned char *u)
{
    return (u[0] == 0xE4 && ((u[1] == 0xB8 && u[2] == 0xBA) || (u[1] == 0xBB && u[2] == 0xBB))) ||
           (u[0] == 0xE5 && u[1] == 0x90 && u[2] == 0x8C) ||
           (u[0] == 0xE7 && u[1] == 0x94 && u[2] == 0xB1);
}

/* First I >= FROM with I + 6 <= LEN where an anchor character starts, or LEN. A lead byte
 * E4/E5/E7 is never inside another character, so the search need not step by
 * characters: 16 places at a time where SSE2 is there (the anchors are rare). */
static size_t s_next_anchor(const unsigned char *u, size_t from, size_t len)
{
    size_t i = from;
#ifdef __SSE2__
    const __m128i e4 = _mm_set1_epi8((char)0xE4), e5 = _mm_set1_epi8((char)0xE5),
                  e7 = _mm_set1_epi8((char)0xE7), b8 = _mm_set1_epi8((char)0xB8),
                  ba = _mm_set1_epi8((char)0xBA), bb = _mm_set1_epi8((char)0xBB),
                  x90 = _mm_set1_epi8((char)0x90), x8c = _mm_set1_epi8((char)0x8C),
                  x94 = _mm_set1_epi8((char)0x94), b1 = _mm_set1_epi8((char)0xB1);
    while (i + 18 <= len) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(u + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(u + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(u + i + 2));
        __m128i wei = _mm_and_si128(_mm_cmpeq_epi8(v1, b8), _mm_cmpeq_epi8(v2, ba));
        __m128i ren = _mm_and_si128(_mm_cmpeq_epi8(v1, bb), _mm_cmpeq_epi8(v2, bb));
        __m128i m = _mm_and_si128(_mm_cmpeq_epi8(v0, e4), _mm_or_si128(wei, ren));
        m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(v0, e5),
                                          _mm_and_si128(_mm_cmpeq_epi8(v1, x90),
                                                        _mm_cmpeq_epi8(v2, x8c))));
        m = _mm_or_si128(m, _mm_and_si128(_mm_cmpeq_epi8(v0, e7),
                                          _mm_and_si128(_mm_cmpeq_epi8(v1, x94),
                                                        _mm_cmpeq_epi8(v2, b1))));
        unsigned mask = (unsigned)_mm_movemask_epi8(m);
        if (mask) {
            i += (size_t)__builtin_ctz(mask);
            return i + 6 <= len ? i : len;
        }
        i += 16;
    }
#endif
    for (; i + 6 <= len; i++)
        if (s_anchor3(u + i))
            return i;
    return len;
}

/* One pass over the text: the anchors 同志, 为/任 and 由 each start a rule above. */
/* Words a place or a body is made of, never a person's name: "西昌市长安街道深入…" has
 * 市长 and 安街道 side by side. */
static bool s_place_word(const char *p, size_t n)
{
    static const char *const parts[] = {"街", "道", "镇", "乡", "村", "县", "区", "市", "路",
                                        "局", "委", "办", "所", "站", "队", "院", "厅", "处",
                                        "科", "社区", "中心", NULL};
    for (const char *const *w = parts; *w; w++)
        if (s_find(p, n, *w))
            return true;
    return false;
}

/* ROLE NAME VERB: "县长王建军主持召开…", "镇党委书记李强带头…". The role sits right before
 * the name and a verb an official does right after it; the verb also tells a two- from a
 * three-character name. H is the role's last character; returns the name's length in
 * bytes and sets *ROLE, or 0. */
static size_t s_role_verb_at(const char *text, const char *end, const char *h, const char **role)
{
    static const char *const verbs[] = {"主持", "带头", "带队", "亲自", "多次", "分别", "召开",
                                        "深入", "听取", "率队", "率领", "专题", "出席", "参加",
                                        "讲授", "作出", "批示", "调研", "部署", "强调", "指出",
                                        "督导", "检查", "走访", "接待", "同志", NULL};
    const char *name = h + 3;
    *role = s_role_before(text, name);
    if (!*role)
        return 0;
    for (size_t nl = 9; nl >= 6; nl -= 3) {
        if ((size_t)(end - name) < nl + 6 || !s_valid_name(name, nl) || s_place_word(name, nl))
            continue;
        const char *after = name + nl;
        for (const char *const *v = verbs; *v; v++)
            if (s_starts(after, (size_t)(end - after), *v))
                return nl;
    }
    return 0;
}

/* The characters a role ends with: 长 记 任 席 (县长 书记 主任 主席), in the order their
 * finds are added. */
static const char *const s_role_ends[] = {"长", "记", "任", "席", NULL};

/* Each role end is looked for over the whole text in turn (a person found twice keeps
 * the first role found). */
static void s_person_role_verb_slow(const char *text, size_t len, lxm_record_t *rec)
{
    const char *end = text + len;
    for (const char *const *e = s_role_ends; *e; e++) {
        for (const char *h = text; (h = s_find(h, (size_t)(end - h), *e)) != NULL; h += 3) {
            const char *role;
            size_t nl = s_role_verb_at(text, end, h, &role);
            if (nl)
                s_add_person(rec, h + 3, nl, role);
        }
    }
}

#define ROLE_FINDS 32 /* people found per role end before the pass above takes over */

/* The same in one pass over the text for all four role ends (16 places at a time):
 * what is found is kept per role end and added in the order of the pass above. */
static void s_person_role_verb(const char *text, size_t len, lxm_record_t *rec)
{
    struct {
        const char *name;
        size_t nl;
        const char *role;
    } found[4][ROLE_FINDS];
    size_t n_found[4] = {0, 0, 0, 0};
    const char *end = text + len;
    const unsigned char *u = (const unsigned char *)text;
    size_t i = 0;
#ifdef __SSE2__
    /* 长 E9 95 BF, 记 E8 AE B0, 任 E4 BB BB, 席 E5 B8 AD */
    for (; i + 18 <= len; i += 16) {
        __m128i v0 = _mm_loadu_si128((const __m128i *)(u + i));
        __m128i v1 = _mm_loadu_si128((const __m128i *)(u + i + 1));
        __m128i v2 = _mm_loadu_si128((const __m128i *)(u + i + 2));
#define S_CH3(a, b, c)                                                                      \
    _mm_and_si128(_mm_cmpeq_epi8(v0, _mm_set1_epi8((char)(a))),                             \
                  _mm_and_si128(_mm_cmpeq_epi8(v1, _mm_set1_epi8((char)(b))),               \
                                _mm_cmpeq_epi8(v2, _mm_set1_epi8((char)(c)))))
        __m128i m = _mm_or_si128(_mm_or_si128(S_CH3(0xE9, 0x95, 0xBF), S_CH3(0xE8, 0xAE, 0xB0)),
                                 _mm_or_si128(S_CH3(0xE4, 0xBB, 0xBB), S_CH3(0xE5, 0xB8, 0xAD)));
#undef S_CH3
        for (unsigned mask = (unsigned)_mm_movemask_epi8(m); mask; mask &= mask - 1) {
            size_t at = i + (size_t)__builtin_ctz(mask);
            int k = u[at] == 0xE9 ? 0 : u[at] == 0xE8 ? 1 : u[at] == 0xE4 ? 2 : 3;
            const char *role;
            size_t nl = s_role_verb_at(text, end, text + at, &role);
            if (!nl)
                continue;
            if (n_found[k] == ROLE_FINDS) {
                s_person_role_verb_slow(text, len, rec);
                return;
            }
            found[k][n_found[k]].name = text + at + 3;
            found[k][n_found[k]].nl = nl;
            found[k][n_found[k]++].role = role;
        }
    }
#endif
    for (; i + 3 <= len; i++) {
        int k = 0;
        while (s_role_ends[k] && memcmp(u + i, s_role_ends[k], 3) != 0)
            k++;
        if (!s_role_ends[k])
            continue;
        const char *role;
        size_t nl = s_role_verb_at(text, end, text + i, &role);
        if (!nl)
            continue;
        if (n_found[k] == ROLE_FINDS) {
            s_person_role_verb_slow(text, len, rec);
            return;
        }
        found[k][n_found[k]].name = text + i + 3;
        found[k][n_found[k]].nl = nl;
        found[k][n_found[k]++].role = role;
    }
    for (int k = 0; k < 4; k++)
        for (size_t f = 0; f < n_found[k]; f++)
            s_add_person(rec, found[k][f].name, found[k][f].nl, found[k][f].role);
}

static void s_people(const char *text, size_t len, lxm_record_t *rec)
{
    const char *end = text + len;
    const unsigned char *u = (const unsigned char *)text;
    for (size_t i = s_next_anchor(u, 0, len); i + 6 <= len; i = s_next_anchor(u, i + 3, len)) {
        unsigned char c = u[i];
        const char *h = text + i;
        if (c == 0xE5 && u[i + 3] == 0xE5 && u[i + 4] == 0xBF && u[i + 5] == 0x97) /* 同志 */
            s_person_tongzhi(text, end, h, rec);
        else if (c == 0xE4) /* 为 任 */
            s_person_link(text, end, h, rec);
        else if (c == 0xE7) /* 由 */
            s_person_you(end, h, rec);
    }
    s_person_role_verb(text, len, rec);
}

/* ------------------------------------------------------------------ analysis */

/* A month or day at P in Arabic digits or numerals (1, 12, 一, 十二, 二十二), or 0. */
static int s_small_number(const char *p, size_t n, size_t *used)
{
    size_t i = 0;
    int v = 0;
    while (i < n && i < 2 && isdigit((unsigned char)p[i]))
        v = v * 10 + (p[i++] - '0');
    if (i) {
        *used = i;
        return v;
    }
    return s_cn_number(p, n, used);
}

/* A line that is nothing but a date ("2024年1月22日", "二〇二四年一月二十二日") into
 * OUT[11]. */
static bool s_date_line(const char *p, size_t n, char out[11])
{
    while (n > 0 && p[n - 1] == ' ')
        n--;
    size_t i = 0, used = 0;
    while (i < n && p[i] == ' ')
        i++;
    /* typed the short way: 2024/3/8, 2024.3.8, 2024-03-08 (one separator throughout) */
    if (n - i >= 8 && isdigit((unsigned char)p[i]) && isdigit((unsigned char)p[i + 3]) &&
        (p[i + 4] == '/' || p[i + 4] == '.' || p[i + 4] == '-')) {
        char sep = p[i + 4];
        int y = 0, m = 0, d = 0;
        size_t k = i;
        while (k < i + 4 && isdigit((unsigned char)p[k]))
            y = y * 10 + (p[k++] - '0');
        if (k != i + 4 || y < 1990 || y > 2100)
            return false;
        size_t j = ++k;
        while (k < n && isdigit((unsigned char)p[k]) && k - j < 2)
            m = m * 10 + (p[k++] - '0');
        if (k == j || k >= n || p[k] != sep)
            return false;
        j = ++k;
        while (k < n && isdigit((unsigned char)p[k]) && k - j < 2)
            d = d * 10 + (p[k++] - '0');
        if (k == j || k != n || m < 1 || m > 12 || d < 1 || d > 31)
            return false;
        snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
        return true;
    }
    int y = lxm_year_at(p + i, n - i, &used);
    if (!y)
        return false;
    i += used;
    if (i < n && p[i] == ' ')
        i++;
    i += 3; /* 年; typists put spaces around the parts: "2024 年 1 月 22 日" */
    while (i < n && p[i] == ' ')
        i++;
    int m = s_small_number(p + i, n - i, &used);
    i += used;
    while (i < n && p[i] == ' ')
        i++;
    if (m < 1 || m > 12 || !s_starts(p + i, n - i, "月"))
        return false;
    i += 3;
    while (i < n && p[i] == ' ')
        i++;
    int d = s_small_number(p + i, n - i, &used);
    if (d < 1 || d > 31)
        return false;
    i += used;
    while (i < n && p[i] == ' ')
        i++;
    if (!s_starts(p + i, n - i, "日") || i + 3 != n)
        return false;
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
    return true;
}

/* Warns about a signature date that lost its separators ("202512"). A clean date on a
 * line of its own at the end is the document's 成文日期 (the date of the signature
 * block, GB/T 9704): the publication date when the page named none. */
static void s_check_signature(const char *text, size_t len, lxm_record_t *rec)
{
    char signed_on[11] = "";
    size_t pos = len > 400 ? len - 400 : 0;
    while (pos > 0 && pos < len && text[pos - 1] != '\n')
        pos++;
    s_span_t ln;
    while (s_next_line(text, len, &pos, &ln)) {
        const char *p = text + ln.start;
        size_t n = ln.len, d = 0;
        while (d < n && isdigit((unsigned char)p[d]))
            d++;
        if (d == n && n >= 5 && n <= 8 && (p[0] == '1' || p[0] == '2')) {
            int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
            if (y >= 1990 && y <= 2100)
                lxm_record_add_warning(rec, "mangled date: \"%.*s\"", (int)n, p);
        }
        if (n <= 40)
            s_date_line(p, n, signed_on);
    }
    if (!signed_on[0] && !rec->published) {
        /* attachments after the signature push it out of the tail: a date line right
         * under a line naming a body (德清县人民政府 / 2024年1月22日) is the signature */
        size_t p2 = 0;
        s_span_t prev = {0, 0}, cur;
        while (s_next_line(text, len, &p2, &cur)) {
            char d[11];
            if (prev.len && cur.len <= 40 && s_unit_line(text + prev.start, prev.len) &&
                s_date_line(text + cur.start, cur.len, d))
                memcpy(signed_on, d, sizeof d);
            prev = cur;
        }
    }
    if (signed_on[0] && !rec->published)
        rec->published = lxm_xstrdup(signed_on);
}

void lxm_structure_analyse(const char *text, size_t len, const char *meta_title,
                           lxm_record_t *rec, lxm_structure_t *out)
{
    lxm_structure_t dummy;
    if (!out)
        out = &dummy;
    memset(out, 0, sizeof *out);
    if (!text)
        len = 0;

    /* ---- title: among the first lines, before any sentence */
    s_span_t first[TITLE_LINES];
    size_t nfirst = 0, pos = 0;
    while (nfirst < TITLE_LINES && s_next_line(text, len, &pos, &first[nfirst]))
        nfirst++;
    /* every title-like run of lines before the body starts; a column name such as
     * "法治政府建设年度报告" may come before the real title */
    struct {
        size_t from, to;
        bool year;
    } cands[8];
    size_t ncands = 0;
    for (size_t i = 0; i < nfirst && ncands < 8; i++) {
        const char *p = text + first[i].start;
        size_t n = first[i].len;
        if (!s_titleish(p, n) && !s_title_line(p, n))
            break; /* the body has begun ("某县：2023年…报告" is still a title) */
        size_t from = i, to = i;
        if (!s_title_line(p, n)) {
            /* a title broken before its last words: "…2023年法治政府建设" / "年度报告" */
            if (i + 1 >= nfirst)
                continue;
            const char *q = text + first[i + 1].start;
            size_t qn = first[i + 1].len;
            if (qn > 60 || !s_titleish(q, qn) || s_title_line(q, qn) ||
                !s_has_any(q, qn, s_title_cues))
                continue;
            lxm_buf_t both = {0};
            lxm_buf_append(&both, p, n);
            lxm_buf_append(&both, q, qn);
            bool ok = s_title_line(both.data, both.len);
            lxm_buf_free(&both);
            if (!ok)
                continue;
            to = i + 1;
            if (i > 0 && s_unit_line(text + first[i - 1].start, first[i - 1].len))
                from = i - 1;
        } else if (i > 0 && s_unit_line(text + first[i - 1].start, first[i - 1].len) &&
                   !s_names_unit(p, n))
            from = i - 1;
        else if (i + 1 < nfirst && s_titleish(text + first[i + 1].start, first[i + 1].len) &&
                 !s_find(p, n, "报告") && first[i + 1].len <= 60 &&
                 s_has_any(text + first[i + 1].start, first[i + 1].len, s_title_cues))
            to = i + 1; /* "…法治政府建设" / "工作报告" */
        bool year = false;
        for (size_t k = from; k <= to && !year; k++)
            year = s_first_year(text + first[k].start, first[k].len, false) != 0;
        cands[ncands].from = from;
        cands[ncands].to = to;
        cands[ncands].year = year;
        ncands++;
        i = to;
    }
    /* the page's own title names the right one; else the first that names a year */
    size_t pick = 0;
    bool picked = false;
    size_t mlen = meta_title ? s_strip_site(meta_title, strlen(meta_title)) : 0;
    for (size_t c = 0; c < ncands && !picked && mlen; c++) {
        lxm_buf_t t = {0};
        for (size_t k = cands[c].from; k <= cands[c].to; k++)
            lxm_buf_append(&t, text + first[k].start, first[k].len);
        if (t.len == mlen && memcmp(t.data, meta_title, mlen) == 0) {
            pick = c;
            picked = true;
        }
        lxm_buf_free(&t);
    }
    for (size_t c = 0; c < ncands && !picked; c++)
        if (cands[c].year) {
            pick = c;
            picked = true;
        }
    lxm_buf_t title = {0};
    if (ncands) {
        size_t from = cands[pick].from, to = cands[pick].to;
        for (size_t k = from; k <= to; k++)
            lxm_buf_append(&title, text + first[k].start, first[k].len);
        out->title_start = first[from].start;
        out->title_end = first[to].start + first[to].len;
        out->body_start = out->title_end;
        while (out->body_start < len && text[out->body_start] == '\n')
            out->body_start++;
    }
    if (title.len == 0 && meta_title) {
        size_t n = s_strip_site(meta_title, strlen(meta_title));
        if (s_title_line(meta_title, n))
            lxm_buf_append(&title, meta_title, n);
    }
    /* a column tag before the title is page furniture: "【法治政府】某县2023年…报告" */
    if (title.len > 6 && s_starts(title.data, title.len, "【")) {
        const char *close = s_find(title.data, title.len, "】");
        size_t rest = close ? title.len - (size_t)(close + 3 - title.data) : 0;
        if (close && s_title_line(close + 3, rest)) {
            memmove(title.data, close + 3, rest);
            title.len = rest;
            title.data[rest] = '\0';
        }
    }
    free(rec->title);
    rec->title = title.len ? lxm_buf_take(&title) : NULL;
    lxm_buf_free(&title);

    /* a date in brackets under the title ("（2024年1月19日）") dates the document */
    if (rec->title && !rec->published && out->body_start < len) {
        size_t dp = out->body_start;
        s_span_t dl;
        if (s_next_line(text, len, &dp, &dl) && dl.len > 6) {
            const char *p = text + dl.start;
            size_t n = dl.len, o = 0, c = 0;
            if (s_starts(p, n, "（") && s_ends_with(p, n, "）"))
                o = c = 3;
            else if (p[0] == '(' && p[n - 1] == ')')
                o = c = 1;
            char d[11];
            if (o && s_date_line(p + o, n - o - c, d))
                rec->published = lxm_xstrdup(d);
        }
    }

    /* ---- year: the title's, else the opening sentence's */
    int year = rec->title ? s_first_year(rec->title, strlen(rec->title), false) : 0;
    if (!year && out->body_start < len) {
        /* the first sentence of the first two paragraphs before any heading (a date
         * line or a salutation may come first) */
        s_span_t para;
        size_t p2 = out->body_start;
        for (int k = 0; k < 2 && !year && s_next_line(text, len, &p2, &para); k++) {
            const char *p = text + para.start;
            size_t n = para.len, off;
            int num;
            if (s_numbering(p, n, &num, &off) != H_NONE)
                break;
            const char *stop = s_find(p, n, "。");
            if (stop)
                n = (size_t)(stop - p); /* the first sentence only */
            year = s_first_year(p, n, true);
        }
    }

    /* ---- headings */
    s_head_t *heads = NULL;
    size_t nheads = 0, cap = 0;
    int count_one[H_KINDS] = {0}, count_two[H_KINDS] = {0}, alone[H_KINDS] = {0};
    pos = out->body_start;
    s_span_t ln;
    while (s_next_line(text, len, &pos, &ln)) {
        int num = 0;
        size_t off = 0;
        const char *p = text + ln.start;
        int shape = s_numbering(p, ln.len, &num, &off);
        if (shape == H_NONE) {
            if (!s_bare_heading(p, ln.len))
                continue;
            off = 0;
        }
        if (nheads == cap) {
            cap = cap ? cap * 2 : 32;
            heads = lxm_xrealloc(heads, cap * sizeof *heads);
        }
        heads[nheads++] = (s_head_t){ln.start, ln.len, off, shape, num};
        if (shape != H_NONE && num == 1)
            count_one[shape]++;
        if (shape != H_NONE && num == 2)
            count_two[shape]++;
        if (shape != H_NONE && num <= 2 && s_standalone(p, ln.len))
            alone[shape] |= num;
    }
    /* the top level: the highest numbering whose 1 and 2 stand on lines of their own,
     * else the highest that has a 1 and a 2 at all */
    int top = H_NONE;
    for (int s = H_PART; s < H_KINDS && top == H_NONE; s++)
        if (alone[s] == 3)
            top = s;
    for (int s = H_PART; s < H_KINDS && top == H_NONE; s++)
        if (count_one[s] && count_two[s])
            top = s;
    /* when the top headings stand on lines of their own, an item of that shape inside a
     * paragraph ("一、…。…", a list restarting in a section) is not one of them */
    bool need_alone = top != H_NONE && alone[top] == 3;

    /* the top-level headings: the top shape in sequence, plus cue-bearing bare lines */
    size_t *tops = lxm_xcalloc(nheads + 1, sizeof *tops);
    size_t ntops = 0;
    int expect = 1;
    bool started = false;
    for (size_t i = 0; i < nheads; i++) {
        s_head_t *h = &heads[i];
        if (top != H_NONE && h->shape == top) {
            if (h->num == expect && (!need_alone || s_standalone(text + h->start, h->len))) {
                tops[ntops++] = i;
                expect++;
                started = true;
            }
        } else if (h->shape == H_NONE && (started || top == H_NONE)) {
            const char *hp = text + h->start;
            size_t at[C_SETS];
            s_cues(hp, h->len, at);
            bool strong = s_plan_at(at) < h->len || at[C_SHORT] < h->len ||
                          at[C_LEAD] < h->len || at[C_OTHER] < h->len;
            if (!strong && top != H_NONE)
                continue;
            if (ntops > 0) {
                s_head_t *prev = &heads[tops[ntops - 1]];
                const char *pp = text + prev->start + prev->text_off;
                size_t pl = s_heading_len(pp, prev->len - prev->text_off);
                if (!strcmp(lxm_heading_kind(pp, pl, 0, false),
                            lxm_heading_kind(hp, h->len, 0, false)))
                    continue;
            }
            tops[ntops++] = i;
        }
    }

    /* year from the headings when the title and opening gave none: a measures heading
     * names the report's year, a plan heading the year after */
    if (!year) {
        for (size_t t = 0; t < ntops && !year; t++) {
            s_head_t *h = &heads[tops[t]];
            const char *hp = text + h->start + h->text_off;
            size_t hl = s_heading_len(hp, h->len - h->text_off);
            int y = s_first_year(hp, hl, true);
            if (!y)
                continue;
            const char *k = lxm_heading_kind(hp, hl, 0, false);
            if (strcmp(k, "plan") == 0)
                year = y - 1;
            else
                year = y;
        }
    }
    rec->year = year;
    if (!year)
        lxm_record_add_warning(rec, "no year: the title and opening name none");

    bool seen_late = false;
    for (size_t t = 0; t < ntops; t++) {
        s_head_t *h = &heads[tops[t]];
        const char *hp = text + h->start + h->text_off;
        size_t hl = s_heading_len(hp, h->len - h->text_off);
        const char *kind = lxm_heading_kind(hp, hl, year, seen_late);
        if (!strcmp(kind, "plan") || !strcmp(kind, "shortcomings"))
            seen_late = true;
        size_t end = t + 1 < ntops ? heads[tops[t + 1]].start : len;
        size_t whole = s_heading_len(text + h->start, h->len);
        lxm_record_add_section(rec, kind, text + h->start, whole, (uint32_t)h->start,
                               (uint32_t)end);
    }
    free(tops);
    free(heads);

    s_people(text ? text : "", len, rec);
    if (text)
        s_check_signature(text, len, rec);
}
