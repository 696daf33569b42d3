"""A process's own peak memory, and a way to run the CLI that reports it.

``ru_maxrss`` (getrusage, wait4) is not a child's own figure on Linux: it keeps the largest
resident size of the process before its exec, and a child forked by a benchmark holding a 50k
corpus started at the parent's size. The reader's peak read 250 MB that way, 211 MB on its own.
``VmHWM`` in /proc/self/status is the high-water mark of the process's own memory.

    python benchmarks/peak.py OUT --library DIR import FILE...   # the CLI; its peak MB to OUT
"""

from __future__ import annotations

import atexit
import resource
import runpy
import sys
from pathlib import Path


def own_peak_mb() -> float:
    """This process's peak resident memory in MB (VmHWM; ru_maxrss where /proc is not)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass  # not Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run_cli(out: Path, args: list[str]) -> None:
    atexit.register(lambda: out.write_text(f"{own_peak_mb():.1f}\n"))
    sys.argv = ["digestreader", *args]
    runpy.run_module("digestreader", run_name="__main__")


if __name__ == "__main__":
    _run_cli(Path(sys.argv[1]), sys.argv[2:])
