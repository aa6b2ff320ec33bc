"""Opening peer pages in AppTest, and what a page shows as plain text versus Markdown."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.app_pages.conftest import sign_in

ROOT = Path(__file__).resolve().parents[2]
UNSAFE_TEXT = "<script>alert('x')</script> [click me](https://example.invalid) ![img](https://example.invalid/i.png)"
"""Free text that must reach the screen exactly as typed: never run as HTML, never rendered as a link or image."""


def open_page(username: str, page: str) -> AppTest:
    app = sign_in(username)
    app.switch_page(str(ROOT / "app_pages" / page)).run()
    return app


def button(app: AppTest, label: str):
    return next(candidate for candidate in app.button if candidate.label == label)


def plain_texts(app: AppTest) -> list[str]:
    return [element.value for element in app.text]


def markdown_texts(app: AppTest) -> str:
    parts = [element.value for kind in ("markdown", "caption", "info", "warning", "error", "success")
             for element in getattr(app, kind)]
    return "\n".join(str(part) for part in parts)


def charts(app: AppTest) -> list:
    return app.get("vega_lite_chart")
