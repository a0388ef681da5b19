"""The ``sillok`` command as users run it: real processes, exit codes, output formats."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from helpers.records import RECORD_DIR, VALID_KO, valid_record, write_tree

from sillok import __version__
from sillok.check.progress import Progress


def sillok(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "sillok", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )


def test_clean_archive_exits_0(tmp_path):
    write_tree(tmp_path, valid_record())
    done = sillok("check", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (0, "")
    assert done.stderr == "checked 1 record: 0 errors, 0 warnings\n"


def test_problems_exit_1_with_path_line_and_fix(tmp_path):
    write_tree(tmp_path, valid_record(ko_md=VALID_KO.replace("점검하였다", "점검\u3164하였다")))
    done = sillok("check", cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout == (
        f"{RECORD_DIR}/ko.md:7:19: error: invisible character U+3164 HANGUL FILLER (a Hangul filler)"
        " — delete it; most editors do not show it (search for \\u3164)\n"
    )
    assert done.stderr == "checked 1 record: 1 error, 0 warnings\n"


def test_usage_errors_exit_2(tmp_path):
    assert sillok("check", "no/such/folder", cwd=tmp_path).returncode == 2
    assert sillok("check", "--format", "xml", cwd=tmp_path).returncode == 2
    assert sillok("frobnicate", cwd=tmp_path).returncode == 2
    assert sillok(cwd=tmp_path).returncode == 2


def test_warnings_pass_unless_strict(tmp_path):
    write_tree(tmp_path, valid_record(ko_md=VALID_KO + "\n연락처 010-9876-5432\n"))
    assert sillok("check", cwd=tmp_path).returncode == 0
    assert sillok("check", "--strict", cwd=tmp_path).returncode == 1


def test_json_format(tmp_path):
    write_tree(tmp_path, valid_record(ko_md=VALID_KO + "\n<b>x</b>\n"))
    done = sillok("check", "--format", "json", cwd=tmp_path)
    report = json.loads(done.stdout)
    assert done.returncode == 1
    assert {k: report[k] for k in ("records_checked", "valid_records", "errors", "warnings")} == {
        "records_checked": 1,
        "valid_records": 0,
        "errors": 1,
        "warnings": 0,
    }
    assert report["problems"] == [
        {
            "path": f"{RECORD_DIR}/ko.md",
            "line": 9,
            "column": 1,
            "code": "raw-html",
            "severity": "error",
            "message": "raw HTML <b> is not allowed in a record body",
            "hint": "write it in Markdown (e.g. **bold**, - lists); for a literal '<' write &lt;",
        }
    ]


def test_github_format_escapes_workflow_command_syntax(tmp_path):
    write_tree(tmp_path, valid_record(ko_md=VALID_KO + "\n[x](javascript:a,b)\n"))
    done = sillok("check", "--format", "github", cwd=tmp_path)
    assert done.stdout == (
        f"::error file={RECORD_DIR}/ko.md,line=9,col=5,title=sillok link-scheme::"
        "link 'javascript:a,b' uses the javascript: scheme, which can run code or embed content"
        " — link to an http(s) address or an attachment instead\n"
    )


def test_version():
    done = subprocess.run([sys.executable, "-m", "sillok", "--version"], capture_output=True, text=True)
    assert done.stdout == f"sillok {__version__}\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_on_a_terminal_only():
    tty, log = Terminal(), io.StringIO()
    for stream in (tty, log):
        bar = Progress(500, "checking records", stream=stream)
        for _ in range(500):
            bar.advance()
        bar.close()
    assert tty.getvalue().endswith("checking records [##############################] 500/500\n")
    assert log.getvalue() == ""


@pytest.mark.parametrize("char", ["\u3164", "\u115f", "\u1160", "\uffa0", "\u2066", "\u200d", "\x1b", "\x85"])
def test_every_invisible_character_is_rejected(tmp_path, char):
    write_tree(tmp_path, valid_record(ko_md=VALID_KO.replace("점검하였다", f"점검{char}하였다")))
    done = sillok("check", "--format", "json", cwd=tmp_path)
    problems = json.loads(done.stdout)["problems"]
    assert [(p["line"], p["column"], p["code"]) for p in problems] == [(7, 19, "invisible-character")]
    assert f"U+{ord(char):04X}" in problems[0]["message"]
