"""The real reader in a real pseudo-terminal over every hostile payload: no byte of an escape
sequence from paper text reaches the terminal (only Textual's own sequences, as on a clean
library, do)."""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path

import pytest

from digestreader.export.jsonio import FORMAT_NAME, FORMAT_VERSION
from digestreader.models import Paper, PaperWithState, Sighting, UserState, paper_id
from digestreader.store.documents import paper_to_doc
from tests.payloads import PAYLOADS
from tests.slow.procs import read_pty, reader_in_pty, record, run_cli

pytestmark = pytest.mark.slow


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return bool(text.strip())


# Lone surrogates make a JSON file unreadable as a whole (tested in test_payloads); the rest
# all go on screen.
USABLE = [p for p in PAYLOADS if _encodable(p)]

# Sequences a payload carries that Textual never sends: a clipboard write, a title, a
# hyperlink, palette and image protocols, device queries, C1 controls.
MARKERS = [
    b"\x1b]52;",
    b"\x1b]0;",
    b"\x1b]2;",
    b"\x1b]8;;http://evil",
    b"\x1b]4;",
    b"\x1b]1337",
    b"\x1bP+q",
    b"\x1b_APC",
    b"\x1b^privacy",
    b"\x1bc",
    b"\x1b[6n",
    b"\x1b[21t",
    b"\x1b[5i",
    b"\xc2\x9b",  # U+009B (C1 CSI) as UTF-8
    b"\xc2\x9d",
    b"\xc2\x90",
    b"\x07\x07",
]


def payload_library(root: Path, tmp: Path) -> None:
    views = []
    for n, payload in enumerate(USABLE):
        title = f"Payload {n} {payload}"[:300]
        paper = Paper(
            id=paper_id(title),
            title=title,
            abstract=f"Abstract {n}: {payload}",
            sources=(Sighting("payloads", None, n + 1),),
            first_seen="2026-01-01",
        )
        state = UserState(note=f"note {payload}", note_at="2026-01-02T00:00:00+00:00")
        views.append(PaperWithState(paper, state))
    export = tmp / "payloads.json"
    papers = [paper_to_doc(v.paper) | {"state": v.state.to_dict()} for v in views]
    export.write_text(
        json.dumps({"format": FORMAT_NAME, "version": FORMAT_VERSION, "papers": papers})
    )
    done = run_cli(root, "import", str(export))
    assert done.returncode == 0, done.stderr


def run_reader(root: Path, seconds: float = 6.0) -> bytes:
    """The bytes the reader writes to a 120x40 terminal while j moves through the papers."""
    with reader_in_pty(root) as (proc, leader):
        out = bytearray()
        start = time.monotonic()
        next_key = start + 2.0
        quit_sent = False
        while time.monotonic() - start < seconds + 10:
            chunk = read_pty(leader, 0.05)
            if chunk is None:
                break
            out += chunk
            now = time.monotonic()
            if now - start < seconds and now >= next_key:
                os.write(leader, b"j")
                next_key = now + 0.1
            elif now - start >= seconds and not quit_sent:
                os.write(leader, b"q")
                quit_sent = True
            if proc.poll() is not None and not chunk:
                break
        proc.wait(timeout=20)
    assert proc.returncode == 0, bytes(out[-2000:])
    return bytes(out)


def test_no_escape_from_paper_text_reaches_the_terminal(tmp_path: Path) -> None:
    clean_root = tmp_path / "clean"
    clean = run_reader(clean_root, seconds=3)  # seeded with the bundled samples
    hostile_root = tmp_path / "hostile"
    payload_library(hostile_root, tmp_path)
    hostile = run_reader(hostile_root)
    assert b"Payload" in hostile  # the papers were on screen
    textual_own = {m for m in MARKERS if m in clean}
    found = [m for m in MARKERS if m in hostile and m not in textual_own]
    assert not found, found
    # Text a payload would carry right after its escape: never next to an ESC or BEL.
    for word in (b"pwned title", b"aGVsbG8=", b"evil.example", b"window title"):
        assert not re.search(rb"[\x1b\x07\x9b][^\x1b]{0,12}" + re.escape(word), hostile), word
    record(
        "pty reader over payloads",
        {"payloads": len(USABLE), "bytes read": len(hostile), "foreign sequences": len(found)},
    )
