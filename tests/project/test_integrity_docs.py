"""The README documents every integrity command and option (a test fails when one is undocumented)."""

from __future__ import annotations

import argparse

import pytest
from helpers.records import ROOT

from sillok.cli import build_parser

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _subcommand(name: str) -> argparse.ArgumentParser:
    parser = build_parser()
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sub.choices[name]


@pytest.mark.parametrize("command", ["seal", "redact", "verify-site"])
def test_integrity_commands_and_their_options_are_documented(command):
    assert f"`sillok {command}" in README
    for action in _subcommand(command)._actions:
        for option in action.option_strings:
            if option not in ("-h", "--help"):
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
