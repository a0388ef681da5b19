"""Readable ids: a record's slug from its title, Korean romanized, so an id can be read aloud and typed.

Hangul is written in the Revised Romanization of Korean (국어의 로마자 표기법, 2000): each syllable is
split into its initial, medial and final jamo (Unicode syllables are ``0xAC00 + (initial*21 + medial)*28
+ final``) and each jamo has one spelling. Within a run of Hangul the commonest sound changes at a
syllable boundary are applied, as the romanization writes them:

- a final before a silent initial ㅇ moves to the next syllable (정부업무 → jeongbueommu, 결과를 → gyeolgwareul);
- nasalization: ㄱ/ㄷ/ㅂ-type finals before ㄴ, ㅁ become ng/n/m (국민 → gungmin, 합니다 → hamnida);
- ㄹ after a final other than ㄹ/ㄴ reads n (중립 → jungnip, 협력 → hyeomnyeok), and ㄴ+ㄹ, ㄹ+ㄴ, ㄹ+ㄹ read ll
  (신라 → silla);
- a final ㅎ before ㄱ, ㄷ, ㅈ aspirates them (좋다 → jota) and is silent before a vowel.

Not applied (rare in titles, or needing a dictionary): palatalization (같이), tensing, ㄴ-insertion in
compounds, and aspiration after ㄱ/ㄷ/ㅂ, which the romanization leaves unwritten in nouns anyway. Latin
words are kept (accents folded), everything else (punctuation, Hanja, symbols) is dropped.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

MAX_WORDS = 6
"""At most this many words; titles are long and an id should fit in a line."""
MAX_LENGTH = 50
"""At most this many characters, cut at a word boundary."""

_FIRST, _LAST = 0xAC00, 0xD7A3
INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "-", "j", "jj", "ch", "k", "t", "p", "h"]
"""The 19 initials in Unicode order; ``-`` is the silent ㅇ."""
MEDIALS = [
    "a",
    "ae",
    "ya",
    "yae",
    "eo",
    "e",
    "yeo",
    "ye",
    "o",
    "wa",
    "wae",
    "oe",
    "yo",
    "u",
    "wo",
    "we",
    "wi",
    "yu",
    "eu",
    "ui",
    "i",
]
"""The 21 medials in Unicode order."""
FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t"]
FINALS += ["ng", "t", "t", "k", "t", "p", "t"]
"""The 28 finals (index 0: none) as they sound at the end of a word or before a consonant."""
LINKED = ["", "g", "kk", "ks", "n", "nj", "n", "d", "r", "lg", "lm", "lb", "ls", "lt", "lp", "r", "m", "b", "ps", "s"]
LINKED += ["ss", "ng", "j", "ch", "k", "t", "p", ""]
"""The finals as they are written when the next syllable starts with a vowel (they move onto it)."""

_SILENT, _N, _R, _M = 11, 2, 5, 6
_K_FINALS, _T_FINALS, _P_FINALS = {1, 2, 3, 9, 24}, {7, 19, 20, 22, 23, 25, 27}, {14, 17, 18, 26}
_ASPIRATED = {0: "k", 3: "t", 12: "ch"}  # ㄱ ㄷ ㅈ after a final ㅎ
_H_FINALS = {6: "n", 15: "l", 27: ""}  # ㄶ ㅀ ㅎ: what remains of them before ㄱ/ㄷ/ㅈ


def _jamo(char: str) -> tuple[int, int, int]:
    index = ord(char) - _FIRST
    return index // 588, index % 588 // 28, index % 28


def _junction(final: int, initial: int) -> tuple[str, str]:
    """How a final and the next initial are written together: (end of this syllable, start of the next)."""
    onset = INITIALS[initial]
    if initial == _SILENT:
        return "", LINKED[final] or ""
    if final in _H_FINALS and initial in _ASPIRATED:
        return _H_FINALS[final], _ASPIRATED[initial]
    if initial in (_N, _M):
        if final in _K_FINALS:
            return "ng", onset
        if final in _T_FINALS:
            return "n", onset
        if final in _P_FINALS:
            return "m", onset
    if initial == _R:
        if FINALS[final] in ("l", "n"):
            return "l", "l"
        if final:
            nasal = {"k": "ng", "t": "n", "p": "m"}.get(FINALS[final], FINALS[final])
            return nasal, "n"
    if final in (8, 11, 12, 13, 15) and initial == _N:  # ㄹ-type final before ㄴ: ll
        return "l", "l"
    return FINALS[final], onset


def _run(syllables: list[tuple[int, int, int]]) -> str:
    """A run of Hangul syllables (one word), romanized with the sound changes at each boundary."""
    out = []
    onset = INITIALS[syllables[0][0]]
    for i, (_, medial, final) in enumerate(syllables):
        if i + 1 < len(syllables):
            end, next_onset = _junction(final, syllables[i + 1][0])
        else:
            end, next_onset = FINALS[final], ""
        out.append(onset.replace("-", "") + MEDIALS[medial] + end)
        onset = next_onset
    return "".join(out)


def romanize(text: str) -> str:
    """``text`` with every Hangul syllable in the Revised Romanization; other characters unchanged."""
    out: list[str] = []
    run: list[tuple[int, int, int]] = []
    for char in unicodedata.normalize("NFC", text) + "\n":
        if _FIRST <= ord(char) <= _LAST:
            run.append(_jamo(char))
            continue
        if run:
            out.append(_run(run))
            run = []
        out.append(char)
    return "".join(out)[:-1]


def slugify(title: str, max_length: int = MAX_LENGTH, max_words: int = MAX_WORDS) -> str:
    """A lowercase ASCII slug of the title's words (Hangul romanized, Latin accents folded), cut at a word
    boundary; '' when the title has no letter to make one from (a bare number is not an id)."""
    ascii_text = unicodedata.normalize("NFKD", romanize(title)).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    slug = ""
    for word in words[:max_words]:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug and words:
        slug = words[0][:max_length]
    return slug if re.search("[a-z]", slug) else ""


def fallback(record_type: str, taken: Callable[[str], bool]) -> str:
    """A slug when the title gives none: the record type, numbered from 2 until ``taken(slug)`` is false."""
    slug, number = record_type, 1
    while taken(slug):
        number += 1
        slug = f"{record_type}-{number}"
    return slug
