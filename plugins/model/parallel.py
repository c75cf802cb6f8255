"""Work spread over the machine's cores by forking: the workers share everything the parent
prepared (templates, the loaded site) without pickling it; only results travel back."""

from __future__ import annotations

import atexit
import gc
import multiprocessing
import multiprocessing.util  # its exit handler registered before ours (stop_untaken)
import os
import traceback
from typing import Callable, Sequence

_TASK: dict = {}


def cores() -> int:
    return min(len(os.sched_getaffinity(0)), 8)


def fork_map(function: Callable, items: Sequence, threshold: int = 100) -> list:
    """[function(item) for item in items], on every core when there are at least `threshold`
    items (below that, starting workers costs more than it saves). Inside a worker, serially:
    the cores are taken, and a pool's workers may not start workers of their own."""
    workers = cores()
    if len(items) < threshold or workers < 2 or multiprocessing.current_process().daemon:
        return [function(item) for item in items]
    _TASK["function"] = function  # inherited by the forked workers
    try:
        with fork_pool(workers) as pool:
            return pool.map(_call, items, chunksize=max(1, len(items) // (workers * 4)))
    finally:
        _TASK.clear()


def fork_pool(workers: int, initializer=None, arguments=()):
    """A pool of forked workers, with what the parent made so far kept out of the collector's
    sight (keep_alive), so that no worker's collection walks, and so copies, the parent's memory."""
    keep_alive()
    return multiprocessing.get_context("fork").Pool(workers, initializer, arguments)


def keep_alive() -> None:
    """Exempt every object alive now from the cyclic garbage collector (gc.freeze): a build's
    caches and loaded site live as long as the build, and each full collection walked all of
    them, in the build and in every forked worker (which copied the memory it walked); on an
    edit's rebuild that was a quarter of the time. Garbage without cycles is still freed."""
    gc.freeze()


def _call(item):
    return _TASK["function"](item)


_STARTED: dict = {}  # process started beside -> the process that started it


@atexit.register  # run before multiprocessing's own handler, registered earlier
def stop_untaken() -> None:
    """Stop the processes started beside this one whose result was never taken (a build that
    failed before it took what was checked beside it): each waits to hand its result over, and
    multiprocessing waits at exit for every process that is not a daemon."""
    for process, parent in list(_STARTED.items()):
        if parent == os.getpid() and process.is_alive():
            process.terminate()
            process.join()
    _STARTED.clear()


class Beside:
    """function() in a forked process while this one goes on (say, a search index made while
    the output is checked); result() waits for it and returns what it returned."""

    def __init__(self, function: Callable):
        self._outcome = None
        keep_alive()
        context = multiprocessing.get_context("fork")
        self._results, sender = context.Pipe(duplex=False)
        # Not daemonic: the function may fork workers of its own.
        self._process = context.Process(target=_send_result, args=(function, sender), daemon=False)
        self._process.start()
        sender.close()
        _STARTED[self._process] = os.getpid()

    def running(self) -> bool:
        """Whether the function has not returned yet (never waits)."""
        return self._outcome is None and not self._results.poll()

    def result(self):
        """What the function returned; RuntimeError, with its traceback, if it raised."""
        if self._outcome is None:
            try:
                self._outcome = self._results.recv()
            except EOFError:
                self._outcome = (False, f"the process ended without a result (exit code {self._process.exitcode})")
            finally:
                self._results.close()
                self._process.join()
                _STARTED.pop(self._process, None)
        done, value = self._outcome
        if not done:
            raise RuntimeError(value)
        return value


def _send_result(function: Callable, sender) -> None:
    try:
        outcome = (True, function())
    except BaseException:
        outcome = (False, traceback.format_exc())
    sender.send(outcome)
