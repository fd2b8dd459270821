"""Evaluator forms (validation only; the services do the work)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    DateTimeLocalField,
    FloatField,
    IntegerField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from ..domain.vocabulary import AccountRole, MemberRole
from ..texts_zh import labels


class SurveyForm(FlaskForm):
    """Create a survey (with a bank) or edit its evaluation context."""

    bank = SelectField("题库", validators=[DataRequired("请选择题库")])
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
            from wtforms.validators import ValidationError

            raise ValidationError("截止时间应晚于开放时间")


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
