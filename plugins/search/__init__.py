"""Site search: Pagefind indexes the finished pages, in shards per language (shards.py), each
page as its words and its Japanese text as character pairs (bigrams.py), which makes
Japanese queries exact; the search page at /search/ queries them with our own small script
(theme/static/js/search.js), so it runs under a CSP with no inline script or style. Pages
opt in with `data-pagefind-body` (base.html puts it on <main>)."""

import os
import shutil
import tempfile
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from site_pages.pages import render_page

from .shards import SearchIndex, read_page


class SearchPageGenerator(Generator):
    def generate_output(self, writer):
        render_page(self, "search", "search/")


def index_output(pelican) -> None:
    """Index the pages while the finished output is checked (scripts/build.py), into a staging
    area put in place once the output is committed, and only if a page changed."""
    output = pelican.settings.get("JCREDIT_OUTPUT")
    cache = pelican.settings["CACHE_PATH"]
    if output is None:  # Pelican run by itself: index every page
        index_folder(pelican.output_path, cache)
        return
    if not output.pages_changed():
        return
    index = SearchIndex(cache, output.state.output)

    def install(prepared) -> None:
        shutil.rmtree(output.root / "pagefind-bigram", ignore_errors=True)  # the layout before shards
        index.install(output.root, prepared)

    output.beside_checks.append((lambda: index.prepare(output.read, output.digests, output.root, output.indexed),
                                 install, index.discard))


def read_ahead(pelican) -> None:
    """Have pages made before the index read for it where they are made (Output.index_ahead)."""
    output = pelican.settings.get("JCREDIT_OUTPUT")
    if output is not None:
        output.index_ahead = read_page


def index_folder(folder, cache: str | Path | None = None) -> int:
    """Index every page under `folder`; returns how many shards were written."""
    folder = Path(folder)
    pages = {}
    for directory, _, files in os.walk(folder):
        for name in files:
            if name.endswith(".html"):
                pages[(Path(directory) / name).relative_to(folder).as_posix()] = None
    if cache is not None:
        return SearchIndex(cache, folder).update(folder, pages)
    with tempfile.TemporaryDirectory() as temporary:
        return SearchIndex(temporary, folder).update(folder, pages)


def get_generators(pelican):
    return SearchPageGenerator


def register():
    signals.get_generators.connect(get_generators)
    signals.initialized.connect(read_ahead)
    signals.finalized.connect(index_output)
