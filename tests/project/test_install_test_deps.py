"""scripts/install-test-deps, which `make test` and `.ci/run` run first: a no-op when everything is there,
and, when something is missing and it cannot install, a stop at once with the one command to run."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from helpers.records import ROOT

SCRIPT = ROOT / "scripts" / "install-test-deps"
PACKAGES = "chromium chromium-driver fonts-noto-cjk default-jre-headless"


def test_make_test_and_ci_run_use_it():
    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile[makefile.index("\ntest: ") + 1 :].split("\n\n", 1)[0]
    assert recipe.splitlines()[1:] == [
        "\tscripts/install-test-deps",
        "\t$(BIN)/ruff format --check .",
        "\t$(BIN)/ruff check .",
        "\t$(BIN)/python -m pytest",
    ]
    assert "exec make test" in (ROOT / ".ci" / "run").read_text()
    assert os.access(SCRIPT, os.X_OK) and os.access(ROOT / ".ci" / "run", os.X_OK)


def test_skipped_on_request():
    done = subprocess.run([str(SCRIPT)], env={"PATH": "/usr/bin:/bin", "SILLOK_SKIP_TEST_DEPS": "1"}, check=False)
    assert done.returncode == 0


@pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("runuser"), reason="needs root to run as another user")
def test_without_root_or_sudo_it_stops_with_the_command():
    """A user who is not root, with no sudo and none of the packages: nothing is installed, exit 1 at once."""
    place = Path(tempfile.mkdtemp(prefix="sillok-deps-"))  # outside pytest's private tmp, so nobody can read it
    try:
        place.chmod(0o755)
        bin_dir = place / "bin"
        bin_dir.mkdir()
        for tool in ("bash", "grep", "id", "apt-get"):  # real programs; chromium, java, fc-list and sudo are absent
            if shutil.which(tool):
                (bin_dir / tool).symlink_to(shutil.which(tool))
        script = place / "install-test-deps"
        shutil.copy(SCRIPT, script)
        done = subprocess.run(
            [shutil.which("runuser"), "-u", "nobody", "--", str(bin_dir / "bash"), str(script)],
            env={"PATH": str(bin_dir)},
            capture_output=True,
            text=True,
            check=False,
            timeout=30,
        )
    finally:
        shutil.rmtree(place)
    assert done.returncode == 1, done.stderr
    assert f"sudo apt-get update && sudo apt-get install -y --no-install-recommends {PACKAGES}" in done.stderr
