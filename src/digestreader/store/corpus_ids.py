"""The corpus store's id table side: cold commands at 50k papers without parsing the catalog.

See :mod:`digestreader.store.idtable` for the table itself; this is where the store keeps it
current (written with each catalog, rebuilt from the checked catalog when stale) and reads one
paper's document and abstract through it. A part of :class:`corpus.CorpusStore`, which owns one
and hands it the paths and the few readings of its own that a rebuild needs.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from digestreader.store.catalog import Catalog, read_checked
from digestreader.store.documents import doc_id_of
from digestreader.store.idtable import (
    FORMAT,
    IdTable,
    corpus_stamp,
    find_spans,
    read_doc,
    read_table,
    write_table,
)
from digestreader.store.shapes import check_segment


class CorpusIds:
    """The id table of one library's ``corpus.json``."""

    def __init__(
        self,
        corpus_path: Path,
        abstracts_dir: Path,
        ids_path: Path,
        catalog: Callable[[], Catalog],
        segment_names: Callable[[Catalog], list[str]],
        segment_papers: Callable[[], int],
    ) -> None:
        """The table ``ids_path`` of ``corpus_path`` (abstracts in ``abstracts_dir``); a stale
        table is rebuilt from ``catalog()`` (the store's checked read) with its segment files
        and the papers per segment."""
        self.corpus_path = corpus_path
        self.abstracts_dir = abstracts_dir
        self.ids_path = ids_path
        self.catalog = catalog
        self.segment_names = segment_names
        self.segment_papers = segment_papers
        self._ids: IdTable | None = None

    def write(
        self,
        keys: Sequence[str],
        ids: Sequence[str],
        spans: Sequence[tuple[int, int]],
        revision: str,
        segments: Sequence[str],
    ) -> None:
        """Write the table of a catalog just written (under the corpus lock): each paper's key,
        id and byte span in ``corpus.json``; none where keys are not derived from ids."""
        stamp = corpus_stamp(self.corpus_path)
        # Abstracts are found by the key derived from the paper's id: only where that holds.
        if stamp is None or any(k != str(doc_id_of(i)) for k, i in zip(keys, ids, strict=True)):
            self._ids = None
            return
        self._ids = IdTable.build(stamp, revision, segments, self.segment_papers(), ids, spans)
        write_table(self.ids_path, self._ids)

    def put(self, table: IdTable) -> None:
        """Keep and write ``table``, made for the ``corpus.json`` just written (under the
        corpus lock) by extending the one before."""
        self._ids = table
        write_table(self.ids_path, table)

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
            self.write(
                catalog.keys,
                [str(d["id"]) for d in catalog.docs],
                find_spans(raw, catalog.docs),
                catalog.revision,
                self.segment_names(catalog),
            )
            return self._ids
        if table.layout != FORMAT and corpus_stamp(self.corpus_path) == stamp:
            # An older version's table: read (its spans reordered) and rewritten once, so the
            # next start takes the spans as stored. A cache, as a rebuild writes it: a failed
            # write costs the reordering again, nothing else.
            write_table(self.ids_path, table)
        self._ids = table
        return table

    def paper_doc(self, table: IdTable, row: int) -> dict[str, Any] | None:
        """The catalog document at ``row`` of ``table``, read alone and shape checked; None
        when its span is unknown or does not hold it (then the catalog must be read)."""
        return read_doc(self.corpus_path, table, row)

    def segment_abstracts(self, catalog: Catalog, segment: int) -> dict[str, str]:
        """Every abstract in segment ``segment`` of ``catalog``, by document key: one file
        read and checked. When that file is gone (another process replaced it) the current
        catalog's segment of that number holds the same papers (none is removed or moved);
        {} for a segment the catalog does not have."""
        path = self._segment_path(catalog, segment)
        if path is not None and not path.exists():
            path = self._segment_path(self.catalog(), segment)
        if path is None:
            return {}
        if not path.exists():  # read_checked takes a missing file for an empty one
            raise FileNotFoundError(errno.ENOENT, "no such file", str(path))
        data = read_checked(path, check_segment).get("abstracts", {})
        return {key: str(doc.get("abstract", "")) for key, doc in data.items()}

    def _segment_path(self, catalog: Catalog, segment: int) -> Path | None:
        names = self.segment_names(catalog)
        return self.abstracts_dir / names[segment] if segment < len(names) else None

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
