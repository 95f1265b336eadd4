"""Small shared pieces of the views: PNG images, download buttons, number formatting."""

from __future__ import annotations

import io

import reacton.ipywidgets as rw
import solara
from matplotlib.figure import Figure


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


def fmt(value: float, digits: int = 1) -> str:
    """A number for a table: thousands separated, NaN as a dash."""
    if value is None or value != value:
        return "–"
    if abs(value) >= 1e6:
        return f"{value / 1e6:,.2f} M"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:,.{digits}f}" if abs(value) >= 1 else f"{value:.{digits + 1}f}"


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
def RunProgress(progress: float | None, detail: str):
    """A progress bar and a line of text while runs go on in the background."""
    share = progress or 0.0
    solara.ProgressLinear(value=max(share, 1.0))
    solara.Text(f"Running… {share:.0f}% {detail}")
