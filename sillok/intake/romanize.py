"""Hangul to Latin letters (Revised Romanization of Korean, syllable by syllable), for readable record ids.

``sillok import`` and ``sillok new`` make a record's id from its title; a Korean-only title used to give
an id of bare digits or a hash. Each syllable is written with the Revised Romanization's letters for
its initial, vowel and final consonant (탄소중립 → tansojungrip). The sound changes between syllables
that the full standard applies (tansojungnip) are left out: the aim is an id people can read and type,
not a pronunciation guide.
"""

from __future__ import annotations

INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
VOWELS = (
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
)
FINALS = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "l",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)
FIRST, LAST = ord("가"), ord("힣")


def syllable(char: str) -> str:
    """One precomposed Hangul syllable in Latin letters; any other character unchanged."""
    code = ord(char)
    if not FIRST <= code <= LAST:
        return char
    index = code - FIRST
    initial, rest = divmod(index, 21 * 28)
    vowel, final = divmod(rest, 28)
    return INITIALS[initial] + VOWELS[vowel] + FINALS[final]


def romanize(text: str) -> str:
    """``text`` with every Hangul syllable romanized; words stay apart where the text has spaces."""
    return "".join(syllable(char) for char in text)
