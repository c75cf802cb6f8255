"""A research report's figure CSV read as its editor meant it, or not at all: a file saved
tab-separated, a quote left open, a column of numbers with a few cells written as text. Each is
an error at the CSV's line and column, in Japanese and English, never data lost in silence."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import FIXTURE, ROOT
from model import load_site
from test_validation import problems_of
from test_validation_international import report_tree

HEADING = "国・地域,削減率（%）,排出量（百万t）"
ROWS = ["日本,60,1060", "米国,61,5960", "欧州連合,66,3250", "英国,81,390", "中国,7,14090"]


def figure(*rows: str, heading: str = HEADING) -> str:
    return "\n".join([heading, *rows]) + "\n"


def csv_problems(root):
    return [p for p in problems_of(root) if p.path.endswith("figures/fig1.csv")]


def test_a_tab_separated_file_is_not_read_as_one_column(tmp_path):
    text = figure(*ROWS).replace(",", "\t")
    problems = csv_problems(report_tree(tmp_path, figure=text))
    assert len(problems) == 1
    assert problems[0].line == 1
    assert "タブ区切り" in problems[0].ja and "tab-separated; save it comma-separated" in problems[0].en


def test_a_semicolon_separated_file_is_not_read_as_one_column(tmp_path):
    problems = csv_problems(report_tree(tmp_path, figure=figure(*ROWS).replace(",", ";")))
    assert problems and "セミコロン区切り" in problems[0].ja and "semicolon-separated" in problems[0].en


@pytest.mark.parametrize("rows, line, column, lines_ja, lines_en", [
    # 5 rows would become 1: the quote on line 3 runs to the end of the file
    ([ROWS[0], '米国,61,"5960', *ROWS[2:]], 3, "排出量（百万t）", "3行目から6行目まで", "lines 3 to 6"),
    # closed only by the next quote, three lines on: still rows lost
    (['日本,"60,1060', ROWS[1], '"欧州連合",66,3250', *ROWS[3:]], 2, "削減率（%）", "2行目から4行目まで", "lines 2 to 4"),
])
def test_an_unclosed_quote_is_an_error_where_it_opens(tmp_path, rows, line, column, lines_ja, lines_en):
    problems = csv_problems(report_tree(tmp_path, figure=figure(*rows)))
    assert len(problems) == 1
    problem = problems[0]
    assert (problem.line, problem.field) == (line, column)
    assert "閉じられていない" in problem.ja and lines_ja in problem.ja
    assert "never closed" in problem.en and lines_en in problem.en


def test_text_after_a_closing_quote_is_an_error(tmp_path):
    problem = csv_problems(report_tree(tmp_path, figure=figure(ROWS[0], '米国,"61"%,5960')))[0]
    assert (problem.line, problem.field) == (3, "削減率（%）")
    assert "「\"\"」" in problem.ja and 'text follows a closing quote' in problem.en


def test_quoted_values_with_commas_quotes_and_line_breaks_still_load(tmp_path):
    text = figure('日本,60,1060,"2040年に73%削減、""正味"""', '米国,61,5960,"二行の\n備考"',
                  heading=HEADING + ",備考")
    table = load_site(report_tree(tmp_path, figure=text)).find("reports", "study").figure_tables[0]
    assert table.rows == [["日本", 60, 1060, '2040年に73%削減、"正味"'], ["米国", 61, 5960, "二行の\n備考"]]


@pytest.mark.parametrize("cell, column, expect_ja, expect_en", [
    ('"1,060"', "排出量（百万t）", "1060 と書いてください（桁区切りのカンマは付けません）",
     "write the number 1060 without the thousands separator"),
    ("約7", "削減率（%）", "7 と書いてください（「約」は備考の列に）", 'write the number 7 and put "約" in a note column'),
    ("81以上", "削減率（%）", "81 と書いてください（「以上」は備考の列に）", 'put "以上" in a note column'),
    ("-", "削減率（%）", "値がないときは空欄にしてください", "leave the cell empty for a missing value"),
    ("N/A", "排出量（百万t）", "空欄", "leave the cell empty"),
    ("―", "排出量（百万t）", "空欄", "leave the cell empty"),
    ("1060t", "排出量（百万t）", "1060 と書いてください（単位「t」は見出しに）", 'put the unit "t" in the heading'),
    ("▲5", "削減率（%）", "-5 と書いてください", "write the number -5 with an ASCII minus sign"),
    ("55.0", "削減率（%）", "55 と書いてください（このままでは文字", "write 55 in a column of numbers"),
    ("1060.50", "排出量（百万t）", "1060.5 と書いてください", "write 1060.5"),
    ("07", "削減率（%）", "7 と書いてください", "write 7"),
])
def test_a_number_written_as_text_in_a_column_of_numbers(tmp_path, cell, column, expect_ja, expect_en):
    """The column would silently turn to text, and the chart plot another column."""
    row = "中国,7,{}".format(cell) if column == "排出量（百万t）" else "中国,{},14090".format(cell)
    problems = csv_problems(report_tree(tmp_path, figure=figure(*ROWS[:4], row)))
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert (problem.line, problem.field) == (6, column)
    assert cell.strip('"') in problem.ja and expect_ja in problem.ja and expect_en in problem.en


def test_every_such_cell_is_named(tmp_path):
    rows = ["日本,約60,\"1,060\"", "米国,61,N/A", "欧州連合,-,3250", "英国,81,390"]
    found = {(p.line, p.field) for p in csv_problems(report_tree(tmp_path, figure=figure(*rows)))}
    assert found == {(2, "削減率（%）"), (2, "排出量（百万t）"), (3, "排出量（百万t）"), (4, "削減率（%）")}


def test_empty_cells_are_missing_values_and_keep_the_column_numeric(tmp_path):
    text = figure("日本,60,1060", "米国,,5960", "欧州連合,66,")
    table = load_site(report_tree(tmp_path, figure=text)).find("reports", "study").figure_tables[0]
    assert table.numeric_columns() == [False, True, True]
    assert table.rows[1] == ["米国", "", 5960]


@pytest.mark.parametrize("column", [
    ["2013", "1990", "ピーク時"],  # a base year column with a word in it is a text column
    ["-", "-", "-"],  # nothing but dashes: a text column of marks
    ["2.0", "2.10", "-"],  # versions stay text
    ["2021-2030", "2025-02", "-"],  # periods and year-months are not numbers
])
def test_columns_of_text_stay_text(tmp_path, column):
    rows = [f"{name},{value}" for name, value in zip(["日本", "米国", "中国"], column)]
    assert load_site(report_tree(tmp_path, figure=figure(*rows, heading="国・地域,基準年")))


def test_the_repository_fixtures_figures_still_load():
    """The fixture report's figure 1 has 基準年 2013, 1990 … ピーク時: text, not an error."""
    assert load_site(FIXTURE)
    assert load_site(ROOT / "content")


def test_check_names_the_csv_line_and_column(tmp_path):
    root = report_tree(tmp_path, figure=figure(*ROWS[:4], "中国,約7,14090"))
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--check", "--content", str(root)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    line = next((line for line in out.splitlines() if "fig1.csv:6: 削減率（%）: 「約7」" in line), None)
    assert line and " / \"約7\": write the number 7" in line, out
