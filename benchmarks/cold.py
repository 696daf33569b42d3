"""Cold CLI commands on a big library: a fresh process each, Python's start included.

``mark ID`` and ``show ID`` are what a script or a shell alias runs many times a day: at 50k
papers they must not parse the whole catalog (see store/idtable.py). Each is run ``RUNS``
times; the median is reported.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

RUNS = 5


def cold_seconds(library: Path, *args: str, runs: int = RUNS) -> float:
    """Median wall seconds of ``digestreader --library LIBRARY ARGS`` in a fresh process."""
    command = [sys.executable, "-m", "digestreader", "--library", str(library), *args]
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def cold_commands(library: Path, paper_id: str) -> dict[str, float]:
    """``mark`` and ``show`` of paper ``paper_id``, and ``list --query graph --limit 20``
    (every run after the first marks an already marked paper: the same one-shard write)."""
    return {
        "cold_mark_s": cold_seconds(library, "mark", paper_id),
        "cold_show_s": cold_seconds(library, "show", paper_id),
        "cold_list_s": cold_seconds(library, "list", "--query", "graph", "--limit", "20", runs=3),
    }
