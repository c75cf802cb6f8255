"""What templates can call: URLs, localized record text and Markdown, code-list labels,
section names and file facts. The file facts are installed on every generator's Jinja
environment; the rest speak the page's language and come with it (language_context), so any
plugin's pages render with the same vocabulary."""

from __future__ import annotations

import re
from pathlib import Path

from markupsafe import Markup, escape

from model import VOCABULARIES
from model.text import render_markdown
from model.translation import has_text

from .routes import url_for
from .sections import SECTIONS


def install_helpers(env, settings) -> None:
    content = Path(settings["PATH"])

    def file_info(path: str) -> dict:
        size = (content / path).stat().st_size
        return {"url": "/" + path, "format": Path(path).suffix.lstrip(".").upper(), "size": size}

    env.globals.update(vocab=VOCABULARIES, file_info=file_info)
    env.tests["listed_on"] = lambda record, day: record.is_listed(day)


def language_context(env, lang: str) -> dict:
    """The page's language, and the helpers that speak it (gettext too), bound to it. Plain
    functions: Jinja called a context-taking helper in a loop with a copy of the whole context,
    and a list of a thousand offers made 18,000 copies (a third of its rendering)."""
    translate = env.globals["translate"]
    return {"lang": lang, **env.globals["gettext_in"](lang),
            "url": lambda path: url_for(path, lang),
            "t": lambda record, *path: localized_text(record, lang, path),
            "md": lambda record, field="body", top=2: localized_markdown(record, lang, field, top),
            "label": lambda vocabulary, code: VOCABULARIES.label(vocabulary, code, lang),
            "section": lambda name: translate(lang, SECTIONS[name])}


def _walk(value, path):
    for part in path:
        if value is None:
            return None
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def pick(record, lang, path, source_key=None):
    """(value, fallen_back): the English overlay's text where it exists, else the Japanese."""
    japanese = _walk(record.data if source_key is None else {source_key: record.body}, path)
    if lang == "ja":
        return japanese, False
    overlay = record.overlay
    if source_key == "body" and record.collection.kind == "report":
        overlay = record.report_overlay  # a report's English body is its own report.md
    english = _walk(overlay, path) if overlay else None
    if not has_text(english) or isinstance(english, list) and not all(map(has_text, english)):
        return japanese, japanese not in (None, "", [])  # not (wholly) translated yet
    return english, False


def localized_text(record, lang, path) -> Markup:
    value, fallback = pick(record, lang, path)
    if value is None:
        return Markup("")
    if isinstance(value, list):
        value = "、".join(map(str, value)) if lang == "ja" or fallback else ", ".join(map(str, value))
    text = escape(str(value))
    return Markup(f'<span lang="ja">{text}</span>') if fallback else text


def localized_markdown(record, lang, field, top_heading) -> Markup:
    source_key = "body" if field == "body" else None
    value, fallback = pick(record, lang, (field,), source_key)
    if not value:
        return Markup("")
    html = pages_in(render_markdown(value, top_heading), lang)
    return Markup(f'<div lang="ja">{html}</div>') if fallback else Markup(html)


# A link to one of this site's pages in rendered Markdown (nh3's output: attributes quoted):
# /faqs/, /, /offers/x/#terms; not files (/offers/offers.csv, /files/...) nor /en/ already.
_PAGE_LINK = re.compile(r'href="/(?!en/|en"|en#)((?:[^"#?]*/)?(?:[?#][^"]*)?)"')


def pages_in(html: str, lang: str) -> str:
    """`html` with its links to this site's pages leading to the pages in `lang`: a translator
    copies the Japanese text's /faqs/, and an English reader means /en/faqs/. Files stay."""
    if lang == "ja" or 'href="/' not in html:
        return html
    return _PAGE_LINK.sub(lambda m: f'href="{url_for(m.group(1), lang)}"', html)
