"""Load a whole content tree: parse, validate, cross-check, type and overlay every record.

`load_site()` reports every problem in the tree in one go (ContentError), or returns a Site
whose records are ready to publish. This is the only place content files are parsed.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import translation
from .contacts import EMAIL_IN_TEXT, HTML_TAG, MOBILE_NUMBER, MOBILE_NUMBER_PROBLEM, email_problem, url_problem
from .frontmatter import read_markdown
from .problems import ContentError, Problem
from .records import COLLECTIONS, RECORD_TYPES, Record, is_ministry
from .schemas import registry, resolve, translatable_fields
from .validate import schema_problems
from .vocabularies import VOCABULARIES
from .yamlfile import YamlDocument, dotted, load_yaml

# Optional files a content root may carry besides records (see DESIGN: optional content).
OPTIONAL_FILES = {"offers/contract-template.docx", "redirects.yaml"}
MARKDOWN_TEXT_FIELDS = {"minutes", "answer"}
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
# A cell starting with one of these runs as a formula when the open-data CSV opens in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Site:
    """Every validated record of one content tree, by collection."""

    root: Path
    records: dict[str, list[Record]]
    files: dict[str, Path] = field(default_factory=dict)  # "files/..." -> absolute path

    def all(self, collection: str) -> list[Record]:
        return self.records.get(collection, [])

    def find(self, collection: str, record_id: str) -> Record | None:
        return self._index.get((collection, record_id))

    def all_materials(self) -> list[dict]:
        return [m for meeting in self.all("meetings") for m in meeting.get("materials", [])]

    def __post_init__(self):
        self._index = {(name, r.id): r for name, items in self.records.items() for r in items}


def display(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


class _Loader:
    def __init__(self, root: Path):
        self.root = root
        self.ja = root / "ja"
        self.en = root / "en"
        self.problems: list[Problem] = []
        self.docs: dict[tuple[str, str], tuple[Record, YamlDocument]] = {}
        self.invalid: list[tuple[str, str, Path, YamlDocument]] = []  # still checked for references

    def problem(self, path, line, field_name, ja, en):
        self.problems.append(Problem(display(path), line, field_name, ja, en))

    # -- discovery -------------------------------------------------------------------------
    def discover(self) -> list[tuple[str, Path]]:
        """(collection name, file) for every record file; anything unexpected is a problem."""
        if not self.ja.is_dir():
            self.problem(self.ja, 1, "", "content/ja フォルダがありません", "the content root has no ja/ folder")
            return []
        folders = sorted(COLLECTIONS.values(), key=lambda c: -len(c.folder))
        found = []
        for path in sorted(self.ja.rglob("*")):
            if path.is_dir() or path.name.startswith("."):
                continue
            relative = path.relative_to(self.ja).as_posix()
            if relative in OPTIONAL_FILES:
                continue
            collection = next((c for c in folders if relative.startswith(c.folder + "/")), None)
            if collection is None:
                self.problem(path, 1, "", "どの種類のコンテンツにも属さない場所です（フォルダ名を確認してください）",
                             "not inside a known collection folder (check the folder name)")
                continue
            inner = relative[len(collection.folder) + 1:]
            if collection.kind == "report":
                parts = inner.split("/")
                if len(parts) == 2 and parts[1] == "meta.yaml":
                    found.append((collection.name, path))
                elif len(parts) == 2 and parts[1] == "report.md" or len(parts) == 3 and parts[1] == "figures":
                    pass  # read with their meta.yaml
                else:
                    self.problem(path, 1, "", "報告書フォルダには meta.yaml, report.md, figures/ だけを置けます",
                                 "a report folder holds meta.yaml, report.md and figures/ only")
            elif "/" in inner:
                self.problem(path, 1, "", "サブフォルダは使えません", "sub-folders are not allowed here")
            elif collection.kind == "yaml" and path.suffix == ".yaml" or collection.kind == "markdown" and path.suffix == ".md":
                found.append((collection.name, path))
            else:
                expected = ".yaml" if collection.kind == "yaml" else ".md"
                self.problem(path, 1, "", f"拡張子は {expected} にしてください", f"the file name must end in {expected}")
        return found

    # -- one file --------------------------------------------------------------------------
    def read(self, name: str, path: Path) -> None:
        collection = COLLECTIONS[name]
        shown = display(path)
        body = None
        if collection.kind == "markdown":
            doc, body, problems = read_markdown(path, shown, collection.schema)
        else:
            doc, problems = load_yaml(path, shown)
        self.problems += problems
        if doc is None:
            return
        if not isinstance(doc.data, dict):
            self.problem(path, 1, "", "ファイル全体を「項目: 値」の組で書いてください", "the file must be a mapping of fields")
            return
        problems = schema_problems(doc, collection.schema, shown)
        self.problems += problems
        record_id = path.parent.name if collection.kind == "report" else path.stem
        if not SAFE_ID.match(record_id):
            self.problem(path, 1, "", "ファイル名（URL になります）は半角英数字・ハイフン・ピリオドで付けてください",
                         "the file name becomes the URL: use ASCII letters, digits, hyphens and dots")
        self.text_checks(doc, shown, collection.schema)
        if problems:
            self.invalid.append((name, record_id, path, doc))
            return
        data = typed(doc.data, registry().contents(collection.schema))
        if name == "cop" and "title" not in data:  # the contract lets a daily report go untitled
            data["title"] = f"{data['meeting']} 交渉日報 {data['date'].isoformat()}"
        record = RECORD_TYPES[name](id=record_id, source=path.relative_to(self.root).as_posix(),
                                    data=data, lines=doc.lines, body=body)
        if collection.kind == "report":
            self.read_report_document(record, path.parent)
        self.docs[(name, record_id)] = (record, doc)

    def read_report_document(self, record, folder: Path) -> None:
        path = folder / "report.md"
        if not path.exists():
            self.problem(folder / "meta.yaml", 1, "report.md", "report.md がありません", "report.md is missing")
            return
        doc, body, problems = read_markdown(path, display(path), "report-document.schema.json")
        self.problems += problems + schema_problems(doc, "report-document.schema.json", display(path))
        record.report = typed(doc.data, registry().contents("report-document.schema.json"))
        record.body = body

    def text_checks(self, doc: YamlDocument, shown: str, schema_name: str) -> None:
        """Plain text carries no HTML, and no contact that is not an organisation's."""
        for location, value in _strings(doc.data, ()):
            top = location[0] if location else ""
            if top not in MARKDOWN_TEXT_FIELDS and HTML_TAG.search(value):
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             "HTML タグは書けません（文字のまま表示されます）",
                                             "HTML tags are not allowed in plain text"))
            if top not in MARKDOWN_TEXT_FIELDS and value.startswith(FORMULA_START):
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             "「=」「+」「-」「@」で始まる文は表計算ソフトで数式として実行されるため書けません",
                                             "text may not start with = + - @: spreadsheets would run it as a formula"))
            reasons = [email_problem(address) for address in EMAIL_IN_TEXT.findall(value)]
            if location and location[-1] == "contact_url":
                reasons.append(url_problem(value))
            if MOBILE_NUMBER.search(value):
                reasons.append(MOBILE_NUMBER_PROBLEM)
            for reason in filter(None, reasons):
                self.problems.append(Problem(shown, doc.line(location), dotted(location), *reason))

    # -- whole tree ------------------------------------------------------------------------
    def cross_check(self) -> None:
        ids = {key for key in self.docs} | {(name, rid) for name, rid, _, _ in self.invalid}
        for name, record_id, path, doc in self.invalid:
            self.reference_checks(name, path, doc, ids)
        for (name, record_id), (record, doc) in self.docs.items():
            path = self.root / record.source
            self.reference_checks(name, path, doc, ids)
            shown = display(path)
            here = lambda f: doc.line((f,))  # noqa: E731
            data = record.data
            id_field = {"methodologies": "id", "projects": "project_id", "ndc": "party"}.get(name)
            if id_field and data[id_field] != record_id:
                self.problems.append(Problem(shown, here(id_field), id_field,
                                             f"ファイル名（{record_id}）と一致しません", f"does not match the file name ({record_id})"))
            if "slug" in data and data["slug"] != record_id:
                self.problems.append(Problem(shown, here("slug"), "slug",
                                             f"URL はファイル名から決まります。slug を消すか {record_id} にしてください",
                                             f"the URL comes from the file name; remove slug or make it {record_id}"))
            if data.get("lang", "ja") != "ja":
                self.problems.append(Problem(shown, here("lang"), "lang", "content/ja の言語は ja です",
                                             "files under ja/ are Japanese"))
            if name == "meetings":
                expected = f"{data['committee']}-{data['number']:03d}"
                if record_id != expected:
                    self.problems.append(Problem(shown, here("number"), "number",
                                                 f"ファイル名は {expected}.yaml にしてください", f"the file should be named {expected}.yaml"))
                if "results" in data and data["committee"] != "certification":
                    self.problems.append(Problem(shown, here("results"), "results",
                                                 "審議結果は認証委員会にのみ書けます", "results are for the certification committee"))
            if name == "methodologies":
                category = VOCABULARIES.category_of_methodology(record_id)
                if category != data["category"]:
                    self.problems.append(Problem(shown, here("category"), "category",
                                                 f"方法論番号の区分は {category} です", f"the id's prefix belongs to category {category}"))
                seen = set()
                for i, version in enumerate(data["versions"]):
                    if version["version"] in seen:
                        self.problems.append(Problem(shown, doc.line(("versions", i, "version")), f"versions[{i}].version",
                                                     "同じ版が2回あります", "this version is listed twice"))
                    seen.add(version["version"])
            if name == "offers" and data.get("government_held") and not is_ministry(data["seller"]):
                self.problems.append(Problem(shown, here("government_held"), "government_held",
                                             "政府保有クレジットの売り手は省庁です（seller を「〜省」「〜庁」にしてください）",
                                             "government-held credits are sold by a ministry or agency (〜省, 〜庁)"))
            for start, end in (("listed_on", "expires_on"), ("verified_on", "expires_on")):
                if start in data and end in data and data[end] < data[start]:
                    self.problems.append(Problem(shown, here(end), end, f"{start} より前の日付です", f"is before {start}"))

    def linked_file_checks(self, path: Path) -> None:
        """Markdown links to attachments (in pages, minutes, answers) must point at real files."""
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for relative in linked_files(line):
                target = (self.root / relative).resolve()
                if not target.is_relative_to(self.root.resolve()) or not target.is_file():
                    self.problem(path, number, "", f"リンク先のファイル {relative} がありません",
                                 f"linked file {relative} does not exist")

    def reference_checks(self, name: str, path: Path, doc: YamlDocument, ids) -> None:
        """References and attachments, checked even on records with other problems."""
        shown = display(path)
        data = doc.data
        here = lambda f: doc.line((f,))  # noqa: E731
        if isinstance(data.get("methodology"), str) and ("methodologies", data["methodology"]) not in ids:
            self.problems.append(Problem(shown, here("methodology"), "methodology",
                                         f"方法論 {data['methodology']} がありません（methodologies/{data['methodology']}.yaml）",
                                         f"methodology {data['methodology']} does not exist"))
        if name == "offers" and isinstance(data.get("project_id"), str) and ("projects", data["project_id"]) not in ids:
            self.problems.append(Problem(shown, here("project_id"), "project_id",
                                         f"プロジェクト {data['project_id']} がありません", f"project {data['project_id']} does not exist"))
        base = path.parent if name == "reports" else self.root
        self.linked_file_checks(path)
        for location, value in _files(data, ()):
            target = (base / value).resolve()
            if not target.is_relative_to(self.root.resolve()) or not target.is_file():
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             f"ファイル {value} がありません", f"file {value} does not exist"))

    def overlays(self) -> None:
        if not self.en.is_dir():
            return
        for path in sorted(self.en.rglob("*")):
            if path.is_dir() or path.name.startswith("."):
                continue
            relative = path.relative_to(self.en).as_posix()
            if relative in OPTIONAL_FILES:
                continue
            source = "ja/" + relative
            if relative.startswith("reports/") and relative.endswith("/report.md"):
                source = source[: -len("report.md")] + "meta.yaml"
            match = next(((name, rid) for (name, rid), (rec, _) in self.docs.items()
                          if rec.source == source), None)
            if match is None:
                if not (self.ja / relative).exists():
                    self.problem(path, 1, "", f"対応する日本語ファイル（ja/{relative}）がありません",
                                 f"no Japanese source ja/{relative} for this translation")
                continue
            record, _ = self.docs[match]
            self.read_overlay(record, path)

    def read_overlay(self, record: Record, path: Path) -> None:
        collection = record.collection
        shown = display(path)
        if path.suffix == ".md":
            schema_name = "report-document.schema.json" if collection.kind == "report" else collection.schema
            doc, body, problems = read_markdown(path, shown, schema_name)
            schema = registry().contents(schema_name)
            schema = {**schema, "required": [], "properties": {
                **schema["properties"], "source_hash": {"type": "string"}, "source_commit": {"type": "string"}}}
        else:
            doc, problems = load_yaml(path, shown)
            body = None
            schema = translation.overlay_schema(registry().contents(collection.schema), resolve)
        self.problems += problems
        if doc is None:
            return
        from jsonschema import Draft202012Validator
        from .messages import explain, suggest_field
        for error in Draft202012Validator(schema, registry=registry()).iter_errors(doc.data):
            location = tuple(error.absolute_path)
            if error.validator == "additionalProperties":
                allowed = error.schema.get("properties", {})
                for name in error.instance:
                    if name not in allowed:
                        ja, en = suggest_field(name, allowed)
                        self.problems.append(Problem(shown, doc.line(location + (name,)), dotted(location + (name,)),
                                                     ja + "（翻訳できる項目ではありません）", en + " (not a translatable field)"))
            else:
                ja, en = explain(error, doc.raw.get(location))
                self.problems.append(Problem(shown, doc.line(location), dotted(location), ja, en))
        self.text_checks(doc, shown, collection.schema)
        self.linked_file_checks(path)
        overlay = dict(doc.data)
        if body is not None:
            overlay["body"] = body
        if collection.kind == "report" and path.suffix == ".md":
            record.report_overlay = overlay  # the English report.md; meta.yaml is the overlay
            return
        record.overlay = overlay
        record.overlay_source = path.relative_to(self.root).as_posix()


