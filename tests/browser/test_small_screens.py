"""The built pages on phone widths (320 and 375 px) in the system Chromium: a filter's labels stay
with their boxes, a wide table's caption can be read without scrolling sideways, and charts keep
a readable size in a region of their own that the keyboard scrolls."""

from __future__ import annotations

import pytest
from test_accessibility import checked_page, run_axe  # noqa: F401  (a fixture: console errors, other hosts)

pytestmark = pytest.mark.browser

WIDTHS = [320, 375]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["", "en/"])
def test_quantity_range_labels_stay_beside_their_own_boxes(checked_page, served_site, lang, width):
    """上限 / "At most" sat at the end of the 下限 box's line, and "At most" broke in two."""
    page, _ = checked_page
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{served_site}/{lang}offers/")
    for bound in ("min", "max"):
        label, box = page.locator(f"label[for='offers-{bound}']"), page.locator(f"#offers-{bound}")
        assert label.is_visible() and box.is_visible()
        placed = page.evaluate("""([label, box]) => {
            const l = label.getBoundingClientRect(), b = box.getBoundingClientRect();
            const line = parseFloat(getComputedStyle(label).lineHeight);
            return {oneLine: l.height < 1.5 * line, before: l.right <= b.left && b.left - l.right < 16,
                    level: l.top < b.bottom && b.top < l.bottom};
        }""", [label.element_handle(), box.element_handle()])
        assert placed == {"oneLine": True, "before": True, "level": True}, (bound, placed)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("lang", ["", "en/"])
def test_the_offers_caption_is_read_whole_at_320_pixels_wherever_the_table_is_scrolled(checked_page, served_site, lang):
    page, _ = checked_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{served_site}/{lang}offers/")
    region = page.locator("#offers-table").locator("xpath=ancestor::div[contains(@class, 'table-wrap')]")
    caption = page.locator("#offers-caption")
    inside = """([region, caption]) => {
        const r = region.getBoundingClientRect(), c = caption.getBoundingClientRect();
        return c.width > 0 && c.left >= r.left - 0.5 && c.right <= r.right + 0.5;
    }"""
    handles = [region.element_handle(), caption.element_handle()]
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")  # the table does scroll here
    assert page.evaluate(inside, handles)
    region.evaluate("r => { r.scrollLeft = r.scrollWidth; }")
    assert region.evaluate("r => r.scrollLeft > 0")
    assert page.evaluate(inside, handles)


CHART_PAGES = ["statistics/", "international/ndc/", "reports/ndc-study/"]


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", CHART_PAGES)
def test_charts_keep_a_readable_size_in_a_named_region_the_keyboard_scrolls(checked_page, served_site, path, lang):
    """A 720-unit chart shrunk to 288 px drew its labels 5 px high: it keeps at least 640 px
    (its 13-unit text at 11.5 px) and scrolls sideways in its figure, which is named and
    focusable like a wide table's region, while the page itself does not scroll."""
    page, _ = checked_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{served_site}/{lang}{path}")
    charts = page.locator("figure.chart")
    assert charts.count() >= 1
    for index in range(charts.count()):
        chart = charts.nth(index)
        facts = chart.evaluate("""f => ({
            image: f.querySelector('img').getBoundingClientRect().width,
            scrolls: f.scrollWidth > f.clientWidth,
            tabindex: f.getAttribute('tabindex'),
            name: (document.getElementById(f.getAttribute('aria-labelledby')) || {}).textContent || '',
        })""")
        assert facts["image"] >= 640 and facts["scrolls"] and facts["tabindex"] == "0" and facts["name"].strip(), facts
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    first = charts.first
    first.focus()
    page.keyboard.press("ArrowRight")  # the keyboard scrolls it (smoothly: awaited)
    page.wait_for_function("f => f.scrollLeft > 0", arg=first.element_handle(), timeout=5000)
    caption = first.locator("figcaption")
    if caption.count():  # the figure's caption stays in view while the chart scrolls
        assert page.evaluate("""([f, c]) => c.getBoundingClientRect().left >= f.getBoundingClientRect().left - 0.5""",
                             [first.element_handle(), caption.element_handle()])


@pytest.mark.parametrize("path", ["offers/", "en/offers/", "statistics/", "en/providers/"])
def test_small_screen_pages_pass_axe(checked_page, served_site, path):
    page, _ = checked_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"{served_site}/{path}")
    assert run_axe(page) == []
