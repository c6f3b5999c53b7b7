"""The service under abuse: runaway work, idle sockets, big bodies from send-all clients, bad headers."""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import resource
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import httpx
import pytest

from newsbrief.service import Settings, create_app
from newsbrief.service.middleware import access_log

from service_support import ARTICLE, live_server

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _workers() -> list[multiprocessing.Process]:
    return [p for p in multiprocessing.active_children() if p.name == "newsbrief-worker"]


def test_a_runaway_facts_request_frees_its_worker_and_the_one_behind_it_gets_503():
    # ~900 KB of news text with facts: minutes of work, far past the 4 s limit.
    runaway = "\n\n".join([ARTICLE] * 1600)[:900_000]
    app = create_app(Settings(workers=1, timeout=4))

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport, base_url="http://localhost", timeout=120) as c:
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


# --- the listener ---------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthz_seconds(port: int) -> float:
    started = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    return time.perf_counter() - started


def test_idle_sockets_cannot_exhaust_the_server(tmp_path):
    # The server may open 256 files; a client opens 500 sockets and sends nothing on them.
    port = _free_port()
    log_path = tmp_path / "server.log"

    def few_files():
        resource.setrlimit(resource.RLIMIT_NOFILE, (256, 256))

    with open(log_path, "w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "newsbrief", "serve", "--port", str(port), "--workers", "0", "--model", "lead",
             "--max-connections", "100", "--header-timeout", "2"],
            stdout=log, stderr=subprocess.STDOUT, preexec_fn=few_files,
        )
    idle: list[socket.socket] = []
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                _healthz_seconds(port)
                break
            except OSError:
                assert server.poll() is None and time.monotonic() < deadline, log_path.read_text()
                time.sleep(0.2)
        for _ in range(500):
            idle.append(socket.create_connection(("127.0.0.1", port), timeout=5))
        time.sleep(0.5)
        times = sorted(_healthz_seconds(port) for _ in range(10))
        assert times[5] < 0.1, times  # the median; every one of them was answered
        assert "at most 28 connections: the open-file limit is 256" in log_path.read_text()
        time.sleep(2.5)  # past the header timeout: every idle socket has been closed by the server
        for s in idle[-20:]:
            s.settimeout(2)
            assert s.recv(1) == b""
    finally:
        for s in idle:
            s.close()
        server.terminate()
        server.wait(timeout=30)
    assert log_path.stat().st_size < 20_000, log_path.read_text()[-2000:]


@pytest.fixture(scope="module")
def guarded():
    records: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Keep()
    access_log.addHandler(handler)
    level, access_log.level = access_log.level, logging.INFO
    try:
        with live_server(create_app(Settings(model="lead")), header_timeout=2, max_connections=50) as url:
            yield url, records
    finally:
        access_log.removeHandler(handler)
        access_log.setLevel(level)


def _raw(url: str, request: bytes) -> bytes:
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(request)
        answer = b""
        while chunk := s.recv(65536):
            answer += chunk
    return answer


def test_a_malformed_content_length_gets_a_json_400(guarded):
    url, _ = guarded
    for length in (b"abc", b"-5", b"1, 2"):
        answer = _raw(url, b"POST /v1/brief HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + length + b"\r\n\r\n{}")
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 400") and b"content-type: application/json" in head.lower(), answer
        assert json.loads(body)["error"]["type"] == "bad_request"


def test_a_ten_megabyte_body_from_urllib_gets_a_readable_413(guarded):
    url, _ = guarded
    request = urllib.request.Request(f"{url}/v1/brief", data=b"x" * (10 * 2**20),
                                     headers={"content-type": "application/json"})
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(request, timeout=30)
    assert e.value.code == 413
    assert json.loads(e.value.read()) == {"error": {"status": 413, "type": "too_large",
                                                    "message": "the request is larger than the server's limit of 2 MB"}}


def test_a_client_that_disconnects_is_logged_as_such_not_as_a_500(guarded):
    url, records = guarded
    del records[:]
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=5) as s:
        s.sendall(b"POST /v1/brief HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                  b"Content-Length: 1000\r\n\r\n{\"text\": ")
        time.sleep(0.3)
    deadline = time.monotonic() + 5
    while not any('"status": 499' in r for r in records) and time.monotonic() < deadline:
        time.sleep(0.05)
    statuses = [json.loads(r)["status"] for r in records if '"path": "/v1/brief"' in r]
    assert 499 in statuses and 500 not in statuses, records


def test_a_lone_surrogate_is_a_422_alone_and_one_error_item_in_a_batch():
    from fastapi.testclient import TestClient

    bad = '"Broken \\ud800 text. It goes on for a while. And on."'
    with TestClient(create_app(Settings()), base_url="http://localhost") as c:
        r = c.post("/v1/brief", content='{"model": "lead", "text": ' + bad + "}", headers={"content-type": "application/json"})
        assert r.status_code == 422
        assert r.json()["error"]["message"] == "article holds a lone surrogate (U+D800) at character 7: it is not valid Unicode text"
        body = ('{"model": "lead", "count": 1, "articles": [{"id": "a", "text": ' + json.dumps(ARTICLE) + '}, {"id": "b", "text": '
                + bad + '}, {"id": "c", "html": "<html><body><p>\\udfff</p></body></html>"}]}')
        r = c.post("/v1/brief/batch", content=body, headers={"content-type": "application/json"})
        assert r.status_code == 200, r.text
        results = r.json()["results"]
        assert [x["id"] for x in results] == ["a", "b", "c"]
        assert results[0]["highlights"][0]["end"] == 95
        assert results[1]["error"]["message"] == "b: article holds a lone surrogate (U+D800) at character 7: it is not valid Unicode text"
        assert results[2]["error"]["message"] == "c: article holds a lone surrogate (U+DFFF) at character 15: it is not valid Unicode text"


def test_repeated_log_lines_are_rate_limited(monkeypatch):
    from newsbrief.service.listener import RateLimitedLog

    clock = [0.0]
    monkeypatch.setattr("newsbrief.service.listener.time.monotonic", lambda: clock[0])
    limit = RateLimitedLog(burst=5, period=60)

    def record(fd: int) -> logging.LogRecord:  # asyncio's message names a different socket each time
        return logging.LogRecord("asyncio", logging.ERROR, __file__, 1, f"socket.accept() out of system resource\nsocket: fd={fd}", None, None)

    passed = [limit.filter(record(fd)) for fd in range(1000)]
    assert sum(passed) == 5 and passed[:5] == [True] * 5
    other = logging.LogRecord("uvicorn.error", logging.WARNING, __file__, 1, "Invalid HTTP request received.", None, None)
    assert limit.filter(other)  # another message has its own budget
    clock[0] = 61.0
    later = record(7)
    assert limit.filter(later)
    assert later.msg.endswith("(995 similar lines were dropped in the last 60 s)")
