"""`list --limit N` answers from the papers it prints, and never with less than the truth.

At 50k papers `list --query Q --limit 20` read every state shard (0.8 s) to print twenty rows.
Now it reads the shards of the rows it prints, unless the query filters on a state; a shard it
needs and cannot read is still one line and exit 1, never a row with a blank state.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from digestreader.library import Library
from tests.unit.test_daily_import import _point_table_at

Cli = Callable[..., tuple[int, str, str]]


def _library(cli: Cli, samples: list[Path], tmp_path: Path) -> Library:
    assert cli("import", *map(str, samples))[0] == 0
    return Library(tmp_path / "lib")


def _top(cli: Cli, count: int) -> list[dict[str, object]]:
    code, out, err = cli("list", "-q", "model", "--limit", str(count), "--json")
    assert code == 0, err
    rows: list[dict[str, object]] = json.loads(out)
    return rows


def test_a_limited_list_reads_only_the_states_it_prints(
    cli: Cli, samples: list[Path], tmp_path: Path
) -> None:
    lib = _library(cli, samples, tmp_path)
    first = _top(cli, 2)
    ids = [str(row["id"]) for row in first]
    assert cli("mark", ids[0])[0] == 0
    store = lib.state_store
    printed = {store.shard_of(pid) for pid in ids}
    other = next(s for s in range(64) if s not in printed)
    store.shard_path(other).parent.mkdir(parents=True, exist_ok=True)
    store.shard_path(other).write_text("{not json")
    rows = _top(cli, 2)
    assert [r["id"] for r in rows] == ids
    assert rows[0]["marked"] is True
    assert rows[1]["marked"] is False
    # Without a limit (every matching paper), or filtering on a state, the bad shard is met.
    for args in (["-q", "model"], ["-q", "model is:marked", "--limit", "2"]):
        code, out, err = cli("list", *args)
        assert code == 1
        assert out == ""
        assert err.count("\n") == 1
        assert str(store.shard_path(other)) in err


def test_a_limited_list_with_an_unreadable_state_it_prints_is_one_line(
    cli: Cli, samples: list[Path], tmp_path: Path
) -> None:
    lib = _library(cli, samples, tmp_path)
    pid = str(_top(cli, 1)[0]["id"])
    shard = lib.state_store.shard_path(lib.state_store.shard_of(pid))
    shard.parent.mkdir(parents=True, exist_ok=True)
    shard.write_text("{not json")
    code, out, err = cli("list", "-q", "model", "--limit", "1")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1
    assert str(shard) in err


def test_a_list_over_a_wrong_shaped_document_is_one_line(
    cli: Cli, samples: list[Path], tmp_path: Path
) -> None:
    lib = _library(cli, samples, tmp_path)
    before = lib.corpus_path.read_bytes()
    title = str(lib.catalog().docs[5]["title"]).encode()
    # A current id table for a file whose sixth document has a number for a title: the lazy
    # catalog trusts the table, and the first rows it parses are fine.
    _point_table_at(lib.root, b'"title":' + json.dumps(title.decode()).encode(), b'"title":12345')
    assert lib.corpus_path.read_bytes() != before
    for args in (["--limit", "3"], ["-q", "model", "--limit", "3"]):
        code, out, err = cli("list", *args)
        assert code == 1, (args, out)
        assert out == ""
        assert err.count("\n") == 1
        assert "corpus.json" in err
