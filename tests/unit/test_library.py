"""The library on real TinyDB files: import, state, atomicity, locking, corruption."""

from __future__ import annotations

import multiprocessing
import os
import re
import stat
from pathlib import Path

import orjson
import pytest

from digestreader.ingest.parser import parse_text
from digestreader.ingest.sources import parse_sources
from digestreader.library import Library, LibraryError
from digestreader.store.files import atomic_write_bytes


def test_import_counts_papers_entries_and_digests(sample_library: Library) -> None:
    assert sample_library.stats() == {
        "papers": 561,
        "entries": 629,
        "digests": 5,
        "marked": 0,
        "read": 0,
        "notes": 0,
    }
    seen_twice = [p for p in sample_library.papers() if len(p.sources) > 1]
    assert seen_twice, "the samples share papers across digests"
    dated = {s.date[4:] for p in seen_twice for s in p.sources if s.date}
    assert {"-04-29", "-08-25", "-03-14"} & dated  # ISO dates, their year from the import


def test_reimport_changes_nothing_and_keeps_marks_and_notes(
    sample_library: Library, samples: list[Path]
) -> None:
    pid = sample_library.papers()[10].id
    sample_library.set_marked([pid])
    sample_library.set_note(pid, "keep me")
    corpus_before = sample_library.corpus_path.read_bytes()
    result = sample_library.import_digests(parse_sources([str(p) for p in samples]))
    assert (result.new, result.updated, result.duplicate) == (0, 0, 629)
    assert (result.entries, result.repeats) == (629, 0)
    assert sample_library.corpus_path.read_bytes() == corpus_before
    view = sample_library.get(pid)
    assert view.state.marked
    assert view.state.note == "keep me"


def test_a_new_digest_adds_a_sighting_to_known_papers(sample_library: Library) -> None:
    known = sample_library.papers()[0]
    text = f"new\nSubscribe\nJun 1\n{known.title}\n{known.abstract}\nBrand New Paper\nAbstract.\n"
    result = sample_library.import_digests([("extra", parse_text(text, "extra.txt"))])
    assert (result.new, result.updated) == (1, 1)
    again = sample_library.get(known.id).paper
    assert again.sources[-1].digest == "extra"
    assert re.fullmatch(r"\d{4}-06-01", again.sources[-1].date or "")
    assert again.sources[-1].position == 1


def test_bookmark_and_note_never_rewrite_the_corpus(sample_library: Library) -> None:
    corpus = sample_library.corpus_path
    untouched = (corpus, *sorted(sample_library.corpus_store.abstracts_dir.iterdir()))
    before = [(p.read_bytes(), p.stat().st_mtime_ns) for p in untouched]
    pid = sample_library.papers()[0].id
    sample_library.set_marked([pid])
    sample_library.set_read([pid])
    sample_library.set_note(pid, "n")
    assert [(p.read_bytes(), p.stat().st_mtime_ns) for p in untouched] == before
    assert sample_library.state_path.stat().st_size < corpus.stat().st_size / 100


def test_ids_resolve_by_unique_prefix(sample_library: Library) -> None:
    pid = sample_library.papers()[0].id
    assert (
        sample_library.resolve(pid[:4].upper()) == pid
        or len([p for p in sample_library.papers() if p.id.startswith(pid[:4])]) > 1
    )
    assert sample_library.resolve(pid) == pid
    with pytest.raises(LibraryError, match="at least 4"):
        sample_library.resolve(pid[:3])
    with pytest.raises(LibraryError, match="no paper"):
        sample_library.resolve("zzzzzzzz")


def test_files_are_private(sample_library: Library) -> None:
    sample_library.set_marked([sample_library.papers()[0].id])
    assert stat.S_IMODE(sample_library.root.stat().st_mode) == 0o700
    for path in (sample_library.corpus_path, sample_library.state_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


def _mark_many(root: str, ids: list[str], worker: int) -> None:
    library = Library(Path(root))
    for pid in ids:
        library.set_marked([pid])
        library.set_note(pid, f"from {worker}")


def test_two_processes_writing_at_once_lose_nothing(sample_library: Library) -> None:
    ids = [p.id for p in sample_library.papers()[:60]]
    ctx = multiprocessing.get_context("spawn")
    workers = [
        ctx.Process(target=_mark_many, args=(str(sample_library.root), ids[i::2], i))
        for i in range(2)
    ]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
        assert w.exitcode == 0
    states = sample_library.states()
    assert all(states[pid].marked for pid in ids)
    assert all(states[pid].note == f"from {ids.index(pid) % 2}" for pid in ids)


def test_a_corrupt_library_file_is_reported_and_left_untouched(sample_library: Library) -> None:
    garbage = b'{"state": {"1": {"id": "abc'
    sample_library.state_path.write_bytes(garbage)
    with pytest.raises(LibraryError, match=r"state\.json: not valid JSON"):
        sample_library.set_marked([sample_library.papers()[0].id])
    assert sample_library.state_path.read_bytes() == garbage
    sample_library.corpus_path.write_bytes(b"[]")
    with pytest.raises(LibraryError, match=r"corpus\.json"):
        sample_library.import_digests([("x", parse_text("T\nA.\n", "x"))])
    assert sample_library.corpus_path.read_bytes() == b"[]"


def test_a_newer_schema_is_refused(sample_library: Library) -> None:
    data = orjson.loads(sample_library.corpus_path.read_bytes())
    data["meta"]["1"]["schema"] = 99
    sample_library.corpus_path.write_bytes(orjson.dumps(data))
    with pytest.raises(LibraryError, match="schema version 99"):
        sample_library.stats()


def test_interrupted_write_leftovers_are_cleaned(sample_library: Library) -> None:
    leftover = sample_library.root / ".state.json.abc123.tmp"
    leftover.write_bytes(b"half")
    sample_library.set_read([sample_library.papers()[0].id])
    assert not leftover.exists()


def test_atomic_write_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "f.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert os.listdir(tmp_path) == ["f.json"]


def test_an_empty_library_stays_empty(library: Library) -> None:
    assert library.papers() == []
    assert library.stats()["papers"] == 0
    assert not library.root.exists()
