"""The output checks that end every build: each kind of finding is caught and named with its file
and line, a finding fails the real build and leaves the previous output published, and a hostile
content tree builds into a site with nothing unsafe in it."""

from __future__ import annotations

import io
from pathlib import Path

import lxml.html
import openpyxl
import pypdf
import pytest
from openpyxl.comments import Comment

from conftest import BUILD_DATE, ROOT, files_of, run_build

from checks import check_output
from checks.published_files import Policy, check_published_files
from checks.site_files import SiteFiles

SETTINGS = {"SITE_HOST": "japancredit.go.jp", "PATH": str(ROOT / "tests/fixtures/site")}


def findings(output: Path) -> list[str]:
    return [str(p) for p in check_output(output, SETTINGS, display="out")]


def page(body: str, head: str = "") -> str:
    return (f'<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>t</title>{head}</head>'
            f'<body>\n{body}\n</body></html>')


@pytest.fixture
def site(tmp_path) -> Path:
    """A tiny clean output: a home page, one page, a stylesheet, an image."""
    root = tmp_path / "out"
    (root / "about").mkdir(parents=True)
    (root / "theme/css").mkdir(parents=True)
    (root / "index.html").write_text(page('<h1 id="top-title">home</h1><a href="/about/#outline">about</a>',
                                          '<link rel="stylesheet" href="/theme/css/site.css">'))
    (root / "about/index.html").write_text(page('<h2 id="outline">o</h2><img src="/logo.svg" alt=""><a href="/">home</a>'
                                                '<a href="https://example.org/">elsewhere</a><a href="mailto:info@example.org">m</a>'))
    (root / "theme/css/site.css").write_text("body { color: #222 }\n.logo { background: url(/logo.svg) }\n")
    (root / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect width="1" height="1"/></svg>')
    return root


def test_a_clean_site_has_no_findings(site):
    assert findings(site) == []


HTML_FINDINGS = [
    ('<img src="https://cdn.example/a.png" alt="">', "img[src]", "another host"),
    ('<img src="//cdn.example/a.png" alt="">', "img[src]", "another host"),
    ('<img srcset="/logo.svg 1x, https://cdn.example/a.png 2x" alt="">', "img[srcset]", "another host"),
    ('<video poster="https://cdn.example/p.jpg"></video>', "video[poster]", "another host"),
    ('<form action="https://forms.example/post"><label>q <input name="q"></label></form>', "form[action]", "another host"),
    ('<a href="/" ping="https://track.example/">x</a>', "a[ping]", "another host"),
    ('<svg><image xlink:href="https://cdn.example/a.png"></image></svg>', "image[xlink:href]", "another host"),
    ('<script src="https://cdn.example/x.js"></script>', "script[src]", "another host"),
    ('<script>alert(1)</script>', "script", "inline script"),
    ('<style>p { color: red }</style>', "style", "<style>"),
    ('<p style="color: red">x</p>', "p[style]", "style attributes"),
    ('<p onclick="go()">x</p>', "p[onclick]", "event-handler"),
    ('<iframe src="/about/"></iframe>', "iframe", "<iframe>"),
    ('<embed src="/logo.svg">', "embed", "<embed>"),
    ('<object data="/logo.svg"></object>', "object", "<object>"),
    ('<meta http-equiv="refresh" content="0;url=/about/">', "meta", "meta refresh"),
    ('<a href="javascript:alert(1)">x</a>', "a[href]", "unsafe URL scheme"),
    ('<a href="/nowhere/">x</a>', "a[href]", "not built (/nowhere/)"),
    ('<a href="nowhere/">x</a>', "a[href]", "not built (nowhere/)"),
    ('<img src="/files/missing.png" alt="">', "img[src]", "not built"),
    ('<a href="https://japancredit.go.jp/gone/">x</a>', "a[href]", "not built"),
    ('<a href="/about/#no-such-id">x</a>', "a[href]", "no element with id 'no-such-id'"),
    ('<p id="dup">a</p><p id="dup">b</p>', "id", "'dup' is used 2 times"),
]


@pytest.mark.parametrize("markup,field,message", HTML_FINDINGS)
def test_each_unsafe_or_broken_reference_in_a_page_is_found(site, markup, field, message):
    (site / "extra").mkdir()
    (site / "extra/index.html").write_text(page(f"<p>filler</p>\n{markup}"))
    found = findings(site)
    assert len(found) == 1, found
    assert found[0].startswith(f"out/extra/index.html:3: {field}: ") and message in found[0], found


@pytest.mark.parametrize("markup,message", [
    ("<p>担当: yamada.taro@gmail.com</p>", "free-mail"),
    ('<p><a href="mailto:taro.yamada@example.co.jp">担当者</a></p>', "person's address"),
    ("<p>携帯 090-1234-5678</p>", "phone number (090-1234-5678)"),
    ("<script>var t = '090-1234-5678';</script>", None)])  # a script is not the page's text
def test_personal_data_in_a_page_is_found_from_the_same_parse_as_its_links(site, markup, message):
    (site / "extra").mkdir()
    (site / "extra/index.html").write_text(page(f"<p>filler</p>\n{markup}"))
    found = [f for f in findings(site) if "inline script" not in f]
    if message is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith("out/extra/index.html:1: text: ") and message in found[0], found


@pytest.mark.parametrize("link", [
    '<link rel="stylesheet" href="https://fonts.example/css">',
    '<link rel="preload" href="https://fonts.example/f.woff2" as="font">',
    '<link rel="icon" href="https://cdn.example/favicon.ico">',
    '<link rel="preconnect" href="https://fonts.example">'])
def test_links_that_the_browser_fetches_may_not_leave_the_site(site, link):
    (site / "index.html").write_text(page("<p>x</p>", link))
    assert [f.split(": ")[1] for f in findings(site)] == ["link[href]"]


@pytest.mark.parametrize("css,kind", [
    ('@import "https://fonts.example/a.css";', "@import"),
    ("@import url(//fonts.example/b.css) screen;", "@import"),
    ("p { background: url(https://cdn.example/c.png) }", "url()"),
    ("p { background: url('https://cdn.example/d.png') }", "url()"),
    (r"p { background: \75 rl(https://cdn.example/e.png) }", "url()"),  # an escaped function name
    ('p { background-image: image-set("https://cdn.example/f.png" 1x) }', "image-set()"),
    ("@font-face { font-family: x; src: url(https://fonts.example/g.woff2) }", "url()"),
    ("@media print { p { background: url(data:image/png;base64,AAAA) } }", "url()"),
    ("p { background: url(/theme/missing.png) }", "url()")])
def test_stylesheets_load_nothing_from_elsewhere(site, css, kind):
    (site / "theme/css/site.css").write_text(f"body {{ margin: 0 }}\n{css}\n")
    found = findings(site)
    assert len(found) == 1 and found[0].startswith(f"out/theme/css/site.css:2: {kind}: "), found


def test_svg_images_run_nothing_and_load_nothing(site):
    (site / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">\n'
        '<script>alert(1)</script>\n<image xlink:href="https://cdn.example/a.png"/>\n<rect onload="x()"/>\n</svg>')
    assert [f.split(": ")[0].split(":")[-1] + " " + f.split(": ")[1] for f in findings(site)] == [
        "2 script", "3 image[href]", "4 rect[onload]"]


# -- published files ------------------------------------------------------------------------------

def xlsx(tmp: Path, **bad) -> Path:
    from opendata.tables import Column, Table, xlsx_bytes
    table = Table("offers", "売り出し", "Offers", [Column("brand", "銘柄", "Brand"), Column("q", "数量", "Quantity", "integer")],
                  {"ja": [{"brand": "四万十の森", "q": 1200}, {"brand": "=HYPERLINK(\"https://x.example\")", "q": 5}]})
    path = tmp / "offers.xlsx"
    path.write_bytes(xlsx_bytes(table, "ja", __import__("datetime").date(2026, 11, 23)))
    if bad:
        book = openpyxl.load_workbook(path)
        sheet = book.active
        if "hidden_sheet" in bad:
            book.create_sheet("memo").sheet_state = "hidden"
        if "hidden_row" in bad:
            sheet.row_dimensions[2].hidden = True
        if "hidden_column" in bad:
            sheet.column_dimensions["B"].hidden = True
        if "zero_height_row" in bad:  # hidden by its size, not its flag
            sheet.row_dimensions[2].height = 0.1
        if "zero_width_column" in bad:
            sheet.column_dimensions["B"].width = 0.5
        if "comment" in bad:
            sheet["A2"].comment = Comment("要確認", "山田")
        if "author" in bad:
            book.properties.creator = "山田 太郎"
        if "formula" in bad:
            sheet["C2"] = "=B2*2"
        if "phone" in bad:
            sheet["C3"] = "担当 090-1234-5678"
        book.save(path)
    return path


def published(tmp_path, name: str, data: bytes | Path) -> list[str]:
    root = tmp_path / "pub"
    root.mkdir(exist_ok=True)
    target = root / "files" / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.read_bytes() if isinstance(data, Path) else data)
    problems = check_published_files(SiteFiles.scan(root), "out", Policy(frozenset({"J-クレジット制度事務局"}), frozenset()))
    target.unlink()
    return [str(p) for p in problems]


