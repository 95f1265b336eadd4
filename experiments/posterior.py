"""Parameter uncertainty from a calibration's posterior: the draws that run and compare share.

``wijkteam calibrate`` leaves ``posterior.parquet``: the weighted particles of
every generation, the last of which is the posterior. A draw is a particle of
the last generation, sampled by weight (with replacement), reproducibly from
the root seed on a random stream of its own, apart from the replications'
seeds. Every scenario of a comparison gets the same draws, and run
j = d * R + k is replication k of draw d (``experiments.runs``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from model import Scenario, ScenarioError
from model.scenario import default_values

from .language import Language, chosen
from .keys import numeric_kind

BUNDLED = Path(__file__).resolve().parent.parent / "calibrations" / "netherlands"
DEFAULT_DRAWS = 24
SIMULATED = "simulated."   # columns with a particle's simulated figures (the calibration's targets)
DRAW_STREAM = 2**32 + 19   # the draws' SeedSequence spawn key: never a replication's (0, 1, 2, ...)
BOOKKEEPING = ("weight", "generation", "distance")


@dataclass(frozen=True)
class Posterior:
    path: str
    particles: pd.DataFrame   # the last generation: a column per fitted key, weight, simulated figures
    keys: tuple[str, ...]     # the fitted scenario keys (parameters.recovery_rate, ...)

    @property
    def simulated(self) -> list[str]:
        """The figures each particle simulated in the calibration (target outputs)."""
        return [c[len(SIMULATED):] for c in self.particles.columns if c.startswith(SIMULATED)]


@dataclass(frozen=True)
class Draws:
    particles: np.ndarray          # the row in Posterior.particles of each draw
    values: list[dict[str, float]]  # the scenario keys each draw sets

    def __len__(self) -> int:
        return len(self.values)


@dataclass(frozen=True)
class Uncertainty:
    """Posterior draws behind a comparison: every scenario ran each draw with the same seeds."""
    posterior: Posterior
    draws: Draws

    def describe(self, replications: int) -> str:
        return describe_runs(replications, len(self.draws))


def describe_runs(replications: int, draws: int = 0, lang: Language | None = None) -> str:
    """What the runs' spread covers, for captions: draws x replications, or replications alone."""
    tr = chosen(lang)
    runs = tr("1 replication") if replications == 1 else tr("{n} replications").format(n=replications)
    if draws:
        return tr("{draws} posterior draws x {runs}: parameter uncertainty and run-to-run noise").format(
            draws=draws, runs=runs)
    return tr("{runs}, parameters fixed: run-to-run noise only").format(runs=runs)


def load_posterior(directory: str | Path) -> Posterior:
    """The last generation of a calibration's posterior.parquet; one-line errors for anything else."""
    directory = Path(directory)
    path = directory / "posterior.parquet"
    if not path.is_file():
        if directory == BUNDLED:
            raise ScenarioError(f"the bundled posterior is missing ({path}); give --posterior DIR (a folder "
                                "written by wijkteam calibrate)")
        raise ScenarioError(f"--posterior {directory}: no posterior.parquet there; give a folder written by "
                            "wijkteam calibrate, or 'none'")
    frame = pd.read_parquet(path)
    missing = [c for c in ("weight", "generation") if c not in frame.columns]
    if missing:
        raise ScenarioError(f"{path}: lacks the column(s) {', '.join(missing)}; is it a calibration's posterior?")
    known = default_values()
    keys = tuple(c for c in frame.columns if c not in BOOKKEEPING and not c.startswith(SIMULATED))
    for key in keys:
        if key not in known or numeric_kind(key) is None:
            raise ScenarioError(f"{path}: column '{key}' is not a numeric scenario key; "
                                "a posterior holds one column per fitted key")
    if not keys:
        raise ScenarioError(f"{path}: holds no fitted parameters")
    last = frame[frame["generation"] == frame["generation"].max()].reset_index(drop=True)
    weights = last["weight"].to_numpy(dtype=float)
    if not (np.all(np.isfinite(weights)) and np.all(weights >= 0) and weights.sum() > 0):
        raise ScenarioError(f"{path}: the last generation's weights must be finite, at least 0 and not all 0")
    return Posterior(path=str(directory), particles=last, keys=keys)


