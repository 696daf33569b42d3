"""Exports people can cite: papers from the daily papers JSON carry authors, year, month,
arXiv eprint and DOI, author-year-word keys, and parse back in real readers of each format,
whatever their text holds. Papers without metadata keep the output they had."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import bibtexparser
import pytest
from markdown_it import MarkdownIt

from digestreader.export import export
from digestreader.export.bibtex import entry
from digestreader.export.cite import last_first, unique_keys
from digestreader.ingest.service import ingest_digests
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from digestreader.models import Paper, PaperWithState, Sighting, paper_id
from tests.hf_data import DAY_15, DAY_16
from tests.payloads import BIBTEX, MARKUP, TERMINAL, bibtex_depth_ok

FIRST = "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs"


@pytest.fixture
def views(library: Library) -> list[PaperWithState]:
    ingest_digests(library, load_inputs([str(DAY_15), str(DAY_16)]).digests)
    return library.papers_with_state()


def cited(title: str, authors: tuple[str, ...], arxiv_id: str = "2604.16044") -> PaperWithState:
    paper = Paper(
        paper_id(title),
        title,
        f"About {title}.",
        (Sighting("hf-2026-04-16", "2026-04-16", 1, 3),),
        "2026-04-16T00:00:00+00:00",
        authors=authors,
        arxiv_id=arxiv_id,
        url=f"https://huggingface.co/papers/{arxiv_id}",
        upvotes=3,
        published="2026-04-15",
    )
    return PaperWithState(paper)


def test_a_bibtex_entry_has_what_a_citation_needs(views: list[PaperWithState]) -> None:
    parsed = bibtexparser.parse_string(export(views, "bibtex"))
    assert not parsed.failed_blocks
    first = next(e for e in parsed.entries if "Illusion" in e.fields_dict["title"].value)
    assert first.entry_type == "article"
    assert first.key == "sinha2026illusion"
    fields = {name: f.value for name, f in first.fields_dict.items()}
    assert fields["author"] == (
        "Sinha, Akshit and Arun, Arvindh and Goel, Shashwat and Staab, Steffen and Geiping, Jonas"
    )
    assert (fields["year"], fields["month"]) == ("2026", "apr")
    assert (fields["eprint"], fields["archivePrefix"]) == ("2604.16044", "arXiv")
    assert fields["url"] == "https://huggingface.co/papers/2604.16044"
    assert len({e.key for e in parsed.entries}) == len(views) == 6


def test_keys_are_author_year_word_and_unique_with_letters() -> None:
    one = cited("Elucidating the Design Space of Sinkhorn Solvers", ("Jiahao Yu", "Liang Zhou"))
    two = cited("Elucidating Sparse Newton Steps", ("Jiahao Yu",), "2604.15230")
    other = cited("On Learnable Monoids", ("Euan Ong",), "2604.16107")
    text = export([one, other, two], "bibtex")
    parsed = bibtexparser.parse_string(text)
    assert [e.key for e in parsed.entries] == [
        "yu2026elucidatinga",
        "ong2026learnable",
        "yu2026elucidatingb",
    ]
    assert unique_keys(["k"] * 28)[-2:] == ["kaa", "kbb"]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Jiahao Yu", "Yu, Jiahao"),
        ("Kiran Koshy Thekumparampil", "Thekumparampil, Kiran Koshy"),
        ("Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Plato", "Plato"),
        ("Yu, Jiahao", "Yu, Jiahao"),
    ],
)
def test_authors_are_written_last_first(name: str, expected: str) -> None:
    assert last_first(name) == expected


HOSTILE = [*BIBTEX, *MARKUP, *TERMINAL[:6], "{Unbalanced", "Unbalanced}", "\\{ and \\}", "and"]


def test_hostile_titles_and_authors_parse_with_braces_bibtex_depth_ok() -> None:
    views = [
        cited(f"{text} title {n}", (f"{text} Author", "Ann and Bob", "Zed Zee"), f"2604.{n:05d}")
        for n, text in enumerate(HOSTILE)
    ]
    text = export(views, "bibtex")
    parsed = bibtexparser.parse_string(text)
    assert not parsed.failed_blocks
    assert len(parsed.entries) == len(views)
    assert len({e.key for e in parsed.entries}) == len(views)
    for parsed_entry in parsed.entries:
        for field in parsed_entry.fields:
            assert bibtex_depth_ok(field.value), (parsed_entry.key, field.key, field.value)
        assert parsed_entry.fields_dict["url"].value.startswith("https://huggingface.co/papers/")
        authors = parsed_entry.fields_dict["author"].value
        assert authors.endswith(" and {Bob, Ann and} and Zee, Zed")  # one name, not two


def test_a_paper_without_metadata_keeps_its_entry() -> None:
    plain = PaperWithState(
        Paper("f92fbe9c", "The F Paper", "Text 100%.", (Sighting("d", None, 1),), "2026")
    )
    assert entry(plain) == (
        "@misc{the_f92fbe9c,\n"
        "  title = {The F Paper},\n"
        "  abstract = {Text 100\\%.},\n"
        "  url = {https://arxiv.org/search/?searchtype=title\\&query=The+F+Paper}\n"
        "}\n"
    )


def test_ris_has_authors_year_doi_and_links(views: list[PaperWithState]) -> None:
    text = export(views, "ris")
    record = next(r for r in text.split("ER  - ") if "Illusion" in r)
    lines = record.strip().splitlines()
    assert lines[:4] == [
        "TY  - JOUR",
        f"TI  - {FIRST}",
        "AU  - Sinha, Akshit",
        "AU  - Arun, Arvindh",
    ]
    for line in (
        "PY  - 2026",
        "DA  - 2026/04",
        "DO  - 10.48550/arXiv.2604.16044",
        "UR  - https://huggingface.co/papers/2604.16044",
        "L1  - https://arxiv.org/pdf/2604.16044",
    ):
        assert line in lines


def test_csv_and_markdown_have_authors_and_links(views: list[PaperWithState]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(views, "csv").removeprefix("\ufeff"))))
    row = next(r for r in rows if r["title"] == FIRST)
    assert row["authors"].startswith("Akshit Sinha; Arvindh Arun; ")
    assert (row["arxiv_id"], row["upvotes"]) == ("2604.16044", "88")
    assert row["pdf"] == "https://arxiv.org/pdf/2604.16044"
    assert row["url"] == "https://huggingface.co/papers/2604.16044"
    markdown = export(views, "markdown")
    html = MarkdownIt("commonmark").render(markdown)
    assert (
        '<p><a href="https://arxiv.org/pdf/2604.16044">https://arxiv.org/pdf/2604.16044</a></p>'
        in html
    )
    assert "<p>Akshit Sinha, Arvindh Arun, Shashwat Goel, Steffen Staab, Jonas Geiping</p>" in html


def test_year_comes_from_the_arxiv_id_when_no_date_is_known() -> None:
    view = cited("Old Paper", ("A Person",), "2312.01234")
    view = PaperWithState(replace(view.paper, published=None))
    fields = bibtexparser.parse_string(entry(view)).entries[0].fields_dict
    assert (fields["year"].value, fields["month"].value) == ("2023", "dec")
