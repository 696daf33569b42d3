"""The upkeep commands: `backup` (marks, reads and notes as one JSON file that `import`
restores) and `doctor` (check every library file; --repair fixes what it can)."""

from __future__ import annotations

import argparse
import os
import sys

from digestreader.library import Library
from digestreader.models import UserState
from digestreader.sanitize import clean_line


class UpkeepError(Exception):
    """A one-line error (exit 1)."""


class Findings(Exception):
    """Exit 1: doctor found problems, each already printed on its own line."""


def backup(lib: Library, args: argparse.Namespace) -> None:
    """Every paper with a state (an unmarked one with a note, or one unmarked since: its
    timestamps matter to a restore), in the JSON export format `import` restores."""
    from digestreader.export import ExportError, write_export  # only here: cold commands
    from digestreader.export.jsonio import to_json

    blank = UserState()
    views = [v for v in lib.papers_with_state() if v.state != blank]
    if args.output is None:
        sys.stdout.write(to_json(views))
        return
    try:
        write_export(views, "json", args.output)
        os.chmod(args.output.expanduser(), 0o600)  # notes are private, unlike an export
    except (ExportError, OSError) as err:
        raise UpkeepError(str(err)) from None
    print(f"backed up {len(views)} papers to {args.output}", file=sys.stderr)


def doctor(lib: Library, args: argparse.Namespace) -> None:
    from digestreader.doctor import examine, repair  # the search index path: only here

    findings = examine(lib)
    if findings and args.repair:
        for line in repair(findings):
            print(clean_line(line))
        findings = examine(lib)
    for finding in findings:
        print(clean_line(finding.line()))
    if findings:
        raise Findings
    print("library ok")
