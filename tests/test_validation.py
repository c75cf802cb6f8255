"""Validation of bad content: every problem reported as path:line: field: message, in both
languages, all of them in one run. Each case is the kind of mistake editors really make."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import FIXTURE, ROOT
from model import ContentError, load_site

METHODOLOGY = """\
id: FO-001
category: forestry
title: 森林経営活動
status: active
versions:
  - version: "2.10"
    revised_on: 2024-03-29
    file: files/FO-001.pdf
"""

OFFER = """\
brand: 四万十の森クレジット
methodology: FO-001
prefecture: 高知県
sector: forestry
quantity_t_co2: 1200
conditions: 1口100t-CO2から
seller: 四万十町森林組合
contact_url: https://example.or.jp/contact
listed_on: 2026-04-01
status: open
"""


def make_tree(root: Path, files: dict[str, str]) -> Path:
    base = {"ja/methodologies/FO-001.yaml": METHODOLOGY, "files/FO-001.pdf": "%PDF-1.4\n"}
    for relative, text in {**base, **files}.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def problems_of(root: Path) -> list:
    with pytest.raises(ContentError) as caught:
        load_site(root)
    return caught.value.problems


def only(problems, field):
    found = [p for p in problems if p.field == field]
    assert found, f"no problem for {field}: {[str(p) for p in problems]}"
    return found[0]


def offer_with(**changes) -> str:
    lines = dict(line.split(": ", 1) for line in OFFER.strip().splitlines())
    for key, value in changes.items():
        if value is None:
            lines.pop(key, None)
        else:
            lines[key] = value
    return "".join(f"{k}: {v}\n" for k, v in lines.items())


def test_valid_tree_loads(tmp_path):
    site = load_site(make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER}))
    offer = site.find("offers", "shimanto")
    assert offer.quantity_t_co2 == 1200
    assert str(offer.listed_on) == "2026-04-01"
    assert site.find("methodologies", "FO-001").current_version["version"] == "2.10"


@pytest.mark.parametrize("field, value, line, expect_ja, expect_en", [
    ("quantity_t_co2", "１２００", 5, "全角", "write 1200"),
    ("quantity_t_co2", '"1,200"', 5, "1200", "write 1200"),
    ("quantity_t_co2", "0", 5, "1 以上", "at least 1"),
    ("listed_on", "令和8年4月1日", 9, "2026-04-01", "2026-04-01"),
    ("listed_on", "平成40年4月1日", 9, "平成は31年まで", "does not exist"),
    ("listed_on", "2026/4/1", 9, "2026-04-01", "2026-04-01"),
    ("listed_on", "2026-02-30", 9, "存在しない日付", "not a real date"),
    ("status", "on", 10, "open, closed", "not an allowed value"),
    ("status", "NO", 10, "「NO」", '"NO"'),
    ("prefecture", "高知", 3, "高知県", "高知県"),
    ("sector", "林業", 4, "使えない値", "not an allowed value"),
    ("methodology", "FO-002", 2, "FO-002 がありません", "does not exist"),
    ("contact_url", "http://example.or.jp/contact", 8, "形式が正しくありません", "https"),
    ("brand", "<b>四万十</b>", 1, "HTML タグ", "HTML tags"),
])
def test_bad_offer_field(tmp_path, field, value, line, expect_ja, expect_en):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": offer_with(**{field: value})})
    problem = only(problems_of(root), field)
    assert problem.path.endswith("ja/offers/shimanto.yaml")
    assert problem.line == line
    assert expect_ja in problem.ja
    assert expect_en in problem.en


def test_unquoted_version_2_10_is_not_2_1(tmp_path):
    root = make_tree(tmp_path, {})
    (root / "ja/methodologies/FO-001.yaml").write_text(METHODOLOGY.replace('"2.10"', "2.10"), encoding="utf-8")
    problem = only(problems_of(root), "versions[0].version")
    assert problem.line == 6
    assert '"2.10"' in problem.ja and '"2.10"' in problem.en


def test_typo_field_name_suggests_the_right_one(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER.replace("conditions:", "condition:")})
    problems = problems_of(root)
    typo = only(problems, "condition")
    assert typo.line == 6 and '"conditions"' in typo.en
    missing = only(problems, "conditions")
    assert "required" in missing.en and "必須" in missing.ja


@pytest.mark.parametrize("address, reason", [
    ("jcredit.office@gmail.com", "free-mail"),
    ("taro.yamada@shimanto-forest.or.jp", "person"),
    ("t-suzuki@example.co.jp", "person"),
])
def test_personal_contact_addresses_are_rejected(tmp_path, address, reason):
    offer = offer_with(contact_url=None, contact_email=address)
    problem = only(problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer})), "contact_email")
    assert reason in problem.en and problem.line == 10  # appended after status


@pytest.mark.parametrize("conditions, found", [
    ("担当 03-1234-5678 まで", "phone number (03-1234-5678)"),
    ("担当 (090)1234-5678", "mobile phone number ((090)1234-5678)"),
    ("担当 +81-90-1234-5678", "mobile phone number (+81-90-1234-5678)"),
    ("担当 ０９０１２３４５６７８", "mobile phone number (09012345678)"),
    ("担当 ０９０‐１２３４‐５６７８", "mobile phone number (090‐1234‐5678)"),  # hyphens NFKC keeps
    ("担当 090ー1234ー5678", "mobile phone number (090ー1234ー5678)"),
    ("taro.yamada＠gmail.com まで", "free-mail"),
])
def test_personal_data_in_text_is_found_at_its_line_as_the_built_files_are_checked(tmp_path, conditions, found):
    """The same rule as the output checks (model.contacts.personal_data): what `make check`
    passes, the build publishes."""
    problems = [p for p in problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(conditions=conditions)}))
                if p.field == "conditions"]
    assert len(problems) == 1 and found in problems[0].en and problems[0].line == 6, [str(p) for p in problems]


def test_an_organisations_number_listed_in_the_content_may_be_published(tmp_path):
    offer = offer_with(conditions="担当 03-1234-5678（代表）まで")
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer, "phone-numbers.yaml": "# 代表番号\n- 03-1234-5678\n- ０３（５５５５）１２３４\n"})
    assert load_site(root).find("offers", "o")
    (root / "phone-numbers.yaml").write_text("- 03-1234-5678\n- 1200\n- 担当者\n", encoding="utf-8")
    problems = problems_of(root)
    assert [(p.path.endswith("phone-numbers.yaml"), p.line, p.field) for p in problems] == [(True, 2, "[1]"), (True, 3, "[2]")]
    assert "not a phone number (1200)" in problems[0].en and "電話番号ではありません" in problems[0].ja


def test_the_numbers_list_takes_no_mobile_number_and_shows_a_number_as_typed(tmp_path):
    """A person's mobile listed there was published everywhere the offer is (page, open data,
    contract); 0312345678, read by YAML as an integer, was shown as 312345678."""
    offer = offer_with(conditions="担当者直通 090-1234-5678")
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer, "phone-numbers.yaml": "- 090-1234-5678\n- 0312345678\n"})
    problems = [p for p in problems_of(root) if p.path.endswith("phone-numbers.yaml")]
    assert [(p.line, p.field) for p in problems] == [(1, "[0]"), (2, "[1]")]
    assert "a mobile number (090-1234-5678) is a person's" in problems[0].en and "携帯電話の番号" in problems[0].ja
    assert "not a phone number (0312345678)" in problems[1].en
    assert any(p.field == "conditions" and "mobile phone number" in p.en for p in problems_of(root))


def test_role_address_is_accepted(tmp_path):
    offer = offer_with(contact_url=None, contact_email="j-credit@shimanto-forest.or.jp")
    assert load_site(make_tree(tmp_path, {"ja/offers/o.yaml": offer})).find("offers", "o")


def test_contact_is_required(tmp_path):
    problem = only(problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(contact_url=None)})),
                   "contact_url")
    assert "contact_email" in problem.en


def test_missing_attachment_and_escaping_path(tmp_path):
    root = make_tree(tmp_path, {})
    text = METHODOLOGY.replace("files/FO-001.pdf", "files/missing.pdf") + \
        "  - version: \"3.0\"\n    revised_on: 2025-04-01\n    file: files/../../etc/passwd\n"
    (root / "ja/methodologies/FO-001.yaml").write_text(text, encoding="utf-8")
    problems = problems_of(root)
    assert only(problems, "versions[0].file").line == 8
    assert only(problems, "versions[1].file").line == 11


@pytest.mark.parametrize("relative", ["ja/offers/boiler-tokyo.yaml", "ja/pages/about.md", "ja/reports/ndc-study/meta.yaml",
                                      "ja/reports/ndc-study/report.md", "en/offers/kochi-forest.yaml", "en/pages/about.md"])
@pytest.mark.parametrize("encoding", ["shift_jis", "utf-16", "binary"])
def test_a_file_not_saved_as_utf8_is_named_once(content_copy, relative, encoding):
    """Saved from Excel or Notepad as Shift_JIS or UTF-16, or not text at all: one problem on
    the file's first line, not a traceback."""
    path = content_copy / relative
    if encoding == "shift_jis" and relative.startswith("en/"):
        path.write_text(path.read_text(encoding="utf-8") + "\n# 英語訳\n", encoding="utf-8")  # plain ASCII is UTF-8 too
    path.write_bytes(bytes(range(128, 256)) if encoding == "binary"
                     else path.read_text(encoding="utf-8").encode(encoding))
    problems = problems_of(content_copy)
    assert [(p.path.endswith(relative), p.line, p.ja) for p in problems] == [(True, 1, "UTF-8 で保存してください")]
    assert "not UTF-8" in problems[0].en


