"""A state change that touches several shards is all or nothing: it goes through a journal
(userstate/journal.json) that the next lock holder rolls forward; a bad journal is a one-line
error, never applied, never deleted unasked. A one-shard change writes no journal."""

from __future__ import annotations

import errno
import subprocess
from pathlib import Path

import pytest

from digestreader import doctor
from digestreader.library import Library, LibraryError
from digestreader.store.state import STATE_DIR
from tests.faults import inject

JOURNAL = Path(STATE_DIR) / "journal.json"


def spread(lib: Library, shards: int) -> list[str]:
    """Ids of papers in ``shards`` different state shards."""
    by_shard: dict[int, str] = {}
    for paper in lib.papers():
        by_shard.setdefault(lib.state_store.shard_of(paper.id), paper.id)
    assert len(by_shard) >= shards
    return list(by_shard.values())[:shards]


def copy_of(lib: Library, tmp: Path, name: str) -> Library:
    root = tmp / name
    subprocess.run(["cp", "-a", str(lib.root), str(root)], check=True)
    return Library(root)


def read_flags(root: Path, ids: list[str]) -> list[bool]:
    states = Library(root).states()  # a fresh open, as the next process would
    return [pid in states and states[pid].read for pid in ids]


def test_a_failure_after_the_first_shard_leaves_all_or_nothing(
    sample_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = spread(sample_library, 6)
    sample_library.set_marked(ids[:1])  # a state file exists: the change rewrites shards
    counter = copy_of(sample_library, tmp_path, "count")
    faulty = inject(monkeypatch, "replace", 0, 0)
    counter.set_read(ids)
    monkeypatch.undo()
    assert faulty.calls >= len(ids)
    outcomes = set()
    for nth in range(1, faulty.calls + 1):
        lib = copy_of(sample_library, tmp_path, f"fail-{nth}")
        inject(monkeypatch, "replace", errno.ENOSPC, nth)
        with pytest.raises(LibraryError):
            lib.set_read(ids)
        monkeypatch.undo()
        flags = read_flags(lib.root, ids)
        assert flags in ([True] * len(ids), [False] * len(ids)), (nth, flags)
        outcomes.add(flags[0])
        # the next writer completes (or has nothing to complete) and leaves no journal
        lib.set_marked(ids[-1:])
        assert not (lib.root / JOURNAL).exists()
        assert read_flags(lib.root, ids) == flags
    assert outcomes == {True, False}  # failures before and after the journal's commit


def test_a_one_shard_change_writes_one_file(
    sample_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = sample_library.papers()[0].id
    sample_library.set_marked([pid])
    faulty = inject(monkeypatch, "replace", 0, 0)
    sample_library.set_marked([pid], False)
    sample_library.set_note(pid, "one shard")
    assert faulty.calls == 2  # no journal for a bookmark or a note


def test_a_bad_journal_is_one_line_and_never_applied_or_deleted(
    sample_library: Library, tmp_path: Path
) -> None:
    ids = spread(sample_library, 3)
    sample_library.set_read(ids)
    root = sample_library.root
    before = {p.name: p.read_bytes() for p in (root / STATE_DIR).iterdir()}
    for n, bad in enumerate([b"{not json", b'{"journal": 1, "shards": {"00.json": [1]}}']):
        (root / JOURNAL).write_bytes(bad)
        (root / JOURNAL).chmod(0o600)
        lines = []
        for action in (lambda: Library(root).states(), lambda: Library(root).set_marked(ids)):
            with pytest.raises(LibraryError) as raised:
                action()
            lines.append(str(raised.value))
        written, failed = Library(root).save_states({ids[0]: {"marked": True}})
        assert not written
        lines += failed.values()
        assert all("\n" not in line and str(root / JOURNAL) in line for line in lines), lines
        states, problems = Library(root).readable_states()
        assert any(str(root / JOURNAL) in p for p in problems)
        assert all(states[pid].read for pid in ids)
        assert (root / JOURNAL).read_bytes() == bad
        after = {p.name: p.read_bytes() for p in (root / STATE_DIR).iterdir()}
        assert after == {**before, "journal.json": bad}, n
    findings = [f for f in doctor.examine(Library(root)) if f.path == root / JOURNAL]
    assert len(findings) == 1
    assert findings[0].repair is not None
    assert doctor.repair(findings)
    assert not (root / JOURNAL).exists()
    assert list((root / "backups" / "broken").glob("journal.json.*"))
    Library(root).set_marked(ids[:2])
    assert Library(root).states()[ids[1]].marked


def test_a_pending_journal_is_seen_by_readers_and_completed_by_doctor(
    sample_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = spread(sample_library, 4)
    sample_library.set_marked(ids[:1])
    inject(monkeypatch, "replace", errno.EROFS, 3)  # journal in, first shard in, then a fault
    with pytest.raises(LibraryError):
        sample_library.set_read(ids)
    monkeypatch.undo()
    root = sample_library.root
    assert (root / JOURNAL).exists()
    assert read_flags(root, ids) == [True] * len(ids)
    findings = [f for f in doctor.examine(Library(root)) if f.path == root / JOURNAL]
    assert len(findings) == 1
    assert doctor.repair(findings) == [f"{root / JOURNAL}: completed"]
    assert not (root / JOURNAL).exists()
    assert read_flags(root, ids) == [True] * len(ids)
