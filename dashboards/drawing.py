"""Figures of the Explore view: the neighbourhood map and the live plots, cheap enough to redraw every step.

Redrawing a matplotlib figure from scratch costs far more than a model step,
so each figure is built once per model and kept (``LiveFigure``): its static
part (axes, ticks, labels, legend, places on the map) is drawn once and
cached as a bitmap, and each step only the changing artists (the household
image, the professionals, the plot lines) are drawn over it and the bitmap is
encoded to PNG with fast compression. The households are one ``imshow`` of
a small integer array (one code per cell: the most worrying situation among
the households there), never one marker per resident. The plots read the
recorder's preallocated arrays directly instead of building a DataFrame.
Their x axis spans the whole run, so the background only needs redrawing
when a y axis has to grow. The texts are English, marked with ``N_``, and drawn
in the language passed in; each language gets figures of its own.
"""

from __future__ import annotations

import io
import math
import threading

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter
from PIL import Image

from agents.vocabulary import (BASE, CARE, CENTRE, COMMUNITY, FOLLOWED, GP, INDIVIDUAL, LIGHTER, NONE, SCHOOL,
                           SECOND_LINE, STATUSES, TEAM, VOLUNTEER, WAITING)
from experiments.language import N_, Language

DPI = 80
HISTORY_WEEKS = 52  # weeks of the burn-in shown before the team starts

# Household situations, from least to most worrying; a cell shows the highest code among its households.
SITUATIONS = (
    (N_("no problem"), "#d9f0d3"),
    (N_("with a volunteer (vrijwilliger)"), "#a6cee3"),
    (N_("in lighter care after the second line"), "#b2df8a"),
    (N_("with the wijkteam"), "#1f78b4"),
    (N_("problem nobody knows of yet"), "#ff9f40"),
    (N_("waiting for second-line care"), "#ffd92f"),
    (N_("in second-line care (tweede lijn)"), "#d7301f"),
)
EMPTY_COLOUR = "#f2f2f2"
NO_PROBLEM, WITH_VOLUNTEER, IN_LIGHTER_CARE, WITH_TEAM, UNKNOWN, WAITING_CODE, IN_SECOND_LINE = range(len(SITUATIONS))
CMAP = ListedColormap([EMPTY_COLOUR] + [c for _, c in SITUATIONS])

_BY_STATUS = np.zeros(len(STATUSES), dtype=np.int8)  # status code -> situation; NONE is split by severity
_BY_STATUS[[TEAM, FOLLOWED]] = WITH_TEAM
_BY_STATUS[LIGHTER] = IN_LIGHTER_CARE
_BY_STATUS[VOLUNTEER] = WITH_VOLUNTEER
_BY_STATUS[WAITING] = WAITING_CODE
_BY_STATUS[SECOND_LINE] = IN_SECOND_LINE

KIND_MARKERS = {COMMUNITY: ("^", N_("community worker")), INDIVIDUAL: ("o", N_("individual support")),
                CARE: ("s", N_("care (wijkverpleging)"))}
PLACE_LABELS = {CENTRE: N_("community centre"), SCHOOL: N_("school"), GP: N_("GP & specialists"), BASE: N_("team base")}


def situations(model) -> np.ndarray:
    """One situation code per resident."""
    res = model.residents
    codes = _BY_STATUS.take(res.status)
    unknown = (res.status == NONE) & (res.severity.max(axis=0) >= model.params.notice_threshold)
    codes[unknown] = UNKNOWN
    return codes


def situation_grid(model) -> np.ndarray:
    """(height, width) array: -1 where nobody lives, else the most worrying situation in the cell."""
    hood, res = model.neighbourhood, model.residents
    grid = np.full(hood.width * hood.height, -1, dtype=np.int8)
    np.maximum.at(grid, res.y * hood.width + res.x, situations(model))
    return grid.reshape(hood.height, hood.width)


