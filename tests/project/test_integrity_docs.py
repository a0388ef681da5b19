"""guide/integrity.md documents every integrity command and option (a test fails when one is undocumented)."""

from __future__ import annotations

import pytest
from helpers.records import ROOT

from sillok.cli import cli

PAGE = (ROOT / "guide" / "integrity.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", ["seal", "redact", "verify-site"])
def test_integrity_commands_and_their_options_are_documented(command):
    assert f"`sillok {command}" in PAGE
    for param in cli.commands[command].params:
        for option in param.opts:
            if option.startswith("-"):
                assert option in PAGE, f"sillok {command} {option} is not in guide/integrity.md"


def test_check_base_and_formats_are_documented():
    assert "`sillok check --base REF`" in PAGE
    for name in (
        "manifest-sha256.txt",
        "ledger-salts.txt",
        "seals.log",
        "redactions.jsonl",
        "git filter-repo",
        "36(3)",
    ):
        assert name in PAGE
