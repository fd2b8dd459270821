"""Forms of the unit pages: upload a list, add or edit one unit (validation only)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import FieldList, Form, FormField, IntegerField, StringField, SubmitField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from ..domain.credit_code import is_valid_credit_code
from ..services.unit_import import MAX_MIN_VALID, MAX_SEQ

#: Empty key/value rows offered below a unit's attributes (more after saving).
SPARE_ATTRIBUTES = 2


class UploadForm(FlaskForm):
    file = FileField("单位名单文件", validators=[FileRequired("请选择要上传的文件")])
    submit = SubmitField("上传并检查")


class AttributeForm(Form):
    """One attribute row; a plain ``Form`` because the enclosing form carries the CSRF token."""

    key = StringField("名称", validators=[Optional(), Length(max=50, message="名称不超过50个字")])
    value = StringField("内容", validators=[Optional(), Length(max=500, message="内容不超过500个字")])


class UnitForm(FlaskForm):
    seq = IntegerField("序号", validators=[Optional(), NumberRange(0, MAX_SEQ, f"序号应为0至{MAX_SEQ}的整数")])
    name = StringField("单位名称", validators=[DataRequired("请填写单位名称"), Length(max=200, message="不超过200个字")])
    county = StringField("县（市、区）", validators=[Optional(), Length(max=50, message="不超过50个字")])
    category = StringField("类别", validators=[Optional(), Length(max=50, message="不超过50个字")])
    credit_code = StringField("统一社会信用代码", validators=[Optional(), Length(max=18, message="应为18位")])
    min_valid = IntegerField("最少有效份数", validators=[
        InputRequired("请填写最少有效份数"), NumberRange(0, MAX_MIN_VALID, f"应为0至{MAX_MIN_VALID}的整数")])
    attributes = FieldList(FormField(AttributeForm), min_entries=SPARE_ATTRIBUTES)
    submit = SubmitField("保存")

    def validate_credit_code(self, field):
        code = (field.data or "").strip().upper()
        if code and not is_valid_credit_code(code):
            raise ValidationError("统一社会信用代码格式错误或校验位不正确（GB 32100-2015）")

    def validate_attributes(self, field):
        keys = [(entry.key.data or "").strip() for entry in field.entries if (entry.value.data or "").strip()]
        if "" in keys:
            raise ValidationError("有内容的属性必须填写名称")
        if len(keys) != len(set(keys)):
            raise ValidationError("属性名称不能重复")

    def values(self) -> dict:
        """The cleaned values, as ``services.unit_changes`` expects them."""
        return {
            "seq": self.seq.data,
            "name": self.name.data.strip(),
            "county": (self.county.data or "").strip(),
            "category": (self.category.data or "").strip(),
            "credit_code": (self.credit_code.data or "").strip().upper() or None,
            "min_valid": self.min_valid.data,
            "attributes": {e.key.data.strip(): e.value.data.strip() for e in self.attributes.entries
                           if (e.key.data or "").strip() and (e.value.data or "").strip()},
        }


def unit_form_data(unit) -> dict:
    """Initial data for editing ``unit``: its attributes plus a few empty rows."""
    attributes = [{"key": k, "value": str(v)} for k, v in (unit.attributes or {}).items()]
    return {"seq": unit.seq, "name": unit.name, "county": unit.county, "category": unit.category,
            "credit_code": unit.credit_code or "", "min_valid": unit.min_valid,
            "attributes": attributes + [{}] * SPARE_ATTRIBUTES}
