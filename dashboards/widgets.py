"""Small shared pieces of the views: the session's language, PNG images, downloads, numbers.

The dashboard speaks Dutch by default (its users are Dutch municipalities) and English
on request. The language is a per-session ``solara.reactive``: a component that reads
it (through ``tr`` or ``lang``) renders again when it changes. Messages stay English in
the code inside ``tr(...)`` (or ``N_(...)`` where they are defined as constants), so
``make translations`` extracts them into the ``dashboard`` catalogue.
"""

from __future__ import annotations

import io
import math
import os

import reacton.ipywidgets as rw
import solara
from matplotlib.figure import Figure

from experiments.language import DEFAULT, LANGUAGES, Language, check


def initial_language() -> str:
    """The language a new session starts in: WIJKTEAM_LANG (set by ``wijkteam dashboard --lang``), else Dutch."""
    code = os.environ.get("WIJKTEAM_LANG", DEFAULT).strip().lower() or DEFAULT
    return check(code)


language = solara.reactive(initial_language())  # this browser session's language code
advanced = solara.reactive(False)  # show the technical controls of the Explore view


def lang() -> Language:
    """The session's language (reading it makes the calling component follow a switch)."""
    return Language(language.value)


def tr(message: str) -> str:
    """``message`` in the session's language."""
    return lang().gettext(message)


def choose_from_query(search: str | None) -> None:
    """Switch to the language in a URL query such as ``lang=en``, if it names one we have."""
    from urllib.parse import parse_qs

    code = parse_qs(search or "").get("lang", [""])[0].lower()
    if code in LANGUAGES:
        language.value = code


@solara.component
def LanguageSwitch():
    """NL | EN toggle buttons for the app bar."""
    solara.ToggleButtonsSingle(value=language.value.upper(), values=[code.upper() for code in LANGUAGES],
                               on_value=lambda code: language.set(code.lower()), dense=True,
                               classes=["wt-language"])


def number(value: float, digits: int = 1) -> str:
    """A number for a table in the reader's format: large ones whole, small ones with decimals."""
    if value is None or not math.isfinite(value):
        return "–"
    if abs(value) >= 100:
        return lang().number(value)
    return lang().number(value, digits if abs(value) >= 1 else digits + 1)


def money(euros: float, signed: bool = False) -> str:
    """Whole euros in the reader's format (EUR 1.234.567 in Dutch); whole, so intervals stay apart."""
    return lang().money(euros, signed=signed)


def percent(share: float) -> str:
    """A share as a whole percentage in the reader's format."""
    return lang().percent(share)


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """A figure as PNG bytes (the figure is cleared afterwards; nothing stays in pyplot)."""
    out = io.BytesIO()
    fig.savefig(out, format="png", dpi=dpi)
    fig.clear()
    return out.getvalue()


@solara.component
def PngImage(png: bytes, width: str = "100%"):
    """A PNG shown as an <img> (the browser gets it as a blob)."""
    return rw.Image(value=png, format="png", layout={"width": width, "max_width": "100%", "height": "auto"})


TABLE_CSS = """<style>
.wt-md table {border-collapse: collapse; margin: 6px 0 12px 0; font-size: 13px;}
.wt-md th, .wt-md td {border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top;}
.wt-md th {background: #f3f6fa;}
.wt-md p, .wt-md li {font-size: 14px; line-height: 1.45;}
</style>"""


@solara.component
def Md(text: str, style: str = ""):
    """Markdown as plain HTML (solara.Markdown would load mermaid.js from the CDN, which is offline here)."""
    import markdown

    html = solara.use_memo(lambda: markdown.markdown(text, extensions=["tables"]), [text])
    return solara.HTML(tag="div", unsafe_innerHTML=TABLE_CSS + html, classes=["wt-md"], style=style)


@solara.component
def Caption(text: str):
    """A short grey help line under an input."""
    solara.Text(text, style="font-size: 12px; color: #555; line-height: 1.3")


@solara.component
def RunProgress(progress: float | None, detail: str):
    """A progress bar and a line of text while runs go on in the background."""
    share = progress or 0.0
    solara.ProgressLinear(value=max(share, 1.0))
    solara.Text(tr("Running… {share}% {detail}").format(share=lang().number(share), detail=detail))
