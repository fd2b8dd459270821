"""The Word appendix's standard sentences (问卷调查分析报告, METHOD.md §5), and the exports' fixed texts.

Every sentence the appendix prints is a template here; ``reports/`` only fills them in
from the summary.  Placeholders are str.format fields; ``{pct}`` values are already
formatted with two decimals.  Section by section, in the order the appendix prints them.
"""

from __future__ import annotations

from ..domain.vocabulary import FlagAction, FlagCode

SUBJECT = "受益对象"
PROJECT_FALLBACK = "本项目"
TITLE = "{project}{subject}问卷调查分析报告"
TITLE_SUBTITLE = "{subject}问卷调查分析报告"
SECTION = "{number}、{title}"
DASH = "—"
NOT_GROUPED = "未分组"
OFF_FRAME_UNIT = "名单外单位（开放链接填写）"
OFF_FRAME_UNIT_SHORT = "名单外单位"
TOTAL = "合计"
YES, NO = "是", "否"

# 一、调查目的
PURPOSE = "调查目的"
PURPOSE_INTRO = ("调查的目的是辅助评价工作组更好地了解{project}的实施情况和{subject}的满意程度，"
                 "为本次绩效评价提供合理性支撑。本次调查主要了解以下几个方面：")
NUMBERED = "{i}. {text}"
INDICATOR_WEIGHT = "（分值{weight:g}分）"
PURPOSE_INDICATOR = "调查结果作为“{code}{name}”指标{weight}的评分依据。"

# 二、调查对象与范围
SCOPE = "调查对象与范围"
SCOPE_OPEN = "本次调查未设定单位名单，面向{project}的{subject}公开发放问卷。"
#: {population}: the report settings' 调查对象 (default counted from the unit list: "19家企业和10个专业镇").
SCOPE_UNITS = "本次调查对象为{project}的{population}"
SCOPE_POPULATION = "本次调查对象为{project}的{population}。"
SCOPE_COUNTIES = "，分布于{n}个县（市、区）"
SCOPE_TABLE = "。调查单位名单见表{table}。"
SCOPE_CAPTION = "调查单位名单"

# 三、调查内容
CONTENT = "调查内容"
CONTENT_PART = "{title}（{n}题）"
#: From the questionnaire's own parts; "问卷共N题" counts the questions respondents see numbered.
CONTENT_ONE_PART = "本次调查内容为{title}，问卷共{questions}题。"
CONTENT_PARTS = "本次调查内容包括{parts}{n}个部分，问卷共{questions}题。"
CONTENT_SCORED = "其中满意度计分题{n}道"
CONTENT_DIMENSIONS = "，分为{dimensions}{n}个维度"
CONTENT_OPEN = "；另设开放式问题{n}道{follow_ups}，收集{subject}的意见和建议"
CONTENT_FOLLOW_UPS = "（含不满意原因追问{n}道）"
CONTENT_TABLE = "。计分题见表{table}。"
CONTENT_CAPTION = "满意度调查内容"

# 四、问卷的发放和回收
COLLECTION = "问卷的发放和回收"
COLLECTION_ISSUE = "（一）发放与回收"
#: {platform}: the report settings' 发放方式 (default from where the answers came: links, 问卷星 import, paper).
COLLECTION_CHANNEL = "本次调查以{subject}为调查主体，{platform}"
COLLECTION_FULL_COVERAGE = "本次调查综合考虑调查对象规模，对名单内{n}个单位采取全覆盖发放策略。"
COLLECTION_QUOTA = "，要求每个单位至少回收{quota}份有效答卷，确保样本具备单位内部代表性"
COLLECTION_SOURCE = "{source}{n}份"
COLLECTION_TIMES = "答卷提交时间为{first}至{last}（北京时间）；回收的答卷中，{sources}。"
DATE = "{d.year}年{d.month}月{d.day}日"
DATE_TIME = "{d.year}年{d.month}月{d.day}日 {d:%H:%M}"
ISSUED_EXPLICIT = "发放问卷"
ISSUED_PLANNED = "计划发放问卷（各单位最少有效份数之和）"
COLLECTION_RATES = ("{issued_label}{issued}份，实际回收{returned}份，回收率为{return_rate}%；"
                    "有效问卷{valid}份，有效率为{valid_rate}%。{shortfall}")
