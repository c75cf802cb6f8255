"""Markdown to safe HTML: rendered by Python-Markdown, then cleaned with an nh3 allow-list."""

from __future__ import annotations

import functools
import hashlib
import re
from html import escape as html_escape, unescape as html_unescape

import lxml.etree
import lxml.html
import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "small", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
# `id` only where Markdown itself puts one (headings for anchors, footnotes); the output scan
# catches an id that still collides with one of the page's own.
_ANCHORED = {"h2", "h3", "h4", "h5", "h6", "li", "sup"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    **{tag: {"id"} for tag in _ANCHORED},
    "*": {"lang"},
}
URL_SCHEMES = {"https", "http", "mailto"}
EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists", "def_list", "abbr", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "slugify": lambda value, sep: _anchor(value)}}


def _anchor(value: str) -> str:
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return ascii_slug or "h-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]


def is_inside(relative: str) -> bool:
    """Whether the path `relative` names a file inside a folder as written: not absolute, no
    `..`, `.` or empty part, no backslash (which some tools read as a separator). An
    attachment's path is copied to the output as written, and every output file is one."""
    return bool(relative) and "\\" not in relative and all(part not in ("", ".", "..") for part in relative.split("/"))


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def is_same_site(url: str) -> bool:
    """True if `url` can only lead into this site: no scheme, no host, nothing a browser rewrites.

    Browsers read `https:host/x`, `\\\\host/x` and `/\\host/x` as other hosts and drop tabs
    and newlines, so a check for "//" alone lets them through.
    """
    if "\\" in url or any(ord(c) <= 0x20 or ord(c) == 0x7F for c in url):
        return False
    return not _SCHEME.match(url) and not url.startswith("//")


def _url_filter(tag, name, value):
    if tag == "img" and name == "src" and not is_same_site(value):
        return None  # images only from this site: a reader's browser must not contact another host
    if tag == "a" and name == "href" and ("\\" in value or any(ord(c) < 0x20 for c in value)):
        return None  # a link that reads one way and goes another
    return value


_HEADING = re.compile(r"<(/?)h([1-6])\b")
_SOURCELESS_IMAGE = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")  # on nh3's output: attributes quoted, no ">" inside


def _shift_headings(html: str, top: int) -> str:
    """Make the highest heading in `html` an h<top>, keeping the page's heading order intact."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels or min(levels) >= top:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


@functools.lru_cache(maxsize=None)
def _converter() -> markdown.Markdown:
    """One converter per process, reset before each text: setting up the extensions costs
    more than converting a news item."""
    return markdown.Markdown(extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS, output_format="html")


def render_markdown(text: str, top_heading: int = 2) -> str:
    """Safe HTML for Markdown written by editors; raw HTML outside the allow-list is dropped.

    `top_heading` is the level the text's own headings start at where it is shown (2 under a
    page's h1, 3 inside a section), so that editors' `#` and `##` never break the outline.
    """
    html = _converter().reset().convert(text)
    html = _shift_headings(html, top_heading)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        attribute_filter=_url_filter,
        strip_comments=True,
    )
    clean = _SOURCELESS_IMAGE.sub("", clean)  # an image from another host has lost its src: nothing to show
    return _wrap_tables(clean) if "<table" in clean else clean


# On nh3's output, which the tokens below find as written: tags lower case, attributes quoted.
# A paragraph of its own just above or below a table that says what the table is (表：…, 表1：…,
# Table: …, Table 2-1: …) is the table's caption, as its editor meant it.
_CAPTION_TEXT = r"(?:表|Table)\s*(?:[0-9０-９]+(?:[-－.．][0-9０-９]+)*)?\s*[：:][^<]+"
_TABLE_OR_HEADING = re.compile(rf'<h[2-6] id="([^"]+)"|(?:<p>(?P<before>{_CAPTION_TEXT})</p>\s*)?<table>'
                               rf'(?P<table>.*?)</table>(?:\s*<p>(?P<after>{_CAPTION_TEXT})</p>)?', re.S)


def _wrap_tables(html: str) -> str:
    """Each table in a region of its own that scrolls sideways on a narrow screen (WCAG 1.4.10:
    the page itself never does) and takes the keyboard's focus to scroll by; the region is
    named by the table's caption, else by the text's heading above the table, as the site's
    own tables are by their captions."""
    heading = None

    def wrap(match: re.Match) -> str:
        nonlocal heading
        if match.group(1):
            heading = match.group(1)
            return match.group(0)
        caption = match["before"] or match["after"]
        if caption:
            named = f' role="region" aria-label="{html_escape(html_unescape(caption))}"'
            caption = f"<caption>{caption}</caption>"
        else:
            named = f' role="region" aria-labelledby="{heading}"' if heading else ""
        return f'<div class="table-wrap"{named} tabindex="0"><table>{caption or ""}{match["table"]}</table></div>'

    return _TABLE_OR_HEADING.sub(wrap, html)


# What an editor means to publish and the allow-list would drop without a word: elements that
# run, embed or submit, and attributes and URLs a reader's browser must not act on.
REFUSED_TAGS = {"script", "style", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
                "button", "textarea", "select", "link", "meta", "base", "svg", "math", "video", "audio",
                "source", "track", "canvas", "template", "noscript", "portal"}


def refused_markup(text: str) -> list[tuple[str, str, str]]:
    """(what, Japanese, English) for each thing in Markdown `text` that render_markdown would
    drop: `what` is a piece of the text to find its line by."""
    html = _converter().reset().convert(text)
    if "<" not in html:
        return []
    found = []
    for element in lxml.html.fragment_fromstring(html, create_parent="div").iter(lxml.etree.Element):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag in REFUSED_TAGS:
            found.append((f"<{tag}", f"<{tag}> は本文に書けません（表示されません）", f"<{tag}> is not allowed in the text (it is not shown)"))
        for name, value in element.attrib.items():
            name = name.lower()
            if name.startswith("on") or name == "style":
                found.append((name, f"{name} 属性は書けません（表示されません）", f"the {name} attribute is not allowed (it is dropped)"))
            elif tag == "a" and name == "href" and _SCHEME.match(value.strip()) \
                    and value.strip().split(":", 1)[0].lower() not in URL_SCHEMES:
                scheme = value.strip().split(":", 1)[0]
                found.append((f"{scheme}:", f"{scheme}: のリンクは書けません（リンクになりません）",
                              f"{scheme}: links are not allowed (the link is dropped)"))
            elif tag == "img" and name == "src" and not is_same_site(value):
                found.append((value, f"画像はこのサイトのファイルにしてください（{value} は表示されません）",
                              f"images must be files of this site ({value} is not shown)"))
    return found
