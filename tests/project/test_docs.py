"""The README documents every command, every option and every field (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import re

import click
import pytest
from helpers.records import ROOT

from sillok.cli import cli
from sillok.record.schema import fields_markdown

README = (ROOT / "README.md").read_text("utf-8")


def subcommands() -> dict[str, click.Command]:
    return dict(cli.commands)


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
        for param in sub.params
        for opt in param.opts
        if opt.startswith("--")
    ),
)
def test_every_option_is_documented(command, option):
    assert f"`{option}" in README, f"README does not document `sillok {command} {option}`"


def test_every_command_has_an_example_in_its_help():
    for name, sub in subcommands().items():
        assert "Example: sillok" in (sub.help or ""), f"sillok {name} --help has no example"