#: Sample size: required (Cochran with finite-population correction, Yamane) vs achieved.
SAMPLE_SIZE = ("按总体规模N={population}（{source}）、95%置信水平、5%允许误差计算，Cochran公式（有限总体校正）"
               "所需样本量为{cochran}份，Yamane公式为{yamane}份；实际纳入统计{achieved}份，{cochran_met}Cochran要求，"
               "{yamane_met}Yamane要求。")
SAMPLE_SIZE_INFINITE = ("未设定总体规模，按Cochran公式（95%置信水平、5%允许误差、无限总体）所需样本量为{cochran}份；"
                        "实际纳入统计{achieved}份，{cochran_met}要求。")
SAMPLE_SIZE_SOURCE = {"setting": "评价设定", "quota": "各单位最少有效份数之和"}
SAMPLE_SIZE_MET = {True: "达到", False: "未达到"}
SHORTFALL_NONE = "全部{n}个单位均达到最少有效份数要求。"
SHORTFALL_UNIT = "{name}（有效{valid}份，差{short_by}份）"
SHORTFALL = "{met}个单位达到最少有效份数要求，{short}个单位未达到：{names}。"
UNIT_RETURNS_TABLE = "各单位问卷回收情况见表{table}。"
UNIT_RETURNS_CAPTION = "各单位问卷回收情况"
SCREENING = "（二）有效性审核"
SCREENING_INTRO = "答卷有效性按以下规则审核："
SCREENING_NONE = "未启用自动审核规则。"
FLAG_COUNT = "{label}{n}份"
SCREENING_FLAGGED = "经审核，存疑但保留的答卷{n}份"
SCREENING_FLAGS = "（{flags}）"
SCREENING_EXCLUDED = "；剔除无效答卷{n}份。"
SCREENING_NOTHING_EXCLUDED = "；本次调查未剔除答卷。"
#: The one 数据说明 line at the end of the report body (optional part ``data_note``).
DATA_NOTE = ("数据说明：本报告数据导出于{generated}（北京时间），所用数据的指纹（SHA-256）为{fingerprint}。"
             "纳入统计的答卷相同则指纹相同，可据此核对本报告与数据表是否出自同一批数据。")
EXCLUSIONS_TABLE = "剔除的答卷及其原因见表{table}。"
EXCLUSIONS_CAPTION = "剔除答卷明细"
EXCLUSIONS_SUMMED = ("剔除的{n}份答卷按原因汇总见表{table}；"
                     "逐份明细（答卷编号、单位、提交时间、原因）见数据表“原始数据”的状态及状态原因列。")
EXCLUSIONS_SUMMED_CAPTION = "剔除答卷原因汇总"

#: Validity rules in words, by rule code; then what happens to a response that fires.
VALIDITY_RULES = {
    FlagCode.MIN_DURATION: "答题用时少于{seconds}秒",
    FlagCode.STRAIGHT_LINE: "全部计分题（不少于{min_items}道）均选择同一选项",
    FlagCode.STRAIGHT_LINE_FAST: "全部计分题均选择同一选项且答题用时少于每题{seconds_per_item}秒",
    FlagCode.DUPLICATE_DEVICE: "同一设备在{window_minutes}分钟内重复提交答案完全相同的答卷",
    FlagCode.NOT_IN_FRAME: "答题单位不在调查单位名单中",
}
VALIDITY_ACTIONS = {FlagAction.FLAG: "标记为存疑，由评价人员逐份复核后决定是否剔除",
                    FlagAction.EXCLUDE: "直接认定为无效答卷并剔除",
                    FlagAction.NOTE: "仅在答卷上注明，不影响答卷有效性"}
VALIDITY_RULE = "{rule}的，{action}。"

#: Which responses the figures use (统计口径).
FILTER_LABEL = "统计口径：{text}"
FILTER_COUNTED = "有效答卷及存疑但未剔除的答卷"
FILTER_STATUSES = "{statuses}答卷"
FILTER_UNITS = "；仅包含选定的{n}个单位"
FILTER_UNIT_NAMES = "（{names}）"
FILTER_TIMES = "；提交时间{since}至{until}（北京时间）"
FILTER_UNBOUNDED = "不限"

