"""Babel catalogs compiled in memory at build time (the .mo files are never committed)."""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from jinja2 import pass_context
from markupsafe import Markup

LANGUAGES = ("ja", "en")
SOURCE_LANGUAGE = "ja"


@lru_cache(maxsize=None)
def babel_locale(lang: str) -> Locale:
    """The language's Locale, parsed once: given a code, Babel parses it again on every call
    (a third of a second in a build of 10,000 pages)."""
    return Locale.parse(lang)


@lru_cache(maxsize=None)
def translations(directory: str, lang: str) -> gettext.NullTranslations:
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    po = Path(directory) / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def install(env, settings) -> None:
    directory = str(Path(settings["THEME"]) / "translations")

    @pass_context
    def _gettext(context, message):
        return translations(directory, context.get("lang", SOURCE_LANGUAGE)).gettext(message)

    @pass_context
    def _ngettext(context, singular, plural, n):
        return translations(directory, context.get("lang", SOURCE_LANGUAGE)).ngettext(singular, plural, n)

    @pass_context
    def _pgettext(context, message_context, message):
        return translations(directory, context.get("lang", SOURCE_LANGUAGE)).pgettext(message_context, message)

    env.globals["translate"] = lambda lang, message: translations(directory, lang).gettext(message)
    # Marks a message for the catalog, untranslated, for a helper that translates it itself
    # (md's `under`, which compares a text's heading with the message in both languages).
    env.globals["N_"] = lambda message: message
    env.globals["gettext_in"] = lambda lang: gettext_in(translations(directory, lang), env.autoescape)
    env.add_extension("jinja2.ext.i18n")
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True, pgettext=_pgettext)
    env.filters["date"] = pass_context(lambda ctx, d: long_date(d, ctx.get("lang", SOURCE_LANGUAGE)) if d else "")
    env.filters["number"] = pass_context(lambda ctx, n: decimal(n, ctx.get("lang", SOURCE_LANGUAGE)))
    env.filters["ordinal"] = ordinal


def ordinal(number: int) -> str:
    """41st, 42nd, 43rd, 44th, 111th: for the English of 第41回 (the catalog's %(ordinal)s)."""
    suffix = "th" if number % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


# Babel formats a value in some 20 microseconds, and the pages show the same dates and
# quantities over and over (60,000 of them in a site of 9,000 pages).
@lru_cache(maxsize=8192, typed=True)
def long_date(day, lang: str) -> str:
    return format_date(day, "long", locale=babel_locale(lang))


@lru_cache(maxsize=8192, typed=True)
def decimal(number, lang: str) -> str:
    return format_decimal(number, locale=babel_locale(lang))


def gettext_in(catalog: gettext.NullTranslations, autoescape: bool) -> dict:
    """`_` and `gettext` of one language, as Jinja's i18n extension makes them (new style:
    Markup where autoescaping, always formatted with their keywords), for a page in that
    language (site_pages.theme.language_context). Bound to the catalog, they are plain
    functions: the extension's look the language up in the context, through three calls that
    each copied the whole context in a loop, and took a quarter of a page's rendering.
    (`ngettext`, which no template uses yet, stays the extension's.) `pgettext` tells apart
    one Japanese word that English says two ways ("方法論": the section, Methodologies, and a
    record's field, Methodology)."""
    wrap = Markup if autoescape else str

    def formatted(translated: str, variables: dict) -> str:
        text = wrap(translated)
        return text % variables if variables or "%" in text else text  # "%%" becomes "%" either way

    def _gettext(message: str, **variables) -> str:
        return formatted(catalog.gettext(message), variables)

    def _pgettext(message_context: str, message: str, **variables) -> str:
        return formatted(catalog.pgettext(message_context, message), variables)

    return {"_": _gettext, "gettext": _gettext, "pgettext": _pgettext}
