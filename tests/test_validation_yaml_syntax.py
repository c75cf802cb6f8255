"""YAML and front-matter mistakes editors make typing with a Japanese IME: each reported once, on
the line where it is, saying in Japanese and English what to type instead; never the parser's
English in the Japanese half."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import load_site
from model.frontmatter import parse_markdown
from test_validation import METHODOLOGY, OFFER, make_tree, only, problems_of

# Legitimate full-width colons in values, just above the lines the mistakes are made on: text,
# never flagged.
TEXT_WITH_COLONS = OFFER.replace("conditions: 1口100t-CO2から", "conditions: 会議：第1回の決定による").replace(
    "seller: 四万十町森林組合", "seller: 四万十町森林組合：林業部")

PARSER_ENGLISH = ("expected", "found", "allowed", "scanning", "document", "character")


def the_one_problem(root: Path, name: str):
    problems = problems_of(root)
    assert len(problems) == 1, [str(p) for p in problems]
    assert Path(problems[0].path).name == name
    return problems[0]


@pytest.mark.parametrize("edit, line, ja, en", [
    (("status: open", "status：open"), 10,
     "10 行目の全角のコロン「：」を半角の「:」にしてください（status: open）",
     "line 10: the full-width colon '：' must be a half-width ':' (status: open)"),
    (("status: open", "status:　open"), 10,
     "10 行目の「:」の後ろの全角スペース「　」を半角スペースにしてください（status: open）",
     "line 10: the space after ':' must be a half-width space, not the full-width '　' (status: open)"),
    (("listed_on: 2026-04-01", "listed_on:\n　　2026-04-01"), 10,
     "10 行目の字下げに全角スペース「　」が使われています。字下げは半角スペースにしてください",
     "line 10: the indentation is the full-width space '　': indent with half-width spaces"),
    (("status: open", "＃ 受付中\nstatus: open"), 10,
     "10 行目の全角の「＃」ではコメントになりません。半角の「#」にしてください",
     "line 10: the full-width '＃' does not start a comment: type a half-width '#'"),
    (("brand: 四万十の森クレジット", "brand：四万十の森クレジット"), 1,  # the parser stops on line 2
     "1 行目の全角のコロン「：」を半角の「:」にしてください（brand: 四万十の森クレジット）",
     "line 1: the full-width colon '：' must be a half-width ':' (brand: 四万十の森クレジット)"),
    (("contact_url: https://example.or.jp/contact", "contact_url:https://example.or.jp/contact"), 8,
     "8 行目の「:」の後ろに半角スペースを入れてください（contact_url: https://example.or.jp/contact）",
     "line 8: put a space after ':' (contact_url: https://example.or.jp/contact)"),
])
def test_a_full_width_character_in_yaml_syntax_is_named_on_its_line(tmp_path, edit, line, ja, en):
    """`status：open` was reported on the line after it, in the parser's English."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": TEXT_WITH_COLONS.replace(*edit)})
    problem = the_one_problem(root, "o.yaml")
    assert (problem.line, problem.field) == (line, "")
    assert problem.ja == f"YAML の書き方に誤りがあります: {ja}"
    assert problem.en == f"YAML syntax error: {en}"


@pytest.mark.parametrize("dash", ["－", "ー"])
def test_a_full_width_list_dash_is_named_on_its_line(tmp_path, dash):
    """A full-width '－' (or the long-vowel mark a kana IME types for '-') starts no list item."""
    root = make_tree(tmp_path, {})
    (root / "ja/methodologies/FO-001.yaml").write_text(METHODOLOGY.replace("  - version:", f"  {dash} version:"),
                                                       encoding="utf-8")
    problem = the_one_problem(root, "FO-001.yaml")
    assert (problem.line, problem.field) == (6, "")
    assert problem.ja == f"YAML の書き方に誤りがあります: 6 行目の全角の「{dash}」はリストの印になりません。半角の「-」にしてください"
    assert problem.en == f"YAML syntax error: line 6: the full-width '{dash}' does not start a list item: type a half-width '-'"


def test_full_width_list_items_indented_with_full_width_spaces_are_one_problem(tmp_path):
    meeting = ("committee: steering\nnumber: 40\ndate: 2026-06-10\nagenda:\n  - 開会\n　　－　議事\n"
               "minutes: |\n  議事録\nmaterials: []\n")
    problem = the_one_problem(make_tree(tmp_path, {"ja/meetings/steering-040.yaml": meeting}), "steering-040.yaml")
    assert (problem.line, problem.field) == (6, "")
    assert problem.ja == ("YAML の書き方に誤りがあります: 6 行目の字下げに全角スペース「　」が使われています。字下げは半角スペースにしてください。"
                          "全角の「－」はリストの印になりません。半角の「-」にしてください")
    assert problem.en == ("YAML syntax error: line 6: the indentation is the full-width space '　': indent with half-width spaces; "
                          "the full-width '－' does not start a list item: type a half-width '-'")