def test_broken_yaml_syntax_names_the_line(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace("seller: 四万十町森林組合", "seller: [四万十町森林組合")})
    problem = problems_of(root)[0]
    assert problem.path.endswith("o.yaml") and problem.line >= 7
    assert "YAML" in problem.ja and "YAML syntax error" in problem.en


def test_duplicate_key_is_reported(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER + "quantity_t_co2: 5\n"})
    problem = only(problems_of(root), "quantity_t_co2")
    assert problem.line == 11 and "twice" in problem.en


def test_every_problem_in_the_tree_in_one_run(tmp_path):
    root = make_tree(tmp_path, {
        "ja/offers/a.yaml": offer_with(quantity_t_co2="１０"),
        "ja/offers/b.yaml": offer_with(listed_on="令和8年4月1日"),
        "ja/offer/c.yaml": OFFER,  # a typo'd folder name
        "ja/faqs/q1.yml": "category: general\n",
        "en/offers/nothing.yaml": "brand: Nothing\n",
    })
    paths = {Path(p.path).name for p in problems_of(root)}
    assert {"a.yaml", "b.yaml", "c.yaml", "q1.yml", "nothing.yaml"} <= paths


def test_meeting_rules(tmp_path):
    root = make_tree(tmp_path, {"ja/meetings/steering-040.yaml": """\
        committee: steering
        number: 41
        date: 2026-06-10
        agenda: [開会]
        results: {projects_registered: 1, credits_certified_t_co2: 10}
        """})
    problems = problems_of(root)
    assert only(problems, "number").line == 2 and "steering-041.yaml" in only(problems, "number").en
    assert only(problems, "results").line == 5


