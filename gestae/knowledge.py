"""Knowledge files: the editable tables under gestae/data/ plus the user's own (--kb, --issues).

Tables are UTF-8 TSV with a header row; blank lines and lines starting with '#' are ignored; a cell
holding several values separates them with '|'. Stages build their indexes from these once per
process (`functools.lru_cache`), so user files must be registered before the first article is run.

Indexes that take long to build (the gazetteer, the tokens of the actor names) are also kept on disk
by `cached`, under a key hashed from everything they are built from (the tables' contents, user
files, the building code, library versions): a changed table or --kb file gives a new key and a
rebuild. Reading it back is mostly allocation, so it runs with the cyclic garbage collector paused
(which would otherwise walk the whole heap, the model included, many times over). The cache lives in $GESTAE_CACHE, else $XDG_CACHE_HOME/gestae or ~/.cache/gestae
(GESTAE_CACHE= with an empty value turns it off); an unreadable, corrupt or unwritable cache costs a
rebuild, never an error.
"""
from __future__ import annotations

import gc
import hashlib
import marshal
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator, Optional, TypeVar, Union

from gestae.errors import GestaeError

DATA_DIR = Path(__file__).resolve().parent / "data"
CACHE_FORMAT = 1
CACHE_KEEP = 4   # files kept per kind of index (several versions of gestae may share one cache)
T = TypeVar("T")


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


def table_files(name: str, user_table: str | None = None) -> list[Path]:
    """The files `read_table(name, user_table)` reads, in order."""
    return [DATA_DIR / name, *USER_FILES.extra.get(user_table or name, [])]


def cache_dir() -> Optional[Path]:
    configured = os.environ.get("GESTAE_CACHE")
    if configured is not None:
        return Path(configured).expanduser() if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "gestae"


def fingerprint(*parts: Union[str, bytes, Path]) -> str:
    """A hash of the given strings, bytes and files' contents (a missing file counts as such)."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{CACHE_FORMAT}|{sys.version}".encode())
    for part in parts:
        if isinstance(part, Path):
            try:
                data = b"file:" + part.read_bytes()
            except OSError:
                data = f"missing:{part}".encode()
        else:
            data = part if isinstance(part, bytes) else str(part).encode()
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return digest.hexdigest()


def cached(kind: str, key: str, build: Callable[[], T]) -> T:
    """`build()` (plain data: dicts, lists, tuples, strings, numbers), read from the cache when an
    earlier run stored it under `key`, else built and stored there."""
    directory = cache_dir()
    path = directory / f"{kind}-{key}.bin" if directory is not None else None
    if path is not None:
        value = _read_cached(path)
        if value is not None:
            return value[0]
    value = build()
    if path is not None:
        _write_cached(path, value)
    return value


def _read_cached(path: Path) -> Optional[tuple]:
    try:
        data = path.read_bytes()
        checksum, payload = data[:16], data[16:]
        if hashlib.blake2b(payload, digest_size=16).digest() != checksum:
            return None   # truncated or damaged: rebuild
        was_enabled = gc.isenabled()
        gc.disable()   # plain data: no cycles to find, and hundreds of thousands of objects made
        try:
            return (marshal.loads(payload),)
        finally:
            if was_enabled:
                gc.enable()
    except Exception:  # missing, unreadable, or not ours: rebuild
        return None


def keep_for_process() -> None:
    """The objects alive now (the model, compiled knowledge) live as long as the process: move them
    out of the garbage collector's generations, so that the collections allocation triggers while
    articles are coded no longer walk them. (No collection first: it would cost more than the
    little garbage it could free.)"""
    gc.freeze()


def _write_cached(path: Path, value: object) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        payload = marshal.dumps(value)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(hashlib.blake2b(payload, digest_size=16).digest() + payload)
        os.replace(tmp, path)   # atomic: a reader sees the old file or the whole new one
        kind = path.name.rsplit("-", 1)[0]
        older = sorted(path.parent.glob(f"{kind}-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[CACHE_KEEP:]:
            stale.unlink(missing_ok=True)
    except Exception:  # read-only or full disk, a value marshal cannot store: run without the cache
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
