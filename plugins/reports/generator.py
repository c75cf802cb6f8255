"""Makes every report's downloads while contexts are generated (pages state their sizes), and
writes them with the rest of the output."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pelican.generators import Generator

from opendata import declare_made
from opendata.published import announce
from site_pages.pages import common_context, write_file
from site_pages.theme import language_context
from site_pages.routes import absolute_origin, url_for

from . import files
from .pdf import PDFS, render_pdf


class ReportFilesGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        build_date = dt.date.fromisoformat(self.settings["BUILD_DATE"])
        stylesheet = Path(self.settings["THEME"]) / "static" / "css" / "report-print.css"
        template = self.get_template("report_print")
        self.files = {}
        for record in site.all("reports"):
            page_url = absolute_origin(self.settings) + url_for(record.url_path, "ja")  # read away from the site
            self.files.update(files.data_files(record, page_url, build_date))
            for dataset in files.figure_datasets(record, build_date):
                declare_made(self.context, dataset)  # catalogued, announced and written as open data
            html = template.render({**common_context(self), **language_context(self.env, "ja"), "record": record})
            self.files[files.pdf_path(record)] = render_pdf(html, stylesheet)
        PDFS.prune()
        announce(self.context, self.files)

    def generate_output(self, writer):
        for relative, data in sorted(self.files.items()):
            write_file(self, relative, data)
