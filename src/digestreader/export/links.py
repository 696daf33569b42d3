"""The link of a paper: its url, its arXiv page, or an arXiv title search."""

from __future__ import annotations

from urllib.parse import quote_plus

from digestreader.models import PaperWithState

SEARCH_URL = "https://arxiv.org/search/?searchtype=title&query="


def paper_url(view: PaperWithState) -> str:
    """The paper's page, or a title search when no url is known."""
    if view.paper.url:
        return view.paper.url
    if view.paper.arxiv_id:
        return f"https://arxiv.org/abs/{view.paper.arxiv_id}"
    return SEARCH_URL + quote_plus(view.paper.title)


def digests_label(view: PaperWithState) -> str:
    """Where the paper was seen: "name (date) #pos; ..."."""
    return "; ".join(f"{s.digest} ({s.date})" if s.date else s.digest for s in view.paper.sources)
