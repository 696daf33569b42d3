"""The benchmark harness runs end to end and writes exactly the documented keys (not timed)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parents[2]
KEYS = {"import_s", "first_frame_s", "filter_p50_ms", "filter_p95_ms", "bookmark_ms", "rss_mb"}


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
    assert "| 300 |" in run.stdout
