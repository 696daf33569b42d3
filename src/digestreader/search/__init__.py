"""Search over papers: an fzf-like query syntax, an inverted index, fuzzy ranking. Pure."""

from digestreader.search.engine import SearchResult, match, search
from digestreader.search.index import SearchIndex
from digestreader.search.query import Query, parse_query
from digestreader.search.rank import title_spans

__all__ = [
    "Query",
    "SearchIndex",
    "SearchResult",
    "match",
    "parse_query",
    "search",
    "title_spans",
]
