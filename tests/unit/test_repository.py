"""Things that must never be in the repository: per-machine secrets and data under instance/."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_nothing_under_instance_is_tracked():
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout: nothing to check")
    tracked = subprocess.run(["git", "ls-files", "instance/"], cwd=ROOT, capture_output=True, text=True, check=True)
    assert tracked.stdout.split() == [], "instance/ holds per-machine secrets and databases; untrack them"
