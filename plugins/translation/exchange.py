"""The yearly batch: every missing or stale public file as units for a translator's tool, and the
translated units brought back as English files, pinned to the Japanese they translate.

Only what the public site shows leaves the building: internal records, internal materials and
the non-public parts of a record are never exported (`model.publication`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

from model.publication import non_public_locations
from model.schemas import registry, resolve
from model.translation import source_hash

from .compare import location_id, paragraphs, parse_id, units, value_at
from .history import ContentHistory
from .overlays import file_text, translated_text
from .snapshots import remember
from .status import TranslationStatus

NEW, REVIEW, TRANSLATED = "new", "review", "translated"


class ExchangeError(ValueError):
    """A file from a translator's tool that cannot be read (the message is ja / en)."""


@dataclass
class Unit:
    """One piece to translate, as it travels to a translator's tool and back."""

    file: str  # path below the language folders: "offers/qa.yaml"
    id: str  # the unit's place in the file: "conditions", "materials.1.title", "body:p3"
    source: str  # the Japanese
    target: str | None = None  # the English: an earlier translation to revise, or the new one
    state: str = NEW  # new: no English yet; review: English of an earlier Japanese; translated
    # (read back from a translator's file: review while the target is still marked for review)
    note: str = ""  # what the field is, for the translator
    earlier: str | None = None  # review: the Japanese the earlier English translates, where known


def hidden_parts(status: TranslationStatus) -> set[tuple]:
    """Where the file's Japanese holds what the public site does not show: ("minutes",),
    ("materials", 0) (`model.publication`)."""
    main = status.path == status.record.source.removeprefix("ja/")  # not a report's report.md
    return non_public_locations(status.record) if main else set()


def public_units(status: TranslationStatus, text: dict | None = None) -> dict[str, str]:
    """The units of a file's Japanese (today's, or `text`) that the public site shows."""
    hidden = hidden_parts(status)
    return {unit_id: source for unit_id, source in units(status.part.text if text is None else text).items()
            if not _under(parse_id(unit_id)[0], hidden)}


def _under(location: tuple, hidden: set[tuple]) -> bool:
    return any(location[:n] in hidden for n in range(1, len(location) + 1))


def export_units(statuses: list[TranslationStatus]) -> list[Unit]:
    """Units of every public file that is missing or stale, English pre-filled where it exists."""
    found = []
    for status in statuses:
        if status.internal or status.state == "current":
            continue
        earlier: dict[tuple, dict[int, tuple[str, str | None]]] = {}
        for unit_id, source in public_units(status).items():
            location, paragraph = parse_id(unit_id)
            if location not in earlier:
                earlier[location] = _earlier_english(status, location)
            target, translated_from = earlier[location].get(paragraph or 1, (None, None))
            state = NEW if not target else TRANSLATED if translated_from == source else REVIEW
            found.append(Unit(status.path, unit_id, source, target, state, describe(status.part.schema, location),
                              translated_from if state == REVIEW else None))
    return found


def _earlier_english(status: TranslationStatus, location: tuple) -> dict[int, tuple[str, str | None]]:
    """The English file's text at `location`, lined up with today's Japanese paragraphs:
    paragraph number -> (its English, the Japanese that English translates, if known).

    A text's paragraphs are lined up with the Japanese the English was pinned to, not
    today's: when a paragraph was added, removed or rewritten since, the English of every
    other paragraph still finds its place, and a rewritten one is sent for review."""
    value = value_at(status.part.overlay or {}, location)
    today = value_at(status.part.text, location)
    if not isinstance(value, str) or not value.strip() or not isinstance(today, str):
        return {}
    pinned = value_at(status.pinned.text, location) if status.pinned else None
    if isinstance(pinned, str):
        lined_up = _line_up(value, pinned, today)
        if lined_up:
            return lined_up
    # no pinned Japanese to line up with (or the English does not follow it paragraph for
    # paragraph): today's, with what is known of the Japanese the English translates
    before = units(status.pinned.text) if status.pinned else {}
    numbered = len(paragraphs(today)) > 1
    return {n: (english, before.get(location_id(location) + (f":p{n}" if numbered else "")))
            for n, (english, _) in _line_up(value, today, today).items()}


