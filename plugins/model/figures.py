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
# A number written with what belongs elsewhere (matched on the NFKC text): a thousands separator
# (1,060), a word that qualifies it (約7, 81以上), a unit (60t), a minus sign that is not ASCII (▲5).
_QUALIFIERS = ("約", "およそ", "概ね", "おおむね", "推定", "最大", "最小", "程度", "前後", "以上", "以下", "未満",
               "超", "強", "弱", "余り", "余", "ほど", "くらい", "ぐらい")
_DECORATED = re.compile(r"(?P<pre>約|およそ|概ね|おおむね|推定|最大|最小|[~〜≈<>≦≧≤≥])?\s*(?P<sign>[-+\u2212▲△]?)\s*"
                        r"(?P<digits>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)\s*(?P<post>(?:CO2|\D){1,10})?")
# What editors write for a value that is missing; the model's missing value is an empty cell.
_MISSING = {"-", "--", "‐", "–", "—", "―", "ー", "−", "n/a", "na", "#n/a", "n.a.", "nd", "なし", "不明", "不詳", "該当なし",
            "…", "..."}
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


def _missing(cell) -> bool:
    return isinstance(cell, str) and unicodedata.normalize("NFKC", cell).strip().lower() in _MISSING


def _decorated(cell):
    """The match of a number written with a separator, qualifier, unit or sign that is not
    ASCII ("1,060", "約7", "60t", "▲5"); None for a plain number or any other text."""
    if not isinstance(cell, str):
        return None
    match = _DECORATED.fullmatch(unicodedata.normalize("NFKC", cell).strip())
    if match and (match["pre"] or match["post"] or match["sign"] in ("\u2212", "▲", "△") or "," in match["digits"]):
        return match
    return None


def _numeric_like(cell) -> bool:
    """A number, an empty cell, or what an editor writes in a column of numbers: a number as
    text ("55%", "61–66", "６０", "1,060", "約7"), or a mark for a missing value ("-", "N/A")."""
    if not isinstance(cell, str) or not cell.strip():
        return True
    normal = unicodedata.normalize("NFKC", cell).strip()
    return bool(_NUMBER.fullmatch(normal) or _PERCENT_TEXT.fullmatch(normal) or _RANGE_TEXT.fullmatch(cell.strip())
                or _missing(cell) or _decorated(cell))


def _a_number(cell) -> bool:
    """A cell that holds a number, however written; not a missing mark, nor text such as a
    version "2.0" that is kept as text."""
    if isinstance(cell, (int, float)):
        return True
    normal = unicodedata.normalize("NFKC", cell).strip()
    return bool(_NUMBER.fullmatch(normal) and normal != cell.strip() or _PERCENT_TEXT.fullmatch(normal)
                or _RANGE_TEXT.fullmatch(cell.strip()) or _decorated(cell))


def _decorated_problem(cell: str, match) -> tuple[str, str]:
    """What to write instead of a number written with more than the number (ja, en)."""
    number = match["digits"].replace(",", "")
    if match["sign"] in ("-", "\u2212", "▲", "△"):
        number = f"-{number}"
    post = (match["post"] or "").strip()
    notes = [word for word in (match["pre"], post if post.startswith(_QUALIFIERS) else "") if word]
    unit = post if post and post not in notes else ""
    ja, en = f"「{cell}」: 数値の列には数値だけを {number} と書いてください", f"\"{cell}\": write the number {number}"
    if notes:
        listed = "」「".join(notes)
        ja += f"（「{listed}」は備考の列に）"
        en += f" and put \"{listed.replace('」「', ' ')}\" in a note column"
    if unit:
        ja += f"（単位「{unit}」は見出しに）"
        en += f"{',' if notes else ''} and put the unit \"{unit}\" in the heading"
    if not notes and not unit and "," in match["digits"]:
        ja, en = ja + "（桁区切りのカンマは付けません）", en + " without the thousands separator"
    elif not notes and not unit:
        ja, en = ja + "（負の数は半角の「-」で）", en + " with an ASCII minus sign"
    return ja, en


