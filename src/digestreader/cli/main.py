"""The command line: argparse front door dispatching to the library, search and the reader.

Exit codes: 0 success, 1 error (bad input, unknown id, unreadable library), 2 usage.
Errors are one line on stderr starting with ``digestreader: error:``.
"""

from __future__ import annotations

import argparse
import gc
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from digestreader import __version__
from digestreader.cli import PROG, CommandError, fetch_command, state_commands, upkeep
from digestreader.cli.selection import select
from digestreader.library import Library, LibraryError, default_root
from digestreader.render import key_values, paper_details, paper_table
from digestreader.sanitize import clean_line

# The export, import, reader and search paths (numpy among them) load in the commands that use
# them: a cold `mark ID` at 50k papers is mostly interpreter start and imports.
EXPORT_FORMATS = ("bibtex", "csv", "json", "markdown", "ris")  # sorted(export.EXTENSIONS)
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
COMMANDS = (
    "import",
    "fetch",
    "list",
    "show",
    "mark",
    "unmark",
    "read",
    "unread",
    "note",
    "stats",
    "export",
    "backup",
    "doctor",
)


def _global_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--library", metavar="DIR", type=Path, help="library folder")
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")


def build_parser() -> argparse.ArgumentParser:
    """The parser of every subcommand."""
    parser = argparse.ArgumentParser(prog=PROG, description="Triage research-paper digests.")
    _global_options(parser)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p = sub.add_parser("import", help="import digest files ('-' reads stdin)")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("-v", "--verbose", action="store_true", help="one line per digest")
    fetch_command.add_parser(sub)
    p = sub.add_parser("list", help="list papers")
    p.add_argument("--query", "-q", default="", metavar="Q", help="fzf-like search query")
    p.add_argument("--marked", action="store_true", help="only bookmarked papers")
    p.add_argument("--unread", action="store_true", help="only unread papers")
    p.add_argument("--limit", type=int, metavar="N", help="at most N papers")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("show", help="show one paper")
    p.add_argument("id")
    p.add_argument("--json", action="store_true", help="print JSON")
    for name, text in (
        ("mark", "bookmark papers"),
        ("unmark", "remove bookmarks"),
        ("read", "mark papers read"),
        ("unread", "mark papers unread"),
    ):
        sub.add_parser(name, help=text).add_argument("ids", nargs="+", metavar="ID")
    p = sub.add_parser("note", help="set a paper's note ('-' reads stdin, '' clears)")
    p.add_argument("id")
    p.add_argument("text", metavar="TEXT")
    p = sub.add_parser("stats", help="library statistics")
    p.add_argument("--json", action="store_true", help="print JSON")
    p = sub.add_parser("export", help="export papers (default: the marked ones)")
    p.add_argument("--format", "-f", required=True, choices=EXPORT_FORMATS)
    scope = p.add_mutually_exclusive_group()
    scope.add_argument("--marked", action="store_true", help="the marked papers (default)")
    scope.add_argument("--all", action="store_true", help="every paper")
    scope.add_argument("--query", "-q", metavar="Q", help="the papers matching a query")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    p = sub.add_parser(
        "backup", help="write marks, reads and notes (with their papers) as one JSON file"
    )
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here, not stdout")
    p = sub.add_parser("doctor", help="check every library file; --repair fixes what it can")
    p.add_argument(
        "--repair",
        action="store_true",
        help="remove leftovers, rebuild the index, restore bad state files from backups/",
    )
    return parser


def build_reader_parser() -> argparse.ArgumentParser:
    """The parser of ``digestreader [--library DIR] [FILE...]``."""
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [--library DIR] [FILE...] | {PROG} [--library DIR] COMMAND ...",
        description=f"Open the reader (importing FILEs first). Commands: {', '.join(COMMANDS)}.",
    )
    _global_options(parser)
    parser.add_argument("files", nargs="*", metavar="FILE", help="digest files to import first")
    return parser


def _first_positional(argv: Sequence[str]) -> str | None:
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--library":
            skip = True
        elif arg == "--" or not arg.startswith("-") or arg == "-":
            return arg
    return None


def _print_json(data: object) -> None:
    sys.stdout.write(orjson.dumps(data, option=orjson.OPT_INDENT_2).decode() + "\n")


