"""The recorded Hugging Face daily papers fixtures (tests/data/hf), shared by the unit and the
functional tests: real-shaped API answers made from papers of the bundled samples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

HF_DATA = Path(__file__).resolve().parent / "data" / "hf"
DAY_15 = HF_DATA / "2026-04-15.json"  # 3 papers of sample 001
DAY_16 = HF_DATA / "2026-04-16.json"  # 3 papers of sample 000, and one of 04-15 back
SAMPLE_000 = Path(__file__).resolve().parent.parent / "assets" / "000_a3d00944093853a5.txt"
SAMPLE_001 = Path(__file__).resolve().parent.parent / "assets" / "001_d4bd1d9ec38d086b.txt"


def items(path: Path) -> list[dict[str, Any]]:
    """The items of a fixture, to edit into other shapes."""
    data: list[dict[str, Any]] = orjson.loads(path.read_bytes())
    return data


def dump(data: object) -> bytes:
    """JSON bytes, as the API sends them."""
    return orjson.dumps(data)
