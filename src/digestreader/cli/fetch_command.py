"""``digestreader fetch``: the Hugging Face daily papers of a day, a week, a month or since a day.

Each day gets one line, ``import``'s summary after the day; a range shows a progress bar on
stderr when it is a terminal (never in a pipe or a log). A failing day is one error line; the
days before it stay.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING

# The day handling only: the HTTP client and the import path load when a fetch runs, not for
# every other command (this module is imported to build the parser).
from digestreader.ingest.days import (
    FetchError,
    days_between,
    month_days,
    parse_day,
    today,
    up_to_today,
    week_days,
)
from digestreader.library import Library

if TYPE_CHECKING:
    from digestreader.ingest.fetch import FetchReport
from digestreader.sanitize import clean_line


def _argument(parse: Callable[[str], object]) -> Callable[[str], object]:
    def checked(text: str) -> object:
        try:
            return parse(text)
        except ValueError as err:
            raise argparse.ArgumentTypeError(str(err)) from None

    return checked


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The ``fetch`` subcommand and its mutually exclusive ranges."""
    p = sub.add_parser("fetch", help="fetch the Hugging Face daily papers (default: today, UTC)")
    span = p.add_mutually_exclusive_group()
    span.add_argument("--date", type=_argument(parse_day), metavar="YYYY-MM-DD", help="one day")
    span.add_argument("--week", type=_argument(week_days), metavar="YYYY-Www", help="an ISO week")
    span.add_argument("--month", type=_argument(month_days), metavar="YYYY-MM", help="a month")
    span.add_argument(
        "--since", type=_argument(parse_day), metavar="YYYY-MM-DD", help="that day to today"
    )


def requested_days(args: argparse.Namespace, now: date) -> list[str]:
    """The days the options ask for, up to today."""
    if args.week is not None:
        return up_to_today(args.week, now)
    if args.month is not None:
        return up_to_today(args.month, now)
    if args.since is not None:
        return up_to_today(days_between(args.since, now) or [args.since], now)
    return up_to_today([args.date or now], now)


@contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None] | None]:
    """A progress bar on stderr for a range, only when stderr is a terminal."""
    if total < 2 or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as progress:
        task = progress.add_task("daily papers", total=total)
        yield lambda day: progress.update(task, advance=1, description=day)


def _day_lines(report: FetchReport) -> list[str]:
    """One line per day fetched: import's summary for a day stored, or that it had none."""
    from digestreader.ingest.service import import_summary  # numpy: only when fetching

    return [
        f"{day}: {import_summary(result) if result is not None else 'no daily papers'}"
        for day, result in report.per_day
    ]


def run(lib: Library, args: argparse.Namespace, prog: str) -> None:
    """Fetch the requested days; FetchError (one line) for the first that fails."""
    from digestreader.ingest.fetch import FetchReport, fetch

    days = requested_days(args, today())
    report = FetchReport()
    try:
        with _progress(len(days)) as on_day:
            fetch(lib, days, on_day, report)
    except FetchError:
        if report.per_day:
            done = len(report.per_day)
            kept = f"{done} day{'s' if done != 1 else ''} fetched before the error"
            print("\n".join([*_day_lines(report), f"{kept}; those days are kept"]))
        raise
    finally:
        for warning in report.warnings:
            print(f"{prog}: warning: {clean_line(warning)}", file=sys.stderr)
    print("\n".join(_day_lines(report)))
    if report.empty and not report.days:
        print(f"{prog}: no daily papers for {', '.join(report.empty)}", file=sys.stderr)


__all__ = ["FetchError", "add_parser", "run"]
