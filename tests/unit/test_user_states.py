"""The facade's composed parts on their own: UserStates and PaperKeys built from the stores, no
Library, on real files in tmp_path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from digestreader.ingest.sources import parse_sources
from digestreader.library import Library, LibraryError
from digestreader.library.keys import PaperKeys
from digestreader.library.user_states import UserStates, flag_fields, note_fields
from digestreader.models import UserState
from digestreader.store.corpus import Catalog, CorpusStore
from digestreader.store.state import StateStore
from tests.conftest import SAMPLES

KEY = "0123456789abcdef"
OTHER = "fedcba9876543210"


def user_states(root: Path, calls: list[str]) -> UserStates:
    """A UserStates over ``root`` whose callables do their real work and say they ran."""

    def ensure_root() -> None:
        calls.append("ensure_root")
        root.mkdir(exist_ok=True)

    def upgrade() -> None:
        calls.append("upgrade")

    def current_keys(stored: Iterable[str]) -> dict[str, str]:
        calls.append("current_keys")
        return {pid: pid for pid in stored}

    return UserStates(
        root,
        StateStore(root),
        CorpusStore(root),
        ensure_root=ensure_root,
        upgrade=upgrade,
        current_keys=current_keys,
    )


def test_a_write_makes_the_folder_and_upgrades_first_and_reads_back_from_disk(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lib"
    calls: list[str] = []
    states = user_states(root, calls)
    assert states.state_of(KEY) == UserState()
    written = states.update_states({KEY: flag_fields("marked", True), OTHER: note_fields("hi")})
    assert calls == ["ensure_root", "upgrade"]
    assert written[KEY].marked
    assert written[OTHER].note == "hi"
    fresh = user_states(root, [])  # nothing cached: what is on disk
    assert fresh.state_of(KEY).marked
    assert fresh.state_of(OTHER).note == "hi"
    assert set(fresh.states()) == {KEY, OTHER}
    assert fresh.readable_states() == (fresh.states(), [])


def test_save_states_reports_papers_on_an_unreadable_shard_and_writes_the_rest(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lib"
    states = user_states(root, [])
    states.update_states({KEY: note_fields("kept")})
    store = StateStore(root)
    store.shard_path(store.shard_of(KEY)).write_text("{not json")
    written, failed = states.save_states({KEY: note_fields("x"), OTHER: note_fields("y")})
    assert set(failed) == {KEY}
    assert set(written) == {OTHER}
    with pytest.raises(LibraryError):
        states.state_of(KEY)


def test_the_session_keeps_when_its_theme_last_changed(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    states = user_states(root, [])
    states.save_session({"theme": "nord", "query": "a"})
    first = states.load_session()
    states.save_session({"theme": "nord", "query": "b"})
    second = states.load_session()
    assert second["query"] == "b"
    assert second["theme_at"] == first["theme_at"]
    assert second["saved_at"] >= first["saved_at"]
    states.save_session({"theme": "dracula", "query": "b"})
    third = states.load_session()
    assert third["theme_at"] == third["saved_at"] >= second["saved_at"]


def test_a_backup_is_taken_only_of_a_state_there_is(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    states = user_states(root, [])
    assert states.backup() is None
    states.update_states({KEY: flag_fields("read", True)})
    copy = states.backup()
    assert copy is not None
    assert copy.parent == root / "backups"


def test_paper_keys_name_papers_as_the_library_does(sample_library: Library) -> None:
    corpus = CorpusStore(sample_library.root)
    keys = PaperKeys(corpus, corpus.catalog)
    papers = sample_library.papers()
    assert len(SAMPLES) == len(sample_library.digests())
    for paper in papers[:20]:
        handle = keys.handle(paper.id)
        assert handle == sample_library.handle(paper.id)
        assert len(handle) >= 8
        assert keys.resolve(handle) == paper.id
    assert list(keys.sorted_ids()) == sorted(p.id for p in papers)
    with pytest.raises(LibraryError):
        keys.resolve("ffff" * 4)


def test_paper_keys_resolve_through_the_id_table_without_reading_the_catalog(
    tmp_path: Path,
) -> None:
    lib = Library(tmp_path / "lib")
    lib.import_digests(parse_sources([str(SAMPLES[0])]))
    corpus = CorpusStore(lib.root)
    table = corpus.ids.id_table()
    assert table is not None
    reads: list[int] = []

    def catalog() -> Catalog:
        reads.append(1)
        return corpus.catalog()

    keys = PaperKeys(corpus, catalog)
    assert keys.sorted_ids() == table.keys
    assert keys.resolve(keys.handle(table.keys[3])) == table.keys[3]
    assert not reads  # the id table spares parsing the catalog


def test_a_session_writes_nothing_before_its_backup_and_the_cli_takes_none(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    states = user_states(root, [])
    states.update_states({KEY: flag_fields("read", True)})
    states.update_states({OTHER: note_fields("cli")})  # no session: no backup
    assert not (root / "backups").exists()
    states.begin_session()
    states.save_states({KEY: flag_fields("marked", True)})  # the first write takes it first
    copies = sorted((root / "backups").iterdir())
    assert len(copies) == 1
    held = StateStore(copies[0]).states()
    assert held[KEY].read
    assert not held[KEY].marked
    states.update_states({KEY: note_fields("later")})
    assert states.session_backup() is None  # taken once
    assert sorted((root / "backups").iterdir()) == copies


def test_a_session_backup_that_fails_is_said_and_writes_go_on(tmp_path: Path) -> None:
    root = tmp_path / "lib"
    states = user_states(root, [])
    states.update_states({KEY: flag_fields("read", True)})
    (root / "backups").write_bytes(b"")  # no folder can be made there
    states.begin_session()
    fresh, failed = states.save_states({KEY: flag_fields("marked", True)})
    assert (fresh[KEY].marked, failed) == (True, {})
    problem = states.session_backup()
    assert problem is not None
    assert problem.startswith("No backup taken: ")
    assert "backups" in problem
