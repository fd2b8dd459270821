"""Configuration: strict parsing, safe production defaults, and one declared place for every key."""

from __future__ import annotations

import ast
import hashlib
import re
from pathlib import Path

import pytest

from survey_app import config as config_module
from survey_app import create_app
from survey_app.config import ConfigError, build_config, normalise_db_url

ROOT = Path(__file__).resolve().parents[2]
CONFIG_SOURCE = Path(config_module.__file__)


def environment_variables() -> set[str]:
    """Return the names config.py reads from the environment (``os.environ.get`` and ``env_*``)."""
    names = set()
    for node in ast.walk(ast.parse(CONFIG_SOURCE.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call) or not node.args or not isinstance(node.args[0], ast.Constant):
            continue
        func = node.func
        called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        reads_environ = isinstance(func, ast.Attribute) and ast.unparse(func.value) == "os.environ"
        if (reads_environ and called == "get") or called in {"env_bool", "env_int", "env_seconds"}:
            names.add(node.args[0].value)
    return names


@pytest.fixture
def clean_env(monkeypatch):
    """No configuration variable set, whatever the shell running the tests exports."""
    for name in environment_variables():
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("true", True), (" Yes ", True), ("ON", True),
                                               ("0", False), ("false", False), ("no", False), ("off", False), ("", False)])
def test_booleans_accept_the_documented_words(clean_env, tmp_path, raw, expected):
    clean_env.setenv("SESSION_COOKIE_SECURE", raw)
    assert build_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is expected


@pytest.mark.parametrize("raw", ["ture", "2", "enabled", "y"])
def test_a_mistyped_boolean_stops_the_app(clean_env, tmp_path, raw):
    clean_env.setenv("SESSION_COOKIE_SECURE", raw)
    with pytest.raises(ConfigError, match="SESSION_COOKIE_SECURE.*not a boolean"):
        build_config(str(tmp_path))


@pytest.mark.parametrize(("name", "raw"), [("MAX_CONTENT_LENGTH", "8M"), ("MAX_CONTENT_LENGTH", "1.5"),
                                           ("PROXY_FIX_X_FOR", "one"), ("CSRF_TIME_LIMIT_SECONDS", "")])
def test_a_bad_integer_names_the_variable(clean_env, tmp_path, name, raw):
    clean_env.setenv(name, raw)
    with pytest.raises(ConfigError, match=f"{name}=.*not an integer"):
        build_config(str(tmp_path))


@pytest.mark.parametrize(("name", "raw"), [("PROXY_FIX_X_FOR", "-1"), ("MAX_CONTENT_LENGTH", "0")])
def test_an_integer_below_its_minimum_is_refused(clean_env, tmp_path, name, raw):
    clean_env.setenv(name, raw)
    with pytest.raises(ConfigError, match=f"{name}=.*at least"):
        build_config(str(tmp_path))


@pytest.mark.parametrize("raw", ["soon", "0", "-1", "inf", "nan"])
def test_dashboard_seconds_must_be_positive_numbers(clean_env, tmp_path, raw):
    clean_env.setenv("DASHBOARD_POLL_SECONDS", raw)
    with pytest.raises(ConfigError, match="DASHBOARD_POLL_SECONDS"):
        build_config(str(tmp_path))


def test_numbers_from_the_environment_are_used(clean_env, tmp_path):
    clean_env.setenv("PROXY_FIX_X_FOR", "2")
    clean_env.setenv("DASHBOARD_POLL_SECONDS", "0.25")
    clean_env.setenv("UNIT_UPLOAD_FOLDER", str(tmp_path / "elsewhere"))
    config = build_config(str(tmp_path))
    assert (config["PROXY_FIX_X_FOR"], config["DASHBOARD_POLL_SECONDS"]) == (2, 0.25)
    assert config["UNIT_UPLOAD_FOLDER"] == str(tmp_path / "elsewhere")


