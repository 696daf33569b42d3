"""The backup a reader session starts with: taken after the first frame, in a worker, and always
before the session's first write of a mark, read or note reaches the disk."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from digestreader.library import Library
from digestreader.models import UserState
from digestreader.store.backups import backup_dirs
from digestreader.store.state import StateStore
from digestreader.ui.screens.main import MainScreen
from tests.functional.conftest import make_app, settle, wait_for


def messages(app: App[None]) -> list[str]:
    return [n.message for n in app._notifications]


def backed_up_states(folder: Path) -> dict[str, UserState]:
    """The states a backup folder holds, read as the library reads its own."""
    return StateStore(folder).states()


async def test_the_session_backup_is_taken_after_the_first_frame(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The loading (and the backup with it) waits this long after the first frame's refresh.
    monkeypatch.setattr(MainScreen, "LOAD_DELAY_S", 0.5)
    first = seeded.papers()[0].id
    seeded.set_marked([first])
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main_screen.listing is not None)
        assert backup_dirs(seeded.root) == []  # not on the first frame's path
        await settle(pilot)
        await wait_for(pilot, lambda: len(backup_dirs(seeded.root)) == 1)
        assert backed_up_states(backup_dirs(seeded.root)[0])[first].marked
        assert not any(m.startswith("No backup taken") for m in messages(app))


async def test_a_mark_made_at_once_is_written_after_the_backup_and_not_in_it(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A long delay: the key comes before the backup worker has started, so the write must take
    # the backup itself, first.
    monkeypatch.setattr(MainScreen, "LOAD_DELAY_S", 1.0)
    papers = seeded.papers()
    seeded.set_note(papers[1].id, "from an earlier session")
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.main_screen.paper_list.current is not None)
        current = app.main_screen.paper_list.current
        assert current is not None
        pid = app.model.papers[current].id
        await pilot.press("b")
        await pilot.pause()
        assert Library(seeded.root).states()[pid].marked  # on disk at once
        copies = backup_dirs(seeded.root)
        assert len(copies) == 1
        held = backed_up_states(copies[0])
        assert held[papers[1].id].note == "from an earlier session"
        assert not held.get(pid, UserState()).marked  # the state from before the session
        await settle(pilot)
        await pilot.pause(0.2)
        assert backup_dirs(seeded.root) == copies  # the worker found it taken
        assert app.model.user.states[pid].marked


async def test_a_library_whose_backups_cannot_be_written_still_takes_marks(
    seeded: Library,
) -> None:
    seeded.set_marked([seeded.papers()[0].id])
    (seeded.root / "backups").write_bytes(b"not a folder")  # no backup can be made
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await wait_for(pilot, lambda: any("No backup taken" in m for m in messages(app)))
        notice = next(m for m in messages(app) if "No backup taken" in m)
        assert "backups" in notice
        current = app.main_screen.paper_list.current
        assert current is not None
        pid = app.model.papers[current].id
        before = Library(seeded.root).states().get(pid, UserState()).marked
        await pilot.press("b")
        await pilot.pause()
        assert Library(seeded.root).states()[pid].marked is not before
        assert sum("No backup taken" in m for m in messages(app)) == 1
