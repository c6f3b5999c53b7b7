"""Debian's Chromium, headless, driven by Playwright: shared by the browser tests and the page benchmark.

Screenshots go to artifacts/browser/ (git-ignored) for a person to look at."""

from __future__ import annotations

import os
import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts" / "browser"
# On this closed network Chromium's background services would only spam refused connections.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


def chromium_path() -> str:
    path = os.environ.get("NEWSBRIEF_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        reason = "Chromium is not installed (`make test` installs it with apt-get)"
        if os.environ.get("CI"):
            pytest.fail(reason)  # CI installs it: a missing browser there is a broken set-up, not a skip
        pytest.skip(reason)
    return path


@contextmanager
def launch_chromium():
    sync_api = pytest.importorskip("playwright.sync_api")
    executable = chromium_path()
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def watched_page(browser, request, **context_options):
    """A page in a new context that fails the test on any script error or dialog (an alert would mean a
    story's markup ran). `@pytest.mark.no_csp` on the test turns the page's CSP off, to prove the page's
    escaping alone keeps a story inert."""
    bypass_csp = request.node.get_closest_marker("no_csp") is not None
    context = browser.new_context(bypass_csp=bypass_csp, **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append(f"dialog: {d.message}"), d.dismiss()))
    try:
        yield page
    finally:
        context.close()
    assert errors == [], errors  # no script error, and nothing opened an alert


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


# The view's render time: the union of its `render:VIEW` measures (ui.js `timed`: from an answer in hand to
# the frame after its DOM is built). A view drawn in parts (the entity page: a measure per section) counts
# time two parts overlap once: summing them would count the same frame several times.
RENDER_MS = """(view) => {
  const spans = performance.getEntriesByName('render:' + view).map((e) => [e.startTime, e.startTime + e.duration])
    .sort((a, b) => a[0] - b[0]);
  let total = 0, end = -Infinity;
  for (const [start, stop] of spans) {
    if (stop <= end) continue;
    total += stop - Math.max(start, end);
    end = stop;
  }
  return total;
}"""


def render_ms(page, view: str) -> float:
    return page.evaluate(RENDER_MS, view)
