"""The report's figures: written, valid PNGs, also for one replication and a scenario without a team."""

from __future__ import annotations

import matplotlib
import matplotlib.figure
import pandas as pd
import pytest
from conftest import NO_TEAM, small_scenario

from experiments import run_scenario
from experiments.figures import write_figures

FILES = ("second_line_entries.png", "competence_and_trust.png", "costs_per_budget_holder.png",
         "hours_by_activity.png")
TINY = {"neighbourhood__residents": 1200, "neighbourhood__width": 30, "neighbourhood__height": 30,
        "run__years": 2, "run__burn_in_weeks": 26}


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    """Two scenarios (a team and none), two replications each: small enough to run in seconds."""
    team = small_scenario(**TINY)
    none = small_scenario(**TINY, **{k.replace(".", "__"): v for k, v in NO_TEAM.items()}, name="no-team")
    return pd.concat([run_scenario(team, replications=2, seed=1), run_scenario(none, replications=2, seed=1)],
                     ignore_index=True)


def check_pngs(paths, outdir):
    assert [p.name for p in paths] == list(FILES)
    for path in paths:
        assert path.parent == outdir and path.is_file()
        data = path.read_bytes()
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), path.name
        assert len(data) > 10_000, f"{path.name} is suspiciously small ({len(data)} bytes)"
    assert sorted(p.name for p in outdir.iterdir()) == sorted(FILES), "temporary files left behind"


def test_writes_four_pngs(frame, tmp_path):
    outdir = tmp_path / "figures"  # created if missing
    check_pngs(write_figures(frame, outdir), outdir)


def test_one_replication(frame, tmp_path):
    check_pngs(write_figures(frame[frame["replication"] == 0], tmp_path), tmp_path)


def test_nan_and_missing_columns(frame, tmp_path):
    damaged = frame.drop(columns=["networking_hours"]).copy()
    damaged.loc[damaged.index[::7], ["mean_trust", "cost_insurer", "casework_hours", "second_line_entries"]] = None
    check_pngs(write_figures(damaged, tmp_path), tmp_path)


def test_no_figures_left_open(frame, tmp_path):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    write_figures(frame, tmp_path)
    assert matplotlib.get_backend().lower() == "agg"
    assert plt.get_fignums() == before


def test_interrupted_save_leaves_no_png(frame, tmp_path, monkeypatch):
    def broken(self, *args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        write_figures(frame, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_empty_frame_is_refused(frame, tmp_path):
    with pytest.raises(ValueError, match="empty"):
        write_figures(frame.iloc[:0], tmp_path)
