"""Importing as a new user meets it (issue 13): counts that add up, junk refused, dates kept."""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from digestreader import library as library_module
from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.ui.launch import prepare

# -- bug 6: junk is refused, our own exports are recognised ---------------------------------


@pytest.mark.parametrize(
    "text",
    ["hello world\n", "hello world", "hello world\nhello world\n", "a\nb\nc\nd\n"],
)
def test_text_without_digest_structure_is_refused(cli, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    junk = tmp_path / "junk.txt"
    junk.write_text(text)
    code, out, err = cli("import", str(junk))
    assert code == 1
    assert out == ""
    assert err.startswith(f"digestreader: error: {junk}")
    assert "no digest structure" in err
    assert err.count("\n") == 1
    assert not (tmp_path / "lib").exists()


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("csv", "CSV"), ("bibtex", "BibTeX"), ("ris", "RIS"), ("markdown", "Markdown")],
)
def test_our_own_exports_are_refused_with_a_hint(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, samples: list[Path], fmt: str, name: str
) -> None:
    cli("import", *map(str, samples))
    out = tmp_path / f"export.{fmt}"
    assert cli("export", "--format", fmt, "--all", "-o", str(out))[0] == 0
    before = cli("stats", "--json")[1]
    code, stdout, err = cli("import", str(out))
    assert code == 1
    assert stdout == ""
    assert err == (
        f"digestreader: error: {out}: this is a digestreader {name} export; import the JSON "
        "export (digestreader export --format json) to restore\n"
    )
    assert cli("stats", "--json")[1] == before


# -- bug 5: import counts add up, batch or one by one -----------------------------------------

COUNTS = re.compile(
    r"^(\d+) entries: (\d+) new papers?, (\d+) repeat sightings? of known papers, "
    r"(\d+) already imported \((\d+) new digests?(?:, (\d+) already imported)?\)$"
)


def counts(line: str) -> tuple[int, ...]:
    found = COUNTS.match(line)
    assert found, line
    return tuple(int(n) if n else 0 for n in found.groups())


def test_a_batch_and_one_by_one_imports_add_up(cli, tmp_path: Path, samples: list[Path]) -> None:  # type: ignore[no-untyped-def]
    # Two real pages that share 10 papers (the April 29 and August 25 samples).
    first, second = str(samples[1]), str(samples[2])
    code, out, _ = cli("import", first, second)
    assert code == 0
    batch = counts(out.strip())
    assert batch == (109, 99, 10, 0, 2, 0)
    one = counts(main_out(tmp_path, "one", first))
    two = counts(main_out(tmp_path, "one", second))
    assert one == (55, 55, 0, 0, 1, 0)
    assert two == (54, 44, 10, 0, 1, 0)
    assert tuple(a + b for a, b in zip(one, two, strict=True)) == batch
    # The same pages again: every entry counts as already imported, nothing is new.
    assert counts(main_out(tmp_path, "one", first, second)) == (109, 0, 0, 109, 0, 2)


def main_out(tmp_path: Path, lib: str, *files: str) -> str:
    """Import into another library of tmp_path through main(); its standard output."""
    capture = io.StringIO()
    with contextlib.redirect_stdout(capture):
        assert main(["--library", str(tmp_path / lib), "import", *files]) == 0
    return capture.getvalue().strip()


def test_verbose_import_prints_each_digest(cli, samples: list[Path]) -> None:  # type: ignore[no-untyped-def]
    cli("import", str(samples[1]))
    code, out, _ = cli("import", "-v", str(samples[1]), str(samples[2]))
    assert code == 0
    lines = out.strip().splitlines()
    assert lines == [
        f"{samples[1].stem}: 55 entries: 0 new papers, 0 repeat sightings of known papers, "
        "55 already imported",
        f"{samples[2].stem}: 54 entries: 44 new papers, 10 repeat sightings of known papers, "
        "0 already imported",
        "109 entries: 44 new papers, 10 repeat sightings of known papers, 55 already imported "
        "(1 new digest, 1 already imported)",
    ]


def test_the_reader_reports_an_import_in_the_same_words(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, samples: list[Path]
) -> None:
    files = [str(samples[1]), str(samples[2])]
    _, out, _ = cli("import", *files)
    notices = prepare(Library(tmp_path / "reader"), files)
    assert notices[0] == f"Imported {out.strip()}"