def test_unknown_app_env_is_refused(clean_env, tmp_path):
    clean_env.setenv("APP_ENV", "prod")
    with pytest.raises(ConfigError, match="APP_ENV='prod'"):
        build_config(str(tmp_path))


def test_production_refuses_to_start_without_a_secret_key(clean_env, tmp_path):
    clean_env.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY must be set in production"):
        build_config(str(tmp_path))
    assert not (tmp_path / "secret_key").exists()  # no generated fallback either


def test_the_app_factory_raises_the_same_error(clean_env):
    clean_env.setenv("APP_ENV", "production")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        create_app()


def test_production_defaults_are_the_safe_ones(clean_env, tmp_path):
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("SECRET_KEY", "s" * 64)
    clean_env.setenv("PUBLIC_BASE_URL", "https://survey.example.gov.cn")
    config = build_config(str(tmp_path))
    assert config["SECRET_KEY"] == "s" * 64
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert "API_TOKEN" not in config  # personal API tokens replaced the shared one


def test_development_generates_one_secret_and_keeps_it(clean_env, tmp_path):
    first = build_config(str(tmp_path))["SECRET_KEY"]
    assert len(first) == 64
    assert build_config(str(tmp_path))["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_a_database_server_connection_is_pinged_on_checkout(clean_env, tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")
    assert build_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"] == {"pool_pre_ping": True}


def test_every_declared_key_has_its_default(clean_env, tmp_path):
    config = build_config(str(tmp_path))
    assert config == {
        "APP_ENV": "development",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'survey.db'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": False},  # SQLite: nothing to ping
        "SECRET_KEY": (tmp_path / "secret_key").read_text().strip(),
        "PUBLIC_BASE_URL": "http://127.0.0.1:5000",
        "PROXY_FIX_X_FOR": 0,
        "WTF_CSRF_TIME_LIMIT": 86400,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": False,
        "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
        "SEND_FILE_MAX_AGE_DEFAULT": 7 * 24 * 3600,
        "UNIT_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "DASHBOARD_POLL_SECONDS": 1.0,
        "DASHBOARD_HEARTBEAT_SECONDS": 15.0,
        "DASHBOARD_STREAM_SECONDS": 600.0,
        "DASHBOARD_STREAM_SLOTS": 2,
        "DASHBOARD_STREAM_RETRY_SECONDS": 30.0,
        "DASHBOARD_STATS_WAIT_SECONDS": 1.0,
        "SERVE": "all",
        "WORKSPACE_BASE_URL": "",
    }


def test_overrides_win_over_the_environment(clean_env, tmp_path):
    clean_env.setenv("PUBLIC_BASE_URL", "https://survey.example.gov.cn/")
    config = build_config(str(tmp_path), {"PUBLIC_BASE_URL": "http://testing", "APP_ENV": "testing"})
    assert (config["PUBLIC_BASE_URL"], config["APP_ENV"]) == ("http://testing", "testing")
    assert build_config(str(tmp_path))["PUBLIC_BASE_URL"] == "https://survey.example.gov.cn"


def test_postgresql_urls_use_psycopg_3():
    assert normalise_db_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_db_url("sqlite:///x.db") == "sqlite:///x.db"


