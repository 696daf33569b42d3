"""Digest dates in ISO form: from the page's label, the file name and the import (issue 13)."""

from __future__ import annotations

import pytest

from digestreader.models import digest_date

IMPORTED = "2026-06-01T09:00:00+00:00"


@pytest.mark.parametrize(
    ("label", "name", "imported", "expected"),
    [
        (None, "2026-04-04", IMPORTED, "2026-04-04"),
        (None, "daily-2026-04-04-b", IMPORTED, "2026-04-04"),
        (None, "2026-13-40 then 2026-04-04", IMPORTED, "2026-04-04"),  # the first real date
        (None, "20260404", IMPORTED, None),
        (None, "page", IMPORTED, None),
        ("Apr 29", "2025-04-30", IMPORTED, "2025-04-29"),
        ("Apr 29", "page", IMPORTED, "2026-04-29"),
        ("Jun 5", "page", IMPORTED, "2026-06-05"),  # a few days ahead: clocks and time zones
        ("Dec 30", "page", "2027-01-02T08:00:00+00:00", "2026-12-30"),
        ("Sept 3", "page", IMPORTED, "2025-09-03"),
        ("Apr 29, 2024", "2026-01-01", IMPORTED, "2024-04-29"),
        ("2024-04-29", "page", IMPORTED, "2024-04-29"),
        ("Feb 29", "page", IMPORTED, "Feb 29"),  # 2026 has no Feb 29: kept as it reads
        ("Foo 3", "page", IMPORTED, "Foo 3"),
        ("Apr 29", "page", "", "Apr 29"),
    ],
)
def test_digest_dates(label: str | None, name: str, imported: str, expected: str | None) -> None:
    assert digest_date(label, name, imported) == expected
