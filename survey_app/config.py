"""Configuration from the environment, failing fast where a default would be unsafe.

Every key the app reads is set here, with its default; the README's configuration table lists
each environment variable.  ``APP_ENV`` is ``development`` (default), ``production`` or
``testing``; production refuses to start without ``SECRET_KEY``.  Code reads settings as
``current_app.config["KEY"]``, never with a default of its own.
"""

from __future__ import annotations

import hashlib
import os
import secrets
from pathlib import Path

TRUE_WORDS, FALSE_WORDS = {"1", "true", "yes", "on"}, {"0", "false", "no", "off", ""}
APP_ENVS = ("development", "production", "testing")
#: What one server answers (survey_app/serve.py): everything, only the respondents' pages, or
#: only the evaluators' workspace and API.
SERVE_MODES = ("all", "respondents", "evaluators")


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


def env_int(name: str, default: int, minimum: int = 0) -> int:
    """Parse a whole number ≥ ``minimum``; anything else stops the app with the variable's name."""
    raw = os.environ.get(name)
    try:
        value = default if raw is None else int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not an integer") from exc
    if value < minimum:
        raise ConfigError(f"{name}={raw!r} must be at least {minimum}")
    return value


def env_seconds(name: str, default: float) -> float:
    """Parse a positive number of seconds (decimals allowed)."""
    raw = os.environ.get(name)
    try:
        value = default if raw is None else float(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a number of seconds") from exc
    if not value > 0 or value == float("inf"):
        raise ConfigError(f"{name}={raw!r} must be a positive number of seconds")
    return value


#: SHA-256 of secret keys that were once published (committed to the repository): anyone can
#: forge sessions, CSRF tokens and respondent tickets signed with them, so they are refused.
PUBLISHED_SECRET_SHA256 = frozenset({"89ae9a9c0a4c8bed3ddb673cd60dcc2fa758a5b413a52a772227b7b790b42bd1"})
#: Shortest production SECRET_KEY, in bytes (HMAC-SHA256 wants at least its output size).
MIN_SECRET_BYTES = 32


def is_published(key: str) -> bool:
    """Say whether ``key`` is one of the published keys."""
    return hashlib.sha256(key.strip().encode()).hexdigest() in PUBLISHED_SECRET_SHA256


def build_config(instance_path: str, overrides: dict | None = None) -> dict:
    """Return the Flask config mapping for the current environment.

    :param overrides: keys set by the caller (tests, benchmarks); they win over the environment.
    :raises ConfigError: a variable is malformed, or production lacks ``SECRET_KEY``.
    """
    overrides = dict(overrides or {})
    app_env = overrides.get("APP_ENV") or os.environ.get("APP_ENV", "development")
    if app_env not in APP_ENVS:
        raise ConfigError(f"APP_ENV={app_env!r}: use development, production or testing")
    instance = Path(instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    db_url = os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'survey.db'}"
    public_base_url = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    config = {
        "APP_ENV": app_env,
        "SQLALCHEMY_DATABASE_URI": normalise_db_url(db_url),
        # A server connection can be dropped (restart, idle timeout): ping it on checkout.  An
        # embedded SQLite file cannot, and the ping was a second statement on every request.
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not normalise_db_url(db_url).startswith("sqlite")},
        "SECRET_KEY": os.environ.get("SECRET_KEY") or None,
        # Links printed by the CLI, the links CSV, QR codes and the distribution sheet;
        # pages themselves use relative URLs.
        "PUBLIC_BASE_URL": public_base_url,
        # Reverse proxies in front whose X-Forwarded-For / -Proto are trusted (0: none, use the socket's address).
        "PROXY_FIX_X_FOR": env_int("PROXY_FIX_X_FOR", 0),
        "WTF_CSRF_TIME_LIMIT": env_int("CSRF_TIME_LIMIT_SECONDS", 24 * 3600, minimum=1),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        # HTTPS-only cookies when the service is reached over HTTPS; an intranet server on plain
        # http must still let people log in (a Secure cookie would never come back).
        "SESSION_COOKIE_SECURE": env_bool("SESSION_COOKIE_SECURE", public_base_url.startswith("https://")),
        "MAX_CONTENT_LENGTH": env_int("MAX_CONTENT_LENGTH", 8 * 1024 * 1024, minimum=1),
        "SEND_FILE_MAX_AGE_DEFAULT": env_int("STATIC_MAX_AGE_SECONDS", 7 * 24 * 3600),
        # Unit lists and answer files wait here between "check" and "confirm".
        "UNIT_UPLOAD_FOLDER": os.environ.get("UNIT_UPLOAD_FOLDER") or str(instance / "uploads"),
        # Live dashboard stream: how often it checks the data version, how often it sends a
        # keep-alive comment, and after how long it ends (the browser reconnects, re-checking access).
        "DASHBOARD_POLL_SECONDS": env_seconds("DASHBOARD_POLL_SECONDS", 1.0),
        "DASHBOARD_HEARTBEAT_SECONDS": env_seconds("DASHBOARD_HEARTBEAT_SECONDS", 15.0),
        "DASHBOARD_STREAM_SECONDS": env_seconds("DASHBOARD_STREAM_SECONDS", 600.0),
        # Live dashboard capacity (docs/architecture.md): open event streams per worker process
        # (each holds one thread; 0 turns streams off) and about how long a dashboard refused a
        # stream polls before it tries again.
        "DASHBOARD_STREAM_SLOTS": env_int("DASHBOARD_STREAM_SLOTS", 2),
        "DASHBOARD_STREAM_RETRY_SECONDS": env_seconds("DASHBOARD_STREAM_RETRY_SECONDS", 30.0),
        # How long a dashboard's statistics request waits for the 95 % interval of the current
        # data; after that it gets the last interval computed (marked as such) while it computes.
        "DASHBOARD_STATS_WAIT_SECONDS": env_seconds("DASHBOARD_STATS_WAIT_SECONDS", 1.0),
        # Two-server layout (docs/architecture.md, "Live dashboard capacity"): which requests this
        # server answers, and where a respondents-only server sends /manage/… and /api/….
        "SERVE": _serve_mode(os.environ.get("SERVE", "all")),
        "WORKSPACE_BASE_URL": os.environ.get("WORKSPACE_BASE_URL", "").rstrip("/"),
    }
    config.update(overrides)
    config["SECRET_KEY"] = _secret_key(config["SECRET_KEY"], app_env, instance)
    return config


