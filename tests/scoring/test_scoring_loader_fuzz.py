"""Whatever is in an instrument file, loading it either works or raises InstrumentError."""

import copy
import tempfile
import tomllib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import scoring
from scoring.loader import BUILTIN_DIR

FUZZ = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)

BUILTIN_DATA = {
    path.name: tomllib.loads(path.read_text(encoding="utf-8")) for path in sorted(BUILTIN_DIR.glob("*.toml"))
}

keys = st.one_of(
    st.sampled_from(
        [
            "id",
            "version",
            "items",
            "scales",
            "number",
            "prompt",
            "scale",
            "reverse",
            "labels",
            "values",
            "response",
            "missing_data",
            "low_max",
            "high_min",
            "reliability",
            "meanings",
            "about",
            "code",
            "label",
        ]
    ),
    st.text(max_size=8),
)
scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(),
    st.text(max_size=20),
)
toml_values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=20,
)


def _paths(node, prefix=()):
    """Every (container path, key) in a parsed TOML document."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield prefix, key
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield prefix, index
            yield from _paths(value, (*prefix, index))


def _container(document, path):
    for step in path:
        document = document[step]
    return document


def _parses_or_raises_instrument_error(text):
    try:
        instrument = scoring.parse_instrument(text, path="fuzzed.toml")
    except scoring.InstrumentError as error:
        assert str(error).startswith("fuzzed.toml")
        return None
    return instrument


@FUZZ
@given(document=st.dictionaries(keys, toml_values, max_size=8))
def test_random_toml_documents_raise_instrument_error(to_toml, document):
    with pytest.raises(scoring.InstrumentError):
        scoring.parse_instrument(to_toml(document), path="fuzzed.toml")


@FUZZ
@given(
    name=st.sampled_from(sorted(BUILTIN_DATA)),
    data=st.data(),
    mutations=st.lists(st.sampled_from(["delete", "replace"]), min_size=1, max_size=3),
)
def test_mutated_builtins_load_or_raise_instrument_error(to_toml, name, data, mutations):
    document = copy.deepcopy(BUILTIN_DATA[name])
    for mutation in mutations:
        paths = list(_paths(document))
        if not paths:
            break
        path, key = data.draw(st.sampled_from(paths))
        container = _container(document, path)
        if mutation == "delete":
            del container[key]
        else:
            container[key] = data.draw(toml_values)
    instrument = _parses_or_raises_instrument_error(to_toml(document))
    if instrument is not None:
        answers = {item.number: instrument.response.minimum for item in instrument.items}
        scoring.score(instrument, answers)


@FUZZ
@given(name=st.sampled_from(sorted(BUILTIN_DATA)), data=st.data())
def test_deleting_a_required_field_raises_instrument_error(to_toml, name, data):
    document = copy.deepcopy(BUILTIN_DATA[name])
    required = ["id", "version", "title", "instructions", "recall_window", "source", "credit", "response", "items"]
    key = data.draw(st.sampled_from(required))
    del document[key]
    with pytest.raises(scoring.InstrumentError) as raised:
        scoring.parse_instrument(to_toml(document), path="fuzzed.toml")
    assert raised.value.field == key


@FUZZ
@given(content=st.binary(max_size=200))
def test_arbitrary_bytes_raise_instrument_error(content):
    with pytest.raises(scoring.InstrumentError):
        scoring.parse_instrument(content, path="fuzzed.toml")


@FUZZ
@given(content=st.text(max_size=200))
def test_arbitrary_text_raises_instrument_error(content):
    with pytest.raises(scoring.InstrumentError):
        scoring.parse_instrument(content, path="fuzzed.toml")


@settings(max_examples=30, deadline=None)
@given(content=st.binary(min_size=1, max_size=100))
def test_arbitrary_files_in_an_extra_dir_raise_instrument_error(content):
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "extra.toml").write_bytes(content)
        with pytest.raises(scoring.InstrumentError):
            scoring.list_instruments(extra_dirs=[folder])


@settings(max_examples=25, deadline=None)
@given(depth=st.integers(min_value=1, max_value=20_000), opener=st.sampled_from(["[", "{ a = "]),
       key=st.sampled_from(["items", "scales", "response", "title"]))
def test_deeply_nested_documents_raise_instrument_error(depth, opener, key):
    closer = "]" if opener == "[" else " }"
    with pytest.raises(scoring.InstrumentError):
        scoring.parse_instrument(f"{key} = {opener * depth}1{closer * depth}\n", path="fuzzed.toml")


def test_a_nested_file_in_an_extra_dir_raises_instrument_error(tmp_path):
    (tmp_path / "deep.toml").write_text("items = " + "[" * 50_000 + "]" * 50_000 + "\n")
    with pytest.raises(scoring.InstrumentError, match="nested too deeply"):
        scoring.list_instruments(extra_dirs=[tmp_path])
