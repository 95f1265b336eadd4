"""The shared speed anchors, imported from ``../shared/bench/anchors.py`` (never copied here).

Every benchmark that states a ratio measures it beside the same two anchors, in
the same process, so that the ratio means the same on any machine and at any
hour: ``anchors.boltzmann()`` (agent-steps per second of Mesa's own Boltzmann
wealth example: what a plain Mesa model reaches) and ``anchors.kernel()``
(resident-weeks per second of a bare numpy update of six problem domains: near
the limit for this kind of work). ``WIJKTEAM_ANCHORS_DIR`` names another folder
that holds ``anchors.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ANCHORS_DIR = Path(os.environ.get("WIJKTEAM_ANCHORS_DIR", ROOT.parent / "shared" / "bench"))


def load_anchors():
    """The shared ``anchors`` module; exits with a one-line error when it is not there."""
    if not (ANCHORS_DIR / "anchors.py").is_file():
        sys.exit(f"error: the shared speed anchors are not at {ANCHORS_DIR / 'anchors.py'}; "
                 f"set WIJKTEAM_ANCHORS_DIR to the folder that holds anchors.py")
    if str(ANCHORS_DIR) not in sys.path:
        sys.path.insert(0, str(ANCHORS_DIR))
    import anchors

    return anchors
