/* lxm_gen_phrases: the generator's own phrase tables, written for this project in the
 * register of 法治政府建设年度报告 (see lxm_gen_phrases.h for the placeholders). */
#include "lxm_gen_phrases.h"

/* Several phrasings per indicator, the way reports state them. The number sits between
 * BEFORE and AFTER; BEFORE never holds a separator or another number. */
const lxm_gen_fact_t lxm_gen_facts[] = {
    /* study.sessions */
    {"study.sessions", "开展党委理论学习中心组集中学法", "次", 2, 16, LXM_GF_COUNT, ""},
    {"study.sessions", "组织专题学法", "次", 3, 30, LXM_GF_COUNT, ""},
    {"study.sessions", "开展会前学法", "次", 4, 40, LXM_GF_COUNT, ""},
    {"study.sessions", "班子成员带头讲授法治党课", "堂 次", 1, 15, LXM_GF_COUNT, ""},
    {"study.sessions", "为机关干部举办法治专题讲座", "场 次", 1, 12, LXM_GF_COUNT, ""},
    {"study.sessions", "领导班子集体学法", "次", 2, 20, LXM_GF_COUNT, ""},
    {"study.sessions", "组织中心组专题学习研讨", "次", 2, 12, LXM_GF_COUNT, ""},
    {"study.sessions", "主要负责人带头讲授法治课", "次 堂", 1, 6, LXM_GF_COUNT, ""},
    /* study.attendance */
    {"study.attendance", "参学人员达", "人次", 40, 900, LXM_GF_COUNT, ""},
    {"study.attendance", "参加学法的干部职工累计", "人次", 30, 800, LXM_GF_COUNT, ""},
    {"study.attendance", "组织", "名", 20, 400, LXM_GF_COUNT, "干部职工参加年度法治理论考试"},
    {"study.attendance", "参加网上学法考试的干部", "人 名", 15, 300, LXM_GF_COUNT, ""},
    {"study.attendance", "旁听庭审的领导干部", "人次", 10, 200, LXM_GF_COUNT, ""},
    /* exam.pass_rate */
    {"exam.pass_rate", "考试合格率达", "%", 90, 100, LXM_GF_PCT, ""},
    {"exam.pass_rate", "学法考试通过率为", "%", 90, 100, LXM_GF_PCT, ""},
    {"exam.pass_rate", "年度法治考试参考率和合格率均达", "%", 95, 100, LXM_GF_PCT, ""},
    /* publicity.events */
    {"publicity.events", "开展普法宣传活动", "场 场次 次", 4, 60, LXM_GF_COUNT, ""},
    {"publicity.events", "进村入户开展法治宣讲", "次 场", 5, 80, LXM_GF_COUNT, ""},
    {"publicity.events", "开展“法律进乡村”宣传活动", "场次 场", 3, 40, LXM_GF_COUNT, ""},
    {"publicity.events", "举办法治宣传进校园活动", "场", 2, 20, LXM_GF_COUNT, ""},
    {"publicity.events", "结合赶集日开展集中普法", "次", 3, 30, LXM_GF_COUNT, ""},
    /* publicity.audience */
    {"publicity.audience", "覆盖干部群众", "人次", 300, 30000, LXM_GF_BIG, ""},
    {"publicity.audience", "受众达", "人 人次", 200, 20000, LXM_GF_BIG, ""},
    {"publicity.audience", "惠及辖区群众", "人次", 500, 40000, LXM_GF_BIG, ""},
    {"publicity.audience", "接受法治教育的群众达", "人次", 300, 9000, LXM_GF_BIG, ""},
    /* publicity.materials */
    {"publicity.materials", "发放宣传资料", "份", 200, 20000, LXM_GF_BIG, ""},
    {"publicity.materials", "发放普法宣传手册", "册 本 份", 100, 6000, LXM_GF_BIG, ""},
    {"publicity.materials", "向群众发放法律明白纸", "份 张", 200, 9000, LXM_GF_BIG, ""},
    /* publicity.banners */
    {"publicity.banners", "悬挂宣传横幅", "条", 4, 60, LXM_GF_COUNT, ""},
    {"publicity.banners", "张贴普法标语", "条 张", 10, 200, LXM_GF_COUNT, ""},
    {"publicity.banners", "制作法治宣传横幅", "条", 3, 40, LXM_GF_COUNT, ""},
    /* counsel.count */
    {"counsel.count", "聘请法律顾问", "名 位", 1, 6, LXM_GF_COUNT, ""},
    {"counsel.count", "常年聘请", "名", 1, 5, LXM_GF_COUNT, "专业律师担任法律顾问"},
    {"counsel.count", "聘任专职法律顾问", "名", 1, 4, LXM_GF_COUNT, ""},
    /* review.contracts */
    {"review.contracts", "审查各类合同", "件 份", 5, 600, LXM_GF_COUNT, ""},
    {"review.contracts", "对政府合同开展合法性审查", "件", 3, 120, LXM_GF_COUNT, ""},
    {"review.contracts", "村级合同合法性审查", "件 份", 10, 700, LXM_GF_COUNT, ""},
    {"review.contracts", "审核政府合同", "份 件", 2, 90, LXM_GF_COUNT, ""},
    /* review.decisions */
    {"review.decisions", "审核重大行政决策事项", "项 件", 1, 12, LXM_GF_COUNT, ""},
    {"review.decisions", "开展重大决策合法性审查", "次 项", 1, 15, LXM_GF_COUNT, ""},
    {"review.decisions", "报备重大行政决策", "项", 1, 8, LXM_GF_COUNT, ""},
    /* review.normative_docs */
    {"review.normative_docs", "备案规范性文件", "件 份", 1, 20, LXM_GF_COUNT, ""},
    {"review.normative_docs", "审查行政规范性文件", "件", 1, 30, LXM_GF_COUNT, ""},
    {"review.normative_docs", "清理规范性文件", "件 份", 2, 40, LXM_GF_COUNT, ""},
    /* review.coverage_rate */
    {"review.coverage_rate", "合法性审查覆盖率达", "%", 95, 100, LXM_GF_PCT, ""},
    {"review.coverage_rate", "合法性审查率保持", "%", 98, 100, LXM_GF_PCT, ""},
    /* enforcement.training_sessions */
    {"enforcement.training_sessions", "举办行政执法培训班", "期", 1, 10, LXM_GF_COUNT, ""},
    {"enforcement.training_sessions", "开展执法人员业务培训", "期 场 次", 2, 16, LXM_GF_COUNT, ""},
    {"enforcement.training_sessions", "组织执法业务轮训", "期", 1, 8, LXM_GF_COUNT, ""},
    /* enforcement.trainees */
    {"enforcement.trainees", "培训执法人员", "人次 名", 10, 400, LXM_GF_COUNT, ""},
    {"enforcement.trainees", "参训执法人员达", "人次", 10, 300, LXM_GF_COUNT, ""},
    {"enforcement.trainees", "累计轮训一线执法人员", "人次 人", 10, 260, LXM_GF_COUNT, ""},
    /* enforcement.case_reviews */
    {"enforcement.case_reviews", "检查行政执法案件", "件", 3, 80, LXM_GF_COUNT, ""},
    {"enforcement.case_reviews", "评查行政执法案卷", "份 件", 5, 120, LXM_GF_COUNT, ""},
    {"enforcement.case_reviews", "抽查执法案卷", "份 件", 3, 60, LXM_GF_COUNT, ""},
    /* supervision.inspections */
    {"supervision.inspections", "开展监督检查", "次", 2, 20, LXM_GF_COUNT, ""},
    {"supervision.inspections", "组织开展法治督察", "次", 1, 8, LXM_GF_COUNT, ""},
    {"supervision.inspections", "开展依法行政专项督查", "次", 1, 10, LXM_GF_COUNT, ""},
    /* supervision.issues_fixed */
    {"supervision.issues_fixed", "发现整改问题", "个 项 条", 2, 40, LXM_GF_COUNT, ""},
    {"supervision.issues_fixed", "督促整改执法问题", "个 项", 1, 30, LXM_GF_COUNT, ""},
    {"supervision.issues_fixed", "对发现的", "个", 1, 20, LXM_GF_COUNT, "问题全部整改到位"},
    /* supervision.fix_rate */
    {"supervision.fix_rate", "问题整改率达", "%", 90, 100, LXM_GF_PCT, ""},
    {"supervision.fix_rate", "督察发现问题整改率为", "%", 95, 100, LXM_GF_PCT, ""},
    /* supervision.monitors */
    {"supervision.monitors", "聘请行政执法监督员", "名 位", 3, 30, LXM_GF_COUNT, ""},
    {"supervision.monitors", "选聘", "名", 3, 20, LXM_GF_COUNT, "群众代表担任特邀行政执法监督员"},
    /* disputes.screened */
    {"disputes.screened", "排查矛盾纠纷", "起 件", 20, 900, LXM_GF_COUNT, ""},
    {"disputes.screened", "调处各类矛盾纠纷", "起 件", 10, 600, LXM_GF_COUNT, ""},
    {"disputes.screened", "受理调解矛盾纠纷", "件 起", 10, 500, LXM_GF_COUNT, ""},
    /* disputes.resolution_rate */
    {"disputes.resolution_rate", "化解率达", "%", 90, 100, LXM_GF_PCT, ""},
    {"disputes.resolution_rate", "调解成功率达", "%", 90, 100, LXM_GF_PCT, ""},
    {"disputes.resolution_rate", "矛盾纠纷调处成功率为", "%", 92, 100, LXM_GF_PCT, ""},
    /* litigation.cases */
    {"litigation.cases", "办理行政应诉案件", "件 起", 1, 12, LXM_GF_COUNT, ""},
    {"litigation.cases", "发生行政诉讼案件", "件 起", 1, 9, LXM_GF_COUNT, ""},
    /* litigation.appearance_rate */
    {"litigation.appearance_rate", "行政机关负责人出庭应诉率达", "%", 100, 100, LXM_GF_PCT, ""},
    {"litigation.appearance_rate", "党政负责人出庭应诉率保持", "%", 100, 100, LXM_GF_PCT, ""},
    /* reconsideration.cases */
    {"reconsideration.cases", "办理行政复议案件", "件 起", 1, 10, LXM_GF_COUNT, ""},
    {"reconsideration.cases", "收到行政复议申请", "件", 1, 8, LXM_GF_COUNT, ""},
    /* legal_aid.consultations */
    {"legal_aid.consultations", "提供法律咨询", "件 次 人次", 20, 900, LXM_GF_COUNT, ""},
    {"legal_aid.consultations", "解答群众法律咨询", "人次 次", 30, 800, LXM_GF_COUNT, ""},
    {"legal_aid.consultations", "法律顾问接待群众咨询", "人次 件", 20, 500, LXM_GF_COUNT, ""},
    /* petitions.cases */
    {"petitions.cases", "受理群众信访举报", "件", 5, 200, LXM_GF_COUNT, ""},
    {"petitions.cases", "办理信访事项", "件 起", 5, 160, LXM_GF_COUNT, ""},
    /* proposals.handled */
    {"proposals.handled", "办理人大代表建议", "件", 2, 80, LXM_GF_COUNT, ""},
    {"proposals.handled", "承办人大代表建议和政协委员提案", "件", 3, 90, LXM_GF_COUNT, ""},
    /* disclosure.items */
    {"disclosure.items", "主动公开政府信息", "条", 20, 900, LXM_GF_COUNT, ""},
    {"disclosure.items", "通过政务公开栏公开信息", "条", 10, 400, LXM_GF_COUNT, ""},
    {"disclosure.items", "在门户网站发布政务信息", "条", 30, 1200, LXM_GF_COUNT, ""},
    /* disclosure.requests */
    {"disclosure.requests", "答复政府信息公开申请", "件", 1, 30, LXM_GF_COUNT, ""},
    {"disclosure.requests", "受理依申请公开", "件", 1, 20, LXM_GF_COUNT, ""},
    /* meetings.count */
    {"meetings.count", "召开法治建设领导小组会议", "次", 2, 8, LXM_GF_COUNT, ""},
    {"meetings.count", "召开党委会专题研究法治建设工作", "次", 2, 10, LXM_GF_COUNT, ""},
    {"meetings.count", "召开法治政府建设推进会", "次", 1, 6, LXM_GF_COUNT, ""},
    {"meetings.count", "主持召开依法治理专题会议", "次", 1, 8, LXM_GF_COUNT, ""},
    /* satisfaction.rate */
    {"satisfaction.rate", "群众满意度达", "%", 90, 100, LXM_GF_PCT, ""},
    {"satisfaction.rate", "办结率和满意率均达", "%", 95, 100, LXM_GF_PCT, ""},
    {"satisfaction.rate", "按期办结率为", "%", 95, 100, LXM_GF_PCT, ""},
    /* quantities no key of the table fits */
    {"", "撰写学习心得", "篇", 5, 60, LXM_GF_COUNT, ""},
    {"", "建成法治文化阵地", "处 个", 1, 12, LXM_GF_COUNT, ""},
    {"", "创建民主法治示范村", "个", 1, 9, LXM_GF_COUNT, ""},
    {"", "走访辖区企业", "家", 5, 120, LXM_GF_COUNT, ""},
    {"", "修订完善内部管理制度", "项", 2, 20, LXM_GF_COUNT, ""},
    {"", "建设法治长廊", "处 个", 1, 6, LXM_GF_COUNT, ""},
    {"", "拆除违法建筑", "处", 3, 90, LXM_GF_COUNT, ""},
    {"", "培育法律明白人", "名", 10, 300, LXM_GF_COUNT, ""},
    {"", "走访困难农户", "户", 10, 400, LXM_GF_COUNT, ""},
    {"", "投入法治建设经费", "元", 2, 80, LXM_GF_MONEY, ""},
    {"", "配齐执法记录仪", "台 套", 2, 40, LXM_GF_COUNT, ""},
    {"", "处置涉渔“三无”船舶", "艘", 3, 120, LXM_GF_COUNT, ""},
    /* more ways to state the rates and the rarer counts */
    {"disclosure.requests", "办理政府信息公开申请", "件", 1, 25, LXM_GF_COUNT, ""},
    {"litigation.appearance_rate", "负责人出庭应诉率为", "%", 100, 100, LXM_GF_PCT, ""},
    {"review.coverage_rate", "规范性文件合法性审核率达", "%", 100, 100, LXM_GF_PCT, ""},
    {"supervision.fix_rate", "反馈问题整改完成率达", "%", 92, 100, LXM_GF_PCT, ""},
    {"supervision.monitors", "聘任特邀行政执法监督员", "名", 3, 25, LXM_GF_COUNT, ""},
    {"exam.pass_rate", "干部学法考试及格率为", "%", 92, 100, LXM_GF_PCT, ""},
    {"satisfaction.rate", "群众满意率达到", "%", 90, 100, LXM_GF_PCT, ""},
    {"disputes.resolution_rate", "纠纷化解成功率为", "%", 90, 100, LXM_GF_PCT, ""},
    /* the noun after the number: the key is told by what follows the measure word */
    {"study.sessions", "组织开展", "次", 2, 20, LXM_GF_COUNT, "专题学法活动"},
    {"study.attendance", "共有", "名", 20, 300, LXM_GF_COUNT, "机关干部参加旁听庭审和学法考试"},
    {"publicity.events", "组织开展", "场 场次", 3, 50, LXM_GF_COUNT, "普法宣传活动"},
    {"publicity.materials", "发放", "份", 200, 9000, LXM_GF_COUNT, "法治宣传资料"},
    {"publicity.banners", "悬挂", "条", 3, 50, LXM_GF_COUNT, "普法宣传横幅"},
    {"counsel.count", "聘请", "名", 1, 5, LXM_GF_COUNT, "专业法律顾问"},
    {"review.contracts", "审查", "份 件", 3, 300, LXM_GF_COUNT, "政府合同"},
    {"review.normative_docs", "报送备案", "件", 1, 15, LXM_GF_COUNT, "规范性文件"},
    {"supervision.inspections", "开展", "次", 2, 15, LXM_GF_COUNT, "行政执法监督检查"},
    {"disputes.screened", "排查化解", "起", 10, 600, LXM_GF_COUNT, "矛盾纠纷"},
    {"meetings.count", "召开", "次", 2, 8, LXM_GF_COUNT, "法治建设领导小组会议"},
    {"enforcement.training_sessions", "举办", "期", 1, 8, LXM_GF_COUNT, "行政执法人员培训班"},
    {"enforcement.trainees", "培训", "名", 10, 200, LXM_GF_COUNT, "行政执法人员"},
    {"disclosure.items", "公开", "条", 20, 800, LXM_GF_COUNT, "政府信息"},
    {"proposals.handled", "办理", "件", 2, 60, LXM_GF_COUNT, "人大代表建议和政协委员提案"},
    {"petitions.cases", "受理", "件", 5, 150, LXM_GF_COUNT, "群众来信来访"},
    {"legal_aid.consultations", "提供", "次 人次", 20, 600, LXM_GF_COUNT, "免费法律咨询"},
    {"reconsideration.cases", "收到", "件", 1, 8, LXM_GF_COUNT, "行政复议申请"},
    {"litigation.cases", "应诉", "件", 1, 10, LXM_GF_COUNT, "行政诉讼案件"},
    {"", "通过执法资格考试", "人", 2, 40, LXM_GF_COUNT, ""},
    {"", "观看庭审直播", "次", 1, 6, LXM_GF_COUNT, ""},
    {"", "结对帮扶", "户", 2, 60, LXM_GF_COUNT, "困难群众家庭"},
    /* year-on-year changes: keyless, written right after the quantity they qualify */
    {"~trend", "同比增长", "%", 3, 40, LXM_GF_PCT, ""},
    {"~trend", "同比下降", "%", 2, 30, LXM_GF_PCT, ""},
    {"~trend", "较上年提高", "个", 1, 9, LXM_GF_PLAIN, "百分点"},
};
const size_t lxm_gen_n_facts = sizeof lxm_gen_facts / sizeof lxm_gen_facts[0];

