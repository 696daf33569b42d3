"""Importing as a new user meets it (issue 13): counts that add up, junk refused, dates kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from digestreader.cli.main import main


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
