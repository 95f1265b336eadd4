"""Global sensitivity analysis with SALib: Sobol' indices and Morris screening.

The analysis takes a table of model outputs (one row per sample point, in the
order of the design) and the problem, so any model can go through it: the
agent-based model through ``experiments.experiment`` and, in the tests, the
Ishigami function with known indices.

The model is stochastic. Each sample point is run with the experiment's
replications (common random numbers: replication k has the same seed at every
point) and the outputs are averaged per point before the analysis. The noise
left in those means is reported in ``noise.csv``: per output, the mean over
sample points of the standard error over replications and how it compares
with the variance of the output across sample points. If the noise variance
is a sizeable share of that variance, the indices describe noise, not the
parameters: add replications.

Over a calibration's posterior (``[sensitivity] over = "posterior"``) the
sample points are posterior draws, whose parameters are neither independent
nor uniform, so Sobol' and Morris do not apply. PAWN (Pianosi and Wagener
2015; SALib) takes any sample: per parameter, the Kolmogorov-Smirnov distance
between the output's distribution and its distribution with the parameter in
one slice of its values. A dummy input of pure noise is analysed beside them:
its index is the floor below which an index says nothing.

For Sobol' the indices are computed twice, with the first half of the base
samples (N/2) and with all N, and both are written to ``indices.csv`` (column
``n``), a simple convergence check: indices that still move between N/2 and N
need a larger N.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .files import atomic_path

SOBOL_COLUMNS = ["output", "parameter", "S1", "S1_conf", "ST", "ST_conf", "n"]
MORRIS_COLUMNS = ["output", "parameter", "mu", "mu_star", "mu_star_conf", "sigma"]
PAWN_COLUMNS = ["output", "parameter", "median", "mean", "minimum", "maximum", "cv"]
DUMMY = "(dummy: noise floor)"
MORRIS_SHOWN = 15  # parameters ranked in a Morris figure


@dataclass(frozen=True)
class SensitivitySpec:
    """What SALib needs: the method, its sample size and the ranges of the inputs."""

    method: str
    samples: int
    parameters: dict[str, tuple[float, float]]
    second_order: bool = False
    levels: int = 4
    num_resamples: int = 1000
    integer: frozenset[str] = field(default_factory=frozenset)
    over: str = "prior"  # "posterior": the points are posterior draws (PAWN)

    @property
    def names(self) -> list[str]:
        return list(self.parameters)

    def problem(self) -> dict[str, Any]:
        return {"num_vars": len(self.parameters), "names": self.names,
                "bounds": [list(bounds) for bounds in self.parameters.values()]}


def sample(spec: SensitivitySpec, seed: int) -> np.ndarray:
    """The design: one row per sample point, columns in the order of ``spec.names``."""
    problem = spec.problem()
    seed = int(seed) % 2**32
    if spec.method == "sobol":
        from SALib.sample import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return sobol.sample(problem, spec.samples, calc_second_order=spec.second_order, scramble=True, seed=seed)
    from SALib.sample import morris

    return morris.sample(problem, spec.samples, num_levels=spec.levels, seed=seed)


def block_size(spec: SensitivitySpec) -> int:
    """Rows per Sobol' base sample: D+2, or 2D+2 with second-order indices."""
    d = len(spec.parameters)
    return 2 * d + 2 if spec.second_order else d + 2


