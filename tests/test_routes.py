"""The second line entered as in the Netherlands, the same in the world with and without a team.

Each test holds one of the asymmetries of issue 17 gone: stepping down, relapse and the GP's
referrals exist without a team; crises enter only where a crisis route exists, in places of
their own; a provision the team grants counts as use and cost; hidden need exists, and a team
that finds it can refer it.
"""

from __future__ import annotations

import numpy as np
import pytest

from agents.vocabulary import (
    BUDGET_OF_SPECIALIST,
    KIND_OF_DOMAIN,
    LIGHTER,
    MENTAL,
    SECOND_LINE,
    SPEC_DEBT,
    SPEC_MENTAL,
    SPEC_WMO,
    SPEC_YOUTH,
    SPECIALIST_DOMAINS,
    SPECIALIST_KINDS,
    TEAM,
    ADULT,
    ELDERLY,
    PHYSICAL,
    YOUTH,
)
from conftest import NO_TEAM, small_scenario
from experiments import run_scenario
from model import WijkteamModel

NO_TEAM_OVERRIDES = {key.replace(".", "__"): value for key, value in NO_TEAM.items()}


def step_model(scenario, weeks, seed=1):
    model = WijkteamModel(scenario, rng=seed)
    for _ in range(weeks):
        model.step()
    return model


@pytest.fixture(scope="module")
def both_worlds():
    """Two years of the same wijk with and without a team (common random numbers); crises and
    acute debt threats more frequent than by default, so that a small wijk has some."""
    frequent = {"run__years": 2, "parameters__crisis_rate_youth": 0.05, "parameters__crisis_rate_mental": 0.05,
                "parameters__acute_threat_rate": 0.1}
    team = run_scenario(small_scenario(**frequent), replications=1, seed=2)
    alone = run_scenario(small_scenario(**frequent, **NO_TEAM_OVERRIDES), replications=1, seed=2)
    return team[team.week >= 0], alone[alone.week >= 0]


def test_new_outputs_are_in_the_timeseries(both_worlds):
    team, _ = both_worlds
    for kind in ("youth", "mental", "wmo", "debt"):
        for column in (f"entries_{kind}", f"crisis_entries_{kind}", f"in_care_{kind}"):
            assert column in team.columns, column
    for column in ("youths", "adults", "households", "households_problematic_debt", "cost_municipality_debt",
                   "entries_youth_gp", "entries_youth_access", "entries_youth_court", "entries_debt_own",
                   "clogged_hours"):
        assert column in team.columns, column
    assert (team["youths"] + team["adults"] == team["residents"]).all()
    assert (team["households_problematic_debt"] <= team["households"]).all()


def test_the_gp_refers_in_both_worlds_and_only_to_youth_care_and_ggz(both_worlds):
    for frame in both_worlds:
        assert frame["entries_mental_gp"].sum() > 0 and frame["entries_youth_gp"].sum() > 0
        assert frame[["entries_wmo_gp", "entries_debt_gp", "entries_work_gp"]].to_numpy().sum() == 0
        assert frame["entries_mental_access"].sum() == 0  # neither desk nor team indicates GGZ


def test_crises_enter_only_where_a_crisis_route_exists(both_worlds):
    for frame in both_worlds:
        assert frame["crisis_entries"].sum() > 0
        assert frame[["crisis_entries_wmo", "crisis_entries_debt", "crisis_entries_work"]].to_numpy().sum() == 0
        assert (frame["crisis_entries"] == frame["crisis_entries_youth"] + frame["crisis_entries_mental"]).all()


def test_debt_counselling_is_entered_by_own_application_in_both_worlds(both_worlds):
    for frame in both_worlds:
        assert frame["entries_debt_own"].sum() > 0
        assert frame["urgent_debt_appointments"].sum() > 0


