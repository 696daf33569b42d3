"""The peer reader (arxiv-subscription-viewer) and digestreader side by side on one corpus.

    python benchmarks/peer.py --papers 1000 10000
    python benchmarks/peer.py --papers 100 --peer /tmp/peer/bin/arxiv-viewer

For each N, the ``realistic`` corpus of synth.py is written twice: as our digest pages
(``write_digests``), imported with our CLI, and as one arXiv listing-email file (the format of
the peer's ``browse --input``), each paper once, with an id, authors, categories and a date
derived from its place in the corpus. Both readers must list all N papers (checked in the
peer's parser, in its status bar "N papers", and in our status "N/N").

Each reader then runs as a user runs it, on a 120x40 pty as in first_frame.py, in one session:
1. first frame: process start to the first listed title drawn (the peer sorts by title);
2. search: once the screen is still for a second, "/" (the peer: and its search box drawn,
   also timed), then "transformers" at one key per 150 ms; the time from the last key to the
   first frame with the result (the peer: its status 'K/N matching "transformers"', after its
   0.3 s debounce; ours: that query's count, not the one-key-shorter query's);
3. peak RSS: VmHWM of the reader's process, read at the end of the session.
Neither reader has marks or read states. A figure not reached within the timeout is "none".
"""

from __future__ import annotations

import argparse
import datetime as dt
import fcntl
import json
import os
import pty
import random
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from first_frame import compile_reader  # noqa: E402
from synth import PAGE_SIZE, Paper, make_corpus, write_digests  # noqa: E402

from digestreader.library import Library  # noqa: E402
from digestreader.reader.listing import ListingSpec  # noqa: E402
from digestreader.reader.model import ReaderModel  # noqa: E402

QUERY = "transformers"  # its last key narrows our result: see our_result_needle
KEY_GAP_S = 0.15  # about 65 words a minute
STILL_S = 1.0  # the screen still this long counts as idle, ready for typing
SURNAMES = ("Chen", "Garcia", "Kumar", "Müller", "Okafor", "Rossi", "Sato", "Silva", "Smith")
CATEGORIES = ("cs.LG", "cs.CL", "cs.CV", "cs.AI", "stat.ML", "cs.RO", "cs.IR")
SEPARATOR = "-" * 78
# Run by the peer's own Python: its parser's count, its first row (sorted by title, its
# default), and the "what's new" tag that keeps its release notes from covering the list.
PEER_FACTS = """
import json, sys
from pathlib import Path
from arxiv_browser.parsing import parse_arxiv_file
from arxiv_browser.whats_new import WHATS_NEW_VERSION
papers = parse_arxiv_file(Path(sys.argv[1]))
first = min(papers, key=lambda p: p.title.lower())
print(json.dumps({"count": len(papers), "first": first.title, "notes": WHATS_NEW_VERSION}))
"""


