"""Upgrading a library written with 8-digit ids (schema 2 and before) to 16-digit keys.

Reading an old library needs no migration: the corpus store derives keys from titles as it reads
and the library maps stored state ids to them. The first write migrates, under both locks:

1. the states, re-keyed through the corpus's old ids, into the new shard folder, committed by
   one write of ``state.json`` (see :meth:`StateStore.replace_layout`);
2. the corpus, re-keyed, committed by one write of ``corpus.json`` (abstracts first, as always).

States go first because the corpus is what maps old ids to keys: until its commit, an old
corpus still holds them, so a crash anywhere leaves a library that reads whole, and the next
write finishes the job. The corpus write stamps a new revision, so the saved search index is
rebuilt (papers keep their order, but a cache is never trusted across a rewrite).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from digestreader.store.corpus import CorpusStore
from digestreader.store.documents import merge_state
from digestreader.store.identity import current_key, merged_papers
from digestreader.store.state import StateStore

NOTICE = (
    "upgraded this library to 16-digit paper ids (schema 3), so different papers never share "
    "one again; papers an older version merged because their 8-digit ids collided stay merged "
    "and cannot be split back"
)


@dataclass(frozen=True)
class Migration:
    """What a migration did: papers re-keyed, states moved, and its one-line notice."""

    papers: int
    states: int
    merged: int  # papers the library can tell were merged (see identity.merged_papers)

    @property
    def notice(self) -> str:
        found = f" ({self.merged} such papers found)" if self.merged else ""
        return NOTICE + found


def needs_migration(corpus: CorpusStore, state: StateStore) -> bool:
    """Whether either part of the library is older than this schema (cheap: the catalog is
    cached by file stamp and ``state.json`` is a few hundred bytes)."""
    return corpus.catalog().legacy or state.is_legacy()


def _rekeyed_states(corpus: CorpusStore, state: StateStore) -> dict[str, dict[str, Any]]:
    catalog = corpus.catalog()
    keys = sorted(str(d["id"]) for d in catalog.docs)
    out: dict[str, dict[str, Any]] = {}
    for stored, doc in state.stored().items():
        # A state whose paper is not in the corpus stays under its id: it was invisible before
        # and is now, but dropping it would lose what the user wrote.
        key = current_key(stored, catalog.legacy_ids, keys) or stored
        if key in out:  # two old ids of one title: the newer mark, read and note win
            out[key].update(merge_state(out[key], doc))
        else:
            out[key] = dict(doc, id=key)
    return out


def _rekeyed_session(corpus: CorpusStore, session: Mapping[str, Any]) -> dict[str, Any]:
    catalog = corpus.catalog()
    paper = session.get("paper")
    if not isinstance(paper, str):
        return dict(session)
    keys = sorted(str(d["id"]) for d in catalog.docs)
    return dict(session, paper=current_key(paper, catalog.legacy_ids, keys))


def migrate(corpus: CorpusStore, state: StateStore) -> Migration | None:
    """Bring both parts of the library to this schema; None if nothing needed it. The caller
    holds the corpus lock, then the state lock."""
    if not needs_migration(corpus, state):
        state.remove_legacy()  # litter of a migration that died after its commit
        return None
    states = 0
    if state.is_legacy():
        rekeyed = _rekeyed_states(corpus, state)
        state.replace_layout(rekeyed, _rekeyed_session(corpus, state.session()))
        states = len(rekeyed)
    catalog = corpus.catalog()
    if catalog.legacy:
        papers, digests = corpus.read_docs()
        corpus.write(papers, digests)
    return Migration(len(catalog.docs), states, len(merged_papers(catalog.docs)))


def rekey_session(corpus: CorpusStore, session: Mapping[str, Any]) -> dict[str, Any]:
    """The session of a library not yet migrated, its paper named by key."""
    return _rekeyed_session(corpus, session)
