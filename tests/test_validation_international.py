"""Validation of NDC records and research reports: the mistakes editors make with percentages,
ranges, party codes, era dates and figure data, each reported as path:line: field: ja / en."""

from __future__ import annotations

from pathlib import Path

import pytest

from model import load_site
from test_validation import make_tree, only, problems_of

NDC = """\
party: JPN
submissions:
  - submitted_on: 2025-02-18
    version: "2.0"
    source_url: https://unfccc.int/NDCREG
    targets:
      - year: 2035
        type: base-year
        base_year: 2013
        reduction_pct: 60
        net: true
"""

META = """\
title: 主要国のNDCの比較
project_name: 国際動向調査事業
contractor: 一般財団法人 調査研究センター
fiscal_year: 2026
office: 環境経済室
summary: 主要国のNDCを比較した。
keywords: [NDC]
figures:
  - number: 図1
    title: 主要国の2035年削減目標
    data: figures/fig1.csv
"""

REPORT_MD = "Title: 主要国のNDCの比較\nDate: 2026-10-30\n\n本文\n"
FIGURE = "国・地域,削減率（%）\n日本,60\n米国,61\n"


def ndc_tree(tmp_path, text=NDC, name="JPN"):
    return make_tree(tmp_path, {f"ja/international/ndc/{name}.yaml": text})


def report_tree(tmp_path, meta=META, figure=FIGURE):
    files = {"ja/reports/study/meta.yaml": meta, "ja/reports/study/report.md": REPORT_MD}
    if figure is not None:
        files["ja/reports/study/figures/fig1.csv"] = figure
    return make_tree(tmp_path, files)


def test_valid_ndc_and_report_load(tmp_path):
    site = load_site(report_tree(ndc_tree(tmp_path)))
    assert site.find("ndc", "JPN").latest["targets"][0]["reduction_pct"] == 60
    figure = site.find("reports", "study").figure_tables[0]
    assert figure.stem == "図1_主要国の2035年削減目標" and figure.rows == [["日本", 60], ["米国", 61]]


@pytest.mark.parametrize("old, new, field, line, expect_ja, expect_en", [
    ("reduction_pct: 60", "reduction_pct: 60%", "submissions[0].targets[0].reduction_pct", 10,
     "% を付けずに数値だけを 60 と書いてください", "write the number 60 without '%'"),
    ("reduction_pct: 60", "reduction_pct: ６０％", "submissions[0].targets[0].reduction_pct", 10,
     "60", "without '%'"),
    ("reduction_pct: 60", "reduction_pct: 61–66", "submissions[0].targets[0].reduction_pct", 10,
     "reduction_pct_range: [61, 66]", "reduction_pct_range: [61, 66]"),
    ("reduction_pct: 60", 'reduction_pct_range: "61–66%"', "submissions[0].targets[0].reduction_pct_range", 10,
     "reduction_pct_range: [61, 66]", "not joined with a dash"),
    ("reduction_pct: 60", "reduction_pct_range: [61%, 66%]", "submissions[0].targets[0].reduction_pct_range[0]", 10,
     "% を付けずに", "without '%'"),
    ("submitted_on: 2025-02-18", "submitted_on: 平成35年4月1日", "submissions[0].submitted_on", 3,
     "平成35年は存在しません（平成は31年まで）", "Heisei 35 does not exist (the era ended in its year 31)"),
    ("submitted_on: 2025-02-18", "submitted_on: 令和7年2月18日", "submissions[0].submitted_on", 3,
     "西暦で 2025-02-18", "2025-02-18"),
    ("year: 2035", "year: 2035年", "submissions[0].targets[0].year", 7, "整数", "whole number"),
])
def test_bad_ndc_value(tmp_path, old, new, field, line, expect_ja, expect_en):
    assert old in NDC
    problem = only(problems_of(ndc_tree(tmp_path, NDC.replace(old, new))), field)
    assert problem.path.endswith("ja/international/ndc/JPN.yaml") and problem.line == line
    assert expect_ja in problem.ja and expect_en in problem.en


@pytest.mark.parametrize("code, expect_ja, expect_en", [
    ("NOR", "NOR（Norway）は締約国の一覧にありません", "add it with its Japanese and English names to "
                                               "plugins/model/vocabularies/parties.yaml"),
    ("JP", "3文字コード JPN", "alpha-3 code JPN (Japan)"),
    ("Japan", "3文字コード JPN", "alpha-3 code JPN"),
    ("日本", "国名ではなく", "code JPN, not the name"),
    ("jpn", "半角大文字で JPN", "as JPN"),
    ("EU", "EUU", "European Union as EUU"),
    ("XYZ", "ISO 3166-1 の3文字の国コードではありません", "not an ISO 3166-1 alpha-3 country code"),
])
def test_party_code_not_iso_or_not_in_the_code_list(tmp_path, code, expect_ja, expect_en):
    problem = only(problems_of(ndc_tree(tmp_path, NDC.replace("party: JPN", f"party: {code}"))), "party")
    assert problem.line == 1
    assert expect_ja in problem.ja and expect_en in problem.en


def test_every_problem_of_an_ndc_file_in_one_run(tmp_path):
    text = NDC.replace("party: JPN", "party: JP").replace("reduction_pct: 60", "reduction_pct: 60%") \
        .replace("submitted_on: 2025-02-18", "submitted_on: 平成37年2月18日")
    fields = {p.field for p in problems_of(ndc_tree(tmp_path, text))}
    assert {"party", "submissions[0].submitted_on", "submissions[0].targets[0].reduction_pct"} <= fields


