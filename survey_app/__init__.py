"""满意度调查 service: application factory."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import build_config


def create_app(config: dict | None = None) -> Flask:
    """Build the app: configuration → extensions → blueprints → error pages → CLI."""
    app = Flask(__name__, instance_relative_config=True)
    configure(app, config)
    init_extensions(app)
    register_web_helpers(app)
    register_serving(app)
    register_blueprints(app)
    register_error_pages(app)
    register_cli(app)
    return app


def configure(app: Flask, overrides: dict | None) -> None:
    app.config.update(build_config(app.instance_path, overrides))
    # Chinese labels must keep their scale order in JSON responses.
    app.json.sort_keys = False
    app.json.ensure_ascii = False
    hops = app.config["PROXY_FIX_X_FOR"]
    if hops:  # behind nginx etc.: take the client address from X-Forwarded-For
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401 - register the tables with the metadata
    from .extensions import csrf, db, login_manager, migrate
    from .models import User

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)

    @login_manager.user_loader
    def load_user(session_id: str):
        # "<user id>:<session epoch>" (User.get_id): a session from before the last logout,
        # password change or deactivation carries an old epoch and is no longer valid.
        user_id, _, epoch = session_id.partition(":")
        user = db.session.get(User, int(user_id)) if user_id.isdigit() and epoch.isdigit() else None
        return user if user is not None and user.active and user.session_epoch == int(epoch) else None


def register_web_helpers(app: Flask) -> None:
    from .web import init_app

    init_app(app)


def register_serving(app: Flask) -> None:
    from .serve import init_app

    init_app(app)


def register_blueprints(app: Flask) -> None:
    from .api import bp as api_bp
    from .auth import bp as auth_bp
    from .evaluate import bp as evaluate_bp
    from .respond import bp as respond_bp

    app.register_blueprint(respond_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(evaluate_bp)
    app.register_blueprint(api_bp)


def register_error_pages(app: Flask) -> None:
    from .errors import init_app

    init_app(app)


def register_cli(app: Flask) -> None:
    from .cli import init_app

    init_app(app)
