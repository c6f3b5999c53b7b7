"""Errors a user can act on: the CLI prints them as one line and exits non-zero."""


class NewsbriefError(Exception):
    """Base class for errors with a message meant for the user."""


class InputError(NewsbriefError, ValueError):
    """The input cannot be read as an article (empty, binary, not UTF-8, too large, no body...)."""
