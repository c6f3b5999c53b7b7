"""`newsbrief models`: the highlights models `--model` can name."""

from __future__ import annotations

import argparse


def add_parser(subparsers) -> argparse.ArgumentParser:
    return subparsers.add_parser("models", help="list the highlights models")


def run(args) -> int:
    from newsbrief.registry import DEFAULT_MODEL, available

    for name in available():
        print(f"{name}{'  (default)' if name == DEFAULT_MODEL else ''}")
    return 0
