/* lxm_unit: finds the reporting unit of a report (title first, then the opening
 * sentences, then the issuer) and resolves it against the gazetteer with the context the
 * document gives (county / city / province names anywhere in title, text, issuer and
 * source, counted in one pass over each). Never guesses: a name several units share
 * needs exactly one of them to be best supported, else the code stays NULL. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_gaz_priv.h"

#define MAX_CHAIN 8          /* names in a row: 浙江省台州市路桥区新桥镇 is 4 */
#define OPENING_BYTES 900    /* how much of the text may name the unit */
#define OPENING_SENTENCES 3
#define DEPT_MAX_CHARS 20

typedef struct {
    long group;  /* gazetteer group */
    size_t pos;  /* byte offset in the segment */
    size_t len;  /* bytes */
} s_hit_t;

typedef struct {
    s_hit_t el[MAX_CHAIN]; /* consecutive names, outermost first */
    int n;
    size_t end;            /* byte after the last name */
} s_chain_t;

/* What was found, before it becomes a record's unit. */
typedef struct {
    s_chain_t chain;
    int unit_el;           /* element of chain naming the unit, -1 = none */
    const char *seg;       /* the (normalized) segment the chain is in */
    const char *orig;      /* the same bytes as written (for department names) */
    const char *dept;      /* a department named after the unit (潼关县司法局), as written */
    size_t dept_len;
    size_t unknown_pos, unknown_len; /* a unit-looking name not in the gazetteer */
    int unknown_level;
    bool gov;              /* 人民政府 follows the name: a 镇 / 乡 / county, not a 街道 */
    long alt_outer, alt;   /* >= 0: the first name also reads as alt_outer + alt (随州市经济
                              开发区 is a unit, and 随州市 + its 经济开发区 another) */
} s_found_t;

/* ---- characters ---- */

static size_t s_char_len(unsigned char c)
{
    return c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
}

