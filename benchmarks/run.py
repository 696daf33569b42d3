"""digestreader's benchmark: import, first frame, filter keystrokes, bookmark, memory.

    python benchmarks/run.py                      # 1k, 10k, 50k, 100k papers
    python benchmarks/run.py --papers 50000 --json result.json

Each size gets a fresh library of N distinct synthetic papers made from the bundled samples'
real titles and abstracts (fixed seed). ``--json`` writes, for one size, an object with exactly
the keys import_s, first_frame_s, filter_p50_ms, filter_p95_ms, bookmark_ms, rss_mb; for several
sizes, an object of such objects keyed by the paper count.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from first_frame import first_frame_seconds  # noqa: E402
from synth import synthetic_papers, write_digests  # noqa: E402

from digestreader.library import Library  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 50_000, 100_000)
FIRST_FRAME_RUNS = 5
KEYS = ("import_s", "first_frame_s", "filter_p50_ms", "filter_p95_ms", "bookmark_ms", "rss_mb")


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 100 values is the 95th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def measure(papers: int, work: Path) -> dict[str, Any]:
    """Every figure for one library size; ``work`` is a scratch folder."""
    digests = write_digests(synthetic_papers(papers), work / "digests")
    library = work / "library"
    command = [sys.executable, "-m", "digestreader", "--library", str(library), "import"]
    start = time.perf_counter()
    subprocess.run([*command, *map(str, digests)], check=True, capture_output=True)
    import_s = time.perf_counter() - start

    first_title = str(Library(library).catalog().docs[0]["title"])[:24]
    frames = [first_frame_seconds(library, first_title) for _ in range(FIRST_FRAME_RUNS)]

    probe = subprocess.run(
        [sys.executable, str(HERE / "reader_probe.py"), str(library)],
        check=True,
        capture_output=True,
        text=True,
    )
    reader = orjson.loads(probe.stdout)
    keys = reader["keystroke_ms"]
    return {
        "import_s": round(import_s, 2),
        "first_frame_s": round(statistics.median(frames), 3),
        "filter_p50_ms": round(statistics.median(keys), 1),
        "filter_p95_ms": round(percentile(keys, 0.95), 1),
        "bookmark_ms": round(reader["bookmark_ms"], 2),
        "rss_mb": round(reader["rss_mb"], 1),
        # Shown in the table, not in the JSON (whose keys are fixed):
        "bookmark_share": reader["bookmark_bytes"] / reader["library_bytes"],
        "bookmark_bytes": reader["bookmark_bytes"],
        "bookmark_fresh_ms": round(reader["bookmark_fresh_ms"], 1),
        "bookmark_all_read_ms": round(reader["bookmark_all_read_ms"], 1),
        "keystrokes": len(keys),
    }


def machine() -> str:
    """One line about where the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass  # not Linux: platform's answer stands
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def table(results: dict[int, dict[str, Any]]) -> str:
    """A Markdown table of the figures, one row per size."""
    rows = [
        "| papers | import s | first frame s | filter p50 ms | filter p95 ms "
        "| bookmark ms (fresh / all read) | bookmark writes at most | RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for papers, r in results.items():
        rows.append(
            f"| {papers:,} | {r['import_s']} | {r['first_frame_s']} | {r['filter_p50_ms']} "
            f"| {r['filter_p95_ms']} | {r['bookmark_ms']} ({r['bookmark_fresh_ms']} / "
            f"{r['bookmark_all_read_ms']}) | {r['bookmark_bytes'] / 1024:.1f} KB "
            f"({r['bookmark_share']:.3%}) | {r['rss_mb']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    args = parser.parse_args(argv)
    results: dict[int, dict[str, Any]] = {}
    for papers in args.papers:
        with tempfile.TemporaryDirectory(prefix=f"digestreader-bench-{papers}-") as work:
            started = time.perf_counter()
            results[papers] = measure(papers, Path(work))
            took = time.perf_counter() - started
            print(f"{papers:,} papers measured in {took:.0f} s", file=sys.stderr)
    print(f"Machine: {machine()}\n")
    print(table(results))
    if args.json:
        plain = {n: {k: r[k] for k in KEYS} for n, r in results.items()}
        one = len(plain) == 1
        data: Any = plain[args.papers[0]] if one else {str(n): v for n, v in plain.items()}
        args.json.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
