"""A survey's scoring, score-rule and validity settings, with METHOD.md's defaults.

Stored as one JSON document on the survey::

    {"scoring": {...ScoringSettings...}, "score_rule": {...rule...}, "validity": {...ValidityRules...},
     "sampling": {"population": N or null}}

Missing parts take their defaults, so a survey created before a setting existed keeps
working.  Every change is validated by the domain, refused once the survey is closed,
and written to the audit log with the values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from ..domain.scoring import (
    D41_BANDS,
    SamplingSettings,
    ScoreRule,
    ScoringSettings,
    SettingsError,
    ValidityRules,
    rule_from_dict,
)
from ..domain.vocabulary import SurveyState
from ..models import AuditEvent, Survey
from .surveys import SurveyStateError

PARTS = ("scoring", "score_rule", "validity", "sampling")


@dataclass(frozen=True)
class SurveySettings:
    scoring: ScoringSettings
    score_rule: ScoreRule
    validity: ValidityRules
    #: The population N of the sample-size check (None: Σ unit minimums, docs/scoring.md §7).
    sampling: SamplingSettings = SamplingSettings()

    def to_dict(self) -> dict[str, Any]:
        return {
            "scoring": self.scoring.to_dict(),
            "score_rule": self.score_rule.to_dict(),
            "validity": self.validity.to_dict(),
            "sampling": self.sampling.to_dict(),
        }


def default_score_rule(weight: float | None) -> dict[str, Any]:
    """The D41 band table (METHOD.md §1), its points scaled to the indicator's weight.

    With the usual weight 6 this is exactly the published table; for another weight
    each band keeps its share of the full points (rounded to 2 decimals).
    """
    weight = Decimal(str(weight or 6))
    bands = [
        {"min": b["min"], "points": float((Decimal(b["points"]) * weight / 6).quantize(Decimal("0.01")))}
        for b in D41_BANDS
    ]
    return {"type": "band", "weight": float(weight), "bands": bands}


def survey_settings(survey: Survey) -> SurveySettings:
    """Return the survey's effective settings (stored values over defaults)."""
    stored = survey.settings or {}
    return SurveySettings(
        scoring=ScoringSettings.from_dict(stored.get("scoring")),
        score_rule=rule_from_dict(stored.get("score_rule") or default_score_rule(survey.indicator_weight)),
        validity=ValidityRules.from_dict(stored.get("validity")),
        sampling=SamplingSettings.from_dict(stored.get("sampling")),
    )


def validity_rules(survey: Survey) -> ValidityRules:
    """Return the survey's validity rules alone: what every submission needs (the score rule
    is checked band by band when parsed, which a submission has no use for)."""
    return ValidityRules.from_dict((survey.settings or {}).get("validity"))


def update_settings(session: Session, survey: Survey, changes: dict[str, Any], actor: str) -> SurveySettings:
    """Replace the given parts of the settings, validate, audit and flush.

    :param changes: any of ``scoring`` (partial dict, merged), ``score_rule`` (whole
        rule), ``validity`` (partial dict per rule, merged), ``sampling`` (merged).
    :raises SurveyStateError: when the survey is closed.
    :raises SettingsError | RuleError: when a value is invalid (nothing is changed).
    """
    if survey.status == SurveyState.CLOSED:
        raise SurveyStateError("settings of a closed survey cannot change")
    unknown = set(changes) - set(PARTS)
    if unknown:
        raise SettingsError(f"unknown settings part(s): {sorted(unknown)}", f"未知的设置项：{'、'.join(sorted(unknown))}")
    before = survey_settings(survey).to_dict()
    merged = dict(before)
    if "scoring" in changes:
        merged["scoring"] = {**before["scoring"], **changes["scoring"]}
    if "score_rule" in changes:
        merged["score_rule"] = changes["score_rule"]
    if "validity" in changes:
        changed = {name: {**before["validity"].get(name, {}), **part} for name, part in changes["validity"].items()}
        merged["validity"] = {**before["validity"], **changed}
    if "sampling" in changes:
        merged["sampling"] = {**before["sampling"], **changes["sampling"]}
    candidate = SurveySettings(
        scoring=ScoringSettings.from_dict(merged["scoring"]),
        score_rule=rule_from_dict(merged["score_rule"]),
        validity=ValidityRules.from_dict(merged["validity"]),
        sampling=SamplingSettings.from_dict(merged["sampling"]),
    )
    after = candidate.to_dict()
    if after != before:
        # Other parts of the document (the report settings) are kept as they are.
        survey.settings = {**(survey.settings or {}), **after}
        session.add(AuditEvent(survey_id=survey.id, actor=actor, action="settings.change", before=before, after=after))
        session.flush()
    return candidate
