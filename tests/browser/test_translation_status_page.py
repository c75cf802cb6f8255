"""The translators' status page of the internal preview in the system Chromium: no WCAG 2.1
A/AA violation, and its links lead to the pages in both languages."""

from __future__ import annotations

import pytest

from test_accessibility import AXE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("lang", ["", "en/"])
def test_status_page_is_accessible_and_links_both_languages(page, served_internal_site, lang):
    page.goto(f"{served_internal_site}/{lang}translation-status/")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    assert len(result["passes"]) > 10
    assert [v["id"] for v in result["violations"]] == []
    row = page.locator("#translation-status tr", has_text="meetings/steering-040.yaml")
    row.get_by_role("link").first.click()
    assert page.url == f"{served_internal_site}/meetings/steering-040/"
