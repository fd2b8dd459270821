"""Chinese messages of question-bank validation: the CLI, the bank upload and the designer.

One validator (``domain.banks``) speaks these sentences wherever a questionnaire is checked,
so an evaluator reads the same words beside a designer field as in ``flask banks check``.
"""

FILE = "文件"
INTRO = "问卷说明"
SCALES = "量表"
SECTIONS = "问卷部分"
THEMES = "意见主题"


def scale(name: object) -> str:
    return f"量表 {name}"


def section(name: object) -> str:
    return f"部分 {name}"


def question(qid: object) -> str:
    return f"题 {qid}"


def row(qid: object, rid: object) -> str:
    return f"题 {qid} 的小题 {rid}"


def theme(name: object) -> str:
    return f"主题 {name}"


UNREADABLE = "无法读取：{detail}"
BAD_YAML = "不是有效的YAML：{detail}"
TOP_LEVEL = "最外层应是包含 id、title、intro、scales、sections 的映射"
UNKNOWN_KEY = "未知的键“{key}”（可用：{allowed}）"
KEY_NOT_FOR_TYPE = "{type_label}不使用“{key}”"
REQUIRED_TEXT = "“{key}”必填，且应为文字"
INTRO_NEEDS_TITLE = "“intro”应为映射，且至少包含“title”"
SCALES_MAPPING = "“scales”应为“量表名: 选项”的映射"
SCALE_NEEDS_OPTIONS = "量表需要非空的“options”列表"
SCALE_NEEDS_SCORED = "量表至少需要一个计分选项（带分值）"
OPTION_NEEDS_KEY = "第{n}个选项需要“key”和“label”"
DUPLICATE_OPTION = "选项代码“{key}”重复"
UNSCORED_WITH_VALUE = "选项“{key}”不计分，却有分值"
OPTION_VALUE = "选项“{key}”的分值应在0到100之间（或写 scored: false 表示不计分）"
SECTIONS_LIST = "“sections”应为非空列表"
SECTION_SHAPE = "每个部分需要“id”、“title”和“questions”列表"
UNKNOWN_KIND = "未知的部分类型“{kind}”（可用：{allowed}）"
QUESTION_NEEDS_ID = "每道题都需要“id”"
DUPLICATE_ID = "题号重复"
BAD_ID = "题号只能由字母、数字、下划线和点组成，最长32个字符"
UNKNOWN_TYPE = "未知的题型“{type}”（可用：{allowed}）"
TEXT_REQUIRED = "题目文字必填"
WEIGHT_RANGE = "权重 {weight} 超出范围：应大于 {low:g} 且不超过 {high:g}"
REQUIRED_BOOL = "“required”应为 true 或 false"
MAX_LENGTH = "字数上限应在1到{most}之间"
SCORED_NEEDS_TOPIC = "计分题需要报告用的主题词（topic）"
CHOICE_NEEDS_ONE = "选择题需要且只能有“scale”或“options”之一"
UNKNOWN_SCALE = "未知的量表“{scale}”"
OPTIONS_LIST = "“options”应为非空列表"
MAX_CHOICES = "最多可选项数应为不小于1的整数"
MIN_MAX_NUMBERS = "“min”/“max”应为数字"
MIN_ABOVE_MAX = "最小值 {low} 大于最大值 {high}"
SHOW_IF_SHAPE = "显示条件需要“question”和“any_of”选项列表"
SHOW_IF_UNKNOWN = "显示条件引用了不存在的题或后面的题“{target}”"
SHOW_IF_NOT_CHOICE = "显示条件引用的“{target}”不是选择题"
SHOW_IF_EMPTY = "显示条件至少要选一个选项（否则此题永远不会显示）"
NO_ALIASES = "题库文件不能使用YAML别名（*名称）：请把重复的内容写出来，量表请用 scales 命名后引用"
SHOW_IF_OPTION = "显示条件中的选项“{key}”不是题“{target}”的选项"
MATRIX_NEEDS_SCALE = "矩阵量表题需要“scale”（各小题按同一量表计分）"
MATRIX_NEEDS_ROWS = "矩阵量表题需要非空的“rows”小题列表"
ROW_NEEDS_ID = "第{n}个小题需要“id”"
ROW_NEEDS_TOPIC = "矩阵小题需要报告用的主题词（topic）"
KEYWORDS_LIST = "“keywords”应为非空词语的列表"
THEMES_LIST = "“themes”应为 {name, keywords} 的列表"
THEME_NEEDS_NAME = "主题需要“name”"
DUPLICATE_THEME = "主题名称重复"

#: Question types as evaluators name them (designer, blank questionnaire, workbook).
TYPE_LABELS = {"single": "单选题", "multiple": "多选题", "text": "填空题", "number": "数值题", "matrix": "矩阵量表题"}
