"""`newsbrief archive add|search|entity|quotes|events|story`: the archive's commands live with it, in
newsbrief.archive.cli."""

from newsbrief.archive.cli import add_parser, run

__all__ = ["add_parser", "run"]
