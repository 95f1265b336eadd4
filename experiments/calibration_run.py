"""Running a calibration with pyabc: one generation at a time, resumable from its database.

The database (``calibration.db`` in the output folder) holds every finished
generation. Each generation is a call of ``ABCSMC.run(max_nr_populations=1)``
on the loaded history, so a killed calibration and a finished generation
resume the same way, and a line after each generation reports its epsilon and
acceptance rate. A folder holding a different calibration is refused rather
than mixed.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from pathlib import Path

import numpy as np

from .calibration import Calibration, Distance, Simulator
from .files import OutputError, atomic_path, prepare_outdir
from .interrupts import raise_if_interrupted

DATABASE = "calibration.db"
STATE = "calibration.json"


def _prior(calibration: Calibration):
    import pyabc

    return pyabc.Distribution(**{key: pyabc.RV("uniform", low, high - low)
                                 for key, (low, high) in calibration.priors.items()})


def _sampler(workers: int, scheduler: str | None, progress: bool):
    import pyabc

    if scheduler is not None:
        from distributed import Client

        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=Client(scheduler))
    elif workers <= 1:
        sampler = pyabc.sampler.SingleCoreSampler()
    else:
        sampler = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers)
    sampler.show_progress = progress
    return sampler


def _claim(out: Path, calibration: Calibration) -> bool:
    """Record which calibration the folder holds; True when it already holds this one (resume)."""
    state = out / STATE
    fingerprint = calibration.fingerprint()
    if state.exists():
        held = json.loads(state.read_text()).get("fingerprint")
        if held != fingerprint:
            raise OutputError(f"{out}: holds a different calibration (its file, targets or scenario changed); "
                              "use another --out or remove the folder")
        return (out / DATABASE).exists()
    if (out / DATABASE).exists():
        raise OutputError(f"{out}: holds a calibration database of unknown origin; use another --out")
    with atomic_path(state) as tmp:
        tmp.write_text(json.dumps({"name": calibration.name, "fingerprint": fingerprint}, indent=2))
    return False


def generation_table(history) -> list[dict]:
    """Per finished generation: epsilon, particles, simulations and the acceptance rate."""
    populations = history.get_all_populations()
    rows = []
    for _, row in populations[populations["t"] >= 0].iterrows():
        particles = history.get_nr_particles_per_population().get(int(row["t"]), 0)
        rows.append({"generation": int(row["t"]), "epsilon": float(row["epsilon"]),
                     "simulations": int(row["samples"]), "particles": int(particles),
                     "acceptance_rate": particles / row["samples"] if row["samples"] else float("nan")})
    return rows


def run_abc(calibration: Calibration, out: Path, workers: int = 1, scheduler: str | None = None,
            progress: bool = True, stream=None):
    """Run (or resume) the ABC-SMC until ``calibration.generations`` generations are done; the history.

    Every generation starts from the database, as a resumed calibration does (a fresh ABCSMC
    loaded from it), so the next generation's epsilon comes from the last stored population."""
    import pyabc

    stream = stream or sys.stderr
    logging.getLogger("ABC").setLevel(logging.WARNING)  # our own line per generation instead
    # Ctrl-C while SQLAlchemy closes a connection makes its pool log a traceback; the finished
    # generations are committed by then, and the command says so in one line
    logging.getLogger("sqlalchemy.pool").setLevel(logging.CRITICAL)
    prepare_outdir(out)
    resuming = _claim(out, calibration)
    database = f"sqlite:///{(out / DATABASE).resolve()}"
    sampler = _sampler(workers, scheduler, progress)

    def smc():
        return pyabc.ABCSMC(Simulator(calibration), _prior(calibration), Distance(calibration.targets),
                            population_size=calibration.population, sampler=sampler)

    history = smc().load(database, 1) if resuming else None
    done = 0 if history is None else history.max_t + 1
    if progress and done:
        print(f"resuming {out}: {done} of {calibration.generations} generations done", file=stream)
    start = time.perf_counter()
    while done < calibration.generations:
        np.random.seed((calibration.seed + done) % 2**32)
        abc = smc()
        if history is not None:
            abc.load(database, 1)
        else:
            abc.new(database, {t.output: t.value for t in calibration.targets.targets})
        history = abc.run(max_nr_populations=1, minimum_epsilon=calibration.minimum_epsilon)
        raise_if_interrupted()
        done = history.max_t + 1
        row = generation_table(history)[-1]
        if progress:
            print(f"generation {done}/{calibration.generations}: epsilon {row['epsilon']:.3g}, "
                  f"acceptance {row['acceptance_rate']:.0%} ({row['simulations']} simulations), "
                  f"{time.perf_counter() - start:.0f}s elapsed", file=stream, flush=True)
        if row["epsilon"] <= calibration.minimum_epsilon:
            break
    return history
