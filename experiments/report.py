"""Writing a run's outputs: timeseries, summary, manifest, figures and the terminal table.

Every file is written atomically (``experiments.files``), so an interrupted
run never leaves a file that looks finished but is not.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd

from model import Scenario
from model.parameters import default_parameters

from .decision import decision_table
from .files import atomic_path
from .language import N_, Language, chosen
from .mkba import mkba_table
from .national import national_by_scenario
from .posterior import Uncertainty, describe_runs, manifest_entry
from .provenance import git_commit, versions
from .summary import HEADLINE, headline_outcomes, summarise
from .value_of_information import target_names, value_of_information


def manifest(scenarios: list[Scenario], replications: int, seed: int, seeds: list[int],
             uncertainty: dict | None = None) -> dict:
    return {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": sys.argv,
        "replications": replications,
        "root_seed": seed,
        "replication_seeds": seeds,
        "common_random_numbers": "replication k uses the same seed in every scenario",
        "parameter_uncertainty": uncertainty,
        "scenarios": [{"file": s.path, "extends_chain": list(s.chain), "resolved": s.nested()} for s in scenarios],
        "versions": versions(),
        "git_commit": git_commit(),
    }


def write_outputs(outdir: Path, timeseries: pd.DataFrame, scenarios: list[Scenario], replications: int,
                  seed: int, seeds: list[int], uncertainty: Uncertainty | None = None,
                  report: bool = False, sensitivity: Path | None = None) -> dict[str, Path]:
    """Write timeseries.parquet, summary.csv, national.csv, manifest.json and figures/*.png; for two or
    more scenarios mkba.csv and the decision's figures; with posterior draws also decision.csv and
    value_of_information.csv; with ``report``, report.html (in the chosen language)."""
    from .decision_figures import write_decision_figures
    from .figures import write_figures  # matplotlib only when a report is written
    from .mkba_figures import write_mkba_figure

    written: dict[str, Path] = {}
    outcomes = headline_outcomes(timeseries)
    tables = {"summary": summarise(outcomes), "national": national_by_scenario(timeseries)}
    if len(scenarios) > 1:
        tables["mkba"] = mkba_table(timeseries, discount_rate(scenarios[0]))
    if uncertainty is not None and len(scenarios) > 1:
        tables["decision"] = decision_table(outcomes)
        tables["value_of_information"] = value_of_information(
            timeseries, uncertainty.posterior, uncertainty.draws, target_names(uncertainty.posterior))
    with atomic_path(outdir / "timeseries.parquet") as tmp:
        timeseries.to_parquet(tmp, index=False)
    written["timeseries"] = outdir / "timeseries.parquet"
    for name, table in tables.items():
        with atomic_path(outdir / f"{name}.csv") as tmp:
            table.to_csv(tmp, index=False)
        written[name] = outdir / f"{name}.csv"
    described = describe_runs(replications, len(uncertainty.draws) if uncertainty else 0)
    for path in [*write_figures(timeseries, outdir / "figures"),
                 *write_decision_figures(timeseries, outdir / "figures", described),
                 *write_mkba_figure(tables.get("mkba"), outdir / "figures")]:
        written[path.stem] = path
    if report:
        from .council_report import report_html, write_report

        html = report_html(timeseries, scenarios, described, uncertainty, sensitivity=sensitivity,
                           value_of_information=tables.get("value_of_information"))
        written["report"] = write_report(outdir / "report.html", html)
    entry = manifest_entry(uncertainty.posterior, uncertainty.draws) if uncertainty else None
    with atomic_path(outdir / "manifest.json") as tmp:
        tmp.write_text(json.dumps(manifest(scenarios, replications, seed, seeds, entry), indent=2, default=str))
    written["manifest"] = outdir / "manifest.json"
    return written


LABELS = {
    "second_line_entries_per_1000": N_("Second-line entries /1,000/yr"),
    "crisis_entries_per_1000": N_("  of which crisis /1,000/yr"),
    "mean_first_contact_severity": N_("Severity at first contact (0-1)"),
    "final_team_competence": N_("Team competence at the end (0-1)"),
    "cost_team": N_("Team cost (EUR m)"),
    "cost_second_line": N_("Second-line cost (EUR m)"),
    "cost_total": N_("Total cost (EUR m)"),
    "cost_total_discounted": N_("Total cost, discounted (EUR m)"),
    "cost_second_line_per_resident_year": N_("Second-line cost /resident/yr (EUR)"),
    "cost_total_per_resident_year": N_("Total cost /resident/yr (EUR)"),
}


def discount_rate(scenario: Scenario) -> float:
    """The scenario's discount rate (the parameter table's unless the scenario sets one)."""
    return float(scenario.parameters.get("discount_rate", default_parameters()["discount_rate"]))


def comparison_table(timeseries: pd.DataFrame, spread: str = "replications", lang: Language | None = None) -> str:
    """The headline outcomes per scenario: mean and 90% interval over the runs."""
    tr = chosen(lang)
    summary = summarise(headline_outcomes(timeseries))
    names = list(summary["scenario"])
    width = max(22, *(len(n) + 2 for n in names))
    lines = [f"{'':36s}" + "".join(f"{n:>{width}s}" for n in names)]
    for outcome in HEADLINE:
        per_resident = outcome.endswith("per_resident_year")
        scale = 1e6 if outcome.startswith("cost") and not per_resident else 1.0
        digits = 0 if per_resident else 1 if outcome.startswith("cost") or outcome.endswith("1000") else 2
        cells = []
        for _, row in summary.iterrows():
            mean, low, high = (row[f"{outcome}_{part}"] / scale for part in ("mean", "p05", "p95"))
            cells.append("n/a" if pd.isna(mean) else
                         f"{tr.number(mean, digits)} [{tr.number(low, digits)} – {tr.number(high, digits)}]")
        lines.append(f"{tr(LABELS.get(outcome, outcome)):36s}" + "".join(f"{c:>{width}s}" for c in cells))
    lines.append(tr("mean [5th-95th percentile] over {spread}; entries and costs over the horizon after burn-in")
                 .format(spread=spread))
    return "\n".join(lines)
