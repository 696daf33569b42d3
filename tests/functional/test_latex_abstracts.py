"""LaTeX in abstracts keeps every backslash from the digest to the screen and the exports.

Checked when a walkthrough saw backslashes missing: the bundled sample pages themselves lack
some (``$varepsilon^{ps}(-Delta)`` beside ``\\varepsilon>0`` in one abstract of sample 000),
which is how their source wrote them; nothing between the page and the screen strips one.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import bibtexparser
import orjson
import pytest
from textual.widgets import Static

from digestreader.export import export
from digestreader.ingest.hf import parse_hf_bytes
from digestreader.ingest.parser import parse_text
from digestreader.library import Library
from tests.functional.conftest import make_app, settle
from tests.hf_data import DAY_16, dump, items
from tests.unit.test_export import latex_text
from tests.unit.test_markdown import read_back

LATEX = (
    r"We study $\alpha$-divergence, \textbf{x} bounds and G\"odel's $\{a, b\}$ sets, "
    r"with 50\% fewer steps (see \cite{y}; a\\b)."
)
TITLE = "Alpha Divergences for Robust Variational Inference"


def _page_library(tmp_path: Path) -> Library:
    library = Library(tmp_path / "page-lib")
    page = (Path(__file__).parent.parent.parent / "assets" / "001_d4bd1d9ec38d086b.txt").read_text()
    library.import_digests([("latex", parse_text(f"{TITLE}\n{LATEX}\n\n{page}", "latex.txt"))])
    return library


def _hf_library(tmp_path: Path) -> Library:
    library = Library(tmp_path / "hf-lib")
    data = items(DAY_16)
    data[0]["paper"]["summary"] = LATEX
    data[0]["paper"]["title"] = data[0]["title"] = TITLE
    library.import_digests([("hf", parse_hf_bytes(dump(data), "2026-04-16.json"))])
    return library


@pytest.mark.parametrize("make", [_page_library, _hf_library], ids=["page", "hf-json"])
async def test_latex_keeps_its_backslashes_on_screen_and_in_every_export(
    tmp_path: Path, make: object
) -> None:
    assert callable(make)
    library: Library = make(tmp_path)
    app = make_app(library)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"alpha divergences", "enter")
        await settle(pilot)
        index = app.main_screen.paper_list.current
        assert index is not None
        paper_key = app.model.papers[index].id
        body = str(app.main_screen.query_one("#detail-body", Static).render())
        assert " ".join(LATEX.split()) in " ".join(body.split())

    view = library.get(paper_key)
    assert view.paper.title == TITLE
    assert view.paper.abstract == LATEX

    entry = bibtexparser.parse_string(export([view], "bibtex")).entries[0]
    assert latex_text(entry.fields_dict["abstract"].value) == LATEX
    assert orjson.loads(export([view], "json"))["papers"][0]["abstract"] == LATEX
    assert next(csv.DictReader(io.StringIO(export([view], "csv"))))["abstract"] == LATEX
    assert f"AB  - {LATEX}" in export([view], "ris")
    assert LATEX in read_back(export([view], "markdown"))[0]["paragraphs"]
