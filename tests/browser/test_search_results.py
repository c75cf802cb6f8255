"""What the search results show and in what order, in the system Chromium under the site's strict
Content-Security-Policy (csp_page: no console error, no other host): the main pages before the
long tail of registered projects, in each the pages whose title holds the query first; the
Japanese an English result shows marked as Japanese (WCAG 3.1.2); a count of one in the
singular."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from test_search_and_filters import csp_page, pages_holding, search  # noqa: F401  (csp_page: the fixture)

pytestmark = pytest.mark.browser

JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff01-\uff5e]")


def built_title(built_site: Path, url: str) -> str:
    from search.bigrams import searchable_page
    shown = searchable_page((built_site / url.lstrip("/") / "index.html").read_text(encoding="utf-8"))
    return unicodedata.normalize("NFKC", shown.title).lower()


@pytest.mark.parametrize(("lang_prefix", "query", "in_title", "first"), [
    ("", "森林", "森林", "/methodologies/FO-001/"),
    ("", "方法論", "方法論", "/methodologies/"),
    ("en/", "methodology", "methodolog", "/en/methodologies/"),  # as Pagefind stems it: "Methodologies" holds it
    ("en/", "森林", "森林", None),  # no English title holds it: the untranslated projects' do
])
def test_main_pages_come_before_project_pages_and_titles_holding_the_query_first(
        csp_page, csp_site, built_site, lang_prefix, query, in_title, first):
    """Registered projects are hundreds of short pages named after their methodology's activity
    (町有林における森林経営活動): by Pagefind's scores alone they came before the methodology,
    the offers and the FAQ holding the same word. Main pages come first, projects after; in
    each, the pages whose title holds the query first."""
    results = search(csp_page, csp_site, query, lang_prefix)
    assert set(results) == pages_holding(built_site, query, "en" if lang_prefix else "ja")  # still exact

    def rank(url: str) -> tuple[int, int]:
        project = re.fullmatch(r"(/en)?/projects/[^/]+/", url) is not None
        return int(project), int(in_title not in built_title(built_site, url))

    ranks = [rank(url) for url in results]
    assert ranks == sorted(ranks), list(zip(results, ranks))
    assert ranks[0][0] == 0 and (first is None or first in results[:ranks.count((0, 0))])
    if query == "森林":  # the case at hand: projects' titles hold it, the FAQ's text only
        assert (1, 0) in ranks and all(results.index(f"/{lang_prefix}faqs/") < results.index(url)
                                       for url, (project, _) in zip(results, ranks) if project)


def test_japanese_in_english_results_is_marked_as_japanese(csp_page, csp_site, built_site):
    """An untranslated page shows its Japanese on the English site marked lang="ja"; its result
    marks the Japanese of its title and excerpt too, and only that: the English labels beside
    it stay English."""
    for query in ("丸の内オフィス", "森林"):
        results = search(csp_page, csp_site, query, "en/")
        assert results
        texts = csp_page.eval_on_selector_all("#search-results li", """items => items.flatMap(item => {
            const walker = document.createTreeWalker(item, NodeFilter.SHOW_TEXT), found = [];
            while (walker.nextNode()) {
                const node = walker.currentNode;
                found.push([node.textContent, node.parentElement.closest('[lang]').lang]);
            }
            return found;
        })""")
        japanese = [(text, lang) for text, lang in texts if JAPANESE.search(text)]
        assert japanese and all(lang == "ja" for _, lang in japanese), [t for t in japanese if t[1] != "ja"]
        assert ("Seller", "en") in [(text.strip(), lang) for text, lang in texts] or query != "丸の内オフィス"
    csp_page.goto(f"{csp_site}/en/search/?q=%E4%B8%B8%E3%81%AE%E5%86%85")  # 丸の内
    csp_page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    title = csp_page.locator("#search-results a[href='/en/offers/boiler-tokyo/']")
    assert title.locator("span[lang=ja]").text_content() == title.text_content() == "「丸の内オフィス省エネ」クレジット"
    assert csp_page.locator("#search-results li p mark span[lang=ja]").first.text_content() == "丸の内"


def test_a_count_of_one_is_in_the_singular(csp_page, csp_site, built_site):
    """English says "1 result", Japanese has one form ("1件"): the page's language's plural
    rules choose among the forms the catalog gives."""
    assert len(pages_holding(built_site, "nakashibetsu", "en")) == 1
    assert len(search(csp_page, csp_site, "Nakashibetsu", "en/")) == 1
    assert csp_page.locator("#search-status").text_content() == "1 result for “Nakashibetsu”"
    assert len(search(csp_page, csp_site, "サイバー")) == 1
    assert csp_page.locator("#search-status").text_content() == "「サイバー」の検索結果：1件"
    search(csp_page, csp_site, "forest management", "en/")
    assert re.fullmatch(r"\d+ results for “forest management”", csp_page.locator("#search-status").text_content())
