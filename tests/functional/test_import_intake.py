"""Importing as a new user meets it (issue 13): counts that add up, junk refused, dates kept."""

from __future__ import annotations

import contextlib
import io
import json
import re
from pathlib import Path

import pytest

from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.ui.launch import prepare


@pytest.fixture
def cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]):  # type: ignore[no-untyped-def]
    lib = tmp_path / "lib"

    def run(*args: str) -> tuple[int, str, str]:
        code = main(["--library", str(lib), *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


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
