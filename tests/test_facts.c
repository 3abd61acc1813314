/* test_facts: lxm_facts_extract against the labelled seeds (precision, recall and key
 * accuracy on (value, unit, key), matched the way tools/score.py matches them), every
 * indicator key of SPEC on sentences of its own, and report sentences written for this
 * test (not from the seeds) to check that the rules generalise. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lxm_data.h"
#include "lxm_facts.h"
#include "lxm_record.h"

#define CORPUS "../shared/corpus"

#include "lib/facts_fixture.h"

/* ---- a small JSON reader, enough for gold.jsonl ------------------------------------- */

typedef enum { J_NULL, J_BOOL, J_NUM, J_STR, J_ARR, J_OBJ } jtype_t;
typedef struct jv {
    jtype_t type;
    double num;        /* J_NUM, J_BOOL (0/1) */
    char *str;         /* J_STR */
    struct jv **items; /* J_ARR, J_OBJ values */
    char **keys;       /* J_OBJ keys */
    size_t n;
} jv_t;

static void s_jfree(jv_t *v)
{
    if (!v)
        return;
    for (size_t i = 0; i < v->n; i++) {
        s_jfree(v->items[i]);
        if (v->keys)
            free(v->keys[i]);
    }
    free(v->items);
    free(v->keys);
    free(v->str);
    free(v);
}

static void s_ws(const char **p)
{
    while (**p == ' ' || **p == '\t' || **p == '\n' || **p == '\r')
        (*p)++;
}

static char *s_jstring(const char **p)
{
    if (**p != '"')
        return NULL;
    (*p)++;
    lxm_buf_t b = {0};
    while (**p && **p != '"') {
        if (**p == '\\') {
            (*p)++;
            char c = **p;
            if (c == 'n')
                lxm_buf_putc(&b, '\n');
            else if (c == 't')
                lxm_buf_putc(&b, '\t');
            else if (c == 'u') {
                unsigned cp = 0;
                for (int i = 1; i <= 4; i++) {
                    char h = (*p)[i];
                    cp = cp * 16 + (unsigned) (h >= 'a' ? h - 'a' + 10 : h >= 'A' ? h - 'A' + 10
                                                                                  : h - '0');
                }
                *p += 4;
                char u[4];
                size_t l;
                if (cp < 0x80)
                    u[0] = (char) cp, l = 1;
                else if (cp < 0x800)
                    u[0] = (char) (0xC0 | cp >> 6), u[1] = (char) (0x80 | (cp & 0x3F)), l = 2;
                else
                    u[0] = (char) (0xE0 | cp >> 12), u[1] = (char) (0x80 | ((cp >> 6) & 0x3F)),
                    u[2] = (char) (0x80 | (cp & 0x3F)), l = 3;
                lxm_buf_append(&b, u, l);
            } else
                lxm_buf_putc(&b, c);
            (*p)++;
        } else
            lxm_buf_putc(&b, *(*p)++);
    }
    if (**p == '"')
        (*p)++;
    char *s = b.len ? lxm_buf_take(&b) : lxm_xstrdup("");
    return s;
}

static jv_t *s_jparse(const char **p)
{
    s_ws(p);
    jv_t *v = lxm_xcalloc(1, sizeof *v);
    if (**p == '{' || **p == '[') {
        bool obj = **p == '{';
        v->type = obj ? J_OBJ : J_ARR;
        (*p)++;
        size_t cap = 0;
        for (;;) {
            s_ws(p);
            if (**p == '}' || **p == ']') {
                (*p)++;
                break;
            }
            if (!**p)
                break;
            if (v->n == cap) {
                cap = cap ? cap * 2 : 8;
                v->items = lxm_xrealloc(v->items, cap * sizeof *v->items);
                if (obj)
                    v->keys = lxm_xrealloc(v->keys, cap * sizeof *v->keys);
            }
            if (obj) {
                v->keys[v->n] = s_jstring(p);
                s_ws(p);
                if (**p == ':')
                    (*p)++;
            }
            v->items[v->n++] = s_jparse(p);
            s_ws(p);
            if (**p == ',')
                (*p)++;
        }
    } else if (**p == '"') {
        v->type = J_STR;
        v->str = s_jstring(p);
    } else if (strncmp(*p, "true", 4) == 0 || strncmp(*p, "false", 5) == 0) {
        v->type = J_BOOL;
        v->num = **p == 't';
        *p += **p == 't' ? 4 : 5;
    } else if (strncmp(*p, "null", 4) == 0) {
        v->type = J_NULL;
        *p += 4;
    } else {
        char *end;
        v->type = J_NUM;
        v->num = strtod(*p, &end);
        *p = end > *p ? end : *p + 1;
    }
    return v;
}

