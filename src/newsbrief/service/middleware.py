"""ASGI middleware: a request body cap that answers 413 before the body is parsed, and one
structured (JSON) access-log line per request with a request id."""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

access_log = logging.getLogger("newsbrief.access")

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
# The page and its assets run no inline code and load nothing from elsewhere; /docs needs its inline script.
_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


def error_json(status: int, type: str, message: str) -> bytes:
    return json.dumps({"error": {"status": status, "type": type, "message": message}}).encode()


async def send_json(send, status: int, body: bytes, headers=(), close: bool = True) -> None:
    # close: the request body was not read, so the connection cannot carry another request.
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                    *([(b"connection", b"close")] if close else []), *headers],
    })
    await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Reads the whole body (at most `limit` bytes) before the app sees it; more → 413. When `busy()`
    gives a reason, a request to a `busy_paths` path gets its 503 before its body is parsed."""

    def __init__(self, app, limit: int, busy=lambda: None, busy_paths: tuple[str, ...] = ()):
        self.app = app
        self.limit = limit
        self.busy = busy
        self.busy_paths = busy_paths

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            return await self.app(scope, receive, send)
        busy = self.busy() if scope["path"] in self.busy_paths else None
        too_large = error_json(
            413, "too_large", f"the request is larger than the server's limit of {_size(self.limit)}"
        )
        headers = dict(scope["headers"])
        length = headers.get(b"content-length")
        if length is not None:
            if not length.isdigit():
                return await send_json(send, 400, error_json(400, "bad_request", "invalid Content-Length"))
            if int(length) > self.limit:
                if headers.get(b"expect", b"").lower() != b"100-continue":  # it is sending the body anyway
                    await _drain(receive, int(length))
                return await send_json(send, 413, too_large)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.limit:  # chunked uploads carry no Content-Length: count as they come
                if message.get("more_body", False):
                    await _drain(receive, DRAIN_BYTES)
                return await send_json(send, 413, too_large)
            if not busy:
                chunks.append(chunk)
            if not message.get("more_body", False):
                break
        if busy:
            # Under overload the cheapest answer is one given before parsing anything; the body is read
            # (and dropped) so the client's connection stays usable for its retry.
            return await send_json(send, 503, error_json(503, "busy", busy), [(b"retry-after", b"1")], close=False)
        body = b"".join(chunks)
        replayed = False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(scope, replay, send)


# A client that sends its whole body before it reads (Python's urllib, many scripts) sees a connection
# reset, not the 413, if the server closes while body bytes are still arriving: read and drop up to this
# much, for at most DRAIN_SECONDS, before answering.
DRAIN_BYTES = 64 * 2**20
DRAIN_SECONDS = 10.0


async def _drain(receive, expected: int) -> None:
    import asyncio

    left = min(expected, DRAIN_BYTES)
    try:
        async with asyncio.timeout(DRAIN_SECONDS):
            while left > 0:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                left -= len(message.get("body", b""))
                if not message.get("more_body", False):
                    return
    except TimeoutError:
        pass


class AccessLog:
    """One JSON line per request on the `newsbrief.access` logger; adds X-Request-ID and safety headers."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id
        path = scope["path"]
        status, sent = 500, 0  # 500 stays if the app ends without answering
        disconnected = answered = False

        async def receive_wrapper():
            nonlocal disconnected
            message = await receive()
            if message["type"] == "http.disconnect":
                disconnected = True
            return message

        async def send_wrapper(message):
            nonlocal status, sent, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.append((b"x-content-type-options", b"nosniff"))
                headers.append((b"referrer-policy", b"no-referrer"))
                if not path.startswith(("/docs", "/openapi")):
                    headers.append((b"content-security-policy", _CSP.encode()))
                message = {**message, "headers": headers}
            elif message["type"] == "http.response.body":
                sent += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive_wrapper, send_wrapper)
        finally:
            if disconnected and not answered:
                status = 499  # the client went away before an answer (nginx's code for it), not a server error
            client = scope.get("client")
            access_log.info(json.dumps({
                "ts": round(time.time(), 3),
                "request_id": request_id,
                "client": client[0] if client else None,
                "method": scope["method"],
                "path": path,
                "status": status,
                "key": scope["state"].get("api_key"),
                "bytes": sent,
                "ms": round((time.perf_counter() - started) * 1000, 1),
            }))


def _size(n: int) -> str:
    return f"{n / 2**20:g} MB" if n >= 2**20 else f"{n / 2**10:g} KB" if n >= 2**10 else f"{n} bytes"
