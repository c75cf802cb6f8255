"""The pages the public comes for, on a real build of the fixture tree: committees with their
calendar and data, methodologies and their feed, projects and statistics, providers, FAQs,
news feeds, the home page and the open-data catalogue."""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
import json
import shutil
import re
import zipfile
from pathlib import Path
from urllib.parse import unquote

import icalendar
import lxml.html
import pytest
from lxml import etree
from openpyxl import load_workbook

from conftest import FIXTURE, read, run_build

ATOM = "{http://www.w3.org/2005/Atom}"


def page(output: Path, path: str):
    return lxml.html.fromstring(read(output, path + "index.html"))


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


def csv_rows(output: Path, path: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((output / path).read_bytes().decode("utf-8-sig"))))


def fixture_site():
    from model import load_site
    from model.publication import publishable
    return publishable(load_site(FIXTURE), internal_build=False)


# -- committees ---------------------------------------------------------------------------

def test_meetings_list_upcoming_first_then_by_committee_and_fiscal_year(built_site):
    tree = page(built_site, "meetings/")
    assert texts(tree, "//main//h2") == ["今後の開催予定", "運営委員会", "認証委員会"]
    upcoming = tree.xpath("//section[@aria-labelledby='upcoming']//li//a/@href")
    assert upcoming == ["/meetings/steering-041/"]
    steering = tree.xpath("//section[@aria-labelledby='committee-steering']")[0]
    assert texts(steering, ".//h3") == ["2026年度"]
    assert steering.xpath(".//li//a/@href") == ["/meetings/steering-041/", "/meetings/steering-040/"]
    certification = tree.xpath("//section[@aria-labelledby='committee-certification']")[0]
    assert texts(certification, ".//h3") == ["2025年度"]
    assert "経済産業省 本館17階 第1特別会議室" in texts(steering, ".//li")[1]
    assert texts(page(built_site, "en/meetings/"), "//main//h3")[0] == "FY2026"
    # the mark and the place are two words, to the eye and to a screen reader (were 開催予定オンライン)
    assert texts(tree, "//section[@aria-labelledby='upcoming']//li")[0].endswith("開催予定 オンライン")


def test_meeting_page_shows_place_agenda_materials_and_minutes(built_site):
    tree = page(built_site, "meetings/steering-041/")
    summary = dict(zip(texts(tree, "//dl/dt"), texts(tree, "//dl/dd")))
    assert summary["開催方法"] == "オンライン" and summary["委員会"] == "運営委員会"
    assert tree.xpath("//main//a[@href='/meetings/meetings.ics']")  # upcoming: add to calendar
    held = page(built_site, "meetings/steering-040/")
    assert not held.xpath("//main//a[@href='/meetings/meetings.ics']")
    assert texts(held, "//a[@class='download']") == ["資料1 方法論の改定案"]
    assert texts(held, "//span[@class='file-meta']")[0].startswith("(PDF形式、")


def test_calendar_holds_upcoming_meetings_in_both_languages(built_site):
    calendar = icalendar.Calendar.from_ical((built_site / "meetings/meetings.ics").read_bytes())
    events = calendar.walk("VEVENT")
    assert [str(e["summary"]) for e in events] == ["第41回運営委員会"]
    event = events[0]
    assert event.decoded("dtstart") == dt.datetime(2027, 1, 20, 10, 0, tzinfo=event.decoded("dtstart").tzinfo)
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=9)
    assert event.decoded("dtend").hour == 12
    assert str(event["location"]) == "オンライン" and str(event["uid"]) == "steering-041@japancredit.go.jp"
    assert "1. 新規方法論の策定について" in str(event["description"])
    english = icalendar.Calendar.from_ical((built_site / "en/meetings/meetings.ics").read_bytes())
    assert str(english.walk("VEVENT")[0]["summary"]) == "41st Steering Committee meeting"
    assert str(english.walk("VEVENT")[0]["location"]) == "Online"
    assert str(event["url"]) == "https://japancredit.go.jp/meetings/steering-041/"  # absolute, as RFC 5545 wants


def test_calendar_links_meetings_when_the_site_has_an_address():
    from feeds.ical import meetings_calendar
    data = meetings_calendar(fixture_site(), "en", dt.date(2026, 11, 23), "Meetings", lambda m: m.id, "Online",
                             "https://japancredit.go.jp")
    event = icalendar.Calendar.from_ical(data).walk("VEVENT")[0]
    assert str(event["url"]) == "https://japancredit.go.jp/en/meetings/steering-041/"


def test_meetings_data_has_every_public_meeting_and_no_internal_part(built_site):
    rows = csv_rows(built_site, "meetings/meetings.csv")
    assert [r["ID"] for r in rows] == ["certification-058", "steering-040", "steering-041"]
    certification = rows[0]
    # not public for the certification committee: where, at what time, how it meets
    assert (certification["会場"], certification["開催時間"], certification["オンライン開催"]) == ("", "", "")
    assert certification["認証クレジット量（t-CO2）"] == "8731"
    assert rows[1]["配布資料数"] == "1"  # the internal material is not counted
    document = json.loads((built_site / "en/meetings/meetings.json").read_bytes())
    assert document["rows"][2]["committee"] == "Steering Committee"
    assert document["rows"][2]["online"] is True


# -- methodologies -------------------------------------------------------------------------

