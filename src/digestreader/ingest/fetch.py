"""Fetch the Hugging Face daily papers, day by day, through ``huggingface_hub``'s own client.

``HfApi.list_daily_papers`` already honours ``HF_ENDPOINT``, tokens, proxies and
``HF_HUB_OFFLINE``; we only choose the days, bound the wait (the client waits forever by
default) and store each day as a digest ``hf-YYYY-MM-DD`` through :func:`ingest`, the one import
path. Each day is written as soon as it arrives, so a failure keeps the days before it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from digestreader.ingest.days import FetchError
from digestreader.ingest.hf import digest_name, digest_of
from digestreader.ingest.parser import ParseError
from digestreader.ingest.sources import Inputs
from digestreader.library import Library
from digestreader.models import Digest
from digestreader.sanitize import clean_line
from digestreader.store.documents import ImportResult

if TYPE_CHECKING:
    from huggingface_hub import HfApi
    from huggingface_hub.hf_api import PaperInfo

TIMEOUT_ENV = "DIGESTREADER_FETCH_TIMEOUT"
DEFAULT_TIMEOUT = 20.0  # seconds without an answer before a day counts as failed
PAGE_SIZE = 100
MAX_PAGES = 20  # 2,000 papers a day: far above any real day, and a bound on a looping server


@dataclass
class FetchReport:
    """What a fetch did: counts summed over the days stored, the days with no papers, and
    each day's own import (None: no papers that day), in the order fetched."""

    days: list[str] = field(default_factory=list)
    empty: list[str] = field(default_factory=list)
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    digests: int = 0
    known_digests: int = 0
    warnings: list[str] = field(default_factory=list)
    per_day: list[tuple[str, ImportResult | None]] = field(default_factory=list)


def timeout_seconds(environ: dict[str, str] | None = None) -> float:
    """The wait for an answer: ``$DIGESTREADER_FETCH_TIMEOUT`` seconds, else 20."""
    raw = (os.environ if environ is None else environ).get(TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(raw)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < 3600:
        raise FetchError(f"{TIMEOUT_ENV} must be a number of seconds, not '{clean_line(raw)}'")
    return seconds


def _client(timeout: float) -> HfApi:
    """The Hub client, its shared HTTP session bounded by ``timeout`` (imported here: half a
    second that only fetch pays)."""
    from huggingface_hub import HfApi, get_session

    get_session().timeout = timeout  # type: ignore[assignment,unused-ignore]  # takes seconds
    # The hub reads HF_ENDPOINT once, when imported; read now, a reader that changed it since
    # (or a test) still reaches the right server. Unset, the hub's default stands.
    return HfApi(endpoint=os.environ.get("HF_ENDPOINT", "").rstrip("/") or None)


def _item(info: PaperInfo) -> dict[str, Any]:
    """A paper as the API sent it, so one parser checks fetched days and saved files alike."""
    return {
        "paper": {
            "id": info.id,
            "title": info.title,
            "summary": info.summary or "",
            "authors": [{"name": a.name} for a in info.authors or ()],
            "upvotes": info.upvotes or 0,  # the client turns an upvote count of 0 into None
            "publishedAt": info.published_at.isoformat() if info.published_at else None,
        },
        "publishedAt": info.submitted_at.isoformat() if info.submitted_at else None,
    }


def _download(api: HfApi, day: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    seen: set[str] = set()
    for page in range(MAX_PAGES):
        infos = list(api.list_daily_papers(date=day, limit=PAGE_SIZE, p=page or None))
        fresh = [info for info in infos if info.id not in seen]
        seen.update(info.id for info in fresh)
        items.extend(_item(info) for info in fresh)
        if len(infos) < PAGE_SIZE or not fresh:
            break
    return items


def _status(code: int) -> str:
    """``503 Service Unavailable``: our words, not whatever the server put in its status line."""
    try:
        return f"{code} {HTTPStatus(code).phrase}"
    except ValueError:
        return str(code)


def fetch_day(api: HfApi, day: str, timeout: float) -> Digest | None:
    """The digest of one day (None when it has no papers); FetchError naming the day and the
    cause for anything that went wrong."""
    from httpx2 import TimeoutException, TransportError
    from huggingface_hub.errors import HfHubHTTPError, OfflineModeIsEnabled

    where = f"daily papers of {day}"
    try:
        items = _download(api, day)
        return digest_of(items, where, day) if items else None
    except OfflineModeIsEnabled:
        cause = "offline: HF_HUB_OFFLINE is set"
    except HfHubHTTPError as err:
        cause = f"the server answered HTTP {_status(err.response.status_code)}"
    except TimeoutException:
        cause = f"no answer within {timeout:g} s ({TIMEOUT_ENV})"
    except TransportError as err:
        cause = f"cannot reach {api.endpoint}: {type(err).__name__} {err}"
    except ParseError as err:
        cause = f"malformed daily papers: {err.message}"
    except (ValueError, TypeError, AttributeError, KeyError) as err:
        # The client parses the JSON and builds its objects as the answer is read: any of
        # these means the answer was not the daily papers list it expects.
        cause = f"malformed JSON from the server ({type(err).__name__})"
    raise FetchError(clean_line(f"{day}: {cause}"))


def fetch(
    library: Library,
    days: Iterable[str],
    on_day: Callable[[str], None] | None = None,
    report: FetchReport | None = None,
) -> FetchReport:
    """Fetch and store each day in turn; ``on_day`` hears of each one done. A FetchError stops
    at the failing day, and ``report`` (when given) holds what the days before it did."""
    from digestreader.ingest.service import ingest  # numpy and the index: not for other commands

    report = report if report is not None else FetchReport()
    timeout = timeout_seconds()
    api = _client(timeout)
    for day in days:
        digest = fetch_day(api, day, timeout)
        if digest is None:
            report.empty.append(day)
            report.per_day.append((day, None))
        else:
            done = ingest(library, Inputs(digests=[(digest_name(day), digest)]))
            result = done.imported
            report.new += result.new
            report.updated += result.updated
            report.duplicate += result.duplicate
            report.digests += result.digests
            report.known_digests += result.known_digests
            report.warnings.extend(done.warnings)
            report.days.append(day)
            report.per_day.append((day, result))
        if on_day is not None:
            on_day(day)
    return report
