"""What the keystroke probes type, and how a key is delivered: shared by the reader's probe
and the floor's, and free of the reader's modules (the floor's heap must be a bare app's: every
object the reader's modules add makes its collector's full passes longer)."""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.keys import _character_to_key

# One word, two words, a prefix, exclusions, a typo, and queries with no hits.
QUERIES = [
    "transformer",
    "language model",
    "diffu",
    "model !vision",
    "reinforcement learning",
    "graph !neural",
    "optimizaton",
    "xqzzyplonk",
    "'agent benchmark",
]


def send_key(app: App[Any], char: str) -> None:
    """Deliver one key the way the terminal driver does, without Pilot's idle waits (which
    sleep for tens of milliseconds and would swamp what is measured)."""
    key = "space" if char == " " else _character_to_key(char) if not char.isalnum() else char
    event = events.Key(key, char)
    event.set_sender(app)
    assert app._driver is not None
    app._driver.send_message(event)
