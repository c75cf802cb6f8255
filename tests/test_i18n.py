"""Theme strings: every message in the templates and plugins has its English translation."""

from __future__ import annotations

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

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
