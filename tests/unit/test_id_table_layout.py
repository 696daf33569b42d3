"""The id table keeps the document spans in catalog order: the first frame takes them as stored.

Format 2 kept them in key order, and putting them in catalog order was a Python loop over every
paper at each start (15-25 ms of the first frame at 50k papers). A format 2 table is still read
(reordered once, then rewritten); a stale one of either format is rebuilt from the whole read.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import orjson

from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from digestreader.store.catalog import Catalog
from digestreader.store.idtable import FORMAT, IDS_FILE, IdTable
from digestreader.store.lazy_catalog import LazyDocs


def format_2_bytes(table: IdTable) -> bytes:
    """``table`` as version 2 wrote it: the spans in the keys' order (each row's own)."""
    header = {
        "format": 2,
        "stamp": list(table.stamp),
        "revision": table.revision,
        "count": len(table.keys),
        "segments": list(table.segments),
        "segment_papers": table.segment_papers,
    }
    starts = array("Q", (table.starts[p] for p in table.positions))
    lengths = array("I", (table.lengths[p] for p in table.positions))
    return b"".join(
        [
            orjson.dumps(header) + b"\n",
            table.keys.raw,
            table.positions.tobytes(),
            starts.tobytes(),
            lengths.tobytes(),
        ]
    )


def header_of(path: Path) -> dict[str, object]:
    header: dict[str, object] = orjson.loads(path.read_bytes().partition(b"\n")[0])
    return header


def assert_lazy_equals_whole(root: Path) -> Library:
    """The first frame's catalog of ``root`` is lazy and equals the whole checked read."""
    whole = Library(root).catalog()
    library = Library(root)
    lazy = library.first_frame_catalog()
    assert isinstance(lazy.docs, LazyDocs)
    assert library.corpus_store._catalog is None, "the first frame read the catalog whole"
    assert [lazy.docs[i] for i in range(len(whole.docs))] == list(whole.docs)  # one at a time
    assert not lazy.docs.loaded
    assert_same(lazy, whole)
    return library


def assert_same(lazy: Catalog, whole: Catalog) -> None:
    assert list(lazy.docs) == list(whole.docs)  # all at once, in batches
    assert list(lazy.keys) == list(whole.keys)
    assert (lazy.digests, lazy.revision, lazy.segments) == (
        whole.digests,
        whole.revision,
        whole.segments,
    )


def test_the_spans_are_stored_in_catalog_order(sample_library: Library) -> None:
    root = sample_library.root
    assert header_of(root / IDS_FILE)["format"] == FORMAT == 3
    table = Library(root).id_table()
    assert table is not None
    raw = sample_library.corpus_path.read_bytes()
    docs = [orjson.loads(raw[s : s + n]) for s, n in zip(table.starts, table.lengths, strict=True)]
    assert docs == list(Library(root).catalog().docs)
    assert_lazy_equals_whole(root)


def test_after_a_daily_import_the_lazy_catalog_equals_the_whole_read(
    sample_library: Library,
) -> None:
    root = sample_library.root
    page = "\n".join(["Jun 9", "A Paper Nobody Saw Before", "Its abstract.", ""])
    daily = Library(root)
    result = daily.import_digests([("late", parse_text(page, "late.txt"))])
    assert result.new == 1
    assert daily.corpus_store._catalog is None, "not the spliced import: the table was rebuilt"
    extended = (root / IDS_FILE).read_bytes()
    assert header_of(root / IDS_FILE)["format"] == FORMAT
    assert_lazy_equals_whole(root)
    # The splice's table is the one a rebuild from the whole read makes.
    (root / IDS_FILE).unlink()
    Library(root).id_table()
    assert (root / IDS_FILE).read_bytes() == extended


def test_a_format_2_table_is_read_without_the_whole_catalog_and_rewritten(
    sample_library: Library,
) -> None:
    root = sample_library.root
    current = (root / IDS_FILE).read_bytes()
    table = IdTable.from_bytes(current)
    assert table is not None
    (root / IDS_FILE).write_bytes(format_2_bytes(table))
    library = assert_lazy_equals_whole(root)
    assert (root / IDS_FILE).read_bytes() == current  # rewritten in today's format, once
    pid = str(library.catalog().docs[5]["id"])
    assert Library(root).get(pid[:10]).paper.id == pid


def test_a_stale_format_2_table_falls_back_to_the_whole_read(sample_library: Library) -> None:
    root = sample_library.root
    table = IdTable.from_bytes((root / IDS_FILE).read_bytes())
    assert table is not None
    old = format_2_bytes(table)
    Library(root).import_digests([("late", parse_text("Jun 9\nA Late One\nIts text.\n", "l"))])
    (root / IDS_FILE).write_bytes(old)  # the table of the catalog before the import
    library = Library(root)
    lazy = library.first_frame_catalog()
    assert library.corpus_store._catalog is not None, "a stale table was trusted"
    assert_same(lazy, Library(root).catalog())
    assert "A Late One" in [d["title"] for d in lazy.docs]
    assert header_of(root / IDS_FILE)["format"] == FORMAT  # rebuilt


def test_a_format_2_table_with_a_position_out_of_range_is_rebuilt(
    sample_library: Library,
) -> None:
    root = sample_library.root
    table = IdTable.from_bytes((root / IDS_FILE).read_bytes())
    assert table is not None
    spoiled = array("I", table.positions)
    spoiled[3] = len(spoiled) + 7
    bad = IdTable(
        table.stamp,
        table.revision,
        table.segments,
        table.segment_papers,
        table.keys,
        spoiled,
        table.starts,
        table.lengths,
    )
    (root / IDS_FILE).write_bytes(format_2_bytes_safe(bad))
    assert IdTable.from_bytes((root / IDS_FILE).read_bytes()) is None
    assert_same(Library(root).first_frame_catalog(), Library(root).catalog())
    assert header_of(root / IDS_FILE)["format"] == FORMAT


def format_2_bytes_safe(table: IdTable) -> bytes:
    """As :func:`format_2_bytes`, a row whose position is out of range given no span."""
    count = len(table.starts)
    clean = array("I", (p if p < count else 0 for p in table.positions))
    data = format_2_bytes(
        IdTable(
            table.stamp,
            table.revision,
            table.segments,
            table.segment_papers,
            table.keys,
            clean,
            table.starts,
            table.lengths,
        )
    )
    at = data.index(b"\n") + 1 + len(table.keys.raw)
    return data[:at] + table.positions.tobytes() + data[at + 4 * count :]