const lxm_gen_topic_t lxm_gen_topics[] = {
    {{"强化理论武装，深入学习贯彻习近平法治思想", "抓实学法用法，提升干部法治素养",
      "坚持领导带头，推动学法常态化", NULL},
     {"坚持把学习贯彻习近平法治思想作为首要政治任务", "落实领导干部应知应会法律法规清单制度",
      "深化“学法+考试+旁听”长效机制", "将法治内容纳入干部教育培训计划",
      "推动学法用法入脑入心", "持续完善会前学法制度", NULL},
     {"study.sessions", "study.sessions", "study.attendance", "exam.pass_rate", "", NULL}},
    {{"深化法治宣传，营造尊法学法守法用法氛围", "创新普法形式，推进全民普法走深走实",
      "聚焦重点人群，精准开展普法宣传", NULL},
     {"落实“谁执法谁普法”普法责任制", "利用传统节日和赶集日等节点开展宣传",
      "通过院坝会和新媒体平台等方式讲好法治故事", "推动法治文化阵地提档升级",
      "群众法治意识明显增强", "以青少年和外来务工人员为重点", NULL},
     {"publicity.events", "publicity.audience", "publicity.materials", "publicity.banners",
      "", NULL}},
    {{"健全依法决策机制，提升决策规范化水平", "严格合法性审查，防范行政决策风险",
      "发挥法律顾问作用，夯实依法决策基础", NULL},
     {"严格落实重大行政决策法定程序", "坚持集体讨论决定", "广泛听取群众意见",
      "建立健全合法性审查工作台账", "确保行政决策合法合规", "未经合法性审查的不得提交讨论",
      NULL},
     {"counsel.count", "review.contracts", "review.decisions", "review.normative_docs",
      "review.coverage_rate", NULL}},
    {{"坚持严格规范公正文明执法", "加强执法队伍建设，提升执法能力水平",
      "规范执法行为，落实执法“三项制度”", NULL},
     {"全面落实行政执法公示制度", "推行执法全过程记录", "严格执行重大执法决定法制审核制度",
      "持续开展执法人员持证上岗清理", "提高了执法人员的业务素质", "推动执法规范化建设",
      NULL},
     {"enforcement.training_sessions", "enforcement.trainees", "enforcement.case_reviews", "",
      NULL}},
    {{"强化行政权力制约监督", "健全监督体系，确保权力规范运行", "深化执法监督，压实整改责任",
      NULL},
     {"自觉接受人大监督和政协民主监督", "主动接受社会和舆论监督", "建立问题整改台账",
      "实行销号管理", "推动监督检查常态化", NULL},
     {"supervision.inspections", "supervision.issues_fixed", "supervision.fix_rate",
      "supervision.monitors", "proposals.handled", NULL}},
    {{"坚持和发展新时代“枫桥经验”，依法化解矛盾纠纷", "健全多元化解机制，维护社会和谐稳定",
      "完善公共法律服务体系", NULL},
     {"整合综治中心和司法所等力量", "推动矛盾纠纷就地化解", "实现小事不出村、大事不出镇",
      "落实一村一法律顾问制度", "打通服务群众最后一公里", "建立快速反应快接快调机制", NULL},
     {"disputes.screened", "disputes.resolution_rate", "legal_aid.consultations",
      "petitions.cases", "", NULL}},
    {{"依法有效化解行政争议", "规范行政复议和应诉工作", NULL},
     {"落实行政机关负责人出庭应诉制度", "加强行政复议宣传", "认真履行人民法院生效裁判",
      "推动行政争议实质性化解", NULL},
     {"litigation.cases", "litigation.appearance_rate", "reconsideration.cases", NULL}},
    {{"深化政务公开，推进阳光政府建设", "提升政务服务水平，优化法治化营商环境", NULL},
     {"坚持以公开为常态、不公开为例外", "及时回应群众关切", "持续优化审批流程",
      "压缩审批时限", "推行政务服务“好差评”制度", NULL},
     {"disclosure.items", "disclosure.requests", "satisfaction.rate", "petitions.cases", NULL}},
};
const size_t lxm_gen_n_topics = sizeof lxm_gen_topics / sizeof lxm_gen_topics[0];

