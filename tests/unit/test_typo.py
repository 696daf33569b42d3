"""The typo index finds exactly the neighbours the reference scan finds, saved or extended."""

from __future__ import annotations

import random
import string
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from digestreader.ingest.indexing import load_index, save_index
from digestreader.library import Library
from digestreader.search import SearchIndex, parse_query, search
from digestreader.search.index import ScanMatcher, typo_neighbours
from digestreader.search.query import tokens
from digestreader.search.typo import TypoIndex, variant_hashes

UNICODE_WORDS = ["schrödinger", "naïve", "étude", "ωmega", "straße", "čebyšev", "μnet", "ﬁne"]
COINED = ["flowmo3d", "llava", "2x", "vit22b", "mambaxl", "qwen2vl", "gpt4o", "dinov2", "sam2"]


def _typo(rng: random.Random, word: str) -> str:
    """``word`` with one random edit of the four OSA kinds (sometimes none, sometimes two)."""
    letters = string.ascii_lowercase + "0123456789éöß"
    for _ in range(rng.choice((0, 1, 1, 1, 2))):
        at = rng.randrange(len(word) + 1)
        kind = rng.choice(("sub", "ins", "del", "swap"))
        if kind == "ins" or len(word) < 2:
            word = word[:at] + rng.choice(letters) + word[at:]
        elif kind == "del":
            at = min(at, len(word) - 1)
            word = word[:at] + word[at + 1 :]
        elif kind == "sub":
            at = min(at, len(word) - 1)
            word = word[:at] + rng.choice(letters) + word[at + 1 :]
        else:
            at = min(at, len(word) - 2)
            word = word[:at] + word[at + 1] + word[at] + word[at + 2 :]
    return word


def _queries(rng: random.Random, vocabulary: list[str], count: int) -> list[str]:
    """Typos of vocabulary words, unicode words, and random words of 4 to 12 letters."""
    long_words = [w for w in vocabulary if len(w) >= 4]
    queries = []
    for _ in range(count):
        pick = rng.random()
        if pick < 0.6:
            queries.append(_typo(rng, rng.choice(long_words)))
        elif pick < 0.75:
            queries.append(_typo(rng, rng.choice(UNICODE_WORDS)))
        else:
            size = rng.randint(4, 12)
            queries.append("".join(rng.choices(string.ascii_lowercase[:8], k=size)))
    return queries


@pytest.fixture
def vocabulary(sample_library: Library) -> list[str]:
    """The samples' title vocabulary plus unicode and coined words, sorted as the index keeps it."""
    titles = [p.title for p in sample_library.papers()]
    words = {w for t in titles for w in tokens(t)} | set(UNICODE_WORDS) | set(COINED)
    return sorted(words)


def test_index_agrees_with_the_scan_on_300_random_queries(vocabulary: list[str]) -> None:
    index = TypoIndex.build(vocabulary)
    rng = random.Random(15)
    queries = _queries(rng, vocabulary, 300)
    found_any = 0
    for word in queries:
        expected = typo_neighbours(word, vocabulary)
        assert index.neighbours(word, vocabulary) == expected, word
        found_any += bool(expected)
    assert found_any > 100  # the queries do exercise neighbours, not only misses


def test_every_kind_of_edit_is_found() -> None:
    vocabulary = sorted(["transformer", "diffusion", "graph", "llava"])
    index = TypoIndex.build(vocabulary)
    for typo in ("transfomer", "transformerr", "tarnsformer", "transformar", "graphs", "lalva"):
        assert index.neighbours(typo, vocabulary) == typo_neighbours(typo, vocabulary) != []
    assert index.neighbours("transformer", vocabulary) == []  # itself is no typo
    assert index.neighbours("grap", vocabulary) == []  # too short to be typo-tolerant


def test_numpy_hashes_match_the_query_side() -> None:
    words = ["graph", "naïve", "aabba", "ωmega"]
    index = TypoIndex.build(words)
    for i, word in enumerate(words):
        stored = set(index.hashes[index.ids == i].tolist())
        assert stored == set(variant_hashes(word))


def test_extended_index_equals_one_built_from_scratch(vocabulary: list[str]) -> None:
    rng = random.Random(3)
    old = sorted(rng.sample(vocabulary, len(vocabulary) // 2))
    extended = TypoIndex.build(old).extended(old, vocabulary)
    built = TypoIndex.build(vocabulary)
    assert extended.hashes.tolist() == built.hashes.tolist()
    assert extended.ids.tolist() == built.ids.tolist()


def test_typo_index_is_saved_and_loaded_with_the_search_index(tmp_path: Path) -> None:
    titles = ["Transformers for Graphs", "Naïve Diffusion", "FlowMo3D beats LLaVA-2x"]
    index = SearchIndex.build(titles, ["", "", ""])
    path = tmp_path / "index.npz"
    save_index(index, path, "rev1")
    loaded = load_index(path, "rev1", 3)
    assert loaded is not None
    assert np.array_equal(loaded.typos.hashes, index.typos.hashes)
    assert np.array_equal(loaded.typos.ids, index.typos.ids)
    assert loaded.typo("flowmo3e").tolist() == [False, False, True]


def test_search_results_match_the_scan_end_to_end(sample_library: Library) -> None:
    papers = sample_library.papers()
    # Coined names in some titles, so typos have neighbours that only the titles hold.
    titles = [
        f"{COINED[i % 9].upper()}: {p.title}" if i % 4 == 0 else p.title
        for i, p in enumerate(papers)
    ]
    abstracts = [p.abstract for p in papers]
    half = len(titles) // 2
    built = SearchIndex.build(titles, abstracts)
    grown = SearchIndex.build(titles[:half], abstracts[:half]).extended(titles, abstracts)
    scan = ScanMatcher(titles, abstracts)
    rng = random.Random(11)
    words = sorted({w for t in titles for w in tokens(t)})
    for typo in _queries(rng, words, 100):
        query = parse_query(f"{typo} {rng.choice(['', 'model', '!learning'])}")
        expected = search(scan, query, titles).order.tolist()
        assert search(built, query, titles).order.tolist() == expected, query.text
        assert search(grown, query, titles).order.tolist() == expected, query.text


def test_a_typo_search_loads_no_module_on_the_keystroke(tmp_path: Path) -> None:
    """np.unique imports numpy.ma on first use: 12 ms of the first word long enough for typos
    (measured at 200k papers). The typo path must not pay for a module mid-keystroke."""
    script = (
        "import sys\n"
        "from digestreader.search import SearchIndex, parse_query, search\n"
        "titles = ['transformer models', 'diffusion policy', 'graph networks']\n"
        "index = SearchIndex.build(titles, ['abstract one', 'abstract two', 'three'])\n"
        "before = set(sys.modules)\n"
        "hits = search(index, parse_query('transfomer'), titles, {}).order.tolist()\n"
        "print(hits, sorted(set(sys.modules) - before))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[0] []"