# -- bug 9: dates keep their year, a file name supplies a missing date, "imported" ------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Callable[[str], None]:
    """Set the import clock (an ISO timestamp), as the snapshot tests do."""

    def set_now(stamp: str) -> None:
        monkeypatch.setattr(library_module, "now_iso", lambda: stamp)

    return set_now


def copy_page(sample: Path, folder: Path, name: str) -> str:
    folder.mkdir(exist_ok=True)
    target = folder / name
    target.write_bytes(sample.read_bytes())
    return str(target)


def first_dates(cli) -> set[str | None]:  # type: ignore[no-untyped-def]
    papers = json.loads(cli("list", "--json")[1])
    return {p["sources"][0]["date"] for p in papers}


def test_an_undated_page_takes_the_date_in_its_file_name(  # type: ignore[no-untyped-def]
    cli, tmp_path: Path, samples: list[Path]
) -> None:
    # The compact sample has no date label.
    cli("import", copy_page(samples[0], tmp_path / "in", "2026-04-04.txt"))
    assert first_dates(cli) == {"2026-04-04"}
    pid = json.loads(cli("list", "--json", "--limit", "1")[1])[0]["id"]
    _, out, _ = cli("show", pid)
    assert "2026-04-04" in out
    assert "undated" not in out
    _, table, _ = cli("list")
    assert "2026-04-04" in table.splitlines()[0]


@pytest.mark.parametrize(
    ("name", "now", "date"),
    [
        ("2025-04-29.txt", "2026-06-01T09:00:00+00:00", "2025-04-29"),  # year of the file name
        ("digest-2024-05-01-am.txt", "2026-06-01T09:00:00+00:00", "2024-04-29"),
        ("page.txt", "2026-06-01T09:00:00+00:00", "2026-04-29"),  # year of the import
        ("page.txt", "2027-01-05T09:00:00+00:00", "2026-04-29"),  # not a date in the future
    ],
)
def test_a_label_without_a_year_keeps_one(  # type: ignore[no-untyped-def]
    cli, clock, tmp_path: Path, samples: list[Path], name: str, now: str, date: str
) -> None:
    clock(now)
    cli("import", copy_page(samples[1], tmp_path / "in", name))  # labelled "Apr 29"
    assert first_dates(cli) == {date}


def test_json_says_imported_and_writes_iso_dates(  # type: ignore[no-untyped-def]
    cli, clock, tmp_path: Path, samples: list[Path]
) -> None:
    clock("2026-06-01T09:00:00+00:00")
    cli("import", *map(str, samples))
    views = json.loads(cli("list", "--json")[1])
    dates = {s["date"] for p in views for s in p["sources"]}
    assert dates == {None, "2026-04-29", "2025-08-25", "2026-03-14"}
    shown = json.loads(cli("show", views[0]["id"], "--json")[1])
    assert shown["imported"] == shown["first_seen"] == "2026-06-01T09:00:00+00:00"
    _, text, _ = cli("show", views[0]["id"])
    assert "imported: 2026-06-01" in text
    assert "first" not in text
    out = tmp_path / "all.json"
    cli("export", "--format", "json", "--all", "-o", str(out))
    exported = json.loads(out.read_text())["papers"]
    assert {s["date"] for p in exported for s in p["sources"]} == dates


def test_dates_stored_as_labels_still_show_with_a_year(  # type: ignore[no-untyped-def]
    cli, clock, tmp_path: Path, samples: list[Path]
) -> None:
    clock("2026-06-01T09:00:00+00:00")
    cli("import", str(samples[1]), copy_page(samples[3], tmp_path / "in", "2025-03-14.txt"))
    # What a library written before dates kept their year holds: the page's bare label.
    library = Library(tmp_path / "lib")
    papers, digests = library.corpus_store.read_docs()
    for doc in papers.values():
        for sighting in doc["sources"]:
            sighting["date"] = {"2026-04-29": "Apr 29", "2025-03-14": "Mar 14"}[sighting["date"]]
    library.corpus_store.write(papers, digests)
    assert first_dates(cli) == {"2026-04-29", "2025-03-14"}