def situation_counts(model) -> dict[str, int]:
    """Residents per situation."""
    counts = np.bincount(situations(model), minlength=len(SITUATIONS))
    return {label: int(n) for (label, _), n in zip(SITUATIONS, counts, strict=True)}


# --- a figure with a cached background ----------------------------------------------------------------

class LiveFigure:
    """A figure whose static part is drawn once; ``png()`` draws the animated artists over it."""

    def __init__(self, fig: Figure, update):
        self.fig = fig
        self.canvas = FigureCanvasAgg(fig)
        self.update = update  # update(model) -> the artists to draw this frame
        self.background = None
        self.background_key = None
        self.lock = threading.Lock()

    def _key(self):
        return tuple((ax.get_xlim(), ax.get_ylim()) for ax in self.fig.axes)

    def png(self, model) -> bytes:
        with self.lock:
            artists = self.update(model)
            if self.background is None or self._key() != self.background_key:
                self.canvas.draw()  # animated artists are left out of a full draw
                self.background = self.canvas.copy_from_bbox(self.fig.bbox)
                self.background_key = self._key()
            self.canvas.restore_region(self.background)
            for artist in artists:
                self.fig.draw_artist(artist)
            image = Image.frombuffer("RGBA", self.canvas.get_width_height(), self.canvas.buffer_rgba())
            out = io.BytesIO()
            image.convert("RGB").save(out, format="PNG", compress_level=1)
            return out.getvalue()


def live_figures(model, lang: Language) -> dict[str, LiveFigure]:
    """The map and the plots of this model in ``lang``, built on first use and kept on the model."""
    by_language = model.__dict__.setdefault("_dashboard_figures", {})
    if lang.code not in by_language:
        by_language[lang.code] = {"map": map_figure(model, lang),
                                  **{name: make(model, lang) for name, make in PLOTS.items()}}
    return by_language[lang.code]


# --- the map ----------------------------------------------------------------------------------------------

def map_figure(model, lang: Language) -> LiveFigure:
    """The wijk: households by situation, the places, and where each team member was this week."""
    tr = lang  # a Language translates when called; `tr(...)` marks the messages for extraction
    hood = model.neighbourhood
    fig = Figure(figsize=(5.9, 3.8), dpi=DPI)
    ax = fig.add_axes((0.01, 0.01, 0.54, 0.98))
    image = ax.imshow(situation_grid(model), cmap=CMAP, vmin=-1.5, vmax=len(SITUATIONS) - 0.5,
                      interpolation="nearest", origin="lower", animated=True)
    places = hood.places  # drawn over the households each frame, so animated too
    place_artists = [ax.scatter(places[:, 0], places[:, 1], marker="*", s=150, c="white", edgecolors="black",
                                linewidths=0.8, animated=True)]
    for place, label in PLACE_LABELS.items():
        x, y = places[place]
        place_artists.append(ax.annotate(tr(label), (x, y), xytext=(5, 3), textcoords="offset points", fontsize=7,
                                         fontweight="bold", animated=True))
    ax.set_xlim(-0.5, hood.width - 0.5)
    ax.set_ylim(-0.5, hood.height - 0.5)
    ax.set_xticks([])
    ax.set_yticks([])
    members = {kind: ax.scatter([], [], marker=marker, s=60, c="black", edgecolors="white", linewidths=1.1,
                                animated=True)
               for kind, (marker, _) in KIND_MARKERS.items()}
    handles = [Patch(color=c, label=tr(label)) for label, c in SITUATIONS]
    handles += [Line2D([], [], ls="", marker="*", markersize=10, markerfacecolor="white", markeredgecolor="black",
                       label=tr("place"))]
    handles += [Line2D([], [], ls="", marker=m, color="black", label=tr(label))
                for m, label in KIND_MARKERS.values()]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.59, 0.5), fontsize=7, frameon=False,
               title=tr("Households (a square shows\nthe most worrying one)\nand professionals"), title_fontsize=7,
               alignment="left")
    jitter = np.random.default_rng(0).uniform(-0.35, 0.35, (200, 2))  # colleagues on one cell stay visible

    def update(model):
        image.set_data(situation_grid(model))
        artists = [image, *place_artists]
        team = model.team
        if team is not None:
            xy = np.array([m.cell.coordinate for m in team.members], dtype=float).reshape(-1, 2)
            xy += jitter[: len(xy)] if len(xy) <= len(jitter) else 0.0
            kinds = np.array([m.kind for m in team.members])
            for kind, scatter in members.items():
                scatter.set_offsets(xy[kinds == kind])
                artists.append(scatter)
        return artists

    return LiveFigure(fig, update)


