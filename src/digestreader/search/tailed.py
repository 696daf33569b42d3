"""An index saved whole plus the tail that imports added since, answering as their merge would.

Merging a daily tail into the 50k-paper index is a pass over every posting (0.2 s, and a second
copy of the postings while it runs); a reader that loads the index every time it opens would pay
it each time. Here the tail's postings are scattered into the same masks as the base's: a
query costs one more bisection and a scatter of a few hundred postings, and loading costs
nothing beyond the base's load and the tail's small typo index. The merge happens only when the
index is saved (:meth:`TailedIndex.whole`), which an import does once the tail grew long.
"""

from __future__ import annotations

from digestreader.search.build import merge_postings
from digestreader.search.index import FIELDS, FieldIndex, Mask, SearchIndex
from digestreader.search.typo import TypoIndex


class TailedIndex(SearchIndex):
    """``base`` over its first papers and ``tail`` (see :func:`index.tail_fields`) over the
    rest (and over old papers whose abstract was filled), as one index of ``size`` papers."""

    def __init__(self, base: SearchIndex, size: int, tail: dict[str, FieldIndex]) -> None:
        # Not SearchIndex.__init__: the base's typo index and initials are used as they are (the
        # initials are packed for the base's papers; unpacked to ``size`` they pad with zeros).
        self.base = base
        self.size = size
        self.fields = base.fields
        self.typos = base.typos
        self._initials = base._initials
        self.tail = tail
        self.tail_typos = TypoIndex.build(tail["title"].vocabulary)

    def whole(self) -> SearchIndex:
        """The merged index (one pass over every posting), as saved."""
        return self.base.with_tail(self.size, self.tail)

    def with_tail(self, size: int, tail: dict[str, FieldIndex]) -> SearchIndex:
        """This index and a further ``tail``: the two tails merged (small), then the base."""
        both = {
            name: FieldIndex(*merge_postings(self.tail[name].csr(), tail[name].csr()))
            for name in FIELDS
        }
        return self.base.with_tail(size, both)

    def prefix(self, field: str, word: str) -> Mask:
        mask = super().prefix(field, word)
        tail = self.tail[field]
        mask[tail.docs_between(*tail.prefix_range(word))] = True
        return mask

    def exact(self, field: str, word: str) -> Mask:
        mask = super().exact(field, word)
        tail = self.tail[field]
        mask[tail.docs_between(*tail.exact_range(word))] = True
        return mask

    def typo(self, word: str) -> Mask:
        mask = super().typo(word)
        tail = self.tail["title"]
        for i in self.tail_typos.neighbours(word, tail.vocabulary):
            mask[tail.docs_between(i, i + 1)] = True
        return mask