def test_methodology_id_and_category_must_agree(tmp_path):
    root = make_tree(tmp_path, {})
    (root / "ja/methodologies/FO-001.yaml").write_text(METHODOLOGY.replace("category: forestry", "category: agriculture"), encoding="utf-8")
    assert only(problems_of(root), "category").line == 2


def test_a_methodology_file_named_in_lower_case_is_told_once_about_its_id(tmp_path):
    root = make_tree(tmp_path, {})
    (root / "ja/methodologies/FO-001.yaml").rename(root / "ja/methodologies/fo-001.yaml")
    problems = [(p.field, p.en) for p in problems_of(root)]
    assert problems == [("id", "does not match the file name (fo-001)")]  # not "belongs to category None"


def test_english_overlay_may_carry_only_translatable_fields(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER,
                                "en/offers/o.yaml": "brand: Shimanto forest credits\nquantity_t_co2: 5\n"})
    problem = only(problems_of(root), "quantity_t_co2")
    assert problem.path.endswith("en/offers/o.yaml") and problem.line == 2
    assert "translatable" in problem.en


@pytest.mark.parametrize("field, value", [("methodology", "F0-001"), ("methodology", "ＦＯ－００１"), ("project_id", "p0521")])
def test_a_reference_of_the_wrong_form_is_told_once(tmp_path, field, value):
    problems = problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(**{field: value})}))
    assert [(p.field, "expected form" in p.en) for p in problems] == [(field, True)]  # not also "does not exist"


def test_two_files_whose_names_differ_in_case_only_are_both_named(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER, "ja/offers/Shimanto.yaml": OFFER})
    named = sorted((p.path.rsplit("/", 1)[-1], p.en) for p in problems_of(root) if "letter case" in p.en)
    assert named == [("Shimanto.yaml", "the file name differs from shimanto in letter case only (the URLs collide)"),
                     ("shimanto.yaml", "the file name differs from Shimanto in letter case only (the URLs collide)")]


