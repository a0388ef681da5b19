"""The redaction mark, and the test that a redacted text only removes from the sealed one.

A redaction replaces each removed span of a sealed file by one :data:`MARK` and changes nothing
else. So the redacted text, split at its marks into segments ``s0 MARK s1 … MARK sk``, must be the
sealed text with a non-empty span between each pair of neighbouring segments: ``s0`` is a prefix,
``sk`` a suffix, and every segment between appears, in order, after a gap of at least one
character. Finding each middle segment at its leftmost possible place is enough to decide it
(the same argument as glob matching with ``*``: the leftmost place leaves the most room to the
rest). A mark that an earlier redaction left in the sealed text may stay: it is a span replaced by
itself. Nothing of a removed span is needed, kept or returned.
"""

from __future__ import annotations

from dataclasses import dataclass

MARK = "▇▇▇"
"""One removed span: three U+2587 LOWER SEVEN EIGHTHS BLOCK, visibly blacked out in any font and
language, and never part of ordinary record text. The site wraps each in an element labelled
"redacted" in the reader's language."""


@dataclass(frozen=True)
class Difference:
    """Where a text stops being the sealed text with spans masked."""

    line: int
    """1-based line of the redacted text where it first differs."""
    found: str
    """That line of the redacted text (to show the archivist)."""
    reason: str


def _line(text: str, index: int) -> tuple[int, str]:
    number = text.count("\n", 0, index) + 1
    start = text.rfind("\n", 0, index) + 1
    end = text.find("\n", index)
    return number, text[start : end if end >= 0 else len(text)]


def _common_prefix(a: str, b: str, start: int = 0) -> int:
    """How many characters of ``b`` equal ``a`` from ``start`` on."""
    n = 0
    limit = min(len(a) - start, len(b))
    while n < limit and a[start + n] == b[n]:
        n += 1
    return n


def only_removes(sealed: str, redacted: str) -> Difference | None:
    """None when ``redacted`` is ``sealed`` with one or more spans each replaced by one :data:`MARK`."""
    segments = redacted.split(MARK)
    offsets = [0]
    for segment in segments[:-1]:
        offsets.append(offsets[-1] + len(segment) + len(MARK))

    def differs(segment_index: int, matched: int, reason: str) -> Difference:
        line, found = _line(redacted, offsets[segment_index] + matched)
        return Difference(line, found, reason)

    if len(segments) == 1:
        if redacted == sealed:
            return Difference(1, redacted.split("\n", 1)[0], "nothing was masked")
        matched = _common_prefix(sealed, redacted)
        return differs(0, matched, f"differs from the sealed text and has no redaction mark {MARK}")
    first, *middle, last = segments
    if not sealed.startswith(first):
        return differs(0, _common_prefix(sealed, first), "differs from the sealed text before the first mark")
    position = len(first)
    for number, segment in enumerate(middle, 1):
        found = sealed.find(segment, position + 1)  # a mark stands for at least one removed character
        if found < 0:
            matched = _longest_found_prefix(sealed, segment, position + 1)
            return differs(number, matched, "text after a redaction mark is not in the sealed text")
        position = found + len(segment)
    start = len(sealed) - len(last)
    if start < position + 1 or not sealed.endswith(last):
        matched = _common_suffix_start(sealed, last, position + 1)
        return differs(len(segments) - 1, matched, "text after the last redaction mark is not how the sealed text ends")
    return None


def _longest_found_prefix(sealed: str, segment: str, start: int) -> int:
    """The longest prefix of ``segment`` found in ``sealed`` from ``start`` (where the difference begins)."""
    low, high = 0, len(segment)  # invariant: a prefix of length low is found, one of length high+1 is not
    while low < high:
        middle = (low + high + 1) // 2
        if sealed.find(segment[:middle], start) >= 0:
            low = middle
        else:
            high = middle - 1
    return low


def _common_suffix_start(sealed: str, last: str, earliest: int) -> int:
    """Where in ``last`` (counting from its start) the shared ending with ``sealed`` begins."""
    n = 0
    limit = min(len(last), len(sealed) - earliest)
    while n < limit and sealed[-1 - n] == last[-1 - n]:
        n += 1
    return max(len(last) - n - 1, 0)
