"""The daily import through the CLI: a catalog with a wrong-shaped paper is one line, exit 1."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import orjson

from tests.unit.test_daily_import import _point_table_at


def test_an_import_into_a_wrong_shaped_catalog_exits_1_and_leaves_it_alone(
    cli: Callable[..., tuple[int, str, str]], tmp_path: Path, samples: list[Path]
) -> None:
    code, _, err = cli("import", *[str(p) for p in samples])
    assert code == 0, err
    root = tmp_path / "lib"
    title = samples[0].read_text().splitlines()[4]
    # A paper the new page does not touch (the spliced write would copy it verbatim).
    _point_table_at(root, b'"title":' + orjson.dumps(title), b'"title":12345')
    before = (root / "corpus.json").read_bytes()
    page = tmp_path / "new.txt"
    page.write_text("Jun 9\nA Brand New Paper\nIts abstract.\n")
    code, _, err = cli("import", str(page))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("digestreader: error: ")
    assert "corpus.json" in lines[0]
    assert (root / "corpus.json").read_bytes() == before
