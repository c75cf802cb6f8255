"""The NDC comparison's open data (all submissions as CSV, XLSX and JSON; the chart's data as
CSV) and the template helpers that word targets and changes in the page's language.

The pages themselves (/international/ndc/ and one per party) are routes of site_pages."""

from pelican import signals


from .generator import NdcDataGenerator
from .helpers import install_helpers


def get_generators(pelican):
    return NdcDataGenerator


def install_on_generator(generator):
    install_helpers(generator.env)


def register():
    signals.generator_init.connect(install_on_generator)
    signals.get_generators.connect(get_generators)
