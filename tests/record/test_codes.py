"""Every problem code used in sillok/ is in the registry (sillok/record/codes.py), documented, and listed in the guide."""

from __future__ import annotations

import ast

from helpers.records import ROOT

from sillok.record.codes import CODES, codes_markdown

PACKAGE = ROOT / "sillok"


def _strings(node: ast.AST) -> list[str]:
    """The code(s) an expression can be: a string, or either branch of ``"a" if … else "b"``."""
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    return [node.value] if isinstance(node, ast.Constant) and isinstance(node.value, str) else []


def codes_in_source() -> dict[str, str]:
    """code -> first place it is used, found where the source gives a problem its code:

    ``code="…"`` (ProblemCollector.error/warning/info, Problem), ``Finding(line, column, "…", …)``
    (the body scan) and ``return ("…", message, hint)`` (link checks answer a code, message and hint).
    """
    found: dict[str, str] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            codes: list[str] = []
            if isinstance(node, ast.Call):
                codes += [code for k in node.keywords if k.arg == "code" for code in _strings(k.value)]
                name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                if name == "Finding" and len(node.args) > 2:
                    codes += _strings(node.args[2])
            elif isinstance(node, ast.Return) and isinstance(node.value, ast.Tuple) and len(node.value.elts) == 3:
                codes += _strings(node.value.elts[0])
            for code in codes:
                found.setdefault(code, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_scan_finds_the_codes_it_should():
    used = codes_in_source()
    assert {"bom", "raw-html", "link-scheme", "sealed-modified", "yaml-syntax"} <= set(used)


def test_every_code_used_is_registered():
    missing = {code: where for code, where in codes_in_source().items() if code not in CODES}
    assert not missing, "problem codes missing from sillok/record/codes.py:\n" + "\n".join(
        f"{where}: {code}" for code, where in sorted(missing.items())
    )


def test_every_registered_code_is_used():
    stale = sorted(set(CODES) - set(codes_in_source()))
    assert not stale, f"codes in sillok/record/codes.py that nothing in sillok/ uses any more: {stale}"


def test_every_code_is_documented():
    for code in CODES.values():
        assert code.meaning.strip() and code.fix.strip(), f"{code.code} needs a meaning and a fix"
        assert "|" not in code.meaning + code.fix, f"{code.code}: '|' would break the guide's table"


def test_the_guide_lists_every_code():
    guide = (ROOT / "guide" / "record-format.md").read_text("utf-8")
    assert codes_markdown() in guide, (
        "guide/record-format.md's problem codes are stale: run python scripts/write_guide.py"
    )
    for code in CODES:
        assert f"`{code}`" in guide