def write_listing(papers: list[Paper], path: Path, seed: int = 11) -> None:
    """The papers as arXiv listing-email entries; paper i is dated by its page in
    write_digests (one day each from 2025-01-01) and numbered within its month."""
    rng = random.Random(seed)
    serial: dict[str, int] = {}
    parts = []
    for i, (title, abstract) in enumerate(papers):
        day = dt.date(2025, 1, 1) + dt.timedelta(days=i // PAGE_SIZE)
        month = day.strftime("%y%m")
        serial[month] = serial.get(month, 0) + 1
        names = [f"{rng.choice('ABCDEFGHJKLMNPRST')}. {rng.choice(SURNAMES)}" for _ in range(3)]
        cats = " ".join(rng.sample(CATEGORIES, rng.randint(1, 3)))
        arxiv_id = f"{month}.{serial[month]:05d}"
        parts.append(
            f"\\\\\narXiv:{arxiv_id}\nDate: {day.strftime('%a, %d %b %Y')} 00:00:00 GMT"
            f"   (20kb)\n\nTitle: {title}\nAuthors: {', '.join(names)}\nCategories: {cats}\n"
            f"Comments: {rng.randint(6, 30)} pages\n\\\\\n  {abstract}\n"
            f"\\\\ ( https://arxiv.org/abs/{arxiv_id} ,  20kb)\n"
        )
    path.write_text(SEPARATOR + "\n" + f"{SEPARATOR}\n".join(parts) + SEPARATOR + "\n")


class Session:
    """A reader on a 120x40 pty: the clock starts as the process is spawned."""

    def __init__(self, command: list[str], home: Path) -> None:
        self.leader, follower = pty.openpty()
        fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40"}
        env.pop("TEXTUAL", None)
        env |= {"HOME": str(home), "XDG_CONFIG_HOME": str(home / ".config")}
        env |= {"XDG_DATA_HOME": str(home / ".data"), "XDG_CACHE_HOME": str(home / ".cache")}
        self.start = time.perf_counter()
        self.proc = subprocess.Popen(
            command, stdin=follower, stdout=follower, stderr=follower, env=env,
            start_new_session=True,
        )  # fmt: skip
        os.close(follower)
        self.seen = bytearray()

    def _read(self, wait: float) -> bool:
        ready, _, _ = select.select([self.leader], [], [], wait)
        if ready:
            try:
                self.seen += os.read(self.leader, 1 << 16)
            except OSError:  # the reader has exited
                return False
        return bool(ready)

    def wait_for(self, needle: str, timeout: float, after: int = 0) -> float | None:
        """perf_counter() when ``needle`` has been drawn after byte ``after``; None if not
        within ``timeout`` s (or the reader exited)."""
        wanted, until = needle.encode(), time.perf_counter() + timeout
        while time.perf_counter() < until:
            if self.seen.find(wanted, after) >= 0:
                return time.perf_counter()
            after = max(after, len(self.seen) - len(wanted))  # what is left to search
            if not self._read(0.05) and self.proc.poll() is not None:
                return None
        return None

    def settle(self, timeout: float) -> None:
        """Read until the screen has been still for STILL_S (at most ``timeout`` s)."""
        until, still = time.perf_counter() + timeout, time.perf_counter()
        while time.perf_counter() < until and time.perf_counter() - still < STILL_S:
            if self._read(0.05):
                still = time.perf_counter()

    def type(self, text: str) -> None:
        """Each key KEY_GAP_S after the last, reading the screen meanwhile (so that frames
        drawn for earlier keys are not counted after the last)."""
        for char in text:
            until = time.perf_counter() + KEY_GAP_S
            while time.perf_counter() < until:
                self._read(max(0.0, until - time.perf_counter()))
            os.write(self.leader, char.encode())

    def peak_mb(self) -> float:
        """The reader's peak resident memory so far (VmHWM, its own: see peak.py)."""
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM")

    def close(self) -> None:
        """End the reader (its whole process group)."""
        os.killpg(self.proc.pid, 15)
        self.proc.wait(timeout=30)
        os.close(self.leader)


def run_session(
    command: list[str],
    home: Path,
    needles: tuple[str, str, str | None, str],
    timeout: float,
) -> dict[str, float | None]:
    """First frame (s), search (s from the last key), peak RSS (MB) of one reader; the needles
    are its first title, its count of all papers, what "/" draws (None: nothing to wait for)
    and its result for QUERY."""
    title, listed, opened, result = needles
    figures: dict[str, float | None] = dict.fromkeys(("first_frame_s", "open_s", "search_s"))
    session = Session(command, home)
    try:
        drawn = session.wait_for(title, timeout)
        if drawn is not None:
            figures["first_frame_s"] = drawn - session.start
            if session.wait_for(listed, timeout) is None:
                raise RuntimeError(f"{command[0]}: no {listed!r} drawn: not all papers listed")
            session.settle(timeout)
            session.type("/")
            slash = time.perf_counter()
            # A user sees the search box open before typing: at 10k papers the peer's opens
            # late, and keys typed before it went to the list ("t" opened its tag editor).
            box = slash if opened is None else session.wait_for(opened, timeout)
            if box is not None:
                figures["open_s"] = box - slash
                session.settle(0.5)
                session.type(QUERY)
                typed_at, mark = time.perf_counter(), len(session.seen)
                shown = session.wait_for(result, timeout, after=mark)
                figures["search_s"] = None if shown is None else shown - typed_at
        return figures | {"rss_mb": session.peak_mb()}  # after all the rest: the peak
    finally:
        session.close()


def our_result_needle(library: Path, papers: int) -> str:
    """Our status line's count for QUERY, which must differ from the count one key earlier
    (else a frame drawn before the last key would already show it)."""
    model = ReaderModel(Library(library))
    model.load_index()
    count = len(model.compute(ListingSpec(query=QUERY)).order)
    if count == len(model.compute(ListingSpec(query=QUERY[:-1])).order):
        raise RuntimeError(f"{QUERY!r} and {QUERY[:-1]!r} match as many papers here")
    return f"│ {count:,}/{papers:,} "


def measure(
    papers: int, work: Path, peer: Path, timeout: float
) -> dict[str, dict[str, float | None]]:
    """Both readers' figures for one corpus size; ``work`` is a scratch folder."""
    corpus = make_corpus("realistic", papers)
    listing = work / "listing.txt"
    write_listing(corpus, listing)
    digests = write_digests(corpus, work / "digests")
    del corpus
    library = work / "library"
    subprocess.run(
        [sys.executable, "-m", "digestreader", "--library", str(library), "import"]
        + [str(d) for d in digests],
        check=True, capture_output=True,
    )  # fmt: skip
    ours_count = len(Library(library).catalog().docs)
    facts_of = [str(peer.parent / "python"), "-c", PEER_FACTS, str(listing)]
    facts = json.loads(subprocess.check_output(facts_of, text=True))
    if facts["count"] != papers or ours_count != papers:
        raise RuntimeError(f"papers read: peer {facts['count']}, ours {ours_count}, not {papers}")
    # A returning user's config: no welcome screen or release notes over the list.
    config = work / "peer-home" / ".config" / "arxiv-browser" / "config.json"
    config.parent.mkdir(parents=True)
    config.write_text(json.dumps({"onboarding_seen": True, "last_seen_whats_new": facts["notes"]}))
    peer_figures = run_session(
        [str(peer), "browse", "--no-restore", "--input", str(listing)],
        work / "peer-home",
        (
            str(facts["first"])[:24],
            f" {papers} papers",
            "Search mode",
            f'/{papers} matching "{QUERY}"',
        ),
        timeout,
    )
    compile_reader()
    first = str(Library(library).catalog().docs[0]["title"])[:24]
    (work / "our-home").mkdir()
    ours = run_session(
        [sys.executable, "-m", "digestreader", "--library", str(library)],
        work / "our-home",
        (first, f"{papers:,}/{papers:,}", None, our_result_needle(library, papers)),
        timeout,
    )
    return {"peer": peer_figures, "ours": ours}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--papers", type=int, nargs="+", default=[1_000, 10_000], metavar="N")
    parser.add_argument("--peer", type=Path, default=Path("/tmp/peer/bin/arxiv-viewer"))
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per wait")
    args = parser.parse_args(argv)
    print(
        "| papers | first frame s (peer / ours) | search s after the last key (peer / ours) "
        "| peer's search box opens s | peak RSS MB (peer / ours) | load before / after |\n"
        "|---:|---:|---:|---:|---:|---:|"
    )
    for papers in args.papers:
        before = os.getloadavg()[0]
        with tempfile.TemporaryDirectory(prefix=f"digestreader-peer-{papers}-") as work:
            result = measure(papers, Path(work), args.peer, args.timeout)
        p, o = result["peer"], result["ours"]

        def shown(value: float | None, digits: int = 2) -> str:
            return f"none within {args.timeout:.0f} s" if value is None else f"{value:.{digits}f}"

        print(
            f"| {papers:,} | {shown(p['first_frame_s'])} / {shown(o['first_frame_s'])} "
            f"| {shown(p['search_s'])} / {shown(o['search_s'], 3)} | {shown(p['open_s'])} "
            f"| {p['rss_mb']:.0f} / {o['rss_mb']:.0f} | {before:.2f} / {os.getloadavg()[0]:.2f} |",
            flush=True,
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
