"""In the build: the day the Japanese changed, for the notices of stale English pages; and in
the internal preview only, the translators' status page at /translation-status/."""

from __future__ import annotations

from pathlib import Path

from pelican.generators import Generator

from site_pages.pages import render_page
from site_pages.routes import url_for

from .history import ContentHistory
from .status import counts, japanese_changed_on, translation_statuses

STATUS_PAGE = "translation-status/"


class TranslationGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        # The day the Japanese changed is part of what a page shows of a record, and the renderer
        # takes each record's digest once: so this runs before any plugin asks for one.
        if "jcredit_renderer" in self.context:
            raise RuntimeError("the translation plugin must come before the plugins that render or remember "
                               "(PLUGINS in pelicanconf.py)")
        self.history = ContentHistory(Path(self.settings["PATH"]))
        for items in site.records.values():
            for record in items:
                if record.translation == "stale":
                    record.translation_changed_on = japanese_changed_on(record, self.history)

    def generate_output(self, writer):
        if not self.settings["INTERNAL_BUILD"]:
            return  # translators' working list: never part of the public site
        statuses = translation_statuses(self.context["jcredit_site"], self.history, internal=True)
        order = {"stale": 0, "missing": 1, "current": 2}  # what needs a translator first
        statuses.sort(key=lambda status: (order[status.state], status.path))
        render_page(self, "translation_status", STATUS_PAGE,
                    {"statuses": statuses, "counts": counts(statuses), "url_for": url_for})


def get_generators(pelican):
    return TranslationGenerator
