"""The offers table in the system Chromium: sorting every kind of column both ways from the
header buttons found by their Japanese (and English) names, filters and their URL state, the
keyboard, rows out of view, hostile offer text, and the page without JavaScript."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect
from test_accessibility import AXE, checked_page  # noqa: F401  (a fixture: console errors, other hosts)

from conftest import FIXTURE, run_build, serving
from model import load_site

pytestmark = pytest.mark.browser

# (id, brand, reading, methodology, prefecture, sector, quantity, listed_on, seller)
# Readings put the brands in an order that neither their kanji nor the listing order gives;
# quantities and dates sort differently as text and as numbers or dates.
MORE_OFFERS = [
    ("asahi", "「朝日の森」クレジット", "あさひのもり", "FO-001", "青森県", "forestry", 9, "2025-12-05", "朝日町森林組合"),
    ("inaho", "「稲穂」中干しクレジット", "いなほ", "AG-005", "新潟県", "agriculture", 1200, "2026-10-01", "株式会社いなほ農園"),
    ("umikaze", "「海風」省エネクレジット", "うみかぜ", "EN-S-001", "福岡県", "manufacturing", 75, "2026-02-15", "株式会社海風製作所"),
    ("enoki", "「榎の森」クレジット", "えのきのもり", "FO-001", "高知県", "public", 3000, "2026-11-20", "榎村"),
    ("ozora", "「大空」再エネクレジット", "おおぞら", "EN-S-001", "北海道", "electricity", 20000, "2026-03-31", "環境省"),
]
# What the fixture already lists: kochi-forest, boiler-tokyo, gov-held.
BY_READING = ["asahi", "inaho", "umikaze", "enoki", "ozora", "gov-held", "kochi-forest", "boiler-tokyo"]


def offer_yaml(offer_id, brand, reading, methodology, prefecture, sector, quantity, listed_on, seller) -> str:
    return (f"brand: {brand}\nbrand_kana: {reading}\nmethodology: {methodology}\nprefecture: {prefecture}\n"
            f"sector: {sector}\nquantity_t_co2: {quantity}\nconditions: {brand}の販売条件です。\nseller: {seller}\n"
            f"contact_url: https://www.example.jp/{offer_id}/contact/\nlisted_on: {listed_on}\nstatus: open\n")


@pytest.fixture(scope="session")
def offers_site(tmp_path_factory):
    """The fixture tree with five more offers, built and served; yields (base URL, listed offers)."""
    content = tmp_path_factory.mktemp("offers") / "content"
    shutil.copytree(FIXTURE, content)
    for offer in MORE_OFFERS:
        (content / "ja/offers" / f"{offer[0]}.yaml").write_text(offer_yaml(*offer), encoding="utf-8")
    output = content.parent / "output"
    result = run_build(content=content, output=output)
    assert result.returncode == 0, result.stderr
    offers = {o.id: o for o in load_site(content).all("offers") if o.id in set(BY_READING)}
    with serving(output) as url:
        yield url, offers


@pytest.fixture(scope="session")
def long_offers_site(tmp_path_factory):
    """The fixture tree with 120 more offers (a long table), built and served; yields (base URL,
    every listed offer by id)."""
    content = tmp_path_factory.mktemp("long-offers") / "content"
    shutil.copytree(FIXTURE, content)
    for n in range(120):
        reading = "ながいひょう" + "".join("あいうえおかきくけこ"[int(d)] for d in f"{n:03d}")
        offer = (f"long-{n:03d}", f"「長い表{n}」クレジット", reading, "FO-001", "高知県", "forestry",
                 (n * 37) % 1000 + 1, f"2026-{n % 9 + 1:02d}-{n % 27 + 1:02d}", f"長い表森林組合{n}")
        (content / "ja/offers" / f"{offer[0]}.yaml").write_text(offer_yaml(*offer), encoding="utf-8")
    output = content.parent / "output"
    result = run_build(content=content, output=output)
    assert result.returncode == 0, result.stderr
    with serving(output) as url:
        yield url, {o.id: o for o in load_site(content).all("offers")}


def visible_ids(page) -> list[str]:
    return page.eval_on_selector_all(
        "#offers-table tbody tr:not([hidden]) th a", "links => links.map(a => a.pathname.split('/')[2])")


def header(page, name):
    """A column's sort button, found by the header's visible name."""
    return page.locator("#offers-table thead th", has_text=name).get_by_role("button")


def sort_state(page, name):
    return page.locator("#offers-table thead th", has_text=name).get_attribute("aria-sort")


@pytest.mark.parametrize("name, key, order_of", [
    ("数量", "quantity", lambda o: o.quantity_t_co2),
    ("掲載日", "listed", lambda o: o.listed_on),
    ("銘柄", "brand", lambda o: BY_READING.index(o.id)),
    ("都道府県", "prefecture", lambda o: (int({"北海道": 1, "青森県": 2, "東京都": 13, "新潟県": 15, "高知県": 39,
                                               "福岡県": 40}[o.prefecture]), BY_READING.index(o.id))),
])
def test_sorting_each_kind_of_column_both_ways(checked_page, offers_site, name, key, order_of):
    page, _ = checked_page
    url, offers = offers_site
    page.goto(f"{url}/offers/")
    ascending = [o.id for o in sorted(offers.values(), key=order_of)]
    header(page, name).click()
    assert sort_state(page, name) == "ascending"
    if key != "prefecture":  # equal prefectures keep their previous order
        assert visible_ids(page) == ascending
    else:
        assert [offers[i].prefecture for i in visible_ids(page)] == [offers[i].prefecture for i in ascending]
    assert page.locator("#offers-status").text_content() == f"「{page.locator('#offers-table thead th', has_text=name).text_content().strip()}」の昇順に並べ替えました"
    assert page.url.endswith(f"?sort={key}&order=ascending")
    header(page, name).click()
    assert sort_state(page, name) == "descending"
    if key != "prefecture":
        assert visible_ids(page) == ascending[::-1]
    assert "降順" in page.locator("#offers-status").text_content()
    assert page.locator("#offers-table thead th[aria-sort]").count() == 1


def test_quantity_sorts_as_numbers_in_english_too(checked_page, offers_site):
    page, _ = checked_page
    url, offers = offers_site
    page.goto(f"{url}/en/offers/")
    header(page, "Quantity").click()
    cells = page.locator("#offers-table tbody td.num").all_text_contents()
    assert [int(c.replace(",", "")) for c in cells] == sorted(o.quantity_t_co2 for o in offers.values())
    assert cells[0] == "9" and cells[-1] == "50,000"
    assert page.locator("#offers-status").text_content() == "Sorted by Quantity (t-CO2), ascending"


def announced(page, text: str) -> None:
    """The status region says `text` (it waits for typing to settle before it speaks)."""
    expect(page.locator("#offers-status")).to_have_text(text)


def test_filters_keep_matching_rows_announce_the_count_and_live_in_the_url(checked_page, offers_site):
    page, _ = checked_page
    url, offers = offers_site
    page.goto(f"{url}/offers/")
    total = len(offers)
    assert page.locator("form.table-filter").is_visible()
    page.select_option("#offers-category", "forestry")
    forestry = [i for i in BY_READING if offers[i].category == "forestry"]
    assert sorted(visible_ids(page)) == sorted(forestry)
    announced(page, f"{total}件中 {len(forestry)}件を表示しています")
    assert "category=forestry" in page.url

    page.select_option("#offers-category", "")
    page.select_option("#offers-area", "hokkaido")
    assert sorted(visible_ids(page)) == sorted(i for i in BY_READING if offers[i].region == "hokkaido")
    page.select_option("#offers-area", "13")
    assert sorted(visible_ids(page)) == sorted(i for i in BY_READING if offers[i].prefecture == "東京都")
    page.select_option("#offers-area", "")
    page.select_option("#offers-sector", "forestry")
    assert sorted(visible_ids(page)) == sorted(i for i in BY_READING if offers[i].sector == "forestry")
    page.select_option("#offers-sector", "")

    page.fill("#offers-min", "100")
    page.fill("#offers-max", "12000")
    in_range = sorted(i for i in BY_READING if 100 <= offers[i].quantity_t_co2 <= 12000)
    assert sorted(visible_ids(page)) == in_range
    header(page, "数量").click()
    assert visible_ids(page) == sorted(in_range, key=lambda i: offers[i].quantity_t_co2)
    shared = page.url
    assert re.search(r"min=100&max=12000", shared) and "sort=quantity" in shared

    page.check("#offers-government")
    government = [i for i in BY_READING if offers[i].government_held]
    assert sorted(government) == ["gov-held", "ozora"]  # ozora's seller 環境省 makes it so
    assert sorted(visible_ids(page)) == sorted(i for i in government if i in in_range)

    # Someone opening the shared link sees the same view, with the controls set.
    other = page.context.new_page()
    other.goto(shared)
    assert visible_ids(other) == sorted(in_range, key=lambda i: offers[i].quantity_t_co2)
    assert other.input_value("#offers-min") == "100" and other.input_value("#offers-max") == "12000"
    assert other.locator("#offers-table thead th", has_text="数量").get_attribute("aria-sort") == "ascending"
    other.close()

    page.click("button[type=reset]")
    page.wait_for_function(f"document.querySelectorAll('#offers-table tbody tr:not([hidden])').length === {total}")
    assert "min=" not in page.url and "government=" not in page.url and "sort=quantity" in page.url
    announced(page, f"{total}件中 {total}件を表示しています")


def test_unknown_url_values_filter_nothing_and_break_nothing(checked_page, offers_site):
    page, _ = checked_page
    url, offers = offers_site
    page.goto(f"{url}/offers/?category=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&min=abc&sort=nothing&order=up")
    assert len(visible_ids(page)) == len(offers)
    assert page.input_value("#offers-category") == "" and page.input_value("#offers-min") == ""
    assert page.locator("img[onerror]").count() == 0


def test_everything_works_from_the_keyboard(checked_page, offers_site):
    page, _ = checked_page
    url, offers = offers_site
    page.goto(f"{url}/offers/")
    page.locator("main").focus()
    reached = []
    for _ in range(30):
        page.keyboard.press("Tab")
        reached.append(page.evaluate("""() => { const e = document.activeElement;
            return e.id || (e.className === 'sort-button' ? 'sort:' + e.closest('th').dataset.sortKey : e.tagName); }"""))
    sorts = [r for r in reached if r.startswith("sort:")]
    assert sorts[:8] == ["sort:brand", "sort:methodology", "sort:prefecture", "sort:sector", "sort:quantity",
                         "sort:conditions", "sort:seller", "sort:listed"]
    filters = ["offers-category", "offers-area", "offers-sector", "offers-min", "offers-max", "offers-government"]
    assert [r for r in reached if r in filters] == filters
    assert reached.index("offers-government") < reached.index("sort:brand")

    header(page, "数量").focus()
    page.keyboard.press("Enter")
    assert sort_state(page, "数量") == "ascending"
    page.keyboard.press("Space")
    assert sort_state(page, "数量") == "descending"

    page.locator("#offers-government").focus()
    page.keyboard.press("Space")
    assert sorted(visible_ids(page)) == ["gov-held", "ozora"]
    page.locator("#offers-category").focus()
    page.keyboard.press("ArrowDown")
    assert page.input_value("#offers-category") == "energy-saving" and visible_ids(page) == ["ozora"]
    page.keyboard.press("ArrowDown")
    assert page.input_value("#offers-category") == "agriculture" and visible_ids(page) == []
    announced(page, f"{len(offers)}件中 0件を表示しています")


@pytest.mark.parametrize("lang", ["", "en/"])
def test_enhanced_and_filtered_table_has_no_wcag_violations(checked_page, offers_site, lang):
    page, _ = checked_page
    url, _ = offers_site
    page.goto(f"{url}/{lang}offers/?category=forestry&sort=quantity&order=descending")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => await axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})""")
    assert len(result["passes"]) > 10
    assert [(v["id"], [n["target"] for n in v["nodes"]][:3]) for v in result["violations"]] == []