def test_methodologies_grouped_with_abolished_ones_marked(built_site):
    tree = page(built_site, "methodologies/")
    abolished = tree.xpath("//tr[@class='abolished']/th/a/@href")
    assert abolished == ["/methodologies/AG-005/"]
    assert tree.xpath("//link[@rel='alternate'][@type='application/atom+xml'][@href='/methodologies/feed.atom']")
    assert page(built_site, "methodologies/AG-005/").xpath("//div[@id='abolished']")
    assert page(built_site, "methodologies/FO-001/").xpath("//tr[@id='v2.10']")


@pytest.mark.parametrize("lang", ["", "en/"])
def test_methodology_feed_lists_revisions_newest_first(built_site, lang):
    feed = etree.fromstring((built_site / f"{lang}methodologies/feed.atom").read_bytes())
    entries = feed.findall(ATOM + "entry")
    updated = [e.findtext(ATOM + "updated") for e in entries]
    assert updated == sorted(updated, reverse=True) and len(entries) == 5  # 4 versions, 1 abolition
    links = [e.find(ATOM + "link").get("href") for e in entries]
    origin = "https://japancredit.go.jp"  # feeds are read away from the site: absolute links (tests/test_feeds.py)
    assert f"{origin}/{lang}methodologies/FO-001/#v2.10" in links and f"{origin}/{lang}methodologies/AG-005/#abolished" in links
    ids = [e.findtext(ATOM + "id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    titles = [e.findtext(ATOM + "title") for e in entries]
    assert ("FO-001 Forest management version 2.10" if lang else "FO-001 森林経営活動 第2.10版") in titles


# -- news ----------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["", "en/"])
def test_news_feed_in_both_languages(built_site, lang):
    feed = etree.fromstring((built_site / f"{lang}news/feed.atom").read_bytes())
    assert feed.get("{http://www.w3.org/XML/1998/namespace}lang") == (lang.strip("/") or "ja")
    entries = feed.findall(ATOM + "entry")
    site = fixture_site()
    assert len(entries) == len([n for n in site.all("news") if not n.hidden])
    titles = [e.findtext(ATOM + "title") for e in entries]
    english = "Minutes of the 40th Steering Committee published"
    assert (english in titles) == bool(lang)
    assert page(built_site, f"{lang}news/").xpath(f"//main//a[@href='/{lang}news/feed.atom']")


# -- home ----------------------------------------------------------------------------------

def test_home_page_shows_next_meeting_news_methodologies_and_offers(built_site):
    tree = page(built_site, "")
    assert tree.xpath("//div[@class='next-meeting']//a/@href") == ["/meetings/steering-041/"]
    assert "オンライン" in texts(tree, "//div[@class='next-meeting']")[0]
    assert tree.xpath("//section[@aria-labelledby='home-news']//li")
    assert tree.xpath("//section[@aria-labelledby='home-methodologies']//li//a/@href")[0] == "/methodologies/FO-001/"
    assert tree.xpath("//section[@aria-labelledby='home-offers']//li")
    assert not tree.xpath("//main[@data-pagefind-body]")  # the home page is a hub, not a result


# -- projects, statistics ------------------------------------------------------------------

def test_projects_list_carries_filter_codes_for_every_row(built_site):
    tree = page(built_site, "projects/")
    form = tree.xpath("//form[@data-module='list-filter']")[0]
    assert form.get("hidden") is not None and form.get("data-pagefind-ignore") is not None
    assert [s.get("name") for s in form.xpath(".//select")] == ["category", "prefecture", "sector"]
    assert form.xpath(".//select[@name='sector']/option/@value") == ["", "commercial"]
    rows = tree.xpath("//table[@id='projects-table']/tbody/tr")
    assert len(rows) == 3 and all(r.get("data-filter") is not None for r in rows)
    p2001 = tree.xpath("//tr[.//a[@href='/projects/P2001/']]")[0]
    assert (p2001.get("data-filter-category"), p2001.get("data-filter-prefecture"),
            p2001.get("data-filter-sector")) == ("energy-saving", "東京都", "commercial")
    assert tree.xpath("//script[@src='/theme/js/list-filter.js']")


def test_statistics_charts_and_their_data_agree_with_the_certifications(built_site):
    site = fixture_site()
    total = sum(c["quantity_t_co2"] for p in site.all("projects") for c in p.certifications)
    tree = page(built_site, "statistics/")
    images = tree.xpath("//figure[@class='chart']/img")
    assert [i.get("src") for i in images] == [f"/statistics/{n}.svg" for n in (
        "credits-by-fiscal-year", "credits-by-methodology-category", "credits-by-prefecture",
        "time-to-first-certification", "project-flow")]
    for image in images:
        name = Path(image.get("src")).stem
        for prefix in ("", "en/"):
            svg = etree.fromstring((built_site / f"{prefix}statistics/{name}.svg").read_bytes())
            assert svg.get("role") == "img"
            assert (built_site / f"{prefix}statistics/{name}.csv").is_file()
        assert image.get("alt") and image.getnext().tag == "figcaption"
    by_year = csv_rows(built_site, "statistics/credits-by-fiscal-year.csv")
    assert by_year == [{"年度": "2024年度", "認証量（t-CO2）": "1520"}, {"年度": "2025年度", "認証量（t-CO2）": "1830"}]
    assert sum(int(r["認証量（t-CO2）"]) for r in csv_rows(built_site, "statistics/credits-by-prefecture.csv")) == total
    english = csv_rows(built_site, "en/statistics/credits-by-prefecture.csv")
    assert english == [{"Prefecture": "Hokkaido", "Credits certified (t-CO2)": str(total)}]
    delay = csv_rows(built_site, "statistics/time-to-first-certification.csv")
    assert [r["プロジェクト数"] for r in delay] == ["0", "0", "0", "0", "0", "1"]  # 2013 -> 2024
    counts = [len(p.certifications) for p in site.all("projects")]
    flow = csv_rows(built_site, "statistics/project-flow.csv")
    assert [r["段階"] for r in flow] == ["登録", "1回以上認証", "2回以上認証", "3回以上認証"]
    assert [int(r["プロジェクト数"]) for r in flow] == [sum(1 for n in counts if n >= least) for least in range(4)]
    assert int(flow[0]["プロジェクト数"]) == len(counts) > int(flow[1]["プロジェクト数"]) > 0
    # the text alternative is also a table of the same numbers
    first_table = tree.xpath("(//details[@class='chart-data'])[1]//tbody/tr")
    assert [(r.xpath("string(th)"), r.xpath("string(td)")) for r in first_table] == [
        ("2024年度", "1,520"), ("2025年度", "1,830")]


# -- providers, FAQs -----------------------------------------------------------------------

def test_providers_carry_service_and_area_filter_codes(built_site):
    tree = page(built_site, "providers/")
    rows = tree.xpath("//table[@id='providers-table']/tbody/tr")
    codes = {r.xpath("string(th/a)"): (r.get("data-filter-service"), r.get("data-filter-prefecture")) for r in rows}
    assert codes == {"九州森林クレジット協同組合": ("creation-support sales", "福岡県 熊本県 大分県"),
                     "株式会社全国カーボン支援": ("creation-support brokerage offset-support", "*")}
    data = csv_rows(built_site, "providers/providers.csv")
    assert sorted(r["事業者名"] for r in data) == sorted(codes)  # the expired one is dropped there too


def test_faq_anchors_are_stable_and_unique(built_site):
    tree = page(built_site, "faqs/")
    ids = tree.xpath("//@id")
    assert len(ids) == len(set(ids))
    site = fixture_site()
    for faq in site.all("faqs"):
        assert tree.xpath(f"//div[@id='{faq.id}']//h3/a[@href='#{faq.id}']")
        assert tree.xpath(f"//h2[@id='category-{faq.category}']")
    assert tree.xpath("//nav[@class='toc']//a/@href")[0].startswith("#category-")


# -- open data -----------------------------------------------------------------------------

def published_datasets(output: Path) -> set[str]:
    """Every CSV, XLSX and JSON file of the output but the search bundles, the catalogue itself,
    the server's configuration, the attachments under /files/ (documents, not data the site
    derives) and a research report's forms (様式2 and 様式3: records about the report); a
    report's figure data is open data like any other."""
    found = set()
    for path in output.rglob("*"):
        relative = path.relative_to(output)
        top = relative.parts[0]
        if (path.suffix in (".csv", ".xlsx", ".json") and not top.startswith("pagefind")
                and top not in ("files", "_server") and not path.name.startswith("様式")
                and relative.as_posix() != "opendata/catalog.json"):
            found.add(relative.as_posix())
    return found


def test_catalogue_describes_every_published_dataset(built_site):
    catalog = json.loads((built_site / "opendata/catalog.json").read_bytes())
    assert catalog["@type"] == "dcat:Catalog"
    listed = {}
    for dataset in catalog["dcat:dataset"]:
        languages = {x["dct:language"]["@id"].rsplit("/", 1)[1] for x in dataset["dcat:distribution"]}
        assert {t["@language"] for t in dataset["dct:title"]} == languages  # a Japanese title never tagged "en"
        assert {t["@language"] for t in dataset["dct:description"] if t["@value"]} == languages, dataset["dct:identifier"]
        assert dataset["dct:license"]["@id"].endswith("public_data_license_v1.0")
        dt.date.fromisoformat(dataset["dct:modified"]["@value"])
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"]["@id"]
            assert url.startswith("https://japancredit.go.jp/")  # an IRI: absolute, on the public address
            listed[url.removeprefix("https://japancredit.go.jp/")] = distribution
    assert set(listed) == published_datasets(built_site)
    for path, distribution in listed.items():
        assert distribution["dcat:byteSize"] == (built_site / path).stat().st_size
        if path.endswith(".csv"):
            header = next(csv.reader(io.StringIO((built_site / path).read_bytes().decode("utf-8-sig"))))
            lang = distribution["dct:language"]["@id"].removeprefix("http://id.loc.gov/vocabulary/iso639-1/")
            titles = [next(t["@value"] for t in c["csvw:titles"] if t["@language"] == lang)
                      for c in distribution["csvw:tableSchema"]["csvw:column"]]
            assert titles == header, path
    names = {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    assert {"meetings", "methodologies", "projects", "certifications", "providers", "regional",
            "credits-by-fiscal-year", "図1_主要国の2030年削減目標", "表1_主要国のNDCの提出状況"} <= names
    figure = next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == "図1_主要国の2030年削減目標")
    assert [(x["dct:format"]["@id"].rsplit("/", 1)[1], x["dct:language"]["@id"]) for x in figure["dcat:distribution"]] \
        == [("CSV", "http://id.loc.gov/vocabulary/iso639-1/ja"), ("XLSX", "http://id.loc.gov/vocabulary/iso639-1/ja")]
    media = {x["dcat:mediaType"]["@id"] for d in catalog["dcat:dataset"] for x in d["dcat:distribution"]}
    assert media == {"http://www.iana.org/assignments/media-types/" + t for t in
                     ("text/csv", "application/json", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")}
    assert figure["dcat:landingPage"]["@id"].endswith("/reports/ndc-study/")


def test_yes_and_no_are_written_one_way_in_every_dataset(built_site):
    """An analyst joining datasets reads true/false everywhere (typed boolean in the catalogue),
    never はい/いいえ in one file and true/false in the next."""
    catalog = json.loads((built_site / "opendata/catalog.json").read_bytes())
    booleans = 0
    for dataset in catalog["dcat:dataset"]:
        for distribution in dataset["dcat:distribution"]:
            if "csvw:tableSchema" not in distribution:
                continue
            path = distribution["dcat:downloadURL"]["@id"].removeprefix("https://japancredit.go.jp/")
            rows = list(csv.reader(io.StringIO((built_site / path).read_bytes().decode("utf-8-sig"))))[1:]
            for index, column in enumerate(distribution["csvw:tableSchema"]["csvw:column"]):
                values = {row[index] for row in rows}
                if column["csvw:datatype"] == "boolean":
                    booleans += 1
                    assert values <= {"true", "false", ""}, (path, column["csvw:name"], values)
                else:
                    assert not values - {""} or not values <= {"はい", "いいえ", "Yes", "No", ""}, (path, column["csvw:name"])
    assert booleans >= 8  # meetings' online, offers' government-held, NDC's latest and conditional, in ja and en


def test_catalogue_page_lists_datasets_and_embeds_the_same_json_ld(built_site):
    for lang in ("", "en/"):
        tree = page(built_site, f"{lang}opendata/")
        block = tree.xpath("//head/script[@type='application/ld+json']")[0]
        assert json.loads(block.text) == json.loads((built_site / "opendata/catalog.json").read_bytes())
        links = tree.xpath("//section[@class='dataset']//a[@download]/@href")
        assert f"/{lang}meetings/meetings.xlsx" in links
        for section in tree.xpath("//section[@class='dataset']"):  # a JSON key is given only with a JSON file
            has_json = any(href.endswith(".json") for href in section.xpath(".//a[@download]/@href"))
            assert bool(section.xpath(".//thead/tr/th[2][contains(., 'JSON')]")) == has_json
        assert not all(any(h.endswith(".json") for h in s.xpath(".//a[@download]/@href")) for s in tree.xpath("//section[@class='dataset']"))
        for href in links:
            assert (built_site / href.lstrip("/")).is_file(), href
    sheet = load_workbook(built_site / "projects/certifications.xlsx").active
    assert [c.value for c in sheet[1]][:3] == ["プロジェクト番号", "認証日", "認証量（t-CO2）"]


def test_dataset_dates_come_from_the_content_history(tmp_path):
    """A dataset's update date is its records' last commit; the build date while uncommitted.
    Git is asked once per build (FolderDates), about a content tree anywhere in a repository."""
    import subprocess
    from opendata import FolderDates
    today = dt.date(2026, 11, 23)
    repository = tmp_path / "repository"
    root = repository / "site-content"
    for folder in ("meetings", "faq"):
        (root / "ja" / folder).mkdir(parents=True)
        (root / "ja" / folder / "a.yaml").write_text("number: 1\n", encoding="utf-8")
    dates = lambda *folders: FolderDates(root).last_changed(list(folders), today)  # noqa: E731  a build's view
    assert dates("meetings") == today  # not a git repository
    env = {"GIT_AUTHOR_NAME": "e", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "e",
           "GIT_COMMITTER_EMAIL": "e@example.org", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}

    def commit(day: str, *paths: str) -> None:
        moment = {"GIT_AUTHOR_DATE": f"{day}T10:00:00+09:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00+09:00"}
        subprocess.run(["git", "-C", str(repository), "add", *paths], check=True, env=env)
        subprocess.run(["git", "-C", str(repository), "commit", "-qm", day], check=True, env={**env, **moment})

    subprocess.run(["git", "-C", str(repository), "init", "-q"], check=True, env=env)
    commit("2026-05-01", "site-content/ja/meetings")
    commit("2026-06-01", "site-content/ja/faq")
    assert dates("meetings") == dt.date(2026, 5, 1)
    assert dates("faq") == dt.date(2026, 6, 1) and dates("meetings", "faq") == dt.date(2026, 6, 1)
    assert dates("no-such-folder") == today
    (root / "en/meetings").mkdir(parents=True)
    (root / "en/meetings/会議.yaml").write_text("number: 1\n", encoding="utf-8")
    assert dates("meetings") == today and dates("faq") == dt.date(2026, 6, 1)  # an untracked English file
    commit("2026-07-01", "site-content/en/meetings")
    assert dates("meetings") == dt.date(2026, 7, 1)
    subprocess.run(["git", "-C", str(repository), "mv", "site-content/ja/faq/a.yaml", "site-content/ja/meetings/b.yaml"],
                   check=True, env=env)
    assert dates("faq") == today and dates("meetings") == today  # renamed from one folder to another, staged
    commit("2026-08-01", "-A")
    (root / "ja/meetings/b.yaml").write_text("number: 2\n", encoding="utf-8")
    assert dates("meetings") == today  # edited since
    assert dates("faq") == dt.date(2026, 8, 1)  # the day its record left it
    assert FolderDates(root).last_changed(["meetings"], dt.date(2026, 1, 1)) == dt.date(2026, 1, 1)  # never after the build date
    # A collection in a folder of a folder has its own date, not the build's.
    (root / "ja/international/ndc").mkdir(parents=True)
    (root / "ja/international/ndc/JPN.yaml").write_text("party: JPN\n", encoding="utf-8")
    assert dates("international/ndc") == today  # not committed yet
    commit("2026-09-01", "-A")
    assert dates("international/ndc") == dt.date(2026, 9, 1)
    (root / "ja/international/ndc/JPN.yaml").write_text("party: JPN\n# edited\n", encoding="utf-8")
    assert dates("international/ndc") == today


def test_a_listing_changes_when_an_item_expires_though_no_commit_says_so(tmp_path):
    """An offer past its expires_on leaves the offers' data the next day: that is the data's
    update date, if later than the last commit (and never later than the build)."""
    import subprocess
    from opendata import last_changed
    (tmp_path / "ja/offers").mkdir(parents=True)
    (tmp_path / "ja/offers/a.yaml").write_text("brand: a\n", encoding="utf-8")
    moment = "2026-10-01T10:00:00+09:00"
    env = {"GIT_AUTHOR_NAME": "e", "GIT_AUTHOR_EMAIL": "e@example.org", "GIT_COMMITTER_NAME": "e", "HOME": str(tmp_path),
           "GIT_COMMITTER_EMAIL": "e@example.org", "PATH": "/usr/bin:/bin", "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "offers"]):
        subprocess.run(["git", "-C", str(tmp_path), *command], check=True, env=env)
    context = {"PATH": str(tmp_path)}
    day = dt.date(2026, 11, 23)
    assert last_changed(context, ["offers"], day) == dt.date(2026, 10, 1)
    expiries = [dt.date(2026, 10, 31), dt.date(2026, 11, 10), dt.date(2026, 11, 23), dt.date(2027, 3, 31)]
    assert last_changed(context, ["offers"], day, expiries) == dt.date(2026, 11, 11)  # listed until the 10th
    assert last_changed(context, ["offers"], day, [dt.date(2026, 9, 1)]) == dt.date(2026, 10, 1)


# -- search --------------------------------------------------------------------------------

def test_search_index_is_sharded_per_language_and_holds_no_internal_text(built_site):
    from test_build import MARKERS
    searchable = [p for p in built_site.rglob("*.html") if lxml.html.parse(str(p)).xpath("//*[@data-pagefind-body]")]
    for lang in ("ja", "en"):
        bundles = built_site / "pagefind" / lang
        manifest = json.loads((bundles / "shards.json").read_text(encoding="utf-8"))
        assert (bundles / str(manifest["primary"]) / "pagefind.js").is_file()
        assert sorted(int(p.name) for p in bundles.iterdir() if p.is_dir()) == manifest["shards"]
        others = [n for n in manifest["shards"] if n != manifest["primary"]]
        assert others and not [n for n in others if list((bundles / str(n)).glob("*.js"))]  # one script
    fragments = list((built_site / "pagefind").glob("*/*/fragment/*.pf_fragment"))
    assert len(fragments) == len(searchable)  # every searchable page once, in one shard
    for fragment in fragments:
        text = gzip.decompress(fragment.read_bytes()).decode("utf-8")
        assert not [m for m in MARKERS if m in text], fragment
    assert page(built_site, "search/").xpath("//script[@type='module'][@src='/theme/js/search.js']")
    assert not page(built_site, "search/").xpath("//main[@data-pagefind-body]")


def test_pages_linking_other_records_leave_their_titles_to_their_own_pages(built_site):
    """A project's and an offer's page show their methodology's title, but the index holds it on
    the methodology's page only: editing a methodology re-indexes its own pages' shards, not the
    shards of every project and offer using it. The linked id stays searchable."""
    from search.shards import read_page
    for folder in ("projects", "offers"):
        relative = next(p.relative_to(built_site).as_posix() for p in sorted((built_site / folder).glob("*/index.html")))
        link = page(built_site, relative.removesuffix("index.html")).xpath("//dl//a[contains(@href, '/methodologies/')]")[0]
        number, title = link.text.strip(), link.xpath("string(span)")
        assert number and title and link.xpath("span/@data-pagefind-ignore") == [""]
        _, lang, shadow = read_page((built_site / relative).read_bytes(), relative)
        assert lang == "ja" and number in shadow and f"{number} {title}" not in shadow, relative
        methodology = f"methodologies/{number}/index.html"
        assert title in read_page((built_site / methodology).read_bytes(), methodology)[2]


def test_lists_leave_their_rows_to_the_pages_they_link(built_site):
    """A list's rows that are pages of their own stay out of the list's search text, so that a
    record is found on its page, not on its list too (and a record's edit leaves the list's
    shard alone)."""
    for path in ("news/", "meetings/", "methodologies/", "projects/", "offers/", "reports/"):
        main = page(built_site, path).xpath("//main[@data-pagefind-body]")[0]
        rows = [a for a in main.xpath(".//a[@href]") if a.get("href").startswith("/" + path) and a.get("href") != "/" + path
                and not a.get("href").rsplit("/", 1)[-1]]  # a record's page, not a download
        assert rows, path
        assert not [a.get("href") for a in rows if not a.xpath("ancestor::*[@data-pagefind-ignore]")], path


def test_character_pairs_match_the_script():
    from search.bigrams import pair_tokens
    assert pair_tokens("サイバー") == ["k030b5030a4", "k030a4030d0", "k030d0030fc"]
    assert pair_tokens("ＣＯ２冷媒") == ["k051b705a92"]  # NFKC: full-width letters are not Japanese
    assert pair_tokens("森 林") == []
    script = (Path(__file__).parent.parent / "theme/static/js/search.js").read_text()
    assert 'padStart(5, "0")' in script and '"k" +' in script


def test_english_list_items_say_when_their_translation_is_missing_or_out_of_date_and_venues_say_online_once(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    (content / "en/faqs").mkdir(parents=True, exist_ok=True)
    (content / "en/faqs/how-to-buy.yaml").write_text(  # pinned to other Japanese: out of date
        'source_hash: "sha256:0000000000000000"\nquestion: How can I buy credits?\nanswer: From the sellers.\n', encoding="utf-8")
    meeting = content / "ja/meetings/steering-041.yaml"  # online, and its venue says so
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("online: true", "venue: オンライン開催\nonline: true"), encoding="utf-8")
    output = tmp_path / "site"
    assert run_build(content=content, output=output).returncode == 0
    for path, said in (("meetings/steering-041/index.html", "オンライン開催"), ("en/meetings/steering-041/index.html", "Online")):
        place = lxml.html.fromstring(read(output, path)).xpath("//dl[@class='summary-list']/dd")[2].text_content()
        assert place.strip() == said, path  # not "オンライン開催・オンライン", nor "オンライン開催 and Online"
    tree = lxml.html.fromstring(read(output, "en/faqs/index.html"))
    stale = tree.xpath("//div[@id='how-to-buy']/p[contains(@class, 'item-notice')]")[0]
    assert "may be out of date" in stale.text_content() and stale.xpath("a/@href") == ["/faqs/#how-to-buy"]
    missing = tree.xpath("//div[@id='who-operates']/p[contains(@class, 'item-notice')]")[0]
    assert "shown in Japanese" in missing.text_content()
    assert not lxml.html.fromstring(read(output, "faqs/index.html")).xpath("//p[contains(@class, 'item-notice')]")


def test_english_labels_say_what_they_label(built_site):
    """One Japanese word, two English ones: 方法論 is the section (Methodologies) and a field."""
    offer = lxml.html.fromstring(read(built_site, "en/offers/kochi-forest/index.html"))
    assert "Methodology" in offer.xpath("//dl[@class='summary-list']/dt/text()")
    assert "Methodologies" in offer.xpath("//nav//a/text()")
    legend = lxml.html.fromstring(read(built_site, "en/projects/index.html")).xpath("//legend/text()")
    assert legend == ["Filter"]


def test_search_landmarks_are_named_apart(built_site):
    """The search page has two search forms (the header's and its own): each landmark is named,
    and not alike (ARIA landmark practice)."""
    for path in ("search/index.html", "en/search/index.html", "offers/index.html"):
        forms = lxml.html.fromstring(read(built_site, path)).xpath("//form[@role='search']")
        names = [form.get("aria-label") for form in forms]
        assert all(names) and len(set(names)) == len(names), (path, names)


def test_every_download_link_states_its_size_and_a_name_of_its_own(built_site):
    """Government sites say a download's format and size before it is fetched (the calendar, a
    subscription, says its format only); the name it is
    saved under tells an English copy from the Japanese one saved beside it. And each dataset's
    landing page in the catalogue links its files (the regional schemes' did not)."""
    size = re.compile(r"\d+(\.\d)? (B|KB|MB)")
    checked = 0
    for path in built_site.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_bytes())
        for link in tree.xpath("//main//a[@download]"):
            href = link.get("href")
            meta = link.getnext()
            assert href.endswith(".ics") or meta is not None and meta.get("class") == "file-meta" and size.search(meta.text_content()), (path, href)
            name = link.get("download")  # an editor's attachment too: its record's id in front
            assert name and "/" not in name, (path, href)
            if href.startswith("/en/"):
                assert name and name.rsplit(".", 1)[0].endswith("-en"), (path, href, name)
            checked += 1
    assert checked > 100
    catalog = json.loads((built_site / "opendata/catalog.json").read_bytes())
    for dataset in catalog["dcat:dataset"]:
        landing = dataset["dcat:landingPage"]["@id"].removeprefix("https://japancredit.go.jp/")
        hrefs = set(page(built_site, landing).xpath("//main//a/@href"))
        files = {unquote(d["dcat:downloadURL"]["@id"].removeprefix("https://japancredit.go.jp")) for d in dataset["dcat:distribution"]
                 if d["dct:language"]["@id"].endswith("/ja")}
        assert files & {unquote(h) for h in hrefs}, (landing, files)  # its files, or one of them at least


# -- what the public-user audit found (ja and en, 320-1280 px) ------------------------------

def test_meeting_materials_download_under_names_that_say_which_meeting(built_site):
    """A meeting's papers were all saved as shiryo1.pdf: they carry the meeting's id, as a
    contract carries its offer's; a file already named by its record keeps its name."""
    for lang in ("", "en/"):
        links = page(built_site, f"{lang}meetings/steering-040/").xpath("//main//a[@class='download']")
        assert [(a.get("href"), a.get("download")) for a in links] == [
            ("/files/meetings/steering-040/shiryo1.pdf", "steering-040-shiryo1.pdf")], lang
    methodology = page(built_site, "methodologies/FO-001/").xpath("//main//a[@class='download']/@download")
    assert sorted(methodology) == ["FO-001_v1.0.pdf", "FO-001_v2.10.pdf"]
    assert page(built_site, "regulations/").xpath("//main//a[@class='download']/@download") == ["jisshi-yoko.pdf"]


def test_attachment_names_put_the_record_in_front_once():
    from site_pages.theme import attachment_name
    assert attachment_name("steering-039", "files/meetings/steering-039/shiryo1.pdf") == "steering-039-shiryo1.pdf"
    assert attachment_name("FO-002", "files/methodologies/FO-002_ver2.0.pdf") == "FO-002_ver2.0.pdf"
    assert attachment_name("FO-002", "files/methodologies/FO-0021.pdf") == "FO-002-FO-0021.pdf"  # not its id


FAQ_TABLE = "| 種類 | 由来 |\n|---|---|\n| 省エネ | 設備の更新 |\n| 森林 | 森林経営活動 |\n"


@pytest.fixture(scope="module")
def audited_site(tmp_path_factory):
    """The fixture tree with what editors write that the audit found shown badly: tables with
    no heading above them in an FAQ's answer and a news item, minutes (in both languages) that
    start with the heading the page puts above them, and a venue that says only "online"."""
    root = tmp_path_factory.mktemp("audited")
    content = root / "content"
    shutil.copytree(FIXTURE, content)
    (content / "ja/faqs/credit-types.yaml").write_text(
        f"category: general\nquestion: クレジットにはどのような種類がありますか。\nanswer: |\n"
        + "".join(f"  {line}\n" for line in ("次のとおりです。", "", *FAQ_TABLE.splitlines()))
        + "order: 9\n", encoding="utf-8")
    (content / "ja/news/2026-11-16-revision.md").write_text(
        f"Title: 方法論の改定について\nDate: 2026-11-16\n\n改定した方法論は次のとおりです。\n\n{FAQ_TABLE}", encoding="utf-8")
    english = content / "en/meetings/steering-040.yaml"
    english.write_text(english.read_text(encoding="utf-8") + "minutes: |\n  Summary of Proceedings\n  ----------------------\n\n"
                       "  ### 1. Revision of methodologies\n\n  The draft of FO-001 was approved.\n", encoding="utf-8")
    meeting = content / "ja/meetings/steering-041.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("online: true", "venue: オンライン開催\nonline: true"), encoding="utf-8")
    (content / "ja/meetings/steering-039.yaml").write_text(  # untranslated, and saying "online" itself
        "committee: steering\nnumber: 39\ndate: 2026-06-30\nvenue: 経済産業省 本館（オンライン併用）\nonline: true\n"
        "agenda: [開会]\n", encoding="utf-8")
    usa = (content / "ja/international/ndc/USA.yaml").read_text(encoding="utf-8")  # 英国: first by its kana, not its code
    (content / "ja/international/ndc/GBR.yaml").write_text(usa.replace("party: USA", "party: GBR"), encoding="utf-8")
    output = root / "site"
    result = run_build(content=content, output=output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


def test_every_table_region_is_named(audited_site):
    """A table region takes the keyboard's focus, so it needs a name: the heading above the
    table in the text, else the FAQ's question or the page's title (WCAG 4.1.2)."""
    regions = 0
    for path in audited_site.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_bytes())
        for region in tree.xpath("//div[contains(@class, 'table-wrap')]"):
            labelled_by = region.get("aria-labelledby")
            assert region.get("role") == "region", path
            assert region.get("aria-label") or labelled_by and tree.xpath(f"//*[@id='{labelled_by}']"), path
            regions += 1
    assert regions > 20
    for lang, question, title in (("", "クレジットにはどのような種類がありますか。", "方法論の改定について"),
                                  ("en/", "クレジットにはどのような種類がありますか。", "方法論の改定について")):
        faqs = page(audited_site, f"{lang}faqs/")
        region = faqs.xpath("//div[@id='credit-types']//div[contains(@class, 'table-wrap')]")[0]
        assert texts(faqs, f"//*[@id='{region.get('aria-labelledby')}']") == [question], lang
        news = page(audited_site, f"{lang}news/2026-11-16-revision/")
        region = news.xpath("//article//div[contains(@class, 'table-wrap')]")[0]
        assert texts(news, f"//*[@id='{region.get('aria-labelledby')}']") == [title], lang


def test_a_table_with_nothing_on_the_page_to_name_it_is_named_as_a_table():
    from site_pages.theme import named_tables
    label = lambda caption: f"表：{caption}" if caption else "表"  # noqa: E731
    html = '<div class="table-wrap" tabindex="0"><table><caption>手数料 <b>&amp;</b> 料金</caption></table></div>' \
           '<div class="table-wrap" tabindex="0"><table><tr><td>1</td></tr></table></div>'
    tree = lxml.html.fragment_fromstring(named_tables(html, None, label), create_parent="div")
    assert [(d.get("role"), d.get("aria-label")) for d in tree.xpath("div")] == [("region", "表：手数料 & 料金"), ("region", "表")]


def test_minutes_leave_out_a_leading_heading_that_repeats_the_pages(built_site, audited_site):
    """Editors start the minutes with "## 議事概要" under the page's own 議事概要: shown once, in
    either language, and the minutes' own sections stay one level below."""
    for output, lang, heading in ((built_site, "", "議事概要"), (built_site, "en/", "Summary of proceedings"),
                                  (audited_site, "en/", "Summary of proceedings")):
        tree = page(output, f"{lang}meetings/steering-040/")
        assert texts(tree, "//main//h2")[-1] == heading
        minutes = tree.xpath("//h2[@id='minutes-heading']/following-sibling::div[@class='prose']")[0]
        assert not {"議事概要", "summary of proceedings"} & {" ".join(h.text_content().split()).lower()
                                                          for h in minutes.xpath(".//h2|.//h3|.//h4")}, lang
        assert minutes.text_content().strip()
    assert texts(page(audited_site, "en/meetings/steering-040/"), "//div[@class='prose']/h3") == ["1. Revision of methodologies"]


def test_leading_headings_are_left_out_only_when_they_say_the_same():
    from site_pages.theme import without_leading_heading
    same = {"議事概要", "Summary of proceedings"}
    assert without_leading_heading("## 議事概要\n\n本文", same) == "\n本文"
    assert without_leading_heading("\n# summary of  PROCEEDINGS #\ntext", same) == "text"
    assert without_leading_heading("Summary of proceedings\n===\n\ntext", same) == "\ntext"
    assert without_leading_heading("## 議事概要の補足\n\n本文", same) == "## 議事概要の補足\n\n本文"
    assert without_leading_heading("本文\n\n## 議事概要\n", same) == "本文\n\n## 議事概要\n"


def test_english_providers_and_regional_schemes_say_which_entries_are_in_japanese(built_site):
    for folder, prefix in (("providers", "provider"), ("regional", "regional")):
        rows = page(built_site, f"en/{folder}/").xpath("//main//tbody/tr")
        assert rows
        for row in rows:
            notice = row.xpath("td[1]/p[contains(@class, 'item-notice')]")  # beside the name, not in its header cell
            assert len(notice) == 1 and "shown in Japanese" in notice[0].text_content(), folder
            assert row.xpath("normalize-space(th)") == row.xpath("normalize-space(th/a)"), folder  # the name alone
            assert notice[0].xpath("a/@href") == [f"/{folder}/#{row.get('id')}"] and row.get("id").startswith(prefix + "-")
        japanese = page(built_site, f"{folder}/")
        assert not japanese.xpath("//p[contains(@class, 'item-notice')]")
        assert {r.get("id") for r in japanese.xpath("//main//tbody/tr")} == {r.get("id") for r in rows}


def test_english_wording_of_fields_places_parties_and_separators(built_site, audited_site):
    meeting = page(built_site, "en/meetings/steering-040/")
    assert texts(meeting, "//h1") == ["40th Steering Committee meeting"]  # was "Steering Committee, meeting 40"
    held = [t for t in texts(page(audited_site, "en/meetings/"), "//main//li") if "39th" in t]
    assert held and held[0].endswith("経済産業省 本館（オンライン併用）"), held  # not "… and Online" as well
    abolished = page(built_site, "en/methodologies/AG-005/")
    assert "Last version" in texts(abolished, "//dl[@class='summary-list']/dt")  # not "Current version"
    report = page(built_site, "en/reports/ndc-study/")
    assert texts(report, "//h2[@id='figures-heading']") == ["Figure and table data"]
    assert any(t.startswith("Figure 1 data (") for t in texts(report, "//main//li/a"))
    from i18n.catalogs import ordinal
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 101, 111, 112)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd", "101st", "111th", "112th"]
    assert texts(meeting, "//dl[@class='summary-list']/dt")[0] == "Committee"
    assert "Committees" in texts(meeting, "//nav//a")  # the section keeps its own word
    offers = page(built_site, "en/offers/")
    assert "Hokkaido" in texts(offers, "//tbody//td[2]")  # kochi-forest is in Hokkaido
    assert not [t for t in texts(offers, "//tbody//td") if "Hokkaido (Hokkaido)" in t]
    assert "北海道（北海道地方）" in texts(page(built_site, "offers/"), "//tbody//td")
    assert texts(page(built_site, "en/international/ndc/USA/"), "//h1") == ["NDC of the United States"]
    assert texts(page(built_site, "en/international/ndc/JPN/"), "//h1") == ["NDC of Japan"]
    germany = texts(page(built_site, "en/international/ndc/DEU/"), "//main//div[@role='note']/p")
    assert any("covered by the NDC of the European Union" in t for t in germany)
    home = page(built_site, "en/")
    assert not [t for t in home.xpath("//main//text()[not(ancestor::*[@lang='ja'])]") if "・" in t]
    for lang in ("", "en/"):
        place = page(audited_site, f"{lang}meetings/steering-041/").xpath("//dl[@class='summary-list']/dd")[2].text_content()
        assert place.strip() == ("オンライン開催" if not lang else "Online"), lang  # as the English calendar says
    assert "Online" in texts(page(audited_site, "en/"), "//div[@class='next-meeting']/p")[1]


def test_parties_take_the_in_a_sentence_where_their_english_name_needs_it():
    from ndc.helpers import party_in_text
    assert [party_in_text(code, "en") for code in ("EUU", "GBR", "KOR", "JPN", "DEU")] == [
        "the European Union", "the United Kingdom", "the Republic of Korea", "Japan", "Germany"]
    assert party_in_text("USA", "en", start=True) == "The United States"
    assert party_in_text("EUU", "ja") == "欧州連合（EU）"


def test_the_ndc_table_is_in_the_order_of_the_parties_names_as_its_party_column_says(audited_site):
    """It was in the order of the files' names (ISO codes): カナダ, 中国, ドイツ, 欧州連合, … while
    every column said it was unsorted."""
    for lang, names in (("", ["英国", "ドイツ", "日本", "米国"]),
                        ("en/", ["Germany", "Japan", "United Kingdom", "United States"])):
        table = page(audited_site, f"{lang}international/ndc/").xpath("//table[@id='ndc-table']")[0]
        assert list(dict.fromkeys(texts(table, "./tbody/tr/th"))) == names, lang
        assert table.xpath("./thead/tr/th[@data-sort-key='party']/@aria-sort") == ["ascending"]