/* A Han ideograph (basic block or extension A) starts at S. */
static bool s_is_han(const char *s, size_t avail)
{
    const unsigned char *p = (const unsigned char *)s;
    if (avail < 3 || (p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return false;
    uint32_t cp = ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF);
}

static bool s_at(const char *s, size_t n, size_t pos, const char *word)
{
    size_t k = strlen(word);
    return pos + k <= n && memcmp(s + pos, word, k) == 0;
}

/* Length of the first of WORDS found at POS, 0 if none. */
static size_t s_at_any(const char *s, size_t n, size_t pos, const char *const *words)
{
    for (int i = 0; words[i]; i++)
        if (s_at(s, n, pos, words[i]))
            return strlen(words[i]);
    return 0;
}

/* ---- chains of names ---- */

static const lxm_gaz_group_t *s_group(const lxm_gazetteer_t *self, long g)
{
    return &self->groups[g];
}

static bool s_is_ancestor(const lxm_gazetteer_t *self, uint32_t anc, uint32_t row);

/* Some unit called G lies inside some unit called OUTER. */
static bool s_group_inside(const lxm_gazetteer_t *self, long g, long outer)
{
    const lxm_gaz_group_t *a = s_group(self, g), *b = s_group(self, outer);
    for (uint32_t i = 0; i < a->count; i++) {
        if (self->entries[a->first + i].stripped)
            continue;
        for (uint32_t j = 0; j < b->count; j++)
            if (s_is_ancestor(self, self->entries[b->first + j].row,
                              self->entries[a->first + i].row))
                return true;
    }
    return false;
}

/* Names written back to back from POS (洮南市瓦房镇): at each place the longest name that
 * lies inside the name before it (通州区新华街道办事处 is 通州区 + 新华街道, not the
 * 新华街道办事处 of 阿拉善左旗), else the longest. */
static s_chain_t s_chain_at(const lxm_gazetteer_t *self, const char *s, size_t n, size_t pos,
                            unsigned want, unsigned avoid)
{
    s_chain_t c = {.n = 0, .end = pos};
    long opts[16];
    while (c.n < MAX_CHAIN && pos < n) {
        size_t k = lxm_gaz_matches(self, s + pos, n - pos, want, avoid, opts, 16);
        if (k == 0)
            break;
        size_t pick = 0;
        for (size_t i = 0; c.n > 0 && i < k; i++)
            if (s_group_inside(self, opts[i], c.el[c.n - 1].group)) {
                pick = i;
                break;
            }
        /* XX街道办事处 is the office of any XX街道: take the shorter name, whose group
         * also holds the units officially called XX街道办事处 */
        const lxm_gaz_group_t *pg = s_group(self, opts[pick]);
        size_t office = strlen("办事处"), sub = strlen("街道办事处");
        for (size_t i = pick + 1; i < k; i++)
            if (pg->key_len > sub
                && memcmp(self->pool + pg->key + pg->key_len - sub, "街道办事处", sub) == 0
                && s_group(self, opts[i])->key_len == pg->key_len - office) {
                pick = i;
                break;
            }
        long g = opts[pick];
        size_t len = s_group(self, g)->key_len;
        c.el[c.n++] = (s_hit_t){g, pos, len};
        pos += len;
        /* 路桥区 新桥镇: blanks between two names do not end the chain */
        size_t q = pos;
        while (q < n && (s[q] == ' ' || s[q] == '\t' || s_at(s, n, q, "　")))
            q += s[q] == ' ' || s[q] == '\t' ? 1 : 3;
        if (q > pos && q < n && lxm_gaz_longest(self, s + q, n - q, want, avoid) >= 0)
            pos = q;
    }
    c.end = pos;
    return c;
}

/* The chain element naming the unit: the last one that is a full name (a bare 台山
 * qualifies what follows but is not a unit by itself). -1 when none. */
static int s_unit_element(const lxm_gazetteer_t *self, const s_chain_t *c)
{
    for (int i = c->n - 1; i >= 0; i--)
        if (s_group(self, c->el[i].group)->flags & (LXM_GF_TOWN | LXM_GF_TOWN_ODD | LXM_GF_UPPER))
            return i;
    return -1;
}

/* How specific the most specific full-name unit of group G is (town 4 .. province 1). */
static int s_rank(const lxm_gazetteer_t *self, long g)
{
    const lxm_gaz_group_t *grp = s_group(self, g);
    int best = 0;
    for (uint32_t i = 0; i < grp->count; i++) {
        const lxm_gaz_entry_t *e = &self->entries[grp->first + i];
        if (!e->stripped && self->units[e->row].kind + 1 > best)
            best = self->units[e->row].kind + 1;
    }
    return best;
}

/* ---- departments and unknown units after a name ---- */

/* Words that follow a unit's name and still mean the unit itself. */
static const char *const s_gov_words[] = {"人民政府", "政府", "党工委", "党委", "办事处", NULL};
/* Words that end a department name's run: what a title says after the issuer. */
static const char *const s_stop_words[] = {"关于", "法治", "年度", "推进", "报告", NULL};
static const char *const s_dept_suffix[] = {"委员会", "办公室", "局", "委", "办", "厅", "中心",
                                            "院", "所", "站", "队", "部", "署", "处", "室",
                                            "庭", NULL};

/* Byte offset after the department name that starts at POS (司法局, 人民政府办公室), or 0. */
static size_t s_dept_end(const char *s, size_t n, size_t pos)
{
    size_t end = 0, chars = 0, p = pos;
    while (p < n && chars < DEPT_MAX_CHARS && s_is_han(s + p, n - p)
           && !s_at_any(s, n, p, s_stop_words)) {
        p += 3;
        chars++;
        for (int i = 0; s_dept_suffix[i]; i++) {
            size_t k = strlen(s_dept_suffix[i]);
            if (p - pos >= k && memcmp(s + p - k, s_dept_suffix[i], k) == 0) {
                end = p;
                break;
            }
        }
    }
    if (end && end - pos < 9)
        return 0; /* 县委, 党委: the government itself, not a department */
    return end;
}

/* In prose only the unmistakable department endings count (自然资源局, 住房和城乡建设局,
 * 发展和改革委员会, 人民政府办公室): "新桥镇全面落实党委…" must stay the town. Returns the
 * byte offset after the department name starting at POS, or 0. */
static size_t s_dept_end_prose(const char *s, size_t n, size_t pos)
{
    static const char *const strong[] = {"委员会", "办公室", "局", NULL};
    size_t p = pos, k;
    while ((k = s_at_any(s, n, p, s_gov_words)))
        p += k;
    static const char *const preposition[] = {"在", "对", "由", "向", "与", "和", "及", "为",
                                              "将", "把", "经", "据", "是", "于", "从", "按",
                                              "以", "等", "坚", "深", "全", "认", "紧", "积",
                                              NULL};
    if (p == pos && s_at_any(s, n, p, preposition))
        return 0; /* 在 对 由 坚持 深入 …: the sentence goes on, no department */
    for (int chars = 0; chars < 12 && p < n && s_is_han(s + p, n - p); chars++) {
        if (s_at(s, n, p, "的") || s_at_any(s, n, p, s_stop_words))
            return 0;
        if ((k = s_at_any(s, n, p, strong)))
            return p + k - pos >= 9 ? p + k : 0;
        p += 3;
    }
    return 0;
}

/* A unit-looking name not in the gazetteer at POS: Han characters then 镇 / 乡 / 街道,
 * followed by something that is not a Han character or is a word titles put after a
 * unit (or by anything, with ANY_FOLLOWER: prose goes on with a verb). Returns its length
 * and sets *LEVEL, or 0. */
static size_t s_unknown_unit(const char *s, size_t n, size_t pos, bool any_follower, int *level)
{
    static const char *const after[] = {"人民政府", "政府", "党委", "办事处", "关于", "法治",
                                        "年度", NULL};
    size_t p = pos;
    for (int chars = 0; chars < 8 && p < n && s_is_han(s + p, n - p); chars++) {
        int lv = -1;
        size_t k = 0;
        if (s_at(s, n, p, "街道"))
            lv = LXM_LV_JIEDAO, k = 6;
        else if (s_at(s, n, p, "镇"))
            lv = LXM_LV_ZHEN, k = 3;
        else if (s_at(s, n, p, "乡"))
            lv = LXM_LV_XIANG, k = 3;
        if (lv >= 0 && chars >= 1) {
            size_t q = p + k;
            /* 乡镇 城镇 村镇 各乡: words, not names */
            static const char *const not_stem[] = {"乡", "城", "村", "各", "全", "本", "我",
                                                   "该", "镇", NULL};
            bool word = chars == 1 && s_at_any(s, n, pos, not_stem);
            if (!word && (any_follower || q >= n || !s_is_han(s + q, n - q)
                          || s_at_any(s, n, q, after))) {
                *level = lv;
                return q - pos;
            }
        }
        p += 3;
    }
    return 0;
}

/* ---- finding the unit's name ---- */

/* A year written before the unit (2024年, ２０２４年度, 二〇二四年): its bytes, or 0. */
static size_t s_year_len(const char *s, size_t n, size_t p)
{
    static const char *const cn_digits[] = {"〇", "零", "一", "二", "三", "四", "五", "六", "七",
                                            "八", "九", NULL};
    size_t q = p, k;
    for (int d = 0; d < 4; d++) {
        if (q < n && s[q] >= '0' && s[q] <= '9')
            q++;
        else if (q + 3 <= n && (unsigned char)s[q] == 0xEF && (unsigned char)s[q + 1] == 0xBC
                 && (unsigned char)s[q + 2] >= 0x90 && (unsigned char)s[q + 2] <= 0x99)
            q += 3; /* full-width digit */
        else if ((k = s_at_any(s, n, q, cn_digits)))
            q += k;
        else
            return 0;
    }
    if (!s_at(s, n, q, "年"))
        return 0;
    q += 3;
    if (s_at(s, n, q, "度"))
        q += 3;
    return q - p;
}

/* Skips what may precede the unit at the start of a title: blanks, brackets, 关于, 中共,
 * a year. Sets *PARTY when 中共 was seen (then 委员会 after the unit is the party
 * committee, not a department). */
static size_t s_skip_title_lead(const lxm_gazetteer_t *self, const char *s, size_t n,
                                bool *party)
{
    static const char *const lead[] = {"　", "【", "《", "“", "（", "关于", "中共", NULL};
    size_t p = 0;
    for (;;) {
        size_t k;
        if (lxm_gaz_longest(self, s + p, n - p, ~0u, 0) >= 0) {
            return p; /* some names start with a bracket: （工业园区）城南街道 */
        } else if (p < n && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n'
                      || s[p] == '[' || s[p] == '(' || s[p] == '"')) {
            p++;
        } else if ((k = s_at_any(s, n, p, lead))) {
            if (s_at(s, n, p, "中共"))
                *party = true;
            p += k;
        } else if ((k = s_year_len(s, n, p))) {
            p += k;
        } else {
            return p;
        }
    }
}

