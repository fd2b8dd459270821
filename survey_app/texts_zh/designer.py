"""Chinese words of the questionnaire designer: scale presets, field labels, its own messages.

The validation messages themselves come from ``texts_zh.banks`` (one validator, one set of
sentences); these are the designer's labels and the refusals only the designer can give.
"""

# Scale presets (domain.scale_presets).
PRESET_LABELS = {"four": "四级满意度（100/80/30/0）", "five": "五级满意度（100/80/60/30/0）",
                 "likert": "李克特五级（5…1）"}
PRESET_UNKNOWN_SUFFIX = "＋不了解（不计分）"
VERY_SATISFIED = "非常满意"
FAIRLY_SATISFIED = "比较满意"
NOT_QUITE_SATISFIED = "不太满意"
DISSATISFIED = "不满意"
VERY_SATISFIED_5 = "很满意"
SATISFIED = "满意"
BASICALLY_SATISFIED = "基本满意"
STRONGLY_AGREE = "非常同意"
AGREE = "同意"
NEUTRAL = "一般"
DISAGREE = "不同意"
STRONGLY_DISAGREE = "非常不同意"
UNKNOWN = "不了解"

# Defaults of new parts.
NEW_SECTION = "新的部分"
CUSTOM_SCALE = "自定义量表（题 {qid}）"

# Bank keys as the designer labels them.
FIELD_LABELS = {
    "type": "题型", "text": "题目文字", "topic": "报告主题词", "help": "填写说明", "required": "必答",
    "weight": "权重", "dimension": "维度", "keywords": "意见归类关键词", "show_if": "显示条件（追问）",
    "scale": "答案量表", "options": "选项（不计分）", "rows": "矩阵小题", "max_choices": "最多可选项数",
    "min": "最小值", "max": "最大值", "max_length": "字数上限",
}
FIELD_HINTS = {
    "topic": "计分题必填，用于报告中“受益对象对{主题}满意程度为…”",
    "weight": "相对权重，默认1",
    "keywords": "用空格或逗号分隔；开放题意见按这些词归类",
    "dimension": "如“政策与申报”，用于分维度汇总",
}
SCALE_INLINE = "自行列出选项（不计分）"
SCALE_CUSTOM = "自定义量表（可改分值）"
SCALE_EXISTING = "本问卷的量表"
SCALE_PRESETS = "预设量表"

# The designer's own refusals (the rest are the validator's messages).
DELETE_REFERENCED = "不能删除：题 {followups} 的显示条件引用了{target}。请先修改或删除这些追问。"
BROKEN_DRAFT = "页面数据无效，请重新打开问卷设计页面"
UNKNOWN_ACTION = "无法识别的操作"
FROZEN = "调查已开放，问卷结构已固定：不能增删、移动题目，也不能修改题型、选项、分值或显示条件。"
FROZEN_ANSWERS = "已有 {count} 份答卷按现有结构作答。"
FROZEN_WORDING = "只能修正文字（题目、小题、说明、主题词），请到“问卷文字”页面修改。"
STRUCTURE_CHANGED = "调查已开放，只能修正文字；选项分值等结构内容已固定，不能修改。"
SAVED = "问卷已保存。"
NOT_SAVED = "问卷未保存：请修改标出的 {count} 处问题后再保存。"
WORDING_SAVED = "文字修正已保存，并已记入操作日志。"
PREVIEW_CHECKED = "预览：答卷检查通过。预览中提交的内容不会保存。"
THIS_QUESTION = "本题"
THIS_ROW = "小题 {row}"
THIS_SECTION = "本部分中的题"
