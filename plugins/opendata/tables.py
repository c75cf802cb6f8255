"""One table, three formats: the same rows as CSV, XLSX and JSON, with Japanese or English
headers. Files are reproducible (fixed timestamps) and carry no author or hidden parts."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import pickle
import struct
import unicodedata
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Callable

import xlsxwriter

from model.parallel import Beside, fork_map

from .filecache import FileCache

PUBLISHER = {"ja": "J-クレジット制度事務局", "en": "J-Credit Scheme Secretariat"}
# The Digital Agency's terms for public bodies' content since 2024, successor of 政府標準利用規約 2.0
LICENCE = {"ja": "公共データ利用規約（第1.0版）（PDL1.0、CC BY 4.0 と互換）",
           "en": "Public Data License Version 1.0 (PDL1.0), compatible with CC BY 4.0"}


@dataclass(frozen=True)
class Column:
    key: str
    ja: str
    en: str
    kind: str = "text"  # text, integer, year, number, date, url, boolean

    def header(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass
class Table:
    """A dataset: a name (its file stem), titles, columns, and rows per language."""

    name: str
    title_ja: str
    title_en: str
    columns: list[Column]
    rows: dict[str, list[dict]] = field(default_factory=dict)  # lang -> rows keyed by column key
    description_ja: str = ""  # what the rows are, for the open-data catalogue
    description_en: str = ""
    cache_keys: dict = field(default_factory=dict, init=False, repr=False, compare=False)  # see table_key

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_ja if lang == "ja" else self.description_en


def _cell(value):
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"  # as in the JSON
    return _cell(value)


def csv_bytes(table: Table, lang: str) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.header(lang) for c in table.columns])
    for row in table.rows[lang]:
        writer.writerow([_csv_cell(row.get(c.key)) for c in table.columns])
    return "\ufeff".encode("utf-8") + buffer.getvalue().encode("utf-8")  # BOM: Excel reads UTF-8


def json_bytes(table: Table, lang: str, build_date: dt.date) -> bytes:
    document = {
        "title": table.title(lang),
        "description": table.description(lang),
        "publisher": PUBLISHER[lang],
        "modified": build_date.isoformat(),
        "license": LICENCE[lang],
        "columns": [{"key": c.key, "title": c.header(lang), "type": c.kind} for c in table.columns],
        "rows": [{c.key: _cell(row.get(c.key)) for c in table.columns} for row in table.rows[lang]],
    }
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# Workbooks take a while to write (a second for 3,000 rows), so they are kept by what goes in;
# a table's three files are kept together (TABLES), a lone workbook by itself (WORKBOOKS).
# Both live in CACHE_PATH/opendata once the plugin is initialised.
WORKBOOKS = FileCache(None, ".xlsx")
TABLES = FileCache(None, ".pickle")
VERSION = hashlib.sha256(Path(__file__).read_bytes() + xlsxwriter.__version__.encode()).hexdigest()


def xlsx_bytes(table: Table, lang: str, build_date: dt.date) -> bytes:
    return WORKBOOKS.make(table_key(table, lang, build_date), lambda: _xlsx(table, lang, build_date))


def table_key(table: Table, lang: str, build_date: dt.date) -> str:
    """The hash of everything in the table's files; worked out once per table (it covers every row)."""
    if (lang, build_date) not in table.cache_keys:
        table.cache_keys[lang, build_date] = FileCache.key(
            VERSION, table.name, table.title(lang), table.description(lang), table.columns, table.rows[lang],
            lang, build_date)
    return table.cache_keys[lang, build_date]


def keyed(table: Table, modified: dt.date) -> Table:
    """`table`, its files' keys worked out (and kept with it when it is remembered)."""
    for lang in table.rows:
        table_key(table, lang, modified)
    return table


NUMBER_FORMATS = {"date": "yyyy-mm-dd", "integer": "#,##0", "year": "0"}  # 2,035 is a quantity, 2035 a year


def _text_width(value) -> int:
    """How many of a spreadsheet's character widths `value` takes: a kanji or kana two, a Latin
    letter one (an English workbook holds Japanese names too)."""
    text = str(_cell(value) if value is not None else "")
    return len(text) if text.isascii() else sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _xlsx(table: Table, lang: str, build_date: dt.date) -> bytes:
    # XlsxWriter, in memory: half openpyxl's time for the same rows. Text stays text: no
    # formula, link or number is made of a string.
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False,
                                            "strings_to_urls": False, "strings_to_numbers": False})
    moment = dt.datetime.combine(build_date, dt.time())
    workbook.set_properties({"title": table.title(lang), "author": PUBLISHER[lang], "created": moment})
    sheet = workbook.add_worksheet(table.name[:31])
    sheet.freeze_panes(1, 0)
    header = workbook.add_format({"bold": True, "font_color": "#FFFFFF", "bg_color": "#0B6E4F",
                                  "valign": "vcenter", "text_wrap": True})
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}
    for index, column in enumerate(table.columns):
        widest = max([_text_width(column.header(lang))] + [_text_width(r.get(column.key)) for r in table.rows[lang]])
        sheet.set_column(index, index, min(60, max(10, widest * 1.1 + 2)))
        sheet.write_string(0, index, column.header(lang), header)
    columns = [(index, column.key, formats.get(column.kind)) for index, column in enumerate(table.columns)]
    for number, row in enumerate(table.rows[lang], start=1):
        for index, key, number_format in columns:
            value = row.get(key)
            if value is None:
                continue
            if isinstance(value, bool):
                sheet.write_boolean(number, index, value, number_format)
            elif isinstance(value, (int, float, Decimal)):
                sheet.write_number(number, index, value, number_format)
            elif isinstance(value, dt.date):
                sheet.write_datetime(number, index, value, number_format or formats["date"])
            else:
                sheet.write_string(number, index, str(value), number_format)
    workbook.close()
    return stamped(buffer.getvalue(), moment)  # XlsxWriter dates every member 1980-01-01