/* When the unit's name (随州市经济开发区) also splits into a city or county and a unit
 * inside it that ends at the same place (随州市 + 经济开发区), records that reading so
 * both sets of candidates compete: either one alone could be a wrong code. */
static void s_second_reading(const lxm_gazetteer_t *self, const char *s, size_t n,
                             s_found_t *f)
{
    const s_hit_t *h = &f->chain.el[0];
    long opts[16], inner[16];
    /* a county-level name (保定高新技术产业开发区) is taken as written; the split needs a
     * full city or county name in front (not 上海 + 庙镇 for 上海庙镇) */
    if (s_group(self, h->group)->flags & LXM_GF_UPPER)
        return;
    size_t k = lxm_gaz_matches(self, s + h->pos, n - h->pos, LXM_GF_UPPER, 0, opts, 16);
    for (size_t i = 0; i < k; i++) {
        size_t ulen = s_group(self, opts[i])->key_len;
        if (ulen >= h->len)
            continue;
        size_t m = lxm_gaz_matches(self, s + h->pos + ulen, h->len - ulen, ~0u,
                                   LXM_GF_GENERIC, inner, 16); /* not 河北 + 街道 */
        for (size_t j = 0; j < m; j++)
            if (ulen + s_group(self, inner[j])->key_len == h->len
                && s_group_inside(self, inner[j], opts[i])) {
                f->alt_outer = opts[i];
                f->alt = inner[j];
                return;
            }
    }
}

/* The unit at the start of a title (after its lead-in). */
static bool s_from_title(const lxm_gazetteer_t *self, const char *s, const char *orig,
                         size_t n, s_found_t *f)
{
    bool party = false;
    size_t p = s_skip_title_lead(self, s, n, &party);
    memset(f, 0, sizeof *f);
    f->seg = s;
    f->orig = orig;
    f->chain = s_chain_at(self, s, n, p, ~0u, 0);
    f->unit_el = s_unit_element(self, &f->chain);
    f->alt_outer = f->alt = -1;
    if (f->unit_el == 0)
        s_second_reading(self, s, n, f);
    if (f->unit_el < 0 && f->chain.n == 0) {
        /* 科左后旗朝鲁吐林场: a county written in a short form the gazetteer does not
         * list (科左后旗 for 科尔沁左翼后旗), then a township-level unit it does */
        size_t q = p;
        for (int chars = 0; chars < 6 && q < n && s_is_han(s + q, n - q); chars++, q += 3) {
            if (chars < 1 || !(s_at(s, n, q, "旗") || s_at(s, n, q, "县")))
                continue;
            s_chain_t c = s_chain_at(self, s, n, q + 3, ~0u, 0);
            int el = s_unit_element(self, &c);
            if (el >= 0 &&
                (s_group(self, c.el[el].group)->flags & (LXM_GF_TOWN | LXM_GF_TOWN_ODD))) {
                f->chain = c;
                f->unit_el = el;
            }
            break;
        }
    }
    size_t after = f->unit_el >= 0 ? f->chain.el[f->unit_el].pos + f->chain.el[f->unit_el].len
                                   : f->chain.end;
    if (f->unit_el < 0) {
        int lv;
        size_t k = s_unknown_unit(s, n, after, false, &lv);
        if (k) {
            f->unknown_pos = after;
            f->unknown_len = k;
            f->unknown_level = lv;
            return true;
        }
        return false;
    }
    int lv;
    size_t k0 = s_unknown_unit(s, n, after, false, &lv);
    if (k0) {
        /* 路桥区新开源镇: a town the gazetteer does not know, in a county it does */
        f->unknown_pos = after;
        f->unknown_len = k0;
        f->unknown_level = lv;
        return true;
    }
    f->gov = s_at(s, n, after, "人民政府");
    /* a department: 潼关县司法局, XX区人民政府办公室 (not 人民政府 alone) */
    size_t q = after, k;
    while ((k = s_at_any(s, n, q, s_gov_words)) || (party && (k = s_at(s, n, q, "委员会") ? 9 : 0)))
        q += k;
    size_t d = s_dept_end(s, n, q);
    if (d) {
        f->dept = orig + f->chain.el[f->unit_el].pos;
        f->dept_len = d - f->chain.el[f->unit_el].pos;
    }
    return true;
}

