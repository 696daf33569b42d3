"""The corpus side of an import: the merge and the write, under the corpus lock.

A daily page into a big library takes the spliced path (:mod:`digestreader.store.corpus_daily`:
only the papers the page touches are read, ``corpus.json`` is rebuilt from its own bytes); when
the id table cannot carry it, the full read-modify-write, with the pages already consumed from
the stream replayed first. Both merge with the same function, so the counts are the same.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import chain

from digestreader.models import Digest
from digestreader.store.corpus import CorpusStore
from digestreader.store.corpus_daily import (
    Fallback,
    LazyArxiv,
    TouchedDocs,
    open_daily,
    write_daily,
)
from digestreader.store.documents import AddedTexts, ImportResult, merge_digests

Parsed = tuple[str, Digest]


def import_into(store: CorpusStore, parsed: Iterable[Parsed], now: str) -> ImportResult:
    """Merge ``parsed`` into the corpus of ``store`` and write it if anything changed (the
    caller holds the corpus lock)."""
    stream = iter(parsed)
    opened = open_daily(store)
    if opened is not None:
        seen: list[Parsed] = []
        try:
            corpus, docs = opened
            digests = corpus.digests()
            by_arxiv = LazyArxiv(corpus.arxiv_keys)
            result = merge_digests(docs, digests, _recorded(stream, seen), now, by_arxiv)
            if result.changed:
                result.added = _added(len(corpus), docs)
                result.revisions = (corpus.revision, write_daily(store, corpus, docs, digests))
            return result
        except Fallback:
            stream = chain(seen, stream)
    return import_whole(store, stream, now)


def import_whole(store: CorpusStore, parsed: Iterable[Parsed], now: str) -> ImportResult:
    """The full read-modify-write: every document read, merged into, and written (the
    caller holds the corpus lock)."""
    papers, digests = store.read_docs()
    previous = store.catalog().revision
    result = merge_digests(papers, digests, parsed, now)
    if result.changed:
        result.revisions = (previous, store.write(papers, digests))
    return result


def _recorded(stream: Iterator[Parsed], seen: list[Parsed]) -> Iterator[Parsed]:
    """``stream``, each item kept in ``seen`` as it is handed on (to replay on a fallback)."""
    for item in stream:
        seen.append(item)
        yield item


def _added(size: int, docs: TouchedDocs) -> AddedTexts:
    """The texts the import brought (the touched papers are ``docs``, before the write)."""
    added = docs.added().values()
    refilled = [
        (docs.positions[key], str(docs.docs[key].get("abstract", "")))
        for key in docs.positions
        if not docs.abstracts[key] and docs.docs[key].get("abstract")
    ]
    return AddedTexts(
        size,
        [str(d["title"]) for d in added],
        [str(d.get("abstract", "")) for d in added],
        sorted(refilled),
    )
