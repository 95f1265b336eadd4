"""The wijkteam dashboard: Explore, Compare and Learn, as tabs of one page, in Dutch or English.

Start with ``wijkteam dashboard`` (or ``make dashboard``); it runs
``solara run dashboards/app.py`` with the settings needed offline.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `solara run` imports this file by path

import solara  # noqa: E402
import solara.lab  # noqa: E402

from dashboards.compare import Compare  # noqa: E402
from dashboards.explore import Explore  # noqa: E402
from dashboards.learn import Learn  # noqa: E402
from dashboards.widgets import LanguageSwitch, choose_from_query, tr  # noqa: E402
from experiments.language import N_  # noqa: E402

TITLE = N_("Wijkteam simulator")
APP_BAR_CSS = """
.wt-language { margin-left: 16px; }
.wt-language .v-btn { min-width: 40px !important; }
"""


@solara.component
def Layout(children=[]):  # noqa: B006 (solara's layout signature)
    """The app bar: the title, one tab per view and the NL | EN switch."""
    route, routes = solara.use_route(peek=True)
    router = solara.use_router()
    index = routes.index(route) if route in routes else 0
    solara.use_effect(lambda: choose_from_query(router.search), [])  # ?lang=en on the first page opened

    def go(i: int):
        path = routes[i].path
        router.push("/" if path == "/" else f"/{path}")

    solara.Style(APP_BAR_CSS)
    with solara.AppLayout(children=children, title=tr(TITLE)):
        with solara.AppBar():
            solara.AppBarTitle(tr(TITLE))
            with solara.lab.Tabs(value=index, on_value=go, align="center"):
                for r in routes:
                    solara.lab.Tab(tr(r.label))
            LanguageSwitch()


routes = [
    solara.Route(path="/", component=Explore, label=N_("Explore"), layout=Layout),  # the root layout serves all views
    solara.Route(path="compare", component=Compare, label=N_("Compare")),
    solara.Route(path="learn", component=Learn, label=N_("Learn")),
]