SKIPPED = "row => !row.cells[1].checkVisibility({contentVisibilityAuto: true})"
TO_THE_TOP = """async () => { scrollTo(0, 0);  // the table's last rows far below the view
    await new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn))); }"""


def accessible_rows(page) -> list[list[tuple[str, str]]]:
    """The body rows of the page's table in Chromium's accessibility tree: each row's
    (role, name) of its row header and cells."""
    nodes = {n["nodeId"]: n for n in page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]}

    def below(node):
        yield node
        for child in node.get("childIds", []):
            if child in nodes:
                yield from below(nodes[child])

    table = next(n for n in nodes.values() if n["role"]["value"] == "table")
    rows = [[(cell["role"]["value"], cell.get("name", {}).get("value")) for cell in below(row)
             if cell["role"]["value"] in ("rowheader", "cell")]
            for row in below(table) if row["role"]["value"] == "row"]
    return rows[1:]  # after the header row


def test_rows_out_of_view_skip_rendering_yet_stay_readable(browser_type, browser_type_launch_args, long_offers_site):
    """In a long table, rows below the view skip their rendering (content-visibility), which
    keeps sorting fast; they stay in the page all the same: a screen reader's accessibility tree
    holds their cells in the sorted order, and the page's find and Tab bring them into view."""
    url, offers = long_offers_site
    args = browser_type_launch_args["args"] + ["--force-renderer-accessibility"]  # as a screen reader does
    browser = browser_type.launch(**{**browser_type_launch_args, "args": args})
    try:
        page = browser.new_page(viewport={"width": 1024, "height": 300})
        page.goto(f"{url}/offers/")
        header(page, "数量").click()
        order = visible_ids(page)
        rows = page.locator("#offers-table tbody tr")
        last, before_last = rows.last, rows.nth(len(order) - 2)
        page.evaluate(TO_THE_TOP)
        assert last.evaluate(SKIPPED) and before_last.evaluate(SKIPPED)

        exposed = accessible_rows(page)
        brands = [row[0][1].split(" 政府保有")[0] if row else None for row in exposed]  # without the badge
        assert brands == [offers[i].brand for i in order]
        assert exposed[-1] == [("rowheader", last.locator("th").text_content().strip())] + [
            ("cell", " ".join(text.split())) for text in last.locator("td").all_text_contents()]

        assert page.evaluate("text => window.find(text)", before_last.locator("td").nth(4).text_content())
        assert not before_last.evaluate(SKIPPED)  # found, and shown
        page.evaluate(TO_THE_TOP)
        assert last.evaluate(SKIPPED)
        header(page, "掲載日").focus()
        for _ in range(3 * len(order)):
            page.keyboard.press("Tab")
            if last.evaluate("row => row.contains(document.activeElement)"):
                break
        assert not last.evaluate(SKIPPED)  # focused, and shown
    finally:
        browser.close()


