"""TinyDB with batch tables: many documents upserted or replaced in one read and one write.

Apart from :mod:`files` so that tinydb loads only where a TinyDB is opened (a write, or a
table read through TinyDB), never for a start that only reads files (see :func:`files.open_db`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table


class BatchTable(Table):
    """A TinyDB table that can upsert many documents by id in a single read and write."""

    def upsert_many(self, docs: Mapping[int, Mapping[str, Any]]) -> dict[int, dict[str, Any]]:
        """Merge each mapping into the document with that id, creating missing ones; returns
        the merged documents (one read and one write, however many documents)."""
        merged: dict[int, dict[str, Any]] = {}

        def updater(table: dict[int, Any]) -> None:
            for doc_id, fields in docs.items():
                doc = table.setdefault(doc_id, {})
                doc.update(fields)
                merged[doc_id] = dict(doc)

        self._update_table(updater)
        return merged

    def replace_all(self, docs: Mapping[int, Mapping[str, Any]]) -> None:
        """Replace the whole table with ``docs`` in one write."""

        def updater(table: dict[int, Any]) -> None:
            table.clear()
            table.update({doc_id: dict(fields) for doc_id, fields in docs.items()})

        self._update_table(updater)


class BatchTinyDB(TinyDB):
    """TinyDB whose tables are :class:`BatchTable`."""

    table_class = BatchTable
