import ast
import sys
from pathlib import Path

import scoring

PACKAGE = Path(scoring.__file__).parent


def _imported_modules(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield "scoring" if node.level else node.module


def test_scoring_imports_only_the_standard_library_and_itself():
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 5
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"), filename=str(module))
        for name in _imported_modules(tree):
            top = name.split(".")[0]
            assert top == "scoring" or top in sys.stdlib_module_names or top == "__future__", (
                f"{module.name} imports {name}"
            )


def test_public_names_are_exported():
    for name in scoring.__all__:
        assert hasattr(scoring, name), name
    for name in (
        "load_instrument",
        "list_instruments",
        "score",
        "ScoringError",
        "InstrumentError",
        "reliable_change",
        "pulse_strain",
        "assess_change",
        "baseline_sd",
        "pulse_baseline",
        "trend_per_month",
        "supervision_flags",
        "urgency",
        "release_line",
        "release_groups",
        "view_groups",
        "release_table",
        "view_table",
        "pool_teams",
        "supervision_balance",
    ):
        assert name in scoring.__all__
