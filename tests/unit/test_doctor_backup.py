"""Rolling backups of the user state, `digestreader backup`, and `digestreader doctor`."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import orjson
import pytest

from digestreader.cli.main import main
from digestreader.export.jsonio import to_json
from digestreader.ingest.indexing import index_path, update_index
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.store.backups import KEEP, backup_dirs
from digestreader.store.documents import doc_id_of
from digestreader.store.state import STATE_DIR


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(list(args))
    out, err = capsys.readouterr()
    return status, out, err


def test_backup_writes_one_json_file_that_restores_everything(
    sample_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = sample_library
    a, b, c, d = (p.id for p in lib.papers()[:4])
    lib.set_marked([a])
    lib.set_read([b])
    lib.set_note(c, "a note on an unmarked paper")
    lib.set_marked([d])
    lib.set_marked([d], False)  # unmarked later: the unmark is state too
    out_file = tmp_path / "backup.json"
    status, _, err = run(capsys, "--library", str(lib.root), "backup", "-o", str(out_file))
    assert status == 0, err
    assert stat.S_IMODE(out_file.stat().st_mode) == 0o600
    items = orjson.loads(out_file.read_bytes())["papers"]
    assert {item["id"] for item in items} == {a, b, c, d}
    fresh = tmp_path / "fresh"
    status, _, err = run(capsys, "--library", str(fresh), "import", str(out_file))
    assert status == 0, err
    states = Library(fresh).states()
    assert states[a].marked
    assert states[b].read
    assert states[c].note == "a note on an unmarked paper"
    assert not states[d].marked
    assert states[d].marked_at
    assert Library(fresh).get(c).paper.abstract == lib.get(c).paper.abstract


def test_bulk_changes_and_restores_keep_rolling_backups(
    sample_library: Library, tmp_path: Path
) -> None:
    lib = sample_library
    ids = [p.id for p in lib.papers()]
    lib.set_marked(ids[:1])
    assert backup_dirs(lib.root) == []  # a single change makes none
    model = ReaderModel(lib)
    model.user.set_read([0, 1, 2])  # "mark all read": a backup first
    assert len(backup_dirs(lib.root)) == 1
    lib.backup()  # the state just copied is unchanged but for the bulk change: one more
    lib.backup()  # unchanged: no new copy
    assert len(backup_dirs(lib.root)) == 2
    export = tmp_path / "e.json"
    export.write_text(to_json(lib.papers_with_state()[:3]))
    lib.set_note(ids[5], "changed before the restore")
    lib.restore(load_inputs([str(export)]).exports)
    assert len(backup_dirs(lib.root)) == 3
    for n in range(KEEP + 3):
        lib.set_note(ids[1], f"note {n}")
        lib.backup()
    assert len(backup_dirs(lib.root)) == KEEP
    newest = backup_dirs(lib.root)[-1]
    assert (newest / STATE_DIR).is_dir()


def test_doctor_says_ok_on_a_healthy_library(
    sample_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    update_index(sample_library)
    sample_library.set_marked([sample_library.papers()[0].id])
    status, out, _ = run(capsys, "--library", str(sample_library.root), "doctor")
    assert (status, out) == (0, "library ok\n")


def test_doctor_finds_each_problem_and_repair_fixes_it(
    sample_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = sample_library
    first = lib.papers()[0].id
    lib.set_marked([first])
    lib.set_note(first, "precious")
    lib.backup()
    shard = lib.state_store.shard_path(doc_id_of(first) % 64)
    good = shard.read_bytes()
    shard.write_bytes(good[: len(good) // 2])  # torn by hand
    leftover = lib.state_store.shard_dir / ".03.json.0123abcd.tmp"
    leftover.write_bytes(b"half")
    os.chmod(lib.corpus_path, 0o644)
    index_path(lib).write_bytes(b"")
    root = str(lib.root)
    status, out, _ = run(capsys, "--library", root, "doctor")
    assert status == 1
    lines = out.splitlines()
    assert any(str(shard) in line and "--repair" in line for line in lines), out
    assert any(str(leftover) in line for line in lines), out
    assert any(str(lib.corpus_path) in line and "0644" in line for line in lines), out
    assert any("index" in line for line in lines), out
    assert shard.read_bytes() != good  # doctor alone changes nothing
    status, out, _ = run(capsys, "--library", root, "doctor", "--repair")
    assert status == 0, out
    assert out.endswith("library ok\n")
    assert Library(lib.root).get(first).state.note == "precious"
    assert not leftover.exists()
    assert stat.S_IMODE(lib.corpus_path.stat().st_mode) == 0o600
    assert run(capsys, "--library", root, "doctor")[:2] == (0, "library ok\n")


def test_doctor_names_a_bad_corpus_without_touching_it(
    sample_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    sample_library.corpus_path.write_bytes(b'{"papers":[1,2]}')
    status, out, _ = run(capsys, "--library", str(sample_library.root), "doctor", "--repair")
    assert status == 1
    assert str(sample_library.corpus_path) in out
    assert sample_library.corpus_path.read_bytes() == b'{"papers":[1,2]}'


def test_a_reader_start_backs_up_only_what_changed_since_the_newest_copy(
    sample_library: Library,
) -> None:
    """The start-up check compares bytes with the newest backup before parsing anything: an
    untouched state makes no copy, one changed byte (same size) does."""
    lib = sample_library
    pid = lib.papers()[0].id
    lib.set_note(pid, "aaaa")
    assert lib.backup() is not None
    assert Library(lib.root).backup() is None  # unchanged, as a restarted reader finds it
    shard = lib.state_store.shard_path(lib.state_store.shard_of(pid))
    raw = shard.read_bytes()
    shard.write_bytes(raw.replace(b'"aaaa"', b'"aaab"'))
    assert len(shard.read_bytes()) == len(raw)
    newest = Library(lib.root).backup()
    assert newest is not None
    assert b'"aaab"' in (newest / shard.relative_to(lib.root)).read_bytes()


def test_a_new_session_alone_makes_no_new_backup_but_a_changed_mark_does(
    sample_library: Library,
) -> None:
    """state.json holds the reader's session (saved on every run, stamped): a start after a
    session that changed no mark, read or note copies nothing new, and ten of them leave the
    rotation as it was. The copy holds state.json whole, session included."""
    lib = sample_library
    pid = lib.papers()[0].id
    lib.set_marked([pid])
    lib.save_session({"paper": pid, "query": "first"})
    first = lib.backup()
    assert first is not None
    assert b'"first"' in (first / "state.json").read_bytes()
    for n in range(KEEP + 1):
        restarted = Library(lib.root)
        session = restarted.load_session()
        restarted.save_session({**session, "query": f"session {n}", "theme": f"t{n}"})
        assert restarted.backup() is None
    assert backup_dirs(lib.root) == [first]
    lib.set_marked([pid], False)
    second = Library(lib.root).backup()
    assert second is not None
    assert backup_dirs(lib.root) == [first, second]
    assert b'"theme":"t10"' in (second / "state.json").read_bytes()  # the whole file


def test_a_changed_schema_stamp_in_state_json_is_a_change(sample_library: Library) -> None:
    """Only the session is left out of the comparison: the rest of state.json counts."""
    lib = sample_library
    lib.set_marked([lib.papers()[0].id])
    assert lib.backup() is not None
    data = orjson.loads(lib.state_path.read_bytes())
    data["meta"]["1"]["note"] = "changed"
    lib.state_path.write_bytes(orjson.dumps(data))
    assert Library(lib.root).backup() is not None
