"""Text analysis for search: the same rules at index time (here) and in the browser (``search.js``).

Korean is written in space-separated words (eojeol) that glue particles and endings to nouns, and
nouns into compounds (탄소중립위원회 = 탄소 + 중립 + 위원회). No dictionary segmentation can be run
in a phone's browser, so both sides cut Hangul into overlapping two-syllable pieces (bigrams): a
record matches a Korean query word when it holds every bigram of that word. That finds 위원회 inside
탄소중립위원회 and 탄소중립 in 탄소중립을, and never matches 기회 to 기획재정부 (기회 is not one of its
bigrams). Latin letters and digits form words, lightly stemmed (plural -s). ``search.js`` implements
the same functions; a browser test feeds both the same texts and compares the tokens.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import unicodedata
from collections import _count_elements
from collections.abc import Iterable

CJK = "\uac00-\ud7a3\u4e00-\u9fff"
"""Hangul syllables and CJK ideographs: cut into bigrams. Bare jamo (ㅇ, ㄱ) are outline marks, not words."""
TOKEN = re.compile(rf"[{CJK}]+|[0-9a-z]+(?:['’][a-z]+)*")
"""A run of Hangul/Hanja, or a Latin word (with inner apostrophes), after NFKC and case folding."""
BLANK = re.compile(r"[ \t]+")
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "in",
        "is",
        "it",
        "its",
        "of",
        "on",
        "or",
        "that",
        "the",
        "this",
        "to",
        "was",
        "were",
        "which",
        "with",
    ]
)
"""English words too common to search for; dropped at index time and from queries."""
PARTICLES = ("에서는", "으로는", "에서의", "이라는", "에서", "에게", "으로", "에는", "라는", "을", "를", "은", "는")
"""Particles a reader may type after a noun (탄소중립을): dropped when two syllables remain."""
AMBIGUOUS_PARTICLES = ("이", "가", "의", "도", "로", "과", "와", "에")
"""Particles that also end nouns (전문가, 회의, 결과): dropped only when three syllables remain (위원회가)."""
ONE_SYLLABLE_PARTICLES = frozenset("을를은는이가의에와과도로")
"""Particles glued to a Latin word or number in a query (TF를): dropped, the word is what is meant."""
MASK_BITS = 16
"""Width of a bigram's position mask."""
BITS = tuple(1 << residue for residue in range(MASK_BITS))
"""The mask bit of each position modulo :data:`MASK_BITS`."""
UNIGRAM_PREFIX = "1"
"""Marks a one-syllable word (년 in 2050년); bigram tokens carry no prefix."""


def normalize(text: str) -> str:
    """NFKC (full-width letters, compatibility forms) then lower case, as JavaScript's toLowerCase."""
    return unicodedata.normalize("NFKC", text).lower()


@functools.lru_cache(maxsize=1 << 16)  # a pure function of a word; archives reuse a small vocabulary
def stem(word: str) -> str:
    """A light English stemmer (Harman's S-stemmer) and the possessive: meetings → meeting, policies → policy."""
    word = re.sub(r"['’]s$", "", word).replace("'", "").replace("’", "")
    if len(word) > 4 and word.endswith("ies") and not word.endswith(("eies", "aies")):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("es") and not word.endswith(("aes", "ees", "oes")):
        return word[:-1]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("us", "ss")):
        return word[:-1]
    return word


class _Stems(dict):
    """Words → stems, filled as words come: ``map(STEMS.__getitem__, words)`` is a C loop of look-ups (an
    ``lru_cache`` call costs a Python-level call per word), and :func:`stem` runs once per new word."""

    def __missing__(self, word: str) -> str:
        if len(self) >= 1 << 16:  # a bounded vocabulary: archives reuse a small one
            self.clear()
        self[word] = stemmed = stem(word)
        return stemmed


STEMS = _Stems()


def bigrams(run: str) -> list[str]:
    """Overlapping two-character pieces of a Hangul run; a one-syllable run is its own (marked) token."""
    if len(run) == 1:
        return [UNIGRAM_PREFIX + run]
    return [run[i : i + 2] for i in range(len(run) - 1)]


def is_bigram(token: str) -> bool:
    """Bigram tokens carry a position mask in the index; words and one-syllable tokens do not."""
    return len(token) == 2 and token[0] >= "\u3000" and token[1] >= "\u3000"


CJK_RUN = re.compile(rf"([{CJK}]+)")
LATIN_WORD = re.compile(r"[0-9a-z]+(?:['’][a-z]+)*")
GAP = "\0"
"""Stands for one position that holds no Hangul/Hanja in :func:`aligned`."""