# 五、调查结果及问卷分析
RESULTS = "调查结果及问卷分析"
RESULTS_INTRO = "本次调查共纳入统计答卷{n}份，调查结果及分析如下。"
RESULTS_SAMPLE = "样本结构"
RESULTS_SATISFACTION = "满意度调查结果"
SAMPLE_COUNTY_MISSING = "未填写"
SAMPLE_COUNTIES = "纳入统计的答卷按单位所在县（市、区）分布见表{table}。"
SAMPLE_COUNTIES_CAPTION = "答卷地区分布"


def question_heading(number: str | None, text: str) -> str:
    """A result's heading: the respondents' number ("3." or, for a matrix row, "2.1") and the text."""
    if not number:
        return text
    return f"{number} {text}" if "." in number else f"{number}. {text}"
NOT_COUNTED = "本题不计入满意度。"
NOT_SCORED_VALUE = "不计分"
SATISFACTION_ROW = "满意度（%）"
RESPONDENTS_ROW = "本题有效作答人数"
MENTIONS_ROW = "选择人次合计"
MULTIPLE_NOTE = "注：本题为多选题，比例 = 选择该选项的人数 ÷ 本题有效作答人数，各项比例之和可能超过100%。"

#: The standard sentence of a scored question (METHOD.md §5), one clause per option.
SENTENCE_NO_ANSWERS = "本题暂无有效作答，未能统计{subject}对{topic}的满意程度。"
SENTENCE_PREDICATE = "{pct}%的{subject}{about}{label}"
SENTENCE_ABOUT = "对{topic}"
SENTENCE_RATED_ABOUT = "{pct}%的{subject}{about}的评价为“{label}”"
SENTENCE_RATED = "{pct}%的{subject}评价为“{label}”"
SENTENCE_OPEN = "调查结果显示，{clauses}。"
SENTENCE_LABEL = "“{label}”"
SENTENCE_NOT_SCORED_EXCLUDED = "选择{labels}的{n}份答卷不计入满意度计算。"
SENTENCE_NOT_SCORED_ZERO = "选择{labels}的{n}份答卷按0分计入满意度计算。"
SENTENCE_ONLY_NOT_SCORED = "本题答卷均为不计分选项，未计算满意度。"
SENTENCE_CONCLUSION = "综上，反映出{subject}对{topic}满意程度为{pct}%。"
#: Unscored choice questions (unit information, 是/否 …); multiple choice counted per respondent.
DISTRIBUTION_NO_ANSWERS = "“{text}”一题暂无有效作答。"
DISTRIBUTION_MULTIPLE_PART = "选择“{label}”的有{count}人（占作答{subject}的{ratio}%）"
DISTRIBUTION_MULTIPLE = "“{text}”一题（多选）共有{base}名{subject}作答（合计选择{mentions}人次），{parts}。"
DISTRIBUTION_SINGLE_PART = "{pct}%的{subject}选择“{label}”"
DISTRIBUTION_SINGLE = "“{text}”一题中，{parts}。"
CHART_SCORED = "对{topic}满意程度调查数据统计图"
CHART_UNSCORED = "“{text}”调查数据统计图"
TABLE_SCORED = "对{topic}满意程度调查统计表"
TABLE_UNSCORED = "“{text}”调查统计表"

# 六、综合满意度及指标得分
COMPOSITE = "综合满意度及指标得分"
COMPOSITE_METHOD = "（一）计算方法"
#: The method's numbered lines; 不计分选项 only when a scored question has such an option.
METHOD_LINE = "计算方法：{text}"
VALUES_LINE = "选项赋值：{text}。"
VALUES_NONE = "本问卷无计分题"
NOT_SCORED_LINE = "不计分选项：{text}"
ROUNDING_LINE = "数值修约：{text}"
AGGREGATION_LINE = "汇总方式：{aggregation}{composite}"
#: How satisfaction was computed, in words, per setting value (domain.scoring.ScoringSettings).
METHOD_TEXT = {
    "weighted": "赋值加权法。为各选项赋予0—100的分值，单题满意度 = Σ（选项占比 × 选项赋值）。",
    "top2_share": "前两项占比法（满意率）。单题满意度 = 选择赋值最高的两个选项的答卷数 ÷ 计分答卷数 × 100%"
                  "（仅有两个计分选项时，只计最优选项）。",
    "mean": "李克特均值法。按选项等级由低到高计1、2、…、M分求均值，再换算为百分制，"
            "单题满意度 =（均值 - 1）÷（M - 1）× 100%。",
}
NOT_SCORED_TEXT = {"exclude": "“不了解”“不清楚”等不计分选项不计入满意度的分母。",
                   "zero": "“不了解”“不清楚”等不计分选项计入分母，按0分计算。"}