# --- live plots ---------------------------------------------------------------------------------------------

def series(model, *columns: str, since: int = -HISTORY_WEEKS) -> tuple[np.ndarray, list[np.ndarray]]:
    """Weeks and the recorded values of ``columns`` from week ``since`` on, straight from the recorder."""
    rec = model.recorder
    start = min(max(0, since - rec.first_week), rec.n)
    weeks = np.arange(rec.first_week + start, rec.first_week + rec.n)
    return weeks, [rec.column(c, start) for c in columns]


def smooth(values: np.ndarray, weeks: int = 4) -> np.ndarray:
    """Trailing mean over ``weeks`` (weekly counts are noisy)."""
    if len(values) == 0:
        return values
    csum = np.cumsum(np.nan_to_num(values))
    out = csum.copy()
    out[weeks:] = csum[weeks:] - csum[:-weeks]
    return out / np.minimum(np.arange(1, len(values) + 1), weeks)


def nice_top(value: float, room: float = 1.25, steps=(1, 2, 5, 10)) -> float:
    """A round upper limit at least ``room`` times ``value`` (by default 1, 2 or 5 times a power of ten)."""
    if not np.isfinite(value) or value <= 0:
        return 1.0
    target = value * room
    power = 10 ** math.floor(math.log10(target))
    return next(m * power for m in steps if m * power >= target)


def _plot(model, lang: Language, title: str, ylabel: str, labels_colours, since: int = -HISTORY_WEEKS,
          fixed_top=None, ncols=2):
    """A plot over the whole run with one animated line per series; returns the figure, axes and lines.
    The texts are English messages, translated here."""
    tr = lang
    fig = Figure(figsize=(5.0, 3.2), dpi=DPI, layout="constrained")
    ax = fig.add_subplot()
    first = max(since, -model.burn_in_weeks)
    if first < 0:
        ax.axvspan(first, 0, color="0.9", lw=0)
        ax.text(first / 2, 0.03, tr("before\nthe team"), transform=ax.get_xaxis_transform(), ha="center",
                va="bottom", fontsize=7, color="0.4")
        ax.axvline(0, color="0.4", ls="--", lw=0.8)
    ax.set_xlim(first, model.horizon_weeks)
    ax.set_ylim(0, fixed_top or 1.0)
    ax.set_title(tr(title), fontsize=10)
    ax.set_ylabel(tr(ylabel), fontsize=8)
    ax.set_xlabel(tr("weeks since the wijkteam started"), fontsize=8)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: lang.tick(value)))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda value, _: lang.tick(value)))
    ax.tick_params(labelsize=7)
    ax.grid(axis="y", color="0.92")
    lines = [ax.plot([], [], lw=1.5, color=colour, animated=True)[0] for _, colour in labels_colours]
    fig.legend(handles=[Line2D([], [], color=c, lw=1.5, label=tr(label)) for label, c in labels_colours],
               fontsize=7, loc="outside lower center", frameon=False, ncols=ncols)
    return fig, ax, lines


