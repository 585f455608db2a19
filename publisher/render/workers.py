"""Render several editions at once, one worker process per core.

Each worker imports the units — WeasyPrint, pandoc — once, when the pool starts, while the
main process loads and checks the content; the results come back in the order the editions
were asked for, so a parallel build prints and writes exactly what a serial one does.
"""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Executor, Future
from typing import Callable, Iterable, Iterator, TypeVar

from . import UNIT_CLASSES

T = TypeVar("T")
R = TypeVar("R")


def default_jobs() -> int:
    return os.cpu_count() or 1


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
                               initializer=import_units)
    pool.submit(int)   # a pool started with fork starts all its processes at the first task
    return pool


def in_order(pool: Executor, function: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
    """``function`` of each item, run in ``pool``, yielded in the items' order."""
    futures = [pool.submit(function, item) for item in items]
    for future in futures:
        yield future.result()
