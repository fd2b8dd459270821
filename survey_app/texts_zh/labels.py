"""Names of the product's concepts, one wording each, keyed by ``domain.vocabulary`` codes.

One word per concept, everywhere (pages, CLI, Excel, Word): a response a validity rule
flagged is **存疑** (still counted, waiting for review), one left out is **剔除**.
"""

from __future__ import annotations

from ..domain.vocabulary import (
    AccountRole,
    Availability,
    BankSource,
    FlagAction,
    FlagCode,
    MemberRole,
    ResponseStatus,
    Source,
    SurveyState,
)

SURVEY_STATE = {SurveyState.DRAFT: "草稿", SurveyState.OPEN: "进行中", SurveyState.CLOSED: "已结束"}

#: Whether a respondent may answer right now (the dashboard's survey-state tile).
AVAILABILITY = {Availability.OPEN: "进行中", Availability.NOT_YET: "未开始", Availability.CLOSED: "已结束"}

STATUS = {ResponseStatus.VALID: "有效", ResponseStatus.FLAGGED: "存疑", ResponseStatus.EXCLUDED: "剔除"}

SOURCE = {Source.WEB: "线上填报", Source.PAPER: "纸质问卷录入", Source.IMPORT: "外部数据导入"}

#: A validity rule by its code (filters, the raw-data column, the appendix's screening list).
FLAG = {
    FlagCode.MIN_DURATION: "答题用时过短",
    FlagCode.STRAIGHT_LINE: "全部计分题选择同一选项",
    FlagCode.DUPLICATE_DEVICE: "同一设备重复提交",
    FlagCode.NOT_IN_FRAME: "答题单位不在名单中",
    FlagCode.STRAIGHT_LINE_FAST: "同一选项且用时过短",
}

#: An evaluator's decision on one response (it overrides screening).
DECISION = {ResponseStatus.VALID: "计为有效", ResponseStatus.EXCLUDED: "剔除"}

#: What a fired rule does (the scoring settings page).
FLAG_ACTION = {FlagAction.FLAG: "标记为存疑", FlagAction.EXCLUDE: "自动剔除", FlagAction.OFF: "关闭",
               FlagAction.NOTE: "仅提示"}

#: The column or field that lists the validity rules a response triggered.
FLAGS_FIELD = "筛查结果"

#: Satisfaction methods (docs/scoring.md).
METHOD = {
    "weighted": "赋值加权法",
    "top2_share": "前两项占比法（满意率）",
    "mean": "李克特均值法",
}


#: An account's role (``vocabulary.AccountRole``).
ROLE = {AccountRole.ADMIN: "管理员", AccountRole.EVALUATOR: "评价人员", AccountRole.VIEWER: "查看人员"}

#: A member's role within one survey (``vocabulary.MemberRole``).
MEMBER_ROLE = {MemberRole.OWNER: "创建人", MemberRole.EVALUATOR: "共同管理", MemberRole.VIEWER: "只读查看"}

#: Audit-log actions (``AuditEvent.action``), one wording each: the survey's log and a
#: response's review history show the same words.
AUDIT_ACTION = {
    "survey.create": "创建调查",
    "survey.open": "开放调查",
    "survey.close": "结束调查",
    "survey.context": "修改基本信息",
    "survey.questionnaire": "修改问卷内容",
    "survey.wording": "修正问卷文字",
    "survey.member": "添加成员",
    "settings.change": "修改评分设置",
    "settings.report": "修改报告设置",
    "export": "导出",
    "response.exclude": "剔除答卷",
    "response.restore": "答卷计为有效",
    "response.automatic": "答卷恢复自动判定",
    "response.paper": "录入纸质问卷",
    "responses.import": "导入答卷",
    "units.import": "导入单位",
    "unit.add": "添加单位",
    "unit.edit": "修改单位",
    "unit.delete": "删除单位",
    "unit.token": "重新生成链接",
    "bank.save": "另存为题库",
    "bank.upload": "上传题库",
    "bank.delete": "删除题库",
    "opinions.rename": "意见主题改名",
    "opinions.merge": "合并意见主题",
    "opinions.split": "拆分意见主题",
    "opinions.move": "移动意见",
    "opinions.hide": "意见不进报告",
    "opinions.show": "意见恢复进入报告",
    "opinions.acknowledge": "确认新增意见归类",
    "opinions.examples": "设置代表性意见条数",
}

#: Where a bank in the library comes from (``vocabulary.BankSource``).
BANK_SOURCE = {BankSource.BUILTIN: "内置", BankSource.STORED: "已保存"}


def status(code: str) -> str:
    """The label of a response status (the code itself when unknown, so nothing is hidden)."""
    return STATUS.get(code, code)


def source(code: str) -> str:
    """The label of an answer source."""
    return SOURCE.get(code, code)


def flag(code: str) -> str:
    """The label of a validity rule."""
    return FLAG.get(code, code)


def survey_state(code: str) -> str:
    """The label of a survey state."""
    return SURVEY_STATE.get(code, code)


def audit_action(code: str) -> str:
    """The label of an audit-log action."""
    return AUDIT_ACTION.get(code, code)
