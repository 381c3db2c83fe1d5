"""The core knows nothing of Qt: importing every core module loads no Qt at all."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "placeplanner.cli", "placeplanner.model", "placeplanner.model.validation", "placeplanner.model.score_checks",
    "placeplanner.storage.planfile", "placeplanner.storage.repository", "placeplanner.storage.backup",
    "placeplanner.storage.audit", "placeplanner.service", "placeplanner.io.importing", "placeplanner.io.exporting",
    "placeplanner.io.public_health", "placeplanner.demo",
]


def test_core_modules_import_without_qt() -> None:
    code = "import sys\n" + "".join(f"import {m}\n" for m in CORE) + (
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'shiboken6', 'pyqtgraph'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_starting_the_command_line_does_not_load_pandas() -> None:
    """A fast start: the heavy libraries load only when a command needs them."""
    code = "import sys, placeplanner.cli\nprint(','.join(m for m in ('pandas', 'pulp', 'openpyxl') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
