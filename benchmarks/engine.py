"""The search engine alone, per keystroke, with no UI: what the filter thread computes.

    python benchmarks/engine.py 50000 [--corpus realistic|samples]

Each query of the reader probe is typed one character at a time; every prefix is one search
(parse, match, rank, as the reader's relevance listing does) over an index of the corpus, with
every paper read (the flags a long-used library has). p50 and p95 are over the keystrokes, each
keystroke's time the median of five passes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from keystrokes import QUERIES  # noqa: E402
from synth import make_corpus, vocabulary  # noqa: E402

from digestreader.search import SearchIndex, parse_query, search  # noqa: E402

ROUNDS = 5


def engine_keystroke_ms(
    index: SearchIndex, titles: Sequence[str], queries: Sequence[str] = QUERIES
) -> list[float]:
    """Milliseconds per keystroke, one figure per prefix of every query: the median of its
    ``ROUNDS`` passes (passes over the whole list, so no search repeats back to back). The
    median, because on a shared machine one pass in five can stall on another process."""
    titles = list(titles)
    flags = {"read": np.ones(index.size, np.bool_)}
    prefixes = [query[:typed] for query in queries for typed in range(1, len(query) + 1)]
    rounds: list[list[float]] = []
    for _ in range(ROUNDS):
        timings = []
        for prefix in prefixes:
            start = time.perf_counter()
            search(index, parse_query(prefix), titles, flags)
            timings.append((time.perf_counter() - start) * 1000)
        rounds.append(timings)
    return [statistics.median(samples) for samples in zip(*rounds, strict=True)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("papers", type=int)
    parser.add_argument("--corpus", choices=("realistic", "samples"), default="realistic")
    args = parser.parse_args()
    papers = make_corpus(args.corpus, args.papers)
    titles, abstracts = [t for t, _ in papers], [a for _, a in papers]
    start = time.perf_counter()
    index = SearchIndex.build(titles, abstracts)
    built = time.perf_counter() - start
    timings = sorted(engine_keystroke_ms(index, titles))
    p95 = timings[round(0.95 * len(timings)) - 1]
    print(
        f"{args.papers:,} papers ({args.corpus}, {len(vocabulary(papers)[1]):,} distinct words, "
        f"{len(index.fields['title'].vocabulary):,} in titles): index built in {built:.2f} s; "
        f"engine per keystroke p50 {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms "
        f"({len(timings)} keystrokes)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