def test_english_holds_no_text_the_japanese_lacks_and_a_page_sets_no_metadata_of_its_own(tmp_path):
    """An English-only note was published in the open data but not on the page; a page's
    `Visibility: internal` in English was ignored (the English page published)."""
    root = make_tree(tmp_path, {
        "ja/offers/o.yaml": OFFER,
        "en/offers/o.yaml": "brand: Shimanto forest credits\nnotes: An English-only note.\n",
        "ja/pages/about.md": "Title: 制度について\nOrder: 10\n\n本文\n",
        "en/pages/about.md": "Title: About\nOrder: 10\nVisibility: internal\n\nText\n",
        "ja/pages/contact.md": "Title: お問い合わせ\nOrder: 90\n\n本文\n",
        "en/pages/contact.md": "Title: Contact\nOrder: 20\n\nText\n"})
    found = sorted((p.path.rsplit("/", 2)[-2] + "/" + p.path.rsplit("/", 1)[-1], p.line, p.field, p.en)
                   for p in problems_of(root))
    assert found == [
        ("offers/o.yaml", 2, "notes", "the Japanese has no such field: write it in Japanese first, then translate it"),
        ("pages/about.md", 3, "visibility", "the English page cannot set this: set it on the Japanese page"),
        ("pages/contact.md", 2, "order", "must be as on the Japanese page, 90 (order is not translated)")]


def test_markdown_front_matter(tmp_path):
    root = make_tree(tmp_path, {"ja/news/n.md": "Title: お知らせ\nDate: 令和8年4月1日\nSumary: 概要\n\n本文\n"})
    problems = problems_of(root)
    assert only(problems, "date").line == 2 and "2026-04-01" in only(problems, "date").en
    assert only(problems, "sumary").line == 3 and "summary" in only(problems, "sumary").en


def test_check_command_reports_and_fails(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(quantity_t_co2="１０")})
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "validate.py"), str(root)],
                            capture_output=True, text=True)
    assert result.returncode == 1
    line = next(l for l in result.stderr.splitlines() if "quantity_t_co2" in l)
    assert line.split(": ")[0].endswith("ja/offers/o.yaml:5")
    assert "全角" in line and "full-width" in line


def test_fixture_tree_is_valid():
    load_site(FIXTURE)


def test_generated_schemas_are_current():
    from model.schemas import SCHEMA_DIR, generated_schemas
    for name, text in generated_schemas().items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == text, f"run `make schemas`: {name}"


def test_markdown_links_to_missing_attachments_are_reported(tmp_path):
    root = make_tree(tmp_path, {"ja/pages/guide.md": "Title: 手引き\n\n本文\n\n[様式](/files/forms/yoshiki1.xlsx)\n"})
    problem = problems_of(root)[0]
    assert problem.path.endswith("ja/pages/guide.md") and problem.line == 5
    assert "files/forms/yoshiki1.xlsx" in problem.en


def test_pelican_style_front_matter_is_understood(tmp_path):
    root = make_tree(tmp_path, {
        "ja/news/a.md": "---\nTitle: お知らせ\nDate: 2026-04-01 10:00\nTags: 森林, 方法論\nStatus: draft\n---\n本文\n",
        "ja/news/b.md": "Title: お知らせ2\nDate: 2026-04-02\nSlug: other\n\n本文\n",
    })
    problems = problems_of(root)
    assert [(Path(p.path).name, p.line, p.field) for p in problems] == [("b.md", 3, "slug")]
    (root / "ja/news/b.md").write_text("Title: お知らせ2\nDate: 2026-04-02\n\n本文\n", encoding="utf-8")
    site = load_site(root)
    draft = site.find("news", "a")
    assert draft.internal and str(draft.date) == "2026-04-01" and draft.tags == ["森林", "方法論"]


def test_file_names_must_make_clean_urls(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/四万十 の森.yaml": OFFER})
    problem = problems_of(root)[0]
    assert problem.path.endswith("四万十 の森.yaml") and "URL" in problem.en


MEETING = """\
committee: steering
number: 40
date: 2026-09-29
agenda: [開会]
materials:
  - title: 議事次第
    file: files/m/shidai.pdf
  - title: 事務局メモ
    file: files/m/memo.pdf
    visibility: internal
minutes: |
  ## 議事概要

  - 連絡先: {contact}
"""
MEETING_FILES = {"files/m/shidai.pdf": "%PDF-1.4\n", "files/m/memo.pdf": "%PDF-1.4\n"}


def test_a_public_text_may_not_link_to_a_file_only_an_internal_item_has(tmp_path):
    root = make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": MEETING.format(contact="jimukyoku@example.go.jp"),
                                "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n本文\n\n[メモ](/files/m/memo.pdf)\n"})
    problem = problems_of(root)[0]
    assert (Path(problem.path).name, problem.line) == ("n.md", 6)
    assert "files/m/memo.pdf" in problem.en and "ja/meetings/steering-040.yaml" in problem.en and "公開しない" in problem.ja
    (root / "ja/news/n.md").write_text("Title: お知らせ\nDate: 2026-10-01\n\n[次第](/files/m/shidai.pdf)\n", encoding="utf-8")
    load_site(root)  # a public material may be linked