def test_figure_whose_data_file_is_missing(tmp_path):
    problem = only(problems_of(report_tree(tmp_path, figure=None)), "figures[0].data")
    assert problem.path.endswith("ja/reports/study/meta.yaml") and problem.line == 11
    assert "figures/fig1.csv" in problem.ja and "does not exist" in problem.en


def test_figure_numbers_must_be_unique(tmp_path):
    meta = META + "  - number: 図1\n    title: 別の図\n    data: figures/fig1.csv\n"
    problem = only(problems_of(report_tree(tmp_path, meta=meta)), "figures[1].number")
    assert problem.line == 12 and "図1" in problem.ja and "line 9" in problem.en


def test_figure_csv_that_is_not_utf8(tmp_path):
    root = report_tree(tmp_path)
    (root / "ja/reports/study/figures/fig1.csv").write_bytes(FIGURE.encode("cp932"))
    problem = problems_of(root)[0]
    assert problem.path.endswith("figures/fig1.csv") and problem.line == 1
    assert "Shift_JIS" in problem.ja and "CSV UTF-8" in problem.en


@pytest.mark.parametrize("figure, line, field, expect_ja, expect_en", [
    ("国・地域,削減率（%）\n日本,60\n米国,61,66\n", 3, "", "見出し（2列）と違います（3列）", "3 cell(s), the heading has 2"),
    ("国・地域,削減率（%）\n日本,60\n米国\n", 3, "", "（1列）", "1 cell(s)"),
    ("国・地域,削減率（%）\n日本,60\n米国,61%\n", 3, "削減率（%）", "% を付けずに 61", "the number 61"),
    ("国・地域,削減率（%）\n日本,60\n米国,61–66\n", 3, "削減率（%）", "下限と上限の2列", "two columns"),
    ("国・地域,削減率（%）\n日本,60%\n米国,61–66\n", 2, "削減率（%）", "% を付けずに 60", "the number 60"),
    ("国・地域,削減率（%）\n日本,60\n米国,６１\n", 3, "削減率（%）", "半角で 61", "ASCII digits"),
    ("国・地域,期間\n日本,2021-2030\n米国,2025-02\n", None, None, None, None),
    ("国・地域,版\n日本,2.0\n米国,2.10\n", None, None, None, None),  # versions, kept as text
    ("国・地域,国・地域\n日本,60\n", 1, "国・地域", "同じ見出し", "two columns have this heading"),
    ("国・地域,削減率（%）\n", 1, "", "データの行がありません", "no data rows"),
    ("", 1, "", "空", "empty"),
])
def test_malformed_figure_csv(tmp_path, figure, line, field, expect_ja, expect_en):
    if line is None:  # an ASCII hyphen joins a year and a month: not a range written as text
        assert load_site(report_tree(tmp_path, figure=figure))
        return
    problems = [p for p in problems_of(report_tree(tmp_path, figure=figure)) if p.path.endswith("fig1.csv")]
    assert problems, "no problem reported for the CSV"
    problem = problems[0]
    assert (problem.line, problem.field) == (line, field)
    assert expect_ja in problem.ja and expect_en in problem.en


def test_report_problems_print_as_path_line_field(tmp_path):
    root = report_tree(tmp_path, figure="国・地域,削減率（%）\n日本,60\n米国,61%\n")
    text = str(problems_of(root)[0])
    path, line, field, message = text.split(": ", 3)
    assert Path(path.rsplit(":", 1)[0]).name == "fig1.csv" and path.endswith(":3")
    assert line == "削減率（%）" and " / " in field + message


@pytest.mark.parametrize("number, title, stem", [
    ("図1", "主要国の2035年削減目標", "図1_主要国の2035年削減目標"),
    ("図2", "排出量/吸収量の推移 （速報値）", "図2_排出量_吸収量の推移_（速報値）"),
    ("表3-1", 'CO2: "正味" <推計>', "表3-1_CO2_正味_推計"),
])
def test_download_names_are_the_figure_number_and_title(number, title, stem):
    from model.figures import download_stem
    assert download_stem(number, title) == stem


def test_a_figure_not_cleared_for_reuse_is_not_published_as_open_data(tmp_path):
    """Its CSV, XLSX and chart went out under the site's reuse licence, while 様式3 listed it
    as 二次利用未承諾."""
    meta = META + "third_party_material:\n  - {figure: 図1, title: 排出量の推移, owner: 国連環境計画（UNEP）, page: 12}\n"
    [problem] = problems_of(report_tree(tmp_path, meta=meta))
    assert (problem.path.endswith("meta.yaml"), problem.line, problem.field) == (True, 13, "third_party_material[0].figure")
    assert "図1 is listed as not cleared for reuse, yet figures: publishes its data (line 9)" in problem.en
    assert "二次利用未承諾" in problem.ja


def test_an_english_copy_of_a_figures_data_is_said_to_be_unread(tmp_path):
    """It was skipped without a word: a translator's CSV never reached the site."""
    root = report_tree(tmp_path)
    english = root / "en/reports/study/figures/fig1.csv"
    english.parent.mkdir(parents=True)
    english.write_text("Country,Reduction (%)\nJapan,60\nUnited States,61\n", encoding="utf-8")
    [warning] = load_site(root).warnings
    assert warning.path.endswith("en/reports/study/figures/fig1.csv") and "this English copy is not read" in warning.en
