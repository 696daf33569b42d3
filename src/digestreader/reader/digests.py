"""The library's digests as the reader shows them: a label (the date), papers, new papers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from digestreader.store.corpus import Catalog


@dataclass(frozen=True)
class DigestSummary:
    """One digest: its library name, date label, papers in it and papers first seen in it."""

    name: str
    date: str | None
    papers: int
    new: int
    label: str  # what the reader calls it: its date, never a file stem where a date is known


def digest_labels(catalog: Catalog) -> dict[str, str]:
    """Each digest's label by library name: its date; with the digest's number when two share
    a date; the name only when there is no date. Cheap: digests only, no papers."""
    digests = [(str(d["name"]), d.get("date") or None) for d in catalog.digests]
    dates = Counter(date for _name, date in digests if date)
    labels = {}
    for number, (name, date) in enumerate(digests, 1):
        if date is None:
            labels[name] = f"{name} (undated)"
        elif dates[date] > 1:
            labels[name] = f"{date} (digest {number})"
        else:
            labels[name] = str(date)
    return labels


def digest_summaries(catalog: Catalog) -> list[DigestSummary]:
    """Every digest in import order, with counts from the catalog's sightings (a pass over
    every paper: build it when asked for, not at start)."""
    papers: Counter[str] = Counter()
    new: Counter[str] = Counter()
    for doc in catalog.docs:
        sources = doc["sources"]
        papers.update({str(s["digest"]) for s in sources})
        if sources:
            new[str(sources[0]["digest"])] += 1
    labels = digest_labels(catalog)
    return [
        DigestSummary(name, d.get("date") or None, papers[name], new[name], labels[name])
        for d in catalog.digests
        if (name := str(d["name"]))
    ]
