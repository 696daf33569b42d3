"""Restoring a JSON export: it is untrusted input, validated and cleaned like a digest."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from digestreader.cli.main import main
from digestreader.export import export
from digestreader.export.jsonio import ExportFormatError, from_json
from digestreader.library import Library
from digestreader.models import paper_id

STAMP = "2026-01-02T00:00:00+00:00"


def item(title: object = "A Good Paper", **fields: Any) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "id": paper_id(title) if isinstance(title, str) else "0123abcd",
        "title": title,
        "abstract": "Abstract.",
        "sources": [{"digest": "d", "date": "Apr 1", "position": 1}],
        "first_seen": STAMP,
        "state": {"marked": True, "read": False, "note": "", "marked_at": STAMP},
    }
    return doc | fields


def backup(*items: object, **top: Any) -> bytes:
    document = {"format": "digestreader-export", "version": 1, "papers": list(items)} | top
    return orjson.dumps(document)


def error_of(data: bytes) -> str:
    with pytest.raises(ExportFormatError) as caught:
        from_json(data, "backup.json")
    return str(caught.value)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (item(12345), "item 3: title must be a string"),
        (item(None), "item 3: title must be a string"),
        (item("\x1b\u200b \u2066\x07"), "item 3: title is empty"),
        (item(id="not-hex!"), "item 3: id must be 16 (or, from old exports, 8) hex digits"),
        (item(id="0123ABCDEF"), "item 3: id must be 16 (or, from old exports, 8) hex digits"),
        ("a paper", "item 3: must be an object"),
        (item(abstract=["x"]), "item 3: abstract must be a string"),
        (item(sources={"digest": "d"}), "item 3: sources must be a list"),
        (item(sources=[{"digest": 1, "position": 1}]), "item 3: sources[1].digest must be"),
        (item(sources=[{"digest": "d", "position": 0}]), "item 3: sources[1].position must be"),
        (item(sources=[{"digest": "d", "position": True}]), "item 3: sources[1].position"),
        (item(authors="Ann"), "item 3: authors must be a list of strings or null"),
        (item(upvotes="many"), "item 3: upvotes must be an integer or null"),
        (item(state=[]), "item 3: state must be an object"),
        (item(state={"marked": "yes"}), "item 3: state.marked must be true or false"),
        (item(state={"note": 5}), "item 3: state.note must be a string"),
        (item(state={"note_at": 5}), "item 3: state.note_at must be an ISO 8601 time or null"),
        (item(state={"read_at": "zzz"}), "item 3: state.read_at must be an ISO 8601 time"),
    ],
)
def test_a_bad_item_is_one_line_naming_the_file_and_the_item(bad: object, message: str) -> None:
    error = error_of(backup(item("First"), item("Second"), bad))
    assert error.startswith(f"backup.json: {message}"), error
    assert "\n" not in error


def test_papers_must_be_a_list() -> None:
    assert error_of(backup(papers={"a": 1})) == "backup.json: papers must be a list"


def test_text_is_cleaned_and_only_web_urls_are_kept() -> None:
    hostile = item(
        "Title\x1b]0;pwned\x07 here\u2028now",
        abstract="First\x1b]52;c;aGk=\x07 part.\n\nSecond \x1b]8;;http://x\x07link\x1b]8;;\x07.",
        sources=[{"digest": "\x1b[41mred\u009b", "date": "Apr\x1b 1", "position": 2}],
        authors=["Ann\u202e Lee"],
        url="javascript:alert(1)",
        state={"marked": True, "note": "keep\nthis\x1b[2J", "note_at": STAMP},
    )
    urls = [
        "http://x> <script>alert(1)</script>",
        "https://arxiv.org/abs/2401.00001",
        "HTTP://example.org/a?b=c#d",
        "ftp://example.org/",
        "https:///no-host",
        'https://example.org/"onmouseover=x',
        "https://example.org/caf\u00e9",
    ]
    items = [hostile] + [item(f"Url Paper {n}", url=u) for n, u in enumerate(urls)]
    restored = from_json(backup(*items), "backup.json")
    paper, state = restored[0]
    assert paper.title == "Title]0;pwned here now"
    assert paper.abstract == "First]52;c;aGk= part.\n\nSecond ]8;;http://xlink]8;;."
    assert (paper.sources[0].digest, paper.sources[0].date) == ("[41mred", "Apr 1")
    assert paper.authors == ("Ann Lee",)
    assert paper.url is None
    assert state.note == "keep\nthis[2J"
    assert [p.url for p, _ in restored[1:]] == [
        None,
        "https://arxiv.org/abs/2401.00001",
        "HTTP://example.org/a?b=c#d",
        None,
        None,
        None,
        "https://example.org/caf%C3%A9",
    ]


def test_a_bad_backup_writes_nothing_and_prints_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    good = tmp_path / "good.json"
    good.write_bytes(backup(item("Kept Paper")))
    assert main(["--library", str(lib), "import", str(good)]) == 0
    before = {p: p.read_bytes() for p in lib.rglob("*") if p.is_file()}
    bad = tmp_path / "backup.json"
    bad.write_bytes(backup(item("New One"), item("New Two", id="nothex!!"), item(12345)))
    capsys.readouterr()
    assert main(["--library", str(lib), "import", str(good), str(bad)]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    wrong_id = "item 2: id must be 16 (or, from old exports, 8) hex digits"
    assert err == f"digestreader: error: {bad}: {wrong_id}\n"
    assert {p: p.read_bytes() for p in lib.rglob("*") if p.is_file()} == before


def test_a_restored_hostile_backup_lists_shows_and_exports(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lib = tmp_path / "lib"
    path = tmp_path / "backup.json"
    path.write_bytes(
        backup(item("Odd\x1b]8;;javascript:x\x07 Paper", url="http://x> <script>alert(1)</script>"))
    )
    assert main(["--library", str(lib), "import", str(path)]) == 0
    pid = Library(lib).papers_with_state()[0].paper.id
    for args in (["list"], ["show", pid], ["export", "--all", "-f", "markdown"]):
        assert main(["--library", str(lib), *args]) == 0
        out, _ = capsys.readouterr()
        assert "\x1b" not in out
        assert "<script>" not in out
        assert "<javascript" not in out
        assert "(javascript" not in out
    again = export(Library(lib).papers_with_state(), "json").encode()
    assert from_json(again, "again.json")[0][0].title == "Odd]8;;javascript:x Paper"


def test_an_old_export_with_8_digit_ids_restores_by_title(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    old = tmp_path / "old.json"
    title = "A Paper From An Old Backup"
    old.write_bytes(
        backup(item(title, id=paper_id(title)[:8], state={"note": "kept", "note_at": STAMP}))
    )
    assert main(["--library", str(lib), "import", str(old)]) == 0
    view = Library(lib).get(paper_id(title)[:8])
    assert view.paper.id == paper_id(title)
    assert view.state.note == "kept"
    # Restoring it again, or its new-format export, changes nothing: one paper, not two.
    new = tmp_path / "new.json"
    new.write_bytes(export(Library(lib).papers_with_state(), "json").encode())
    assert orjson.loads(new.read_bytes())["papers"][0]["id"] == paper_id(title)
    assert main(["--library", str(lib), "import", str(old), str(new)]) == 0
    assert Library(lib).stats()["papers"] == 1


def test_a_full_key_that_does_not_match_the_title_is_refused() -> None:
    wrong = paper_id("Another Paper Entirely")
    assert "item 3: id does not match the title" in error_of(
        backup(item("One"), item("Two"), item("A Good Paper", id=wrong))
    )
