"""Writing a translation's pins (`source_hash`, `source_commit`) into its file, leaving every
other byte of it as the translator wrote it.

In a YAML translation the pins are top-level keys at the top of the file; in a Markdown page
they are `Source_hash:` / `Source_commit:` metadata lines.
"""

from __future__ import annotations

import re
from pathlib import Path

PIN_KEYS = ("source_hash", "source_commit")


def pin_file(path: Path, pins: dict[str, str | None]) -> bool:
    """Set (or, for None, remove) the pins in an English file; True if its bytes changed."""
    data = path.read_bytes()
    result = pin_text(data.decode("utf-8"), pins, markdown=path.suffix == ".md").encode("utf-8")
    if result == data:
        return False
    path.write_bytes(result)
    return True


def pin_text(text: str, pins: dict[str, str | None], markdown: bool = False) -> str:
    """`text` of an English file with the pins set (or, for None, removed), every other line
    as it was: what `pin_file` writes, for a file about to be written (an import)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    return "".join(_pin_markdown(lines, pins, newline) if markdown else _pin_yaml(lines, pins, newline))


def _yaml_line(key: str, value: str, newline: str) -> str:
    return f'{key}: "{value}"{newline}'  # quoted: a commit id of digits only would read as a number


def _pin_yaml(lines: list[str], pins: dict, newline: str) -> list[str]:
    lines = list(lines)
    at = {}
    for i, line in enumerate(lines):
        match = re.match(r"(source_hash|source_commit)\s*:", line)
        if match:
            at[match.group(1)] = i
    insert_at = 1 if lines and lines[0].startswith("---") else 0  # after a document marker
    for key in PIN_KEYS:
        if key not in pins:
            continue
        value = pins[key]
        if key in at:
            if value is None:
                lines[at[key]] = None
            else:
                lines[at[key]] = _yaml_line(key, value, newline)
            insert_at = at[key] + 1
        elif value is not None:
            lines.insert(insert_at, _yaml_line(key, value, newline))
            at = {k: (v + 1 if v >= insert_at else v) for k, v in at.items()}
            insert_at += 1
    return [line for line in lines if line is not None]


def _pin_markdown(lines: list[str], pins: dict, newline: str) -> list[str]:
    lines = list(lines)
    fenced = bool(lines) and lines[0].strip() == "---"
    start = 1 if fenced else 0
    end = start  # first line after the metadata block
    while end < len(lines) and lines[end].strip() and not (fenced and lines[end].strip() in ("---", "...")):
        end += 1
    at = {}
    for i in range(start, end):
        match = re.match(r"(source_hash|source_commit)\s*:", lines[i], re.IGNORECASE)
        if match:
            at[match.group(1).lower()] = i
    if end == start and not fenced and lines and lines[0].strip():  # body only: start a block
        lines.insert(0, newline)
    for key in PIN_KEYS:
        if key not in pins:
            continue
        value = pins[key]
        line = f"{key.capitalize()}: {value}{newline}" if value is not None else None
        if key in at:
            lines[at[key]] = line
        elif line is not None:
            lines.insert(end, line)
            end += 1
    return [line for line in lines if line is not None]
