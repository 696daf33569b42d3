"""Digest files with hostile names: the name is what the library calls the digest, so it is
shown by `show`, the reader and the exports, and must carry no terminal control."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from textual.widgets import Static

from digestreader.cli.main import main
from digestreader.library import Library
from digestreader.ui.screens.main import MainScreen
from tests.functional.conftest import make_app, settle

# What the terminal would act on: ESC, BEL (ends an OSC), CSI as one C1 byte, any C0/C1.
CONTROL_BYTES = {chr(c) for c in (*range(0x00, 0x09), *range(0x0B, 0x20), *range(0x7F, 0xA0))}

HOSTILE_NAMES = {
    b"\x1b]0;pwned\x07title.txt": "]0;pwnedtitle",
    b"\x1b[41mred.txt": "[41mred",
    "\u009b31mcsi.txt".encode(): "31mcsi",
    b"caf\xe9 latin1.txt": "caf\ufffd latin1",  # not UTF-8: Python surrogate-escapes the byte
    b"\x1b\x07.txt": "unnamed",
}


def write_digests(folder: Path) -> list[str]:
    """One digest per hostile name, each with its own paper; returns the names as Python sees
    them (surrogate-escaped where the bytes are not UTF-8), as argv would give them."""
    folder.mkdir()
    names = []
    for n, raw in enumerate(HOSTILE_NAMES):
        path = os.path.join(os.fsencode(folder), raw)
        with open(path, "wb") as file:
            file.write(f"Hostile Name Paper {n}\nAn abstract of paper {n}.\n".encode())
        names.append(os.fsdecode(path))
    return names


def assert_clean(text: str) -> None:
    found = sorted(f"U+{ord(c):04X}" for c in set(text) & CONTROL_BYTES - {"\n", "\r"})
    assert not found, found
    text.encode("utf-8")  # no surrogates left


@pytest.fixture
def imported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    lib = tmp_path / "lib"
    code = main(["--library", str(lib), "import", *write_digests(tmp_path / "in")])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out.startswith(f"{len(HOSTILE_NAMES)} entries: {len(HOSTILE_NAMES)} new papers")
    return lib


def test_names_are_cleaned_everywhere_the_cli_shows_them(
    imported: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    library = Library(imported)
    assert sorted(d["name"] for d in library.digests()) == sorted(HOSTILE_NAMES.values())
    for view in library.papers_with_state():
        for args in (["show", view.paper.id], ["show", view.paper.id, "--json"]):
            assert main(["--library", str(imported), *args]) == 0
            out, _ = capsys.readouterr()
            assert_clean(out)
            assert view.paper.sources[0].digest in out
    for fmt in ("csv", "markdown", "bibtex", "ris", "json"):
        assert main(["--library", str(imported), "export", "--all", "-f", fmt]) == 0
        out, _ = capsys.readouterr()
        assert_clean(out.replace("\r\n", "\n"))
    exported = json.loads(out)["papers"]
    assert {p["sources"][0]["digest"] for p in exported} == set(HOSTILE_NAMES.values())


def test_a_name_that_fails_to_parse_is_cleaned_in_the_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "\x1b]0;pwned\x07empty.txt"
    path.write_bytes(b"")
    assert main(["--library", str(tmp_path / "lib"), "import", str(path)]) == 1
    _, err = capsys.readouterr()
    assert "]0;pwnedempty.txt: empty file" in err
    assert_clean(err)


async def test_the_reader_shows_the_cleaned_names(imported: Path) -> None:
    app = make_app(Library(imported))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        seen = []
        for _ in HOSTILE_NAMES:
            body = str(screen.query_one("#detail-body", Static).render())
            assert_clean(body)
            seen += [name for name in HOSTILE_NAMES.values() if name in body]
            await pilot.press("j")
            await settle(pilot)
        assert sorted(seen) == sorted(HOSTILE_NAMES.values())
