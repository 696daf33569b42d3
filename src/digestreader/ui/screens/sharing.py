"""Taking papers elsewhere: open in the model, copy, copy as BibTeX, export to a file.

A mixin of the main screen's actions; it needs the screen's model, listing and session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

from digestreader.export.bibtex import cite_key
from digestreader.export.bibtex import entry as bibtex_entry
from digestreader.export.links import paper_url as paper_link
from digestreader.models import PaperWithState

if TYPE_CHECKING:
    from textual.app import App

    from digestreader.reader.listing import Listing
    from digestreader.reader.model import ReaderModel


class SharingActions:
    """``o``, ``y``, ``Y`` and ``e`` of the main screen."""

    model: ReaderModel
    listing: Listing | None
    session: dict[str, Any]

    if TYPE_CHECKING:  # provided by the Screen this is mixed into
        app: App[Any]

        def notify(self, message: str, **kwargs: Any) -> None: ...
        def _current(self) -> int | None: ...
        def schedule_session_save(self) -> None: ...

    def action_open(self) -> None:
        index = self._current()
        if index is not None:
            self.app.open_url(paper_link(self.model.paper_with_state(index)))

    def action_copy(self) -> None:
        index = self._current()
        if index is not None:
            view = self.model.paper_with_state(index)
            self.app.copy_to_clipboard(f"{view.paper.title}\n{paper_link(view)}")
            self.notify("Copied title and link")

    def action_copy_bibtex(self) -> None:
        index = self._current()
        if index is not None:
            view = self.model.papers_with_state([index])[0]  # with its abstract, even this early
            self.app.copy_to_clipboard(bibtex_entry(view))
            self.notify(f"Copied BibTeX entry {cite_key(view)}", markup=False)

    def action_export(self) -> None:
        from digestreader.ui.screens.export import ExportDone, ExportScreen

        scopes = self.model.export_scopes(self.listing.order if self.listing else ())

        def done(result: ExportDone | None) -> None:
            if result is not None:
                self.session["export_format"] = result.fmt
                noun = "paper" if result.count == 1 else "papers"
                message = f"Exported {result.count:,} {noun} to {result.path}"
                self.notify(message, title="Export", markup=False)
                self.schedule_session_save()

        counts = {scope: len(indexes) for scope, indexes in scopes.items()}
        last_format = str(self.session.get("export_format", "bibtex"))
        collect = partial(self._scope_views, scopes)
        self.app.push_screen(ExportScreen(counts, collect, last_format), done)

    def _scope_views(self, scopes: Mapping[str, Sequence[int]], scope: str) -> list[PaperWithState]:
        return self.model.papers_with_state(scopes[scope])
