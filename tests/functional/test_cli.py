"""The command line end to end through main(argv), and once through a real subprocess."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from digestreader.cli.main import main
from digestreader.library import Library


def test_import_list_show_mark_note_stats(cli, samples: list[Path]) -> None:  # type: ignore[no-untyped-def]
    code, out, _ = cli("import", *map(str, samples))
    assert code == 0
    assert out == (
        "629 entries: 561 new papers, 68 repeat sightings of known papers, 0 already imported "
        "(5 new digests)\n"
    )
    code, out, _ = cli("list", "--json", "--query", "sinkhorn", "--limit", "3")
    papers = json.loads(out)
    assert code == 0
    assert 1 <= len(papers) <= 3
    assert all("sinkhorn" in (p["title"] + p["abstract"]).casefold() for p in papers)
    pid = papers[0]["id"]
    assert cli("mark", pid[:6])[0] == 0
    assert cli("read", pid)[0] == 0
    assert cli("note", pid, "first thoughts")[0] == 0
    shown = json.loads(cli("show", pid, "--json")[1])
    assert (shown["marked"], shown["read"], shown["note"]) == (True, True, "first thoughts")
    assert [p["id"] for p in json.loads(cli("list", "--marked", "--json")[1])] == [pid]
    assert pid not in {p["id"] for p in json.loads(cli("list", "--unread", "--json")[1])}
    assert cli("note", pid, "")[0] == 0
    assert json.loads(cli("show", pid, "--json")[1])["note"] == ""
    stats = json.loads(cli("stats", "--json")[1])
    assert stats == {
        "papers": 561,
        "entries": 629,
        "digests": 5,
        "marked": 1,
        "read": 1,
        "notes": 0,
    }


def test_readable_output_fits_the_terminal(cli, samples, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "60")
    cli("import", *map(str, samples))
    _, out, _ = cli("list", "--limit", "20")
    lines = out.splitlines()
    assert len(lines) == 20
    assert max(len(line) for line in lines) <= 60


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (("show", "ffffffff"), "no paper with id 'ffffffff'"),
        (("mark", "ab"), "at least 4"),
        (("import", "/nonexistent/file.txt"), "cannot read"),
    ],
)
def test_errors_are_one_line_and_exit_1(cli, args, fragment) -> None:  # type: ignore[no-untyped-def]
    code, _, err = cli(*args)
    assert code == 1
    assert err.startswith("digestreader: error:")
    assert fragment in err
    assert err.count("\n") == 1


def test_a_failed_import_writes_nothing(cli, tmp_path: Path, samples) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"Title\n\xff\xfe\n")
    code, _, err = cli("import", str(samples[0]), str(bad))
    assert code == 1
    assert "bad.txt:2: not UTF-8" in err
    assert not (tmp_path / "lib").exists()


def test_usage_errors_exit_2(cli) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SystemExit) as caught:
        cli("list", "--no-such-flag")
    assert caught.value.code == 2


def test_import_from_stdin_in_a_real_process(tmp_path: Path, samples: list[Path]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "digestreader", "--library", str(tmp_path), "import", "-"],
        input=samples[1].read_bytes(),
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"55 entries: 55 new papers")


def test_export_to_a_file_and_restore_into_a_fresh_library(cli, tmp_path, samples) -> None:  # type: ignore[no-untyped-def]
    cli("import", *map(str, samples))
    pid = json.loads(cli("list", "--json", "--query", "lora", "--limit", "1")[1])[0]["id"]
    cli("mark", pid)
    cli("note", pid, "=1+1 {x}")
    out = tmp_path / "marked.json"
    code, _, err = cli("export", "--format", "json", "-o", str(out))
    assert code == 0
    assert "wrote 1 papers" in err
    fresh = tmp_path / "fresh"
    assert main(["--library", str(fresh), "import", str(out)]) == 0
    assert main(["--library", str(fresh), "import", str(out)]) == 0
    restored = Library(fresh).get(pid).state
    assert (restored.marked, restored.note) == (True, "=1+1 {x}")


def test_export_errors_and_empty_selection(cli, tmp_path, samples) -> None:  # type: ignore[no-untyped-def]
    cli("import", *map(str, samples))
    code, _, err = cli("export", "--format", "csv", "-o", str(tmp_path / "no" / "such.csv"))
    assert code == 1
    assert err.startswith("digestreader: error:")
    assert "does not exist" in err
    assert err.count("\n") == 1
    code, _, err = cli("export", "--format", "csv", "-o", str(tmp_path))
    assert code == 1
    assert "is a folder" in err
    code, out, err = cli("export", "--format", "bibtex")
    assert code == 0
    assert out == ""
    assert "nothing to export" in err
    code, out, _ = cli("export", "--format", "markdown", "--query", "sinkhorn")
    assert code == 0
    assert out.count("\n## ") + out.startswith("## ") >= 2
