"""Open data: tables written as CSV (UTF-8 with BOM), XLSX and JSON, in Japanese and English,
and the catalogue of them all.

Plugins describe a `Table` and `declare()` it (several at once: `declare_all()`) in their
generator's `generate_context`; this plugin's generator writes every declared dataset and the
catalogue (/opendata/, DCAT JSON-LD)."""

from pathlib import Path

from pelican import signals

from .catalog import Dataset, MadeDataset, declare, declare_all, declare_made, declared, last_changed
from .tables import Column, Table, keyed, table_files

__all__ = ["Column", "Dataset", "MadeDataset", "Table", "declare", "declare_all", "declare_made", "declared",
           "keyed", "last_changed", "table_files"]


def get_generators(pelican):
    from .generator import OpenDataGenerator
    return OpenDataGenerator


def install_on_generator(generator):
    """`published_file(path)` for every template: any announced download with its size."""
    from .published import install_helper
    install_helper(generator.env, generator.context)


def use_cache(pelican):
    from .tables import TABLES, WORKBOOKS
    TABLES.folder = WORKBOOKS.folder = Path(pelican.settings["CACHE_PATH"]) / "opendata"


def have_files_ready(generators):
    """Every dataset's files made before any page is rendered (in forked workers, which may
    not wait for files still in making); those made in this build are then checked beside it."""
    from .tables import FilesInMaking, ready
    context = generators[0].context if generators else {}
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
