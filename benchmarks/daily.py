"""One more daily page into the benchmark's library: the import a user runs every morning.

The page has ``PAGE_SIZE`` papers new to the library plus ``RESEEN`` of that many repeats of
papers it holds, like the synthetic pages it was imported from. Each timing imports it through
the CLI into a fresh copy of the library (the import changes it), and the median is reported.
"""

from __future__ import annotations

import random
import shutil
import statistics
from collections.abc import Callable
from pathlib import Path

from synth import PAGE_SIZE, RESEEN, Paper, synthetic_papers

from digestreader.ingest.parser import render_digest

DAILY_RUNS = 3


def write_daily_page(known: list[Paper], path: Path, seed: int = 15) -> Path:
    """A page of ``PAGE_SIZE`` new papers (their titles marked so none is known) and repeats
    of ``known`` papers."""
    rng = random.Random(seed)
    fresh = [
        (f"Daily{i}: {title}", abstract)
        for i, (title, abstract) in enumerate(synthetic_papers(PAGE_SIZE, seed))
    ]
    entries = fresh + rng.sample(known, min(len(known), int(PAGE_SIZE * RESEEN)))
    path.write_text(render_digest(entries, "Apr 1"))
    return path


def daily_import_seconds(
    library: Path, page: Path, timed_import: Callable[[Path, list[Path]], tuple[float, float]]
) -> float:
    """Median seconds of importing ``page`` into fresh copies of ``library``."""
    times = []
    for run in range(DAILY_RUNS):
        copy = library.with_name(f"{library.name}-daily{run}")
        shutil.copytree(library, copy)
        times.append(timed_import(copy, [page])[0])
        shutil.rmtree(copy)
    return statistics.median(times)
