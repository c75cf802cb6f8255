"""The yearly batch: export what is missing or stale to XLIFF and XLSX, have it translated, and
import it back into content/en pinned; checked against the OASIS XLIFF schemas."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from conftest import read, run_build
from test_translations import commit_all, edit, git, repo, states, translations  # noqa: F401  (repo: a fixture)

# The OASIS schemas as Debian ships them (php-symfony-translation, in the Makefile's SYSTEM_PACKAGES).
SCHEMAS = Path("/usr/share/php/Symfony/Component/Translation/Resources/schemas")
XLIFF_SCHEMAS = {"1.2": "xliff-core-1.2-strict.xsd", "2.0": "xliff-core-2.0.xsd"}
XLIFF_NS = {"1.2": "urn:oasis:names:tc:xliff:document:1.2", "2.0": "urn:oasis:names:tc:xliff:document:2.0"}


def xliff_schema(version: str) -> etree.XMLSchema:
    """The official schema, its xml.xsd import pointed at the local copy: no network."""
    local = (SCHEMAS / "xml.xsd").as_uri()
    text = (SCHEMAS / XLIFF_SCHEMAS[version]).read_text(encoding="utf-8")
    for remote in ("http://www.w3.org/2001/xml.xsd", "informativeCopiesOf3rdPartySchemas/w3c/xml.xsd"):
        text = text.replace(f'schemaLocation="{remote}"', f'schemaLocation="{local}"')
    return etree.XMLSchema(etree.fromstring(text.encode("utf-8"), base_url=SCHEMAS.as_uri() + "/"))


def export(content: Path, target: Path, *args: str) -> bytes:
    result = translations(content, "export", str(target), *args)
    assert result.returncode == 0, result.stderr
    return target.read_bytes()


def translate_xliff(data: bytes, translate=lambda source: "EN " + source) -> bytes:
    """What a CAT tool hands back: every unit with a target, confirmed by the translator."""
    return confirm_xliff(fill_xliff(data, translate, only_new=False))


def fill_xliff(data: bytes, translate=lambda source: "EN " + source, only_new: bool = True) -> bytes:
    """Targets written in (only where the export gave none: the earlier English left as it is),
    no state changed."""
    root = etree.fromstring(data)
    ns = etree.QName(root).namespace
    for unit in root.iter(f"{{{ns}}}trans-unit", f"{{{ns}}}segment"):
        target = unit.find(f"{{{ns}}}target")
        if target is not None and only_new:
            continue
        if target is None:
            target = etree.Element(f"{{{ns}}}target")
            unit.find(f"{{{ns}}}source").addnext(target)
        target.text = translate(unit.find(f"{{{ns}}}source").text)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def confirm_xliff(data: bytes, state: str = "translated") -> bytes:
    """The translator confirms every target, as a CAT tool records it: 1.2 the target's state,
    2.0 the segment's state (its subState dropped with the state it qualified)."""
    root = etree.fromstring(data)
    ns = etree.QName(root).namespace
    for target in root.iter(f"{{{ns}}}target"):
        if ns == XLIFF_NS["1.2"]:
            target.set("state", state)
        elif etree.QName(target.getparent()).localname == "segment":
            target.getparent().set("state", state)
            target.getparent().attrib.pop("subState", None)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def units_of(data: bytes) -> dict[tuple[str, str], etree._Element]:
    root = etree.fromstring(data)
    ns = etree.QName(root).namespace
    return {(file.get("original"), unit.get("id")): unit
            for file in root.iter(f"{{{ns}}}file") for unit in file.iter(f"{{{ns}}}trans-unit", f"{{{ns}}}unit")}


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_xliff_export_is_valid_and_holds_only_missing_or_stale_public_text(content_copy, tmp_path, version):
    data = export(content_copy, tmp_path / "batch.xlf", "--xliff-version", version)
    schema = xliff_schema(version)
    assert schema.validate(etree.fromstring(data)), schema.error_log
    units = units_of(data)
    files = {file for file, _ in units}
    assert "offers/boiler-tokyo.yaml" in files and "meetings/steering-040.yaml" in files
    assert "offers/kochi-forest.yaml" not in files  # current: nothing to do
    assert "offers/secret-offer.yaml" not in files and "pages/secret.md" not in files  # internal
    assert b"MARKER" not in data  # internal materials and the certification committee's minutes
    assert ("meetings/certification-058.yaml", "results.summary") in units
    assert not any(file == "meetings/certification-058.yaml" and unit.startswith(("minutes", "materials"))
                   for file, unit in units)
    # a stale file's English comes along for revision
    agenda = units[("meetings/steering-040.yaml", "agenda.1")]
    assert "".join(agenda.itertext()).count("Operation of the scheme in FY2026") == 1
    # an earlier English is cut as its source is: no newline a CAT tool's checks would flag
    root = etree.fromstring(data)
    ns = etree.QName(root).namespace
    targets = ["".join(target.itertext()) for target in root.iter(f"{{{ns}}}target")]
    assert targets and not [t for t in targets if t != t.strip("\n")]


