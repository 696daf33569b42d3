"""Every hostile payload through every way text enters (a digest page, a JSON restore, a note,
a file name) and out through every exit (show, list, the reader's detail pane and each export,
each export read back by its own parser). Nothing a terminal acts on may survive, and no
paper may be lost or invented on the way."""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from pathlib import Path

import bibtexparser
import orjson
import pytest
from markdown_it import MarkdownIt

from digestreader.cli.main import main
from digestreader.export import FORMATS, export
from digestreader.export.cite import pdf_url
from digestreader.export.jsonio import from_json
from digestreader.export.links import paper_url
from digestreader.ingest.parser import is_prose
from digestreader.library import Library
from digestreader.models import PaperWithState, paper_id
from digestreader.render import paper_details, paper_table
from digestreader.sanitize import clean_line
from digestreader.search import parse_query
from digestreader.ui.widgets.detail import detail_content
from tests.payloads import FORBIDDEN_CATEGORIES, PAYLOADS, SURROGATES, bibtex_depth_ok

STAMP = "2026-01-02T00:00:00+00:00"
RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  - (.*)$")
ALLOWED_MARKDOWN = {
    *(
        f"{kind}_{edge}"
        for kind in ("heading", "paragraph", "blockquote")
        for edge in ("open", "close")
    ),
    "inline",
    "text",
    "softbreak",
    "link_open",
    "link_close",
}


def forbidden(text: str, allowed: str = "\n") -> list[str]:
    """The characters of ``text`` a terminal could act on (beyond the format's own)."""
    return sorted(
        {f"U+{ord(c):04X}" for c in text if unicodedata.category(c) in FORBIDDEN_CATEGORIES}
        - {f"U+{ord(c):04X}" for c in allowed}
    )


def one_line(payload: str) -> str:
    return " ".join(payload.splitlines())


def digest_page(payloads: list[str]) -> tuple[str, int]:
    """A digest page with one paper per payload: in the title where a title line can hold it,
    always in the abstract. Returns the page and its number of papers."""
    lines = ["Subscribe", "Apr 1"]
    for n, payload in enumerate(payloads):
        title = f"Payload {n:03d} {one_line(payload)}"
        if is_prose(clean_line(title)):  # a title line it cannot be: only the abstract holds it
            title = f"Payload {n:03d}"
        lines += [title, f"Abstract {n}: {one_line(payload)}"]
    return "\n".join(lines) + "\n", len(payloads)


def backup(payloads: list[str]) -> bytes:
    """A JSON export with a payload in every text field, and in the url."""
    papers = []
    for n, payload in enumerate(payloads):
        title = f"Restored {n:03d} {payload}"
        papers.append(
            {
                "id": paper_id(clean_line(title)),
                "title": title,
                "abstract": f"{payload}\n\n{payload}",
                "sources": [{"digest": f"b{n} {payload}", "date": payload, "position": n + 1}],
                "first_seen": STAMP,
                "authors": [payload, "Ann Lee"],
                "arxiv_id": payload,
                "url": payload,
                "state": {"marked": True, "note": payload, "note_at": STAMP},
            }
        )
    document = {"format": "digestreader-export", "version": 1, "papers": papers}
    return orjson.dumps(document)