def stamped(data: bytes, moment: dt.datetime) -> bytes:
    """The zip `data` (as zipfile writes one) with every member dated `moment` and readable by
    all, as zip_entry makes them. Only header fields change: what was compressed once serves
    every date (a contract template's fixed parts, a workbook)."""
    year, month, day, hour, minute, second = moment.timetuple()[:6]
    time, date = hour << 11 | minute << 5 | second // 2, (year - 1980) << 9 | month << 5 | day
    out = bytearray(data)
    end = out.rfind(b"PK\x05\x06")  # the end of the central directory (our zips have no comment)
    count, _, at = struct.unpack_from("<HII", out, end + 10)
    for _ in range(count):
        name, extra, comment, _, _, _, local = struct.unpack_from("<HHHHHII", out, at + 28)
        if out[at:at + 4] != b"PK\x01\x02" or out[local:local + 4] != b"PK\x03\x04":
            raise ValueError("not a zip as zipfile writes one")
        struct.pack_into("<HH", out, at + 12, time, date)
        struct.pack_into("<I", out, at + 38, 0o644 << 16)
        struct.pack_into("<HH", out, local + 10, time, date)
        at += 46 + name + extra + comment
    return bytes(out)


def zip_entry(name: str, moment: dt.datetime) -> zipfile.ZipInfo:
    """A compressed member dated `moment`, readable by all, whoever builds it."""
    entry = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o644 << 16
    return entry


def files_cached(table: Table, build_date: dt.date) -> bool:
    """Whether table_files will find the table's files in the cache."""
    return all(TABLES.has(table_key(table, lang, build_date)) for lang in ("ja", "en"))


def table_paths(table: Table, folder: str) -> list[str]:
    return [f"{prefix}{folder}/{table.name}.{extension}" for prefix in ("", "en/") for extension in ("csv", "xlsx", "json")]


def table_files(table: Table, folder: str, build_date: dt.date, beside: bool = True) -> Mapping[str, bytes]:
    """Relative path -> bytes for /<folder>/<name>.csv|.xlsx|.json and the same under /en/;
    the languages not in the cache are made side by side, and `beside` the build in a forked
    process while it goes on (FilesInMaking: a workbook of a thousand rows takes a core a
    third of a second)."""
    keys = {lang: table_key(table, lang, build_date) for lang in ("ja", "en")}
    made = {lang: TABLES.get(key) for lang, key in keys.items()}
    missing = [lang for lang, data in made.items() if data is None]

    def files(made: dict[str, bytes]) -> dict[str, bytes]:
        found = {}
        for lang, prefix in (("ja", ""), ("en", "en/")):
            base = f"{prefix}{folder}/{table.name}"
            found[f"{base}.csv"], found[f"{base}.xlsx"], found[f"{base}.json"] = pickle.loads(made[lang])
        return found

    if not missing:
        return files(made)

    def finish(results: list[bytes]) -> dict[str, bytes]:
        return files({**made, **{lang: TABLES.put(keys[lang], data) for lang, data in zip(missing, results)}})

    def make() -> list[bytes]:
        return fork_map(lambda lang: _files_of(table, lang, build_date), missing, threshold=2)

    return FilesInMaking(table_paths(table, folder), Beside(make), finish) if beside else finish(make())


class FilesInMaking(Mapping):
    """Output path -> bytes of files a forked process is making while the build goes on: the
    paths are known at once, the bytes once first asked for. Only the process that started
    the making may wait for it (a worker forked meanwhile would take its result away):
    the opendata plugin has every dataset's files ready before pages are rendered."""

    def __init__(self, paths: list[str], making: Beside, finish: Callable[[list], dict[str, bytes]]):
        self._paths, self._making, self._finish = tuple(paths), making, finish
        self._owner, self._files = os.getpid(), None

    def ready(self) -> dict[str, bytes]:
        if self._files is None:
            if os.getpid() != self._owner:
                raise RuntimeError("files in making are asked for in a forked process; call ready() before forking")
            self._files = self._finish(self._making.result())
        return self._files

    def __getitem__(self, path: str) -> bytes:
        if path not in self._paths:  # a lookup of another file must not wait
            raise KeyError(path)
        return self.ready()[path]

    def __contains__(self, path) -> bool:
        return path in self._paths

    def __iter__(self):
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def ready(files: Mapping[str, bytes]) -> Mapping[str, bytes]:
    """`files`, with their bytes made."""
    return files.ready() if isinstance(files, FilesInMaking) else files


def _files_of(table: Table, lang: str, build_date: dt.date) -> bytes:
    return pickle.dumps((csv_bytes(table, lang), _xlsx(table, lang, build_date), json_bytes(table, lang, build_date)))
