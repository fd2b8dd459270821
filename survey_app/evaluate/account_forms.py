"""Forms of the account pages: API tokens, an admin's password reset (validation only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length


class TokenForm(FlaskForm):
    name = StringField("用途", validators=[DataRequired("请填写令牌用途"), Length(max=100)],
                       description="如：财政局报表脚本")
    submit = SubmitField("创建令牌")


class PasswordResetForm(FlaskForm):
    password = StringField("新密码", validators=[DataRequired("请设置新密码"),
                                              Length(min=10, max=200, message="密码需10至200个字符")])
    submit = SubmitField("重置密码")
