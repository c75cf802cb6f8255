"""The statistics page (/statistics/): the scheme's figures as SVG charts drawn at build time,
each with its text alternative and its data published as open data named after the chart."""

import datetime as dt

from pelican import signals
from pelican.generators import Generator

from opendata import declare, last_changed
from site_pages.pages import remembered, render_page, write_file
from site_pages.routes import LANG_PREFIX

from . import figures

FOLDER = "statistics"


class StatisticsGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        today = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        # Walks every project and certification: made again only when one of them changed.
        self.charts, self.summary = remembered(self, "statistics",
                                               lambda: (figures.charts(site), figures.summary(site)))
        modified = last_changed(self.context, ["projects"], today)
        for chart in self.charts:
            declare(self.context, chart.table(), FOLDER, FOLDER + "/", modified)

    def generate_output(self, writer):
        for chart in self.charts:
            for lang, prefix in LANG_PREFIX.items():
                write_file(self, f"{prefix}{FOLDER}/{chart.name}.svg", chart.svg(lang))
        render_page(self, "statistics", FOLDER + "/",
                    {"charts": self.charts, "figures": self.summary})


def get_generators(pelican):
    return StatisticsGenerator


def register():
    signals.get_generators.connect(get_generators)
