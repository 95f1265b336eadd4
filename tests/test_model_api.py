"""The Python API of interface.md: WijkteamModel, run_scenario, reproducibility."""

from __future__ import annotations

import mesa
import numpy as np
import pandas as pd

from agents import GeneralistAgent, ResidentAgent, SpecialistAgent, VolunteerAgent
from conftest import small_scenario
from experiments import run_scenario
from model import WijkteamModel
from agents.vocabulary import PLACES
from model.recorder import INTERFACE_COLUMNS


def test_model_is_a_mesa_model_with_all_four_agent_kinds_on_the_grid():
    scenario = small_scenario(run__burn_in_weeks=2)
    model = WijkteamModel(scenario, rng=7)
    assert isinstance(model, mesa.Model)
    assert model.week == -2
    model.step()
    model.step()
    assert model.week == 0
    model.step()  # the team starts at week 0
    kinds = {type(agent) for agent in model.agents}
    assert {ResidentAgent, VolunteerAgent, GeneralistAgent, SpecialistAgent} <= kinds
    residents = model.agents_by_type[ResidentAgent]
    assert len(residents) == scenario["neighbourhood.residents"]
    assert all(agent.cell is not None for agent in model.agents)
    assert len(model.agents_by_type[GeneralistAgent]) == scenario.team_size
    assert len(model.neighbourhood.places) == len(PLACES)


def test_run_scenario_returns_every_interface_column():
    scenario = small_scenario(run__years=1, run__burn_in_weeks=4)
    frame = run_scenario(scenario, replications=2, seed=3)
    assert isinstance(frame, pd.DataFrame)
    for column in ("scenario", "replication", "week", "year", *INTERFACE_COLUMNS):
        assert column in frame.columns, column
    assert len(frame) == 2 * (4 + 52)
    assert frame["week"].min() == -4 and frame["week"].max() == 51
    for column in ("team_competence", "mean_trust", "cases_with_debt_share", "grid_coverage"):
        values = frame[column].dropna()
        assert values.between(0, 1).all(), column
    assert frame.loc[frame.week < 0, "cost_team"].eq(0).all()
    assert frame.loc[frame.week >= 0, "cost_team"].gt(0).all()


def test_same_seed_same_output_and_different_seeds_differ():
    scenario = small_scenario(run__years=1)
    first = run_scenario(scenario, replications=1, seed=11)
    again = run_scenario(scenario, replications=1, seed=11)
    other = run_scenario(scenario, replications=1, seed=12)
    pd.testing.assert_frame_equal(first, again)
    assert not np.allclose(first["mean_severity"], other["mean_severity"])


def test_scenarios_share_random_streams_until_the_team_starts():
    """Common random numbers: a team scenario and the no-team one see the same burn-in."""
    with_team = run_scenario(small_scenario(run__years=1), replications=1, seed=5)
    without = run_scenario(small_scenario(run__years=1, team__community=0, team__individual=0, team__care=0),
                           replications=1, seed=5)
    burn_in = with_team.week < 0
    np.testing.assert_array_equal(with_team.loc[burn_in, "mean_severity"], without.loc[burn_in, "mean_severity"])
    assert not np.allclose(with_team.loc[~burn_in, "mean_severity"], without.loc[~burn_in, "mean_severity"])


def test_model_accepts_seed_sequence_and_generator():
    scenario = small_scenario(run__years=1, run__burn_in_weeks=1)
    a = WijkteamModel(scenario, rng=np.random.SeedSequence(4))
    b = WijkteamModel(scenario, rng=np.random.SeedSequence(4))
    for _ in range(5):
        a.step()
        b.step()
    np.testing.assert_array_equal(a.residents.severity, b.residents.severity)
    WijkteamModel(scenario, rng=np.random.default_rng(1)).step()
