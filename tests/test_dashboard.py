"""The dashboard: cheap in-process checks, then end-to-end tests in a real headless Chromium.

The browser tests start `solara run dashboards/app.py` the way `wijkteam dashboard`
does (offline asset cache, no telemetry) and drive Debian's /usr/bin/chromium with
Playwright. The dashboard opens in Dutch; most tests ask for English with `?lang=en`. When Chromium is missing it is installed with apt (root only); the
Solara asset cache is filled from npm when empty. Screenshots go to a temporary
directory; with UPDATE_SCREENSHOTS=1 the README's docs/screenshots/*.png are
refreshed too.
"""

from __future__ import annotations

import inspect
import math
import os
import re
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
import solara

from dashboards.dashboard_model import (BASE_SCENARIO, CHECKBOXES, DEFAULTS, SELECTS, SLIDERS, START_OVERRIDES,
                                        DashboardModel, clamp_inputs)
from dashboards.drawing import SITUATIONS, live_figures, situation_counts, situation_grid
from experiments.language import Language
from model import load_scenario
from model.scenario import SCHEMA

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
README_SHOTS = ROOT / "docs" / "screenshots"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


# --- in process: inputs, model, drawing -------------------------------------------------------------

def test_slider_ranges_lie_inside_the_scenario_schema():
    for name, (key, default, low, high, step, label) in SLIDERS.items():
        spec = SCHEMA[key]
        assert spec.low <= low < high <= spec.high, name
        assert low <= default <= high and step > 0 and label, name
    for name, (key, default, choices, _) in SELECTS.items():
        assert set(choices) == set(SCHEMA[key].choices) and default in choices
    for name, (key, default, _) in CHECKBOXES.items():
        assert SCHEMA[key].kind is bool and isinstance(default, bool)


def test_model_takes_keywords_only_so_solaraviz_can_reset_it():
    parameters = inspect.signature(DashboardModel.__init__).parameters
    assert "scenario" not in parameters  # else SolaraViz would pass a Mesa scenario object on Reset
    assert all(p.kind is p.POSITIONAL_OR_KEYWORD and p.default is not p.empty
               for name, p in parameters.items() if name != "self")
    assert set(parameters) - {"self"} == set(SLIDERS) | set(CHECKBOXES) | set(SELECTS)


def test_inputs_start_at_the_recommended_scenario():
    recommended = load_scenario(BASE_SCENARIO)
    for name, (key, default, *_) in {**SLIDERS, **CHECKBOXES, **SELECTS}.items():
        assert default == START_OVERRIDES.get(key, recommended[key]), name
    parameters = inspect.signature(DashboardModel.__init__).parameters
    assert {name: p.default for name, p in parameters.items() if name != "self"} == DEFAULTS


@pytest.mark.parametrize("bad", [
    {"community": 10**9, "residents": -5, "hours_in_wijk": math.nan, "mandate": "everything"},
    {"community": "three", "turnover_per_year": None, "volunteer_share": math.inf, "seed": "x"},
    {"individual": -1, "care": 2.7, "duo_visits": "yes", "residents": "1e12"},
])
def test_anything_a_user_sets_is_clamped_not_crashing(bad):
    values = clamp_inputs(bad)
    for name, (_, _, low, high, _, _) in SLIDERS.items():
        assert low <= values[name] <= high
    assert values["mandate"] in SELECTS["mandate"][2]
    model = DashboardModel(**{**bad, "residents": 1000})
    model.step()
    assert model.week == 1


def test_model_starts_when_the_team_starts():
    model = DashboardModel(residents=1000, community=1, individual=1, care=1)
    assert model.week == 0 and model.time == 0 and model.team is None  # burn-in already done
    model.step()
    assert model.time == 1 and model.team is not None and model.team.size == 3


