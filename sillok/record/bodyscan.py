"""Safety checks on a record's Markdown body: raw HTML and link targets.

Python-Markdown passes raw HTML straight through (``<script>``, ``onerror=``) and keeps any link
scheme (``javascript:``). The check rejects all raw HTML and every unsafe link before anything is
rendered; the renderer also sanitises, as defence in depth. This scanner is deliberately stricter
than Markdown: anything that *could* become a tag is reported, because a false alarm costs an
archivist one edit and a miss costs a reader's safety. It runs on every record, so it is a few
regular expressions over the text rather than a full Markdown render.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote

from sillok.record.text import hidden_in, position

# Fenced code blocks and inline code spans are shown as text by Markdown, never as HTML.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[`~]*[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>")
_HTML_START = re.compile(r"<(!--|!\[CDATA\[|![A-Za-z]|\?|/?[A-Za-z][^\s/>]*)")
_TAG_BODY = re.compile(r"[^>]*", re.S)
_EVENT_ATTR = re.compile(r"(?:^|[\s/\"'])(on[a-z]+)\s*=", re.I)
# Inline links and images: [text](target "title"), with one level of balanced parentheses.
_INLINE_LINK = re.compile(r"\]\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)")
# Reference definitions, as Python-Markdown reads them: the target may be on the next line.
_REFERENCE_DEF = re.compile(r"^ {0,3}\[([^\[\]\n]*)\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)(?=[ \t]*(?:[\"'(]|$))", re.M)
# Images: ![alt](target) and ![alt][ref], ![ref][], ![ref]; alt text may hold one level of brackets.
_ALT = r"!\[((?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]"
_INLINE_IMAGE = re.compile(_ALT + r"\(\s*(<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)")
_REFERENCE_IMAGE = re.compile(_ALT + r"(?!\()(?:[ ]?\[([^\[\]\n]*)\])?")
_ENTITY = re.compile(r"&(?:#[0-9]{1,8}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")

DANGEROUS_TAGS = {
    "script": "runs code in the reader's browser",
    "iframe": "embeds another page",
    "frame": "embeds another page",
    "object": "embeds active content",
    "embed": "embeds active content",
    "form": "can send readers' input elsewhere",
    "input": "is a form control",
    "button": "is a form control",
    "meta": "can redirect the page",
    "base": "changes where every link on the page goes",
    "link": "loads outside resources",
    "style": "changes how the page is shown and can hide text",
    "svg": "can carry script",
    "math": "can carry script",
}
SAFE_SCHEMES = ("http", "https", "mailto", "tel")
BANNED_SCHEMES = ("javascript", "vbscript", "data", "file")


@dataclass(frozen=True)
class Finding:
    line: int
    column: int
    code: str
    message: str
    hint: str


@dataclass(frozen=True)
class Link:
    target: str
    line: int
    column: int
    image: bool = False
    """The target of an image (``![alt](target)``), which a browser loads without a click."""


def _blank(match: re.Match) -> str:
    """Replace matched text by spaces, keeping newlines, so positions stay true."""
    return "\n".join(" " * len(part) for part in match.group().split("\n"))


def mask_code(body: str) -> str:
    """The body with code blocks and code spans blanked out (same length, same lines)."""
    if "`" not in body and "~~~" not in body:  # both need a backquote or a tilde fence: most bodies have neither
        return body
    body = _FENCE.sub(_blank, body)
    return _CODE_SPAN.sub(_blank, body)


def scan(body: str) -> tuple[list[Finding], list[Link]]:
    """Find raw HTML in a body and collect its link targets. Positions are relative to the body."""
    findings: list[Finding] = []
    links: list[Link] = []
    text = mask_code(body)

    if "]:" in text:  # every reference definition has one; the pattern starts with ^, which cannot skip ahead
        image_labels = {_label(m.group(2) or m.group(1)) for m in _REFERENCE_IMAGE.finditer(text)}
        for match in _REFERENCE_DEF.finditer(text):
            target = match.group(2).strip("<>")
            line, col = position(text, match.start(2))
            links.append(Link(target, line, col, image=_label(match.group(1)) in image_labels))
        text = _REFERENCE_DEF.sub(_blank, text)  # a definition's <target> is not an autolink

    for match in _AUTOLINK.finditer(text):
        line, col = position(text, match.start())
        links.append(Link(match.group(1), line, col + 1))
    text = _AUTOLINK.sub(_blank, text)

    images = {match.start(2) for match in _INLINE_IMAGE.finditer(text)}
    for match in _INLINE_LINK.finditer(text):
        target = match.group(1).strip("<>")
        line, col = position(text, match.start(1))
        links.append(Link(target, line, col, image=match.start(1) in images))

    for match in _ENTITY.finditer(text):
        decoded = _referenced(match.group())
        hidden = hidden_in(decoded) if decoded != match.group() else None
        if hidden:
            line, col = position(text, match.start())
            findings.append(
                Finding(
                    line,
                    col,
                    "invisible-character",
                    f"the character reference '{match.group()}' is {hidden[1]}",
                    "delete it; write visible text only",
                )
            )

    reported: set[tuple[int, str]] = set()
    for match in _HTML_START.finditer(text):
        line, col = position(text, match.start())
        opener = match.group(1)
        key = (line, opener.lstrip("/").lower())
        if key in reported:
            continue  # one report per tag per line: <script>…</script> is one problem
        reported.add(key)
        if opener == "!--":
            findings.append(
                Finding(
                    line,
                    col,
                    "raw-html",
                    "an HTML comment (<!-- -->) hides text from readers while keeping it in the published record",
                    "delete the comment; if the text belongs to the record, write it visibly",
                )
            )
            continue
        if opener.startswith(("!", "?")):
            findings.append(
                Finding(
                    line,
                    col,
                    "raw-html",
                    f"raw HTML markup '<{opener[:12]}' is not allowed in a record body",
                    "remove it; write the text in Markdown",
                )
            )
            continue
        name = opener.lstrip("/").lower()
        rest = _TAG_BODY.match(text, match.end()).group()
        event = _EVENT_ATTR.search(rest)
        if event:
            findings.append(
                Finding(
                    line,
                    col,
                    "raw-html",
                    f"raw HTML <{name}> with an event handler attribute '{event.group(1)}' (runs code in the reader's browser)",
                    "remove the tag; write the text in Markdown",
                )
            )
        elif name in DANGEROUS_TAGS:
            findings.append(
                Finding(
                    line,
                    col,
                    "raw-html",
                    f"raw HTML <{name}> is not allowed in a record body: it {DANGEROUS_TAGS[name]}",
                    "remove the tag",
                )
            )
        else:
            findings.append(
                Finding(
                    line,
                    col,
                    "raw-html",
                    f"raw HTML <{opener.lower()}> is not allowed in a record body",
                    "write it in Markdown (e.g. **bold**, - lists); for a literal '<' write &lt;",
                )
            )
    return findings, links


def _referenced(reference: str) -> str:
    """The character a browser shows for ``&…;`` (a numeric one as the code point it names, controls included)."""
    if reference.startswith("&#"):
        digits = reference[2:-1]
        code = int(digits[1:], 16) if digits[:1] in "xX" else int(digits)
        return chr(code) if 0 < code <= 0x10FFFF else "\ufffd"
    return html.unescape(reference)


def _label(text: str) -> str:
    """A reference label as Markdown compares them: case and runs of spaces do not matter."""
    return " ".join(text.split()).lower()


def normalise_target(target: str) -> str:
    """A link target as a browser reads it: entities decoded, tabs/newlines/controls dropped, lowercased."""
    decoded = html.unescape(target)
    return re.sub(r"[\x00-\x20\x7f]", "", decoded).lower()


def link_problem(target: str, attachments: set[str], *, image: bool = False) -> tuple[str, str, str] | None:
    """(code, message, hint) for a link that must not be published, or None when it is fine.

    An image is loaded by the reader's browser as soon as the page opens, so an image from another
    site is a request to a third party: only attachments may be shown as images.
    """
    browser = normalise_target(target)
    scheme = re.match(r"([a-z][a-z0-9+.\-]*):", browser)
    if image and (browser.startswith("//") or (scheme and scheme.group(1) not in BANNED_SCHEMES)):
        return (
            "remote-image",
            f"image '{target}' would be loaded from another site (a request to a third party on every page view)",
            "save the image in the record folder, list it under attachments in record.yml and write ![alt](file.png)",
        )
    if scheme:
        name = scheme.group(1)
        if name in BANNED_SCHEMES:
            return (
                "link-scheme",
                f"link '{target}' uses the {name}: scheme, which can run code or embed content",
                "link to an http(s) address or an attachment instead",
            )
        if name not in SAFE_SCHEMES:
            return (
                "link-scheme",
                f"link '{target}' uses the unsupported scheme {name}:",
                f"use one of {', '.join(s + ':' for s in SAFE_SCHEMES)}",
            )
        return None
    if browser.startswith("#") or not browser:
        return None
    path = unquote(html.unescape(target)).split("#", 1)[0].split("?", 1)[0]
    if "\\" in path:
        return ("link-path", f"link '{target}' contains a backslash", "use the attachment's plain file name")
    if path.startswith(("/", "~")) or re.match(r"[A-Za-z]:", path) or path.startswith("//"):
        return ("link-path", f"link '{target}' is an absolute path", "link to an attachment by its file name")
    if ".." in path.split("/"):
        return (
            "link-path",
            f"link '{target}' leaves the record folder ('..')",
            "link to an attachment in this record's folder by its file name",
        )
    if "/" in path or path not in attachments:
        return (
            "link-attachment",
            f"link '{target}' is not an attachment listed in record.yml",
            "add the file to the record folder and to attachments in record.yml, or link to an http(s) address",
        )
    return None
