"""One generator that writes the list and detail pages of every collection, the Markdown
pages and news, in Japanese at / and English at /en/, and publishes referenced attachments.

Other plugins add pages the same way: a generator that reads `context["jcredit_site"]` and
calls `pages.render_page()`; the template helpers of `theme.py` are on every generator."""

from pelican import signals

from .generator import SiteGenerator
from .theme import install_helpers


def get_generators(pelican):
    return SiteGenerator


def install_on_generator(generator):
    install_helpers(generator.env, generator.settings)


def register():
    signals.generator_init.connect(install_on_generator)
    signals.get_generators.connect(get_generators)