def test_a_short_table_renders_every_row(browser, offers_site):
    """Skipping is for long tables only: in a short one every row is laid out, so its innerText
    (what copying and many tools read) holds the row even far below the view."""
    url, offers = offers_site
    page = browser.new_page(viewport={"width": 1024, "height": 300})
    page.goto(f"{url}/offers/")
    header(page, "数量").click()
    page.evaluate(TO_THE_TOP)
    rows = page.locator("#offers-table tbody tr")
    assert rows.count() == len(offers) and not rows.last.evaluate(SKIPPED)
    texts = rows.all_inner_texts()
    assert all(offers[i].brand in text for i, text in zip(visible_ids(page), texts))


def test_without_javascript_the_whole_table_and_the_downloads_serve(browser, offers_site):
    url, offers = offers_site
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{url}/offers/?category=forestry&sort=quantity")
    assert len(visible_ids(page)) == len(offers)
    assert not page.locator("form.table-filter").is_visible()
    assert page.locator("#offers-table thead button").count() == 0
    assert page.get_by_role("link", name=re.compile("CSV")).is_visible()
    response = page.request.get(f"{url}/offers/offers.csv")
    assert response.ok and response.body().startswith(b"\xef\xbb\xbf")
    context.close()


def test_hostile_offer_text_is_shown_never_run(checked_page, tmp_path_factory):
    from test_offers import HOSTILE_BRAND, hostile_copy
    page, _ = checked_page
    content = tmp_path_factory.mktemp("hostile") / "content"
    shutil.copytree(FIXTURE, content)
    output = content.parent / "output"
    assert run_build(content=hostile_copy(content), output=output).returncode == 0
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serving(output) as url:
        for path in ("offers/", "offers/kochi-forest/", "en/offers/"):
            page.goto(f"{url}/{path}")
            if path.endswith("offers/"):
                for name in ("銘柄", "Brand"):
                    if page.locator("#offers-table thead th", has_text=name).count():
                        header(page, name).click()
                        header(page, name).click()
                page.fill("#offers-min", "1")
            assert page.get_by_text(HOSTILE_BRAND).first.is_visible()
            assert page.locator("img, script:not([src])").count() == page.locator("header img").count()
    assert dialogs == []


def test_each_contract_downloads_under_its_offers_name(browser, offers_site):
    """A buyer comparing offers saves several contracts: each arrives named for its offer and
    language, not as one more contract.docx, and opens as the Word document it says it is."""
    import io

    import docx

    url, offers = offers_site
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    names = []
    for offer_id in ("asahi", "kochi-forest"):
        page.goto(f"{url}/offers/{offer_id}/")
        for link in ("契約書ひな形（日本語）", "契約書ひな形（英語）"):
            with page.expect_download() as caught:
                page.get_by_role("link", name=link).click()
            download = caught.value
            names.append(download.suggested_filename)
            assert docx.Document(io.BytesIO(Path(download.path()).read_bytes())).paragraphs
    assert names == ["J-Credit-contract-asahi.docx", "J-Credit-contract-asahi-en.docx",
                     "J-Credit-contract-kochi-forest.docx", "J-Credit-contract-kochi-forest-en.docx"]
    context.close()
