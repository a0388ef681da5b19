"""The README is a front door (≤ 300 lines, one line per command, links that resolve); guide/ documents every
command, every option and every field, and its generated parts are not stale (sqlite-utils' test_docs idea)."""

from __future__ import annotations

import re

import click
import pytest
from helpers.records import ROOT

from sillok.cli import cli, commands_markdown
from sillok.record.schema import fields_markdown

README = (ROOT / "README.md").read_text("utf-8")
GUIDE = ROOT / "guide"
COMMANDS = (GUIDE / "commands.md").read_text("utf-8")


def subcommands() -> dict[str, click.Command]:
    return dict(cli.commands)


def test_readme_is_a_front_door():
    assert len(README.splitlines()) <= 300, "README.md must stay at most 300 lines: move detail into guide/"
    assert "## Quick start" in README and "make site" in README and "make test" in README


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_readme_has_a_line_per_command(command):
    assert re.search(rf"^\| `sillok {command}[ `]", README, re.M), f"README's command table lacks `sillok {command}`"


def test_commands_page_is_generated_from_the_help():
    assert commands_markdown() == COMMANDS, "guide/commands.md is stale: run python scripts/write_guide.py"


def _shown(param: click.Parameter) -> list[str]:
    """How the help shows a parameter: an option by each of its spellings, an argument by its metavar."""
    return list(param.opts) if isinstance(param, click.Option) else [param.human_readable_name]


@pytest.mark.parametrize(
    ("command", "option"),
    sorted((name, shown) for name, sub in subcommands().items() for param in sub.params for shown in _shown(param)),
)
def test_every_command_and_option_is_in_the_guide(command, option):
    section = COMMANDS.split(f"## sillok {command}\n", 1)
    assert len(section) == 2, f"guide/commands.md does not document `sillok {command}`"
    assert option in section[1].split("\n## ", 1)[0], f"guide/commands.md does not document `sillok {command} {option}`"


def test_every_command_has_an_example_in_its_help():
    for name, sub in subcommands().items():
        assert "Example: sillok" in (sub.help or ""), f"sillok {name} --help has no example"


def test_field_table_is_generated_from_the_schema():
    page = (GUIDE / "record-format.md").read_text("utf-8")
    section = re.search(r"<!-- fields:start -->\n(.*?)<!-- fields:end -->", page, re.S)
    assert section, "guide/record-format.md lost its <!-- fields:start --> / <!-- fields:end --> markers"
    assert section.group(1) == fields_markdown(), "the field table is stale: run python scripts/write_guide.py"


@pytest.mark.parametrize("page", [ROOT / "README.md", *sorted(GUIDE.rglob("*.md"))], ids=lambda p: p.name)
def test_relative_links_resolve(page):
    text = re.sub(r"```.*?```", "", page.read_text("utf-8"), flags=re.S)
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if not re.match(r"[a-z]+:", target):
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"