static const jv_t *s_jget(const jv_t *o, const char *key)
{
    if (!o || o->type != J_OBJ)
        return NULL;
    for (size_t i = 0; i < o->n; i++)
        if (o->keys[i] && strcmp(o->keys[i], key) == 0)
            return o->items[i];
    return NULL;
}

static char *s_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    lxm_buf_t b = {0};
    char chunk[8192];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        lxm_buf_append(&b, chunk, n);
    fclose(f);
    *len = b.len;
    lxm_buf_putc(&b, 0);
    return lxm_buf_take(&b);
}

/* Two characters (6 bytes of CJK) before the first number of a gold clause: the anchor
 * score.py uses to tell one occurrence of a value from another. */
static void s_anchor(const char *text, char *out, size_t cap)
{
    out[0] = 0;
    size_t len = strlen(text);
    for (size_t i = 0; i < len;) {
        double v;
        size_t used;
        unsigned char c = (unsigned char) text[i];
        if (lxm_number_parse(text + i, len - i, &v, &used) || strncmp(text + i, "百", 3) == 0) {
            size_t from = i, chars = 0;
            while (from > 0 && chars < 2) {
                from--;
                while (from > 0 && ((unsigned char) text[from] & 0xC0) == 0x80)
                    from--;
                chars++;
            }
            snprintf(out, cap, "%.*s", (int) (i - from), text + from);
            return;
        }
        i += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    }
}

