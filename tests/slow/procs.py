"""Running the real CLI as separate processes, and killing them inside a write.

A kill is aimed by polling the library's folders for our temp files (``.<name>.<random>.tmp``):
the moment one appears, the process is inside ``atomic_write_bytes`` (between creating the
temp file and renaming it), and SIGKILL lands there. No hook in the code under test.
"""

from __future__ import annotations

import fcntl
import json
import os
import random
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from digestreader.store.files import is_our_leftover

POLL_S = 0.0003  # writes keep a temp file for 1-8 ms on this disk (measured)
# In this checkout (gitignored), not in /tmp: runs in other checkouts on the same machine
# cleared a shared folder at their start and wiped this run's figures.
FIGURES_DIR = Path(__file__).resolve().parents[2] / ".test-cache" / "slow-figures"


def record(name: str, figures: dict[str, Any]) -> None:
    """Keep a measured figure for the run's summary (a file: xdist workers are processes)."""
    FIGURES_DIR.mkdir(parents=True, exist_ok=True)
    (FIGURES_DIR / f"{name.replace('/', '+')}.json").write_text(json.dumps(figures))
    print(name, figures)


def cli_args(root: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "digestreader", "--library", str(root), *args]


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cli_args(root, *args), capture_output=True, text=True, check=False)


@contextmanager
def reader_in_pty(root: Path) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """The real reader on ``root`` in a 120x40 pseudo-terminal: the process and the pty's
    leader end to read its output from and type into. A reader still running on leaving
    (a test that failed or ran out of time) is killed: with its terminal closed and no
    controlling tty to hang up, it would otherwise spin on, unseen, for the rest of the run."""
    leader, follower = os.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    env = dict(os.environ, TERM="xterm-256color", COLORTERM="truecolor")
    env.pop("TEXTUAL", None)
    proc = subprocess.Popen(
        cli_args(root),
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        start_new_session=True,
    )
    os.close(follower)
    try:
        yield proc, leader
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(leader)


def read_pty(leader: int, timeout: float) -> bytes | None:
    """What the reader wrote to its pty within ``timeout`` (b"" for nothing yet); None once
    it has closed its end."""
    ready, _, _ = select.select([leader], [], [], timeout)
    if not ready:
        return b""
    try:
        chunk = os.read(leader, 65536)
    except OSError:
        return None
    return chunk or None


def temp_files(folders: list[Path]) -> list[str]:
    found = []
    for folder in folders:
        try:
            found += [e.name for e in os.scandir(folder) if is_our_leftover(e.name)]
        except OSError:
            continue
    return found


@dataclass
class Outcome:
    """One run: whether it was killed inside a write, and what it printed before it ended."""

    killed_in_write: bool
    left_temp: bool
    stdout: str
    returncode: int


def run_and_kill(
    root: Path,
    args: list[str],
    folders: list[Path],
    rng: random.Random,
    nth_file: int = 1,
    timeout: float = 30,
) -> Outcome:
    """Start the CLI; SIGKILL it as soon as a new temp file of ours shows in ``folders`` (after
    a random 0-2 ms, to land at different points of the write). Leftovers of earlier kills do
    not count: only a temp file this process made. With ``nth_file`` > 1 the kill waits for
    that many distinct temp files (an import writes a segment, the catalog, the index)."""
    before = set(temp_files(folders))
    proc = subprocess.Popen(
        cli_args(root, *args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    killed = False
    seen: set[str] = set()
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        seen |= set(temp_files(folders)) - before
        if len(seen) >= nth_file:
            time.sleep(rng.random() * 0.002)
            proc.send_signal(signal.SIGKILL)
            killed = True
            break
        time.sleep(POLL_S)  # a busy loop would take the core the writer needs
    out, _ = proc.communicate()
    left = bool(set(temp_files(folders)) - before)
    return Outcome(killed, left, out, proc.returncode)
