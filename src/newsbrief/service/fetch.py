"""Fetching a page named by URL: off unless the server was started with --allow-fetch, and then only
http(s), with a time limit and a size cap."""

from __future__ import annotations

from urllib.parse import urlsplit

from newsbrief.errors import InputError


class FetchError(Exception):
    """The page could not be fetched (→ 502): unreachable, an error status, too large, too slow."""


def check_url(url: str) -> str:
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError("url must be an absolute http:// or https:// address")
    return url.strip()


async def fetch(url: str, *, timeout: float, max_bytes: int) -> tuple[str, bool]:
    """The page's text and whether it is HTML."""
    import httpx

    url = check_url(url)
    chunks, size = [], 0
    try:
        async with httpx.AsyncClient(follow_redirects=True, max_redirects=5, timeout=timeout) as client:
            async with client.stream("GET", url, headers={"user-agent": "newsbrief"}) as response:
                if response.status_code >= 400:
                    raise FetchError(f"the page answered HTTP {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise FetchError(f"the page is larger than the {max_bytes // 1024} KB limit")
                async for chunk in response.aiter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise FetchError(f"the page is larger than the {max_bytes // 1024} KB limit")
                    chunks.append(chunk)
                content_type = response.headers.get("content-type", "").lower()
                encoding = response.charset_encoding or "utf-8"
    except httpx.TimeoutException:
        raise FetchError(f"the page did not arrive within {timeout:g} s") from None
    except httpx.HTTPError as e:
        raise FetchError(f"the page could not be fetched ({type(e).__name__})") from None
    try:
        text = b"".join(chunks).decode(encoding, errors="replace")
    except LookupError:  # a charset Python does not know
        text = b"".join(chunks).decode("utf-8", errors="replace")
    return text, "html" in content_type
