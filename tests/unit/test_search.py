"""Search semantics, the index against the reference scan, and highlight spans."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from rapidfuzz import fuzz

from digestreader.ingest.sources import parse_sources
from digestreader.library import Library
from digestreader.search import SearchIndex, engine, parse_query, search, title_spans
from digestreader.search.build import build_postings, plain_postings
from digestreader.search.index import ScanMatcher
from digestreader.search.query import Kind
from digestreader.search.rank import rerank_top

TITLES = [
    "Attention Is All You Need",
    "Large Language Models Are Zero-Shot Reasoners",
    "Diffusion Models Beat GANs on Image Synthesis",
    "Language Models are Few-Shot Learners",
    "[CLS] Token Pruning for Transformers",
]
ABSTRACTS = [
    "We propose the Transformer, based solely on attention mechanisms.",
    "Chain of thought prompting elicits reasoning in large language models.",
    "We show diffusion models achieve image sample quality superior to GANs.",
    "Scaling up language models greatly improves few-shot performance.",
    "Pruning tokens speeds up transformers.",
]


def run(q: str, flags: dict[str, set[int]] | None = None) -> list[int]:
    index = SearchIndex.build(TITLES, ABSTRACTS)
    return [int(i) for i in search(index, parse_query(q), TITLES, flags).order]


def test_query_syntax_is_parsed() -> None:
    query = parse_query("^large 'llm !gan a | b is:marked has:no")
    kinds = [[(t.kind, t.negated) for t in g] for g in query.groups]
    assert kinds == [
        [(Kind.TITLE_START, False)],
        [(Kind.EXACT, False)],
        [(Kind.FUZZY, True)],
        [(Kind.FUZZY, False), (Kind.FUZZY, False)],
        [(Kind.FLAG, False)],
        [(Kind.FLAG, False)],
    ]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("language models", [1, 3]),
        ("langu mod", [3, 1]),
        ("^large", [1]),
        ("'model", []),
        ("'models !gans", [1, 3]),
        ("attention | diffusion", [0, 2]),
        ("transfomers", [4]),  # typo-tolerant on titles only
        ("cls", [4]),
        ("xqz", []),
        ("", [0, 1, 2, 3, 4]),
    ],
)
def test_semantics(q: str, expected: list[int]) -> None:
    assert run(q) == expected


def test_filters_use_user_state() -> None:
    flags = {"marked": {2}, "read": {0, 1}, "note": {4}}
    assert run("is:marked", flags) == [2]
    assert run("is:unread", flags) == [2, 3, 4]
    assert run("is:read models", flags) == [1]
    assert run("has:note | is:marked", flags) == [2, 4]
    assert run("is:mar", flags) == [2]


def test_title_hits_outrank_abstract_hits() -> None:
    assert run("transformer")[0] == 4


def test_index_and_scan_agree_on_random_queries(sample_library: Library) -> None:
    papers = sample_library.papers()
    titles = [p.title for p in papers]
    abstracts = [p.abstract for p in papers]
    index, scan = SearchIndex.build(titles, abstracts), ScanMatcher(titles, abstracts)
    rng = random.Random(7)
    words = sorted({w for t in titles + abstracts[:150] for w in t.split()})
    ops = ["", "'", "^", "!"]
    flags = {"marked": set(rng.sample(range(len(titles)), 40)), "read": {1, 2, 3}, "note": {5}}
    for _ in range(300):
        parts = []
        for _ in range(rng.randint(1, 3)):
            word = rng.choice(words)[: rng.randint(1, 9)]
            parts.append(rng.choice(ops) + word)
        if rng.random() < 0.2:
            parts.insert(1, "|")
        if rng.random() < 0.2:
            parts.append(rng.choice(["is:marked", "is:unread", "has:note", "!is:read"]))
        query = parse_query(" ".join(parts))
        assert set(search(index, query, titles, flags, rank=False).order) == set(
            search(scan, query, titles, flags, rank=False).order
        ), query.text


def test_title_spans_highlight_word_starts() -> None:
    assert title_spans("Large Language Models", parse_query("lan mod")) == [(6, 9), (15, 18)]
    assert title_spans("Anything", parse_query("!any")) == []
    assert title_spans("[CLS] Tokens", parse_query("cls")) == [(1, 4)]


@pytest.mark.parametrize(
    "texts",
    [
        ["Schrödinger bridges", "naïve Bayes — ÉTUDE", "ﬁne ligatures", "ß and SS", "Ωmega"],
        ["", "   ", "a", "a a a", "x_y z9 __init__", "tab\tnew\nline", "ok " + "w" * 70],
        ["same", "same words", "words same"],
    ],
)
def test_numpy_index_build_matches_the_word_by_word_reference(texts: list[str]) -> None:
    fast, plain = build_postings(texts), plain_postings(texts)
    assert fast[0] == plain[0]
    assert fast[1].tolist() == plain[1].tolist()
    assert fast[2].tolist() == plain[2].tolist()


def test_numpy_index_build_matches_on_the_samples(samples: list[Path]) -> None:
    digests = parse_sources([str(p) for p in samples])
    abstracts = [e.abstract for _, d in digests for e in d.entries]
    fast, plain = build_postings(abstracts), plain_postings(abstracts)
    assert fast[0] == plain[0]
    assert len(fast[0]) > 5000
    assert fast[1].tolist() == plain[1].tolist()
    assert fast[2].tolist() == plain[2].tolist()


def test_one_letter_prefixes_agree_with_the_scan(sample_library: Library) -> None:
    papers = sample_library.papers()
    titles, abstracts = [p.title for p in papers], [p.abstract for p in papers]
    index, scan = SearchIndex.build(titles, abstracts), ScanMatcher(titles, abstracts)
    assert len(titles) % 8  # the packed masks' last byte is partly padding
    assert len(index._initials["abstract"]) > 5  # the packed path is taken
    for field in ("title", "abstract", "first"):
        for initial in {w[0] for w in index.fields[field].vocabulary}:
            assert index.prefix(field, initial).tolist() == scan.prefix(field, initial).tolist()


def test_every_packed_prefix_agrees_with_the_scan(sample_library: Library) -> None:
    # Longer prefixes of frequent words ("mod", "model") are packed too: at 200k papers their
    # postings were a millisecond of scatter per keystroke.
    papers = sample_library.papers()
    titles, abstracts = [p.title for p in papers], [p.abstract for p in papers]
    index, scan = SearchIndex.build(titles, abstracts), ScanMatcher(titles, abstracts)
    packed = {(field, word) for field, masks in index._initials.items() for word in masks}
    assert any(len(word) >= 4 for _, word in packed)  # the longer ones are there
    for field, word in packed:
        assert index.prefix(field, word).tolist() == scan.prefix(field, word).tolist(), word
        longer = word + "e"  # a prefix that is not packed, under one that is
        assert index.prefix(field, longer).tolist() == scan.prefix(field, longer).tolist()


def indexed(library: Library) -> tuple[list[str], SearchIndex]:
    """The titles of ``library``'s papers and the index of their titles and abstracts."""
    papers = library.papers()
    titles = [p.title for p in papers]
    return titles, SearchIndex.build(titles, [p.abstract for p in papers])


