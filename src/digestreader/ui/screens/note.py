"""The note editor: a TextArea in a modal; ctrl+s saves, escape cancels (asking if changed)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Label, TextArea


class ConfirmDiscard(ModalScreen[bool]):
    """Asks whether to throw away an edited note."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Discard"),
        Binding("n,escape", "answer(False)", "Keep editing"),
    ]

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        with Vertical(id="confirm-dialog", classes="dialog"):
            yield Label("Discard the changes to this note?")
            with Horizontal(classes="buttons"):
                yield Button("Discard (y)", variant="error", id="discard")
                yield Button("Keep editing (n)", variant="primary", id="keep")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "discard")

    def action_answer(self, discard: bool) -> None:
        self.dismiss(discard)


class NoteScreen(ModalScreen[str | None]):
    """Edit a paper's note. Dismisses with the new text, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not priority: a priority key is run while the app routes it, ahead of text typed just
        # before it that the editor has not taken yet, so a fast "text, ctrl+s" lost the text.
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "cancel", "Cancel"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.original = note

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        with Vertical(id="note-dialog", classes="dialog"):
            yield Label(Content(f"Note on: {self.paper_title}"), id="note-title")
            yield TextArea(self.original, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Label(Content("ctrl+s save    esc cancel"), id="note-help")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_cancel(self) -> None:
        if self.query_one(TextArea).text == self.original:
            self.dismiss(None)
            return

        def decided(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(ConfirmDiscard(), decided)
