"""Pelican-style Markdown metadata (`Title: ...` lines before the first blank line), with lines.

The values are converted by the collection's schema: integers stay integers, arrays are
comma-separated lists, everything else stays text for the schema to check.
"""

from __future__ import annotations

import re

from .problems import Problem
from .schemas import registry, resolve
from .yamlfile import YamlDocument, full_width_key, full_width_message

_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$")
_KEY = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)\s*:\s*(.*)$")
_KEY_WITHOUT_COLON = re.compile(r"^([A-Za-z_][A-Za-z0-9_-]*)[ \t\u3000]+(\S.*)$")


def read_markdown(path, display_path: str, schema_name: str) -> tuple[YamlDocument | None, str, list[Problem]]:
    try:
        text = open(path, encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        return None, "", [Problem(display_path, 1, "", "UTF-8 で保存してください", f"the file is not UTF-8 ({exc.reason})")]
    return parse_markdown(text, display_path, schema_name)


def parse_markdown(text: str, display_path: str, schema_name: str) -> tuple[YamlDocument, str, list[Problem]]:
    """Split Markdown text into its metadata (a document with lines) and its body."""
    text = text.lstrip("\ufeff")
    properties = registry().contents(schema_name)["properties"]
    doc = YamlDocument({}, {(): 1}, {})
    problems = []
    lines = text.replace("\r\n", "\n").split("\n")
    body_start = len(lines)
    key = None
    fenced = bool(lines) and lines[0].strip() == "---"  # Python-Markdown's optional YAML-style fence
    for number, line in enumerate(lines, start=1):
        if fenced and number == 1:
            continue
        if fenced and line.strip() in ("---", "..."):
            body_start = number
            break
        if not line.strip():
            body_start = number
            break
        match = _KEY.match(line)
        typed = None if match else full_width_key(line)
        if typed:  # `Meeting：COP31`: said once, on its line, and read as meant so nothing after it is "missing"
            fixed, changes, name = typed
            problems.append(Problem(display_path, number, name.lower(), *full_width_message(number, changes, fixed.strip())))
            match = _KEY.match(fixed)
        bare = None if match else _KEY_WITHOUT_COLON.match(line)
        # `Date 2026-03-01`: the same, for a colon left out (a field not written yet: the body's
        # first line may well start with a field's name)
        if bare and bare[1].lower() in properties and bare[1].lower() not in doc.data:
            fixed = f"{bare[1]}: {bare[2]}"
            problems.append(Problem(display_path, number, bare[1].lower(),
                                    f"{number} 行目の「{bare[1]}」の後にコロン「:」がありません（{fixed}）",
                                    f"line {number}: the colon ':' after {bare[1]} is missing ({fixed})"))
            match = _KEY.match(fixed)
        if match:
            key = match.group(1).lower()
            if key in doc.data:
                problems.append(Problem(display_path, number, key, "同じ項目が2回書かれています", "this field is written twice"))
            doc.data[key] = match.group(2).strip()
            doc.lines[(key,)] = number
            doc.raw[(key,)] = match.group(2).strip()
        elif key and line[:1].isspace():
            doc.data[key] += " " + line.strip()
        else:
            problems.append(Problem(display_path, number, "", "見出し情報は「項目: 値」の形で書き、空行で本文と分けてください",
                                    "metadata lines are 'Key: value', separated from the body by a blank line"))
            body_start = number - 1
            break
    for key, value in list(doc.data.items()):
        schema = resolve(properties.get(key, {}))
        kind = schema.get("type")
        if schema.get("format") == "date" and _DATETIME.match(value):
            doc.data[key] = value[:10]  # Pelican allows a time of day; pages are dated by day
        if kind == "integer" and re.fullmatch(r"[-+]?\d+", value):
            doc.data[key] = int(value)
        elif kind == "array":
            # a list as editors type it: "a, b", or with a Japanese IME's comma "a、b" / "a，b"
            doc.data[key] = [part.strip() for part in re.split(r"[,、，]", value) if part.strip()]
    first = body_start
    while first < len(lines) and not lines[first].strip():
        first += 1
    doc.lines[("body",)] = first + 1  # the body's first line, as the body is returned
    return doc, "\n".join(lines[body_start:]).strip("\n") + "\n", problems
