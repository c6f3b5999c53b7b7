"""The URL fetcher: only public addresses, connected to as checked, every hop checked, one deadline.

No test here opens a connection to anything but this machine's loopback: non-loopback addresses are
checked through `is_public_address` itself, or through a resolver that names them and a transport that
fails the test if it is asked to connect."""

from __future__ import annotations

import asyncio
import http.server
import socket
import threading
import time

import httpx
import pytest

from newsbrief.ingest.fetch import (
    BadUrl,
    FetchError,
    ForbiddenAddress,
    fetch_page,
    fetch_page_async,
    is_public_address,
)

NOT_PUBLIC = [
    "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "169.254.0.1",
    "0.0.0.0", "100.64.0.1", "224.0.0.1", "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1",
    "::1", "::", "fe80::1", "fe80::1%eth0", "fc00::1", "fd12:3456::1", "ff02::1", "fec0::1",
    "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1", "::10.0.0.1",
    "2002:7f00:1::", "2002:a9fe:a9fe::1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe",
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
]
PUBLIC = ["93.184.216.34", "8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "2a00:1450:4001::200e", "::ffff:8.8.8.8"]


@pytest.mark.parametrize("address", NOT_PUBLIC)
def test_non_public_addresses_are_refused(address):
    assert is_public_address(address) is False


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address):
    assert is_public_address(address) is True


class NoConnect(httpx.AsyncBaseTransport):
    """A transport that fails the test if the fetcher ever asks it to connect."""

    async def handle_async_request(self, request):
        pytest.fail(f"the fetcher tried to connect to {request.url}")


class Answers(httpx.AsyncBaseTransport):
    """Stands where a public server would be, answering each request from a list, and records what the
    fetcher asked for (which address, which Host header): no connection is made."""

    def __init__(self, *responses: httpx.Response):
        self.responses = list(responses)
        self.requests: list[httpx.Request] = []

    async def handle_async_request(self, request):
        self.requests.append(request)
        return self.responses.pop(0)


def resolver_of(table: dict[str, list[str]], calls: list | None = None):
    def resolve(host: str, port: int) -> list[str]:
        if calls is not None:
            calls.append(host)
        return table[host]
    return resolve


def fetch(url: str, transport, resolver, **kw):
    return asyncio.run(fetch_page_async(url, timeout=5, max_bytes=100_000, transport=transport, resolver=resolver, **kw))


@pytest.mark.parametrize("address", ["10.0.0.5", "169.254.169.254", "192.168.0.10", "fd00::1", "::ffff:10.0.0.5"])
def test_a_host_resolving_to_a_non_public_address_is_refused_before_connecting(address):
    with pytest.raises(ForbiddenAddress, match="not on the public internet"):
        fetch("http://intranet.example/", NoConnect(), resolver_of({"intranet.example": [address]}))


def test_one_non_public_answer_among_public_ones_refuses_the_host():
    resolve = resolver_of({"mixed.example": ["93.184.216.34", "127.0.0.1"]})
    with pytest.raises(ForbiddenAddress):
        fetch("http://mixed.example/", NoConnect(), resolve)


def test_the_checked_address_is_the_one_connected_to_with_the_hosts_own_name():
    calls: list[str] = []
    # A rebinding resolver: public once, loopback after. The fetcher must ask once and dial what it checked.
    answers = iter([["93.184.216.34"], ["127.0.0.1"]])
    transport = Answers(httpx.Response(200, headers={"content-type": "text/html; charset=utf-8"}, content=b"<p>ok</p>"))

    def rebinding(host, port):
        calls.append(host)
        return next(answers)

    page = fetch("https://news.example/story?id=1", transport, rebinding)
    assert calls == ["news.example"]
    (request,) = transport.requests
    assert (request.url.host, request.url.port, request.url.path, request.url.query) == ("93.184.216.34", None, "/story", b"id=1")
    assert request.headers["host"] == "news.example"
    assert request.extensions["sni_hostname"] == "news.example"  # TLS verifies the certificate for the name
    assert (page.final_url, page.content_type, page.body, page.is_html) == ("https://news.example/story?id=1", "text/html", b"<p>ok</p>", True)


@pytest.mark.parametrize("location", [
    "http://127.0.0.1:8080/admin", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://2130706433/",
    "http://intranet.example/",
])
def test_every_redirect_hop_is_checked(location):
    transport = Answers(httpx.Response(302, headers={"location": location}))
    resolve = resolver_of({"public.example": ["93.184.216.34"], "intranet.example": ["10.0.0.7"],
                           "127.0.0.1": ["127.0.0.1"], "169.254.169.254": ["169.254.169.254"], "::1": ["::1"],
                           "2130706433": ["127.0.0.1"]})
    with pytest.raises(ForbiddenAddress):
        fetch("http://public.example/story", transport, resolve)
    assert len(transport.requests) == 1  # the redirect target was never asked


