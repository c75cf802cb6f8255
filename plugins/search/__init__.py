"""Site search: Pagefind's extended build (Japanese word segmentation) indexes the finished
output, one index per `<html lang>`, and a character-pair bundle (bigrams.py) makes Japanese
queries exact; the search page at /search/ queries both with our own small script
(theme/static/js/search.js), so it runs under a CSP with no inline script or style. Pages
opt in with `data-pagefind-body` (base.html puts it on <main>)."""

import logging

from pelican import signals
from pelican.generators import Generator

from site_pages.pages import render_page

from .bigrams import finish, start_pagefind, write_bigram_index

logger = logging.getLogger(__name__)


class SearchPageGenerator(Generator):
    def generate_output(self, writer):
        render_page(self, "search", "search/")


def index_output(pelican) -> None:
    """Write the search bundles, output/pagefind/ and output/pagefind-bigram/, side by side
    (the first only reads the site's HTML, the second a copy of its own)."""
    words = start_pagefind(pelican.output_path)
    pages = write_bigram_index(pelican.output_path)
    finish(words)
    logger.info("search indexes written to %s: %d pages", pelican.output_path, pages)


def get_generators(pelican):
    return SearchPageGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_output)
