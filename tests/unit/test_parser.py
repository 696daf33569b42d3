"""The real parser on the real samples, on edge cases, and as a Hypothesis property."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from digestreader.ingest.parser import ParseError, is_prose, parse_bytes, parse_text, render_digest

EXPECTED = {
    "000_a3d00944093853a5.txt": (
        217,
        None,
        "The Illusion of Diminishing Returns: Measuring Long Horizon Execution in LLMs",
        "Measuring Mathematical Problem Solving With the MATH Dataset",
    ),
    "001_d4bd1d9ec38d086b.txt": (
        55,
        "Apr 29",
        "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations",
        "Measuring the Intrinsic Dimension of Objective Landscapes",
    ),
    "002_a7027c0c4db548f5.txt": (
        54,
        "Aug 25",
        "Power Scheduler: A Batch Size and Token Number Agnostic Learning Rate Scheduler",
        "Low Rank Matrix Completion via Robust Alternating Minimization in Nearly Linear Time",
    ),
    "003_9cf45ac0ac824760.txt": (
        55,
        "Mar 14",
        "RandLoRA: Full-rank parameter-efficient fine-tuning of large models",
        "Learning to Actively Learn: A Robust Approach",
    ),
    "004_3bc3b7b356ea3282.txt": (
        248,
        None,
        "Marconi: Prefix Caching for the Era of Hybrid LLMs",
        "Navigating Scaling Laws: Accelerating Vision Transformer's Training via Adaptive "
        "Strategies",
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_samples_parse_exactly(samples: list[Path], name: str) -> None:
    count, date, first, last = EXPECTED[name]
    digest = parse_bytes((samples[0].parent / name).read_bytes(), name)
    assert len(digest.entries) == count
    assert digest.date == date
    assert digest.entries[0].title == first
    assert digest.entries[-1].title == last
    assert digest.warnings == ()
    assert all(len(e.abstract) > 200 for e in digest.entries)


def test_samples_total(samples: list[Path]) -> None:
    entries = [e for p in samples for e in parse_bytes(p.read_bytes(), p.name).entries]
    assert len(entries) == 629
    assert len({e.title for e in entries}) == 561


COMPACT = (
    "Get trending papers in your email inbox once a day!\n"
    "Get trending papers in your email inbox!\n"
    "SubscribeFirst Title\nFirst abstract, long enough to read as prose.\n"
    "Second Title\nSecond abstract."
)


@pytest.mark.parametrize(
    "variant",
    [
        COMPACT,
        COMPACT + "\n",
        COMPACT.replace("\n", "\r\n"),
        COMPACT.replace("\n", "\r"),
        "\ufeff" + COMPACT,
        "  " + COMPACT.replace("\n", "  \n\t"),
    ],
)
def test_line_ends_bom_and_whitespace_do_not_matter(variant: str) -> None:
    digest = parse_text(variant, "x.txt")
    assert [(e.title, e.abstract) for e in digest.entries] == [
        ("First Title", "First abstract, long enough to read as prose."),
        ("Second Title", "Second abstract."),
    ]
    assert digest.content_hash == parse_text(COMPACT, "x.txt").content_hash


def test_spaced_shape_with_date_label() -> None:
    text = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    text += "byAK and the research community\n\nMay 3\n\nA Title\n\nIts abstract.\n"
    digest = parse_text(text, "d.txt")
    assert digest.date == "May 3"
    assert [e.title for e in digest.entries] == ["A Title"]


def test_multi_paragraph_abstract_stays_with_its_paper() -> None:
    text = (
        "Title One\nFirst paragraph of the abstract.\n"
        "A second paragraph. It has sentences. Several of them.\n"
        "Code is at https://github.com/x/y\n"
        "Title Two\nAbstract two."
    )
    digest = parse_text(text, "m.txt")
    assert [e.title for e in digest.entries] == ["Title One", "Title Two"]
    assert digest.entries[0].abstract.split("\n\n") == [
        "First paragraph of the abstract.",
        "A second paragraph. It has sentences. Several of them.",
        "Code is at https://github.com/x/y",
    ]


def test_last_title_without_abstract_is_kept_with_a_warning() -> None:
    digest = parse_text("Title One\nAbstract one.\nDangling Title\n", "w.txt")
    assert digest.entries[-1].title == "Dangling Title"
    assert digest.entries[-1].abstract == ""
    assert len(digest.warnings) == 1
    assert "w.txt:3" in digest.warnings[0]


def test_control_bidi_and_zero_width_characters_are_stripped() -> None:
    title = "Evil\x1b]52;c;aGk=\x07 \u202eTitle\u200b\x9b with $\\LaTeX$"
    digest = parse_text(f"{title}\nAbstract\x00less.\n", "c.txt")
    assert digest.entries[0].title == "Evil]52;c;aGk= Title with $\\LaTeX$"
    assert digest.entries[0].abstract == "Abstractless."


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (b"", "empty file"),
        (b"\n\n  \n", "empty file"),
        (b"new\nSubscribe\n", "no papers found"),
        (b"Title\n\x00\x01\x02binary", "binary data"),
        (b"Title\nAbstr\xe9ct\n", "not UTF-8 text (invalid byte 0xe9 at offset 11)"),
        (b"x" * 400 + b"\nmore\n", "found a 400-character paragraph"),
    ],
)
def test_bad_input_is_one_clear_line(data: bytes, fragment: str) -> None:
    with pytest.raises(ParseError) as caught:
        parse_bytes(data, "bad.txt")
    message = str(caught.value)
    assert message.startswith("bad.txt")
    assert fragment in message
    assert "\n" not in message


def test_not_utf8_names_the_line() -> None:
    with pytest.raises(ParseError, match=r"^bad.txt:2: "):
        parse_bytes(b"Title\nAbstr\xe9ct\n", "bad.txt")


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_any_input_gives_papers_or_one_parse_error(data: bytes) -> None:
    try:
        digest = parse_bytes(data, "fuzz.txt")
    except ParseError as err:
        message = str(err)
    else:
        assert digest.entries
        return
    assert message.startswith("fuzz.txt")
    assert "\n" not in message


_word = st.text(
    alphabet=st.characters(categories=["L", "N"], max_codepoint=0x2FFF), min_size=1, max_size=10
)
titles = st.lists(_word, min_size=1, max_size=8).map(" ".join).filter(lambda t: not is_prose(t))
abstracts = st.lists(_word, min_size=1, max_size=40).map(lambda ws: " ".join(ws) + ".")


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(titles, abstracts), min_size=1, max_size=12))
def test_papers_written_as_a_digest_parse_back_equal(pairs: list[tuple[str, str]]) -> None:
    text = render_digest(pairs, date="Apr 29")
    digest = parse_text(text, "round.txt")
    assert [(e.title, e.abstract) for e in digest.entries] == pairs
    assert digest.date == "Apr 29"


@pytest.mark.parametrize("title", ["new", "Subscribe", "SubscribeNet", "Daily Papers"])
def test_titles_that_look_like_header_lines_survive_after_the_date(title: str) -> None:
    digest = parse_text(render_digest([(title, "An abstract.")], date="Jan 2"), "h.txt")
    assert [e.title for e in digest.entries] == [title]