const char *const lxm_gen_h_measures[] = {
    "{Y}年推进法治政府建设的主要举措和成效", "主要举措与成效", "主要工作举措及成效",
    "{Y}年度法治政府建设工作开展情况及成效", "推进法治政府建设的主要举措和成效",
    "工作开展情况及取得的成效", NULL};
const char *const lxm_gen_h_themed[] = {
    "依法全面履行政府职能", "加强法治政府建设，提升依法行政水平",
    "持续优化法治化营商环境", "推进基层依法治理", "强化法治保障，服务中心大局", NULL};
const char *const lxm_gen_h_shortcomings[] = {
    "存在的不足和原因", "{Y}年推进法治政府建设存在的不足和原因", "存在的问题及原因分析",
    "存在不足和原因", "工作中存在的主要问题", NULL};
const char *const lxm_gen_h_leadership[] = {
    "党政主要负责人履行推进法治建设第一责任人职责情况",
    "党政主要负责人履行法治建设第一责任人职责的情况",
    "党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",
    "主要负责人履行法治建设第一责任人职责情况", NULL};
const char *const lxm_gen_h_plan[] = {
    "{N}年推进法治政府建设的主要安排", "下一步工作打算", "下一年度工作思路和重点",
    "{N}年工作计划", "下一步工作安排", NULL};
