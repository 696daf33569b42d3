"""Two interchangeable matchers with identical semantics: an inverted index and a plain scan.

Both answer, for one word, a boolean mask over the papers. The index keeps, per field, a sorted
vocabulary and its postings laid out in vocabulary order (CSR), so every word with a given prefix
is one contiguous slice: a prefix lookup is two bisections and one scatter, whatever the size.
The scan is the reference (and the fallback while an index is being built). Typo tolerance
likewise has a reference, :func:`typo_neighbours` (a scan of the title vocabulary), and what the
index uses, a :class:`~digestreader.search.typo.TypoIndex` (a lookup, whatever the vocabulary).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import process
from rapidfuzz.distance import OSA

from digestreader.search.build import Offsets, Postings, build_postings, merge_postings
from digestreader.search.query import tokens
from digestreader.search.typo import TYPO_MIN_LENGTH, TypoIndex

Mask = npt.NDArray[np.bool_]
_MAX_CHAR = "\U0010ffff"
# A prefix is packed (see SearchIndex._initial_masks) when it matches more postings than the
# papers divided by this.
PACKED_SHARE = 2


class Matcher(Protocol):
    """What the search engine needs to know about a set of papers."""

    size: int

    def prefix(self, field: str, word: str) -> Mask: ...
    def exact(self, field: str, word: str) -> Mask: ...
    def typo(self, word: str) -> Mask: ...


def typo_neighbours(word: str, vocabulary: Sequence[str]) -> list[int]:
    """Indexes of the vocabulary words one edit (OSA) from ``word``, itself excluded, ascending.

    A scan of the whole vocabulary: the reference for :class:`TypoIndex`, which the index uses."""
    if len(word) < TYPO_MIN_LENGTH:
        return []
    found = process.extract(word, vocabulary, scorer=OSA.distance, score_cutoff=1, limit=None)
    return sorted(i for _, distance, i in found if distance == 1)


class FieldIndex:
    """An inverted index of one text field: sorted vocabulary, offsets, postings (CSR)."""

    def __init__(self, vocabulary: list[str], offsets: Offsets, postings: Postings) -> None:
        self.vocabulary = vocabulary
        self.offsets = offsets
        self.postings = postings

    @classmethod
    def build(cls, texts: Sequence[str]) -> FieldIndex:
        """Index the words of ``texts`` (see :mod:`digestreader.search.build`)."""
        return cls(*build_postings(texts))

    @classmethod
    def of_docs(cls, texts: Sequence[str], docs: Sequence[int]) -> FieldIndex:
        """The index of ``texts``, the texts of papers ``docs`` (postings are those numbers)."""
        words, offsets, local = build_postings(texts)
        return cls(words, offsets, np.asarray(docs, np.int32)[local] if len(local) else local)

    def csr(self) -> tuple[list[str], Offsets, Postings]:
        """The index as compressed sparse rows: the sorted vocabulary, each word's start in
        the postings (one more offset than words), and the postings (catalog positions)."""
        return self.vocabulary, self.offsets, self.postings

    def docs_between(self, lo: int, hi: int) -> npt.NDArray[np.int32]:
        """Postings of the vocabulary words lo..hi-1 (one contiguous slice)."""
        return self.postings[self.offsets[lo] : self.offsets[hi]]

    def prefix_range(self, prefix: str) -> tuple[int, int]:
        return bisect_left(self.vocabulary, prefix), bisect_left(
            self.vocabulary, prefix + _MAX_CHAR
        )

    def exact_range(self, word: str) -> tuple[int, int]:
        lo = bisect_left(self.vocabulary, word)
        found = lo < len(self.vocabulary) and self.vocabulary[lo] == word
        return lo, lo + 1 if found else lo


FIELDS = ("title", "abstract", "first")


def tail_fields(
    size: int,
    titles: Sequence[str],
    abstracts: Sequence[str],
    refilled: Sequence[tuple[int, str]] = (),
) -> dict[str, FieldIndex]:
    """Every field's index of what an import brought to ``size`` papers: new papers
    (``titles``, ``abstracts``: papers ``size`` onwards) and the abstracts of ``refilled``
    (position, abstract) old papers whose abstract was empty until now."""
    new = list(range(size, size + len(titles)))
    firsts = [" ".join(tokens(t)[:1]) for t in titles]
    return {
        "title": FieldIndex.of_docs(titles, new),
        "first": FieldIndex.of_docs(firsts, new),
        "abstract": FieldIndex.of_docs(
            [*abstracts, *(text for _, text in refilled)], [*new, *(i for i, _ in refilled)]
        ),
    }


class SearchIndex:
    """Indexes of titles, abstracts and titles' first words over a fixed list of papers, and
    the typo index of the title vocabulary (built from it when not given)."""

    def __init__(
        self, size: int, fields: dict[str, FieldIndex], typos: TypoIndex | None = None
    ) -> None:
        self.size = size
        self.fields = fields
        self.typos = typos if typos is not None else TypoIndex.build(fields["title"].vocabulary)
        self._initials = {name: self._initial_masks(field) for name, field in fields.items()}

    def _initial_masks(self, field: FieldIndex) -> dict[str, npt.NDArray[np.uint8]]:
        """Packed masks of the prefixes, of any length, that match more postings than half the
        papers (by word: "m", "mo", "mod", "mode", "model" in abstracts).

        The first keystrokes of a query are such prefixes, and so is every keystroke of a
        frequent word: each matches a large share of the postings (at 200k papers "re" in
        abstracts was 3 ms of a 6 ms search, "mod" 1 ms of 3). Packed, a mask costs one bit per
        paper (~300 of them at 200k papers: 7 MB), and building them one pass over their
        postings when the index loads. A longer prefix can only qualify inside one that did,
        so only those are split further."""
        masks: dict[str, npt.NDArray[np.uint8]] = {}
        vocabulary, offsets = field.vocabulary, field.offsets
        least = self.size // PACKED_SHARE
        ranges, length = [(0, len(vocabulary))], 1
        while ranges:
            qualified = []
            for start, end in ranges:
                lo = start
                while lo < end:
                    prefix = vocabulary[lo][:length]
                    if len(prefix) < length:  # a shorter word: no prefix of this length
                        lo += 1
                        continue
                    hi = bisect_left(vocabulary, prefix + _MAX_CHAR, lo, end)
                    if offsets[hi] - offsets[lo] > least:
                        masks[prefix] = np.packbits(self._mask(field, lo, hi))
                        qualified.append((lo, hi))
                    lo = max(hi, lo + 1)
            ranges, length = qualified, length + 1
        return masks

    @classmethod
    def build(cls, titles: Sequence[str], abstracts: Sequence[str]) -> SearchIndex:
        """Index every title and abstract (about 5 s for 50k papers: call from a worker)."""
        firsts = [" ".join(tokens(t)[:1]) for t in titles]
        return cls(
            len(titles),
            {
                "title": FieldIndex.build(titles),
                "abstract": FieldIndex.build(abstracts),
                "first": FieldIndex.build(firsts),
            },
        )

    def extended(
        self,
        titles: Sequence[str],
        abstracts: Sequence[str],
        refilled: Sequence[int] = (),
    ) -> SearchIndex:
        """The index of ``titles``/``abstracts`` (a longer list whose first ``size`` papers this
        index covers), adding the new papers and the abstracts of ``refilled`` old papers whose
        abstract was empty until now."""
        return self.grown(
            [titles[i] for i in range(self.size, len(titles))],
            [abstracts[i] for i in range(self.size, len(titles))],
            [(i, abstracts[i]) for i in refilled],
        )

    def grown(
        self,
        titles: Sequence[str],
        abstracts: Sequence[str],
        refilled: Sequence[tuple[int, str]] = (),
    ) -> SearchIndex:
        """This index plus new papers (``titles``, ``abstracts``: papers ``size`` onwards) and
        the abstracts of ``refilled`` (position, abstract) old papers whose abstract was empty
        until now: what an import brought, without the texts of the papers it did not touch."""
        return self.with_tail(
            self.size + len(titles), tail_fields(self.size, titles, abstracts, refilled)
        )

    def whole(self) -> SearchIndex:
        """This index as one set of arrays, to save (a :class:`tailed.TailedIndex` merges)."""
        return self

    def with_tail(self, size: int, tail: dict[str, FieldIndex]) -> SearchIndex:
        """This index with ``tail`` (see :func:`tail_fields`) merged in, over ``size`` papers."""
        fields = {
            name: FieldIndex(*merge_postings(self.fields[name].csr(), tail[name].csr()))
            for name in FIELDS
        }
        old_titles, titles_now = self.fields["title"].vocabulary, fields["title"].vocabulary
        return SearchIndex(size, fields, self.typos.extended(old_titles, titles_now))

    def _mask(self, field: FieldIndex, lo: int, hi: int) -> Mask:
        mask = np.zeros(self.size, np.bool_)
        mask[field.docs_between(lo, hi)] = True
        return mask

    def prefix(self, field: str, word: str) -> Mask:
        packed = self._initials[field].get(word)
        if packed is not None:
            return np.unpackbits(packed, count=self.size).view(np.bool_)
        index = self.fields[field]
        return self._mask(index, *index.prefix_range(word))

    def exact(self, field: str, word: str) -> Mask:
        index = self.fields[field]
        return self._mask(index, *index.exact_range(word))

    def typo(self, word: str) -> Mask:
        index = self.fields["title"]
        mask = np.zeros(self.size, np.bool_)
        for i in self.typos.neighbours(word, index.vocabulary):
            mask[index.docs_between(i, i + 1)] = True
        return mask


class ScanMatcher:
    """The same answers as :class:`SearchIndex`, found by scanning the casefolded texts."""

    def __init__(self, titles: Sequence[str], abstracts: Sequence[str]) -> None:
        self.size = len(titles)
        self.texts = {
            "title": [t.casefold() for t in titles],
            "abstract": [a.casefold() for a in abstracts],
            "first": [" ".join(tokens(t)[:1]) for t in titles],
        }
        self._title_vocabulary: list[str] | None = None

    def _scan(self, field: str, pattern: str) -> Mask:
        regex = re.compile(pattern)
        texts = self.texts[field]
        return np.fromiter((regex.search(t) is not None for t in texts), np.bool_, self.size)

    def prefix(self, field: str, word: str) -> Mask:
        return self._scan(field, rf"(?<!\w){re.escape(word)}")

    def exact(self, field: str, word: str) -> Mask:
        return self._scan(field, rf"(?<!\w){re.escape(word)}(?!\w)")

    def typo(self, word: str) -> Mask:
        if self._title_vocabulary is None:
            self._title_vocabulary = sorted({w for t in self.texts["title"] for w in tokens(t)})
        vocabulary = self._title_vocabulary
        near = {vocabulary[i] for i in typo_neighbours(word, vocabulary)}
        words = (tokens(t) for t in self.texts["title"])
        return np.fromiter((not near.isdisjoint(w) for w in words), np.bool_, self.size)


class FlagsOnly:
    """A matcher for queries made of flags alone: it knows the size and has no texts."""

    def __init__(self, size: int) -> None:
        self.size = size

    def _no_text(self, *_args: str) -> Mask:
        raise LookupError("this query needs titles and abstracts: use a real matcher")

    prefix = exact = typo = _no_text
