"""The built pages in the system Chromium: axe-core finds no WCAG 2.1 A/AA violation, the
keyboard reaches the content, the language switcher works, and nothing leaves 127.0.0.1."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlparse

import axe_playwright_python
import pytest

from conftest import FIXTURE, run_build, serving

pytestmark = pytest.mark.browser

AXE = Path(axe_playwright_python.__file__).parent / "axe.min.js"
TEMPLATES = ["", "offers/", "offers/kochi-forest/", "meetings/", "meetings/steering-040/",
             "meetings/certification-058/", "methodologies/", "methodologies/FO-001/", "projects/",
             "projects/P0010/", "regulations/", "faqs/", "providers/", "regional/",
             "international/ndc/", "international/ndc/JPN/", "reports/", "reports/ndc-study/",
             "news/", "news/2026-10-01-meeting/", "about/", "contact/", "search/", "statistics/",
             "opendata/"]


@pytest.fixture
def checked_page(page, served_site):
    """A page that records console errors and any request to another host."""
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda req: urlparse(req.url).hostname != "127.0.0.1" and problems.append(req.url))
    yield page, problems
    assert problems == []


@pytest.mark.parametrize("lang", ["", "en/"])
@pytest.mark.parametrize("path", TEMPLATES)
def test_axe_finds_no_wcag_violations(checked_page, served_site, lang, path):
    page, _ = checked_page
    page.goto(f"{served_site}/{lang}{path}")
    assert run_axe(page) == []


def test_skip_link_is_first_and_moves_focus_to_main(checked_page, served_site):
    page, _ = checked_page
    page.goto(f"{served_site}/offers/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left >= 0")  # visible on focus
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


def test_language_switcher_goes_to_the_counterpart_and_back(checked_page, served_site):
    page, _ = checked_page
    page.goto(f"{served_site}/methodologies/FO-001/")
    page.get_by_role("link", name="English").click()
    assert page.url == f"{served_site}/en/methodologies/FO-001/"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("link", name="日本語").click()
    assert page.url == f"{served_site}/methodologies/FO-001/"


def test_layout_fits_a_phone_without_horizontal_scrolling(checked_page, served_site):
    page, _ = checked_page
    page.set_viewport_size({"width": 360, "height": 740})
    for path in ["", "meetings/steering-040/", "en/about/"]:
        page.goto(f"{served_site}/{path}")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), path


@pytest.mark.parametrize("path", ["", "en/opendata/"])
def test_the_header_reads_in_the_order_it_shows_and_fits_320_pixels_at_twice_the_text_size(checked_page, served_site, path):
    """WCAG 2.4.3: the language link came after the search box in the page, and above it on a
    phone. WCAG 1.4.4 with 1.4.10: at 200 % text the search box, and a long URL in the open-data
    catalogue, made the page wider than the screen."""
    page, _ = checked_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{served_site}/{path}")
    shown = page.evaluate("""() => Array.from(document.querySelectorAll('.header-row :is(a, input, button)'),
                                             e => [Math.round(e.getBoundingClientRect().top), e.getBoundingClientRect().left])""")
    assert len(shown) == 4 and shown == sorted(shown), shown  # name, language, search box, button
    page.evaluate("document.documentElement.style.fontSize = '200%'")  # as a browser's text size setting
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_a_scroll_region_is_a_tab_stop_only_while_it_has_something_to_scroll(checked_page, served_site):
    """At 1280 px no chart and few tables scroll, yet each was a tab stop that did nothing."""
    page, _ = checked_page
    in_step = """() => Array.from(document.querySelectorAll('.table-wrap, figure.chart'))
                           .every(r => (r.scrollWidth > r.clientWidth) === (r.getAttribute('tabindex') === '0'))"""
    stops = "() => document.querySelectorAll('figure.chart[tabindex]').length"
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(f"{served_site}/statistics/")
    page.wait_for_function(in_step, timeout=5000)
    assert page.evaluate(stops) == 0 and page.locator("figure.chart").count() >= 3
    page.set_viewport_size({"width": 320, "height": 800})  # a phone: every chart scrolls, and takes the focus
    page.wait_for_function(in_step, timeout=5000)
    assert page.evaluate(stops) == page.locator("figure.chart").count()


# WCAG 1.4.12's text spacing, as a reader's style sheet would set it
TEXT_SPACING = ("* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }"
                " p { margin-bottom: 2em !important; }")


@pytest.mark.parametrize("path", ["projects/", "providers/", "offers/", "en/projects/", "en/providers/", "en/offers/"])
def test_filters_fit_320_pixels_with_wider_text_spacing(checked_page, served_site, path):
    """WCAG 1.4.10 with 1.4.12: a fieldset is as wide as its widest select unless told not to be."""
    page, _ = checked_page
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"{served_site}/{path}")
    page.add_style_tag(content=TEXT_SPACING)
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def run_axe(page) -> list:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    assert len(result["passes"]) > 10  # axe really ran over this page
    return [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]]


WIDE_TABLE = "| " + " | ".join(f"COLUMN-{n}-HEADING" for n in range(8)) + " |\n|" + "---|" * 8 + "\n| " \
    + " | ".join(f"FO-001-2026-{n:04d}" for n in range(8)) + " |\n"


def test_a_wide_markdown_table_scrolls_in_its_own_region_not_the_page(checked_page, tmp_path):
    """WCAG 1.4.10 at 320 px: an editor's table wider than the screen scrolls sideways inside
    a focusable region named by the heading above it (or, with none, the page's title), and
    the page itself does not."""
    page, _ = checked_page
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "ja/pages/fees.md").write_text(f"Title: 手数料\n\n{WIDE_TABLE}\n## 手数料の一覧\n\n{WIDE_TABLE}", encoding="utf-8")
    result = run_build(content=content, output=tmp_path / "output")
    assert result.returncode == 0, result.stderr
    with serving(tmp_path / "output") as url:
        page.set_viewport_size({"width": 320, "height": 640})
        page.goto(f"{url}/fees/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        region = page.get_by_role("region", name="手数料の一覧")
        assert region.evaluate("r => r.scrollWidth > r.clientWidth && r.querySelector('table') !== null")
        region.focus()
        page.keyboard.press("ArrowRight")  # the keyboard scrolls it (smoothly: awaited)
        page.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
        assert page.locator(".prose .table-wrap").count() == 2  # the one with no heading above scrolls too
        untitled = page.get_by_role("region", name="手数料", exact=True)  # named by the page's title instead
        assert untitled.evaluate("r => r.tabIndex === 0 && r.scrollWidth > r.clientWidth")
        assert run_axe(page) == []


def test_print_layout_drops_navigation_and_keeps_content(checked_page, served_site):
    page, _ = checked_page
    page.goto(f"{served_site}/methodologies/FO-001/")
    page.emulate_media(media="print")
    assert not page.locator(".main-nav").is_visible()
    assert not page.locator(".lang-switch").is_visible()
    assert page.locator("main h1").is_visible() and page.locator("main table").is_visible()