static void test_seeds_against_gold(void **state)
{
    (void) state;
    size_t glen;
    char *gold = s_slurp(CORPUS "/gold.jsonl", &glen);
    if (!gold) {
        fprintf(stderr, "no %s/gold.jsonl here: seed comparison skipped\n", CORPUS);
        skip();
    }
    int tp = 0, fp = 0, fn = 0, key_ok = 0, docs = 0;
    lxm_record_t rec = {0};
    for (char *line = gold; line && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = 0;
        const char *p = line;
        jv_t *g = s_jparse(&p);
        line = nl ? nl + 1 : NULL;
        const jv_t *file = s_jget(g, "file"), *facts = s_jget(g, "facts");
        if (!file || file->type != J_STR || !facts || facts->type != J_ARR) {
            s_jfree(g);
            continue;
        }
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", CORPUS, file->str);
        size_t tlen;
        char *text = s_slurp(path, &tlen);
        assert_non_null(text);
        docs++;
        lxm_record_reset(&rec);
        lxm_facts_extract(s_facts, text, tlen, 0, &rec);
        bool *used = lxm_xcalloc(rec.n_facts + 1, sizeof *used);
        for (size_t k = 0; k < facts->n; k++) {
            const jv_t *gf = facts->items[k];
            const jv_t *gt = s_jget(gf, "text"), *gv = s_jget(gf, "value"),
                       *gu = s_jget(gf, "unit"), *gk = s_jget(gf, "key"),
                       *go = s_jget(gf, "optional");
            bool optional = go && go->type == J_BOOL && go->num;
            char anchor[32];
            s_anchor(gt->str, anchor, sizeof anchor);
            size_t best = rec.n_facts;
            for (size_t j = 0; j < rec.n_facts; j++) {
                const lxm_fact_t *f = &rec.facts[j];
                if (used[j] || fabs(f->value - gv->num) > 1e-6 || strcmp(f->unit, gu->str))
                    continue;
                if (anchor[0] && !strstr(f->text, anchor) && !strstr(gt->str, f->text))
                    continue;
                best = j;
                break;
            }
            if (best == rec.n_facts) {
                if (!optional) {
                    fn++;
                    fprintf(stderr, "  missed: %s: %s = %g%s\n", file->str, gt->str, gv->num,
                            gu->str);
                }
                continue;
            }
            used[best] = true;
            if (optional)
                continue;
            tp++;
            const char *want = gk && gk->type == J_STR ? gk->str : NULL;
            const char *got = rec.facts[best].key;
            if ((!want && !got) || (want && got && strcmp(want, got) == 0))
                key_ok++;
            else
                fprintf(stderr, "  key: %s: want %s got %s\n", gt->str, want ? want : "null",
                        got ? got : "null");
        }
        for (size_t j = 0; j < rec.n_facts; j++)
            if (!used[j]) {
                fp++;
                fprintf(stderr, "  extra: %s: %s = %g%s\n", file->str, rec.facts[j].text,
                        rec.facts[j].value, rec.facts[j].unit);
            }
        free(used);
        free(text);
        s_jfree(g);
    }
    lxm_record_reset(&rec);
    free(gold);
    double prec = tp + fp ? (double) tp / (tp + fp) : 0, rec_ = tp + fn ? (double) tp / (tp + fn) : 0;
    double f1 = prec + rec_ ? 2 * prec * rec_ / (prec + rec_) : 0;
    double kacc = tp + fn ? (double) key_ok / (tp + fn) : 0;
    fprintf(stderr, "seeds: %d documents, tp %d fp %d fn %d: precision %.3f recall %.3f F1 %.3f, "
                    "key accuracy %.3f\n", docs, tp, fp, fn, prec, rec_, f1, kacc);
    assert_true(docs >= 5);
    assert_true(f1 >= 0.95);
    assert_true(kacc >= 0.90);
}

/* ---- every key of SPEC, on sentences written for this test --------------------------- */

typedef struct {
    const char *sentence;
    double value;     /* the fact checked: the one with this value and unit */
    const char *unit;
    const char *key;  /* NULL: no indicator fits */
} keyed_t;