@pytest.mark.parametrize("version", ["1.2", "2.0"])
def test_xliff_round_trip_writes_pinned_english_files(content_copy, tmp_path, version):
    data = export(content_copy, tmp_path / "batch.xlf", "--xliff-version", version)
    (tmp_path / "done.xlf").write_bytes(translate_xliff(data))
    result = translations(content_copy, "import", str(tmp_path / "done.xlf"))
    assert result.returncode == 0, result.stderr
    assert set(states(content_copy).values()) == {"current"}
    offer = (content_copy / "en/offers/boiler-tokyo.yaml").read_text(encoding="utf-8")
    assert offer.startswith('source_hash: "sha256:') and "seller: EN 株式会社東京テスト不動産" in offer
    meeting = (content_copy / "en/meetings/steering-040.yaml").read_text(encoding="utf-8")
    assert "Draft agenda (MARKER-INTERNAL-MATERIAL)" in meeting  # the internal part's English is kept
    assert "EN 資料1 方法論の改定案" in meeting
    report = (content_copy / "en/reports/ndc-study/report.md").read_text(encoding="utf-8")
    assert report.startswith("Title: EN 主要国のNDC引上げ動向に関する調査 報告書\nSource_hash: sha256:")
    assert "\n\nEN ## 2. 調査結果\n\n" in report  # paragraph by paragraph, Markdown intact
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    assert "EN 株式会社東京テスト不動産" in read(output, "en/offers/boiler-tokyo/index.html")


def test_import_reads_segmented_targets_from_cat_tools(content_copy, tmp_path):
    # XLIFF 1.2 as Trados returns it: sentence marks and inline codes inside the target
    data = export(content_copy, tmp_path / "batch.xlf", "offers/boiler-tokyo.yaml")
    text = translate_xliff(data, lambda source: "SEGMENTED").decode()
    text = text.replace("SEGMENTED", '<mrk mtype="seg" mid="1">One sentence.</mrk> '
                                     '<mrk mtype="seg" mid="2">Another <g id="1">one</g>.</mrk>')
    (tmp_path / "done.xlf").write_text(text, encoding="utf-8")
    assert translations(content_copy, "import", str(tmp_path / "done.xlf")).returncode == 0
    english = (content_copy / "en/offers/boiler-tokyo.yaml").read_text(encoding="utf-8")
    assert "seller: One sentence. Another one." in english
    # XLIFF 2.0 with the unit split into two segments by the tool
    data = export(content_copy, tmp_path / "two.xlf", "offers/gov-held.yaml", "--xliff-version", "2.0")
    root = etree.fromstring(translate_xliff(data))
    ns = etree.QName(root).namespace
    unit = next(u for u in root.iter(f"{{{ns}}}unit") if u.get("id") == "conditions")
    segment = unit.find(f"{{{ns}}}segment")
    source = segment.find(f"{{{ns}}}source").text
    cut = source.index("。") + 1
    segment.find(f"{{{ns}}}source").text, segment.find(f"{{{ns}}}target").text = source[:cut], "First."
    second = etree.SubElement(unit, f"{{{ns}}}segment")
    etree.SubElement(second, f"{{{ns}}}source").text = source[cut:]
    etree.SubElement(second, f"{{{ns}}}target").text = " Second."
    assert xliff_schema("2.0").validate(root)
    (tmp_path / "two-done.xlf").write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = translations(content_copy, "import", str(tmp_path / "two-done.xlf"))
    assert result.returncode == 0, result.stderr
    assert "conditions: First. Second." in (content_copy / "en/offers/gov-held.yaml").read_text(encoding="utf-8")
    assert states(content_copy)["offers/gov-held.yaml"] == "current"


