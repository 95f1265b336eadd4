"""Write docs/parameters.md from model/parameters.toml (stdlib only).

The table is grouped by the section comments of the TOML file
(``# --- name ---``), in file order. Run from anywhere:

    python docs/make_parameters_md.py
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TOML = ROOT / "model" / "parameters.toml"
OUT = ROOT / "docs" / "parameters.md"

SECTION = re.compile(r"^#\s*---\s*(.+?)\s*-*\s*$")
HEADER = re.compile(r"^\[([A-Za-z0-9_]+)\]\s*$")


def sections(text: str) -> list[tuple[str, list[str]]]:
    """(section title, parameter names) in file order."""
    groups: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if match := SECTION.match(line):
            groups.append((match.group(1), []))
        elif match := HEADER.match(line):
            if not groups:
                groups.append(("other", []))
            groups[-1][1].append(match.group(1))
    return [(title, names) for title, names in groups if names]


def number(value) -> str:
    return repr(value)


def cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def main() -> None:
    text = TOML.read_text(encoding="utf-8")
    table = tomllib.loads(text)
    groups = sections(text)
    listed = [name for _, names in groups for name in names]
    assert sorted(listed) == sorted(table), "section parsing missed or doubled a parameter"
    lines = [
        "# Parameter table",
        "",
        "Generated from `model/parameters.toml` by `docs/make_parameters_md.py`; do not edit by hand.",
        f"{len(table)} parameters, grouped by the section comments of the TOML file, in file order.",
        "Scenarios override any of them under `[parameters]`; the range is the one used for sensitivity analysis.",
        "",
    ]
    for title, names in groups:
        lines += [f"## {title}", "", "| Name | Default | Range | Unit | Source |", "|---|---|---|---|---|"]
        for name in names:
            row = table[name]
            low, high = row["range"]
            lines.append(
                f"| `{name}` | {number(row['default'])} | {number(low)} – {number(high)} "
                f"| {cell(row['unit'])} | {cell(row['source'])} |"
            )
        lines.append("")
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT} ({len(table)} parameters in {len(groups)} sections)")


if __name__ == "__main__":
    main()