def test_the_open_data_workbook_writer_passes_and_writes_text_as_text(tmp_path):
    """A brand that looks like a formula stays text: the check would refuse a formula cell."""
    assert published(tmp_path, "offers.xlsx", xlsx(tmp_path)) == []


@pytest.mark.parametrize("bad,message", [
    ("hidden_sheet", "hidden sheet"), ("hidden_row", "hidden rows"), ("hidden_column", "hidden columns"),
    ("zero_height_row", "hidden rows"), ("zero_width_column", "hidden columns"),
    ("comment", "cell comment"), ("author", "author metadata (山田 太郎)"), ("formula", "formula cell"),
    ("phone", "phone number (090-1234-5678)")])
def test_workbooks_with_hidden_or_personal_parts_are_refused(tmp_path, bad, message):
    found = published(tmp_path, "offers.xlsx", xlsx(tmp_path, **{bad: True}))
    assert found and all(f.startswith("out/files/offers.xlsx:") for f in found), found
    assert any(message in f for f in found), found


@pytest.mark.parametrize("cell,message", [
    ("yamada.taro@gmail.com", "free-mail"), ("taro.yamada@example.co.jp", "person's address"),
    ("03-1234-5678", "phone number"), ("=HYPERLINK(\"https://x.example\",\"x\")", "runs as a formula"),
    ("@SUM(A1)", "runs as a formula")])
