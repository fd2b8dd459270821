"""Words of the report settings (报告设置): field names, derived defaults and where each came from."""

from __future__ import annotations

from ..domain.vocabulary import Source
from .labels import SOURCE

FIELDS = {
    "purpose": "调查目的（每行一个方面）",
    "population": "调查对象",
    "platform": "发放方式",
    "issued": "发放问卷份数",
    "sampling_population": "总体规模N（样本量检验）",
    "contact": "联系人及电话",
    "sections": "报告包含的可选部分",
    "breakdowns": "分组分析的单位字段",
}
#: Optional parts of the appendix, by section key (reports/appendix_docx.OPTIONAL_SECTIONS).
SECTIONS = {
    "sample": "样本结构",
    "groups": "分组分析",
    "alpha": "信度检验",
    "ci": "置信区间",
    "opinions": "意见建议汇总",
    "questionnaire": "附：调查问卷",
    "data_note": "数据说明（数据指纹）",
}
UNIT_FIELDS = {"county": "县（市、区）", "category": "类别"}

# Derived defaults.
MEASURE_FAMILY = ("企业", "公司", "单位", "机构", "医院", "学校", "银行", "合作社")
CATEGORY_COUNT = "{n}{measure}{name}"
CATEGORY_AND = "和"
UNITS_PLAIN = "{n}个受益单位"
POPULATION_OPEN = "{subject}（未设定单位名单，公开发放）"
ADVICE_ASPECT = "{subject}对项目管理和资金使用的意见和建议。"
DIMENSION_ASPECT = "{subject}对{dimension}的满意程度。"
GENERAL_ASPECT = "{subject}对项目实施情况的满意程度。"
PLATFORM = {
    Source.WEB: "通过本系统向各调查单位发放专属问卷链接和二维码，由受益对象在线填写",
    Source.IMPORT: "通过线上问卷平台（问卷星等）发放问卷，回收的答卷导出后导入本系统统计",
    Source.PAPER: "发放纸质问卷，回收后由评价人员录入本系统",
}
PLATFORM_JOIN = "；"
PLATFORM_SOURCE_NAMES = SOURCE

# Where a value came from (shown beside each setting).
FROM_SETTING = "评价人员设定"
FROM_CATEGORIES = "按单位名单“类别”列统计（{n}个单位）"
FROM_UNIT_COUNT = "单位名单未填类别，按单位数统计（{n}个单位）"
FROM_NO_UNITS = "未导入单位名单"
FROM_DIMENSIONS = "按问卷计分题的维度（{n}个）{advice}"
FROM_DIMENSIONS_ADVICE = "，问卷含开放式问题，另加意见建议"
FROM_NO_DIMENSIONS = "问卷未设维度，使用通用表述"
FROM_SOURCES = "按答卷来源统计（{sources}）"
FROM_NO_ANSWERS = "尚无答卷，按本系统发放链接表述"
FROM_QUOTA = "各单位最少有效份数之和"
FROM_NO_QUOTA = "未导入单位名单，无法计算，不计算回收率"
FROM_NO_CONTACT = "未设定，不打印"
FROM_DEFAULT_SECTIONS = "默认：样本结构、分组分析、意见建议汇总、附：调查问卷、数据说明；无内容的部分自动略去"
FROM_DEFAULT_BREAKDOWNS = "默认：取值为文字、不同取值2—{max}个的字段；数值字段（如金额）不分组"
NOT_PRINTED = "（不打印）"

# Validation.
BAD_ISSUED = "发放问卷份数必须为正整数（或留空，按各单位最少有效份数之和）：{value}"
BAD_SECTION = "未知的报告部分：{keys}"
BAD_BREAKDOWN = "未知的分组字段：{keys}"
TOO_LONG = "{field}过长（最多{n}字）"
