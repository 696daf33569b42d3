"""The detail pane: title, every digest the paper appeared in, links, abstract, note."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from digestreader.export.cite import pdf_url
from digestreader.export.links import paper_url
from digestreader.models import PaperWithState
from digestreader.search.query import Query
from digestreader.search.spans import title_spans


def _highlighted(text: str, query: Query) -> Content:
    content = Content(text)
    for start, end in title_spans(text, query):
        content = content.stylize("bold $text-accent underline", start, end)
    return content


def _votes(upvotes: int | None) -> str:
    return f"  ▲{upvotes}" if upvotes is not None else ""


def detail_content(
    view: PaperWithState,
    query: Query,
    loading: bool = False,
    labels: Mapping[str, str] | None = None,
    handle: str | None = None,
) -> Content:
    """Everything about one paper as literal (never markup) text, named by ``handle``; digests
    are called by their ``labels`` (their dates) where given."""
    labels = labels or {}
    paper, state = view.paper, view.state
    flags = ["★ marked" if state.marked else "", "read" if state.read else "● unread"]
    count = len(paper.sources)
    history = [
        Content(f"  {labels.get(s.digest, s.digest)}  #{s.position}{_votes(s.upvotes)}\n")
        for s in paper.sources
    ]
    authors = Content(", ".join(paper.authors) + "\n") if paper.authors else Content("")
    parts = [
        _highlighted(paper.title, query).stylize("bold"),
        Content("\n"),
        authors.stylize("italic"),
        Content(f"{handle or paper.id}   {'   '.join(f for f in flags if f)}\n\n").stylize(
            "$text-muted"
        ),
        Content(f"Seen in {count} digest{'s' if count != 1 else ''}:\n").stylize("bold"),
        *history,
        Content(f"  imported {paper.first_seen[:10]}\n\n").stylize("$text-muted"),
        Content(
            f"{paper_url(view)}\n\n" if paper.url or paper.arxiv_id else "o: search arXiv\n\n"
        ).stylize("$text-primary"),
    ]
    if pdf := pdf_url(paper):
        parts.insert(-1, Content(f"O: {pdf}\n").stylize("$text-primary"))
    if state.note:  # above the abstract: one's own words first, and never scrolled away
        parts += [
            Content("✎ Note\n").stylize("bold $text-warning"),
            Content(state.note + "\n\n").stylize("italic"),
        ]
    abstract = "Loading the abstract…" if loading else paper.abstract or "(no abstract)"
    for paragraph in abstract.split("\n\n"):
        parts += [_highlighted(paragraph, query), Content("\n\n")]
    return Content.assemble(*parts)


class DetailPane(VerticalScroll, can_focus=True):
    """Shows one paper; scrolls when it does not fit. Focused (tab), it pages by keyboard."""

    ALLOW_MAXIMIZE = True  # z gives it the whole screen
    BINDINGS: ClassVar[list[BindingType]] = [
        # Over the screen's space (bookmark): in the detail, space reads on, as in a pager.
        Binding("space,pagedown", "page_down", "Page down", show=False),
        Binding("shift+space,pageup", "page_up", "Page up", show=False),
        Binding("j,down", "scroll_down", "Down", show=False),
        Binding("k,up", "scroll_up", "Up", show=False),
        Binding("g,home", "scroll_home", "Top", show=False),
        Binding("G,end", "scroll_end", "Bottom", show=False),
    ]

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show(
        self,
        view: PaperWithState | None,
        query: Query,
        empty: str = "",
        loading: bool = False,
        labels: Mapping[str, str] | None = None,
        handle: str | None = None,
    ) -> None:
        """Show ``view`` (or the ``empty`` message); ``loading`` while abstracts are on the way;
        digests called by their ``labels``."""
        body = self.query_one("#detail-body", Static)
        content = detail_content(view, query, loading, labels, handle) if view else None
        body.update(content or Content(empty))
        self.scroll_home(animate=False)
