"""`newsbrief serve`: the HTTP API and web page."""

from __future__ import annotations

import argparse

from newsbrief.cli.common import MODEL_HELP, default_workers, non_negative_int, positive_float, positive_int


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("serve", help="HTTP API and web page (open http://HOST:PORT/)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    p.add_argument("--port", type=positive_int, default=8000, help="port (default: 8000)")
    p.add_argument("--workers", type=non_negative_int, default=default_workers(),
                   help="model worker processes, each loading the model once; 0 runs it in the server process "
                        f"(default: {default_workers()}, one per core up to 4)")
    p.add_argument("--model", default=None, help=f"the default {MODEL_HELP} (default: the shipped default)")
    p.add_argument("--compressor", default=None, metavar="MODEL",
                   help="the compressor requests with \"compress\": true use: a directory made by "
                        "`newsbrief train --model compress` (default: the shipped one)")
    p.add_argument("--queue", type=positive_int, default=64, help="articles queued or running before a fast 503 (default: 64)")
    p.add_argument("--timeout", type=positive_float, default=30.0, help="seconds per request, queueing included, before 503/504 (default: 30)")
    p.add_argument("--max-body", type=positive_float, default=2.0, metavar="MB", help="request body limit in MB (default: 2)")
    p.add_argument("--max-batch", type=positive_int, default=16, help="articles per batch request (default: 16)")
    p.add_argument("--allow-fetch", action="store_true", help="let requests name an http(s) URL for the server to fetch")
    p.add_argument("--archive", metavar="DB", default=None,
                   help="serve this archive (SQLite file or postgresql:// URL) under /v1/archive")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    return p


def run(args) -> int:
    from newsbrief.options import BriefOptions

    BriefOptions(model=args.model, compress=args.compressor)  # an unknown model fails here, before the server starts
    import uvicorn

    from newsbrief.service import Settings, create_app

    settings = Settings(
        model=args.model, compressor=args.compressor, max_body=int(args.max_body * 2**20), timeout=args.timeout,
        workers=args.workers, queue=args.queue, max_batch=args.max_batch, allow_fetch=args.allow_fetch,
        archive=args.archive,
    )
    # One HTTP process; the model runs in `--workers` processes behind its single queue.
    uvicorn.run(
        create_app(settings), host=args.host, port=args.port, access_log=False, log_level=args.log_level,
        timeout_graceful_shutdown=5,
    )
    return 0
