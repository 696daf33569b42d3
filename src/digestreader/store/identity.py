"""Paper identity: the rules around keys, in one place.

:func:`digestreader.models.paper_id` makes a paper's key from its normalized title. This module
holds what follows from it: two different titles never share a stored paper (a key whose stored
title differs is an error, never a merge), the handles people type and see (the shortest unique
prefix of a key, like git's abbreviated commits), and how ids of older libraries map to keys.
When an arXiv id becomes a second way to name a paper, its rules belong here too.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from digestreader.models import KEY_LENGTH, LEGACY_ID_LENGTH, normalize_title, paper_id

MIN_PREFIX = 4  # the shortest prefix resolution accepts (scripts cut ids to 5 characters)
HANDLE_MIN = 8  # the shortest handle shown: the length of every id before 16-digit keys
SHOWN_CANDIDATES = 5
_HEX = frozenset("0123456789abcdef")


class IdentityError(Exception):
    """Two papers that must stay apart, or an id that names no single paper. One line."""


def is_key(text: str) -> bool:
    """Whether ``text`` has the shape of a current key (not an old 8-digit id)."""
    return len(text) == KEY_LENGTH and set(text) <= _HEX


def check_same_paper(key: str, stored_title: str, incoming_title: str) -> None:
    """Refuse to merge ``incoming_title`` into the paper stored under ``key`` with another
    normalized title: that is a hash collision or a hand-edited file, and merging it would drop
    one paper's title and abstract without a word."""
    if normalize_title(stored_title) != normalize_title(incoming_title):
        raise IdentityError(
            f"two different papers have the key {key}: '{stored_title}' and "
            f"'{incoming_title}'; nothing was written (please report this)"
        )


def _shared(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


def handle(sorted_keys: Sequence[str], key: str) -> str:
    """The shortest prefix of ``key`` that no other key shares, never under HANDLE_MIN.

    Only the two sorted neighbours can share the longest prefix: a bisection and two
    comparisons, whatever the library's size."""
    at = bisect_left(sorted_keys, key)
    after = at + 1 if at < len(sorted_keys) and sorted_keys[at] == key else at
    longest = 0
    for i in (at - 1, after):
        if 0 <= i < len(sorted_keys):
            longest = max(longest, _shared(sorted_keys[i], key))
    return key[: max(HANDLE_MIN, longest + 1)]


def resolve(sorted_keys: Sequence[str], prefix: str) -> str:
    """The one key that starts with ``prefix`` (at least MIN_PREFIX characters), as git
    resolves an abbreviated commit; IdentityError naming the candidates when there are more."""
    wanted = prefix.strip().lower()
    at = bisect_left(sorted_keys, wanted)
    if at < len(sorted_keys) and sorted_keys[at] == wanted:
        return wanted
    if len(wanted) < MIN_PREFIX:
        raise IdentityError(f"id '{prefix}' is too short: give at least {MIN_PREFIX} characters")
    matches: list[str] = []
    while at < len(sorted_keys) and sorted_keys[at].startswith(wanted):
        matches.append(sorted_keys[at])
        if len(matches) > SHOWN_CANDIDATES:
            break
        at += 1
    if not matches:
        raise IdentityError(f"no paper with id '{prefix}'")
    if len(matches) > 1:
        shown = [handle(sorted_keys, k) for k in matches[:SHOWN_CANDIDATES]]
        more = ", ..." if len(matches) > SHOWN_CANDIDATES else ""
        raise IdentityError(f"id '{prefix}' is ambiguous: {', '.join(shown)}{more}")
    return matches[0]


def legacy_keys(docs: Iterable[Mapping[str, Any]]) -> dict[str, str]:
    """Stored id -> key for paper documents of an older library (whose ids had 8 digits, or came
    from a restored export): the key is always derived from the stored title."""
    return {str(doc["id"]): paper_id(str(doc["title"])) for doc in docs}


def current_key(stored: str, legacy: Mapping[str, str], sorted_keys: Sequence[str]) -> str | None:
    """The key a state or session of an older library that names ``stored`` now belongs to:
    through the corpus's old ids, else as the unique prefix of a key; None if it names none."""
    if is_key(stored):
        return stored
    if stored in legacy:
        return legacy[stored]
    if len(stored) == LEGACY_ID_LENGTH:
        try:
            return resolve(sorted_keys, stored)
        except IdentityError:
            return None
    return None


def merged_papers(docs: Iterable[Mapping[str, Any]]) -> list[str]:
    """Keys of papers whose sightings record two different normalized titles: papers that an
    old id collision merged, where the library can tell (for ``doctor``).

    Sightings written so far carry no title (digest, date and position only), so for today's
    libraries this finds nothing; a merge made before 16-digit keys left no trace to find."""
    found = []
    for doc in docs:
        titles = {
            normalize_title(str(s["title"])) for s in doc.get("sources", ()) if s.get("title")
        }
        titles.add(normalize_title(str(doc["title"])))
        if len(titles) > 1:
            found.append(str(doc["id"]))
    return found