def test_a_crisis_does_not_take_a_planned_place():
    model = step_model(small_scenario(**NO_TEAM_OVERRIDES, parameters__crisis_rate_mental=1.0,
                                      parameters__crisis_places=20.0), 30)
    res, second_line = model.residents, model.second_line
    ggz = second_line.specialists[SPEC_MENTAL]
    planned = (res.status == SECOND_LINE) & (res.specialist == SPEC_MENTAL) & ~res.crisis
    free_adults = np.flatnonzero((res.age == ADULT) & (res.status != SECOND_LINE))
    # fill every planned GGZ place, then put adults in acute mental crisis
    fill = free_adults[: ggz.capacity - planned.sum()]
    res.admit(fill, SPEC_MENTAL, model.week + 100, crisis=False)
    acute = np.setdiff1d(free_adults, fill)[:2]
    res.severity[MENTAL, acute] = 1.0
    model.second_line.step()
    assert (res.status[acute] == SECOND_LINE).all() and res.crisis[acute].all()
    still_planned = np.count_nonzero((res.status == SECOND_LINE) & (res.specialist == SPEC_MENTAL) & ~res.crisis)
    assert still_planned <= ggz.capacity


def test_stepping_down_and_relapse_work_without_a_team():
    """A trajectory whose problems are light again ends early, to lighter care that costs money,
    and a relapse risk follows, as it does with a team."""
    for overrides in (NO_TEAM_OVERRIDES, {}):
        model = step_model(small_scenario(**overrides), 60)
        res = model.residents
        clients = np.flatnonzero((res.status == SECOND_LINE) & (res.due_week > model.week + 5) & ~res.crisis)[:20]
        assert len(clients) > 5
        own = SPECIALIST_DOMAINS[res.specialist[clients]].T
        res.severity[:, clients] = np.where(own, 0.05, res.severity[:, clients])  # care has worked
        res.limitation[clients] = 0.0  # (a lasting limitation would keep Wmo support going)
        model.step()
        assert not (res.status[clients] == SECOND_LINE).any()
        assert (res.relapse_until[clients] > model.week).all()
    frame = run_scenario(small_scenario(run__years=1, **NO_TEAM_OVERRIDES), replications=1, seed=3)
    assert frame["to_lighter_care"].sum() > 0 and frame["cost_lighter_care"].sum() > 0


def test_lighter_care_ends_and_frees_the_resident():
    model = step_model(small_scenario(**NO_TEAM_OVERRIDES), 40)
    res = model.residents
    lighter = np.flatnonzero(res.status == LIGHTER)
    assert len(lighter) > 0
    res.due_week[lighter] = model.week
    model.second_line.step()
    assert not (res.status[lighter] == LIGHTER).any()


def test_a_provision_the_team_grants_counts_as_use_and_cost():
    model = step_model(small_scenario(team__mandate="full"), 60)
    res = model.residents
    cases = np.flatnonzero((res.status == TEAM) & (res.provision_kind < 0))[:10]
    assert len(cases) == 10
    before_care = model.second_line.results()["in_care_wmo"] + model.second_line.results()["in_care_youth"]
    before_cost = model.costs.provisions_by_kind().sum()
    res.provision_kind[cases] = np.where(res.age[cases] == YOUTH, SPEC_YOUTH, SPEC_WMO)
    res.provision_due[cases] = model.week
    after = model.second_line.results()
    assert after["in_care_wmo"] + after["in_care_youth"] == before_care + 10
    assert model.costs.provisions_by_kind().sum() > before_cost
    frame = run_scenario(small_scenario(team__mandate="full", run__years=1), replications=1, seed=3)
    late = frame[frame.week >= 0]
    assert late["provision_entries"].sum() > 0 and late["cost_provisions"].sum() > 0


