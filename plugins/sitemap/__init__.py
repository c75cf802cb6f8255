"""`sitemap.xml`: every public page once per language, each with its `xhtml:link` hreflang
alternates, the same ones the pages' heads carry. The internal preview has none."""

from pelican import signals
from pelican.generators import Generator

from site_pages.pages import output_of, write_file

from .sitemap import MAX_URLS, public_pages, sitemap_xml


class SitemapGenerator(Generator):
    """Runs after every generator that renders pages (its place in PLUGINS is last)."""

    def generate_output(self, writer):
        if self.settings["INTERNAL_BUILD"]:
            return  # the preview is never indexed
        pages = public_pages(output_of(self))
        if len(pages) > MAX_URLS:
            raise ValueError(f"sitemap: {len(pages)} URLs is more than one file may hold ({MAX_URLS})")
        write_file(self, "sitemap.xml", sitemap_xml(pages, self.settings["SITE_ORIGIN"]))


def get_generators(pelican):
    return SitemapGenerator


def register():
    signals.get_generators.connect(get_generators)
