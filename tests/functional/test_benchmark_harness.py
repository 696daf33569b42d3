"""The benchmark harness runs end to end and writes exactly the documented keys (not timed), and
its realistic corpus follows the vocabulary curve fitted on the samples."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import orjson
import pytest

ROOT = Path(__file__).resolve().parents[2]
KEYS = {
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
}


@pytest.fixture
def synth() -> Iterator[ModuleType]:
    """benchmarks/synth.py, imported from its folder as run.py imports it."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import synth

        yield synth
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))


@pytest.mark.slow
def test_benchmark_writes_every_figure_for_a_small_library(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    script = ROOT / "benchmarks" / "run.py"
    run = subprocess.run(
        [sys.executable, str(script), "--papers", "300", "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    figures = orjson.loads(out.read_bytes())
    assert set(figures) == KEYS
    assert all(isinstance(v, float | int) and v > 0 for v in figures.values())
    assert f"| 300 | {figures['distinct_words']:,} |" in run.stdout
    # the cold commands, last in the row: mark / show / list seconds
    assert re.search(r"\| [0-9.]+ / [0-9.]+ / [0-9.]+ \|$", run.stdout, re.MULTILINE)


def test_the_reader_is_timed_with_its_bytecode_written_as_installed(tmp_path: Path) -> None:
    # Textual's modules are compiled in the venv; without this, under PYTHONDONTWRITEBYTECODE,
    # every timed start of the reader compiled its own ~80 modules from source.
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:  # by name: mypy checks src and tests, not the harness's own modules
        first_frame = importlib.import_module("first_frame")
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    import digestreader.ui.app

    source = Path(digestreader.ui.app.__file__)
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.unlink(missing_ok=True)
    first_frame.compile_reader()
    assert cached.stat().st_mtime >= source.stat().st_mtime


def test_realistic_corpus_has_the_fitted_vocabulary(synth: ModuleType) -> None:
    fit = synth.heaps_fit()
    assert 0.3 < fit.beta < 0.8  # a vocabulary that keeps growing, slower than the text
    papers = synth.realistic_papers(2000)
    tokens, words = synth.vocabulary(papers)
    assert abs(len(words) - fit.distinct(tokens)) <= 0.01 * fit.distinct(tokens)
    plain = synth.vocabulary(synth.synthetic_papers(2000))[1]
    assert len(words) > 1.5 * len(plain)
    titles = {synth.normalize_title(t) for t, _ in papers}
    assert len(titles) == len(papers)  # still distinct papers
    coined = [t for t, _ in papers if any(c.isdigit() for c in t.split(":")[0])]
    assert coined  # names with digits reach the titles


def test_realistic_corpus_survives_the_digest_format(synth: ModuleType, tmp_path: Path) -> None:
    from digestreader.ingest.sources import parse_sources

    papers = synth.realistic_papers(600)
    paths = synth.write_digests(papers, tmp_path)
    parsed = {
        (e.title, e.abstract) for _, d in parse_sources(list(map(str, paths))) for e in d.entries
    }
    assert parsed == set(papers)


def test_a_measured_process_reports_its_own_peak_not_its_parents(tmp_path: Path) -> None:
    # ru_maxrss keeps a child's size from before its exec: forked from a benchmark holding a
    # 50k corpus, the reader's peak read as the benchmark's (250 MB for 211).
    big = bytearray(200 * 1024 * 1024)
    for at in range(0, len(big), 4096):
        big[at] = 1  # resident, as a corpus in memory is
    out = tmp_path / "peak"
    run = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "peak.py"), str(out), "--version"],
        capture_output=True,
        check=False,
    )
    del big
    assert run.returncode == 0, run.stderr
    assert 5 < float(out.read_text()) < 120  # the CLI's start alone
