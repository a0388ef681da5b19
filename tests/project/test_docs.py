"""The README documents every command, every option and every field (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import argparse
import re

import pytest
from helpers.records import ROOT

from sillok.cli import build_parser
from sillok.record.schema import fields_markdown

README = (ROOT / "README.md").read_text("utf-8")


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_field_table_is_generated_from_the_schema():
    section = re.search(r"<!-- fields:start -->\n(.*?)<!-- fields:end -->", README, re.S)
    assert section, "README.md lost its <!-- fields:start --> / <!-- fields:end --> markers"
    assert section.group(1) == fields_markdown(), "README field table is stale: paste the output of `sillok fields`"


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_every_command_is_documented(command):
    assert f"`sillok {command}" in README, f"README does not document `sillok {command}`"


@pytest.mark.parametrize(
    ("command", "option"),
    sorted(
        (name, opt)
        for name, sub in subcommands().items()
        for action in sub._actions
        for opt in action.option_strings
        if opt.startswith("--") and opt != "--help"
    ),
)
def test_every_option_is_documented(command, option):
    assert f"`{option}" in README, f"README does not document `sillok {command} {option}`"


def test_every_command_has_an_example_in_its_help():
    for name, sub in subcommands().items():
        assert "Example: sillok" in (sub.description or ""), f"sillok {name} --help has no example"
