"""Synthetic digests of N distinct papers, made from the bundled samples' real text.

Titles splice the first half of one real title onto the second half of another; abstracts draw
sentences from three real abstracts. A fixed seed makes every run build the same library.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

from digestreader.assets import sample_paths
from digestreader.ingest.parser import is_prose, render_digest
from digestreader.ingest.sources import parse_sources
from digestreader.models import normalize_title

PAGE_SIZE = 250  # papers per synthetic daily page, about a busy day's digest
RESEEN = 0.1  # share of entries that repeat a paper from an earlier page, as real digests do
_SENTENCE = re.compile(r"(?<=[.!?])\s+")


def _sample_texts() -> tuple[list[str], list[list[str]]]:
    titles: dict[str, str] = {}
    for _name, digest in parse_sources([str(p) for p in sample_paths()]):
        for entry in digest.entries:
            titles.setdefault(entry.title, entry.abstract)
    sentences = [_SENTENCE.split(" ".join(a.split())) for a in titles.values() if a]
    return list(titles), sentences


def synthetic_papers(count: int, seed: int = 20261123) -> list[tuple[str, str]]:
    """``count`` (title, abstract) pairs with distinct normalized titles."""
    rng = random.Random(seed)
    titles, sentences = _sample_texts()
    seen: set[str] = set()
    papers: list[tuple[str, str]] = []
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


def write_digests(papers: list[tuple[str, str]], folder: Path, seed: int = 7) -> list[Path]:
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
