"""`ui.escape_markdown`: whatever a person types as a name, Markdown sees only literal characters."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from console.web.ui import escape_markdown
from tests.app_pages.conftest import shown

ASCII_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


@given(st.text(max_size=80))
def test_every_markdown_character_is_escaped_and_the_text_reads_the_same(text):
    escaped = escape_markdown(text)
    assert "\n" not in escaped and "\r" not in escaped
    unescaped_rest = re.sub(r"\\[!-/:-@\[-`{-~]", "", escaped)
    assert not ASCII_PUNCTUATION.search(unescaped_rest)
    assert shown(escaped) == text.replace("\r", " ").replace("\n", " ")


def test_the_usual_attacks_come_out_literal():
    for attack in ("![x](http://evil/x.png)", "**bold**", "<b>x</b>", "<img src=x onerror=alert(1)>",
                   ":red[alert]", ":material/warning:", "$E=mc^2$", "[link](javascript:alert(1))", "# Heading",
                   "- item", "1. item", "`code`", "&lt;b&gt;"):
        escaped = escape_markdown(attack)
        assert shown(escaped) == attack
        assert not re.search(r"(?<!\\)[\[\]<>*`$:#&]", escaped), escaped