def test_csv_with_personal_data_or_formulas_is_refused(tmp_path, cell, message):
    data = f"\ufeff銘柄,数量,連絡先\r\n四万十の森,-5,{cell}\r\n".encode()
    found = published(tmp_path, "offers.csv", data)
    assert len(found) == 1 and found[0].startswith("out/files/offers.csv:2: row 2 column 3: ") and message in found[0], found


def test_clean_csv_and_json_pass(tmp_path):
    assert published(tmp_path, "a.csv", "\ufeff銘柄,数量,連絡先\r\n森,-5,jimukyoku@example.go.jp\r\n".encode()) == []
    assert published(tmp_path, "a.json", '{"rows": [{"tel": "2026-11-23", "q": -5}]}'.encode()) == []
    assert "phone number" in published(tmp_path, "a.json", '{"rows": [{"tel": "090-1234-5678"}]}'.encode())[0]


def docx(**bad) -> bytes:
    import docx as python_docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    document = python_docx.Document()
    document.core_properties.author = "山田 太郎" if "author" in bad else ""
    document.core_properties.last_modified_by = ""
    paragraph = document.add_paragraph("売買契約書（ひな形）")
    if "comment" in bad:
        document.add_comment(paragraph.runs, text="ここは要確認", author="山田")
    if "hidden" in bad:
        document.add_paragraph().add_run("社内メモ").font.hidden = True
    if "tracked" in bad:
        insertion = OxmlElement("w:ins")
        insertion.set(qn("w:id"), "1")
        insertion.set(qn("w:author"), "山田")
        insertion.append(OxmlElement("w:r"))
        document.add_paragraph()._p.append(insertion)
    if "phone" in bad:
        document.add_paragraph("担当: 080-1111-2222")
    if "remote_template" in bad:  # Word fetches an attached template from its URL as the file opens
        part = document.part._settings_part
        rel = part.relate_to("https://tracker.example/t.dotm", RELATIONSHIPS + "attachedTemplate", is_external=True)
        template = OxmlElement("w:attachedTemplate")
        template.set(qn("r:id"), rel)
        part.element.append(template)
    if "hyperlink" in bad:  # followed only when clicked: allowed
        paragraph.part.relate_to("https://www.example.jp/", RELATIONSHIPS + "hyperlink", is_external=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def test_a_plain_word_document_passes(tmp_path):
    assert published(tmp_path, "contract.docx", docx()) == []
    assert published(tmp_path, "contract.docx", docx(hyperlink=True)) == []


@pytest.mark.parametrize("bad,message", [("author", "author metadata"), ("comment", "holds comments"),
                                         ("hidden", "hidden text"), ("tracked", "tracked insertion"),
                                         ("phone", "phone number (080-1111-2222)"),
                                         ("remote_template", "loads content from elsewhere when opened (https://tracker.example/t.dotm)")])
def test_word_documents_with_hidden_or_personal_parts_are_refused(tmp_path, bad, message):
    found = published(tmp_path, "contract.docx", docx(**{bad: True}))
    assert found and all(f.startswith("out/files/contract.docx:") for f in found), found
    assert any(message in f for f in found), found


def pdf(**bad) -> bytes:
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    if "author" in bad:
        writer.add_metadata({"/Author": "山田 太郎"})
    if "javascript" in bad:
        from pypdf.actions import JavaScript
        writer.add_open_action(JavaScript("app.alert('x');"))
    if "attachment" in bad:
        writer.add_attachment("memo.txt", b"internal")
    if "open_uri" in bad:  # a reader's viewer would call the address as the file opens
        writer._root_object[pypdf.generic.NameObject("/OpenAction")] = pypdf.generic.DictionaryObject({
            pypdf.generic.NameObject("/S"): pypdf.generic.NameObject("/URI"),
            pypdf.generic.NameObject("/URI"): pypdf.generic.TextStringObject("https://tracker.example/opened")})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def test_a_plain_pdf_and_the_fixture_materials_pass(tmp_path):
    assert published(tmp_path, "a.pdf", pdf()) == []
    for material in (ROOT / "tests/fixtures/site/files").rglob("*.pdf"):
        assert published(tmp_path, "a.pdf", material) == [], material


@pytest.mark.parametrize("bad,message", [("author", "author metadata (山田 太郎)"),
                                         ("javascript", "scripts or actions"),
                                         ("attachment", "attachments (/EmbeddedFiles)"),
                                         ("open_uri", "scripts or actions (/OpenAction /URI)")])
def test_pdfs_with_authors_scripts_or_attachments_are_refused(tmp_path, bad, message):
    found = published(tmp_path, "material.pdf", pdf(**{bad: True}))
    assert found and all(f.startswith("out/files/material.pdf:") for f in found), found
    assert any(message in f for f in found), found


# -- the real build -------------------------------------------------------------------------------

def test_a_finding_fails_the_build_and_keeps_the_previous_output(tmp_path, content_copy):
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    about = content_copy / "ja/pages/about.md"
    # A file's URL: validation knows the pages the records make, the output checks every file.
    about.write_text(about.read_text(encoding="utf-8") + "\n[旧ページ](/old-page.html)\n", encoding="utf-8")
    material = content_copy / "files/meetings/steering-040/shiryo1.pdf"
    material.write_bytes(pdf(author=True))
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 1
    assert f"{output}/about/index.html:" in result.stderr and "not built (/old-page.html)" in result.stderr
    assert f"{output}/files/meetings/steering-040/shiryo1.pdf:1: /Author: " in result.stderr
    assert "公開物は更新されていません" in result.stderr
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert not output.with_name("site.building").exists()


HOSTILE_PAGE = """Title: 攻撃的なページ

## 見出し

<script>alert('x')</script><svg onload="alert(1)"><use href="https://evil.example/s.svg#a"/></svg>
<iframe src="https://evil.example/"></iframe><object data="https://evil.example/x"></object><embed src="/x">
<link rel="stylesheet" href="https://evil.example/s.css"><style>@import "https://evil.example/s.css";</style>
<p style="background:url(https://evil.example/b.png)" onclick="alert(1)">本文</p>
<a href="java&#x09;script:alert(1)">a</a> <a href="JAVASCRIPT:alert(1)">b</a> [c](javascript:alert(1))
<img src="http:evil.example/p.png" alt="p"> <img src="/\\evil.example/p.png" alt="q"> ![r](//evil.example/r.png)
<img srcset="https://evil.example/p.png 2x" src="/theme/images/logo.svg" alt="s">
<form action="https://evil.example/"><input name="q" onfocus="alert(1)" autofocus></form>
<base href="https://evil.example/"><meta http-equiv="refresh" content="0;url=https://evil.example/">
<p id="main">偽の本文</p>
<a href="https://example.org/" target="_blank">外部リンク</a>
"""


def test_a_hostile_content_tree_builds_into_a_site_with_nothing_unsafe(tmp_path, content_copy):
    (content_copy / "ja/pages/hostile.md").write_text(HOSTILE_PAGE, encoding="utf-8")
    overlay = content_copy / "en/pages/hostile.md"
    overlay.write_text(HOSTILE_PAGE.replace("Title: 攻撃的なページ", "Title: Hostile page"), encoding="utf-8")
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace(
        "conditions: ", "conditions: 'x\" onmouseover=\"alert(1)' # "), encoding="utf-8")
    output = tmp_path / "site"
    result = run_build(content=content_copy, output=output, build_date=BUILD_DATE)
    assert result.returncode == 0, result.stderr
    assert findings(output) == []
    for path in ("hostile/index.html", "en/hostile/index.html", "offers/kochi-forest/index.html"):
        html = (output / path).read_text(encoding="utf-8")
        assert "evil.example" not in html and ("alert(" not in html or "offers" in path), path
        tree = lxml.html.fromstring(html)
        assert not tree.xpath("//@*[starts-with(name(), 'on')] | //script[not(@src)] | //iframe | //form[not(@role='search')] | //form[@role='search'][not(starts-with(@action, '/'))] | //base")
    assert "onmouseover=&#34;alert(1)" in (output / "offers/kochi-forest/index.html").read_text(encoding="utf-8")
    assert "本文" in (output / "hostile/index.html").read_text(encoding="utf-8")