const char *const lxm_gen_h_plan_bare[] = {
    "{N}年工作安排", "{N}年工作打算", "下一步工作计划", NULL};
const char *const lxm_gen_h_other[] = {
    "其他需要报告的情况", "其他需要说明的事项", NULL};

const char *const lxm_gen_openers[] = {
    "{Y}年，{U}在{P}委、{P}政府的坚强领导下，坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想",
    "{Y}年以来，{U}深入贯彻落实中央和省市关于法治政府建设的决策部署，紧紧围绕法治政府建设目标任务",
    "{Y}年，{U}认真贯彻落实《法治政府建设实施纲要》，坚持依法行政，全面推进法治政府建设",
    "今年以来，{U}在{P}委、{P}政府的正确领导下，以习近平法治思想为引领",
    NULL};
/* Openers that name the county the unit belongs to ({C}): only for units whose county
 * may be named (never for an ambiguous town). */
const char *const lxm_gen_openers_named[] = {
    "{Y}年，在{C}委、{P}政府的坚强领导下，{U}坚持以习近平法治思想为指导",
    "{Y}年，{U}在{C}委、{C}政府的正确领导下，认真落实法治政府建设各项任务",
    NULL};
const char *const lxm_gen_closers[] = {
    "现将有关情况报告如下：", "现将{Y}年度法治政府建设工作情况报告如下：",
    "现将全年工作情况报告如下：", "现将具体情况报告如下：", NULL};