def test_map_codes_every_household_cell_and_figures_redraw():
    model = DashboardModel(residents=1000)
    grid = situation_grid(model)
    hood = model.neighbourhood
    assert grid.shape == (hood.height, hood.width)
    assert grid.min() >= -1 and grid.max() < len(SITUATIONS)
    lived_in = np.zeros_like(grid, dtype=bool)
    lived_in[model.residents.y, model.residents.x] = True
    assert np.array_equal(grid >= 0, lived_in)
    assert sum(situation_counts(model).values()) == model.residents.n
    figures = live_figures(model, Language("nl"))
    before = {name: figure.png(model) for name, figure in figures.items()}
    assert all(png.startswith(PNG_MAGIC) for png in before.values())
    for _ in range(3):
        model.step()
    after = {name: figure.png(model) for name, figure in figures.items()}
    assert all(after[name] != before[name] for name in figures)


def test_cumulative_costs_axis_grows_once_not_at_every_doubling():
    """A full redraw costs about twice the step budget; the cumulative plot's axis jumps to the
    run's projected end instead of growing by small steps."""
    model = DashboardModel(residents=5000)  # the dashboard's default wijk
    costs = live_figures(model, Language("nl"))["costs"]
    full_draws = []
    draw = costs.canvas.draw
    costs.canvas.draw = lambda: (full_draws.append(model.week), draw())
    for _ in range(110):  # without the projection: full draws in weeks 1, 25 and 54
        model.step()
        costs.png(model)
    assert len(full_draws) <= 2, full_draws  # the first draw, and at most one projection
    axes = costs.fig.axes[0]
    highest = max(np.nanmax(line.get_ydata()) for line in axes.lines)
    assert 0 < highest <= axes.get_ylim()[1]  # every line fits under the top


def test_views_render_in_process():
    from dashboards.compare import Compare
    from dashboards.explore import Explore, explore_model
    from dashboards.learn import Learn

    explore_model.value = DashboardModel(residents=1000)
    for view in (Explore, Compare, Learn):
        box, rc = solara.render(view(), handle_error=False)
        rc.close()


def test_the_language_comes_from_the_environment_and_reaches_the_server(monkeypatch):
    from dashboards.serve import server_env
    from dashboards.widgets import initial_language
    from experiments.language import LanguageError

    monkeypatch.delenv("WIJKTEAM_LANG", raising=False)
    assert initial_language() == "nl"
    monkeypatch.setenv("WIJKTEAM_LANG", "en")
    assert initial_language() == "en"
    monkeypatch.setenv("WIJKTEAM_LANG", "de")
    with pytest.raises(LanguageError):
        initial_language()
    assert server_env(ROOT, "en")["WIJKTEAM_LANG"] == "en"


def test_live_figures_are_drawn_in_the_language_asked_for():
    model = DashboardModel(residents=1000)
    dutch, english = live_figures(model, Language("nl")), live_figures(model, Language("en"))
    assert dutch["second_line"].fig.axes[0].get_title() == "Instroom in de tweede lijn"
    assert english["second_line"].fig.axes[0].get_title() == "Entries into second-line care (tweede lijn)"
    assert dutch["costs"].fig.axes[0].get_xlabel() == "weken sinds de start van het wijkteam"


def test_cli_rejects_a_bad_port():
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "wijkteam") if (ROOT / ".venv").exists() else "wijkteam",
                             "dashboard", "--port", "99999"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "port" in result.stderr and "Traceback" not in result.stderr


# --- the server and the browser ----------------------------------------------------------------------

def ensure_chromium() -> None:
    """Install Debian's chromium with apt when it is missing (browser downloads do not work here)."""
    if CHROMIUM.exists():
        return
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        pytest.fail("the browser tests need /usr/bin/chromium: run 'apt-get install -y chromium' as root")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "chromium", "chromium-driver"], check=True, env=env,
                   capture_output=True)
    assert CHROMIUM.exists()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def dashboard_url(tmp_path_factory):
    """A dashboard server on a free port, started as `wijkteam dashboard` starts it; stopped at the end."""
    from dashboards.serve import fill_cdn_cache, server_command, server_env

    ensure_chromium()
    cache = fill_cdn_cache(quiet=True)
    port = free_port()
    log = (tmp_path_factory.mktemp("dashboard") / "server.log").open("w")
    process = subprocess.Popen(server_command(port), env=server_env(cache), cwd=ROOT, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(url, timeout=5)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"the dashboard server did not start; see {log.name}")
            time.sleep(0.5)
    yield url
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    log.close()
    with open(log.name) as f:
        assert "Could not load URL" not in f.read(), "a front-end file was missing from the offline cache"


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    ensure_chromium()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory):
    return tmp_path_factory.mktemp("screenshots")


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1250})
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    page.close()
    assert not errors, errors


