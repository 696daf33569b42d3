"""Start the reader on a library: import the given files, seed an empty library, run the app."""

from __future__ import annotations

from digestreader.assets import sample_paths
from digestreader.config import load_config
from digestreader.ingest.service import ingest, ingest_digests
from digestreader.ingest.sources import load_inputs, parse_sources
from digestreader.library import Library
from digestreader.reader.model import ReaderModel


def prepare(library: Library, files: list[str]) -> list[str]:
    """Import ``files`` (or the bundled samples into an empty library); returns notices."""
    notices: list[str] = []
    if files:
        report = ingest(library, load_inputs(files))
        result = report.imported
        notices.append(f"Imported: {result.new} new, {result.updated} updated papers")
        if report.restored is not None:
            notices.append(f"Restored marks and notes of {report.restored.restored} papers")
        notices.extend(report.warnings)
    if not library.catalog().docs:
        samples = [str(p) for p in sample_paths()]
        report = ingest_digests(library, parse_sources(samples))
        notices.append(
            f"Your library was empty, so it now holds the {len(samples)} bundled sample digests "
            f"({report.imported.new} papers). Add your own with: digestreader import FILE"
        )
        notices.extend(report.warnings)
    return notices


def run_reader(library: Library, files: list[str]) -> int:
    """Open the reader; returns the exit code."""
    from digestreader.ui.app import DigestReaderApp

    notices = prepare(library, files)
    config, problem = load_config()
    if problem:
        notices.insert(0, problem)
    app = DigestReaderApp(ReaderModel(library), config, notices)
    app.run()
    return app.return_code or 0  # 1 when the app ended on an error