/* SPEC's non-facts: years and dates, ordinals, quoted slogans, codes, phone numbers,
 * idioms. Each clause stands alone between separators. */
const char *const lxm_gen_nonfacts[] = {
    "全面贯彻党的二十大和二十届三中全会精神",
    "以第五轮巡察整改为契机",
    "紧扣{P}委“1116”总体工作思路",
    "用好“四个结合”工作方法",
    "落实“三十六条”工作举措",
    "自觉做到“两个维护”",
    "依托“1+3+N”网格力量",
    "构建1+3+N网格化服务体系",
    "确保不漏一人",
    "培育了一批法治带头人",
    "打造了一批法治文化示范点",
    "公布公共法律服务热线12348",
    "在“12.4”国家宪法日期间集中开展宣传",
    "利用6.26国际禁毒日开展主题活动",
    "在第3次全体会议上专题部署",
    "入选第二批省级民主法治示范村",
    "扎实推进“八五”普法验收",
    "对照《{Y}年法治政府建设工作要点》逐项落实",
    "于{Y}年3月印发年度工作方案",
    "坚持“七个一”工作法",
    "近3年来持续推进基层依法治理",
    "于6月26日前后集中开展禁毒宣传",
    "落实“1+X”法律服务模式",
    "公布法律服务联系电话138****6601",
    NULL};

