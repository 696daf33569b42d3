"""A paper from the daily papers JSON and its twin from a text page are one paper, in either
order; upvotes keep their history per day; a day imported again updates, never duplicates;
an arXiv id works wherever an id does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from digestreader.export.jsonio import to_json
from digestreader.ingest.hf import parse_hf_bytes
from digestreader.ingest.parser import parse_text
from digestreader.ingest.service import ingest, ingest_digests
from digestreader.ingest.sources import load_inputs, parse_sources
from digestreader.library import Library, LibraryError
from digestreader.models import paper_id
from digestreader.render import paper_details
from tests.hf_data import DAY_15, DAY_16, SAMPLE_000, SAMPLE_001, dump, items

ILLUSION = "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs"
SINKHORN = "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations"


def _import(library: Library, *paths: object) -> None:
    ingest_digests(library, list(load_inputs([str(p) for p in paths]).stream()))


@pytest.mark.parametrize("json_first", [True, False], ids=["json-then-text", "text-then-json"])
def test_the_text_twin_gains_metadata_and_keeps_marks(library: Library, json_first: bool) -> None:
    order = [DAY_16, SAMPLE_000] if json_first else [SAMPLE_000, DAY_16]
    _import(library, order[0])
    pid = paper_id(ILLUSION)
    library.set_marked([pid])
    library.set_note(pid, "cite this")
    _import(library, order[1])
    view = library.get(pid)
    paper = view.paper
    assert paper.arxiv_id == "2604.16044"
    assert paper.authors is not None
    assert paper.authors[0] == "Akshit Sinha"
    assert paper.upvotes == 88
    assert paper.url == "https://huggingface.co/papers/2604.16044"
    assert paper.published == "2026-04-15"
    assert {s.digest for s in paper.sources} == {"hf-2026-04-16", "000_a3d00944093853a5"}
    assert view.state.marked
    assert view.state.note == "cite this"
    assert sum(p.title.casefold() == ILLUSION.casefold() for p in library.papers()) == 1
    as_json = view.to_dict()
    assert as_json["arxiv_id"] == "2604.16044"
    assert as_json["authors"][:2] == ["Akshit Sinha", "Arvindh Arun"]
    assert (as_json["url"], as_json["upvotes"]) == (paper.url, 88)


def test_upvotes_keep_their_history_per_day(library: Library) -> None:
    _import(library, DAY_16, DAY_15)  # an older day imported later does not win
    paper = library.get(paper_id(SINKHORN)).paper
    by_day = {s.digest: (s.date, s.position, s.upvotes) for s in paper.sources}
    assert by_day == {
        "hf-2026-04-15": ("2026-04-15", 1, 31),
        "hf-2026-04-16": ("2026-04-16", 3, 45),
    }
    assert paper.upvotes == 45


def test_a_day_imported_again_updates_upvotes_and_adds_nothing_twice(library: Library) -> None:
    _import(library, DAY_16)
    again = library.import_digests([("hf-2026-04-16", parse_hf_bytes(DAY_16.read_bytes(), "x"))])
    assert (again.new, again.updated, again.duplicate, again.known_digests) == (0, 0, 4, 1)
    data = items(DAY_16)
    data[0]["paper"]["upvotes"] = 120
    result = library.import_digests([("hf-2026-04-16", parse_hf_bytes(dump(data), "later"))])
    assert (result.new, result.updated, result.duplicate, result.digests) == (0, 1, 3, 0)
    paper = library.get("2604.16044").paper
    assert paper.upvotes == 120
    assert [(s.digest, s.upvotes) for s in paper.sources] == [("hf-2026-04-16", 120)]
    assert [d["name"] for d in library.digests()] == ["hf-2026-04-16"]
    assert library.stats()["entries"] == 4


def test_a_text_page_named_like_a_day_is_not_replaced(library: Library) -> None:
    _import(library, SAMPLE_001)
    text = parse_sources([str(SAMPLE_000)])[0][1]
    library.import_digests([("hf-2026-04-16", text)])
    library.import_digests([("hf-2026-04-16", parse_hf_bytes(DAY_16.read_bytes(), "x"))])
    names = [d["name"] for d in library.digests()]
    assert len(names) == 3
    assert names[1] == "hf-2026-04-16"
    assert names[2].startswith("hf-2026-04-16-")


def test_a_text_page_after_the_json_erases_nothing(library: Library) -> None:
    _import(library, DAY_15, SAMPLE_001)
    for paper in library.papers()[:3]:
        assert paper.arxiv_id
        assert paper.authors
        assert paper.upvotes is not None


@pytest.mark.parametrize("form", ["2604.16044", "2604.16044v2", " 2604.16044v11 "])
def test_an_arxiv_id_works_wherever_an_id_does(library: Library, form: str) -> None:
    _import(library, DAY_16)
    assert library.resolve(form) == paper_id(ILLUSION)
    assert library.get(form).paper.title == ILLUSION
    assert library.set_marked([form]) == [paper_id(ILLUSION)]


def test_an_unknown_arxiv_id_is_an_unknown_id(library: Library) -> None:
    _import(library, DAY_16)
    with pytest.raises(LibraryError, match=re.escape("no paper with id '2604.99999'")):
        library.resolve("2604.99999")


def test_a_retitled_paper_is_found_by_its_arxiv_id(library: Library) -> None:
    _import(library, DAY_16)
    data = items(DAY_16)[:1]
    data[0]["paper"]["title"] = "Illusion of Diminishing Returns (v2 title)"
    data[0]["publishedAt"] = "2026-04-17T01:00:00.000Z"
    result = library.import_digests([("hf-2026-04-17", parse_hf_bytes(dump(data), "x"))])
    assert (result.new, result.updated) == (0, 1)
    assert len(library.get("2604.16044").paper.sources) == 2


def test_show_prints_authors_arxiv_id_and_upvotes_per_day(library: Library) -> None:
    _import(library, DAY_15, DAY_16)
    text = paper_details(library.get("2604.15011"), width=60)
    assert "authors: Xun Tang, Michael Shavlovsky, Holakou Rahmanian," in text
    assert "\n         Elisa Tardini," in text
    assert "arXiv:   2604.15011  (45 upvotes)" in text
    assert "seen in: hf-2026-04-15  2026-04-15  #1  31 upvotes" in text
    assert "seen in: hf-2026-04-16  2026-04-16  #3  45 upvotes" in text


def test_a_json_backup_keeps_metadata_and_upvote_history(library: Library, tmp_path: Path) -> None:
    _import(library, DAY_15, DAY_16)
    backup = tmp_path / "backup.json"
    backup.write_text(to_json(library.papers_with_state()))
    moved = Library(tmp_path / "moved")
    ingest(moved, load_inputs([str(backup)]))
    paper = moved.get("2604.15011").paper
    assert paper == library.get("2604.15011").paper
    assert [s.upvotes for s in paper.sources] == [31, 45]
    assert paper.published == "2026-04-14"


def test_a_title_twice_on_one_text_page_is_still_two_sightings(library: Library) -> None:
    text = "A Twice Seen Paper\nFirst abstract here.\nA Twice Seen Paper\nSecond abstract.\n"
    library.import_digests([("twice", parse_text(text, "twice.txt"))])
    assert [s.position for s in library.get(paper_id("A Twice Seen Paper")).paper.sources] == [1, 2]
