"""The Pelican generator: load and validate the content once, then render every route in
both languages and publish the attachments the published records reference."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from model import ContentError, Problem, load_site
from model.publication import attachments, publishable, withheld
from model.parallel import keep_alive
from model.site import display, files_below, judged
from model.text import is_inside

from .pages import Renderer, output_of, write_file
from .routes import routes

logger = logging.getLogger(__name__)


class SiteGenerator(Generator):
    def generate_context(self):
        # raises ContentError: nothing gets written. Where nothing is published before the
        # build's commit, the checks that only judge the records go on beside it.
        sink = output_of(self)
        full = load_site(self.settings["PATH"], cache_dir=self.settings["CACHE_PATH"], beside=sink.publishes_at_commit)
        _tell(full.warnings)
        if full.judging is not None:
            sink.verdicts.append(lambda: _tell(judged(full)))
        self.context["jcredit_site"] = publishable(full, self.settings["INTERNAL_BUILD"])
        self.withheld = set() if self.settings["INTERNAL_BUILD"] else withheld(full)
        keep_alive()  # the loaded site and its caches live as long as the build

    def generate_output(self, writer):
        site = self.context["jcredit_site"]
        renderer = Renderer.of(self)
        jobs = [job for route in routes(site)
                for job in renderer.jobs(self, route.template, route.path, route.context, route.record)]
        jobs += list(renderer.jobs(self, "404", "", file_name="404.html"))
        rendered = renderer.render_all(self, jobs)
        logger.info("rendered %d of %d pages", rendered, len(jobs))
        content = Path(self.settings["PATH"])
        published = sorted(attachments(site))
        refused = [relative for relative in published if relative in self.withheld or not is_inside(relative)]
        if refused:  # validation says where, on the line; this holds whatever it may have missed
            raise ContentError([Problem(display(content / relative), 1, "", "公開しない項目のファイルか、フォルダの外のファイルです。公開できません",
                                        "a file an internal item keeps, or out of the content folder: it cannot be published")
                                for relative in refused])
        for relative in published:
            write_file(self, relative, (content / relative).read_bytes())
        # The theme's own files, through the build's Output like every other file (Pelican's
        # copy rewrote them into the live folder on every build: before the checks, and with a
        # new time that made the checks read them again).
        static = Path(self.settings["THEME"]) / "static"
        for relative in sorted(files_below(static)):
            write_file(self, f"{self.settings['THEME_STATIC_DIR']}/{relative}", (static / relative).read_bytes())


def _tell(warnings) -> None:
    for warning in warnings:
        logger.warning("%s", warning)