def test_remembered_outcomes_are_reused_and_only_changed_shards_rewritten(tmp_path):
    """The check memo: an unchanged file is not checked again; a changed one is, and only the
    memo file holding its outcome is written anew."""
    from checks.memo import CheckMemo, shard_of

    site_root, cache = tmp_path / "site", tmp_path / "cache"
    names = [f"p{n}/index.html" for n in range(40)]
    for name in names:
        (site_root / name).parent.mkdir(parents=True)
        (site_root / name).write_text(name)
    checked = []

    def check(file):
        checked.append(file)
        return (site_root / file).read_text()

    def run():
        memo = CheckMemo(str(cache), "out", SiteFiles.scan(site_root), "v1")
        values = memo.outcomes("page", names, check)
        memo.save()
        return values

    assert run() == names and sorted(checked) == sorted(names)
    stored = {p: p.stat().st_mtime_ns for p in cache.glob("checks-*.pickle")}
    assert len(stored) > 1
    checked.clear()
    assert run() == names and checked == []
    assert {p: p.stat().st_mtime_ns for p in cache.glob("checks-*.pickle")} == stored

    (site_root / names[3]).write_text("changed, and longer")
    assert run()[3] == "changed, and longer" and checked == [names[3]]
    rewritten = [p for p in stored if p.stat().st_mtime_ns != stored[p]]
    assert [p.name.rsplit("-", 1)[1] for p in rewritten] == [f"{shard_of(names[3])}.pickle"]
    checked.clear()
    assert run()[3] == "changed, and longer" and checked == []

    CheckMemo(str(cache), "out", SiteFiles.scan(site_root), "v2")  # other check code: v1's files go
    assert not any(p.exists() for p in stored)


