"""Per-page translation of the theme: a context-aware gettext over Babel catalogs, and the
language-aware formatting of dates and numbers. Japanese is the source language."""

from pelican import signals

from .catalogs import install


def install_on_generator(generator):
    install(generator.env, generator.settings)


def register():
    signals.generator_init.connect(install_on_generator)
