"""What a citation needs beyond the text: authors as ``Last, First``, the year and month, the
arXiv links, and author-year-word cite keys (``yu2026elucidating``) unique across an export."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from string import ascii_lowercase
from urllib.parse import quote

from digestreader.models import Paper, arxiv_base

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# Lower-case words that belong to a family name: "Ludwig van Beethoven" is "van Beethoven".
PARTICLES = frozenset({"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "la"})
# Words skipped when a cite key takes the title's first word, as reference managers do.
STOPWORDS = frozenset(
    {
        "a",
        "an",
        "the",
        "on",
        "of",
        "in",
        "for",
        "to",
        "and",
        "with",
        "via",
        "towards",
        "toward",
        "is",
        "are",
        "from",
        "by",
        "at",
        "do",
        "does",
        "can",
        "how",
        "what",
        "when",
        "why",
        "not",
        "no",
    }
)
_NEW_STYLE = re.compile(r"^(\d{2})(\d{2})\.\d{4,5}")


def has_metadata(paper: Paper) -> bool:
    """Whether a paper came with more than a title and abstract (from the daily papers JSON)."""
    return bool(paper.arxiv_id or paper.authors)


def pdf_url(paper: Paper) -> str | None:
    """The paper's PDF on arXiv, when its arXiv id is known."""
    if not paper.arxiv_id:
        return None
    return f"https://arxiv.org/pdf/{quote(arxiv_base(paper.arxiv_id), safe='/')}"


def doi(paper: Paper) -> str | None:
    """The DOI arXiv registers for every paper (DataCite, prefix 10.48550)."""
    return f"10.48550/arXiv.{arxiv_base(paper.arxiv_id)}" if paper.arxiv_id else None


def year_month(paper: Paper) -> tuple[int, int] | None:
    """When the paper was published: its date, else what a new-style arXiv id says (YYMM)."""
    if paper.published and re.match(r"^\d{4}-\d{2}", paper.published):
        return int(paper.published[:4]), int(paper.published[5:7])
    found = _NEW_STYLE.match(paper.arxiv_id or "")
    if found and 1 <= int(found.group(2)) <= 12:
        return 2000 + int(found.group(1)), int(found.group(2))
    return None


def last_first(name: str) -> str:
    """``Jiahao Yu`` -> ``Yu, Jiahao``; a name already in that form, or of one word, as is."""
    words = name.split()
    if "," in name or len(words) < 2:
        return " ".join(words)
    start = len(words) - 1
    while start > 1 and words[start - 1] in PARTICLES:
        start -= 1
    return f"{' '.join(words[start:])}, {' '.join(words[:start])}"


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", folded.lower())


def base_key(paper: Paper) -> str:
    """``<first author's family name><year><first title word>``, ASCII, lower case."""
    family = last_first(paper.authors[0]).split(",")[0] if paper.authors else ""
    name = "".join(_ascii_words(family)) or "anon"
    when = year_month(paper)
    words = [w for w in _ascii_words(paper.title) if w not in STOPWORDS]
    return f"{name}{when[0] if when else ''}{words[0] if words else 'paper'}"


def unique_keys(keys: Sequence[str]) -> list[str]:
    """Keys made unique: those shared by several papers get a, b, c... in order."""
    counts = Counter(keys)
    seen: Counter[str] = Counter()
    unique = []
    for key in keys:
        if counts[key] == 1:
            unique.append(key)
            continue
        n = seen[key]
        seen[key] += 1
        suffix = ascii_lowercase[n % 26] * (n // 26 + 1)  # z, then aa, bb: never runs out
        unique.append(key + suffix)
    return unique


def row_byline(paper: Paper) -> str:
    """What a list row adds after the title: shortened authors and upvotes ("" for neither)."""
    votes = f" ▲{paper.upvotes}" if paper.upvotes is not None else ""
    names = short_authors(paper)
    return f"  {names}{votes}" if names or votes else ""


def short_authors(paper: Paper) -> str:
    """Authors for a list row: ``Sinha``, ``Ong & Veličković``, ``Sinha et al.``."""
    names = [last_first(n).split(",")[0] for n in paper.authors or ()]
    if len(names) > 2:
        return f"{names[0]} et al."
    return " & ".join(names)
