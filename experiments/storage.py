"""Results of an experiment on disk, safe against kills and resumable.

Layout of the output directory::

    manifest.json              the experiment (path and content), the resolved base
                               scenario, seeds, versions, git commit, progress
    parts/part-<run_id>.parquet one finished run each, written atomically
    runs.parquet               all finished runs, rebuilt atomically from the parts

Each finished run is written as its own part file under a temporary name and
moved into place (``os.replace``), so a killed experiment loses no finished
run and never leaves half a file. On a repeated command the parts are read
back and only the missing runs are executed. A directory whose manifest
belongs to a different experiment (another file content or base scenario) is
refused rather than mixed.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from .files import OutputError, atomic_path, prepare_outdir
from .provenance import git_commit, versions

PARTS = "parts"


class Store:
    def __init__(self, outdir: Path, experiment):
        self.outdir = Path(outdir)
        self.experiment = experiment
        self.parts = self.outdir / PARTS
        self.created = datetime.now(UTC).isoformat(timespec="seconds")

    # --- opening and the manifest -------------------------------------------------------------

    def open(self) -> dict[str, dict[str, Any]]:
        """Check the directory belongs to this experiment, write the manifest, return finished rows."""
        manifest_path = self.outdir / "manifest.json"
        if manifest_path.exists():
            try:
                old = json.loads(manifest_path.read_text())
            except (OSError, ValueError):
                raise OutputError(f"{self.outdir}: manifest.json cannot be read; choose another --out") from None
            previous = old.get("experiment", {}) if isinstance(old, dict) else {}
            if not isinstance(previous, dict) or "fingerprint" not in previous:
                raise OutputError(f"{self.outdir}: holds the output of another command, not of an experiment; "
                                  "choose another --out")
            if previous["fingerprint"] != self.experiment.fingerprint():
                raise OutputError(
                    f"{self.outdir}: holds runs of a different experiment ({previous.get('path', '?')}, or its "
                    "file or base scenario has changed since); choose another --out or delete that directory")
            self.created = old.get("created", self.created)
        elif self.parts.is_dir() and any(self.parts.glob("part-*.parquet")):
            raise OutputError(f"{self.outdir}: has run parts but no manifest.json; choose another --out")
        prepare_outdir(self.outdir)
        try:
            self.parts.mkdir(exist_ok=True)
        except OSError as error:
            raise OutputError(f"{self.outdir}: cannot write the output directory ({error.strerror})") from None
        done = self.load_parts()
        self.write_manifest(done=len(done), complete=False)
        return done

    def manifest(self, done: int, complete: bool) -> dict[str, Any]:
        e = self.experiment
        return {
            "created": self.created,
            "updated": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": sys.argv,
            "experiment": {"name": e.name, "path": e.path, "content": e.text, "fingerprint": e.fingerprint(),
                           "kind": e.kind, "varied": e.varied},
            "scenario": {"file": str(e.scenario_path), "extends_chain": list(e.base.chain),
                         "overrides": e.overrides, "resolved": e.base.nested()},
            "replications": e.replications,
            "root_seed": e.seed,
            "replication_seeds": e.seeds,
            "common_random_numbers": "replication k uses the same seed in every cell and sample point",
            "runs_total": len(e.points) * e.replications,
            "runs_done": done,
            "complete": complete,
            "versions": versions(),
            "git_commit": git_commit(),
        }

    def write_manifest(self, done: int, complete: bool) -> None:
        with atomic_path(self.outdir / "manifest.json") as tmp:
            tmp.write_text(json.dumps(self.manifest(done, complete), indent=2, default=str))

    # --- parts --------------------------------------------------------------------------------

    def load_parts(self) -> dict[str, dict[str, Any]]:
        """Finished runs by run id; unreadable parts (never expected) are dropped and rerun.

        The part files say which runs have finished. Their rows are taken from ``runs.parquet``
        where it holds them (one file: reading thousands of one-row files took minutes), and
        from the part files only for runs finished after its last rebuild.
        """
        finished = {part.name.removeprefix("part-").removesuffix(".parquet"): part
                    for part in sorted(self.parts.glob("part-*.parquet"))}
        rows = {key: row for key, row in self._gathered_rows().items() if key in finished}
        for key, part in finished.items():
            if key in rows:
                continue
            try:
                frame = pd.read_parquet(part)
            except Exception:  # noqa: BLE001 - a damaged part is simply run again
                part.unlink(missing_ok=True)
                continue
            for row in frame.to_dict("records"):
                rows[str(row["run_id"])] = row
        return rows

    def _gathered_rows(self) -> dict[str, dict[str, Any]]:
        """The rows of ``runs.parquet`` by run id; none if it is missing or unreadable."""
        try:
            frame = pd.read_parquet(self.outdir / "runs.parquet")
        except Exception:  # noqa: BLE001 - the part files are the record; this file only saves time
            return {}
        return {str(row["run_id"]): row for row in frame.to_dict("records")}

    def add(self, rows: list[dict[str, Any]]) -> None:
        """Write finished runs, one part file each, atomically."""
        for row in rows:
            with atomic_path(self.parts / f"part-{row['run_id']}.parquet") as tmp:
                as_frame([row]).to_parquet(tmp, index=False)

    def write_runs(self, rows: list[dict[str, Any]], columns: list[str]) -> pd.DataFrame:
        frame = as_frame(rows, columns)
        with atomic_path(self.outdir / "runs.parquet") as tmp:
            frame.to_parquet(tmp, index=False)
        return frame


def as_frame(rows: list[dict[str, Any]], columns: list[str] | None = None) -> pd.DataFrame:
    """Rows as a DataFrame with ``seed`` as unsigned 64-bit (replication seeds use the full range)."""
    frame = pd.DataFrame(rows, columns=columns)
    if "seed" in frame:
        frame["seed"] = pd.Series([int(s) for s in frame["seed"]], dtype="uint64", index=frame.index)
    if "replication" in frame:
        frame["replication"] = frame["replication"].astype("int64")
    if "sample" in frame:
        frame["sample"] = frame["sample"].astype("int64")
    return frame
