"""The collections' open data: meetings, methodologies, projects and their certifications,
providers and regional schemes, declared to the open-data catalogue as tables."""

import datetime as dt

from pelican import signals
from pelican.generators import Generator

from opendata import declare_all, keyed, last_changed
from site_pages.pages import remembered

from . import tables


class CollectionDataGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        today = dt.date.fromisoformat(self.settings["BUILD_DATE"])

        def entry(make, folder, *arguments, expiries=()):
            modified = last_changed(self.context, [folder], today, expiries)
            # Rows and digests of thousands of records: made again only when a record they read changed.
            table = remembered(self, f"dataset-{make.__name__}", lambda: keyed(make(site, *arguments), modified),
                               modified, *arguments)
            return table, folder, folder + "/", modified

        declare_all(self.context, [
            entry(tables.meetings, "meetings"),
            entry(tables.methodologies, "methodologies"),
            entry(tables.projects, "projects"),
            entry(tables.certifications, "projects"),
            entry(tables.providers, "providers", today,
                  expiries=[p.expires_on for p in site.all("providers") if p.get("expires_on")]),
            entry(tables.regional, "regional"),
        ])


def get_generators(pelican):
    return CollectionDataGenerator


def register():
    signals.get_generators.connect(get_generators)
