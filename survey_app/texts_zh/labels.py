"""Names of the product's concepts, one wording each, keyed by ``domain.vocabulary`` codes.

One word per concept, everywhere (pages, CLI, Excel, Word): a response a validity rule
flagged is **存疑** (still counted, waiting for review), one left out is **剔除**.
"""

from __future__ import annotations

from ..domain.vocabulary import (
    FlagAction,
    FlagCode,
    ResponseStatus,
    Source,
    SurveyState,
)

SURVEY_STATE = {SurveyState.DRAFT: "草稿", SurveyState.OPEN: "进行中", SurveyState.CLOSED: "已结束"}

STATUS = {ResponseStatus.VALID: "有效", ResponseStatus.FLAGGED: "存疑", ResponseStatus.EXCLUDED: "剔除"}

SOURCE = {Source.WEB: "线上填报", Source.PAPER: "纸质问卷录入", Source.IMPORT: "外部数据导入"}

#: A validity rule by its code (filters, the raw-data column, the appendix's screening list).
FLAG = {
    FlagCode.MIN_DURATION: "答题用时过短",
    FlagCode.STRAIGHT_LINE: "全部计分题选择同一选项",
    FlagCode.DUPLICATE_DEVICE: "同一设备重复提交",
    FlagCode.NOT_IN_FRAME: "答题单位不在名单中",
}

#: What a fired rule does (the scoring settings page).
FLAG_ACTION = {FlagAction.FLAG: "标记为存疑", FlagAction.EXCLUDE: "自动剔除", FlagAction.OFF: "关闭"}

#: The column or field that lists the validity rules a response triggered.
FLAGS_FIELD = "筛查结果"

#: Satisfaction methods (docs/scoring.md).
METHOD = {
    "weighted": "赋值加权法",
    "top2_share": "前两项占比法（满意率）",
    "mean": "李克特均值法",
}


def status(code: str) -> str:
    """The label of a response status (the code itself when unknown, so nothing is hidden)."""
    return STATUS.get(code, code)


def source(code: str) -> str:
    """The label of an answer source."""
    return SOURCE.get(code, code)


def flag(code: str) -> str:
    """The label of a validity rule."""
    return FLAG.get(code, code)
