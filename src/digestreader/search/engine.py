"""Evaluate a parsed query against a matcher: boolean masks combine, scores rank."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from digestreader.search.index import Mask, Matcher
from digestreader.search.meta import EMPTY_META, MetaIndex
from digestreader.search.query import Kind, Query, Term
from digestreader.search.rank import rerank_top

# Per matched word: a hit at the start of a title word outranks a typo, which outranks the abstract.
TITLE_WEIGHT = 3
TYPO_WEIGHT = 2
ABSTRACT_WEIGHT = 1
# Small whole numbers (sums of the weights above): one or two bytes a paper, not four, since
# every keystroke combines several arrays of them as long as the library.
WordScores = npt.NDArray[np.uint8]
Scores = npt.NDArray[np.uint16]
Order = npt.NDArray[np.int32]


@dataclass(frozen=True)
class SearchResult:
    """Paper indexes in ranked order (all papers' own order when nothing ranks them)."""

    order: Order
    query: Query

    def __len__(self) -> int:
        return len(self.order)


FlagSets = Mapping[str, Collection[int] | Mask]
# Typing "model !vision" asks for "model" again at each of the eight keystrokes after it: the
# answers for the words of the last few queries are kept (per matcher: a new index, a new cache).
WORD_CACHE_SIZE = 16
# Up to this many distinct scores, hits are gathered score by score instead of sorted.
SCORE_BANDS = 6


class _WordCache:
    """The masks and scores of recently matched words, for one matcher at a time (any thread).

    Kept arrays are read-only: a caller that changed one in place would change a later answer.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._matcher: weakref.ref[Matcher] | None = None
        self._answers: OrderedDict[tuple[Kind, str], tuple[Mask, WordScores]] = OrderedDict()

    def match(self, matcher: Matcher, term: Term, word: str) -> tuple[Mask, WordScores]:
        key = (term.kind, word)
        with self._lock:
            if self._matcher is None or self._matcher() is not matcher:
                self._matcher, self._answers = weakref.ref(matcher), OrderedDict()
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
                return answer
        mask, score = _word_match(matcher, term, word)
        mask.flags.writeable = score.flags.writeable = False
        with self._lock:
            if self._matcher is not None and self._matcher() is matcher:
                self._answers[key] = (mask, score)
                while len(self._answers) > WORD_CACHE_SIZE:
                    self._answers.popitem(last=False)
        return mask, score


_WORDS = _WordCache()


def _flag_mask(name: str, flags: FlagSets, size: int) -> Mask:
    wanted = "read" if name == "unread" else name
    members = flags.get(wanted, ())
    if isinstance(members, np.ndarray):  # one boolean per paper
        mask = members.astype(np.bool_, copy=True)
    else:
        mask = np.zeros(size, np.bool_)
        if members:
            mask[np.fromiter(members, np.int64, len(members))] = True
    return ~mask if name == "unread" else mask


def _word_match(matcher: Matcher, term: Term, word: str) -> tuple[Mask, WordScores]:
    if term.kind is Kind.TITLE_START:
        mask = matcher.prefix("first", word)
        return mask, mask.view(np.uint8) * np.uint8(TITLE_WEIGHT)
    lookup = matcher.exact if term.kind is Kind.EXACT else matcher.prefix
    title, abstract = lookup("title", word), lookup("abstract", word)
    # A bool is one byte, 0 or 1: as uint8 it is the abstract's weight already.
    score = np.maximum(title.view(np.uint8) * np.uint8(TITLE_WEIGHT), abstract.view(np.uint8))
    if term.kind is Kind.FUZZY:
        typo = matcher.typo(word) & ~title
        title = title | typo
        np.maximum(score, typo.view(np.uint8) * np.uint8(TYPO_WEIGHT), out=score)
    return title | abstract, score


def _term_match(
    matcher: Matcher, term: Term, flags: FlagSets, meta: MetaIndex
) -> tuple[Mask, Scores]:
    size = matcher.size
    if term.kind in (Kind.AUTHOR, Kind.ARXIV):
        lookup = meta.author if term.kind is Kind.AUTHOR else meta.arxiv
        mask = np.ones(size, np.bool_)
        for word in term.words:
            found = lookup(word) if meta.size == size else np.zeros(size, np.bool_)
            mask &= found
        score = np.zeros(size, np.uint16)
    elif term.kind is Kind.FLAG:
        mask = _flag_mask(term.words[0], flags, size)
        score = np.zeros(size, np.uint16)
    else:
        mask = np.ones(size, np.bool_)
        score = np.zeros(size, np.uint16)
        for word in term.words:
            word_mask, word_score = _WORDS.match(matcher, term, word)
            mask &= word_mask
            score += word_score
    if term.negated:
        return ~mask, np.zeros(size, np.uint16)
    return mask, score


def match(
    matcher: Matcher, query: Query, flags: FlagSets, meta: MetaIndex = EMPTY_META
) -> tuple[Mask, Scores]:
    """The papers that satisfy ``query`` and their relevance scores (``meta``: the authors and
    arXiv ids, for ``author:`` and ``id:``)."""
    mask = np.ones(matcher.size, np.bool_)
    total = np.zeros(matcher.size, np.uint16)
    for group in query.groups:
        group_mask = np.zeros(matcher.size, np.bool_)
        group_score = np.zeros(matcher.size, np.uint16)
        for term in group:
            term_mask, term_score = _term_match(matcher, term, flags, meta)
            group_mask |= term_mask
            np.maximum(group_score, term_score * term_mask, out=group_score)
        mask &= group_mask
        total += group_score
    return mask, total


def search(
    matcher: Matcher,
    query: Query,
    titles: list[str],
    flags: FlagSets | None = None,
    rank: bool = True,
    meta: MetaIndex = EMPTY_META,
) -> SearchResult:
    """Ranked indexes of the papers matching ``query`` (ties keep the papers' own order).

    ``flags`` maps "marked", "read" and "note" to the indexes of papers in that state.
    """
    mask, scores = match(matcher, query, flags or {}, meta)
    if not rank or not query.highlight_words:
        return SearchResult(np.flatnonzero(mask).astype(np.int32), query)
    order = by_score(mask, scores)
    return SearchResult(rerank_top(order, scores, query.ranking_text, titles), query)


def by_score(mask: Mask, scores: Scores) -> Order:
    """The papers of ``mask`` by descending score, ties in paper order.

    A query of a word or two has a handful of distinct scores (0 to 3 a word): when most
    papers match, gathering the papers of each score in turn is faster than a stable sort of
    every hit. Otherwise the sort (as int16 a radix sort; a score never nears 32767)."""
    top = int(scores.max(initial=0))  # of every paper, hit or not: a bound
    # A band costs a pass over the library, the sort a pass over the hits: bands when most
    # papers match (at 200k: "mod", 94 % of papers, 1.5 -> 0.6 ms; "transfor", 22 %, 0.5 ms
    # sorted against 0.8 in bands).
    if top < SCORE_BANDS and np.count_nonzero(mask) * 8 > mask.size * (top + 1):
        banded = np.where(mask, scores + np.uint16(1), np.uint16(0))  # 0: not a hit
        bands = [np.flatnonzero(banded == band) for band in range(top + 1, 0, -1)]
        return np.concatenate(bands).astype(np.int32)
    hits = np.flatnonzero(mask).astype(np.int32)
    key = -np.minimum(scores[hits], np.iinfo(np.int16).max).astype(np.int16)
    return hits[np.argsort(key, kind="stable")]