@pytest.mark.parametrize("edit, line, ja, en", [
    (("seller: 四万十町森林組合", "seller: 四万十町\n森林組合"), 8,
     "複数行の文章は `seller: |` のように | を付けて、次の行から字下げして書いてください",
     "text of several lines needs '|': write `seller: |` and indent the lines below it"),
    (("status: open", "status open"), 10,
     "項目名の後に「: 」がありません（status: open）", "a field name needs ': ' after it (status: open)"),
    (("status: open", "status: open\n---\nbrand: 二件目"), 11,
     "1つのファイルに書けるのは1件だけです。この行の「---」を消すか、ここから後を別のファイルにしてください",
     "one record per file: remove this '---', or move what follows it to a file of its own"),
    (("seller: 四万十町森林組合", "seller: *四万十町森林組合"), 7,
     "値を「*」で始めることはできません。値全体を引用符（\"…\"）で囲んでください",
     "a value cannot start with '*' (it means something in YAML): put the whole value in quotes (\"…\")"),
    (("seller: 四万十町森林組合", "seller: @四万十町森林組合"), 7,
     "値を「@」で始めることはできません。値全体を引用符（\"…\"）で囲んでください",
     "a value cannot start with '@' (it means something in YAML): put the whole value in quotes (\"…\")"),
    (("seller: 四万十町森林組合", "seller: - 四万十町森林組合"), 7,
     "値を「- 」で始めるとリストの印と読まれます。リストなら `seller:` の次の行から字下げして「- 」を書き、文章なら値全体を引用符（\"…\"）で囲んでください",
     "a value starting with '- ' reads as a list item: write a list on the lines below `seller:`, indented, "
     "or for text put the whole value in quotes (\"…\")"),
    (("conditions: 1口100t-CO2から", "conditions: | 1口100t-CO2から"), 6,
     "「|」の後ろには何も書かず、文章は次の行から字下げして書いてください",
     "nothing may follow '|' on its line: start the text on the next line, indented"),
    (("conditions: 1口100t-CO2から", 'conditions: "C:\\jcredit\\条件.docx を参照"'), 6,
     "\"…\" の中では「\\」が特別な意味を持ちます。値を '…' で囲むか、「\\」を「\\\\」と2つ重ねてください",
     "inside \"…\" a backslash starts an escape: use '…' quotes instead, or double the backslash (\\\\)"),
    (("seller: 四万十町森林組合", "seller: '四万十町's 森林組合'"), 7,
     "引用符で囲むときは値全体を囲んでください。値の中にも同じ引用符があるときは、外側をもう一方の引用符（\" か '）にしてください",
     "quotes must enclose the whole value; if the value holds the same quote, enclose it in the other kind (\" or ')"),
    (("brand: 四万十の森クレジット", "brand: [速報] 四万十の森クレジット"), 1,
     "値が「[」で始まると、リストや組として読まれます。値全体を引用符（\"…\"）で囲んでください",
     "a value starting with '[' reads as a list or mapping: put the whole value in quotes (\"…\")"),
])
def test_a_parser_problem_is_explained_in_japanese_with_what_to_do(tmp_path, edit, line, ja, en):
    """The Japanese half used to quote libyaml ("could not find expected ':'", "but found another
    document", ...), or to blame the indentation for a stray quote or bracket."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace(*edit)})
    problem = the_one_problem(root, "o.yaml")
    assert (problem.line, problem.field) == (line, "")
    assert problem.ja == f"YAML の書き方に誤りがあります: {ja}"
    assert problem.en == f"YAML syntax error: {en}"
    assert not any(word in problem.ja for word in PARSER_ENGLISH)


def test_a_parser_problem_without_an_explanation_keeps_its_english_out_of_the_japanese(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": "%YAML\n" + OFFER})
    problem = the_one_problem(root, "o.yaml")
    assert (problem.line, problem.field) == (1, "")
    assert problem.ja == "YAML の書き方に誤りがあります。この行と前の行の字下げ・「:」・引用符を確かめてください"
    assert problem.en.startswith("YAML syntax error: ") and "version number" in problem.en
    assert not any(word in problem.ja for word in PARSER_ENGLISH)


def test_an_invisible_control_character_is_a_problem_on_its_line_not_a_crash(tmp_path):
    """A vertical tab, as a line break inside an Excel cell is pasted, stopped the build with a
    ReaderError traceback."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace("1口100t-CO2から", "1口100t-CO2から\x0b年度内")})
    problem = the_one_problem(root, "o.yaml")
    assert (problem.line, problem.field) == (6, "")
    assert problem.ja == "目に見えない制御文字（U+000B）が含まれています。消してください"
    assert problem.en == "an invisible control character (U+000B): delete it"


