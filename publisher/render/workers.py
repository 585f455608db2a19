"""Render several editions at once, one worker process per core.

Each worker imports the units — WeasyPrint, pandoc — once, when the pool starts, while the
main process loads and checks the content; the results come back in the order the editions
were asked for, so a parallel build prints and writes exactly what a serial one does.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Callable, Iterable, Iterator, TypeVar

from . import UNIT_CLASSES

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    return os.cpu_count() or 1


def start_worker(build: int) -> None:
    """Make a new worker process stop with the build (process ``build``), then import the units."""
    stop_with_the_build(build)
    import_units()


def stop_with_the_build(build: int) -> None:
    """A worker ignores Ctrl-C, which reaches the whole process group: the build stops its
    workers itself (see :func:`running_workers`). SIGTERM ends it at once. And it dies with the
    build's process, which a SIGKILL would otherwise leave waiting forever for tasks that never
    come (Linux's parent-death signal)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    if sys.platform == "linux":
        import ctypes
        PR_SET_PDEATHSIG = 1
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != build:   # the build died before the signal was asked for
            os._exit(1)


def import_units() -> None:
    """What every worker pays once: importing the units (WeasyPrint, pandoc, pypdf)."""
    import importlib
    for module in dict.fromkeys(module for module, _ in UNIT_CLASSES.values()):
        importlib.import_module(f"{__package__}.{module}")


class _Deferred(Future):
    """A task run in this process when its result is asked for."""

    def __init__(self, call: Callable[[], object]):
        super().__init__()
        self.call = call

    def result(self, timeout=None):
        if not self.done():
            try:
                self.set_result(self.call())
            except BaseException as error:
                self.set_exception(error)
        return super().result(timeout)


class InPlace(Executor):
    """Runs each task in this process, one after another as their results are asked for: the
    serial build (``--jobs 1``)."""

    def submit(self, fn, /, *args, **kwargs):
        return _Deferred(lambda: fn(*args, **kwargs))


def start_workers(jobs: int) -> Executor:
    """A pool of ``jobs`` processes, started now so that their imports overlap the caller's
    work; ``jobs`` 1 renders in this process."""
    if jobs <= 1:
        return InPlace()
    from concurrent.futures import ProcessPoolExecutor
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("fork"),
                               initializer=start_worker, initargs=(os.getpid(),))
    pool.submit(int)   # a pool started with fork starts all its processes at the first task
    return pool


@contextmanager
def running_workers(jobs: int):
    """:func:`start_workers`, stopped when the block ends. When it ends with an exception (an
    error, or the build stopped by a signal), the editions being rendered are abandoned at once
    rather than waited for."""
    pool = start_workers(jobs)
    try:
        yield pool
    except BaseException:
        # ProcessPoolExecutor has no public way to end the tasks running (before Python 3.14),
        # and forgets its processes once shut down.
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()
        pool.shutdown(cancel_futures=True)
        raise
    pool.shutdown()


def in_order(pool: Executor, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """``function`` of each item, run in ``pool``, yielded in the items' order."""
    futures = [pool.submit(function, item) for item in items]
    for future in futures:
        yield future.result()
