"""What a published download may not carry: hidden sheets, rows and columns, comments, tracked
changes, hidden text, authors' names, attachments, scripts, formulas, and personal data.

Every XLSX, CSV, DOCX, PDF and JSON file in the output is read as its format stores it:
Office files from their XML parts, PDFs with pypdf. The text of every page is checked from
the reference scan's parse of it (see page_text). Each finding names the file.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import posixpath
import re
import zipfile
from dataclasses import dataclass

import lxml.etree
import pypdf
from openpyxl.utils import get_column_letter

from model.contacts import personal_data
from model.problems import Problem

from .site_files import SiteFiles

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
S = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
SHEET_XPATH = {name: lxml.etree.XPath(query, namespaces={"s": S[1:-1]}, smart_strings=False) for name, query in {
    "formulas": "//s:c[s:f]/@r",
    # hidden, or as good as: a row under 2 points high, a column under one character wide
    "hidden_rows": "//s:row[@hidden='1' or @hidden='true' or number(@ht) < 2]/@r",
    "hidden_columns": "//s:col[@hidden='1' or @hidden='true' or number(@width) < 1]",
    "shared_text": "//s:c[@t='s' and not(s:f)]",
    "inline_text": "//s:c[(@t='inlineStr' or @t='str') and not(s:f)]",
}.items()}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheet programs run as a formula
NUMBER = re.compile(r"[-+]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?")
PDF_ACTIONS = {"/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/GoToE", "/RichMediaExecute"}
PDF_SCRIPT_KEYS = {"/JS", "/JavaScript", "/AA", "/EmbeddedFile", "/EmbeddedFiles", "/XFA"}


@dataclass
class Policy:
    authors: frozenset[str]  # the names an author field may hold: the publisher's
    phones: frozenset[str]  # organisations' numbers that may be published (digits only)


class FileCheck:
    def __init__(self, site: SiteFiles, display: str, policy: Policy):
        self.site = site
        self.display = display
        self.policy = policy
        self.problems: list[Problem] = []

    def problem(self, file: str, field: str, ja: str, en: str, line: int = 1) -> None:
        self.problems.append(Problem(f"{self.display}/{file}", line, field, ja, en))

    def text(self, file: str, field: str, text: str, line: int = 1) -> None:
        for ja, en in personal_data(text, self.policy.phones):
            self.problem(file, field, ja, en, line)

    def texts(self, file: str, everything, entries) -> None:
        """self.text for each (field, text, line) that `entries()` gives, once one search of
        `everything` (the same texts, alone) has found something: published files rarely hold
        personal data, one search of the whole costs far less than one per cell, and the cells
        are named only for a finding. The separator is a character no address or number can span."""
        if personal_data("\x00".join(everything), self.policy.phones):
            for field, text, line in entries():
                self.text(file, field, text, line)

    def author(self, file: str, field: str, value) -> None:
        if value and str(value).strip() not in self.policy.authors:
            self.problem(file, field, f"作成者などの個人情報（{value}）が残っています。ファイルのプロパティから消してください",
                         f"author metadata ({value}) must be removed from the file's properties")

    # -- formats --------------------------------------------------------------------------------
    def xlsx(self, file: str) -> None:
        """Read from the package's XML parts, as Excel stores them: what openpyxl would load,
        without building every cell object (a 1,000-row sheet in a twentieth of the time)."""
        path = self.site.source(file)
        self.office_parts(file, path, ("xl/comments", "xl/threadedComments/", "xl/persons/"))
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            self.office_authors(file, archive)
            if any(name.startswith("xl/externalLinks/") for name in names):
                self.problem(file, "externalLink", "他のファイルへの外部参照があります", "the workbook links to external files")
            strings = _shared_strings(archive)
            targets = _relationships(archive, "xl/workbook.xml")
            for sheet in _xml(archive, "xl/workbook.xml").iter(f"{S}sheet"):
                where = f"sheet[{sheet.get('name')}]"
                if sheet.get("state", "visible") != "visible":
                    self.problem(file, where, "非表示のシートがあります", "hidden sheet")
                part = targets.get(sheet.get(f"{R}id"), ("", ""))[1]
                if part in names:
                    self.worksheet(file, where, archive, part, strings)

    def worksheet(self, file: str, where: str, archive: zipfile.ZipFile, part: str, strings: list[str]) -> None:
        """One sheet, through XPath queries (the cells are many; the findings, few)."""
        sheet = _xml(archive, part)
        for cell in SHEET_XPATH["formulas"](sheet):
            self.problem(file, f"{where}!{cell}", "数式があります。公開データは値にしてください",
                         "formula cell; published data holds values")
        hidden_rows = [int(r) for r in SHEET_XPATH["hidden_rows"](sheet)]
        if hidden_rows:
            self.problem(file, where, f"非表示の行があります（{hidden_rows[:5]}）", f"hidden rows ({hidden_rows[:5]})")
        hidden_columns = [get_column_letter(n) for col in SHEET_XPATH["hidden_columns"](sheet)
                          for n in range(int(col.get("min")), min(int(col.get("max")), int(col.get("min")) + 4) + 1)]
        if hidden_columns:
            self.problem(file, where, f"非表示の列があります（{hidden_columns[:5]}）", f"hidden columns ({hidden_columns[:5]})")
        # All the text at once: the string table and the cells' own.
        self.texts(file, [*strings, *(t.text or "" for t in sheet.iter(f"{S}t"))], lambda: (
            [(f"{where}!{c.get('r', '?')}", "".join(c.itertext()), 1)
             for c in SHEET_XPATH["inline_text"](sheet)] +
            [(f"{where}!{c.get('r', '?')}", strings[int(c.findtext(f"{S}v"))], 1)
             for c in SHEET_XPATH["shared_text"](sheet)]))
        for comments in _relationships(archive, part).values():
            if comments[0].endswith("/comments") and comments[1] in archive.namelist():
                for comment in _xml(archive, comments[1]).iter(f"{S}comment"):
                    self.problem(file, f"{where}!{comment.get('ref')}", "コメントがあります", "cell comment")

    def csv(self, file: str) -> None:
        rows = list(csv.reader(io.StringIO(self.site.read(file).decode("utf-8-sig"), newline="")))
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value.startswith(FORMULA_START) and not NUMBER.fullmatch(value):
                    self.problem(file, f"row {number} column {column}",
                                 "「=」「+」「-」「@」で始まる値は表計算ソフトで数式として実行されます",
                                 "a value starting with = + - @ runs as a formula in spreadsheet programs", number)
        self.texts(file, (value for row in rows for value in row), lambda: (
            (f"row {number} column {column}", value, number)
            for number, row in enumerate(rows, start=1) for column, value in enumerate(row, start=1)))

    def json(self, file: str) -> None:
        document = json.loads(self.site.read(file))
        self.texts(file, _strings(document),
                   lambda: ((where, value, 1) for where, value in _located_strings(document, "")))

    def docx(self, file: str) -> None:
        path = self.site.source(file)
        self.office_parts(file, path, ("word/comments",))
        with zipfile.ZipFile(path) as archive:
            self.office_authors(file, archive)
            for part in sorted(n for n in archive.namelist() if re.fullmatch(r"word/(document|header\d*|footer\d*|footnotes|endnotes)\.xml", n)):
                tree = _xml(archive, part)
                for tag, ja, en in ((f"{W}ins", "変更履歴（挿入）が残っています", "tracked insertion"),
                                    (f"{W}del", "変更履歴（削除）が残っています", "tracked deletion"),
                                    (f"{W}vanish", "隠し文字があります", "hidden text")):
                    element = next(tree.iter(tag), None)
                    if element is not None:
                        self.problem(file, part, ja, en, element.sourceline or 1)
                paragraphs = [(part, "".join(t.text or "" for t in paragraph.iter(f"{W}t")), paragraph.sourceline or 1)
                              for paragraph in tree.iter(f"{W}p")]
                self.texts(file, (text for _, text, _ in paragraphs), lambda: paragraphs)

    def office_authors(self, file: str, archive: zipfile.ZipFile) -> None:
        core = _xml(archive, "docProps/core.xml")
        if core is not None:
            for name in ("creator", "lastModifiedBy"):
                for element in core.iter(f"{{*}}{name}"):
                    self.author(file, name, element.text)
        app = _xml(archive, "docProps/app.xml")
        for element in (app.iter("{*}Manager") if app is not None else []):
            self.author(file, "Manager", element.text)

    def office_parts(self, file: str, path, comment_parts: tuple[str, ...]) -> None:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            # What Word or Excel fetches by itself from elsewhere as the file opens (an attached
            # template, a linked picture or object): a reader's machine would contact that host.
            # A hyperlink is fetched only when followed.
            for rels in (name for name in names if name.endswith(".rels")):
                for relation in _xml(archive, rels).iter("{*}Relationship"):
                    if relation.get("TargetMode") == "External" and not relation.get("Type", "").endswith("/hyperlink"):
                        self.problem(file, rels, f"開くと外部から読み込む参照があります（{relation.get('Target')}）",
                                     f"the file loads content from elsewhere when opened ({relation.get('Target')})")
        if any(name.startswith(comment_parts) for name in names):
            self.problem(file, "comments", "コメントが残っています", "the file holds comments")
        if "docProps/custom.xml" in names:
            self.problem(file, "custom.xml", "独自のファイルプロパティがあります（個人情報が入りやすい項目です）",
                         "custom document properties (a common place for personal data)")

    def pdf(self, file: str) -> None:
        try:
            reader = pypdf.PdfReader(self.site.source(file))
            if reader.is_encrypted:
                self.problem(file, "encrypt", "暗号化された PDF は確認できません。暗号化を外してください",
                             "an encrypted PDF cannot be checked; publish it unencrypted")
                return
            metadata = reader.metadata or {}
            self.author(file, "/Author", metadata.get("/Author"))
            xmp = reader.xmp_metadata
            for creator in (xmp.dc_creator or []) if xmp is not None else []:
                self.author(file, "dc:creator", creator)
            found = _pdf_active_content(reader.trailer["/Root"])
            opening = reader.trailer["/Root"].get("/OpenAction")
            opening = opening.get_object() if opening is not None else None
            if isinstance(opening, dict) and opening.get("/S") not in (None, "/GoTo"):  # not a page to show first
                found.add(f"/OpenAction {opening.get('/S')}")
            for key in sorted(found):
                kind = ("添付ファイル", "attachments") if "Embedded" in key else ("スクリプトや動作", "scripts or actions")
                self.problem(file, key, f"PDF に{kind[0]}があります（{key}）", f"the PDF holds {kind[1]} ({key})")
            for number, page in enumerate(reader.pages, start=1):
                if any(a.get_object().get("/Subtype") == "/FileAttachment" for a in page.get("/Annots") or []):
                    self.problem(file, f"page {number}", "PDF に添付ファイルがあります", "the PDF holds attachments")
                self.text(file, f"page {number}", page.extract_text() or "")
        except pypdf.errors.PyPdfError as error:
            self.problem(file, "", f"PDF を読めません（{error}）", f"unreadable PDF ({error})")

    def page_text(self, file: str, tree) -> None:
        """A page's text and mailto: addresses; `tree` is the page as the reference scan parsed
        it (references.scan_references), and loses its scripts and styles here."""
        for bad in tree.xpath("//script | //style"):
            bad.drop_tree()
        texts = [tree.text_content()] + [h[len("mailto:"):] for h in tree.xpath("//a/@href") if h.startswith("mailto:")]
        for text in texts:
            self.text(file, "text", text)


def _strings(value) -> list[str]:
    """Every string in a JSON document, keys aside."""
    found, stack = [], [value]
    while stack:
        value = stack.pop()
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def _located_strings(value, where: str):
    """(place, string) of every string in a JSON document: rows[3].brand."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _located_strings(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _located_strings(item, f"{where}[{index}]")


