"""The vendor's workbook: one row per unit, the English column to fill in, read back by its
header names (a vendor may reorder or add columns).

A row whose Japanese changed has its earlier English filled in, the Japanese that English
translates in the last column (where git has it), and in the state column the review label,
which says to clear the cell once the English is revised: a row that still has that label is not translated on import (the vendor has not confirmed it), exactly like an empty
English cell. A cleared or changed label confirms it."""

from __future__ import annotations

import io

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font

from .exchange import NEW, REVIEW, TRANSLATED, ExchangeError, Unit

FILE, UNIT, FIELD, JAPANESE, ENGLISH, STATE, EARLIER = (
    "file", "unit", "項目 / field", "日本語 / Japanese", "英語 / English", "状態 / state",
    "変更前の日本語（英語の訳元） / earlier Japanese (what the English translates)")
# the earlier Japanese last: the columns vendors already know keep their places
COLUMNS = [(FILE, 28), (UNIT, 18), (FIELD, 24), (JAPANESE, 60), (ENGLISH, 60), (STATE, 30), (EARLIER, 60)]
STATE_LABELS = {
    NEW: "新規 / new",
    REVIEW: "日本語が変更（英語を見直し、済んだらこの欄を消す） / "
            "Japanese changed: revise the English, then clear this cell",
    TRANSLATED: "変更なし / unchanged",
}
# the review label as workbooks exported before and now have it: still there, not yet reviewed
REVIEW_LABELS = {STATE_LABELS[REVIEW], "日本語が変更（英語を見直し） / Japanese changed: revise the English"}


class WorkbookError(ExchangeError):
    pass


def write_workbook(units: list[Unit]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "translations"
    sheet.append([name for name, _ in COLUMNS])
    for unit in units:
        sheet.append([unit.file, unit.id, unit.note, unit.source, unit.target or "", STATE_LABELS[unit.state],
                      unit.earlier if unit.target else None])
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            cell.data_type = "s"  # text stays text: a sentence starting with "=" is no formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter, (_, width) in zip("ABCDEFG", COLUMNS):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_workbook(data: bytes) -> list[Unit]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several kinds for a file that is not a workbook
        raise WorkbookError(f"XLSX として読めません / not an XLSX workbook: {error}") from None
    sheet = workbook["translations"] if "translations" in workbook.sheetnames else workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(name).strip() if name is not None else "" for name in next(rows, [])]
    missing = [name for name in (FILE, UNIT, JAPANESE, ENGLISH) if name not in header]
    if missing:
        raise WorkbookError(f"見出しの列がありません / missing columns: {', '.join(missing)}")
    at = {name: header.index(name) for name in (FILE, UNIT, JAPANESE, ENGLISH, STATE)
          if name in header}  # the state column is optional: without it, nothing is marked
    found = []
    for row in rows:
        if not row or row[at[FILE]] in (None, ""):
            continue
        english = row[at[ENGLISH]]
        label = row[at[STATE]] if STATE in at and at[STATE] < len(row) else None
        state = NEW if english in (None, "") else (
            REVIEW if str(label or "").strip() in REVIEW_LABELS else TRANSLATED)
        found.append(Unit(str(row[at[FILE]]), str(row[at[UNIT]]), str(row[at[JAPANESE]] or ""),
                          str(english) if english not in (None, "") else None, state))
    return found
