"""Undo in the reader's model: each change of state can be taken back, newest first."""

from __future__ import annotations

from digestreader.library import Library
from digestreader.models import UserState
from digestreader.reader.model import ReaderModel


def stored(library: Library, model: ReaderModel, index: int) -> UserState:
    return library.states().get(model.papers[index].id, UserState())


def test_undo_takes_back_marks_reads_mark_all_and_notes(sample_library: Library) -> None:
    model = ReaderModel(sample_library)
    assert model.user.undo() is None  # nothing to undo yet
    model.user.toggle_marked(0)
    model.user.set_note(1, "first")
    model.user.set_note(1, "second")
    assert model.user.set_read([0, 1, 2]) == 3
    assert all(stored(sample_library, model, i).read for i in range(3))

    undone = model.user.undo()
    assert undone is not None
    assert sorted(undone.indexes) == [0, 1, 2]
    assert "read" in undone.description
    assert not any(stored(sample_library, model, i).read for i in range(3))
    assert not model.user.state(2).read  # the in-memory state follows

    assert model.user.undo() is not None
    assert stored(sample_library, model, 1).note == "first"
    assert model.user.undo() is not None
    assert stored(sample_library, model, 1).note == ""
    assert stored(sample_library, model, 0).marked
    assert model.user.undo() is not None
    assert not stored(sample_library, model, 0).marked
    assert model.user.undo() is None
    assert model.user.counts()["marked"] == 0


def test_a_change_that_changes_nothing_is_not_an_undo_step(sample_library: Library) -> None:
    model = ReaderModel(sample_library)
    model.user.set_read([0])
    assert model.user.set_read([0]) == 0
    assert model.user.undo() is not None
    assert model.user.undo() is None
