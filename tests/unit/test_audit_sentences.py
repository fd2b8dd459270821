"""The audit log in sentences: each recorded action reads as Chinese, actors by their names."""

from survey_app.texts_zh.audit import actor_name, sentence
from survey_app.texts_zh.labels import AUDIT_ACTION


def test_state_changes_and_decisions_read_as_sentences():
    assert sentence("survey.open", {"status": "draft"}, {"status": "open"}) == "开放调查（草稿→进行中）"
    assert sentence("response.exclude", {"response_id": 7, "status": "flagged"},
                    {"response_id": 7, "status": "excluded", "reason": "重复填写", "bulk": 12}) == (
        "剔除答卷：答卷7（存疑→剔除），理由：重复填写，批量操作共12份")
    assert sentence("response.automatic", {"response_id": 3, "status": "excluded"},
                    {"response_id": 3, "status": "flagged", "reason": "撤回"}) == (
        "答卷恢复自动判定：答卷3（剔除→存疑），理由：撤回")


def test_settings_units_and_exports():
    before = {"scoring": {"method": "weighted"}, "validity": {"a": 1}, "score_rule": {}, "sampling": {}}
    after = {**before, "validity": {"a": 2}}
    assert sentence("settings.change", before, after) == "修改了有效性规则"
    assert sentence("unit.edit", {"id": 4, "min_valid": 5}, {"id": 4, "min_valid": 3}) == "修改单位4：最少有效份数由“5”改为“3”"
    exported = sentence("export", None, {"what": "survey_data", "format": "xlsx", "rows": 152})
    assert exported == "导出调查数据（Excel工作簿，152行）"


def test_every_labelled_action_has_a_sentence_and_odd_data_never_fails():
    for action in AUDIT_ACTION:
        assert sentence(action, None, None)  # a sentence, or at least the label
        assert "{" not in sentence(action, {}, {})
    assert sentence("survey.unknown", None, None) == "survey.unknown"


def test_actors_by_display_name():
    names = {"eva": "王评价"}
    assert actor_name("user:eva", names) == "王评价"
    assert actor_name("user:demo", names) == "demo"
    assert actor_name("cli:root", names) == "命令行（root）"
