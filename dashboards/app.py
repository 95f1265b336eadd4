"""The wijkteam dashboard: Explore, Compare and Learn, as tabs of one page.

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

TITLE = "Wijkteam simulator"


@solara.component
def Layout(children=[]):  # noqa: B006 (solara's layout signature)
    """The app bar with one tab per view; Explore's title comes from SolaraViz itself."""
    route, routes = solara.use_route(peek=True)
    router = solara.use_router()
    index = routes.index(route) if route in routes else 0

    def go(i: int):
        path = routes[i].path
        router.push("/" if path == "/" else f"/{path}")

    with solara.AppLayout(children=children, title=TITLE):
        with solara.AppBar():
            with solara.lab.Tabs(value=index, on_value=go, align="center"):
                for r in routes:
                    solara.lab.Tab(r.label)


routes = [
    solara.Route(path="/", component=Explore, label="Explore", layout=Layout),  # the root layout serves all views
    solara.Route(path="compare", component=Compare, label="Compare"),
    solara.Route(path="learn", component=Learn, label="Learn"),
]
