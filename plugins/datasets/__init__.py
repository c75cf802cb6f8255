"""The collections' open data: meetings, methodologies, projects and their certifications,
providers and regional schemes, declared to the open-data catalogue as tables."""

import datetime as dt

from pelican import signals
from pelican.generators import Generator

from opendata import declare, last_changed

from . import tables


class CollectionDataGenerator(Generator):
    def generate_context(self):
        site = self.context["jcredit_site"]
        today = dt.date.fromisoformat(self.settings["BUILD_DATE"])

        def publish(table, folder, sources):
            declare(self.context, table, folder, folder + "/", last_changed(site.root, sources, today))

        publish(tables.meetings(site), "meetings", ["meetings"])
        publish(tables.methodologies(site), "methodologies", ["methodologies"])
        publish(tables.projects(site), "projects", ["projects"])
        publish(tables.certifications(site), "projects", ["projects"])
        publish(tables.providers(site, today), "providers", ["providers"])
        publish(tables.regional(site), "regional", ["regional"])


def get_generators(pelican):
    return CollectionDataGenerator


def register():
    signals.get_generators.connect(get_generators)
