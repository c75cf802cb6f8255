"""Values that pass a schema's letter but not its meaning: a quantity written 1e3 or 1100.0
where a whole number is required, an NDC range written high first, a methodology whose status
and abolition date disagree. Each reported as path:line: field: ja / en, and nothing published."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import ROOT
from model import load_site
from test_validation import METHODOLOGY, OFFER, make_tree, offer_with, only, problems_of
from test_validation_international import NDC, ndc_tree

PROJECT = """\
project_id: P0010
title: 町有林における森林経営活動
implementer: 中標津町
methodology: FO-001
prefecture: 北海道
registered_on: 2013-12-27
certifications:
  - date: 2024-08-20
    quantity_t_co2: 1520
    committee: 54
"""


# -- integers are whole numbers as written ------------------------------------------------

@pytest.mark.parametrize("written, whole", [("1e3", "1000"), ("1100.0", "1100"), ("1.1e3", "1100")])
def test_offer_quantity_written_as_a_decimal(tmp_path, written, whole):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": offer_with(quantity_t_co2=written)})
    problem = only(problems_of(root), "quantity_t_co2")
    assert problem.path.endswith("ja/offers/shimanto.yaml") and problem.line == 5
    assert f"{whole} と整数で書いてください" in problem.ja and written in problem.ja
    assert f"write it as a whole number: {whole}" in problem.en


def test_project_certification_quantity_written_as_a_decimal(tmp_path):
    root = make_tree(tmp_path, {"ja/projects/P0010.yaml": PROJECT.replace("1520", "1102.0")})
    problem = only(problems_of(root), "certifications[0].quantity_t_co2")
    assert problem.path.endswith("ja/projects/P0010.yaml") and problem.line == 9
    assert "1102 と整数で書いてください" in problem.ja and "whole number: 1102" in problem.en


@pytest.mark.parametrize("relative, text, field, line", [
    ("ja/projects/P0010.yaml", PROJECT.replace("committee: 54", "committee: 54.0"), "certifications[0].committee", 10),
    ("ja/international/ndc/JPN.yaml", NDC.replace("year: 2035", "year: 2035.0"), "submissions[0].targets[0].year", 7),
    ("ja/international/ndc/JPN.yaml", NDC.replace("base_year: 2013", "base_year: 2.013e3"),
     "submissions[0].targets[0].base_year", 9),
])
def test_every_integer_field_takes_only_whole_numbers(tmp_path, relative, text, field, line):
    problem = only(problems_of(make_tree(tmp_path, {relative: text})), field)
    assert problem.line == line and "と整数で書いてください" in problem.ja and "whole number" in problem.en


def test_a_fraction_where_an_integer_is_required_says_whole_number(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": offer_with(quantity_t_co2="1100.5")})
    problem = only(problems_of(root), "quantity_t_co2")
    assert "整数" in problem.ja and "whole number" in problem.en


def test_numbers_that_may_be_decimals_still_are(tmp_path):
    """reduction_pct is a number, not an integer: 66.25 and 60.0 stay valid."""
    text = NDC.replace("reduction_pct: 60", "reduction_pct: 60.0")
    site = load_site(ndc_tree(tmp_path, text))
    assert site.find("ndc", "JPN").latest["targets"][0]["reduction_pct"] == 60.0


def test_whole_numbers_load_as_int(tmp_path):
    root = make_tree(tmp_path, {"ja/offers/shimanto.yaml": OFFER, "ja/projects/P0010.yaml": PROJECT})
    site = load_site(root)
    assert type(site.find("offers", "shimanto").quantity_t_co2) is int
    assert type(site.find("projects", "P0010").certifications[0]["quantity_t_co2"]) is int


# -- NDC ranges: low, then high --------------------------------------------------------------

RANGE = NDC.replace("reduction_pct: 60", "reduction_pct_range: [{}, {}]")


@pytest.mark.parametrize("low, high, expect_ja, expect_en", [
    (50, 46, "下限を先に [46, 50]", "write the lower bound first: [46, 50]"),
    (72.5, 66.25, "[66.25, 72.5]", "[66.25, 72.5]"),
    (60, 60, "reduction_pct: 60", "reduction_pct: 60"),
])
def test_ndc_range_written_high_first_or_without_width(tmp_path, low, high, expect_ja, expect_en):
    problem = only(problems_of(ndc_tree(tmp_path, RANGE.format(low, high))),
                   "submissions[0].targets[0].reduction_pct_range")
    assert problem.path.endswith("ja/international/ndc/JPN.yaml") and problem.line == 10
    assert expect_ja in problem.ja and expect_en in problem.en


def test_ndc_range_low_first_loads(tmp_path):
    site = load_site(ndc_tree(tmp_path, RANGE.format(46, 50)))
    assert site.find("ndc", "JPN").latest["targets"][0]["reduction_pct_range"] == [46, 50]


# -- methodology status and abolition date ---------------------------------------------------

def methodology(status: str, abolished_on: str | None = None) -> str:
    """FO-001 with this status (line 4) and, on line 5, this abolition date."""
    date = f"abolished_on: {abolished_on}\n" if abolished_on else ""
    return METHODOLOGY.replace("status: active\n", f"status: {status}\n{date}")


def test_abolished_methodology_without_its_date(tmp_path):
    root = make_tree(tmp_path, {"ja/methodologies/FO-001.yaml": methodology("abolished")})
    problem = only(problems_of(root), "status")
    assert problem.path.endswith("ja/methodologies/FO-001.yaml") and problem.line == 4
    assert "abolished_on" in problem.ja and "add abolished_on: YYYY-MM-DD" in problem.en


def test_active_methodology_with_an_abolition_date(tmp_path):
    root = make_tree(tmp_path, {"ja/methodologies/FO-001.yaml": methodology("active", "2024-03-31")})
    problem = only(problems_of(root), "abolished_on")
    assert problem.line == 5
    assert "status: abolished" in problem.ja and "remove abolished_on" in problem.en


def test_abolished_methodology_with_its_date_loads(tmp_path):
    text = methodology("abolished", "2024-03-31")
    site = load_site(make_tree(tmp_path, {"ja/methodologies/FO-001.yaml": text}))
    assert str(site.find("methodologies", "FO-001").abolished_on) == "2024-03-31"


# -- as `make check` prints them -------------------------------------------------------------

def test_check_reports_each_at_its_line_in_both_languages(tmp_path):
    root = make_tree(tmp_path, {
        "ja/offers/shimanto.yaml": offer_with(quantity_t_co2="1e3"),
        "ja/projects/P0010.yaml": PROJECT.replace("1520", "1102.0"),
        "ja/international/ndc/JPN.yaml": RANGE.format(50, 46),
        "ja/methodologies/FO-001.yaml": methodology("abolished"),
    })
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), "--check", "--content", str(root)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode != 0
    out = result.stdout + result.stderr
    for expected in ["ja/offers/shimanto.yaml:5: quantity_t_co2: 1000 と整数で書いてください",
                     "ja/projects/P0010.yaml:9: certifications[0].quantity_t_co2: 1102 と整数で書いてください",
                     "ja/international/ndc/JPN.yaml:10: submissions[0].targets[0].reduction_pct_range: 下限を先に",
                     "ja/methodologies/FO-001.yaml:4: status: 廃止（abolished）の方法論には廃止日"]:
        line = next((line for line in out.splitlines() if expected in line), None)
        assert line, f"{expected!r} not in:\n{out}"
        assert " / " in line