const char *const lxm_gen_short_items[] = {
    "部分干部法治意识有待进一步增强",
    "运用法治思维和法治方式解决问题的能力还不够强",
    "行政执法队伍专业素养有待提升",
    "普法宣传形式较为单一",
    "基层法治力量相对薄弱",
    "行政争议前端化解机制还不够健全",
    "合法性审查工作的规范化水平有待提高",
    "执法程序还不够严谨",
    "法治宣传的针对性和实效性有待加强",
    NULL};
const char *const lxm_gen_short_causes[] = {
    "针对干部的法治培训缺乏系统性",
    "基层专业法律人才不足",
    "对法治建设重要性的认识还不够到位",
    "考核督导机制还需完善",
    "普法资源整合不够充分",
    NULL};

const char *const lxm_gen_lead_headings[] = {
    "带头学习法治理论", "健全法治建设领导体制", "完善法治建设考核机制",
    "压实法治建设第一责任", NULL};
const char *const lxm_gen_lead_fillers[] = {
    "将法治建设纳入年度工作要点", "对法治建设重要工作亲自部署",
    "重大问题亲自过问", "重点环节亲自协调", "将法治建设成效纳入年度综合考核",
    "形成党委统一领导、党政齐抓共管的工作格局", "定期听取法治建设工作汇报",
    "严格落实述法制度", NULL};
