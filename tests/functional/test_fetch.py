"""``digestreader fetch`` end to end: the real CLI in a subprocess, the real huggingface_hub
client, and a real HTTP server on loopback (pytest-httpserver) serving recorded daily papers,
with ``HF_ENDPOINT`` pointed at it."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import orjson
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from digestreader.ingest.days import month_days, up_to_today, week_days
from digestreader.ingest.service import import_summary, ingest
from digestreader.ingest.sources import load_inputs
from digestreader.library import Library
from tests.hf_data import DAY_15, DAY_16, dump, items

API = "/api/daily_papers"
Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def run(tmp_path: Path, httpserver: HTTPServer) -> Run:
    """``digestreader --library LIB ARGS`` in a subprocess against the test server."""

    def go(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environ = dict(os.environ)
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE", "HF_TOKEN", "HTTPS_PROXY"):
            environ.pop(name, None)
        environ.update(
            HF_ENDPOINT=httpserver.url_for("").rstrip("/"),
            HF_HOME=str(tmp_path / "hf-home"),  # no saved token, no cache of the user's
            HF_HUB_DISABLE_TELEMETRY="1",
            NO_PROXY="127.0.0.1,localhost",
            DIGESTREADER_FETCH_TIMEOUT="2",
        )
        environ.update(env)
        command = [sys.executable, "-m", "digestreader", "--library", str(tmp_path / "lib")]
        return subprocess.run(
            [*command, *args], capture_output=True, text=True, env=environ, timeout=60
        )

    return go


def serve_day(server: HTTPServer, day: str, body: bytes, status: int = 200) -> None:
    server.expect_request(API, query_string={"date": day, "limit": "100"}).respond_with_data(
        body, status=status, content_type="application/json"
    )


def test_a_day_is_fetched_stored_and_refetched_without_duplicates(
    run: Run, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_day(httpserver, "2026-04-16", DAY_16.read_bytes())
    done = run("fetch", "--date", "2026-04-16")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (
        "2026-04-16: 4 entries: 4 new papers, 0 repeat sightings of known papers, "
        "0 already imported (1 new digest)\n"
    )
    assert done.stderr == ""  # not a terminal: no progress bar
    library = Library(tmp_path / "lib")
    assert [d["name"] for d in library.digests()] == ["hf-2026-04-16"]
    paper = library.get("2604.16044").paper
    assert (paper.upvotes, paper.url) == (88, "https://huggingface.co/papers/2604.16044")
    assert paper.authors is not None
    assert paper.authors[-1] == "Jonas Geiping"

    httpserver.clear()
    later = items(DAY_16)
    later[0]["paper"]["upvotes"] = 130
    serve_day(httpserver, "2026-04-16", dump(later))
    again = run("fetch", "--date", "2026-04-16")
    assert again.returncode == 0, again.stderr
    assert again.stdout == (
        "2026-04-16: 4 entries: 0 new papers, 1 repeat sighting of known papers, "
        "3 already imported (0 new digests, 1 already imported)\n"
    )
    library = Library(tmp_path / "lib")
    assert library.get("2604.16044").paper.upvotes == 130
    assert library.stats() | {"marked": 0} == {
        "papers": 4,
        "entries": 4,
        "digests": 1,
        "marked": 0,
        "read": 0,
        "notes": 0,
    }
    shown = orjson.loads(run("show", "2604.16044v1", "--json").stdout)
    assert (shown["arxiv_id"], shown["upvotes"]) == ("2604.16044", 130)


def test_a_range_stores_each_day_and_skips_empty_ones(
    run: Run, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_day(httpserver, "2026-04-14", b"[]")
    serve_day(httpserver, "2026-04-15", DAY_15.read_bytes())
    serve_day(httpserver, "2026-04-16", DAY_16.read_bytes())
    done = run("fetch", "--since", "2026-04-14")
    # "today" is later than the recorded days: the server knows only these three.
    assert done.returncode == 1
    assert "2026-04-17: the server answered HTTP 500" in done.stderr
    library = Library(tmp_path / "lib")
    assert [d["name"] for d in library.digests()] == ["hf-2026-04-15", "hf-2026-04-16"]
    assert done.stdout.splitlines() == [
        "2026-04-14: no daily papers",
        "2026-04-15: 3 entries: 3 new papers, 0 repeat sightings of known papers, "
        "0 already imported (1 new digest)",
        "2026-04-16: 4 entries: 3 new papers, 1 repeat sighting of known papers, "
        "0 already imported (1 new digest)",
        "3 days fetched before the error; those days are kept",
    ]
    returning = library.get("2604.15011").paper
    assert [(s.digest, s.position, s.upvotes) for s in returning.sources] == [
        ("hf-2026-04-15", 1, 31),
        ("hf-2026-04-16", 3, 45),
    ]


def test_fetch_prints_the_line_import_prints_once_per_day(
    run: Run, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_day(httpserver, "2026-04-15", DAY_15.read_bytes())
    serve_day(httpserver, "2026-04-16", DAY_16.read_bytes())
    fetched = [run("fetch", "--date", day) for day in ("2026-04-15", "2026-04-16")]
    assert [done.returncode for done in fetched] == [0, 0]
    # The same days imported from their files, through import's own summary.
    imported = Library(tmp_path / "imported")
    said = [
        import_summary(ingest(imported, load_inputs([str(p)])).imported) for p in (DAY_15, DAY_16)
    ]
    assert [done.stdout for done in fetched] == [
        f"2026-04-15: {said[0]}\n",
        f"2026-04-16: {said[1]}\n",
    ]


def test_a_server_error_names_the_day_and_keeps_earlier_days(
    run: Run, httpserver: HTTPServer, tmp_path: Path
) -> None:
    serve_day(httpserver, "2026-04-13", DAY_15.read_bytes())
    serve_day(httpserver, "2026-04-14", b'{"error": "overloaded"}', status=503)
    done = run("fetch", "--week", "2026-W16")  # Monday 13 to Sunday 19 April
    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines == [
        "digestreader: error: 2026-04-14: the server answered HTTP 503 Service Unavailable"
    ]
    assert [d["name"] for d in Library(tmp_path / "lib").digests()] == ["hf-2026-04-13"]


def test_a_timeout_is_one_line(run: Run, httpserver: HTTPServer) -> None:
    released = threading.Event()

    def slow(request: Request) -> Response:
        released.wait(5)  # the server answers one request at a time: free it for the next test
        return Response(DAY_16.read_bytes(), content_type="application/json")

    httpserver.expect_request(API).respond_with_handler(slow)
    started = time.monotonic()
    done = run("fetch", "--date", "2026-04-16", DIGESTREADER_FETCH_TIMEOUT="0.5")
    released.set()
    assert time.monotonic() - started < 5  # gave up at the timeout, not when the server did
    assert done.returncode == 1
    assert done.stderr == (
        "digestreader: error: 2026-04-16: no answer within 0.5 s (DIGESTREADER_FETCH_TIMEOUT)\n"
    )


@pytest.mark.parametrize(
    ("body", "cause"),
    [
        (b'[{"paper": {"id": "2604.1', "malformed JSON from the server (JSONDecodeError)"),
        (b'{"papers": []}', "malformed JSON from the server"),
        (b"[1, 2]", "malformed JSON from the server (TypeError)"),
        (
            orjson.dumps([{"paper": {"id": "not an id", "title": "T"}, "title": "T"}]),
            "malformed daily papers: item 1: paper.id is not an arXiv id",
        ),
    ],
)
def test_bad_json_is_one_line_and_writes_nothing(
    run: Run, httpserver: HTTPServer, tmp_path: Path, body: bytes, cause: str
) -> None:
    serve_day(httpserver, "2026-04-16", body)
    done = run("fetch", "--date", "2026-04-16")
    assert done.returncode == 1
    assert done.stderr.startswith(f"digestreader: error: 2026-04-16: {cause}")
    assert done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "lib" / "corpus.json").exists()


def test_offline_mode_is_one_line(run: Run, httpserver: HTTPServer) -> None:
    done = run("fetch", "--date", "2026-04-16", HF_HUB_OFFLINE="1")
    assert done.returncode == 1
    assert done.stderr == "digestreader: error: 2026-04-16: offline: HF_HUB_OFFLINE is set\n"
    assert not httpserver.log  # the client never tried


def test_a_closed_port_is_one_line(run: Run, tmp_path: Path) -> None:
    done = run("fetch", "--date", "2026-04-16", HF_ENDPOINT="http://127.0.0.1:9")
    assert done.returncode == 1
    assert done.stderr.startswith(
        "digestreader: error: 2026-04-16: cannot reach http://127.0.0.1:9"
    )
    assert done.stderr.count("\n") == 1


def test_bad_ranges_are_usage_errors(run: Run) -> None:
    assert run("fetch", "--date", "16/04/2026").returncode == 2
    assert run("fetch", "--week", "2026-16").returncode == 2
    assert run("fetch", "--date", "2026-04-16", "--month", "2026-04").returncode == 2
    future = run("fetch", "--date", "2999-01-01")
    assert future.returncode == 1
    assert "nothing to fetch: 2999-01-01 is after today" in future.stderr
    bad = run("fetch", DIGESTREADER_FETCH_TIMEOUT="soon")
    assert bad.returncode == 1
    assert "DIGESTREADER_FETCH_TIMEOUT must be a number of seconds" in bad.stderr


def test_ranges_are_calendar_days() -> None:
    assert [d.isoformat() for d in week_days("2026-W16")][::6] == ["2026-04-13", "2026-04-19"]
    assert len(month_days("2026-02")) == 28
    assert len(month_days("2024-02")) == 29
    assert month_days("2026-12")[-1] == date(2026, 12, 31)
    assert up_to_today(month_days("2026-04"), date(2026, 4, 3)) == [
        "2026-04-01",
        "2026-04-02",
        "2026-04-03",
    ]


def test_import_reads_the_same_json_from_a_file_and_stdin(run: Run, tmp_path: Path) -> None:
    done = run("import", str(DAY_16))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("4 entries: 4 new papers, 0 repeat sightings")
    later = items(DAY_16)
    later[1]["paper"]["upvotes"] = 99
    piped = tmp_path / "later.json"
    piped.write_bytes(dump(later))
    command = [sys.executable, "-m", "digestreader", "--library", str(tmp_path / "lib")]
    with piped.open("rb") as stdin:
        again = subprocess.run(
            [*command, "import", "-"],
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert again.stdout.startswith(
        "4 entries: 0 new papers, 1 repeat sighting of known papers, 3 already imported"
    )
    bad = items(DAY_16)
    del bad[2]["paper"]["title"], bad[2]["title"]
    piped.write_bytes(dump(bad))
    refused = run("import", str(piped))
    assert refused.returncode == 1
    assert refused.stderr == f"digestreader: error: {piped}: item 3: paper.title is missing\n"
    assert Library(tmp_path / "lib").get("2604.16107").paper.upvotes == 99
