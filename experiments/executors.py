"""Where the runs of an experiment execute: in this process, a local process pool, or on Dask.

Every executor calls the same pure function, ``execute_run``, with the same
scenario and seed, so the numbers do not depend on the executor. Results come
back as runs finish (not in order); the caller stores each one at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from model import Scenario

from .runs import run_replication
from .summary import headline_outcomes


class ExecutorError(RuntimeError):
    """The executor cannot be used (e.g. Dask missing or its scheduler unreachable); one line."""


def execute_run(task: tuple[str, Scenario, int, int]) -> tuple[str, dict[str, Any]]:
    """One run: the headline outcomes of (scenario, seed, replication), keyed by the run id."""
    run_id, scenario, seed, replication = task
    outcomes = headline_outcomes(run_replication(scenario, seed, replication))
    row = outcomes.drop(columns=["scenario", "replication"]).iloc[0].to_dict()
    return run_id, {key: float(value) for key, value in row.items()}


Task = tuple[str, Scenario, int, int]


def sequential(tasks: Iterable[Task], fn: Callable = execute_run) -> Iterator[Any]:
    for task in tasks:
        yield fn(task)


def process_pool(tasks: list[Task], workers: int, fn: Callable = execute_run) -> Iterator[Any]:
    """A local process pool, keeping at most 2 x workers runs queued so Ctrl-C stops quickly."""
    pending_tasks = iter(tasks)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        running = set()
        try:
            for task in pending_tasks:
                running.add(pool.submit(fn, task))
                if len(running) >= 2 * workers:
                    break
            while running:
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    for task in pending_tasks:
                        running.add(pool.submit(fn, task))
                        break
                    yield future.result()
        except BaseException:
            for future in running:
                future.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def dask(tasks: list[Task], address: Any, fn: Callable = execute_run) -> Iterator[Any]:
    """A Dask distributed scheduler at ``address`` (e.g. tcp://10.0.0.5:8786)."""
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise ExecutorError("--scheduler needs Dask distributed, which is not installed; "
                            "pip install 'wijkteam[cluster]' (or distributed) or leave out --scheduler") from None
    try:
        client = Client(address, timeout="20s", set_as_default=False)
    except (OSError, TimeoutError, ValueError) as error:
        raise ExecutorError(f"cannot reach the Dask scheduler at {address}: {error}".splitlines()[0]) from None
    try:
        futures = client.map(fn, tasks, pure=False)
        try:
            for future in as_completed(futures, loop=client.loop):
                yield future.result()
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        client.close()


def execute(tasks: list[Task], workers: int | None = None, scheduler: Any = None,
            fn: Callable = execute_run) -> Iterator[Any]:
    """Results of ``fn(task)`` as they finish: on Dask when ``scheduler`` is given, else locally."""
    if not tasks:
        return iter(())
    if scheduler is not None:
        return dask(tasks, scheduler, fn)
    if workers is None:
        from .runs import default_workers

        workers = default_workers()
    if workers <= 1 or len(tasks) == 1:
        return sequential(tasks, fn)
    return process_pool(tasks, min(workers, len(tasks)), fn)
