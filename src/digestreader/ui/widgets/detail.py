"""The detail pane: title, every digest the paper appeared in, links, abstract, note."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Static

from digestreader.export.cite import pdf_url
from digestreader.export.links import paper_url
from digestreader.models import PaperWithState
from digestreader.search import Query, title_spans


def _highlighted(text: str, query: Query) -> Content:
    content = Content(text)
    for start, end in title_spans(text, query):
        content = content.stylize("bold $text-accent underline", start, end)
    return content


def _votes(upvotes: int | None) -> str:
    return f"  ▲{upvotes}" if upvotes is not None else ""


def detail_content(view: PaperWithState, query: Query, loading: bool = False) -> Content:
    """Everything about one paper as literal (never markup) text."""
    paper, state = view.paper, view.state
    flags = ["★ marked" if state.marked else "", "read" if state.read else "● unread"]
    count = len(paper.sources)
    history = [
        Content(f"  {s.date or 'undated':>7}  #{s.position:<4} {s.digest}{_votes(s.upvotes)}\n")
        for s in paper.sources
    ]
    authors = Content(", ".join(paper.authors) + "\n") if paper.authors else Content("")
    parts = [
        _highlighted(paper.title, query).stylize("bold"),
        Content("\n"),
        authors.stylize("italic"),
        Content(f"{paper.id}   {'   '.join(f for f in flags if f)}\n\n").stylize("$text-muted"),
        Content(f"Seen in {count} digest{'s' if count != 1 else ''}:\n").stylize("bold"),
        *history,
        Content(f"  first seen {paper.first_seen[:10]}\n\n").stylize("$text-muted"),
        Content(
            f"{paper_url(view)}\n\n" if paper.url or paper.arxiv_id else "o: search arXiv\n\n"
        ).stylize("$text-primary"),
    ]
    if pdf := pdf_url(paper):
        parts.insert(-1, Content(f"O: {pdf}\n").stylize("$text-primary"))
    abstract = "Loading the abstract…" if loading else paper.abstract or "(no abstract)"
    for paragraph in abstract.split("\n\n"):
        parts += [_highlighted(paragraph, query), Content("\n\n")]
    if state.note:
        parts += [Content("Note\n").stylize("bold"), Content(state.note).stylize("italic")]
    return Content.assemble(*parts)


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one paper; scrolls when it does not fit."""

    def compose(self):  # type: ignore[no-untyped-def]
        yield Static(id="detail-body")

    def show(
        self, view: PaperWithState | None, query: Query, empty: str = "", loading: bool = False
    ) -> None:
        """Show ``view`` (or the ``empty`` message); ``loading`` while abstracts are on the way."""
        body = self.query_one("#detail-body", Static)
        body.update(detail_content(view, query, loading) if view else Content(empty))
        self.scroll_home(animate=False)
