"""矩阵量表题: several items (rows) on one scale, each a scored item of its own.

A matrix is displayed as one question, but every figure sees its rows: each row is a
single-choice ``Question`` (``parent`` = the matrix id) with its own topic, dimension,
weight and keywords, sharing the matrix's scale, ``required`` and ``show_if``.  So shares,
satisfaction, the composite, α, breakdowns, exports and imports treat a row exactly as a
single-choice question and need no matrix code of their own.
"""

from __future__ import annotations

from typing import Any

from ...texts_zh import banks as zh
from ..questionnaire import Option, Question, matrix_rows
from .base import QuestionType

ROW_KEYS = frozenset({"id", "text", "topic", "dimension", "weight", "keywords"})


class MatrixType(QuestionType):
    name = "matrix"
    bank_keys = frozenset({"scale", "rows"})

    def parse(self, parser, q: dict[str, Any], where: str) -> dict[str, Any]:
        options = ()
        if "scale" not in q:
            parser.fail(where, zh.MATRIX_NEEDS_SCALE, "scale")
        elif q["scale"] not in parser.scales:
            parser.fail(where, zh.UNKNOWN_SCALE.format(scale=q["scale"]), "scale")
        else:
            options = parser.scales[q["scale"]][1]
        rows = q.get("rows")
        if not isinstance(rows, list) or not rows:
            parser.fail(where, zh.MATRIX_NEEDS_ROWS, "rows")
            return {"options": options, "rows": []}
        clean = []
        for i, row in enumerate(rows, 1):
            if not isinstance(row, dict) or not row.get("id"):
                parser.fail(where, zh.ROW_NEEDS_ID.format(n=i), "rows")
                continue
            rid = str(row["id"])
            rwhere = zh.row(parser.qid, rid)
            parser.p.unknown_keys(rwhere, row, set(ROW_KEYS), parser.qid)
            parser.claim_id(rid, rwhere)
            if not isinstance(row.get("text"), str) or not row["text"].strip():
                parser.fail(rwhere, zh.TEXT_REQUIRED, "rows")
            topic = str(row.get("topic", "")).strip()
            if not topic:
                parser.fail(rwhere, zh.ROW_NEEDS_TOPIC, "rows")
            clean.append({
                "id": rid, "text": str(row.get("text", "")).strip(), "topic": topic,
                "dimension": str(row.get("dimension", "")), "weight": parser.weight(rwhere, row),
                "keywords": parser.p.keywords(rwhere, row.get("keywords"), parser.qid),
            })
        return {"options": options, "rows": clean}

    def items(self, question: Question) -> tuple[Question, ...]:
        return question.rows

    def build(self, question: Question, rows: list[dict[str, Any]]) -> tuple[Question, ...]:
        """Make the rows once the matrix itself is known (they inherit its scale and show_if)."""
        return matrix_rows(question, rows)

    def blank(self, question: Question) -> list[tuple]:
        labels = tuple(o.label for o in question.options)
        parts: list[tuple] = []
        for k, row in enumerate(question.rows, 1):
            parts += [("row", str(k), row.text), ("choices", labels, None)]
        return parts

    def bank_entry(self, question: Question, scale_of: dict[tuple[Option, ...], str]) -> dict[str, Any]:
        rows = []
        for r in question.rows:
            row: dict[str, Any] = {"id": r.id, "text": r.text, "topic": r.topic}
            if r.dimension and r.dimension != question.dimension:
                row["dimension"] = r.dimension
            if r.weight != 1.0:
                row["weight"] = r.weight
            if r.keywords:
                row["keywords"] = list(r.keywords)
            rows.append(row)
        return {"scale": scale_of.get(question.options) or question.scale, "rows": rows}


TYPE = MatrixType()
