"""The import dialog (i): a file path, or a digest page pasted in; imported in a worker."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Input, Label, TextArea

from digestreader.export.jsonio import ExportFormatError
from digestreader.ingest.parser import ParseError, parse_text
from digestreader.ingest.service import IngestReport, import_summary, ingest
from digestreader.ingest.sources import InputError, Inputs, load_inputs
from digestreader.library import Library, LibraryError


@dataclass(frozen=True)
class ImportDone:
    """What the dialog imported: the digests' names (the view goes to the last) and a
    one-line summary."""

    digests: list[str]
    summary: str


def summary(report: IngestReport) -> str:
    """One line on what an import did."""
    result = report.imported
    text = f"Imported {import_summary(result)}"  # the words of `digestreader import`
    if report.restored is not None:
        text += f"; restored marks and notes of {report.restored.restored} papers"
    return "; ".join([text, *report.warnings])


class ImportScreen(ModalScreen[ImportDone | None]):
    """Import a digest file (or JSON export) by path, or a page pasted into the text box."""

    BINDINGS: ClassVar[list[BindingType]] = [
        # Not priority, so text typed (or pasted) just before ctrl+s is in when it imports.
        Binding("ctrl+s", "import", "Import"),
        Binding("escape", "cancel", "Cancel"),
        Binding("tab", "app.focus_next", "Next", show=False, priority=True),
        Binding("shift+tab", "app.focus_previous", "Previous", show=False, priority=True),
    ]

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self._busy = False

    def compose(self) -> ComposeResult:
        yield Footer()  # the dialog's own keys, over the main screen's
        with Vertical(id="import-dialog", classes="dialog"):
            yield Label(Content("Import a digest").stylize("bold"))
            yield Input(
                placeholder="path of a digest page (.txt) or a JSON export", id="import-path"
            )
            yield Label(Content("or paste the page (copied from the browser) here:"))
            yield TextArea(id="import-text", soft_wrap=True)
            yield Label(Content(""), id="import-message")
            yield Label(Content("ctrl+s import   tab next box   esc cancel"), id="import-help")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_cancel(self) -> None:
        if not self._busy:
            self.dismiss(None)

    def action_import(self) -> None:
        if self._busy:
            return
        path = self.query_one(Input).value.strip()
        text = self.query_one(TextArea).text
        if not path and not text.strip():
            self._say("Give the path of a digest file, or paste a digest page")
            return
        self._busy = True
        self._say("Importing…", error=False)
        self.run_import(path, text)

    @work(thread=True, exclusive=True, group="import")
    def run_import(self, path: str, text: str) -> None:
        """Read, parse and import in a worker: nothing is written if the input is bad."""
        try:
            if path:
                inputs = load_inputs([os.path.expanduser(path)])
            else:
                name = f"pasted {datetime.now():%Y-%m-%d %H:%M:%S}"
                inputs = Inputs(digests=[(name, parse_text(text, "the pasted page"))])
            report = ingest(self.library, inputs)
        except (ParseError, InputError, ExportFormatError, LibraryError) as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        done = ImportDone(inputs.digest_names, summary(report))
        self.app.call_from_thread(self.dismiss, done)

    def _failed(self, reason: str) -> None:
        self._busy = False
        self._say(reason)

    def _say(self, message: str, error: bool = True) -> None:
        label = self.query_one("#import-message", Label)
        label.update(Content(" ".join(message.split())))  # one line, literally
        label.set_class(error, "error")
