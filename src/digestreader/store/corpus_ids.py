"""The corpus store's id table side: cold commands at 50k papers without parsing the catalog.

See :mod:`digestreader.store.idtable` for the table itself; this is where the store keeps it
current (written with each catalog, rebuilt from the checked catalog when stale) and reads one
paper's document and abstract through it. Mixed into :class:`corpus.CorpusStore`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digestreader.store.catalog import Catalog, StatKey, check_schema, read_checked, stat_key
from digestreader.store.documents import doc_id_of
from digestreader.store.idtable import (
    IdTable,
    corpus_stamp,
    find_spans,
    read_doc,
    read_table,
    write_table,
)
from digestreader.store.lazy_catalog import LazyKeys, open_lazy
from digestreader.store.shapes import check, check_corpus, check_segment


class CorpusIds:
    """The id table of one library's ``corpus.json``."""

    corpus_path: Path
    abstracts_dir: Path
    ids_path: Path
    _ids: IdTable | None
    _catalog: tuple[StatKey, Catalog] | None
    _lazy: tuple[StatKey, Catalog] | None = None

    if TYPE_CHECKING:  # provided by CorpusStore

        def catalog(self) -> Catalog: ...
        def segment_names(self, catalog: Catalog) -> list[str]: ...
        def segment_papers(self) -> int: ...

    def _write_ids(
        self,
        keys: Sequence[str],
        ids: Sequence[str],
        spans: Sequence[tuple[int, int]],
        revision: str,
        segments: Sequence[str],
    ) -> None:
        stamp = corpus_stamp(self.corpus_path)
        # Abstracts are found by the key derived from the paper's id: only where that holds.
        if stamp is None or any(k != str(doc_id_of(i)) for k, i in zip(keys, ids, strict=True)):
            self._ids = None
            return
        self._ids = IdTable.build(stamp, revision, segments, self.segment_papers(), ids, spans)
        write_table(self.ids_path, self._ids)

    def id_table(self) -> IdTable | None:
        """The id table of the current ``corpus.json``: read if it describes that very file,
        else rebuilt from the (checked) catalog; None without a corpus, or for one older than
        schema 3."""
        stamp = corpus_stamp(self.corpus_path)
        if stamp is None:
            return None
        if self._ids is not None and self._ids.stamp == stamp:
            return self._ids
        table = read_table(self.ids_path, self.corpus_path, stamp)
        if table is None:
            catalog = self.catalog()
            if catalog.legacy or catalog.inline_abstracts or not catalog.revision:
                return None  # keys derived on the fly, or abstracts in the catalog
            try:
                raw = self.corpus_path.read_bytes()
            except OSError:
                return None
            if corpus_stamp(self.corpus_path) != stamp:
                return None  # rewritten meanwhile: the next call tries again
            self._write_ids(
                catalog.keys,
                [str(d["id"]) for d in catalog.docs],
                find_spans(raw, catalog.docs),
                catalog.revision,
                self.segment_names(catalog),
            )
            return self._ids
        self._ids = table
        return table

    def lazy_catalog(self) -> Catalog:
        """The catalog with its documents parsed as they are asked for (see
        :mod:`lazy_catalog`), when a current id table knows where each one is; else
        :meth:`catalog` (correct first: a stale table means today's whole read)."""
        key = stat_key(self.corpus_path)
        if self._catalog is not None and self._catalog[0] == key:
            return self._catalog[1]  # parsed already
        if self._lazy is not None and self._lazy[0] == key:
            return self._lazy[1]
        table = self.id_table()
        opened = open_lazy(self.corpus_path, table) if table is not None else None
        if opened is None:
            return self.catalog()
        docs, head = opened
        check_schema(self.corpus_path, head)
        check(self.corpus_path, head, check_corpus)  # meta and digests; papers as parsed
        meta = head.get("meta", {}).get("1", {})
        segments = meta.get("segments")
        catalog = Catalog(
            keys=LazyKeys(docs),
            docs=docs,
            digests=list(head.get("digests", {}).values()),
            revision=str(meta.get("revision", "")),
            segments=list(segments) if segments is not None else None,
        )
        self._lazy = (key, catalog)
        return catalog

    def paper_doc(self, table: IdTable, row: int) -> dict[str, Any] | None:
        """The catalog document at ``row`` of ``table``, read alone and shape checked; None
        when its span is unknown or does not hold it (then the catalog must be read)."""
        return read_doc(self.corpus_path, table, row)

    def abstract_at(self, table: IdTable, row: int) -> str | None:
        """The abstract of the paper at ``row`` of ``table``: one segment read and checked; None
        when that segment is gone (another process replaced it: read the catalog)."""
        at = table.positions[row] // table.segment_papers
        if at >= len(table.segments):
            return None
        try:
            data = read_checked(self.abstracts_dir / table.segments[at], check_segment)
        except FileNotFoundError:
            return None
        doc = data.get("abstracts", {}).get(str(doc_id_of(table.keys[row])))
        return str(doc.get("abstract", "")) if doc is not None else None
