"""Translation catalogues (gettext, managed with Babel), shipped as package data.

Messages are written in English in the code; ``nl/LC_MESSAGES/<domain>.po`` holds
their Dutch. ``make translations`` extracts new messages, updates the catalogues and
compiles the ``.mo`` files the programs read (the tests check they are in step).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

DOMAINS = ("reports", "dashboard")


def directory() -> Path:
    """The folder the catalogues are in."""
    return Path(str(files(__name__)))