def _import(lib: Library, args: argparse.Namespace) -> None:
    from digestreader.ingest.service import digest_lines, import_summary, ingest
    from digestreader.ingest.sources import load_inputs

    inputs = load_inputs(args.files)
    report = ingest(lib, inputs)
    for warning in report.warnings:
        print(f"{PROG}: warning: {clean_line(warning)}", file=sys.stderr)
    result = report.imported
    if inputs.has_digests or not inputs.exports:
        if args.verbose:
            print("\n".join(clean_line(line) for line in digest_lines(result)))
        print(import_summary(result))
    if report.restored is not None:
        print(
            f"restored from export: {report.exported_papers} papers, {report.restored.updated} "
            f"added or extended, {report.restored.restored} with newer marks or notes"
        )


def _export(lib: Library, args: argparse.Namespace) -> None:
    from digestreader.export import ExportError, export, write_export

    views = (
        lib.papers_with_state()
        if args.all
        else select(lib, args.query or "", marked=args.query is None)
    )
    if args.output is None:
        sys.stdout.write(export(views, args.format))
    else:
        try:
            write_export(views, args.format, args.output)
        except ExportError as err:
            raise CommandError(str(err)) from None
        print(f"wrote {len(views)} papers to {args.output}", file=sys.stderr)
    if not views:
        print(f"{PROG}: nothing to export: no papers in that selection", file=sys.stderr)


def _list(lib: Library, args: argparse.Namespace) -> None:
    if args.limit is not None and args.limit < 0:
        raise CommandError("--limit must be 0 or more")
    views = select(lib, args.query, args.marked, args.unread, args.limit)
    if args.json:
        _print_json([v.to_dict() for v in views])
    elif views:
        print(paper_table(views, handle=lib.handle))
    else:
        print("no papers" + (f" match '{args.query}'" if args.query else ""), file=sys.stderr)


def _show(lib: Library, args: argparse.Namespace) -> None:
    view = lib.get(args.id)
    if args.json:
        _print_json(view.to_dict())
    else:
        print(paper_details(view, handle=lib.handle(view.paper.id)))


def _stats(lib: Library, args: argparse.Namespace) -> None:
    stats = lib.stats()
    if args.json:
        _print_json(stats)
    else:
        print(key_values({"library": lib.root, **stats}))


HANDLERS: dict[str, Callable[[Library, argparse.Namespace], None]] = {
    "import": _import,
    "fetch": lambda lib, args: fetch_command.run(lib, args, PROG),
    "list": _list,
    "show": _show,
    "mark": state_commands.flag,
    "unmark": state_commands.flag,
    "read": state_commands.flag,
    "unread": state_commands.flag,
    "note": state_commands.note,
    "stats": _stats,
    "export": _export,
    "backup": upkeep.backup,
    "doctor": upkeep.doctor,
}


def _run(argv: list[str]) -> int:
    if _first_positional(argv) in COMMANDS:
        args = build_parser().parse_args(argv)
        library = Library(args.library or default_root())
        try:
            HANDLERS[args.command](library, args)
        finally:
            # A migration's notice, once, on stderr: stdout stays what scripts parse.
            for notice in library.notices:
                print(f"{PROG}: note: {clean_line(notice)}", file=sys.stderr)
        return EXIT_OK
    gc.disable()  # until the first frame is drawn: see DigestReaderApp.on_paper_list_shown
    try:
        args = build_reader_parser().parse_args(argv)
        if args.files:  # an import keeps the collector (seeding 560 samples goes without)
            gc.enable()
        from digestreader.ui.launch import run_reader  # Textual loads only for the reader

        return run_reader(Library(args.library or default_root()), args.files)
    finally:
        gc.enable()


def _one_line_errors() -> tuple[type[Exception], ...]:
    """The errors said in one line. Looked up only when an error reaches :func:`main`, so
    ``mark`` and ``show`` never import the input side (parser, sources, export formats)."""
    from digestreader.ingest.parser import ParseError
    from digestreader.ingest.sources import ExportFormatError, InputError

    return (
        CommandError,
        upkeep.UpkeepError,
        LibraryError,
        ParseError,
        InputError,
        ExportFormatError,
        fetch_command.FetchError,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    except _one_line_errors() as err:
        # Messages name files and libraries, and a path can carry terminal escapes.
        print(f"{PROG}: error: {clean_line(str(err))}", file=sys.stderr)
        return EXIT_ERROR
    except upkeep.Findings:  # each already printed, one line with its fix
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `digestreader list | head`
        sys.stderr.close()
        return EXIT_OK
