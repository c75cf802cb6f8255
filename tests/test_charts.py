"""SVG charts: well-formed standalone files with a text alternative, bars drawn to scale,
no style or script (they must pass the strict CSP), and their data as an open-data table."""

from __future__ import annotations

import pytest
from lxml import etree

from charts import Bar, Chart
from opendata import Column, table_files

SVG = "{http://www.w3.org/2000/svg}"


def chart(horizontal=False, bars=None):
    return Chart("credits-by-year", "年度別の認証量", "Credits per year",
                 Column("year", "年度", "Year"), Column("credits", "認証量（t-CO2）", "Credits (t-CO2)", "integer"),
                 bars if bars is not None else [Bar("2024年度", "FY2024", 1000), Bar("2025年度", "FY2025", 4000),
                                                Bar("<危険&>", "<unsafe&>", 2500)],
                 horizontal=horizontal, description_ja="2025年度が最多。", description_en="FY2025 is the largest.")


def bar_rects(svg: str):
    tree = etree.fromstring(svg.encode("utf-8"))
    return tree, [r for r in tree.iter(SVG + "rect") if r.find(SVG + "title") is not None]


@pytest.mark.parametrize("horizontal", [False, True])
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_chart_is_accessible_svg_without_style_or_script(horizontal, lang):
    svg = chart(horizontal).svg(lang)
    tree, rects = bar_rects(svg)
    assert tree.get("role") == "img" and tree.get("lang") == lang
    title, desc = tree.find(SVG + "title"), tree.find(SVG + "desc")
    assert tree.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == ("年度別の認証量" if lang == "ja" else "Credits per year")
    assert desc.text == ("2025年度が最多。" if lang == "ja" else "FY2025 is the largest.")
    assert not list(tree.iter(SVG + "style")) and not list(tree.iter(SVG + "script"))
    assert not [e for e in tree.iter() if e.get("style") is not None or e.get("href")]
    labels = [r.find(SVG + "title").text for r in rects]
    assert labels[2].startswith("<危険&>" if lang == "ja" else "<unsafe&>")  # escaped, read back whole
    assert labels[1] == ("2025年度: 4,000" if lang == "ja" else "FY2025: 4,000")


@pytest.mark.parametrize("horizontal", [False, True])
def test_bars_are_drawn_to_scale(horizontal):
    _, rects = bar_rects(chart(horizontal).svg("ja"))
    length = "width" if horizontal else "height"
    sizes = [float(r.get(length)) for r in rects]
    assert sizes[1] == pytest.approx(4 * sizes[0], rel=0.01)
    assert sizes[2] == pytest.approx(2.5 * sizes[0], rel=0.01)


def test_empty_chart_still_draws():
    tree, rects = bar_rects(chart(bars=[]).svg("en"))
    assert rects == [] and tree.find(SVG + "title").text == "Credits per year"


def test_chart_data_is_a_table_named_after_the_chart():
    table = chart().table()
    files = table_files(table, "statistics", __import__("datetime").date(2026, 11, 23))
    assert "statistics/credits-by-year.csv" in files and "en/statistics/credits-by-year.json" in files
    csv_text = files["statistics/credits-by-year.csv"].decode("utf-8-sig").splitlines()
    assert csv_text == ["年度,認証量（t-CO2）", "2024年度,1000", "2025年度,4000", "<危険&>,2500"]
    assert files["en/statistics/credits-by-year.csv"].decode("utf-8-sig").splitlines()[1] == "FY2024,1000"
    assert table.description("en") == "FY2025 is the largest."


def test_a_negative_value_is_drawn_left_of_zero_with_its_label_beside_it():
    """An NDC target that is an increase (-10): its bar had a negative width, so none was
    drawn, and its label sat on the category's name."""
    tree, rects = bar_rects(chart(horizontal=True, bars=[Bar("日本", "Japan", 46), Bar("トルコ", "Türkiye", -10)]).svg("ja"))
    axis = [line for line in tree.iter(SVG + "line") if line.get("stroke-width") == "1.5"][0]
    zero = float(axis.get("x1"))
    japan, turkey = ((float(r.get("x")), float(r.get("width"))) for r in rects)
    assert japan[0] == zero and japan[1] > 0 and turkey[1] > 0 and turkey[0] + turkey[1] == pytest.approx(zero, abs=0.15)
    assert japan[1] / turkey[1] == pytest.approx(4.6, rel=0.02)  # drawn to one scale
    name = next(t for t in tree.iter(SVG + "text") if t.text == "トルコ")
    label = next(t for t in tree.iter(SVG + "text") if t.text == "-10" and t.get("font-size") == "12")  # not the tick
    assert label.get("text-anchor") == "end" and float(name.get("x")) < float(label.get("x")) < zero
    assert float(label.get("x")) - 5 * 12 * 0.6 > float(name.get("x"))  # room for "-10" between them