def _xml(archive: zipfile.ZipFile, name: str):
    if name not in archive.namelist():
        return None
    return lxml.etree.fromstring(archive.read(name), lxml.etree.XMLParser(resolve_entities=False, no_network=True))


def _shared_strings(archive: zipfile.ZipFile) -> list[str]:
    """The workbook's string table; phonetic guides (rPh) are not part of a cell's text."""
    table = _xml(archive, "xl/sharedStrings.xml")
    if table is None:
        return []
    return ["".join(t.text or "" for t in item.iter(f"{S}t") if t.getparent().tag != f"{S}rPh")
            for item in table.iter(f"{S}si")]


def _relationships(archive: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id -> (type, the target's name in the package)."""
    folder, name = posixpath.split(part)
    rels = _xml(archive, posixpath.join(folder, "_rels", name + ".rels"))
    if rels is None:
        return {}
    return {r.get("Id"): (r.get("Type", ""), _target(folder, r.get("Target", ""))) for r in rels.iter("{*}Relationship")}


def _target(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _pdf_active_content(root) -> set[str]:
    """Keys and actions in the PDF's object graph that run something or carry a file."""
    found, seen, stack = set(), set(), [root]
    while stack:
        node = stack.pop()
        if isinstance(node, pypdf.generic.IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, dict):
            found.update(k for k in node if k in PDF_SCRIPT_KEYS)
            if node.get("/S") in PDF_ACTIONS:
                found.add(str(node.get("/S")))
            stack.extend(v for k, v in node.items() if k not in ("/Parent", "/Contents"))
        elif isinstance(node, list):
            stack.extend(node)
    return found


CHECKS = {".xlsx": FileCheck.xlsx, ".csv": FileCheck.csv, ".json": FileCheck.json, ".docx": FileCheck.docx,
          ".pdf": FileCheck.pdf}  # pages: FileCheck.page_text, during the reference scan


def file_outcome(site: SiteFiles, file: str, policy: Policy) -> list[Problem]:
    """The problems of one download, from its bytes alone; their paths relative to the output
    (shown() puts the output's name in front)."""
    check = FileCheck(site, "", policy)
    method = CHECKS[next(s for s in CHECKS if file.lower().endswith(s))]
    try:
        method(check, file)
    except (zipfile.BadZipFile, KeyError, ValueError, lxml.etree.XMLSyntaxError) as error:
        check.problem(file, "", f"ファイルを読めません（{error}）", f"unreadable file ({error})")
    return check.problems


def check_published_files(site: SiteFiles, display: str, policy: Policy, memo=None) -> list[Problem]:
    files = site.by_suffix(*CHECKS)
    compute = lambda file: file_outcome(site, file, policy)  # noqa: E731
    outcomes = memo.outcomes("file", files, compute) if memo else map(compute, files)
    # Editors' attachments are of the checked types (validation says so on the field's line);
    # anything else there, an HTML page or a script, would run as this site.
    unchecked = [Problem(f"/{file}", 1, "", "確かめられない形式のファイルは公開できません",
                         "a file of a type the checks cannot read may not be published")
                 for file in sorted(site.files) if file.startswith("files/") and not file.lower().endswith(tuple(CHECKS))]
    return shown([problem for problems in outcomes for problem in problems] + unchecked, display)


def shown(problems: list[Problem], display: str) -> list[Problem]:
    """Problems of files in the output, named as the output is shown (`display`)."""
    return [dataclasses.replace(problem, path=display + problem.path) for problem in problems]
