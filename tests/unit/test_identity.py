"""Paper identity: two different titles never become one paper; handles resolve like git's."""

from __future__ import annotations

import hashlib

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestreader.library import Library, LibraryError
from digestreader.models import Digest, Entry, Paper, normalize_title, paper_id
from digestreader.store.documents import doc_id_of, merge_digests, merge_papers, paper_to_doc
from digestreader.store.identity import IdentityError

# Found by a birthday search over generated titles: their 8-digit ids (the ids of every release
# before 16-digit keys) are both fb29ee49, so the old code merged the second into the first.
EDITING = (
    "Editing21123: Dropout Q-Functions for Doubly Efficient Reinforcement Learning foundations"
)
PLETHORA = (
    "Plethora7268: Instruction Fusion: Advancing Prompt Evolution through Hybridization Tuning"
)


def old_id(title: str) -> str:
    """The id of a paper before this change, computed here so the test does not trust the code."""
    digest = hashlib.blake2b(normalize_title(title).encode("utf-8"), digest_size=16)
    return digest.hexdigest()[:8]


def digest_of(*titles: str, name: str = "d") -> tuple[str, Digest]:
    entries = tuple(Entry(t, f"Abstract of {t}.", i) for i, t in enumerate(titles, start=1))
    return name, Digest(entries, "Apr 1", hashlib.sha256("\n".join(titles).encode()).hexdigest())


def test_the_known_pair_collides_under_the_old_ids() -> None:
    assert old_id(EDITING) == old_id(PLETHORA) == "fb29ee49"
    assert normalize_title(EDITING) != normalize_title(PLETHORA)


def test_keys_are_64_bit_hex_and_begin_with_the_old_id() -> None:
    for title in (EDITING, PLETHORA, "Attention Is All You Need"):
        key = paper_id(title)
        assert len(key) == 16
        assert int(key, 16) >= 0
        assert key.startswith(old_id(title))  # ids people wrote down still name their paper
    assert paper_id(EDITING) != paper_id(PLETHORA)
    assert paper_id("Attention is all you need!") == paper_id("ATTENTION  IS ALL YOU NEED")


def test_colliding_titles_import_as_two_papers_with_their_own_marks_and_notes(
    library: Library,
) -> None:
    result = library.import_digests([digest_of(EDITING, "Some Other Paper", PLETHORA)])
    assert (result.new, result.updated) == (3, 0)
    by_title = {p.title: p for p in library.papers()}
    assert set(by_title) == {EDITING, PLETHORA, "Some Other Paper"}
    assert by_title[PLETHORA].abstract == f"Abstract of {PLETHORA}."
    editing, plethora = by_title[EDITING].id, by_title[PLETHORA].id
    library.set_marked([editing])
    library.set_note(plethora, "only on the second")
    again = Library(library.root)
    assert (again.get(editing).state.marked, again.get(editing).state.note) == (True, "")
    assert (again.get(plethora).state.marked, again.get(plethora).state.note) == (
        False,
        "only on the second",
    )
    assert again.stats()["papers"] == 3


def test_a_key_whose_stored_title_differs_is_an_error_never_a_merge() -> None:
    # A library whose document under EDITING's key holds another title (a hand edit, or a hash
    # collision some day): importing EDITING must stop, not attach its sighting to that paper.
    key = paper_id(EDITING)
    papers = {doc_id_of(key): paper_to_doc(Paper(key, "Something Else Entirely", "", (), "t"))}
    with pytest.raises(IdentityError, match="Something Else Entirely") as caught:
        merge_digests(papers, {}, [digest_of(EDITING)], "now")
    assert "\n" not in str(caught.value)
    with pytest.raises(IdentityError):
        merge_papers(papers, [Paper(key, EDITING, "", (), "t")])
    # The same paper with other case and punctuation is a repeat, as before.
    assert merge_digests(papers | {}, {}, [digest_of("SOMETHING else, entirely!")], "n").new == 1


