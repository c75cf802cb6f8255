"""The translation workflow: which English is missing or stale and since when, the diff of the
Japanese since a translation's pin, re-pinning, stubs, and XLIFF / XLSX exchange with
translators. `scripts/translations.py` drives it; as a Pelican plugin it dates the build's
stale-translation notices and writes the translators' status page into the internal preview.

Only `register()` touches Pelican, so the command line imports the rest without it.
"""


def register():
    from pelican import signals

    from .generator import get_generators

    signals.get_generators.connect(get_generators)