static const keyed_t KEYED[] = {
    {"组织班子成员集体学法12次", 12, "次", "study.sessions"},
    {"开展法治专题讲座4场", 4, "场", "study.sessions"},
    {"党委理论学习中心组专题学习习近平法治思想5次", 5, "次", "study.sessions"},
    {"参训干部达150人次", 150, "人次", "study.attendance"},
    {"组织86名工作人员参加网上学法考试", 86, "名", "study.attendance"},
    {"考试合格率达100%", 100, "%", "exam.pass_rate"},
    {"参考率和通过率均为100%", 100, "%", "exam.pass_rate"},
    {"开展送法下乡活动15场次", 15, "场次", "publicity.events"},
    {"组织普法宣讲30余次", 30, "次", "publicity.events"},
    {"受益群众5000余人次", 5000, "人次", "publicity.audience"},
    {"覆盖居民2万余人", 20000, "人", "publicity.audience"},
    {"发放法治宣传手册1200册", 1200, "册", "publicity.materials"},
    {"发放宣传单4000余份", 4000, "份", "publicity.materials"},
    {"悬挂宣传横幅25条", 25, "条", "publicity.banners"},
    {"张贴标语60条", 60, "条", "publicity.banners"},
    {"聘请常年法律顾问3名", 3, "名", "counsel.count"},
    {"聘请律师事务所1家担任政府法律顾问", 1, "家", "counsel.count"},
    {"审查各类合同45份", 45, "份", "review.contracts"},
    {"对32件合同进行合法性审查", 32, "件", "review.contracts"},
    {"对3项重大行政决策开展合法性审查", 3, "项", "review.decisions"},
    {"审核重大行政决策事项2件", 2, "件", "review.decisions"},
    {"审查规范性文件8件", 8, "件", "review.normative_docs"},
    {"报备行政规范性文件3件", 3, "件", "review.normative_docs"},
    {"合法性审查覆盖率100%", 100, "%", "review.coverage_rate"},
    {"开展专题培训3期", 3, "期", "study.sessions"},
    {"开展3场普法讲座", 3, "场", "publicity.events"},
    {"举办法治讲座进校园活动5场", 5, "场", "publicity.events"},
    {"全年共召开3次常务会议", 3, "次", "meetings.count"},
    {"培训机关干部300余人次", 300, "人次", "study.attendance"},
    {"举办执法人员培训班3期", 3, "期", "enforcement.training_sessions"},
    {"开展行政执法业务培训5次", 5, "次", "enforcement.training_sessions"},
    {"培训执法人员120人次", 120, "人次", "enforcement.trainees"},
    {"轮训执法队员45名", 45, "名", "enforcement.trainees"},
    {"抽查行政处罚案件20件", 20, "件", "enforcement.case_reviews"},
    {"评查行政执法案卷60本", 60, "本", "enforcement.case_reviews"},
    {"开展行政执法监督检查4次", 4, "次", "supervision.inspections"},
    {"开展专项督查6次", 6, "次", "supervision.inspections"},
    {"发现问题12个", 12, "个", "supervision.issues_fixed"},
    {"整改问题9项", 9, "项", "supervision.issues_fixed"},
    {"问题整改率100%", 100, "%", "supervision.fix_rate"},
    {"选聘行政执法社会监督员20名", 20, "名", "supervision.monitors"},
    {"调解各类纠纷86起", 86, "起", "disputes.screened"},
    {"排查化解矛盾纠纷120余件", 120, "件", "disputes.screened"},
    {"调解成功率达98%", 98, "%", "disputes.resolution_rate"},
    {"矛盾纠纷化解率96.5%", 96.5, "%", "disputes.resolution_rate"},
    {"办理行政应诉案件6件", 6, "件", "litigation.cases"},
    {"发生行政诉讼案件2起", 2, "起", "litigation.cases"},
    {"行政机关负责人出庭应诉率达100%", 100, "%", "litigation.appearance_rate"},
    {"受理行政复议申请7件", 7, "件", "reconsideration.cases"},
    {"解答群众法律咨询300余人次", 300, "人次", "legal_aid.consultations"},
    {"办理法律援助案件25件", 25, "件", "legal_aid.consultations"},
    {"受理群众信访事项38件", 38, "件", "petitions.cases"},
    {"处理投诉举报16起", 16, "起", "petitions.cases"},
    {"办理人大代表建议12件", 12, "件", "proposals.handled"},
    {"承办政协委员提案9件", 9, "件", "proposals.handled"},
    {"主动公开政府信息260条", 260, "条", "disclosure.items"},
    {"发布政务信息85篇", 85, "篇", "disclosure.items"},
    {"办理依申请公开4件", 4, "件", "disclosure.requests"},
    {"受理政府信息公开申请11件", 11, "件", "disclosure.requests"},
    {"召开常务会议专题研究法治工作3次", 3, "次", "meetings.count"},
    {"召开法治建设领导小组会议2次", 2, "次", "meetings.count"},
    {"群众满意率达98%", 98, "%", "satisfaction.rate"},
    {"按期办结率100%", 100, "%", "satisfaction.rate"},
    /* no indicator fits */
    {"撰写学习心得19篇", 19, "篇", NULL},
    {"56位平安员积极开展矛盾纠纷预防和化解工作", 56, "位", NULL},
    {"全镇共有村(社区)14个", 14, "个", NULL},
    {"拆除违法建筑12处", 12, "处", NULL},
    {"通过执法考试培训1人次", 1, "人次", NULL},
    {"培训公职律师60名", 60, "名", NULL},
    {"开展法治文艺演出12场", 12, "场", "publicity.events"},
    {"参考132人", 132, "人", "study.attendance"},
    {"下乡走访进村小组16次", 16, "次", NULL},
    {"收集整理企业、群众意见建议10条", 10, "条", NULL},
    {"法律顾问覆盖率达100%", 100, "%", NULL},
};

