"""SIGKILL inside bulk state writes (one `read`/`unread` of papers in many shards): >= 100 kills
timed inside the write, and after every one all or none of the bulk change is visible, to a
lock-free reader and after the next writer; single marks and notes in between, killed too,
never lose an acknowledged change."""

from __future__ import annotations

import random
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from digestreader.library import Library
from digestreader.store.state import STATE_DIR
from tests.slow.procs import record, run_and_kill, run_cli

pytestmark = pytest.mark.slow

BULK_KILLS = 100
WORKERS = 2
BULK_SHARDS = 24
JOURNAL_NAME = "journal.json"  # the store's journal.JOURNAL_NAME, by name: seen failing before it


def split(lib: Library) -> tuple[list[str], list[str]]:
    """Papers for the bulk change, one per shard in ``BULK_SHARDS`` shards, and the others."""
    by_shard: dict[int, str] = {}
    for paper in lib.papers():
        by_shard.setdefault(lib.state_store.shard_of(paper.id), paper.id)
    bulk = list(by_shard.values())[:BULK_SHARDS]
    assert len(bulk) == BULK_SHARDS
    return bulk, [p.id for p in lib.papers() if p.id not in bulk][:20]


def bulk_kills(root: Path, wanted: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    lib = Library(root)
    bulk, single = split(lib)
    folders = [root / STATE_DIR]
    visible = False  # what the bulk papers' read flag is now (all of them)
    acked: dict[tuple[str, str], object] = {}
    maybe: dict[tuple[str, str], set[object]] = {}
    figures = dict.fromkeys(
        [
            "kills",
            "kills completing a journal",
            "runs",
            "all",
            "none",
            "journal left",
            "single acked",
        ],
        0,
    )
    while figures["kills"] < wanted and figures["runs"] < wanted * 4:
        figures["runs"] += 1
        if rng.random() < 0.25:  # a single change, in one shard
            pid, op = rng.choice(single), rng.choice(["mark", "unmark", "note"])
            note = f"note {seed}-{figures['runs']}"
            field, value = ("note", note) if op == "note" else ("marked", op == "mark")
            args = ["note", pid, note] if op == "note" else [op, pid]
            if rng.random() < 0.5:
                said = run_and_kill(root, args, folders, rng).stdout
            else:  # left to finish: many acknowledged changes between journals and kills
                said = run_cli(root, *args).stdout
            if said.strip():
                acked[(pid, field)] = value
                maybe[(pid, field)] = set()
            else:
                maybe.setdefault((pid, field), set()).add(value)
            continue
        target = not visible
        # A journal left by the last kill is rolled forward first (a temp file per shard), then
        # come this write's journal and shards: land anywhere in either.
        behind = BULK_SHARDS if (root / STATE_DIR / JOURNAL_NAME).exists() else 0
        nth = rng.randint(1, behind + BULK_SHARDS + 1)
        outcome = run_and_kill(root, ["read" if target else "unread", *bulk], folders, rng, nth)
        if outcome.killed_in_write and nth <= behind:
            figures["kills completing a journal"] += 1
        else:
            figures["kills"] += outcome.killed_in_write
        figures["journal left"] += (root / STATE_DIR / JOURNAL_NAME).exists()
        states = Library(root).states()  # a fresh, lock-free read, as the reader's
        flags = {states[pid].read if pid in states else False for pid in bulk}
        assert len(flags) == 1, f"half a bulk change visible after run {figures['runs']}"
        now = flags.pop()
        if outcome.stdout.strip():
            assert now == target, "an acknowledged bulk change is not there"
        if outcome.killed_in_write and nth > behind:
            figures["all" if now == target else "none"] += 1
        visible = now
    assert run_cli(root, "mark", single[0]).returncode == 0  # the next writer completes
    acked[(single[0], "marked")], maybe[(single[0], "marked")] = True, set()
    assert not (root / STATE_DIR / JOURNAL_NAME).exists()
    states = Library(root).states()
    assert {states[pid].read if pid in states else False for pid in bulk} == {visible}
    for (pid, field), want in acked.items():
        got = getattr(states[pid], field)
        assert got == want or got in maybe[(pid, field)], (pid, field, want, got)
    figures["single acked"] = len(acked)
    return figures


def test_kills_during_bulk_state_writes_leave_all_or_nothing(
    sample_library: Library, tmp_path: Path
) -> None:
    sample_library.set_marked([sample_library.papers()[0].id])
    roots = []
    for worker in range(WORKERS):
        root = tmp_path / f"lib{worker}"
        subprocess.run(["cp", "-a", str(sample_library.root), str(root)], check=True)
        roots.append(root)
    share = -(-BULK_KILLS // WORKERS)
    started = time.monotonic()
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda w: bulk_kills(roots[w], share, w + 7), range(WORKERS)))
    total = {k: sum(r[k] for r in results) for k in results[0]}
    total["seconds"] = round(time.monotonic() - started)
    record("kills during bulk state writes", total)
    assert total["kills"] >= BULK_KILLS
    # Kills landed between the journal's commit and its removal: the case it is there for.
    # (Before the commit is rare here, the journal's write takes well under the 2 ms window;
    # tests/unit/test_journal.py fails writes at each step instead, before and after it.)
    assert total["journal left"]
