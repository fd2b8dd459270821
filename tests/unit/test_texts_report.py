"""The appendix's standard sentences live in one file: ``texts_zh/report.py``.

A newcomer changing a sentence of the Word appendix must find it there, so the writers that
assemble the appendix (and the exports' fixed texts) hold no Chinese sentence of their own,
and every template of the catalogue is used by one of them.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from survey_app import texts_zh
from survey_app.texts_zh import report

ROOT = Path(__file__).resolve().parents[2] / "survey_app"
WRITERS = [ROOT / "reports" / name for name in ("appendix_docx.py", "appendix_collection.py", "appendix_groups.py",
                                                "appendix_results.py", "appendix_tail.py", "text_zh.py")]
WRITERS += [ROOT / "services" / "exports.py", ROOT / "services" / "pdf.py"]
HAN = re.compile(r"[\u4e00-\u9fff]")
#: Sentence punctuation: a literal with one of these is a sentence, not a label or a table header.
SENTENCE = re.compile(r"[。，；！？：]")
#: The pattern that strips "是否满意？" from a question's text is not a sentence.
ALLOWED = {r"(是否满意|满意吗|如何|怎么样)?[？?。]*$"}


def _literals(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, ast.Module | ast.FunctionDef | ast.ClassDef) and ast.get_docstring(node)}
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def test_writers_hold_no_chinese_sentence_of_their_own():
    found = [f"{path.name}:{line}: {text}" for path in WRITERS for line, text in _literals(path)
             if HAN.search(text) and SENTENCE.search(text) and text not in ALLOWED]
    assert found == []


def test_every_template_of_the_catalogue_is_used():
    sources = "\n".join(path.read_text(encoding="utf-8") for path in WRITERS)
    names = [name for name in vars(report) if name.isupper()]
    unused = [name for name in names if not re.search(rf"\bzh\.{name}\b", sources)]
    assert names and unused == []


def test_catalogue_is_registered():
    assert texts_zh.report is report and "report" in texts_zh.__all__
    assert report.SENTENCE_CONCLUSION.format(subject="受益对象", topic="资金拨付", pct="94.00") == \
        "综上，反映出受益对象对资金拨付满意程度为94.00%。"
