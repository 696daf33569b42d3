r"""BibTeX: one entry per paper, every special character escaped, braces always balanced.

BibTeX counts every brace, escaped or not: ``\{`` opens a group as far as it is concerned, so a
note of ``{{{`` written as ``\{\{\{`` swallowed the entries after it. Braces from paper text
are therefore written as the LaTeX macros ``\textbraceleft{}`` and ``\textbraceright{}``, and the
only braces in a field are the balanced pairs we write ourselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Sequence

from digestreader.export.cite import (
    MONTHS,
    base_key,
    has_metadata,
    last_first,
    unique_keys,
    year_month,
)
from digestreader.export.links import paper_url
from digestreader.models import Paper, PaperWithState
from digestreader.sanitize import strip_unsafe
from digestreader.store.identity import handle

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_SPECIAL = re.compile("|".join(re.escape(c) for c in _ESCAPES))


def escape(text: str) -> str:
    """A field value safe inside braces: specials escaped, whitespace (newlines too) collapsed,
    anything that could drive a terminal dropped (a library written by an older version may
    still hold it)."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], " ".join(strip_unsafe(text).split()))


def _first_word(view: PaperWithState) -> str:
    ascii_title = unicodedata.normalize("NFKD", view.paper.title).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_title.decode().lower())
    return words[0] if words else "paper"


def cite_keys(views: Sequence[PaperWithState]) -> list[str]:
    """A readable key per paper, unique in ``views``.

    A paper with metadata gets author-year-word (``yu2026elucidating``), with a/b suffixes where
    two share one. Any other paper gets the title's first ASCII word and the first 8 digits of
    its key (its whole id before 16-digit keys, so citations in existing .bib files keep
    working), more digits only where two papers would share a key."""
    words = [_first_word(v) for v in views]
    by_word: dict[str, set[str]] = defaultdict(set)
    for word, view in zip(words, views, strict=True):
        by_word[word].add(view.paper.id)
    sorted_ids = {word: sorted(ids) for word, ids in by_word.items()}
    keys = [
        base_key(view.paper)
        if has_metadata(view.paper)
        else f"{word}_{handle(sorted_ids[word], view.paper.id)}"
        for word, view in zip(words, views, strict=True)
    ]
    return unique_keys(keys)


def cite_key(view: PaperWithState) -> str:
    """The key of one paper exported on its own."""
    return cite_keys([view])[0]


def _authors(names: Sequence[str]) -> str:
    # A name holding the word "and" would split in two: braced, it stays one name.
    parts = [escape(last_first(n)) for n in names]
    return " and ".join(f"{{{p}}}" if " and " in f" {p.lower()} " else p for p in parts)


def _cited_fields(paper: Paper) -> list[tuple[str, str]]:
    """Author, year, month, journal and eprint of a paper with metadata."""
    fields = []
    if paper.authors:
        fields.append(("author", _authors(paper.authors)))
    when = year_month(paper)
    if when:
        fields += [("year", str(when[0])), ("month", MONTHS[when[1] - 1])]  # month: a macro
    if paper.arxiv_id:
        arxiv_id = escape(paper.arxiv_id)
        fields += [
            ("journal", f"arXiv preprint arXiv:{arxiv_id}"),
            ("eprint", arxiv_id),
            ("archivePrefix", "arXiv"),
        ]
    return fields


def entry(view: PaperWithState, key: str | None = None) -> str:
    """One BibTeX entry (under ``key``, default :func:`cite_key`)."""
    paper, state = view.paper, view.state
    fields = [("title", escape(paper.title))]
    cited = has_metadata(paper)
    if cited:
        fields += _cited_fields(paper)
        # A url is read verbatim (url/hyperref): escaping it would break it. paper_url only
        # gives percent-encoded http(s) urls, so it holds no brace, backslash or space.
        fields += [("abstract", escape(paper.abstract)), ("url", paper_url(view))]
    else:
        fields += [("abstract", escape(paper.abstract)), ("url", escape(paper_url(view)))]
    if state.note:
        fields.append(("note", escape(state.note)))
    kind = "article" if cited else "misc"
    body = ",\n".join(
        f"  {name} = {value}" if name == "month" else f"  {name} = {{{value}}}"
        for name, value in fields
    )
    return f"@{kind}{{{key or cite_key(view)},\n{body}\n}}\n"


def to_bibtex(views: Sequence[PaperWithState]) -> str:
    """Every paper as a BibTeX entry, separated by blank lines; keys unique across them."""
    keys = cite_keys(views)
    return "\n".join(entry(v, key) for v, key in zip(views, keys, strict=True))
