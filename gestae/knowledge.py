"""Knowledge files: the editable tables under gestae/data/ plus the user's own (--kb, --issues).

Tables are UTF-8 TSV with a header row; blank lines and lines starting with '#' are ignored; a cell
holding several values separates them with '|'. Stages build their indexes from these once per
process (`functools.lru_cache`), so user files must be registered before the first article is run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from gestae.errors import GestaeError

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class UserFiles:
    """Extra knowledge files the user passed on the command line, by table name."""
    extra: dict[str, list[Path]] = field(default_factory=dict)

    def add(self, table: str, path: Path) -> None:
        if not Path(path).is_file():
            raise GestaeError(f"{path}: knowledge file not found")
        self.extra.setdefault(table, []).append(Path(path))


USER_FILES = UserFiles()


def split_multi(cell: str | None) -> list[str]:
    """'a|b| c' -> ['a', 'b', 'c']"""
    return [part.strip() for part in (cell or "").split("|") if part.strip()]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    # Plain tab splitting (no quoting in these tables): several times faster than csv.DictReader,
    # and the tables are read at every start.
    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise GestaeError(f"{path}: cannot read knowledge table ({exc})") from None
    header: list[str] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split("\t")]
        if not header:
            header = cells
            continue
        if len(cells) < len(header):
            cells += [""] * (len(header) - len(cells))
        yield {key: value for key, value in zip(header, cells) if key}


def read_table(name: str, user_table: str | None = None) -> list[dict[str, str]]:
    """Rows of gestae/data/NAME, followed by the rows of every user file registered for `user_table`."""
    rows = list(_rows(DATA_DIR / name))
    for path in USER_FILES.extra.get(user_table or name, []):
        rows.extend(_rows(path))
    return rows
