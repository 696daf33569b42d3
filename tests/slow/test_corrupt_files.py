"""Every library file replaced by a corrupt variant (truncated, empty, not JSON, wrong shape,
newer schema, random bytes, a directory, a symlink): each command is one line naming the file
or works around it (the index is a cache), and the file is never touched."""

from __future__ import annotations

import os
import random
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from digestreader.cli.main import main
from digestreader.ingest.indexing import index_path, update_index
from digestreader.library import Library
from digestreader.store.documents import doc_id_of
from tests.faults import commands_on
from tests.slow.procs import record

pytestmark = pytest.mark.slow

Variant = Callable[[Path, bytes], object]  # what the variant returns is not used


def write(data: bytes) -> Variant:
    return lambda path, _good: path.write_bytes(data)


def truncated(fraction: float) -> Variant:
    return lambda path, good: path.write_bytes(good[: int(len(good) * fraction)])


def random_bytes(seed: int) -> Variant:
    return lambda path, _good: path.write_bytes(random.Random(seed).randbytes(512))


def directory(path: Path, _good: bytes) -> None:
    path.mkdir()


def symlink_to_garbage(path: Path, _good: bytes) -> None:
    target = path.parent / "garbage-target.bin"
    target.write_bytes(b"\x00\xff garbage")
    path.symlink_to(target)


def symlink_to_folder(path: Path, _good: bytes) -> None:
    path.symlink_to(path.parent)


COMMON: dict[str, Variant] = {
    "empty": write(b""),
    "truncated-1": truncated(0.25),
    "truncated-2": truncated(0.5),
    "truncated-3": truncated(0.9),
    "truncated-last-byte": lambda p, g: p.write_bytes(g[:-1]),
    "not-json": write(b"this is not json at all"),
    "nul-bytes": write(b"\x00" * 64),
    "random-1": random_bytes(1),
    "random-2": random_bytes(2),
    "top-level-list": write(b"[1, 2, 3]"),
    "top-level-string": write(b'"text"'),
    "newer-schema": write(b'{"meta": {"1": {"schema": 99}}}'),
    "directory": directory,
    "symlink-to-garbage": symlink_to_garbage,
    "symlink-to-folder": symlink_to_folder,
}
SHAPES: dict[str, list[bytes]] = {
    "corpus": [b'{"papers":[1,2]}', b'{"papers":{"1":{"id":"ab","title":null}}}'],
    "segment": [b'{"abstracts":{"1":"text"}}', b'{"abstracts":[]}'],
    "state": [b'{"state":{"5":{"marked":true}}}', b'{"state":{"5":{"id":"ab","read":"yes"}}}'],
    "shard": [b'{"state":{"5":{"marked":true}}}', b'{"state":{"5":{"id":"ab","note":3}}}'],
}


def targets(lib: Library) -> dict[str, Path]:
    pid = lib.papers()[0].id
    segment = sorted(lib.corpus_store.abstracts_dir.iterdir())[0]
    return {
        "corpus": lib.corpus_path,
        "segment": segment,
        "state": lib.state_path,
        "shard": lib.state_store.shard_path(doc_id_of(pid) % 64),
    }


def fingerprint(path: Path) -> object:
    if path.is_symlink():
        return ("link", os.readlink(path))
    if path.is_dir():
        return ("dir", sorted(os.listdir(path)))
    return ("file", path.read_bytes())


def test_corrupt_variants_are_one_line_and_left_untouched(
    sample_library: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sample_library.set_marked([sample_library.papers()[0].id])
    sample_library.save_session({"query": ""})
    variants = 0
    for kind in ("corpus", "segment", "state", "shard"):
        cases = dict(COMMON)
        cases.update({f"shape-{n}": write(d) for n, d in enumerate(SHAPES[kind])})
        for name, make in cases.items():
            root = tmp_path / f"{kind}-{name}"
            shutil.copytree(sample_library.root, root, symlinks=True)
            lib = Library(root)
            path = targets(lib)[kind]
            good = path.read_bytes()
            path.unlink()
            make(path, good)
            before = fingerprint(path)
            pid = sample_library.papers()[0].id
            failed = 0
            for args in [*commands_on(pid), ["doctor"]]:
                capsys.readouterr()
                status = main(["--library", str(root), *args])
                out, err = capsys.readouterr()
                assert "Traceback" not in err
                assert status in (0, 1), (kind, name, args, err)
                if status == 1:
                    failed += 1
                    said = out if args == ["doctor"] else err
                    assert str(path) in said, (kind, name, args, said)
                    if args != ["doctor"]:
                        assert err.count("\n") == 1, err
                assert fingerprint(path) == before, (kind, name, args)
            assert failed, (kind, name)  # something noticed it
            variants += 1
    index_variants = index_cases(sample_library, tmp_path, capsys)
    record("corrupt variants", {"library files": variants, "index": index_variants})
    assert variants + index_variants >= 60


def index_cases(base: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> int:
    """The index is a cache: any broken one is rebuilt, with a warning."""
    update_index(base)
    count = 0
    for name, make in COMMON.items():
        if name.startswith("symlink-to-folder"):
            continue
        root = tmp_path / f"index-{name}"
        shutil.copytree(base.root, root, symlinks=True)
        path = index_path(Library(root))
        good = path.read_bytes()
        path.unlink()
        make(path, good)
        capsys.readouterr()
        status = main(["--library", str(root), "list", "-q", "model"])
        out, err = capsys.readouterr()
        assert "Traceback" not in err
        assert status == 0, (name, err)
        assert out.strip(), name
        count += 1
    return count