def test_a_public_record_referring_to_an_internal_one_builds_with_a_warning(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER})
    (root / "ja/methodologies/FO-001.yaml").write_text(METHODOLOGY + "visibility: internal\n", encoding="utf-8")
    [warning] = load_site(root).warnings
    assert warning.path.endswith("ja/offers/o.yaml") and (warning.line, warning.field) == (2, "methodology")
    assert "FO-001 is internal" in warning.en and "without a link" in warning.en


def test_an_english_list_must_pair_with_the_japanese_one_item_for_item(tmp_path):
    """A current English list pairs item for item: one title left out would put every later
    title on the next file, the internal memo's on a public one. Once the Japanese has changed
    since (an item added), the build goes on with the list in Japanese, and says so."""
    from model.site import translatable_text
    from model.translation import source_hash

    root = make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": MEETING.format(contact="jimukyoku@example.go.jp")})
    pinned = source_hash(translatable_text(load_site(root).find("meetings", "steering-040")))
    english = root / "en/meetings/steering-040.yaml"
    english.parent.mkdir(parents=True)
    english.write_text(f'source_hash: "{pinned}"\nmaterials:\n  - title: Secretariat memo\n', encoding="utf-8")
    problem = only(problems_of(root), "materials")
    assert problem.path.endswith("en/meetings/steering-040.yaml") and problem.line == 2
    assert "1 items, the Japanese has 2" in problem.en
    english.write_text(f'source_hash: "{pinned}"\nmaterials:\n  - title: Agenda\n  - {{}}\n', encoding="utf-8")
    load_site(root)  # an item left empty keeps its place
    # The Japanese gains an item after the English was made: a warning, the list in Japanese.
    japanese = root / "ja/meetings/steering-040.yaml"
    (root / "files/m/zaseki.pdf").write_text("%PDF-1.4\n", encoding="utf-8")
    japanese.write_text(japanese.read_text(encoding="utf-8").replace(
        "materials:\n", "materials:\n  - title: 座席表\n    file: files/m/zaseki.pdf\n", 1), encoding="utf-8")
    site = load_site(root)
    [warning] = [w for w in site.warnings if w.field == "materials"]
    assert "2 items, the Japanese has 3" in warning.en and "shows in Japanese" in warning.en
    english.write_text('materials:\n  - title: Agenda\n  - {}\n', encoding="utf-8")  # which Japanese it translates: unknown
    [warning] = [w for w in load_site(root).warnings if w.field == "materials"]
    assert "the English does not say which Japanese it translates (no source_hash)" in warning.en
    meeting = site.find("meetings", "steering-040")
    assert "materials" not in meeting.overlay and meeting.translation == "stale"


@pytest.mark.parametrize("body, expected", [
    ("<script>alert(1)</script>", "<script> is not allowed"),
    ("<iframe src='/offers/'></iframe>", "<iframe> is not allowed"),
    ("![図](https://cdn.example/a.png)", "images must be files of this site"),
    ("[押す](javascript:alert(1))", "javascript: links are not allowed"),
    ("<p onclick='x()'>押す</p>", "the onclick attribute is not allowed"),
])
def test_markdown_the_sanitiser_drops_is_a_warning_on_its_line(tmp_path, body, expected):
    """Sanitised, as the security contract says, so the site still builds; but not silently."""
    root = make_tree(tmp_path, {"ja/news/n.md": f"Title: お知らせ\nDate: 2026-10-01\n\n本文\n\n{body}\n\n`<script>` と書くと表示されます\n"})
    [warning] = load_site(root).warnings  # the code span is text, not markup
    assert (Path(warning.path).name, warning.line, warning.field) == ("n.md", 6, "body") and expected in warning.en


def test_a_personal_contact_in_a_markdown_body_is_a_problem_on_its_line(tmp_path):
    root = make_tree(tmp_path, {"ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n本文\n\n連絡は taro.yamada@gmail.com まで\n"})
    problem = only(problems_of(root), "body")
    assert (Path(problem.path).name, problem.line) == ("n.md", 6) and "free-mail" in problem.en


