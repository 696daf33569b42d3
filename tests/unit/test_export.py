"""Every export format on hostile text, parsed back by real readers of that format."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import bibtexparser
import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from digestreader.export import export
from digestreader.export.bibtex import cite_key
from digestreader.export.jsonio import from_json
from digestreader.library import Library
from digestreader.models import Paper, PaperWithState, Sighting, UserState, paper_id
from digestreader.sanitize import clean_line, clean_note

HOSTILE = [
    '=HYPERLINK("http://evil")',
    "+1 -1 @SUM(A1) {unbalanced",
    "100% of \\LaTeX $x_1^2$ & #tags ~ }{",
    "Line\nbreak\r\nand\ttab",
    "[CLS] *bold* _under_ `code` # heading",
]


def view(title: str, note: str = "", marked: bool = True) -> PaperWithState:
    paper = Paper(
        paper_id(title),
        title,
        f"Abstract of {title}.",
        (Sighting("d", "Apr 1", 1),),
        "2026-01-01T00:00:00+00:00",
    )
    stamp = "2026-01-02T00:00:00+00:00"
    return PaperWithState(
        paper,
        UserState(marked, False, note, stamp if marked else None, None, stamp if note else None),
    )


VIEWS = [view(t, note=t) for t in HOSTILE]


def test_bibtex_loads_in_a_real_parser_with_unique_keys() -> None:
    library = bibtexparser.parse_string(export(VIEWS, "bibtex"))
    assert not library.failed_blocks
    keys = [e.key for e in library.entries]
    assert len(keys) == len(set(keys)) == len(HOSTILE)
    for entry in library.entries:
        title = entry.fields_dict["title"].value
        assert title.count("{") - title.count("\\{") == title.count("}") - title.count("\\}")
    assert library.entries[0].fields_dict["note"].value.startswith("=HYPERLINK")
    assert "\\%" in library.entries[2].fields_dict["title"].value


def test_csv_round_trips_and_neutralizes_formulas() -> None:
    text = export(VIEWS, "csv")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))
    assert list(rows[0]) == [
        *("id", "title", "abstract", "marked", "read", "note", "digests", "url"),
        *("authors", "arxiv_id", "pdf", "upvotes"),  # appended: the first eight keep their place
    ]
    assert rows[0]["title"] == "'" + HOSTILE[0]
    assert rows[1]["title"] == "'" + HOSTILE[1]
    assert rows[3]["title"] == HOSTILE[3].replace("\r\n", "\n")  # line ends as a note's
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_markdown_escapes_titles_and_quotes_notes() -> None:
    text = export(VIEWS, "markdown")
    # A "#" inside a line is no heading marker, so it is left alone.
    assert "## \\[CLS\\] \\*bold\\* \\_under\\_ \\`code\\` # heading" in text
    assert text.count("\n## ") + text.startswith("## ") == len(HOSTILE)
    assert "> Line" in text


def test_ris_has_one_record_per_paper_with_single_line_fields() -> None:
    text = export(VIEWS, "ris")
    assert text.count("TY  - ") == text.count("ER  - ") == len(HOSTILE)
    assert "TI  - Line break and tab" in text
    assert "N1  - Line break and tab" in text


def test_empty_selection_gives_valid_empty_files() -> None:
    assert bibtexparser.parse_string(export([], "bibtex")).entries == []
    assert list(csv.DictReader(io.StringIO(export([], "csv").removeprefix("\ufeff")))) == []
    assert orjson.loads(export([], "json"))["papers"] == []


# What a library holds: text as the parser and the note editor leave it (a restore cleans too).
titles = st.text(min_size=1, max_size=40).map(clean_line).filter(bool)
notes = st.text(max_size=30).map(clean_note)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.tuples(titles, notes, st.booleans()),
        min_size=1,
        max_size=8,
        unique_by=lambda t: paper_id(t[0]),
    )
)
def test_json_export_then_import_restores_marks_and_notes(
    tmp_path_factory: object, papers: list[tuple[str, str, bool]]
) -> None:
    views = [view(t, note=n, marked=m) for t, n, m in papers]
    data = export(views, "json").encode()
    target = Library(Path(str(tmp_path_factory.mktemp("restore"))))  # type: ignore[attr-defined]
    target.restore(from_json(data, "x.json"))
    for v in views:
        got = target.get(v.paper.id)
        assert (got.state.marked, got.state.note) == (v.state.marked, v.state.note)
        assert got.paper.title == v.paper.title
    before = [
        p.read_bytes() if p.exists() else None for p in (target.corpus_path, target.state_path)
    ]
    second = target.restore(from_json(data, "x.json"))
    assert (second.updated, second.restored) == (0, 0)
    after = [
        p.read_bytes() if p.exists() else None for p in (target.corpus_path, target.state_path)
    ]
    assert after == before


BRACES = [
    "{{{",
    "{Unbalanced",
    "\\{",
    "}}} closing first",
    "a}b{c\\",
    "\\}\\{ {\\} back{\\slash",
    "%{ comment-like",
    "@misc{evil, title={x}}",
    "}\n@misc{injected,\n title = {pwned}\n}",
    "$x^2$ & #1 ~ _",
]


def bibtex_entries(text: str) -> list[str]:
    """Entries as BibTeX itself delimits them: ``@type{``, then braces counted naively to the
    closing one. BibTeX has no escape for braces, so ``\\{`` counts like ``{``."""
    entries, i = [], 0
    while (at := text.find("@", i)) != -1:
        start = text.index("{", at)
        depth, j = 0, start
        for j in range(start, len(text)):
            depth += {"{": 1, "}": -1}.get(text[j], 0)
            if depth == 0:
                break
        assert depth == 0, f"entry at {at} never closes"
        entries.append(text[at : j + 1])
        i = j + 1
    return entries


def latex_text(value: str) -> str:
    """What LaTeX prints for a field value (pylatexenc, taught the textcomp brace macros)."""
    specials = [
        MacroTextSpec("textbraceleft", "{"),
        MacroTextSpec("textbraceright", "}"),
        MacroTextSpec("textasciicircum", "^"),
    ]
    db = get_default_latex_context_db()
    db.add_context_category("braces", macros=specials, prepend=True)
    return str(LatexNodes2Text(latex_context=db).latex_to_text(value))


def test_braces_are_balanced_as_bibtex_counts_them_and_no_entry_vanishes() -> None:
    views = [view(f"Brace {n} {t}", note=t) for n, t in enumerate(BRACES)] + [
        view("Last One", "fine")
    ]
    text = export(views, "bibtex")
    raw = bibtex_entries(text)
    assert [e.split(",", 1)[0] for e in raw] == [f"@misc{{{cite_key(v)}" for v in views]
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks
    assert [e.key for e in library.entries] == [cite_key(v) for v in views]
    for entry, v in zip(library.entries, views, strict=True):
        for field in entry.fields:
            assert bibtex_entries(f"@x{{{field.value}}}") == [f"@x{{{field.value}}}"], field
        assert latex_text(entry.fields_dict["title"].value) == " ".join(v.paper.title.split())
        assert latex_text(entry.fields_dict["note"].value) == " ".join(v.state.note.split())


def test_exports_drop_controls_a_library_from_before_the_sanitizer_may_hold() -> None:
    old = view("Old\x1b]0;title\x07 Paper\u2028here", note="note\x1b[2J\x9b1m")
    for fmt in ("bibtex", "markdown", "csv", "ris"):
        text = export([old], fmt)
        assert not {"\x1b", "\x07", "\x9b", "\u2028"} & set(text), fmt


def test_bibtex_keys_keep_8_digits_and_grow_only_where_two_papers_would_share_one() -> None:
    # The colliding pair of test_identity, both retitled to start with the same word.
    first = view(
        "Editing21123: Dropout Q-Functions for Doubly Efficient Reinforcement Learning foundations"
    )
    second = view(
        "Plethora7268: Instruction Fusion: Advancing Prompt Evolution through Hybridization Tuning"
    )
    second = PaperWithState(
        Paper(second.paper.id, "Editing21123 " + second.paper.title, "", (), ""), second.state
    )
    plain = view("Attention Is All You Need")
    library = bibtexparser.parse_string(export([first, second, plain], "bibtex"))
    keys = [e.key for e in library.entries]
    assert keys == [
        "editing21123_fb29ee492",
        "editing21123_fb29ee49d",
        f"attention_{plain.paper.id[:8]}",
    ]
    assert cite_key(plain) == f"attention_{plain.paper.id[:8]}"


def test_the_cli_offers_every_export_format() -> None:
    """The CLI names the formats without importing the exporters (a cold `mark` skips them)."""
    from digestreader.cli.main import EXPORT_FORMATS
    from digestreader.export import EXTENSIONS

    assert tuple(sorted(EXTENSIONS)) == EXPORT_FORMATS
