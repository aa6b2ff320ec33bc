import re

import pytest

from console.core.i18n import LANGUAGES, use_language
from console.web.ui import support_strip_html


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_every_support_link_s_accessible_name_holds_its_visible_text(language):
    """WCAG 2.5.3 (label in name): a voice user says what they see."""
    with use_language(language):
        strip = support_strip_html("EAP 555-0100")
    links = re.findall(r'<a href="[^"]+" aria-label="([^"]+)" lang="[^"]+">([^<]+)</a>', strip)
    assert len(links) == 4
    for accessible_name, visible in links:
        assert visible.lower() in accessible_name.lower(), (visible, accessible_name)
