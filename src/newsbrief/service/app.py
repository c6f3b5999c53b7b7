"""The FastAPI app: the JSON API under /v1, health, OpenAPI docs with local assets, and the web page."""

from __future__ import annotations

import importlib.util
import logging
import sys
import time
from contextlib import asynccontextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from newsbrief import __version__
from newsbrief.document import Document
from newsbrief.errors import InputError, NewsbriefError
from newsbrief.ingest.fetch import FetchError, fetch_page_async
from newsbrief.options import BriefOptions
from newsbrief.service import schemas
from newsbrief.service.config import Settings
from newsbrief.service.middleware import AccessLog, BodyLimit, access_log
from newsbrief.service.pool import Busy, Pool, TimedOut
from newsbrief.service.security import Guard, read_keys

STATIC = Path(__file__).parent / "static"
BATCH_SCHEMA = "newsbrief.batch/1"
log = logging.getLogger("newsbrief.service")

_WARMUP = "The council met on Monday. It approved the budget after a long debate. Voters will decide in May."

_ERRORS = {"model": schemas.ErrorResponse}
_POST_ERRORS = {
    400: {**_ERRORS, "description": "The request body could not be read (not UTF-8, or a bad Content-Length), "
                                    "or the Host is not one this server answers for"},
    401: {**_ERRORS, "description": "The server needs an API key ('Authorization: Bearer KEY') "
                                    "and none, or an unknown one, was sent"},
    403: {**_ERRORS, "description": "URL fetching is not enabled on this server, or the URL's host is not a public address"},
    413: {**_ERRORS, "description": "The request body is larger than the server's limit"},
    422: {**_ERRORS, "description": "The request or the article cannot be used; the message says why"},
    429: {**_ERRORS, "description": "Too many requests with this key; Retry-After says when to try again"},
    503: {**_ERRORS, "description": "The server is busy: the queue is full or the request waited too long"},
    504: {**_ERRORS, "description": "The article took longer than the time limit"},
}


# --- the work done on pool workers (processes or threads) -------------------------------------------


def _document(kind: str, source: str, id: str | None = None) -> Document:
    from newsbrief.ingest import read, read_html

    meta = {"id": id} if id is not None else {}
    return read_html(source, **meta) if kind == "html" else read(source, **meta)


def brief_one(kind: str, source: str, options: BriefOptions) -> dict:
    from newsbrief.brief import make_brief

    doc = _document(kind, source)
    brief = make_brief(doc, options)
    brief["text"] = doc.text  # what the offsets index into: for HTML, the extracted text
    return brief


def warm_worker(options: BriefOptions) -> None:
    """Each worker's start: load the model, the segmenter and (if installed) the facts pipeline."""
    brief_one("text", _WARMUP, replace(options, facts=False))
    if options.facts:
        try:
            brief_one("text", _WARMUP, options)
        except Exception:  # reported by the app's own check at start-up; highlights still work
            pass


def brief_many(articles: list[tuple[str | None, str, str]], options: BriefOptions) -> list[dict]:
    """One result per article, in order: its brief, or its error record (one bad article does not sink the batch)."""
    from newsbrief.brief import brief_records

    return list(brief_records(((id, partial(_document, kind, source, id)) for id, kind, source in articles), options))


def _source(item: schemas.Source) -> tuple[str, str]:
    return ("html", item.html) if item.html is not None else ("text", item.text)


# --- errors ---------------------------------------------------------------------------------------


def _error(status: int, type: str, message: str, headers: dict | None = None) -> JSONResponse:
    return JSONResponse(
        {"error": {"status": status, "type": type, "message": message}}, status_code=status, headers=headers
    )


