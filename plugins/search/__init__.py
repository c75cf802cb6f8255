"""Site search: Pagefind's extended build (Japanese word segmentation) indexes the finished
output, one index per `<html lang>`, and a character-pair bundle (bigrams.py) makes Japanese
queries exact; the search page at /search/ queries both with our own small script
(theme/static/js/search.js), so it runs under a CSP with no inline script or style. Pages
opt in with `data-pagefind-body` (base.html puts it on <main>)."""

import logging
import shutil
import tempfile
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from site_pages.pages import render_page

from .bigrams import BUNDLE, finish, start_pagefind, tidy_bundle, write_bigram_index

logger = logging.getLogger(__name__)


class SearchPageGenerator(Generator):
    def generate_output(self, writer):
        render_page(self, "search", "search/")


def index_output(pelican) -> None:
    """Index the finished pages. A fresh folder is indexed now, before the output checks; an
    in-place update only once its pages are on disk, and only if a page changed."""
    output = pelican.settings.get("JCREDIT_OUTPUT")
    if output is None or not output.staged:
        index_folder(pelican.output_path)
    elif output.pages_changed():
        output.after_commit.append(lambda: index_folder(output.root))


def index_folder(folder) -> None:
    """Write the search bundles, folder/pagefind/ and folder/pagefind-bigram/, side by side
    (the first only reads the site's HTML, the second a copy of its own). Each is made in a
    fresh folder and swapped in: Pagefind names files by content and never removes old ones."""
    folder = Path(folder)
    with tempfile.TemporaryDirectory(dir=folder.parent, prefix=".search-") as staging:
        staging = Path(staging)
        words = start_pagefind(folder, "--output-path", str(staging / "pagefind"))
        pages = write_bigram_index(folder, staging / BUNDLE)
        finish(words)
        for bundle in ("pagefind", BUNDLE):
            tidy_bundle(staging / bundle)
            shutil.rmtree(folder / bundle, ignore_errors=True)
            (staging / bundle).rename(folder / bundle)
    logger.info("search indexes written to %s: %d pages", folder, pages)


def get_generators(pelican):
    return SearchPageGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.finalized.connect(index_output)
