"""The `newsbrief` command line: one module per command, each with `add_parser(subparsers)` and
`run(args)`. A new command is a new module here and one name in COMMANDS. Heavy modules are imported
inside `run`, so `newsbrief --help` stays fast."""

from __future__ import annotations

import argparse
import sys
from importlib import import_module

from newsbrief import __version__
from newsbrief.cli.common import EXIT_INPUT
from newsbrief.errors import NewsbriefError

COMMANDS = ("highlights", "batch", "eval", "facts", "train", "models", "serve", "archive")  # in `--help` order


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbrief", description="Story highlights and facts for news articles, offline, on a CPU."
    )
    parser.add_argument("--version", action="version", version=f"newsbrief {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        command = import_module(f"newsbrief.cli.{name}")
        command.add_parser(sub).set_defaults(func=command.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except NewsbriefError as e:
        print(f"newsbrief: error: {e}", file=sys.stderr)
        return EXIT_INPUT
    except KeyboardInterrupt:
        print("newsbrief: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `newsbrief ... | head`
        return 0


if __name__ == "__main__":
    sys.exit(main())
