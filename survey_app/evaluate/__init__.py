"""Evaluators' blueprint: surveys, settings, units, distribution, responses, audit log.

Every view needs a login; survey views load their survey through ``load_survey``, which
answers 404 to users who may not see it (so ids do not leak) and 403 to viewers asking
to change something.
"""

from flask import Blueprint

bp = Blueprint("evaluate", __name__, url_prefix="/manage")

#: Survey sub-pages in navigation order.
SURVEY_TABS = (
    ("evaluate.overview", "概览"),
    ("evaluate.dashboard", "实时结果"),
    ("evaluate.edit", "基本信息"),
    ("evaluate.designer", "问卷设计"),
    ("evaluate.scoring", "评分设置"),
    ("evaluate.report_settings", "报告设置"),
    ("evaluate.units", "单位名单"),
    ("evaluate.distribution", "问卷分发"),
    ("evaluate.responses", "答卷审核"),
    ("evaluate.responses_import", "导入答卷"),
    ("evaluate.opinions", "意见建议"),
    ("evaluate.exports", "导出"),
    ("evaluate.members", "成员"),
    ("evaluate.audit", "操作日志"),
)


@bp.context_processor
def survey_tabs():
    return {"survey_tabs": SURVEY_TABS}


from . import (  # noqa: F401 - routes register on import
    views_admin,
    views_banks,
    views_dashboard,
    views_designer,
    views_distribution,
    views_exports,
    views_imports,
    views_opinions,
    views_questions,
    views_report_settings,
    views_responses,
    views_review_bulk,
    views_settings,
    views_surveys,
    views_tokens,
    views_units,
)
