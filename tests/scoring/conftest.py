import json
import math
import tomllib

import pytest

import scoring
from scoring.loader import BUILTIN_DIR


def _toml_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(element) for element in value) + "]"
    if isinstance(value, dict):
        return (
            "{"
            + ", ".join(
                f"{json.dumps(key, ensure_ascii=False)} = {_toml_value(element)}" for key, element in value.items()
            )
            + "}"
        )
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def write_toml(data: dict) -> str:
    """TOML text for a dict of plain values: one `key = inline value` line per top-level key."""
    return "".join(f"{json.dumps(key, ensure_ascii=False)} = {_toml_value(value)}\n" for key, value in data.items())


@pytest.fixture(scope="session")
def to_toml():
    return write_toml


@pytest.fixture(scope="session")
def proqol():
    return scoring.load_instrument("proqol-style-30")


@pytest.fixture(scope="session")
def pulse():
    return scoring.load_instrument("weekly-pulse")


@pytest.fixture
def proqol_data():
    return tomllib.loads((BUILTIN_DIR / "proqol-style-30.toml").read_text(encoding="utf-8"))


@pytest.fixture
def pulse_data():
    return tomllib.loads((BUILTIN_DIR / "weekly-pulse.toml").read_text(encoding="utf-8"))
