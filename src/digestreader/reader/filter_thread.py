"""One long-lived thread that computes listings; only the newest request is ever computed.

A Textual thread worker per keystroke costs a thread start and several state-change messages on
the UI thread, about as much as the search itself at 50k papers. This thread waits on a
condition; a request replaces any request not yet started, so a burst of keys costs one search.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from digestreader.reader.listing import Listing, ListingSpec


class FilterThread:
    """Runs ``compute`` off the UI thread and hands each result (or error) to ``deliver``.

    ``deliver`` is called on this thread: it must be thread-safe (``post_message`` is).
    """

    def __init__(
        self,
        compute: Callable[[ListingSpec, int], Listing],
        deliver: Callable[[Listing | BaseException], None],
    ) -> None:
        self._compute = compute
        self._deliver = deliver
        self._wake = threading.Condition()
        self._pending: tuple[ListingSpec, int] | None = None
        self._generation = 0
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digestreader-filter", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, spec: ListingSpec) -> int:
        """Ask for the listing of ``spec``; an older request that has not started is dropped.

        Returns the request's generation, which its :class:`Listing` carries: a listing of an
        older generation arrived late and is stale."""
        with self._wake:
            self._generation += 1
            self._pending = (spec, self._generation)
            self._wake.notify()
            return self._generation

    def supersede(self) -> int:
        """A generation newer than every request so far, dropping any not yet started: for a
        listing computed by the caller itself (one that needs no search)."""
        with self._wake:
            self._generation += 1
            self._pending = None
            return self._generation

    def stop(self) -> None:
        """Let the thread finish its current request and end."""
        with self._wake:
            self._stopped = True
            self._wake.notify()

    def _run(self) -> None:
        while True:
            with self._wake:
                while self._pending is None and not self._stopped:
                    self._wake.wait()
                if self._stopped:
                    return
                request, self._pending = self._pending, None
            assert request is not None
            try:
                result: Listing | BaseException = self._compute(*request)
            except Exception as error:  # a bug must reach the UI, not die with this thread
                result = error
            self._deliver(result)
