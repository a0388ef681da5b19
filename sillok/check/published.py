"""Check the hand-written part of the site: pages under ``docs/`` and theme templates under ``overrides/``.

Records are not the only thing the site publishes. A hand-written page is Markdown like a record
body (Python-Markdown passes its raw HTML through), and a file under ``docs/`` that is not Markdown
is copied to the site as it is. So pages are held to the records' rules (no raw HTML, no script
link schemes, plain-text titles), HTML files are refused outright and SVG images may not carry
script. Templates legitimately hold HTML; what they may not hold is script that the site's
Content-Security-Policy would have to vouch for: inline ``<script>`` blocks, ``on…=`` event
handler attributes and ``javascript:`` URLs. Both folders are code as far as review is concerned
(``.github/CODEOWNERS``); this check makes the rules mechanical.
"""

from __future__ import annotations

import re
from pathlib import Path

from sillok.record import bodyscan
from sillok.record.problems import Problem, ProblemCollector
from sillok.record.text import decode, hidden_in, markup_in, position

GENERATED = "records"
"""docs/records/ is generated from the records (and emptied of anything else) on every build."""
PUBLISHED_AS_IS = {".html", ".htm", ".xhtml", ".shtml", ".xml", ".xsl", ".xslt"}
"""Files MkDocs would copy into the site unchanged and a browser would run as a document."""
ACTIVE_IMAGES = {".svg", ".svgz"}

_FRONT = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*\n", re.S)
_TITLE = re.compile(r"^(title|description)[ \t]*:[ \t]*(.*)$", re.M)
_INLINE_SCRIPT = re.compile(
    r"<script\b(?![^>]*\bsrc\s*=)(?![^>]*\btype\s*=\s*[\"']?application/(?:ld\+)?json)[^>]*>", re.I
)
_EVENT_ATTR = re.compile(r"<[A-Za-z][^>]*?[\s\"'/](on[a-z]+)\s*=", re.I | re.S)
_SCRIPT_URL = re.compile(r"(?:javascript|vbscript|data\s*:\s*text/html)\s*:", re.I)
_SVG_ACTIVE = re.compile(r"<script\b|<foreignObject\b|\son[a-z]+\s*=|javascript:|<!ENTITY", re.I)
_SNIPPET = re.compile(r"^-{2,}8<-{2,}.*$", re.M)


def check_published(docs: Path, overrides: Path | None = None) -> list[Problem]:
    """Every problem in the hand-written pages and files under ``docs`` and the templates under ``overrides``."""
    problems: list[Problem] = []
    if docs.is_dir():
        for path in sorted(docs.rglob("*")):
            relative = path.relative_to(docs)
            if relative.parts[0] == GENERATED or not path.is_file():
                continue
            suffix = path.suffix.lower()
            out = ProblemCollector(path, problems)
            if suffix == ".md":
                _check_page(path, out)
            elif suffix in PUBLISHED_AS_IS:
                out.error(
                    0,
                    f"a {suffix} file under docs/ is published unchanged and is not checked",
                    "write the page in Markdown (.md), or put template HTML in overrides/",
                    code="published-html",
                )
            elif suffix in ACTIVE_IMAGES:
                _check_active(path, out, _SVG_ACTIVE, "an SVG image that can run script")
    if overrides is not None and overrides.is_dir():
        for path in sorted(overrides.rglob("*.html")):
            _check_template(path, ProblemCollector(path, problems))
    return problems


def _check_page(path: Path, out: ProblemCollector) -> None:
    text = decode(path.read_bytes(), out, max_bytes=1024 * 1024)
    if text is None:
        return
    body, shift = text, 0
    front = _FRONT.match(text)
    if front:
        for match in _TITLE.finditer(front.group(1) or ""):
            value = match.group(2).strip().strip("\"'")
            line = front.group(0).count("\n", 0, match.start(2)) + 1
            found = markup_in(value)
            if found:
                out.error(
                    line,
                    f"{match.group(1)} is plain text but holds HTML markup '{found}'",
                    "remove the markup; the theme prints the title into <title> and the header",
                    code="markup-in-text",
                )
            elif hidden_in(value):
                out.error(
                    line, f"{match.group(1)} holds {hidden_in(value)[1]}", "delete it", code="invisible-character"
                )
        body, shift = text[front.end() :], text.count("\n", 0, front.end())
    body = _SNIPPET.sub(lambda m: " " * len(m.group()), body)  # pymdownx.snippets includes generated HTML
    findings, links = bodyscan.scan(body)
    for finding in findings:
        out.error(finding.line + shift, finding.message, finding.hint, code=finding.code, column=finding.column)
    for link in links:
        found = bodyscan.link_problem(link.target, set(), image=link.image)
        if found and found[0] in ("link-scheme", "remote-image"):
            code, message, hint = found
            out.error(link.line + shift, message, hint, code=code, column=link.column)


def _check_active(path: Path, out: ProblemCollector, pattern: re.Pattern, what: str) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    match = pattern.search(text)
    if match:
        line, column = position(text, match.start())
        out.error(
            line,
            f"{what}: '{match.group().strip()}'",
            "remove the script, or the file",
            code="published-script",
            column=column,
        )


def _check_template(path: Path, out: ProblemCollector) -> None:
    text = path.read_bytes().decode("utf-8", "replace")
    for pattern, message in (
        (_INLINE_SCRIPT, "an inline <script> (the Content-Security-Policy vouches for no inline script)"),
        (_EVENT_ATTR, "an inline event handler attribute (the Content-Security-Policy blocks it)"),
        (_SCRIPT_URL, "a script URL"),
    ):
        for match in pattern.finditer(text):
            line, column = position(text, match.start())
            found = match.group(1) if pattern is _EVENT_ATTR else match.group().strip()
            out.error(
                line,
                f"template holds {message}: '{found[:40]}'",
                "move the script into a file under overrides/assets/ and load it with <script src>",
                code="published-script",
                column=column,
            )
