"""The library's digests as the reader shows them: a label (the date), papers, new papers."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from digestreader.reader.timeline import digest_counts
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
    """Every digest, oldest day first (as ``[`` and ``]`` step; an undated page keeps its
    import place), with the timeline's counts: a paper is new in the first digest it was seen
    in by that order (a pass over every paper: build it when asked for)."""
    labels = digest_labels(catalog)
    dates = {str(d["name"]): d.get("date") or None for d in catalog.digests}
    return [
        DigestSummary(c.name, dates[c.name], c.papers, c.new, labels[c.name])
        for c in digest_counts(catalog.docs, catalog.digests)
    ]
