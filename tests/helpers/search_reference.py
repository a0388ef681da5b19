"""The search analyzer written syllable by syllable, as ``search.js`` computes it: the reference the fast one must equal.

``sillok.site.search.analysis.index_tokens`` computes the same tokens with regular expressions and counting
over whole strings (C speed); ``tests/site/search/test_search_analysis.py`` feeds both the same texts.
"""

from __future__ import annotations

from sillok.site.search.analysis import BLANK, MASK_BITS, STOPWORDS, TOKEN, UNIGRAM_PREFIX, normalize, stem


def index_tokens(text: str) -> dict[str, list[int]]:
    """Every token of a text: ``{token: [count, position mask]}``, one syllable at a time, as ``search.js``."""
    tokens: dict[str, list[int]] = {}
    position = 0
    for line in normalize(text).split("\n"):
        previous_end, previous_cjk = -2, ""
        position += 2
        for match in TOKEN.finditer(line):
            token = match.group()
            if token[0] >= "\u3000":
                gap = line[previous_end : match.start()]
                if previous_cjk and gap and not BLANK.sub("", gap):
                    entry = tokens.setdefault(previous_cjk[-1] + token[0], [0, 0])
                    entry[0] += 1
                    entry[1] |= 1 << ((position - 1) % MASK_BITS)
                else:
                    position += 1
                if len(token) == 1:
                    tokens.setdefault(UNIGRAM_PREFIX + token, [0, 0])[0] += 1
                for i in range(len(token) - 1):
                    entry = tokens.setdefault(token[i : i + 2], [0, 0])
                    entry[0] += 1
                    entry[1] |= 1 << ((position + i) % MASK_BITS)
                position += len(token)
                previous_cjk = token
            else:
                word = stem(token)
                if word and word not in STOPWORDS:
                    tokens.setdefault(word, [0, 0])[0] += 1
                previous_cjk = ""
            previous_end = match.end()
    return tokens
