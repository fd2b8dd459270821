"""Browser tests: a live server in a thread, headless Chromium driven by Playwright (sync API).

Every test here is skipped, with a reason saying what to install, when the
``playwright`` Python package or a ``chromium`` binary is missing.  Playwright's own
browser downloads are never used: we launch the system Chromium (``/usr/bin/chromium``).

Fixtures
    live_server      base URL of the session ``app`` served by werkzeug on a free port
    browser          one Chromium for the session
    phone            a page in a fresh 390×844 touch context (zh-CN, JavaScript on)
    phone_nojs       the same with JavaScript disabled
    outside_requests URLs of requests the pages made to any host other than 127.0.0.1
    page_errors      uncaught JavaScript errors raised in the pages
    screenshot       ``screenshot(page, "name")`` saves a full-page PNG under test-artifacts/browser/

A failing test also leaves ``<test>-FAILED-<page>.png`` there.
"""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

INSTALL_PLAYWRIGHT = (
    "browser tests need the 'playwright' Python package: pip install -r tests/requirements.txt "
    "(or pip install playwright; never 'playwright install': the system Chromium is used)"
)
INSTALL_CHROMIUM = (
    "browser tests need a Chromium binary at /usr/bin/chromium or on PATH: apt-get install chromium "
    "(Playwright's downloaded browsers are not used)"
)

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

CHROMIUM = next((p for p in ("/usr/bin/chromium", shutil.which("chromium")) if p and Path(p).exists()), None)
# Skipping per test (not pytest.skip at import): this conftest is loaded at start-up when
# pytest is pointed at tests/browser, where a module-level skip would abort the run.
SKIP_REASON = INSTALL_PLAYWRIGHT if sync_playwright is None else INSTALL_CHROMIUM if CHROMIUM is None else None

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"
LOCAL_HOST = "127.0.0.1"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "is_mobile": True,
    "has_touch": True,
    "locale": "zh-CN",
    "device_scale_factor": 2,
}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    # CI sets REQUIRE_BROWSER=1: there a missing browser must fail the run, not hide it.
    required = os.environ.get("REQUIRE_BROWSER") == "1"
    for item in items:
        if here in Path(str(item.path)).parents:
            item.add_marker(pytest.mark.browser)
            if SKIP_REASON and not required:
                item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_failed = report.failed
    return report


# --- server -------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def _server(app):
    from werkzeug.serving import make_server

    server = make_server(LOCAL_HOST, 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield f"http://{LOCAL_HOST}:{server.server_port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def live_server(app, _server):
    """Base URL of the live server.  Requesting ``app`` here puts every browser test under
    the autouse table cleanup of tests/conftest.py."""
    return _server


# --- browser ------------------------------------------------------------------------------

@pytest.fixture(scope="session")
def browser():
    if SKIP_REASON:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but the browser is unavailable: {SKIP_REASON}")
        pytest.skip(SKIP_REASON)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def outside_requests():
    return []


@pytest.fixture
def page_errors():
    return []


@pytest.fixture
def _contexts(request, browser, outside_requests, page_errors):
    """Open phone contexts on demand; close them (with a screenshot on failure) afterwards."""
    opened = []

    def record(req):
        parts = urlsplit(req.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.hostname != LOCAL_HOST:
            outside_requests.append(req.url)

    def open_context(**options):
        context = browser.new_context(**PHONE, **options)
        context.set_default_timeout(TIMEOUT_MS)
        context.on("request", record)
        context.on("page", lambda page: page.on("pageerror", lambda exc: page_errors.append(str(exc))))
        opened.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: page_errors.append(str(exc)))
        return page

    yield open_context
    for i, context in enumerate(opened):
        if getattr(request.node, "browser_failed", False):
            for j, page in enumerate(context.pages):
                try:
                    page.screenshot(path=str(ARTIFACTS / f"{_slug(request.node.name)}-FAILED-{i}{j}.png"), full_page=True)
                except Exception:  # noqa: BLE001 - best effort only
                    pass
        context.close()


@pytest.fixture
def phone(_contexts):
    """A page on a 390×844 touch phone, Chinese locale, JavaScript on."""
    return _contexts()


@pytest.fixture
def phone_nojs(_contexts):
    """The same phone with JavaScript disabled (old WeChat builtin browsers, data-saver modes)."""
    return _contexts(java_script_enabled=False)


@pytest.fixture
def new_phone(_contexts):
    """Factory for extra phones in one test: ``new_phone(java_script_enabled=False)``."""
    return _contexts


@pytest.fixture
def screenshot(request):
    """``screenshot(page, "filled")`` → test-artifacts/browser/<test>-filled.png (full page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = ARTIFACTS / f"{_slug(request.node.name)}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text).strip("_")
