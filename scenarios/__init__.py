"""The bundled scenarios: TOML files shipped with the package and found through importlib.resources,
so that an installed ``wijkteam`` (not only a clone) has them.

A bundled scenario is named by its file name without ``.toml``, with ``-`` or ``_`` between words
(``no-team`` and ``no_team`` are the same scenario).
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from pathlib import Path


def directory() -> Path:
    """The folder the bundled scenario files are in."""
    return Path(str(files(__name__)))


def bundled() -> dict[str, Path]:
    """Every bundled scenario by name (``no-team``), in file order."""
    return {path.stem.replace("_", "-"): path for path in sorted(directory().glob("*.toml"))}


def find(name: str) -> Path | None:
    """The file of the bundled scenario ``name`` (``no-team``, ``no_team`` or ``no_team.toml``), or None."""
    key = name.removesuffix(".toml").replace("_", "-")
    return bundled().get(key)


def question(path: Path) -> str:
    """The first sentence of a scenario's description: the question it answers."""
    description = tomllib.loads(path.read_text(encoding="utf-8")).get("description", "")
    text = " ".join(description.split())
    return text.split(". ")[0].rstrip(".") + "." if text else ""
