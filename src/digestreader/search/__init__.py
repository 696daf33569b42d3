"""Search over papers: an fzf-like query syntax, an inverted index, fuzzy ranking. Pure.

The query syntax and the title highlight are plain Python; the engine and the index (numpy,
rapidfuzz) load on first use of their names, so a reader's first frame, which filters nothing,
never loads them.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from digestreader.search.query import Query, parse_query
from digestreader.search.spans import title_spans

if TYPE_CHECKING:
    from digestreader.search.engine import SearchResult, match, search
    from digestreader.search.index import SearchIndex

__all__ = [
    "Query",
    "SearchIndex",
    "SearchResult",
    "match",
    "parse_query",
    "search",
    "title_spans",
]

_LAZY = {"SearchResult": "engine", "match": "engine", "search": "engine", "SearchIndex": "index"}


def __getattr__(name: str) -> object:
    """The engine's and the index's names, imported when first asked for (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value  # asked once
    return value