def analyse(spec: SensitivitySpec, design: np.ndarray, outputs: pd.DataFrame, seed: int = 0,
            convergence: bool = True) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Indices for every output column; returns (indices, second-order indices or empty).

    ``outputs`` has one row per row of ``design`` (same order); outputs with
    missing values (e.g. no first contact at some point) are left out.
    """
    rows: list[dict] = []
    second: list[dict] = []
    problem = spec.problem()
    seed = int(seed) % 2**32
    if len(outputs) != len(design):
        raise ValueError(f"{len(outputs)} output rows for a design of {len(design)} points")
    for output in outputs.columns:
        y = outputs[output].to_numpy(dtype=float)
        if not np.all(np.isfinite(y)):
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            if spec.method == "pawn":
                rows += pawn_indices(spec, np.asarray(design, dtype=float), y, output, seed)
            elif spec.method == "sobol":
                from SALib.analyze import sobol

                sizes = [spec.samples // 2, spec.samples] if convergence else [spec.samples]
                for n in sizes:
                    result = sobol.analyze(problem, y[: n * block_size(spec)], calc_second_order=spec.second_order,
                                           num_resamples=spec.num_resamples, conf_level=0.95, seed=seed)
                    for i, name in enumerate(spec.names):
                        rows.append({"output": output, "parameter": name, "S1": result["S1"][i],
                                     "S1_conf": result["S1_conf"][i], "ST": result["ST"][i],
                                     "ST_conf": result["ST_conf"][i], "n": n})
                        if spec.second_order and n == spec.samples:
                            for j in range(i + 1, len(spec.names)):
                                second.append({"output": output, "parameter_1": name,
                                               "parameter_2": spec.names[j], "S2": result["S2"][i, j],
                                               "S2_conf": result["S2_conf"][i, j]})
            else:
                from SALib.analyze import morris

                result = morris.analyze(problem, np.asarray(design, dtype=float), y,
                                        num_resamples=spec.num_resamples, conf_level=0.95,
                                        num_levels=spec.levels, seed=seed)
                for i, name in enumerate(spec.names):
                    rows.append({"output": output, "parameter": name, "mu": result["mu"][i],
                                 "mu_star": result["mu_star"][i], "mu_star_conf": result["mu_star_conf"][i],
                                 "sigma": result["sigma"][i]})
    columns = {"sobol": SOBOL_COLUMNS, "morris": MORRIS_COLUMNS, "pawn": PAWN_COLUMNS}[spec.method]
    return pd.DataFrame(rows, columns=columns), pd.DataFrame(second)


def pawn_indices(spec: SensitivitySpec, design: np.ndarray, y: np.ndarray, output: str, seed: int) -> list[dict]:
    """PAWN indices of every input and of a dummy input of noise (the floor)."""
    from SALib.analyze import pawn

    rng = np.random.default_rng(seed)
    x = np.column_stack([design, rng.random(len(design))])
    problem = {"num_vars": x.shape[1], "names": [*spec.names, DUMMY],
               "bounds": [[float(c.min()), float(c.max()) + 1e-12] for c in x.T]}
    slices = int(np.clip(len(y) // 12, 4, 10))  # about a dozen points per slice at least
    result = pawn.analyze(problem, x, y, S=slices, seed=seed)
    return [{"output": output, "parameter": name, "median": result["median"][i], "mean": result["mean"][i],
             "minimum": result["minimum"][i], "maximum": result["maximum"][i], "cv": result["CV"][i]}
            for i, name in enumerate(problem["names"])]


def point_means(runs: pd.DataFrame, outputs: list[str], points: int) -> pd.DataFrame:
    """Outputs averaged over replications per sample point, one row per point in design order."""
    means = runs.groupby("sample")[outputs].mean()
    return means.reindex(range(points))


def noise_table(runs: pd.DataFrame, outputs: list[str]) -> pd.DataFrame:
    """Replication noise per output against the spread across sample points."""
    grouped = runs.groupby("sample")[outputs]
    counts = grouped.count()
    se = grouped.std(ddof=1) / np.sqrt(counts)
    means = grouped.mean()
    rows = []
    for output in outputs:
        variance = float(means[output].var(ddof=1)) if len(means) > 1 else float("nan")
        mean_se = float(se[output].mean())
        noise_var = float((se[output] ** 2).mean())
        rows.append({
            "output": output,
            "replications": int(counts[output].max()) if len(counts) else 0,
            "mean_replication_se": mean_se,
            "variance_across_points": variance,
            "se_to_variance": mean_se / variance if variance else float("nan"),
            "noise_variance_share": noise_var / variance if variance else float("nan"),
        })
    return pd.DataFrame(rows)


def write_figures(indices: pd.DataFrame, method: str, outdir: Path) -> list[Path]:
    """Sobol': S1 and ST bars with confidence intervals; Morris: mu* against sigma. One PNG per output."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for output, table in indices.groupby("output", sort=False):
        fig = Figure(figsize=(8, 4.5), layout="constrained")
        ax = fig.add_subplot()
        if method == "pawn":
            ranked = table.sort_values("median")
            y = np.arange(len(ranked))
            floor = float(table.loc[table["parameter"] == DUMMY, "median"].iloc[0])
            colours = ["0.6" if name == DUMMY else "tab:blue" for name in ranked["parameter"]]
            ax.barh(y, ranked["median"], color=colours, label="PAWN index (median over slices)")
            ax.errorbar(ranked["median"], y, xerr=[ranked["median"] - ranked["minimum"],
                                                   ranked["maximum"] - ranked["median"]],
                        fmt="none", ecolor="0.3", capsize=2, lw=0.8, label="minimum to maximum over slices")
            ax.axvline(floor, color="tab:red", ls="--", lw=1, label="noise floor (a dummy input)")
            ax.set_yticks(y, [name.removeprefix("parameters.") for name in ranked["parameter"]], fontsize=8)
            ax.set_xlabel(f"effect on {output} over the posterior (0: none; below the floor: indistinguishable)")
            ax.legend(loc="lower right", fontsize=8)
            name = f"pawn_{output}.png"
        elif method == "sobol":
            table = table[table["n"] == table["n"].max()]
            x = np.arange(len(table))
            ax.bar(x - 0.2, table["S1"], 0.4, yerr=table["S1_conf"], capsize=3, label="S1 (first order)")
            ax.bar(x + 0.2, table["ST"], 0.4, yerr=table["ST_conf"], capsize=3, label="ST (total)")
            ax.set_xticks(x, table["parameter"], rotation=30, ha="right", fontsize=8)
            ax.set_ylabel("Sobol' index")
            ax.axhline(0, color="black", linewidth=0.5)
            ax.legend()
            name = f"sobol_{output}.png"
        else:
            # a ranking, not a scatter: with ~160 parameters the labels of a scatter overlap
            top = table.nlargest(MORRIS_SHOWN, "mu_star").iloc[::-1]
            y = np.arange(len(top))
            ax.barh(y, top["mu_star"], xerr=top["mu_star_conf"], capsize=2, color="tab:blue",
                    label="mu* (mean absolute elementary effect, 95% interval)")
            ax.plot(top["sigma"], y, "D", color="tab:orange", markersize=4,
                    label="sigma (interactions, non-linearity)")
            ax.set_yticks(y, [name.removeprefix("parameters.") for name in top["parameter"]], fontsize=8)
            ax.set_xlim(left=0)
            ax.legend(loc="lower right", fontsize=8)
            hidden = len(table) - len(top)
            ax.set_xlabel(f"effect on {output}" + (f"; {hidden} parameters with smaller mu* not shown" if hidden else ""))
            name = f"morris_{output}.png"
        ax.set_title(output)
        target = outdir / name
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format="png", dpi=110)
        written.append(target)
    return written