/* Characters that may stand right before a unit's name in prose (在新桥镇, 2024年黄金镇,
 * 全市瓦房镇); any other Han character before it makes the name the tail of a longer
 * word or name. */
static const char *const s_before_name[] = {
    "在", "由", "对", "向", "与", "和", "及", "为", "将", "把", "经", "据", "是", "于", "我",
    "本", "该", "各", "了", "的", "到", "从", "给", "同", "跟", "让", "使", "被", "按", "以",
    "当", "共", "等", "年", "月", "日", "即", "今", "现", "系", "至", "省", "市", "县", "区",
    "镇", "乡", "中", "全", "请", "派", "赴", "往", "来", "称", "属", "辖", NULL};

/* The name at P opens a clause, where the subject of the report stands ("2025年，黄金镇坚持",
 * "…领导下，瓦房镇政府…"), rather than a place mentioned in passing ("在新桥镇召开"). */
static bool s_subject_position(const char *s, size_t p)
{
    static const char *const openers[] = {"，", "。", "；", "：", ",", ";", ":", "\n", "年",
                                          "以来", NULL};
    if (p == 0)
        return true;
    for (int i = 0; openers[i]; i++) {
        size_t k = strlen(openers[i]);
        if (p >= k && memcmp(s + p - k, openers[i], k) == 0)
            return true;
    }
    return false;
}

/* The unit named in S[0..N), for the opening of the text and the issuer: the first one
 * that opens a clause, else the most specific one (town over county over city over
 * province), then the earliest. */
static bool s_from_prose(const lxm_gazetteer_t *self, const char *s, const char *orig,
                         size_t n, s_found_t *f)
{
    int best_rank = 0;
    memset(f, 0, sizeof *f);
    f->unit_el = -1;
    f->alt_outer = f->alt = -1;
    f->seg = s;
    f->orig = orig;
    size_t p = 0;
    while (p < n) {
        if (!s_is_han(s + p, n - p)) {
            p += s_char_len((unsigned char)s[p]);
            continue;
        }
        s_chain_t c = s_chain_at(self, s, n, p, LXM_GF_TOWN | LXM_GF_UPPER | LXM_GF_STRIPPED,
                                 LXM_GF_GENERIC);
        int el = s_unit_element(self, &c);
        if (el >= 0 && p >= 3 && s_is_han(s + p - 3, 3) && !s_at_any(s, n, p - 3, s_before_name)) {
            /* 开源街道 inside 新开源街道: the tail of a longer name, not this unit */
            el = -1;
        }
        if (el >= 0) {
            int r = s_rank(self, c.el[el].group);
            if (s_subject_position(s, p)) {
                f->chain = c;
                f->unit_el = el;
                break;
            }
            if (r > best_rank) {
                best_rank = r;
                f->chain = c;
                f->unit_el = el;
            }
        }
        p = c.n ? c.end : p + 3;
    }
    if (f->unit_el < 0)
        return false;
    const s_hit_t *u = &f->chain.el[f->unit_el];
    f->gov = s_at(s, n, u->pos + u->len, "人民政府");
    size_t d = s_dept_end_prose(s, n, u->pos + u->len);
    if (d) {
        f->dept = orig + u->pos;
        f->dept_len = d - u->pos;
    }
    return true;
}

/* How far into the text the opening sentences go. The full stops are found with memchr
 * on their lead byte (E3), not tried at every byte. */
static size_t s_opening_len(const char *s, size_t n)
{
    size_t lim = n < OPENING_BYTES ? n : OPENING_BYTES;
    int sentences = 0;
    for (size_t p = 0; p + 3 <= lim;) {
        const char *hit = memchr(s + p, 0xE3, lim - 2 - p);
        if (!hit)
            break;
        p = (size_t)(hit - s);
        if ((unsigned char)s[p + 1] == 0x80 && (unsigned char)s[p + 2] == 0x82 &&
            ++sentences == OPENING_SENTENCES)
            return p;
        p++;
    }
    /* do not cut a character in two */
    while (lim < n && lim > 0 && ((unsigned char)s[lim] & 0xC0) == 0x80)
        lim--;
    return lim;
}

/* ---- context ---- */

/* In prose a county or city name without its suffix is too often an ordinary word or a
 * person's name (资源, 和政 in 和政协, 高明 in 以高明同志); it counts only after a cue
 * that makes it a place: 法治路桥, 平安台州, 美丽… (Province names, 浙江 重庆, always count.) */
