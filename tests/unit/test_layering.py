"""The core is importable without the UI: Textual stays out of sys.modules."""

from __future__ import annotations

import subprocess
import sys


def test_core_modules_do_not_import_textual() -> None:
    code = (
        "import sys\n"
        "import digestreader.cli.main, digestreader.ingest.parser, digestreader.library, digestreader.search\n"
        "import digestreader.ingest.sources, digestreader.render, digestreader.reader.model\n"
        "import digestreader.store.corpus, digestreader.ingest.indexing, digestreader.export\n"
        "import digestreader.search.build\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