@pytest.mark.parametrize("written, hint_ja, hint_en", [
    ("全国", "", ""),
    ("yes", "。YAML 1.2 では true / false だけが真偽値です", "; only true and false are booleans (YAML 1.2)"),
    ('"true"', "。引用符を付けずに true と書いてください", "; write true without quotes"),
])
def test_a_boolean_field_asks_for_true_or_false(content_copy, written, hint_ja, hint_en):
    """A provider's `nationwide: 全国` said `True と書いてください / must be True`."""
    path = content_copy / "ja/providers/zenkoku-support.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nationwide: true", f"nationwide: {written}"), encoding="utf-8")
    problem = the_one_problem(content_copy, "zenkoku-support.yaml")
    assert (problem.line, problem.field) == (3, "nationwide")
    assert problem.ja == "true か false で書いてください" + hint_ja
    assert problem.en == "write true or false" + hint_en


def test_false_where_only_true_is_allowed_says_so(content_copy):
    path = content_copy / "ja/providers/zenkoku-support.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("nationwide: true", "nationwide: false"), encoding="utf-8")
    problem = the_one_problem(content_copy, "zenkoku-support.yaml")
    assert (problem.line, problem.field) == (3, "nationwide")
    assert problem.ja == "ここに書けるのは true だけです（でなければ項目ごと消してください）"
    assert problem.en == "only true may be written here (otherwise leave the field out)"


def test_a_meetings_online_flag_asks_for_true_or_false(content_copy):
    path = content_copy / "ja/meetings/steering-041.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("online: true", "online: はい"), encoding="utf-8")
    problem = the_one_problem(content_copy, "steering-041.yaml")
    assert (problem.line, problem.field, problem.ja, problem.en) == (5, "online", "true か false で書いてください", "write true or false")