def test_a_redirect_between_public_hosts_is_followed_and_each_is_resolved():
    calls: list[str] = []
    transport = Answers(httpx.Response(301, headers={"location": "/moved"}),
                        httpx.Response(302, headers={"location": "https://cdn.example/final"}),
                        httpx.Response(200, content=b"text"))
    resolve = resolver_of({"a.example": ["93.184.216.34"], "cdn.example": ["2606:4700:4700::1111"]}, calls)
    page = fetch("http://a.example/story", transport, resolve)
    assert calls == ["a.example", "a.example", "cdn.example"]
    assert [str(r.url) for r in transport.requests] == [
        "http://93.184.216.34/story", "http://93.184.216.34/moved", "https://[2606:4700:4700::1111]/final"]
    assert page.final_url == "https://cdn.example/final"


@pytest.mark.parametrize("url, error, message", [
    ("http://user:pw@news.example/", BadUrl, "must not carry a user name or password"),
    ("http://news.example@127.0.0.1/", BadUrl, "must not carry a user name or password"),
    ("file:///etc/passwd", BadUrl, "absolute http:// or https://"),
    ("gopher://news.example/", BadUrl, "absolute http:// or https://"),
    ("http://news.example:99999/", BadUrl, "invalid port"),
    ("http://news.example/\r\nX-Injected: 1", BadUrl, "absolute http:// or https://"),
])
def test_urls_that_are_refused_outright(url, error, message):
    with pytest.raises(error, match=message):
        fetch(url, NoConnect(), resolver_of({}))


def test_a_host_that_does_not_resolve():
    def fails(host, port):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    with pytest.raises(FetchError, match="could not be found"):
        fetch("http://nowhere.example/", NoConnect(), fails)


# --- end to end, against servers on this machine's loopback ----------------------------------------


@pytest.fixture(scope="module")
def loopback_page():
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == "/trickle":
                self.send_response(200)
                self.send_header("content-type", "text/plain")
                self.end_headers()
                try:
                    for _ in range(60):  # a byte every 0.25 s: each read is quick, the whole is not
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.25)
                except OSError:
                    pass
                return
            body = f"host={self.headers['host']}".encode()
            self.send_response(200)
            self.send_header("content-type", "text/plain; charset=utf-8")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def test_a_trickling_server_is_cut_at_one_total_deadline(loopback_page):
    started = time.monotonic()
    with pytest.raises(FetchError, match="did not arrive within 1.5 s"):
        fetch_page(f"http://127.0.0.1:{loopback_page}/trickle", timeout=1.5, max_bytes=100_000, allow_private=True)
    assert time.monotonic() - started < 3


def test_allow_private_fetches_loopback_and_keeps_the_host_header(loopback_page):
    page = fetch_page(f"http://localhost:{loopback_page}/x", timeout=5, max_bytes=1000, allow_private=True)
    assert page.text() == f"host=localhost:{loopback_page}"
    with pytest.raises(ForbiddenAddress):
        fetch_page(f"http://localhost:{loopback_page}/x", timeout=5, max_bytes=1000)


def test_an_open_port_and_a_closed_one_give_the_same_message():
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        closed_port = closed.getsockname()[1]
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def not_http():  # an open port that speaks something else
        conn, _ = listener.accept()
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        conn.close()

    threading.Thread(target=not_http, daemon=True).start()
    messages = []
    for port in (closed_port, listener.getsockname()[1]):
        with pytest.raises(FetchError) as e:
            fetch_page(f"http://127.0.0.1:{port}/", timeout=5, max_bytes=1000, allow_private=True)
        messages.append(str(e.value))
    listener.close()
    assert messages[0] == messages[1] == "the page could not be fetched: the server gave no usable answer"


def test_a_name_lookup_that_hangs_is_cut_at_the_deadline_too():
    """The deadline covers the lookup: a command does not wait for a resolver that hangs (the lookup
    itself cannot be cancelled; it is left to finish in a daemon thread)."""
    def hangs(host, port):
        time.sleep(5)
        return ["93.184.216.34"]

    started = time.monotonic()
    with pytest.raises(FetchError, match="did not arrive within 0.5 s"):
        fetch_page("http://slow-dns.example/", timeout=0.5, max_bytes=1000, resolver=hangs)
    assert time.monotonic() - started < 3