static bool s_place_cue(const char *s, size_t n, size_t p, size_t len)
{
    static const char *const cues[] = {"法治", "平安", "美丽", NULL};
    /* county and city names without suffix that are also everyday words of these reports
     * (法治资源, 平安和平): never a place after a cue either */
    static const char *const words[] = {
        "资源", "和政", "振兴", "解放", "前进", "友好", "友谊", "复兴", "光明", "新建", "红旗",
        "共和", "合作", "公安", "富民", "安定", "平安", "太平", "和平", "长安", "大同", "安康",
        "东方", "东风", "新华", "新民", "工农", "爱民", "惠民", "富裕", "宏伟", "向阳", "青山",
        "白云", "长寿", "安居", "乐业", "和顺", "兴业", "兴国", "兴隆", "固安", "安宁", "永定",
        "新城", "城关", "城东", "城西", "城中", "城北", "老城", "市中", "文明", "团结", "胜利",
        NULL};
    if (len == 6 && s_at_any(s, n, p, words))
        return false;
    for (int i = 0; cues[i]; i++)
        if (p >= 6 && memcmp(s + p - 6, cues[i], 6) == 0)
            return true;
    return false;
}

/* A two-character full name (忠县, 和县) in prose: not when the character after makes 县
 * the head of a word (治理县域, 振兴县城, 相应县级, 市和县两级) nor right after a
 * conjunction (市和县, 省与县); "2025年度忠县人民政府" is 忠县. */
static bool s_short_name_ok(const char *s, size_t n, size_t p, size_t len)
{
    static const char *const conj[] = {"和", "与", "及", "或", NULL};
    static const char *const head[] = {"级", "域", "城", "乡", "区", "直", "属", "镇", "两",
                                       "里", NULL};
    if (p >= 3 && s_at_any(s, n, p - 3, conj))
        return false;
    return !s_at_any(s, n, p + len, head);
}

/* Counts in NAMED every county / city / province named in S (full or without suffix),
 * walking S once and taking the longest name (of any level) at each place. */
static void s_mark_context(const lxm_gazetteer_t *self, const char *s, size_t n, bool prose,
                           uint8_t *named)
{
    size_t p = 0;
    while (p < n) {
        unsigned char c = (unsigned char)s[p];
        if (c < 0xE0 || c > 0xEF) {
            p += s_char_len(c);
            continue;
        }
        /* two CJK characters that start no name, at once */
        if (p + 9 <= n && (unsigned char)s[p + 3] >= 0xE0 && (unsigned char)s[p + 3] <= 0xEF) {
            uint32_t b0 = lxm_gaz_pfilter_bit(s + p), b1 = lxm_gaz_pfilter_bit(s + p + 3);
            if (!(((self->pfilter[b0 >> 6] >> (b0 & 63)) | (self->pfilter[b1 >> 6] >> (b1 & 63))) & 1)) {
                p += 6;
                continue;
            }
        }
        /* most places start no name: the prefix filter, inline, says so */
        if (p + 6 <= n) {
            uint32_t b = lxm_gaz_pfilter_bit(s + p);
            if (!((self->pfilter[b >> 6] >> (b & 63)) & 1)) {
                p += 3;
                continue;
            }
        }
        /* towns are matched too, so that 平山 inside 平山镇 is not taken for 平山县 */
        long g = lxm_gaz_longest(self, s + p, n - p,
                                 LXM_GF_UPPER | LXM_GF_STRIPPED | LXM_GF_TOWN | LXM_GF_TOWN_ODD,
                                 LXM_GF_GENERIC | LXM_GF_URBAN);
        if (g < 0) {
            p += 3;
            continue;
        }
        const lxm_gaz_group_t *grp = s_group(self, g);
        if (!(grp->flags & (LXM_GF_UPPER | LXM_GF_STRIPPED))) {
            p += grp->key_len;
            continue;
        }
        bool cued = !prose || s_place_cue(s, n, p, grp->key_len);
        bool short_ok = !prose || grp->key_len > 6 || s_short_name_ok(s, n, p, grp->key_len);
        for (uint32_t i = 0; i < grp->count; i++) {
            const lxm_gaz_entry_t *e = &self->entries[grp->first + i];
            int kind = self->units[e->row].kind;
            if (kind == LXM_GK_TOWN)
                continue;
            if (e->stripped ? (kind != LXM_GK_PROVINCE && !cued) : !short_ok)
                continue;
            /* a mention in the title, issuer or source weighs as two in the text */
            unsigned w = named[e->row] + (prose ? 1u : 2u);
            named[e->row] = (uint8_t)(w > 255 ? 255 : w);
        }
        p += grp->key_len;
    }
}

/* 3 when ROW's county is named, 2 its city, 1 its province, 0 none. NAMED counts
 * mentions (title, issuer and source count double). A province needs two: reports cite
 * other provinces in passing (学习浙江“千万工程”经验) far more often than other counties. */
static int s_support(const lxm_gazetteer_t *self, uint32_t row, const uint8_t *named)
{
    const lxm_gaz_row_t *r = &self->units[row];
    if (r->county >= 0 && (uint32_t)r->county != row && named[r->county])
        return 3;
    if (r->city >= 0 && (uint32_t)r->city != row && named[r->city])
        return 2;
    /* 北京 天津 上海 重庆: the municipality is its districts' city too (SPEC), and the
     * gazetteer's city row between them (市辖区) has no name a text could use; one
     * mention of the municipality places them as a named prefecture does */
    if (r->city >= 0 && (uint32_t)r->city != row && r->province >= 0 &&
        (uint32_t)r->province != row && named[r->province] &&
        self->units[r->city].level == LXM_LV_OTHER &&
        self->units[r->city].disp_city == self->units[r->province].name)
        return 2;
    if (r->province >= 0 && (uint32_t)r->province != row && named[r->province] >= 2)
        return 1;
    return 0;
}

