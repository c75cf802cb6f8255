"""What a report publishes besides its page, and under which names: one function per URL, so
the generator that writes a file and the page that links it cannot disagree."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from charts import Bar, Chart
from model.figures import FigureTable
from opendata import Column, MadeDataset, Table
from opendata.tables import csv_bytes, xlsx_bytes

# The forms of the ministry's rules for publishing commissioned research reports.
FORM2 = "様式2_公表用書誌情報"
FORM3 = "様式3_二次利用未承諾リスト"


def folder(record) -> str:
    return record.url_path  # beside the report's page: reports/<slug>/


def pdf_path(record) -> str:
    return f"{folder(record)}{record.id}.pdf"


def form2_path(record) -> str:
    return f"{folder(record)}{FORM2}.xlsx"


def form3_path(record) -> str:
    return f"{folder(record)}{FORM3}.xlsx"


def figure_path(record, figure: FigureTable, extension: str) -> str:
    """All figures' data in one folder, each file named after its figure: 図1_….csv."""
    return f"{folder(record)}figures/{figure.stem}.{extension}"


@dataclass(frozen=True)
class Download:
    kind: str  # pdf, form2, form3, figure-csv, figure-xlsx
    path: str
    figure: FigureTable | None = None


def downloads(record) -> list[Download]:
    """Everything a report publishes for download, in the order its page lists it."""
    found = [Download("pdf", pdf_path(record)), Download("form2", form2_path(record))]
    if record.get("third_party_material"):
        found.append(Download("form3", form3_path(record)))
    for figure in record.figure_tables:
        found += [Download("figure-csv", figure_path(record, figure, "csv"), figure),
                  Download("figure-xlsx", figure_path(record, figure, "xlsx"), figure)]
    return found


def figure_chart(figure: FigureTable) -> Chart | None:
    """A figure (図, not a table 表) as a horizontal bar chart where its data suits one: names in
    the first column, and as the bars' lengths its first column of measures (numbers that are
    not all years, not all the same, none below zero), 2 to 40 rows. None otherwise: the table
    and its data files serve alone."""
    if not figure.number.startswith("図") or len(figure.header) < 2 or figure.numeric_columns()[0]:
        return None
    column = next((i for i, numeric in enumerate(figure.numeric_columns()) if numeric and _measure(figure, i)), None)
    if column is None or not 2 <= len(figure.rows) <= 40:
        return None
    bars = [Bar(str(row[0]), str(row[0]), row[column]) for row in figure.rows]
    title = f"{figure.number} {figure.title}"
    listing = "、".join(f"{bar.ja} {bar.value:g}" for bar in bars)
    return Chart(figure.stem, title, title, Column("0", figure.header[0], figure.header[0]),
                 Column(str(column), figure.header[column], figure.header[column], "number"), bars, horizontal=True,
                 description_ja=f"{title}（{figure.header[column]}）：{listing}。",
                 description_en=f"{title} ({figure.header[column]}): {listing}.")


def _measure(figure: FigureTable, column: int) -> bool:
    values = [row[column] for row in figure.rows]
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) and v >= 0 for v in values):
        return False
    years = all(isinstance(v, int) and 1900 <= v <= 2100 for v in values)
    return not years and len(set(values)) > 1


def chart_path(record, figure: FigureTable) -> str:
    return figure_path(record, figure, "svg")


def figure_table(figure: FigureTable, report_title: str) -> Table:
    """A figure's data, in Japanese only (as the figure is): English pages show its Japanese
    title marked so, and the catalogue gives it in Japanese alone."""
    kinds = ["number" if numeric else "date" if date else "text"
             for numeric, date in zip(figure.numeric_columns(), figure.date_columns())]
    columns = [Column(str(i), name, name, kind) for i, (name, kind) in enumerate(zip(figure.header, kinds))]
    rows = [{str(i): (dt.date.fromisoformat(value) if value else None) if kinds[i] == "date" else value
             for i, value in enumerate(row)} for row in figure.rows]
    title = f"{figure.number} {figure.title}"
    return Table(figure.number, title, title, columns, {"ja": rows},
                 f"委託調査報告書「{report_title}」の{figure.number}の数値。")


def form2_table(record, page_url: str) -> Table:
    """様式2: the report's bibliographic record, one row under a heading row."""
    fields = [
        ("title", "報告書名", record.title),
        ("project_name", "委託事業名", record.project_name),
        ("contractor", "受託事業者名", record.contractor),
        ("fiscal_year", "年度", record.fiscal_year),
        ("office", "担当課室", record.office),
        ("published_on", "発行日", record.report["date"] if record.report else None),
        ("summary", "報告書の概要", record.summary),
        ("keywords", "キーワード", "、".join(record.keywords)),
        ("figures", "図表の数", len(record.get("figures", []))),
        ("third_party", "二次利用未承諾の資料", "あり" if record.get("third_party_material") else "なし"),
        ("url", "掲載ページ", page_url),
    ]
    kinds = {"fiscal_year": "year", "figures": "integer", "published_on": "date", "url": "url"}
    columns = [Column(key, ja, ja, kinds.get(key, "text")) for key, ja, _ in fields]
    return Table(FORM2[:31], f"{FORM2}（{record.title}）", FORM2, columns,
                 {"ja": [{key: value for key, _, value in fields}]})


def form3_table(record) -> Table:
    """様式3: material in the report whose owners have not cleared it for reuse."""
    columns = [Column("number", "番号", "No.", "integer"), Column("figure", "図表番号", "Figure"),
               Column("title", "タイトル", "Title"), Column("owner", "権利者", "Owner"),
               Column("page", "掲載ページ", "Page", "integer")]
    rows = [{"number": i, **item} for i, item in enumerate(record.get("third_party_material", []), start=1)]
    return Table(FORM3[:31], f"{FORM3}（{record.title}）", FORM3, columns, {"ja": rows})


def data_files(record, page_url: str, build_date: dt.date) -> dict[str, bytes]:
    """Path -> bytes of the forms and the figures' charts (the figures' data is open data:
    figure_datasets)."""
    files = {form2_path(record): xlsx_bytes(form2_table(record, page_url), "ja", build_date)}
    if record.get("third_party_material"):
        files[form3_path(record)] = xlsx_bytes(form3_table(record), "ja", build_date)
    for figure in record.figure_tables:
        chart = figure_chart(figure)
        if chart is not None:
            files[chart_path(record, figure)] = chart.svg("ja").encode("utf-8")
    return files


def figure_datasets(record, build_date: dt.date) -> list[MadeDataset]:
    """Each figure's data (CSV and XLSX named after the figure) as a dataset of the open-data
    catalogue, presented on the report's page."""
    datasets = []
    modified = (record.report or {}).get("date") or build_date
    for figure in record.figure_tables:
        table = figure_table(figure, record.title)
        made = {figure_path(record, figure, "csv"): csv_bytes(table, "ja"),
                figure_path(record, figure, "xlsx"): xlsx_bytes(table, "ja", build_date)}
        datasets.append(MadeDataset(table, f"{folder(record)}figures", record.url_path, modified,
                                    made=made, stem=figure.stem))
    return datasets
