"""Makes the NDC open data while contexts are generated (so pages can state each file's size),
and writes it with the rest of the output."""

from __future__ import annotations

import datetime as dt

from pelican.generators import Generator

from opendata import table_files
from opendata.published import announce
from opendata.tables import csv_bytes
from site_pages.pages import write_file
from site_pages.routes import LANG_PREFIX
from site_pages.theme import pick

from .tables import CHART_NAME, FOLDER, chart_table, ndc_table


def localized(record, lang, path):
    value, _ = pick(record, lang, path)
    return value


class NdcDataGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        translate = self.env.globals["translate"]
        build_date = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        self.files = {}
        if not site.all("ndc"):
            return
        self.files.update(table_files(ndc_table(site, translate, localized), FOLDER, build_date))
        chart = chart_table(site, translate)
        for lang, prefix in LANG_PREFIX.items():
            self.files[f"{prefix}{FOLDER}/{CHART_NAME}.csv"] = csv_bytes(chart, lang)
        announce(self.context, self.files)

    def generate_output(self, writer):
        for relative, data in sorted(self.files.items()):
            write_file(self, relative, data)
