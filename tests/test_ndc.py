"""NDCs: what changed between submissions (computed, worded in both languages from the Babel
catalog), the comparison table's markup for sorting, the party pages, and the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil

import lxml.html
import pytest
from openpyxl import load_workbook

from conftest import FIXTURE, ROOT, read, run_build
from i18n.catalogs import translations
from model import VOCABULARIES
from model.ndc import BASE_YEAR_INCREASE, INCREASE, describe_target, format_reduction, history, submission_changes

CATALOGS = str(ROOT / "theme" / "translations")


def target(year=2030, pct=None, low=None, high=None, **extra):
    found = {"year": year, "type": extra.pop("type", "base-year"), "base_year": extra.pop("base_year", 2013),
             "net": extra.pop("net", True), **extra}
    if pct is not None:
        found["reduction_pct"] = pct
    else:
        found["reduction_pct_range"] = [low, high]
    return found


def submission(*targets, on="2021-10-22", version="1.0"):
    return {"submitted_on": dt.date.fromisoformat(on), "version": version, "targets": list(targets)}


def sentences(changes, lang):
    gettext = translations(CATALOGS, lang).gettext
    return [change.describe(gettext, lang) for change in changes]


@pytest.mark.parametrize("old, new, kind, ja, en", [
    (target(pct=26), target(pct=46), "raised",
     "2030年の目標の削減率を引き上げ：26% → 46%", "Raised the 2030 reduction: 26% → 46%"),
    (target(pct=46), target(pct=40), "lowered",
     "2030年の目標の削減率を引き下げ：46% → 40%", "Lowered the 2030 reduction: 46% → 40%"),
    (target(low=50, high=60), target(low=52, high=58), "narrowed",
     "2030年の目標の幅を狭めました：50～60% → 52～58%", "Narrowed the 2030 range: 50–60% → 52–58%"),
    (target(low=52, high=58), target(low=50, high=60), "widened",
     "2030年の目標の幅を広げました：52～58% → 50～60%", "Widened the 2030 range: 52–58% → 50–60%"),
    (target(pct=30), target(low=40, high=45), "raised",
     "2030年の目標の削減率を引き上げ：30% → 40～45%", "Raised the 2030 reduction: 30% → 40–45%"),
    (target(low=50, high=52), target(pct=51), "reduction",
     "2030年の目標の削減率を変更：50～52% → 51%", "Changed the 2030 reduction: 50–52% → 51%"),
    (target(pct=66.25, net=False), target(pct=66.25, net=True), "net",
     "2030年の目標の計上方法を変更：グロス → ネット", "Changed the accounting of the 2030 target: Gross → Net"),
])
def test_a_changed_target_is_described_in_both_languages(old, new, kind, ja, en):
    changes = submission_changes(submission(old), submission(new))
    assert [c.kind for c in changes] == [kind]
    assert sentences(changes, "ja") == [ja]
    assert sentences(changes, "en") == [en]


def test_a_new_base_year_makes_percentages_incomparable():
    changes = submission_changes(submission(target(pct=26, base_year=2005)), submission(target(pct=46, base_year=2013)))
    assert [c.kind for c in changes] == ["base_year", "reduction"]  # not "raised": another base
    assert sentences(changes, "en") == ["Changed the base year of the 2030 target: 2005 → 2013",
                                        "Changed the 2030 reduction: 26% → 46%"]
    assert sentences(changes, "ja")[0] == "2030年の目標の基準年を変更：2005年 → 2013年"


def test_a_new_type_is_named_from_the_code_list():
    changes = submission_changes(submission(target(pct=65, type="intensity", base_year=2005)),
                                 submission(target(low=7, high=10, type="peak", base_year=None)))
    assert [c.kind for c in changes] == ["type", "reduction"]
    assert sentences(changes, "ja")[0] == "2030年の目標の種類を変更：原単位 → ピーク比"
    assert sentences(changes, "en")[0] == ("Changed the type of the 2030 target: Emissions intensity → "
                                           "Reduction from the peak")


def test_targets_added_and_no_longer_stated_and_an_unchanged_resubmission():
    first = submission(target(2030, pct=46), on="2021-10-22", version="1.1")
    second = submission(target(2035, pct=60), target(2040, pct=73), on="2025-02-18", version="2.0")
    changes = submission_changes(first, second)
    assert sentences(changes, "ja") == [
        "2030年の目標は記載されなくなりました（前回：2013年比46%削減（ネット））",
        "2035年の目標を追加：2013年比60%削減（ネット）",
        "2040年の目標を追加：2013年比73%削減（ネット）"]
    assert sentences(changes, "en") == [
        "The 2030 target is no longer stated (previously 46% below 2013 (Net))",
        "Added a 2035 target: 60% below 2013 (Net)",
        "Added a 2040 target: 73% below 2013 (Net)"]
    again = submission(target(2030, pct=46), on="2023-10-16", version="1.2")
    assert sentences(submission_changes(first, again), "en") == [
        "No change to the targets since the previous submission."]


def test_history_is_newest_first_and_starts_with_the_first_submission():
    pairs = history([submission(target(pct=46), on="2021-10-22", version="1.1"),
                     submission(target(pct=26), on="2020-03-31", version="1.0")])
    assert [s["version"] for s, _ in pairs] == ["1.1", "1.0"]
    assert [c.kind for c in pairs[0][1]] == ["raised"] and [c.kind for c in pairs[1][1]] == ["first"]
    same_day = history([submission(target(pct=50), on="2021-10-22", version="1.10"),
                        submission(target(pct=46), on="2021-10-22", version="1.9")])
    assert [s["version"] for s, _ in same_day] == ["1.10", "1.9"]  # versions compare as numbers


def test_party_code_list_holds_iso_codes_readings_and_known_covering_parties():
    import pycountry
    codes = VOCABULARIES.codes("parties")
    for code in codes:
        entry = VOCABULARIES.entry("parties", code)
        assert code == "EUU" or pycountry.countries.get(alpha_3=code), code
        assert entry["ja"] and entry["en"] and entry["kana"], code
        assert entry.get("covered_by") in (None, *codes), code


# -- the built pages ---------------------------------------------------------------------

def page(output, path):
    return lxml.html.fromstring(read(output, path + "index.html"))


def test_comparison_table_is_marked_up_for_the_sortable_table_script(built_site):
    table = page(built_site, "international/ndc/").xpath("//table[@id='ndc-table']")[0]
    assert table.get("data-module") == "sortable-table"
    sortable = table.xpath("./thead/tr/th[@aria-sort]")
    assert len(sortable) == 7 and all(th.get("scope") == "col" for th in sortable)
    # shown in the order of the parties' names, as the party column says (was the files' order)
    assert [th.get("aria-sort") for th in sortable] == ["ascending"] + ["none"] * 6
    rows = table.xpath("./tbody/tr")
    # DEU 2030, JPN 2035 and 2040, USA 2035: the latest submission's targets, one row each
    assert [r.xpath("string(./td[2])").strip() for r in rows] == ["2030", "2035", "2040", "2035"]
    usa = rows[3]
    assert usa.xpath("./th/@data-sort-value") == ["べいこく"]
    assert usa.xpath("./td[1]/@data-sort-value") == ["2024-12-19"]
    assert usa.xpath("./td[5]/@data-sort-value") == ["61"]  # a range sorts by its lower value
    assert usa.xpath("string(./td[5])").strip() == "61～66%"
    english = page(built_site, "en/international/ndc/").xpath("//table[@id='ndc-table']/tbody/tr")
    assert english[3].xpath("./th/@data-sort-value") == ["United States"]
    assert english[3].xpath("string(./td[5])").strip() == "61–66%"
    assert "Covered by the NDC of the European Union" in english[0].xpath("string(./td[7])")


def test_comparison_page_leaves_a_place_for_the_chart_and_links_its_data(built_site):
    section = page(built_site, "international/ndc/").xpath("//section[@id='ndc-chart']")[0]
    assert section.xpath(".//h2") and section.xpath(".//a/@href") == ["/international/ndc/ndc-chart.csv"]
    chart = list(csv.DictReader(io.StringIO(read(built_site, "international/ndc/ndc-chart.csv").lstrip("\ufeff"))))
    assert [(r["締約国コード"], r["目標年"]) for r in chart] == [("JPN", "2035"), ("JPN", "2040"), ("USA", "2035")]
    assert chart[2]["削減率の下限（%）"] == "61" and chart[2]["削減率の上限（%）"] == "66"


def test_party_page_lists_every_submission_with_what_changed(built_site):
    ja = page(built_site, "international/ndc/JPN/")
    assert [h.text_content().split("（")[0] for h in ja.xpath("//main//section[@class='submission']/h2")] == [
        "日本の第2次NDC", "日本のNDC"]
    changes = [[" ".join(li.text_content().split()) for li in s.xpath(".//ul[contains(@class,'changes')]/li")]
               for s in ja.xpath("//section[@class='submission']")]
    assert changes == [["2030年の目標は記載されなくなりました（前回：2013年比46%削減（ネット））",
                        "2035年の目標を追加：2013年比60%削減（ネット）",
                        "2040年の目標を追加：2013年比73%削減（ネット）"],
                       ["最初の提出です。"]]
    en = page(built_site, "en/international/ndc/JPN/")
    assert "Added a 2035 target: 60% below 2013 (Net)" in en.text_content()
    assert en.xpath("//h1")[0].text_content() == "NDC of Japan"


def test_member_state_page_says_whose_ndc_covers_it(built_site):
    notice = page(built_site, "international/ndc/DEU/").xpath("//div[contains(@class,'notice-info')]")[0]
    assert "ドイツは独自のNDCを提出せず、欧州連合（EU）のNDCの対象です。" in notice.text_content()


def test_ndc_open_data_in_three_formats_holds_every_target_of_every_submission(built_site):
    rows = list(csv.DictReader(io.StringIO(read(built_site, "international/ndc/ndc.csv").lstrip("\ufeff"))))
    assert len(rows) == 5  # DEU 1, JPN 1 + 2, USA 1
    jpn = [r for r in rows if r["締約国コード"] == "JPN"]
    assert [(r["提出日"], r["目標年"], r["最新の提出"]) for r in jpn] == [
        ("2025-02-18", "2035", "true"), ("2025-02-18", "2040", "true"), ("2021-10-22", "2030", "false")]
    assert rows[0]["対象となるNDC"] == "欧州連合（EU）"
    document = json.loads(read(built_site, "en/international/ndc/ndc.json"))
    usa = [r for r in document["rows"] if r["party"] == "USA"][0]
    assert usa["reduction_low_pct"] == 61 and usa["reduction_high_pct"] == 66 and usa["net"] == "Net"
    assert usa["target_type"] == "Reduction from a base year" and usa["party_name"] == "United States"
    workbook = load_workbook(built_site / "international/ndc/ndc.xlsx")
    sheet = workbook.active
    assert [c.value for c in sheet[1]][:3] == ["締約国コード", "締約国", "対象となるNDC"]
    assert sheet.max_row == 6
    years = [c for c in sheet[2] if isinstance(c.value, int) and 1990 <= c.value <= 2100]
    assert years and all(c.number_format == "0" for c in years)  # Excel shows 2035, not 2,035
    assert_no_hidden_data(built_site / "international/ndc/ndc.xlsx")
    links = page(built_site, "international/ndc/").xpath("//a[@class='download']/@href")
    assert {"/international/ndc/ndc.csv", "/international/ndc/ndc.xlsx", "/international/ndc/ndc.json"} <= set(links)
    assert "/en/international/ndc/ndc.csv" in page(built_site, "en/international/ndc/").xpath("//a/@href")


def assert_no_hidden_data(path, day=dt.date(2026, 11, 23)):
    """A published workbook shows all it holds, names no person, and is dated by the build."""
    import zipfile
    workbook = load_workbook(path)
    assert workbook.properties.creator == workbook.properties.lastModifiedBy == "J-クレジット制度事務局"
    for sheet in workbook.worksheets:
        assert sheet.sheet_state == "visible"
        assert not [r for r, d in sheet.row_dimensions.items() if d.hidden]
        assert not [c for c, d in sheet.column_dimensions.items() if d.hidden]
        assert not [cell for row in sheet.iter_rows() for cell in row if cell.comment]
    archive = zipfile.ZipFile(path)
    assert not [n for n in archive.namelist() if "comments" in n or "people" in n or "threaded" in n]
    assert {info.date_time[:3] for info in archive.infolist()} == {(day.year, day.month, day.day)}


def test_internal_party_and_a_tree_without_ndcs(tmp_path, content_copy):
    from conftest import run_build
    usa = content_copy / "ja/international/ndc/USA.yaml"
    usa.write_text(usa.read_text(encoding="utf-8") + "visibility: internal\n", encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    assert not (output / "international/ndc/USA").exists()
    for name in ("ndc.csv", "ndc.json", "ndc-chart.csv"):
        assert b"USA" not in (output / "international/ndc" / name).read_bytes()
    for party in content_copy.glob("ja/international/ndc/*.yaml"):
        party.unlink()
    assert run_build(content=content_copy, output=output).returncode == 0
    assert "NDCのデータはありません。" in read(output, "international/ndc/index.html")
    assert not (output / "international/ndc/ndc.csv").exists()


def test_comparison_chart_is_an_svg_with_a_bar_per_latest_target(built_site):
    import lxml.etree
    for prefix, name, span in (("", "米国", "61～66%"), ("en/", "United States", "61–66%")):
        svg = lxml.etree.parse(str(built_site / f"{prefix}international/ndc/ndc-chart.svg")).getroot()
        text = " ".join(svg.itertext())
        assert name in text and span in text  # a range labelled whole as in the table, drawn at its lower bound
        assert svg.find("{http://www.w3.org/2000/svg}title") is not None
        page = (built_site / f"{prefix}international/ndc/index.html").read_text(encoding="utf-8")
        assert f'src="/{prefix}international/ndc/ndc-chart.svg"' in page


# -- an increase: a negative reduction of a base-year target -------------------------------

def english_catalog_words_increases():
    english = translations(CATALOGS, "en")
    return all(english.gettext(message) != message for message in (BASE_YEAR_INCREASE, INCREASE))


needs_english_increase = pytest.mark.skipif(
    not english_catalog_words_increases(),
    reason=f"theme/translations/en lacks {BASE_YEAR_INCREASE!r} and {INCREASE!r}")


@pytest.mark.parametrize("increase, reduction, phrase", [
    (target(pct=-10), "10%増加", "2013年比10%増加（ネット）"),
    (target(low=-10, high=-5), "5～10%増加", "2013年比5～10%増加（ネット）"),  # the smaller increase first
    (target(low=-7.5, high=0.0), "0～7.5%増加", "2013年比0～7.5%増加（ネット）"),  # not "-0"
])
def test_a_negative_reduction_reads_as_an_increase(increase, reduction, phrase):
    japanese = translations(CATALOGS, "ja").gettext
    assert format_reduction(increase, japanese, "ja") == reduction
    assert describe_target(increase, japanese, "ja") == phrase
    changes = submission_changes(submission(increase), submission(target(pct=5)))
    assert sentences(changes, "ja") == [f"2030年の目標の削減率を引き上げ：{reduction} → 5%"]


@needs_english_increase
def test_a_negative_reduction_reads_as_an_increase_in_english():
    english = translations(CATALOGS, "en").gettext
    assert describe_target(target(pct=-10), english, "en") == "10% above 2013 (Net)"
    assert format_reduction(target(low=-10, high=-5), english, "en") == "5–10% increase"


@pytest.fixture(scope="module")
def increase_site(tmp_path_factory):
    """The fixture tree with the USA's 2035 target an increase of 10% over 2005, built."""
    content = tmp_path_factory.mktemp("increase") / "content"
    shutil.copytree(FIXTURE, content)
    usa = content / "ja/international/ndc/USA.yaml"
    usa.write_text(usa.read_text(encoding="utf-8").replace("reduction_pct_range: [61, 66]", "reduction_pct: -10"),
                   encoding="utf-8")
    output = content.parent / "output"
    result = run_build(content=content, output=output)
    # was: four problems naming ndc.csv and ndc-chart.csv, whose text cell "-10%" runs as a formula
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_an_increase_is_published_in_words_and_as_a_negative_number(increase_site):
    party = page(increase_site, "international/ndc/USA/").text_content()
    assert "2035年：2005年比10%増加（ネット）" in party
    [row] = page(increase_site, "international/ndc/").xpath(
        "//table[@id='ndc-table']/tbody/tr[th/a/@href='/international/ndc/USA/']")
    assert row.xpath("string(./td[5])").strip() == "10%増加" and row.xpath("./td[5]/@data-sort-value") == ["-10"]
    for name in ("ndc.csv", "ndc-chart.csv"):
        [usa] = [r for r in csv.DictReader(io.StringIO(read(increase_site, f"international/ndc/{name}").lstrip("\ufeff")))
                 if r["締約国コード"] == "USA"]
        assert usa["削減率"] == "10%増加"  # the text column in words
        assert usa["削減率の下限（%）"] == usa["削減率の上限（%）"] == "-10"  # the numbers stay numbers
    [usa] = [r for r in json.loads(read(increase_site, "international/ndc/ndc.json"))["rows"] if r["party"] == "USA"]
    assert usa["reduction_low_pct"] == -10 and usa["reduction"] == "10%増加"
    workbook = load_workbook(increase_site / "international/ndc/ndc.xlsx").active
    header = [c.value for c in workbook[1]]
    usa_row = next(row for row in workbook.iter_rows(min_row=2, values_only=True) if row[0] == "USA")
    assert usa_row[header.index("削減率")] == "10%増加" and usa_row[header.index("削減率の下限（%）")] == -10
    assert "米国 2035年（10%増加）" in read(increase_site, "international/ndc/ndc-chart.svg")


@needs_english_increase
def test_an_increase_is_published_in_english_words(increase_site):
    assert "2035: 10% above 2005 (Net)" in " ".join(page(increase_site, "en/international/ndc/USA/").text_content().split())
    [usa] = [r for r in json.loads(read(increase_site, "en/international/ndc/ndc.json"))["rows"] if r["party"] == "USA"]
    assert usa["reduction"] == "10% increase" and usa["reduction_low_pct"] == -10
