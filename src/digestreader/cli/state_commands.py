"""The commands that change the user's state of papers: `mark`, `unmark`, `read`, `unread`
(each over one or more ids) and `note` (one paper; '-' reads stdin, '' clears)."""

from __future__ import annotations

import argparse

from digestreader.library import Library


def flag(lib: Library, args: argparse.Namespace) -> None:
    """Set or clear the mark or the read flag of ``args.ids``, as ``args.command`` says."""
    setter, value, verb = {
        "mark": (lib.set_marked, True, "marked"),
        "unmark": (lib.set_marked, False, "unmarked"),
        "read": (lib.set_read, True, "marked read"),
        "unread": (lib.set_read, False, "marked unread"),
    }[args.command]
    ids = setter(args.ids, value)
    handles = " ".join(lib.handle(pid) for pid in ids)
    print(f"{verb} {len(ids)} paper{'s' if len(ids) != 1 else ''}: {handles}")


def note(lib: Library, args: argparse.Namespace) -> None:
    """Save (or, when blank, clear) the note of ``args.id``."""
    text = args.text
    if text == "-":
        from digestreader.ingest.sources import InputError, read_source

        try:
            text = read_source("-").decode("utf-8")
        except UnicodeDecodeError as err:
            # Stdin that is not text is an input that cannot be read: one line, exit 1.
            raise InputError(f"<stdin>: not UTF-8 text (offset {err.start})") from None
    pid = lib.set_note(args.id, text)
    done = "cleared the note of" if not text.strip() else "saved the note of"
    print(f"{done} {lib.handle(pid)}")
