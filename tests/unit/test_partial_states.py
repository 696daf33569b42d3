"""A write to one state shard is re-read as that shard, not as all 64 (at 50k papers a whole
re-read took 0.4 s of CPU and 14 MB after every bookmark the reader made itself)."""

from __future__ import annotations

from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.reader.watch import LibraryWatch
from digestreader.store.state import shard_of


def test_a_poll_names_the_shards_a_write_changed(sample_library: Library) -> None:
    ids = [str(d["id"]) for d in sample_library.catalog().docs]
    watch = LibraryWatch(sample_library)
    sample_library.set_marked([ids[0]])
    assert watch.poll().shards == frozenset({shard_of(ids[0])})
    several = [*[p for p in ids if shard_of(p) != shard_of(ids[0])][:3], ids[0]]
    sample_library.set_read(several)  # several shards: written through the journal
    changes = watch.poll()
    assert changes.states
    assert changes.shards == frozenset(shard_of(p) for p in several)
    assert watch.poll().shards == frozenset()  # nothing since


def test_the_states_of_some_shards_replace_those_shards_alone(sample_library: Library) -> None:
    ids = [str(d["id"]) for d in sample_library.catalog().docs]
    first = ids[0]
    other = next(p for p in ids if shard_of(p) != shard_of(first))
    sample_library.set_marked([first, other])
    model = ReaderModel(sample_library)
    # Another process unmarks both; only the first's shard is re-read.
    sample_library.set_marked([first, other], marked=False)
    shards = frozenset({shard_of(first)})
    assert model.user.replace_states(model.user.with_shards(sample_library.states(shards), shards))
    assert not model.user.states_of(first).marked
    assert model.user.states_of(other).marked  # its shard was not re-read: as it was
    again = model.user.with_shards(sample_library.states(shards), shards)
    assert not model.user.replace_states(again)  # no change
    assert model.user.replace_states(model.user.with_shards(sample_library.states(), None))
    assert not model.user.states_of(other).marked
