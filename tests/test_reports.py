"""Research reports as published: the HTML report with its figures, each figure's data as CSV
and XLSX named after the figure, 様式2 and 様式3 as XLSX, and the PDF, all opened back."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import urllib.request
from urllib.parse import quote, unquote

import lxml.etree
import lxml.html
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from conftest import read, run_build
from test_ndc import assert_no_hidden_data

REPORT = "reports/ndc-study/"
FIGURE_FILES = ["図1_主要国の2030年削減目標.csv", "図1_主要国の2030年削減目標.xlsx",
                "表1_主要国のNDCの提出状況.csv", "表1_主要国のNDCの提出状況.xlsx"]


CHART = "図1_主要国の2030年削減目標.svg"  # a figure of measures gets a chart; a table (表1) does not


def page(output, path):
    return lxml.html.fromstring(read(output, path + "index.html"))


def test_every_figure_has_csv_and_xlsx_named_after_it_in_one_folder(built_site):
    folder = built_site / REPORT / "figures"
    assert sorted(p.name for p in folder.iterdir()) == sorted(FIGURE_FILES + [CHART])
    rows = list(csv.reader(io.StringIO((folder / "図1_主要国の2030年削減目標.csv").read_bytes().decode("utf-8-sig"))))
    assert rows == [["国・地域", "目標年", "基準年", "削減率（%）"], ["日本", "2030", "2013", "46"],
                    ["米国", "2030", "2005", "50"], ["欧州連合", "2030", "1990", "55"]]
    sheet = load_workbook(folder / "図1_主要国の2030年削減目標.xlsx").active
    assert sheet.title == "図1"
    assert [c.value for c in sheet[2]] == ["日本", 2030, 2013, 46]  # numbers stay numbers
    versions = load_workbook(folder / "表1_主要国のNDCの提出状況.xlsx").active
    assert versions["C2"].value == "2.0"  # a version stays text, as written
    assert versions["B2"].value == dt.datetime(2025, 2, 18) and versions["B2"].number_format == "yyyy-mm-dd"  # a date
    table = list(csv.reader(io.StringIO((folder / "表1_主要国のNDCの提出状況.csv").read_bytes().decode("utf-8-sig"))))
    assert table[1] == ["日本", "2025-02-18", "2.0"]  # the CSV as written
    for name in FIGURE_FILES[1::2]:
        assert_no_hidden_data(folder / name)


def test_report_page_shows_figures_as_captioned_tables_and_links_their_files(built_site):
    tree = page(built_site, REPORT)
    captions = [" ".join(c.text_content().split()) for c in tree.xpath("//table[contains(@class,'report-figure')]/caption")]
    assert captions == ["図1 主要国の2030年削減目標", "表1 主要国のNDCの提出状況"]
    figure = tree.xpath("//table[@id='figure-1']")[0]
    assert figure.xpath("./thead/tr/th/text()") == ["国・地域", "目標年", "基準年", "削減率（%）"]
    assert figure.xpath("./tbody/tr[1]/th/text()") == ["日本"]
    assert figure.xpath("./tbody/tr[1]/td[@class='num']/text()") == ["2030", "2013", "46"]
    hrefs = tree.xpath("//a[@class='download']/@href")
    expected = [f"/{REPORT}figures/{quote(name)}" for name in FIGURE_FILES]
    assert [h for h in hrefs if "/figures/" in h] == expected
    for href in hrefs:
        assert re.fullmatch(r"[\x21-\x7e]+", href), href  # percent-encoded, nothing raw
        assert (built_site / unquote(href).lstrip("/")).is_file(), href
    english = page(built_site, "en/" + REPORT)
    assert "Figure 1" in english.xpath("//table[@id='figure-1']/caption")[0].text_content()
    assert "Table 1" in english.xpath("//table[@id='figure-2']/caption")[0].text_content()


def test_figure_files_with_japanese_names_are_served_over_http(served_site, built_site):
    for name in FIGURE_FILES:
        url = f"{served_site}/{REPORT}figures/{quote(name)}"
        with urllib.request.urlopen(url) as response:
            assert response.status == 200
            assert response.read() == (built_site / REPORT / "figures" / name).read_bytes()


def test_form2_is_the_bibliographic_record_from_meta_yaml(built_site):
    path = built_site / REPORT / "様式2_公表用書誌情報.xlsx"
    sheet = load_workbook(path).active
    record = dict(zip([c.value for c in sheet[1]], [c.value for c in sheet[2]]))
    assert record["報告書名"] == "主要国のNDC引上げ動向に関する調査"
    assert record["委託事業名"] == "令和7年度温室効果ガス削減目標に関する国際動向調査事業"
    assert record["受託事業者名"] == "株式会社テスト総合研究所"
    assert record["年度"] == 2025 and record["担当課室"] == "産業技術環境局 環境経済室"
    assert next(c for c in sheet[2] if c.value == 2025).number_format == "0"  # Excel shows 2025, not 2,025
    assert record["キーワード"] == "NDC、パリ協定、第6条"
    assert record["図表の数"] == 2 and record["二次利用未承諾の資料"] == "あり"
    assert record["掲載ページ"] == "https://japancredit.go.jp/reports/ndc-study/"  # the form is read away from the site
    assert sheet.max_row == 2
    assert_no_hidden_data(path)


def test_form3_lists_third_party_material_only_when_declared(built_site, tmp_path, content_copy):
    path = built_site / REPORT / "様式3_二次利用未承諾リスト.xlsx"
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]] == ["番号", "図表番号", "タイトル", "権利者", "掲載ページ"]
    assert [c.value for c in sheet[2]] == [1, "図2", "世界の温室効果ガス排出量の推移", "国連環境計画（UNEP）", 5]
    assert_no_hidden_data(path)
    meta = content_copy / "ja" / REPORT / "meta.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").split("third_party_material:")[0], encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    assert not (output / REPORT / "様式3_二次利用未承諾リスト.xlsx").exists()
    assert (output / REPORT / "様式2_公表用書誌情報.xlsx").is_file()
    assert "様式3" not in read(output, REPORT + "index.html")


def test_pdf_embeds_its_japanese_fonts_and_its_text_is_selectable(built_site):
    reader = PdfReader(built_site / REPORT / "ndc-study.pdf")
    text = "".join(p.extract_text() for p in reader.pages)
    flat = "".join(text.split())
    for phrase in ["主要国のNDC引上げ動向に関する調査", "株式会社テスト総合研究所",
                   "我が国の政策立案に資する情報を整理する。", "図1主要国の2030年削減目標", "欧州連合"]:
        assert phrase in flat, phrase
    assert "公開禁止" not in flat  # the mark is the internal preview's only
    fonts = {}
    for pdf_page in reader.pages:
        for font in pdf_page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("CJK" in name for name in fonts)
    assert reader.trailer["/Root"]["/Lang"] == "ja"
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # tagged, for screen readers
    info = reader.metadata
    assert info.title == "主要国のNDC引上げ動向に関する調査" and info.author == "J-クレジット制度事務局"
    assert info["/Creator"] == "J-クレジット制度事務局" and info["/CreationDate"] == "D:20260331"
    assert set(info) <= {"/Producer", "/Title", "/Author", "/Subject", "/Keywords", "/Creator", "/CreationDate"}
    links = page(built_site, REPORT).xpath("//a[@class='download']/@href")
    assert f"/{REPORT}ndc-study.pdf" in links


def test_pdf_is_rendered_once_per_content_and_taken_from_the_cache(tmp_path, content_copy, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("JCREDIT_CACHE", str(cache))
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    cached = list((cache / "report-pdf").glob("*.pdf"))
    assert len(cached) == 1 and cached[0].read_bytes() == (output / REPORT / "ndc-study.pdf").read_bytes()
    marker = (content_copy / "files/regulations/jisshi-yoko.pdf").read_bytes()  # another valid PDF
    cached[0].write_bytes(marker)  # a rebuild that rendered would not return this
    assert run_build(content=content_copy, output=output).returncode == 0
    assert (output / REPORT / "ndc-study.pdf").read_bytes() == marker
    body = content_copy / "ja" / REPORT / "report.md"
    body.write_text(body.read_text(encoding="utf-8") + "\n追記した一文。\n", encoding="utf-8")
    assert run_build(content=content_copy, output=output).returncode == 0
    assert len(list((cache / "report-pdf").glob("*.pdf"))) == 2
    assert "追記した一文。" in "".join(p.extract_text() for p in PdfReader(output / REPORT / "ndc-study.pdf").pages)


@pytest.mark.parametrize("where, line", [("meta.yaml", "visibility: internal\n"),
                                         ("report.md", "Visibility: internal\n")])  # either file of the report
def test_an_internal_report_publishes_nothing(tmp_path, content_copy, where, line):
    source = content_copy / "ja" / REPORT / where
    text = source.read_text(encoding="utf-8")
    source.write_text(text + line if where == "meta.yaml" else text.replace("Date: ", line + "Date: ", 1), encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    assert not (output / REPORT).exists()
    published = b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file())
    assert "主要国のNDC引上げ動向".encode() not in published
    internal = tmp_path / "internal"
    assert run_build("--internal", content=content_copy, output=internal).returncode == 0
    assert (internal / REPORT / "ndc-study.pdf").is_file()


def test_repository_report_publishes_its_files(tmp_path):
    from conftest import ROOT
    path = "reports/ndc-analysis-2026/"
    output = tmp_path / "site"
    assert run_build(content=ROOT / "content", output=output).returncode == 0
    names = sorted(p.relative_to(output / path).as_posix() for p in (output / path).rglob("*") if p.is_file())
    assert names == ["figures/図1_主要国・地域の2035年削減目標（基準年比）.csv",
                     "figures/図1_主要国・地域の2035年削減目標（基準年比）.svg",
                     "figures/図1_主要国・地域の2035年削減目標（基準年比）.xlsx",
                     "figures/表1_主要国・地域のNDCの提出状況.csv",
                     "figures/表1_主要国・地域のNDCの提出状況.xlsx",
                     "index.html", "ndc-analysis-2026.pdf",
                     "様式2_公表用書誌情報.xlsx", "様式3_二次利用未承諾リスト.xlsx"]


def test_nginx_serves_the_figure_files_by_their_encoded_names(built_site, tmp_path):
    """nginx decodes the request URI and opens the UTF-8 name the build wrote."""
    import os
    import shutil
    import socket
    import subprocess
    import time

    import pytest

    nginx = shutil.which("nginx", path="/usr/sbin:/usr/local/sbin:" + os.environ.get("PATH", ""))
    if not nginx:
        pytest.skip("nginx is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    (tmp_path / "logs").mkdir()
    config = tmp_path / "nginx.conf"
    user = "user root;" if os.geteuid() == 0 else ""  # workers must read the pytest folder (0700)
    config.write_text(f"""
        {user} daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/logs/error.log;
        events {{}}
        http {{
          include /etc/nginx/mime.types; access_log off;
          client_body_temp_path {tmp_path}; proxy_temp_path {tmp_path}; fastcgi_temp_path {tmp_path};
          uwsgi_temp_path {tmp_path}; scgi_temp_path {tmp_path};
          server {{ listen 127.0.0.1:{port}; root {built_site}; }}
        }}""", encoding="utf-8")
    server = subprocess.Popen([nginx, "-c", str(config), "-p", str(tmp_path)], stderr=subprocess.PIPE)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        for name in FIGURE_FILES + ["../様式2_公表用書誌情報.xlsx"]:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/{REPORT}figures/{quote(name)}") as response:
                assert response.status == 200
                assert response.read() == (built_site / REPORT / "figures" / name).resolve().read_bytes()
                if name.endswith(".xlsx"):
                    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_internal_preview_pdf_is_marked_on_every_page(internal_site):
    reader = PdfReader(internal_site / REPORT / "ndc-study.pdf")
    assert len(reader.pages) >= 3
    for pdf_page in reader.pages:
        assert "内部確認用（公開禁止）" in pdf_page.extract_text()


def test_a_figure_of_measures_is_drawn_as_a_chart_with_its_values_as_text(built_site):
    """図1's reduction percentages (not its years) as bars, in an SVG with no script or style,
    and every value in the image's text alternative."""
    svg = lxml.etree.fromstring((built_site / REPORT / "figures" / CHART).read_bytes())
    assert svg.tag == "{http://www.w3.org/2000/svg}svg" and svg.get("role") == "img"
    assert len(svg.findall(".//{http://www.w3.org/2000/svg}rect")) >= 3
    assert not svg.xpath("//*[local-name()='script' or local-name()='style'] | //@style")
    images = page(built_site, REPORT).xpath("//figure[@class='chart']/img")
    assert len(images) == 1
    assert unquote(images[0].get("src")) == f"/{REPORT}figures/{CHART}"
    assert images[0].get("alt") == "図1 主要国の2030年削減目標（削減率（%））：日本 46、米国 50、欧州連合 55。"


def test_the_japanese_figure_data_on_the_english_page_is_marked_japanese(built_site):
    """WCAG 3.1.2: the figures' data is the Japanese CSV's, on the English page too."""
    english = lxml.html.fromstring(read(built_site, "en/reports/ndc-study/index.html"))
    tables = english.xpath("//table[contains(@class, 'report-figure')]")
    assert tables and all(t.xpath("thead/@lang") == ["ja"] and t.xpath("tbody/@lang") == ["ja"] for t in tables)
    assert all(img.get("lang") == "ja" for img in english.xpath("//figure[@class='chart']/img"))
    japanese = lxml.html.fromstring(read(built_site, "reports/ndc-study/index.html"))
    assert not japanese.xpath("//table[contains(@class, 'report-figure')]//*[@lang]")
    captions = lxml.html.fromstring(read(built_site, "en/opendata/index.html")).xpath("//caption[starts-with(., 'Columns of ')]")
    assert any(c.xpath("span[@lang='ja']") for c in captions)