def screenshot(page, shots: Path, name: str, height: int | None = None) -> None:
    if height:
        page.set_viewport_size({"width": 1500, "height": height})
        page.wait_for_timeout(800)
    path = shots / f"{name}.png"
    page.screenshot(path=path)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        README_SHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, README_SHOTS / f"{name}.png")


def images(page) -> list[tuple[int, str]]:
    """(natural width, src) of every <img>: matplotlib figures arrive as blob: URLs."""
    return [tuple(x) for x in page.eval_on_selector_all("img", "els => els.map(e => [e.naturalWidth, e.src])")]


def open_explore(page, url: str, english: bool = True) -> None:
    """The Explore view, in English (``?lang=en``) or in the default language, Dutch."""
    page.goto(url + ("?lang=en" if english else ""), wait_until="domcontentloaded", timeout=60_000)
    page.get_by_role("button", name="Step" if english else "Stap", exact=True).wait_for(timeout=60_000)
    page.wait_for_function("[...document.images].filter(i => i.naturalWidth > 0).length >= 6", timeout=60_000)


def switch_advanced(page) -> None:
    page.locator("label", has_text="Advanced").click()


def week_shown(page) -> int:
    return int(re.search(r"Week (\d+) since the wijkteam started", page.inner_text("body")).group(1))


def move_slider(page, label: str, key: str, presses: int) -> None:
    """Move the slider labelled ``label`` with the keyboard, as a user can."""
    slider = page.locator(".wt-input, .v-input", has_text=label).locator(".v-slider__thumb-container").first
    slider.focus()
    for _ in range(presses):
        page.keyboard.press(key)
    page.wait_for_timeout(300)


def test_explore_draws_the_map_and_the_plots(page, dashboard_url):
    open_explore(page, dashboard_url)
    drawn = images(page)
    assert len(drawn) >= 6 and all(width > 0 and src.startswith("blob:") for width, src in drawn)
    body = page.inner_text("body")
    for tab in ("Explore", "Compare", "Learn"):
        assert page.get_by_role("tab", name=tab).is_visible()
    for text in ("Mandate (mandaat)", "Hours in the wijk", "Agreements with specialists",
                 "Week 0 since the wijkteam started", "problem nobody knows of yet"):
        assert text in body
    page.get_by_text("More help").click()
    page.get_by_text("eigen kracht", exact=True).wait_for(timeout=10_000)  # plain-language help with the Dutch terms
    assert "tweede lijn" in page.inner_text("body")


DUTCH_LABELS = ("Opbouwwerkers", "Uren in de wijk", "Mandaat", "Deze week in de wijk", "probleem dat nog niemand kent",
                "Instellingen van het wijkteam", "Meer uitleg")
ENGLISH_LABELS = ("Community workers", "Hours in the wijk", "Mandate", "This week in the wijk",
                  "problem nobody knows of yet", "Settings of the wijkteam", "More help")


