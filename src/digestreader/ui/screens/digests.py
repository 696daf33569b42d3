"""The digest picker (d): every digest with its date, papers and new papers; enter picks one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, OptionList
from textual.widgets.option_list import Option

from digestreader.reader.digests import DigestSummary


@dataclass(frozen=True)
class DigestChoice:
    """What the picker dismisses with: a digest's name, or None for all digests."""

    name: str | None


class DigestPicker(ModalScreen[DigestChoice | None]):
    """Lists every digest, newest first, after "All digests"; dismisses with the choice, or
    None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,d,q", "cancel", "Cancel"),
        Binding("j", "cursor(1)", "Down", show=False),
        Binding("k", "cursor(-1)", "Up", show=False),
    ]

    def __init__(self, summaries: list[DigestSummary], total: int, current: str | None) -> None:
        super().__init__()
        self.summaries = list(reversed(summaries))  # newest first: the one just imported on top
        self.total = total
        self.current = current

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        width = max([len(s.label) for s in self.summaries] + [len("All digests")])
        # Counts as wide as the largest: an undated label is 30 columns, and at 80 columns the
        # dialog has 70 inside its border and padding.
        n = len(f"{self.total:,}")
        options = [Option(Content(f"{'All digests':<{width}}  {self.total:>{n},} papers"), id="")]
        for s in self.summaries:
            noun = "paper " if s.papers == 1 else "papers"
            back = s.papers - s.new  # seen in an earlier digest, back in this one
            counts = f"{s.papers:>{n},} {noun}  {s.new:>{n},} new  {back:>{n},} back"
            text = f"{s.label:<{width}}  {counts}"
            options.append(Option(Content(text), id=s.name))
        with Vertical(id="digest-dialog", classes="dialog"):
            yield Label(Content("Digests").stylize("bold"))
            yield OptionList(*options, id="digest-list")
            yield Label(
                Content("enter show   esc cancel   new: first seen there   back: seen before")
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        names = [None, *(s.name for s in self.summaries)]
        options.highlighted = names.index(self.current) if self.current in names else 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(DigestChoice(event.option.id or None))

    def action_cursor(self, step: int) -> None:
        options = self.query_one(OptionList)
        (options.action_cursor_down if step > 0 else options.action_cursor_up)()

    def action_cancel(self) -> None:
        self.dismiss(None)
