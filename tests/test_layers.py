"""The layers point one way: pages → console → (db, scoring); Streamlit stays at the edge."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STREAMLIT_ALLOWED = {"streamlit_app.py", "console/web/ui.py"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def python_files(folder: str) -> list[Path]:
    return sorted((ROOT / folder).rglob("*.py"))


def top_level(modules: set[str]) -> set[str]:
    return {module.split(".")[0] for module in modules}


@pytest.mark.parametrize("path", python_files("app_pages"), ids=lambda path: path.name)
def test_pages_reach_data_only_through_console(path):
    assert not top_level(imported_modules(path)) & {"db", "sqlmodel", "sqlalchemy"}, (
        f"{path.name} must call console services, not the database"
    )


@pytest.mark.parametrize("path", python_files("db"), ids=lambda path: str(path.relative_to(ROOT)))
def test_db_knows_nothing_of_console_or_pages(path):
    assert not top_level(imported_modules(path)) & {"console", "app_pages", "streamlit"}


@pytest.mark.parametrize(
    "path", [*python_files("console"), *python_files("db"), *python_files("scoring")],
    ids=lambda path: str(path.relative_to(ROOT)),
)
def test_streamlit_is_imported_only_at_the_edge(path):
    relative = str(path.relative_to(ROOT))
    if relative in STREAMLIT_ALLOWED:
        return
    assert "streamlit" not in top_level(imported_modules(path)), f"{relative} must not import streamlit"


@pytest.mark.parametrize("path", python_files("app_pages"), ids=lambda path: path.name)
def test_pages_never_open_a_session(path):
    source = path.read_text()
    assert "session_scope" not in source and "Session(" not in source
