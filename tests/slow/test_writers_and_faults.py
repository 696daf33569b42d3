"""Concurrent writer processes lose nothing; an OSError injected at any call of any write step
of any write is one line, and what failed left the library as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from digestreader.export.jsonio import to_json
from digestreader.ingest.parser import parse_text
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library, LibraryError
from tests.faults import ERRNOS, WRITE_STEPS, inject
from tests.slow.procs import record

pytestmark = pytest.mark.slow

WRITER = """
import sys
from pathlib import Path
from digestreader.library import Library
root, worker, count, ids = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4:]
lib = Library(Path(root))
for n in range(count):
    pid = ids[n % len(ids)]
    lib.set_marked([pid])
    lib.set_note(pid, f"writer {worker} note {n}")
"""


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_no_update(sample_library: Library, writers: int) -> None:
    papers = [p.id for p in sample_library.papers()]
    per_writer = 30
    mine = {w: papers[w * per_writer : (w + 1) * per_writer] for w in range(writers)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(sample_library.root), str(w), str(per_writer)]
            + mine[w]
        )
        for w in range(writers)
    ]
    assert all(p.wait(timeout=300) == 0 for p in procs)
    states = Library(sample_library.root).states()
    lost = 0
    for w, ids in mine.items():
        for n, pid in enumerate(ids):
            ok = states[pid].marked and states[pid].note == f"writer {w} note {n}"
            lost += not ok
    record(f"{writers} concurrent writers", {"updates": writers * per_writer * 2, "lost": lost})
    assert lost == 0


def snapshot(root: Path) -> Any:
    lib = Library(root)
    return ([(v.paper, v.state) for v in lib.papers_with_state()], lib.digests())


def make_ops(lib: Library, tmp: Path) -> dict[str, Any]:
    ids = [p.id for p in lib.papers()]
    export = tmp / "restore.json"
    views = lib.papers_with_state()[:3]
    export.write_text(to_json(views).replace('"note": ""', '"note": "restored"', 1))
    fresh_digest = parse_text("Jun 9\nA Fault Paper\nIts abstract here.\n", "fault.txt")
    return {
        "mark": lambda: lib.set_marked(ids[:1]),
        "note": lambda: lib.set_note(ids[3], "a note"),
        "import": lambda: lib.import_digests([("fault", fresh_digest)]),
        "restore": lambda: lib.restore(load_inputs([str(export)]).exports),
        "session": lambda: lib.save_session({"query": "x"}),
        "backup": lambda: lib.backup(),
    }


def fresh_library(base: Library, tmp: Path, name: str) -> Library:
    root = tmp / name
    subprocess.run(["cp", "-a", str(base.root), str(root)], check=True)
    return Library(root)


def test_injected_errors_at_every_write_step_of_every_write(
    sample_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    base = sample_library
    base.set_marked([base.papers()[5].id])
    cases = failures = 0
    for op in ("mark", "note", "import", "restore", "session", "backup"):
        for step in WRITE_STEPS:
            counter = fresh_library(base, tmp_path, f"count-{op}-{step}")
            faulty = inject(monkeypatch, step, 0, 0)
            make_ops(counter, tmp_path)[op]()
            monkeypatch.undo()
            for name, code in ERRNOS.items():
                for nth in range(1, faulty.calls + 1):
                    lib = fresh_library(base, tmp_path, f"{op}-{step}-{name}-{nth}")
                    before = snapshot(lib.root)
                    run = make_ops(lib, tmp_path)[op]
                    inject(monkeypatch, step, code, nth)
                    try:
                        run()
                    except LibraryError as err:
                        failures += 1
                        text = str(err)
                        assert "\n" not in text
                        assert str(lib.root) in text
                        assert os.strerror(code) in text, text
                        if op != "restore":  # a restore writes the corpus, then the states
                            assert snapshot(lib.root) == before, (op, step, name, nth)
                    finally:
                        monkeypatch.undo()
                    Library(lib.root).stats()  # every file still parses
                    cases += 1
                    subprocess.run(["rm", "-rf", str(lib.root)], check=True)
    record("injected OSErrors", {"cases": cases, "reported as one line": failures})
    assert cases > 100
