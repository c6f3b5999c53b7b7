"""Who may call the service: API keys (hashed, several, rotated), trusted hosts, per-key rate limits."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsbrief.errors import InputError
from newsbrief.service import Settings, create_app
from newsbrief.service.security import check_exposure, hash_key, read_keys

from service_support import ARTICLE

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")

KEY, OTHER = "nb_test-key-one", "nb_test-key-two"
BRIEF = {"text": ARTICLE, "model": "lead", "count": 1}


@pytest.fixture
def keys_file(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(f"# newsroom keys\n{hash_key(KEY)} desk\n\nsha256:{hash_key(OTHER)}  # the next one\n")
    return str(path)


def test_keys_are_required_on_every_endpoint_but_health_and_the_page(keys_file):
    app = create_app(Settings(keys_file=keys_file))

    @app.get("/v1/archive/later")  # an endpoint added after the app was made: covered all the same
    async def later():
        return {"ok": True}

    with TestClient(app, base_url="http://localhost") as c:
        for method, path in [("post", "/v1/brief"), ("post", "/v1/brief/batch"), ("get", "/v1/models"), ("get", "/v1/archive/later"),
                             ("get", "/v1/nothing-here")]:
            r = getattr(c, method)(path, json=BRIEF) if method == "post" else c.get(path)
            assert r.status_code == 401, (path, r.text)
            assert r.json() == {"error": {"status": 401, "type": "unauthorized",
                                          "message": "an API key is required: send it as 'Authorization: Bearer KEY'"}}
            assert r.headers["www-authenticate"] == 'Bearer realm="newsbrief"'
        assert c.post("/v1/brief", json=BRIEF, headers={"authorization": "Bearer nb_wrong"}).status_code == 401
        assert c.post("/v1/brief", json=BRIEF, headers={"authorization": f"Basic {KEY}"}).status_code == 401
        for path in ("/healthz", "/", "/static/app.js", "/docs", "/openapi.json"):
            assert c.get(path).status_code == 200, path
        r = c.post("/v1/brief", json=BRIEF, headers={"authorization": f"Bearer {KEY}"})
        assert r.status_code == 200 and r.json()["highlights"][0]["end"] == 95
        assert c.get("/v1/archive/later", headers={"x-api-key": OTHER}).json() == {"ok": True}  # the second key


def test_keys_from_the_environment(monkeypatch):
    monkeypatch.setenv("NEWSBRIEF_SERVE_KEYS", f"{hash_key(KEY)},{hash_key(OTHER)}")
    with TestClient(create_app(), base_url="http://localhost") as c:
        assert c.get("/v1/models").status_code == 401
        assert c.get("/v1/models", headers={"authorization": f"bearer {OTHER}"}).status_code == 200


def test_a_keys_file_holds_hashes_not_keys(tmp_path):
    path = tmp_path / "keys.txt"
    path.write_text(f"{KEY}\n")
    with pytest.raises(InputError, match=r"keys.txt:1: expected a SHA-256 hash of a key"):
        read_keys(str(path))
    with pytest.raises(InputError, match="cannot read the keys file"):
        read_keys(str(tmp_path / "missing.txt"))
    path.write_text(f"{hash_key(KEY)} desk\n{hash_key(OTHER).upper()}\n")
    assert read_keys(str(path)) == {hash_key(KEY): "desk", hash_key(OTHER): f"key-{hash_key(OTHER)[:8]}"}


def test_rate_limit_per_key_answers_429_with_retry_after(keys_file):
    with TestClient(create_app(Settings(keys_file=keys_file, rate_limit=3)), base_url="http://localhost") as c:
        one, two = {"authorization": f"Bearer {KEY}"}, {"authorization": f"Bearer {OTHER}"}
        assert [c.get("/v1/models", headers=one).status_code for _ in range(4)] == [200, 200, 200, 429]
        r = c.get("/v1/models", headers=one)
        assert r.status_code == 429 and r.headers["retry-after"] == "20"  # 3 a minute: one every 20 s
        assert r.json()["error"]["type"] == "rate_limited"
        assert c.get("/v1/models", headers=two).status_code == 200  # each key has its own budget
        assert c.get("/healthz").status_code == 200  # health checks are never limited
    with TestClient(create_app(Settings(rate_limit=3)), base_url="http://localhost") as c:
        assert [c.get("/v1/models").status_code for _ in range(5)] == [200] * 5  # no keys: no caller to count


def test_only_trusted_host_names_are_answered():
    with TestClient(create_app(Settings()), base_url="http://localhost") as c:
        for host in ("localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"):
            assert c.get("/v1/models", headers={"host": host}).status_code == 200, host
        r = c.get("/v1/models", headers={"host": "evil.example"})  # DNS rebinding: a name that points here
        assert r.status_code == 400
        assert r.json()["error"] == {"status": 400, "type": "untrusted_host",
                                     "message": "this server does not answer for the host 'evil.example'"}
        assert c.get("/healthz", headers={"host": "evil.example:80"}).status_code == 400
    with TestClient(create_app(Settings(hosts="news.example, brief.news.example")), base_url="http://news.example") as c:
        assert c.get("/v1/models").status_code == 200
        assert c.get("/v1/models", headers={"host": "brief.news.example"}).status_code == 200
        assert c.get("/v1/models", headers={"host": "other.example"}).status_code == 400


@pytest.mark.parametrize("host, fetch, keys, refused", [
    ("0.0.0.0", True, {}, True), ("::", True, {}, True), ("192.168.1.5", True, {}, True),
    ("0.0.0.0", True, {"h": "k"}, False), ("0.0.0.0", False, {}, False), ("127.0.0.1", True, {}, False),
    ("localhost", True, {}, False), ("::1", True, {}, False),
])
def test_fetching_for_the_network_needs_keys(host, fetch, keys, refused):
    if refused:
        with pytest.raises(InputError, match=f"refusing to listen on {host} with --allow-fetch and no API keys"):
            check_exposure(host, fetch, keys)
    else:
        check_exposure(host, fetch, keys)


def test_serve_refuses_to_fetch_for_the_network_without_keys(capsys):
    from newsbrief.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--allow-fetch", "--model", "lead"]) == 1
    assert capsys.readouterr().err == (
        "newsbrief: error: refusing to listen on 0.0.0.0 with --allow-fetch and no API keys: anyone who can reach it "
        "could make this machine fetch pages; configure keys (--keys-file) or listen on 127.0.0.1\n")


def test_keys_new_shows_the_key_once_and_prints_the_line_for_the_keys_file(tmp_path, capsys, monkeypatch):
    import io

    from newsbrief.cli import main

    assert main(["keys", "new", "desk"]) == 0
    out, err = capsys.readouterr()
    key = err.rsplit(": ", 1)[1].strip()
    assert err.startswith("API key for desk (shown once; the keys file keeps only its hash): nb_") and len(key) > 40
    path = tmp_path / "keys.txt"
    path.write_text(out)
    assert read_keys(str(path)) == {hash_key(key): "desk"} and key not in out
    monkeypatch.setattr("sys.stdin", io.StringIO(key + "\n"))
    assert main(["keys", "hash", "desk"]) == 0
    assert capsys.readouterr().out == out
