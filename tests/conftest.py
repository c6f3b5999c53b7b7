import gzip
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE = ROOT / "examples" / "article.txt"


def shared(*parts: str) -> Path:
    """A file of the project's shared data (../shared beside the checkout, as CI has it). Without it the
    tests that pin figures on it fail, saying why: they never pass by skipping."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.fail(f"shared data not found: ../shared/data/{'/'.join(parts)} (see ../shared/README.md)", pytrace=False)
    return path


@pytest.fixture(scope="session")
def derna_text() -> str:
    return shared("samples", "derna.txt").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def validation_head() -> list[dict]:
    """The first 20 validation records: a fixed tiny set for pinned numbers."""
    rows = []
    with gzip.open(shared("cnndm", "validation.jsonl.gz"), "rt", encoding="utf-8") as f:
        for line in f:
            rows.append(json.loads(line))
            if len(rows) == 20:
                break
    return rows


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium, headless, for the browser tests (tests/browser_support.py)."""
    from browser_support import launch_chromium

    with launch_chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def web_pages():
    """The base URL of a web server on loopback serving tests/fixtures/web/ (tests/web_support.py)."""
    from web_support import serve_pages

    with serve_pages() as base:
        yield base