def test_opens_in_dutch_and_switches_to_english(page, dashboard_url):
    open_explore(page, dashboard_url, english=False)
    body = page.inner_text("body")
    assert all(label in body for label in DUTCH_LABELS), body[:2000]
    assert "Community workers" not in body and "Week 0 sinds de start van het wijkteam" in body
    assert all(page.get_by_role("tab", name=tab).is_visible() for tab in ("Verkennen", "Vergelijken", "Leercurve"))
    map_before = images(page)[0][1]
    page.get_by_role("button", name="EN", exact=True).click()
    page.get_by_role("button", name="Step", exact=True).wait_for(timeout=30_000)
    page.wait_for_function("src => document.images[0].src !== src", arg=map_before, timeout=30_000)  # redrawn
    body = page.inner_text("body")
    assert all(label in body for label in ENGLISH_LABELS)
    assert not [label for label in DUTCH_LABELS if label in body]
    assert page.get_by_role("tab", name="Learn").is_visible()
    page.get_by_role("button", name="NL", exact=True).click()
    page.get_by_role("button", name="Stap", exact=True).wait_for(timeout=30_000)


def test_technical_controls_only_with_advanced(page, dashboard_url):
    open_explore(page, dashboard_url)
    technical = ("Play Interval", "Render Interval", "Use Threads", "Page 0")
    assert not [text for text in technical if page.get_by_text(text).first.is_visible()]
    switch_advanced(page)
    page.get_by_text("Render Interval").first.wait_for(timeout=10_000)
    assert all(page.get_by_text(text).first.is_visible() for text in technical)
    switch_advanced(page)
    page.get_by_text("Render Interval").first.wait_for(state="detached", timeout=10_000)
    assert not page.get_by_text("Page 0").first.is_visible()


def test_step_redraws_and_advances_the_week(page, dashboard_url):
    open_explore(page, dashboard_url)
    start = week_shown(page)
    before = images(page)
    for step in (1, 2):  # two weeks: after one, the since-the-start plots still hold a single (invisible) point
        page.get_by_role("button", name="Step").click()
        page.wait_for_function(f"document.body.innerText.includes('Week {start + step} since')", timeout=30_000)
    # the map and the five plots are all redrawn
    page.wait_for_function(
        "before => [...document.images].filter((img, i) => i < before.length && img.src !== before[i]).length >= 6",
        arg=[src for _, src in before], timeout=30_000)
    after = images(page)
    assert sum(a[1] != b[1] for a, b in zip(after, before)) >= 6 and all(a[0] > 0 for a in after)
    assert f"Week {start + 2} since the wijkteam started" in page.inner_text("body")


def test_play_and_pause(page, dashboard_url, shots):
    open_explore(page, dashboard_url)
    start = week_shown(page)
    switch_advanced(page)
    move_slider(page, "Render Interval", "ArrowRight", 5)  # redraw every 11 weeks: a year goes by quickly
    page.get_by_role("button", name="▶").click()
    page.get_by_role("button", name="❚❚").wait_for(timeout=10_000)
    page.wait_for_function(f"(() => {{ const m = document.body.innerText.match(/Week (\\d+) since/);"
                           f" return m && parseInt(m[1]) >= {start + 60}; }})()", timeout=90_000)
    page.get_by_role("button", name="❚❚").click()
    page.get_by_role("button", name="▶").wait_for(timeout=10_000)
    page.wait_for_timeout(1000)
    paused = week_shown(page)
    page.wait_for_timeout(1500)
    assert week_shown(page) == paused > start
    screenshot(page, shots, "explore", height=1250)


def test_slider_then_reset_builds_a_new_team(page, dashboard_url):
    open_explore(page, dashboard_url)
    page.get_by_role("button", name="Step").click()
    page.wait_for_function("document.body.innerText.includes('a team of 7')", timeout=30_000)
    move_slider(page, "Community workers", "ArrowRight", 2)
    page.get_by_role("button", name="Reset").click()
    page.wait_for_function("document.body.innerText.includes('Week 0 since')", timeout=60_000)
    page.get_by_role("button", name="Step").click()
    page.wait_for_function("document.body.innerText.includes('a team of 9')", timeout=30_000)


def headline_cells(page) -> list[str]:
    return page.eval_on_selector_all(".wt-md table td", "els => els.map(e => e.innerText)")


