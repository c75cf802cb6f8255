"""One generator that writes the list and detail pages of every collection, the Markdown
pages and news, in Japanese at / and English at /en/, and publishes referenced attachments."""

from pelican import signals

from .generator import SiteGenerator


def get_generators(pelican):
    return SiteGenerator


def register():
    signals.get_generators.connect(get_generators)
