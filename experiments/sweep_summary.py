"""What a sweep found, cell by cell: a table and a figure per key outcome.

``summary.csv`` holds, per cell of the sweep, the mean and the 5th and 95th
percentiles over replications of every headline outcome (the columns of the
``run`` command's summary). ``figures/sweep_<outcome>.png`` draws one row per
cell with its mean and that 5-95% range, so a reader sees at a glance which
cells differ by more than the replications do.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from .files import atomic_path
from .summary import HEADLINE

FIGURE_OUTCOMES = {
    "second_line_entries_per_1000": "second-line entries per 1,000 residents a year",
    "cost_total": "total cost over the horizon (EUR million)",
    "mean_first_contact_severity": "severity at first contact (lower is earlier)",
}
LOW, HIGH = 0.05, 0.95


def summarise_sweep(runs: pd.DataFrame, varied: list[str]) -> pd.DataFrame:
    """Mean and 5th/95th percentiles over replications of every headline outcome, per cell, in sweep order."""
    grouped = runs.groupby(varied, sort=False)[list(HEADLINE)]
    parts = [grouped.mean().add_suffix("_mean"), grouped.quantile(LOW).add_suffix("_p05"),
             grouped.quantile(HIGH).add_suffix("_p95")]
    counts = grouped.size().rename("replications")
    return pd.concat([counts, *parts], axis=1).reset_index()


def cell_label(row: pd.Series, varied: list[str]) -> str:
    """'community 1, individual 2, care 1': each key's last part and the cell's value."""
    return ", ".join(f"{key.rsplit('.', 1)[-1]} {_shown(row[key])}" for key in varied)


def _shown(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def write_sweep_figures(summary: pd.DataFrame, varied: list[str], outdir: Path) -> list[Path]:
    """One PNG per key outcome: a row per cell, its mean and the 5-95% range over replications."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    outdir.mkdir(parents=True, exist_ok=True)
    labels = [cell_label(row, varied) for _, row in summary.iterrows()]
    y = np.arange(len(summary))[::-1]  # the first cell on top
    written = []
    for outcome, title in FIGURE_OUTCOMES.items():
        scale = 1e6 if outcome.startswith("cost") else 1.0
        mean = summary[f"{outcome}_mean"] / scale
        low, high = summary[f"{outcome}_p05"] / scale, summary[f"{outcome}_p95"] / scale
        fig = Figure(figsize=(8, 1.2 + 0.28 * len(summary)), layout="constrained")
        ax = fig.add_subplot()
        ax.errorbar(mean, y, xerr=[mean - low, high - mean], fmt="o", color="tab:blue", ecolor="0.5",
                    capsize=2, markersize=4)
        ax.set_yticks(y, labels, fontsize=8)
        ax.grid(axis="x", color="0.9")
        ax.set_title(title)
        ax.set_xlabel(f"mean over {int(summary['replications'].iloc[0])} replications; bars: 5-95% range")
        target = outdir / f"sweep_{outcome}.png"
        with atomic_path(target) as tmp:
            fig.savefig(tmp, format="png", dpi=110)
        written.append(target)
    return written


def analyse_sweep(experiment, runs: pd.DataFrame, outdir: Path) -> pd.DataFrame:
    """Write summary.csv and the sweep figures for a finished sweep."""
    summary = summarise_sweep(runs, experiment.varied)
    with atomic_path(outdir / "summary.csv") as tmp:
        summary.to_csv(tmp, index=False)
    write_sweep_figures(summary, experiment.varied, outdir / "figures")
    return summary
