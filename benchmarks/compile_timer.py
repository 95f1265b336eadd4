"""How long numba compiles in this process: the first-call cost that the on-disk cache removes.

Installed before the model is imported, ``install()`` listens to numba's
``numba:compile`` events, which fire only when a kernel is really compiled (not
when it is loaded from the cache), and sums the wall time of the outermost
compilations (a kernel that calls another compiles it inside its own).
"""

from __future__ import annotations

import time

from numba.core import event


class CompileTimer(event.Listener):
    def __init__(self):
        self.depth, self.seconds, self.functions = 0, 0.0, 0

    def on_start(self, ev):
        if self.depth == 0:
            self.started = time.perf_counter()
        self.depth += 1

    def on_end(self, ev):
        self.depth -= 1
        self.functions += 1
        if self.depth == 0:
            self.seconds += time.perf_counter() - self.started


def install() -> CompileTimer:
    timer = CompileTimer()
    event.register("numba:compile", timer)
    return timer


def kernel_cache_stats() -> dict[str, int]:
    """The model's numba kernels called so far in this process, and how many of their
    signatures were loaded from the disk cache and how many were not found there."""
    import sys

    from numba.core.dispatcher import Dispatcher

    kernels = {}
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("model", "agents"):
            for value in vars(module).values():
                if isinstance(value, Dispatcher) and value.signatures:
                    kernels[id(value)] = value.stats
    return {"kernels": len(kernels),
            "loaded_from_cache": sum(sum(s.cache_hits.values()) for s in kernels.values()),
            "cache_misses": sum(sum(s.cache_misses.values()) for s in kernels.values())}
