"""What templates can call: URLs, localized record text and Markdown, code-list labels,
section names and file facts. The file facts are installed on every generator's Jinja
environment; the rest speak the page's language and come with it (language_context), so any
plugin's pages render with the same vocabulary."""

from __future__ import annotations

import html as html_module
import re
from pathlib import Path, PurePosixPath

from markupsafe import Markup, escape

from model import VOCABULARIES
from model.text import render_markdown
from model.translation import has_text

from .routes import url_for
from .sections import N_, SECTIONS


def install_helpers(env, settings) -> None:
    content = Path(settings["PATH"])

    def file_info(path: str, record=None) -> dict:
        """{url, format, size, name} of an attachment; `record`, the one it belongs to, names it."""
        size = (content / path).stat().st_size
        return {"url": "/" + path, "format": Path(path).suffix.lstrip(".").upper(), "size": size,
                "name": attachment_name(record.id, path) if record is not None else None}

    env.globals.update(vocab=VOCABULARIES, file_info=file_info)
    env.tests["listed_on"] = lambda record, day: record.is_listed(day)
    env.tests["online_only"] = online_only


# A Japanese venue that says only that a meeting is held online, in the ways editors write it.
ONLINE_ONLY = re.compile(r"(?:オンライン|ウェブ|Web|WEB)(?:開催|会議|形式|のみ|で開催|による開催|開催のみ)?")


def online_only(venue) -> bool:
    """Whether a venue says only that the meeting is held online (オンライン開催): on an English
    page or calendar, "Online" says it in the reader's language."""
    return bool(ONLINE_ONLY.fullmatch("".join(str(venue or "").split())))


def attachment_name(record_id: str, path: str) -> str:
    """The name an attachment is saved under: the file's own name, with its record's id in front
    unless it starts with it already (steering-039-shiryo1.pdf, not one shiryo1.pdf per meeting;
    FO-001_ver3.0.pdf stays), as an offer's contract carries the offer's id. An attachment is
    the same file on both languages' pages, so it has no -en name of its own."""
    name = PurePosixPath(path).name
    named = name.startswith(record_id) and name[len(record_id):][:1] in ("", ".", "_", "-")
    return name if named else f"{record_id}-{name}"


def language_context(env, lang: str) -> dict:
    """The page's language, and the helpers that speak it (gettext too), bound to it. Plain
    functions: Jinja called a context-taking helper in a loop with a copy of the whole context,
    and a list of a thousand offers made 18,000 copies (a third of its rendering)."""
    translate = env.globals["translate"]
    return {"lang": lang, **env.globals["gettext_in"](lang),
            "url": lambda path: url_for(path, lang),
            "t": lambda record, *path: localized_text(record, lang, path),
            "untranslated": lambda record, *path: pick(record, lang, path)[1],
            "md": lambda record, field="body", top=2, named_by=None, under=None:
                localized_markdown(record, lang, field, top, named_by, under, translate),
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


def localized_markdown(record, lang, field, top_heading, named_by=None, under=None, translate=None) -> Markup:
    """A Markdown field in `lang` as safe HTML. `named_by`: the id of the page's element that
    names the text (an FAQ's question, the page's title), which names its tables where no
    heading of the text does. `under`: the message of the heading the page shows the text
    under, which a heading leading the text only repeats (an editor's "## 議事概要" in the
    minutes, shown under the page's own 議事概要): left out."""
    source_key = "body" if field == "body" else None
    value, fallback = pick(record, lang, (field,), source_key)
    if not value:
        return Markup("")
    if under:
        value = without_leading_heading(value, {under, translate(lang, under)})
    html = pages_in(render_markdown(value, top_heading), lang)
    if _UNNAMED_TABLE in html:
        text_lang = "ja" if fallback else lang  # the label is read in the text's language
        html = named_tables(html, named_by, lambda caption: translate(text_lang, TABLE_CAPTIONED) % {"caption": caption}
                            if caption else translate(text_lang, TABLE))
    return Markup(f'<div lang="ja">{html}</div>') if fallback else Markup(html)


# A leading ATX ("## 議事概要 ##") or setext ("議事概要" over "----") heading, and its text.
_LEADING_HEADING = re.compile(r"\A\s*(?: {0,3}#{1,6}[ \t]+(?P<atx>[^\n]*?)(?:[ \t]+#+)?"
                              r"|(?P<setext>[^\n]+)\n {0,3}(?:=+|-+))[ \t]*(?:\n|\Z)")


def without_leading_heading(text: str, headings: set[str]) -> str:
    """Markdown `text` without its first line if that is a heading saying one of `headings`
    (compared without case and spacing); the text's other headings keep their levels below
    the page's, as render_markdown shifts them from the highest one left."""
    match = _LEADING_HEADING.match(text)
    if not match:
        return text
    said = match.group("atx") if match.group("atx") is not None else match.group("setext") or ""
    same = {" ".join(heading.split()).casefold() for heading in headings}
    return text[match.end():] if " ".join(said.split()).casefold() in same else text


# model.text wraps a table in a focusable region, named by the text's heading above it; a table
# with no heading above is left as this, for the page to name (named_tables).
_UNNAMED_TABLE = '<div class="table-wrap" tabindex="0">'
TABLE, TABLE_CAPTIONED = N_("表"), N_("表：%(caption)s")
_UNNAMED_TABLE_AND_CAPTION = re.compile(re.escape(_UNNAMED_TABLE) + r"(<table>\s*(?:<caption>(.*?)</caption>)?)", re.S)


def named_tables(html: str, named_by: str | None, label) -> str:
    """Every table region in `html` named (a keyboard stop with no name says nothing of where
    it leads): by the element `named_by` of the page, else `label(caption)` (表：…, Table: …)."""
    def name(match: re.Match) -> str:
        if named_by:
            named = f'aria-labelledby="{escape(named_by)}"'
        else:
            caption = " ".join(html_module.unescape(re.sub(r"<[^>]+>", "", match.group(2) or "")).split())
            named = f'aria-label="{escape(label(caption))}"'
        return f'<div class="table-wrap" role="region" {named} tabindex="0">{match.group(1)}'

    return _UNNAMED_TABLE_AND_CAPTION.sub(name, html)


# A link to one of this site's pages in rendered Markdown (nh3's output: attributes quoted):
# /faqs/, /, /offers/x/#terms; not files (/offers/offers.csv, /files/...) nor /en/ already.
_PAGE_LINK = re.compile(r'href="/(?!en/|en"|en#)((?:[^"#?]*/)?(?:[?#][^"]*)?)"')


def pages_in(html: str, lang: str) -> str:
    """`html` with its links to this site's pages leading to the pages in `lang`: a translator
    copies the Japanese text's /faqs/, and an English reader means /en/faqs/. Files stay."""
    if lang == "ja" or 'href="/' not in html:
        return html
    return _PAGE_LINK.sub(lambda m: f'href="{url_for(m.group(1), lang)}"', html)
