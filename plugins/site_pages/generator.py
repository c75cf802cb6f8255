"""The Pelican generator: load and validate the content once, then render every route in
both languages and copy the attachments the published records reference."""

from __future__ import annotations

import datetime as dt
import logging
import shutil
from pathlib import Path

from markupsafe import Markup, escape
from jinja2 import pass_context
from pelican.generators import Generator

from model import VOCABULARIES, load_site
from model.publication import attachments, publishable
from model.text import render_markdown

from .routes import LANG_PREFIX, routes, url_for
from .sections import SECTIONS

logger = logging.getLogger(__name__)
LANGUAGES = ("ja", "en")


class SiteGenerator(Generator):
    def generate_context(self):
        self.build_date = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        self.internal_build = self.settings["INTERNAL_BUILD"]
        full = load_site(self.settings["PATH"])  # raises ContentError: nothing gets written
        self.site = publishable(full, self.internal_build)
        self.context["jcredit_site"] = self.site
        self._install_helpers()

    def _install_helpers(self):
        env = self.env
        env.globals.update(
            url=pass_context(lambda ctx, path: url_for(path, ctx["lang"])),
            t=pass_context(lambda ctx, record, *path: localized_text(record, ctx["lang"], path)),
            md=pass_context(lambda ctx, record, field="body", top=2: localized_markdown(record, ctx["lang"], field, top)),
            label=pass_context(lambda ctx, vocabulary, code: VOCABULARIES.label(vocabulary, code, ctx["lang"])),
            section=pass_context(lambda ctx, name: env.globals["translate"](ctx["lang"], SECTIONS[name])),
            vocab=VOCABULARIES,
            file_info=self.file_info,
        )
        env.tests["listed_on"] = lambda record, day: record.is_listed(day)

    def file_info(self, path: str) -> dict:
        size = (Path(self.settings["PATH"]) / path).stat().st_size
        return {"url": "/" + path, "format": Path(path).suffix.lstrip(".").upper(), "size": size}

    def generate_output(self, writer):
        output = Path(self.output_path)
        common = {"site": self.site, "build_date": self.build_date, "internal_build": self.internal_build,
                  "SITENAME": self.settings["SITENAME"]}
        for route in routes(self.site):
            template = self.get_template(route.template)
            for lang in LANGUAGES:
                context = {**common, **route.context, "lang": lang, "path": route.path,
                           "alternates": {other: url_for(route.path, other) for other in LANGUAGES}}
                if route.record is not None and lang == "en":
                    context["translation"] = route.record.translation
                html = template.render(context)
                target = output / LANG_PREFIX[lang] / route.path / "index.html"
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(html, encoding="utf-8")
        not_found = self.get_template("404")
        for lang in LANGUAGES:
            target = output / LANG_PREFIX[lang] / "404.html"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(not_found.render({**common, "lang": lang, "path": "404.html",
                                                "alternates": {o: url_for("404.html", o) for o in LANGUAGES}}),
                              encoding="utf-8")
        for relative in sorted(attachments(self.site)):
            target = output / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(Path(self.settings["PATH"]) / relative, target)


def _walk(value, path):
    for part in path:
        if value is None:
            return None
        try:
            value = value[part]
        except (KeyError, IndexError, TypeError):
            return None
    return value


def _pick(record, lang, path, source_key=None):
    """(value, fallen_back): the English overlay's text where it exists, else the Japanese."""
    japanese = _walk(record.data if source_key is None else {source_key: record.body}, path)
    if lang == "ja":
        return japanese, False
    overlay = record.overlay
    if source_key == "body" and record.collection.kind == "report":
        overlay = record.report_overlay  # a report's English body is its own report.md
    english = _walk(overlay, path) if overlay else None
    if english in (None, "", []):
        return japanese, japanese not in (None, "", [])
    return english, False


def localized_text(record, lang, path) -> Markup:
    value, fallback = _pick(record, lang, path)
    if value is None:
        return Markup("")
    if isinstance(value, list):
        value = "、".join(map(str, value)) if lang == "ja" or fallback else ", ".join(map(str, value))
    text = escape(str(value))
    return Markup(f'<span lang="ja">{text}</span>') if fallback else text


def localized_markdown(record, lang, field, top_heading) -> Markup:
    source_key = "body" if field == "body" else None
    value, fallback = _pick(record, lang, (field,), source_key)
    if not value:
        return Markup("")
    html = render_markdown(value, top_heading)
    return Markup(f'<div lang="ja">{html}</div>') if fallback else Markup(html)
