"""The one import path the CLI and the reader share: digests in, exports restored, index updated."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from digestreader.ingest.indexing import update_index
from digestreader.ingest.sources import Inputs
from digestreader.library import Library
from digestreader.models import Digest
from digestreader.store.documents import DigestImportCounts, ImportResult


def _plural(count: int, word: str, plural: str | None = None) -> str:
    return f"{count} {word if count == 1 else plural or word + 's'}"


def entry_counts(counts: DigestImportCounts | ImportResult) -> str:
    """Entries, new papers, repeat sightings and already imported entries: numbers that add up
    however the same pages are split between imports."""
    return (
        f"{_plural(counts.entries, 'entry', 'entries')}: "
        f"{_plural(counts.new, 'new paper')}, "
        f"{_plural(counts.repeats, 'repeat sighting')} of known papers, "
        f"{counts.duplicate} already imported"
    )


def import_summary(result: ImportResult) -> str:
    """One line for an import: the counts, then how many digests were new or already known."""
    digests = _plural(result.digests, "new digest")
    if result.known_digests:
        digests += f", {result.known_digests} already imported"
    return f"{entry_counts(result)} ({digests})"


def digest_lines(result: ImportResult) -> list[str]:
    """One line per digest of an import, with the same counts as :func:`import_summary`."""
    return [f"{counts.name}: {entry_counts(counts)}" for counts in result.per_digest]


@dataclass
class IngestReport:
    """What :func:`ingest` did: the digests' import, the restore of any exports, and a warning
    when the search index could not be saved."""

    imported: ImportResult
    restored: ImportResult | None = None
    exported_papers: int = 0  # papers read from JSON exports
    warnings: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """Whether the corpus or any user state changed."""
        restored = self.restored is not None and self.restored.changed
        return self.imported.changed or restored


def ingest(library: Library, inputs: Inputs) -> IngestReport:
    """Import ``inputs`` (nothing is written if one was bad: pages are parsed one at a time,
    all before the write) into ``library``, then bring the saved search index up to date."""
    report = IngestReport(library.import_digests(inputs.stream()))
    report.warnings.extend(report.imported.warnings)
    if inputs.exports:
        report.restored = library.restore(inputs.exports)
        report.exported_papers = len(inputs.exports)
    corpus_written = report.imported.changed or bool(report.restored and report.restored.updated)
    if corpus_written:
        # update_index extends the saved index only when this import wrote the current corpus
        # (a restore after it changes the revision): one rule, kept there.
        problem = update_index(library, report.imported)
        if problem:
            report.warnings.append(problem)
    return report


def ingest_digests(library: Library, digests: Sequence[tuple[str, Digest]]) -> IngestReport:
    """Import parsed digest pages only (the bundled samples, a synthetic corpus)."""
    return ingest(library, Inputs(digests=list(digests)))
