"""The reader's filter thread: only the newest request is computed, errors come back."""

from __future__ import annotations

import threading

import numpy as np

from digestreader.reader.filter_thread import FilterThread, ListingRequest
from digestreader.reader.model import Listing, Scope, Sort


def request(generation: int) -> ListingRequest:
    return ListingRequest(f"q{generation}", Scope.ALL, Sort.DIGEST, None, generation)


def listing_for(req: ListingRequest) -> Listing:
    return Listing(np.zeros(0, np.int32), req.query, req.view, req.sort, req.digest, req.generation)


def test_a_burst_of_requests_computes_the_first_and_the_newest_only() -> None:
    started, release = threading.Event(), threading.Event()
    computed: list[int] = []
    delivered: list[Listing | BaseException] = []
    done = threading.Event()

    def compute(req: ListingRequest) -> Listing:
        computed.append(req.generation)
        if req.generation == 1:
            started.set()
            release.wait(5)
        return listing_for(req)

    def deliver(result: Listing | BaseException) -> None:
        delivered.append(result)
        if isinstance(result, Listing) and result.generation == 5:
            done.set()

    thread = FilterThread(compute, deliver)
    thread.start()
    thread.submit(request(1))
    assert started.wait(5)
    for generation in (2, 3, 4, 5):  # arrive while 1 is still computing
        thread.submit(request(generation))
    release.set()
    assert done.wait(5)
    thread.stop()
    assert computed == [1, 5]
    assert [r.generation for r in delivered if isinstance(r, Listing)] == [1, 5]


def test_an_error_is_delivered_not_swallowed() -> None:
    got: list[Listing | BaseException] = []
    done = threading.Event()

    def compute(req: ListingRequest) -> Listing:
        raise ValueError(f"broken {req.query}")

    def deliver(result: Listing | BaseException) -> None:
        got.append(result)
        done.set()

    thread = FilterThread(compute, deliver)
    thread.start()
    thread.submit(request(7))
    assert done.wait(5)
    thread.stop()
    assert isinstance(got[0], ValueError)
    assert str(got[0]) == "broken q7"
