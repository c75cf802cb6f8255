"""Non-public content never leaves the building: markers planted in every kind of internal item
(records, materials, committee minutes, COP reports, pages, news, reports and their figures,
English translations of all of them) appear in no file of the public build, whatever its
format. Zip-based formats (XLSX, DOCX) are unzipped, gzip is inflated and PDF text is extracted
before searching, and the same reader finds the public markers, so it is known to see inside."""

from __future__ import annotations

import gzip
import io
import shutil
import zipfile
from pathlib import Path

import pypdf
import pytest

from conftest import FIXTURE, run_build

FIXTURE_MARKERS = ["MARKER-INTERNAL-OFFER", "MARKER-INTERNAL-MATERIAL", "MARKER-CERT-MINUTES",
                   "MARKER-CERT-MATERIAL", "MARKER-COP-REPORT", "MARKER-INTERNAL-PAGE"]
PLANTED = {
    "ja/projects/P9999.yaml": """project_id: P9999
title: 非公開プロジェクト MARKER-INTERNAL-PROJECT
implementer: 株式会社テスト
methodology: FO-001
prefecture: 北海道
registered_on: 2026-01-05
certifications: []
visibility: internal
""",
    "en/projects/P9999.yaml": "title: Internal project MARKER-INTERNAL-PROJECT-EN\n",
    "ja/news/2026-11-20-internal.md": "Title: 未発表のお知らせ MARKER-INTERNAL-NEWS-TITLE\nDate: 2026-11-20\n"
                                      "Visibility: internal\n\n本文 MARKER-INTERNAL-NEWS\n",
    "en/news/2026-11-20-internal.md": "Title: Unannounced MARKER-INTERNAL-NEWS-EN\nDate: 2026-11-20\n\nText MARKER-INTERNAL-NEWS-EN\n",
    "ja/faqs/internal.yaml": "category: general\nquestion: 想定問答 MARKER-INTERNAL-FAQ\nanswer: 回答 MARKER-INTERNAL-FAQ\n"
                             "order: 9\nvisibility: internal\n",
    "ja/pages/secret.md": "Title: 内部向け運用メモ\nVisibility: internal\n\nMARKER-INTERNAL-PAGE このページは内部確認用です。"
                          "[メモ](/files/internal/memo.pdf)\n",
    "en/pages/secret.md": "Title: Internal memo MARKER-INTERNAL-PAGE-EN\n\nMARKER-INTERNAL-PAGE-EN\n",
    "en/international/cop/cop31-day1.md": "Title: COP31 daily report MARKER-COP-REPORT-EN\n\nMARKER-COP-REPORT-EN\n",
    "ja/reports/secret-study/meta.yaml": """title: 非公開の調査 MARKER-INTERNAL-REPORT
project_name: 令和7年度内部検討事業
contractor: 株式会社テスト総合研究所
fiscal_year: 2025
office: 産業技術環境局 環境経済室
summary: 要約 MARKER-INTERNAL-REPORT
keywords: [内部]
figures:
  - number: 図1
    title: 内部の図
    data: figures/fig1.csv
visibility: internal
""",
    "ja/reports/secret-study/report.md": "Title: 非公開の調査 報告書\nDate: 2026-03-31\n\n本文 MARKER-INTERNAL-REPORT\n",
    "ja/reports/secret-study/figures/fig1.csv": "項目,値\nMARKER-INTERNAL-FIGURE,1\n",
}
PLANTED_MARKERS = ["MARKER-INTERNAL-PROJECT", "MARKER-INTERNAL-NEWS", "MARKER-INTERNAL-FAQ",
                   "MARKER-INTERNAL-PAGE-EN", "MARKER-COP-REPORT-EN", "MARKER-INTERNAL-REPORT",
                   "MARKER-INTERNAL-FIGURE"]
MARKERS = FIXTURE_MARKERS + PLANTED_MARKERS  # a marker is a prefix of its -EN and -TITLE forms
PUBLIC_MARKER = "MARKER-PUBLIC-OFFER"


