"""Every key, as currently bound (config overrides included)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

FILTER_HELP = """
Filter syntax (fzf-like): words must all match the start of a word in the title or abstract;
'word  whole word only     ^word  title starts with     !word  exclude     a | b  either
is:marked  is:unread  is:read  has:note"""


class HelpScreen(ModalScreen[None]):
    """A modal list of key bindings; any of escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, rows: list[tuple[str, str]]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        width = max(len(key) for key, _ in self.rows)
        lines = [f"{key:>{width}}  {text}" for key, text in self.rows]
        with VerticalScroll(id="help-dialog", classes="dialog"):
            yield Static(Content("Keys").stylize("bold"))
            yield Static(Content("\n".join(lines) + "\n" + FILTER_HELP))
