"""Problem reports in the forms people and machines read: text, JSON, GitHub annotations."""

from __future__ import annotations

import json

from sillok.record.problems import Problem

FORMATS = ("text", "json", "github")


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github(problem: Problem) -> str:
    """A GitHub Actions workflow command, shown as an annotation on the file and line."""
    props = [f"file={_escape_property(problem.path)}"]
    if problem.line:
        props.append(f"line={problem.line}")
        if problem.column:
            props.append(f"col={problem.column}")
    props.append(f"title={_escape_property('sillok ' + problem.code)}")
    message = problem.message + (f" — {problem.hint}" if problem.hint else "")
    level = "notice" if problem.severity == "info" else problem.severity
    return f"::{level} {','.join(props)}::{_escape_data(message)}"


def render(problems: list[Problem], fmt: str, summary: dict) -> str:
    """All problems in one format; JSON carries the summary too, so it is one parseable document."""
    if fmt == "json":
        return json.dumps({**summary, "problems": [p.to_json() for p in problems]}, ensure_ascii=False, indent=2) + "\n"
    lines = [github(p) if fmt == "github" else p.format() for p in problems]
    return "".join(line + "\n" for line in lines)
