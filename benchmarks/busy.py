"""Other work beside a benchmark: CPU-bound processes that compete with the server for the machine's cores.

An audience claim that only holds on a quiet machine is not met, so the serving and follower benchmarks can run
with ``--busy N``: N processes that spin at normal priority for the whole measurement, as a test run or a
second service on the same host would. ``--busy 1`` on 2 cores leaves the server, nginx and the load
generator one core's worth of CPU between them. The load average before and after is printed with the results.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

SPIN = "while True: pass"


@contextmanager
def other_work(processes: int) -> Iterator[list[int]]:
    """``processes`` CPU-bound processes spinning until the block ends (their process ids)."""
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN], start_new_session=True) for _ in range(processes)]
    try:
        yield [spinner.pid for spinner in spinners]
    finally:
        for spinner in spinners:
            os.killpg(spinner.pid, signal.SIGKILL)
            spinner.wait()


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.1f} (1 min), {five:.1f} (5 min)"


def busy_note(processes: int) -> str:
    if processes <= 0:
        return "no other work started by the benchmark"
    return f"{processes} CPU-bound process{'es' if processes > 1 else ''} spinning beside it (--busy {processes})"
