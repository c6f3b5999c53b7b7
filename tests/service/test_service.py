"""The HTTP API: briefs with offsets, limits, errors as readable 4xx, the queue and the time limit."""

from __future__ import annotations

import asyncio
import http.server
import json
import logging
import threading
import time

import httpx
import pytest
from fastapi.testclient import TestClient

from newsbrief.registry import DEFAULT_MODEL
from newsbrief.service import Settings, create_app
from newsbrief.service import app as service_app
from newsbrief.service.pool import Busy, Pool, TimedOut

from service_support import ARTICLE, EMOJI_ARTICLE, HTML_PAGE, serve_command

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(Settings()), base_url="http://localhost") as c:
        yield c


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["status"] == response.status_code
    return body["error"]


# --- briefs ---------------------------------------------------------------------------------------


def test_brief_returns_highlights_with_offsets_into_the_returned_text(client):
    r = client.post("/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 3})
    assert r.status_code == 200
    brief = r.json()
    assert brief["schema"] == "newsbrief.brief/1"
    assert brief["model"] == "lead"
    assert brief["text"] == ARTICLE
    assert [(h["start"], h["end"], h["sentence"]) for h in brief["highlights"]] == [(0, 95, 0), (97, 176, 1), (177, 256, 2)]
    assert brief["highlights"][2]["text"] == "About 2,000 homes in the lower town were evacuated on Saturday as a precaution."
    assert "facts" not in brief


def test_default_model_and_count(client):
    r = client.post("/v1/brief", json={"text": ARTICLE, "count": 2})
    brief = r.json()
    assert r.status_code == 200
    assert brief["model"] == DEFAULT_MODEL
    assert len(brief["highlights"]) == 2
    for h in brief["highlights"]:
        assert brief["text"][h["start"] : h["end"]] == h["text"]


def test_word_budget(client):
    r = client.post("/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 5, "max_words": 30})
    highlights = r.json()["highlights"]
    assert r.status_code == 200
    # 17 words, then sentence 1 (14) would pass 30: the budget skips to the first that fits (9 words).
    assert [h["sentence"] for h in highlights] == [0, 3]
    assert sum(len(h["text"].split()) for h in highlights) <= 30


def test_html_input_offsets_index_the_extracted_text(client):
    r = client.post("/v1/brief", json={"html": HTML_PAGE, "model": "lead", "count": 2})
    brief = r.json()
    assert r.status_code == 200
    assert brief["title"] == "Bridge reopens after repairs"
    assert "Home" not in brief["text"] and "Copyright" not in brief["text"]  # boilerplate removed
    for h in brief["highlights"]:
        assert brief["text"][h["start"] : h["end"]] == h["text"]
    first = brief["highlights"][0]
    assert (first["start"], first["end"]) == (0, 105)  # the headline is the title, not a sentence
    assert first["text"].startswith("The Kessel Bridge reopened")


def test_html_pasted_as_text_is_read_as_a_page(client):
    r = client.post("/v1/brief", json={"text": HTML_PAGE, "model": "lead", "count": 1})
    assert r.status_code == 200
    assert r.json()["title"] == "Bridge reopens after repairs"


def test_offsets_count_code_points_not_utf16_units(client):
    r = client.post("/v1/brief", json={"text": EMOJI_ARTICLE, "model": "lead", "count": 3})
    brief = r.json()
    second = brief["highlights"][1]
    assert (second["start"], second["end"]) == (72, 143)  # 🇫🇷 and 🎉 count 3 code points, 6 UTF-16 units
    assert brief["text"][second["start"] : second["end"]] == second["text"]
    assert second["text"].endswith("striker 😀.")


# --- bad input: 4xx with a message, never a traceback ---------------------------------------------


@pytest.mark.parametrize(
    "body, status, message",
    [
        ({}, 422, 'give exactly one of "text" or "html" or "url"'),
        ({"text": "a", "html": "<p>b</p>"}, 422, 'give exactly one of "text" or "html" or "url" (got text, html)'),
        ({"text": ""}, 422, "article is empty"),
        ({"text": "   \n  "}, 422, "article is empty"),
        ({"html": "<html><body><script>var a = 1;</script></body></html>"}, 422, "no article text found in the HTML page"),
        ({"text": ARTICLE, "count": 0}, 422, "count: Input should be greater than or equal to 1"),
        ({"text": ARTICLE, "count": 21}, 422, "count: Input should be less than or equal to 20"),
        ({"text": ARTICLE, "count": "3"}, 422, "count: Input should be a valid integer"),
        ({"text": ARTICLE, "facts": 1}, 422, "facts: Input should be a valid boolean"),
        ({"text": ARTICLE, "max_words": 0}, 422, "max_words: Input should be greater than or equal to 1"),
        ({"text": ARTICLE, "model": "nope"}, 422, "unknown model 'nope'; choose one of: fast, lead, rerank"),
        ({"text": ARTICLE, "colour": "red"}, 422, "colour: unknown field"),
        ({"text": 5}, 422, "text: Input should be a valid string"),
        (["not", "an", "object"], 422, "the request body must be a JSON object"),
        ({"url": "http://example.com/story"}, 403, "this server does not fetch URLs; send the article's text or html"),
    ],
)
def test_bad_requests_get_a_readable_message(client, body, status, message):
    r = client.post("/v1/brief", json=body)
    assert r.status_code == status
    error = error_of(r)
    assert error["message"] == message
    assert "Traceback" not in r.text


def test_invalid_json(client):
    r = client.post("/v1/brief", content=b'{"text": ', headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert error_of(r)["message"] == "the request body is not valid JSON"


def test_facts_when_unavailable_is_a_clear_4xx(monkeypatch):
    monkeypatch.setattr(service_app, "facts_available", lambda: False)  # as when spaCy's model is missing
    with TestClient(create_app(Settings(workers=0)), base_url="http://localhost") as c:
        r = c.post("/v1/brief", json={"text": ARTICLE, "facts": True})
        assert r.status_code == 422
        assert error_of(r)["message"] == "facts are not available in this installation"
        assert c.get("/v1/models").json()["facts"] is False


def test_facts_come_with_the_brief_when_asked(client):
    if not service_app.facts_available():
        pytest.skip("the facts module is not installed")
    r = client.post("/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 1, "facts": True})
    assert r.status_code == 200
    facts = r.json()["facts"]
    quote = facts["quotes"][0]
    assert (quote["text"], quote["speaker"], quote["start"], quote["end"]) == ("We were lucky this time,", "Ana Ruiz", 259, 283)
    assert ARTICLE[quote["start"] : quote["end"]] == quote["text"]
    assert {(e["name"], e["type"]) for e in facts["entities"]} >= {("Ana Ruiz", "person"), ("River Wend", "place")}
    assert facts["quantities"][0]["text"] == "About 2,000" and facts["quantities"][0]["counts"] == "homes"


def test_body_over_the_cap_is_413_before_parsing():
    with TestClient(create_app(Settings(max_body=1000)), base_url="http://localhost") as c:
        r = c.post("/v1/brief", json={"text": "x" * 2000})
        assert r.status_code == 413
        assert error_of(r)["message"] == "the request is larger than the server's limit of 1000 bytes"
        # A chunked upload has no Content-Length: it is counted as it arrives.
        r = c.post("/v1/brief", content=iter([b'{"text": "', b"y" * 800, b"z" * 800, b'"}']),
                   headers={"content-type": "application/json"})
        assert r.status_code == 413
        assert c.post("/v1/brief", json={"text": ARTICLE[:400]}).status_code == 200


def test_article_longer_than_the_ingest_limit_is_422():
    with TestClient(create_app(Settings(max_body=3 * 2**20)), base_url="http://localhost") as c:
        r = c.post("/v1/brief", json={"text": "Word. " * 200_000})
        assert r.status_code == 422
        assert error_of(r)["message"] == "article is too long (1,200,000 characters; the limit is 1,000,000)"


def test_unknown_path_and_method_are_json(client):
    r = client.get("/v1/nothing")
    assert r.status_code == 404 and error_of(r)["message"] == "Not Found"
    r = client.get("/v1/brief")
    assert r.status_code == 405 and error_of(r)["message"] == "Method Not Allowed"


def test_internal_error_is_a_500_without_a_traceback(monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")

    with TestClient(create_app(Settings()), base_url="http://localhost", raise_server_exceptions=False) as c:
        monkeypatch.setattr(service_app, "brief_one", broken)  # after start-up, which briefs a warm-up text
        r = c.post("/v1/brief", json={"text": ARTICLE}, headers={"x-request-id": "req-42"})
    assert r.status_code == 500
    assert error_of(r)["message"] == "internal error; the server log has the details (request req-42)"
    assert "secret" not in r.text


# --- batch ----------------------------------------------------------------------------------------


def test_batch_briefs_each_article_and_reports_bad_ones_in_place(client):
    r = client.post("/v1/brief/batch", json={
        "articles": [{"id": "a", "text": ARTICLE}, {"id": "b", "text": "  "}, {"id": "c", "html": HTML_PAGE}],
        "model": "lead", "count": 1,
    })
    assert r.status_code == 200
    body = r.json()
    assert body["schema"] == "newsbrief.batch/1"
    a, b, c = body["results"]
    assert a["id"] == "a" and [h["sentence"] for h in a["highlights"]] == [0]
    assert "text" not in a  # batch results stay small
    assert b == {"id": "b", "error": {"type": "InputError", "message": "b: article is empty"}}
    assert c["id"] == "c" and c["title"] == "Bridge reopens after repairs"


def test_batch_limits():
    with TestClient(create_app(Settings(max_batch=2)), base_url="http://localhost") as c:
        r = c.post("/v1/brief/batch", json={"articles": [{"text": ARTICLE}] * 3})
        assert r.status_code == 422
        assert error_of(r)["message"] == "a batch holds at most 2 articles; this one has 3"
        r = c.post("/v1/brief/batch", json={"articles": []})
        assert r.status_code == 422
        assert error_of(r)["message"] == "articles: List should have at least 1 item after validation, not 0"


# --- meta -----------------------------------------------------------------------------------------


def test_health_and_models(client):
    r = client.get("/healthz")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "model": DEFAULT_MODEL, "workers": 1, "pending": 0, "queue": 64}
    models = client.get("/v1/models").json()
    assert models["default"] == DEFAULT_MODEL and "lead" in models["models"]
    assert models["limits"]["max_body_bytes"] == 2 * 2**20
    assert models["facts"] == service_app.facts_available()


def test_page_and_docs_are_served_locally(client):
    r = client.get("/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert '<script type="module" src="/static/main.js"' in r.text
    for asset in ("/static/main.js", "/static/app.js", "/static/style.css", "/static/world.json"):
        assert client.get(asset).status_code == 200
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert "/docs-assets/swagger-ui-bundle.js" in docs.text and "https://" not in docs.text
    assert client.get("/docs-assets/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/v1/brief", "/v1/brief/batch", "/healthz", "/v1/models"}


def test_access_log_is_one_json_line_per_request(client):
    records = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(json.loads(record.getMessage()))
    logger = logging.getLogger("newsbrief.access")
    logger.addHandler(handler)
    try:
        client.post("/v1/brief", json={"text": ""}, headers={"x-request-id": "abc-123"})
    finally:
        logger.removeHandler(handler)
    assert len(records) == 1
    line = records[0]
    assert {k: line[k] for k in ("request_id", "method", "path", "status")} == {
        "request_id": "abc-123", "method": "POST", "path": "/v1/brief", "status": 422
    }
    assert line["ms"] >= 0 and line["bytes"] > 0


# --- the queue and the time limit -----------------------------------------------------------------


def test_pool_rejects_beyond_its_queue_and_times_out():
    async def scenario():
        pool = Pool(threads=1, queue=2, timeout=0.5)
        slow = [asyncio.create_task(pool.run(time.sleep, 0.15)) for _ in range(2)]
        await asyncio.sleep(0.05)
        started = time.perf_counter()
        with pytest.raises(Busy, match="busy"):
            await pool.run(time.sleep, 0)
        assert time.perf_counter() - started < 0.05  # rejected at once, not after waiting
        await asyncio.gather(*slow)
        assert pool.pending == 0
        with pytest.raises(TimedOut):  # started, but ran past the limit
            await pool.run(time.sleep, 0.7)
        assert pool.pending == 1  # the thread still runs: it counts until it ends
        await asyncio.sleep(0.3)
        assert pool.pending == 0
        blocker = asyncio.create_task(pool.run(time.sleep, 0.6))
        await asyncio.sleep(0.01)
        with pytest.raises(Busy, match="waited"):  # queued behind it for the whole limit
            await pool.run(time.sleep, 0)
        with pytest.raises(TimedOut):
            await blocker
        pool.shutdown()

    asyncio.run(scenario())


def test_pool_says_busy_at_once_when_the_queue_cannot_clear_in_time():
    async def scenario():
        pool = Pool(threads=1, queue=10, timeout=0.5)
        await pool.run(time.sleep, 0.3)  # learns that an article takes about 0.3 s
        queued = [asyncio.create_task(pool.run(time.sleep, 0.3)) for _ in range(2)]
        await asyncio.sleep(0.01)
        assert pool.expected_wait() == pytest.approx(0.6, abs=0.05)
        started = time.perf_counter()
        with pytest.raises(Busy, match=r"about 1 s of work queued"):
            await pool.run(time.sleep, 0)
        assert time.perf_counter() - started < 0.05
        first, second = await asyncio.gather(*queued, return_exceptions=True)
        assert first is None and isinstance(second, TimedOut)  # which is what the estimate foresaw
        pool.shutdown()

    asyncio.run(scenario())


def test_slow_article_gets_504_and_a_full_queue_503(monkeypatch):
    real = service_app.brief_one

    def slow(*args, **kwargs):
        time.sleep(0.4)
        return real(*args, **kwargs)

    monkeypatch.setattr(service_app, "brief_one", slow)
    app = create_app(Settings(timeout=0.2, queue=1))

    async def scenario():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://localhost") as c:
            first = asyncio.create_task(c.post("/v1/brief", json={"text": ARTICLE}))
            await asyncio.sleep(0.05)
            second = await c.post("/v1/brief", json={"text": ARTICLE})
            return await first, second

    first, second = asyncio.run(scenario())
    assert first.status_code == 504
    assert error_of(first)["message"] == "the article took longer than the 0.2 s limit"
    assert second.status_code == 503 and second.headers["retry-after"] == "1"
    assert error_of(second)["type"] == "busy"


def test_worker_processes_brief_and_report_input_errors():
    with TestClient(create_app(Settings(workers=2)), base_url="http://localhost") as c:
        assert c.get("/healthz").json()["workers"] == 2
        r = c.post("/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 1})
        assert r.status_code == 200 and r.json()["highlights"][0]["end"] == 95
        r = c.post("/v1/brief", json={"html": "<html><body><script>var a = 1;</script></body></html>"})
        assert r.status_code == 422  # the InputError crossed the process boundary intact
        assert error_of(r)["message"] == "no article text found in the HTML page"
        r = c.post("/v1/brief/batch", json={"articles": [{"text": ARTICLE}, {"text": ""}], "model": "lead"})
        assert [sorted(x) for x in r.json()["results"]] == [["highlights", "id", "model", "schema", "title"], ["error", "id"]]


# --- fetching -------------------------------------------------------------------------------------


@pytest.fixture
def page_server():
    """A loopback HTTP server with a news page, a huge page and a missing page."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            pages = {"/story.html": HTML_PAGE.encode(), "/huge.html": b"<html>" + b"x" * 100_000}
            body = pages.get(self.path)
            self.send_response(200 if body else 404)
            self.send_header("content-type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body or b"missing")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.parametrize("host", [
    "127.0.0.1", "localhost", "2130706433", "0x7f000001", "127.1", "0177.0.0.1", "0.0.0.0", "[::1]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
])
def test_fetch_refuses_every_spelling_of_this_machine(page_server, host):
    port = page_server.rsplit(":", 1)[1]
    settings = Settings(allow_fetch=True, fetch_max_bytes=50_000, fetch_timeout=5)
    with TestClient(create_app(settings), base_url="http://localhost") as c:
        r = c.post("/v1/brief", json={"url": f"http://{host}:{port}/story.html", "model": "lead", "count": 1})
        assert r.status_code == 403, r.text
        assert error_of(r) == {"status": 403, "type": "fetch_forbidden", "message":
                               "url points to an address that is not on the public internet; only public pages can be fetched"}


def test_fetch_only_when_allowed_and_only_plain_urls(page_server):
    with TestClient(create_app(Settings()), base_url="http://localhost") as c:
        r = c.post("/v1/brief", json={"url": f"{page_server}/story.html"})
        assert r.status_code == 403 and error_of(r)["type"] == "fetch_disabled"
    with TestClient(create_app(Settings(allow_fetch=True)), base_url="http://localhost") as c:
        for url in ("file:///etc/passwd", "ftp://example.com/x", "not a url"):
            r = c.post("/v1/brief", json={"url": url})
            assert r.status_code == 422
            assert error_of(r)["message"] == "url must be an absolute http:// or https:// address"
        r = c.post("/v1/brief", json={"url": f"http://news.example@{page_server[7:]}/story.html"})
        assert r.status_code == 422 and error_of(r)["message"] == "url must not carry a user name or password"


def test_a_fetch_counts_against_the_queue():
    pool = service_app.Pool(threads=1, queue=1)
    with pool.holding():
        assert pool.pending == 1
        with pytest.raises(Busy):
            asyncio.run(pool.run(time.sleep, 0))
    assert pool.pending == 0


# --- settings and the command line ----------------------------------------------------------------


def test_settings_travel_through_the_environment():
    env = {"NEWSBRIEF_SERVE_MODEL": "lead", "NEWSBRIEF_SERVE_COMPRESSOR": "models/cuts", "NEWSBRIEF_SERVE_MAX_BODY": "1234",
           "NEWSBRIEF_SERVE_TIMEOUT": "2.5", "NEWSBRIEF_SERVE_WORKERS": "3", "NEWSBRIEF_SERVE_THREADS": "2",
           "NEWSBRIEF_SERVE_QUEUE": "7", "NEWSBRIEF_SERVE_MAX_BATCH": "3", "NEWSBRIEF_SERVE_ALLOW_FETCH": "yes"}
    assert Settings.from_env(env) == Settings(model="lead", compressor="models/cuts", max_body=1234, timeout=2.5, workers=3,
                                              threads=2, queue=7, max_batch=3, allow_fetch=True)
    assert Settings.from_env({}) == Settings()


def test_serve_command_help_and_bad_model(capsys):
    from newsbrief.cli import main

    with pytest.raises(SystemExit) as exit:
        main(["serve", "--help"])
    assert exit.value.code == 0
    assert "--allow-fetch" in capsys.readouterr().out
    assert main(["serve", "--model", "nope"]) == 1
    assert "unknown model 'nope'" in capsys.readouterr().err


def test_newsbrief_serve_runs_the_page_and_api_with_worker_processes(tmp_path):
    log_path = tmp_path / "serve.log"
    with serve_command(log_path, "--workers", "1") as url:
        assert httpx.get(f"{url}/healthz").json()["workers"] == 1
        assert "<title>newsbrief</title>" in httpx.get(url + "/").text
        r = httpx.post(f"{url}/v1/brief", json={"text": ARTICLE, "model": "lead", "count": 1}, timeout=30)
        assert r.status_code == 200 and r.json()["highlights"][0]["end"] == 95
    output = log_path.read_text()
    assert "Application shutdown complete" in output
    assert '"path": "/v1/brief", "status": 200' in output  # the access log line
    assert "Traceback" not in output
