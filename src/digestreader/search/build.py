"""Build a field's inverted index with numpy, never making a Python object per word.

Tokenizing 60 MB of abstracts word by word in Python costs seconds (a split, a set, a dict lookup
per word). Here each text becomes lowercase bytes where every non-word byte is a space; a chunk of
texts is one byte array, words are runs of non-spaces, and each word is hashed (64-bit FNV-1a)
column by column across all words at once. Distinct (word, paper) pairs then come from sorting
integers. Only the vocabulary (thousands of words) is ever decoded to ``str``.

The words are exactly those of :func:`digestreader.search.query.tokens`: ASCII texts take the
byte path (for ASCII, casefold is lower and ``\\w`` is ``[a-z0-9_]``); any other text is tokenized
by that function and re-joined with spaces, so unicode words keep their exact meaning.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

import numpy as np
import numpy.typing as npt

from digestreader.search.query import tokens

IntT = TypeVar("IntT", bound=np.integer)

CHUNK_BYTES = 2 << 20  # bounds the working arrays (~20 bytes per text byte) at any corpus size
_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_SPACE = 32
_ASCII_WORD_BYTES = (
    bytes(c if chr(c).isalnum() or c == ord("_") else _SPACE for c in range(128))
    + bytes([_SPACE]) * 128
)

Postings = npt.NDArray[np.int32]
Offsets = npt.NDArray[np.int64]


class HashCollisionError(Exception):
    """Two different words hashed alike (never seen; the caller falls back to the slow build)."""


def word_bytes(text: str) -> bytes:
    """``text``'s words, casefolded, separated by single or repeated spaces, as UTF-8."""
    raw = text.encode("utf-8")
    if raw.isascii():
        return raw.lower().translate(_ASCII_WORD_BYTES)
    return " ".join(tokens(text)).encode("utf-8")


def _chunks(texts: Sequence[str]) -> Iterator[tuple[int, list[bytes]]]:
    """Runs of texts as (first paper index, their word bytes), about CHUNK_BYTES per run."""
    first, parts, size = 0, [], 0
    for i, text in enumerate(texts):
        part = word_bytes(text)
        parts.append(part)
        size += len(part) + 1
        if size >= CHUNK_BYTES:
            yield first, parts
            first, parts, size = i + 1, [], 0
    if parts:
        yield first, parts


def _hash_words(
    buffer: npt.NDArray[np.uint8], starts: npt.NDArray[np.int64], lengths: npt.NDArray[np.int64]
) -> npt.NDArray[np.uint64]:
    """FNV-1a of every word, one byte column at a time; longest words first so each step is a
    contiguous prefix of the arrays."""
    # Lengths fit 16 bits in any real text, and then numpy's stable sort is a radix sort.
    key = -np.minimum(lengths, 32767).astype(np.int16) if len(lengths) else lengths
    by_length = np.argsort(key, kind="stable")
    sorted_starts, sorted_lengths = starts[by_length], lengths[by_length]
    if len(lengths) and sorted_lengths[0] > 32767:  # a 32 KB "word": sort on the real lengths
        by_length = np.argsort(-lengths, kind="stable")
        sorted_starts, sorted_lengths = starts[by_length], lengths[by_length]
    hashes = np.full(len(starts), _FNV_OFFSET, np.uint64)
    longest = int(sorted_lengths[0]) if len(sorted_lengths) else 0
    # active[k]: how many words are longer than k (lengths are sorted descending)
    active = np.searchsorted(-sorted_lengths, -np.arange(longest), side="left")
    with np.errstate(over="ignore"):
        for column in range(longest):
            n = int(active[column])
            head = hashes[:n]
            head ^= buffer[sorted_starts[:n] + column].astype(np.uint64)
            head *= _FNV_PRIME
    out = np.empty_like(hashes)
    out[by_length] = hashes
    return out


