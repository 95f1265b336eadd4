"""Make a calibration's chosen point (calibrated.toml) the parameter table's defaults, and bundle its outputs.

    python -m experiments.apply_calibration results/calibration-netherlands [--bundle calibrations/netherlands]

Each fitted parameter's ``default`` in model/parameters.toml becomes its value in calibrated.toml
(the last generation's particle nearest the targets), and its source says so, with the prior and
the posterior's median and 5-95% range; the entry's other lines stay.
The outputs a later analysis needs (posterior.parquet, calibrated.toml, fit.csv, manifest.json,
figures/) are copied into the bundle folder, which the project ships.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tomllib
from pathlib import Path

import pandas as pd

from .calibration_report import weighted_quantile

ROOT = Path(__file__).resolve().parents[1]
TABLE = ROOT / "model" / "parameters.toml"
BUNDLED = ("posterior.parquet", "calibrated.toml", "fit.csv", "manifest.json", "figures/fit.png",
           "figures/posterior.png")
MARK = " Default: calibrated,"


def _format(value: float, integer: bool) -> str:
    return str(round(value)) if integer else f"{value:.4g}" if abs(value) >= 1e-3 else f"{value:.3g}"


def apply(folder: Path, bundle: Path | None) -> dict[str, float]:
    manifest = json.loads((folder / "manifest.json").read_text())
    posterior = pd.read_parquet(folder / "posterior.parquet")
    last = posterior[posterior["generation"] == posterior["generation"].max()]
    weights = last["weight"].to_numpy()
    text = TABLE.read_text(encoding="utf-8")
    table = tomllib.loads(text)
    chosen = tomllib.loads((folder / "calibrated.toml").read_text())["parameters"]
    applied = {}
    where = bundle.relative_to(ROOT) if bundle else folder
    targets = Path(manifest["targets"]).resolve()
    targets = targets.relative_to(ROOT) if targets.is_relative_to(ROOT) else targets
    for key, (low, high) in manifest["priors"].items():
        name = key.removeprefix("parameters.")
        values = last[key].to_numpy()
        p5, p50, p95 = (weighted_quantile(values, weights, q) for q in (0.05, 0.5, 0.95))
        value = chosen[name]
        integer = isinstance(table[name]["default"], int)
        entry = re.search(rf"^\[{re.escape(name)}\]\n(.*?)(?=^\[|\Z)", text, re.S | re.M)
        block = entry.group(1)
        block = re.sub(r"^default = .*$", f"default = {_format(value, integer)}", block, count=1, flags=re.M)
        note = (f"{MARK} the particle nearest the targets of the calibration to {targets} ({where}; "
                f"prior [{low:g}, {high:g}], posterior median {p50:.3g}, 5-95% [{p5:.3g}, {p95:.3g}])")

        def with_note(match):
            kept = match.group(1).split(" Default: ")[0].rstrip()
            return f'source = "{kept}{"" if kept.endswith(".") else "."}{note}"'

        block = re.sub(r'^source = "(.*)"$', with_note, block, count=1, flags=re.M)
        text = text[:entry.start(1)] + block + text[entry.end(1):]
        applied[name] = value
    TABLE.write_text(text, encoding="utf-8")
    if bundle:
        (bundle / "figures").mkdir(parents=True, exist_ok=True)
        for name in BUNDLED:
            shutil.copy2(folder / name, bundle / name)
    return applied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a finished calibration's output folder")
    parser.add_argument("--bundle", type=Path, default=None, help="copy its outputs here (calibrations/NAME)")
    args = parser.parse_args(argv)
    bundle = args.bundle.resolve() if args.bundle else None
    for name, value in apply(args.folder, bundle).items():
        print(f"{name} = {value:.4g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