def test_a_contact_in_minutes_is_reported_on_its_own_line(tmp_path):
    root = make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": MEETING.format(contact="hanako.suzuki@example.co.jp")})
    assert only(problems_of(root), "minutes").line == 14


def test_a_page_may_not_take_a_url_the_site_makes(tmp_path):
    root = make_tree(tmp_path, {"ja/pages/offers.md": "Title: 一覧\n\n本文\n", "ja/pages/en.md": "Title: English\n\n本文\n",
                                "ja/pages/search.md": "Title: 検索\n\n本文\n", "ja/pages/guide.md": "Title: 手引き\n\n本文\n"})
    assert sorted(Path(p.path).name for p in problems_of(root)) == ["en.md", "offers.md", "search.md"]


def test_file_names_differing_in_case_only_collide(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER, "ja/offers/Shimanto.yaml": OFFER})
    problem = problems_of(root)[0]
    assert "letter case" in problem.en


@pytest.mark.parametrize("field, value, expected", [
    ("quantity_t_co2", "99999999999999999999999999", "at most 1000000000000"),
    ("listed_on", "２０２６-１０-０１", "write the date as 2026-10-01"),
])
def test_out_of_range_and_full_width_values(tmp_path, field, value, expected):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(**{field: value})})
    assert expected in only(problems_of(root), field).en


def test_an_impossible_date_in_a_report_document_is_a_problem_not_a_crash(tmp_path):
    shutil.copytree(FIXTURE, tmp_path / "site")
    report = next((tmp_path / "site/ja/reports").glob("*/report.md"))
    report.write_text(report.read_text(encoding="utf-8").replace("Date: 2026-03-31", "Date: 2026-10-32"), encoding="utf-8")
    problem = only(problems_of(tmp_path / "site"), "date")
    assert problem.path.endswith("report.md") and "2026-10-32" in problem.en


@pytest.mark.parametrize("edit, line, expected", [
    (("seller: 四万十町森林組合", 'seller: "四万十町森林組合'), 7, "the quote is not closed"),
    (("seller: 四万十町森林組合", "seller:\n\t四万十町森林組合"), 8, "a tab character"),
    (("seller: 四万十町森林組合", "seller: 四万十町: 森林組合"), 7, "put the whole value in quotes"),
    (("seller: 四万十町森林組合", " seller: 四万十町森林組合"), 7, "the indentation does not line up"),
])
def test_yaml_syntax_mistakes_are_explained_on_the_line_to_look_at(tmp_path, edit, line, expected):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace(*edit)})
    [problem] = problems_of(root)
    assert problem.line == line and expected in problem.en and "YAML の書き方に誤りがあります: " in problem.ja


def test_a_record_that_cannot_be_read_is_one_problem_not_one_per_reference(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/a.yaml": OFFER, "ja/offers/b.yaml": OFFER.replace("1200", "800")})
    (root / "ja/methodologies/FO-001.yaml").write_text(METHODOLOGY.replace("  - version:", " - version:"), encoding="utf-8")
    assert [Path(p.path).name for p in problems_of(root)] == ["FO-001.yaml"]


def test_a_link_to_a_page_the_build_does_not_make_is_reported_where_it_is_written(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER, "ja/offers/naibu.yaml": OFFER + "visibility: internal\n",
                                "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n"
                                "[一覧](/offers/) [掲載](/offers/shimanto/#terms) [英語](/en/offers/shimanto/) [方法論](/methodologies/FO-001/)\n"
                                "[検索](/search/?q=森林) [データ](/offers/offers.csv) [トップ](/) [国際](/international/)\n"
                                "[誤り](/offers/shimanto-no-mori/)\n\n[内部](/offers/naibu/)\n"})
    problems = problems_of(root)
    assert [(Path(p.path).name, p.line) for p in problems] == [("n.md", 6), ("n.md", 8)]
    assert "(/offers/shimanto-no-mori/)" in problems[0].en and problems[1].en.endswith("the record is internal")


def test_a_closed_committees_minutes_and_papers_are_said_to_stay_unpublished():
    """Minutes and papers are for public committees: on a 認証委員会 meeting they stay out of
    the public site, and the editor who wrote them learns so at `make check`, on their line; it builds."""
    papers, minutes = [w for w in load_site(FIXTURE).warnings if w.path.endswith("ja/meetings/certification-058.yaml")]
    assert (minutes.line, minutes.field) == (13, "minutes") and (papers.line, papers.field) == (10, "materials")
    assert "closed committee's minutes" in minutes.en and "internal preview" in minutes.en and "議事録" in minutes.ja
    assert "closed committee's papers" in papers.en and "資料" in papers.ja


