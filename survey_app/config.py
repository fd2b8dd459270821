"""Configuration from the environment, failing fast where a default would be unsafe.

Every variable is listed in the README.  ``APP_ENV`` is ``development`` (default),
``production`` or ``testing``; production refuses to start without ``SECRET_KEY``.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}


class ConfigError(RuntimeError):
    """A required setting is missing or malformed."""


def env_bool(name: str, default: bool) -> bool:
    """Parse a boolean variable strictly: a typo must not silently mean False."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ConfigError(f"{name}={raw!r} is not a boolean (use one of {sorted(TRUE_WORDS | FALSE_WORDS)})")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    try:
        return default if raw is None else int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the Flask config mapping for the current environment."""
    overrides = dict(overrides or {})
    app_env = overrides.get("APP_ENV") or os.environ.get("APP_ENV", "development")
    if app_env not in ("development", "production", "testing"):
        raise ConfigError(f"APP_ENV={app_env!r}: use development, production or testing")
    Path(instance_path).mkdir(parents=True, exist_ok=True)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'survey.db'}"
    config = {
        "APP_ENV": app_env,
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(db_url),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        # Links printed by the CLI and put into QR codes; the app itself uses relative URLs.
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/"),
        "WTF_CSRF_TIME_LIMIT": env_int("CSRF_TIME_LIMIT_SECONDS", 24 * 3600),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": env_bool("SESSION_COOKIE_SECURE", app_env == "production"),
        "MAX_CONTENT_LENGTH": env_int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024),
        "SEND_FILE_MAX_AGE_DEFAULT": env_int("STATIC_MAX_AGE_SECONDS", 7 * 24 * 3600),
    }
    config.update(overrides)
    if not config["SECRET_KEY"]:
        if app_env == "production":
            raise ConfigError("SECRET_KEY must be set in production (e.g. python -c 'import secrets; print(secrets.token_hex(32))')")
        config["SECRET_KEY"] = _development_secret(Path(instance_path))
    return config


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance: Path) -> str:
    """Generate a secret once into instance/ so sessions survive restarts in development."""
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
