"""Background runs for Compare and Learn: replications of bundled scenarios, cached per server.

The runs use ``experiments.runs.run_scenarios`` in one worker process (the
calling thread): the dashboard stays responsive because the run happens in a
Solara task thread, and no process pool is forked from the web server. With the
bundled posterior every scenario runs the same parameter draws. Seeds and draws
are the CLI's common random numbers, so the same request always gives the same
numbers; finished results are cached for everybody using this server.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

from experiments.language import N_
from experiments.posterior import BUNDLED, Draws, Posterior, draw, load_posterior
from experiments.runs import run_scenarios
from model import Scenario, load_scenario

from .dashboard_model import SCENARIOS_DIR, dashboard_scenario

YOUR_SETTINGS = "your settings"
# What each bundled scenario asks, in short (the files' descriptions are English only).
SUMMARIES = {
    "no-team": N_("No wijkteam: residents reach help through the municipal Wmo desk and the GP only, as "
                  "before 2015. The other scenarios are measured against this one (the MKBA 'nulalternatief')."),
    "current-practice": N_("A typical team as many municipalities run it: 9 generalists, about 12 hours a week "
                           "in the wijk, no mandate (the desk decides), no duo visits, average turnover."),
    "recommended": N_("The team the literature recommends: 7 generalists of the three kinds, 24 hours a week "
                      "in the wijk, a derived mandate with a Wmo consultant in the team, duo home visits, low "
                      "turnover and agreements with specialists."),
    "full-mandate": N_("The recommended team with a full mandate: it decides on provisions itself. Does "
                       "deciding without delay pay off, when the decisions depend on the team's competence?"),
    "ageing-village": N_("An ageing village core: a third of the residents over 65, strong networks, little "
                         "deprivation. Does the recommended team fit needs that are mostly care and isolation?"),
    "few-hours-in-wijk": N_("The recommended team with only 8 hours a week in the wijk. What is lost when the "
                            "team is not visible and approachable ('aanklampbaar') in the streets?"),
    "high-turnover": N_("The recommended team with a staff turnover of 35% a year. How much of the learning curve "
                        "is lost when people keep leaving?"),
    "large-team": N_("A large team of 12 generalists for the same wijk. Does adding people help as much, "
                     "when coordination grows with every pair?"),
    "learning-curve": N_("For trainers: a new recommended team followed for 6 years, to show the learning "
                         "curve of two to four years in competence, integration, trust and escalations."),
    "no-agreements": N_("The recommended team without agreements with specialists. What does a clogged team "
                        "('verstopping') cost the team and the second line?"),
    "young-deprived": N_("A young, deprived district with many children and problems piling up in the same "
                         "households. What does the recommended team achieve there?"),
}
RESIDENT_CHOICES = (1000, 2000, 3500, 5000)
SEED = 1


@dataclass(frozen=True)
class Bundled:
    key: str
    name: str
    description: str
    path: Path


@lru_cache(maxsize=1)
def bundled_scenarios() -> dict[str, Bundled]:
    """The scenarios shipped in scenarios/, by name, in a readable order (no team first)."""
    found = {}
    for path in sorted(SCENARIOS_DIR.glob("*.toml")):
        try:
            scenario = load_scenario(path)
        except Exception:  # a broken user file must not break the dashboard
            continue
        description = " ".join(scenario["description"].split())
        found[scenario.name] = Bundled(scenario.name, scenario.name, description, path)
    order = ["no-team", "current-practice", "recommended", "full-mandate"]
    return dict(sorted(found.items(), key=lambda kv: (order.index(kv[0]) if kv[0] in order else 99, kv[0])))


def build_scenario(key: str, residents: int, years: int, explore_inputs: dict | None = None) -> Scenario:
    """A bundled scenario (or the Explore settings) resized to ``residents`` and ``years``."""
    overrides = {"neighbourhood.residents": int(residents), "run.years": int(years)}
    if key == YOUR_SETTINGS:
        return dashboard_scenario(explore_inputs or {}).with_overrides(overrides, source="dashboard")
    return load_scenario(bundled_scenarios()[key].path, overrides=overrides)


_cache: dict[tuple, pd.DataFrame] = {}
_cache_lock = threading.Lock()
CACHE_SIZE = 8  # finished requests kept per server; the oldest goes first


@lru_cache(maxsize=1)
def bundled_posterior() -> Posterior:
    return load_posterior(BUNDLED)


def posterior_draws(draws: int) -> Draws:
    """The bundled posterior's first ``draws`` draws from the dashboard's seed (as the CLI draws them)."""
    return draw(bundled_posterior(), draws, SEED)


def run_cached(keys: list[str], replications: int, residents: int, years: int, explore_inputs: dict | None,
               progress: Callable[[float], None] | None = None, draws: int = 0) -> pd.DataFrame:
    """Weekly timeseries of every replication of every scenario (cached by request).

    ``draws`` > 0: that many draws from the bundled posterior, each with ``replications``
    replications, the same for every scenario. ``progress`` is told the share done (0-100)
    after every finished burn-in.
    """
    settings = tuple(sorted((explore_inputs or {}).items())) if YOUR_SETTINGS in keys else ()
    cache_key = (tuple(keys), int(replications), int(residents), int(years), settings, int(draws))
    with _cache_lock:
        if cache_key in _cache:
            return _cache[cache_key]
    scenarios = [build_scenario(k, residents, years, explore_inputs) for k in keys]
    values = posterior_draws(draws).values if draws else None
    total, done = len(scenarios) * int(replications) * max(1, int(draws)), 0

    def on_done(runs: int) -> None:
        nonlocal done
        done += runs
        if progress is not None:
            progress(100.0 * done / total)

    if progress is not None:
        progress(0.0)
    frame = run_scenarios(scenarios, int(replications), SEED, workers=1, on_done=on_done, draws=values)
    with _cache_lock:
        _cache[cache_key] = frame
        while len(_cache) > CACHE_SIZE:
            _cache.pop(next(iter(_cache)))
    return frame
