"""The Chinese text catalogue: every user-facing label and standard sentence, defined once.

Domain code, reports, the CLI and templates (through the Jinja global ``texts``) all read
these modules, so a word is changed in one place and reads the same on every page, in the
Excel workbook and in the Word appendix.

- ``labels``: names of the product's concepts (statuses, sources, validity rules, states …);
- ``scoring``: score rules, their working, validity reasons;
- ``report``: the Word appendix's standard sentences and the exports' fixed texts;
- ``report_settings``: the report settings page, derived defaults and where they came from;
- ``imports``: the answer-import report;
- ``distribution``: the distribution sheet's cards;
- ``respond``: messages on the answering page;
- ``api``: the JSON API's error messages.

Only ``domain.vocabulary`` (the codes being labelled) may be imported from here, so any
layer can read the catalogue.
"""

from . import api, distribution, imports, labels, report, report_settings, respond, scoring

__all__ = ["api", "distribution", "imports", "labels", "report", "report_settings", "respond", "scoring"]
