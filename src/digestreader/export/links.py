"""The link of a paper: its url, its arXiv page, or an arXiv title search."""

from __future__ import annotations

from urllib.parse import quote, quote_plus

from digestreader.models import PaperWithState
from digestreader.sanitize import safe_url

SEARCH_URL = "https://arxiv.org/search/?searchtype=title&query="


def paper_url(view: PaperWithState) -> str:
    """The paper's page, or a title search when no usable url is known.

    A stored url is checked again here: a library written before restores were validated may
    hold a ``javascript:`` url, and every export and the reader link through this function.
    """
    url = safe_url(view.paper.url) if view.paper.url else None
    if url:
        return url
    if view.paper.arxiv_id:  # restored from a backup, so encoded: it is only text
        return f"https://arxiv.org/abs/{quote(view.paper.arxiv_id, safe='/')}"
    return SEARCH_URL + quote_plus(view.paper.title)


def digests_label(view: PaperWithState) -> str:
    """Where the paper was seen: "name (date) #pos; ..."."""
    return "; ".join(f"{s.digest} ({s.date})" if s.date else s.digest for s in view.paper.sources)