def translatable_text(record: Record) -> dict:
    """The Japanese text an English translation of `record` translates (what the hash covers)."""
    if record.collection.kind == "markdown":
        return {"title": record.data["title"], "summary": record.data.get("summary"), "body": record.body}
    return translation.extract(_plain(record.data), translatable_fields(record.collection.schema))


def translation_state(record: Record) -> str:
    if record.overlay is None:
        return "missing"
    pinned = record.overlay.get("source_hash")
    return "current" if pinned == translation.source_hash(translatable_text(record)) else "stale"


def _plain(value):
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def typed(value, schema):
    """Dates become datetime.date (the schema has already proved them well formed)."""
    schema = resolve(schema)
    if schema.get("format") == "date" and isinstance(value, str):
        return dt.date.fromisoformat(value)
    if isinstance(value, dict):
        props = schema.get("properties", {})
        return {k: typed(v, props.get(k, {})) for k, v in value.items()}
    if isinstance(value, list):
        items = schema.get("items", {})
        return [typed(v, items if isinstance(items, dict) else {}) for v in value]
    return value


def _strings(value, location):
    if isinstance(value, str):
        yield location, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(v, location + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, location + (i,))


LINKED_FILE = re.compile(r"""(?:\]\(\s*<?|(?:href|src)\s*=\s*["'])/?(files/[^)\s"'<>#?]+)""")


def linked_files(markdown_text: str | None) -> list[str]:
    """Attachments a Markdown text links to: [資料](/files/a.pdf), ![図](/files/b.png)."""
    return LINKED_FILE.findall(markdown_text or "")


def _files(value, location):
    """Attachment paths: `file` fields, and report figures' `data`."""
    if isinstance(value, dict):
        for k, v in value.items():
            if k in ("file", "data") and isinstance(v, str):
                yield location + (k,), v
            else:
                yield from _files(v, location + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _files(v, location + (i,))


def load_site(root) -> Site:
    """Parse and validate the content tree at `root`; raise ContentError with every problem."""
    loader = _Loader(Path(root))
    for name, path in loader.discover():
        loader.read(name, path)
    loader.cross_check()
    loader.overlays()
    if loader.problems:
        raise ContentError(loader.problems)
    records: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
    for (name, _), (record, _) in loader.docs.items():
        record.translation = translation_state(record)  # before publication trims anything
        records[name].append(record)
    for items in records.values():
        items.sort(key=lambda r: r.sort_key())
    return Site(root=Path(root), records=records)
