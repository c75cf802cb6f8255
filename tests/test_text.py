"""Markdown from editors becomes safe HTML with a sound heading outline."""

import lxml.html

from model.text import render_markdown


def test_hostile_html_is_removed():
    html = render_markdown(
        "本文<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>"
        " <img src=\"https://evil.example/p.png\" alt=\"p\"> <iframe src=\"/x\"></iframe>"
        " <p style=\"color:red\">赤</p>")
    for bad in ("<script", "javascript:", "onclick", "evil.example", "<iframe", "style="):
        assert bad not in html
    assert "本文" in html and "赤" in html


def test_an_image_from_another_host_is_dropped_whole():
    """Its src is refused; an <img> left without one would show nothing and lack a text alternative."""
    html = render_markdown('前<img src="https://evil.example/x.png">後 <img alt="図" src="/files/fig.png">')
    assert html.count("<img") == 1 and 'src="/files/fig.png"' in html and "前" in html and "後" in html


def test_local_images_links_and_tables_survive():
    html = render_markdown("[資料](/files/a.pdf)\n\n![図](/files/fig.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<a href="/files/a.pdf" rel="noopener noreferrer">資料</a>' in html
    assert '<img alt="図" src="/files/fig.png">' in html
    assert "<table>" in html and "<td>1</td>" in html


TABLE = "| 方法論 | 改定後 |\n|---|---|\n| EN-R-002 | Ver.3.1 |\n"


def test_a_line_saying_what_a_table_is_becomes_its_caption_and_names_its_region():
    """Written as a paragraph under (or over) the table, it was left there: the table had no
    caption, and its region was named by the heading above, which says something else."""
    below = lxml.html.fragment_fromstring(render_markdown(f"## 議事概要\n\n{TABLE}\n表：改定する方法論\n"), create_parent="div")
    above = lxml.html.fragment_fromstring(render_markdown(f"## Summary\n\nTable 2-1: Methodologies & \"versions\"\n\n{TABLE}"),
                                          create_parent="div")
    for tree, caption in ((below, "表：改定する方法論"), (above, 'Table 2-1: Methodologies & "versions"')):
        [region] = tree.xpath("//div[@class='table-wrap']")
        assert region.get("aria-label") == caption and region.get("role") == "region" and region.get("aria-labelledby") is None
        assert region.xpath("table/*[1]")[0].tag == "caption" and region.xpath("string(table/caption)") == caption
        assert not tree.xpath("//p")


def test_a_paragraph_next_to_a_table_that_is_not_a_caption_stays_a_paragraph():
    tree = lxml.html.fragment_fromstring(render_markdown(f"## 概要\n\n{TABLE}\nTable 1 shows the changes.\n"), create_parent="div")
    assert tree.xpath("//div[@class='table-wrap']/@aria-labelledby") and not tree.xpath("//caption")
    assert tree.xpath("string(//p)") == "Table 1 shows the changes."


def test_headings_start_below_the_heading_they_sit_under():
    assert "<h3" in render_markdown("## 議事概要\n\n### 詳細\n", top_heading=3)
    html = render_markdown("# 見出し\n\n## 小見出し\n", top_heading=2)
    assert "<h2" in html and "<h3" in html and "<h1" not in html
    assert "<h4" in render_markdown("#### 深い見出し\n", top_heading=2)  # never raised


HOSTILE_URLS = [
    '<img src="http:evil.example/p.png" alt="x">',  # a special scheme without slashes is a host
    '<img src="https:evil.example/p.png" alt="x">',
    '<img src="\\\\evil.example/p.png" alt="x">',
    '<img src="/\\evil.example/p.png" alt="x">',
    '<img src="/&#92;evil.example/p.png" alt="x">',
    '<img src=" //evil.example/p.png" alt="x">',
    '<img src="ht\ttps://evil.example/p.png" alt="x">',
    '<img src="data:image/png;base64,AAAA" alt="x">',
    '![x](HTTPS://evil.example/p.png)',
    '<img srcset="https://evil.example/p.png 2x" alt="x">',
    '<a href="/\\evil.example/">x</a>',
]


def test_no_url_to_another_host_survives_in_a_resource_attribute():
    for source in HOSTILE_URLS:
        html = render_markdown(source)
        assert "evil.example" not in html and "data:" not in html, (source, html)


SCRIPT_URLS = ["[x](JaVaScRiPt:alert(1))", '<a href="java&#x09;script:alert(1)">x</a>',
               '<a href="&#106;avascript:alert(1)">x</a>', '<a href=" javascript:alert(1)">x</a>',
               '<a href="vbscript:msgbox(1)">x</a>', '<a href="data:text/html,<script>alert(1)</script>">x</a>',
               "<javascript:alert(1)>", "[x][ref]\n\n[ref]: javascript:alert(1)"]


def test_no_script_url_survives_in_any_spelling():
    for source in SCRIPT_URLS:
        html = render_markdown(source).lower()
        assert "script:" not in html and "data:" not in html and "alert" not in html.replace("x", ""), (source, html)


def test_elements_that_load_or_run_things_are_removed():
    html = render_markdown(
        '<svg><script>alert(1)</script></svg><base href="https://evil.example/">'
        '<meta http-equiv="refresh" content="0;url=https://evil.example">'
        '<style>@import url(https://evil.example/x.css)</style><form action="https://evil.example"><input></form>'
        '<object data="/x.swf"></object><embed src="/x.swf"><link rel="stylesheet" href="https://evil.example/s.css">'
        '<a href="https://ok.example/" ping="https://evil.example/" target="_blank" onmouseover="alert(1)">ok</a>'
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>')
    for bad in ("<svg", "<script", "<base", "<meta", "<style", "@import", "<form", "<input", "<object",
                "<embed", "<link", "ping=", "target=", "onmouseover", "onerror", "evil.example"):
        assert bad not in html, bad
    assert '<a href="https://ok.example/" rel="noopener noreferrer">ok</a>' in html  # links to other sites stay


def test_ids_only_where_markdown_puts_them():
    html = render_markdown('<p id="main">x</p>\n\n## Outline\n\nText[^1]\n\n[^1]: A note.\n')
    assert 'id="main"' not in html
    assert '<h2 id="outline">' in html and 'id="fn:1"' in html and 'href="#fn:1"' in html


def test_templates_escape_everything_and_never_mark_data_safe():
    import re
    import runpy

    from conftest import ROOT
    settings = runpy.run_path(str(ROOT / "pelicanconf.py"))
    assert settings["JINJA_ENVIRONMENT"]["autoescape"] is True
    root = ROOT / "theme" / "templates"
    for template in root.rglob("*.html"):
        source = template.read_text(encoding="utf-8")
        assert not re.search(r"\|\s*safe\b|autoescape\s+false|Markup\s*\(", source), template