def readable(errors) -> str:
    """Pydantic's error list as one sentence a person can act on."""
    parts = []
    for e in errors:
        loc = [str(x) for x in e.get("loc", ()) if x != "body"]
        kind = e.get("type", "")
        if kind == "json_invalid":
            return "the request body is not valid JSON"
        if kind == "missing" and not loc:
            return 'the request body is required: a JSON object with "text" or "html"'
        if kind in ("model_attributes_type", "dict_type") and not loc:
            return "the request body must be a JSON object"
        message = e.get("msg", "invalid value")
        message = message.removeprefix("Value error, ")
        if kind == "extra_forbidden":
            message = "unknown field"
        parts.append(f"{'.'.join(loc)}: {message}" if loc else message)
    return "; ".join(dict.fromkeys(parts[:5])) or "invalid request"


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError):
        return _error(422, "invalid_request", readable(exc.errors()))

    @app.exception_handler(NewsbriefError)
    async def _input(request: Request, exc: NewsbriefError):
        return _error(422, "invalid_input", str(exc))

    @app.exception_handler(Busy)
    async def _busy(request: Request, exc: Busy):
        return _error(503, "busy", str(exc), headers={"Retry-After": "1"})

    @app.exception_handler(TimedOut)
    async def _timeout(request: Request, exc: TimedOut):
        return _error(504, "timeout", str(exc))

    @app.exception_handler(FetchError)
    async def _fetch(request: Request, exc: FetchError):
        kind = {403: "fetch_forbidden", 422: "invalid_url"}.get(exc.status, "fetch_failed")
        return _error(exc.status, kind, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException):
        message = str(exc.detail)
        if exc.status_code == 400 and message == "There was an error parsing the body":
            message = "the request body could not be read as UTF-8 JSON"  # FastAPI's words for a decode error
        return _error(exc.status_code, "http_error", message, headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception):
        request_id = request.scope.get("state", {}).get("request_id", "?")
        log.exception("request %s failed", request_id)
        return _error(500, "internal", f"internal error; the server log has the details (request {request_id})")


# --- the app --------------------------------------------------------------------------------------


def _setup_logging() -> None:
    # Under uvicorn only its own loggers have handlers; give ours one line per record on stderr.
    for logger in (access_log, log):
        if not logger.handlers:
            handler = logging.StreamHandler(sys.stderr)
            layout = "%(message)s" if logger is access_log else "%(levelname)s %(name)s: %(message)s"
            handler.setFormatter(logging.Formatter(layout))
            logger.addHandler(handler)
            logger.setLevel(logging.INFO)
            logger.propagate = False


def facts_available() -> bool:
    """Whether spaCy's model for the facts is installed (a deployment may leave it out)."""
    from newsbrief.facts.nlp import MODEL

    return importlib.util.find_spec(MODEL) is not None


