"""Shared fixtures: the real sample digests and libraries in tmp_path."""

from __future__ import annotations

from pathlib import Path

import pytest

from digestreader.ingest.sources import parse_sources
from digestreader.library import Library

ASSETS = Path(__file__).resolve().parent.parent / "assets"
SAMPLES = sorted(ASSETS.glob("*.txt"))


@pytest.fixture
def samples() -> list[Path]:
    """The five real sample digests shipped in assets/."""
    return SAMPLES


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """An empty library on real TinyDB files in tmp_path."""
    return Library(tmp_path / "lib")


@pytest.fixture
def sample_library(library: Library) -> Library:
    """A library with the five sample digests imported."""
    library.import_digests(parse_sources([str(p) for p in SAMPLES]))
    return library