static bool s_is_ancestor(const lxm_gazetteer_t *self, uint32_t anc, uint32_t row)
{
    const lxm_gaz_row_t *r = &self->units[row];
    return anc != row
           && ((uint32_t)r->county == anc || (uint32_t)r->city == anc
               || (uint32_t)r->province == anc);
}

/* ---- filling the record ---- */

static void s_fill_row(const lxm_gazetteer_t *self, uint32_t row, lxm_unit_t *out)
{
    lxm_gaz_unit_t u;
    lxm_gaz_fill(self, row, &u);
    out->name = lxm_xstrdup(u.name);
    out->level = lxm_xstrdup(u.level);
    out->code = lxm_xstrdup(u.code);
    out->county = lxm_xstrdup(u.county);
    out->city = lxm_xstrdup(u.city);
    out->province = lxm_xstrdup(u.province);
}

/* Both NULL or equal: the names candidates share (four 鼓楼区 are all called 鼓楼区). */
static bool s_same_str(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Where the context is read: title, text, issuer, source (the text is prose), each
 * normalized (traditional -> simplified). The text is long and only its opening is
 * needed to find the unit, so its normalized copy is made only when the whole of it
 * is read (several candidates) and only when it holds a traditional character. */
typedef struct {
    const char *seg[4];
    size_t len[4];
    const char *raw_text; /* the text as given, when seg[1] has not been completed */
    lxm_buf_t *text_buf;  /* where a normalized copy goes */
    size_t raw_trad;      /* the raw text's first traditional character, SIZE_MAX:
                             not known yet */
} s_segs_t;

static void s_segs_complete(const lxm_gazetteer_t *self, s_segs_t *sg)
{
    if (!sg->raw_text)
        return;
    size_t trad = sg->raw_trad != SIZE_MAX ? sg->raw_trad
                                           : lxm_gaz_first_traditional(self, sg->raw_text, sg->len[1]);
    if (trad < sg->len[1]) {
        lxm_buf_clear(sg->text_buf);
        lxm_gaz_normalize(self, sg->raw_text, sg->len[1], sg->text_buf);
        sg->seg[1] = sg->text_buf->data;
    }
    sg->raw_text = NULL;
}

/* Resolves what F found in SG. */
static void s_resolve(const lxm_gazetteer_t *self, const lxm_unit_context_t *ctx,
                      const s_found_t *f, s_segs_t *sg, lxm_unit_t *out, lxm_record_t *rec)
{
    const s_hit_t *unit = &f->chain.el[f->unit_el];
    const lxm_gaz_group_t *grp = s_group(self, unit->group);
    const lxm_gaz_group_t *alt = f->alt >= 0 ? s_group(self, f->alt) : NULL;
    uint32_t *cand = lxm_xmalloc((grp->count + (alt ? alt->count : 0)) * sizeof *cand);
    size_t nc = 0;
    for (uint32_t i = 0; i < grp->count; i++)
        if (!self->entries[grp->first + i].stripped)
            cand[nc++] = self->entries[grp->first + i].row;
    if (alt) {
        const lxm_gaz_group_t *og = s_group(self, f->alt_outer);
        for (uint32_t i = 0; i < alt->count; i++) {
            const lxm_gaz_entry_t *e = &self->entries[alt->first + i];
            bool inside = false;
            for (uint32_t j = 0; j < og->count && !inside && !e->stripped; j++)
                inside = s_is_ancestor(self, self->entries[og->first + j].row, e->row);
            for (size_t c = 0; c < nc && inside; c++)
                inside = cand[c] != e->row;
            if (inside)
                cand[nc++] = e->row;
        }
    }
    size_t total = nc, m;
    bool narrowed = false;
    bool contradicted = false;
    if (unit != &f->chain.el[0]) {
        /* names written before it in the same chain (洮南市瓦房镇) come first: keep the
         * candidates inside the most of them (内江市市中区白马镇: the 白马镇 of the 市中区
         * of 内江市, not of 乐山市) */
        int best = 0;
        int *inside = lxm_xcalloc(nc, sizeof *inside);
        for (size_t i = 0; i < nc; i++) {
            for (const s_hit_t *q = f->chain.el; q < unit; q++) {
                const lxm_gaz_group_t *qg = s_group(self, q->group);
                bool ok = false;
                for (uint32_t e = 0; e < qg->count && !ok; e++)
                    ok = s_is_ancestor(self, self->entries[qg->first + e].row, cand[i]);
                inside[i] += ok;
            }
            if (inside[i] > best)
                best = inside[i];
        }
        m = 0;
        for (size_t i = 0; i < nc; i++)
            if (best > 0 && inside[i] == best)
                cand[m++] = cand[i];
        free(inside);
        if (m > 0 && m < nc) {
            nc = m;
            narrowed = true;
        }
        /* only a full name before it can contradict (路桥区瓦房镇); a bare 台山 or 平安
         * may be an ordinary word */
        for (const s_hit_t *q = f->chain.el; q < unit && m == 0 && !contradicted; q++)
            contradicted = (s_group(self, q->group)->flags & LXM_GF_UPPER) != 0;
    }
    if (contradicted) {
        /* 路桥区瓦房镇: no 瓦房镇 lies in any 路桥区; the one elsewhere is not this unit */
        out->name = lxm_xstrndup(self->pool + grp->key, grp->key_len);
        out->level = lxm_xstrdup(lxm_gaz_level_names[self->units[cand[0]].level]);
        out->match = lxm_xstrdup("unknown");
        if (rec)
            lxm_record_add_warning(rec, "unit %s is not in the gazetteer under %.*s", out->name,
                                   (int)f->chain.el[0].len, f->seg + f->chain.el[0].pos);
        free(cand);
        return;
    }
    /* the same place at two levels. 金门县 the county and a township-level 金门县 in it:
     * the name means the county. 东莞市 the prefecture without counties and the
     * county-level 东莞市 the gazetteer lists under it so its towns have a county: the
     * name means that county-level unit (6 digits, county and city both 东莞市). */
    m = 0;
    for (size_t i = 0; i < nc; i++) {
        bool drop = false;
        const lxm_gaz_row_t *ri = &self->units[cand[i]];
        for (size_t j = 0; j < nc && !drop; j++) {
            const lxm_gaz_row_t *rj = &self->units[cand[j]];
            if (ri->kind == LXM_GK_CITY && rj->kind == LXM_GK_COUNTY)
                drop = s_is_ancestor(self, cand[i], cand[j]);
            else if (!(ri->kind == LXM_GK_COUNTY && rj->kind == LXM_GK_CITY))
                drop = s_is_ancestor(self, cand[j], cand[i]);
        }
        if (!drop)
            cand[m++] = cand[i];
    }
    nc = m;

    if (f->gov && nc > 1) {
        /* 白塔区人民政府: a people's government is a 镇 乡 or above, not a 街道 or a
         * 开发区 that shares the name */
        m = 0;
        for (size_t i = 0; i < nc; i++) {
            int lv = self->units[cand[i]].level;
            if (lv != LXM_LV_JIEDAO && lv != LXM_LV_OTHER)
                cand[m++] = cand[i];
        }
        if (m > 0 && m < nc) {
            nc = m;
            narrowed = true;
        }
    }
    if (total > 1 && nc < total && !narrowed)
        total = nc; /* only the levels of one place shared the name */
    const char *how = narrowed ? "context" : "unique";
    if (nc > 1) {
        size_t n_upper = self->first[LXM_GK_TOWN];
        uint8_t *named = lxm_xcalloc(n_upper, 1);
        /* the text as given unless it holds a traditional character (one quick pass
         * finds out), else its normalized copy */
        s_segs_complete(self, sg);
        if (sg->seg[1])
            s_mark_context(self, sg->seg[1], sg->len[1], true, named);
        /* (mentions add up, saturating: the order of the segments does not matter) */
        for (int i = 0; i < 4; i++)
            if (i != 1 && sg->seg[i])
                s_mark_context(self, sg->seg[i], sg->len[i], false, named);
        /* the strongest support wins (county over city over province); a tie at the
         * top is left ambiguous below */
        int best = 0;
        for (size_t i = 0; i < nc; i++) {
            int s = s_support(self, cand[i], named);
            if (s > best)
                best = s;
        }
        if (best > 0) {
            m = 0;
            for (size_t i = 0; i < nc; i++)
                if (s_support(self, cand[i], named) == best)
                    cand[m++] = cand[i];
            nc = m;
            how = "context";
        }
        free(named);
    }

    if (nc == 1) {
        s_fill_row(self, cand[0], out);
        out->match = lxm_xstrdup(how);
        out->candidates = (int)total;
    } else {
        /* ambiguous: keep only what every candidate shares */
        lxm_gaz_unit_t u, v;
        lxm_gaz_fill(self, cand[0], &u);
        bool same_county = true, same_city = true, same_prov = true, same_level = true;
        for (size_t i = 1; i < nc; i++) {
            lxm_gaz_fill(self, cand[i], &v);
            same_county &= s_same_str(u.county, v.county);
            same_city &= s_same_str(u.city, v.city);
            same_prov &= s_same_str(u.province, v.province);
            same_level &= s_same_str(u.level, v.level);
        }
        out->name = lxm_xstrndup(self->pool + grp->key, grp->key_len);
        out->level = lxm_xstrdup(same_level ? u.level : lxm_gaz_level_names[LXM_LV_OTHER]);
        out->code = NULL;
        out->county = same_county ? lxm_xstrdup(u.county) : NULL;
        out->city = same_city ? lxm_xstrdup(u.city) : NULL;
        out->province = same_prov ? lxm_xstrdup(u.province) : NULL;
        out->match = lxm_xstrdup("ambiguous");
        out->candidates = (int)nc;
        if (rec)
            lxm_record_add_warning(rec, "ambiguous unit %s: %zu candidates, none named by context",
                                   out->name, nc);
    }
    if (f->dept) {
        free(out->name);
        free(out->level);
        out->name = lxm_xstrndup(f->dept, f->dept_len);
        out->level = lxm_xstrdup(lxm_gaz_level_names[LXM_LV_DEPT]);
    }
    (void)ctx;
    free(cand);
}

static bool s_ends_with_word(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    return n >= k && memcmp(s + n - k, w, k) == 0;
}

/* Percent-decodes a URL or path so 新桥镇 in %E6%96%B0... is seen. */
static void s_unpercent(const char *s, lxm_buf_t *out)
{
    for (size_t i = 0; s[i]; i++) {
        int hi, lo;
        if (s[i] == '%' && s[i + 1] && s[i + 2]
            && (hi = (s[i + 1] >= '0' && s[i + 1] <= '9') ? s[i + 1] - '0'
                   : ((s[i + 1] | 32) >= 'a' && (s[i + 1] | 32) <= 'f') ? (s[i + 1] | 32) - 'a' + 10
                                                                       : -1) >= 0
            && (lo = (s[i + 2] >= '0' && s[i + 2] <= '9') ? s[i + 2] - '0'
                   : ((s[i + 2] | 32) >= 'a' && (s[i + 2] | 32) <= 'f') ? (s[i + 2] | 32) - 'a' + 10
                                                                       : -1) >= 0) {
            lxm_buf_putc(out, (char)(hi * 16 + lo));
            i += 2;
        } else {
            lxm_buf_putc(out, s[i]);
        }
    }
}

void lxm_unit_resolve(const lxm_gazetteer_t *self, const lxm_unit_context_t *ctx,
                      lxm_unit_t *out, lxm_record_t *rec)
{
    memset(out, 0, sizeof *out);
    if (!self || !ctx) {
        out->match = lxm_xstrdup("unknown");
        return;
    }
    /* normalized copies (traditional -> simplified, same byte offsets) */
    lxm_buf_t title = {0}, text = {0}, issuer = {0}, source = {0}, raw_src = {0};
    if (ctx->title)
        lxm_gaz_normalize(self, ctx->title, ctx->title_len, &title);
    /* the text: its opening is where the unit is found; normalized as a whole only
     * when the opening holds a traditional character, else later if needed at all (the
     * opening ends at a 。, which normalizing leaves where it is) */
    const char *tx = ctx->text;
    size_t txl = ctx->text ? ctx->text_len : 0;
    bool text_done = true;
    /* (normalizing maps ideographs only: the opening ends at the same 。 in both) */
    size_t open = ctx->text ? s_opening_len(ctx->text, txl) : 0;
    size_t known_trad = ctx->text && ctx->text_trad_known ? ctx->text_trad : SIZE_MAX;
    if (ctx->text) {
        if ((known_trad != SIZE_MAX ? known_trad : lxm_gaz_first_traditional(self, ctx->text, open)) <
            open) {
            lxm_gaz_normalize(self, ctx->text, ctx->text_len, &text);
            tx = text.data;
        } else
            text_done = false;
    }
    if (ctx->issuer)
        lxm_gaz_normalize(self, ctx->issuer, strlen(ctx->issuer), &issuer);
    if (ctx->source) {
        s_unpercent(ctx->source, &raw_src);
        lxm_gaz_normalize(self, raw_src.data, raw_src.len, &source);
    }
    s_segs_t sg = {{title.data, tx, issuer.data, source.data},
                   {title.len, txl, issuer.len, source.len},
                   text_done ? NULL : ctx->text, &text, known_trad};

    s_found_t f;
    bool found = false;
    if (title.len)
        found = s_from_title(self, title.data, ctx->title, title.len, &f);
    if (!found && txl) {
        found = s_from_prose(self, tx, ctx->text, open, &f);
        s_found_t fi;
        if (found && !f.dept && issuer.len
            && s_from_prose(self, issuer.data, ctx->issuer, issuer.len, &fi) && fi.dept
            && fi.chain.el[fi.unit_el].group == f.chain.el[f.unit_el].group
            && !s_ends_with_word(fi.dept, fi.dept_len, "办公室")) {
            /* the text says 岳阳县, the page's issuer 岳阳县市场监督管理局: the department.
             * (XX县人民政府办公室, XX镇党政办公室 only publish their government's report.) */
            f.dept = fi.dept;
            f.dept_len = fi.dept_len;
        }
    }
    if (!found && txl) {
        /* "2025年，新开镇坚持…": a unit not in the gazetteer opening the text */
        for (size_t p = 0; p + 3 <= open && !found; p++) {
            if (!s_at(tx, open, p, "年，") && !s_at(tx, open, p, "年,"))
                continue;
            size_t q = p + (s_at(tx, open, p, "年，") ? 6 : 4);
            int lv;
            size_t k = s_unknown_unit(tx, open, q, true, &lv);
            if (k) {
                memset(&f, 0, sizeof f);
                f.unit_el = -1;
                f.alt_outer = f.alt = -1;
                f.seg = f.orig = tx;
                f.unknown_pos = q, f.unknown_len = k, f.unknown_level = lv;
                found = true;
            }
        }
    }
    if (!found && issuer.len)
        found = s_from_prose(self, issuer.data, ctx->issuer, issuer.len, &f);

    if (found && f.unit_el >= 0 && !f.unknown_len) {
        s_resolve(self, ctx, &f, &sg, out, rec);
    } else if (found && f.unknown_len) {
        if (f.unit_el >= 0) {
            /* keep where the names before it place it (county, city, province) */
            s_resolve(self, ctx, &f, &sg, out, NULL);
            free(out->name);
            free(out->level);
            free(out->code);
            free(out->match);
            out->code = NULL;
            out->candidates = 0;
        }
        out->name = lxm_xstrndup(f.seg + f.unknown_pos, f.unknown_len);
        out->level = lxm_xstrdup(lxm_gaz_level_names[f.unknown_level]);
        out->match = lxm_xstrdup("unknown");
        if (rec)
            lxm_record_add_warning(rec, "unit %s is not in the gazetteer", out->name);
    } else {
        out->match = lxm_xstrdup("unknown");
        if (rec)
            lxm_record_add_warning(rec, "no reporting unit found");
    }
    lxm_buf_free(&title);
    lxm_buf_free(&text);
    lxm_buf_free(&issuer);
    lxm_buf_free(&source);
    lxm_buf_free(&raw_src);
}