def test_typing_keystroke_by_keystroke_answers_as_a_fresh_search(sample_library: Library) -> None:
    # The engine keeps the words of the last queries; each prefix, typed after the one before
    # it (so most words come from that cache), must rank exactly as a search from nothing.
    titles, index = indexed(sample_library)
    rng = random.Random(11)
    words = sorted({w for t in titles for w in t.split()})
    for _ in range(40):
        query = " ".join(rng.choice(["", "!", "'", "^"]) + rng.choice(words) for _ in range(3))
        for typed in range(1, len(query) + 1):
            warm = search(index, parse_query(query[:typed]), titles).order
            engine._WORDS = engine._WordCache()  # nothing kept: a fresh search
            cold = search(index, parse_query(query[:typed]), titles).order
            assert warm.tolist() == cold.tolist(), query[:typed]
            search(index, parse_query(query[:typed]), titles)  # warm again for the next one


def test_a_new_index_never_answers_with_the_old_ones_words() -> None:
    old = SearchIndex.build(TITLES, ABSTRACTS)
    assert [int(i) for i in search(old, parse_query("diffusion"), TITLES).order] == [2]
    titles = ["Diffusion for Audio", *TITLES]  # what an import brings: another index
    new = SearchIndex.build(titles, ["", *ABSTRACTS])
    assert [int(i) for i in search(new, parse_query("diffusion"), titles).order] == [0, 3]


def test_a_kept_answer_cannot_be_changed_in_place() -> None:
    index = SearchIndex.build(TITLES, ABSTRACTS)
    term = parse_query("models").groups[0][0]
    mask, scores = engine._WORDS.match(index, term, "models")
    assert engine._WORDS.match(index, term, "models")[0] is mask  # kept
    with pytest.raises(ValueError, match="read-only"):
        mask[0] = not mask[0]
    with pytest.raises(ValueError, match="read-only"):
        scores += 1


def test_a_whole_word_is_not_answered_with_the_prefix_kept_for_it() -> None:
    index = SearchIndex.build(TITLES, ABSTRACTS)
    assert [int(i) for i in search(index, parse_query("model"), TITLES).order]  # "Models"
    assert [int(i) for i in search(index, parse_query("'model"), TITLES).order] == []


def test_the_ranking_is_by_score_then_paper_order_before_the_rerank(
    sample_library: Library,
) -> None:
    # The reference: every hit sorted by descending score, ties in paper order; the engine
    # gathers few distinct scores band by band instead of sorting, and must give the same.
    titles, index = indexed(sample_library)
    rng = random.Random(5)
    words = sorted({w for t in titles for w in t.split()})
    for _ in range(150):
        parts = [rng.choice(["", "!", "'"]) + rng.choice(words)[: rng.randint(1, 6)] for _ in "ab"]
        query = parse_query(" ".join(parts[: rng.randint(1, 2)]))
        if not query.highlight_words:
            continue
        mask, scores = engine.match(index, query, {})
        hits = np.flatnonzero(mask)
        expected = hits[np.argsort(-scores[hits].astype(np.int64), kind="stable")]
        ranked = engine.by_score(mask, scores)
        assert ranked.tolist() == expected.tolist(), query.text
    many = np.ones(40, np.bool_)  # more distinct scores than bands: the sort
    scores = np.arange(40, dtype=np.uint16)
    assert engine.by_score(many, scores).tolist() == list(range(39, -1, -1))


def test_the_rerank_orders_the_head_by_score_then_similarity_then_place() -> None:
    rng = random.Random(2)
    titles = [
        " ".join(rng.choice(["graph", "model", "learning", "agent"]) for _ in "abc")
        for _ in range(300)
    ]
    for _ in range(50):
        order = np.asarray(rng.sample(range(300), 260), np.int32)
        scores = np.asarray([rng.randint(0, 4) for _ in range(300)], np.uint16)
        head = [int(i) for i in order[:200]]
        similarity = {i: fuzz.partial_ratio("graph mod", titles[i].casefold()) for i in head}
        expected = sorted(head, key=lambda i: (-int(scores[i]), -similarity[i], head.index(i)))
        reranked = rerank_top(order, scores, "graph mod", titles)
        assert reranked.tolist() == expected + order[200:].tolist()