def readable(data: bytes, name: str = "") -> list[tuple[str, bytes]]:
    """(part name, bytes) of a file as a reader of its format sees it: zip members (recursively),
    inflated gzip, and PDF text as well as the raw bytes."""
    parts = [(name, data)]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for member in archive.namelist():
                parts += readable(archive.read(member), f"{name}!{member}")
    elif data[:2] == b"\x1f\x8b":
        parts += readable(gzip.decompress(data), f"{name}!gunzip")
    elif data[:5] == b"%PDF-":
        reader = pypdf.PdfReader(io.BytesIO(data))
        parts.append((f"{name}!text", "\n".join(p.extract_text() or "" for p in reader.pages).encode("utf-8")))
    return parts


def occurrences(root: Path, markers: list[str]) -> dict[str, list[str]]:
    """marker -> the output files (and parts) that hold it."""
    found: dict[str, list[str]] = {m: [] for m in markers}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            for part, data in readable(path.read_bytes(), path.relative_to(root).as_posix()):
                for marker in markers:
                    if marker.encode() in data or marker.encode("utf-16-le") in data:
                        found[marker].append(part)
    return found


@pytest.fixture(scope="module")
def planted_content(tmp_path_factory) -> Path:
    content = tmp_path_factory.mktemp("leaks") / "content"
    shutil.copytree(FIXTURE, content)
    for relative, text in PLANTED.items():
        (content / relative).parent.mkdir(parents=True, exist_ok=True)
        (content / relative).write_text(text, encoding="utf-8")
    memo = content / "files/internal/memo.pdf"
    memo.parent.mkdir(parents=True)
    shutil.copy(content / "files/meetings/steering-040/shiryo2-internal.pdf", memo)
    offer = content / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("conditions: ", f"conditions: {PUBLIC_MARKER} "),
                     encoding="utf-8")
    return content


def build(content: Path, tmp_path_factory, *args: str) -> Path:
    output = tmp_path_factory.mktemp("leak-build") / "output"
    result = run_build(*args, content=content, output=output)
    assert result.returncode == 0, result.stderr
    return output


def test_no_internal_marker_in_any_file_of_the_public_build(planted_content, tmp_path_factory):
    public = build(planted_content, tmp_path_factory)
    leaks = {marker: files for marker, files in occurrences(public, MARKERS).items() if files}
    assert leaks == {}
    assert occurrences(public, [PUBLIC_MARKER])[PUBLIC_MARKER]  # the reader does see published text
    assert not (public / "files/internal").exists()
    assert not (public / "reports/secret-study").exists() and not (public / "projects/P9999").exists()


def test_every_planted_marker_reaches_the_internal_preview(planted_content, tmp_path_factory):
    """The plants are real: the internal preview, built from the same tree, shows them."""
    preview = build(planted_content, tmp_path_factory, "--internal")
    shown = occurrences(preview, MARKERS)
    hidden_even_internally = {"MARKER-CERT-MINUTES", "MARKER-CERT-MATERIAL",  # the meeting template never shows them
                              "MARKER-INTERNAL-FIGURE"}  # report figures' data files are not published yet
    assert [m for m, files in shown.items() if not files and m not in hidden_even_internally] == []


def test_the_reader_sees_inside_every_format(tmp_path):
    import docx
    import openpyxl

    book = openpyxl.Workbook()
    book.active["A1"] = PUBLIC_MARKER
    xlsx = io.BytesIO()
    book.save(xlsx)
    document = docx.Document()
    document.add_paragraph(PUBLIC_MARKER)
    word = io.BytesIO()
    document.save(word)
    nested = io.BytesIO()
    with zipfile.ZipFile(nested, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("inner.xlsx", xlsx.getvalue())
    samples = {"a.xlsx": xlsx.getvalue(), "a.docx": word.getvalue(), "a.pf_fragment": gzip.compress(PUBLIC_MARKER.encode()),
               "a.zip": nested.getvalue(), "a.json": f'{{"x": "{PUBLIC_MARKER}"}}'.encode(),
               "a.txt": PUBLIC_MARKER.encode("utf-16-le")}
    for name, data in samples.items():
        (tmp_path / name).write_bytes(data)
        assert PUBLIC_MARKER.encode() not in data or name in ("a.json",), name  # hidden from a plain byte search
    assert sorted(occurrences(tmp_path, [PUBLIC_MARKER])[PUBLIC_MARKER]) == [
        "a.docx!word/document.xml", "a.json", "a.pf_fragment!gunzip", "a.txt",
        "a.xlsx!xl/worksheets/sheet1.xml", "a.zip!inner.xlsx!xl/worksheets/sheet1.xml"]
