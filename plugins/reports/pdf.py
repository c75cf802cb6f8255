"""The printable PDF of a report, rendered by WeasyPrint with the Japanese fonts embedded and
its text selectable. Rendering takes a while, so PDFs are cached by the hash of what goes in."""

from __future__ import annotations

import hashlib
import importlib.metadata
import logging
import os
from pathlib import Path

logger = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """The repository's .cache/ (git-ignored), or JCREDIT_CACHE_DIR."""
    return Path(os.environ.get("JCREDIT_CACHE_DIR") or ROOT / ".cache") / "report-pdf"


def _no_fetching(url, *args, **kwargs):
    # The print template is self-contained: nothing, local or remote, is fetched while printing.
    raise ValueError(f"report PDFs fetch nothing ({url})")


def render_pdf(html: str, stylesheet: Path) -> bytes:
    """A tagged PDF of `html`, from the cache when the same HTML was rendered before."""
    version = importlib.metadata.version("weasyprint")  # importing WeasyPrint itself takes 0.5 s
    key = hashlib.sha256(b"\0".join([version.encode(), stylesheet.read_bytes(), html.encode("utf-8")])).hexdigest()
    cached = cache_dir() / f"{key}.pdf"
    if cached.is_file():
        return cached.read_bytes()
    logger.info("rendering report PDF %s", key[:12])
    import weasyprint

    document = weasyprint.HTML(string=html, url_fetcher=_no_fetching)
    pdf = document.write_pdf(stylesheets=[weasyprint.CSS(filename=str(stylesheet))], pdf_tags=True)
    cached.parent.mkdir(parents=True, exist_ok=True)
    partial = cached.with_suffix(f".{os.getpid()}.tmp")
    partial.write_bytes(pdf)
    partial.replace(cached)  # atomic: a parallel build never reads half a PDF
    return pdf
