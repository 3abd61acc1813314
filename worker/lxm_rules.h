/* lxm_rules: the indicator rules file compiled for the fact scanner (internal to worker/).
 *
 * The format is documented at the top of data/indicators.rules. Two kinds of rows:
 *  - key rows, tried in file order (specific before general; the first that fits wins)
 *    on a short window around one fact (KEY<AFTER rows only right after a fact keyed
 *    AFTER in the same sentence): the local clause with the quantity replaced by
 *    '#' ("聘请#人大代表、群众代表担任行政执法监督员");
 *  - @nofact rows, matched anchored at the number inside the original text (lookbehind
 *    sees what precedes it): a match means the number is part of an idiom or a name;
 *  - @same rows, matched on the window of a fact no key row fits: a match means the fact
 *    continues the previous one of the same sentence and unit (受理79件 after 复议申请86件);
 *  - @back rows, matched there too: a match means the fact's noun is in the previous
 *    clause of the sentence (满意度较上年提高2.5个百分点，达到96.8%).
 *
 * Promises: lxm_rules_t (lxm_facts.h) is read-only after lxm_rules_load and may be shared
 * by threads; each thread passes its own match data (lxm_rules_match_data). Subjects
 * must be valid UTF-8 (the caller sanitises them); nothing here crashes on any window. */
#ifndef LXM_RULES_H
#define LXM_RULES_H
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdbool.h>
#include <stddef.h>
#include "lxm_facts.h"

/* The measure words of SPEC and "%" (a rule's unit set is a bit mask of these ids). */
typedef enum {
    LXM_U_PERCENT, /* % */
    LXM_U_CHANGCI, /* 场次 */
    LXM_U_RENCI, /* 人次 */
    LXM_U_CI, /* 次 */
    LXM_U_CHANG, /* 场 */
    LXM_U_MING, /* 名 */
    LXM_U_REN, /* 人 */
    LXM_U_WEI, /* 位 */
    LXM_U_FEN, /* 份 */
    LXM_U_CE, /* 册 */
    LXM_U_JIAN, /* 件 */
    LXM_U_QI, /* 起 */
    LXM_U_TIAO, /* 条 */
    LXM_U_GE, /* 个 */
    LXM_U_XIANG, /* 项 */
    LXM_U_QIHAO, /* 期 */
    LXM_U_PIAN, /* 篇 */
    LXM_U_SOU, /* 艘 */
    LXM_U_TANG, /* 堂 */
    LXM_U_HU, /* 户 */
    LXM_U_JIA, /* 家 */
    LXM_U_SUO, /* 所 */
    LXM_U_CHU, /* 处 */
    LXM_U_PI, /* 批 */
    LXM_U_ZHANG, /* 张 */
    LXM_U_BEN, /* 本 */
    LXM_U_TAO, /* 套 */
    LXM_U_TAI, /* 台 */
    LXM_U_YUAN, /* 元 */
    LXM_UNITS_N
} lxm_unit_id_t;
extern const char *const lxm_units[LXM_UNITS_N]; /* id -> the unit as SPEC writes it */
/* Unit id of UNIT ("人次", "%"), or -1 when it is not one of lxm_units. */
int lxm_unit_id(const char *unit);

/* Match data big enough for every rule; the caller frees it with pcre2_match_data_free. */
pcre2_match_data *lxm_rules_match_data(const lxm_rules_t *self);

/* Key of the first key row whose unit set holds UNIT_ID and whose pattern matches WINDOW
 * (and whose negative pattern, if any, does not). NULL when none fits. The string is
 * owned by SELF. */
const char *lxm_rules_key(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                          size_t len, int unit_id);

/* The same, knowing the key of the previous fact of the sentence (NULL: none, or no
 * key): rows written KEY<AFTER ("enforcement.trainees<enforcement.training_sessions")
 * apply only when PREV_KEY is AFTER (参训人员1300余人 right after 培训班2期); other rows
 * as above. */
const char *lxm_rules_key_after(const lxm_rules_t *self, pcre2_match_data *md,
                                const char *window, size_t len, int unit_id,
                                const char *prev_key);

/* True when an @same row for UNIT_ID matches WINDOW (the fact's stretch of clause with the
 * quantity as '#'): the fact continues the previous one and takes its key. */
bool lxm_rules_same(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                    size_t len, int unit_id);

/* True when an @back row for UNIT_ID matches WINDOW (the fact's own stretch with '#',
 * when no key row fits it: "达到#"): the noun it measures is in the previous clause of
 * the sentence, and the key rows are tried again on that clause and the stretch. */
bool lxm_rules_back(const lxm_rules_t *self, pcre2_match_data *md, const char *window,
                    size_t len, int unit_id);
/* True when the rules hold @back rows at all. */
bool lxm_rules_has_back(const lxm_rules_t *self);

/* True when an @nofact row for UNIT_ID matches SUBJECT anchored at byte OFFSET (the number). */
bool lxm_rules_veto(const lxm_rules_t *self, pcre2_match_data *md, const char *subject,
                    size_t len, size_t offset, int unit_id);

/* How many key rows carry a prefilter: sets of characters, read from the pattern at load
 * time, one of each set being in every match, so a window holding none of a set skips the
 * row's regex. It never changes a result, only how many regexes run. */
size_t lxm_rules_prefiltered(const lxm_rules_t *self);
/* Turns the prefilter off (ON false) or back on, to compare both ways in tests. Call it
 * before the rules are shared between threads. */
void lxm_rules_set_prefilter(lxm_rules_t *self, bool on);

/* How many key rows and @nofact rows were loaded. */
size_t lxm_rules_count(const lxm_rules_t *self, size_t *vetoes);

#endif
