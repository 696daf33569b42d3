"""Title words one typo away, found without scanning the vocabulary (SymSpell-style).

Two words are one OSA edit apart (a substitution, an insertion, a deletion or a swap of
neighbours) only if deleting at most one character from each gives the same string: a
substitution or a swap deletes to a common string, an insertion deletes to the other word.
So the index keeps, for every vocabulary word that could be a neighbour of a typo-tolerant query
word, the hash of the word itself and of each of its one-deletion variants, with the word's id,
sorted by hash. A lookup hashes the query's own variants (a dozen), finds each by bisection,
and verifies the few candidates with rapidfuzz's OSA distance, so a hash collision can only
cost a verification, never a wrong answer. The cost no longer grows with the vocabulary.

Hashes are polynomial over code points modulo 2**64, ``H(s) = sum(ord(s[k]) * B**(n-1-k))``, so
the hash of a word without its i-th character is ``prefix_hash(i) * B**(n-1-i) + suffix_hash(i+1)``:
numpy computes every variant of every word of one length in a few vector operations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from digestreader.search.build import distinct

TYPO_MIN_LENGTH = 5  # shorter query words get no typo tolerance: too many accidental neighbours
# Neighbours of a word of TYPO_MIN_LENGTH letters may be one letter shorter.
INDEXED_MIN_LENGTH = TYPO_MIN_LENGTH - 1
_BASE = 0x100000001B3  # odd, so multiplying by it loses nothing modulo 2**64
_MASK = (1 << 64) - 1

Hashes = npt.NDArray[np.uint64]
Ids = npt.NDArray[np.int32]


def variant_hashes(word: str) -> list[int]:
    """Hashes of ``word`` and of each of its one-deletion variants (the query side)."""
    points = [ord(c) for c in word]
    n = len(points)
    prefix = [0] * (n + 1)  # prefix[i]: hash of word[:i]
    for i, p in enumerate(points):
        prefix[i + 1] = (prefix[i] * _BASE + p) & _MASK
    hashes = [prefix[n]]
    suffix, power = 0, 1  # hash of word[i+1:], and B ** len(word[i+1:])
    for i in range(n - 1, -1, -1):
        hashes.append((prefix[i] * power + suffix) & _MASK)
        suffix = (points[i] * power + suffix) & _MASK
        power = (power * _BASE) & _MASK
    return hashes


def _code_points(words: Sequence[str], length: int) -> npt.NDArray[np.uint64]:
    """One row of code points per word, all ``length`` long."""
    blob = "".join(words).encode("utf-32-le", "surrogatepass")
    return np.frombuffer(blob, np.uint32).reshape(len(words), length).astype(np.uint64)


def _length_group_hashes(points: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """Rows: words of one length n; columns: the word's hash, then its variant without
    character i for i = 0..n-1 (the same values :func:`variant_hashes` gives, in some order)."""
    rows, n = points.shape
    base = np.uint64(_BASE)
    out = np.empty((rows, n + 1), np.uint64)
    with np.errstate(over="ignore"):
        prefix = np.zeros((rows, n + 1), np.uint64)
        for i in range(n):
            prefix[:, i + 1] = prefix[:, i] * base + points[:, i]
        out[:, 0] = prefix[:, n]
        suffix = np.zeros(rows, np.uint64)
        power = np.uint64(1)
        for i in range(n - 1, -1, -1):
            out[:, i + 1] = prefix[:, i] * power + suffix
            suffix = points[:, i] * power + suffix
            power = power * base
    return out


def _entries(vocabulary: Sequence[str], ids: Sequence[int]) -> tuple[Hashes, Ids]:
    """(hash, word id) for every indexed word among ``vocabulary`` (whose ids are ``ids``)."""
    by_length: dict[int, list[int]] = {}
    for position, word in enumerate(vocabulary):
        if len(word) >= INDEXED_MIN_LENGTH:
            by_length.setdefault(len(word), []).append(position)
    hash_parts: list[Hashes] = []
    id_parts: list[Ids] = []
    all_ids = np.asarray(ids, np.int32)
    for length, positions in by_length.items():
        points = _code_points([vocabulary[p] for p in positions], length)
        hashes = _length_group_hashes(points)
        hash_parts.append(hashes.ravel())
        id_parts.append(np.repeat(all_ids[positions], length + 1))
    if not hash_parts:
        return np.zeros(0, np.uint64), np.zeros(0, np.int32)
    return np.concatenate(hash_parts), np.concatenate(id_parts)


def _sorted_distinct(hashes: Hashes, ids: Ids) -> tuple[Hashes, Ids]:
    """Sorted by (hash, id), each pair once ("aab" loses either "a" alike)."""
    order = np.lexsort((ids, hashes))
    hashes, ids = hashes[order], ids[order]
    keep = np.ones(len(hashes), np.bool_)
    keep[1:] = (hashes[1:] != hashes[:-1]) | (ids[1:] != ids[:-1])
    return hashes[keep], ids[keep]


class TypoIndex:
    """Deletion-neighbourhood index of a sorted vocabulary; word ids are vocabulary positions."""

    def __init__(self, hashes: Hashes, ids: Ids) -> None:
        self.hashes = hashes
        self.ids = ids

    @classmethod
    def build(cls, vocabulary: Sequence[str]) -> TypoIndex:
        """Index every word of ``vocabulary`` long enough to be a typo's neighbour."""
        return cls(*_sorted_distinct(*_entries(vocabulary, range(len(vocabulary)))))

    def extended(self, old: Sequence[str], merged: Sequence[str]) -> TypoIndex:
        """The index of ``merged``, a sorted superset of ``old`` (this index's vocabulary):
        old entries keep their hashes under their new ids, only added words are hashed."""
        known = set(old)
        added = [i for i, word in enumerate(merged) if word not in known]
        # Old word k moves up by the number of added words sorted before it.
        added_at = np.asarray(added, np.int64) - np.arange(len(added))  # old words before each
        old_ids = np.arange(len(old), dtype=np.int64)
        moved = old_ids + np.searchsorted(added_at, old_ids, side="right")
        remapped = moved[self.ids].astype(np.int32) if len(self.ids) else self.ids
        new_hashes, new_ids = _entries([merged[i] for i in added], added)
        hashes = np.concatenate([self.hashes, new_hashes])
        return TypoIndex(*_sorted_distinct(hashes, np.concatenate([remapped, new_ids])))

    def candidates(self, word: str) -> Ids:
        """Ids of the words sharing a one-deletion variant with ``word`` (a superset of its
        neighbours, possibly with ``word`` itself)."""
        wanted = np.asarray(variant_hashes(word), np.uint64)
        lo = np.searchsorted(self.hashes, wanted, side="left")
        hi = np.searchsorted(self.hashes, wanted, side="right")
        if not (hi > lo).any():
            return np.zeros(0, np.int32)
        return distinct(np.concatenate([self.ids[a:b] for a, b in zip(lo, hi, strict=True)]))

    def neighbours(self, word: str, vocabulary: Sequence[str]) -> list[int]:
        """Ids of the vocabulary words one OSA edit from ``word``, itself excluded, ascending:
        the same as :func:`digestreader.search.index.typo_neighbours`."""
        if len(word) < TYPO_MIN_LENGTH:
            return []
        return [
            i
            for i in self.candidates(word).tolist()
            if OSA.distance(word, vocabulary[i], score_cutoff=1) == 1
        ]

    def arrays(self) -> dict[str, npt.NDArray[np.generic]]:
        """The arrays to save (see :meth:`from_arrays`)."""
        return {"typo.hashes": self.hashes, "typo.ids": self.ids}

    @classmethod
    def from_arrays(cls, saved: Mapping[str, Any]) -> TypoIndex:
        """The index saved by :meth:`arrays` (``saved`` maps names to arrays, as an npz does)."""
        hashes = np.asarray(saved["typo.hashes"], np.uint64)
        ids = np.asarray(saved["typo.ids"], np.int32)
        if hashes.shape != ids.shape or hashes.ndim != 1:
            raise ValueError("typo index arrays do not match")
        return cls(hashes, ids)