def test_handles_are_the_shortest_unique_prefix_never_under_8(library: Library) -> None:
    library.import_digests([digest_of(EDITING, PLETHORA, "Some Other Paper")])
    keys = {p.title: p.id for p in library.papers()}
    assert library.handle(keys["Some Other Paper"]) == keys["Some Other Paper"][:8]
    assert library.handle(keys[EDITING]) == keys[EDITING][:9]
    assert library.handle(keys[PLETHORA]) == keys[PLETHORA][:9]
    for key in keys.values():
        assert library.resolve(library.handle(key)) == key


def test_prefixes_resolve_unique_ambiguous_and_unknown(library: Library) -> None:
    library.import_digests([digest_of(EDITING, PLETHORA, "Some Other Paper")])
    editing, plethora = paper_id(EDITING), paper_id(PLETHORA)
    assert library.resolve(editing) == editing
    assert library.resolve(editing[:9].upper()) == editing
    assert library.resolve(plethora[:12]) == plethora
    with pytest.raises(LibraryError) as caught:
        library.resolve("fb29ee49")
    message = str(caught.value)
    assert "ambiguous" in message
    assert editing[:9] in message
    assert plethora[:9] in message
    assert "\n" not in message
    with pytest.raises(LibraryError, match="no paper with id 'ffffffffff'"):
        library.resolve("ffffffffff")
    with pytest.raises(LibraryError, match="at least 4"):
        library.resolve("fb2")
    # A short prefix that is unique still resolves (scripts cut ids to 5 characters).
    other = paper_id("Some Other Paper")
    if not any(k.startswith(other[:5]) for k in (editing, plethora)):
        assert library.resolve(other[:5]) == other


def test_list_and_show_print_handles_in_tables_and_full_keys_in_json(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    from digestreader.cli.main import main

    library.import_digests([digest_of(EDITING, PLETHORA, "Some Other Paper")])
    root = str(library.root)
    assert main(["--library", root, "list"]) == 0
    table = capsys.readouterr().out
    heads = sorted(line.split()[0] for line in table.splitlines())
    assert heads == sorted(
        [paper_id(EDITING)[:9], paper_id(PLETHORA)[:9], paper_id("Some Other Paper")[:8]]
    )
    assert main(["--library", root, "show", paper_id(EDITING)[:9]]) == 0
    assert f"id:      {paper_id(EDITING)[:9]} " in capsys.readouterr().out
    assert main(["--library", root, "mark", paper_id(PLETHORA)]) == 0
    assert capsys.readouterr().out.strip().endswith(paper_id(PLETHORA)[:9])


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=30))
def test_n_distinct_normalized_titles_give_n_papers(titles: list[str]) -> None:
    distinct: dict[str, str] = {}
    for title in titles:
        if normalize_title(title):
            distinct.setdefault(normalize_title(title), title)
    papers: dict[int, dict[str, object]] = {}
    result = merge_digests(papers, {}, [digest_of(*distinct.values())], "now")
    assert result.new == len(papers) == len(distinct)
    assert {normalize_title(str(d["title"])) for d in papers.values()} == set(distinct)


def test_a_hand_edited_title_stops_an_import_with_one_line_and_writes_nothing(
    library: Library,
) -> None:
    library.import_digests([digest_of(EDITING, name="first")])
    corpus = orjson.loads(library.corpus_path.read_bytes())
    (doc,) = corpus["papers"].values()
    doc["title"] = PLETHORA  # stored under EDITING's key
    library.corpus_path.write_bytes(orjson.dumps(corpus))
    before = {p: p.read_bytes() for p in library.root.rglob("*.json")}
    with pytest.raises(LibraryError, match="two different papers have the key") as caught:
        Library(library.root).import_digests([digest_of(EDITING, "New Paper", name="second")])
    assert "\n" not in str(caught.value)
    assert {p: p.read_bytes() for p in library.root.rglob("*.json")} == before
