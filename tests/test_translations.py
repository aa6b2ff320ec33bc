"""Every message a person reads has a Spanish translation, and no page shows text that skips the layer.

Three nets: the catalogue covers every marked message with the same placeholders (`message_catalogue`); the
pages and the Streamlit plumbing pass no bare text to a widget (this file reads their code); and the page
tests in Spanish fail on any message asked for that the catalogue lacks (`spanish_strict` in the page
conftest).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from console.core import message_catalogue
from console.core.i18n import LANGUAGES, SOURCE_LANGUAGE

ROOT = Path(__file__).resolve().parents[1]
SHOWN_BY = {
    "title", "header", "subheader", "write", "markdown", "caption", "info", "warning", "error", "success", "text",
    "button", "form_submit_button", "text_input", "text_area", "number_input", "selectbox", "multiselect", "radio",
    "checkbox", "toggle", "slider", "select_slider", "date_input", "time_input", "page_link", "metric", "expander",
    "download_button", "link_button", "segmented_control", "pills", "toast", "popover", "file_uploader", "tabs",
    "private_download", "plain_text", "announce", "set_page_config", "Page", "feedback", "status", "spinner",
}
"""Streamlit (and `ui`) calls whose text arguments a person reads."""
TEXT_KEYWORDS = {"label", "help", "placeholder", "caption", "title", "body", "text", "page_title", "value"}
PAGE_CODE = [ROOT / "streamlit_app.py", *sorted((ROOT / "app_pages").rglob("*.py")),
             *sorted((ROOT / "console" / "web").glob("*.py"))]


def _reads_as_words(node: ast.AST) -> bool:
    if isinstance(node, ast.JoinedStr):
        return any(isinstance(part, ast.Constant) and any(ch.isalpha() for ch in str(part.value)) for part in node.values)
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
        return any(ch.isalpha() for ch in text) and not text.startswith((":material/", "app_pages/", "<", "text/",
                                                                         "application/", "#", "."))
    if isinstance(node, ast.BinOp):
        return _reads_as_words(node.left) or _reads_as_words(node.right)
    if isinstance(node, ast.IfExp):
        return _reads_as_words(node.body) or _reads_as_words(node.orelse)
    if isinstance(node, ast.List | ast.Tuple):
        return any(_reads_as_words(item) for item in node.elts)
    return False


def _name(call: ast.Call) -> str | None:
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    if isinstance(function, ast.Name):
        return function.id
    return None


def bare_texts(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if not isinstance(node, ast.Call) or _name(node) not in SHOWN_BY:
            continue
        candidates = list(node.args[:1]) + [keyword.value for keyword in node.keywords if keyword.arg in TEXT_KEYWORDS]
        if _name(node) == "text_input":
            candidates = [item for item in candidates if item not in [k.value for k in node.keywords if k.arg == "value"]]
        for candidate in candidates:
            if _reads_as_words(candidate):
                found.append(f"{path.relative_to(ROOT)}:{candidate.lineno}: {ast.unparse(candidate)[:80]}")
    return found


def test_pages_pass_every_text_they_show_through_the_translation_layer():
    found = [line for path in PAGE_CODE for line in bare_texts(path)]
    assert not found, "Text shown without `_()`:\n" + "\n".join(found)


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != SOURCE_LANGUAGE])
def test_every_marked_message_has_a_translation_with_the_same_placeholders(language):
    found = message_catalogue.problems(language)
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:200])


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != SOURCE_LANGUAGE])
def test_a_message_in_two_catalogue_files_is_translated_the_same_way(language):
    assert not message_catalogue.conflicting(language)


def _marked_calls(path: Path) -> list[ast.Call]:
    return [node for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
            if isinstance(node, ast.Call) and _name(node) in {"_", "n_", "N_"} and node.args]


def test_a_marked_message_is_written_out_not_built_at_run_time():
    """`_(f"...")` or `_(variable + "...")` cannot be looked up: the catalogue holds the written message."""
    found = []
    for path in message_catalogue.source_files():
        for call in _marked_calls(path):
            count = 2 if _name(call) == "n_" else 1
            for argument in call.args[:count]:
                if isinstance(argument, ast.JoinedStr) or (isinstance(argument, ast.BinOp) and any(
                        isinstance(part, ast.JoinedStr | ast.Name | ast.Attribute | ast.Call)
                        for part in (argument.left, argument.right))):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}: {ast.unparse(argument)[:80]}")
    assert not found, "Messages built at run time:\n" + "\n".join(found)
