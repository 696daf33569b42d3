"""The timeline: digests in date order whatever their source, and which papers each one brought
first (new) or brought back (returning). Pure functions over the catalog's plain documents.

A digest's day is its ISO date when the source gave one (the daily papers JSON), else its
"Apr 29" label read in the year it was imported. A page with no date label takes the day of the
digest imported just before it (the oldest place if none was): pages saved without a date keep
their place in the order they were imported. Digests of one day keep their import order.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_LABEL_FORMATS = ("%b %d %Y", "%B %d %Y", "%b %d, %Y", "%B %d, %Y")


def digest_day(digest: Mapping[str, Any]) -> str:
    """The YYYY-MM-DD a digest covers, as well as can be told ("" when nothing says)."""
    iso = digest.get("iso_date")
    if isinstance(iso, str) and iso:
        return iso
    imported = str(digest.get("imported_at") or "")
    label = digest.get("date")
    if isinstance(label, str) and _ISO_DAY.fullmatch(label):
        return label  # stored with its year since digests keep one (models.digest_date)
    if isinstance(label, str) and label:
        text = label.replace("Sept", "Sep")
        if not text[-4:].isdigit():  # "Apr 29": the year it was imported
            text = f"{text} {imported[:4] or date.today().year}"
        for fmt in _LABEL_FORMATS:
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                continue
    return ""


def days_of(digests: Sequence[Mapping[str, Any]]) -> list[str]:
    """The day of each digest (in import order), an undated one taking its predecessor's."""
    days: list[str] = []
    for digest in digests:
        days.append(digest_day(digest) or (days[-1] if days else ""))
    return days


def by_date(digests: Sequence[Mapping[str, Any]]) -> list[str]:
    """Digest names, oldest day first (a stable sort: one day keeps its import order)."""
    days = days_of(digests)
    order = sorted(range(len(digests)), key=days.__getitem__)
    return [str(digests[i]["name"]) for i in order]


@dataclass(frozen=True)
class DigestCounts:
    """One digest on the timeline: its day, source and papers, new and returning."""

    name: str
    day: str
    source: str
    papers: int
    new: int
    returning: int


def first_digests(docs: Sequence[Mapping[str, Any]], names: Sequence[str]) -> list[str | None]:
    """For each paper, the earliest digest (in ``names`` order) it was seen in."""
    rank = {name: i for i, name in enumerate(names)}
    firsts: list[str | None] = []
    for doc in docs:
        seen = [s["digest"] for s in doc.get("sources", ()) if s["digest"] in rank]
        firsts.append(min(seen, key=rank.__getitem__) if seen else None)
    return firsts


def digest_counts(
    docs: Sequence[Mapping[str, Any]], digests: Sequence[Mapping[str, Any]]
) -> list[DigestCounts]:
    """Every digest in date order with its count of new and returning papers."""
    names = by_date(digests)
    firsts = first_digests(docs, names)
    new = dict.fromkeys(names, 0)
    seen = dict.fromkeys(names, 0)
    for doc, first in zip(docs, firsts, strict=True):
        for name in {s["digest"] for s in doc.get("sources", ())}:
            if name in seen:
                seen[name] += 1
        if first is not None:
            new[first] += 1
    info = {str(d["name"]): d for d in digests}
    day = {str(d["name"]): when for d, when in zip(digests, days_of(digests), strict=True)}
    return [
        DigestCounts(
            name=name,
            day=day[name],
            source=str(info[name].get("source") or "page"),
            papers=seen[name],
            new=new[name],
            returning=seen[name] - new[name],
        )
        for name in names
    ]
