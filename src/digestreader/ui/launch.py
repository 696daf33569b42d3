"""Start the reader on a library: import the given files, seed an empty library, run the app."""

from __future__ import annotations

from digestreader.assets import sample_paths
from digestreader.browse import Browser
from digestreader.config import load_config
from digestreader.importer import load_inputs, parse_sources
from digestreader.library import Library


def prepare(library: Library, files: list[str]) -> list[str]:
    """Import ``files`` (or the bundled samples into an empty library); returns notices."""
    notices: list[str] = []
    if files:
        inputs = load_inputs(files)
        result = library.import_digests(inputs.digests)
        notices.append(f"Imported: {result.new} new, {result.updated} updated papers")
        notices.extend(result.warnings)
        if inputs.exports:
            restored = library.restore(inputs.exports)
            notices.append(f"Restored marks and notes of {restored.restored} papers")
    if not library.catalog().docs:
        samples = [str(p) for p in sample_paths()]
        result = library.import_digests(parse_sources(samples))
        notices.append(
            f"Your library was empty, so it now holds the {len(samples)} bundled sample digests "
            f"({result.new} papers). Add your own with: digestreader import FILE"
        )
    return notices


def run_reader(library: Library, files: list[str]) -> int:
    """Open the reader; returns the exit code."""
    from digestreader.ui.app import DigestReaderApp

    notices = prepare(library, files)
    config, problem = load_config()
    if problem:
        notices.insert(0, problem)
    DigestReaderApp(Browser(library), config, notices).run()
    return 0
