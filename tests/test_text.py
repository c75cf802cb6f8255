"""Markdown from editors becomes safe HTML with a sound heading outline."""

from model.text import render_markdown


def test_hostile_html_is_removed():
    html = render_markdown(
        "本文<script>alert(1)</script>\n\n<a href=\"javascript:alert(1)\" onclick=\"x()\">x</a>"
        " <img src=\"https://evil.example/p.png\" alt=\"p\"> <iframe src=\"/x\"></iframe>"
        " <p style=\"color:red\">赤</p>")
    for bad in ("<script", "javascript:", "onclick", "evil.example", "<iframe", "style="):
        assert bad not in html
    assert "本文" in html and "赤" in html


def test_local_images_links_and_tables_survive():
    html = render_markdown("[資料](/files/a.pdf)\n\n![図](/files/fig.png)\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert '<a href="/files/a.pdf" rel="noopener noreferrer">資料</a>' in html
    assert '<img alt="図" src="/files/fig.png">' in html
    assert "<table>" in html and "<td>1</td>" in html


def test_headings_start_below_the_heading_they_sit_under():
    assert "<h3" in render_markdown("## 議事概要\n\n### 詳細\n", top_heading=3)
    html = render_markdown("# 見出し\n\n## 小見出し\n", top_heading=2)
    assert "<h2" in html and "<h3" in html and "<h1" not in html
    assert "<h4" in render_markdown("#### 深い見出し\n", top_heading=2)  # never raised
