"""Commissioned research reports as open data: each figure's data as CSV and XLSX named after
the figure, the bibliographic record (様式2) and the third-party material list (様式3) as XLSX,
and a printable PDF of the report with its Japanese fonts embedded.

The HTML report at /reports/<slug>/ is a route of site_pages; it links what this plugin makes."""

from pathlib import Path

from pelican import signals

from .generator import ReportFilesGenerator
from .helpers import install_helpers


def get_generators(pelican):
    return ReportFilesGenerator


def install_on_generator(generator):
    install_helpers(generator.env)


def use_cache(pelican):
    from .pdf import PDFS
    PDFS.folder = Path(pelican.settings["CACHE_PATH"]) / "report-pdf"


def register():
    signals.initialized.connect(use_cache)
    signals.generator_init.connect(install_on_generator)
    signals.get_generators.connect(get_generators)
