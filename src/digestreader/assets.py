"""The sample digests bundled with the package: the reader's default content."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def sample_paths() -> list[Path]:
    """The bundled sample digest files, in name order."""
    packaged = Path(str(files("digestreader"))) / "assets"
    source_tree = Path(__file__).resolve().parents[2] / "assets"
    folder = packaged if packaged.is_dir() else source_tree
    return sorted(folder.glob("*.txt"))
