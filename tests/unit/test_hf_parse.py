"""The daily papers JSON -> a digest: real-shaped items, JSON Lines, stdin, and every way an
item can be wrong (one line naming the file and the item, nothing written)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import orjson
import pytest

from digestreader.ingest.hf import looks_like_hf, parse_hf_bytes
from digestreader.ingest.parser import ParseError
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from tests.hf_data import DAY_15, DAY_16, dump, items


def test_a_day_becomes_a_digest_with_metadata() -> None:
    digest = parse_hf_bytes(DAY_16.read_bytes(), "day.json")
    assert (digest.source, digest.iso_date, digest.date) == ("hf", "2026-04-16", "2026-04-16")
    first = digest.entries[0]
    assert first.title.startswith("The Illusion of Diminishing Returns")
    assert first.arxiv_id == "2604.16044"
    assert first.authors is not None
    assert first.authors[:2] == ("Akshit Sinha", "Arvindh Arun")
    assert (first.upvotes, first.published, first.line) == (88, "2026-04-15", 1)
    assert first.abstract.startswith("Does continued scaling")
    assert [e.line for e in digest.entries] == [1, 2, 3, 4]


def test_json_lines_read_like_the_list() -> None:
    lines = b"\n".join(orjson.dumps(item) for item in items(DAY_16)) + b"\n"
    assert looks_like_hf(lines)
    assert parse_hf_bytes(lines, "day.jsonl") == parse_hf_bytes(DAY_16.read_bytes(), "x")


def test_same_papers_same_hash_new_upvotes_new_hash() -> None:
    data = items(DAY_16)
    before = parse_hf_bytes(dump(data), "a").content_hash
    assert parse_hf_bytes(dump(data), "b").content_hash == before
    data[0]["paper"]["upvotes"] += 1
    assert parse_hf_bytes(dump(data), "c").content_hash != before


def test_our_export_and_text_pages_are_not_taken_for_it() -> None:
    assert not looks_like_hf(b'{"format": "digestreader-export", "version": 1, "papers": []}')
    assert not looks_like_hf(b"new\nSubscribe\nA Title\nAn abstract.\n")
    assert looks_like_hf(b"\xef\xbb\xbf  [" + DAY_15.read_bytes()[1:])


def test_import_names_the_digest_by_its_day(tmp_path: Path) -> None:
    inputs = load_inputs([str(DAY_15)])
    assert [name for name, _ in inputs.digests] == ["hf-2026-04-15"]
    assert not inputs.exports


def test_stdin_is_recognised_too() -> None:
    inputs = load_inputs(["-"], stdin=io.BytesIO(DAY_16.read_bytes()))
    assert [name for name, _ in inputs.digests] == ["hf-2026-04-16"]


def _broken(edit: Any) -> bytes:
    data = items(DAY_16)
    edit(data)
    return dump(data)


BAD_ITEMS = [
    (lambda d: d[2]["paper"].pop("id"), "item 3: paper.id must be a string"),
    (lambda d: d[1]["paper"].update(id="../etc/passwd"), "item 2: paper.id is not an arXiv id"),
    (lambda d: d[0]["paper"].update(title=None) or d[0].pop("title"), "item 1: paper.title"),
    (lambda d: d[3].pop("paper"), "item 4: paper must be an object"),
    (lambda d: d[3]["paper"].update(upvotes="many"), "item 4: paper.upvotes must be a whole"),
    (lambda d: d[3]["paper"].update(upvotes=True), "item 4: paper.upvotes must be a whole"),
    (lambda d: d[1]["paper"].update(authors=[{"nom": "x"}]), "item 2: paper.authors[1].name"),
    (lambda d: d[1]["paper"].update(authors="A. Person"), "item 2: paper.authors must be a"),
    (lambda d: d[0].update(publishedAt="yesterday"), "item 1: publishedAt must be an ISO"),
    (lambda d: d[0]["paper"].update(summary=["x"]), "item 1: paper.summary must be a string"),
    (lambda d: d.append(7), "item 5: must be an object"),
]


@pytest.mark.parametrize(("edit", "message"), BAD_ITEMS)
def test_a_bad_item_is_one_line_naming_file_and_item(
    tmp_path: Path, library: Library, edit: Any, message: str
) -> None:
    path = tmp_path / "day.json"
    path.write_bytes(_broken(edit))
    with pytest.raises(ParseError) as caught:
        load_inputs([str(path)])
    text = str(caught.value)
    assert text.startswith(f"{path}: {message}")
    assert "\n" not in text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"[", "not valid JSON"),
        (b"[]", "no papers"),
        (b'{"paper": {}}\n{oops', "not valid JSON Lines"),
    ],
)
def test_malformed_json_is_one_line(data: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_hf_bytes(data, "bad.json")


def test_hostile_strings_are_cleaned() -> None:
    data = items(DAY_15)
    data[0]["paper"]["title"] = "\x1b]8;;http://evil\x07Sinkhorn\u202e [b]x[/b]"
    data[0]["paper"]["authors"] = [{"name": "\x1b[31mXun\x1b[0m   Tang"}, {"name": "\u200b"}]
    data[0]["paper"]["summary"] = "line\none\x00 \x9b2J"
    entry = parse_hf_bytes(dump(data), "h.json").entries[0]
    assert entry.title == "]8;;http://evilSinkhorn [b]x[/b]"
    assert entry.authors == ("[31mXun[0m Tang",)
    assert entry.abstract == "line one 2J"