# A digest page is text: the parser refuses a NUL byte (binary data) and bytes that are not
# UTF-8 with a one-line error, so these reach the library by the other channels only.
NOT_IN_PAGES = [p for p in PAYLOADS if "\x00" in p or p in SURROGATES]
IN_PAGES = [p for p in PAYLOADS if p not in NOT_IN_PAGES]
# JSON cannot hold a lone surrogate (orjson refuses one), so a backup never carries them.
IN_BACKUPS = [p for p in PAYLOADS if p not in SURROGATES]


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """A library filled with every payload through a digest page, a restore and notes."""
    root = tmp_path_factory.mktemp("payloads")
    lib = root / "lib"
    for payload in NOT_IN_PAGES:
        page, _ = digest_page([payload])
        (root / "refused.txt").write_text(page, encoding="utf-8", errors="surrogatepass")
        assert main(["--library", str(lib), "import", str(root / "refused.txt")]) == 1
    assert not lib.exists()
    page, _ = digest_page(IN_PAGES)
    (root / "page.txt").write_text(page, encoding="utf-8")
    (root / "backup.json").write_bytes(backup(IN_BACKUPS))
    files = [str(root / "page.txt"), str(root / "backup.json")]
    assert main(["--library", str(lib), "import", *files]) == 0
    library = Library(lib)
    digest_ids = sorted(
        v.paper.id for v in library.papers_with_state() if v.paper.title.startswith("Pay")
    )
    notes = {pid: Library.note_fields(p) for pid, p in zip(digest_ids, PAYLOADS, strict=False)}
    library.update_states(notes)
    return library


def test_no_paper_is_lost_or_invented(library: Library) -> None:
    titles = [v.paper.title for v in library.papers_with_state()]
    assert sum(t.startswith("Payload ") for t in titles) == len(IN_PAGES)
    assert sum(t.startswith("Restored ") for t in titles) == len(IN_BACKUPS)
    assert len(titles) == len(IN_PAGES) + len(IN_BACKUPS)
    assert sum(bool(v.state.note) for v in library.papers_with_state()) == len(titles)


def test_nothing_stored_can_drive_a_terminal(library: Library) -> None:
    for view in library.papers_with_state():
        stored = orjson.dumps(view.to_dict()).decode()
        for text in (view.paper.title, view.paper.abstract, view.state.note, stored):
            assert forbidden(text, allowed="\n\t") == [], view.paper.title[:40]
        assert view.paper.url is None or view.paper.url.startswith(("http://", "https://"))


def test_show_list_and_the_reader_print_no_controls(
    library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    views = library.papers_with_state()
    assert forbidden(paper_table(views), allowed="\n\t") == []
    for view in views:
        assert forbidden(paper_details(view), allowed="\n\t") == []
        assert forbidden(str(detail_content(view, parse_query(""))), allowed="\n\t") == []
    for args in (["list"], ["list", "--json"], ["show", views[0].paper.id], ["stats"]):
        assert main(["--library", str(library.root), *args]) == 0
        out, err = capsys.readouterr()
        assert forbidden(out + err, allowed="\n\t") == []


@pytest.fixture(scope="module")
def exports(library: Library) -> dict[str, str]:
    views = library.papers_with_state()
    return {fmt: export(views, fmt) for fmt in FORMATS}


def test_every_export_is_free_of_controls(exports: dict[str, str]) -> None:
    for fmt, text in exports.items():
        assert forbidden(text.removeprefix("\ufeff"), allowed="\n\r\t") == [], fmt


def test_bibtex_parses_every_entry(library: Library, exports: dict[str, str]) -> None:
    parsed = bibtexparser.parse_string(exports["bibtex"])
    assert not parsed.failed_blocks
    assert len(parsed.entries) == len(library.papers_with_state())
    for entry in parsed.entries:
        assert all(bibtex_depth_ok(f.value) for f in entry.fields), entry.key


def test_csv_has_one_row_per_paper_and_no_formulas(
    library: Library, exports: dict[str, str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(exports["csv"].removeprefix("\ufeff"), newline="")))
    assert [r["id"] for r in rows] == [v.paper.id for v in library.papers_with_state()]
    for row in rows:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row.values())


def read_ris(text: str) -> list[dict[str, list[str]]]:
    """A minimal RIS reader: tag lines, records from TY to ER; anything else is an error."""
    records: list[dict[str, list[str]]] = []
    current: dict[str, list[str]] | None = None
    for line in text.split("\n"):
        if not line:
            continue
        match = RIS_LINE.match(line)
        assert match, f"not a RIS tag line: {line[:60]!r}"
        tag, value = match.groups()
        if tag == "TY":
            assert current is None
            current = {}
        assert current is not None
        current.setdefault(tag, []).append(value)
        if tag == "ER":
            records.append(current)
            current = None
    assert current is None
    return records


