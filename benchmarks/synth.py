"""Synthetic digests of N distinct papers, made from the bundled samples' real text.

Titles splice the first half of one real title onto the second half of another; abstracts draw
sentences from three real abstracts. A fixed seed makes every run build the same library.

Recombining ~560 abstracts caps the vocabulary (about 9.5k distinct words at 50k papers) while a
real library keeps meeting new words, many of them coined names. The ``realistic`` corpus
therefore fits Heaps' law (V = K * n^beta over word tokens) on the sample pages and adds coined
names, Zipf-distributed, until the corpus has the distinct word count the fit predicts for its
token count. The ``samples`` corpus is the plain recombination, kept for comparison.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from digestreader.assets import sample_paths
from digestreader.ingest.parser import is_prose, render_digest
from digestreader.ingest.sources import parse_sources
from digestreader.models import normalize_title
from digestreader.search.build import word_bytes
from digestreader.search.query import tokens

PAGE_SIZE = 250  # papers per synthetic daily page, about a busy day's digest
RESEEN = 0.1  # share of entries that repeat a paper from an earlier page, as real digests do
_SENTENCE = re.compile(r"(?<=[.!?])\s+")
# Heaps' law only holds once the function words are all seen: the first ~50 papers are left out.
FIT_FROM_TOKENS = 10_000
ZIPF_EXPONENT = 1.0
TITLE_SHARE = 0.5  # share of coined-name occurrences placed in a title ("FlowMo3D: ...")
# fmt: off
_SYLLABLES = [
    "flow", "mo", "gra", "vi", "lla", "va", "neo", "diff", "seg", "sam", "mam", "ba", "quan", "ti",
    "ro", "bert", "dex", "zen", "kal", "mix", "tral", "hy", "dra", "nex", "or", "ion", "lu", "mi",
    "na", "vox", "pix", "el", "sy", "ra", "qu", "ark", "ze", "phi", "del", "ta", "om", "uni", "me",
    "ga", "no", "oc", "to", "po", "ly", "fu", "se", "gen", "ka", "li", "sto", "ver", "ne", "cor",
    "tex", "ax", "is",
]
# fmt: on
_SUFFIXES = ("", "", "", "", "3D", "2", "3", "v2", "XL", "-2x", "7B", "-R1", "-Pro", "4o", "-Max")

Paper = tuple[str, str]


def _sample_texts() -> tuple[list[str], list[list[str]]]:
    titles: dict[str, str] = {}
    for _name, digest in parse_sources([str(p) for p in sample_paths()]):
        for entry in digest.entries:
            titles.setdefault(entry.title, entry.abstract)
    sentences = [_SENTENCE.split(" ".join(a.split())) for a in titles.values() if a]
    return list(titles), sentences


@dataclass(frozen=True)
class HeapsFit:
    """V = k * n^beta: distinct words after n word tokens, fitted on the sample pages."""

    k: float
    beta: float

    def distinct(self, token_count: int) -> int:
        return round(self.k * math.pow(token_count, self.beta))


def heaps_fit() -> HeapsFit:
    """Least squares in log-log over the samples' papers in page order, on 40 log-spaced points
    from FIT_FROM_TOKENS tokens on (one point per paper would weigh the tail alone)."""
    seen: set[str] = set()
    counts: list[tuple[int, int]] = []
    tokens_so_far = 0
    titles: set[str] = set()
    for _name, digest in parse_sources([str(p) for p in sample_paths()]):
        for entry in digest.entries:
            if entry.title in titles:  # a paper seen on an earlier page adds nothing
                continue
            titles.add(entry.title)
            words = tokens(f"{entry.title} {entry.abstract}")
            tokens_so_far += len(words)
            seen.update(words)
            counts.append((tokens_so_far, len(seen)))
    n = np.array([c[0] for c in counts], np.float64)
    v = np.array([c[1] for c in counts], np.float64)
    at = np.searchsorted(n, np.geomspace(FIT_FROM_TOKENS, n[-1], 40))
    points = np.unique(np.minimum(at, len(n) - 1))
    beta, log_k = np.polyfit(np.log(n[points]), np.log(v[points]), 1)
    return HeapsFit(float(np.exp(log_k)), float(beta))


def synthetic_papers(count: int, seed: int = 20261123) -> list[Paper]:
    """``count`` (title, abstract) pairs with distinct normalized titles (the samples corpus)."""
    rng = random.Random(seed)
    titles, sentences = _sample_texts()
    seen: set[str] = set()
    papers: list[Paper] = []
    while len(papers) < count:
        head, tail = rng.choice(titles).split(), rng.choice(titles).split()
        title = " ".join(head[: max(1, len(head) // 2)] + tail[len(tail) // 2 :])
        if is_prose(title):  # a splice can read like a sentence; the parser would take it so
            continue
        if normalize_title(title) in seen:
            title = f"{title} ({len(papers)})"
        seen.add(normalize_title(title))
        picked = [s for source in rng.sample(sentences, 3) for s in source[: rng.randint(1, 4)]]
        papers.append((title, " ".join(picked)))
    return papers


def vocabulary(papers: Iterable[Paper]) -> tuple[int, set[bytes]]:
    """Word tokens and distinct words of the papers, words as the search index cuts them."""
    words: set[bytes] = set()
    total = 0
    for title, abstract in papers:
        split = word_bytes(f"{title} {abstract}").split()
        total += len(split)
        words.update(split)
    return total, words


def _coined_names(rng: random.Random, known: set[bytes], wanted: int) -> list[str]:
    """Names like "FlowMo3D" or "LLaVA-2x" adding ``wanted`` new words in all, each name's first
    word new (later words, such as "2x", may be shared by many names)."""
    names: list[str] = []
    added = 0
    while added < wanted:
        parts = rng.choices(_SYLLABLES, k=rng.choice((2, 2, 3)))
        cased = "".join(rng.choice((p.capitalize(), p.upper(), p, p.capitalize())) for p in parts)
        if rng.random() < 0.3:
            cased += str(rng.randint(0, 99))
        name = cased + rng.choice(_SUFFIXES)
        words = [w.encode() for w in tokens(name)]
        if not words or words[0] in known:
            continue
        new = {w for w in words if w not in known}
        known.update(new)
        added += len(new)
        names.append(name)
    return names


def _zipf_count(top: int, rank: int) -> int:
    """Uses of the coined name of this frequency ``rank``: at least one, else Zipf's share."""
    return max(1, int(top / rank**ZIPF_EXPONENT))


