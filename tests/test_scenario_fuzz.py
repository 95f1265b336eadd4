"""Property-based tests: malformed scenario content never crashes the loader."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model import ScenarioError, load_scenario
from model.scenario import all_keys

KEYS = all_keys()
values = st.one_of(
    st.integers(min_value=-10**12, max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(alphabet=string.printable, max_size=12),
    st.lists(st.integers(), max_size=3),
)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if value != value:
            return "nan"
        if value in (float("inf"), float("-inf")):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r") + '"'
    if isinstance(value, list):
        return "[" + ", ".join(str(v) for v in value) + "]"
    return str(value)


def check(path, content: bytes) -> None:
    path.write_bytes(content)
    try:
        load_scenario(path)
    except ScenarioError as error:
        message = str(error)
        assert message and "\n" not in message and str(path) in message


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=200))
def test_random_bytes(tmp_path, content):
    check(tmp_path / "random.toml", content)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=200))
def test_random_text(tmp_path, content):
    check(tmp_path / "text.toml", content.encode("utf-8", "replace"))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(alphabet=string.ascii_lowercase + "._", min_size=1,
                                                                 max_size=15)), values, max_size=6))
def test_random_keys_and_values(tmp_path, entries):
    sections: dict[str, list[str]] = {}
    top: list[str] = []
    for key, value in entries.items():
        head, _, tail = key.partition(".")
        line_key = tail if tail else head
        if not line_key or not all(c.isalnum() or c == "_" for c in line_key) or not head.replace("_", "").isalnum():
            continue
        line = f"{line_key} = {toml_value(value)}"
        (sections.setdefault(head, []) if tail else top).append(line)
    text = "\n".join(top) + "\n" + "".join(f"[{h}]\n" + "\n".join(lines) + "\n" for h, lines in sections.items())
    check(tmp_path / "keys.toml", text.encode())
