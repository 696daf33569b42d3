"""The reader's filter thread: only the newest request is computed, errors come back."""

from __future__ import annotations

import threading

import numpy as np

from digestreader.reader.filter_thread import FilterThread
from digestreader.reader.listing import Listing, ListingSpec


def spec(n: int) -> ListingSpec:
    return ListingSpec(query=f"q{n}")


def test_a_burst_of_requests_computes_the_first_and_the_newest_only() -> None:
    started, release = threading.Event(), threading.Event()
    computed: list[int] = []
    delivered: list[Listing | BaseException] = []
    done = threading.Event()

    def compute(req: ListingSpec, generation: int) -> Listing:
        computed.append(generation)
        if generation == 1:
            started.set()
            release.wait(5)
        return Listing(np.zeros(0, np.int32), req, generation)

    def deliver(result: Listing | BaseException) -> None:
        delivered.append(result)
        if isinstance(result, Listing) and result.generation == 5:
            done.set()

    thread = FilterThread(compute, deliver)
    thread.start()
    assert thread.submit(spec(1)) == 1
    assert started.wait(5)
    for n in (2, 3, 4, 5):  # arrive while 1 is still computing
        assert thread.submit(spec(n)) == n
    release.set()
    assert done.wait(5)
    thread.stop()
    assert computed == [1, 5]
    assert [r.generation for r in delivered if isinstance(r, Listing)] == [1, 5]
    assert [r.spec.query for r in delivered if isinstance(r, Listing)] == ["q1", "q5"]


def test_an_error_is_delivered_not_swallowed() -> None:
    got: list[Listing | BaseException] = []
    done = threading.Event()

    def compute(req: ListingSpec, generation: int) -> Listing:
        raise ValueError(f"broken {req.query}")

    def deliver(result: Listing | BaseException) -> None:
        got.append(result)
        done.set()

    thread = FilterThread(compute, deliver)
    thread.start()
    thread.submit(spec(7))
    assert done.wait(5)
    thread.stop()
    assert isinstance(got[0], ValueError)
    assert str(got[0]) == "broken q7"