const char *const lxm_gen_lead_titles[] = {
    "党委书记", "{S}长", "党委副书记", NULL};

const char *const lxm_gen_plan_items[] = {
    "持续深入学习贯彻习近平法治思想", "进一步提升干部依法行政能力",
    "加强行政执法队伍建设", "深化普法宣传教育", "健全矛盾纠纷多元化解机制",
    "严格落实重大行政决策程序", "推进政务公开标准化规范化", "强化法治建设考核督导",
    NULL};
const char *const lxm_gen_other_items[] = {
    "本年度未发生因违法行政被追责的情形", "法治政府建设年度报告按要求向社会公开",
    NULL};

const char *const lxm_gen_surnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱",
    "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯",
    "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋", "蔡", "杜", "叶", "程",
    "魏", "苏", "吕", "丁", "沈", "任", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪",
    NULL};
const char *const lxm_gen_given[] = {
    "建", "国", "立", "春", "明", "华", "伟", "军", "平", "志", "强", "海", "文", "红",
    "丽", "芳", "敏", "静", "磊", "洋", "勇", "杰", "涛", "斌", "波", "辉", "刚", "峰",
    "霞", "燕", "玲", "秀", "英", "德", "荣", "祥", "宏", "俊", "凯", "鹏", "宇", "晨",
    "欣", "颖", "佳", "婷", "雪", "梅", "兰", "亮", "超", "鑫", NULL};

const char *const lxm_gen_departments[] = {
    "司法局", "市场监督管理局", "自然资源局", "交通运输局", "应急管理局",
    "人力资源和社会保障局", "住房和城乡建设局", "农业农村局", "教育局", "民政局",
    "卫生健康局", "文化和旅游局", NULL};

size_t lxm_gen_count(const char *const *list)
{
    size_t n = 0;
    while (list[n])
        n++;
    return n;
}