/* Report sentences written for this test, several facts each: every fact must be found
 * with its key, and nothing else. */
typedef struct {
    const char *sentence;
    int n;
    struct {
        double value;
        const char *unit;
        const char *key;
    } want[6];
} extra_t;

static const extra_t EXTRA[] = {
    /* Latin digits spaced from their multiplier and qualifier (text from PDF / Word) */
    {"开展普法活动 36 场，受众 1.2 万人次，发放宣传资料 1,200 余份。", 3,
     {{36, "场", "publicity.events"}, {12000, "人次", "publicity.audience"},
      {1200, "份", "publicity.materials"}}},
    /* traditional characters: the rules (simplified) see the window mapped */
    {"全年審查重大行政決策事項6項，檢查行政執法案件23件，發現問題9個並全部整改。", 3,
     {{6, "项", "review.decisions"}, {23, "件", "enforcement.case_reviews"},
      {9, "个", "supervision.issues_fixed"}}},
    {"2023年，我局共办理行政复议案件15件，行政应诉案件8件，负责人出庭应诉率100%。", 3,
     {{15, "件", "reconsideration.cases"}, {8, "件", "litigation.cases"},
      {100, "%", "litigation.appearance_rate"}}},
    {"全年开展“法律进乡村”活动26场次，发放《民法典》读本1500余册，受教育群众达4000余人次。", 3,
     {{26, "场次", "publicity.events"}, {1500, "册", "publicity.materials"},
      {4000, "人次", "publicity.audience"}}},
    {"今年以来，共排查各类矛盾纠纷142件，成功调解138件，调解成功率97.2%。", 3,
     {{142, "件", "disputes.screened"}, {138, "件", "disputes.screened"},
      {97.2, "%", "disputes.resolution_rate"}}},
    {"街道党工委理论学习中心组开展集体学法4次，邀请专家开展法治讲座2场。", 2,
     {{4, "次", "study.sessions"}, {2, "场", "study.sessions"}}},
    {"聘请律师事务所1家担任政府法律顾问，审查合同86份。", 2,
     {{1, "家", "counsel.count"}, {86, "份", "review.contracts"}}},
    {"全年组织执法人员参加培训6期，培训执法人员230人次。", 2,
     {{6, "期", "enforcement.training_sessions"}, {230, "人次", "enforcement.trainees"}}},
    {"依申请公开政府信息12件，主动公开各类信息520余条。", 2,
     {{12, "件", "disclosure.requests"}, {520, "条", "disclosure.items"}}},
    {"开展安全生产等领域执法检查120余次，发现并整改问题35个，整改率100%。", 3,
     {{120, "次", "supervision.inspections"}, {35, "个", "supervision.issues_fixed"},
      {100, "%", "supervision.fix_rate"}}},
    {"办理人大代表建议和政协委员提案21件，办复率100%，满意率98%。", 3,
     {{21, "件", "proposals.handled"}, {100, "%", "satisfaction.rate"},
      {98, "%", "satisfaction.rate"}}},
    {"在“3·15”“12·4”等节点开展宣传活动8场，接受咨询群众600余人次。", 2,
     {{8, "场", "publicity.events"}, {600, "人次", "legal_aid.consultations"}}},
    {"全年共办理法律援助案件48件，接待法律咨询620人次。", 2,
     {{48, "件", "legal_aid.consultations"}, {620, "人次", "legal_aid.consultations"}}},
    {"召开区政府常务会议学法3次，区委中心组学法4次，组织旁听庭审1次，参加旁听干部80余名。", 4,
     {{3, "次", "study.sessions"}, {4, "次", "study.sessions"}, {1, "次", "study.sessions"},
      {80, "名", "study.attendance"}}},
    /* continuation: an enumeration, or a clause that is only a verb of the same matter */
    {"全县共收到行政复议申请86件，受理79件，审结72件。", 3,
     {{86, "件", "reconsideration.cases"}, {79, "件", "reconsideration.cases"},
      {72, "件", "reconsideration.cases"}}},
    {"县委常委会会议、县政府常务会议分别研究法治建设工作6次、8次。", 2,
     {{6, "次", "meetings.count"}, {8, "次", "meetings.count"}}},
    /* 分别: the I-th quantity counts the I-th item before it; a count that does not match
     * the items is read the usual way */
    {"全年受理行政复议申请、行政应诉案件分别为5件、3件。", 2,
     {{5, "件", "reconsideration.cases"}, {3, "件", "litigation.cases"}}},
    {"发放宣传资料、宣传手册分别达2000份、300册。", 2,
     {{2000, "份", "publicity.materials"}, {300, "册", "publicity.materials"}}},
    {"行政复议、行政诉讼案件分别为12件、8件、3件。", 3,
     {{12, "件", "reconsideration.cases"}, {8, "件", "reconsideration.cases"},
      {3, "件", "reconsideration.cases"}}},
    {"办理行政复议案件7件，维持5件，撤销1件，终止1件；行政诉讼案件4件。", 5,
     {{7, "件", "reconsideration.cases"}, {5, "件", "reconsideration.cases"},
      {1, "件", "reconsideration.cases"}, {1, "件", "reconsideration.cases"},
      {4, "件", "litigation.cases"}}},
    {"办理行政复议案件7件，另有信件1件。", 2,
     {{7, "件", "reconsideration.cases"}, {1, "件", NULL}}},
    {"共排查矛盾纠纷120件。受理79件。", 2,
     {{120, "件", "disputes.screened"}, {79, "件", NULL}}},
    /* a nominal classifier counts the noun after it */
    {"对县政府出台的12件规范性文件和23项重大行政决策事项进行合法性审核。", 2,
     {{12, "件", "review.normative_docs"}, {23, "项", "review.decisions"}}},
    /* the verb before the quantity, its object after it; the next quantity's words are
     * not this one's */
    {"培训110多名行政执法人员；公开210多条政府信息；结对帮扶二十一户困难群众家庭。", 3,
     {{110, "名", "enforcement.trainees"}, {210, "条", "disclosure.items"}, {21, "户", NULL}}},
    {"观看庭审直播近6次、班子成员带头讲授法治党课约13次。", 2,
     {{6, "次", NULL}, {13, "次", "study.sessions"}}},
    {"创建民主法治示范村9个、受理调解矛盾纠纷十起。", 2,
     {{9, "个", NULL}, {10, "起", "disputes.screened"}}},
    {"办理法律援助案件412件，其中刑事案件186件；对12个执法部门开展执法监督检查。", 3,
     {{412, "件", "legal_aid.consultations"}, {186, "件", "legal_aid.consultations"},
      {12, "个", NULL}}},
    {"全年共调解各类矛盾纠纷3268件，调解成功3202件，成功率97.98%。全县共有人民调解委员会236个。", 4,
     {{3268, "件", "disputes.screened"}, {3202, "件", "disputes.screened"},
      {97.98, "%", "disputes.resolution_rate"}, {236, "个", NULL}}},
    {"全年共受理群众来信来访56件，办结率达100%，群众满意度96%以上。", 3,
     {{56, "件", "petitions.cases"}, {100, "%", "satisfaction.rate"},
      {96, "%", "satisfaction.rate"}}},
};

