"""The export dialog: pick a format, a scope (marked / shown / all) and a file; write it."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Input, Label, RadioButton, RadioSet

from digestreader.export import FORMATS, LABELS, ExportError, default_filename, write_export
from digestreader.models import PaperWithState

SCOPES = ("marked", "shown", "all")
Collect = Callable[[str], Sequence[PaperWithState]]


@dataclass(frozen=True)
class ExportDone:
    """What the dialog wrote: the dialog dismisses with this, or None when cancelled."""

    path: Path
    count: int
    fmt: str


class _Written(Message):
    def __init__(self, done: ExportDone) -> None:
        super().__init__()
        self.done = done


class _Failed(Message):
    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class ChoiceSet(RadioSet):
    """A RadioSet whose keyboard highlight starts on the chosen button, not the first, and
    whose arrows choose."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,right", "choose(1)", "Next option", show=False),
        Binding("up,left", "choose(-1)", "Previous option", show=False),
    ]

    def on_mount(self) -> None:
        # RadioSet's own mount handler highlights the first button; run after it.
        self.call_after_refresh(self._highlight_pressed)

    def _highlight_pressed(self) -> None:
        self._selected = max(self.pressed_index, 0)

    def action_choose(self, step: int) -> None:
        """The next (``step`` 1) or previous option, chosen: the arrows choose, as the dialog
        says (moving the highlight alone left the old choice pressed, and a user who moved to
        CSV and pressed enter in the file name got BibTeX)."""
        (self.action_next_button if step > 0 else self.action_previous_button)()
        self.action_toggle_button()

    def action_toggle_button(self) -> None:
        # Enter or space on the chosen option keeps it chosen (a radio button toggles off).
        if self._selected != self.pressed_index:
            super().action_toggle_button()


class ExportScreen(ModalScreen[ExportDone | None]):
    """Export papers to a file. ``collect(scope)`` returns the papers of a scope."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not priority, so a path typed just before ctrl+s is complete when the export starts.
        Binding("ctrl+s", "export", "Export"),
        Binding("escape", "cancel", "Cancel"),
        # Priority, so focus has moved before the keys typed right after tab are routed.
        Binding("tab", "app.focus_next", "Next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False, priority=True),
    ]

    def __init__(self, counts: dict[str, int], collect: Collect, fmt: str = "bibtex") -> None:
        super().__init__()
        self.counts = counts
        self.collect = collect
        self.fmt = fmt if fmt in FORMATS else "bibtex"
        self.scope = "marked" if counts.get("marked") else "shown"
        self._suggestion = ""
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        with Vertical(id="export-dialog", classes="dialog") as dialog:
            # Title and keys live in the border: the dialog must fit an 80x24 terminal.
            dialog.border_title = "Export papers"
            dialog.border_subtitle = "tab next · arrows choose · enter export · esc cancel"
            with Horizontal(id="export-choices"):
                with Vertical(classes="export-column"):
                    yield Label("Format", classes="export-label")
                    with ChoiceSet(id="export-format"):
                        for fmt in FORMATS:
                            yield RadioButton(LABELS[fmt], value=fmt == self.fmt, name=fmt)
                with Vertical(classes="export-column"):
                    yield Label("Papers", classes="export-label")
                    with ChoiceSet(id="export-scope"):
                        for scope in SCOPES:
                            label = f"{scope.capitalize()} ({self.counts.get(scope, 0):,})"
                            yield RadioButton(label, value=scope == self.scope, name=scope)
            yield Label("File", classes="export-label")
            yield Input(self._suggested_path(), id="export-path")
            yield Label("", id="export-message")
            with Horizontal(classes="buttons"):
                yield Button("Export", variant="primary", id="export-go")
                yield Button("Cancel", id="export-cancel")

    def on_mount(self) -> None:
        self.query_one("#export-format", RadioSet).focus()
        self._check_path()

    def _suggested_path(self) -> str:
        self._suggestion = f"~/{default_filename(self.fmt, self.scope)}"
        return self._suggestion

    def _show(self, text: str, error: bool = False) -> None:
        message = self.query_one("#export-message", Label)
        message.update(Content(text))
        message.set_class(error, "error")

    def _check_path(self) -> None:
        """Warn before replacing a file; the write itself reports every other problem."""
        target = Path(self.query_one("#export-path", Input).value).expanduser()
        self._show("A file of that name exists: export replaces it" if target.is_file() else "")

    @on(RadioSet.Changed)
    def choice_changed(self, event: RadioSet.Changed) -> None:
        name = event.pressed.name or ""
        if event.radio_set.id == "export-format":
            self.fmt = name
        else:
            self.scope = name
        path_input = self.query_one("#export-path", Input)
        if path_input.value == self._suggestion:  # a path the user typed is never replaced
            path_input.value = self._suggested_path()
        self._check_path()

    @on(Input.Changed, "#export-path")
    def path_changed(self) -> None:
        self._check_path()

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def action_export(self) -> None:
        if self._busy:
            return
        if not self.counts.get(self.scope):
            self._show(f"No {self.scope} papers to export: choose another scope", error=True)
            return
        raw = self.query_one("#export-path", Input).value.strip()
        if not raw:
            self._show("Give a file to write", error=True)
            return
        self._busy = True
        self._show("Writing…")
        self.write(self.fmt, self.scope, Path(raw))

    @work(thread=True, exclusive=True, group="export")
    def write(self, fmt: str, scope: str, path: Path) -> None:
        """Collect and write off the UI thread: a 50k-paper export takes a moment."""
        try:
            views = self.collect(scope)
            written = write_export(views, fmt, path)
        except ExportError as err:
            self.post_message(_Failed(str(err)))
            return
        self.post_message(_Written(ExportDone(written, len(views), fmt)))

    @on(_Written)
    def written(self, message: _Written) -> None:
        self.dismiss(message.done)

    @on(_Failed)
    def failed(self, message: _Failed) -> None:
        self._busy = False
        self._show(message.reason, error=True)

    @on(Button.Pressed, "#export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