def _line_plot(model, lang, columns, title, ylabel, labels_colours, transform=None, since=-HISTORY_WEEKS,
               fixed_top=None, ncols=2, cumulative=False) -> LiveFigure:
    """A live plot whose y axis grows when a line nears its top. A ``cumulative`` plot grows
    it at once to where the lines are heading by the end of the run (their pace so far), so
    it is redrawn in full once or twice a run, not at every doubling."""
    fig, ax, lines = _plot(model, lang, title, ylabel, labels_colours, since, fixed_top, ncols)

    def update(model):
        weeks, values = series(model, *columns, since=since)
        if transform is not None:
            values = transform(values)
        for line, v in zip(lines, values, strict=True):
            line.set_data(weeks, v)
        if fixed_top is None:
            top = max((np.nanmax(v) for v in values if len(v) and np.isfinite(v).any()), default=0.0)
            if top > 0.95 * ax.get_ylim()[1]:
                if cumulative and model.week > 0:  # the end of the run at the pace so far, closely rounded
                    ax.set_ylim(0, nice_top(top * max(1.0, model.horizon_weeks / model.week), room=1.1,
                                            steps=(1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10)))
                else:
                    ax.set_ylim(0, nice_top(top))
        return lines

    return LiveFigure(fig, update)


def second_line_plot(model, lang: Language) -> LiveFigure:
    return _line_plot(model, lang, ("second_line_entries", "crisis_entries"),
                      N_("Entries into second-line care (tweede lijn)"), N_("residents per week\n(4-week mean)"),
                      [(N_("all entries"), "#d7301f"), (N_("of which crises"), "#67000d")],
                      transform=lambda values: [smooth(v) for v in values])


def caseload_plot(model, lang: Language) -> LiveFigure:
    return _line_plot(model, lang, ("team_caseload", "waiting", "with_volunteer"), N_("Caseload"), N_("residents"),
                      [(N_("with the wijkteam"), "#1f78b4"), (N_("waiting for second-line care"), "#e6ab02"),
                       (N_("with a volunteer"), "#a6cee3")])


def competence_trust_plot(model, lang: Language) -> LiveFigure:
    return _line_plot(model, lang, ("team_competence", "team_integration", "mean_trust"),
                      N_("Team competence and integration, residents' trust"), N_("0 = none, 1 = full"),
                      [(N_("competence (deskundigheid)"), "#1b9e77"), (N_("integration (teamvorming)"), "#7570b3"),
                       (N_("trust in the team (vertrouwen)"), "#d95f02")], fixed_top=1.05)


HOURS = (("casework_hours", N_("casework"), "#1b9e77"), ("presence_hours", N_("presence in the wijk"), "#d95f02"),
         ("networking_hours", N_("networking"), "#7570b3"), ("coordination_hours", N_("coordination"), "#e7298a"),
         ("admin_hours", N_("administration"), "#666666"))


def hours_plot(model, lang: Language) -> LiveFigure:
    return _line_plot(model, lang, tuple(c for c, _, _ in HOURS), N_("Team hours by activity"),
                      N_("hours per week (whole team)"), [(label, c) for _, label, c in HOURS], since=0, ncols=3)


BUDGETS = (("cost_municipality_team", N_("municipality: wijkteam"), "#1f78b4"),
           ("cost_municipality_youth", N_("municipality: youth care"), "#33a02c"),
           ("cost_municipality_wmo", N_("municipality: Wmo"), "#ff7f00"),
           ("cost_municipality_debt", N_("municipality: debt counselling"), "#e31a1c"),
           ("cost_municipality_work", N_("municipality: work and income"), "#b15928"),
           ("cost_insurer", N_("health insurer (Zvw)"), "#6a3d9a"))


def costs_plot(model, lang: Language) -> LiveFigure:
    return _line_plot(model, lang, tuple(c for c, _, _ in BUDGETS),
                      N_("Costs per budget holder since the team started"), N_("million euro (cumulative)"),
                      [(label, c) for _, label, c in BUDGETS],
                      transform=lambda values: [np.cumsum(np.nan_to_num(v)) / 1e6 for v in values], since=0,
                      ncols=2, cumulative=True)


PLOTS = {"second_line": second_line_plot, "caseload": caseload_plot, "competence_trust": competence_trust_plot,
         "hours": hours_plot, "costs": costs_plot}