def test_hidden_need_is_found_only_by_outreach():
    """Hidden residents never ask and are never signalled: without a team they reach care only by
    crisis, court or an acute debt threat; a team's outreach finds them and refers them."""
    hidden = {"parameters__hidden_need_share": 1.0, "run__years": 2}
    alone = run_scenario(small_scenario(**hidden, **NO_TEAM_OVERRIDES), replications=1, seed=4)
    alone = alone[alone.week >= 0]
    asked = [f"entries_{kind}_{route}" for kind in SPECIALIST_KINDS for route in ("gp", "access")]
    assert alone[asked].to_numpy().sum() == 0
    assert alone["debt_applications"].sum() == alone["urgent_debt_appointments"].sum()
    assert alone["unknown_problems"].mean() > 0
    team = run_scenario(small_scenario(**hidden), replications=1, seed=4)
    team = team[team.week >= 0]
    assert team["contacts_outreach"].sum() > 0 and team[["contacts_self", "contacts_partner"]].to_numpy().sum() == 0
    assert team[[f"entries_{kind}_access" for kind in SPECIALIST_KINDS]].to_numpy().sum() > 0


def test_payers_follow_the_law():
    """Youth GGZ falls under the Jeugdwet, adult GGZ under the Zvw, debt counselling on its own line."""
    assert KIND_OF_DOMAIN[YOUTH, MENTAL] == SPEC_YOUTH and KIND_OF_DOMAIN[ADULT, MENTAL] == SPEC_MENTAL
    assert BUDGET_OF_SPECIALIST[SPEC_YOUTH] == "municipality_youth"
    assert BUDGET_OF_SPECIALIST[SPEC_MENTAL] == "insurer"
    assert BUDGET_OF_SPECIALIST[SPEC_DEBT] == "municipality_debt"


def test_national_figures_sets_the_model_beside_the_dutch_values(both_worlds):
    from experiments.national import FIGURES, national_figures

    team, _ = both_worlds
    table = national_figures(team.assign(scenario="s", replication=0))
    assert list(table["figure"]) == [f.name for f in FIGURES]
    assert table["model"].notna().all()
    youth = table.set_index("figure")["model"]
    assert youth[["youth_gp_share", "youth_access_share", "youth_court_share", "youth_crisis_share"]].sum() <= 1.0


def test_a_lasting_limitation_stays_and_is_applied_for_at_the_access_in_both_regimes():
    """The physical problem never falls below a lasting limitation; residents with one above the
    indication threshold apply for Wmo support at the municipal access, with or without a team,
    and a team case closes once everything beyond the limitation is light."""
    for overrides in (NO_TEAM_OVERRIDES, {}):
        model = step_model(small_scenario(**overrides), 40)
        res = model.residents
        limited = res.limitation > 0
        assert limited.any() and (res.severity[PHYSICAL, limited] >= res.limitation[limited] - 1e-6).all()
        elderly = res.age == ELDERLY
        assert limited[elderly].mean() > 5 * limited[~elderly & ~res.limited].mean()
        frame = run_scenario(small_scenario(run__years=1, **overrides), replications=1, seed=4)
        assert frame["wmo_applications"].sum() > 0
        assert frame["entries_wmo_access"].sum() > 0
    model = step_model(small_scenario(), 60)
    res = model.residents
    rows = np.flatnonzero((res.status == TEAM) & (res.limitation > 0.3))
    assert len(rows) > 0
    res.severity[:, rows] = 0.0
    res.severity[PHYSICAL, rows] = res.limitation[rows]
    model.casework.close_resolved()
    assert (res.status[rows] != TEAM).all()


def test_households_sent_to_debt_counselling_apply_only_with_the_uptake_chance():
    """Without uptake no household the access sends goes onto the debt list; with full uptake all do."""
    for uptake, expect_declined in ((0.0, True), (1.0, False)):
        frame = run_scenario(small_scenario(run__years=1, parameters__debt_referral_uptake=uptake,
                                            **NO_TEAM_OVERRIDES), replications=1, seed=4)
        assert (frame["debt_referrals_declined"].sum() > 0) == expect_declined
        if uptake == 0.0:
            assert frame["entries_debt_access"].sum() == 0
