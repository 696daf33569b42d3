"""Fine ranking with rapidfuzz, and the character spans of a title that a query matched."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from digestreader.search.query import Query

# Only the head of a ranked list is ever looked at first; fuzzy-scoring it is cheap at any size.
RERANK_TOP = 200


def rerank_top(
    order: npt.NDArray[np.int32],
    scores: npt.NDArray[np.uint16],
    text: str,
    titles: Sequence[str],
    top: int = RERANK_TOP,
) -> npt.NDArray[np.int32]:
    """Within equal coarse scores, order the first ``top`` hits by fuzzy similarity of the title."""
    head = order[:top]
    if len(head) < 2:
        return order
    similarity = [fuzz.partial_ratio(text, titles[i].casefold()) for i in head]
    coarse = scores[head].astype(np.int32)  # unsigned: negated as is, it would wrap
    keyed = sorted(range(len(head)), key=lambda k: (-coarse[k], -similarity[k], k))
    return np.concatenate([head[keyed], order[top:]]).astype(np.int32)


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
