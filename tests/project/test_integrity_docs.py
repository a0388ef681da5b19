"""The README documents every integrity command and option (a test fails when one is undocumented)."""

from __future__ import annotations

import pytest
from helpers.records import ROOT

from sillok.cli import cli

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["seal", "redact", "verify-site"])
def test_integrity_commands_and_their_options_are_documented(command):
    assert f"`sillok {command}" in README
    for param in cli.commands[command].params:
        for option in param.opts:
            if option.startswith("-"):
                assert option in README, f"sillok {command} {option} is not in the README"


def test_check_base_and_formats_are_documented():
    assert "`sillok check --base REF`" in README
    for name in (
        "manifest-sha256.txt",
        "ledger-salts.txt",
        "seals.log",
        "redactions.jsonl",
        "git filter-repo",
        "36(3)",
    ):
        assert name in README
