"""Posting lists: a chunk of records analysed into partial postings (in a worker), partial postings merged into
one tier's shards (in the main process).

A posting list holds ``[age delta, count, (position mask,) ...]`` over the records that hold a token, oldest
first (the first delta counts from −1): a new record, the newest, only adds to the end. At 10,000 records a
language holds about 4 million (record, token) entries and 1.1 million (chunk, token) pieces, so what is done
per entry is kept to a few dictionary and list operations on numbers (no object per entry), and what is done
per piece to one string; whole chunks are turned into text by one ``repr`` and sent as four objects.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from sillok.site.search.analysis import token_counts

if TYPE_CHECKING:
    from sillok.site.search.index import SearchDoc

TITLE_WEIGHT = 5
"""A token in the title counts as this many in the body."""
MAX_COUNT = 255
"""Token counts (title counts included) are capped here; BM25 saturates long before."""

Partial = tuple[str, bytes, bytes, str]
"""The postings of a chunk of records (numbered by age within the chunk, fewer than 256): its tokens joined by
newlines; each token's first and last record; the rest of each token's list as JSON text (everything after the
first record number), the lists joined by ``],[``. Four objects: cheap to send from a worker and to cache."""
SEPARATOR = "],["


def doc_counts(doc: SearchDoc) -> tuple[dict[str, int], dict[str, int], dict[str, int]]:
    """A record's tokens in one language (office and text, title words ×5) as words → count, bigrams → count and
    bigrams → position mask (:func:`~sillok.site.search.analysis.token_counts`)."""
    words, counts, masks = token_counts(f"{doc.office}\n{doc.text}")
    title_words, title_counts, title_masks = token_counts(doc.title)
    for word, count in title_words.items():
        words[word] = words.get(word, 0) + TITLE_WEIGHT * count
    for pair, count in title_counts.items():
        counts[pair] = counts.get(pair, 0) + TITLE_WEIGHT * count
        masks[pair] = masks.get(pair, 0) | title_masks[pair]
    return words, counts, masks


def doc_tokens(doc: SearchDoc) -> dict[str, list[int]]:
    """The tokens of one record in one language, ``{token: [count, mask]}``: office and text, title words ×5."""
    words, counts, masks = doc_counts(doc)
    tokens = {word: [count, 0] for word, count in words.items()}
    tokens.update({pair: [count, masks[pair]] for pair, count in counts.items()})
    return tokens


def partial_postings(docs: Sequence[SearchDoc]) -> tuple[Partial, list[int]]:
    """The postings and lengths of consecutive records, oldest first; depends on nothing else, so it is cached.

    Counts are capped at :data:`MAX_COUNT` in the lists; a record's length counts them uncapped. Each token's list
    is kept as ``[last age, first age, count, (mask,) delta, count, (mask,) ...]`` while the records are read.
    """
    if len(docs) > 256:
        raise ValueError("a chunk numbers its records in one byte")
    postings: dict[str, list[int]] = {}
    get = postings.get
    lengths = []
    for age, doc in enumerate(docs):
        words, counts, masks = doc_counts(doc)
        lengths.append(sum(words.values()) + sum(counts.values()))
        for word, count in words.items():
            if count > MAX_COUNT:
                count = MAX_COUNT
            flat = get(word)
            if flat is None:
                postings[word] = [age, age, count]
            else:
                flat += (age - flat[0], count)
                flat[0] = age
        for pair, count in counts.items():
            if count > MAX_COUNT:
                count = MAX_COUNT
            flat = get(pair)
            if flat is None:
                postings[pair] = [age, age, count, masks[pair]]
            else:
                flat += (age - flat[0], count, masks[pair])
                flat[0] = age
    flats = list(postings.values())
    lasts = bytes([flat[0] for flat in flats])
    firsts = bytes([flat[1] for flat in flats])
    for flat in flats:
        del flat[:2]
    text = repr(flats)[2:-2].replace(" ", "")  # C speed: "[[c, m, d, …], […]]" → "c,m,d,…],[…"
    return ("\n".join(postings), firsts, lasts, text), lengths


def unpack(partial: Partial) -> tuple[list[str], bytes, bytes, list[str]]:
    """A chunk's tokens, first and last ages, and rests of lists, as lists (no token: empty lists)."""
    tokens, firsts, lasts, rests = partial
    if not firsts:
        return [], firsts, lasts, []
    return tokens.split("\n"), firsts, lasts, rests.split(SEPARATOR)


def is_partial(value: object) -> bool:
    """Whether a value read back from the cache has the shape of a :data:`Partial`."""
    return (
        isinstance(value, tuple)
        and len(value) == 4
        and isinstance(value[0], str)
        and isinstance(value[1], bytes)
        and isinstance(value[2], bytes)
        and isinstance(value[3], str)
        and len(value[1]) == len(value[2])
    )


class Postings:
    """Each token's posting list as JSON text, merged from the partial postings of consecutive chunks in age order.

    Each chunk is merged as it comes and can be dropped: what is held is the text of the lists.
    """

    JOIN_FROM = 16
    """A token's pieces are joined into one string when this many have come (few objects, no quadratic copying)."""

    def __init__(self) -> None:
        self.lists: dict[str, list] = {}
        """Each token's last age so far, then the pieces of its list: one look-up per piece (merging is bound by
        memory access more than by Python statements; a second dictionary of last ages cost about a tenth more)."""

    def add(self, offset: int, partial: Partial) -> None:
        tokens, firsts, lasts, rests = unpack(partial)
        lists = self.lists
        get, join_from = lists.get, self.JOIN_FROM
        for token, first, end, rest in zip(tokens, firsts, lasts, rests, strict=True):
            listed = get(token)
            if listed is None:
                lists[token] = [offset + end, f"{offset + first + 1},{rest}"]  # the first delta counts from −1
            else:
                listed.append(f"{offset + first - listed[0]},{rest}")
                listed[0] = offset + end
                if len(listed) > join_from:
                    listed[1:] = [",".join(listed[1:])]

    def shards(self, shard_bytes: int) -> Iterator[tuple[str, bytes]]:
        """The shards (tokens sorted, about ``shard_bytes`` characters of JSON each) with their first tokens, one at
        a time; each token's text is let go once it is in a shard."""
        entries: list[str] = []
        first, size = "", 0
        lists = self.lists
        for token in sorted(lists):
            entry = f'"{token}":[{",".join(lists.pop(token)[1:])}]'  # tokens hold letters, digits and apostrophes only
            if not entries:
                first = token
            entries.append(entry)
            size += len(entry)
            if size >= shard_bytes:
                yield first, ("{" + ",".join(entries) + "}").encode("utf-8")
                entries, size = [], 0
        if entries:
            yield first, ("{" + ",".join(entries) + "}").encode("utf-8")


def merge_postings(partials: list[tuple[int, Partial]]) -> Postings:
    """The postings of consecutive chunks, merged (for tests and ``build_index``, which hold them all anyway)."""
    merged = Postings()
    for offset, partial in partials:
        merged.add(offset, partial)
    return merged