def test_a_redirect_to_a_page_the_build_does_not_make_is_refused_at_check(tmp_path):
    """`make check` says it on the redirect's line; the output checks used to, only at the end
    of a whole build."""
    root = make_tree(tmp_path, {"redirects.yaml": "/old/fo.html: /methodologies/FO-001/\n/old/path.html: /new/path/\n"})
    [problem] = problems_of(root)
    assert problem.path.endswith("redirects.yaml") and (problem.line, problem.field) == (2, "/old/path.html")
    assert "the redirect target is not a built page (/new/path/)" in problem.en
    (root / "redirects.yaml").write_text("/old/fo.html: /methodologies/FO-001/\n/old/en.html: /en/methodologies/\n", encoding="utf-8")
    assert len(load_site(root).redirects) == 2


def test_what_editors_leave_beside_a_file_is_not_content(tmp_path):
    """An editor's backup, lock or linter copy is not a record: the first save in Emacs writes
    o.yaml~, which failed the build, and flycheck_o.yaml was published as one more offer."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER, "ja/offers/o.yaml~": "brand: [", "ja/offers/#o.yaml#": "x",
                                "ja/offers/flycheck_o.yaml": OFFER, "ja/offers/o.yaml___jb_tmp___": "x"})
    (root / "ja/offers/.#o.yaml").symlink_to("editor@host.1234:1700000000")  # Emacs's lock
    site = load_site(root)
    assert [offer.id for offer in site.all("offers")] == ["o"]


def test_a_record_with_a_field_error_is_not_also_a_broken_link_everywhere(tmp_path):
    """The offer's own problem is the one to fix: links to its page are not listed before it."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(listed_on="令和8年4月1日"),
                                "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n[売り出し](/offers/o/)\n"})
    assert [(Path(p.path).name, p.field) for p in problems_of(root)] == [("o.yaml", "listed_on")]


