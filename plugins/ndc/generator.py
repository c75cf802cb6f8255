"""Declares the NDC open data (the targets, and the chart's data) while contexts are generated,
so that pages can state each file's size (the opendata plugin writes and catalogues them), and
writes the comparison chart as SVG in both languages."""

from __future__ import annotations

import datetime as dt

from pelican.generators import Generator

from opendata.catalog import declare, last_changed
from site_pages.pages import write_file
from site_pages.routes import LANG_PREFIX
from site_pages.theme import pick

from .chart import ndc_chart
from .tables import CHART_NAME, FOLDER, chart_table, ndc_table


def localized(record, lang, path):
    value, _ = pick(record, lang, path)
    return value


class NdcDataGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        translate = self.env.globals["translate"]
        self.chart = ndc_chart(site, translate) if site.all("ndc") else None
        if not site.all("ndc"):
            return
        build_date = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        modified = last_changed(self.context, [FOLDER], build_date)
        declare(self.context, ndc_table(site, translate, localized), FOLDER, FOLDER + "/", modified)
        declare(self.context, chart_table(site, translate), FOLDER, FOLDER + "/", modified)

    def generate_output(self, writer):
        if self.chart is not None:
            for lang, prefix in LANG_PREFIX.items():
                write_file(self, f"{prefix}{FOLDER}/{CHART_NAME}.svg", self.chart.svg(lang))