def _insert(rng: random.Random, paper: Paper, name: str, in_title: bool) -> Paper:
    title, abstract = paper
    if in_title:
        words = title.split(" ")
        words.insert(rng.randint(0, len(words)), name)
        named = f"{name}: {title}" if ":" not in title else " ".join(words)
        if not is_prose(named):
            return named, abstract
    words = abstract.split(" ")
    words.insert(rng.randint(0, len(words)), name)
    return title, " ".join(words)


def realistic_papers(count: int, seed: int = 20261123) -> list[Paper]:
    """The samples corpus plus coined names until its distinct word count follows the fit."""
    papers = synthetic_papers(count, seed)
    fit = heaps_fit()
    base_tokens, known = vocabulary(papers)
    base_distinct = len(known)
    # Coined names add tokens too; one correction settles the target (beta < 1).
    wanted = fit.distinct(base_tokens) - base_distinct
    wanted = max(0, fit.distinct(base_tokens + max(0, wanted)) - base_distinct)
    rng = random.Random(seed + 1)
    names = _coined_names(rng, known, wanted)
    top = max(1, count // 200)  # the commonest coined name is in 0.5 % of papers
    uses = [n for rank, n in enumerate(names, 1) for _ in range(_zipf_count(top, rank))]
    rng.shuffle(uses)
    for name in uses:
        at = rng.randrange(count)
        papers[at] = _insert(rng, papers[at], name, rng.random() < TITLE_SHARE)
    return papers


def make_corpus(kind: str, count: int) -> list[Paper]:
    """The ``realistic`` or ``samples`` corpus of ``count`` papers."""
    if kind == "samples":
        return synthetic_papers(count)
    if kind == "realistic":
        return realistic_papers(count)
    raise ValueError(f"unknown corpus {kind!r}")


def write_digests(papers: list[Paper], folder: Path, seed: int = 7) -> list[Path]:
    """Pages of ``PAGE_SIZE`` papers, one dated file per day; some entries repeat earlier ones."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for page, start in enumerate(range(0, len(papers), PAGE_SIZE)):
        entries = papers[start : start + PAGE_SIZE]
        if start:
            entries = entries + rng.sample(papers[:start], int(len(entries) * RESEEN))
        path = folder / f"day-{page:05d}.txt"
        month, day = divmod(page, 28)
        path.write_text(render_digest(entries, f"{['Jan', 'Feb', 'Mar'][month % 3]} {day + 1}"))
        paths.append(path)
    return paths
