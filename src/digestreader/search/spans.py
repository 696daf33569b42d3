"""The character spans of a title that a query matched: what the list and the detail pane
highlight. Pure Python (no numpy, no rapidfuzz): the first frame draws with it."""

from __future__ import annotations

import re
from functools import lru_cache

from digestreader.search.query import Query


@lru_cache(maxsize=64)
def _word_starts(words: tuple[str, ...]) -> re.Pattern[str]:
    """One regex for "a word starting with any of ``words``" (compiled once per query)."""
    pattern = "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:{pattern})")


def title_spans(title: str, query: Query) -> list[tuple[int, int]]:
    """Merged (start, end) spans of ``title`` where a word begins with a query word."""
    words = query.highlight_words
    if not words:
        return []
    folded = title.casefold()
    if len(folded) != len(title):  # casefolding changed lengths: fall back to lower()
        folded = title.lower()
        if len(folded) != len(title):
            return []
    spans = [m.span() for m in _word_starts(words).finditer(folded)]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged
