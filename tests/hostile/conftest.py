"""The hostile suite: issue 8's attacks tried again, with other sizes and other files.

Every test in this folder carries the `hostile` mark (run them alone with
`pytest tests/hostile` or `pytest -m hostile`, skip them with `-m "not hostile"`). Risky
cases run in a caged child process (`hostile_sandbox`); the files they attack are built at
test time (`hostile_files`). The two helper modules sit beside the tests and are put on the
import path here, because the suite runs with `--import-mode=importlib`.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "hostile: adversarial input, faults and limits (issue 8), run in a cage"
    )


def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.hostile)


@pytest.fixture(scope="session")
def valid_files(tmp_path_factory) -> dict[str, Path]:
    """One genuine weights file per format (a 2-3-1 network), to rewrite into attacks."""
    import hostile_files

    folder = tmp_path_factory.mktemp("valid")
    return {ext: hostile_files.save_valid(folder / f"model{ext}") for ext in hostile_files.FORMATS}
