"""The open-data writer: the same rows in CSV, XLSX and JSON, reproducible and clean."""

import csv
import datetime as dt
import io
import json
import zipfile

from openpyxl import load_workbook

from opendata import Column, Table, table_files

TABLE = Table("offers", "売り出しクレジット", "Credits for sale",
              [Column("brand", "銘柄", "Brand"), Column("quantity", "数量（t-CO2）", "Quantity (t-CO2)", "integer"),
               Column("listed_on", "掲載日", "Listed on", "date")],
              {"ja": [{"brand": "四万十の森", "quantity": 1200, "listed_on": dt.date(2026, 4, 1)}],
               "en": [{"brand": "Shimanto forest", "quantity": 1200, "listed_on": dt.date(2026, 4, 1)}]})
DAY = dt.date(2026, 11, 23)


def test_three_formats_hold_the_same_rows():
    files = table_files(TABLE, "offers", DAY)
    assert sorted(files) == ["en/offers/offers.csv", "en/offers/offers.json", "en/offers/offers.xlsx",
                             "offers/offers.csv", "offers/offers.json", "offers/offers.xlsx"]
    raw = files["offers/offers.csv"]
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["銘柄", "数量（t-CO2）", "掲載日"], ["四万十の森", "1200", "2026-04-01"]]
    document = json.loads(files["en/offers/offers.json"])
    assert document["rows"] == [{"brand": "Shimanto forest", "quantity": 1200, "listed_on": "2026-04-01"}]
    sheet = load_workbook(io.BytesIO(files["offers/offers.xlsx"])).active
    assert [c.value for c in sheet[1]] == ["銘柄", "数量（t-CO2）", "掲載日"]
    assert sheet["A2"].value == "四万十の森" and sheet["B2"].value == 1200
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.bold


def test_xlsx_is_reproducible_and_carries_no_person():
    first = table_files(TABLE, "offers", DAY)["offers/offers.xlsx"]
    assert first == table_files(TABLE, "offers", DAY)["offers/offers.xlsx"]
    workbook = load_workbook(io.BytesIO(first))
    assert workbook.properties.creator == "J-クレジット制度事務局"
    assert workbook.properties.title == "売り出しクレジット"
    assert all(s.sheet_state == "visible" for s in workbook.worksheets)
    names = zipfile.ZipFile(io.BytesIO(first)).namelist()
    assert not [n for n in names if "comments" in n]


def test_document_dates_are_the_build_date_whatever_the_clock():
    import time
    first = table_files(TABLE, "offers", DAY)["offers/offers.xlsx"]
    time.sleep(1.1)  # openpyxl stamps the time of saving: it must not reach the file
    assert table_files(TABLE, "offers", DAY)["offers/offers.xlsx"] == first
    core = zipfile.ZipFile(io.BytesIO(first)).read("docProps/core.xml").decode()
    assert "2026-11-23T00:00:00Z</dcterms:modified>" in core


def test_a_zip_stamped_with_a_date_is_the_zip_made_on_that_date():
    """stamped() rewrites dates and permissions where they are, without compressing anything
    again: the bytes of the zip made on that date, also from a zip dated by the clock."""
    from opendata.tables import stamped, zip_entry

    parts = {"word/styles.xml": b"<w:style/>" * 900, "日本語/名前.xml": "ヘッダー".encode() * 300}

    def made(moment=None):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, body in parts.items():  # with no moment, as openpyxl writes: now, owner-only
                archive.writestr(zip_entry(name, moment) if moment else name, body)
        return out.getvalue()

    for moment in (dt.datetime(2026, 11, 23, 13, 45, 59), dt.datetime(1999, 12, 31)):
        assert stamped(made(dt.datetime(1980, 1, 1)), moment) == made(moment)
        assert stamped(made(), moment) == made(moment)
        assert zipfile.ZipFile(io.BytesIO(stamped(made(), moment))).testzip() is None


def test_workbooks_are_made_once_for_the_same_rows(tmp_path, monkeypatch):
    from opendata import tables

    monkeypatch.setattr(tables.WORKBOOKS, "folder", tmp_path)
    first = tables.xlsx_bytes(TABLE, "ja", DAY)
    (cached,) = tmp_path.iterdir()
    assert cached.read_bytes() == first
    cached.write_bytes(b"kept")  # a second call that made the workbook again would not return this
    assert tables.xlsx_bytes(TABLE, "ja", DAY) == b"kept"
    changed = Table(TABLE.name, TABLE.title_ja, TABLE.title_en, TABLE.columns,
                    {lang: [{**rows[0], "quantity": 1}] + rows[1:] for lang, rows in TABLE.rows.items()})
    assert load_workbook(io.BytesIO(tables.xlsx_bytes(changed, "ja", DAY))).active["B2"].value == 1
    tables.xlsx_bytes(TABLE, "en", DAY)
    tables.xlsx_bytes(TABLE, "ja", DAY + dt.timedelta(days=1))
    assert len(list(tmp_path.iterdir())) == 4
