"""The Chinese text catalogue: every user-facing label and standard sentence, defined once.

Domain code, reports, the CLI and templates (through the Jinja global ``texts``) all read
these modules, so a word is changed in one place and reads the same on every page, in the
Excel workbook and in the Word appendix.

- ``labels``: names of the product's concepts (statuses, sources, validity rules, states …);
- ``scoring``: score rules, their working, validity reasons;
- ``report``: the Word appendix's standard sentences and the exports' fixed texts;
- ``report_settings``: the report settings page, derived defaults and where they came from;
- ``imports``: the answer-import report;
- ``banks``: the bank validator's messages (CLI, upload, designer) and the question types' names;
- ``designer``: the questionnaire designer's labels and refusals;
- ``distribution``: the distribution sheet's cards;
- ``respond``: messages on the answering page;
- ``review``: messages of the answer review (bulk decisions);
- ``audit``: the audit log's entries as sentences;
- ``api``: the JSON API's error messages;
- ``bank_library``: saved and uploaded banks, a survey's start (bank, copy, blank);
- ``opinions``: the 意见建议 page, its messages and the workbook's 意见建议 sheet.

Only ``domain.vocabulary`` (the codes being labelled) may be imported from here, so any
layer can read the catalogue.
"""

from . import (
    api,
    audit,
    bank_library,
    designer,
    distribution,
    imports,
    labels,
    opinions,
    report,
    report_settings,
    respond,
    review,
    scoring,
)

__all__ = ["api", "audit", "bank_library", "designer", "distribution", "imports", "labels", "opinions", "report",
           "report_settings", "respond", "review", "scoring"]
