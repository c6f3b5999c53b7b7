"""Fetching a page named by URL, so that a URL cannot turn the fetcher on the network it runs in.

    page = fetch_page("https://example.com/story", timeout=10, max_bytes=2 * 2**20)

Every hop (the URL and each redirect) is resolved here, refused unless every address it resolves to is
public, and then connected to at the address that was checked: there is no second lookup that DNS
rebinding could answer differently. The Host header and TLS server name stay the URL's own, so
certificates are verified against the name. One deadline covers the whole fetch, redirects and a
server that trickles a byte at a time included; a byte cap bounds the body (after decompression).
Errors are `FetchError`s whose message a user can read; a refused connection, a silent port and a
non-HTTP answer all read the same, so the messages do not say which ports are open.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import socket
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from newsbrief import __version__

USER_AGENT = f"newsbrief/{__version__}"
MAX_REDIRECTS = 5
# A user's fetch of one article (`newsbrief highlights URL`, batch); the service has its own setting.
PAGE_TIMEOUT = 20.0

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


class FetchError(Exception):
    """The page could not be fetched; `status` is the HTTP status a service answers with. `detail` says
    more about a connection that gave no usable answer (refused, not HTTP, TLS): for a user fetching
    from their own machine, never for a service's client (it would tell which ports are open)."""

    status = 502
    detail: str | None = None


class BadUrl(FetchError):
    """Not an absolute http(s) URL a fetcher should follow (scheme, credentials, port)."""

    status = 422


class ForbiddenAddress(FetchError):
    """The host resolves to an address that is not on the public internet."""

    status = 403


@dataclass(frozen=True)
class FetchedPage:
    url: str  # as asked
    final_url: str  # after redirects
    content_type: str  # lower case, without parameters ("text/html")
    body: bytes
    charset: str | None = None  # from the Content-Type header

    def text(self) -> str:
        try:
            return self.body.decode(self.charset or "utf-8", errors="replace")
        except LookupError:  # a charset Python does not know
            return self.body.decode("utf-8", errors="replace")

    @property
    def is_html(self) -> bool:
        return "html" in self.content_type


# --- addresses ------------------------------------------------------------------------------------


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: mapped, 6to4, Teredo client, NAT64, IPv4-compatible."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64 or (ip in _COMPAT and int(ip) > 1):  # ::1 and :: are checked as themselves
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_COMPAT = ipaddress.IPv6Network("::/96")


def is_public_address(ip: Address | str) -> bool:
    """True only for an address on the public internet: not loopback, private, link-local (the cloud
    metadata address 169.254.169.254 among them), unspecified, multicast, reserved or shared, and not
    an IPv6 form that embeds such an IPv4 address."""
    if isinstance(ip, str):
        ip = ipaddress.ip_address(ip.split("%", 1)[0])  # a scoped IPv6 address ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None:
            return is_public_address(inner)
        if ip.is_site_local:
            return False
    return ip.is_global and not (
        ip.is_loopback or ip.is_private or ip.is_link_local or ip.is_unspecified or ip.is_multicast or ip.is_reserved
    )


def system_resolver(host: str, port: int) -> list[str]:
    """Every address the system resolver gives for `host` (which also reads odd IPv4 spellings such
    as 2130706433, 0x7f000001, 127.1 and 0177.0.0.1 as the addresses they are)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def check_url(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an absolute http(s) URL without credentials, or BadUrl."""
    if not isinstance(url, str) or any(c in url for c in "\r\n\t\x00"):
        raise BadUrl("url must be an absolute http:// or https:// address")
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise BadUrl("url must be an absolute http:// or https:// address")
    if "@" in parts.netloc:
        raise BadUrl("url must not carry a user name or password")
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        raise BadUrl("url has an invalid port") from None
    return scheme, parts.hostname, port


def resolve_address(host: str, port: int, resolver: Resolver = system_resolver, allow_private: bool = False) -> str:
    """The address to connect to for `host`: the first it resolves to, once every one of them has been
    checked (unless `allow_private`)."""
    try:
        addresses = resolver(host, port)
    except (OSError, UnicodeError, ValueError):
        addresses = []
    if not addresses:
        raise FetchError(f"the host {host!r} could not be found")
    for address in addresses if not allow_private else ():
        try:
            public = is_public_address(address)
        except ValueError:
            public = False
        if not public:
            # One non-public answer refuses the host: connecting to "the public one" would let a
            # name that resolves to both choose the private address on a later lookup.
            raise ForbiddenAddress("url points to an address that is not on the public internet; "
                                   "only public pages can be fetched")
    return addresses[0].split("%", 1)[0]


# --- fetching -------------------------------------------------------------------------------------


