"""Merging parsed digests into the corpus tables: pure functions over plain dicts."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from digestreader.models import Digest, Entry, Paper, Sighting, arxiv_base, digest_date, paper_id
from digestreader.store.identity import check_same_paper
from digestreader.store.metadata import add_sighting, arxiv_keys, enrich, metadata_of


def doc_id_of(pid: str) -> int:
    """Paper keys are hex, so the TinyDB document id is the same number: O(1) lookups by key."""
    return int(pid, 16)


@dataclass
class DigestImportCounts:
    """What one digest of an import brought: every entry is a new paper, a repeat sighting of a
    known paper, or an entry of a digest already imported (``duplicate``)."""

    name: str
    entries: int = 0
    new: int = 0
    repeats: int = 0
    duplicate: int = 0


@dataclass
class AddedTexts:
    """What an import added to the corpus's texts, for the search index: the papers there were
    before, the new papers' titles and abstracts (in catalog order), and the abstracts filled in
    known papers (by catalog position)."""

    size: int
    titles: list[str]
    abstracts: list[str]
    refilled: list[tuple[int, str]]


@dataclass
class ImportResult:
    """What an import did: papers new to the library, papers seen again, entries already known.

    ``entries == new + repeats + duplicate``, so a batch and the same files one by one add up.
    """

    new: int = 0
    updated: int = 0  # distinct known papers seen again
    duplicate: int = 0
    entries: int = 0
    repeats: int = 0  # sightings of papers known before this digest
    per_digest: list[DigestImportCounts] = field(default_factory=list)
    digests: int = 0
    known_digests: int = 0
    restored: int = 0
    warnings: list[str] = field(default_factory=list)
    refilled: list[str] = field(default_factory=list)  # known papers whose empty abstract filled
    revisions: tuple[str, str] | None = None  # the corpus revision before and after the write
    added: AddedTexts | None = None  # set by an import that did not read every paper

    @property
    def changed(self) -> bool:
        return bool(self.new or self.updated or self.digests or self.restored)


def paper_to_doc(paper: Paper) -> dict[str, Any]:
    """The stored form of a paper."""
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        "sources": [s.to_dict() for s in paper.sources],
        "first_seen": paper.first_seen,
        "authors": list(paper.authors) if paper.authors is not None else None,
        "arxiv_id": paper.arxiv_id,
        "url": paper.url,
        "upvotes": paper.upvotes,
        "published": paper.published,
    }


def _sighting(data: Mapping[str, Any], imported: str) -> Sighting:
    """A stored sighting; a date stored as the page's bare label ("Apr 29", before dates kept
    their year) is read as an ISO date, its year from the digest's name or the import."""
    sighting = Sighting.from_dict(dict(data))
    dated = digest_date(sighting.date, sighting.digest, imported) if sighting.date else None
    return (
        sighting if dated == sighting.date else Sighting(sighting.digest, dated, sighting.position)
    )


def paper_from_doc(data: Mapping[str, Any]) -> Paper:
    """A paper from its stored form."""
    authors = data.get("authors")
    first_seen = data.get("first_seen", "")
    return Paper(
        id=data["id"],
        title=data["title"],
        abstract=data.get("abstract", ""),
        sources=tuple(_sighting(s, first_seen) for s in data.get("sources", ())),
        first_seen=first_seen,
        authors=tuple(authors) if authors is not None else None,
        arxiv_id=data.get("arxiv_id"),
        url=data.get("url"),
        upvotes=data.get("upvotes"),
        published=data.get("published"),
    )


def _unique_name(name: str, content_hash: str, taken: set[str]) -> str:
    return name if name not in taken else f"{name}-{content_hash[:6]}"


