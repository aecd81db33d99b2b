"""Reading gold files: JSON Lines, one record per line; an unreadable file or a bad line is one error
naming the file (and line)."""
from __future__ import annotations

import json
from typing import Any, Iterator

from gestae.errors import GestaeError


def numbered_records(path: str, what: str) -> Iterator[tuple[int, Any]]:
    """(line number, parsed value) for every non-blank line of `path`; `what` names the file in errors."""
    try:
        handle = open(path, encoding="utf-8")
    except OSError as exc:
        raise GestaeError(f"{path}: cannot read {what} ({exc.strerror})") from None
    with handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as exc:
                raise GestaeError(f"{path}:{n}: not JSON ({exc.msg})") from None
