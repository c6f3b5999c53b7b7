"""Articles and a live server shared by the service, browser and fuzz tests."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager

# A made-up story: the service tests pin offsets into it, so keep it byte for byte.
ARTICLE = """Flood barriers on the River Wend held overnight as water rose to its highest level in 40 years.

Engineers had worked through the weekend to raise the barriers by half a metre. About 2,000 homes in the lower town were evacuated on Saturday as a precaution.

"We were lucky this time," said Mayor Ana Ruiz. The council will meet on Tuesday to discuss a permanent wall.

Forecasters expect the river to fall slowly over the next three days."""

# Markup in a story must show as text: if any of it ran, the page would set window.__pwned.
XSS_ARTICLE = """Police said the note read <script>window.__pwned = 1</script> and nothing else.

A second message contained <img src=x onerror="window.__pwned = 2"> in its first line.

Investigators said the <b>bold</b> claim and the <iframe src="javascript:window.__pwned=3"></iframe> were harmless."""

# Characters outside the Basic Multilingual Plane take two UTF-16 units in JavaScript, one code point here.
EMOJI_ARTICLE = """Fans waved 🇫🇷 flags and 🎉 banners outside the stadium on Sunday night.

The home side won 3-1 after a late goal from the 19-year-old striker 😀.

Tickets for the final sold out within an hour, organisers said."""

HTML_PAGE = """<!doctype html>
<html><head><title>Bridge reopens after repairs</title></head>
<body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article>
<h1>Bridge reopens after repairs</h1>
<p>The Kessel Bridge reopened to traffic on Friday after eight months of repairs that cost 12 million euros.</p>
<p>Engineers replaced the cables and resurfaced the deck, the transport ministry said in a statement.</p>
<p>Commuters had faced detours of up to 40 minutes while the bridge was closed.</p>
<p>The ministry said the work would extend the life of the bridge by at least 30 years.</p>
</article>
<footer>Copyright 2026 Example News</footer>
</body></html>"""


@contextmanager
def live_server(app, host: str = "127.0.0.1", header_timeout: float = 10, max_connections: int = 1000):
    """The app under uvicorn (with the service's listener guards) on a free loopback port, in a thread;
    yields its base URL."""
    import uvicorn

    from newsbrief.service.listener import server_config

    config = server_config(app, host=host, port=0, header_timeout=header_timeout, max_connections=max_connections,
                           log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serve_command(log_path, *options: str):
    """`newsbrief serve` as a user starts it, in its own process on a free loopback port, with its output
    in `log_path`; yields the base URL once /healthz answers, and stops the server on leaving."""
    import socket
    import subprocess
    import sys

    import httpx

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with open(log_path, "w") as log:  # a file, not a pipe: worker processes inherit it
        server = subprocess.Popen([sys.executable, "-m", "newsbrief", "serve", "--port", str(port), *options],
                                  stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # spawning a worker and loading the model, on a busy machine
        while True:
            try:
                httpx.get(f"{url}/healthz", timeout=2).raise_for_status()
                break
            except httpx.HTTPError:
                assert server.poll() is None, log_path.read_text()
                assert time.monotonic() < deadline, "the server did not start in time"
                time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)
    # uvicorn re-raises the SIGTERM it caught once it has shut down cleanly, so -15 is a clean exit.
    assert server.returncode in (0, -15), (server.returncode, log_path.read_text())
