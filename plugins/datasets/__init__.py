"""The collections' open data: meetings, methodologies, projects and their certifications,
providers and regional schemes, declared to the open-data catalogue as tables."""

import datetime as dt

from pelican import signals
from pelican.generators import Generator

from opendata import declare_all, last_changed

from . import tables


class CollectionDataGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        today = dt.date.fromisoformat(self.settings["BUILD_DATE"])

        def entry(table, folder):
            return table, folder, folder + "/", last_changed(site.root, [folder], today)

        declare_all(self.context, [
            entry(tables.meetings(site), "meetings"),
            entry(tables.methodologies(site), "methodologies"),
            entry(tables.projects(site), "projects"),
            entry(tables.certifications(site), "projects"),
            entry(tables.providers(site, today), "providers"),
            entry(tables.regional(site), "regional"),
        ])


def get_generators(pelican):
    return CollectionDataGenerator


def register():
    signals.get_generators.connect(get_generators)