def test_xlsx_round_trip_for_a_vendor(content_copy, tmp_path):
    data = export(content_copy, tmp_path / "batch.xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:5] == ["file", "unit", "項目 / field", "日本語 / Japanese", "英語 / English"]
    rows = {(row[0].value, row[1].value): row for row in sheet.iter_rows(min_row=2)}
    assert ("offers/boiler-tokyo.yaml", "seller") in rows and not any("MARKER" in str(r[3].value) for r in rows.values())
    assert rows[("meetings/steering-040.yaml", "agenda.1")][4].value == "Operation of the scheme in FY2026"
    conditions = rows[("offers/boiler-tokyo.yaml", "conditions")][3]
    assert conditions.data_type == "s"  # text (validation refuses text that starts like a formula)
    for row in rows.values():
        row[4].value = "EN " + row[3].value
        row[5].value = None  # the vendor clears the review label once the English is revised
    buffer = io.BytesIO()
    sheet.parent.save(buffer)
    (tmp_path / "done.xlsx").write_bytes(buffer.getvalue())
    result = translations(content_copy, "import", str(tmp_path / "done.xlsx"))
    assert result.returncode == 0, result.stderr
    assert set(states(content_copy).values()) == {"current"}
    assert "conditions: EN 10 t-CO2" in (content_copy / "en/offers/boiler-tokyo.yaml").read_text()


def test_untranslated_units_keep_a_file_out(content_copy, tmp_path):
    data = export(content_copy, tmp_path / "batch.xlf", "offers/boiler-tokyo.yaml", "regional/kochi.yaml")
    done = translate_xliff(data, lambda source: "" if "高知" in source else "EN " + source)
    (tmp_path / "done.xlf").write_bytes(done)
    result = translations(content_copy, "import", str(tmp_path / "done.xlf"))
    assert result.returncode == 1
    assert "regional/kochi.yaml" in result.stderr and "untranslated" in result.stderr
    assert not (content_copy / "en/regional/kochi.yaml").exists()
    assert states(content_copy)["offers/boiler-tokyo.yaml"] == "current"


def test_an_import_that_breaks_validation_is_undone(content_copy, tmp_path):
    before = (content_copy / "en/meetings/steering-040.yaml").read_bytes()
    data = export(content_copy, tmp_path / "batch.xlf", "meetings/steering-040.yaml", "offers/boiler-tokyo.yaml")
    (tmp_path / "done.xlf").write_bytes(translate_xliff(data, lambda source: "<b>EN</b> " + source))
    result = translations(content_copy, "import", str(tmp_path / "done.xlf"))
    assert result.returncode == 1 and "HTML" in result.stderr
    assert (content_copy / "en/meetings/steering-040.yaml").read_bytes() == before
    assert not (content_copy / "en/offers/boiler-tokyo.yaml").exists()


def test_japanese_changed_after_export_stays_stale(content_copy, tmp_path):
    git(content_copy, "init", "-q")
    exported_at = commit_all(content_copy, "content", "2026-04-01")
    data = export(content_copy, tmp_path / "batch.xlf", "offers/boiler-tokyo.yaml")
    edit(content_copy / "ja/offers/boiler-tokyo.yaml", "株式会社東京テスト不動産", "東京テスト不動産株式会社")
    commit_all(content_copy, "renamed seller", "2026-06-01")
    (tmp_path / "done.xlf").write_bytes(translate_xliff(data))
    result = translations(content_copy, "import", str(tmp_path / "done.xlf"))
    assert result.returncode == 0
    assert "imported offers/boiler-tokyo.yaml: " in result.stdout and "(pinned: current)" not in result.stdout
    assert "pinned to the Japanese it was translated from, which has changed since: it stays stale" in result.stdout
    english = (content_copy / "en/offers/boiler-tokyo.yaml").read_text(encoding="utf-8")
    assert f'source_commit: "{exported_at}"' in english  # pinned to what was translated
    assert states(content_copy)["offers/boiler-tokyo.yaml"] == "stale"
    out = translations(content_copy, "diff", "offers/boiler-tokyo.yaml").stdout
    assert "+ 東京テスト不動産株式会社" in out and "English now: EN 株式会社東京テスト不動産" in out


def test_nothing_to_export_writes_no_file(tmp_path):
    content = tmp_path / "content"
    (content / "ja/regional").mkdir(parents=True)
    (content / "ja/regional/kochi.yaml").write_text(
        "name: 高知県J-クレジット制度\noperator: 高知県\napproved_on: 2026-04-01\n"
        "url: https://www.example.jp/kochi/\nvisibility: internal\n", encoding="utf-8")
    result = translations(content, "export", str(tmp_path / "batch.xlf"))
    assert result.returncode == 0 and "nothing" in result.stdout
    assert not (tmp_path / "batch.xlf").exists()


# -- an earlier English sent for review comes back only once the translator confirmed it -------

STALE = "news/2026-10-01-meeting.md"  # every unit has English, of an earlier Japanese
OLD_ENGLISH = "We have published the minutes of the 40th J-Credit Scheme Steering Committee"


def import_file(content: Path, path: Path, data: bytes):
    path.write_bytes(data)
    return translations(content, "import", str(path))


def fill_workbook(data: bytes, clear_review: bool = False) -> bytes:
    """The vendor writes the English where there is none; `clear_review`: and clears the
    review label of the rows whose earlier English they revised (here: kept as it is)."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.active
    header = [cell.value for cell in sheet[1]]
    english, state = header.index("英語 / English"), header.index("状態 / state")
    for row in sheet.iter_rows(min_row=2):
        if not row[english].value:
            row[english].value = "EN " + row[3].value
        elif clear_review and "revise the English" in str(row[state].value):
            row[state].value = None
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_left_stale(content: Path, result, before: bytes) -> None:
    assert result.returncode == 1, result.stderr
    assert f"{STALE}: " in result.stderr and "untranslated units" in result.stderr
    assert "needs review" in result.stderr
    assert (content / "en" / STALE).read_bytes() == before  # neither written nor re-pinned
    assert states(content)[STALE] == "stale"


@pytest.mark.parametrize("kind", ["1.2", "2.0", "xlsx"])
def test_english_still_marked_for_review_is_not_imported(content_copy, tmp_path, kind):
    before = (content_copy / "en" / STALE).read_bytes()
    assert b"sha256:0000000000000000" in before and states(content_copy)[STALE] == "stale"
    args = [STALE, "offers/boiler-tokyo.yaml"]
    if kind == "xlsx":
        data = export(content_copy, tmp_path / "batch.xlsx", *args)
        fill, confirm, name = fill_workbook, lambda data: fill_workbook(data, clear_review=True), "done.xlsx"
    else:
        data = export(content_copy, tmp_path / "batch.xlf", *args, "--xliff-version", kind)
        fill, confirm, name = fill_xliff, confirm_xliff, "done.xlf"
    # the file as exported, untouched: nothing comes in
    result = import_file(content_copy, tmp_path / name, data)
    assert_left_stale(content_copy, result, before)
    assert not (content_copy / "en/offers/boiler-tokyo.yaml").exists()
    # the missing file translated, the earlier English not looked at: only the missing file comes in
    filled = fill(data)
    result = import_file(content_copy, tmp_path / name, filled)
    assert_left_stale(content_copy, result, before)
    assert "offers/boiler-tokyo.yaml" not in result.stderr
    assert states(content_copy)["offers/boiler-tokyo.yaml"] == "current"
    # the translator confirms the earlier English as it is: now it is current, pinned
    result = import_file(content_copy, tmp_path / name, confirm(filled))
    assert result.returncode == 0, result.stderr
    english = (content_copy / "en" / STALE).read_text(encoding="utf-8")
    assert OLD_ENGLISH in english and "sha256:0000000000000000" not in english
    assert states(content_copy)[STALE] == "current"


@pytest.mark.parametrize("version, state", [("1.2", "final"), ("1.2", "signed-off"), ("2.0", "reviewed"),
                                            ("2.0", "final")])
def test_any_confirmed_state_imports_the_reviewed_english(content_copy, tmp_path, version, state):
    data = export(content_copy, tmp_path / "batch.xlf", STALE, "--xliff-version", version)
    assert xliff_schema(version).validate(etree.fromstring(data))
    confirmed = confirm_xliff(data, state)
    assert xliff_schema(version).validate(etree.fromstring(confirmed))
    result = import_file(content_copy, tmp_path / "done.xlf", confirmed)
    assert result.returncode == 0, result.stderr
    assert states(content_copy)[STALE] == "current"


@pytest.mark.parametrize("version, state, copy", [("1.2", "new", False), ("1.2", "needs-translation", False),
                                                  ("1.2", "translated", True), ("2.0", "translated", True)])
def test_a_segment_the_tool_left_untranslated_is_not_imported_as_english(content_copy, tmp_path, version, state, copy):
    """A CAT tool pre-fills a segment with its source, or keeps a target marked not translated
    yet: neither is the translator's English, and the file stays out."""
    data = export(content_copy, tmp_path / "batch.xlf", "offers/boiler-tokyo.yaml", "--xliff-version", version)
    done = confirm_xliff(fill_xliff(data, (lambda source: source) if copy else (lambda source: "EN " + source)), state)
    assert xliff_schema(version).validate(etree.fromstring(done))
    result = import_file(content_copy, tmp_path / "done.xlf", done)
    assert result.returncode == 1 and "offers/boiler-tokyo.yaml" in result.stderr and "untranslated" in result.stderr
    assert not (content_copy / "en/offers/boiler-tokyo.yaml").exists()
    result = import_file(content_copy, tmp_path / "done.xlf", confirm_xliff(fill_xliff(data)))  # translated: in
    assert result.returncode == 0, result.stderr
    assert states(content_copy)["offers/boiler-tokyo.yaml"] == "current"


# -- a text whose Japanese gained, lost or changed paragraphs since it was translated ---------

NEWS = "news/2026-11-20-paragraphs.md"


def test_earlier_english_keeps_its_paragraphs_when_the_japanese_gains_one(content_copy, tmp_path):
    japanese, english = content_copy / "ja" / NEWS, content_copy / "en" / NEWS
    japanese.write_text("Title: 段落のお知らせ\nDate: 2026-11-20\n\n一段落目です。\n\n二段落目です。\n\n三段落目です。\n",
                        encoding="utf-8")
    english.write_text("Title: Paragraphs\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n",
                       encoding="utf-8")
    git(content_copy, "init", "-q")
    commit_all(content_copy, "content", "2026-11-20")
    assert translations(content_copy, "mark", NEWS).returncode == 0
    commit_all(content_copy, "pin", "2026-11-20")
    # a paragraph added at the start, the second rewritten, the others as they were
    edit(japanese, "一段落目です。", "新しい段落です。\n\n一段落目です。")
    edit(japanese, "二段落目です。", "二段落目を改めました。")
    commit_all(content_copy, "news revised", "2026-11-21")

    data = export(content_copy, tmp_path / "batch.xlf", NEWS)
    units = units_of(data)
    ns = XLIFF_NS["1.2"]

    def target(unit_id):
        element = units[(NEWS, unit_id)].find(f"{{{ns}}}target")
        return None if element is None else ("".join(element.itertext()), element.get("state"))

    assert target("title") == ("Paragraphs", "translated")
    assert target("body:p1") is None  # new: nothing to pre-fill
    assert target("body:p2") == ("First paragraph.", "translated")  # moved down, unchanged
    assert target("body:p3") == ("Second paragraph.", "needs-review-translation")  # rewritten
    assert target("body:p4") == ("Third paragraph.", "translated")

    # the translator writes the new paragraph and confirms the reviewed one
    done = confirm_xliff(fill_xliff(data, lambda source: "A new paragraph."))
    result = import_file(content_copy, tmp_path / "done.xlf", done)
    assert result.returncode == 0, result.stderr
    body = english.read_text(encoding="utf-8").split("\n\n", 1)[1]
    assert body == "A new paragraph.\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird paragraph.\n"
    assert states(content_copy)[NEWS] == "current"


def test_export_takes_its_options_before_or_after_the_paths(content_copy, tmp_path):
    data = export(content_copy, tmp_path / "batch.xlf", "--xliff-version", "2.0", "offers/boiler-tokyo.yaml")
    assert etree.fromstring(data).get("version") == "2.0"
    assert {file for file, _ in units_of(data)} == {"offers/boiler-tokyo.yaml"}


@pytest.mark.parametrize("kind", ["1.2", "2.0", "xlsx"])
def test_english_for_review_comes_with_the_japanese_it_translates(repo, tmp_path, kind):
    edit(repo / "ja/news/2026-10-01-meeting.md", "議事概要を掲載しました。", "議事概要と資料を掲載しました。")
    commit_all(repo, "news revised", "2026-10-05")
    earlier = "令和8年6月10日に開催した第40回J-クレジット制度運営委員会の議事概要を掲載しました。"
    if kind == "xlsx":
        rows = list(load_workbook(io.BytesIO(export(repo, tmp_path / "batch.xlsx", STALE))).active.values)
        header, body = rows[0], next(row for row in rows[1:] if row[1] == "body")
        assert dict(zip(header, body))["変更前の日本語（英語の訳元） / earlier Japanese (what the English translates)"] == earlier
        title = next(row for row in rows[1:] if row[1] == "title")
        assert title[-1] is None  # unchanged: nothing earlier to show
        return
    data = export(repo, tmp_path / "batch.xlf", STALE, "--xliff-version", kind)
    assert xliff_schema(kind).validate(etree.fromstring(data)), xliff_schema(kind).error_log
    ns = XLIFF_NS[kind]
    unit = units_of(data)[(STALE, "body")]
    if kind == "1.2":
        alternative = unit.find(f"{{{ns}}}alt-trans")
        assert alternative.get("alttranstype") == "previous-version"
        assert alternative.find(f"{{{ns}}}source").text == earlier
        assert alternative.find(f"{{{ns}}}target").text.startswith(OLD_ENGLISH)
    else:
        notes = {note.get("category"): note.text for note in unit.iter(f"{{{ns}}}note")}
        assert notes["jcredit:earlier-source"] == earlier
    assert units_of(data)[(STALE, "title")].find(f".//{{{ns}}}alt-trans") is None
    # read back, the earlier Japanese is no part of the unit's text
    done = confirm_xliff(data)
    assert import_file(repo, tmp_path / "done.xlf", done).returncode == 0
    assert earlier not in (repo / "en" / STALE).read_text(encoding="utf-8")