def distinct(values: npt.NDArray[IntT]) -> npt.NDArray[IntT]:
    """Sorted distinct values. Not np.unique: its hash-based path is several times slower
    here, and its first call imports numpy.ma (12 ms, on a keystroke in the typo path)."""
    ordered = np.sort(values)
    keep = np.empty(len(ordered), np.bool_)
    keep[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


# (the chunk's distinct word hashes, each pair's word as an index into them, each pair's paper,
# the words behind the hashes); pairs sorted by word, then paper
ChunkPairs = tuple[
    npt.NDArray[np.uint64], npt.NDArray[np.int32], npt.NDArray[np.int32], dict[int, str]
]


def _chunk_pairs(first: int, parts: list[bytes]) -> ChunkPairs:
    """Distinct (word, paper index) pairs of one chunk, and the words behind the hashes."""
    blob = b" ".join(parts) + b" "
    buffer = np.frombuffer(blob, np.uint8)
    text_starts = np.zeros(len(parts), np.int64)
    lengths_of_parts = np.fromiter((len(p) + 1 for p in parts), np.int64, len(parts))
    np.cumsum(lengths_of_parts[:-1], out=text_starts[1:])
    is_word = np.concatenate(([False], buffer != _SPACE, [False]))
    edges = np.diff(is_word.view(np.int8))
    starts = np.flatnonzero(edges == 1).astype(np.int64)
    lengths = np.flatnonzero(edges == -1).astype(np.int64) - starts
    if not len(starts):
        return np.zeros(0, np.uint64), np.zeros(0, np.int32), np.zeros(0, np.int32), {}
    hashes = _hash_words(buffer, starts, lengths)
    docs = np.searchsorted(text_starts, starts, side="right") - 1
    unique, first_seen, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    if np.any(lengths != lengths[first_seen][inverse]):
        raise HashCollisionError("two words of different lengths share a hash")
    words = {
        value: blob[starts[at] : starts[at] + lengths[at]].decode("utf-8")
        for value, at in zip(unique.tolist(), first_seen.tolist(), strict=True)
    }
    pairs = distinct(inverse.astype(np.int64) * len(parts) + docs)
    local = (pairs // len(parts)).astype(np.int32)
    return unique, local, (pairs % len(parts) + first).astype(np.int32), words


def build_postings(texts: Sequence[str]) -> tuple[list[str], Offsets, Postings]:
    """Sorted vocabulary, CSR offsets and postings (paper indexes ascending within a word)."""
    try:
        return _hashed_postings(texts)
    except HashCollisionError:
        return plain_postings(texts)


def plain_postings(texts: Sequence[str]) -> tuple[list[str], Offsets, Postings]:
    """The same result word by word in Python: the reference, and the fallback on a collision."""
    postings_of: dict[str, list[int]] = {}
    for doc, text in enumerate(texts):
        for word in set(tokens(text)):
            postings_of.setdefault(word, []).append(doc)
    words = sorted(postings_of)
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum([len(postings_of[w]) for w in words], out=offsets[1:])
    flat = [doc for w in words for doc in postings_of[w]]
    return words, offsets, np.asarray(flat, np.int32)


def _chunk_results(texts: Sequence[str]) -> Iterator[ChunkPairs]:
    """Every chunk's pairs, in order. numpy sorts release the GIL: chunks run on every core (a
    2-core machine builds ~1.6x faster), but only one per core at a time, so the working arrays
    (~20 bytes per text byte) stay bounded whatever the corpus size."""
    workers = min(4, os.cpu_count() or 1)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        window: deque[Future[ChunkPairs]] = deque()
        for chunk in _chunks(texts):
            window.append(pool.submit(_chunk_pairs, *chunk))
            if len(window) >= workers:
                yield window.popleft().result()
        while window:
            yield window.popleft().result()


def _hashed_postings(texts: Sequence[str]) -> tuple[list[str], Offsets, Postings]:
    vocabulary: dict[int, str] = {}
    chunks: list[tuple[npt.NDArray[np.uint64], npt.NDArray[np.int32], npt.NDArray[np.int32]]]
    chunks = []
    for hashes, local, docs, chunk_words in _chunk_results(texts):
        for value, word in chunk_words.items():
            if vocabulary.setdefault(value, word) != word:
                raise HashCollisionError(f"{word!r} and {vocabulary[value]!r} share a hash")
        chunks.append((hashes, local, docs))
    words = sorted(vocabulary.values())
    if not words:
        return [], np.zeros(1, np.int64), np.zeros(0, np.int32)
    rank_of = {word: rank for rank, word in enumerate(words)}
    known = np.fromiter(vocabulary.keys(), np.uint64, len(vocabulary))
    ranks = np.fromiter((rank_of[w] for w in vocabulary.values()), np.int64, len(vocabulary))
    del rank_of, vocabulary
    by_hash = np.argsort(known)
    known, ranks = known[by_hash], ranks[by_hash]
    # A counting sort: each chunk's pairs go straight to their place in the postings. Chunks
    # cover papers in order and hold a word's pairs by ascending paper, so each word's postings
    # come out ascending. 8 bytes per pair kept, 4 written (sorting every (word, paper) key at
    # once peaked the 50k-paper build at 870 MB).
    chunk_ranks = [ranks[np.searchsorted(known, hashes)] for hashes, _, _ in chunks]
    counts = np.zeros(len(words), np.int64)
    for (hashes, local, _), rank in zip(chunks, chunk_ranks, strict=True):
        counts[rank] += np.bincount(local, minlength=len(hashes))
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    postings = np.empty(int(offsets[-1]), np.int32)
    cursor = offsets[:-1].copy()
    for rank in chunk_ranks:
        hashes, local, docs = chunks.pop(0)
        per_word = np.bincount(local, minlength=len(hashes))
        starts = np.zeros(len(hashes), np.int64)
        np.cumsum(per_word[:-1], out=starts[1:])
        within = np.arange(len(local), dtype=np.int64) - starts[local]
        postings[cursor[rank][local] + within] = docs
        cursor[rank] += per_word
    return words, offsets, postings


def merge_postings(
    old: tuple[list[str], Offsets, Postings], new: tuple[list[str], Offsets, Postings]
) -> tuple[list[str], Offsets, Postings]:
    """One CSR index from two over different papers: each word's postings are the old ones then
    the new ones. Costs one copy of the postings, not a rebuild (an import adds a page to a big
    library in a fraction of a second)."""
    old_words, old_offsets, old_postings = old
    new_words, new_offsets, new_postings = new
    words = sorted(set(old_words) | set(new_words))
    slot = {word: i for i, word in enumerate(words)}
    old_slots = np.fromiter((slot[w] for w in old_words), np.int64, len(old_words))
    new_slots = np.fromiter((slot[w] for w in new_words), np.int64, len(new_words))
    old_counts, new_counts = np.diff(old_offsets), np.diff(new_offsets)
    counts = np.zeros(len(words), np.int64)
    counts[old_slots] = old_counts
    counts[new_slots] += new_counts
    offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    postings = np.empty(int(offsets[-1]), np.int32)
    # Each block moves by (its start in the merged index - its start before): one scatter a side.
    # Old words between two insertion points keep one shift: copy such runs as slices (a daily
    # page makes thousands of runs; an index per old posting was two 56 MB arrays at 50k).
    old_shift = offsets[:-1][old_slots] - old_offsets[:-1]
    if len(old_shift):
        breaks = np.flatnonzero(np.diff(old_shift)) + 1
        run_starts = np.concatenate(([0], breaks)).tolist()
        run_ends = np.concatenate((breaks, [len(old_shift)])).tolist()
        bounds, shifts = old_offsets.tolist(), old_shift.tolist()
        for first, last in zip(run_starts, run_ends, strict=True):
            lo, hi, shift = bounds[first], bounds[last], shifts[first]
            postings[lo + shift : hi + shift] = old_postings[lo:hi]
    already = np.zeros(len(words), np.int64)
    already[old_slots] = old_counts
    new_shift = offsets[:-1][new_slots] + already[new_slots] - new_offsets[:-1]
    postings[np.repeat(new_shift, new_counts) + np.arange(len(new_postings))] = new_postings
    return words, offsets, postings
