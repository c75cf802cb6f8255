"""The printable PDF of a report, rendered by WeasyPrint with the Japanese fonts embedded and
its text selectable. Rendering takes a while, so PDFs are cached by the hash of what goes in."""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
from pathlib import Path

from opendata.filecache import FileCache

logger = logging.getLogger(__name__)


PDFS = FileCache(None, ".pdf")  # in CACHE_PATH/report-pdf once the plugin is initialised


def _no_fetching(url, *args, **kwargs):
    # The print template is self-contained: nothing, local or remote, is fetched while printing.
    raise ValueError(f"report PDFs fetch nothing ({url})")


def render_pdf(html: str, stylesheet: Path) -> bytes:
    """A tagged PDF of `html`, from the cache when the same HTML was rendered before."""
    version = importlib.metadata.version("weasyprint")  # importing WeasyPrint itself takes 0.5 s
    key = hashlib.sha256(b"\0".join([version.encode(), stylesheet.read_bytes(), html.encode("utf-8")])).hexdigest()
    return PDFS.make(key, lambda: _render(html, stylesheet, key))


def _render(html: str, stylesheet: Path, key: str) -> bytes:
    logger.info("rendering report PDF %s", key[:12])
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=_no_fetching)
    return document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(stylesheet))], pdf_tags=True)
