"""What templates can call: URLs, localized record text and Markdown, code-list labels,
section names and file facts. Installed on every generator's Jinja environment, so any
plugin's pages render with the same vocabulary."""

from __future__ import annotations

from pathlib import Path

from jinja2 import pass_context
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

    env.globals.update(
        url=pass_context(lambda ctx, path: url_for(path, ctx["lang"])),
        t=pass_context(lambda ctx, record, *path: localized_text(record, ctx["lang"], path)),
        md=pass_context(lambda ctx, record, field="body", top=2:
                        localized_markdown(record, ctx["lang"], field, top)),
        label=pass_context(lambda ctx, vocabulary, code: VOCABULARIES.label(vocabulary, code, ctx["lang"])),
        section=pass_context(lambda ctx, name: env.globals["translate"](ctx["lang"], SECTIONS[name])),
        vocab=VOCABULARIES,
        file_info=file_info,
    )
    env.tests["listed_on"] = lambda record, day: record.is_listed(day)


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
    html = render_markdown(value, top_heading)
    return Markup(f'<div lang="ja">{html}</div>') if fallback else Markup(html)
