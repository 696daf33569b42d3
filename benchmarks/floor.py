"""The framework's floor: bare Textual apps timed exactly as the reader is.

    python benchmarks/floor.py keystrokes N   # prints {"keystroke_ms": [...]}
    python benchmarks/floor.py keystrokes N reader-collector   # the reader's collector policy
    python benchmarks/floor.py frame          # draws one line (run by first_frame.py on a pty)

On a shared machine absolute latencies move by tens of percent between runs; the same figures
for an app that does nothing but what Textual must do (an Input, a Line-API list of N rows
that filters nothing; one line of text for the first frame) move with them, so the reader's
figures divided by these floors say what the reader's own code costs.

A bare app runs Python's collector as it comes: about five full collections (13-25 ms each)
land in the 115 keystrokes, right at their p95, so that p95 moves between about 5 and 11 ms
from run to run with nothing changed. The reader freezes what it has at start and keeps full
passes for pauses (ui/app.py). ``reader-collector`` gives the floor the same policy, so the
ratio to it says what the reader's code costs, without the collector's luck.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import time
from typing import Any, ClassVar

import orjson
from keystrokes import QUERIES, send_key
from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widgets import Input, Static

FRAME_TEXT = "digestreader floor: one line"


class Rows(ScrollView):
    """N rows drawn with the Line API, as the reader's paper list; showing a query changes
    nothing but the row count's repaint."""

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False)

    def __init__(self, count: int) -> None:
        super().__init__()
        self.count = count
        self.shown = ""  # the query whose "result" is shown (not .query: a Widget method)
        self._shown = asyncio.Event()

    def on_mount(self) -> None:
        self.virtual_size = Size(self.size.width, self.count)

    def show(self, query: str) -> None:
        """Take a new "result": every row, as before."""
        self.shown = query
        self.virtual_size = Size(self.size.width, self.count)
        self.refresh()
        self._shown.set()

    async def wait_for(self, query: str) -> None:
        """Until the list shows ``query``'s result (the reader probe's _ListingWatch)."""
        while self.shown != query:
            self._shown.clear()
            await self._shown.wait()

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        if row >= self.count:
            return Strip.blank(width)
        text = f"   ● Paper number {row} of a list that no query filters {self.shown}"
        return Strip([Segment(text[:width].ljust(width))], width)


class FloorApp(App[None]):
    """An Input over a list of ``count`` rows."""

    CSS: ClassVar[str] = "Rows { height: 1fr; }"

    def __init__(self, count: int) -> None:
        super().__init__()
        self.rows = Rows(count)

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter")
        yield self.rows

    def on_input_changed(self, event: Input.Changed) -> None:
        self.rows.show(event.value)


class OneLineApp(App[None]):
    """The least a Textual app can draw."""

    def compose(self) -> ComposeResult:
        yield Static(FRAME_TEXT)


async def probe_keystrokes(count: int, reader_collector: bool = False) -> dict[str, Any]:
    """Milliseconds per keystroke over the reader probe's queries, measured the same way
    (with the reader's collector policy if ``reader_collector``)."""
    app = FloorApp(count)
    keystrokes: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        app.query_one(Input).focus()
        await pilot.pause()
        if reader_collector:  # as the reader once started: its start frozen, its thresholds
            # Only here: the reader's modules in a bare app's heap would slow its collections.
            from digestreader.ui.app import GC_THRESHOLDS

            gc.set_threshold(*GC_THRESHOLDS)
            gc.collect()
            gc.freeze()
        for query in QUERIES:
            for typed, char in enumerate(query, start=1):
                start = time.perf_counter()
                send_key(app, char)
                await app.rows.wait_for(query[:typed])
                app.screen._on_timer_update()  # compose the frame that shows the new list
                keystrokes.append((time.perf_counter() - start) * 1000)
            app.query_one(Input).value = ""  # clear the filter, as escape does in the reader
            await app.rows.wait_for("")
    return {"keystroke_ms": keystrokes}


if __name__ == "__main__":
    if sys.argv[1:2] == ["frame"]:
        OneLineApp().run()
    else:
        reader_collector = sys.argv[3:4] == ["reader-collector"]
        result = asyncio.run(probe_keystrokes(int(sys.argv[2]), reader_collector))
        sys.stdout.write(orjson.dumps(result).decode() + "\n")
