"""Flask commands, one module per command group: thin wrappers that parse and call a service.

A command that writes is wrapped in ``transaction.command_transaction``: it commits once when
the command ends normally and rolls back when it stops early (``sys.exit`` included).
"""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register every command group on ``app.cli``."""
    # The sub-groups (units, responses, export, summary …) attach themselves to ``survey``.
    from . import export, imports, report, summary  # noqa: F401
    from .banks import banks_group
    from .demo import demo_command
    from .survey import survey_group
    from .users import user_group

    app.cli.add_command(banks_group)
    app.cli.add_command(demo_command)
    app.cli.add_command(survey_group)
    app.cli.add_command(user_group)
