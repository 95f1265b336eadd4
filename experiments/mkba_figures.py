"""The MKBA's figure: each actor's net present value against the null alternative, with its interval."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from .figures import localise_axes, save_png, scenario_colours
from .language import Language, chosen
from .mkba import TOTAL


def actor_figure(mkba: pd.DataFrame, lang: Language | None = None) -> Figure:
    """Horizontal bars: per actor (and society), the NPV of each project alternative against the null
    alternative (positive: the actor spends less), with the 5-95% of paired runs as whiskers."""
    tr = chosen(lang)
    totals = mkba[(mkba["line"] == TOTAL) & (mkba["unit"] == "euros")]
    actors = list(dict.fromkeys(totals["actor"]))
    names = list(dict.fromkeys(totals["scenario"]))
    colours = scenario_colours([str(mkba["versus"].iloc[0]), *names])
    height = 0.8 / max(len(names), 1)
    fig = Figure(figsize=(9, 1.4 + 0.55 * len(actors) * max(len(names), 1)), layout="constrained")
    ax = fig.add_subplot()
    for i, name in enumerate(names):
        rows = totals[totals["scenario"] == name].set_index("actor").reindex(actors)
        y = np.arange(len(actors)) - 0.4 + height * (i + 0.5)
        mean = rows["mean"].to_numpy(dtype=float) / 1e6
        error = np.vstack([mean - rows["p05"].to_numpy(dtype=float) / 1e6,
                           rows["p95"].to_numpy(dtype=float) / 1e6 - mean]).clip(min=0)
        ax.barh(y, mean, height * 0.9, xerr=error, color=colours[name], label=name,
                error_kw={"elinewidth": 1, "capsize": 3, "ecolor": "0.2"})
    ax.axvline(0, color="0.3", lw=1)
    ax.set_yticks(range(len(actors)), [tr(actor) for actor in actors])
    ax.invert_yaxis()
    ax.set_xlabel(tr("Net present value against {first} (EUR m; positive: the actor spends less)")
                  .format(first=mkba["versus"].iloc[0]))
    ax.set_title(tr("Costs and benefits per actor; whiskers over paired runs: 5-95%"), fontsize=10)
    ax.grid(axis="x", color="0.92", lw=0.8)
    ax.set_axisbelow(True)
    fig.legend(loc="outside lower center", ncols=min(len(names), 4), fontsize=9, frameon=False)
    return localise_axes(fig, tr)


def write_mkba_figure(mkba: pd.DataFrame | None, outdir: Path, lang: Language | None = None) -> list[Path]:
    """mkba_per_actor.png, for a comparison (``mkba`` is None for one scenario)."""
    if mkba is None or mkba.empty:
        return []
    path = Path(outdir) / "mkba_per_actor.png"
    save_png(actor_figure(mkba, lang), path)
    return [path]
