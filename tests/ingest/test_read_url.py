"""Articles given by URL: fetched by the service's fetcher and read as their saved HTML files are, and a
message of its own for each way a fetch fails.

Every page comes from a server this test starts on 127.0.0.1 (tests/web_support.py), reached with
`allow_private`; the one name looked up (a host that does not exist) is answered in this process, so
no test sends a packet beyond loopback."""

from __future__ import annotations

import socket
import threading
import time

import pytest

from newsbrief.errors import InputError
from newsbrief.ingest import read_file, read_url

from conftest import FIXTURES
from web_support import closed_port

SAVED = FIXTURES / "web" / "harbour.html"


def test_a_page_by_url_is_the_document_of_its_saved_file(web_pages):
    fetched = read_url(f"{web_pages}/harbour.html", allow_private=True)
    saved = read_file(SAVED)
    assert fetched.title == saved.title == "Storm surge floods Harwick harbour as sea wall fails"
    assert fetched.text == saved.text
    assert [(s.start, s.end) for s in fetched.sentences] == [(s.start, s.end) for s in saved.sentences]
    assert [(s.start, s.end) for s in fetched.sentences] == [
        (0, 177), (178, 318), (319, 424), (425, 470), (471, 588), (589, 618), (619, 755), (756, 879), (880, 986)]
    assert fetched.text.startswith("A storm surge broke through the sea wall at Harwick on Saturday night")
    assert "Privacy" not in fetched.text and "Home" not in fetched.text  # the page's furniture is gone


def test_the_fetch_says_who_it_is(web_pages):
    from newsbrief import __version__

    text = read_url(f"{web_pages}/whoami", allow_private=True).text
    assert f"asked for by the user agent newsbrief/{__version__} and" in text


def test_a_redirect_is_followed_to_the_page(web_pages):
    assert read_url(f"{web_pages}/moved", allow_private=True).text == read_file(SAVED).text


@pytest.mark.parametrize("path, message", [
    ("/missing.html", "the page answered HTTP 404"),
    ("/broken", "the page answered HTTP 500"),
    ("/report.pdf", "not an HTML page (the server says it is application/pdf)"),
    ("/huge", "the page is larger than the 10 MB limit"),
    ("/loop", "the page redirected more than 5 times"),
])
def test_each_failure_has_its_own_message(web_pages, path, message):
    with pytest.raises(InputError) as e:
        read_url(f"{web_pages}{path}", allow_private=True)
    assert str(e.value) == f"{web_pages}{path}: {message}"


def test_a_page_too_slow_in_all_is_cut_at_the_deadline(web_pages):
    """/slow sends a byte every 0.2 s for 20 s: each read is quick, the whole is not."""
    started = time.monotonic()
    with pytest.raises(InputError) as e:
        read_url(f"{web_pages}/slow", allow_private=True, timeout=1)
    assert str(e.value) == f"{web_pages}/slow: the page did not arrive within 1 s"
    assert time.monotonic() - started < 6


def test_a_refused_connection_says_so():
    url = f"http://127.0.0.1:{closed_port()}/story.html"
    with pytest.raises(InputError) as e:
        read_url(url, allow_private=True)
    assert str(e.value) == f"{url}: the page could not be fetched: the server gave no usable answer (the connection was refused)"


def test_a_port_that_does_not_speak_http_says_so():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()

    def banner():
        conn, _ = listener.accept()
        conn.recv(65536)  # the request read, so that closing sends a FIN, not a reset
        conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
        conn.shutdown(socket.SHUT_WR)
        conn.close()

    threading.Thread(target=banner, daemon=True).start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/"
    with pytest.raises(InputError) as e:
        read_url(url, allow_private=True)
    listener.close()
    assert str(e.value) == f"{url}: the page could not be fetched: the server gave no usable answer (the answer was not HTTP)"


def test_https_to_a_port_without_tls_says_the_handshake_failed(web_pages):
    url = web_pages.replace("http://", "https://") + "/harbour.html"
    with pytest.raises(InputError) as e:
        read_url(url, allow_private=True)
    assert str(e.value) == (f"{url}: the page could not be fetched: the server gave no usable answer "
                            "(the TLS handshake failed: WRONG_VERSION_NUMBER)")


def test_a_host_that_does_not_exist(monkeypatch):
    lookup = socket.getaddrinfo

    def resolve(host, *args, **kw):  # the name server's answer for an unknown name, without asking it
        if str(host).endswith(".invalid"):
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return lookup(host, *args, **kw)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    with pytest.raises(InputError) as e:
        read_url("https://news.invalid/story")
    assert str(e.value) == "https://news.invalid/story: the host 'news.invalid' could not be found"


def test_a_page_on_this_machine_needs_allow_private(web_pages):
    with pytest.raises(InputError) as e:
        read_url(f"{web_pages}/harbour.html")
    assert str(e.value) == (f"{web_pages}/harbour.html: url points to an address that is not on the public internet; "
                            "only public pages can be fetched; give --allow-private-addresses to fetch from your own network")


@pytest.mark.parametrize("url, message", [
    ("https://user:secret@news.example/", "url must not carry a user name or password"),
    ("http://", "url must be an absolute http:// or https:// address"),
    ("http://news.example:99999/", "url has an invalid port"),
])
def test_a_bad_url_is_refused_before_any_lookup(url, message):
    with pytest.raises(InputError) as e:
        read_url(url)
    assert str(e.value) == f"{url}: {message}"
