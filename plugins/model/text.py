"""Markdown to safe HTML: rendered by Python-Markdown, then cleaned with an nh3 allow-list."""

from __future__ import annotations

import hashlib
import re

import markdown
import nh3

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "details", "dl", "dt",
    "em", "figcaption", "figure", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "small", "strong", "sub", "summary",
    "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"id", "lang"},
}
EXTENSIONS = ["tables", "fenced_code", "footnotes", "sane_lists", "def_list", "abbr", "toc"]
EXTENSION_CONFIGS = {"toc": {"permalink": False, "slugify": lambda value, sep: _anchor(value)}}


def _anchor(value: str) -> str:
    ascii_slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    return ascii_slug or "h-" + hashlib.sha1(value.encode("utf-8")).hexdigest()[:8]


def _external_image(tag, name, value):
    # Images may only come from this site: a reader's browser must not contact another host.
    if tag == "img" and name == "src" and ("//" in value or value.startswith("data:")):
        return None
    return value


_HEADING = re.compile(r"<(/?)h([1-6])\b")


def _shift_headings(html: str, top: int) -> str:
    """Make the highest heading in `html` an h<top>, keeping the page's heading order intact."""
    levels = [int(level) for _, level in _HEADING.findall(html)]
    if not levels or min(levels) >= top:
        return html
    shift = top - min(levels)
    return _HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


def render_markdown(text: str, top_heading: int = 2) -> str:
    """Safe HTML for Markdown written by editors; raw HTML outside the allow-list is dropped.

    `top_heading` is the level the text's own headings start at where it is shown (2 under a
    page's h1, 3 inside a section), so that editors' `#` and `##` never break the outline.
    """
    html = markdown.markdown(text, extensions=EXTENSIONS, extension_configs=EXTENSION_CONFIGS,
                             output_format="html")
    html = _shift_headings(html, top_heading)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_external_image,
        strip_comments=True,
    )