static bool s_same_key(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static void test_keys_per_indicator(void **state)
{
    (void) state;
    lxm_record_t rec = {0};
    int bad = 0;
    size_t n = sizeof KEYED / sizeof KEYED[0];
    for (size_t i = 0; i < n; i++) {
        const keyed_t *k = &KEYED[i];
        lxm_record_reset(&rec);
        lxm_facts_extract(s_facts, k->sentence, strlen(k->sentence), 0, &rec);
        const lxm_fact_t *hit = NULL;
        for (size_t j = 0; j < rec.n_facts; j++)
            if (fabs(rec.facts[j].value - k->value) < 1e-9 && !strcmp(rec.facts[j].unit, k->unit))
                hit = &rec.facts[j];
        if (!hit || !s_same_key(hit->key, k->key)) {
            bad++;
            fprintf(stderr, "  %s: want %g%s %s, got %s\n", k->sentence, k->value, k->unit,
                    k->key ? k->key : "null",
                    hit ? (hit->key ? hit->key : "null") : "no such fact");
        }
    }
    lxm_record_reset(&rec);
    fprintf(stderr, "keyed sentences: %zu, %d wrong\n", n, bad);
    assert_int_equal(bad, 0);
}

static void test_extra_sentences(void **state)
{
    (void) state;
    lxm_record_t rec = {0};
    int bad = 0, facts = 0;
    for (size_t i = 0; i < sizeof EXTRA / sizeof EXTRA[0]; i++) {
        const extra_t *e = &EXTRA[i];
        lxm_record_reset(&rec);
        lxm_facts_extract(s_facts, e->sentence, strlen(e->sentence), 0, &rec);
        bool ok = rec.n_facts == (size_t) e->n;
        for (int k = 0; ok && k < e->n; k++) {
            const lxm_fact_t *f = &rec.facts[k];
            ok = fabs(f->value - e->want[k].value) < 1e-9 && !strcmp(f->unit, e->want[k].unit) &&
                 s_same_key(f->key, e->want[k].key);
        }
        facts += e->n;
        if (!ok) {
            bad++;
            fprintf(stderr, "  %s: got", e->sentence);
            for (size_t k = 0; k < rec.n_facts; k++)
                fprintf(stderr, " [%g%s %s]", rec.facts[k].value, rec.facts[k].unit,
                        rec.facts[k].key ? rec.facts[k].key : "null");
            fprintf(stderr, "\n");
        }
    }
    lxm_record_reset(&rec);
    fprintf(stderr, "extra sentences: %zu (%d facts), %d wrong\n",
            sizeof EXTRA / sizeof EXTRA[0], facts, bad);
    assert_int_equal(bad, 0);
}

/* The rules digest is what the record's parser field carries: stable for one text. */
static void test_digest(void **state)
{
    (void) state;
    size_t len;
    const char *text = lxm_data_get("indicators.rules", &len);
    char *error = NULL;
    lxm_rules_t *again = lxm_rules_load(text, len, &error);
    assert_non_null(again);
    assert_string_equal(lxm_rules_digest(again), lxm_rules_digest(s_rules));
    lxm_rules_destroy(&again);
}

/* A 1 MB line with no clause break, full of counts ("办理案件12件开展活动3次…"): every
 * fact's clause is bounded, so the facts' text stays linear in the input and small (a
 * clause as long as the line would make this quadratic: hundreds of MB). */
static void test_long_line_bounded(void **state)
{
    (void) state;
    static const char *const parts[] = {"办理案件12件", "开展普法活动3次", "发放资料450份",
                                        "培训执法人员76人次", "排查纠纷十二起"};
    size_t cap = 1 << 20, len = 0;
    char *text = malloc(cap + 64);
    assert_non_null(text);
    for (size_t i = 0; len < cap; i++) {
        const char *p = parts[i % 5];
        size_t l = strlen(p);
        memcpy(text + len, p, l);
        len += l;
    }
    lxm_record_t rec = {0};
    size_t n = lxm_facts_extract(s_facts, text, len, 0, &rec);
    size_t text_bytes = 0, longest = 0;
    for (size_t i = 0; i < rec.n_facts; i++) {
        size_t l = strlen(rec.facts[i].text);
        text_bytes += l;
        if (l > longest)
            longest = l;
        assert_true(rec.facts[i].start + l <= len);
    }
    fprintf(stderr, "1 MB line: %zu facts, %zu bytes of clause text, longest %zu\n", n,
            text_bytes, longest);
    assert_true(n > len / 40); /* every part holds a fact */
    assert_true(longest <= 300);
    assert_true(text_bytes < 16 * len);
    lxm_record_reset(&rec);
    free(text);
}

/* KEY<AFTER rows: a row that applies only right after a fact with that key in the same
 * sentence (participants of the event just counted). Rules written for this test. */
static void test_after_rows(void **state)
{
    (void) state;
    static const char rules[] =
        "enforcement.training_sessions  期  培训班\n"
        "enforcement.trainees<enforcement.training_sessions  人,人次,名  ^(?:参训|参加)人员#\n"
        "study.attendance  人,人次,名  参训|参加\n";
    char *error = NULL;
    lxm_rules_t *r = lxm_rules_load(rules, strlen(rules), &error);
    assert_non_null(r);
    lxm_facts_t *f = lxm_facts_new(r);
    lxm_record_t rec = {0};
    const char *t1 = "组织执法人员培训班2期，参训人员130人。";
    assert_int_equal(lxm_facts_extract(f, t1, strlen(t1), 0, &rec), 2);
    assert_string_equal(rec.facts[0].key, "enforcement.training_sessions");
    assert_string_equal(rec.facts[1].key, "enforcement.trainees");
    lxm_record_reset(&rec);
    /* no training course before it: the general row */
    const char *t2 = "开展学法讲座3次，参训人员80人。";
    assert_int_equal(lxm_facts_extract(f, t2, strlen(t2), 0, &rec), 2);
    assert_string_equal(rec.facts[1].key, "study.attendance");
    lxm_record_reset(&rec);
    /* another sentence: the condition does not carry over */
    const char *t3 = "组织执法人员培训班2期。参训人员130人。";
    assert_int_equal(lxm_facts_extract(f, t3, strlen(t3), 0, &rec), 2);
    assert_string_equal(rec.facts[1].key, "study.attendance");
    lxm_record_reset(&rec);
    lxm_facts_destroy(&f);
    lxm_rules_destroy(&r);
    /* a malformed condition is refused with the line */
    static const char bad_rules[] = "study.attendance<  人  参训\n";
    lxm_rules_t *bad = lxm_rules_load(bad_rules, strlen(bad_rules), &error);
    assert_null(bad);
    assert_non_null(error);
    free(error);
}

/* @back rows: a rate whose own stretch only reaches ("达到#") takes the key the rows
 * find in the previous clause of its sentence. Rules written for this test. */
static void test_back_rows(void **state)
{
    (void) state;
    static const char rules[] = "satisfaction.rate  %  满意度[^#]*#\n"
                                "@back  %  ^(?:达到|达|为|提高到|提升至)#$\n";
    char *error = NULL;
    lxm_rules_t *r = lxm_rules_load(rules, strlen(rules), &error);
    assert_non_null(r);
    lxm_facts_t *f = lxm_facts_new(r);
    lxm_record_t rec = {0};
    const char *t1 = "群众对执法工作的满意度稳步提升，达到96.8%。";
    assert_int_equal(lxm_facts_extract(f, t1, strlen(t1), 0, &rec), 1);
    assert_string_equal(rec.facts[0].key, "satisfaction.rate");
    assert_string_equal(rec.facts[0].text, "达到96.8%"); /* the fact's own clause */
    lxm_record_reset(&rec);
    const char *t2 = "各项工作稳步提升，达到96.8%。";
    assert_int_equal(lxm_facts_extract(f, t2, strlen(t2), 0, &rec), 1);
    assert_null(rec.facts[0].key);
    lxm_record_reset(&rec);
    const char *t3 = "群众满意度稳步提升。达到96.8%。"; /* another sentence */
    assert_int_equal(lxm_facts_extract(f, t3, strlen(t3), 0, &rec), 1);
    assert_null(rec.facts[0].key);
    lxm_record_reset(&rec);
    lxm_facts_destroy(&f);
    lxm_rules_destroy(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seeds_against_gold),
        cmocka_unit_test(test_keys_per_indicator),
        cmocka_unit_test(test_extra_sentences),
        cmocka_unit_test(test_digest),
        cmocka_unit_test(test_long_line_bounded),
        cmocka_unit_test(test_after_rows),
        cmocka_unit_test(test_back_rows),
    };
    return cmocka_run_group_tests(tests, s_setup, s_teardown);
}