def bundled_available() -> bool:
    return (BUNDLED / "posterior.parquet").is_file()


def sample_particles(weights: np.ndarray, draws: int, rng: np.random.Generator) -> np.ndarray:
    """``draws`` particle rows sampled with replacement, each with a chance in proportion to its weight."""
    weights = np.asarray(weights, dtype=float)
    return rng.choice(len(weights), size=draws, p=weights / weights.sum())


def draw(posterior: Posterior, draws: int, seed: int) -> Draws:
    """``draws`` parameter vectors from the posterior; the same seed gives the same draws."""
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAW_STREAM,)))
    rows = sample_particles(posterior.particles["weight"].to_numpy(), draws, rng)
    values = [{key: _cast(key, posterior.particles.loc[row, key]) for key in posterior.keys} for row in rows]
    return Draws(particles=rows, values=values)


def draw_smoothed(posterior: Posterior, draws: int, seed: int) -> Draws:
    """``draws`` points from a kernel density estimate of the posterior that keeps its mean and
    covariance (Liu and West 2001): a particle drawn by weight, shrunk towards the weighted mean by
    sqrt(1 - h^2) and moved by a normal step with h^2 times the weighted covariance (h: Scott's
    factor), then kept inside the parameter table's ranges. For sensitivity analysis, where the repeated
    particles of a posterior with a small effective sample size would stand for structure that is
    not there; the draws of ``draw`` keep the calibration's own particles."""
    from model.parameters import parameter_table

    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(DRAW_STREAM, 1)))
    particles = posterior.particles
    weights = particles["weight"].to_numpy(dtype=float)
    weights = weights / weights.sum()
    values = particles[list(posterior.keys)].to_numpy(dtype=float)
    effective = 1.0 / np.sum(weights**2)
    scott = effective ** (-1.0 / (len(posterior.keys) + 4))
    covariance = np.atleast_2d(np.cov(values.T, aweights=weights))
    mean = weights @ values
    shrink = np.sqrt(1.0 - scott**2)
    rows = sample_particles(weights, draws, rng)
    step = rng.multivariate_normal(np.zeros(len(posterior.keys)), covariance * scott**2, size=draws)
    moved = shrink * values[rows] + (1.0 - shrink) * mean + step
    table = parameter_table()
    for i, key in enumerate(posterior.keys):
        spec = table.get(key.removeprefix("parameters.")) if key.startswith("parameters.") else None
        if spec is not None:
            moved[:, i] = np.clip(moved[:, i], spec.low, spec.high)
    points = [{key: _cast(key, moved[j, i]) for i, key in enumerate(posterior.keys)} for j in range(draws)]
    return Draws(particles=rows, values=points)


def _cast(key: str, value) -> float | int:
    return round(float(value)) if numeric_kind(key) is int else float(value)


def replaced_settings(scenarios: list[Scenario], posterior: Posterior) -> list[str]:
    """Scenario values that differ from the defaults for a key the posterior sets: the draws
    replace them, and the user should know."""
    defaults = default_values()
    return [f"{s.name}: {key} = {s[key]:g} is replaced by the posterior's draws"
            for s in scenarios for key in posterior.keys if s[key] != defaults[key]]


def manifest_entry(posterior: Posterior, draws: Draws) -> dict:
    return {"posterior": posterior.path, "draws": len(draws), "fitted_keys": list(posterior.keys),
            "particles": [int(p) for p in draws.particles], "values": draws.values,
            "sampling": "particles of the last generation by weight, with replacement; run j = draw * R + k"}
