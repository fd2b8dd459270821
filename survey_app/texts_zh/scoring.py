"""Chinese sentences the scoring core renders: score rules, their working, validity reasons.

The domain renders them (the report, the API and the CLI print the same sentences), so the
templates live here and nowhere else.  Placeholders are str.format fields.
"""

# Band rule pieces: joined with "；", prefixed with RULE_PREFIX, ended with "。".
RULE_PREFIX = "满意度"
BAND_RANGE = "{low}%（含）—{high}%"
BAND_POINTS = "{range}，得{points}分"
BAND_NO_POINTS = "{range}，不得分"
BAND_BOTTOM_POINTS = "低于{high}%，得{points}分"
BAND_BOTTOM_NO_POINTS = "低于{high}%不得分"

WORKING_BAND = (
    "综合满意度为{s}%，位于{range}区间，该项指标分值为{weight}分，得{points}分。"
)
WORKING_BAND_BOTTOM = (
    "综合满意度为{s}%，低于{high}%，该项指标分值为{weight}分，得{points}分。"
)

RATIO_RULE = (
    "满意度达到{target}%（含）以上得{weight}分；"
    "低于{target}%的，按实际满意度÷{target}%×{weight}分计算得分"
)
FLOOR_CLAUSE = "；低于{floor}%不得分"
DEDUCTION_RULE = (
    "满意度达到{target}%（含）以上得{weight}分；每低于1个百分点扣{k}分，扣完为止。"
)
THRESHOLD_RULE = "满意度达到{target}%（含）以上得{weight}分，低于{target}%不得分。"

WORKING_TARGET_MET = (
    "综合满意度为{s}%，达到目标值{target}%，该项指标分值为{weight}分，得{points}分。"
)
WORKING_TARGET_MISSED = (
    "综合满意度为{s}%，未达到目标值{target}%，该项指标分值为{weight}分，得{points}分。"
)
WORKING_BELOW_FLOOR = (
    "综合满意度为{s}%，低于{floor}%，该项指标分值为{weight}分，得{points}分。"
)
WORKING_RATIO = (
    "综合满意度为{s}%，低于目标值{target}%，得分={s}%÷{target}%×{weight}分={points}分，"
    "该项指标分值为{weight}分，得{points}分。"
)
WORKING_DEDUCTION = (
    "综合满意度为{s}%，低于目标值{target}%共{gap}个百分点，扣{deducted}分，"
    "该项指标分值为{weight}分，得{points}分。"
)

# Validity reasons (validity.py).
REASON_MIN_DURATION = "答题用时{seconds}秒，少于{minimum}秒"
REASON_STRAIGHT_LINE = "全部{items}道计分题均选择同一选项（{key}）"
REASON_DUPLICATE_DEVICE = (
    "与答卷{other}来自同一设备且答案完全相同，提交间隔{seconds}秒（{minutes}分钟内）"
)
REASON_NOT_IN_FRAME = "答题单位不在调查单位名单中"
REASON_STRAIGHT_LINE_FAST = (
    "全部{items}道计分题均选择同一选项（{key}），且答题用时{seconds}秒，少于{minimum}秒（每题{per_item}秒）"
)
#: Appended to a duplicate's reason when the form was started as "another person of the unit".
REASON_ANOTHER_PERSON = "；填写人声明为本单位其他人员"

# Score probabilities from the bootstrap (domain/scoring/chances.py).
CHANCES_SENTENCE = "按重抽样估计，该项指标{parts}。"
CHANCE_FIRST = "得{points}分的可能性{percent}"
CHANCE_NEXT = "得{points}分{percent}"
CHANCE_PERCENT = "约为{n}%"
CHANCE_BELOW_ONE = "不足1%"
CHANCES_TOO_MANY = "该评分规则的可能得分较多，未逐一列出得分概率"

# Provisional results (dashboard, overview): the score while units are short of their minimum.
PROVISIONAL_TAG = "暂定"
PROVISIONAL = "暂定结果：{units}个单位中{met}个达到最少有效份数，得分将随后续答卷变化。"
