"""Keyboard focus and honest counts in the search results, every query term checked against the
results (Latin letters and digits too), and controls inside a sideways-scrolling table region
kept in sight at a phone's width: in the system Chromium, under the site's strict
Content-Security-Policy (csp_page: no console error, no other host)."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from test_search_and_filters import csp_page, pages_holding, search  # noqa: F401  (csp_page: the fixture)

pytestmark = pytest.mark.browser

ACTIVE = """() => { const a = document.activeElement;
    return a === document.body || !a ? 'BODY' : a.tagName + '|' + (a.getAttribute('href') || a.id || ''); }"""


def open_results(page, site: str, query: str, lang_prefix: str = "") -> None:
    page.goto(f"{site}/{lang_prefix}search/?q={quote(query)}")
    page.wait_for_selector("#search-results[aria-busy=false]", state="attached")


def result_links(page) -> list[str]:
    return page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.getAttribute('href'))")


# -- "more": focus, count, announcement ------------------------------------------------------

@pytest.mark.parametrize(("lang_prefix", "query", "final"), [
    ("", "クレジット", "「クレジット」の検索結果：{count}件"),
    ("en/", "the", "{count} results for “the”"),
])
def test_more_moves_the_focus_to_the_first_new_result_and_announces_it(csp_page, csp_site, lang_prefix, query, final):
    """The fixture has a little over a page of results for these (the page shows 20): "more"
    pressed from the keyboard adds the rest and hides itself, the focus going on to the first
    result it added (not back to the page's start), and the status says something new."""
    open_results(csp_page, csp_site, query, lang_prefix)
    status = csp_page.locator("#search-status")
    more = csp_page.locator("#search-more")
    assert csp_page.locator("#search-results li").count() == 20 and more.is_visible()
    first_status = status.text_content()
    more.focus()
    csp_page.keyboard.press("Enter")
    csp_page.locator("#search-results li >> nth=20").wait_for()
    csp_page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    assert more.is_hidden()  # the last page of results
    first_new = csp_page.locator("#search-results li >> nth=20").locator("h2 a").get_attribute("href")
    assert csp_page.evaluate(ACTIVE) == f"A|{first_new}"
    count = csp_page.locator("#search-results li").count()
    assert status.text_content() == final.format(count=count)
    assert status.text_content() != first_status  # a live region speaks only when its text changes
    assert status.get_attribute("role") == "status"


def test_the_first_count_is_never_more_than_the_results_the_more_button_brings(csp_page, csp_site, built_site):
    """Pagefind finds 23 pages for クレジット, one of which only holds its character pairs: the
    count shown with the first page must not say 23 and then silently become 22."""
    expected = pages_holding(built_site, "クレジット", "ja")
    open_results(csp_page, csp_site, "クレジット")
    first_status = csp_page.locator("#search-status").text_content()
    stated = re.search(r"検索結果：(\d+)件", first_status)  # an exact count (not 最大N件, an upper bound)
    if stated:
        assert int(stated[1]) == len(expected), first_status
    else:
        assert re.search(r"最大(\d+)件", first_status) and int(re.search(r"最大(\d+)件", first_status)[1]) >= len(expected)
    results = search(csp_page, csp_site, "クレジット")  # every press of "more" adds results (it waits for them)
    assert set(results) == expected and len(results) == len(expected)


# -- every term of the query is in the results -----------------------------------------------

@pytest.mark.parametrize(("lang_prefix", "query", "word", "lang"), [
    ("", "FO-001", "fo-001", "ja"),           # Pagefind also finds EN-S-001's pages, by 001
    ("", "ｆｏ－００１", "fo-001", "ja"),      # full-width, as an IME may type it: NFKC
    ("", "fo-001", "fo-001", "ja"),           # any case
])
def test_a_latin_query_finds_only_the_pages_holding_it(csp_page, csp_site, built_site, lang_prefix, query, word, lang):
    expected = pages_holding(built_site, word, lang)
    assert expected  # the fixture holds the word somewhere
    results = search(csp_page, csp_site, query, lang_prefix)
    assert len(results) == len(set(results))
    assert set(results) == expected
    excerpts = csp_page.locator("#search-results li p mark").all_text_contents()
    assert excerpts and all(m.lower() == word for m in excerpts)


@pytest.mark.parametrize("query", ["forests", "“Forests”"])  # quotation marks are not part of the term
def test_an_english_word_finds_the_pages_holding_its_stem_as_pagefind_stems_it(csp_page, csp_site, built_site, query):
    """English keeps Pagefind's stemming ("minutes" finds "minute"): a page holds "forests" or
    "forest"; Shimanto still does not find Shimane, nor COP31 a page with 31 (no suffix)."""
    expected = pages_holding(built_site, "forest", "en")
    assert expected
    results = search(csp_page, csp_site, query, "en/")
    assert len(results) == len(set(results)) and set(results) == expected


def test_a_query_no_indexed_page_holds_finds_nothing(csp_page, csp_site, built_site):
    """COP31 is only in a COP report, which the index leaves out: Pagefind still finds a dozen
    pages holding 31 somewhere, none of them COP31."""
    assert not pages_holding(built_site, "COP31", "ja")
    assert search(csp_page, csp_site, "COP31") == []
    assert csp_page.locator("#search-status").text_content() == "「COP31」に一致するページは見つかりませんでした。"


def test_every_term_of_a_mixed_query_is_in_each_result(csp_page, csp_site, built_site):
    expected = pages_holding(built_site, "fo-001", "ja") & pages_holding(built_site, "森林", "ja")
    assert expected
    assert set(search(csp_page, csp_site, "森林 FO-001")) == expected


# -- focus inside a sideways-scrolling table ------------------------------------------------

IN_REGION = """() => {
    const el = document.activeElement, wrap = el && el.closest('.table-wrap');
    if (!wrap || wrap === el) return null;
    const box = el.getBoundingClientRect(), region = wrap.getBoundingClientRect();
    const left = region.left + wrap.clientLeft, right = left + wrap.clientWidth;
    return {name: el.tagName + '|' + el.textContent.trim().slice(0, 20), scrolled: wrap.scrollLeft,
            overflows: wrap.scrollWidth > wrap.clientWidth,
            inside: box.left >= left - 0.5 && box.right <= right + 0.5,
            ring: box.left - 6 >= left - 0.5 && box.right + 6 <= right + 0.5};
}"""


@pytest.mark.parametrize("path", ["offers/", "en/offers/", "projects/", "methodologies/FO-001/"])
def test_tabbing_through_a_wide_table_keeps_the_focused_control_in_the_region(csp_page, csp_site, path):
    """At 320 px the table scrolls in its region; each link and sort button that Tab (and
    Shift+Tab) reaches inside it is scrolled fully into the region's visible box, focus ring
    included (WCAG 2.4.7)."""
    csp_page.set_viewport_size({"width": 320, "height": 640})
    csp_page.goto(f"{csp_site}/{path}")
    csp_page.wait_for_load_state("load")
    visited = []
    for key in ("Tab", "Shift+Tab"):
        was_in = False
        for _ in range(150):
            csp_page.keyboard.press(key)
            state = csp_page.evaluate(IN_REGION)
            if state is None:
                if was_in:
                    break  # past the table
                continue
            was_in = True
            visited.append(state)
            assert state["inside"] and state["ring"], (key, state)
    assert visited, "Tab reaches no control in a table region"
    if path.endswith("offers/") or path == "projects/":
        assert any(s["overflows"] for s in visited)  # the case at hand: the table is wider than the screen
        assert any(s["scrolled"] for s in visited)
