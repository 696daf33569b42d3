r"""BibTeX: one entry per paper, every special character escaped, braces always balanced.

BibTeX counts every brace, escaped or not: ``\{`` opens a group as far as it is concerned, so a
note of ``{{{`` written as ``\{\{\{`` swallowed the entries after it. Braces from paper text
are therefore written as the LaTeX macros ``\textbraceleft{}`` and ``\textbraceright{}``, and the
only braces in a field are the balanced pairs we write ourselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from digestreader.export.links import paper_url
from digestreader.models import PaperWithState
from digestreader.sanitize import strip_unsafe

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


def cite_key(view: PaperWithState) -> str:
    """A unique, readable key: the title's first ASCII word and the paper id."""
    ascii_title = unicodedata.normalize("NFKD", view.paper.title).encode("ascii", "ignore")
    words = re.findall(r"[a-z0-9]+", ascii_title.decode().lower())
    return f"{words[0] if words else 'paper'}_{view.paper.id}"


def entry(view: PaperWithState) -> str:
    """One BibTeX entry."""
    paper, state = view.paper, view.state
    fields = [("title", escape(paper.title))]
    if paper.authors:
        fields.append(("author", escape(" and ".join(paper.authors))))
    if paper.arxiv_id:
        fields += [("eprint", escape(paper.arxiv_id)), ("archivePrefix", "arXiv")]
    fields += [("abstract", escape(paper.abstract)), ("url", escape(paper_url(view)))]
    if state.note:
        fields.append(("note", escape(state.note)))
    kind = "article" if paper.arxiv_id else "misc"
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@{kind}{{{cite_key(view)},\n{body}\n}}\n"


def to_bibtex(views: Sequence[PaperWithState]) -> str:
    """Every paper as a BibTeX entry, separated by blank lines."""
    return "\n".join(entry(v) for v in views)
