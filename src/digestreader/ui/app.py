"""The reader application: wiring, app-wide keys, theme, command palette."""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from digestreader.config import Config, pick_theme, problems_notice
from digestreader.library import LibraryError
from digestreader.reader.model import ReaderModel
from digestreader.ui.keys import NAVIGATION_ACTIONS, NAVIGATION_KEYS
from digestreader.ui.screens.main import MainScreen
from digestreader.ui.widgets.footer import LateFooter

# Fetching (its HTTP client, the import path) and help load when first asked for: the first
# frame does not draw with them (tests/functional/test_reader_start.py).
if TYPE_CHECKING:
    from digestreader.ingest.fetch import FetchReport

DEFAULT_GC_THRESHOLDS = gc.get_threshold()
GC_THRESHOLDS = (700, 10, 1_000_000)  # the oldest generation: never on its own
GC_INTERVAL_S = 1.0
GC_IDLE_S = 0.5  # no key for this long: the user has paused
PALETTE_ACTIONS = ("command_palette", "app.command_palette")


class DigestReaderApp(App[None]):
    """A keyboard-first reader for research-paper digests."""

    # Absolute: Textual reads a relative path beside the module of the class in use, so an
    # app that subclasses this one elsewhere (as tests do) would look for it there.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    TITLE = "digestreader"
    BINDINGS: ClassVar[list[BindingType]] = [
        # Priority, so q is handled as the app routes it: a non-priority key waits in the
        # focused widget's queue while the app already routes the next key (a fast "q ctrl+p"
        # opened the palette). check_action hands q back wherever it is text or means "close".
        Binding(
            "q", "quit", "Quit", id="quit", priority=True, tooltip="Save where you are and quit"
        ),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show every key"),
    ]

    def __init__(self, model: ReaderModel, config: Config, notices: Iterable[str] = ()) -> None:
        super().__init__()
        self.model = model
        self.config = config
        self.notices = list(notices)
        self.session: dict[str, Any] = model.library.load_session()
        model.library.begin_session()  # its backup: after the first frame, before any write
        self._last_key = 0.0
        self.quitting = False  # set by quit: from then on no key, click or paste is handled
        self._first_frame_out = False

    @cached_property
    def main_screen(self) -> MainScreen:
        """The reader's one main screen (the default screen: first on the stack)."""
        return MainScreen(self.model, self.config, self.session)

    def get_default_screen(self) -> Screen[Any]:
        return self.main_screen

    def on_mount(self) -> None:
        # The cyclic collector's full passes paused the odd keystroke by 20-100 ms at 50k
        # papers (measured with gc.callbacks). The young generations still collect as usual
        # (about a millisecond each); the oldest one only while no key has come for a moment.
        gc.set_threshold(*GC_THRESHOLDS)
        self.set_interval(GC_INTERVAL_S, self._collect_when_idle)
        theme, problems = pick_theme(self.config, self.session), []
        if theme in self.available_themes:
            self.theme = theme
        elif theme:
            problems.append(f"Unknown theme '{theme}'; using the default")
        if self.config.problems or problems:  # every config mistake in one notification
            self.notices.insert(0, problems_notice(self.config, problems))
        if self.config.keys:
            self.set_keymap(self.config.keys)
        self.theme_changed_signal.subscribe(self, lambda _theme: self.main_screen.save_session())
        for notice in self.notices:
            self.notify(notice, markup=False, timeout=8)

    def on_paper_list_shown(self) -> None:
        if self._first_frame_out:
            return
        self._first_frame_out = True
        # Once the first list is drawn: the footer's keys, and the cyclic collector. The start
        # (cli.main) runs without it: what it allocates (Textual, numpy, the library: ~50k
        # objects) lives as long as the reader, and the passes over it were 50-70 ms of CPU
        # before the first frame. run_reader froze it; from here on passes see what is new.
        self.call_after_refresh(self.main_screen.query_one(LateFooter).show_keys)
        self.call_after_refresh(gc.enable)

    async def on_event(self, event: events.Event) -> None:
        if self.quitting and isinstance(event, events.InputEvent | events.Paste):
            # A key typed right after q ("q n" in one burst) used to open the note editor on
            # a dying app, whose widgets were already gone: a traceback on the way out.
            event.stop()
            return
        if isinstance(event, events.Key):
            self._last_key = time.monotonic()
        await super().on_event(event)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "quit":
            # Only from the main screen, and never out of the filter (q is a letter there).
            return self.screen is self.main_screen and not isinstance(self.focused, Input)
        # Actions that reach the app other than by a key (a timer, the palette) open nothing
        # once quitting has started either.
        return not self.quitting

    def _collect_when_idle(self) -> None:
        # Not before the corpus is loaded and frozen out of the collector's sight: a full pass
        # over it takes ~300 ms at 50k papers.
        idle = time.monotonic() - self._last_key >= GC_IDLE_S
        if idle and self.main_screen.fully_loaded and gc.get_count()[2] > 0:
            gc.collect()

    def on_unmount(self) -> None:
        gc.set_threshold(*DEFAULT_GC_THRESHOLDS)  # the process may go on (tests, embedding)

    async def action_quit(self) -> None:
        """Save where the reader is (filter, view, paper) and leave."""
        self.quitting = True
        self.main_screen.save_session()
        self.exit()

    # -- F: fetch today's daily papers, then show them ----------------------------------------

    def action_fetch_today(self) -> None:
        """Fetch today's Hugging Face daily papers in a worker; the list shows them after."""
        self.notify("Fetching today's daily papers…", markup=False, timeout=3)
        self._fetch_today()

    @work(thread=True, exclusive=True, group="fetch")
    def _fetch_today(self) -> None:
        from digestreader.ingest.days import FetchError, today
        from digestreader.ingest.fetch import fetch

        day = today().isoformat()
        try:
            report = fetch(self.model.library, [day])
        except (FetchError, LibraryError) as err:
            message = f"Fetch failed: {err}"
            self.call_from_thread(self.notify, message, severity="error", markup=False)
            return
        self.call_from_thread(self._fetched, day, report)

    def _fetched(self, day: str, report: FetchReport) -> None:
        from digestreader.ingest.service import import_summary

        if not report.days:
            self.notify(f"No daily papers yet for {day}", markup=False)
            return
        # The same words as `digestreader import` and `fetch` (one line of counts that add up).
        lines = [f"Fetched {day}: {import_summary(r)}" for day, r in report.per_day if r]
        self.notify("\n".join(lines), title="Daily papers", markup=False)
        if report.new or report.updated or report.digests:
            self.reload_model()

    def reload_model(self) -> None:
        """Read the library again (after a fetch) into a new model, in a worker; the screen on
        show takes it, keeping the filter, scope, sort and paper the reader was on."""
        self.main_screen.follower.rebuild_model()

    def our_actions(self) -> list[tuple[str, str, str, str]]:
        """This app's actions on the main screen, once each: (keys, label, description, action),
        with the keys as bound now (config overrides included)."""
        keys: dict[str, list[str]] = {}
        bindings: dict[str, Binding] = {}
        for _key, active in self.main_screen.active_bindings.items():
            binding = active.binding
            if not binding.tooltip or binding.action.startswith(NAVIGATION_ACTIONS):
                continue  # Textual's own (copy) and the list's movement keys
            if binding.action in PALETTE_ACTIONS:
                continue  # Textual gives ctrl+p a tooltip; help has its own row for it
            bindings.setdefault(binding.action, binding)
            keys.setdefault(binding.action, []).append(self.get_key_display(binding))
        return [
            (" / ".join(keys[action]), b.description, b.tooltip, action)
            for action, b in bindings.items()
        ]

    def key_rows(self) -> list[tuple[str, str]]:
        """Every key of the main screen and the app, as bound now: what help shows."""
        rows = list(NAVIGATION_KEYS)
        rows += [(keys, description) for keys, _label, description, _ in self.our_actions()]
        rows.append(("ctrl+p", "command palette: every action, themes"))
        return rows

    def action_help(self) -> None:
        from digestreader.ui.screens.help import HelpScreen

        self.push_screen(HelpScreen(self.key_rows()))

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        """The palette: this app's actions, once each, and the theme picker; none of Textual's
        generic entries (screenshot, maximize, its key panel), which this app does otherwise."""
        for command in super().get_system_commands(screen):
            if command.title == "Theme":
                yield command
        for keys, label, description, action in self.our_actions():
            yield SystemCommand(
                label,
                f"{description} ({keys})",
                lambda action=action: self.run_action(action, self.main_screen),
            )
