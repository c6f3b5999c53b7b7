"""Who may call the service: API keys (stored as SHA-256 hashes), trusted Host names, per-key rate limits.

`Guard` is ASGI middleware around the whole app, so every path is covered — endpoints added later
included — except the few in PUBLIC_PATHS: the health check, and the page and documentation, which
hold no data and call the API with the key the user types in.

A keys file holds one hash a line (`newsbrief keys new` prints a key and its line); `#` starts a
comment, and a word after the hash names the key in the access log. Several keys at once let one be
rotated out while the next is already in use.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import re
import secrets
import threading
import time
from pathlib import Path

from newsbrief.errors import InputError

# Exact paths, and prefixes ending in "/": no data behind them, and a browser cannot send a key
# when it opens a page. Everything else needs a key once keys are configured.
PUBLIC_PATHS = ("/healthz", "/", "/docs", "/openapi.json", "/static/", "/docs-assets/")
LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "[::1]")
_HASH = re.compile(r"^(?:sha256:)?([0-9a-f]{64})$")


def hash_key(key: str) -> str:
    return hashlib.sha256(key.strip().encode("utf-8")).hexdigest()


def new_key() -> str:
    return "nb_" + secrets.token_urlsafe(32)


def read_keys(keys_file: str | None = None, hashes: str | None = None) -> dict[str, str]:
    """{hash: name} from a keys file and/or a comma-separated list of hashes (the environment)."""
    keys: dict[str, str] = {}
    lines: list[tuple[str, str]] = []
    if keys_file:
        try:
            text = Path(keys_file).read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot read the keys file {keys_file}: {e.strerror or e}") from None
        lines += [(f"{keys_file}:{n}", line) for n, line in enumerate(text.splitlines(), 1)]
    if hashes:
        lines += [("NEWSBRIEF_SERVE_KEYS", part) for part in hashes.split(",")]
    for where, line in lines:
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        digest, _, name = line.partition(" ")
        match = _HASH.match(digest.lower())
        if not match:
            raise InputError(f"{where}: expected a SHA-256 hash of a key (64 hex digits; `newsbrief keys hash` makes one), "
                             "not the key itself")
        keys[match.group(1)] = name.strip() or f"key-{match.group(1)[:8]}"
    return keys


def is_loopback_host(host: str) -> bool:
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_exposure(host: str, allow_fetch: bool, keys: dict[str, str]) -> None:
    """Refuse to fetch URLs for anyone who can reach a non-loopback address."""
    if allow_fetch and not keys and not is_loopback_host(host):
        raise InputError(
            f"refusing to listen on {host} with --allow-fetch and no API keys: anyone who can reach it could make "
            "this machine fetch pages; configure keys (--keys-file) or listen on 127.0.0.1"
        )


class RateLimiter:
    """A token bucket per key: `per_minute` requests a minute, in bursts of up to `per_minute`."""

    def __init__(self, per_minute: int):
        self.rate = per_minute / 60.0
        self.capacity = float(per_minute)
        self._buckets: dict[str, tuple[float, float]] = {}  # caller -> (tokens, when)
        self._lock = threading.Lock()

    def take(self, caller: str) -> float:
        """0 if `caller` may go ahead now, else the seconds until it may."""
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(caller, (self.capacity, now))
            tokens = min(self.capacity, tokens + (now - when) * self.rate)
            if tokens >= 1:
                self._buckets[caller] = (tokens - 1, now)
                return 0.0
            self._buckets[caller] = (tokens, now)
            return (1 - tokens) / self.rate


class Guard:
    """Host check, then key check, then rate limit; each refusal is the API's JSON error."""

    def __init__(self, app, keys: dict[str, str], hosts: tuple[str, ...] = (), rate_limit: int = 0):
        self.app = app
        self.keys = keys
        self.any_host = "*" in hosts
        self.hosts = {h.lower() for h in (*LOOPBACK_HOSTS, *hosts)}
        self.limiter = RateLimiter(rate_limit) if rate_limit > 0 else None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from newsbrief.service.middleware import error_json, send_json

        headers = dict(scope["headers"])
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        if not self.any_host and host not in self.hosts:
            # A name this server was not told it has: DNS rebinding, or a misconfigured proxy.
            message = f"this server does not answer for the host {host!r}"
            return await send_json(send, 400, error_json(400, "untrusted_host", message))
        path = scope["path"]
        if _is_public(path):
            return await self.app(scope, receive, send)
        caller = None
        if self.keys:
            caller = self._caller(headers)
            if caller is None:
                message = "an API key is required: send it as 'Authorization: Bearer KEY'"
                return await send_json(send, 401, error_json(401, "unauthorized", message),
                                       [(b"www-authenticate", b'Bearer realm="newsbrief"')])
            scope.setdefault("state", {})["api_key"] = caller
        if self.limiter is not None and caller is not None:  # a budget per key; without keys, no limit
            wait = self.limiter.take(caller)
            if wait:
                retry = str(max(1, math.ceil(wait))).encode()
                message = "too many requests for this key; retry after the time in Retry-After"
                return await send_json(send, 429, error_json(429, "rate_limited", message), [(b"retry-after", retry)])
        return await self.app(scope, receive, send)

    def _caller(self, headers: dict) -> str | None:
        given = headers.get(b"authorization", b"").decode("latin-1").strip()
        scheme, _, token = given.partition(" ")
        if scheme.lower() != "bearer":
            token = headers.get(b"x-api-key", b"").decode("latin-1")
        if not token.strip():
            return None
        digest = hash_key(token)
        found = None
        for known, name in self.keys.items():  # compare every one, in constant time each
            if hmac.compare_digest(known, digest):
                found = name
        return found


def _is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or any(p != "/" and p.endswith("/") and path.startswith(p) for p in PUBLIC_PATHS)


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host[: host.find("]") + 1] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host