async def fetch_page_async(
    url: str, *, timeout: float, max_bytes: int, allow_private: bool = False, user_agent: str = USER_AGENT,
    resolver: Resolver = system_resolver, transport=None,
) -> FetchedPage:
    """The page at `url` (see the module's docstring). `allow_private` lifts the address check, for a
    user fetching from their own machine; `resolver` and `transport` are for tests."""
    import httpx

    check_url(url)
    try:
        async with asyncio.timeout(timeout):
            async with httpx.AsyncClient(follow_redirects=False, timeout=timeout, transport=transport, trust_env=False,
                                         verify=_tls_context()) as client:
                return await _follow(client, url.strip(), max_bytes, allow_private, user_agent, resolver)
    except TimeoutError:
        raise FetchError(f"the page did not arrive within {timeout:g} s") from None
    except httpx.HTTPError as e:
        # Refused, reset, silent or not HTTP: one message, so that it tells nothing about the port.
        error = FetchError("the page could not be fetched: the server gave no usable answer")
        error.detail = _cause(e)
        raise error from None


@functools.cache
def _tls_context():
    """httpx's default TLS context (certificates verified against certifi's roots), made once: loading
    the roots is most of the CPU a fetch of a page costs, and a batch fetches thousands."""
    import httpx

    return httpx.create_ssl_context(trust_env=False)


def _cause(error: Exception) -> str:
    import httpx

    if isinstance(error, httpx.ConnectError):
        reasons = []  # the OS's reason lies at the end of the chain ("All connection attempts failed" at the top)
        while error is not None:
            reasons.append(error)
            error = error.__cause__ or error.__context__
        if any(isinstance(e, ConnectionRefusedError) for e in reasons):
            return "the connection was refused"
        tls = next((e for e in reasons if isinstance(e, ssl.SSLError)), None)
        if tls is not None:  # CERTIFICATE_VERIFY_FAILED, WRONG_VERSION_NUMBER (not TLS on that port)...
            return f"the TLS handshake failed: {tls.reason or tls}"
        return f"no connection could be made: {reasons[-1]}"
    if isinstance(error, httpx.ProtocolError):
        return "the answer was not HTTP"
    if isinstance(error, httpx.NetworkError):  # ReadError, WriteError: reset or closed mid-way
        return "the connection broke off"
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__


def fetch_page(url: str, *, timeout: float, max_bytes: int, allow_private: bool = False,
               user_agent: str = USER_AGENT, resolver: Resolver = system_resolver) -> FetchedPage:
    """`fetch_page_async` for callers without an event loop (the command line)."""
    return asyncio.run(fetch_page_async(url, timeout=timeout, max_bytes=max_bytes, allow_private=allow_private,
                                        user_agent=user_agent, resolver=resolver))


async def _follow(client, url: str, max_bytes: int, allow_private: bool, user_agent: str, resolver: Resolver) -> FetchedPage:
    import httpx

    current = url
    for _ in range(MAX_REDIRECTS + 1):
        scheme, host, port = check_url(current)
        address = await _in_thread(resolve_address, host, port, resolver, allow_private)
        target = httpx.URL(current)
        headers = {"host": target.netloc.decode("ascii"), "user-agent": user_agent, "accept-encoding": "gzip, deflate"}
        request = client.build_request(
            "GET", target.copy_with(host=address), headers=headers,
            extensions={"sni_hostname": host} if scheme == "https" else {},
        )
        response = await client.send(request, stream=True)
        try:
            if response.status_code in (301, 302, 303, 307, 308) and "location" in response.headers:
                current = urljoin(current, response.headers["location"])
                continue
            if response.status_code >= 400:
                raise FetchError(f"the page answered HTTP {response.status_code}")
            body = await _read_capped(response, max_bytes)
            content_type = response.headers.get("content-type", "").split(";", 1)[0].strip().lower()
            return FetchedPage(url, current, content_type, body, response.charset_encoding)
        finally:
            await response.aclose()
    raise FetchError(f"the page redirected more than {MAX_REDIRECTS} times")


async def _in_thread(fn, *args):
    """`fn(*args)` (a name lookup, which cannot be cancelled) in a daemon thread of its own: past the
    deadline it is abandoned, and nothing waits for it, where `asyncio.run` would wait for the loop's
    default executor and stretch a command's fetch to however long the lookup hangs."""
    loop = asyncio.get_running_loop()
    future = loop.create_future()

    def settle(result, error) -> None:
        if future.done():  # the deadline passed first
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(result)

    def work() -> None:
        try:
            outcome = (fn(*args), None)
        except BaseException as e:  # handed to the awaiting task, raised there
            outcome = (None, e)
        try:
            loop.call_soon_threadsafe(settle, *outcome)
        except RuntimeError:  # the loop has closed: the fetch is long over
            pass

    threading.Thread(target=work, daemon=True, name="newsbrief-resolve").start()
    return await future


async def _read_capped(response, max_bytes: int) -> bytes:
    limit = f"{max_bytes / 2**20:g} MB" if max_bytes >= 2**20 else f"{max_bytes // 1024} KB"
    too_large = FetchError(f"the page is larger than the {limit} limit")
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise too_large
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():  # decompressed: the cap holds against a gzip bomb too
        size += len(chunk)
        if size > max_bytes:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)
