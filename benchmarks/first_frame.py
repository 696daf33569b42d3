"""Time from process start to the first frame with titles, seen through a real pseudo-terminal.

The reader runs as a user runs it (``digestreader --library DIR``) on a 120x40 pty; the clock
stops when the terminal output contains the first listed title. The floor, a bare Textual app
drawing one line, is timed the same way.

The reader is timed with its bytecode written, as an installed package has it (pip compiles a
wheel's modules; Textual's are compiled in this venv): where PYTHONDONTWRITEBYTECODE is set and
the package is installed editable, each start otherwise compiled ~80 modules from source,
which the floor never pays (about 0.1 s of a 0.5-0.65 s first frame here).
"""

from __future__ import annotations

import compileall
import fcntl
import os
import pty
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

TIMEOUT_S = 60.0
HERE = Path(__file__).resolve().parent


def compile_reader() -> None:
    """Write the reader's bytecode where it is missing or stale (as installing it does)."""
    import digestreader

    compileall.compile_dir(str(Path(digestreader.__file__).parent), quiet=1)


def bare_first_frame_seconds() -> float:
    """Seconds until a bare Textual app has drawn its one line (the floor of the first frame)."""
    from floor import FRAME_TEXT  # textual only: cheap, and the same in every run

    command = [sys.executable, str(HERE / "floor.py"), "frame"]
    return first_frame_seconds(Path(), FRAME_TEXT, command=command)


def first_frame_seconds(
    library: Path,
    needle: str,
    columns: int = 120,
    rows: int = 40,
    command: list[str] | None = None,
) -> float:
    """Seconds until ``needle`` (text from the first row) is drawn by the reader of
    ``library`` (or by ``command``); the program is then closed."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
    env.pop("TEXTUAL", None)
    if command is None:
        compile_reader()
    reader = command or [sys.executable, "-m", "digestreader", "--library", str(library)]
    start = time.perf_counter()
    proc = subprocess.Popen(
        reader, stdin=follower, stdout=follower, stderr=follower, env=env, start_new_session=True
    )
    os.close(follower)
    seen = b""
    wanted = needle.encode("utf-8")
    try:
        while time.perf_counter() - start < TIMEOUT_S:
            ready, _, _ = select.select([leader], [], [], 0.05)
            if not ready:
                continue
            try:
                seen += os.read(leader, 1 << 16)
            except OSError:  # the reader exited before drawing
                break
            if wanted in seen:
                return time.perf_counter() - start
        tail = seen[-400:].decode("utf-8", "replace")
        raise RuntimeError(f"no frame with {needle!r} in {TIMEOUT_S:.0f} s; last output: {tail}")
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
        os.close(leader)
