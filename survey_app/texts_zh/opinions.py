"""意见建议汇总: the opinion workspace, the appendix section, the workbook sheet."""

from __future__ import annotations

TAB = "意见建议"
OTHER_THEME = "其他意见"
CLUSTER_JOIN = "、"
NEW = "新"
HIDDEN = "不进报告"

# Question references: "第3题", "第6题追问" (a reason given after a dissatisfied answer).
QUESTION = "第{number}题"
FOLLOW_UP = "第{number}题追问"
QUESTIONS_JOIN = "、"
#: Between the first and last of consecutive question numbers: "第4—13题追问".
RANGE = "—"
NUMBERS_JOIN = "、"

# Workspace messages.
RENAMED = "主题已改名为“{name}”。"
MERGED = "已将“{source}”并入“{target}”。"
SPLIT = "已将{n}条意见拆分为新主题“{name}”。"
MOVED = "已将该意见移到“{target}”。"
HIDDEN_DONE = "该意见已设为不进报告（仍保留在数据中）。"
SHOWN_DONE = "该意见已恢复进入报告。"
ACKNOWLEDGED = "新增意见已确认。"
EXAMPLES_SET = "报告中每个主题列出的代表性意见条数已设为{n}。"
ERR_NAME = "主题名称不能为空，且不超过{n}个字。"
ERR_NAME_TAKEN = "已有同名主题“{name}”，如需合并请使用“并入”。"
ERR_THEME = "该主题已不存在，请刷新页面。"
ERR_ANSWER = "该意见已不存在（答卷可能已被剔除），请刷新页面。"
ERR_SAME = "请选择另一个主题。"
ERR_SPLIT = "请至少勾选一条意见，且不能拆出全部意见。"
ERR_EXAMPLES = "代表性意见条数应为0至{n}之间的整数。"
ERR_STALE = "意见汇总已被他人修改，已显示最新内容，请重新操作。"

# Workbook sheet.
SHEET = "意见建议"
SHEET_HEADER = ("主题", "主题条数", "意见原文", "条数", "题目", "是否进入报告", "自动归类后未确认")

#: ``OpinionError.code`` → message (str.format with the error's params).
ERRORS = {"name": ERR_NAME, "name_taken": ERR_NAME_TAKEN, "theme": ERR_THEME, "answer": ERR_ANSWER,
          "same": ERR_SAME, "split": ERR_SPLIT, "examples": ERR_EXAMPLES, "stale": ERR_STALE,
          "action": ERR_THEME}
#: Choices of how many representative answers the report quotes per theme (-1: all).
EXAMPLE_CHOICES = ((0, "不列举"), (1, "1条"), (3, "3条"), (5, "5条"), (10, "10条"), (-1, "全部"))
