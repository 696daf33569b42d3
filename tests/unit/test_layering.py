"""The core is importable without the UI: Textual stays out of sys.modules.

The layer order itself is checked by the import-linter contract in pyproject.toml (`lint-imports`);
this test catches what import-linter cannot: a third-party module that pulls in Textual or Rich.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from digestreader.library import Library

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "assets").glob("*.txt"))


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import importlib, pkgutil, sys\n"
        "import digestreader\n"
        "core = [m.name for m in pkgutil.walk_packages(digestreader.__path__, 'digestreader.')\n"
        "        if not m.name.startswith(('digestreader.ui', 'digestreader.__main__'))]\n"
        "assert len(core) > 20, core\n"
        "for name in core:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_cold_mark_loads_no_input_side_nor_numpy(tmp_path: Path) -> None:
    # `mark ID` and `show ID` are the commands a script runs in a loop: their start is the
    # imports (0.2 s of 0.25 at 50k papers before this was checked).
    root = tmp_path / "lib"
    cli = [sys.executable, "-m", "digestreader", "--library", str(root)]
    subprocess.run([*cli, "import", str(SAMPLES[0])], capture_output=True, check=True)
    pid = Library(root).papers()[0].id
    code = (
        "import sys\n"
        "from digestreader.cli.main import main\n"
        f"assert main(['--library', {str(root)!r}, 'mark', {pid!r}]) == 0\n"
        "print('\\n'.join(sorted(sys.modules)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(done.stdout.split())
    assert Library(root).get(pid).state.marked
    heavy = {
        "numpy",
        "huggingface_hub",
        "digestreader.ingest.fetch",
        "digestreader.ingest.sources",
        "digestreader.ingest.parser",
        "digestreader.export",
        "digestreader.search",
        "platformdirs",  # the library is given: no default folder to look up
    }
    assert not heavy & loaded, sorted(heavy & loaded)
