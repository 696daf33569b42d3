"""digestreader's benchmark: import, first frame, filter keystrokes, bookmark, memory.

    python benchmarks/run.py                      # 1k, 10k, 50k, 100k papers
    python benchmarks/run.py --papers 50000 --json result.json
    python benchmarks/run.py --corpus samples     # the old corpus, for comparison

Each size gets a fresh library of N distinct synthetic papers (fixed seed): by default the
``realistic`` corpus, whose distinct word count follows Heaps' law fitted on the bundled samples
(see synth.py); ``samples`` recombines the samples' text alone. Every paper is marked read
before anything is timed: a library in use has a state for every paper, and the first frame
and the flags of a filter cost more then.

The same run times the framework's floor the same way (floor.py): a bare Textual app with an
Input and a Line-API list of N rows that filters nothing, for keystrokes, and a bare app drawing
one line, for the first frame; reader and floor runs alternate. The keystroke floor is timed
twice: as a bare app runs (the budget's floor), and with the reader's collector policy (the
ratio to that one is the reader's code alone; see floor.py). The table's "daily page" is one
more page (250 new papers, 25 repeats) imported through the CLI into the N-paper library, every
paper read (median of 3 fresh copies; see daily.py). On a shared machine absolute
figures move by tens of percent between runs; the ratios to the floor move far less.

``--json`` writes, for one size, an object with exactly the keys import_s, first_frame_s,
filter_p50_ms, filter_p95_ms, bookmark_ms, rss_mb, keystroke_p95_floor_ratio,
first_frame_floor_ratio, engine_p95_ms, import_peak_mb and distinct_words; for several sizes,
an object of such objects keyed by the paper count.
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

from cold import cold_commands  # noqa: E402
from daily import daily_import_seconds, write_daily_page  # noqa: E402
from engine import engine_keystroke_ms  # noqa: E402
from first_frame import bare_first_frame_seconds, first_frame_seconds  # noqa: E402
from synth import make_corpus, vocabulary, write_digests  # noqa: E402

from digestreader.ingest.indexing import index_path, load_index  # noqa: E402
from digestreader.library import Library  # noqa: E402

DEFAULT_SIZES = (1_000, 10_000, 50_000, 100_000)
# Alternated with the bare app's; the median of seven (five moved the ratio by 0.2 between runs
# of the same code: one start in five can stall on another process).
FIRST_FRAME_RUNS = 7
# The p95 of one probe's 115 keystrokes is its sixth slowest: on a shared machine, a stall of
# either probe alone swings the ratio between 0.9 and 3. Alternating runs, pooled, see the same
# load on both sides; three runs pooled still gave 1.18-1.50 for the same code at 50k.
PROBE_RUNS = 5
KEYS = (
    "import_s",
    "first_frame_s",
    "filter_p50_ms",
    "filter_p95_ms",
    "bookmark_ms",
    "rss_mb",
    "keystroke_p95_floor_ratio",
    "first_frame_floor_ratio",
    "engine_p95_ms",
    "import_peak_mb",
    "distinct_words",
)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (p95 of 100 values is the 95th smallest)."""
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(share * len(ordered)) - 1))]


