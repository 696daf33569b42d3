"""The id table beside the catalog: resolving, handles and one paper's lookup, no catalog read."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import orjson
import pytest

from digestreader.ingest.parser import parse_text
from digestreader.library import Library, LibraryError
from digestreader.store.identity import IdentityError, handle, resolve
from digestreader.store.idtable import IDS_FILE, IdTable, corpus_stamp, read_table
from digestreader.store.lazy_catalog import LazyDocs


def outcome(keys: list[str], prefix: str) -> str:
    """What full resolution over the catalog's sorted keys says: a key or the error."""
    try:
        return resolve(keys, prefix)
    except IdentityError as err:
        return f"error: {err}"


def table_outcome(library: Library, prefix: str) -> str:
    try:
        return library.resolve(prefix)
    except LibraryError as err:  # the same message as the IdentityError
        return f"error: {err}"


def test_resolve_from_the_table_equals_full_resolution(sample_library: Library) -> None:
    keys = sorted(str(d["id"]) for d in sample_library.catalog().docs)
    fresh = Library(sample_library.root)
    table = fresh.corpus_store.ids.id_table()
    assert table is not None
    assert list(table.keys) == keys
    rng = random.Random(15)
    prefixes = [rng.choice(keys)[: rng.randint(1, 16)] for _ in range(200)]
    prefixes += ["".join(rng.choices("0123456789abcdef", k=rng.randint(3, 9))) for _ in range(100)]
    assert len(prefixes) == 300
    for prefix in prefixes:
        assert table_outcome(fresh, prefix) == outcome(keys, prefix), prefix
    for key in keys[::7]:
        assert fresh.handle(key) == handle(keys, key)
    assert fresh.corpus_store._catalog is None, "the table answered without parsing the catalog"


def test_get_reads_one_document_and_equals_the_full_read(sample_library: Library) -> None:
    pid = sample_library.papers()[40].id
    sample_library.set_marked([pid])
    sample_library.set_note(pid, "one shard")
    expected = {p.paper.id: p for p in sample_library.papers_with_state()}
    fresh = Library(sample_library.root)
    for key in [*list(expected)[::5], pid]:
        assert fresh.get(key) == expected[key]
    assert fresh.corpus_store._catalog is None, "show read the catalog"
    assert fresh.get(pid).state.note == "one shard"


def test_a_stale_table_is_rebuilt_not_trusted(sample_library: Library) -> None:
    root = sample_library.root
    ids_path = sample_library.corpus_store.ids_path
    old = IdTable.from_bytes(ids_path.read_bytes())
    assert old is not None
    assert old.stamp == corpus_stamp(sample_library.corpus_path)
    stale_bytes = ids_path.read_bytes()
    # Another process imports: the table it writes is replaced by the old one, as a crash
    # between the corpus write and the table write would leave it.
    other = Library(root)
    other.import_digests([("late", parse_text("A Paper Nobody Had\nIts text.\n", "late.txt"))])
    ids_path.write_bytes(stale_bytes)
    new_key = other.papers()[-1].id
    fresh = Library(root)
    assert fresh.resolve(new_key[:10]) == new_key
    rebuilt = IdTable.from_bytes(ids_path.read_bytes())
    assert rebuilt is not None
    assert rebuilt.stamp == corpus_stamp(sample_library.corpus_path)
    assert new_key in list(rebuilt.keys)
    assert Library(root).get(new_key).paper.abstract == "Its text."


@pytest.mark.parametrize("garbage", [b"", b"not a table\n", b'{"format": 1}\n', b"\xff" * 64])
def test_a_broken_table_is_rebuilt(sample_library: Library, garbage: bytes) -> None:
    keys = sorted(str(d["id"]) for d in sample_library.catalog().docs)
    sample_library.corpus_store.ids_path.write_bytes(garbage)
    fresh = Library(sample_library.root)
    assert fresh.resolve(keys[3]) == keys[3]
    assert IdTable.from_bytes(fresh.corpus_store.ids_path.read_bytes()) is not None


def test_a_corpus_written_by_an_older_version_gets_spans(sample_library: Library) -> None:
    """A corpus.json written in one orjson.dumps (as before the table) is located paper by paper;
    a table whose spans point at the wrong bytes falls back to the catalog, never misreads."""
    path = sample_library.corpus_path
    path.write_bytes(orjson.dumps(orjson.loads(path.read_bytes())))
    sample_library.corpus_store.ids_path.unlink()
    expected = {p.paper.id: p for p in sample_library.papers_with_state()}
    fresh = Library(sample_library.root)
    table = fresh.corpus_store.ids.id_table()
    assert table is not None
    assert all(table.lengths)
    some = list(expected)[::50]
    assert [fresh.get(k) for k in some] == [expected[k] for k in some]
    # Same stamp, shifted spans: the document read does not carry the key, so the catalog answers.
    shifted = IdTable(
        table.stamp,
        table.revision,
        table.segments,
        table.segment_papers,
        table.keys,
        table.positions,
        type(table.starts)("Q", (s + 3 for s in table.starts)),
        table.lengths,
    )
    sample_library.corpus_store.ids_path.write_bytes(shifted.to_bytes())
    again = Library(sample_library.root)
    assert [again.get(k) for k in some] == [expected[k] for k in some]


