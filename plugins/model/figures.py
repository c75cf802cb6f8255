"""The data behind a research report's figures: CSV files read once, checked cell by cell, and
the name each figure's downloads carry (図1_主要国の2035年削減目標)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

_NUMBER = re.compile(r"[-+]?\d+(\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d\d-\d\d")
_PERCENT_TEXT = re.compile(r"[-+]?\d+(\.\d+)?\s*%")
# Matched on the cell as written: an ASCII hyphen joins a year and month (2025-02), not a range.
_RANGE_TEXT = re.compile(r"[-+]?\d+(\.\d+)?\s*[%％]?\s*[–—〜~～‐－]\s*[-+]?\d+(\.\d+)?\s*[%％]?")
_NOT_IN_FILE_NAMES = re.compile(r'[\\/:*?"<>|\s\x00-\x1f]+')
MAX_STEM = 80  # characters; Japanese is 3 bytes each in UTF-8 and file names stop at 255 bytes


@dataclass(frozen=True)
class FigureTable:
    """One figure's data: its number (図1), title, header and rows (numbers typed as numbers)."""

    number: str
    title: str
    data: str  # the CSV's path relative to the report folder: figures/fig1.csv
    header: list[str]
    rows: list[list]

    @property
    def stem(self) -> str:
        return download_stem(self.number, self.title)

    def numeric_columns(self) -> list[bool]:
        return [bool(self.rows) and all(isinstance(row[i], (int, float)) or row[i] == "" for row in self.rows)
                and any(isinstance(row[i], (int, float)) for row in self.rows)
                for i in range(len(self.header))]

    def date_columns(self) -> list[bool]:
        """Columns whose every value is a date written YYYY-MM-DD (empty cells aside): dates in
        the open data's workbook and catalogue, not text."""
        return [any(row[i] for row in self.rows) and all(row[i] == "" or _is_date(row[i]) for row in self.rows)
                for i in range(len(self.header))]


def _is_date(value) -> bool:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def download_stem(number: str, title: str) -> str:
    """The file name (without extension) of a figure's downloads: its number and title."""
    title = _NOT_IN_FILE_NAMES.sub("_", title).strip("_.")
    return unicodedata.normalize("NFC", f"{number}_{title}"[:MAX_STEM])


def _cell(text: str):
    """A number where the text is one and reads back the same; "2.0" or "007" (versions, codes)
    stay text, as Excel would otherwise show 2 and 7."""
    value = text.strip()
    if _NUMBER.fullmatch(value):
        number = float(value) if "." in value else int(value)
        if str(number) == value.lstrip("+") and not value.endswith(".0"):
            return number
    return value


def _numeric_like(cell) -> bool:
    if not isinstance(cell, str) or not cell.strip():
        return True
    normal = unicodedata.normalize("NFKC", cell).strip()
    return bool(_NUMBER.fullmatch(normal) or _PERCENT_TEXT.fullmatch(normal) or _RANGE_TEXT.fullmatch(cell.strip()))


def read_figure(path: Path, shown: str, number: str, title: str, data: str) -> tuple[FigureTable | None, list[Problem]]:
    """Parse one figure CSV; every problem names the CSV, its line and the column."""
    def problem(line, field, ja, en):
        return Problem(shown, line, field, ja, en)

    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            raw.decode("cp932")
            hint_ja, hint_en = "Shift_JIS で保存されています。Excel では「CSV UTF-8」で保存し直してください", "it looks like Shift_JIS; save it as \"CSV UTF-8\""
        except UnicodeDecodeError:
            hint_ja, hint_en = "UTF-8 で保存してください", "save it as UTF-8"
        return None, [problem(1, "", f"文字コードが UTF-8 ではありません。{hint_ja}", f"the file is not UTF-8; {hint_en}")]
    reader = csv.reader(io.StringIO(text, newline=""))
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            records.append((reader.line_num, row))
    except csv.Error as exc:
        return None, [problem(reader.line_num, "", f"CSV の形式が正しくありません（{exc}）", f"malformed CSV ({exc})")]
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        return None, [problem(1, "", "CSV が空です", "the CSV is empty")]
    (_, header), body = records[0], records[1:]
    header = [cell.strip() for cell in header]
    problems = []
    for i, name in enumerate(header):
        if not name:
            problems.append(problem(1, f"{i + 1}列目", "見出しが空です", f"column {i + 1} has no heading"))
        elif name in header[:i]:
            problems.append(problem(1, name, "同じ見出しの列が2つあります", "two columns have this heading"))
    if not body:
        problems.append(problem(1, "", "データの行がありません", "the CSV has a heading but no data rows"))
    rows = []
    for line, row in body:
        if len(row) != len(header):
            problems.append(problem(line, "", f"列の数が見出し（{len(header)}列）と違います（{len(row)}列）",
                                    f"this row has {len(row)} cell(s), the heading has {len(header)}"))
            continue
        rows.append([_cell(cell) for cell in row])
    figure = FigureTable(number, title, data, header, rows)
    # A column of numbers, some written as text ("55%", "61–66", "６０"), is meant to be numeric.
    numeric = [all(_numeric_like(row[i]) for row in rows) for i in range(len(header))]
    for (line, _), row in zip((r for r in body if len(r[1]) == len(header)), rows):
        for i, cell in enumerate(row):
            if not isinstance(cell, str) or not numeric[i]:
                continue
            normal = unicodedata.normalize("NFKC", cell).strip()
            if _PERCENT_TEXT.fullmatch(normal):
                problems.append(problem(line, header[i], f"「{cell}」: 数値の列には % を付けずに {normal.rstrip('% ')} と書き、単位は見出しに書いてください",
                                        f"\"{cell}\": write the number {normal.rstrip('% ')} and put the unit in the heading"))
            elif _RANGE_TEXT.fullmatch(cell.strip()):
                problems.append(problem(line, header[i], f"「{cell}」: 幅は下限と上限の2列に分けてください",
                                        f"\"{cell}\": put a range's low and high values in two columns"))
            elif _NUMBER.fullmatch(normal) and normal != cell.strip():
                problems.append(problem(line, header[i], f"「{cell}」: 全角の数字は半角で {normal} と書いてください",
                                        f"\"{cell}\": write {normal} in ASCII digits"))
    return figure, problems
