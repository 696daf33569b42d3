"""Two real readers in pseudo-terminals on one library, and a CLI writer beside them: reader A
marks the first papers of its list and notes one, reader B marks the last ones read and notes
one, the CLI notes papers in the middle; then both quit. Not one acknowledged change is lost."""

from __future__ import annotations

import os
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from digestreader.library import Library
from tests.slow.procs import read_pty, reader_in_pty, record, run_cli

pytestmark = pytest.mark.slow

ROWS = 15  # papers each reader changes
KEY_GAP_S = 0.15
CTRL_S = b"\x13"
CSI = re.compile(rb"\x1b\[[0-9;?<>=$]*[ -/]*[@-~]")  # styles and cursor moves split the text


def screen_text(out: bytes) -> bytes:
    return CSI.sub(b"", out)


Step = tuple[bytes, bytes]  # keys to type, then text to wait for on screen (b"": none)


def drive_reader(root: Path, steps: list[Step], go: threading.Event) -> bytes:
    """Run the reader in a 120x40 pty, type each step's keys once ``go`` is set (and the
    previous step's text is on screen), ``q`` last; the bytes it wrote. It must exit 0."""
    with reader_in_pty(root) as (proc, leader):
        out = bytearray()
        todo = [*steps, (b"q", b"")]
        wait_for, since = b"", 0
        next_key = time.monotonic() + 4.0  # the first frame is up well before this
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            chunk = read_pty(leader, 0.03)
            if chunk is None:
                break
            out += chunk
            shown = not wait_for or wait_for in screen_text(bytes(out[since:]))
            if todo and shown and go.is_set() and time.monotonic() >= next_key:
                since = len(out)
                keys, wait_for = todo.pop(0)
                os.write(leader, keys)
                next_key = time.monotonic() + KEY_GAP_S
            if proc.poll() is not None and not chunk:
                break
        proc.wait(timeout=20)
    assert not todo, f"stuck before {todo[0]!r}, waiting for {wait_for!r}"
    assert proc.returncode == 0, bytes(out[-2000:])
    return bytes(out)


def note(text: bytes) -> list[Step]:
    """Open the note editor, type ``text`` once it is up, save, and see it acknowledged."""
    return [(b"n", b"esc cancel"), (text, b""), (CTRL_S, b"Note saved")]


def cli_writer(root: Path, ids: list[str], go: threading.Event) -> dict[str, str]:
    """Note each of ``ids`` through the CLI while the readers type; the notes it acknowledged."""
    go.wait()
    time.sleep(4.0)
    acked = {}
    for n, pid in enumerate(ids):
        text = f"cli note {n}"
        done = run_cli(root, "note", pid, text)
        if done.returncode == 0 and done.stdout.strip():
            acked[pid] = text
        time.sleep(0.1)
    return acked


def test_two_readers_and_a_cli_writer_lose_no_update(
    sample_library: Library, tmp_path: Path
) -> None:
    root = sample_library.root
    listed = run_cli(root, "list").stdout.split("\n")
    middle = [line.split()[0] for line in listed[len(listed) // 2 - 10 : len(listed) // 2 + 10]]
    ids = [sample_library.resolve(handle) for handle in middle]
    keys_a = [(k, b"") for k in [b"g", *[b"b", b"j"] * ROWS]] + note(b"reader A")
    keys_b = [(k, b"") for k in [b"G", *[b"r", b"k"] * ROWS]] + note(b"reader B")
    go = threading.Event()
    started = time.monotonic()
    with ThreadPoolExecutor(3) as pool:
        a = pool.submit(drive_reader, root, keys_a, go)
        b = pool.submit(drive_reader, root, keys_b, go)
        cli = pool.submit(cli_writer, root, ids, go)
        go.set()
        screens, acked = [a.result(), b.result()], cli.result()
    for screen in map(screen_text, screens):
        assert b"Note saved" in screen  # the reader acknowledged its note on screen
        assert b"Not saved" not in screen
    states = Library(root).states()
    marked = sum(s.marked for s in states.values())
    read = sum(s.read for s in states.values())
    notes = {pid: s.note for pid, s in states.items() if s.note}
    lost = (ROWS - marked) + (ROWS - read)
    lost += sum(notes.get(pid) != text for pid, text in acked.items())
    lost += sum(text not in notes.values() for text in ("reader A", "reader B"))
    figures = {
        "reader changes": 2 * ROWS + 2,
        "cli changes acknowledged": len(acked),
        "lost": lost,
        "seconds": round(time.monotonic() - started),
    }
    record("two readers and a CLI writer", figures)
    assert len(acked) == len(ids)
    assert (marked, read) == (ROWS, ROWS)
    assert sorted(notes.values()) == sorted([*acked.values(), "reader A", "reader B"])
    assert lost == 0
