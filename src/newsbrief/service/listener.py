"""The HTTP listener: uvicorn's h11 server with what it lacks to hold against one abusive client.

- a header-read timeout: a connection that has not sent a whole request head within `header_timeout`
  seconds (of opening, or of its last response) is closed — uvicorn's keep-alive timer stops at the
  first byte, so a client that sends half a request head would otherwise hold its socket for ever;
- a connection cap: at `max_connections` open, a new connection closes the one that has waited
  longest without sending a request head (or, when every one is busy, itself), so idle sockets can
  never use up the open-file limit and a real client still gets in;
- a malformed request head (a bad Content-Length among them) gets the API's JSON 400;
- repeated log lines (accept errors, invalid requests) are rate-limited, so a flood cannot fill a disk.
"""

from __future__ import annotations

import json
import logging
import re
import resource
import time

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol


class GuardedH11Protocol(H11Protocol):
    header_timeout = 10.0  # set per server by `server_config`
    max_connections = 1000

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._waiting_since = time.monotonic()
        self._head_timer = None
        if len(self.connections) > self.max_connections:
            victim = min(
                (c for c in self.connections if isinstance(c, GuardedH11Protocol) and c is not self and c._waiting_head()),
                key=lambda c: c._waiting_since, default=self,
            )
            victim._close()
            if victim is self:
                return
        self._arm_head_timer()

    def _waiting_head(self) -> bool:
        """Between requests: nothing is being answered and no request head is complete."""
        return self.conn.their_state is h11.IDLE and (self.cycle is None or self.cycle.response_complete)

    def _arm_head_timer(self) -> None:
        self._waiting_since = time.monotonic()
        if self._head_timer is not None:
            self._head_timer.cancel()
        self._head_timer = self.loop.call_later(self.header_timeout, self._head_timeout)

    def _head_timeout(self) -> None:
        self._head_timer = None
        if self._waiting_head():
            self._close()

    def _close(self) -> None:
        if not self.transport.is_closing():
            self.transport.close()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if not self.transport.is_closing():
            self._arm_head_timer()

    def connection_lost(self, exc) -> None:
        if getattr(self, "_head_timer", None) is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        body = json.dumps({"error": {"status": 400, "type": "bad_request",
                                     "message": "the request head is malformed (a bad header or Content-Length)"}}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                   (b"connection", b"close")]
        try:
            self.transport.write(self.conn.send(h11.Response(status_code=400, headers=headers, reason=b"Bad Request")))
            self.transport.write(self.conn.send(h11.Data(data=body)))
            self.transport.write(self.conn.send(h11.EndOfMessage()))
        except h11.LocalProtocolError:  # the connection was already past the point of answering
            pass
        self.transport.close()


class RateLimitedLog(logging.Filter):
    """Lets `burst` records of the same message template through per `period` seconds, then one line
    saying how many were dropped."""

    def __init__(self, burst: int = 5, period: float = 60.0):
        super().__init__()
        self.burst, self.period = burst, period
        self._seen: dict[str, list] = {}  # template -> [window start, count]

    def filter(self, record: logging.LogRecord) -> bool:
        now = time.monotonic()
        # The template's first line with its numbers masked: "socket.accept() out of system resource"
        # comes with a different socket (fd, port) each time.
        key = record.name + ":" + re.sub(r"\d+", "#", str(record.msg).split("\n", 1)[0])[:200]
        window = self._seen.get(key)
        if window is None or now - window[0] >= self.period:
            dropped = window[1] - self.burst if window and window[1] > self.burst else 0
            self._seen[key] = [now, 1]
            if len(self._seen) > 1000:  # templates are few; this only bounds a pathological case
                self._seen = {key: self._seen[key]}
            if dropped:
                record.msg = f"{record.msg} ({dropped} similar lines were dropped in the last {self.period:g} s)"
            return True
        window[1] += 1
        return window[1] <= self.burst


BACKLOG = 64  # pending connections the kernel holds, and asyncio's accept batch
RESERVED_FILES = 100  # the server's own files: modules, the log, pipes to the workers, an accept batch not yet closed

_FILTERED = ("asyncio", "uvicorn.error", "newsbrief.service")


def install_log_limits(burst: int = 5, period: float = 60.0) -> None:
    """Rate-limit the loggers an abusive client can make talk (once per process)."""
    for name in _FILTERED:
        logger = logging.getLogger(name)
        if not any(isinstance(f, RateLimitedLog) for f in logger.filters):
            logger.addFilter(RateLimitedLog(burst, period))


def server_config(app, *, host: str, port: int, header_timeout: float, max_connections: int,
                  keep_alive: float = 5.0, log_level: str = "info", **kw):
    """A uvicorn Config for `app` with the guards above; `port=0` picks a free port."""
    import uvicorn

    # asyncio accepts up to `backlog` connections in one go before a closed one frees its file: keep both the
    # batch and the cap well inside the open-file limit, or accept() fails with "Too many open files".
    files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]
    if files != resource.RLIM_INFINITY and max_connections > files - 2 * BACKLOG - RESERVED_FILES:
        max_connections = max(1, files - 2 * BACKLOG - RESERVED_FILES)
        logging.getLogger("newsbrief.service").warning(
            "at most %d connections: the open-file limit is %d (raise it with `ulimit -n`)", max_connections, files)
    protocol = type("Protocol", (GuardedH11Protocol,), {"header_timeout": header_timeout, "max_connections": max_connections})
    install_log_limits()
    return uvicorn.Config(
        app, host=host, port=port, http=protocol, timeout_keep_alive=max(1, round(keep_alive)), backlog=BACKLOG,
        h11_max_incomplete_event_size=16 * 1024,  # a request head larger than 16 KB is refused
        access_log=False, log_level=log_level, server_header=False, **kw,
    )
