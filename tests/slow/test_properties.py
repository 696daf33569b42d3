"""Hypothesis, 10,000 examples per property in the slow run: the parser, the restore and the
shape checks take any input and answer with a result or their one error class, nothing else."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digestreader.export.jsonio import ExportFormatError, from_json
from digestreader.ingest.parser import ParseError, parse_bytes
from digestreader.store.shapes import ShapeError, check, check_corpus, check_segment, check_state
from tests.payloads import PAYLOADS
from tests.slow.procs import record

pytestmark = pytest.mark.slow

# The parser property runs 10,000 examples; the two over nested JSON (payloads of up to a
# megabyte inside) cost ~10 ms each here, so they run fewer: 14,000 in all.
SCALE = float(os.environ.get("DIGESTREADER_EXAMPLES_SCALE", 1))
EXAMPLES = {"parser": 10_000, "restore": 1_500, "shapes": 2_500}


def slow(name: str) -> settings:
    return settings(
        max_examples=int(EXAMPLES[name] * SCALE),
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
    )


text = st.one_of(st.text(max_size=40), st.sampled_from(PAYLOADS))
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | text,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(text, inner, max_size=3),
    max_leaves=5,
)
HEX = st.text("0123456789abcdef", min_size=8, max_size=8)
item = st.fixed_dictionaries(
    {"id": HEX | text, "title": text | json_values},
    optional={
        "abstract": text | json_values,
        "sources": json_values,
        "authors": json_values,
        "url": text | json_values,
        "upvotes": json_values,
        "state": st.dictionaries(
            st.sampled_from(["marked", "read", "note", "marked_at", "read_at", "note_at"]),
            json_values,
        ),
    },
)


@slow("parser")
@given(
    st.lists(st.one_of(text, st.sampled_from(["", "Jun 3", "Abstract text here."])), max_size=12)
)
def test_the_parser_answers_a_digest_or_a_parse_error(lines: list[str]) -> None:
    data = "\n".join(lines).encode("utf-8", "surrogatepass")
    try:
        digest = parse_bytes(data, "x.txt")
    except ParseError as err:
        problem = str(err)
    else:
        assert all(entry.title for entry in digest.entries)
        return
    assert "\n" not in problem


@slow("restore")
@given(st.lists(item, min_size=1, max_size=2))
def test_a_restore_answers_clean_papers_or_one_line(items: list[dict[str, Any]]) -> None:
    document = {"format": "digestreader-export", "version": 1, "papers": items}
    data = json.dumps(document).encode()  # lone surrogates become \\udcxx escapes, as in the wild
    try:
        restored = from_json(data, "backup.json")
    except ExportFormatError as err:
        problem = str(err)
    else:
        for paper, _state in restored:
            assert paper.title
            assert "\x1b" not in paper.title + paper.abstract
        return
    assert "\n" not in problem


@slow("shapes")
@given(
    st.dictionaries(
        st.sampled_from(["meta", "papers", "digests", "abstracts", "state", "session"]),
        json_values,
        max_size=4,
    )
)
def test_shape_checks_accept_or_refuse_in_one_line(data: dict[str, Any]) -> None:
    from pathlib import Path

    for checker in (check_corpus, check_segment, check_state):
        problem = "lib/file.json: "
        try:
            check(Path("lib/file.json"), data, checker)
        except ShapeError as err:
            problem = str(err)
        assert problem.startswith("lib/file.json: ")
        assert "\n" not in problem


def test_record_the_number_of_examples() -> None:
    record("hypothesis examples", {k: int(v * SCALE) for k, v in EXAMPLES.items()})
