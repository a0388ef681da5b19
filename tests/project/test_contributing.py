"""CONTRIBUTING.md, followed literally in a fresh clone, adds a record that passes every check."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from helpers.records import ROOT

GUIDE = (ROOT / "CONTRIBUTING.md").read_text("utf-8")
ENGLISH = GUIDE[GUIDE.index("## English") :]


def sh(command: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True)


def test_the_english_steps_add_a_record_that_passes_every_check(tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # the clone's branch is main as in a real checkout, even when ROOT is a worktree on another branch
    subprocess.run(["git", "-C", str(clone), "checkout", "-q", "-B", "main"], check=True)
    git = "git -c user.name=archivist -c user.email=archivist@example.org"
    steps = ENGLISH[ENGLISH.index("### Add a record") : ENGLISH.index("### Import a page")]

    assert sh(re.search(r"`(git switch -c [^`]+)`", steps).group(1), clone).returncode == 0
    new = re.search(r"```sh\n\s*(sillok new .*?)\n\s*```", steps, re.S).group(1)
    done = sh(new, clone)
    assert done.returncode == 0, done.stderr
    folder = clone / "records/2024/2024-05-02-government-evaluation-2024"
    for name, text in (
        ("ko.md", "- □ 2024년 정부업무평가 결과를 발표하였다.\n"),
        ("en.md", "- □ The results of the 2024 evaluation were announced.\n"),
    ):
        with open(folder / name, "a", encoding="utf-8") as handle:  # step 3: write the text below the ---
            handle.write(text + "  ")  # with trailing blanks, which step 5 fixes
    commands = [c for c in re.findall(r"`(sillok (?:normalize|check|seal)[^`]*)`", steps) if "--base" not in c]
    assert [c.split()[1] for c in commands] == ["normalize", "check", "seal"]
    for command in commands:
        done = sh(command, clone)
        assert done.returncode == 0, f"{command}: {done.stdout}{done.stderr}"
    assert sh(f"git add records && {git} commit -qm 'Add the 2024 evaluation'", clone).returncode == 0
    done = sh("sillok check --base main --strict", clone)  # what the pull-request workflow runs
    assert done.returncode == 0, done.stdout + done.stderr
    assert "2024/2024-05-02-government-evaluation-2024/ko.md" in (clone / "records/manifest-sha256.txt").read_text()
