"""`sitemap.xml`: every public page once per language, each with its `xhtml:link` hreflang
alternates, the same ones the pages' heads carry; `robots.txt` points crawlers at it. The
internal preview has no sitemap, and its robots.txt turns every crawler away."""

import hashlib
from pathlib import Path

from pelican import signals
from pelican.generators import Generator

from opendata.filecache import FileCache
from site_pages.pages import output_of, write_file

from .sitemap import MAX_URLS, public_pages, sitemap_xml

# Sitemaps by a hash of their pages: the list of pages seldom changes, and writing 18,000
# entries through lxml cost every rebuild a tenth of a second. In CACHE_PATH/sitemap.
SITEMAPS = FileCache(None, ".xml", keep_days=7)
CODE_VERSION = hashlib.sha256((Path(__file__).parent / "sitemap.py").read_bytes()).hexdigest()


class SitemapGenerator(Generator):
    """Runs after every generator that renders pages (its place in PLUGINS is last)."""

    def generate_output(self, writer):
        if self.settings["INTERNAL_BUILD"]:
            write_file(self, "robots.txt", "User-agent: *\nDisallow: /\n")  # the preview is never indexed
            return
        pages = public_pages(output_of(self))
        if len(pages) > MAX_URLS:
            raise ValueError(f"sitemap: {len(pages)} URLs is more than one file may hold ({MAX_URLS})")
        origin = self.settings["SITE_ORIGIN"]
        write_file(self, "sitemap.xml", SITEMAPS.make(FileCache.key(CODE_VERSION, origin, pages),
                                                       lambda: sitemap_xml(pages, origin)))
        SITEMAPS.prune()
        write_file(self, "robots.txt", f"User-agent: *\nAllow: /\n\nSitemap: {origin}/sitemap.xml\n")


def get_generators(pelican):
    return SitemapGenerator


def use_cache(pelican):
    SITEMAPS.folder = Path(pelican.settings["CACHE_PATH"]) / "sitemap"


def register():
    signals.initialized.connect(use_cache)
    signals.get_generators.connect(get_generators)
