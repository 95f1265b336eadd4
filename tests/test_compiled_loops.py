"""The compiled loops: found where they belong, and never handed a random generator.

A numba function that takes a ``numpy.random.Generator`` unboxes it through Python code
(ctypes) on every call; a Ctrl-C that lands there ends the process with a SystemError or a
segmentation fault instead of a clean interrupt (seen on this machine with
``wijkteam run`` and SIGINT). The loops therefore take uniforms drawn by numpy.
"""

from __future__ import annotations

import importlib
import pkgutil

from numba.core.registry import CPUDispatcher

import agents
import model
from conftest import small_scenario
from model import WijkteamModel


def compiled_loops():
    for package in (model, agents):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            module = importlib.import_module(info.name)
            for name, value in vars(module).items():
                if isinstance(value, CPUDispatcher) and value.__module__ == info.name:
                    yield f"{info.name}.{name}", value


def test_no_compiled_loop_takes_a_random_generator():
    scenario = small_scenario(run__years=1, neighbourhood__residents=800)
    WijkteamModel(scenario, rng=3).run()
    loops = dict(compiled_loops())
    used = {name: loop for name, loop in loops.items() if loop.signatures}
    assert len(used) >= 10, sorted(loops)  # the run called the week's loops
    for name, loop in used.items():
        for signature in loop.signatures:
            assert not any("Generator" in type(arg).__name__ for arg in signature), name
