"""Theme strings: every message in the templates and plugins has its English translation, and
no template shows text that bypasses the catalog."""

from __future__ import annotations

import re

import lxml.html
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from conftest import ROOT

CATALOG = ROOT / "theme/translations/en/LC_MESSAGES/messages.po"


def extracted_messages() -> set[str]:
    method_map = [("plugins/**.py", "python"), ("theme/templates/**.html", "jinja2")]
    options = {"theme/templates/**.html": {"extensions": "jinja2.ext.i18n", "trim_blocks": "True",
                                           "lstrip_blocks": "True"}}
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map, options, keywords={"_": None, "gettext": None, "N_": None,
                                                       "ngettext": (1, 2)}):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_theme_string_has_an_english_translation():
    catalog = read_po(CATALOG.open("rb"), locale="en")
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = sorted(extracted_messages() - translated)
    assert missing == [], f"untranslated in {CATALOG.name} (run `make translations`): {missing}"
    assert len(translated) > 100


# -- no visible text outside gettext ---------------------------------------------------------

LETTER = re.compile(r"[^\W\d_]")  # a letter of any script
JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uff01-\uff5e]")
GETTEXT_CALLS = {"_", "gettext", "ngettext", "pgettext", "N_"}
VISIBLE_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "label")
# The language switcher names each language in that language, on every page alike.
LANGUAGE_NAMES = {"English", "日本語"}


def visible_text_outside_gettext(source: str) -> list[str]:
    """Text a reader would see that does not pass through the catalog: letters in the template's
    markup (text and visible attributes), and Japanese string literals outside `_()`."""
    env = Environment(extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    found, markup, calls, previous = [], [], [], None
    for line, kind, value in env.lex(source):
        if kind == "data":
            markup.append(value)
        elif kind == "operator" and value == "(":
            calls.append(previous is not None and previous[0] == "name" and previous[1] in GETTEXT_CALLS)
        elif kind == "operator" and value == ")" and calls:
            calls.pop()
        elif kind == "string" and JAPANESE.search(value) and not (calls and calls[-1]):
            found.append(f"line {line}: {value}")  # the literal, quotes and all
        if kind != "whitespace":
            previous = (kind, value)
    tree = lxml.html.document_fromstring("".join(markup) or "<p></p>")
    for element in tree.iter():
        texts = [element.tail]
        if isinstance(element.tag, str):  # not a comment
            texts += [element.text] + [element.get(name) for name in VISIBLE_ATTRIBUTES]
        found += [repr(text.strip()) for text in texts
                  if text and LETTER.search(text) and text.strip() not in LANGUAGE_NAMES]
    return found


def test_templates_hold_no_visible_text_outside_gettext():
    problems = {path.relative_to(ROOT).as_posix(): visible_text_outside_gettext(path.read_text(encoding="utf-8"))
                for path in sorted((ROOT / "theme/templates").rglob("*.html"))}
    assert len(problems) > 20
    assert {path: found for path, found in problems.items() if found} == {}


def test_the_template_check_finds_text_outside_gettext():
    assert visible_text_outside_gettext("<p>{{ _('はい') }} {{ n }} t-CO2</p>") == ["'t-CO2'"]
    assert visible_text_outside_gettext('<img src="/a.png" alt="ロゴ">') == ["'ロゴ'"]
    assert visible_text_outside_gettext("{{ 'はい' if x else _('いいえ') }}") == ["line 1: 'はい'"]
    assert visible_text_outside_gettext(
        "<a href=\"{{ url('x/') }}\" title=\"{{ _('説明') }}\">{{ _('%(n)s件', n=count) }}</a>") == []
