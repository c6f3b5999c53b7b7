"""A web server on this machine's loopback for the tests of articles given by URL: it serves the saved
pages of tests/fixtures/web/ as they are, and a page for each way a fetch can fail."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PAGES = Path(__file__).resolve().parent / "fixtures" / "web"
HUGE_BYTES = 11 * 2**20  # over the 10 MB a page (like a file) may have


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = self.path.split("?", 1)[0]
        if path == "/moved":
            return self._answer(301, headers={"location": "/harbour.html"})
        if path == "/loop":
            return self._answer(302, headers={"location": "/loop"})
        if path == "/whoami":  # the request's User-Agent, written into an article
            agent = self.headers.get("user-agent", "none")
            body = (f"<html><head><title>Who asked</title></head><body><article><p>This page was asked for by the user "
                    f"agent {agent} and the server wrote it back here.</p><p>A test reads it from the article text.</p>"
                    "</article></body></html>")
            return self._answer(200, body.encode(), "text/html; charset=utf-8")
        if path == "/broken":
            return self._answer(500, b"<html><body>Internal Server Error</body></html>", "text/html")
        if path == "/report.pdf":
            return self._answer(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", "application/pdf")
        if path == "/huge":  # no content-length: the cap must hold while reading, not only on the header
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            block = b"<p>" + b"x" * 65_530 + b"</p>"
            for _ in range(HUGE_BYTES // len(block) + 1):
                try:
                    self.wfile.write(block)
                except OSError:  # the fetcher stopped reading: what the test wants
                    return
            return
        if path == "/slow":  # a byte every 0.2 s: each read is quick, the whole page is not
            self.send_response(200)
            self.send_header("content-type", "text/html")
            self.end_headers()
            try:
                for _ in range(100):
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.2)
            except OSError:
                pass
            return
        page = PAGES / path.lstrip("/")
        if path.count("/") == 1 and page.suffix == ".html" and page.is_file():
            return self._answer(200, page.read_bytes(), "text/html; charset=utf-8")
        return self._answer(404, b"<html><body>Not Found</body></html>", "text/html")

    def _answer(self, status: int, body: bytes = b"", content_type: str | None = None, headers: dict | None = None):
        self.send_response(status)
        if content_type:
            self.send_header("content-type", content_type)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@contextmanager
def serve_pages() -> Iterator[str]:
    """The server's base URL ("http://127.0.0.1:PORT") while the block runs."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
