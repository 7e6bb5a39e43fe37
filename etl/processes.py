"""Worker processes that die with the process that started them.

A run killed with SIGKILL cannot clean up: without this, its forked readers lived on (parent pid 1,
~118 MB each) until they finished or forever. Each worker asks Linux for SIGKILL when its parent goes
(PR_SET_PDEATHSIG), and exits at once if the parent is already gone by the time it asks.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.connection import Connection

PR_SET_PDEATHSIG = 1


def die_with_parent(parent_pid: int) -> None:
    """Have this process killed when ``parent_pid`` ends (Linux; elsewhere a no-op)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died between fork and prctl
        os._exit(1)


def _child_context() -> multiprocessing.context.BaseContext:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def worker_pool(workers: int) -> ProcessPoolExecutor:
    """A process pool whose workers die with this process, even when it is killed with SIGKILL.

    Create it from the thread that lives as long as the pool: Linux sends the signal when the thread
    that forked a worker ends.
    """
    return ProcessPoolExecutor(max_workers=workers, mp_context=_child_context(),
                               initializer=die_with_parent, initargs=(os.getpid(),))


def _run_dying_with_parent(parent_pid: int, target: Callable, args: tuple) -> None:
    die_with_parent(parent_pid)
    target(*args)


def start_worker(target: Callable, *args: object) -> multiprocessing.process.BaseProcess:
    """A process running ``target(*args)`` that dies with this process, like the workers of worker_pool."""
    process = _child_context().Process(target=_run_dying_with_parent, args=(os.getpid(), target, args))
    process.start()
    return process


def worker_pipe() -> tuple[Connection, Connection]:
    """A one-way pipe (receiving end, sending end) to a process of start_worker."""
    return _child_context().Pipe(duplex=False)
