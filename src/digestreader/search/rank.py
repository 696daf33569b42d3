"""Fine ranking with rapidfuzz: the head of a ranked list, by title similarity."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

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
    similarity = np.fromiter(
        (fuzz.partial_ratio(text, titles[i].casefold()) for i in head), np.float64, len(head)
    )
    coarse = scores[head].astype(np.int32)  # unsigned: negated as is, it would wrap
    # By coarse score, then similarity, then place (lexsort's last key is the first): as a
    # Python sort with a key function it was a fifth of a keystroke's search at 1k papers.
    keyed = np.lexsort((np.arange(len(head)), -similarity, -coarse))
    return np.concatenate([head[keyed], order[top:]]).astype(np.int32, copy=False)