def test_ris_has_one_record_per_paper(library: Library, exports: dict[str, str]) -> None:
    records = read_ris(exports["ris"])
    assert [r["ID"] for r in records] == [[v.paper.id] for v in library.papers_with_state()]
    assert all(len(r["TY"]) == len(r["TI"]) == len(r["ER"]) == 1 for r in records)


def test_markdown_renders_no_html_and_only_our_links(
    library: Library, exports: dict[str, str]
) -> None:
    views: list[PaperWithState] = library.papers_with_state()
    tokens = MarkdownIt("commonmark").parse(exports["markdown"])
    inline = [c for t in tokens for c in (t.children or [])]
    assert {t.type for t in (*tokens, *inline)} <= ALLOWED_MARKDOWN
    assert sum(t.type == "heading_open" for t in tokens) == len(views)
    links = [str(t.attrs["href"]) for t in inline if t.type == "link_open"]
    pdfs = [[pdf] if (pdf := pdf_url(v.paper)) else [] for v in views]
    assert links == [
        link for v, pdf in zip(views, pdfs, strict=True) for link in [paper_url(v), *pdf]
    ]
    assert all(link.startswith(("http://", "https://")) for link in links)
    html = MarkdownIt("commonmark").render(exports["markdown"])
    assert "<script" not in html
    assert "<img" not in html


def test_json_export_restores_to_the_same_papers(library: Library, exports: dict[str, str]) -> None:
    restored = from_json(exports["json"].encode(), "again.json")
    assert [(p.id, p.title, s.note) for p, s in restored] == [
        (v.paper.id, v.paper.title, v.state.note) for v in library.papers_with_state()
    ]


def test_payload_file_names_import_and_show_clean(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "names"
    folder.mkdir()
    files = []
    for n, payload in enumerate(PAYLOADS):
        # A file name holds any byte but "/" and NUL; a lone U+D800 is no byte at all.
        text = payload.replace("/", "_").replace("\x00", "").replace("\ud800", "")
        raw = text.encode("utf-8", "surrogateescape")  # cut below, maybe inside a character
        name = os.fsencode(folder) + b"/" + f"{n:03d}".encode() + raw[:200] + b".txt"
        with open(name, "wb") as file:
            file.write(f"Named Paper {n}\nAbstract {n}.\n".encode())
        files.append(os.fsdecode(name))
    lib = tmp_path / "lib"
    assert main(["--library", str(lib), "import", *files]) == 0
    out, err = capsys.readouterr()
    n = len(PAYLOADS)
    assert out.startswith(f"{n} entries: {n} new papers, 0 repeat sightings of known papers, 0 ")
    assert forbidden(out + err) == []
    library = Library(lib)
    names = [d["name"] for d in library.digests()]
    assert len(set(names)) == len(PAYLOADS)
    assert all(forbidden(name, allowed="") == [] for name in names)
    for fmt in ("csv", "markdown", "ris", "bibtex"):
        assert main(["--library", str(lib), "export", "--all", "-f", fmt]) == 0
        out, _ = capsys.readouterr()
        assert forbidden(out.removeprefix("\ufeff"), allowed="\n\r\t") == [], fmt


def test_notes_from_the_command_line_with_surrogates(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    page = tmp_path / "page.txt"
    page.write_text("A Paper\nIts abstract.\n")
    lib = tmp_path / "lib"
    assert main(["--library", str(lib), "import", str(page)]) == 0
    pid = Library(lib).papers_with_state()[0].paper.id
    for payload in SURROGATES:
        assert main(["--library", str(lib), "note", pid, payload]) == 0
        note = Library(lib).get(pid).state.note
        assert forbidden(note) == []
        assert "\ufffd" in note
    capsys.readouterr()


def test_the_payload_set_is_large_and_distinct() -> None:
    assert len(PAYLOADS) >= 80
    assert len(set(PAYLOADS)) == len(PAYLOADS)
