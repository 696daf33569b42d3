"""The Markdown export read back by markdown-it-py, a CommonMark implementation: paper text
must come out as the same text, never as markup, raw HTML or a link of its own."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from digestreader.export import export
from digestreader.export.links import SEARCH_URL, paper_url
from digestreader.models import Paper, PaperWithState, Sighting, UserState, paper_id
from digestreader.sanitize import clean_line, clean_note

# Token types paper text may produce: anything else (emphasis, code, lists, rules, raw
# HTML, images, extra links) means Markdown misread the text.
ALLOWED = {
    "heading_open",
    "heading_close",
    "paragraph_open",
    "paragraph_close",
    "blockquote_open",
    "blockquote_close",
    "inline",
    "text",
    "softbreak",
}
TRICKY = [
    "<script>alert(1)</script> and <b>bold</b> & &amp; &#x3C;",
    "[click](javascript:alert(1)) ![img](http://x/y.png) [ref]: http://x",
    "*emph* **strong** _under_ __dunder__ snake_case_name `code` ~~gone~~",
    "# not a heading",
    "> not a quote",
    "- not a list",
    "+ not a list",
    "1986. Not a list either",
    "3) nor this",
    "---",
    "===",
    "Title ending in hashes ##",
    "C# and F# are languages",
    "trailing backslash \\",
    "<https://autolink.example>",
    "<!-- comment --> <?php ?> <![CDATA[x]]>",
    "```fenced```",
    "~~~",
]


def view(title: str, abstract: str = "", note: str = "", url: str | None = None) -> PaperWithState:
    paper = Paper(paper_id(title), title, abstract, (Sighting("d", None, 1),), "2026", url=url)
    return PaperWithState(paper, UserState(marked=True, note=note))


def inline_text(token: Token) -> str:
    return "".join("\n" if c.type == "softbreak" else c.content for c in token.children or [])


def read_back(text: str) -> list[dict[str, list[str]]]:
    """Per paper (each starts at an h2): the heading, the links, the quote and paragraphs."""
    papers: list[dict[str, list[str]]] = []
    where = ""
    for token in MarkdownIt("commonmark").parse(text):
        children = token.children or []
        assert {token.type, *(c.type for c in children)} <= ALLOWED | {"link_open", "link_close"}
        if token.type == "heading_open":
            assert token.tag == "h2"
            papers.append({"heading": [], "links": [], "quote": [], "paragraphs": []})
        where = {
            "heading_open": "heading",
            "blockquote_open": "quote",
            "blockquote_close": "paragraphs",
            "heading_close": "paragraphs",
        }.get(token.type, where)
        if token.type == "inline":
            links = [str(c.attrs["href"]) for c in children if c.type == "link_open"]
            if links:  # our own autolink line, alone in its paragraph
                assert len(links) == 1
                assert token.content == f"<{links[0]}>"
                papers[-1]["links"] += links
            else:
                papers[-1][where].append(inline_text(token))
    return papers


def test_paper_text_reads_back_as_the_same_text() -> None:
    views = [view(t, abstract=f"{t}\n\n{t}", note=f"{t}\n{t}") for t in TRICKY]
    papers = read_back(export(views, "markdown"))
    assert len(papers) == len(views)
    for got, v in zip(papers, views, strict=True):
        title = v.paper.title
        assert got["heading"] == [title]
        assert got["links"] == [paper_url(v)]
        assert got["quote"] == [f"{title}\n{title}"]
        assert got["paragraphs"] == ["Seen in: d", title, title]


def test_only_what_markdown_would_misread_is_escaped() -> None:
    plain = "A model (v2.5) - 3x faster! See: Results, 10% gain; C# #1 {ok} a+b=c."
    text = export([view(plain)], "markdown")
    assert text.startswith(f"## {plain}\n")


def test_a_stored_url_that_is_not_http_is_never_linked() -> None:
    for url in ("javascript:alert(1)", "http://x> <script>alert(1)</script>", "data:text/html,x"):
        v = view("Some Paper", url=url)
        text = export([v], "markdown")
        assert read_back(text)[0]["links"] == [SEARCH_URL + "Some+Paper"]
        assert "<script" not in MarkdownIt("commonmark").render(text)
        assert paper_url(replace(v, paper=replace(v.paper, arxiv_id="2401.1"))).startswith(
            "https://arxiv.org/abs/"
        )


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_reads_back_unchanged(title: str, note: str) -> None:
    title, note = clean_line(title) or "x", clean_note(note)
    got = read_back(export([view(title, abstract=title, note=note)], "markdown"))[0]
    assert got["heading"] == [title]
    lines = [" ".join(line.split()) for line in note.splitlines()]
    quote = "\n".join(lines).split("\n\n") if note else []
    assert "\n".join(got["quote"]) == "\n".join(q.strip("\n") for q in quote if q.strip("\n"))
    assert got["paragraphs"] == ["Seen in: d", title]


def test_an_arxiv_id_is_text_inside_the_link() -> None:
    v = view("Odd Id")
    v = replace(v, paper=replace(v.paper, arxiv_id="<script>alert(1)</script> x"))
    assert read_back(export([v], "markdown"))[0]["links"] == [
        "https://arxiv.org/abs/%3Cscript%3Ealert%281%29%3C/script%3E%20x",
        "https://arxiv.org/pdf/%3Cscript%3Ealert%281%29%3C/script%3E%20x",  # the PDF, encoded too
    ]
