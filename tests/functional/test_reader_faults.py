"""The reader on a library it cannot write, or partly read: it keeps running, says what was not
saved, keeps the change in memory until a write succeeds; a real crash exits non-zero."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from textual.app import App
from textual.widgets import Static

from digestreader.library import Library
from digestreader.store.documents import doc_id_of
from digestreader.ui.launch import exit_code
from tests.faults import inject
from tests.functional.conftest import make_app, settle


def messages(app: App[None]) -> list[str]:
    return [n.message for n in app._notifications]


async def test_a_full_disk_is_not_saved_kept_in_memory_and_saved_when_it_can(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded)
    inject(monkeypatch, "write", errno.ENOSPC, -1)  # every write fails, from the first autosave
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.8)  # the session autosave has run and failed
        first = app.model.papers[0].id
        await pilot.press("b")
        await pilot.pause()
        assert app.is_running
        assert app.model.user.states[first].marked  # in memory
        assert any(m.startswith("Not saved: ") and "No space left" in m for m in messages(app))
        assert not Library(seeded.root).states().get(first)
        monkeypatch.undo()  # space again
        await pilot.press("j", "r")  # the next write takes the pending one with it
        await pilot.pause()
        second = app.model.papers[1].id
        states = Library(seeded.root).states()
        assert states[first].marked
        assert states[second].read
        assert app.model.user.unsaved == 0


async def test_a_pending_change_is_retried_by_a_timer(
    seeded: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        inject(monkeypatch, "replace", errno.EROFS, -1)
        await pilot.press("b")
        await pilot.pause()
        first = app.model.papers[0].id
        assert app.model.user.unsaved == 1
        monkeypatch.undo()
        # The stored state and the notice are looked for together: it failed once under load
        # when only the state was waited for (not reproduced since).
        for _ in range(150):
            await pilot.pause(0.1)
            stored = Library(seeded.root).states().get(first)
            if stored and any("Saved" in m for m in messages(app)):
                break
        assert Library(seeded.root).states()[first].marked
        assert any("Saved" in m for m in messages(app))


async def test_an_unreadable_abstracts_file_is_a_notice_not_a_crash(seeded: Library) -> None:
    segment = sorted((seeded.root / "abstracts").iterdir())[0]
    segment.unlink()
    segment.mkdir()  # unreadable, whoever runs the test
    app = make_app(Library(seeded.root))  # a fresh process: nothing cached from the import
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "slash", *"model")
        await settle(pilot)
        assert app.is_running
        assert any(str(segment) in m for m in messages(app)), messages(app)


async def test_an_unreadable_state_shard_opens_with_the_repair_named(seeded: Library) -> None:
    first = seeded.papers()[0].id
    seeded.set_marked([first])
    shard = seeded.state_store.shard_path(doc_id_of(first) % 64)
    shard.write_bytes(b'{"state":{"5":{"marked":true}}}')
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.is_running
        assert any(
            str(shard) in m and "digestreader doctor --repair" in m for m in messages(app)
        ), messages(app)
        await pilot.press("b")  # a write to the bad shard: refused, kept in memory
        await pilot.pause()
        assert app.is_running
    assert shard.read_bytes() == b'{"state":{"5":{"marked":true}}}'


class Crashing(App[None]):
    def on_mount(self) -> None:
        raise RuntimeError("boom")


def test_a_crashed_app_exits_non_zero(tmp_path: Path) -> None:
    app = Crashing()
    app.run(headless=True)
    assert exit_code(app) == 1


async def test_a_clean_quit_exits_zero(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test() as pilot:
        await settle(pilot)
        await pilot.press("q")
    assert exit_code(app) == 0


async def test_a_wrong_shaped_segment_is_said_in_the_detail_pane_and_notified_once(
    seeded: Library,
) -> None:
    segment = sorted((seeded.root / "abstracts").iterdir())[0]
    segment.write_bytes(b'{"abstracts":[]}')
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j", "k")
        await settle(pilot)
        assert app.is_running
        body = str(app.main_screen.query_one("#detail-body", Static).render())
        assert "The abstract could not be read" in body
        told = [m for m in messages(app) if str(segment) in m]
        assert len(told) == 1, messages(app)
        assert "\n" not in told[0]
    assert segment.read_bytes() == b'{"abstracts":[]}'


async def test_the_loaded_reader_holds_no_abstracts_beyond_the_segments_it_showed(
    seeded: Library,
) -> None:
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.pause(0.3)
        assert app.main_screen.fully_loaded
        assert not app.model.abstracts_loaded
        current = app.main_screen.paper_list.current
        assert current is not None
        body = str(app.main_screen.query_one("#detail-body", Static).render())
        first_words = Library(seeded.root).get(app.model.papers[current].id).paper.abstract
        assert first_words.split()[0] in body


async def test_a_one_line_notice_takes_the_width_it_needs_at_120_columns(seeded: Library) -> None:
    # Textual's toasts are 60 columns wide at most (half of 120): the wrong-shaped segment's
    # notice (the file's path and the cause, ~200 characters) took 5 lines of a narrow column.
    segment = sorted((seeded.root / "abstracts").iterdir())[0]
    segment.write_bytes(b'{"abstracts":[]}')
    app = make_app(Library(seeded.root))
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        app.notify("Saved", markup=False)
        await pilot.pause(0.2)
        toasts = {str(t.render()): t for t in app.screen.query("Toast")}
        long = next(t for text, t in toasts.items() if str(segment) in text)
        told = next(m for m in messages(app) if str(segment) in m)
        per_line = long.content_region.width
        assert per_line >= 88, long.region
        assert long.content_region.height <= -(-len(told) // per_line) + 1, long.region
        short = next(t for text, t in toasts.items() if "Saved" in text)
        assert short.region.width < 30, short.region  # a short notice stays small
