"""`newsbrief keys`: a new API key for `serve --keys-file`, or the hash line of an existing one."""

from __future__ import annotations

import argparse
import sys

from newsbrief.errors import NewsbriefError


def add_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser("keys", help="make an API key for `serve --keys-file`, or hash one",
                              description="`newsbrief keys new desk >> keys.txt` shows a new key once and appends "
                                          "its hash line; `newsbrief keys hash NAME` hashes a key read from standard input.")
    p.add_argument("action", choices=("new", "hash"))
    p.add_argument("name", nargs="?", default="", help="a name for the key, shown in the access log")
    return p


def run(args) -> int:
    from newsbrief.service.security import hash_key, new_key

    if args.action == "new":
        key = new_key()
        print(f"API key for {args.name} (shown once; the keys file keeps only its hash): {key}", file=sys.stderr)
    else:
        key = (input("key: ") if sys.stdin.isatty() else sys.stdin.readline()).strip()
        if not key:
            raise NewsbriefError("no key given on standard input")
    print(f"{hash_key(key)} {args.name}".rstrip())
    return 0
