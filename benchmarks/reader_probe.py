"""Drive the real reader (headless, through Textual's Pilot) and time what a user feels.

Run as a child process by run.py so that its peak memory is the reader's alone:
``python benchmarks/reader_probe.py LIBRARY`` prints one JSON object.
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
from keystrokes import QUERIES, send_key
from peak import own_peak_mb

from digestreader.config import Config
from digestreader.library import Library
from digestreader.reader.model import ReaderModel
from digestreader.store.state import StateStore
from digestreader.ui.app import DigestReaderApp
from digestreader.ui.screens.main import MainScreen

BOOKMARKS = 20  # before and again after marking every paper read
POLL_S = 0.0005


class _ListingWatch:
    """Wakes the probe the moment the list shows a given query's result: polling with sleeps
    would add a millisecond of timer granularity to every measurement."""

    def __init__(self, screen: MainScreen) -> None:
        self._screen = screen
        self._shown = asyncio.Event()
        original = screen.paper_list.show

        def show(order: Any, query: str, keep: int | None = None) -> None:
            original(order, query, keep)
            self._shown.set()

        screen.paper_list.show = show  # type: ignore[method-assign]

    async def wait_for(self, query: str) -> None:
        while not (self._screen.listing is not None and self._screen.listing.spec.query == query):
            self._shown.clear()
            await self._shown.wait()


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        return 0


async def _until(condition: Callable[[], bool]) -> None:
    # A sleeping poll: the event loop and the filter worker keep the GIL to themselves.
    while not condition():
        await asyncio.sleep(POLL_S)


async def _listing_current(screen: MainScreen) -> None:
    """Wait until the list shows the result of the newest request."""
    await _until(lambda: screen.paper_list.settled)


async def _wait_ready(app: DigestReaderApp, screen: MainScreen) -> None:
    while not (screen.fully_loaded and screen.listing is not None):
        await asyncio.sleep(0.01)


async def _bookmarks(
    app: DigestReaderApp, screen: MainScreen, store: StateStore, pilot: Any, count: int
) -> list[tuple[float, int]]:
    """Bookmark ``count`` papers down the list: (ms to the durable write, bytes rewritten)."""
    timings = []
    for _ in range(count):
        current = screen.paper_list.current
        assert current is not None
        shard = store.shard_path(store.shard_of(app.model.papers[current].id))
        before = _mtime(shard)
        start = time.perf_counter()
        send_key(app, "b")  # the write (temp file, fsync, rename) happens in the handler

        def written(shard: Path = shard, before: int = before) -> bool:
            return _mtime(shard) != before

        await _until(written)
        timings.append(((time.perf_counter() - start) * 1000, shard.stat().st_size))
        await pilot.press("j")
    return timings


async def probe(library: Library) -> dict[str, Any]:
    """Keystroke latencies (ms), bookmark latencies (ms) and the bytes a bookmark writes."""
    app = DigestReaderApp(ReaderModel(library), Config())
    keystrokes: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _wait_ready(app, screen)
        listed = _ListingWatch(screen)
        for query in QUERIES:
            await pilot.press("slash")
            for typed, char in enumerate(query, start=1):
                start = time.perf_counter()
                send_key(app, char)
                await listed.wait_for(query[:typed])
                screen._on_timer_update()  # compose the frame that shows the new list
                keystrokes.append((time.perf_counter() - start) * 1000)
            await pilot.press("escape", "escape")  # clear the filter, back to the list
            await _listing_current(screen)
        store = library.state_store
        fresh = await _bookmarks(app, screen, store, pilot, BOOKMARKS)
        # The worst case for a bookmark: every paper has a state (R marks all shown read).
        await pilot.press("R")
        after_all_read = await _bookmarks(app, screen, store, pilot, BOOKMARKS)
    library_bytes = sum(p.stat().st_size for p in library.root.rglob("*") if p.is_file())
    return {
        "keystroke_ms": keystrokes,
        "bookmark_ms": statistics.median([t for t, _ in fresh + after_all_read]),
        "bookmark_fresh_ms": statistics.median([t for t, _ in fresh]),
        "bookmark_all_read_ms": statistics.median([t for t, _ in after_all_read]),
        "bookmark_bytes": max(size for _, size in fresh + after_all_read),
        "library_bytes": library_bytes,
        "rss_mb": own_peak_mb(),
    }


if __name__ == "__main__":
    result = asyncio.run(probe(Library(Path(sys.argv[1]))))
    sys.stdout.write(orjson.dumps(result).decode() + "\n")
