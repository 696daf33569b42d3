"""BibTeX: one entry per paper, every special character escaped, braces always balanced."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from digestreader.export.links import paper_url
from digestreader.models import PaperWithState

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
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
    """A field value safe inside braces: specials escaped, whitespace (newlines too) collapsed."""
    return _SPECIAL.sub(lambda m: _ESCAPES[m.group()], " ".join(text.split()))


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
