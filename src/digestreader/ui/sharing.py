"""Taking papers elsewhere: open in the web browser, copy, copy as BibTeX, export to a file.

The main screen owns one :class:`PaperSharing` and hands it what each action needs (a paper
index, the shown order): it holds no screen state of its own and reaches into none.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from textual.app import App

from digestreader.export import ExportError
from digestreader.export.cite import pdf_url
from digestreader.export.links import paper_url
from digestreader.library import LibraryError
from digestreader.models import PaperWithState
from digestreader.reader.model import ReaderModel

# The browser, BibTeX and the export dialog load at their first use, not with the first frame
# (tests/functional/test_reader_start.py).
if TYPE_CHECKING:
    from digestreader.ui.screens.export import ExportDone

# Text-mode browsers webbrowser falls back to without a display: they would take the terminal.
CONSOLE_BROWSERS = {"www-browser", "links", "links2", "elinks", "lynx", "w3m"}


class PaperSharing:
    """``o``, ``O``, ``y``, ``Y`` and ``e`` of the main screen, over ``app`` and ``model``."""

    def __init__(self, app: App[Any], model: ReaderModel) -> None:
        self.app = app
        self.model = model

    def open(self, index: int) -> None:
        """Open the paper's page (or an arXiv title search) in the web browser, off the UI
        thread (a browser can take a while to answer), and say whether it worked."""
        self._open_in_browser(paper_url(self.model.paper_with_state(index)))

    def _open_in_browser(self, url: str) -> None:
        self.app.run_worker(lambda: self._open(url), thread=True, group="open", exit_on_error=False)

    def _open(self, url: str) -> None:
        """In a worker thread: only a browser that opens beside the terminal will do (a console
        one such as lynx would fight the reader for the screen)."""
        import webbrowser

        try:
            browser = webbrowser.get()
            ok = getattr(browser, "name", "") not in CONSOLE_BROWSERS and webbrowser.open(url)
        except (webbrowser.Error, OSError):
            ok = False
        self.app.call_from_thread(self._opened, url, ok)

    def _opened(self, url: str, ok: bool) -> None:
        if ok:
            self.app.notify(f"Opened in the browser: {url}", markup=False)
        else:
            self.app.copy_to_clipboard(url)
            self.app.notify("Could not open a browser; the link is copied", severity="warning")

    def open_pdf(self, index: int) -> None:
        """Open the paper's PDF on arXiv, when its arXiv id is known."""
        pdf = pdf_url(self.model.papers[index])
        if pdf is None:
            self.app.notify("No PDF link: this paper has no arXiv id (o searches arXiv)")
        else:
            self._open_in_browser(pdf)

    def copy(self, index: int) -> None:
        """Copy the title and link."""
        view = self.model.paper_with_state(index)
        self.app.copy_to_clipboard(f"{view.paper.title}\n{paper_url(view)}")
        self.app.notify(f"Copied the title and link of: {view.paper.title}", markup=False)

    def copy_bibtex(self, index: int) -> None:
        """Copy the paper's BibTeX entry, abstract included (read with its segment)."""
        from digestreader.export.bibtex import cite_key
        from digestreader.export.bibtex import entry as bibtex_entry

        try:
            view = self.model.papers_with_state([index])[0]
        except LibraryError as err:
            self.app.notify(f"Not copied: {err}", severity="error", markup=False)
            return
        self.app.copy_to_clipboard(bibtex_entry(view))
        self.app.notify(f"Copied BibTeX entry {cite_key(view)}", markup=False)

    def export(
        self, shown: Iterable[int], last_format: str, done: Callable[[ExportDone], None]
    ) -> None:
        """Open the export dialog over the marked, shown (``shown``) or all papers; ``done``
        gets what was written."""
        from digestreader.ui.screens.export import ExportScreen

        scopes = self.model.export_scopes(shown)

        def collect(scope: str) -> list[PaperWithState]:
            try:  # abstracts are read segment by segment: one may be unreadable
                return self.model.papers_with_state(scopes[scope])
            except LibraryError as err:
                raise ExportError(str(err)) from None

        def finished(result: ExportDone | None) -> None:
            if result is not None:
                noun = "paper" if result.count == 1 else "papers"
                message = f"Exported {result.count:,} {noun} to {result.path}"
                self.app.notify(message, title="Export", markup=False)
                done(result)

        counts = {scope: len(indexes) for scope, indexes in scopes.items()}
        self.app.push_screen(ExportScreen(counts, collect, last_format), finished)
