"""User state in shards: a bookmark rewrites one small file; old single-file states move over."""

from __future__ import annotations

import orjson

from digestreader.library import Library
from digestreader.models import UserState
from digestreader.store.state import STATE_SHARDS


def shard_stamps(library: Library) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in library.state_store.shard_dir.iterdir()}


def test_a_bookmark_rewrites_one_shard_even_after_marking_everything_read(
    sample_library: Library,
) -> None:
    ids = [p.id for p in sample_library.papers()]
    sample_library.set_read(ids)
    store = sample_library.state_store
    total = sum(p.stat().st_size for p in store.shard_dir.iterdir())
    before = shard_stamps(sample_library)
    sample_library.set_marked([ids[7]])
    after = shard_stamps(sample_library)
    changed = [name for name in after if after[name] != before.get(name)]
    assert changed == [store.shard_path(store.shard_of(ids[7])).name]
    assert store.shard_path(store.shard_of(ids[7])).stat().st_size < 4 * total / STATE_SHARDS
    states = sample_library.states()
    assert all(states[pid].read for pid in ids)
    assert states[ids[7]].marked


def test_update_returns_the_stored_states_of_the_changed_papers(sample_library: Library) -> None:
    pid = sample_library.papers()[3].id
    sample_library.set_note(pid, "first")
    fresh = sample_library.update_states({pid: Library.flag_fields("marked", True)})
    assert fresh[pid].marked
    assert fresh[pid].note == "first"  # merged with what was stored, not just the change


def test_states_kept_in_the_old_single_file_move_into_shards(sample_library: Library) -> None:
    ids = [p.id for p in sample_library.papers()[:5]]
    legacy = {
        "meta": {"1": {"schema": 1}},
        "state": {
            str(int(pid, 16)): UserState(marked=True, note=f"n{i}").to_dict() | {"id": pid}
            for i, pid in enumerate(ids)
        },
        "session": {"1": {"query": "kept"}},
    }
    sample_library.state_path.write_bytes(orjson.dumps(legacy))
    expected = {pid: (True, f"n{i}") for i, pid in enumerate(ids)}
    assert {p: (s.marked, s.note) for p, s in sample_library.states().items()} == expected
    sample_library.set_read([ids[0]])  # the first write moves them
    data = orjson.loads(sample_library.state_path.read_bytes())
    assert "state" not in data or not data["state"]
    assert data["session"]["1"] == {"query": "kept"}
    moved = sample_library.states()
    assert {p: (s.marked, s.note) for p, s in moved.items()} == expected
    assert moved[ids[0]].read
