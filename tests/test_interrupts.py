"""Ctrl-C during a batch is never lost, even when Python swallows its KeyboardInterrupt."""

from __future__ import annotations

import signal
import weakref

import pytest

from conftest import small_scenario
from experiments import runs
from experiments.interrupts import catch_interrupts, raise_if_interrupted


class Thing:
    pass


def ctrl_c_inside_a_weakref_callback() -> None:
    """What happens when Ctrl-C lands while a Mesa agent is freed: the interrupt is only printed."""
    thing = Thing()
    ref = weakref.ref(thing, lambda _: signal.raise_signal(signal.SIGINT))
    del thing
    assert ref() is None


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_a_swallowed_ctrl_c_is_raised_again():
    with catch_interrupts():
        ctrl_c_inside_a_weakref_callback()  # Python swallows it here...
        with pytest.raises(KeyboardInterrupt):
            raise_if_interrupted()  # ...and the batch raises it after the run
    raise_if_interrupted()  # outside the block nothing is pending


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_the_batch_stops_after_the_run_in_which_ctrl_c_was_swallowed(monkeypatch):
    done = []
    real_run = runs.run_replication

    def run_and_swallow_ctrl_c(scenario, seed, replication):
        frame = real_run(scenario, seed, replication)
        done.append(replication)
        ctrl_c_inside_a_weakref_callback()
        return frame

    monkeypatch.setattr(runs, "run_replication", run_and_swallow_ctrl_c)
    with catch_interrupts(), pytest.raises(KeyboardInterrupt):
        runs.run_scenarios([small_scenario(run__years=1)], replications=3, seed=1, workers=1)
    assert done == [0]