@pytest.mark.parametrize("key", ["~", "null", "true", "FALSE", "1e3", "01"])
def test_a_key_yaml_would_read_as_null_true_or_a_number_is_named_as_written(tmp_path, key):
    """`~:` and `true:` were reported as fields `None` and `True`."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER + f"{key}: x\n"})
    problem = the_one_problem(root, "o.yaml")
    assert (problem.line, problem.field, problem.ja, problem.en) == (11, key, "未知の項目です", "unknown field")


@pytest.mark.parametrize("line_written, field, ja, en", [
    ("ｓｔａｔｕｓ: open", "ｓｔａｔｕｓ", "全角文字が含まれています。半角で「status」と書いてください", 'full-width letters: write "status"'),
    ("status：open: 受付中", "status：open", "全角のコロン「：」を半角の「:」にしてください",
     "the full-width colon '：' must be a half-width ':'"),
    ("　status: open", "　status", "字下げに全角スペース「　」が使われています。字下げは半角スペースにしてください",
     "the indentation is the full-width space '　': indent with half-width spaces"),
])
def test_a_field_name_typed_in_full_width_is_explained_where_the_parser_accepts_it(tmp_path, line_written, field, ja, en):
    """Read as a field of its own (no syntax error), it was only "unknown field"."""
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace("status: open", line_written)})
    problem = only(problems_of(root), field)
    assert (Path(problem.path).name, problem.line, problem.ja, problem.en) == ("o.yaml", 10, ja, en)


@pytest.mark.parametrize("written, ja, en", [
    ("Meeting：COP31", "3 行目の全角のコロン「：」を半角の「:」にしてください（Meeting: COP31）",
     "line 3: the full-width colon '：' must be a half-width ':' (Meeting: COP31)"),
    ("Ｍｅｅｔｉｎｇ：COP31", "3 行目の項目名を半角英字で書いてください。全角のコロン「：」を半角の「:」にしてください（Meeting: COP31）",
     "line 3: write the field name in half-width letters; the full-width colon '：' must be a half-width ':' (Meeting: COP31)"),
])
def test_a_full_width_colon_in_markdown_front_matter_is_said_once_on_its_line(content_copy, written, ja, en):
    """It gave three problems: the line, then `meeting` and `topics` missing, as the metadata
    stopped there."""
    path = content_copy / "ja/international/cop/cop31-day1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Meeting: COP31", written), encoding="utf-8")
    problem = the_one_problem(content_copy, "cop31-day1.md")
    assert (problem.line, problem.field, problem.ja, problem.en) == (3, "meeting", ja, en)


@pytest.mark.parametrize("written", ["Meeting COP31", "Meeting　COP31"])
def test_a_colon_left_out_in_markdown_front_matter_is_said_once_on_its_line(content_copy, written):
    """The metadata stopped at the line: `meeting` and `topics` were missing as well."""
    path = content_copy / "ja/international/cop/cop31-day1.md"
    path.write_text(path.read_text(encoding="utf-8").replace("Meeting: COP31", written), encoding="utf-8")
    problem = the_one_problem(content_copy, "cop31-day1.md")
    assert (problem.line, problem.field, problem.ja, problem.en) == (
        3, "meeting", "3 行目の「Meeting」の後にコロン「:」がありません（Meeting: COP31）",
        "line 3: the colon ':' after Meeting is missing (Meeting: COP31)")


def test_a_body_line_under_the_metadata_still_asks_for_the_blank_line():
    doc, body, problems = parse_markdown("Title: 会議\nOrder: 1\nOrder of the day\n", "ja/pages/a.md", "page.schema.json")
    assert [(p.line, p.en) for p in problems] == [
        (3, "metadata lines are 'Key: value', separated from the body by a blank line")]
    assert doc.data == {"title": "会議", "order": 1} and body == "Order of the day\n"


@pytest.mark.parametrize("brand, warned", [
    ("四万十の森クレジット ＃ 名称は確認中", True),  # a note, typed with the IME's '＃'
    ("四万十の森クレジット　＃確認中", True),
    ('"四万十の森 ＃2"', False),  # quoted: the value as meant
    ("四万十の森＃2", False),
])
def test_a_note_after_a_full_width_hash_is_published_and_the_editor_is_told(tmp_path, brand, warned):
    root = make_tree(tmp_path, {"ja/offers/o.yaml": OFFER.replace("brand: 四万十の森クレジット", f"brand: {brand}")})
    site = load_site(root)
    assert site.find("offers", "o").data["brand"] == brand.strip('"')
    assert [(w.line, w.field, w.ja, w.en) for w in site.warnings] == ([(
        1, "brand", "「＃」から後ろも値として公開されます。メモのつもりなら半角の「#」にしてください",
        "what follows '＃' is published as part of the value; for a comment, type a half-width '#'")] if warned else [])


@pytest.mark.parametrize("relative, text, line, field", [
    ("ja/news/n.md", "Title: お知らせ\nDate: 2026-10-01\n\n改行\x0bあり。\n", 4, "body"),  # pasted from a slide
    ("ja/news/n.md", "Title: お知\x0bらせ\nDate: 2026-10-01\n\n本文\n", 1, "title"),
    ("ja/offers/o.yaml", OFFER.replace("brand: 四万十の森クレジット", 'brand: "四万十の森\\vクレジット"'), 1, "brand"),
])
def test_a_control_character_outside_yamls_own_reading_is_one_problem(tmp_path, relative, text, line, field):
    """The YAML parser refuses one typed as is; in Markdown, or written as an escape, it went to
    the feed and the spreadsheet writers, which stopped the build with a traceback."""
    [problem] = problems_of(make_tree(tmp_path, {relative: text}))
    assert (problem.path.endswith(relative), problem.line, problem.field) == (True, line, field)
    assert problem.en == "an invisible control character (U+000B): delete it" and "制御文字" in problem.ja


def test_a_reports_meta_and_text_are_checked_in_the_same_run(tmp_path):
    """With a problem in meta.yaml, report.md's came only at the next `make check`."""
    from test_validation_international import META, report_tree
    root = report_tree(tmp_path, meta=META.replace("fiscal_year: 2026", "fiscal_year: 令和8年度"))
    (root / "ja/reports/study/report.md").write_text("Title: 比較\nDate: 2026-10-32\n\n本文\n", encoding="utf-8")
    assert [(Path(p.path).name, p.field) for p in problems_of(root)] == [("meta.yaml", "fiscal_year"), ("report.md", "date")]
