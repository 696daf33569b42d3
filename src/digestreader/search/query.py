"""The query language, modelled on fzf.

Terms separated by spaces must all match; ``a | b`` matches either. A plain ``word`` matches any
word of the title or abstract that starts with it (and, from five letters on, a title word one
typo away); ``'word`` matches the whole word only; ``^word`` matches the title's first word;
``!term`` excludes. Filters: ``is:marked``, ``is:unread``, ``is:read``, ``has:note``,
``is:new``; and over
what a JSON source told us, ``author:name`` (a word of an author's name starts with it) and
``id:2604`` (the arXiv id starts with it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

_WORD = re.compile(r"\w+")
FILTERS = {
    "is:marked": "marked",
    "is:read": "read",
    "is:unread": "unread",
    "has:note": "note",
    "is:new": "new",  # first seen in the newest digest
}


class Kind(Enum):
    """How a term matches."""

    FUZZY = "fuzzy"  # a word starts with it (and typo-tolerant on titles)
    EXACT = "exact"  # a whole word equals it
    TITLE_START = "title_start"  # the title's first word starts with it
    FLAG = "flag"  # a user-state filter
    AUTHOR = "author"  # an author's name has a word starting with it
    ARXIV = "arxiv"  # the arXiv id starts with it


# Kinds that look at neither titles nor abstracts: no index or abstracts needed, no highlight.
NOT_TEXT = frozenset({Kind.FLAG, Kind.AUTHOR, Kind.ARXIV})
META_PREFIXES = {"author:": Kind.AUTHOR, "id:": Kind.ARXIV}


def tokens(text: str) -> list[str]:
    """The casefolded words of a text, the unit of matching and of the index."""
    return _WORD.findall(text.casefold())


@dataclass(frozen=True, slots=True)
class Term:
    """One condition of a query."""

    kind: Kind
    words: tuple[str, ...]  # casefolded words; for FLAG, the flag name
    negated: bool = False


@dataclass(frozen=True, slots=True)
class Query:
    """A conjunction of disjunctions of terms, plus the plain words used for ranking."""

    groups: tuple[tuple[Term, ...], ...]
    text: str
    errors: tuple[str, ...] = ()  # pieces that are no filter ("is:foo"); they match nothing

    @property
    def is_empty(self) -> bool:
        return not self.groups

    @property
    def needs_text(self) -> bool:
        """Whether any term looks at titles or abstracts (flags alone do not)."""
        return any(term.kind not in NOT_TEXT for group in self.groups for term in group)

    @property
    def flag_names(self) -> frozenset[str]:
        """The flags the query filters on ("marked", "new", ...)."""
        return frozenset(
            term.words[0] for group in self.groups for term in group if term.kind is Kind.FLAG
        )

    @property
    def needs_meta(self) -> bool:
        """Whether any term looks at authors or arXiv ids."""
        return any(
            term.kind in (Kind.AUTHOR, Kind.ARXIV) for group in self.groups for term in group
        )

    @property
    def highlight_words(self) -> tuple[str, ...]:
        """The words worth highlighting: those of positive text terms."""
        return tuple(
            w
            for group in self.groups
            for term in group
            if not term.negated and term.kind not in NOT_TEXT
            for w in term.words
        )

    @property
    def ranking_text(self) -> str:
        return " ".join(self.highlight_words)


def _flag(raw: str) -> str | None:
    low = raw.casefold()
    if low in FILTERS:
        return FILTERS[low]
    # While typing, a unique start of a filter already filters ("is:mar" -> is:marked).
    starts = [name for key, name in FILTERS.items() if key.startswith(low) and ":" in low]
    return starts[0] if len(starts) == 1 else None


def unknown_filter(raw: str) -> bool:
    """Whether a piece names a filter that does not exist ("is:foo"); a start of a real one
    ("is:", "is:mar") is still being typed."""
    body = raw.removeprefix("!").casefold()
    prefix, colon, _rest = body.partition(":")
    if not colon or prefix not in {key.split(":")[0] for key in FILTERS}:
        return False
    return not any(key.startswith(body) for key in FILTERS)


def parse_term(raw: str) -> Term | None:
    """One whitespace-free piece of a query; None when it has nothing to match on."""
    negated = raw.startswith("!")
    body = raw[1:] if negated else raw
    flag = _flag(body)
    if flag is not None:
        return Term(Kind.FLAG, (flag,), negated)
    for key, meta_kind in META_PREFIXES.items():
        if body.casefold().startswith(key):
            return _meta_term(meta_kind, body[len(key) :], negated)
    kind = Kind.FUZZY
    if body.startswith("'"):
        kind, body = Kind.EXACT, body[1:]
    elif body.startswith("^"):
        kind, body = Kind.TITLE_START, body[1:]
    words = tokens(body)
    if not words:
        return None
    if kind is Kind.TITLE_START:
        words = words[:1]
    return Term(kind, tuple(words), negated)


def _meta_term(kind: Kind, value: str, negated: bool) -> Term | None:
    if kind is Kind.ARXIV:  # an id keeps its dot: "2604.16" is one prefix, not two words
        value = value.strip().casefold()
        return Term(kind, (value,), negated) if value else None
    words = tokens(value)
    return Term(kind, tuple(words), negated) if words else None


def parse_query(text: str) -> Query:
    """Parse a query. Never raises: pieces with nothing to match on are ignored, and unknown
    filters are ignored and listed in ``errors``."""
    groups: list[list[Term]] = []
    errors: list[str] = []
    join_next = False
    for piece in text.split():
        if piece == "|":
            join_next = bool(groups)
            continue
        if unknown_filter(piece):
            errors.append(f"unknown filter '{piece}'")
            continue
        term = parse_term(piece)
        if term is None:
            continue
        if join_next:
            groups[-1].append(term)
        else:
            groups.append([term])
        join_next = False
    return Query(tuple(tuple(g) for g in groups), text.strip(), tuple(errors))
