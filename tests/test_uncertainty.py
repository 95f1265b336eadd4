"""Parameter uncertainty in comparisons (issue 19): posterior draws, paired decisions, break-even.

The draws must be reproducible from the seed and shared by every scenario, the
shared burn-in must give the numbers separate runs give, and the intervals
must widen once parameter uncertainty is in them.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from conftest import NO_TEAM, small_scenario
from experiments.decision import break_even_summary, break_even_years, cumulative_balance, decision_table
from experiments.posterior import BUNDLED, SIMULATED, Posterior, draw, draw_smoothed, load_posterior
from experiments.runs import replication_seeds, run_replication, run_scenarios, run_sharing_burn_in
from experiments.summary import HEADLINE, headline_outcomes, summarise
from experiments.value_of_information import value_of_information
from model import ScenarioError, WijkteamModel
from test_cli import ROOT, tiny, wijkteam

QUICK = {"neighbourhood.residents": 1200, "neighbourhood.width": 30, "neighbourhood.height": 30,
         "run.years": 2, "run.burn_in_weeks": 104}


def quick(**overrides):
    return small_scenario(**{k.replace(".", "__"): v for k, v in QUICK.items()}, **overrides)


# --- draws -----------------------------------------------------------------------------------

def test_the_same_seed_gives_the_same_draws_and_another_seed_others():
    posterior = load_posterior(BUNDLED)
    one, again, other = draw(posterior, 12, seed=3), draw(posterior, 12, seed=3), draw(posterior, 12, seed=4)
    assert list(one.particles) == list(again.particles) and one.values == again.values
    assert list(one.particles) != list(other.particles)
    assert set(one.values[0]) == set(posterior.keys) and len(posterior.keys) == 10


def test_draws_follow_the_weights():
    particles = pd.DataFrame({"parameters.recovery_rate": [0.01, 0.02, 0.03], "weight": [0.7, 0.3, 0.0],
                              "generation": 4})
    posterior = Posterior(path="synthetic", particles=particles, keys=("parameters.recovery_rate",))
    counts = np.bincount(draw(posterior, 4000, seed=1).particles, minlength=3)
    assert counts[2] == 0  # a particle without weight is never drawn
    assert abs(counts[0] / 4000 - 0.7) < 0.03


def test_a_bad_posterior_folder_gets_one_clear_line(tmp_path):
    with pytest.raises(ScenarioError, match="no posterior.parquet"):
        load_posterior(tmp_path)
    pd.DataFrame({"parameters.no_such_rate": [0.1], "weight": [1.0], "generation": [0]}).to_parquet(
        tmp_path / "posterior.parquet")
    with pytest.raises(ScenarioError, match="no_such_rate' is not a numeric scenario key"):
        load_posterior(tmp_path)


# --- the shared burn-in ------------------------------------------------------------------------

def test_a_scenario_continued_from_a_shared_burn_in_matches_its_own_run():
    scenarios = [quick(**NO_TEAM), quick(team__mandate="full"), quick(team__hours_in_wijk=8, team__mandate="none",
                                                                     team__specialist_agreements=False)]
    world = WijkteamModel(scenarios[0], rng=11)
    world.run_burn_in()
    for scenario in scenarios:
        continued = world.continue_as(scenario)
        continued.run()
        pd.testing.assert_frame_equal(continued.timeseries(), run_replication(scenario, 11).iloc[:, 2:])


def test_scenarios_sharing_a_burn_in_give_the_numbers_of_their_own_runs():
    scenarios = [quick(name="no-team", **NO_TEAM), quick(), quick(name="full", team__mandate="full")]
    shared = run_sharing_burn_in(scenarios, seed=7, replication=3, draw=0)
    for scenario, frame in zip(scenarios, shared, strict=True):
        alone = run_replication(scenario, 7, 3)
        pd.testing.assert_frame_equal(frame.drop(columns="draw"), alone)


def test_a_scenario_that_differs_outside_its_team_cannot_share_the_burn_in():
    world = WijkteamModel(quick(), rng=1)
    world.run_burn_in()
    with pytest.raises(ValueError, match="outside its team"):
        world.continue_as(quick(parameters__incidence_debt=0.02))


# --- every scenario gets the same draws --------------------------------------------------------

def test_every_scenario_gets_the_same_draws_and_seeds():
    posterior = load_posterior(BUNDLED)
    draws = draw(posterior, 3, seed=2)
    frame = run_scenarios([quick(name="no-team", **NO_TEAM), quick()], replications=2, seed=2, workers=1,
                          draws=draws.values)
    runs = frame.groupby(["scenario", "replication"], sort=False)["draw"].first()
    assert list(runs.loc["no-team"]) == list(runs.loc["recommended"]) == [0, 0, 1, 1, 2, 2]
    burn_in = frame[frame["week"] < 0]
    a, b = (burn_in[burn_in["scenario"] == name].drop(columns="scenario").reset_index(drop=True)
            for name in ("no-team", "recommended"))
    pd.testing.assert_frame_equal(a, b)  # same draw and seed: the same world before the team starts
    by_run = a.groupby("replication")["second_line_entries"].sum()
    assert by_run.nunique() == len(by_run)  # and every run its own world


def test_intervals_with_the_posterior_are_wider_than_without():
    """Eight runs either way; with the posterior the runs also differ in their parameters."""
    scenarios = [quick(name="no-team", **NO_TEAM), quick()]
    fixed = summarise(headline_outcomes(run_scenarios(scenarios, 8, seed=5, workers=2))).set_index("scenario")
    draws = draw(load_posterior(BUNDLED), 8, seed=5).values
    uncertain = summarise(headline_outcomes(run_scenarios(scenarios, 1, seed=5, workers=2, draws=draws)))
    uncertain = uncertain.set_index("scenario")
    for outcome in ("second_line_entries_per_1000", "cost_second_line", "cost_total"):
        width = lambda table: table[f"{outcome}_p95"] - table[f"{outcome}_p05"]  # noqa: E731
        assert (width(uncertain) > width(fixed)).all(), outcome


# --- the decision ------------------------------------------------------------------------------

def synthetic_outcomes(first: list[float], other: list[float]) -> pd.DataFrame:
    rows = [{"scenario": name, "replication": j, **{o: 0.0 for o in HEADLINE}, "cost_total": value}
            for name, values in (("a", first), ("b", other)) for j, value in enumerate(values)]
    return pd.DataFrame(rows)


def test_the_decision_pairs_runs_and_counts_how_often_a_scenario_is_lower():
    table = decision_table(synthetic_outcomes([10, 10, 10, 10], [9, 12, 8, 10])).set_index("outcome")
    row = table.loc["cost_total"]
    assert row["scenario"] == "b" and row["versus"] == "a" and row["pairs"] == 4
    assert row["probability_lower"] == 0.5  # 9 and 8 are lower; a tie is not
    assert row["mean_difference"] == pytest.approx(-0.25)
    assert row["difference_p05"] <= -1.5 and row["difference_p95"] >= 1.5


def test_break_even_is_the_year_after_which_the_balance_stays_positive():
    balance = pd.DataFrame([{"scenario": "b", "replication": run, "year": year, "balance": value}
                            for run, values in enumerate(([-1, 1, -0.5, 2], [1, 2, 3, 4], [-3, -2, -1, -0.5]))
                            for year, value in enumerate(values)])
    years = break_even_years(balance)["break_even_year"].tolist()
    assert years[:2] == [4.0, 1.0] and np.isnan(years[2])
    summary = break_even_summary(balance).iloc[0]
    assert summary["share_within_horizon"] == pytest.approx(2 / 3) and summary["median"] == 4.0
    assert summary["p95"] == np.inf  # a run that never breaks even counts as later than any year


def test_the_cumulative_balance_adds_up_the_yearly_costs():
    weeks = np.arange(-2, 104)
    frames = [pd.DataFrame({"scenario": name, "replication": 0, "week": weeks, "year": weeks // 52,
                            "cost_total": cost}) for name, cost in (("a", 100.0), ("b", 90.0))]
    balance = cumulative_balance(pd.concat(frames, ignore_index=True))
    assert balance["balance"].tolist() == [520.0, 1040.0]  # 10 a week, burn-in weeks left out


def test_value_of_information_ranks_the_figure_that_moves_with_the_balance_first():
    particles = pd.DataFrame({"parameters.recovery_rate": np.linspace(0.01, 0.02, 6), "weight": 1 / 6,
                              "generation": 0, f"{SIMULATED}linked": np.arange(6.0),
                              f"{SIMULATED}unrelated": [3.0, 1.0, 4.0, 1.0, 5.0, 9.0]})
    posterior = Posterior(path="synthetic", particles=particles, keys=("parameters.recovery_rate",))
    draws = draw(posterior, 6, seed=1)
    weeks = np.arange(0, 52)
    rows = []
    for j, particle in enumerate(draws.particles):
        for name, cost in (("a", 100.0), ("b", 100.0 - particle)):
            rows.append(pd.DataFrame({"scenario": name, "replication": j, "draw": j, "week": weeks, "year": 0,
                                      "cost_total": cost}))
    table = value_of_information(pd.concat(rows, ignore_index=True), posterior, draws)
    assert table.iloc[0]["output"] == "linked" and table.iloc[0]["spearman"] == pytest.approx(1.0)


# --- the command line --------------------------------------------------------------------------

def test_compare_with_the_posterior_writes_the_decision(tmp_path):
    a, b = tiny(tmp_path, "a", "[team]\ncommunity = 0\nindividual = 0\ncare = 0"), tiny(tmp_path, "b")
    out = tmp_path / "out"
    result = wijkteam("compare", a, b, "--posterior", "--draws", "3", "--years", "2", "--out", out, "--quiet",
                      "--workers", "2", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "chance that b costs less than a over 2 years" in result.stdout
    assert "3 posterior draws x 1 replication: parameter uncertainty" in result.stdout
    decision = pd.read_csv(out / "decision.csv")
    assert {"scenario", "versus", "outcome", "probability_lower", "mean_difference", "difference_p05",
            "difference_p95"} <= set(decision.columns)
    # every headline outcome that both scenarios have (no team has no first contacts to grade)
    assert set(decision["outcome"]) == set(HEADLINE) - {"mean_first_contact_severity"}
    assert (decision["versus"] == "a").all()
    assert pd.read_csv(out / "value_of_information.csv")["runs"].eq(3).all()
    for figure in ("difference_to_first.png", "balance_distribution.png"):
        assert (out / "figures" / figure).stat().st_size > 10_000
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameter_uncertainty"]["draws"] == 3
    assert manifest["replication_seeds"] == replication_seeds(1, 3)
    timeseries = pd.read_parquet(out / "timeseries.parquet")
    assert sorted(timeseries["draw"].unique()) == [0, 1, 2]


def test_posterior_options_with_bad_values_give_one_line(tmp_path):
    scenario = ROOT / "scenarios" / "recommended.toml"
    for args, fragment in (((scenario, "--draws", "3"), "--draws needs --posterior"),
                           ((scenario, "--posterior", tmp_path), "no posterior.parquet")):
        result = wijkteam("run", *args, "--out", tmp_path / "out")
        assert result.returncode == 2 and fragment in result.stderr, result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr


# --- sensitivity over the posterior ------------------------------------------------------------

def test_pawn_puts_the_input_that_drives_the_output_above_the_noise_floor():
    from experiments.sensitivity import DUMMY, SensitivitySpec, analyse

    rng = np.random.default_rng(3)
    design = rng.random((240, 3))
    y = pd.DataFrame({"y": 4 * design[:, 0] + 0.3 * design[:, 1] ** 2})
    spec = SensitivitySpec(method="pawn", samples=240, parameters={"a": (0, 1), "b": (0, 1), "c": (0, 1)},
                           over="posterior")
    indices = analyse(spec, design, y, seed=1)[0].set_index("parameter")["median"]
    assert indices["a"] > 2 * indices[DUMMY] and indices["a"] == indices.max()
    assert indices["c"] < indices["a"] / 2  # unrelated: near the floor


def write_experiment(tmp_path, sensitivity: str):
    path = tmp_path / "posterior.toml"
    path.write_text(f'name = "p"\nscenario = "{ROOT / "scenarios" / "recommended.toml"}"\nseed = 4\n'
                    f"[sensitivity]\n{sensitivity}\n")
    return path


def test_an_experiment_over_the_posterior_samples_the_posterior_draws(tmp_path):
    from experiments.experiment import load_experiment

    experiment = load_experiment(write_experiment(tmp_path, 'over = "posterior"\nsamples = 20'))
    posterior = load_posterior(BUNDLED)
    assert experiment.points == draw_smoothed(posterior, 20, seed=4).values  # reproducible from the seed
    assert len({tuple(point.values()) for point in experiment.points}) == 20  # no particle repeated
    drawn = pd.DataFrame(experiment.points)  # around the posterior, inside the parameter table's ranges
    particles = posterior.particles[list(posterior.keys)]
    assert ((drawn >= particles.min() - 3 * particles.std()) & (drawn <= particles.max() + 3 * particles.std())).all().all()
    assert experiment.sensitivity.method == "pawn" and experiment.design.shape == (20, 10)
    for table, fragment in (('over = "posterior"\nmethod = "sobol"\nsamples = 32', 'needs method = "pawn"'),
                            ('over = "posterior"\nsamples = 32\n[sensitivity.parameters]\n'
                             '"team.hours_in_wijk" = [4, 36]', "does not apply over the posterior"),
                            ('over = "later"\nsamples = 32', "over = 'later' is not allowed")):
        with pytest.raises(ScenarioError, match=fragment):
            load_experiment(write_experiment(tmp_path, table))


def test_the_compare_view_says_the_chance_and_the_break_even_in_words():
    import solara

    from dashboards.compare import Results, decision_markdown, summarise_comparison
    from dashboards.runs import run_cached
    from dashboards.widgets import language

    timeseries = run_cached(["no-team", "recommended"], 1, 1000, 2, None, draws=3)
    result = summarise_comparison(timeseries, 1, 3, 1000, 2, 1.0)
    language.value = "en"
    try:
        words = decision_markdown(result)
    finally:
        language.value = "nl"
    assert "Chance that **recommended** costs less than **no-team** over 2 years: **" in words
    assert re.search(r"pays? for itself within 2 years", words)  # in no run, or in a share of runs
    assert timeseries.groupby("scenario")["draw"].nunique().eq(3).all()
    box, context = solara.render(Results(result), handle_error=False)
    context.close()


def test_a_posterior_without_simulated_figures_still_gives_the_decision(tmp_path):
    posterior = pd.read_parquet(BUNDLED / "posterior.parquet")
    (tmp_path / "plain").mkdir()
    posterior[[c for c in posterior.columns if not c.startswith(SIMULATED)]].to_parquet(
        tmp_path / "plain" / "posterior.parquet")
    a, b = tiny(tmp_path, "a", "[team]\ncommunity = 0\nindividual = 0\ncare = 0"), tiny(tmp_path, "b")
    result = wijkteam("compare", a, b, "--posterior", tmp_path / "plain", "--draws", "2", "--out", tmp_path / "out",
                      "--quiet", "--workers", "1", "--lang", "en")
    assert result.returncode == 0, result.stderr
    assert "chance that b costs less than a over 1 year:" in result.stdout
    assert "Which figure to measure locally" not in result.stdout
