"""A calibration's outputs: posterior.parquet, calibrated.toml, fit.csv, figures/ and manifest.json.

The fit is judged at the posterior, not at one best particle: ``fit.csv`` gives
each target's simulated median and 5-95% range over draws from the last
generation (by weight), and the replication noise measured at the posterior
medians, so a reader can tell a poor fit from a noisy one.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from .calibration import Calibration, Distance, simulate
from .calibration_run import generation_table
from .files import atomic_path
from .posterior import SIMULATED, sample_particles
from .provenance import git_commit, versions

FIT_DRAWS = 24          # posterior draws at which the fit is shown
NOISE_REPLICATIONS = 6  # replications at the posterior medians that measure the noise


def posterior_frame(history) -> pd.DataFrame:
    """Every generation's particles: a column per fitted key, ``weight``, ``generation``, the
    particle's ``distance`` and its simulated figures (``simulated.<output>``), which the
    uncertainty report uses to say which target would be worth measuring better."""
    rows = []
    for t in range(history.max_t + 1):
        population = history.get_population(t=t)
        for particle in population.particles:
            rows.append({**dict(particle.parameter), "weight": float(particle.weight), "generation": t,
                         "distance": float(particle.distance),
                         **{f"{SIMULATED}{name}": float(value) for name, value in particle.sum_stat.items()}})
    return pd.DataFrame(rows)


def weighted_quantile(values: np.ndarray, weights: np.ndarray, q: float) -> float:
    order = np.argsort(values)
    cumulative = np.cumsum(weights[order]) / weights.sum()
    return float(values[order][np.searchsorted(cumulative, q)])


def last_generation(posterior: pd.DataFrame) -> pd.DataFrame:
    return posterior[posterior["generation"] == posterior["generation"].max()]


def medians(calibration: Calibration, posterior: pd.DataFrame) -> dict[str, float]:
    last = last_generation(posterior)
    weights = last["weight"].to_numpy()
    return {key: weighted_quantile(last[key].to_numpy(), weights, 0.5) for key in calibration.priors}


def posterior_draws(calibration: Calibration, posterior: pd.DataFrame, draws: int) -> list[dict[str, float]]:
    """``draws`` particles of the last generation drawn by weight, reproducibly from the seed."""
    last = last_generation(posterior).reset_index(drop=True)
    rng = np.random.default_rng(np.random.SeedSequence([calibration.seed, 18]))
    picks = sample_particles(last["weight"].to_numpy(), draws, rng)
    return [{key: float(last.loc[i, key]) for key in calibration.priors} for i in picks]


def fit_table(calibration: Calibration, posterior: pd.DataFrame) -> pd.DataFrame:
    """One row per target: observed value and interval, the model at the posterior, within or not."""
    at_draws = pd.concat([simulate(calibration, values).mean().to_frame().T
                          for values in posterior_draws(calibration, posterior, FIT_DRAWS)], ignore_index=True)
    noisy = dataclasses.replace(calibration, replications=NOISE_REPLICATIONS)
    noise = simulate(noisy, medians(calibration, posterior)).std(ddof=1)
    rows = []
    for target in calibration.targets.targets:
        column = at_draws[target.output]
        median = float(column.median())
        rows.append({"target": target.name, "output": target.output, "role": target.role, "unit": target.unit,
                     "observed": target.value, "low": target.low, "high": target.high,
                     "model_median": median, "model_p5": float(column.quantile(0.05)),
                     "model_p95": float(column.quantile(0.95)),
                     "replication_sd": float(noise[target.output]) / np.sqrt(calibration.replications),
                     "scaled_difference": target.scaled_difference(median), "within": target.within(median),
                     "source": target.source})
    return pd.DataFrame(rows)


def best_particle(calibration: Calibration, history) -> tuple[dict[str, float], float]:
    """The last generation's particle nearest the targets, and its distance. Unlike the vector of
    marginal medians, it is a point the posterior holds: where parameters trade off against each
    other (the debt rates do), the medians of the marginals can fit worse than any particle."""
    particles = history.get_population(t=history.max_t).particles
    best = min(particles, key=lambda particle: particle.distance)
    return {key: float(best.parameter[key]) for key in calibration.priors}, float(best.distance)


def calibrated_toml(calibration: Calibration, posterior: pd.DataFrame, best: dict[str, float],
                    distance: float) -> str:
    """A ``[parameters]`` table a scenario can use: the particle nearest the targets, with the
    prior, the posterior median and its 5-95% range as comments."""
    last = last_generation(posterior)
    weights = last["weight"].to_numpy()
    lines = [f"# Calibration '{calibration.name}' ({calibration.path}), targets {calibration.targets.path}, after "
             f"{int(last['generation'].iloc[0]) + 1} generations: the last generation's particle nearest the "
             f"targets (distance {distance:.3g}).",
             "# Comments: the prior range, the posterior median and the posterior's 5-95% range.", "[parameters]"]
    for key, (low, high) in calibration.priors.items():
        values = last[key].to_numpy()
        p5, p50, p95 = (weighted_quantile(values, weights, q) for q in (0.05, 0.5, 0.95))
        name = key[len("parameters."):] if key.startswith("parameters.") else f'"{key}"'
        lines.append(f"{name} = {best[key]:.6g}  # prior [{low:g}, {high:g}]; posterior median {p50:.4g}, "
                     f"5-95% [{p5:.4g}, {p95:.4g}]")
    return "\n".join(lines) + "\n"


def write_calibration_outputs(calibration: Calibration, out: Path, history) -> pd.DataFrame:
    """Write every output file of a finished calibration; the fit table."""
    from .calibration_figures import fit_figure, marginals_figure

    posterior = posterior_frame(history)
    with atomic_path(out / "posterior.parquet") as tmp:
        posterior.to_parquet(tmp, index=False)
    with atomic_path(out / "calibrated.toml") as tmp:
        tmp.write_text(calibrated_toml(calibration, posterior, *best_particle(calibration, history)))
    fit = fit_table(calibration, posterior)
    with atomic_path(out / "fit.csv") as tmp:
        fit.to_csv(tmp, index=False)
    fit_figure(fit, out / "figures" / "fit.png")
    marginals_figure(calibration, posterior, out / "figures" / "posterior.png")
    manifest = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"), "command": sys.argv,
        "calibration": calibration.path, "targets": calibration.targets.path, "fingerprint": calibration.fingerprint(),
        "scenario": calibration.base.nested(), "priors": {k: list(v) for k, v in calibration.priors.items()},
        "replications": calibration.replications, "replication_seeds": calibration.seeds,
        "common_random_numbers": "every particle runs the same replication seeds",
        "distance": "root of the weighted mean squared scaled difference over the fitted targets "
                    "(1 = at the edge of a target's interval)",
        "generations": generation_table(history), "fit_draws": FIT_DRAWS, "noise_replications": NOISE_REPLICATIONS,
        "distance_at_medians_draws": float(Distance(calibration.targets)(
            {row.output: row.model_median for row in fit.itertuples()})),
        "versions": {**versions(), "pyabc": _pyabc_version()}, "git_commit": git_commit(),
    }
    with atomic_path(out / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest, indent=2, default=str))
    return fit


def _pyabc_version() -> str:
    import pyabc

    return pyabc.__version__


def fit_text(fit: pd.DataFrame) -> str:
    """The fit table as printed after a calibration."""
    lines = [f"{'target':<20} {'observed':>9} {'interval':>17} {'model':>9} {'5-95%':>19}  within",
             "-" * 86]
    for row in fit.itertuples():
        mark = "yes" if row.within else "NO"
        role = "" if row.role == "fit" else " (check)"
        lines.append(f"{row.target:<20} {row.observed:>9.3g} {f'[{row.low:.3g}, {row.high:.3g}]':>17} "
                     f"{row.model_median:>9.3g} {f'[{row.model_p5:.3g}, {row.model_p95:.3g}]':>19}  {mark}{role}")
    return "\n".join(lines)
