"""The reader imports (i) and follows its library folder while it is open (issue 13)."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Input, Label, TextArea

from digestreader.ingest.service import ingest
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.importing import ImportScreen
from tests.functional.conftest import active_screen, make_app, settle, wait_for

NEW_PAGE = (
    "Widget Calculus for Very Small Robots\n"
    "We study the calculus of widgets on small robots and find it useful in practice.\n"
    "\n"
    "A Second Paper on Gadget Theory\n"
    "Gadgets are widgets with opinions; we prove three theorems about them.\n"
)


def paste(app: DigestReaderApp, text: str) -> None:
    """What a terminal sends for a bracketed paste."""
    assert app._driver is not None
    event = events.Paste(text)
    event.set_sender(app)
    app._driver.send_message(event)


async def test_i_imports_a_pasted_page_and_shows_its_digest(seeded: Library) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one(TextArea).focus()
        await pilot.pause()
        paste(app, NEW_PAGE)
        await pilot.pause(0.1)
        assert "Widget Calculus" in app.screen.query_one(TextArea).text
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: active_screen(app) is app.main_screen and len(app.model.papers) == 563
        )
        await settle(pilot)
        screen = app.main_screen
        assert screen.spec.digest == app.model.digest_names[-1]
        titles = {app.model.titles[int(i)] for i in screen.paper_list.order}
        assert titles == {
            "Widget Calculus for Very Small Robots",
            "A Second Paper on Gadget Theory",
        }
        messages = [str(n.message) for n in app._notifications]
        assert "Imported 2 entries: 2 new papers, 0 repeat sightings" in "\n".join(messages)
    assert len(seeded.catalog().docs) == 563


async def test_i_imports_a_file_and_says_why_not_in_one_line(
    seeded: Library, tmp_path: Path
) -> None:
    page = tmp_path / "my-digest.txt"
    page.write_text(NEW_PAGE)
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("i")
        app.screen.query_one(Input).value = str(tmp_path / "missing.txt")
        await pilot.press("ctrl+s")
        await wait_for(
            pilot,
            lambda: "missing.txt" in str(app.screen.query_one("#import-message", Label).render()),
        )
        message = str(app.screen.query_one("#import-message", Label).render())
        assert "\n" not in message.strip()
        assert isinstance(app.screen, ImportScreen)
        app.screen.query_one(Input).value = str(page)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: active_screen(app) is app.main_screen and len(app.model.papers) == 563
        )
        assert app.main_screen.spec.digest == "my-digest"


async def test_marks_and_notes_from_elsewhere_appear_and_toggles_use_them(
    seeded: Library,
) -> None:
    app = make_app(seeded)
    other = Library(seeded.root)  # the CLI, or another reader
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        first, second = app.model.papers[0].id, app.model.papers[1].id
        other.set_marked([second])
        other.set_note(second, "from the CLI")
        await wait_for(pilot, lambda: app.model.user.state(1).marked, seconds=2.0)
        assert app.model.user.state(1).note == "from the CLI"
        assert "★" in app.main_screen.paper_list.render_line(1).text
        # Marked elsewhere a moment ago: b here unmarks it, from the fresh state.
        other.set_marked([first])
        await pilot.press("b")
    assert not seeded.states()[first].marked


async def test_a_digest_imported_from_the_cli_appears_and_the_view_stays(
    seeded: Library, tmp_path: Path
) -> None:
    page = tmp_path / "cli-digest.txt"
    page.write_text(NEW_PAGE)
    app = make_app(seeded)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        current = app.model.papers[app.main_screen.paper_list.current or 0].id
        ingest(Library(seeded.root), load_inputs([str(page)]))
        await wait_for(pilot, lambda: len(app.model.papers) == 563, seconds=3.0)
        await settle(pilot)
        assert "cli-digest" in app.model.digest_names
        assert len(app.main_screen.paper_list.order) == 563
        index = app.main_screen.paper_list.current
        assert index is not None
        assert app.model.papers[index].id == current
