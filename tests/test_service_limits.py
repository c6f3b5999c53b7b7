"""The service under abuse: runaway work, idle sockets, big bodies from send-all clients, bad headers."""

from __future__ import annotations

import asyncio
import multiprocessing
import time

import httpx
import pytest

from newsbrief.service import Settings, create_app
from service_support import ARTICLE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _workers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == "newsbrief-worker"]


def test_a_runaway_facts_request_frees_its_worker_and_the_one_behind_it_gets_503():
    # ~900 KB of news text with facts: minutes of work, far past the 4 s limit.
    runaway = "\n\n".join([ARTICLE] * 1600)[:900_000]
    app = create_app(Settings(workers=1, timeout=4))

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://t", timeout=120) as c:
            (before,) = _workers()
            started = time.monotonic()
            first = asyncio.create_task(c.post("/v1/brief", json={"text": runaway, "facts": True}))
            await asyncio.sleep(0.3)
            second = await c.post("/v1/brief", json={"text": ARTICLE, "model": "lead"})  # queued behind it
            first = await first
            elapsed = time.monotonic() - started
            killed = not before.is_alive()
            # The replacement loads its model, then takes work again.
            deadline = time.monotonic() + 90
            while True:
                third = await c.post("/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 1})
                if third.status_code == 200 or time.monotonic() > deadline:
                    break
                await asyncio.sleep(0.5)
            return first, second, third, elapsed, killed, app.state.pool.restarts

    first, second, third, elapsed, killed, restarts = asyncio.run(scenario())
    assert first.status_code == 504 and first.json()["error"]["message"] == "the article took longer than the 4 s limit"
    assert elapsed < 6
    assert killed and restarts == 1  # its worker stopped at the deadline, not minutes later
    assert second.status_code == 503, second.text  # it never started: busy, not a time-out
    assert second.json()["error"]["message"] == "the request waited 4 s in the queue; retry shortly"
    assert third.status_code == 200 and third.json()["highlights"][0]["end"] == 95
