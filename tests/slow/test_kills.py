"""SIGKILL inside writes: >= 200 during mark/note, >= 100 during import. Every change the CLI
acknowledged (printed) survives; every file parses after every kill; the leftovers are cleaned
by the next write."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from digestreader.ingest.index_tail import read_tail, tail_path
from digestreader.ingest.indexing import index_path, read_index
from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from digestreader.search.index import FIELDS, SearchIndex
from digestreader.store.idtable import corpus_stamp, read_table
from digestreader.store.state import STATE_DIR
from tests.slow.procs import record, run_and_kill, run_cli

pytestmark = pytest.mark.slow

MARK_KILLS = 200
IMPORT_KILLS = 100
WORKERS = 2


def state_kills(root: Path, papers: list[str], wanted: int, seed: int) -> dict[str, int]:
    """Kill mark/unmark/note processes until ``wanted`` kills landed in a write; then check
    that the final state holds every acknowledged change."""
    rng = random.Random(seed)
    folders = [root, root / STATE_DIR]
    # per (paper, field): the last acknowledged value and values tried since (may have landed)
    acked: dict[tuple[str, str], object] = {}
    maybe: dict[tuple[str, str], set[object]] = {}
    kills = left = runs = 0
    while kills < wanted and runs < wanted * 4:
        runs += 1
        pid = rng.choice(papers)
        op = rng.choice(["mark", "unmark", "note"])
        value: object
        if op == "note":
            field, value, args = "note", f"note {seed}-{runs}", ["note", pid, f"note {seed}-{runs}"]
        else:
            field, value, args = "marked", op == "mark", [op, pid]
        outcome = run_and_kill(root, args, folders, rng)
        kills += outcome.killed_in_write
        left += outcome.left_temp
        key = (pid, field)
        if outcome.stdout.strip():  # the CLI said it was done
            assert outcome.returncode in (0, -9), outcome
            acked[key] = value
            maybe[key] = set()
        else:
            maybe.setdefault(key, set()).add(value)
        Library(root).states()  # every file parses after every run (raises otherwise)
    states = Library(root).states()
    for (pid, field), value in acked.items():
        got = getattr(states[pid], field)
        assert got == value or got in maybe[(pid, field)], (pid, field, value, got)
    return {"kills": kills, "left_temp": left, "runs": runs, "acknowledged": len(acked)}


def test_kills_during_mark_and_note_lose_no_acknowledged_change(
    sample_library: Library, tmp_path: Path
) -> None:
    roots = []
    for worker in range(WORKERS):
        root = tmp_path / f"lib{worker}"
        Library(root).import_digests([])  # folder only
        roots.append(root)
        for src in sample_library.root.iterdir():
            if src.is_file():
                (root / src.name).write_bytes(src.read_bytes())
        (root / "abstracts").mkdir(exist_ok=True)
        for seg in (sample_library.root / "abstracts").iterdir():
            (root / "abstracts" / seg.name).write_bytes(seg.read_bytes())
    papers = [p.id for p in sample_library.papers()[:40]]
    share = -(-MARK_KILLS // WORKERS)
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(lambda w: state_kills(roots[w], papers, share, w), range(WORKERS)))
    total = {k: sum(r[k] for r in results) for k in results[0]}
    record("kills during mark/note", total)
    assert total["kills"] >= MARK_KILLS
    for root in roots:  # the next write cleans what the kills left
        assert run_cli(root, "mark", papers[0]).returncode == 0
        assert not [p for p in (root / STATE_DIR).iterdir() if p.name.endswith(".tmp")]


def digest_text(run: int) -> str:
    return "".join(
        f"Killed Import {run} Paper {k}\nAn abstract for paper {k} of run {run}, long enough.\n"
        for k in range(3)
    )


def import_kills(root: Path, tmp: Path, wanted: int, seed: int) -> dict[str, int]:
    rng = random.Random(seed)
    folders = [root, root / "abstracts"]
    acked: list[str] = []
    kills = left = runs = 0
    while kills < wanted and runs < wanted * 4:
        runs += 1
        digest = tmp / f"d{seed}-{runs}.txt"
        digest.write_text(digest_text(seed * 10_000 + runs))
        # at the segment, the catalog or the index write (the last after the CLI said done)
        nth = rng.randint(1, 3)
        outcome = run_and_kill(root, ["import", str(digest)], folders, rng, nth_file=nth)
        kills += outcome.killed_in_write
        left += outcome.left_temp
        if "new" in outcome.stdout:
            acked.append(digest.stem)
        check_all_or_nothing(Library(root))
    lib = Library(root)
    names = {d["name"] for d in lib.digests()}
    assert set(acked) <= names, set(acked) - names
    return {"kills": kills, "left_temp": left, "runs": runs, "acknowledged": len(acked)}


def check_all_or_nothing(lib: Library) -> None:
    """Each recorded digest has all its papers, each with its abstract: no half import."""
    papers = lib.papers()
    by_digest: dict[str, int] = {}
    for paper in papers:
        assert paper.abstract.startswith("An abstract for paper"), paper
        for source in paper.sources:
            by_digest[source.digest] = by_digest.get(source.digest, 0) + 1
    assert all(by_digest.get(d["name"]) == 3 for d in lib.digests())


def test_kills_during_import_leave_all_or_nothing(tmp_path: Path) -> None:
    roots = [tmp_path / f"lib{w}" for w in range(WORKERS)]
    for root in roots:
        Library(root).import_digests([("seed", parse_text(digest_text(0), "seed.txt"))])
    share = -(-IMPORT_KILLS // WORKERS)
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(
            pool.map(lambda w: import_kills(roots[w], tmp_path, share, w + 1), range(WORKERS))
        )
    total = {k: sum(r[k] for r in results) for k in results[0]}
    record("kills during import", total)
    assert total["kills"] >= IMPORT_KILLS
    for root in roots:
        digest = tmp_path / f"final-{root.name}.txt"
        digest.write_text(digest_text(99_999))
        assert run_cli(root, "import", str(digest)).returncode == 0
        assert not [p for p in (root / "abstracts").iterdir() if p.name.endswith(".tmp")]
        assert not [p for p in root.iterdir() if p.name.startswith(".corpus")]


ID_TABLE_KILLS = 30


def check_id_table(root: Path) -> None:
    """Whatever ``ids.bin`` a kill left, it is trusted only if it describes the catalog on
    disk; the library's answers through it equal the catalog's."""
    lib = Library(root)
    store = lib.corpus_store
    docs = lib.catalog().docs
    ids = [str(d["id"]) for d in docs]
    stamp = corpus_stamp(store.corpus_path)
    assert stamp is not None
    trusted = read_table(store.ids_path, store.corpus_path, stamp)
    if trusted is not None:
        assert list(trusted.keys) == sorted(ids)
        assert [ids[p] for p in trusted.positions] == list(trusted.keys)
    fresh = Library(root)
    table = fresh.id_table()  # read, or rebuilt from the catalog
    assert table is not None
    assert list(table.keys) == sorted(ids)
    newest = lib.papers()[-1]
    assert fresh.get(newest.id[:10]).paper == newest


def test_kills_between_the_catalog_and_the_id_table_leave_a_consistent_library(
    tmp_path: Path,
) -> None:
    root = tmp_path / "lib"
    Library(root).import_digests([("seed", parse_text(digest_text(0), "seed.txt"))])
    rng = random.Random(15)
    folders = [root, root / "abstracts"]
    kills = runs = 0
    while kills < ID_TABLE_KILLS and runs < ID_TABLE_KILLS * 4:
        runs += 1
        digest = tmp_path / f"t{runs}.txt"
        digest.write_text(digest_text(50_000 + runs))
        # the catalog's temp file, or the id table's: the kill lands around or between them
        nth = rng.randint(2, 3)
        outcome = run_and_kill(root, ["import", str(digest)], folders, rng, nth_file=nth)
        kills += outcome.killed_in_write
        check_all_or_nothing(Library(root))
        check_id_table(root)
    record("kills around the id table", {"kills": kills, "runs": runs})
    assert kills >= ID_TABLE_KILLS


DAILY_KILLS = 40


def check_saved_index(root: Path) -> str:
    """The saved index (with its tail), when it is used at all, is the index of the corpus;
    which it was ("tail", "whole" or "stale")."""
    lib = Library(root)
    catalog = lib.catalog()
    index, _ = read_index(index_path(lib), catalog.revision, len(catalog.docs))
    if index is None:
        return "stale"  # or gone: the reader builds it again
    full = SearchIndex.build([str(d["title"]) for d in catalog.docs], lib.abstracts(catalog))
    merged = index.whole()  # with the tail of the last imports merged in, if any
    for name in FIELDS:
        ours, theirs = merged.fields[name], full.fields[name]
        assert ours.vocabulary == theirs.vocabulary, name
        assert ours.offsets.tolist() == theirs.offsets.tolist(), name
        for i in range(len(ours.vocabulary)):
            lo, hi = int(ours.offsets[i]), int(ours.offsets[i + 1])
            assert sorted(ours.postings[lo:hi].tolist()) == theirs.postings[lo:hi].tolist()
    tail = read_tail(tail_path(index_path(lib)))
    return "tail" if tail is not None and tail.revision == catalog.revision else "whole"


def test_kills_during_daily_imports_leave_corpus_table_and_index_consistent(
    tmp_path: Path,
) -> None:
    """Pages that see known papers again (a spliced document) as well as new ones, killed at
    the segment, the catalog, the id table or the index (tail) write. Every fourth and fifth
    run of six completes: two complete imports in a row extend the index by a tail, which the
    kills that follow then land beside."""
    root = tmp_path / "lib"
    seeds = [(f"seed{k}", parse_text(digest_text(k), f"seed{k}.txt")) for k in range(20)]
    Library(root).import_digests(seeds)  # 60 papers: a few daily tails before a compaction
    rng = random.Random(16)
    folders = [root, root / "abstracts"]
    kills = runs = 0
    indexes: dict[str, int] = {}
    while kills < DAILY_KILLS and runs < DAILY_KILLS * 4:
        runs += 1
        known = rng.choice(Library(root).papers())
        digest = tmp_path / f"day{runs}.txt"
        digest.write_text(
            "".join(digest_text(70_000 + runs).splitlines(keepends=True)[:4])
            + f"{known.title}\n{known.abstract}\n"
        )
        if runs % 6 in (4, 5):
            assert run_cli(root, "import", str(digest)).returncode == 0
        else:
            outcome = run_and_kill(
                root, ["import", str(digest)], folders, rng, nth_file=rng.randint(1, 4)
            )
            kills += outcome.killed_in_write
        check_all_or_nothing(Library(root))
        check_id_table(root)
        used = check_saved_index(root)
        indexes[used] = indexes.get(used, 0) + 1
    record("kills during daily imports", {"kills": kills, "runs": runs, **indexes})
    assert kills >= DAILY_KILLS
    assert indexes.get("tail"), indexes  # read back through a tail, and whole
    assert indexes.get("whole"), indexes
