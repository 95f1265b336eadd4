"""Starting the dashboard server: Solara's offline asset cache, environment and command.

Solara's page loads its JavaScript from ``/_solara/cdn/...`` on its own server,
which serves files from a cache directory and otherwise fetches them from a
public CDN. Offline that fetch fails and the page stays blank, so the cache is
filled once from the npm registry (``fill-solara-cdn.sh``; see
docs/dashboard-offline-notes.md). The default cache is Solara's own default,
``<venv>/share/solara/cdn``, so it goes away with the virtual environment.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
APP = HERE / "app.py"
FILL_SCRIPT = HERE / "fill-solara-cdn.sh"
# What Solara 1.64's page and SolaraViz's GridDraggable ask for with ipyvuetify 1.x (Vue 2).
CDN_PACKAGES = (
    "@widgetti/solara-vuetify-app@10.1.1",
    "@widgetti/vue-grid-layout@2.3.13-alpha.2",
    "requirejs@2.3.6",
    "font-awesome@4.5.0",
)


class DashboardError(Exception):
    """The dashboard cannot start; the message is one line."""


def cdn_cache_dir() -> Path:
    env = os.environ.get("SOLARA_ASSETS_PROXY_CACHE_DIR")
    return Path(env) if env else Path(sys.prefix) / "share" / "solara" / "cdn"


def missing_packages(cache: Path) -> list[str]:
    return [spec for spec in CDN_PACKAGES if not (cache / spec).is_dir() or not any((cache / spec).iterdir())]


def fill_cdn_cache(cache: Path | None = None, quiet: bool = False) -> Path:
    """Fetch the missing front-end packages from npm into the cache (once)."""
    cache = cache or cdn_cache_dir()
    missing = missing_packages(cache)
    if not missing:
        return cache
    if shutil.which("npm") is None:
        raise DashboardError(
            f"the dashboard's web files are not in {cache} and npm is not installed to fetch them; "
            "install npm (e.g. 'apt-get install -y npm') and try again")
    if not quiet:
        print(f"fetching the dashboard's web files once into {cache} ...", file=sys.stderr)
    result = subprocess.run(["bash", str(FILL_SCRIPT), str(cache), *missing], capture_output=True, text=True)
    if result.returncode != 0 or missing_packages(cache):
        detail = (result.stderr.strip().splitlines() or ["unknown error"])[-1]
        raise DashboardError(f"could not fetch the dashboard's web files with npm: {detail}")
    return cache


def server_env(cache: Path, lang: str | None = None) -> dict[str, str]:
    """The server's environment; ``lang`` (nl or en) is the language new sessions start in."""
    env = dict(os.environ)
    if lang is not None:
        env["WIJKTEAM_LANG"] = lang
    env["SOLARA_ASSETS_PROXY_CACHE_DIR"] = str(cache)
    env["SOLARA_TELEMETRY_MIXPANEL_ENABLE"] = "false"
    env.setdefault("MPLBACKEND", "Agg")
    return env


def server_command(port: int, host: str = "127.0.0.1") -> list[str]:
    return [sys.executable, "-m", "solara", "run", str(APP), "--host", host, "--port", str(port),
            "--production", "--no-open"]


def start_server(port: int, lang: str | None = None, **popen) -> subprocess.Popen:
    """Fill the cache if needed and start the server in the background."""
    cache = fill_cdn_cache()
    return subprocess.Popen(server_command(port), env=server_env(cache, lang), cwd=HERE.parent, **popen)


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def serve(port: int, lang: str | None = None) -> int:
    """Run the server in the foreground until Ctrl-C (or SIGTERM); returns its exit status."""
    process = start_server(port, lang)
    signal.signal(signal.SIGTERM, _interrupt)  # stop the server too when we are terminated
    print(f"wijkteam dashboard: open http://127.0.0.1:{port}/ in your browser (Ctrl-C stops it)", file=sys.stderr)
    try:
        return process.wait()
    except KeyboardInterrupt:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        raise
