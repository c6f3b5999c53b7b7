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
    archive: str | None = None  # an archive (SQLite path or postgresql:// URL) to serve under /v1/archive

    def to_env(self) -> dict[str, str]:
        env = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                env[ENV_PREFIX + f.name.upper()] = str(int(value) if isinstance(value, bool) else value)
        return env

    @classmethod
    def from_env(cls, environ=None) -> "Settings":
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is None:
                continue
            kind = type(getattr(cls(), f.name))
            if kind is type(None):  # the optional names (model, compressor, archive)
                values[f.name] = raw or None
            elif kind is bool:
                values[f.name] = raw.strip().lower() in ("1", "true", "yes", "on")
            else:
                values[f.name] = kind(raw)
        return cls(**values)