def analyse_experiment(experiment, runs: pd.DataFrame, outdir: Path, outputs: list[str]) -> pd.DataFrame:
    """Average replications per point, analyse every output, write indices.csv, noise.csv and figures."""
    spec = experiment.sensitivity
    means = point_means(runs, outputs, len(experiment.points))
    indices, second = analyse(spec, experiment.design, means, seed=experiment.seed)
    with atomic_path(outdir / "indices.csv") as tmp:
        indices.to_csv(tmp, index=False)
    if len(second):
        with atomic_path(outdir / "indices_second_order.csv") as tmp:
            second.to_csv(tmp, index=False)
    with atomic_path(outdir / "noise.csv") as tmp:
        noise_table(runs, outputs).to_csv(tmp, index=False)
    write_figures(indices, spec.method, outdir / "figures")
    return indices


def parameter_ranges() -> dict[str, tuple[float, float]]:
    """Every parameter of model/parameters.toml whose range has low < high, as dotted keys."""
    from model.parameters import parameter_table

    return {f"parameters.{name}": (spec.low, spec.high) for name, spec in parameter_table().items()
            if spec.low < spec.high}


def parameter_ranges_toml() -> str:
    """The [sensitivity.parameters] table of experiments/morris_screening.toml, generated from the table."""
    lines = ["[sensitivity.parameters]"]
    lines += [f'"{key}" = [{low!r}, {high!r}]' for key, (low, high) in parameter_ranges().items()]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m experiments.sensitivity > table.toml: regenerate the Morris ranges
    print(parameter_ranges_toml(), end="")