def create_app(settings: Settings | None = None) -> FastAPI:
    """The app; with no settings, they come from NEWSBRIEF_SERVE_* (how `newsbrief serve` passes them)."""
    from newsbrief.registry import DEFAULT_COMPRESSOR, available

    settings = settings or Settings.from_env()
    keys = read_keys(settings.keys_file, settings.keys)
    facts = {"available": facts_available()}
    # The server's defaults, validated once: a request changes what it names.
    defaults = BriefOptions(model=settings.model, facts=facts["available"])
    default_model = defaults.model
    compressor = BriefOptions(model=default_model, compress=settings.compressor or DEFAULT_COMPRESSOR).compress
    # A request may name a shipped model, or the model the server was started with (a trained directory,
    # perhaps), but no other path on the server.
    allowed_models = sorted({*available(), default_model})
    pool = Pool(
        processes=settings.workers, threads=settings.threads, queue=settings.queue, timeout=settings.timeout,
        initializer=warm_worker, initargs=(defaults,),
    )
    _setup_logging()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # Start every worker now (each loads the model once), not on the first requests' time.
        await pool.warm(brief_one, "text", _WARMUP, replace(defaults, facts=False))
        if facts["available"]:
            try:
                await pool.warm(brief_one, "text", _WARMUP, defaults)
            except Exception:  # the API still serves highlights; /v1/models tells clients facts are off
                log.exception("facts could not be loaded; serving without them")
                facts["available"] = False
        log.info("ready: model %s, %d %s", default_model, pool.workers, "processes" if pool.processes else "threads")
        yield
        pool.shutdown()

    app = FastAPI(
        title="newsbrief",
        version=__version__,
        description=(
            "Story highlights and facts for news articles, offline, on a CPU. Highlight offsets "
            "(`start`, `end`) are Unicode code point indices into the returned `text`."
        ),
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.pool = pool
    _install_error_handlers(app)
    app.add_middleware(BodyLimit, limit=settings.max_body, busy=pool.busy, busy_paths=("/v1/brief", "/v1/brief/batch"))
    # Outermost first in the request's path: the access log sees every request, refused ones included.
    app.add_middleware(Guard, keys=keys, hosts=tuple(h.strip() for h in settings.hosts.split(",") if h.strip()),
                       rate_limit=settings.rate_limit)
    app.add_middleware(AccessLog)
    if settings.archive:
        from newsbrief.archive.api import archive_router

        app.include_router(archive_router(settings.archive))

    def options(body: schemas.Options) -> BriefOptions:
        model = body.model or default_model
        if model not in allowed_models:
            raise InputError(f"unknown model {model!r}; choose one of: {', '.join(allowed_models)}")
        if body.facts and not facts["available"]:
            raise InputError("facts are not available in this installation")
        return BriefOptions(model=model, count=body.count, max_words=body.max_words, facts=body.facts,
                            compress=compressor if body.compress else None)

    @app.post("/v1/brief", responses={200: {"model": schemas.Brief}, **_POST_ERRORS, 502: _ERRORS}, tags=["brief"])
    async def brief(body: schemas.BriefRequest) -> JSONResponse:
        """Highlights (with their source offsets) of one article, and its facts when asked."""
        opts = options(body)
        if body.url is None:
            return JSONResponse(await pool.run(brief_one, *_source(body), opts))
        if not settings.allow_fetch:
            return _error(403, "fetch_disabled", "this server does not fetch URLs; send the article's text or html")
        from newsbrief.ingest import looks_like_html

        started = time.monotonic()
        with pool.holding():  # a fetch counts against the queue like the article it brings
            page = await fetch_page_async(body.url, timeout=min(settings.fetch_timeout, settings.timeout),
                                          max_bytes=settings.fetch_max_bytes)
        text = page.text()
        kind = "html" if page.is_html or looks_like_html(text) else "text"
        left = settings.timeout - (time.monotonic() - started)
        return JSONResponse(await pool.run(brief_one, kind, text, opts, timeout=left))

    @app.post(
        "/v1/brief/batch", responses={200: {"model": schemas.BatchResponse}, **_POST_ERRORS}, tags=["brief"]
    )
    async def brief_batch(body: schemas.BatchRequest) -> JSONResponse:
        """Briefs of several articles in one request; an unreadable article gets an error in its place."""
        if len(body.articles) > settings.max_batch:
            raise InputError(f"a batch holds at most {settings.max_batch} articles; this one has {len(body.articles)}")
        opts = options(body)
        articles = [(a.id, *_source(a)) for a in body.articles]
        results = await pool.run(brief_many, articles, opts, weight=len(articles))
        return JSONResponse({"schema": BATCH_SCHEMA, "results": results})

    @app.get("/v1/models", response_model=schemas.Models, tags=["meta"])
    async def models():
        """The highlights models, the default, whether facts are available, and the request limits."""
        return {
            "default": default_model,
            "models": allowed_models,
            "facts": facts["available"],
            "archive": bool(settings.archive),
            "limits": {
                "max_body_bytes": settings.max_body,
                "max_count": schemas.MAX_COUNT,
                "max_words": schemas.MAX_WORDS,
                "max_batch": settings.max_batch,
                "timeout_seconds": settings.timeout,
            },
        }

    @app.get("/healthz", response_model=schemas.Health, tags=["meta"])
    async def healthz():
        return {"status": "ok", "model": default_model, "workers": pool.workers, "pending": pool.pending, "queue": pool.limit}

    _install_pages(app)
    return app


def _install_pages(app: FastAPI) -> None:
    from fastapi.openapi.docs import get_swagger_ui_html

    @app.get("/", include_in_schema=False)
    async def index():
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-cache"})

    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    try:  # Swagger UI's own files, served from here: the default page loads them from a CDN.
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:  # pragma: no cover - a declared dependency
        swagger_ui_path = None
    if swagger_ui_path:
        app.mount("/docs-assets", StaticFiles(directory=swagger_ui_path), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        if not swagger_ui_path:
            return HTMLResponse('<p>Swagger UI is not installed; the schema is at <a href="/openapi.json">/openapi.json</a>.</p>')
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="newsbrief API",
            swagger_js_url="/docs-assets/swagger-ui-bundle.js",
            swagger_css_url="/docs-assets/swagger-ui.css",
            swagger_favicon_url="/docs-assets/favicon-32x32.png",
        )
