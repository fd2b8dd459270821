"""Chinese messages of the answer review (workspace): bulk decisions and restoring the automatic status."""

from __future__ import annotations

BULK_DONE = {
    "excluded": "已剔除{changed}份答卷（共选择{total}份），统计结果已更新。",
    "valid": "已将{changed}份答卷计为有效（共选择{total}份），统计结果已更新。",
    "automatic": "已有{changed}份答卷恢复自动判定（共选择{total}份；其余本就未经人工审核）。",
}
AUTOMATIC_DONE = "这份答卷已恢复自动判定，统计结果已更新。"
AUTOMATIC_UNCHANGED = "这份答卷本就按自动筛查判定。"
NOTHING_SELECTED = "请先勾选答卷，或选择“当前筛选的全部答卷”。"
FILTER_CHANGED = "筛选结果已变化（现有{now}份，页面显示{shown}份），请核对列表后重新操作。"
TOO_MANY = "一次最多处理{limit}份答卷，请缩小筛选范围。"
REASON_REQUIRED = "请填写理由：剔除或恢复答卷都须说明原因"
REASON_TOO_LONG = "理由请控制在{limit}字以内"
NEXT_TO_REVIEW = "下一份待复核"
NONE_TO_REVIEW = "没有其他待复核的答卷。"
