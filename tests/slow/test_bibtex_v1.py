"""Every hostile BibTeX export read back by bibtexparser 1.x as well as 2.x: every entry there,
every field's value exactly as written.

1.x follows BibTeX's own brace counting (a ``\\{`` opens a group), where 2.x is lenient; the
two cannot share an environment, so 1.x is installed once into a gitignored cache folder
(under a file lock: xdist workers share it) and run in a subprocess that reports what it
parsed as JSON. No skip: a failed install fails the test with one line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import bibtexparser
import pytest
from filelock import FileLock

from digestreader.cli.main import main
from digestreader.export import export
from digestreader.library import Library
from tests.functional.test_payloads import IN_BACKUPS, IN_PAGES, backup, digest_page
from tests.payloads import PAYLOADS
from tests.slow.procs import record

pytestmark = pytest.mark.slow

SPEC = "bibtexparser>=1.4,<2"
CACHE = Path(__file__).resolve().parents[2] / ".test-cache" / "bibtexparser1"
PARSE_V1 = r"""
import json, sys
import bibtexparser
from bibtexparser.bparser import BibTexParser
parser = BibTexParser(common_strings=False, ignore_nonstandard_types=False)
db = bibtexparser.loads(sys.stdin.read(), parser)
json.dump({"version": bibtexparser.__version__, "entries": db.entries}, sys.stdout)
"""


@pytest.fixture(scope="session")
def bibtexparser1() -> Path:
    """A folder holding bibtexparser 1.x (and its pyparsing), installed on first use."""
    CACHE.parent.mkdir(exist_ok=True)
    with FileLock(f"{CACHE}.lock", timeout=900):
        if not (CACHE / "bibtexparser" / "__init__.py").exists():
            staging = CACHE.with_name(f"{CACHE.name}.{os.getpid()}")
            shutil.rmtree(staging, ignore_errors=True)
            pip = [sys.executable, "-m", "pip", "install", "-q", "--target", str(staging), SPEC]
            done = subprocess.run(pip, capture_output=True, text=True, check=False, timeout=600)
            if done.returncode != 0:
                why = [line for line in done.stderr.splitlines() if "ERROR" in line]
                pytest.fail(f"cannot install {SPEC}: {(why or ['pip failed'])[-1]}", pytrace=False)
            shutil.rmtree(CACHE, ignore_errors=True)
            os.replace(staging, CACHE)  # whole or not there: a killed install is redone
    return CACHE


def parse_v1(folder: Path, text: str) -> list[dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(folder)}
    done = subprocess.run(
        [sys.executable, "-c", PARSE_V1], input=text, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
    result = json.loads(done.stdout)
    assert result["version"].startswith("1."), result["version"]
    entries: list[dict[str, str]] = result["entries"]
    return entries


def as_written(text: str) -> list[tuple[str, dict[str, str]]]:
    """Each entry's key and fields as the exporter wrote them: one field a line (values hold no
    newline), ``name = {value}`` or ``name = macro``."""
    entries = []
    for block in text.split("\n@"):
        head, *lines, end = block.strip().removeprefix("@").split("\n")
        assert end == "}", end
        key = head.split("{", 1)[1].removesuffix(",")
        fields = {}
        for line in lines:
            name, value = line.strip().removesuffix(",").split(" = ", 1)
            braced = value.startswith("{") and value.endswith("}")
            fields[name.lower()] = value[1:-1] if braced else value
        entries.append((key, fields))
    return entries


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Library:
    """Every payload through a digest page, a JSON restore and notes (as tests/functional/
    test_payloads.py fills its library)."""
    root = tmp_path_factory.mktemp("bibtex1")
    page, _ = digest_page(IN_PAGES)
    (root / "page.txt").write_text(page, encoding="utf-8")
    (root / "backup.json").write_bytes(backup(IN_BACKUPS))
    files = [str(root / "page.txt"), str(root / "backup.json")]
    assert main(["--library", str(root / "lib"), "import", *files]) == 0
    library = Library(root / "lib")
    ids = [v.paper.id for v in library.papers_with_state()]
    notes = {pid: Library.note_fields(p) for pid, p in zip(ids, PAYLOADS * 3, strict=False)}
    library.update_states(notes)
    return library


def v2_fields(entry: Any) -> dict[str, str]:
    return {f.key.lower(): f.value for f in entry.fields}


def test_both_bibtexparsers_read_every_hostile_export_as_written(
    hostile: Library, bibtexparser1: Path
) -> None:
    views = hostile.papers_with_state()
    exports = {
        "all": export(views, "bibtex"),
        "reversed": export(views[::-1], "bibtex"),
        "noted": export([v for v in views if v.state.note][:40], "bibtex"),
    }
    fields = 0
    for name, text in exports.items():
        written = as_written(text)
        v1 = parse_v1(bibtexparser1, text)
        v2 = bibtexparser.parse_string(text)
        assert not v2.failed_blocks, name
        assert len(v1) == len(v2.entries) == len(written) == text.count("\n@") + 1, name
        for (key, want), one, two in zip(written, v1, v2.entries, strict=True):
            got1 = {k: v for k, v in one.items() if k not in ("ID", "ENTRYTYPE")}
            assert (one["ID"], got1) == (key, want), (name, key)
            assert (two.key, v2_fields(two)) == (key, want), (name, key)
            fields += len(want)
    record("bibtex 1.x and 2.x", {"exports": len(exports), "entries": len(views), "fields": fields})