def aligned(text: str) -> tuple[str, list[str]]:
    """The Hangul/Hanja of a normalized text, each at its position (see :func:`index_tokens`), gaps as NUL;
    and the one-syllable runs (the ``1``-prefixed tokens).

    Each line adds two gaps, each run of syllables one more unless only spaces or tabs separate it from
    the run before; Latin words and other characters add nothing. The bigram starting at position ``p``
    is then ``aligned(text)[0][p : p + 2]`` when it holds no gap.
    """
    out: list[str] = []
    lone: list[str] = []
    for line in text.split("\n"):
        pieces = CJK_RUN.split(line)  # gap, run, gap, run, ..., gap
        out.append(GAP * 2)
        for i in range(1, len(pieces), 2):
            run = pieces[i]
            gap = pieces[i - 1]
            if i == 1 or not gap or gap.strip(" \t"):
                out.append(GAP)
            out.append(run)
            if len(run) == 1:
                lone.append(run)
    return "".join(out), lone


def _counted(items: Iterable[str]) -> dict[str, int]:
    """How many times each item comes: ``Counter``'s C loop into a plain dict (a ``Counter`` adds Python-level
    checks to every construction and deletion, and a build makes three per record and language)."""
    counts: dict[str, int] = {}
    _count_elements(counts, items)
    return counts


def token_counts(text: str) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """The tokens of a text (see :func:`index_tokens`) as three dictionaries: words and one-syllable tokens →
    count, bigrams → count, and bigrams → position mask (a bigram with a gap in it has a mask, never a count).

    Numbers, not ``[count, mask]`` lists: no object per token, and the index's postings take them as they are.
    """
    text = normalize(text)
    words = _counted(map(STEMS.__getitem__, LATIN_WORD.findall(text)))
    if words:
        for word in words.keys() & STOPWORDS:
            del words[word]
        words.pop("", None)
    line, lone = aligned(text)
    for syllable, count in _counted(lone).items():
        words[UNIGRAM_PREFIX + syllable] = count
    pairs = list(map(operator.add, line, line[1:]))  # pairs[p] is the bigram starting at position p
    counts = _counted(pairs)
    masks = dict.fromkeys(counts, 0)
    for pair, bit in zip(pairs, itertools.cycle(BITS)):  # one OR per position (16 sets of slices cost more)
        masks[pair] |= bit
    for pair in [pair for pair in counts if GAP in pair]:  # a pair with a gap is no bigram
        del counts[pair]
    return words, counts, masks


def index_tokens(text: str) -> dict[str, list[int]]:
    """Every token of a text as the index stores it: ``{token: [count, position mask]}``.

    Hangul runs that only a space separates also give the bigram across the space, so 탄소중립
    finds 탄소 중립 (Korean spacing of compounds varies). A bigram's mask has bit ``p % 16`` set for
    each position ``p`` where it starts (positions count Hangul characters; a space between runs
    adds nothing, anything else adds a gap): the bigrams of 위원회 must sit at ``p`` and ``p + 1``,
    which rules out most records that hold 위원 and 원회 apart. Other tokens have mask 0.

    ``search.js`` computes the same tokens syllable by syllable (a browser test compares them); here
    most of the work is done by regular expressions, slices and counting over whole strings, at C
    speed (:func:`token_counts`): a build analyses every record once per language.
    """
    words, counts, masks = token_counts(text)
    tokens = {word: [count, 0] for word, count in words.items()}
    tokens.update({pair: [count, masks[pair]] for pair, count in counts.items()})
    return tokens


def strip_particle(word: str) -> str:
    """탄소중립을 → 탄소중립, 위원회가 → 위원회; 마을, 전문가 and 회의 stay whole."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    if word.endswith(AMBIGUOUS_PARTICLES) and len(word) >= 4:
        return word[:-1]
    return word


def query_terms(query: str) -> list[dict]:
    """The query's words, each with the tokens a record must hold: ``[{word, tokens, kind, prefix?}]``.

    A Korean word needs all its bigrams (after dropping a typed particle); a one-syllable word
    matches alone or at the start of a bigram (``prefix``). An English word needs its stem; in the
    browser the last English word, while nothing matches it exactly, matches any word it begins,
    so results appear while the reader is still typing.
    """
    terms: list[dict] = []
    query = normalize(query)
    previous_end, previous_latin = -1, False
    for match in TOKEN.finditer(query):
        token = match.group()
        if token[0] >= "\u3000":
            glued = previous_latin and previous_end == match.start()
            if not (glued and token in ONE_SYLLABLE_PARTICLES):  # TF를, 2050년의 → tf, 2050년
                word = strip_particle(token)
                if len(word) == 1:  # one syllable: alone (1년), or beginning a longer run (년까지)
                    terms.append({"word": word, "tokens": [UNIGRAM_PREFIX + word], "kind": "cjk", "prefix": word})
                else:
                    terms.append({"word": word, "tokens": sorted(set(bigrams(word))), "kind": "cjk"})
            previous_latin = False
        else:
            word = stem(token)
            if word and word not in STOPWORDS:
                terms.append({"word": word, "tokens": [word], "kind": "latin"})
            previous_latin = True
        previous_end = match.end()
    return terms
