"""Errors gestae reports to the user as one line (never a traceback)."""


class GestaeError(Exception):
    """A problem with the user's input or set-up, reported as one line."""
