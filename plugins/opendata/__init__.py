"""Open data: tables written as CSV (UTF-8 with BOM), XLSX and JSON, in Japanese and English,
and the catalogue of them all.

Plugins describe a `Table` and `declare()` it (several at once: `declare_all()`) in their
generator's `generate_context`; this plugin's generator writes every declared dataset and the
catalogue (/opendata/, DCAT JSON-LD)."""

from pathlib import Path

from pelican import signals

from .catalog import Dataset, FolderDates, MadeDataset, declare, declare_all, declare_made, declared, last_changed
from .tables import Column, Table, keyed, table_files

__all__ = ["Column", "Dataset", "FolderDates", "MadeDataset", "Table", "declare", "declare_all", "declare_made",
           "declared", "keyed", "last_changed", "table_files"]


def get_generators(pelican):
    from .generator import OpenDataGenerator
    return OpenDataGenerator


def install_on_generator(generator):
    """`published_file(path)` for every template: any announced download with its size; and
    git asked, with the first generator, when the content's folders last changed."""
    from .published import install_helper
    install_helper(generator.env, generator.context)
    FolderDates.start(generator.context, Path(generator.settings["PATH"]))


def use_cache(pelican):
    from .tables import TABLES, WORKBOOKS
    TABLES.folder = WORKBOOKS.folder = Path(pelican.settings["CACHE_PATH"]) / "opendata"


def have_files_ready(generators):
    """Every dataset's files made before the first page is rendered (forked render workers may
    not wait for files still in making), and those made in this build checked beside it. The
    renderer waits for them only then: until, it works out which pages to render."""
    from site_pages.pages import before_rendering
    if generators:
        context = generators[0].context
        before_rendering(generators[0], lambda: _files_made(context))


def _files_made(context: dict) -> None:
    from .tables import FilesInMaking, ready
    made = {}
    for dataset in declared(context):
        files = dataset.files
        ready(files)
        if isinstance(files, FilesInMaking):
            made.update(files)
    if context.get("JCREDIT_OUTPUT") is not None:
        context["JCREDIT_OUTPUT"].check_beside(made)


def register():
    signals.initialized.connect(use_cache)
    signals.all_generators_finalized.connect(have_files_ready)
    signals.generator_init.connect(install_on_generator)
    signals.get_generators.connect(get_generators)
