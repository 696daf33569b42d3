"""The core is importable without the UI: Textual stays out of sys.modules.

The layer order itself is checked by the import-linter contract in pyproject.toml (`lint-imports`);
this test catches what import-linter cannot: a third-party module that pulls in Textual or Rich.
"""

from __future__ import annotations

import subprocess
import sys


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
