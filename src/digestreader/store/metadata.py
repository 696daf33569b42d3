"""What a JSON source knows of a paper beyond its text (arXiv id, authors, upvotes, links), folded
into stored paper documents. Pure functions over plain dicts, used by the digest merge.

A paper already known from a text page (same normalized title) or from another day (same arXiv
id) is the same paper: it gains what the JSON knows and keeps the rest. A text page carries no
metadata, so importing one never erases any.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from digestreader.models import Entry, arxiv_base

PAPER_PAGE = "https://huggingface.co/papers/"


def paper_page(arxiv_id: str) -> str:
    """The paper's page on Hugging Face (its arXiv id is checked at the door: url-safe)."""
    return PAPER_PAGE + arxiv_base(arxiv_id)


def arxiv_keys(papers: Mapping[int, Mapping[str, Any]]) -> dict[str, int]:
    """Document ids by arXiv id (without version), for the papers that have one."""
    return {
        arxiv_base(str(doc["arxiv_id"])): key for key, doc in papers.items() if doc.get("arxiv_id")
    }


def metadata_of(entry: Entry) -> dict[str, Any]:
    """The stored fields an entry knows (none for a text page's entry)."""
    fields: dict[str, Any] = {}
    if entry.arxiv_id:
        fields["arxiv_id"] = entry.arxiv_id
        fields["url"] = paper_page(entry.arxiv_id)
    if entry.authors:
        fields["authors"] = list(entry.authors)
    if entry.published:
        fields["published"] = entry.published
    return fields


def enrich(stored: dict[str, Any], entry: Entry) -> bool:
    """Give ``stored`` what ``entry`` knows and it lacks (authors follow the newest source);
    returns whether anything changed. An arXiv id or url once set is kept."""
    changed = False
    for name, value in metadata_of(entry).items():
        keep = name in ("arxiv_id", "url", "published") and stored.get(name)
        if not keep and stored.get(name) != value:
            stored[name] = value
            changed = True
    return changed


def add_sighting(stored: dict[str, Any], sighting: dict[str, Any], again: bool = False) -> bool:
    """Record a sighting; when the digest is a day imported ``again``, its earlier sighting is
    replaced, not added twice. Returns whether the sightings changed. The paper's upvotes follow
    its newest day."""
    sources: list[dict[str, Any]] = stored["sources"]
    for i, known in enumerate(sources if again else ()):
        if known.get("digest") == sighting["digest"]:
            if known == sighting:
                return False
            sources[i] = sighting
            break
    else:
        sources.append(sighting)
    upvotes = latest_upvotes(sources)
    if upvotes is not None:  # a restored paper's upvotes stay until a day says otherwise
        stored["upvotes"] = upvotes
    return True


def latest_upvotes(sources: list[dict[str, Any]]) -> int | None:
    """The upvotes of the newest sighting that has any (JSON days are dated YYYY-MM-DD)."""
    counted = [s for s in sources if s.get("upvotes") is not None]
    if not counted:
        return None
    return int(max(counted, key=lambda s: str(s.get("date") or ""))["upvotes"])
