"""A missing browser fails the browser tests in CI and skips them, with a reason, elsewhere."""

from __future__ import annotations

import os
import subprocess
import sys

from helpers.records import ROOT


def run_browser_test(ci: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "CI": ci, "SILLOK_CHROMIUM": "/nonexistent/chromium"}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-rs",
            "tests/site/test_browser.py::test_language_switch_lands_on_the_same_record",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_missing_chromium_fails_in_ci():
    run = run_browser_test("true")
    assert run.returncode == 1, run.stdout
    assert "no Chromium at /nonexistent/chromium" in run.stdout and "CI=true" in run.stdout


def test_missing_chromium_skips_outside_ci():
    run = run_browser_test("")
    assert run.returncode == 0, run.stdout
    assert "SKIPPED" in run.stdout and "no Chromium at /nonexistent/chromium" in run.stdout
