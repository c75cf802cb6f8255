"""Credit-sale offers (売り出しクレジット): what only offers need beyond their pages, which
site_pages renders: contract templates, open data, and the table's helpers for the theme."""

from pelican import signals

from .generator import OffersGenerator, install_helpers


def get_generators(pelican):
    return OffersGenerator


def register():
    signals.generator_init.connect(install_helpers)
    signals.get_generators.connect(get_generators)