def _line_up(english: str, japanese: str, today: str) -> dict[int, tuple[str, str]]:
    """Today's paragraph number -> (the English, the `japanese` paragraph it translates), where
    `english` follows `japanese` paragraph for paragraph and a paragraph of `japanese` is kept,
    or rewritten in place, in `today`. Units are cut as compare.units cuts them: without the
    newlines around them."""
    blocks, then, now = paragraphs(english), paragraphs(japanese), paragraphs(today)
    if len(then) == 1 and len(now) == 1:
        return {1: (english.strip("\n"), japanese.strip("\n"))}  # one text, however the English runs
    if len(blocks) != len(then):
        return {}
    matcher = difflib.SequenceMatcher(a=[b.strip("\n") for b in then], b=[b.strip("\n") for b in now],
                                      autojunk=False)
    found = {}
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or tag == "replace" and i2 - i1 == j2 - j1:
            for i, j in zip(range(i1, i2), range(j1, j2)):
                if blocks[i].strip():
                    found[j + 1] = (blocks[i].strip("\n"), then[i].strip("\n"))
    return found


def describe(schema_name: str, location: tuple) -> str:
    """The field's name and the nearest description in the schema: `agenda: 議事次第 / agenda`."""
    schema, description = registry().contents(schema_name), None
    for part in location:
        schema = resolve(schema)
        schema = resolve(schema.get("items", {}) if isinstance(part, int)
                         else schema.get("properties", {}).get(part, {}))
        description = schema.get("description", description)
    name = ".".join(part for part in location if isinstance(part, str))
    return f"{name}: {description}" if description else name


@dataclass
class ImportResult:
    written: list[str] = field(default_factory=list)  # paths, pinned to today's Japanese: current
    earlier: list[str] = field(default_factory=list)  # pinned to the Japanese they were made from, since changed
    unpinned: list[str] = field(default_factory=list)  # written, but the Japanese changed meanwhile
    skipped: list[str] = field(default_factory=list)  # messages: path: why (ja / en)


def import_units(root: Path, statuses: list[TranslationStatus], imported: list[Unit],
                 history: ContentHistory) -> tuple[ImportResult, dict[Path, bytes | None]]:
    """Write the translated files into content/en/; returns what happened and every touched
    file's previous bytes (None: it did not exist), so that a failed validation can undo it."""
    by_path = {status.path: status for status in statuses}
    result = ImportResult()
    previous: dict[Path, bytes | None] = {}
    grouped: dict[str, list[Unit]] = {}
    for unit in imported:
        grouped.setdefault(unit.file, []).append(unit)
    for path, file_units in grouped.items():
        status = by_path.get(path)
        if status is None or status.internal:
            result.skipped.append(f"{path}: 翻訳の対象ではありません / not a translatable file")
            continue
        # an empty target, one the tool marks untranslated, the Japanese copied as the target (as
        # a CAT tool pre-fills a segment), or the earlier English still marked for review:
        # nobody translated it
        blank = {unit.id for unit in file_units if unit.state == NEW or not (unit.target or "").strip()
                 or _normal(unit.target).strip() == _normal(unit.source).strip() and JAPANESE.search(unit.source)}
        untranslated = [unit.id if unit.id in blank else f"{unit.id} (要見直し / needs review)"
                        for unit in file_units if unit.id in blank or unit.state == REVIEW]
        if untranslated:
            result.skipped.append(f"{path}: 未翻訳の単位があります / untranslated units: {', '.join(untranslated)}")
            continue
        targets = {unit.id: _normal(unit.target) for unit in file_units}
        english = translated_text(status.part, targets)
        pins, translated = pins_for(status, {unit.id: _normal(unit.source) for unit in file_units}, history)
        if translated is not None:
            remember(root, translated)
        target = root / "en" / path
        previous[target] = target.read_bytes() if target.exists() else None
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(file_text(status.part, english, pins), encoding="utf-8")
        (result.written if translated is status.part.text else result.earlier if pins.get("source_hash")
         else result.unpinned).append(path)
    return result, previous


JAPANESE = re.compile(r"[\u3040-\u30ff\u3400-\u9fff]")  # kana and kanji: not English yet


def _normal(text: str | None) -> str:
    return (text or "").replace("\r\n", "\n").replace("\r", "\n")


def pins_for(status: TranslationStatus, sources: dict[str, str],
             history: ContentHistory) -> tuple[dict, dict | None]:
    """The pins for the Japanese the units were translated from, and that Japanese: today's
    text when their sources are today's, else the revision in git that had those sources;
    no pins when neither is found."""
    document = history.document(status.part)

    def same(text: dict) -> bool:
        have = public_units(status, text)
        return have.keys() == sources.keys() and all(
            have[unit_id].strip() == source.strip() for unit_id, source in sources.items())

    if same(status.part.text):
        return {"source_hash": source_hash(status.part.text), "source_commit": document.pin_commit()}, status.part.text
    for revision in document.revisions:
        text = document.text(revision.commit)
        if text is not None and same(text):
            return {"source_hash": source_hash(text), "source_commit": revision.commit}, text
    return {"source_hash": None, "source_commit": None}, None
