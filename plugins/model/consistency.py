"""Checks across the fields of a record and between records that the schemas cannot make:
values each valid alone that together publish something wrong (the current version linking
the old PDF, one version listed twice, a certification counted before its project existed, an
offer filed under another methodology, prefecture or sector than its project's).

Run by _Loader.cross_check() on every load, over every valid record: kept to one pass over
the records, touching only the collections it checks.
"""

from __future__ import annotations

import re
from pathlib import Path

from .problems import Problem
from .yamlfile import dotted

# A version written at the end of a file's name, as editors name them: FO-001_ver3.1.pdf,
# FO-001_v2.10.pdf, jisshi-yoko_ver6.0.pdf. Only at the end, so that other numbers in a
# name (an id's -001, a date) are never taken for one.
FILE_VERSION = re.compile(r"[_-]v(?:er)?(\d+(?:\.\d+)*)$", re.IGNORECASE)

VERSIONED = ("methodologies", "regulations")
CHECKED = frozenset({*VERSIONED, "meetings", "projects", "offers"})


def consistency_problems(root: Path, docs: dict) -> list[Problem]:
    """The problems of the valid records `docs` ((collection, id) -> (Record, YamlDocument),
    as _Loader.docs) below the content root `root`, each on the line of the field to fix."""
    from .site import display  # site imports this module

    problems: list[Problem] = []
    for (name, _), (record, doc) in docs.items():
        if name not in CHECKED:
            continue
        data = record.data

        def add(location: tuple, ja: str, en: str, record=record, doc=doc) -> None:
            # the path is worked out only for a problem: most records have none
            problems.append(Problem(display(root / record.source), doc.line(location), dotted(location), ja, en))

        if name in VERSIONED:
            versions = _versions(data)
            _numbers_once(versions, doc, add)
            _same_files(versions, doc, add)
            _versions_named_in_files(versions, add)
            _dates_against_numbers(versions, doc, add)
        elif name == "meetings":
            _same_files([(("materials", i), m) for i, m in enumerate(data.get("materials", ()))], doc, add)
        elif name == "projects":
            registered = data["registered_on"]
            for i, certification in enumerate(data["certifications"]):
                if certification["date"] < registered:  # counted as "under a year" in the statistics
                    add(("certifications", i, "date"),
                        f"プロジェクトの登録日（registered_on: {registered}）より前の日付です",
                        f"is before the project's registration (registered_on {registered})")
        elif isinstance(data.get("project_id"), str):  # an offer: its credits are its project's
            project = docs.get(("projects", data["project_id"]))  # a missing one is told by reference_checks
            if project is not None:
                _as_its_project(data, project[0].data, add)
    return problems


# What an offer states of its credits that their project states too: (Japanese name, English
# phrase). The offers table filters by them, so a mismatch lists the credits under another.
SHARED_WITH_PROJECT = {"methodology": ("方法論", "is registered under methodology"),
                       "prefecture": ("都道府県", "is in"),
                       "sector": ("業種", "is in sector")}


def _as_its_project(offer: dict, project: dict, add) -> None:
    for field, (ja, en) in SHARED_WITH_PROJECT.items():
        theirs = project.get(field)
        if theirs is not None and offer.get(field) is not None and offer[field] != theirs:
            add((field,), f"プロジェクト {offer['project_id']} の{ja}は {theirs} です。プロジェクトと同じ{ja}にしてください",
                f"project {offer['project_id']} {en} {theirs}: the offer's {field} must be its project's")


def _versions(data: dict) -> list[tuple[tuple, dict]]:
    """(location, item) of each version: a methodology's `versions`, or a regulation that is
    one version itself (version, revised_on, file at the top)."""
    if isinstance(data.get("versions"), list):
        return [(("versions", i), v) for i, v in enumerate(data["versions"])]
    return [((), data)] if "version" in data and "file" in data else []


def _same_files(items: list[tuple[tuple, dict]], doc, add) -> None:
    """A line copied and not updated: two versions (or materials) would download one file."""
    first: dict[str, tuple] = {}
    for location, item in items:
        other = first.setdefault(item["file"], location) + ("file",)
        if other != location + ("file",):
            field, line = dotted(other), doc.line(other)
            add(location + ("file",), f"{field}（{line}行目）と同じファイルです。この項目のファイルにしてください",
                f"the same file as {field} (line {line}): name this item's own file")


def _versions_named_in_files(versions: list[tuple[tuple, dict]], add) -> None:
    """FO-001_ver3.1.pdf on version "3.2": the new version would download the old document."""
    for location, item in versions:
        stem = item["file"].rpartition("/")[2].rpartition(".")[0]
        match = FILE_VERSION.search(stem)
        if match and version_number(match.group(1)) != version_number(item["version"]):
            add(location + ("file",),
                f"ファイル名の版（{match.group(1)}）が version の {item['version']} と違います（前の版のファイルのままではありませんか）",
                f"the file name says version {match.group(1)}, but this is version {item['version']} "
                "(is it still the previous version's file?)")


def _numbers_once(versions: list[tuple[tuple, dict]], doc, add) -> None:
    """Two versions of one number ("3.1" twice, or "3" and "3.0"): a line copied and not
    updated, and a history listing one version twice."""
    first: dict[tuple[int, ...], tuple] = {}
    for location, item in versions:
        where, other = first.setdefault(version_number(item["version"]), (location, item))
        if where != location:
            line = doc.line(where + ("version",))
            add(location + ("version",),
                f"{line}行目の版 {other['version']} と同じ版です。版ごとに別の番号にしてください",
                f"the same version as {other['version']} on line {line}: give each version its own number")


def _dates_against_numbers(versions: list[tuple[tuple, dict]], doc, add) -> None:
    """A higher version dated before a lower one: the newest date is shown as current, so the
    page would call the older version current."""
    numbered = [(version_number(item["version"]), location, item) for location, item in versions]
    for number, location, item in numbered:
        lower = [(other["revised_on"], where, other) for n, where, other in numbered if n < number]
        if not lower:
            continue
        latest, where, other = max(lower, key=lambda entry: entry[0])
        if latest > item["revised_on"]:
            line = doc.line(where + ("revised_on",))
            add(location + ("revised_on",),
                f"前の版 {other['version']} の改定日（{latest}、{line}行目）より前の日付です（版番号の大きい版ほど新しい日付にしてください）",
                f"is before the revision date of the earlier version {other['version']} ({latest}, line {line}): "
                "a higher version number needs a later date")


def version_number(version: str) -> tuple[int, ...]:
    """A version compared as numbers part by part ("3.10" > "3.9"); "3" and "3.0" are one."""
    parts = [int(part) for part in version.split(".")]
    while len(parts) > 1 and parts[-1] == 0:
        parts.pop()
    return tuple(parts)
