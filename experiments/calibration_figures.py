"""A calibration's figures: the fit per target with its interval, and the marginal posteriors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .calibration import Calibration
from .figures import save_png


def fit_figure(fit: pd.DataFrame, path: Path) -> None:
    """Per target, on a scale where the interval runs from -1 to 1: the model's median and 5-95% range."""
    rows = len(fit)
    fig = Figure(figsize=(8, 0.45 * rows + 1.4))
    ax = fig.add_subplot()
    ax.axvspan(-1, 1, color="#dbe9d8", label="target interval")
    ax.axvline(0, color="#2c6e2c", lw=1, label="observed value")
    for i, row in enumerate(fit.itertuples()):
        low = _scaled(row, row.model_p5)
        high = _scaled(row, row.model_p95)
        colour = "#1f4e8c" if row.role == "fit" else "#8c5a1f"
        ax.plot([low, high], [i, i], color=colour, lw=2)
        ax.plot(_scaled(row, row.model_median), i, "o", color=colour)
        ax.annotate(f"{row.model_median:.3g} vs {row.observed:.3g}", (max(high, 1), i), xytext=(6, -3),
                    textcoords="offset points", fontsize=8)
    labels = [row.target + ("" if row.role == "fit" else " (check)") for row in fit.itertuples()]
    ax.set_yticks(range(rows), labels)
    ax.invert_yaxis()
    ax.set_xlabel("distance from the observed value, in halves of the interval (edge = ±1)")
    ax.set_title("Calibration fit: the model at the posterior against each target\n"
                 "(median and 5-95% over posterior draws; brown: checked, not fitted)", fontsize=10)
    ax.legend(loc="lower right", fontsize=8)
    span = max(2.0, float(np.nanmax(np.abs([_scaled(r, v) for r in fit.itertuples()
                                             for v in (r.model_p5, r.model_p95)]))) * 1.1)
    ax.set_xlim(-span, span + 1.5)
    fig.tight_layout()
    save_png(fig, path)


def _scaled(row, value: float) -> float:
    side = row.high - row.observed if value >= row.observed else row.observed - row.low
    return (value - row.observed) / side


def marginals_figure(calibration: Calibration, posterior: pd.DataFrame, path: Path) -> None:
    """Each fitted parameter: the last generation's weighted histogram over its prior range."""
    keys = list(calibration.priors)
    columns = min(3, len(keys))
    rows = -(-len(keys) // columns)
    fig = Figure(figsize=(3.4 * columns, 2.6 * rows))
    last = posterior[posterior["generation"] == posterior["generation"].max()]
    for i, key in enumerate(keys):
        ax = fig.add_subplot(rows, columns, i + 1)
        low, high = calibration.priors[key]
        ax.hist(last[key], bins=20, range=(low, high), weights=last["weight"], density=True, color="#1f4e8c",
                alpha=0.8)
        ax.axhline(1 / (high - low), color="grey", lw=1, ls="--", label="prior")
        ax.set_title(key.removeprefix("parameters."), fontsize=9)
        ax.set_yticks([])
        ax.tick_params(labelsize=8)
    fig.suptitle(f"Posterior of calibration '{calibration.name}' after {int(last['generation'].max()) + 1} "
                 "generations (dashed: the uniform prior)", fontsize=10)
    fig.tight_layout()
    save_png(fig, path)
