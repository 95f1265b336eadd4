"""Headline outcomes of the four key scenarios over 20 seeds, for one checkout.

    python docs/validation/compare_seeds.py CHECKOUT OUT.json

Run it on two checkouts (git worktree add) to compare their outcomes within standard errors,
as docs/validation/compiled_loops_20_seeds.md does for the compiled loops of issue 16.
"""
import sys, json
root = sys.argv[1]; sys.path.insert(0, root)
import numpy as np
from model import WijkteamModel, load_scenario
out = {}
for name in ("no_team", "current_practice", "recommended", "full_mandate"):
    rows = []
    for seed in range(20):
        sc = load_scenario(f"{root}/scenarios/{name}.toml", overrides={"neighbourhood.residents": 4000, "neighbourhood.width": 50, "neighbourhood.height": 50, "run.years": 5, "run.burn_in_weeks": 104})
        m = WijkteamModel(sc, rng=1000 + seed); m.run()
        f = m.timeseries(); a = f[f.week >= 0]
        rows.append([a.second_line_entries.sum(), a.crisis_entries.sum(), a.cost_total.sum() / 1e6, a.cost_second_line.sum() / 1e6,
                     a.team_caseload.mean(), a.mean_trust.iloc[-52:].mean(), a.team_competence.iloc[-52:].mean(), a.first_contacts.sum(), a.with_volunteer.mean()])
    out[name] = rows
json.dump(out, open(sys.argv[2], "w"))