def keys_read_by_the_app() -> dict[str, list[str]]:
    """Return ``{key: [file:line, …]}`` for ``….config["KEY"]`` and ``….config.get("KEY", …)`` in survey_app."""
    found: dict[str, list[str]] = {}
    for path in sorted((ROOT / "survey_app").rglob("*.py")):
        if "vendor" in path.parts or path == CONFIG_SOURCE:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            key = None
            if isinstance(node, ast.Subscript) and _is_config(node.value) and isinstance(node.slice, ast.Constant):
                key = node.slice.value
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
                  and _is_config(node.func.value) and node.args and isinstance(node.args[0], ast.Constant)):
                key = node.args[0].value
                assert len(node.args) == 1 and not node.keywords, (
                    f"{path.relative_to(ROOT)}:{node.lineno} reads {key} with a default of its own: "
                    f"declare the default in survey_app/config.py and read config[{key!r}]")
            if key is not None:
                found.setdefault(key, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def _is_config(node: ast.AST) -> bool:
    return (isinstance(node, ast.Attribute) and node.attr == "config") or (isinstance(node, ast.Name) and node.id == "config")


def test_every_key_the_app_reads_is_declared_in_config(clean_env, tmp_path):
    declared = set(build_config(str(tmp_path)))
    undeclared = {key: where for key, where in keys_read_by_the_app().items() if key not in declared}
    assert not undeclared, f"read but not declared in survey_app/config.py: {undeclared}"


def test_the_readme_lists_every_environment_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", section, flags=re.MULTILINE))
    assert documented == environment_variables()


def test_cookies_are_https_only_when_the_service_is_reached_over_https(clean_env, tmp_path):
    """An intranet server on plain http must still let people log in (a Secure cookie never returns)."""
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("SECRET_KEY", "s" * 64)
    clean_env.setenv("PUBLIC_BASE_URL", "http://10.0.0.8:8000")
    assert build_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is False
    clean_env.setenv("SESSION_COOKIE_SECURE", "1")  # an explicit setting still wins
    assert build_config(str(tmp_path))["SESSION_COOKIE_SECURE"] is True


def test_production_refuses_a_short_secret_key(clean_env, tmp_path):
    clean_env.setenv("APP_ENV", "production")
    clean_env.setenv("SECRET_KEY", "x" * 31)
    with pytest.raises(ConfigError, match="at least 32 bytes"):
        build_config(str(tmp_path))
    clean_env.setenv("SECRET_KEY", "x" * 32)
    assert build_config(str(tmp_path))["SECRET_KEY"] == "x" * 32


def test_the_published_key_is_refused_everywhere(clean_env, tmp_path):
    """The rule, with a stand-in key on the list (the real key stays out of the repository)."""
    from survey_app import config as config_module

    clean_env.setattr(config_module, "PUBLISHED_SECRET_SHA256",
                      frozenset({hashlib.sha256(b"p" * 64).hexdigest()}))
    for env in ("production", "development"):
        clean_env.setenv("APP_ENV", env)
        clean_env.setenv("SECRET_KEY", "p" * 64)
        with pytest.raises(ConfigError, match="published key"):
            build_config(str(tmp_path))


def test_a_development_secret_file_holding_the_published_key_is_replaced(clean_env, tmp_path):
    from survey_app import config as config_module

    clean_env.setattr(config_module, "PUBLISHED_SECRET_SHA256", frozenset({hashlib.sha256(b"q" * 64).hexdigest()}))
    (tmp_path / "secret_key").write_text("q" * 64 + "\n")
    fresh = build_config(str(tmp_path))["SECRET_KEY"]
    assert fresh != "q" * 64 and len(fresh) == 64
    assert (tmp_path / "secret_key").read_text() == fresh
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_the_key_once_committed_to_the_repository_is_on_the_refused_list():
    from survey_app.config import PUBLISHED_SECRET_SHA256

    assert "89ae9a9c0a4c8bed3ddb673cd60dcc2fa758a5b413a52a772227b7b790b42bd1" in PUBLISHED_SECRET_SHA256


def test_serve_takes_one_of_three_modes(clean_env, tmp_path):
    clean_env.setenv("SERVE", " Respondents ")
    clean_env.setenv("WORKSPACE_BASE_URL", "http://10.0.0.8:8001/")
    config = build_config(str(tmp_path))
    assert (config["SERVE"], config["WORKSPACE_BASE_URL"]) == ("respondents", "http://10.0.0.8:8001")
    clean_env.setenv("SERVE", "evaluator")
    with pytest.raises(ConfigError, match="SERVE='evaluator'"):
        build_config(str(tmp_path))
