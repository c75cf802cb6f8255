"""Credit-sale offers end to end: a real build of the fixture tree, its table, open data and
contract documents opened back and compared with the YAML records they come from."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path

import docx
import lxml.html
import pytest
from openpyxl import load_workbook

from conftest import BUILD_DATE, FIXTURE, read, run_build
from model import VOCABULARIES, load_site

DAY = dt.date.fromisoformat(BUILD_DATE)
SECRETARIAT = {"ja": "J-クレジット制度事務局", "en": "J-Credit Scheme Secretariat"}
PREFIX = {"ja": "", "en": "en/"}


def expected_offers(content: Path = FIXTURE) -> list:
    """The offers a build must list, decided here from the records alone: open, not expired,
    not internal; newest listing first."""
    offers = [o for o in load_site(content).all("offers")
              if o.status == "open" and (o.get("expires_on") is None or o.expires_on >= DAY) and not o.internal]
    return sorted(offers, key=lambda o: (-o.listed_on.toordinal(), o.id))


def in_lang(record, field, lang):
    overlay = record.overlay or {}
    return overlay.get(field) if lang == "en" and overlay.get(field) else record.data.get(field)


def table_rows(output: Path, lang: str) -> list[list[str]]:
    tree = lxml.html.fromstring(read(output, PREFIX[lang] + "offers/index.html"))
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("th|td")]
            for row in tree.xpath("//table[@id='offers-table']/tbody/tr")]


def document_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_table_rows_are_the_listed_offers_with_every_column(built_site, lang):
    site = load_site(FIXTURE)
    offers = expected_offers()
    assert {o.id for o in offers} == {"kochi-forest", "boiler-tokyo", "gov-held"}
    rows = table_rows(built_site, lang)
    assert len(rows) == len(offers)
    for row, offer in zip(rows, offers):
        methodology = site.find("methodologies", offer.methodology)
        brand, method, place, sector, quantity, terms, seller, listed = row
        assert brand.startswith(in_lang(offer, "brand", lang))
        assert method == f"{offer.methodology} {in_lang(methodology, 'title', lang)}"
        assert VOCABULARIES.label("prefectures", offer.prefecture, lang) in place
        assert VOCABULARIES.label("regions", offer.region, lang) in place
        assert sector == VOCABULARIES.label("sectors", offer.sector, lang)
        assert quantity == f"{offer.quantity_t_co2:,}"
        assert terms == in_lang(offer, "conditions", lang) and seller == in_lang(offer, "seller", lang)
        assert str(offer.listed_on.day) in listed and str(offer.listed_on.year) in listed
    tree = lxml.html.fromstring(read(built_site, PREFIX[lang] + "offers/index.html"))
    links = tree.xpath("//table[@id='offers-table']/tbody/tr/td[1]/a/@href")
    assert links == [f"/{PREFIX[lang]}methodologies/{o.methodology}/" for o in offers]
    caption = tree.xpath("//table[@id='offers-table']/caption")[0].text_content()
    assert str(len(offers)) in caption


def test_table_marks_government_held_offers_and_carries_filter_data(built_site):
    tree = lxml.html.fromstring(read(built_site, "offers/index.html"))
    rows = {row.xpath("th/a/@href")[0].split("/")[2]: row for row in tree.xpath("//table[@id='offers-table']/tbody/tr")}
    assert rows["gov-held"].get("data-government") == "1"
    assert rows["gov-held"].xpath("th/span[@class='badge']")[0].text_content() == "政府保有"
    assert rows["kochi-forest"].get("data-government") is None and not rows["kochi-forest"].xpath("th/span")
    assert rows["kochi-forest"].get("data-area") == "hokkaido 01"
    assert rows["boiler-tokyo"].get("data-category") == "energy-saving"
    assert rows["boiler-tokyo"].get("data-quantity") == "350"
    assert rows["kochi-forest"].xpath("th/@data-sort-value") == ["てすとしんりん くれじっと"]
    form = tree.xpath("//form[@data-module='table-filter']")[0]
    assert form.get("hidden") is not None  # shown by the script only; without it the table serves
    assert form.xpath(".//input[@name='government'][@type='checkbox']")
    assert form.xpath(".//select[@name='area']//option/@value") == ["", "hokkaido", "01", "kanto", "13"]
    assert tree.xpath("//script[@type='module']/@src") == ["/theme/js/sortable-table.js", "/theme/js/table-filter.js"]


def test_closed_expired_and_internal_offers_have_no_row_file_or_contract(built_site):
    listed = {o.id for o in expected_offers()}
    for offer_id in ("closed-offer", "expired-offer", "secret-offer"):
        assert offer_id not in listed
        for lang in ("ja", "en"):
            assert not (built_site / PREFIX[lang] / "offers" / offer_id / "contract.docx").exists()
            for ext in ("csv", "json"):
                assert offer_id not in read(built_site, f"{PREFIX[lang]}offers/offers.{ext}")
    closed = lxml.html.fromstring(read(built_site, "offers/closed-offer/index.html"))
    assert not closed.xpath("//a[contains(@href, 'contract.docx')]")
    assert "終了しました" in closed.xpath("//div[contains(@class,'notice')]")[0].text_content()
    contracts = sorted(p.parent.name for p in built_site.glob("offers/*/contract.docx"))
    assert contracts == sorted(listed)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_open_data_holds_the_table_rows_in_three_formats(built_site, lang):
    offers = expected_offers()
    base = built_site / PREFIX[lang] / "offers"
    raw = (base / "offers.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the Japanese only with the BOM
    header, *rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    document = json.loads((base / "offers.json").read_text(encoding="utf-8"))
    sheet = load_workbook(base / "offers.xlsx").active
    assert [c.value for c in sheet[1]] == header == [c["title"] for c in document["columns"]]
    assert ("銘柄" in header) == (lang == "ja") and ("Brand" in header) == (lang == "en")
    assert [r[0] for r in rows] == [r["id"] for r in document["rows"]] == [o.id for o in offers]
    keys = [c["key"] for c in document["columns"]]
    for csv_row, json_row, xlsx_row, offer in zip(rows, document["rows"], sheet.iter_rows(min_row=2), offers):
        assert json_row["brand"] == in_lang(offer, "brand", lang)
        assert json_row["conditions"] == in_lang(offer, "conditions", lang)
        assert json_row["seller"] == in_lang(offer, "seller", lang)
        assert json_row["quantity_t_co2"] == offer.quantity_t_co2
        assert json_row["methodology"] == offer.methodology and json_row["project_id"] == offer.get("project_id")
        assert json_row["prefecture"] == VOCABULARIES.label("prefectures", offer.prefecture, lang)
        assert json_row["listed_on"] == offer.listed_on.isoformat()
        assert json_row["government_held"] is bool(offer.get("government_held"))
        assert json_row["contract_url"] == f"https://japancredit.go.jp/{PREFIX[lang]}offers/{offer.id}/contract.docx"  # read away from the site
        cells = [c.value for c in xlsx_row]
        assert cells[keys.index("brand")] == csv_row[keys.index("brand")] == json_row["brand"]
        assert cells[keys.index("quantity_t_co2")] == offer.quantity_t_co2
        assert csv_row[keys.index("quantity_t_co2")] == str(offer.quantity_t_co2)
        assert csv_row[keys.index("government_held")] == str(json_row["government_held"]).lower()


def test_xlsx_is_styled_frozen_and_hides_nothing(built_site):
    path = built_site / "offers" / "offers.xlsx"
    workbook = load_workbook(path)
    assert len(workbook.worksheets) == 1 and workbook.active.sheet_state == "visible"
    sheet = workbook.active
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold and cell.fill.fgColor.rgb.endswith("0B6E4F") for cell in sheet[1])
    assert not any(d.hidden for d in sheet.row_dimensions.values())
    assert not any(d.hidden for d in sheet.column_dimensions.values())
    assert not any(cell.comment for row in sheet.iter_rows() for cell in row)
    props = workbook.properties
    assert props.creator == props.lastModifiedBy == SECRETARIAT["ja"] and props.title == "売り出しクレジット"
    names = zipfile.ZipFile(path).namelist()
    assert not [n for n in names if "comments" in n or "custom" in n]


def test_xlsx_columns_are_wide_enough_for_japanese_text_in_english_workbooks_too(built_site):
    """A kanji or kana takes two character widths, in the English workbook as in the Japanese:
    the brands' readings and the sellers' names show whole (up to the 60-width cap)."""
    for lang in ("", "en/"):
        sheet = load_workbook(built_site / lang / "offers/offers.xlsx").active
        # a width is kept once for a span of columns (<col min max>), as Excel reads it
        widths = {n: d.width for d in sheet.column_dimensions.values() for n in range(d.min, d.max + 1)}
        for cells in sheet.iter_cols():
            japanese = [str(c.value) for c in cells if c.value and not str(c.value).isascii()]
            if japanese:
                needed = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in text) for text in japanese)
                assert widths[cells[0].column] >= min(60, needed), (lang, cells[0].value)


def test_pages_link_the_downloads_with_format_and_size(built_site):
    listing = lxml.html.fromstring(read(built_site, "en/offers/index.html"))
    hrefs = listing.xpath("//a[@class='download']/@href")
    assert hrefs == ["/en/offers/offers.csv", "/en/offers/offers.xlsx", "/en/offers/offers.json"]
    offer = lxml.html.fromstring(read(built_site, "offers/kochi-forest/index.html"))
    links = offer.xpath("//a[@class='download']")
    assert [a.get("href") for a in links] == ["/offers/kochi-forest/contract.docx", "/en/offers/kochi-forest/contract.docx"]
    for link in links:
        size = (built_site / link.get("href").lstrip("/")).stat().st_size
        assert f"{-(-size // 1024)} KB" in link.getnext().text_content() and "DOCX" in link.getnext().text_content()
    assert offer.xpath("//a[@href='/projects/P0010/']") and offer.xpath("//a[@href='/methodologies/FO-001/']")
    assert offer.xpath("//a[@href='https://www.example.jp/nakashibetsu/j-credit/']")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_contract_holds_the_offer_facts_and_blanks_for_the_buyer(built_site, lang):
    site = load_site(FIXTURE)
    for offer in expected_offers():
        data = (built_site / PREFIX[lang] / "offers" / offer.id / "contract.docx").read_bytes()
        text = document_text(data)
        methodology = site.find("methodologies", offer.methodology)
        for fact in (in_lang(offer, "brand", lang), in_lang(offer, "seller", lang), in_lang(offer, "conditions", lang),
                     f"{offer.methodology} {in_lang(methodology, 'title', lang)}", f"{offer.quantity_t_co2:,} t-CO2",
                     VOCABULARIES.label("prefectures", offer.prefecture, lang)):
            assert fact in text, (offer.id, fact)
        if offer.get("project_id"):
            project = site.find("projects", offer.project_id)
            assert f"{project.id} {in_lang(project, 'title', lang)}" in text
        listed = f"{offer.listed_on.year}年{offer.listed_on.month}月{offer.listed_on.day}日" if lang == "ja" else \
            offer.listed_on.strftime("%B ") + str(offer.listed_on.day)
        assert listed in text
        # and as the open data writes them, so that a contract can be matched with its row
        assert offer.listed_on.isoformat() in text and f"{offer.quantity_t_co2} t-CO2" in text and offer.id in text
        # a document read away from the site: its page's address in full
        assert f"https://japancredit.go.jp/{PREFIX[lang]}offers/{offer.id}/" in text
        buyer = "乙（買い手）　名称：＿＿" if lang == "ja" else "Buyer: ____"
        assert buyer in text
        assert ("政府保有クレジット" in text if lang == "ja" else "government-held" in text) == bool(offer.get("government_held"))


STALE_NOTE = "The Japanese offer has changed since its English text was written"
MISSING_NOTE = "The offer has no English text yet"


def test_an_english_contract_says_when_its_terms_are_older_than_the_japanese(tmp_path, content_copy):
    """A buyer signs what the document says: an English contract made from an out-of-date
    translation points to the Japanese one, as the page does; the open data says it too."""
    text = lambda output, offer: document_text((output / "en/offers" / offer / "contract.docx").read_bytes())  # noqa: E731
    result = run_build(content=content_copy, output=tmp_path / "before")
    assert result.returncode == 0, result.stderr
    current = text(tmp_path / "before", "kochi-forest")
    assert STALE_NOTE not in current and MISSING_NOTE not in current
    untranslated = text(tmp_path / "before", "boiler-tokyo")
    assert MISSING_NOTE in untranslated and STALE_NOTE not in untranslated
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("conditions: ", "conditions: 値下げしました。", 1), encoding="utf-8")
    result = run_build(content=content_copy, output=tmp_path / "after")
    assert result.returncode == 0, result.stderr
    assert STALE_NOTE in text(tmp_path / "after", "kochi-forest")
    rows = {r["id"]: r["translation"] for r in json.loads((tmp_path / "after/en/offers/offers.json").read_bytes())["rows"]}
    assert rows["kochi-forest"] == "stale" and rows["boiler-tokyo"] == "missing"


def test_contract_carries_no_personal_metadata_and_fixed_dates(built_site):
    for path in built_site.glob("**/contract.docx"):
        document = docx.Document(path)
        props = document.core_properties
        lang = "en" if path.parts[len(built_site.parts)] == "en" else "ja"
        assert props.author == props.last_modified_by == SECRETARIAT[lang]
        offer = load_site(FIXTURE).find("offers", path.parent.name)
        moment = dt.datetime.combine(offer.listed_on, dt.time())
        assert props.created.replace(tzinfo=None) == props.modified.replace(tzinfo=None) == moment
        package = zipfile.ZipFile(path)
        assert all(info.date_time[:3] == offer.listed_on.timetuple()[:3] for info in package.infolist())
        names = package.namelist()
        assert not [n for n in names if n.startswith(("customXml/", "docProps/custom", "docProps/thumbnail"))]
        assert not [n for n in names if "comments" in n or "people" in n]
        app = package.read("docProps/app.xml")
        assert b"Company" not in app and b"Manager" not in app and b"Template" not in app
        everything = b"".join(package.read(n) for n in names)
        assert b"python-docx" not in everything


def test_builds_are_reproducible_whatever_the_cache(tmp_path, monkeypatch):
    outputs = []
    for run in ("first", "second"):
        monkeypatch.setenv("CONTRACT_CACHE", str(tmp_path / f"cache-{run}"))
        output = tmp_path / run
        assert run_build(output=output).returncode == 0
        outputs.append(output)
    files = sorted(p.relative_to(outputs[0]) for p in outputs[0].glob("**/offers/**/*") if p.is_file())
    assert any(f.name == "contract.docx" for f in files) and any(f.suffix == ".xlsx" for f in files)
    for relative in files:
        assert (outputs[0] / relative).read_bytes() == (outputs[1] / relative).read_bytes(), relative


def test_contracts_are_rendered_again_only_when_their_data_or_template_change(tmp_path, monkeypatch, content_copy):
    cache = tmp_path / "cache"
    monkeypatch.setenv("CONTRACT_CACHE", str(cache))

    def build():
        assert run_build(content=content_copy, output=tmp_path / "out").returncode == 0
        return {p.name for p in cache.glob("*.docx")}  # beside them, the index

    first = build()
    assert len(first) == 6  # three listed offers, two languages
    assert build() == first
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("12000", "12500"), encoding="utf-8")
    after_edit = build()
    assert len(after_edit - first) == 2  # that offer, in both languages
    assert "12,500 t-CO2" in document_text((tmp_path / "out/offers/kochi-forest/contract.docx").read_bytes())
    write_template(content_copy / "ja/offers/contract-template.docx", "独自のひな形 {{ brand }}")
    after_template = build()
    assert len(after_template - after_edit) == 3  # every Japanese contract; the English ones are unchanged


def test_cache_renders_once_and_keys_on_template_facts_and_date(tmp_path):
    from offers.contracts import ContractCache, ContractTemplate, contract_template
    from offers.exports import offer_row

    site = load_site(FIXTURE)
    template = contract_template(FIXTURE, "ja")
    facts = offer_row(site.find("offers", "kochi-forest"), site, "ja", "")
    cache = ContractCache(tmp_path)
    moment = dt.datetime(2026, 4, 1)
    first = cache.contract(template, facts, moment)
    assert cache.contract(template, facts, moment) == first
    assert (cache.rendered, cache.reused) == (1, 1)
    cache.contract(template, {**facts, "brand": "別の銘柄"}, moment)
    cache.contract(template, facts, dt.datetime(2026, 4, 2))
    cache.contract(ContractTemplate("ja", template.path, template.data + b"\0"), facts, moment)
    assert (cache.rendered, cache.reused) == (4, 1)


def test_many_contracts_render_on_every_core_as_one_would_alone(tmp_path):
    from offers.contracts import ContractCache, contract_template, render_contract
    from offers.exports import offer_row

    site = load_site(FIXTURE)
    template = contract_template(FIXTURE, "en")
    facts = offer_row(site.find("offers", "kochi-forest"), site, "en", "")
    jobs = [(template, {**facts, "brand": f"Brand {n}"}, dt.datetime(2026, 4, 1 + n % 20)) for n in range(150)]
    cache = ContractCache(tmp_path)
    documents = cache.contracts(jobs)
    assert cache.rendered == 150 and len(list(tmp_path.iterdir())) == 150
    for n in (0, 77, 149):
        assert documents[n] == render_contract(*jobs[n])
        assert f"Brand {n}" in document_text(documents[n])
    assert ContractCache(tmp_path).contracts(jobs) == documents  # and read back from the cache


def test_a_template_is_prepared_once_in_a_process_and_the_defaults_before_any_build(tmp_path, monkeypatch):
    """The build server prepares the default templates (build.py's _import_everything); the
    builds forked from it, each with its own ContractCache, fill them in without preparing or
    compiling them."""
    from jinja2.sandbox import SandboxedEnvironment

    from offers import contracts
    from offers.exports import offer_row

    prepared = []
    original = contracts.ContractFiller.__init__
    monkeypatch.setattr(contracts.ContractFiller, "__init__",
                        lambda self, template: (prepared.append(template.lang), original(self, template))[1])
    monkeypatch.setattr(contracts, "_FILLERS", {})
    contracts.prepare_default_fillers()
    assert sorted(prepared) == ["en", "ja"]
    compiled = []
    compile_source = SandboxedEnvironment.from_string
    monkeypatch.setattr(SandboxedEnvironment, "from_string",
                        lambda self, source, *rest: (compiled.append(source), compile_source(self, source, *rest))[1])
    site = load_site(FIXTURE)
    for build in ("first", "second"):
        jobs = [(contracts.contract_template(FIXTURE, lang), offer_row(site.find("offers", "kochi-forest"), site, lang, ""),
                 dt.datetime(2026, 4, 1)) for lang in ("ja", "en")]
        cache = contracts.ContractCache(tmp_path / build)
        assert len(cache.contracts(jobs)) == 2 and cache.rendered == 2
    assert sorted(prepared) == ["en", "ja"]
    assert compiled == [], "the parts were compiled when the defaults were prepared"


def test_cached_contracts_are_known_by_size_and_digest_and_read_only_when_needed(tmp_path, monkeypatch):
    """A build takes a cached contract by the index's size and digest; its bytes are read
    only when asked for, and a lost file is rendered again, the same bytes."""
    import os

    from offers.contracts import ContractCache, contract_template, render_contract
    from offers.exports import offer_row
    from opendata.filecache import FileCache
    from site_pages.output import content_digest

    site = load_site(FIXTURE)
    template = contract_template(FIXTURE, "ja")
    facts = offer_row(site.find("offers", "kochi-forest"), site, "ja", "")
    jobs = [(template, {**facts, "brand": f"銘柄{n}"}, dt.datetime(2026, 4, 1)) for n in range(3)]
    first = ContractCache(tmp_path)
    expected = [render_contract(*job) for job in jobs]
    assert first.contracts(jobs) == expected
    first.prune()

    monkeypatch.setattr(FileCache, "get", lambda self, key: pytest.fail("a document was read"))
    cache = ContractCache(tmp_path)
    documents = cache.documents(jobs)
    assert (cache.rendered, cache.reused) == (0, 3)
    assert [(len(d), d.digest) for d in documents] == [(len(e), content_digest(e)) for e in expected]
    monkeypatch.undo()
    os.remove(next(tmp_path.glob(f"{cache.key(*jobs[1])}.docx")))
    assert [d.load() for d in documents] == expected  # the lost one rendered again

    old = dt.datetime.now().timestamp() - 40 * 86400
    for path in tmp_path.glob("*.docx"):
        os.utime(path, (old, old))  # unread for 40 days, but used by a build today
    (tmp_path / ".docx-pruned").unlink(missing_ok=True)
    assert cache.prune() == 0 and len(list(tmp_path.glob("*.docx"))) == 3


def write_template(path: Path, *paragraphs: str, comment: str | None = None) -> None:
    document = docx.Document()
    for text in paragraphs:
        paragraph = document.add_paragraph(text)
    if comment:
        document.add_comment(paragraph.runs, text=comment, author="山田太郎", initials="YT")
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(path)


def test_content_root_may_carry_its_own_contract_template(tmp_path, content_copy):
    write_template(content_copy / "ja/offers/contract-template.docx", "独自のひな形",
                   "{{ brand }}／{{ quantity }} t-CO2／{{ offer.quantity_t_co2 }}／{{ listed_on }}／{{ listed_date }}")
    assert run_build(content=content_copy, output=tmp_path / "out").returncode == 0
    text = document_text((tmp_path / "out/offers/kochi-forest/contract.docx").read_bytes())
    assert text.startswith("独自のひな形\n「テスト森林」クレジット／12,000 t-CO2／12000／2026-09-01／2026年9月1日")
    english = document_text((tmp_path / "out/en/offers/kochi-forest/contract.docx").read_bytes())
    assert "Agreement" in english and '"Test Forest" credits' in english  # the default English template


@pytest.mark.parametrize("template, field, expect_ja, expect_en", [
    (("{{ brnad }}",), "brnad", "差し込み項目 {{ brnad }} はありません", "no placeholder {{ brnad }}"),
    (("{% if brand %}",), "", "書き方が正しくありません", "malformed"),
    (("{{ brand.__class__.__mro__ }}",), "", "書き方が正しくありません", "unsafe"),  # sandboxed
    (b"not a zip", "", "Word 文書（.docx）として読めません", "not a Word document"),
])
def test_unfit_template_fails_the_build_naming_the_file(tmp_path, content_copy, template, field, expect_ja, expect_en):
    path = content_copy / "ja/offers/contract-template.docx"
    if isinstance(template, bytes):
        path.write_bytes(template)
    else:
        write_template(path, *template)
    output = tmp_path / "out"
    # `make check` says it as the build does, before anything is rendered
    for result in (run_build("--check", content=content_copy, output=output), run_build(content=content_copy, output=output)):
        assert result.returncode == 1 and not output.exists()
        line = next(line for line in result.stderr.splitlines() if "contract-template.docx:1:" in line)
        assert line.split(": ")[1] == (field or "-")
        assert expect_ja in line and expect_en in line


def test_template_with_comments_or_tracked_changes_is_refused(tmp_path, content_copy):
    path = content_copy / "en/offers/contract-template.docx"
    write_template(path, "{{ brand }}", comment="please check the price")
    result = run_build(content=content_copy, output=tmp_path / "out")
    assert result.returncode == 1 and "en/offers/contract-template.docx:1: -: コメントが残っています" in result.stderr
    write_template(path, "{{ brand }}")
    with zipfile.ZipFile(path) as package:
        parts = {name: package.read(name) for name in package.namelist()}
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:r>", b'<w:ins w:id="1" w:author="Yamada Taro" w:date="2026-01-01T00:00:00Z"><w:r>', 1).replace(
        b"</w:r>", b"</w:r></w:ins>", 1)
    with zipfile.ZipFile(path, "w") as package:
        for name, data in parts.items():
            package.writestr(name, data)
    for result in (run_build("--check", content=content_copy, output=tmp_path / "out"),
                   run_build(content=content_copy, output=tmp_path / "out")):
        assert result.returncode == 1 and "変更履歴が残っています" in result.stderr and "tracked changes" in result.stderr


def test_default_templates_are_what_the_script_makes():
    import subprocess
    import sys

    from conftest import ROOT
    result = subprocess.run([sys.executable, str(ROOT / "scripts/make_contract_templates.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


HOSTILE_BRAND = '<img src=x onerror=alert(document.domain)// & "引用" {{ 7*7 }}'
HOSTILE_TERMS = "R&D ]]> <![CDATA[ {%p if true %} </td <script"


def hostile_copy(content: Path) -> Path:
    """The fixture tree with an offer whose text tries to become markup, Jinja or XML."""
    offer = content / "ja/offers/kochi-forest.yaml"
    text = offer.read_text(encoding="utf-8")
    text = text.replace("brand: 「テスト森林」クレジット", "brand: '" + HOSTILE_BRAND.replace("'", "''") + "'")
    text = text.replace(text.split("conditions: ")[1].split("\n")[0], "'" + HOSTILE_TERMS + "'")
    offer.write_text(text, encoding="utf-8")
    (content / "en/offers/kochi-forest.yaml").unlink()
    return content


def test_offer_text_stays_text_in_pages_exports_and_contracts(tmp_path, content_copy):
    output = tmp_path / "out"
    result = run_build(content=hostile_copy(content_copy), output=output)
    assert result.returncode == 0, result.stderr
    for path in ("offers/index.html", "offers/kochi-forest/index.html", "en/offers/index.html"):
        tree = lxml.html.fromstring(read(output, path))
        assert not tree.xpath("//img[@onerror] | //*[@onerror] | //script[not(@src)]"), path
        assert HOSTILE_BRAND in tree.text_content()
    document = json.loads(read(output, "offers/offers.json"))
    row = next(r for r in document["rows"] if r["id"] == "kochi-forest")
    assert (row["brand"], row["conditions"]) == (HOSTILE_BRAND, HOSTILE_TERMS)
    text = document_text((output / "offers/kochi-forest/contract.docx").read_bytes())
    assert HOSTILE_BRAND in text and HOSTILE_TERMS in text and "49" not in text


def test_spreadsheet_formulas_in_text_are_refused(tmp_path):
    from test_validation import make_tree, offer_with, only, problems_of
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(brand="'=HYPERLINK(\"https://evil.example\")'")})
    problem = only(problems_of(root), "brand")
    assert problem.line == 1 and "数式" in problem.ja and "formula" in problem.en


def test_xlsx_never_turns_text_into_a_formula():
    from opendata import Column, Table, table_files
    table = Table("t", "表", "Table", [Column("text", "文", "Text")],
                  {"ja": [{"text": "=1+1"}], "en": [{"text": "=1+1"}]})
    cell = load_workbook(io.BytesIO(table_files(table, "t", DAY)["t/t.xlsx"])).active["A2"]
    assert cell.value == "=1+1" and cell.data_type == "s"


@pytest.mark.parametrize("field, value, expect", [
    ("contact_email", "tyamada@shimanto-forest.or.jp", "person"),
    ("contact_email", "hanako@shimanto-forest.or.jp", "person"),
    ("contact_email", "taroyamada@shimanto-forest.or.jp", "person"),
    ("contact_email", "office@mail.goo.ne.jp", "free-mail"),
    ("contact_email", "credit@xx.docomo.ne.jp", "mobile"),
    ("contact_url", "https://example.or.jp/~tanaka/", "person's page"),
    ("contact_url", "https://example.or.jp/staff/taro-yamada/", "person's page"),
    ("contact_url", "https://info@example.or.jp/contact", "user name"),
    ("contact_url", "https://example.or.jp/form?to=t.suzuki@example.or.jp", "person's address"),
    ("conditions", "詳しくは担当携帯 090-1234-5678 まで", "mobile phone"),
])
def test_contacts_must_be_an_organisations(tmp_path, field, value, expect):
    from test_validation import make_tree, offer_with, only, problems_of
    changes = {"contact_url": None, field: value} if field == "contact_email" else {field: value}
    problem = only(problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(**changes)})), field)
    assert expect in problem.en and problem.ja


@pytest.mark.parametrize("email", ["j-credit@shimanto-forest.or.jp", "shinrin.credit@example-pref.jp",
                                   "kankyo@example.co.jp", "monozukuri@example.co.jp"])
def test_role_addresses_and_organisation_pages_pass(tmp_path, email):
    from test_validation import make_tree, offer_with
    offer = offer_with(contact_url="https://example.or.jp/mori/credit/", contact_email=email)
    assert load_site(make_tree(tmp_path, {"ja/offers/o.yaml": offer})).find("offers", "o")


def test_government_held_credits_are_a_ministrys(tmp_path):
    from test_validation import make_tree, offer_with, only, problems_of
    problem = only(problems_of(make_tree(tmp_path / "a", {"ja/offers/o.yaml": offer_with(government_held="true")})),
                   "government_held")
    assert problem.line == 11 and "省庁" in problem.ja and "ministry" in problem.en
    site = load_site(make_tree(tmp_path / "b", {
        "ja/offers/moe.yaml": offer_with(seller="環境省"),
        "ja/offers/maff.yaml": offer_with(seller="農林水産省（林野庁）"),
        "ja/offers/pref.yaml": offer_with(seller="高知県庁"),
        "ja/offers/stated.yaml": offer_with(seller="経済産業省", government_held="false"),
    }))
    held = {o.id: o.government_held for o in site.all("offers")}
    assert held == {"moe": True, "maff": True, "pref": False, "stated": False}


def test_offer_of_an_unpublished_methodology_or_project_names_it_without_a_link(tmp_path, content_copy):
    for path in ("ja/methodologies/EN-S-001.yaml", "ja/projects/P2001.yaml"):
        (content_copy / path).write_text((content_copy / path).read_text(encoding="utf-8") + "visibility: internal\n",
                                         encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    row = next(r for r in table_rows(output, "ja") if r[0].startswith("「丸の内"))
    assert row[1] == "EN-S-001"
    document = json.loads(read(output, "offers/offers.json"))
    data = next(r for r in document["rows"] if r["id"] == "boiler-tokyo")
    assert data["methodology"] == "EN-S-001" and data["methodology_title"] is None and data["project_id"] is None
    text = document_text((output / "offers/boiler-tokyo/contract.docx").read_bytes())
    assert "EN-S-001" in text and "P2001" not in text and "ボイラーの導入" not in text
    assert b"P2001" not in b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file())


def test_a_project_of_an_unpublished_methodology_names_it_without_a_link_and_the_editor_is_told(tmp_path, content_copy):
    path = content_copy / "ja/methodologies/EN-S-001.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "visibility: internal\n", encoding="utf-8")
    output = tmp_path / "out"
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 0, result.stderr
    dd = lxml.html.fromstring(read(output, "projects/P2001/index.html")).xpath("//dl[@class='summary-list']/dd")[1]
    assert dd.text_content() == "EN-S-001" and not dd.xpath(".//a")
    warned = [line for line in result.stderr.splitlines() if line.startswith("WARNING: ") and "EN-S-001 is internal" in line]
    assert any("ja/projects/P2001.yaml:" in line and ": methodology: " in line for line in warned), result.stderr


def test_an_english_brand_sorts_from_its_first_letter_not_its_quotation_mark(built_site):
    rows = lxml.html.fromstring(read(built_site, "en/offers/index.html")).xpath("//table[@id='offers-table']/tbody/tr/th")
    keys = {th.xpath("string(a)"): th.get("data-sort-value") for th in rows}
    assert keys['"Test Forest" credits'] == 'Test Forest" credits'  # under T, not before every letter
