"""The days a fetch asks for: dates, ISO weeks and months, bounded to today (UTC).

Pure and light, apart from the fetch itself, so the command line parses ``fetch --week`` and
reports a fetch's error without loading the HTTP client or the import path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

MAX_DAYS = 366


class FetchError(Exception):
    """A day that could not be fetched: ``str()`` is one line naming the day and the cause."""


def today() -> date:
    """Today in UTC, the calendar the daily papers are dated by."""
    return datetime.now(UTC).date()


def parse_day(text: str) -> date:
    """A YYYY-MM-DD date; ValueError with a short reason otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date like 2026-04-16") from None


def days_between(first: date, last: date) -> list[date]:
    """Every day from ``first`` to ``last`` (both included; none if ``last`` is earlier)."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def week_days(text: str) -> list[date]:
    """The seven days of an ISO week ``YYYY-Www``."""
    try:
        year, week = text.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        raise ValueError(f"'{text}' is not a week like 2026-W16") from None
    return days_between(monday, monday + timedelta(days=6))


def month_days(text: str) -> list[date]:
    """Every day of a month ``YYYY-MM``."""
    try:
        first = date.fromisoformat(f"{text}-01")
    except ValueError:
        raise ValueError(f"'{text}' is not a month like 2026-04") from None
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    return days_between(first, following - timedelta(days=1))


def up_to_today(days: Sequence[date], now: date) -> list[str]:
    """The days that have happened, as YYYY-MM-DD; FetchError when none has or too many."""
    kept = [d.isoformat() for d in days if d <= now]
    if not kept:
        raise FetchError(f"nothing to fetch: {days[0].isoformat()} is after today ({now})")
    if len(kept) > MAX_DAYS:
        raise FetchError(f"{len(kept)} days is too many at once: fetch at most {MAX_DAYS}")
    return kept
