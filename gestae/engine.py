"""Engines that run the pipeline over a stream of records: in this process, on local worker processes,
or on a Ray cluster. All give the same items in the same (input) order, so the database they write is
the same; only the main process writes to it (DuckDB has one writer).

Memory stays bounded: records are read lazily and at most `2 × workers` chunks are in flight.

Worker processes belong to the main one: they ignore Ctrl-C (the main process stops them and keeps
what is done) and die with it, silently, even when it is killed (SIGKILL leaves no one to read their
results, which made them print BrokenPipeError tracebacks).
"""
from __future__ import annotations

from collections import deque
from itertools import islice
from typing import Any, Callable, Iterable, Iterator, Optional, Protocol

from gestae.knowledge import USER_FILES
from gestae.model import IngestError, RawRecord
from gestae.pipeline import Item, process

Chunk = list  # list[RawRecord | IngestError]


class KnownIds(Protocol):
    """The ids a database already holds: a set, or gestae.store.StoredIds (8 bytes an id)."""

    def intersection(self, ids: list[str]) -> set[str]: ...


# Set in each worker process by `_init_worker`: ids the database already holds.
_KNOWN_IDS: KnownIds = frozenset()


def chunks(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _known(ids: list[str]) -> set[str]:
    return _KNOWN_IDS.intersection(ids)


def process_chunk(chunk: Chunk, batch_size: int, user_files: Optional[dict] = None,
                  known_ids: Optional[KnownIds] = None) -> list[Item]:
    """Run the pipeline on one chunk (in whatever process this is)."""
    global _KNOWN_IDS
    if user_files is not None:
        USER_FILES.extra = user_files
    if known_ids is not None:
        _KNOWN_IDS = known_ids
    return list(process(chunk, batch_size=batch_size, already_stored=_known))


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux); elsewhere, watch the parent."""
    import os
    import signal

    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
            return
    except (OSError, AttributeError):
        pass
    import threading
    import time

    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _init_worker(known_ids: KnownIds, user_files: dict, parent: int) -> None:
    import os
    import signal

    global _KNOWN_IDS
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _die_with_parent()
    if os.getppid() != parent:  # the parent died before we could ask to die with it
        os._exit(0)
    _KNOWN_IDS = known_ids
    USER_FILES.extra = user_files


def _ordered(submit: Callable[[Chunk], Any], result: Callable[[Any], list[Item]],
             records: Iterable, chunk_size: int, in_flight: int) -> Iterator[Item]:
    """Submit chunks, keep at most `in_flight` pending, yield results in input order."""
    pending: deque = deque()
    for chunk in chunks(records, chunk_size):
        pending.append(submit(chunk))
        if len(pending) >= in_flight:
            yield from result(pending.popleft())
    while pending:
        yield from result(pending.popleft())


def run_local(records: Iterable[RawRecord | IngestError], *, workers: int = 1, batch_size: int = 16,
              known_ids: KnownIds = frozenset()) -> Iterator[Item]:
    """The pipeline in this process (workers=1) or on `workers` forked processes."""
    global _KNOWN_IDS
    if workers <= 1:
        _KNOWN_IDS = known_ids
        yield from process(records, batch_size=batch_size, already_stored=_known)
        return
    import multiprocessing
    import os
    import signal

    # fork: workers inherit imported modules cheaply; the model is loaded once in each worker.
    context = multiprocessing.get_context("fork")
    # Workers are forked with Ctrl-C ignored (no window before their initializer runs).
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = context.Pool(workers, initializer=_init_worker, initargs=(known_ids, USER_FILES.extra, os.getpid()))
    finally:
        signal.signal(signal.SIGINT, previous)
    with pool:
        yield from _ordered(lambda chunk: pool.apply_async(process_chunk, (chunk, batch_size)),
                            lambda handle: handle.get(), records, batch_size, 2 * workers)


def run_ray(records: Iterable[RawRecord | IngestError], *, address: Optional[str] = None, workers: int = 2,
            batch_size: int = 16, known_ids: KnownIds = frozenset()) -> Iterator[Item]:
    """The pipeline on Ray: a local Ray started here (address None) or a cluster ("ray://host:10001",
    "auto"). Each task runs one chunk; the main process keeps writing the database."""
    try:
        import ray
    except ImportError:
        from gestae.errors import GestaeError
        raise GestaeError("the Ray engine needs Ray: pip install 'gestae[ray]'") from None

    if not ray.is_initialized():
        if address:
            ray.init(address=address, include_dashboard=False, log_to_driver=False)
        else:
            ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    remote = ray.remote(_ray_chunk)
    # Boxed in a list so Ray passes the reference, not the set: each worker fetches it once.
    known_box = [ray.put(known_ids)]
    user_files = dict(USER_FILES.extra)
    yield from _ordered(lambda chunk: remote.remote(chunk, batch_size, user_files, known_box),
                        ray.get, records, batch_size, 2 * workers)


_RAY_KNOWN: dict[str, KnownIds] = {}


def _ray_chunk(chunk: Chunk, batch_size: int, user_files: dict, known_box: list) -> list[Item]:
    """A Ray task: the stored-ids set is fetched once per worker process, not once per chunk."""
    import ray

    ref = known_box[0]
    key = ref.hex()
    if key not in _RAY_KNOWN:
        _RAY_KNOWN.clear()
        _RAY_KNOWN[key] = ray.get(ref)
    return process_chunk(chunk, batch_size, user_files, _RAY_KNOWN[key])
