"""Errors gestae reports to the user as one line (never a traceback)."""


class GestaeError(Exception):
    """A problem with the user's input or set-up, reported as one line."""


def first_line(exc: BaseException, limit: int = 200) -> str:
    """An exception's message cut to one line (its class name when it has none), for a one-line report."""
    text = str(exc).strip()
    return text.splitlines()[0][:limit] if text else exc.__class__.__name__