ROUNDING_TEXT = {
    "exact": "满意度按原始答卷数精确计算，最终结果四舍五入保留两位小数。",
    "from_displayed_shares": "满意度按修约后（保留两位小数）的选项占比计算，读者可按表中占比直接复核。",
}
#: How option shares are rounded (ScoringSettings.share_rounding), named in the report.
SHARE_ROUNDING_TEXT = {
    "largest_remainder": ("各选项占比采用最大余数法修约至两位小数，使同一题各选项占比合计为100.00%；"
                          "选择人数相同的选项占比相同，二者不能同时满足时优先保证后者，并在该题表下注明合计。"),
    "independent": "各选项占比分别四舍五入保留两位小数。因四舍五入，各项比例之和可能不等于100%。",
}
#: Under a distribution table whose shares do not add up to 100.00.
SHARES_TOTAL_NOTE = {
    "largest_remainder": "注：为使选择人数相同的选项占比相同，本题各选项占比合计为{total}%。",
    "independent": "注：因四舍五入，各项比例之和可能不等于100%（本题合计为{total}%）。",
}
AGGREGATION_TEXT = {
    "respondent": "按受访者汇总，全部纳入统计的答卷合并计算各题满意度。",
    "unit": "按单位汇总，先分别计算各单位的满意度，再对各单位取算术平均，避免答卷较多的单位权重过大。",
}
COMPOSITE_TEXT = {"mean": "综合满意度 = 各计分题满意度之和 ÷ 计分题数量（无作答的题目不参与计算）。",
                  "weighted": "综合满意度 = Σ（题目权重 × 单题满意度）÷ Σ题目权重（无作答的题目不参与计算）。"}
OPTION_VALUE = "{label}{value}分"
OPTION_NOT_SCORED = "{label}（不计分）"
OPTION_VALUES = "{values}（适用于{where}，共{n}题）"
QUESTION_NUMBERS = "第{where}题"
COMPOSITE_RESULT = "（二）计算结果"
COMPOSITE_TABLE = "各计分题满意度见表{table}。"
COMPOSITE_CAPTION = "各题满意度及综合满意度"
COMPOSITE_ROW = "综合满意度"
DIMENSION_SATISFACTION = "{dimension}满意度为{pct}%"
DIMENSIONS = "分维度看，{parts}。"
FORMULA_NONE = "暂无计分答卷，未能计算综合满意度。"
FORMULA_EXACT = "（按未修约的数值计算，结果保留两位小数）"
FORMULA_UNITS = "按单位汇总：综合满意度 = 各单位综合满意度之和 ÷ 单位数 = {total:.2f} ÷ {n} = {pct}%{exact}。"
FORMULA_WEIGHTED_TERM = "{weight:g}×{pct}%"
FORMULA_WEIGHTED = "综合满意度 =（{terms}）÷ {total:g} = {pct}%{exact}。"
FORMULA_MEAN_TERM = "{pct}%"
FORMULA_MEAN = "综合满意度 =（{terms}）÷ {n} = {pct}%{exact}。"
SCORE = "（三）指标得分"
SCORE_INDICATOR = "“{code}{name}”指标"
SCORE_INDICATOR_FALLBACK = "满意度"
SCORE_RULE = "评分标准（{indicator}）：{rule}"
SCORE_NONE = "暂无计分答卷，无法计算综合满意度和指标得分。"
SCORE_RESULT = "评分结果：{working}"
GROUPS = "分组分析"
GROUPS_INTRO = "按{labels}分别计算综合满意度（计算方法同上），各单位的综合满意度列于最后。"
GROUPS_INTRO_UNITS = "按单位分别计算综合满意度（计算方法同上）。"
GROUPS_JOINED = "同时属于多个组的单位（如合并后有两项申报专项）在各组中均计入。"
GROUPS_NO_ANSWERS = "暂无答卷"
GROUPS_CAPTION = "按{label}分组的综合满意度"
GROUPS_UNITS_CAPTION = "各单位综合满意度"
ALPHA = "信度检验"
ALPHA_NOT_COMPUTED = "未计算"
ALPHA_SKIPPED = "采用Cronbach's α系数检验问卷的内部一致性。本次未计算α系数：{reason}。"
ALPHA_RESULT = ("采用Cronbach's α系数检验问卷计分题的内部一致性：α = k ÷ (k - 1) × (1 - 各题得分方差之和 ÷ 总分方差)，"
                "k为计分题数。本次{k}道计分题、"
                "{n}份完整答卷（缺答任一计分题的{dropped}份不参与计算）的α系数为{alpha:.3f}，"
                "信度{level}（α≥0.8为良好，0.7—0.8为可接受，0.6—0.7为一般，低于0.6为较差）。")