def _serve_mode(raw: str) -> str:
    mode = raw.strip().lower()
    if mode not in SERVE_MODES:
        raise ConfigError(f"SERVE={raw!r}: use one of {', '.join(SERVE_MODES)}")
    return mode


def _secret_key(given: str | None, app_env: str, instance: Path) -> str:
    """Check the configured key, or (development, testing) generate one per machine.

    :raises ConfigError: production without a key or with one shorter than ``MIN_SECRET_BYTES``;
        a published key anywhere.
    """
    hint = "(e.g. python -c 'import secrets; print(secrets.token_hex(32))')"
    if given and is_published(given):
        raise ConfigError(f"SECRET_KEY is a published key (it was once committed to the repository); set a new one {hint}")
    if app_env == "production":
        if not given:
            raise ConfigError(f"SECRET_KEY must be set in production {hint}")
        if len(given.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(f"SECRET_KEY must be at least {MIN_SECRET_BYTES} bytes in production {hint}")
    return given or _development_secret(instance)


def normalise_db_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs (SQLAlchemy would otherwise pick psycopg2)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def _development_secret(instance: Path) -> str:
    """Generate a secret once per machine into instance/ (mode 0600) so sessions survive restarts.

    A file holding a published key (a checkout from before it was untracked) is replaced.
    """
    path = instance / "secret_key"
    if path.exists():
        key = path.read_text().strip()
        if key and not is_published(key):
            return key
        path.unlink()
    key = secrets.token_hex(32)
    # Created with mode 0600 from the start: no moment in which others could read it.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write(key)
    return key