def _quote_trouble(line: str) -> tuple[int, str] | None:
    """Where a line's quotes go wrong, as (cell index, "open") for a quote still open at the end
    of the line, or (cell index, "after") for text after a closing quote; None when they do not."""
    cell, quoted, closed, at_start, i = 0, False, False, True, 0
    while i < len(line):
        char = line[i]
        if quoted and char == '"' and line[i + 1:i + 2] == '"':
            i += 1
        elif quoted and char == '"':
            quoted, closed = False, True
        elif not quoted and char == ",":
            cell, closed, at_start = cell + 1, False, True
            i += 1
            continue
        elif not quoted and closed:
            return cell, "after"
        elif char == '"' and at_start:
            quoted = True
        at_start = False
        i += 1
    return (cell, "open") if quoted else None


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
    first = next(((n, line) for n, line in enumerate(text.splitlines(), start=1) if line.strip()), None)
    for separator, ja_name, en_name in (("\t", "タブ", "tab"), (";", "セミコロン", "semicolon")):
        if first and separator in first[1] and "," not in first[1]:  # read as one column, silently
            return None, [problem(first[0], "", f"{ja_name}区切りのファイルです。カンマ区切りで保存してください"
                                  "（Excel では「CSV UTF-8（コンマ区切り）」）",
                                  f"the file is {en_name}-separated; save it comma-separated "
                                  "(in Excel: \"CSV UTF-8 (Comma delimited)\")")]
    # strict: a quote left open would otherwise swallow every following line into one cell
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    records: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            records.append((reader.line_num, row))
    except csv.Error as exc:  # the record that failed starts on the line after the last one read
        start = records[-1][0] + 1 if records else 1
        lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        trouble = _quote_trouble(lines[start - 1]) if start <= len(lines) else None
        heading = [cell.strip() for cell in records[0][1]] if records else []
        if trouble is None:
            return None, [problem(reader.line_num, "", f"CSV の形式が正しくありません（{exc}）",
                                  f"malformed CSV ({exc})")]
        cell, kind = trouble
        column = heading[cell] if start > 1 and cell < len(heading) else f"{cell + 1}列目"
        if kind == "open":
            swallowed = (f"ないため、{start}行目から{reader.line_num}行目までが一つの値として読まれます",
                         f", so lines {start} to {reader.line_num} read as one value") if reader.line_num > start else ("ません", "")
            return None, [problem(start, column, f"「\"」が閉じられてい{swallowed[0]}。"
                                  "値を「\"」で閉じるか、値の中の「\"」は「\"\"」と2つ重ねてください",
                                  f"a quote (\") is never closed{swallowed[1]}; close the value with \", or write a quote "
                                  "inside a value as \"\"")]
        return None, [problem(start, column, "「\"」で囲んだ値の後に文字があります。値全体を「\"」で囲み、値の中の「\"」は「\"\"」と2つ重ねてください",
                              "text follows a closing quote; quote the whole value, and write a quote inside it as \"\"")]
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
    # A column of numbers, some written as text ("55%", "61–66", "６０", "1,060", "約7") or marked
    # missing ("-", "N/A"), is meant to be numeric: each such cell is an error, as the column would
    # otherwise turn to text without a word (and a chart would plot another column). A column
    # that also holds words (基準年: 2013, ピーク時) is a text column.
    numeric = [all(_numeric_like(row[i]) for row in rows) and any(_a_number(row[i]) for row in rows)
               for i in range(len(header))]
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
            elif _missing(cell):
                problems.append(problem(line, header[i], f"「{cell}」: 値がないときは空欄にしてください（数値の列に文字があると列全体が文字として扱われます）",
                                        f"\"{cell}\": leave the cell empty for a missing value (text in a column of numbers "
                                        "makes the whole column text)"))
            elif match := _decorated(cell):
                problems.append(problem(line, header[i], *_decorated_problem(cell, match)))
            elif _NUMBER.fullmatch(normal):  # "55.0", "007": kept as text, like a version (see _cell)
                number = float(normal)
                plain = str(int(number)) if number.is_integer() else str(number)
                problems.append(problem(line, header[i], f"「{cell}」: 数値の列では {plain} と書いてください（このままでは文字として扱われ、列全体が文字になります）",
                                        f"\"{cell}\": write {plain} in a column of numbers (as written it is text, and the "
                                        "whole column turns to text)"))
    return figure, problems