def test_a_kept_folder_listing_sees_every_file_added_removed_or_renamed(tmp_path, monkeypatch):
    """Scans of an output keep its folders' listings and list again only the folders whose
    time changed; files added, removed or renamed, even below unchanged folders, are seen."""
    from checks.site_files import FolderListing, SiteFiles

    root, listing = tmp_path / "site", tmp_path / "cache" / "listing.pickle"
    for relative in ("index.html", "a/index.html", "a/b/index.html", "c/data.csv"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text("x", encoding="utf-8")
    monkeypatch.setattr(FolderListing, "RACY_NS", 0)  # the folders were made just now
    assert SiteFiles.scan(root, listing=listing).files == {"index.html", "a/index.html", "a/b/index.html", "c/data.csv"}
    assert listing.is_file()
    (root / "a/b/stray.pdf").write_text("x", encoding="utf-8")
    (root / "c/data.csv").rename(root / "c/data-2.csv")
    (root / "index.html").unlink()
    (root / "d").mkdir()
    (root / "d/new.html").write_text("x", encoding="utf-8")
    expected = {"a/index.html", "a/b/index.html", "a/b/stray.pdf", "c/data-2.csv", "d/new.html"}
    assert SiteFiles.scan(root, listing=listing).files == expected
    assert SiteFiles.scan(root).files == expected  # as a scan without a kept listing sees it

    unread = FolderListing(listing)  # nothing changed: no folder is read again
    monkeypatch.setattr("checks.site_files._entries", lambda folder: pytest.fail(f"{folder} read again"))
    assert unread.files_below(root) == expected


def test_links_are_resolved_again_only_where_files_or_ids_changed_and_failures_stay_found(site, tmp_path, monkeypatch):
    """While no file a link led to is gone, no page is added and the changed pages keep their
    ids, only the links of files made anew (and those that failed before) are resolved again;
    every broken link is still found."""
    settings = {**SETTINGS, "CACHE_PATH": str(tmp_path / "cache")}
    resolved = []
    original = SiteFiles._resolve
    monkeypatch.setattr(SiteFiles, "_resolve", lambda self, path: resolved.append(path) or original(self, path))

    def check() -> list[str]:
        resolved.clear()
        return [str(p) for p in check_output(site, settings, display="out")]

    (site / "pagefind").mkdir()
    (site / "pagefind/a.pf_fragment").write_bytes(b"x")
    assert check() == []
    about = site / "about/index.html"
    about.write_text(about.read_text().replace('<a href="/">home</a>', '<a href="/missing/">home</a>'))
    (site / "pagefind/a.pf_fragment").rename(site / "pagefind/b.pf_fragment")  # as a search index update does
    assert [f for f in check() if "/missing/" in f and "out/about/index.html" in f]
    assert sorted(resolved) == ["/logo.svg", "/missing/"], "only the edited page's links"
    assert [f for f in check() if "/missing/" in f], "a broken link of an unchanged page is found again"
    about.write_text(about.read_text().replace('<a href="/missing/">', '<a href="/">'))
    assert check() == []
    about.write_text(about.read_text().replace('<h2 id="outline">', "<h2>"))  # index.html links /about/#outline
    assert [f for f in check() if "out/index.html" in f and "#outline" in f]
    about.write_text(about.read_text().replace("<h2>", '<h2 id="outline">'))
    assert check() == []
    (site / "logo.svg").unlink()  # a file links led to is gone: every link is resolved again
    assert len([f for f in check() if "/logo.svg" in f]) == 2
    assert "/theme/css/site.css" in resolved
    (site / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    assert check() == []
    (site / "about.html").write_text(page("<p>x</p>"))  # a page added may take /about from about/index.html
    assert check() == [] and "/theme/css/site.css" in resolved


def test_a_file_of_a_type_the_checks_cannot_read_may_not_be_published_among_the_attachments(site):
    """Validation refuses such an attachment on its line; should any still reach files/ (a
    plugin, a tool), the last check stops it: an HTML page or script there runs as this site."""
    (site / "files/m").mkdir(parents=True)
    (site / "files/m/sanko.html").write_text(page("<h1>x</h1>"), encoding="utf-8")
    (site / "files/m/sanko.js").write_text("document.title = 'x'", encoding="utf-8")
    found = findings(site)
    assert [f.split(":")[0] for f in found] == ["out/files/m/sanko.html", "out/files/m/sanko.js"]
    assert all("a file of a type the checks cannot read" in f for f in found)


def test_a_phone_number_is_published_only_when_the_content_lists_it(tmp_path, site):
    """One list, content/phone-numbers.yaml, for `make check` and for the built files: a number
    in a page is a finding until the content root lists it as an organisation's."""
    (site / "about/index.html").write_text(page('<h2 id="outline">o</h2><p>代表 03-5555-1234</p>'))
    content = tmp_path / "content"
    content.mkdir()
    settings = {**SETTINGS, "PATH": str(content), "CACHE_PATH": None}
    assert ["phone number (03-5555-1234)" in p.en for p in check_output(site, settings)] == [True]
    (content / "phone-numbers.yaml").write_text("- 03-5555-1234\n", encoding="utf-8")
    assert check_output(site, settings) == []


def test_pages_made_in_the_build_process_are_checked_beside_it_and_not_again(site, monkeypatch):
    """An edit's rebuild renders its few pages in the build process; they are checked (and read
    for the search index) in a forked process while it goes on, a batch at a time (whatever
    else is checked beside), and the output check finds their outcomes made: a finding there is
    still reported, and no page is parsed twice."""
    import time

    from checks import Checker, references
    from search.shards import read_page
    from site_pages.output import CHECK_BATCH, Output

    sink = Output(site, staged=True)
    sink.check_ahead = Checker(SETTINGS).ahead
    sink.index_ahead = read_page  # and read for the search index there, from the same parse
    pages = {f"p{n}/index.html": page(f'<a href="/about/">{n}</a>').encode() for n in range(CHECK_BATCH - 1)}
    pages["bad/index.html"] = page('<img src="https://cdn.example/a.png" alt="">').encode()
    with monkeypatch.context() as patched:  # the index reads the tree the checks parsed
        patched.setattr(lxml.html, "fromstring", lambda *arguments, **options: pytest.fail("parsed again"))
        for number, (file, data) in enumerate(pages.items(), start=1):
            assert sink.write(file, data)
            sink.check_soon({file: data})
            assert len(sink.checking) == (1 if number == CHECK_BATCH else 0), "a process for a batch, not a page"
        assert sink.unchecked == {}
        made = sink.checked_ahead()
    assert {file for _, file in made} == set(pages) == set(sink.indexed)
    assert sink.indexed["bad/index.html"] == read_page(pages["bad/index.html"], "bad/index.html")
    outcome = references.page_outcome

    def parsed_again(site_files, kind, file, *rest):
        assert file not in pages, f"{file} checked again"
        return outcome(site_files, kind, file, *rest)  # the pages already on disk

    monkeypatch.setattr(references, "page_outcome", parsed_again)
    found = [str(p) for p in check_output(site, SETTINGS, display="out", pending=sink.pending,
                                          digests=sink.digests, ahead=made)]
    assert len(found) == 1 and "out/bad/index.html" in found[0] and "another host" in found[0]

    slow = Output(site, staged=True)
    slow.check_ahead = lambda files, reader: time.sleep(0.5) or {("page", f): None for f in files}
    slow.check_soon(pages)
    slow.check_soon({f"q{n}/index.html": b"" for n in range(CHECK_BATCH)})
    assert len(slow.checking) == 1 and len(slow.unchecked) == CHECK_BATCH, "one process at a time"
    time.sleep(1)
    slow.check_soon({"late/index.html": b""})
    assert len(slow.checking) == 2 and slow.unchecked == {}, "the next batch once it is done"
    assert len(slow.checked_ahead()) == 2 * CHECK_BATCH + 1

    # Other files checked beside (the open data) do not hold the pages back: pages left to wait
    # for them made one late batch, which the build then waited for.
    beside = Output(site, staged=True)
    beside.check_ahead = lambda files, reader: time.sleep(0.5) or {("file", f): None for f in files}
    beside.check_beside({"offers/offers.xlsx": b""})
    beside.check_soon(pages)
    assert len(beside.checking) == 2 and beside.unchecked == {}, "a batch while the open data is checked"
    assert len(beside.checked_ahead()) == CHECK_BATCH + 1


# A cold build of the fixture site whose collections' pages are rendered by the workers; each
# page a worker renders, and each parse of a page for the output checks or the search index,
# is logged, with whether the pages were still being made.
_LOGGED_BUILD = """
import os, sys
sys.path[:0] = [{plugins!r}, {scripts!r}]
import build
import checks
import search
from checks import references
from search import shards
from site_pages import output, pages

pages.PARALLEL_THRESHOLD = 8
log, phase, builder = open({log!r}, "a", buffering=1), ["building"], os.getpid()

def logged(module, name, described):
    real = getattr(module, name)
    def wrapper(*arguments):
        if os.getpid() != builder or name != "render":
            log.write(f"{{phase[0]}} {{described(*arguments)}}\\n")
        return real(*arguments)
    setattr(module, name, wrapper)

logged(pages.Renderer, "render", lambda self, generator, relative, *rest: f"rendered html {{relative}}")
logged(references, "page_outcome", lambda site, kind, file, *rest: f"checked {{kind}} {{file}}")
logged(checks, "page_outcome", lambda site, kind, file, *rest: f"checked {{kind}} {{file}}")
logged(shards, "read_page", lambda data, relative, *tree: f"indexed html {{relative}}")
logged(search, "read_page", lambda data, relative, *tree: f"indexed html {{relative}}")
checked_ahead = output.Output.checked_ahead
output.Output.checked_ahead = lambda self: phase.__setitem__(0, "after") or checked_ahead(self)
sys.exit(build.run(sys.argv[1:]))
"""


def test_a_cold_builds_pages_are_checked_and_read_for_the_index_where_they_are_rendered(tmp_path, monkeypatch):
    """A cold build's render workers check the pages they make and read them for the search
    index while the bytes are at hand: once the pages are made, neither the output check nor
    the index reads one of them back (each read back and parsed every page of a large site),
    and the site is the one a build rendering in its own process makes."""
    import subprocess
    import sys

    from model.parallel import cores

    if cores() < 2:
        pytest.skip("one core: pages are rendered in the build process")
    log = tmp_path / "parsed.log"
    monkeypatch.setenv("JCREDIT_CACHE", str(tmp_path / "cache"))
    script = _LOGGED_BUILD.format(plugins=str(ROOT / "plugins"), scripts=str(ROOT / "scripts"), log=str(log))
    built = subprocess.run([sys.executable, "-c", script, "--content", str(ROOT / "tests/fixtures/site"),
                            "--output", str(tmp_path / "workers"), "--build-date", BUILD_DATE],
                           capture_output=True, text=True, cwd=ROOT)
    assert built.returncode == 0, built.stderr
    done = [tuple(line.split()) for line in log.read_text(encoding="utf-8").splitlines()]
    rendered = {file for _, use, _, file in done if use == "rendered"}
    assert len(rendered) > 20 and "offers/kochi-forest/index.html" in rendered
    for use in ("checked", "indexed"):
        assert rendered <= {file for phase, what, _, file in done if what == use and phase == "building"}, use
        assert rendered.isdisjoint({file for phase, what, _, file in done if what == use and phase == "after"}), use
    monkeypatch.setenv("JCREDIT_CACHE", str(tmp_path / "other-cache"))
    assert run_build(output=tmp_path / "in-process").returncode == 0
    assert files_of(tmp_path / "workers") == files_of(tmp_path / "in-process")
