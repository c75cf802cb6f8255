"""Translatable text as units, and what changed between two versions of it.

A unit is one translatable value at one place (`brand`, `materials.1.title`), or one paragraph
of a longer text (`body:p3`, `minutes:p2`): the pieces a translator, a diff, an XLIFF file and a
vendor's workbook all speak of by the same id.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

PARAGRAPH = "\n\n"


def paragraphs(text: str) -> list[str]:
    """The blocks of a text between blank lines; joining them with PARAGRAPH gives it back."""
    return text.split(PARAGRAPH)


def location_id(location: tuple) -> str:
    return ".".join(str(part) for part in location)


def units(text: dict) -> dict[str, str]:
    """Every non-blank unit of a document's translatable text, in reading order, by id."""
    found: dict[str, str] = {}

    def walk(value, location):
        if isinstance(value, dict):
            for key, item in value.items():
                walk(item, location + (key,))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                walk(item, location + (i,))
        elif isinstance(value, str):
            blocks = paragraphs(value)
            for n, block in enumerate(blocks, start=1):
                if block.strip():  # a trailing newline is no text to translate
                    found[location_id(location) + (f":p{n}" if len(blocks) > 1 else "")] = block.strip("\n")
    walk(text, ())
    return found


def parse_id(unit_id: str) -> tuple[tuple, int | None]:
    """`materials.1.title` -> (("materials", 1, "title"), None); `body:p3` -> (("body",), 3)."""
    path, _, paragraph = unit_id.partition(":p")
    location = tuple(int(part) if part.isdigit() else part for part in path.split("."))
    return location, int(paragraph) if paragraph else None


def value_at(data, location: tuple):
    for part in location:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return None
    return data


def untranslated(japanese: dict, english: dict) -> list[str]:
    """The fields with Japanese text that the English file leaves empty."""
    fields = []
    for unit_id in units(japanese):
        location = parse_id(unit_id)[0]
        value = value_at(english, location)
        if not (isinstance(value, str) and value.strip()) and location_id(location) not in fields:
            fields.append(location_id(location))
    return fields


@dataclass(frozen=True)
class Change:
    unit: str
    before: str | None  # None: a unit that is new
    after: str | None  # None: a unit that is gone


def changes(before: dict, after: dict) -> list[Change]:
    """The units whose Japanese differs between two versions of a document's text."""
    old, new = units(before), units(after)
    found = [Change(unit, old.get(unit), text) for unit, text in new.items() if old.get(unit) != text]
    found += [Change(unit, text, None) for unit, text in old.items() if unit not in new]
    return found


def changed_fields(before: dict, after: dict) -> list[str]:
    """The fields (without paragraph numbers) whose Japanese differs, in reading order."""
    fields = []
    for change in changes(before, after):
        field = change.unit.partition(":p")[0]
        if field not in fields:
            fields.append(field)
    return fields


def line_diff(before: str | None, after: str | None) -> list[str]:
    """`-`/`+` lines of a changed unit; unchanged lines of a longer text as context."""
    old = (before or "").splitlines()
    new = (after or "").splitlines()
    out = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if tag == "equal":
            out += ["  " + line for line in old[i1:i2]]
        else:
            out += ["- " + line for line in old[i1:i2]] + ["+ " + line for line in new[j1:j2]]
    return out
