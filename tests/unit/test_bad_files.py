"""Library files of the wrong shape, a broken index, leftovers of killed writes, loose modes."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from digestreader.cli.main import main
from digestreader.ingest.indexing import index_path, update_index
from digestreader.library import Library
from digestreader.store.documents import doc_id_of
from tests.faults import commands_on

PAPER_ID = "5"


def shard_of(library: Library, pid: str) -> Path:
    return library.state_store.shard_path(doc_id_of(pid) % 64)


def wrong_shapes(library: Library) -> list[tuple[Path, bytes]]:
    """Valid JSON of the wrong shape in each kind of library file."""
    pid = library.papers()[0].id
    segment = sorted(library.corpus_store.abstracts_dir.iterdir())[0]
    return [
        (library.corpus_path, b'{"papers":[1,2]}'),
        (library.corpus_path, b'{"papers":{"1":{"title":7}}}'),
        (library.corpus_path, b'{"papers":{"1":{"id":"ab","title":"t","sources":[3]}}}'),
        (library.corpus_path, b'{"digests":{"1":"x"},"papers":{}}'),
        (shard_of(library, pid), b'{"state":{"5":{"marked":true}}}'),
        (shard_of(library, pid), b'{"state":{"5":{"id":"ab","note":["x"]}}}'),
        (shard_of(library, pid), b'{"state":[]}'),
        (segment, b'{"abstracts":{"1":"text"}}'),
        (segment, b'{"abstracts":{"1":{"abstract":3}}}'),
        (library.state_path, b'{"session":{"1":[1]}}'),
        (library.state_path, b'{"state":{"5":{"read":true}}}'),
        (library.state_path, b'{"meta":{"1":{"schema":"2"}}}'),
    ]


@pytest.mark.parametrize("case", range(12))
def test_valid_json_of_the_wrong_shape_is_one_line_and_never_rewritten(
    sample_library: Library, capsys: pytest.CaptureFixture[str], case: int
) -> None:
    library = sample_library
    library.save_session({"query": ""})
    pid = library.papers()[0].id
    path, data = wrong_shapes(library)[case]
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(data)
    root = str(library.root)
    for args in commands_on(pid):
        capsys.readouterr()
        status = main(["--library", root, *args])
        err = capsys.readouterr().err
        if status == 0:  # a command that never reads this file
            assert path.name in {"state.json"} or path.parent.name == "abstracts", (args, err)
            continue
        assert status == 1, (args, err)
        assert err.startswith(f"digestreader: error: {path}"), err
        assert err.count("\n") == 1, err
        assert path.read_bytes() == data


def test_an_empty_or_corrupt_index_is_rebuilt_with_a_notice(
    sample_library: Library, capsys: pytest.CaptureFixture[str]
) -> None:
    update_index(sample_library)
    for broken in (b"", b"PK\x03\x04 not a zip", b"\x93NUMPY garbage"):
        index_path(sample_library).write_bytes(broken)
        capsys.readouterr()
        assert main(["--library", str(sample_library.root), "list", "-q", "model"]) == 0
        out, err = capsys.readouterr()
        assert out.strip()
        assert "warning:" in err, err
        assert "index" in err, err
        assert "rebuilt" in err, err
        assert index_path(sample_library).stat().st_size > 1000  # saved again


def test_leftovers_of_killed_writes_are_cleaned_on_the_next_write(
    sample_library: Library, tmp_path: Path
) -> None:
    library = sample_library
    pid = library.papers()[0].id
    library.set_marked([pid])
    state_left = library.state_store.shard_dir / ".07.json.k1ll3d00.tmp"
    segment_left = library.corpus_store.abstracts_dir / ".0000.json.deadbeef.tmp"
    index_left = library.root / ".index.npz.0badf00d.tmp"
    theirs = library.state_store.shard_dir / "notes.tmp"  # not ours: stays
    for left in (state_left, segment_left, index_left, theirs):
        left.write_bytes(b"half")
    library.set_read([pid])
    assert not state_left.exists()
    assert theirs.exists()
    digest = tmp_path / "new.txt"
    digest.write_text("Jun 9\nAn Entirely New Paper\nWith an abstract of its own.\n")
    assert main(["--library", str(library.root), "import", str(digest)]) == 0
    assert not segment_left.exists()
    assert not index_left.exists()


def test_a_loose_library_folder_is_tightened_with_a_notice(
    tmp_path: Path, samples: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    root = tmp_path / "loose"
    root.mkdir(mode=0o755)
    root.chmod(0o755)
    assert main(["--library", str(root), "import", str(samples[0])]) == 0
    assert stat.S_IMODE(root.stat().st_mode) == 0o700
    err = capsys.readouterr().err
    assert err.count("note:") == 1, err
    assert "0755" in err, err
    assert "0700" in err, err
    assert main(["--library", str(root), "import", str(samples[1])]) == 0
    assert "note:" not in capsys.readouterr().err
