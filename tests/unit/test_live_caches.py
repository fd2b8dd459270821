"""The dashboard's per-process caches (services/live.py), with a fake clock: no app, no database."""

from __future__ import annotations

import threading

from survey_app.services.live import ResultCache, VersionCache


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_version_cache_asks_once_per_ttl_and_per_survey():
    clock, asked = Clock(), []

    def fetch(survey_id: int) -> str:
        asked.append(survey_id)
        return f"v{len(asked)}"

    cache = VersionCache(ttl=0.5, clock=clock)
    assert cache.get(1, fetch) == "v1" and cache.get(1, fetch) == "v1"
    assert cache.get(2, fetch) == "v2"  # another survey: its own entry
    clock.now = 0.49
    assert cache.get(1, fetch) == "v1"
    clock.now = 0.5
    assert cache.get(1, fetch) == "v3" and asked == [1, 2, 1]


def test_result_cache_builds_once_expires_and_evicts_the_oldest():
    clock, builds = Clock(), []

    def build(value):
        def run():
            builds.append(value)
            return value
        return run

    cache = ResultCache(size=2, ttl=30.0, clock=clock)
    assert cache.get("a", build("A")) == "A" and cache.get("a", build("other")) == "A"
    cache.get("b", build("B"))
    cache.get("a", build("unused"))  # "a" is now the most recent
    cache.get("c", build("C"))  # evicts "b", the least recently used
    assert cache.get("b", build("B2")) == "B2"
    clock.now = 30.0
    assert cache.get("c", build("C2")) == "C2"  # older than ttl: rebuilt
    assert builds == ["A", "B", "C", "B2", "C2"]


def test_result_cache_shares_one_build_among_waiting_threads():
    cache, started, release, builds = ResultCache(), threading.Event(), threading.Event(), []

    def slow():
        builds.append(1)
        started.set()
        release.wait(5)
        return "value"

    results = []
    first = threading.Thread(target=lambda: results.append(cache.get("k", slow)))
    first.start()
    started.wait(5)
    others = [threading.Thread(target=lambda: results.append(cache.get("k", slow))) for _ in range(3)]
    for t in others:
        t.start()
    release.set()
    for t in (first, *others):
        t.join(5)
    assert results == ["value"] * 4 and builds == [1]


def test_result_cache_forgets_a_failed_build():
    cache = ResultCache()

    def boom():
        raise RuntimeError("database gone")

    try:
        cache.get("k", boom)
    except RuntimeError:
        pass
    assert cache.get("k", lambda: "ok") == "ok"
