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
    p.add_argument("--timeout", type=positive_float, default=30.0,
                   help="seconds per request, queueing included, before 503/504 (default: 30)")
    p.add_argument("--max-body", type=positive_float, default=2.0, metavar="MB", help="request body limit in MB (default: 2)")
    p.add_argument("--max-batch", type=positive_int, default=16, help="articles per batch request (default: 16)")
    p.add_argument("--allow-fetch", action="store_true",
                   help="let requests name an http(s) URL for the server to fetch (public addresses only; "
                        "on a non-loopback --host only with API keys)")
    p.add_argument("--keys-file", metavar="FILE",
                   help="API keys, one SHA-256 hash a line (`newsbrief keys new NAME >> FILE`); also "
                        "NEWSBRIEF_SERVE_KEYS=HASH,HASH. With keys, every request but /healthz and the page needs one")
    p.add_argument("--hosts", default="", metavar="NAME,NAME",
                   help="host names the server answers for besides localhost/127.0.0.1/[::1] ('*': any)")
    p.add_argument("--rate-limit", type=non_negative_int, default=120, metavar="N",
                   help="requests a minute per API key; 0: no limit (default: 120)")
    p.add_argument("--max-connections", type=positive_int, default=512, metavar="N",
                   help="open connections; past it the longest-idle one is closed (default: 512)")
    p.add_argument("--header-timeout", type=positive_float, default=10.0, metavar="SECONDS",
                   help="close a connection that has not sent a whole request head in this time (default: 10)")
    p.add_argument("--archive", metavar="DB", default=None,
                   help="serve this archive (SQLite file or postgresql:// URL) under /v1/archive")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default="info")
    return p


def run(args) -> int:
    import os

    from newsbrief.options import BriefOptions

    BriefOptions(model=args.model, compress=args.compressor)  # an unknown model fails here, before the server starts
    import uvicorn

    from newsbrief.service import Settings, create_app
    from newsbrief.service.listener import server_config
    from newsbrief.service.security import check_exposure, read_keys

    settings = Settings(
        model=args.model, compressor=args.compressor, max_body=int(args.max_body * 2**20), timeout=args.timeout,
        workers=args.workers, queue=args.queue, max_batch=args.max_batch, allow_fetch=args.allow_fetch,
        keys_file=args.keys_file, keys=os.environ.get("NEWSBRIEF_SERVE_KEYS") or None, hosts=args.hosts,
        rate_limit=args.rate_limit,
        archive=args.archive,
    )
    check_exposure(args.host, args.allow_fetch, read_keys(settings.keys_file, settings.keys))
    # One HTTP process; the model runs in `--workers` processes behind its single queue.
    config = server_config(
        create_app(settings), host=args.host, port=args.port, header_timeout=args.header_timeout,
        max_connections=args.max_connections, log_level=args.log_level, timeout_graceful_shutdown=5,
    )
    uvicorn.Server(config).run()
    return 0
