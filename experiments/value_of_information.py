"""Which figure to measure locally: the calibration targets whose better measurement would move the
decision most.

Each posterior draw is a particle that, in the calibration, simulated every
target figure. Measuring a figure more precisely would keep the particles whose
simulated value lies near the measurement and drop the rest, so it narrows the
decision most where the figure and the decision move together across the
posterior. The ranking is therefore the rank correlation (Spearman), across
paired runs, between each particle's simulated figure and the scenario's
balance against the first at the horizon. It is an association across the
posterior, not a full expected value of sample information, and with a few
dozen draws a correlation below about 0.4 cannot be told from zero
(``p_value``).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

from .language import Language, chosen
from .decision import cumulative_balance
from .posterior import SIMULATED, Draws, Posterior


def value_of_information(timeseries: pd.DataFrame, posterior: Posterior, draws: Draws,
                         targets: dict[str, tuple[str, str]] | None = None) -> pd.DataFrame:
    """One row per scenario after the first and per target figure, strongest association first."""
    if not posterior.simulated or "draw" not in timeseries.columns:
        return pd.DataFrame()
    balance = cumulative_balance(timeseries)
    final = balance[balance["year"] == balance["year"].max()]
    draw_of_run = timeseries.groupby("replication")["draw"].first()
    versus = str(pd.unique(timeseries["scenario"])[0])
    rows = []
    for name, runs in final.groupby("scenario", sort=False):
        particles = draws.particles[draw_of_run.loc[runs["replication"]].to_numpy()]
        outcome = runs["balance"].to_numpy(dtype=float)
        for output in posterior.simulated:
            figure = posterior.particles[SIMULATED + output].to_numpy(dtype=float)[particles]
            if np.ptp(figure) == 0 or np.ptp(outcome) == 0:
                continue
            rho, p_value = stats.spearmanr(figure, outcome)
            target, role = (targets or {}).get(output, (output, ""))
            rows.append({"scenario": name, "versus": versus, "target": target, "role": role, "output": output, "spearman": float(rho), "share_of_variance": float(rho**2),
                         "p_value": float(p_value), "runs": len(outcome),
                         "draws": int(len(np.unique(particles)))})
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    frame = frame.sort_values(["scenario", "share_of_variance"], ascending=[True, False], kind="stable")
    order = {n: i for i, n in enumerate(pd.unique(timeseries["scenario"]))}
    return frame.sort_values("scenario", key=lambda s: s.map(order), kind="stable").reset_index(drop=True)


def target_names(posterior: Posterior) -> dict[str, tuple[str, str]]:
    """Output name to (target name, role: fit or check), from the calibration's fit.csv beside its
    posterior. A check target was not fitted, so the posterior knows it least."""
    fit = Path(posterior.path) / "fit.csv"
    if not fit.is_file():
        return {}
    table = pd.read_csv(fit)
    if not {"output", "target", "role"} <= set(table):
        return {}
    return {row.output: (row.target, row.role) for row in table.itertuples()}


def value_text(table: pd.DataFrame, top: int = 3, lang: Language | None = None) -> str:
    """The strongest few per scenario, in plain words."""
    if table.empty or "scenario" not in table.columns:
        return ""  # a posterior without its particles' simulated figures
    tr = chosen(lang)
    lines = [tr("Which figure to measure locally (the calibration targets most associated with each balance "
                "across the posterior; value_of_information.csv):")]
    not_fitted = " [" + tr("not fitted") + "]"
    for name, rows in table.groupby("scenario", sort=False):
        best = ", ".join(f"{r.target}{not_fitted if r.role == 'check' else ''} (rho {tr.number(r.spearman, 2)}, "
                         f"p {tr.number(r.p_value, 2)})" for r in rows.head(top).itertuples())
        lines.append(f"- {name}: {best}")
    return "\n".join(lines)