def test_compare_runs_in_the_background_and_shows_numbers_and_figures(page, dashboard_url, shots):
    page.goto(dashboard_url + "compare?lang=en", wait_until="domcontentloaded", timeout=60_000)
    run = page.get_by_role("button", name="Run comparison")
    run.wait_for(timeout=60_000)
    page.get_by_role("button", name="2000").click()
    page.get_by_role("button", name="4", exact=True).click()
    move_slider(page, "Posterior draws per scenario", "ArrowLeft", 4)  # 8 -> 4 draws, 1 replication each
    assert "2 scenario(s) chosen, 8 runs." in page.inner_text("body")
    run.click()
    page.get_by_text("Running…").wait_for(timeout=20_000)
    # the page stays usable while the runs go on: a checkbox still answers
    page.get_by_role("checkbox", name="no-team").check(force=True)
    page.get_by_text("3 scenario(s) chosen").wait_for(timeout=5_000)
    assert page.get_by_text("Running…").is_visible()
    page.get_by_text("Where do the savings land?").wait_for(timeout=120_000)
    page.wait_for_function("[...document.images].filter(i => i.naturalWidth > 0).length >= 6", timeout=30_000)
    first_cells = headline_cells(page)
    first_images = images(page)
    assert any(re.search(r"\d", cell) for cell in first_cells)
    body = page.inner_text("body")
    assert "current-practice" in body and "saves" in body
    # the decision in plain words, over the posterior's draws
    assert "4 posterior draws x 1 replication: parameter uncertainty" in body
    assert re.search(r"Chance that recommended costs less than current-practice over 4 years: \d+%", body)
    assert "pays for itself" in body
    assert page.get_by_role("button", name="Download the numbers (CSV)").is_visible()
    assert page.get_by_role("button", name="Download PNG").count() == 7  # the MKBA figure among them
    # the MKBA per actor, the new actors included, and the same report as the command line's --report
    assert "Costs and benefits per actor (MKBA)" in body
    assert "housing corporation" in body and "residents: problem-years avoided" in body
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download the report (HTML, prints to PDF)").click()
    report = download.value.path().read_text(encoding="utf-8")
    assert "<h1>Wijkteam: social costs and benefits</h1>" in report and "Net present value" in report

    # a second run with three scenarios: other numbers, other figures
    run.click()
    page.wait_for_function("document.body.innerText.includes('no-team') && document.querySelector('.wt-md table')"
                           " && document.querySelector('.wt-md table').querySelectorAll('th').length >= 4",
                           timeout=120_000)  # the headline table, now with three scenarios
    page.wait_for_function("[...document.images].filter(i => i.naturalWidth > 0).length >= 6", timeout=30_000)
    assert headline_cells(page) != first_cells
    assert [src for _, src in images(page)] != [src for _, src in first_images]
    screenshot(page, shots, "compare", height=2300)


def test_learn_runs_and_plays_year_by_year(page, dashboard_url, shots):
    page.goto(dashboard_url + "learn?lang=en", wait_until="domcontentloaded", timeout=60_000)
    page.get_by_role("button", name="Run the learning curve").wait_for(timeout=60_000)
    page.get_by_role("button", name="1000").click()
    move_slider(page, "Replications", "ArrowLeft", 2)  # 3 -> 1
    page.get_by_role("button", name="Run the learning curve").click()
    page.get_by_role("button", name="▶ Play year by year").wait_for(timeout=120_000)
    page.wait_for_function("[...document.images].filter(i => i.naturalWidth > 0).length >= 1", timeout=30_000)
    assert "At the end of year 6" in page.inner_text("body")
    page.get_by_role("button", name="▶ Play year by year").click()
    page.get_by_text("Showing year 1 of 6").wait_for(timeout=30_000)
    first = images(page)
    page.get_by_text("Showing year 2 of 6").wait_for(timeout=30_000)
    page.wait_for_function("src => document.images[0] && document.images[0].src !== src", arg=first[0][1],
                           timeout=30_000)
    assert re.search(r"At the end of year [2-6]", page.inner_text("body"))
    page.get_by_role("button", name="❚❚ Pause").click()
    screenshot(page, shots, "learn", height=1500)
