"""Writes every declared dataset (CSV, XLSX, JSON in both languages), the catalogue page at
/opendata/ and its DCAT description at /opendata/catalog.json."""

from __future__ import annotations

import datetime as dt
import json

from pelican.generators import Generator

from site_pages.pages import render_page, write_file
from site_pages.routes import absolute_origin

from .catalog import LICENCE_URL, dcat, declared, json_ld
from .tables import TABLES, WORKBOOKS


class OpenDataGenerator(Generator):
    def generate_output(self, writer):
        datasets = declared(self.context)
        sizes = {}
        for dataset in datasets:
            for relative, data in dataset.files.items():
                write_file(self, relative, data)
                sizes[relative] = len(data)
        catalog = dcat(datasets, sizes, absolute_origin(self.settings))  # DCAT's URLs are IRIs: absolute
        write_file(self, "opendata/catalog.json",
                   json.dumps(catalog, ensure_ascii=False, indent=1) + "\n")
        render_page(self, "opendata", "opendata/", {"datasets": datasets, "sizes": sizes,
                                                    "catalog_json_ld": json_ld(catalog),
                                                    "licence_url": LICENCE_URL})
        for cache in (WORKBOOKS, TABLES):  # every table and workbook of this build is made by now (reports' too)
            cache.prune()
