"""The other actors of an MKBA (housing corporation, income support, residents), the MKBA table,
the council's report and its two languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from babel.messages.pofile import read_po

import translations
from agents.vocabulary import ADULT, ELDERLY, HOUSING, SECOND_LINE, SPEC_DEBT, WORK
from conftest import NO_TEAM, small_scenario
from experiments.council_report import report_html
from experiments.language import Language, LanguageError
from experiments.mkba import LINES, discount_factors, mkba_table
from experiments.runs import run_scenarios
from experiments.national import figure_values
from experiments.targets import load_targets
from model import WijkteamModel, load_scenario
from model.modules.housing import evictions
from model.parameters import WEEKS_PER_YEAR
from test_cli import ROOT, tiny, wijkteam


# --- housing: evictions -----------------------------------------------------------------------

def test_only_corporation_tenants_in_severe_arrears_whom_nobody_helps_are_evicted():
    corporation = np.array([True, True, True, False, True])
    protected = np.array([False, True, False, False, False])
    debt = np.array([0.9, 0.9, 0.5, 0.9, 0.95], np.float32)
    draws = np.array([0.1, 0.1, 0.1, 0.1, 0.6])
    assert list(evictions(corporation, protected, debt, draws, 0.88, 0.5)) == [0]


def test_an_eviction_costs_the_corporation_and_puts_the_adults_in_a_housing_crisis():
    model = WijkteamModel(small_scenario(run__burn_in_weeks=4, parameters__eviction_rate=1.0), rng=3)
    model.run_burn_in()
    res, housing = model.residents, model.housing
    rows = np.flatnonzero(housing.corporation_rent[res.household] & (res.age != 0) & (res.status == 0))[:1]
    household = res.household[rows[0]]
    res.severity[0, res.household == household] = 0.95  # severe arrears, nobody helping
    housing.start_week()
    model.problems.start_buffers()
    housing.evict()
    assert housing.count["evictions"] >= 1
    assert res.severity[HOUSING, rows[0]] >= model.params.crisis_threshold
    costs = model.costs.results()
    assert costs["cost_housing_corporation"] == housing.count["evictions"] * model.params.cost_eviction_corporation


def test_a_household_in_debt_counselling_is_not_evicted():
    model = WijkteamModel(small_scenario(run__burn_in_weeks=4, parameters__eviction_rate=1.0), rng=3)
    model.run_burn_in()
    res, housing = model.residents, model.housing
    housing.corporation_rent[:] = True
    res.severity[0] = 0.95
    res.status[:] = SECOND_LINE
    res.specialist[:] = SPEC_DEBT
    housing.start_week()
    model.problems.start_buffers()
    housing.evict()
    assert housing.count["evictions"] == 0


# --- income support: bijstand ------------------------------------------------------------------

def test_a_household_goes_on_bijstand_when_work_is_lost_and_leaves_only_when_it_is_resolved():
    model = WijkteamModel(small_scenario(run__burn_in_weeks=4), rng=5)
    res, p, income = model.residents, model.params, model.income
    res.severity[WORK] = 0.0
    income.on_bijstand[:] = False
    adult = np.flatnonzero(res.age == ADULT)[:3]
    households = len(np.unique(res.household[adult]))
    res.severity[WORK, adult] = p.bijstand_threshold
    res.severity[WORK, np.flatnonzero(res.age == ELDERLY)[:5]] = 1.0  # pensioners: AOW, not bijstand
    income.start_week()
    income.update()
    out = income.results()
    assert out["households_bijstand"] == out["bijstand_entries"] == households
    assert out["cost_income_support"] == pytest.approx(households * p.cost_bijstand_year / WEEKS_PER_YEAR)
    res.severity[WORK, adult] = (p.bijstand_threshold + p.bijstand_exit_threshold) / 2  # better, not resolved
    income.start_week()
    income.update()
    assert income.results()["households_bijstand"] == households
    res.severity[WORK, adult] = p.bijstand_exit_threshold * 0.9
    income.start_week()
    income.update()
    assert income.results()["households_bijstand"] == 0 and income.count["bijstand_exits"] == households


def test_current_practice_meets_the_eviction_and_bijstand_base_rates():
    """The two base rates set by experiments/base_rates.py hold at the defaults (within the targets' intervals);
    the checks the model misses stay where they were measured."""
    scenario = load_scenario(ROOT / "scenarios" / "current_practice.toml", overrides={"run.years": 3})
    frame = run_scenarios([scenario], 3, 11, 2)
    values = figure_values(frame[frame["week"] >= 0])
    targets = {t.name: t for t in load_targets(ROOT / "data" / "targets" / "netherlands.toml").targets}
    bijstand = targets["bijstand"]
    assert bijstand.low <= values["bijstand_household_share"] <= bijstand.high
    # a known miss (README): the model's severe work-and-income problems resolve about 2.5 times slower
    # than CBS's bijstand spells end; this fails, to be looked at again, if that changes
    assert 0.04 < values["bijstand_outflow_share"] < targets["bijstand_outflow"].low
    # known misses too (README, issue 18): GGZ waits about a third of NZa's 14 weeks, the first debt
    # appointment about three times NVVK's 11 days
    assert 2.0 < values["ggz_wait_weeks"] < targets["ggz_wait"].low
    assert targets["debt_wait"].high < values["debt_wait_weeks"] < 8.0
    evicted = targets["evictions"]  # rare: about one a year in a wijk, so only the order of magnitude
    assert evicted.low / 3 <= values["evictions_per_1000_corporation_households"] <= evicted.high * 3


# --- the MKBA table ------------------------------------------------------------------------------

def synthetic(saving_column: str, saving: float, weeks: int = 3 * WEEKS_PER_YEAR) -> pd.DataFrame:
    """Two scenarios, two runs each, equal but for ``saving`` euros a week on one line."""
    frames = []
    for name, minus in (("null", 0.0), ("project", saving)):
        for run in range(2):
            frame = pd.DataFrame({"scenario": name, "replication": run, "week": np.arange(weeks),
                                  "residents": 1000.0, "residents_noticeable_problem": 100.0, "evictions": 0.0})
            frame["year"] = frame["week"] // WEEKS_PER_YEAR
            for line in LINES:
                frame[line.column] = 1000.0
            frame[saving_column] -= minus
            frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def test_a_line_saved_is_its_discounted_sum_and_counts_for_its_actor_and_society():
    table = mkba_table(synthetic("cost_municipality_youth", 100.0), 0.03).set_index(["actor", "line"])
    expected = 100.0 * discount_factors(np.arange(3 * WEEKS_PER_YEAR, dtype=float), 0.03).sum()
    assert table.loc[("municipality", "youth care"), "mean"] == pytest.approx(expected)
    assert table.loc[("municipality", "total"), "mean"] == pytest.approx(expected)
    assert table.loc[("society (without transfers)", "total"), "mean"] == pytest.approx(expected)
    assert table.loc[("municipality", "youth care"), "per_resident_mean"] == pytest.approx(expected / 1000)
    assert table.loc[("municipality", "budget after 2 years"), "mean"] == pytest.approx(100.0 * 2 * WEEKS_PER_YEAR)
    assert table.loc[("health insurer", "total"), "mean"] == 0.0


def test_bijstand_saved_is_the_municipality_s_line_but_not_society_s():
    table = mkba_table(synthetic("cost_income_support", 50.0), 0.0).set_index(["actor", "line"])
    assert table.loc[("municipality", "bijstand benefits (a transfer)"), "mean"] == pytest.approx(50.0 * 156)
    assert table.loc[("municipality", "total"), "mean"] == 0.0
    assert table.loc[("society (without transfers)", "total"), "mean"] == 0.0
    assert table.loc[("municipality", "budget after 2 years"), "mean"] == 0.0


# --- languages -----------------------------------------------------------------------------------

def test_dutch_numbers_money_and_percentages():
    nl, en = Language("nl"), Language("en")
    assert nl.money(1234567) == "EUR 1.234.567"
    assert nl.percent(0.125, 1) == "12,5%"
    assert en.money(1234567) == "EUR 1,234,567"
    assert nl.money(-2_500_000, signed=True, short=True) == "-EUR 2,5 mln"
    with pytest.raises(LanguageError, match="choose one of nl, en"):
        Language("de")


@pytest.mark.parametrize("domain", translations.DOMAINS)
def test_every_message_has_its_dutch_and_the_compiled_catalogue_is_in_step(domain):
    """`make translations` compiled the catalogue after the last change to the .po file."""
    path = translations.directory() / "nl" / "LC_MESSAGES" / f"{domain}.po"
    with path.open("rb") as po:
        catalogue = read_po(po, locale="nl")
    untranslated = [m.id for m in catalogue if m.id and not m.string]
    assert not untranslated, f"{path.name}: no Dutch yet for {untranslated[:5]}"
    nl = Language("nl")
    for message in catalogue:
        if message.id and isinstance(message.id, str):
            assert nl.gettext(message.id) == message.string, f"{domain}.mo is older than {domain}.po"


# --- the council's report ------------------------------------------------------------------------

@pytest.fixture(scope="module")
def two_scenarios():
    scenarios = [small_scenario(name="null", run__years=2, **{f"team__{k.split('.')[1]}": v for k, v in NO_TEAM.items()}),
                 small_scenario(name="team", run__years=2)]
    return scenarios, run_scenarios(scenarios, 2, 4, 2)


def test_the_report_is_self_contained_and_in_the_chosen_language(two_scenarios):
    scenarios, timeseries = two_scenarios
    dutch = report_html(timeseries, scenarios, "2 herhalingen", lang=Language("nl"))
    english = report_html(timeseries, scenarios, "2 replications", lang=Language("en"))
    assert "Netto contante waarde" in dutch and "Gemeentebegroting na 2 jaar" in dutch and "woningcorporatie" in dutch
    assert "Net present value" in english and "Municipal budget after 2 years" in english
    assert "Net present value" not in dutch
    for html in (dutch, english):
        assert "<script" not in html and "http://" not in html.replace('http://www.w3.org', '')
        assert "https://" not in html and "<link" not in html
        assert html.count('src="data:image/png;base64,') == 5
        assert "@page" in html and "A4" in html


def test_compare_report_prints_to_pdf_in_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    a, b = tiny(tmp_path, "a", "[team]\ncommunity = 0\nindividual = 0\ncare = 0"), tiny(tmp_path, "b")
    out = tmp_path / "out"
    result = wijkteam("compare", a, b, "--years", "2", "--replications", "2", "--report", "--out", out, "--quiet",
                      "--workers", "2")
    assert result.returncode == 0, result.stderr
    assert "Instroom tweede lijn" in result.stdout  # the printed table in Dutch by default
    mkba = pd.read_csv(out / "mkba.csv")
    assert {"housing corporation", "residents", "municipality", "health insurer"} <= set(mkba["actor"])
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page()
        page.goto((out / "report.html").as_uri())
        assert page.locator("h1").inner_text() == "Wijkteam: maatschappelijke kosten en baten"
        pdf = page.pdf(format="A4", print_background=True)
        browser.close()
    assert pdf.startswith(b"%PDF") and pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") >= 3


def test_one_scenario_s_report_gives_its_costs_per_actor_without_a_comparison(two_scenarios):
    scenarios, timeseries = two_scenarios
    alone = timeseries[timeseries["scenario"] == "team"]
    html = report_html(alone, scenarios[1:], "2 replications", lang=Language("en"))
    assert "What each alternative costs per actor" in html and "housing corporation" in html
    assert "Net present value" not in html  # nothing to set it against
    assert html.count('src="data:image/png;base64,') == 2


def test_the_report_lists_a_sensitivity_analysis_s_strongest_inputs_above_its_noise_floor(two_scenarios, tmp_path):
    scenarios, timeseries = two_scenarios
    pd.DataFrame({"output": "cost_total", "parameter": ["parameters.cost_fte_year", "(dummy: noise floor)",
                                                        "team.hours_in_wijk"],
                  "median": [0.4, 0.1, 0.2], "mean": 0.0, "minimum": 0.0, "maximum": 0.0, "cv": 0.0}
                 ).to_csv(tmp_path / "indices.csv", index=False)
    html = report_html(timeseries, scenarios, "2 replications", lang=Language("en"), sensitivity=tmp_path)
    assert html.index("parameters.cost_fte_year") < html.index("team.hours_in_wijk")
    assert "noise floor (0.10)" in html
    assert "CAO" in html or "cost_fte_year" in html


def test_sensitivity_without_report_or_indices_gives_one_line(tmp_path):
    scenario = ROOT / "scenarios" / "recommended.toml"
    other = tmp_path / "other"
    other.mkdir()
    pd.DataFrame({"output": ["crisis_entries_per_1000"], "parameter": ["team.hours_in_wijk"], "median": [0.3]}
                 ).to_csv(other / "indices.csv", index=False)
    for args, fragment in (((scenario, "--sensitivity", tmp_path), "--sensitivity goes with --report"),
                           ((scenario, "--report", "--sensitivity", tmp_path), "no indices.csv"),
                           ((scenario, "--report", "--sensitivity", other), "no indices for the output cost_total")):
        result = wijkteam("run", *args, "--out", tmp_path / "out")
        assert result.returncode == 2
        assert fragment in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_figures_number_their_axes_in_the_reader_s_format(two_scenarios):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from experiments.figures import competence_trust_figure, prepare

    _, timeseries = two_scenarios
    frame, colours = prepare(timeseries)
    for code, quarter in (("nl", "0,25"), ("en", "0.25")):
        fig = competence_trust_figure(frame, colours, lang=Language(code))
        FigureCanvasAgg(fig).draw()
        assert quarter in [label.get_text() for label in fig.axes[0].get_yticklabels()]