@pytest.mark.parametrize("tail", ["notes:\n\t- x\n", "notes:\n  - x\n\t- y\n", "notes: |\n  x\n\ty\n"])
def test_a_tab_in_the_indentation_is_explained_in_both_languages(tmp_path, tail):
    """Each way the parser words it ("cannot start any token", "violates indentation", "where
    an indentation space is expected") is the one explanation, in Japanese too."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER + tail})
    [problem] = problems_of(root)
    assert "タブ文字は使えません" in problem.ja and "tab character" in problem.en and "violates" not in problem.ja


@pytest.mark.parametrize("written", ["ｓｔａｔｕｓ", "Status"])
def test_a_required_field_typed_in_full_width_or_capitals_is_one_problem(tmp_path, written):
    offer = OFFER.replace("status: open", f"{written}: open")
    problems = [(p.field, p.en) for p in problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer}))]
    assert len(problems) == 1 and problems[0][0] == written and "status" in problems[0][1], problems


def test_a_list_typed_with_full_width_dashes_says_so(tmp_path):
    """YAML reads `－ 開会` lines as one text: the list is not there, and the dash is why."""
    meeting = MEETING.format(contact="jimukyoku@example.go.jp").replace("agenda: [開会]", "agenda:\n  － 開会\n  － 閉会")
    problem = only(problems_of(make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": meeting})), "agenda")
    assert "full-width '－'" in problem.en and "半角の「-」" in problem.ja


@pytest.mark.parametrize("field, value, found", [
    ("conditions", "担当 taro.yamada [at] gmail.com まで", "free-mail"),
    ("conditions", "担当 taro.yamada(at)gmail.com まで", "free-mail"),
])
def test_an_address_with_its_at_written_out_is_still_an_address(tmp_path, field, value, found):
    problem = only(problems_of(make_tree(tmp_path, {"ja/offers/o.yaml": offer_with(**{field: value})})), field)
    assert found in problem.en


def test_a_providers_site_may_not_be_a_persons_page(tmp_path):
    provider = ("name: 株式会社テスト\nurl: https://www.example.co.jp/~yamada/\nservices: [consulting]\n"
                "nationwide: true\nverified_on: 2026-04-01\n")
    problem = only(problems_of(make_tree(tmp_path, {"ja/providers/p.yaml": provider})), "url")
    assert "person's page" in problem.en


def test_a_record_copied_and_not_yet_edited_is_not_published_twice(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER, "ja/offers/shimanto-copy.yaml": OFFER,
                                "ja/offers/shimanto-2.yaml": OFFER.replace("quantity_t_co2: 1200", "quantity_t_co2: 800")})
    [problem] = problems_of(root)
    assert (problem.path.endswith("ja/offers/shimanto-copy.yaml"), problem.line, problem.field) == (True, 1, "")
    assert "shimanto と内容がすべて同じです" in problem.ja and "same as in shimanto" in problem.en


@pytest.mark.parametrize("relative, text", [
    ("ja/pages/robots.txt.md", "Title: ロボット\n\n本文\n"),  # /robots.txt/ and the site's robots.txt
    ("ja/offers/offers.json.yaml", OFFER.replace("1200", "800")),  # /offers/offers.json/ and the open data
])
def test_a_file_name_with_a_dot_is_refused_before_it_takes_a_files_name(tmp_path, relative, text):
    """It passed `make check`, and the build stopped with a traceback (IsADirectoryError)."""
    [problem] = problems_of(make_tree(tmp_path, {relative: text}))
    assert (problem.path.endswith(relative), problem.line, problem.field) == (True, 1, "")
    assert "no dot before the extension" in problem.en and "「.」は使えません" in problem.ja


@pytest.mark.parametrize("time, ja, en", [
    ("14:00-25:00", "00:00～23:59", "each time between 00:00 and 23:59"),  # the calendar stopped the build with a traceback
    ("16:00-14:00", "終了時刻（14:00）を開始時刻（16:00）より後に", "the end (14:00) must be after the start (16:00)"),
    ("14:00-14:00", "終了時刻（14:00）を開始時刻（14:00）より後に", "the end (14:00) must be after the start (14:00)"),
])
def test_a_meetings_hours_are_a_time_of_day_and_end_after_they_start(tmp_path, time, ja, en):
    meeting = MEETING.format(contact="jimukyoku@example.go.jp").replace("date: 2026-09-29\n", f'date: 2026-09-29\ntime: "{time}"\n')
    [problem] = problems_of(make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": meeting}))
    assert (problem.line, problem.field) == (4, "time") and ja in problem.ja and en in problem.en


@pytest.mark.parametrize("written, line, says", [
    ("詳しくは[資料][m]。\n\n[m]: /files/meetings/steering-040/shiryo2-internal.pdf\n", 8, "internal in ja/meetings/steering-040.yaml"),
    ("[一覧][1]\n\n  [1]: </offers/shimanto-no-mor/>\n", 8, "(/offers/shimanto-no-mor/)"),  # a reference definition
    ("[日報](/international/cop/)\n", 6, "(/international/cop/)"),  # every daily report is internal: no list either
    ("[日報](/international/cop/cop31-day1/)\n", 6, ": the record is internal"),
])
def test_make_check_follows_every_link_the_build_will_publish(content_copy, written, line, says):
    """Each passed `make check`; the build then stopped on its output page, not the source line."""
    news = content_copy / "ja/news/2026-11-01-offers.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n" + written, encoding="utf-8")
    [problem] = [p for p in problems_of(content_copy) if not p.warning]
    assert (problem.path.endswith("2026-11-01-offers.md"), problem.line, problem.field) == (True, line, "body")
    assert says in problem.en, problem.en


def test_a_file_named_in_another_letter_case_is_named_as_saved(tmp_path):
    meeting = MEETING.format(contact="jimukyoku@example.go.jp").replace("files/m/shidai.pdf", "files/m/Shidai.pdf")
    problem = only(problems_of(make_tree(tmp_path, {**MEETING_FILES, "ja/meetings/steering-040.yaml": meeting})), "materials[0].file")
    assert "(for shidai.pdf, write its name with the same letter case)" in problem.en and "大文字・小文字" in problem.ja


@pytest.mark.parametrize("data", ["figures/図1 目標.csv", "figures/fig1.CSV"])
def test_a_figures_file_name_says_what_is_wrong_with_it(tmp_path, data):
    from test_validation_international import META, report_tree
    problem = only(problems_of(report_tree(tmp_path, meta=META.replace("figures/fig1.csv", data))), "figures[0].data")
    assert "no space in its name and the extension in lower case" in problem.en


def test_the_same_refused_markup_on_several_lines_is_said_on_each(tmp_path):
    body = "Title: お知らせ\nDate: 2026-10-01\n\n[a](javascript:a())\n\n本文\n\n[b](javascript:b())\n[c](javascript:c())\n"
    warnings = [w for w in load_site(make_tree(tmp_path, {"ja/news/n.md": body})).warnings if "javascript" in w.en]
    assert [w.line for w in warnings] == [4, 8, 9]
