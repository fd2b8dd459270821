"""Scoring core: answers → shares → satisfaction → composite → indicator points.

Pure Python (stdlib, numpy): no Flask, no SQLAlchemy.  The rules are written
out as formulas in ``docs/scoring.md``.
"""

from .band import D41_BANDS, Band, BandRule, default_band_rule
from .bootstrap import (
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MIN_RESAMPLES,
    SERVICE_MAX_DRAWS,
    ConfidenceInterval,
    bootstrap_ci,
    composite_ci,
    composite_ci_from_codes,
)
from .breakdowns import GroupResult, breakdown, breakdown_by_unit
from .chances import ScoreChance, ScoreChances, score_chances
from .composite import (
    CompositeResult,
    Level,
    UnitCounts,
    UnitScore,
    compute_composite,
    pool,
)
from .counting import tally
from .errors import RuleError, ScoringError, ScoringInputError, SettingsError
from .numbers import as_float
from .question import QuestionResult, score_question
from .reliability import AlphaResult, alpha_from_codes, cronbach_alpha, item_matrix
from .respondent_matrix import NO_ANSWER, NO_UNIT, codes_from_responses
from .rule_io import rule_from_dict
from .rule_values import json_number
from .rules import DeductionRule, RatioRule, ScoreResult, ScoreRule, ThresholdRule
from .sampling import (
    POPULATION_QUOTA,
    POPULATION_SET,
    Coverage,
    SampleSize,
    SamplingSettings,
    UnitCoverage,
    cochran_n0,
    cochran_sample_size,
    coverage,
    sample_size,
    yamane_sample_size,
)
from .settings import ScoringSettings
from .shares import (
    SHARE_CONVENTIONS,
    largest_remainder_hundredths,
    largest_remainder_shares,
    rounded_units,
    share_of,
    shares_of,
)
from .specs import OptionSpec, QuestionSpec
from .validity import Flag, ResponseRecord, ValidityResult, automatic_status, screen
from .validity_rules import (
    DuplicateDevice,
    MinDuration,
    NotInFrame,
    StraightLine,
    StraightLineFast,
    ValidityRules,
)

__all__ = [
    "automatic_status",
    "D41_BANDS",
    "DEFAULT_RESAMPLES",
    "DEFAULT_SEED",
    "MIN_RESAMPLES",
    "NO_ANSWER",
    "NO_UNIT",
    "SERVICE_MAX_DRAWS",
    "AlphaResult",
    "Band",
    "BandRule",
    "CompositeResult",
    "ConfidenceInterval",
    "Coverage",
    "DeductionRule",
    "DuplicateDevice",
    "Flag",
    "GroupResult",
    "Level",
    "MinDuration",
    "NotInFrame",
    "OptionSpec",
    "QuestionResult",
    "QuestionSpec",
    "RatioRule",
    "ResponseRecord",
    "RuleError",
    "SampleSize",
    "ScoreResult",
    "ScoreRule",
    "ScoringError",
    "ScoringInputError",
    "ScoringSettings",
    "SettingsError",
    "StraightLine",
    "StraightLineFast",
    "ThresholdRule",
    "UnitCounts",
    "UnitCoverage",
    "UnitScore",
    "ValidityResult",
    "ValidityRules",
    "alpha_from_codes",
    "as_float",
    "bootstrap_ci",
    "ScoreChance",
    "ScoreChances",
    "score_chances",
    "breakdown",
    "breakdown_by_unit",
    "cochran_n0",
    "cochran_sample_size",
    "codes_from_responses",
    "composite_ci",
    "composite_ci_from_codes",
    "compute_composite",
    "coverage",
    "cronbach_alpha",
    "default_band_rule",
    "item_matrix",
    "json_number",
    "largest_remainder_hundredths",
    "largest_remainder_shares",
    "POPULATION_QUOTA",
    "POPULATION_SET",
    "SamplingSettings",
    "rounded_units",
    "share_of",
    "shares_of",
    "SHARE_CONVENTIONS",
    "pool",
    "rule_from_dict",
    "sample_size",
    "score_question",
    "screen",
    "tally",
    "yamane_sample_size",
]
