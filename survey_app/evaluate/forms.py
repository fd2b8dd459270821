"""Evaluator forms (validation only; the services do the work)."""

from __future__ import annotations

from enum import StrEnum

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    DateTimeLocalField,
    FloatField,
    IntegerField,
    RadioField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError

from ..domain.vocabulary import AccountRole, MemberRole
from ..texts_zh import bank_library as zh
from ..texts_zh import labels


class SurveyForm(FlaskForm):
    """A survey's evaluation context (name, project, indicator, window): edited at any time."""

    name = StringField("调查名称", validators=[DataRequired("请填写调查名称"), Length(max=200)])
    project_name = StringField("项目名称", validators=[Optional(), Length(max=200)])
    department = StringField("主管部门", validators=[Optional(), Length(max=200)])
    eval_year = IntegerField("评价年度", validators=[Optional(), NumberRange(2000, 2100, "年度应在2000至2100之间")])
    indicator_code = StringField("指标编号", validators=[Optional(), Length(max=20)], description="如 D41")
    indicator_name = StringField("指标名称", validators=[Optional(), Length(max=100)], description="如 奖补对象满意度")
    indicator_weight = FloatField("指标分值", validators=[Optional(), NumberRange(0.01, 100, "分值应在0.01至100之间")])
    default_min_valid = IntegerField("每个单位最少有效份数", default=5,
                                     validators=[DataRequired("请填写"), NumberRange(1, 10000, "应为1至10000")])
    opens_at = DateTimeLocalField("开放时间（北京时间）", validators=[Optional()], format="%Y-%m-%dT%H:%M")
    closes_at = DateTimeLocalField("截止时间（北京时间）", validators=[Optional()], format="%Y-%m-%dT%H:%M")
    submit = SubmitField("保存")

    def validate_closes_at(self, field):
        if field.data and self.opens_at.data and field.data <= self.opens_at.data:
            raise ValidationError("截止时间应晚于开放时间")


class Start(StrEnum):
    """What a new survey's questionnaire starts from (a form choice, never stored)."""

    BANK = "bank"
    COPY = "copy"
    BLANK = "blank"


class NewSurveyForm(SurveyForm):
    """Create a survey: its context, and a questionnaire from a bank, a copy of an earlier survey, or blank.

    The bank and survey lists are filled by the view (``choices``); whether the chosen one
    exists and may be used is checked there too, so the choice is not validated here.
    """

    start = RadioField("问卷从哪里开始", default=Start.BANK, choices=[
        SelectChoice(Start.BANK, zh.START_BANK), SelectChoice(Start.COPY, zh.START_COPY),
        SelectChoice(Start.BLANK, zh.START_BLANK)], validators=[DataRequired(zh.CHOOSE_START)])
    bank = SelectField("题库", validate_choice=False)
    source_survey = SelectField("要复制的调查", validate_choice=False)

    def validate_bank(self, field):
        if self.start.data == Start.BANK and not field.data:
            raise ValidationError(zh.CHOOSE_BANK)

    def validate_source_survey(self, field):
        if self.start.data == Start.COPY and not field.data:
            raise ValidationError(zh.CHOOSE_SURVEY)


class SaveBankForm(FlaskForm):
    """Save a survey's questionnaire in the bank library under a title and a version."""

    title = StringField("题库名称", validators=[DataRequired("请填写题库名称"), Length(max=200)])
    version = StringField("版本", default="1", validators=[DataRequired("请填写版本"), Length(max=50)],
                          description="如 2025.1；同一题库改过后另存，用新的版本号区分")
    submit = SubmitField("另存为题库")


class UploadBankForm(FlaskForm):
    """Upload a YAML bank into the library (validated like ``flask banks check``)."""

    file = FileField("题库文件（YAML）", validators=[FileRequired("请选择要上传的题库文件")])
    submit = SubmitField("上传")


class MemberForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=80)])
    role = SelectField("权限", choices=[SelectChoice(r, labels.MEMBER_ROLE[r])
                                         for r in (MemberRole.VIEWER, MemberRole.EVALUATOR)])
    submit = SubmitField("添加成员")


class UserForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请填写用户名"), Length(max=80)])
    display_name = StringField("姓名", validators=[Optional(), Length(max=100)])
    role = SelectField("角色", choices=[SelectChoice(r, labels.ROLE[r])
                                         for r in (AccountRole.EVALUATOR, AccountRole.VIEWER, AccountRole.ADMIN)])
    password = StringField("初始密码", validators=[DataRequired("请设置初始密码"),
                                               Length(min=10, max=200, message="密码需10至200个字符")])
    submit = SubmitField("创建账号")