def merge_digests(
    papers: MutableMapping[int, dict[str, Any]],
    digests: dict[int, dict[str, Any]],
    parsed: Iterable[tuple[str, Digest]],
    now: str,
    by_arxiv: MutableMapping[str, int] | None = None,
) -> ImportResult:
    """Fold parsed digests into the ``papers`` and ``digests`` tables (mutated in place).

    ``papers`` need only hold the papers the digests touch, when ``by_arxiv`` (document ids by
    arXiv id, as :func:`metadata.arxiv_keys` of every paper) is given: a paper not in it is new.

    A digest whose content hash is already known changes nothing: its entries count as duplicates.
    A day of JSON daily papers imported again under its name with other content (new upvotes)
    replaces that day's sightings rather than adding a second digest.
    """
    result = ImportResult()
    known_hashes = {d["hash"] for d in digests.values()}
    names = {d["name"] for d in digests.values()}
    by_name = {d["name"]: key for key, d in digests.items()}
    by_arxiv = arxiv_keys(papers) if by_arxiv is None else by_arxiv
    new_ids: set[str] = set()
    updated: set[str] = set()
    for name, digest in parsed:
        result.warnings.extend(digest.warnings)
        counts = DigestImportCounts(name, entries=len(digest.entries))
        result.per_digest.append(counts)
        result.entries += counts.entries
        again = by_name.get(name) if digest.source != "page" else None
        if again is not None and digests[again].get("source") != digest.source:
            again = None  # a text page that happens to bear the name: not the same day
        if again is not None and digests[again]["hash"] == digest.content_hash:
            known = True
        else:
            known = again is None and digest.content_hash in known_hashes
        if known:
            result.known_digests += 1
            result.duplicate += len(digest.entries)
            counts.duplicate = counts.entries
            continue
        known_hashes.add(digest.content_hash)
        dated = digest.iso_date or digest_date(digest.date, name, now)
        if again is not None:  # the same day, changed: update it in place
            unique = name
            digests[again].update(hash=digest.content_hash, imported_at=now)
            digests[again]["entries"] = len(digest.entries)
            result.known_digests += 1
        else:
            unique = _unique_name(name, digest.content_hash, names)
            names.add(unique)
            by_name[unique] = len(digests) + 1
            digests[len(digests) + 1] = {
                "hash": digest.content_hash,
                "name": unique,
                "date": dated,
                "imported_at": now,
                "entries": len(digest.entries),
                "source": digest.source,
                "iso_date": digest.iso_date,
            }
            result.digests += 1
        for position, entry in enumerate(digest.entries, start=1):
            sighting = Sighting(unique, dated, position, entry.upvotes).to_dict()
            key = _key_of(entry, by_arxiv)
            by_id = bool(entry.arxiv_id) and by_arxiv.get(arxiv_base(entry.arxiv_id or "")) == key
            stored = papers.get(key)
            if stored is None:
                pid = paper_id(entry.title)
                papers[key] = (
                    paper_to_doc(
                        Paper(pid, entry.title, entry.abstract, (), now, upvotes=entry.upvotes)
                    )
                    | metadata_of(entry)
                    | {"sources": [sighting]}
                )
                if entry.arxiv_id:
                    by_arxiv[arxiv_base(entry.arxiv_id)] = key
                new_ids.add(pid)
                counts.new += 1
                continue
            pid = str(stored["id"])
            if not by_id:  # matched by title, so it must be that title (an arXiv id may retitle)
                check_same_paper(pid, stored["title"], entry.title)
            changed = add_sighting(stored, sighting, again=again is not None)
            changed = enrich(stored, entry) or changed
            if entry.arxiv_id:
                by_arxiv.setdefault(arxiv_base(entry.arxiv_id), key)
            if not stored.get("abstract") and entry.abstract:
                stored["abstract"] = entry.abstract
                result.refilled.append(pid)
                changed = True
            if again is not None and not changed:
                result.duplicate += 1  # this paper of a day fetched again did not change
                counts.duplicate += 1
                continue
            counts.repeats += 1
            result.repeats += 1
            if pid not in new_ids:
                # A paper new in this import and seen again in a later file counts once, as new.
                updated.add(pid)
    result.new = len(new_ids)
    result.updated = len(updated)
    return result


def arxiv_index(docs: Sequence[Mapping[str, Any]]) -> dict[str, str]:
    """Paper ids by arXiv id (without version), for the papers that have one."""
    return {arxiv_base(str(d["arxiv_id"])): str(d["id"]) for d in docs if d.get("arxiv_id")}


def _key_of(entry: Entry, by_arxiv: Mapping[str, int]) -> int:
    """The document of an entry's paper: the one with its arXiv id, else by its title."""
    if entry.arxiv_id:
        key = by_arxiv.get(arxiv_base(entry.arxiv_id))
        if key is not None:
            return key
    return doc_id_of(paper_id(entry.title))


STATE_FIELDS = (("marked", "marked_at"), ("read", "read_at"), ("note", "note_at"))


def merge_papers(papers: dict[int, dict[str, Any]], incoming: Sequence[Paper]) -> int:
    """Add papers missing from ``papers`` and sightings missing from known ones; count changes."""
    changed = 0
    for paper in incoming:
        stored = papers.get(doc_id_of(paper.id))
        if stored is None:
            papers[doc_id_of(paper.id)] = paper_to_doc(paper)
            changed += 1
            continue
        check_same_paper(paper.id, stored["title"], paper.title)
        # Compared as read, so a sighting stored with a bare label ("Apr 29") is not added again
        # from an export that writes its ISO date.
        known = [_sighting(s, stored.get("first_seen", "")).to_dict() for s in stored["sources"]]
        incoming_sightings = [
            _sighting(s.to_dict(), paper.first_seen).to_dict() for s in paper.sources
        ]
        missing = [s for s in incoming_sightings if s not in known]
        if missing:
            stored["sources"].extend(missing)
            changed += 1
    return changed


def merge_state(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of ``incoming`` whose timestamps are newer than those of ``current``."""
    changes: dict[str, Any] = {}
    for name, stamp in STATE_FIELDS:
        theirs = incoming.get(stamp)
        if theirs and (not current.get(stamp) or theirs > current[stamp]):
            changes[name], changes[stamp] = incoming.get(name), theirs
    return changes
