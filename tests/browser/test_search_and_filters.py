"""Search, list filters and the new pages in the system Chromium, served with the site's
strict Content-Security-Policy: every query's results are exactly the pages holding its words,
filters narrow the lists, and no page breaks the policy or leaves 127.0.0.1."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest

from test_accessibility import AXE

pytestmark = pytest.mark.browser


@pytest.fixture
def csp_page(page, csp_site):
    """A page on the CSP-served site that records console errors (CSP violations among them),
    script errors and any request to another host."""
    problems = []
    page.on("console", lambda msg: msg.type == "error" and problems.append(msg.text))
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("request", lambda req: urlparse(req.url).hostname != "127.0.0.1" and problems.append(req.url))
    yield page
    assert problems == []


def pages_holding(built_site: Path, word: str, lang: str) -> set[str]:
    """The URLs of the pages in the search index (data-pagefind-body) whose text holds `word`,
    as a reader sees the text (a table's cells apart: search.bigrams.searchable_page)."""
    from search.bigrams import searchable_page
    found = set()
    for path in built_site.rglob("index.html"):
        shown = searchable_page(path.read_text(encoding="utf-8"))
        if not shown or shown.lang != lang:
            continue
        text = unicodedata.normalize("NFKC", shown.text).lower()
        if word.lower() in text:
            found.add("/" + path.parent.relative_to(built_site).as_posix().removeprefix(".") + "/")
    return {url.replace("//", "/") for url in found}


def search(page, site: str, query: str, lang_prefix: str = "") -> list[str]:
    """Run `query` on the search page; return every result URL (all pages of results)."""
    page.goto(f"{site}/{lang_prefix}search/?q={quote(query)}")
    page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    more = page.locator("#search-more")
    while more.is_visible():
        shown = page.locator("#search-results li").count()
        more.click()
        page.locator(f"#search-results li >> nth={shown}").wait_for()
    return page.eval_on_selector_all("#search-results h2 a", "links => links.map(a => a.getAttribute('href'))")


@pytest.mark.parametrize("word", ["クレジット", "プロバイダー", "モニタリング", "ヒートポンプ", "ベースライン",
                                  "森林", "運営委員会"])
def test_japanese_query_finds_exactly_the_pages_holding_it(csp_page, csp_site, built_site, word):
    expected = pages_holding(built_site, word, "ja")
    assert expected  # the fixture holds the word somewhere
    results = search(csp_page, csp_site, word)
    assert len(results) == len(set(results))
    assert set(results) == expected
    assert csp_page.locator("#search-status").text_content() == f"「{word}」の検索結果：{len(expected)}件"
    first = csp_page.locator("#search-results li p").first
    assert word in first.text_content() and word.startswith(first.locator("mark").first.text_content())


def test_katakana_query_does_not_match_a_different_word(csp_page, csp_site, built_site):
    """サイバー must not find the page that only has サイドバー (Pagefind issue #1237)."""
    assert pages_holding(built_site, "サイドバー", "ja") == {"/news/2026-11-10-site-sidebar/"}
    assert search(csp_page, csp_site, "サイバー") == ["/news/2026-11-15-security/"]
    assert search(csp_page, csp_site, "サイドバー") == ["/news/2026-11-10-site-sidebar/"]
    assert search(csp_page, csp_site, "サイバー攻撃 対策") == ["/news/2026-11-15-security/"]
    assert search(csp_page, csp_site, "存在しない言葉") == []
    assert csp_page.locator("#search-status").text_content() == "「存在しない言葉」に一致するページは見つかりませんでした。"


def test_query_whose_character_pairs_occur_apart_finds_nothing(csp_page, csp_site, built_site):
    """The sidebar news holds 関連する and 表示するよう: every pair of 連するよう, never the word."""
    assert pages_holding(built_site, "関連する", "ja") & pages_holding(built_site, "するよう", "ja")
    assert search(csp_page, csp_site, "連するよう") == []


def test_english_queries_search_the_english_site(csp_page, csp_site, built_site):
    results = search(csp_page, csp_site, "minutes", "en/")
    assert "/en/news/2026-10-01-meeting/" in results
    assert results and all(url.startswith("/en/") for url in results)
    count = f"{len(results)} result{'' if len(results) == 1 else 's'}"  # "1 results" was wrong
    assert csp_page.locator("#search-status").text_content() == f"{count} for “minutes”"
    assert "/en/methodologies/FO-001/" in search(csp_page, csp_site, "forest management", "en/")
    # an untranslated page shows its Japanese text on the English site, and is found by it
    assert set(search(csp_page, csp_site, "丸の内オフィス", "en/")) == pages_holding(built_site, "丸の内オフィス", "en")
    assert "/en/offers/boiler-tokyo/" in pages_holding(built_site, "丸の内オフィス", "en")


def test_header_search_box_leads_to_results(csp_page, csp_site):
    csp_page.goto(f"{csp_site}/offers/")
    csp_page.get_by_role("searchbox", name="サイト内検索").fill("プロバイダー")
    csp_page.keyboard.press("Enter")
    csp_page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    assert csp_page.url.startswith(f"{csp_site}/search/?q=")
    assert "/providers/" in csp_page.eval_on_selector_all("#search-results h2 a", "a => a.map(x => x.getAttribute('href'))")


def test_search_results_pass_axe(page, served_site):
    page.goto(f"{served_site}/search/?q={quote('クレジット')}")
    page.wait_for_selector("#search-results[aria-busy=false]", state="attached")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    assert [v["id"] for v in result["violations"]] == []


def visible_rows(page, table: str) -> list[str]:
    # the row header's own link: not the link of a notice beside it ("Japanese page")
    return page.eval_on_selector_all(f"#{table} tbody tr:not([hidden]) th > a", "a => a.map(x => x.textContent.trim())")


def test_project_filters_narrow_the_list_and_keep_the_choice_in_the_url(csp_page, csp_site):
    csp_page.goto(f"{csp_site}/projects/")
    assert visible_rows(csp_page, "projects-table") == ["P0010", "P0014", "P2001"]
    csp_page.get_by_label("方法論の区分").select_option("energy-saving")
    assert visible_rows(csp_page, "projects-table") == ["P2001"]
    assert csp_page.locator("#projects-table-status").text_content() == "3件中1件を表示しています。"
    assert "category=energy-saving" in csp_page.url
    csp_page.get_by_label("方法論の区分").select_option("forestry")
    csp_page.get_by_label("都道府県").select_option("宮城県")
    assert visible_rows(csp_page, "projects-table") == ["P0014"]
    csp_page.reload()  # the URL keeps the filtered view
    assert visible_rows(csp_page, "projects-table") == ["P0014"]
    csp_page.get_by_role("button", name="条件をクリア").click()
    csp_page.locator("#projects-table-status").filter(has_text="3件中3件").wait_for()
    assert visible_rows(csp_page, "projects-table") == ["P0010", "P0014", "P2001"]


def test_provider_filters_by_service_and_area(csp_page, csp_site):
    csp_page.goto(f"{csp_site}/en/providers/")
    table = "providers-table"
    assert len(visible_rows(csp_page, table)) == 2
    csp_page.get_by_label("Area").select_option("熊本県")
    assert len(visible_rows(csp_page, table)) == 2  # a nationwide provider serves Kumamoto too
    csp_page.get_by_label("Services").select_option("brokerage")
    assert visible_rows(csp_page, table) == ["株式会社全国カーボン支援"]
    csp_page.get_by_label("Services").select_option("sales")
    assert visible_rows(csp_page, table) == ["九州森林クレジット協同組合"]
    assert csp_page.locator("#providers-table-status").text_content() == "Showing 1 of 2."


def test_filters_stay_hidden_and_lists_whole_without_javascript(browser, csp_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{csp_site}/projects/")
    assert not page.locator("form.list-filter").is_visible()
    assert len(visible_rows(page, "projects-table")) == 3
    context.close()


@pytest.mark.parametrize("path", ["", "en/", "statistics/", "en/statistics/", "opendata/", "en/opendata/",
                                  "meetings/", "methodologies/", "projects/", "providers/", "faqs/", "search/"])
def test_page_breaks_no_content_security_policy(csp_page, csp_site, path):
    csp_page.goto(f"{csp_site}/{path}")
    csp_page.wait_for_load_state("load")
    broken = csp_page.eval_on_selector_all("img", "imgs => imgs.filter(i => !i.naturalWidth).map(i => i.src)")
    assert broken == []


def test_catalogue_json_ld_is_read_by_the_browser_under_the_policy(csp_page, csp_site):
    csp_page.goto(f"{csp_site}/opendata/")
    text = csp_page.eval_on_selector("script[type='application/ld+json']", "s => s.textContent")
    catalog = json.loads(text)
    assert catalog["@type"] == "dcat:Catalog" and len(catalog["dcat:dataset"]) >= 10


def test_ndc_comparison_sorts_by_reduction_and_by_party(csp_page, csp_site):
    """The NDC comparison is a sortable table: ranges sort by their lower value."""
    csp_page.goto(f"{csp_site}/international/ndc/")
    table = csp_page.locator("#ndc-table")
    reduction = table.locator("thead th", has_text="削減率")
    reduction.get_by_role("button").click()
    assert reduction.get_attribute("aria-sort") == "ascending"
    keys = [float(v) for v in table.locator("tbody td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-sort-value'))")]
    assert keys == sorted(keys) and len(keys) > 1
    assert csp_page.locator("#ndc-status").text_content() == "「削減率」の昇順に並べ替えました"
    assert csp_page.url.endswith("?sort=reduction&order=ascending")
    reduction.get_by_role("button").click()
    keys = [float(v) for v in table.locator("tbody td:nth-child(6)").evaluate_all(
        "cells => cells.map(c => c.getAttribute('data-sort-value'))")]
    assert keys == sorted(keys, reverse=True)


def test_registered_projects_sort_by_certified_credits_and_registration_date(csp_page, csp_site):
    csp_page.goto(f"{csp_site}/projects/")
    table = csp_page.locator("#projects-table")
    assert table.locator("thead th", has_text="番号").get_attribute("aria-sort") == "ascending"  # the server's order
    certified = table.locator("thead th", has_text="認証量")
    certified.get_by_role("button").click()
    amounts = [int(text.replace(",", "")) for text in table.locator("tbody td:nth-child(7)").all_text_contents()]
    assert amounts == sorted(amounts) and len(set(amounts)) > 1
    assert csp_page.locator("#projects-sort-status").text_content() == "「認証量（t-CO2）」の昇順に並べ替えました"
    certified.get_by_role("button").click()
    amounts = [int(text.replace(",", "")) for text in table.locator("tbody td:nth-child(7)").all_text_contents()]
    assert amounts == sorted(amounts, reverse=True)
    table.locator("thead th", has_text="登録日").get_by_role("button").click()
    dates = table.locator("tbody td:nth-child(6) time").evaluate_all("times => times.map(t => t.dateTime)")
    assert dates == sorted(dates) and "sort=registered" in csp_page.url