CI = "置信区间"
CI_SKIPPED = "本次未计算综合满意度的置信区间：{reason}。"
CI_BY = {"unit": "单位两阶段（先有放回抽取单位，再在所抽单位内有放回抽取答卷）", "respondent": "受访者（有放回）",
         "units_only": "单位（有放回抽取单位，保留所抽单位的全部答卷）"}
CI_RESULT = ("采用自助法（bootstrap）按{by}重抽样{resamples}次（随机种子{seed}），"
             "综合满意度的{level:g}%置信区间为{low}%—{high}%。"
             "该区间反映抽样带来的不确定性，可据此判断评分所在区间是否稳定。")
CI_DESIGN_EFFECT = ("答卷按单位成组回收，故按单位重抽样；设计效应（按单位重抽样与按受访者"
                    "简单重抽样的方差之比）为{deff:.2f}，{n}份答卷的有效样本量约为{neff:.0f}份；"
                    "若按受访者简单重抽样，置信区间为{srs_low}%—{srs_high}%。")

# 七、意见建议汇总
OPEN_ANSWERS = "意见建议汇总"
OPEN_NONE = "本次调查未收到{subject}填写的意见和建议。"
OPEN_INTRO = ("本次调查共收到{subject}填写的具体意见、建议及不满意原因{n}条，按所涉及的方面归纳为{themes}类，"
              "按条数从多到少排列（一条意见涉及多个方面的，分别计入各方面）。")
OPEN_NON_ANSWERS = "另有{n}条回答为“无”“满意”等，未提出具体意见，不列入汇总。"
OPEN_HIDDEN = "其中{n}条经评价工作组审阅未列入本汇总（原文保留在数据表“意见建议”中）。"
OPEN_ASPECT = "{name}方面"
OPEN_QUESTIONS_JOIN = "、"
OPEN_THEME = "{i}. {aspect}（{count}条，来自{questions}）"
OPEN_EXAMPLE = "（{i}）{text}（{count}条）"
OPEN_MORE = "另有{n}种同类意见未逐条列出，完整内容见数据表“意见建议”。"

# 附：调查问卷
QUESTIONNAIRE = "附：调查问卷"
QUESTIONNAIRE_CONDITION = "（第{number}题选择“{labels}”时填写）"
QUESTIONNAIRE_LABELS_JOIN = "”或“"
QUESTIONNAIRE_OPTIONAL = "（选填）"
QUESTIONNAIRE_QUESTION = "{n}. {text}{required}{condition}"
#: A follow-up has no number of its own: respondents see it only under the question it follows.
QUESTIONNAIRE_FOLLOW_UP = "{text}{required}{condition}"
QUESTIONNAIRE_ROW = "{n} {text}"
QUESTIONNAIRE_MAX_CHOICES = "（最多选{n}项）"

# The exports (services/exports.py): download names, the raw data's scope, exclusion reasons.
FILE_KIND = {"docx": "受益对象问卷调查分析报告", "pdf": "受益对象问卷调查分析报告", "xlsx": "问卷调查数据",
             "csv": "问卷原始数据"}
PDF_UNAVAILABLE = "本机未安装 LibreOffice（soffice），无法生成PDF。请下载Word报告，或由管理员安装 LibreOffice 后重试。"
PDF_FAILED = "LibreOffice 转换PDF失败，请稍后重试，或下载Word报告后自行另存为PDF。"
RAW_SCOPE_ALL = "原始数据包含筛选范围内的全部答卷（含存疑和剔除的答卷，见“状态”列）；统计表仅使用统计口径内的答卷。"
RAW_SCOPE_COUNTED = "原始数据仅包含统计口径内的答卷。"
REVIEW_EXCLUDED = "评价人员复核剔除"
REVIEW_EXCLUDED_BECAUSE = "评价人员复核剔除：{reason}"
NO_REASON = "未注明原因"