def timed_import(library: Path, digests: list[Path]) -> tuple[float, float]:
    """Import the digests with the CLI: (seconds, peak RSS of that process in MB, its own:
    see peak.py, through which it runs)."""
    with tempfile.NamedTemporaryFile(suffix=".peak") as peak:
        command = [sys.executable, str(HERE / "peak.py"), peak.name, "--library", str(library)]
        start = time.perf_counter()
        run = subprocess.run(
            [*command, "import", *map(str, digests)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            check=False,
        )
        took = time.perf_counter() - start
        if run.returncode:
            raise RuntimeError(f"import failed: {run.stderr.decode(errors='replace')[-2000:]}")
        return took, float(Path(peak.name).read_text())


def mark_everything_read(library: Path) -> None:
    """What ``R`` on the whole list does: every paper gets a state."""
    lib = Library(library)
    ids = [str(d["id"]) for d in lib.catalog().docs]
    lib.update_states(dict.fromkeys(ids, Library.flag_fields("read", True)))


def _child_json(script: str, *args: str) -> dict[str, Any]:
    run = subprocess.run(
        [sys.executable, str(HERE / script), *args], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = orjson.loads(run.stdout)
    return result


def engine_timings(library: Path) -> list[float]:
    """The search engine alone on the index the import saved, per keystroke (ms)."""
    catalog = Library(library).catalog()
    titles = [str(d["title"]) for d in catalog.docs]
    index = load_index(index_path(Library(library)), catalog.revision, len(titles))
    if index is None:
        raise RuntimeError("the import saved no search index")
    return engine_keystroke_ms(index, titles)


def measure(papers: int, work: Path, corpus: str) -> dict[str, Any]:
    """Every figure for one library size; ``work`` is a scratch folder."""
    generated = make_corpus(corpus, papers)
    distinct = len(vocabulary(generated)[1])
    digests = write_digests(generated, work / "digests")
    daily_page = write_daily_page(generated[:: max(1, papers // 1000)], work / "daily.txt")
    del generated
    library = work / "library"
    import_s, import_peak_mb = timed_import(library, digests)
    mark_everything_read(library)
    daily_import_s = daily_import_seconds(library, daily_page, timed_import)

    first_title = str(Library(library).catalog().docs[0]["title"])[:24]
    frames, bare = [], []
    for _ in range(FIRST_FRAME_RUNS):  # alternated, so both see the same machine load
        frames.append(first_frame_seconds(library, first_title))
        bare.append(bare_first_frame_seconds())

    keys, floor_keys, floor_gc_keys, readers = [], [], [], []
    for _ in range(PROBE_RUNS):
        readers.append(_child_json("reader_probe.py", str(library)))
        keys += readers[-1]["keystroke_ms"]
        floor_keys += _child_json("floor.py", "keystrokes", str(papers))["keystroke_ms"]
        floor_gc = _child_json("floor.py", "keystrokes", str(papers), "reader-collector")
        floor_gc_keys += floor_gc["keystroke_ms"]
    reader = readers[0]  # bookmarks and memory: the first run, on the library as imported
    engine = engine_timings(library)
    cold = cold_commands(library, str(Library(library).catalog().docs[-1]["id"]))
    first_frame, bare_frame = statistics.median(frames), statistics.median(bare)
    return {
        "import_s": round(import_s, 2),
        "first_frame_s": round(first_frame, 3),
        "filter_p50_ms": round(statistics.median(keys), 1),
        "filter_p95_ms": round(percentile(keys, 0.95), 1),
        "bookmark_ms": round(reader["bookmark_ms"], 2),
        "rss_mb": round(reader["rss_mb"], 1),
        "keystroke_p95_floor_ratio": round(
            percentile(keys, 0.95) / percentile(floor_keys, 0.95), 2
        ),
        "first_frame_floor_ratio": round(first_frame / bare_frame, 2),
        "engine_p95_ms": round(percentile(engine, 0.95), 2),
        "import_peak_mb": round(import_peak_mb, 1),
        "distinct_words": distinct,
        # Shown in the table, not in the JSON (whose keys are fixed):
        "daily_import_s": round(daily_import_s, 2),
        "floor_p95_ms": round(percentile(floor_keys, 0.95), 1),
        "floor_gc_p95_ms": round(percentile(floor_gc_keys, 0.95), 1),
        "keystroke_p95_floor_gc_ratio": round(
            percentile(keys, 0.95) / percentile(floor_gc_keys, 0.95), 2
        ),
        "bare_first_frame_s": round(bare_frame, 3),
        "engine_p50_ms": round(statistics.median(engine), 2),
        "bookmark_share": reader["bookmark_bytes"] / reader["library_bytes"],
        "bookmark_bytes": reader["bookmark_bytes"],
        "bookmark_fresh_ms": round(reader["bookmark_fresh_ms"], 1),
        "bookmark_all_read_ms": round(reader["bookmark_all_read_ms"], 1),
        "keystrokes": len(keys),
        **{name: round(seconds, 2) for name, seconds in cold.items()},
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
        "| papers | distinct words | import s (peak MB) | daily page s "
        "| first frame s (bare; ratio) "
        "| filter p50 / p95 ms | floor p95 ms (ratio) | floor, reader's collector (ratio) "
        "| engine p50 / p95 ms "
        "| bookmark ms (first / after R) | bookmark writes at most | RSS MB "
        "| cold mark / show / list s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for papers, r in results.items():
        rows.append(
            f"| {papers:,} | {r['distinct_words']:,} | {r['import_s']} ({r['import_peak_mb']}) "
            f"| {r['daily_import_s']} "
            f"| {r['first_frame_s']} ({r['bare_first_frame_s']}; "
            f"{r['first_frame_floor_ratio']}) | {r['filter_p50_ms']} / {r['filter_p95_ms']} "
            f"| {r['floor_p95_ms']} ({r['keystroke_p95_floor_ratio']}) "
            f"| {r['floor_gc_p95_ms']} ({r['keystroke_p95_floor_gc_ratio']}) "
            f"| {r['engine_p50_ms']} / {r['engine_p95_ms']} "
            f"| {r['bookmark_ms']} ({r['bookmark_fresh_ms']} / {r['bookmark_all_read_ms']}) "
            f"| {r['bookmark_bytes'] / 1024:.1f} KB ({r['bookmark_share']:.3%}) | {r['rss_mb']} "
            f"| {r['cold_mark_s']} / {r['cold_show_s']} / {r['cold_list_s']} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, nargs="+", default=list(DEFAULT_SIZES), metavar="N")
    parser.add_argument("--corpus", choices=("realistic", "samples"), default="realistic")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write the figures here")
    args = parser.parse_args(argv)
    results: dict[int, dict[str, Any]] = {}
    for papers in args.papers:
        with tempfile.TemporaryDirectory(prefix=f"digestreader-bench-{papers}-") as work:
            started = time.perf_counter()
            results[papers] = measure(papers, Path(work), args.corpus)
            took = time.perf_counter() - started
            print(f"{papers:,} papers measured in {took:.0f} s", file=sys.stderr)
    print(f"Machine: {machine()}\nCorpus: {args.corpus}; every paper read before timing\n")
    print(table(results))
    if args.json:
        plain = {n: {k: r[k] for k in KEYS} for n, r in results.items()}
        one = len(plain) == 1
        data: Any = plain[args.papers[0]] if one else {str(n): v for n, v in plain.items()}
        args.json.write_bytes(orjson.dumps(data, option=orjson.OPT_INDENT_2) + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
