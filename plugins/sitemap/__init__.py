"""`sitemap.xml`: every public page once per language, each with its `xhtml:link` hreflang
alternates, read from the `<link rel="alternate">` in the page's own head, so the sitemap and
the pages can never disagree. Written on the finished output; the internal preview has none."""

from pelican import signals

from .sitemap import write_sitemap


def register():
    signals.finalized.connect(write_sitemap)
