"""A library written by the last release (schema 2, 8-digit ids) upgrades in place.

The fixture in tests/fixtures/library-v2 was written by that release's own command line (see
make_v2_library.sh beside it): nothing here fakes the old format.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import orjson
import pytest

from digestreader.cli.main import main
from digestreader.ingest.indexing import index_path, load_index
from digestreader.library import Library, LibraryError
from digestreader.models import paper_id
from digestreader.reader.model import ReaderModel
from digestreader.store import files as storage
from digestreader.store.state import STATE_SHARDS

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "library-v2"
MERGED = "Editing21123: Dropout Q-Functions for Doubly Efficient Reinforcement Learning foundations"
# What the old release stored, by old id: (marked, read, note)
OLD_STATES = {
    "f92fbe9c": (True, True, ""),
    "22553536": (False, True, "a note on the second paper"),
    "92f2ba5c": (True, False, ""),
    "fb29ee49": (True, False, "a note on the merged pair"),
}


@pytest.fixture
def old_library(tmp_path: Path) -> Library:
    root = tmp_path / "lib"
    shutil.copytree(FIXTURE, root)
    return Library(root)


def snapshot(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def states_by_old_id(library: Library) -> dict[str, tuple[bool, bool, str]]:
    """Each state, named by the old id its paper had (the first 8 digits of its key)."""
    states = library.states()
    out = {}
    for paper in library.papers():
        if paper.id in states:
            s = states[paper.id]
            out[paper.id[:8]] = (s.marked, s.read, s.note)
    return out


def test_the_fixture_is_the_old_format(old_library: Library) -> None:
    corpus = orjson.loads(old_library.corpus_path.read_bytes())
    assert corpus["meta"]["1"]["schema"] == 2
    assert {len(d["id"]) for d in corpus["papers"].values()} == {8}
    assert (old_library.root / "state").is_dir()


def test_an_old_library_reads_with_new_keys_before_any_write(old_library: Library) -> None:
    before = snapshot(old_library.root)
    papers = old_library.papers()
    assert len(papers) == 6
    assert all(p.id == paper_id(p.title) for p in papers)
    assert states_by_old_id(old_library) == OLD_STATES
    session_paper = old_library.load_session()["paper"]
    assert session_paper == paper_id(next(p.title for p in papers if p.id.startswith("92f2ba5c")))
    assert old_library.resolve("fb29ee49") == paper_id(MERGED)
    assert all(p.abstract for p in papers)
    assert snapshot(old_library.root) == before  # reading wrote nothing


def test_the_first_write_migrates_everything_and_moves_states_to_their_new_shards(
    old_library: Library,
) -> None:
    root = old_library.root
    old_shards = {pid: int(pid, 16) % STATE_SHARDS for pid in OLD_STATES}
    keys = {p.id[:8]: p.id for p in old_library.papers()}
    moved = [pid for pid in OLD_STATES if int(keys[pid], 16) % STATE_SHARDS != old_shards[pid]]
    assert len(moved) >= 2  # the point of the test: states that must change shards
    old_revision = old_library.catalog().revision

    old_library.set_read([keys["5dacbffb"]])  # the first write, on a paper with no state yet

    corpus = orjson.loads(old_library.corpus_path.read_bytes())
    assert corpus["meta"]["1"]["schema"] == 3
    assert {d["id"] for d in corpus["papers"].values()} == set(keys.values())
    assert corpus["meta"]["1"]["revision"] != old_revision
    fresh = Library(root)
    expected = OLD_STATES | {"5dacbffb": (False, True, "")}
    assert states_by_old_id(fresh) == expected
    assert fresh.load_session()["paper"] == keys["92f2ba5c"]
    assert not (root / "state").exists()  # the old shard folder is gone
    for pid in OLD_STATES:
        shard = fresh.state_store.shard_path(int(keys[pid], 16) % STATE_SHARDS)
        assert keys[pid] in shard.read_text()
    assert all(p.abstract for p in fresh.papers())
    assert fresh.get(keys["fb29ee49"]).paper.title == MERGED
    notice = " ".join(old_library.notices)
    assert "cannot be split" in notice
    assert "\n" not in notice


def test_a_migration_makes_the_saved_index_stale_so_it_is_rebuilt(old_library: Library) -> None:
    old_revision = old_library.catalog().revision
    assert load_index(index_path(old_library), old_revision, 6) is not None
    old_library.upgrade()
    new_revision = Library(old_library.root).catalog().revision
    assert load_index(index_path(old_library), new_revision, 6) is None
    model = ReaderModel(Library(old_library.root))
    model.load_index()
    assert load_index(index_path(old_library), new_revision, 6) is not None
    assert model.index_ready


def test_a_crash_anywhere_in_the_migration_loses_nothing(
    old_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    original = storage.AtomicJSONStorage.write
    writes: list[str] = []

    def count(self: storage.AtomicJSONStorage, data: dict[str, Any]) -> None:
        writes.append(self.path.name)
        original(self, data)

    monkeypatch.setattr(storage.AtomicJSONStorage, "write", count)
    shutil.copytree(old_library.root, old_library.root.parent / "probe")
    Library(old_library.root.parent / "probe").upgrade()
    monkeypatch.undo()
    assert len(writes) >= 4
    for dies_at in range(len(writes)):
        root = old_library.root.parent / f"crash{dies_at}"
        shutil.copytree(FIXTURE, root)
        calls = 0

        def crash(self: storage.AtomicJSONStorage, data: dict[str, Any], at: int = dies_at) -> None:
            nonlocal calls
            calls += 1
            if calls > at:
                raise KeyboardInterrupt("power cut")
            original(self, data)

        monkeypatch.setattr(storage.AtomicJSONStorage, "write", crash)
        with pytest.raises(KeyboardInterrupt):
            Library(root).upgrade()
        monkeypatch.undo()
        half = Library(root)
        assert states_by_old_id(half) == OLD_STATES, dies_at
        assert all(p.abstract for p in half.papers()), dies_at
        half.set_note(half.resolve("dcbf3aec"), "after the crash")
        done = Library(root)
        assert states_by_old_id(done) == OLD_STATES | {
            "dcbf3aec": (False, False, "after the crash")
        }
        assert orjson.loads(done.corpus_path.read_bytes())["meta"]["1"]["schema"] == 3


def test_the_cli_prints_the_notice_once_on_stderr(
    old_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    root = str(old_library.root)
    assert main(["--library", root, "list"]) == 0
    assert capsys.readouterr().err == ""  # reading does not migrate
    assert main(["--library", root, "mark", "5dacbffb"]) == 0
    out, err = capsys.readouterr()
    # Beside it may stand the note that the folder's loose mode (from git) was tightened.
    assert all(line.startswith("digestreader: note: ") for line in err.splitlines())
    assert [line for line in err.splitlines() if "cannot be split" in line] != []
    assert err.count("cannot be split") == 1
    assert main(["--library", root, "show", "fb29ee49", "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert orjson.loads(out)["id"] == paper_id(MERGED)


def test_a_newer_schema_stays_refused(old_library: Library) -> None:
    old_library.upgrade()
    data = orjson.loads(old_library.state_path.read_bytes())
    data["meta"]["1"]["schema"] = 4
    old_library.state_path.write_bytes(orjson.dumps(data))
    fresh = Library(old_library.root)
    with pytest.raises(LibraryError, match="schema version 4"):
        fresh.set_marked([fresh.papers()[0].id])


def test_merged_papers_can_be_listed_where_sightings_tell(old_library: Library) -> None:
    # Sightings of the old release carry no title, so the merged pair cannot be told apart.
    assert old_library.merged_papers() == []