def test_a_copied_library_keeps_its_table_and_a_rewritten_corpus_does_not(
    sample_library: Library, tmp_path: Path
) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(sample_library.root, copy)  # copy2: times kept, new inodes
    table_bytes = (copy / IDS_FILE).read_bytes()
    Library(copy).resolve(str(sample_library.catalog().docs[0]["id"]))
    assert (copy / IDS_FILE).read_bytes() == table_bytes, "the copy's table was trusted as is"
    # Another revision of the same size and time: the revision in the file's head tells.
    path = copy / "corpus.json"
    raw, st = path.read_bytes(), path.stat()
    revision = orjson.loads(raw)["meta"]["1"]["revision"]
    path.write_bytes(raw.replace(revision.encode(), b"f" * len(revision), 1))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert corpus_stamp(path) == IdTable.from_bytes(table_bytes).stamp  # type: ignore[union-attr]
    Library(copy).resolve(str(sample_library.catalog().docs[0]["id"]))
    rebuilt = IdTable.from_bytes((copy / IDS_FILE).read_bytes())
    assert rebuilt is not None
    assert rebuilt.revision == "f" * len(revision)


def test_a_wrong_shaped_document_read_through_the_table_is_a_one_line_error(
    sample_library: Library,
) -> None:
    """The table does not bypass the shape check: a document of the wrong shape, even in a
    corpus.json the table still matches (same size, time and revision), is the one-line error
    naming the file, and nothing is written over it."""
    path = sample_library.corpus_path
    doc = sample_library.catalog().docs[12]
    pid, title = str(doc["id"]), orjson.dumps(doc["title"])
    raw, st = path.read_bytes(), path.stat()
    assert raw.count(title) == 1
    bad = raw.replace(title, b"1" * len(title))  # a number where the title was: same size
    path.write_bytes(bad)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert read_table(sample_library.corpus_store.ids_path, path, (st.st_mtime_ns, st.st_size))
    with pytest.raises(LibraryError) as caught:
        Library(sample_library.root).get(pid)
    message = str(caught.value)
    assert str(path) in message
    assert "title" in message
    assert "\n" not in message
    assert path.read_bytes() == bad
    path.touch()  # now stale: the rebuild reads the checked catalog, and refuses it the same way
    with pytest.raises(LibraryError, match="not a digestreader file"):
        Library(sample_library.root).resolve(pid[:10])
    assert path.read_bytes() == bad


def test_mark_and_show_from_the_table_never_parse_the_catalog(sample_library: Library) -> None:
    pid = str(sample_library.catalog().docs[3]["id"])
    fresh = Library(sample_library.root)
    fresh.set_marked([pid[:9]])
    assert fresh.get(pid[:9]).state.marked
    assert fresh.corpus_store._catalog is None, "mark or show parsed the catalog"
    assert Library(sample_library.root).states()[pid].marked


def test_the_first_frame_catalog_parses_on_demand_and_equals_the_catalog(
    sample_library: Library,
) -> None:
    full = Library(sample_library.root).catalog()
    lazy = Library(sample_library.root).first_frame_catalog()
    assert isinstance(lazy.docs, LazyDocs)
    assert len(lazy.docs) == len(full.docs)
    assert [lazy.docs[i] for i in (0, 7, -1)] == [full.docs[i] for i in (0, 7, -1)]
    assert not lazy.docs.loaded
    assert (lazy.digests, lazy.revision, lazy.segments) == (
        full.digests,
        full.revision,
        full.segments,
    )
    assert list(lazy.keys) == list(full.keys)
    assert lazy.docs.loaded
    assert list(lazy.docs) == list(full.docs)
    assert Library(sample_library.root).abstracts(lazy) == Library(sample_library.root).abstracts(
        full
    )


def test_an_edited_catalog_is_read_whole_and_checked_before_the_first_frame(
    sample_library: Library,
) -> None:
    """An edit makes the id table stale: the first frame reads the catalog whole, as before,
    and a wrong-shaped document is the start-up error, with nothing written."""
    corpus = sample_library.root / "corpus.json"
    raw = corpus.read_bytes()
    at = raw.rindex(b'"title":"') + len(b'"title":')
    end = raw.index(b'"', at + 1) + 1
    corpus.write_bytes(raw[:at] + b"1" * (end - at) + raw[end:])  # same size, a number
    edited = corpus.read_bytes()
    with pytest.raises(LibraryError, match=r"corpus\.json: not a digestreader file"):
        Library(sample_library.root).first_frame_catalog()
    assert corpus.read_bytes() == edited


def test_the_catalog_after_a_first_frame_is_that_catalog_parsed_in_place(
    sample_library: Library,
) -> None:
    """The reader's states and abstracts ask for the catalog after its first frame: they get
    the same one, whole, not a second parsed copy."""
    library = Library(sample_library.root)
    lazy = library.first_frame_catalog()
    assert isinstance(lazy.docs, LazyDocs)
    assert not lazy.docs.loaded
    assert library.catalog() is lazy
    assert lazy.docs.loaded
    assert list(lazy.docs) == list(Library(sample_library.root).catalog().docs)
