"""One long-lived thread that computes listings; only the newest request is ever computed.

A Textual thread worker per keystroke costs a thread start and several state-change messages on
the UI thread, about as much as the search itself at 50k papers. This thread waits on a
condition; a request replaces any request not yet started, so a burst of keys costs one search.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from digestreader.reader.model import Listing, Scope, Sort


@dataclass(frozen=True)
class ListingRequest:
    """What to compute: the arguments of :meth:`ReaderModel.compute`."""

    query: str
    view: Scope
    sort: Sort
    digest: str | None
    generation: int


class FilterThread:
    """Runs ``compute`` off the UI thread and hands each result (or error) to ``deliver``.

    ``deliver`` is called on this thread: it must be thread-safe (``post_message`` is).
    """

    def __init__(
        self,
        compute: Callable[[ListingRequest], Listing],
        deliver: Callable[[Listing | BaseException], None],
    ) -> None:
        self._compute = compute
        self._deliver = deliver
        self._wake = threading.Condition()
        self._pending: ListingRequest | None = None
        self._stopped = False
        self._thread = threading.Thread(target=self._run, name="digestreader-filter", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def submit(self, request: ListingRequest) -> None:
        """Ask for a listing; an older request that has not started is dropped."""
        with self._wake:
            self._pending = request
            self._wake.notify()

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
                result: Listing | BaseException = self._compute(request)
            except Exception as error:  # a bug must reach the UI, not die with this thread
                result = error
            self._deliver(result)
