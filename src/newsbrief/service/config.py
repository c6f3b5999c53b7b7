"""Service settings. `create_app()` with no arguments reads them from NEWSBRIEF_SERVE_* variables, so
an ASGI server that imports the app by name (`uvicorn --factory newsbrief.service:create_app`) can set them."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

ENV_PREFIX = "NEWSBRIEF_SERVE_"


@dataclass(frozen=True)
class Settings:
    model: str | None = None  # default highlights model (a name or a trained directory); None: the package default
    compressor: str | None = None  # what requests with "compress": true use; None: the shipped compressor
    max_body: int = 2 * 1024 * 1024  # bytes of request body; larger → 413 before anything is parsed
    # Seconds a request may take, queueing included → 503 (never started) / 504 (started). Long enough for a
    # full queue on a busy machine: the queue bound and the wait estimate are what keep overload fast.
    timeout: float = 30.0
    workers: int = 0  # model worker processes; 0 runs the model on `threads` threads in this process
    threads: int = 1  # with workers=0 only: pure-Python work holds the GIL, so processes use the cores
    queue: int = 64  # articles waiting or running, all workers together; one more → a fast 503
    max_batch: int = 16  # articles in one POST /v1/brief/batch
    allow_fetch: bool = False  # may a request name a URL for the server to fetch?
    fetch_timeout: float = 10.0
    fetch_max_bytes: int = 2 * 1024 * 1024
    # Who may call it (service/security.py): SHA-256 hashes of API keys, from a file and/or a comma-separated
    # list; with none, no key is asked for. Host names it answers for besides the loopback ones ("*": any).
    keys_file: str | None = None
    keys: str | None = None
    hosts: str = ""
    rate_limit: int = 0  # requests a minute per API key; 0: no limit
    archive: str | None = None  # an archive (SQLite path or postgresql:// URL) to serve under /v1/archive

    @classmethod
    def from_env(cls, environ=None) -> Settings:
        environ = os.environ if environ is None else environ
        values: dict = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            default = getattr(cls(), f.name)
            if default is None:  # the optional names: model, compressor, keys, archive
                values[f.name] = raw or None
            elif isinstance(default, bool):
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = type(default)(raw)
        return cls(**values)
