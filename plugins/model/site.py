"""Load a whole content tree: parse, validate, cross-check, type and overlay every record.

`load_site()` reports every problem in the tree in one go (ContentError), or returns a Site
whose records are ready to publish. This is the only place content files are parsed.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from . import translation
from .cache import ParseCache
from .contacts import HTML_TAG, personal_data, published_phone_numbers, url_problem
from .consistency import consistency_problems
from .figures import read_figure
from .frontmatter import read_markdown
from .messages import explain, suggest_field
from .parallel import Beside, fork_map
from .problems import ContentError, Problem
from .records import COLLECTIONS, RECORD_TYPES, RESERVED_PAGE_IDS, SITE_FOLDERS, Record, is_ministry
from .redirects import Redirect, load_redirects, redirects_file
from .schemas import inlined, overlay_validator, translatable_fields
from .text import is_inside, refused_markup
from .validate import schema_problems
from .vocabularies import VOCABULARIES
from .yamlfile import CONTROL_CHARACTER, YamlDocument, control_character_message, dotted, load_yaml

# `brand: 森林 ＃ 確認中`: a note typed after a full-width '＃', which YAML keeps in the value
# (only a half-width '#' after a space starts a comment); quoted, it is what the editor meant.
FULL_WIDTH_COMMENT = re.compile(r"[ \u3000]＃")

# Optional files a content root may carry besides records (see DESIGN: optional content).
OPTIONAL_FILES = {"offers/contract-template.docx"}  # redirects.yaml sits at the content root
MARKDOWN_TEXT_FIELDS = {"minutes", "answer"}
OVERLAY_ATTRIBUTES = ("overlay", "overlay_source", "report_overlay")  # what reading a translation sets
# No dot: /robots.txt/ or /offers/offers.json/ would take the name of a file the site makes
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")
# A cell starting with one of these runs as a formula when the open-data CSV opens in a spreadsheet.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class Site:
    """Every validated record of one content tree, by collection."""

    root: Path
    records: dict[str, list[Record]]
    files: dict[str, Path] = field(default_factory=dict)  # "files/..." -> absolute path
    redirects: list[Redirect] = field(default_factory=list)  # legacy-domain paths -> pages here
    warnings: list[Problem] = field(default_factory=list)  # what builds, but not as written
    # load_site(beside=True): the checks still judging the records, in a forked process
    judging: Beside | None = field(default=None, repr=False, compare=False)

    # Set by a renderer to learn what a page reads: ("collection", name) or ("record", name, id).
    observer = None

    def all(self, collection: str) -> list[Record]:
        if self.observer:
            self.observer(("collection", collection))
        return self.records.get(collection, [])

    def find(self, collection: str, record_id: str) -> Record | None:
        if self.observer:
            self.observer(("record", collection, record_id))
        return self._index.get((collection, record_id))

    def all_materials(self) -> list[dict]:
        return [m for meeting in self.all("meetings") for m in meeting.get("materials", [])]

    def __post_init__(self):
        self._index = {(name, r.id): r for name, items in self.records.items() for r in items}


def display(path: Path) -> str:
    """The path as editors type it: relative to the working directory when below it."""
    text, cwd = str(path), os.getcwd() + os.sep
    return text[len(cwd):] if text.startswith(cwd) else text


class _Loader:
    def __init__(self, root: Path, cache: ParseCache, phones: frozenset[str] = frozenset()):
        self.root = root
        self.cache = cache
        self.phones = phones  # organisations' numbers a text may show (contacts.published_phone_numbers)
        self._files: set[str] | None = None  # every file below the root, listed once
        self._links: list[str] = []  # and every symbolic link
        self.ja = root / "ja"
        self.en = root / "en"
        self.problems: list[Problem] = []
        self.docs: dict[tuple[str, str], tuple[Record, YamlDocument]] = {}
        self.invalid: list[tuple[str, str, Path, YamlDocument]] = []  # still checked for references
        # file -> its Markdown links, (line, target): to attachments, and to this site's pages
        self.links: dict[Path, tuple[list[tuple[int, str]], list[tuple[int, str]]]] = {}
        self.present: set[tuple[str, str]] = set()  # (collection, id) of every file found
        self._pages: set[str] | None = None  # the URL paths of the pages the records make

    def problem(self, path, line, field_name, ja, en):
        self.problems.append(Problem(display(path), line, field_name, ja, en))

    # -- discovery -------------------------------------------------------------------------
    def discover(self) -> list[tuple[str, Path]]:
        """(collection name, file) for every record file; anything unexpected is a problem."""
        if not self.ja.is_dir():
            self.problem(self.ja, 1, "", "content/ja フォルダがありません", "the content root has no ja/ folder")
            return []
        self._list_files()
        for link in sorted(l for l in self._links if not EDITOR_FILES.fullmatch(l.rpartition("/")[2])):
            # git keeps them; a build would read what they point at (an editor's lock is none)
            self.problem(self.root / link, 1, "", "シンボリックリンクは置けません。ファイルそのものを置いてください",
                         "symbolic links are not allowed in the content: put the file itself here")
        folders = sorted(COLLECTIONS.values(), key=lambda c: -len(c.folder))
        found = []
        for path, relative in _content_files(self.ja):
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
    def read_all(self, found: list[tuple[str, Path]]) -> None:
        """`read()` each file, or take its recorded outcome when its bytes are unchanged; the
        files not in the cache are read on every core when there are many."""
        # Every file's id, read or not: a file with a syntax error is one problem, not also a
        # "does not exist" for each record referring to it.
        self.present = {(name, record_id_of(name, path)) for name, path in found}
        keys = [self.cache_key(name, path) for name, path in found]
        missing = [i for i, key in enumerate(keys) if key not in self.cache.entries]
        fresh = dict(zip(missing, fork_map(lambda i: self.outcome(*found[i]), missing, threshold=200)))
        for i, key in enumerate(keys):
            if i in fresh:
                self.cache.put(key, fresh[i])
                problems, invalid, docs, links = fresh[i]
            else:
                problems, invalid, docs, links = self.cache.get(key)
            self.problems += problems
            self.invalid += invalid
            self.docs.update(docs)
            self.links[found[i][1]] = links
            for record, _ in docs.values():
                record.source_digest = key[3]

    def cache_key(self, name: str, path: Path) -> tuple:
        """A file's outcome is kept by the digests of every file it is read from: a report's
        meta.yaml, report.md and the CSV files of its figures (named in meta.yaml, all below
        figures/), listed with their names so that renaming one changes the key."""
        sources = [path]
        if COLLECTIONS[name].kind == "report":
            figures = path.parent / "figures"
            sources += [path.parent / "report.md", *(sorted(figures.iterdir()) if figures.is_dir() else ())]
        digests = "".join(f"{source.name}:{self.cache.digests.digest(source)};" for source in sources)
        return ("record", name, display(path), digests)

    def outcome(self, name: str, path: Path) -> tuple:
        """What reading one file adds (its problems, invalid entries, documents and links to
        attachments), taken back out of the loader: read_all adds it, whether it was read here
        or in a worker."""
        before_problems, before_invalid, before_docs = len(self.problems), len(self.invalid), set(self.docs)
        self.read(name, path)
        added = (self.problems[before_problems:], self.invalid[before_invalid:],
                 {k: v for k, v in self.docs.items() if k not in before_docs}, link_lines(path))
        del self.problems[before_problems:], self.invalid[before_invalid:]
        for key in added[2]:
            del self.docs[key]
        return added

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
        record_id = record_id_of(name, path)
        if not SAFE_ID.match(record_id):
            self.problem(path, 1, "", "ファイル名（URL になります）は半角英数字とハイフンで付けてください（拡張子の前に「.」は使えません）",
                         "the file name becomes the URL: use ASCII letters, digits and hyphens (no dot before the extension)")
        elif name == "pages" and record_id.lower() in RESERVED_PAGE_IDS:
            self.problem(path, 1, "", f"/{record_id}/ はサイトが作るページの URL です。別のファイル名にしてください",
                         f"/{record_id}/ is the URL of a page the site makes itself; choose another file name")
        self.text_checks(doc, shown, collection.schema)
        if body is not None:
            self.markdown_checks(shown, body, doc.line(("body",)), "body")
        if problems:
            self.invalid.append((name, record_id, path, doc))
            if collection.kind == "report":  # report.md's problems in the same run, not the next
                self.read_report_document(None, path.parent)
            return
        data = typed(doc.data, inlined(collection.schema))
        if name == "cop" and "title" not in data:  # the contract lets a daily report go untitled
            data["title"] = f"{data['meeting']} 交渉日報 {data['date'].isoformat()}"
        record = RECORD_TYPES[name](id=record_id, source=path.relative_to(self.root).as_posix(),
                                    data=data, lines=doc.lines, body=body, attachments=tuple(_files(doc.data, ())))
        if collection.kind == "report":
            self.read_report_document(record, path.parent)
            self.read_figures(record, path.parent, doc)
        self.docs[(name, record_id)] = (record, doc)

    def read_report_document(self, record, folder: Path) -> None:
        path = folder / "report.md"
        if not path.exists():
            self.problem(folder / "meta.yaml", 1, "report.md", "report.md がありません", "report.md is missing")
            return
        doc, body, problems = read_markdown(path, display(path), "report-document.schema.json")
        if doc is None:  # unreadable (not UTF-8): said once, nothing more to check
            self.problems += problems
            return
        problems += schema_problems(doc, "report-document.schema.json", display(path))
        self.problems += problems
        self.text_checks(doc, display(path), "report-document.schema.json")
        self.markdown_checks(display(path), body, doc.line(("body",)), "body")
        if record is None:  # checked along with a meta.yaml that has problems of its own
            return
        # Typed only when valid (a 2026-10-32 is a problem reported, not a date): the load
        # stops at the end with every problem.
        record.report = doc.data if problems else typed(doc.data, inlined("report-document.schema.json"))
        record.body = body

    def read_figures(self, record, folder: Path, doc: YamlDocument) -> None:
        """The figures' CSV data, read once; a missing file is reported by reference_checks."""
        tables, numbers = [], {}
        for i, figure in enumerate(record.data.get("figures", [])):
            here = doc.line(("figures", i, "number"))
            if figure["number"] in numbers:
                self.problems.append(Problem(display(folder / "meta.yaml"), here, f"figures[{i}].number",
                                             f"図表番号 {figure['number']} が重複しています（{numbers[figure['number']]}行目）",
                                             f"figure number {figure['number']} is used twice (line {numbers[figure['number']]})"))
            numbers.setdefault(figure["number"], here)
            path = folder / figure["data"]
            if path.is_file():
                table, problems = read_figure(path, display(path), figure["number"], figure["title"], figure["data"])
                self.problems += problems
                tables.append(table)
        record.figure_tables = [t for t in tables if t is not None]
        for i, material in enumerate(record.data.get("third_party_material", [])):
            if material["figure"] in numbers:  # open data under the site's licence, and not cleared for reuse
                self.problems.append(Problem(
                    display(folder / "meta.yaml"), doc.line(("third_party_material", i, "figure")), f"third_party_material[{i}].figure",
                    f"{material['figure']} は二次利用未承諾とされていますが、figures: でデータを公開しています（{numbers[material['figure']]}行目）。"
                    "どちらかを直してください",
                    f"{material['figure']} is listed as not cleared for reuse, yet figures: publishes its data (line "
                    f"{numbers[material['figure']]}); correct one of the two"))

    def text_checks(self, doc: YamlDocument, shown: str, schema_name: str) -> None:
        """Plain text carries no HTML, and no contact that is not an organisation's."""
        for location, value in _strings(doc.data, ()):
            top = location[0] if location else ""
            if top in MARKDOWN_TEXT_FIELDS:  # a block of lines below its key, or the key's line
                self.markdown_checks(shown, value, doc.line(location) + ("\n" in value.rstrip("\n")), dotted(location))
                continue
            if control := CONTROL_CHARACTER.search(value):  # written as "\v", or pasted into Markdown metadata
                self.problems.append(Problem(shown, doc.line(location), dotted(location), *control_character_message(control[0])))
            if HTML_TAG.search(value):
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             "HTML タグは書けません（文字のまま表示されます）",
                                             "HTML tags are not allowed in plain text"))
            if value.startswith(FORMULA_START):
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             "「=」「+」「-」「@」で始まる文は表計算ソフトで数式として実行されるため書けません",
                                             "text may not start with = + - @: spreadsheets would run it as a formula"))
            if location in doc.raw and shown.endswith(".yaml") and FULL_WIDTH_COMMENT.search(value):
                self.problems.append(Problem(shown, doc.line(location), dotted(location),
                                             "「＃」から後ろも値として公開されます。メモのつもりなら半角の「#」にしてください",
                                             "what follows '＃' is published as part of the value; for a comment, type a half-width '#'",
                                             warning=True))
            reasons = personal_data(value, self.phones)
            if location and location[-1] in ("contact_url", "url"):  # a provider's site too: not a person's page
                reasons.append(url_problem(value))
            for reason in filter(None, reasons):
                self.problems.append(Problem(shown, doc.line(location), dotted(location), *reason))

    def markdown_checks(self, shown: str, text: str, first_line: int, field_name: str) -> None:
        """A Markdown text (a body, minutes, an answer), each problem on its own line: markup
        the site would drop without a word, and contacts that are not an organisation's."""
        lines = text.split("\n")
        found: dict[str, int] = {}  # piece -> the line it was last found on: the same piece twice is on two lines

        def line_of(piece: str) -> int:
            after = found.get(piece.lower(), -1)
            at = next((i for i, line in enumerate(lines) if i > after and piece.lower() in line.lower()),
                      next((i for i, line in enumerate(lines) if piece.lower() in line.lower()), 0))
            found[piece.lower()] = at
            return first_line + at

        for piece, ja, en in refused_markup(text):  # sanitised as the contract says, but not silently
            self.problems.append(Problem(shown, line_of(piece), field_name, ja, en, warning=True))
        for number, line in enumerate(lines, start=first_line):
            for reason in personal_data(line, self.phones):
                self.problems.append(Problem(shown, number, field_name, *reason))
            if control := CONTROL_CHARACTER.search(line):
                self.problems.append(Problem(shown, number, field_name, *control_character_message(control[0])))

    # -- whole tree ------------------------------------------------------------------------
    def judge(self) -> list[Problem]:
        """The problems of the checks that read the records and change nothing (load_site may
        run them beside the build)."""
        before = len(self.problems)
        self.cross_check()
        self.publication_checks()
        found = self.problems[before:]
        del self.problems[before:]
        return found

    def cross_check(self) -> None:
        ids = {key for key in self.docs} | {(name, rid) for name, rid, _, _ in self.invalid} | self.present
        first: dict[tuple[str, str], str] = {}
        for name, record_id in sorted(ids):  # URLs that differ in case only: one file on many disks
            other = first.setdefault((name, record_id.lower()), record_id)
            if other != record_id:  # said on both: which of the two is the mistake, only the editor knows
                for this, that in ((record_id, other), (other, record_id)):
                    record, _ = self.docs.get((name, this), (None, None))
                    source = record.source if record else f"ja/{COLLECTIONS[name].folder}/{this}"
                    self.problems.append(Problem(display(self.root / source), 1, "",
                                                 f"ファイル名が {that} と大文字・小文字だけ違います（URL が重なります）",
                                                 f"the file name differs from {that} in letter case only (the URLs collide)"))
        copied: dict[tuple, str] = {}
        for (name, record_id), (record, _) in sorted(self.docs.items()):  # a file copied and not yet edited
            original = copied.setdefault((name, repr(record.data), record.body), record_id)
            if original != record_id:
                self.problems.append(Problem(display(self.root / record.source), 1, "",
                                             f"{original} と内容がすべて同じです（同じものが2件公開されます）。写しなら消し、別のものなら違いを書いてください",
                                             f"every field is the same as in {original} (it would be published twice): "
                                             "delete the copy, or write what differs"))
        for name, record_id, path, doc in self.invalid:
            self.reference_checks(name, path, doc, ids)
        for (name, record_id), (record, doc) in self.docs.items():
            path = self.root / record.source
            self.reference_checks(name, path, doc, ids, record.attachments)
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
                start, _, end = data.get("time", "").partition("-")
                if end and end <= start:  # the calendar would end the meeting before it starts
                    self.problems.append(Problem(shown, here("time"), "time", f"終了時刻（{end}）を開始時刻（{start}）より後にしてください",
                                                 f"the end ({end}) must be after the start ({start})"))
                if "results" in data and data["committee"] != "certification":
                    self.problems.append(Problem(shown, here("results"), "results",
                                                 "審議結果は認証委員会にのみ書けます", "results are for the certification committee"))
            if name == "methodologies":
                category = VOCABULARIES.category_of_methodology(record_id)
                if category is not None and category != data["category"]:  # None: the id is wrong, said above
                    self.problems.append(Problem(shown, here("category"), "category",
                                                 f"方法論番号の区分は {category} です", f"the id's prefix belongs to category {category}"))
            if name == "offers" and data.get("government_held") and not is_ministry(data["seller"]):
                self.problems.append(Problem(shown, here("government_held"), "government_held",
                                             "政府保有クレジットの売り手は省庁です（seller を「〜省」「〜庁」にしてください）",
                                             "government-held credits are sold by a ministry or agency (〜省, 〜庁)"))
            for start, end in (("listed_on", "expires_on"), ("verified_on", "expires_on")):
                if start in data and end in data and data[end] < data[start]:
                    self.problems.append(Problem(shown, here(end), end, f"{start} より前の日付です", f"is before {start}"))
        self.problems += consistency_problems(self.root, self.docs)

    def attachment_problem(self, relative: str, base: Path | None = None) -> tuple[str, str] | None:
        """Why the file `relative` (below `base`, default the content root) may not be
        published, as (Japanese, English); None when it may. It is written as it lies below
        the content root (no `.` or `..`: the path is copied to the output as written), of a
        type whose hidden data the output checks read, and a file, not a symbolic link (which
        could publish anything the build machine can read)."""
        if not is_inside(relative):
            return ("パスに「..」「.」や空の部分は書けません。ファイルの場所をそのまま書いてください",
                    "the path may not hold '..', '.' or an empty part: write where the file is")
        if posixpath.splitext(relative)[1].lower() not in PUBLISHED_FILE_TYPES:
            kinds = "、".join(PUBLISHED_FILE_TYPES.values())
            return (f"この形式のファイルは公開できません。使える形式は {kinds} です（隠れた情報を確かめられる形式）",
                    f"files of this type cannot be published; use {kinds.replace('、', ', ')} (the formats "
                    "whose hidden data the build checks)")
        path = posixpath.join(Path(os.path.relpath(base or self.root, self.root)).as_posix(), relative)
        path = path.removeprefix("./")
        if self._files is None:
            self._list_files()
        if path in self._links:
            return ("シンボリックリンクは公開できません。ファイルそのものを置いてください",
                    "a symbolic link cannot be published: put the file itself there")
        if path not in self._files:
            named = min((f for f in self._files if f.lower() == path.lower()), default=None)  # shiryo1.PDF saved
            if named:
                found = posixpath.basename(named)
                return (f"ファイル {relative} がありません（{found} なら、大文字・小文字もそのとおりに書いてください）",
                        f"file {relative} does not exist (for {found}, write its name with the same letter case)")
            return f"ファイル {relative} がありません", f"file {relative} does not exist"
        return None

    def _list_files(self) -> None:
        self._links = []
        self._files = set(files_below(self.root, links=self._links))

    def linked_file_checks(self, path: Path) -> None:
        """Markdown links to attachments (in pages, minutes, answers) must point at files that
        may be published."""
        for number, relative, field_name in self.links_of(path)[0]:
            problem = self.attachment_problem(relative)
            if problem:
                self.problem(path, number, field_name, f"リンク先: {problem[0]}", f"linked file: {problem[1]}")

    def reference_checks(self, name: str, path: Path, doc: YamlDocument, ids, files=None) -> None:
        """References and attachments (`files`, as _files finds them), checked even on records
        with other problems."""
        shown = display(path)
        data = doc.data
        here = lambda f: doc.line((f,))  # noqa: E731
        # a value the schema already refused (F0-001, p0521; /files/a.pdf) is told once, with its hint
        refused = {problem.field for problem in self.problems if problem.path == shown and not problem.warning}
        if isinstance(data.get("methodology"), str) and "methodology" not in refused \
                and ("methodologies", data["methodology"]) not in ids:
            self.problems.append(Problem(shown, here("methodology"), "methodology",
                                         f"方法論 {data['methodology']} がありません（methodologies/{data['methodology']}.yaml）",
                                         f"methodology {data['methodology']} does not exist"))
        if name == "offers" and isinstance(data.get("project_id"), str) and "project_id" not in refused \
                and ("projects", data["project_id"]) not in ids:
            self.problems.append(Problem(shown, here("project_id"), "project_id",
                                         f"プロジェクト {data['project_id']} がありません", f"project {data['project_id']} does not exist"))
        base = path.parent if name == "reports" else self.root
        self.linked_file_checks(path)
        for location, value in _files(data, ()) if files is None else files:
            problem = self.attachment_problem(value, base) if dotted(location) not in refused else None
            if problem:
                self.problems.append(Problem(shown, doc.line(location), dotted(location), *problem))

    def publication_checks(self) -> None:
        """What a public record shows may not lead to what is not published: a Markdown link
        to a file that only an internal item has (an internal record's attachment, an internal
        material, a closed committee's papers) would publish the file, and a link to a page the
        build does not make would be broken. A reference to an internal record is a warning:
        public pages name it without a link, or leave an internal project out."""
        from .publication import non_public_locations  # it builds on this module

        internal_records = {(record.collection.name, record.id) for record, _ in self.docs.values() if record.internal}
        internal_files: dict[str, Record] = {}
        public_files: list[tuple[Record, YamlDocument, tuple, str, str]] = []
        for record, doc in self.docs.values():
            hidden = () if record.internal else non_public_locations(record)
            base = (self.root / record.source).parent if record.collection.kind == "report" else self.root
            for location, value in record.attachments:
                if record.internal or any(location[:len(part)] == part for part in hidden):
                    internal_files[self.content_path(value, base)] = record
                else:
                    public_files.append((record, doc, location, value, self.content_path(value, base)))
        for record, doc, location, value, path in public_files:  # one file, a public item and an internal one
            owner = internal_files.get(path)
            if owner is not None:
                self.problems.append(Problem(display(self.root / record.source), doc.line(location), dotted(location),
                                             f"公開しないファイル（{value}）は載せられません（{owner.source} で内部限定）",
                                             f"{value} is not published (internal in {owner.source}): it cannot be "
                                             "attached to a public item"))
        for record, doc in self.docs.values():
            if record.internal:
                continue
            for part, ja, en in (("minutes", "議事録", "minutes"), ("materials", "資料", "papers")):
                # Minutes and papers are for public committees (DESIGN); a closed one's are the editor's mistake or memo.
                if (part,) in non_public_locations(record) and record.data.get(part):
                    self.problems.append(Problem(display(self.root / record.source), doc.line((part,)), part,
                                                 f"非公開の委員会の{ja}は公開サイトに載りません（内部プレビューにだけ表示されます）",
                                                 f"a closed committee's {en} are left out of the public site (shown "
                                                 "in the internal preview only)", warning=True))
            # Built as designed (the id without a link, an internal project not at all), but said.
            for field_name, collection, ja, en in (
                    ("methodology", "methodologies", "公開ページでは番号だけを示し、リンクしません", "public pages show its id without a link"),
                    ("project_id", "projects", "公開ページには示しません", "public pages do not show it")):
                target = record.data.get(field_name)
                if isinstance(target, str) and (collection, target) in internal_records:
                    self.problems.append(Problem(display(self.root / record.source), doc.line((field_name,)), field_name,
                                                 f"{target} は内部限定（visibility: internal）です。{ja}",
                                                 f"{target} is internal (visibility: internal): {en}", warning=True))
            sources = [self.root / record.source, *(self.root / s for s in (record.overlay_source,) if s)]
            if record.collection.kind == "report":  # its documents, in both languages
                folder = Path(record.source).parent
                sources += [*(self.root / folder).glob("report.md"), *(self.root / "en" / folder.relative_to("ja")).glob("report.md")]
            for source in sources:
                for number, relative, field_name in self.links_of(source)[0] if internal_files else ():
                    owner = internal_files.get(self.content_path(relative, self.root))
                    if owner is not None:
                        self.problem(source, number, field_name, f"公開しないファイル（{relative}）にはリンクできません（{owner.source} で内部限定）",
                                     f"links to a file that is not published ({relative}: internal in {owner.source})")
                self.page_link_checks(source, internal_records)

    def is_unknown_page(self, url: str) -> bool:
        """Whether `url` (/offers/x/, /en/about/) is a page of the kinds the model knows (a
        record's page, a list, a Markdown page) that the public build does not make. Deeper
        paths and files are left to the output checks, which see every file the build writes."""
        if self._pages is None:
            public = [record for record, _ in self.docs.values() if not record.internal]
            listed = {record.collection.name for record in public}
            folders = {c.folder for c in COLLECTIONS.values() if c.name != "pages" and (c.empty_list or c.name in listed)}
            # A record that could not be read is given its page: its own problems are the ones
            # to fix, not every link to it (a cascade listed before the cause).
            unread = {f"{COLLECTIONS[name].folder}/{record_id}/" if name != "pages" else f"{record_id}/"
                      for name, record_id in self.present - set(self.docs)}
            self._pages = {""} | {f"{folder.rsplit('/', depth)[0]}/" for folder in folders for depth in (0, 1)} \
                | {record.url_path for record in public if record.collection.detail_pages or record.collection.name == "pages"} \
                | {f"{folder}/" for folder in SITE_FOLDERS} | unread
        path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
        path = "" if path in ("en", "en/") else path.removeprefix("en/")
        return path.endswith("/") and path.split("/", 1)[0] not in SITE_FOLDERS and path not in self._pages

    def redirect_checks(self, redirects: list[Redirect]) -> None:
        """Each redirect to a page leads to one the build makes: `make check` says so on the
        redirect's line (the output checks, which also see files, would at the end of a build)."""
        for redirect in redirects:
            if self.is_unknown_page(urlsplit(redirect.new).path):
                self.problems.append(Problem(redirect.source, redirect.line, redirect.old,
                                             f"転送先のページがありません（{redirect.new}）",
                                             f"the redirect target is not a built page ({redirect.new})"))

    def page_link_checks(self, source: Path, internal_records: set) -> None:
        """Links in a public text to this site's pages lead to pages the build makes."""
        for number, url, field_name in self.links_of(source)[1]:
            if not self.is_unknown_page(url):
                continue
            path = url.split("#", 1)[0].split("?", 1)[0].lstrip("/")
            path = "" if path in ("en", "en/") else path.removeprefix("en/")
            internal = any(path.startswith(c.folder + "/") and (c.name, path[len(c.folder) + 1:].rstrip("/")) in internal_records
                           for c in COLLECTIONS.values()) or ("pages", path.rstrip("/")) in internal_records
            self.problem(source, number, field_name, f"リンク先のページがありません（{url}）" + ("。内部限定の記録です" if internal else ""),
                         f"links to a page that is not built ({url})" + (": the record is internal" if internal else ""))

    def links_of(self, path: Path) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
        """The file's Markdown links (link_lines): kept with a record's parse, read for the rest."""
        if path not in self.links:
            self.links[path] = link_lines(path)
        return self.links[path]

    def content_path(self, relative: str, base: Path) -> str:
        """`relative` (below `base`) as a path from the content root."""
        return Path(os.path.normpath(os.path.join(os.path.relpath(base, self.root), relative))).as_posix()

    def translation_state(self, record: Record) -> str:
        """translation_state(record), kept by the digest of the files it was read from."""
        key = ("translation", record.collection.name, record.id, record.source_digest)
        state = self.cache.get(key)
        if state is None:
            state = translation_state(record)
            self.cache.put(key, state)
        return state

    def overlays(self) -> None:
        by_source = {record.source: record for record, _ in self.docs.values()}
        for path, relative in _content_files(self.en):
            source = "ja/" + relative
            if relative.startswith("reports/") and relative.endswith("/report.md"):
                source = source[: -len("report.md")] + "meta.yaml"
            record = by_source.get(source)
            if record is None:
                if re.fullmatch(r"reports/[^/]+/figures/.+", relative):
                    self.problems.append(Problem(display(path), 1, "", "図表のデータは日本語版の CSV から公開します。英語版のこのファイルは読まれません"
                                                 "（図表の題名は英語版の meta.yaml で訳せます）",
                                                 "figure data is published from the Japanese CSV only: this English copy is not read "
                                                 "(translate the figures' titles in the English meta.yaml)", warning=True))
                elif not (self.ja / relative).exists():
                    self.problem(path, 1, "", f"対応する日本語ファイル（ja/{relative}）がありません",
                                 f"no Japanese source ja/{relative} for this translation")
                continue
            self.read_overlay_cached(record, path)

    def read_overlay_cached(self, record: Record, path: Path) -> None:
        # Kept by the Japanese files' digests too: an overlay's lists are checked against theirs.
        key = ("overlay", record.collection.name, display(path), self.cache.digests.digest(path), record.source_digest)
        record.source_digest += f"{path.name}:{key[3]};"
        hit = self.cache.get(key)
        if hit is None:
            before = len(self.problems)
            self.read_overlay(record, path)
            self.cache.put(key, (self.problems[before:], {name: getattr(record, name, None) for name in OVERLAY_ATTRIBUTES}))
        else:
            problems, attributes = hit
            self.problems += problems
            for name, value in attributes.items():
                if value is not None:
                    setattr(record, name, value)

    def read_overlay(self, record: Record, path: Path) -> None:
        collection = record.collection
        shown = display(path)
        if path.suffix == ".md":
            schema_name = "report-document.schema.json" if collection.kind == "report" else collection.schema
            doc, body, problems = read_markdown(path, shown, schema_name)
            if doc is not None:  # a stub's empty `Title:` and its commented Japanese are not translations yet
                doc.data = {key: value for key, value in doc.data.items() if value not in ("", [])}
                body = body if translation.has_text({"body": body}) else None
        else:
            doc, problems = load_yaml(path, shown)
            body = None
            schema_name = collection.schema
        self.problems += problems
        if doc is None:
            return
        for error in overlay_validator(schema_name, path.suffix == ".md").iter_errors(doc.data):
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
        self.in_step_checks(record, doc, shown, schema_name, path.suffix == ".md")
        self.text_checks(doc, shown, collection.schema)
        if body is not None:
            self.markdown_checks(shown, body, doc.line(("body",)), "body")
        self.linked_file_checks(path)
        # Lists pair by position. While the English is current, one that does not pair is the
        # translator's to mend; once the Japanese has changed since (an item added, say), the
        # English list is not used at all: its items would fall on the wrong ones (an internal
        # item's title on a public one), and the page shows the Japanese with its notice.
        current = path.suffix != ".md" and doc.data.get("source_hash") == translation.source_hash(
            document_text(collection.schema, record.data))
        for location, translated, japanese in _unpaired_lists(record.data, doc.data, every_list=not current):
            if current:
                self.problems.append(Problem(
                    shown, doc.line(location), dotted(location),
                    f"{translated}件あります。日本語は{japanese}件です。日本語と同じ順に同じ数だけ書いてください（訳さない項目は空のままにします）",
                    f"{translated} items, the Japanese has {japanese}: translate them one for one, in the same order "
                    "(leave an item empty to show its Japanese)"))
            else:
                _drop(doc.data, location)
                why_ja, why_en = (("日本語が変わったため", "the Japanese has changed since") if "source_hash" in doc.data else
                                  ("どの日本語の訳か（source_hash）が書かれていないため", "the English does not say which Japanese it "
                                   "translates (no source_hash)"))
                self.problems.append(Problem(
                    shown, doc.line(location), dotted(location),
                    f"{translated}件あります。日本語は{japanese}件です。{why_ja}、訳し直すまで日本語で表示します",
                    f"{translated} items, the Japanese has {japanese}: {why_en}, so the list "
                    "shows in Japanese until it is translated again", warning=True))
        overlay = dict(doc.data)
        if body is not None:
            overlay["body"] = body
        if collection.kind == "report" and path.suffix == ".md":
            record.report_overlay = overlay  # the English report.md; meta.yaml is the overlay
            return
        record.overlay = overlay
        record.overlay_source = path.relative_to(self.root).as_posix()


    def in_step_checks(self, record: Record, doc: YamlDocument, shown: str, schema_name: str, page: bool) -> None:
        """The English translates the Japanese, field for field: a text the Japanese does not have
        would be published in English only (in the open data, say), and a page's other
        metadata (its visibility, its date) is the Japanese page's, not set again in English (a YAML
        translation holds translatable fields only: its schema says so)."""
        japanese = record.report if schema_name == "report-document.schema.json" else record.data
        translatable = {re.split(r"[\[.]", field)[0] for field in translatable_fields(schema_name)}  # top-level names
        for name, value in doc.data.items():
            if name in translation.OVERLAY_PINS or value in (None, "", [], {}):
                continue
            theirs = (japanese or {}).get(name)
            missing = theirs in (None, "", [], {})
            if name in translatable:
                if missing:
                    self.problems.append(Problem(shown, doc.line((name,)), name,
                                                 "日本語にない項目です。日本語を先に書いてから訳してください",
                                                 "the Japanese has no such field: write it in Japanese first, then translate it"))
            elif page and missing:
                self.problems.append(Problem(shown, doc.line((name,)), name,
                                             "英語のページでは設定できません。日本語のページに書いてください",
                                             "the English page cannot set this: set it on the Japanese page"))
            elif page and str(value) != str(theirs):
                self.problems.append(Problem(shown, doc.line((name,)), name,
                                             f"日本語のページと同じ「{theirs}」にしてください（{name} は訳す項目ではありません）",
                                             f"must be as on the Japanese page, {theirs} ({name} is not translated)"))


@dataclass(frozen=True)
class TranslationPart:
    """One file translated as a whole: `content/en/<path>` translates `content/ja/<path>`.

    A record is one part; a report is two (meta.yaml and report.md)."""

    path: str  # below the language folders: "offers/qa.yaml"
    schema: str  # the Japanese file's schema: it declares the translatable fields
    text: dict  # the Japanese text a translation translates (what source_hash covers)
    overlay: dict | None  # the English file's fields; None when there is no English file

    @property
    def state(self) -> str:
        pinned = (self.overlay or {}).get("source_hash")
        current = pinned == translation.source_hash(self.text)
        if not translation.has_text(self.overlay):
            # A translation all of whose text was set aside (its lists no longer pair with the
            # changed Japanese) is out of date, not absent: `status` must not offer a new stub.
            return "stale" if pinned and not current else "missing"
        return "current" if current else "stale"


def document_text(schema_name: str, data: dict, body: str | None = None, markdown: bool = False) -> dict:
    """The translatable text of one document: its `x-translatable` fields, and a Markdown body."""
    fields = translatable_fields(schema_name)
    if not markdown:
        return translation.extract(_plain(data), fields)
    return {**{name: _plain(data.get(name)) for name in fields}, "body": body}


def translation_parts(record: Record) -> list[TranslationPart]:
    collection = record.collection
    path = record.source.removeprefix("ja/")
    markdown = collection.kind == "markdown"
    parts = [TranslationPart(path, collection.schema,
                             document_text(collection.schema, record.data, record.body, markdown),
                             record.overlay)]
    if collection.kind == "report" and record.report is not None:
        schema = "report-document.schema.json"
        parts.append(TranslationPart(path.rsplit("/", 1)[0] + "/report.md", schema,
                                     document_text(schema, record.report, record.body, markdown=True),
                                     record.report_overlay))
    return parts


def translatable_text(record: Record) -> dict:
    """The Japanese text an English translation of `record` translates (what the hash covers)."""
    return translation_parts(record)[0].text


def translation_state(record: Record) -> str:
    """missing, stale or current: the state of the record's least current part."""
    states = {part.state for part in translation_parts(record)}
    return next(state for state in translation.STATES if state in states)


# What editors leave beside a file they save: backups (x.yaml~, #x.yaml#), locks (.#x.yaml),
# IDE and linter copies (x.yaml___jb_tmp___, flycheck_x.yaml). Not content: never read.
EDITOR_FILES = re.compile(r"\..*|.*~|#.*#|.*___jb_\w+___|flycheck_.*")


def _content_files(folder: Path):
    """(path, path relative to `folder`) of every content file, the optional ones and what
    editors leave beside them left out."""
    if not folder.is_dir():
        return
    for relative in sorted(files_below(folder), key=lambda r: r.split("/")):  # as Paths sort
        if not EDITOR_FILES.fullmatch(relative.rpartition("/")[2]) and relative not in OPTIONAL_FILES:
            yield folder / relative, relative


def files_below(folder: Path, prefix: str = "", links: list[str] | None = None) -> list[str]:
    """POSIX paths, relative to `folder`, of the files below it; symbolic links are not
    followed, and are added to `links` if given. os.scandir, as listing thousands of files
    through pathlib costs a second."""
    found = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink():
                if links is not None:
                    links.append(prefix + entry.name)
            elif entry.is_dir():
                found += files_below(Path(entry.path), prefix + entry.name + "/", links)
            elif entry.is_file():
                found.append(prefix + entry.name)
    return found


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


# What an attachment may be: the formats whose hidden data (authors, comments, scripts, hidden
# sheets) the output checks read (checks.published_files.CHECKS). Not HTML, SVG or scripts,
# which would run as this site; nor images or older Office formats, which the checks cannot read.
PUBLISHED_FILE_TYPES = {".pdf": "PDF", ".docx": "Word (.docx)", ".xlsx": "Excel (.xlsx)", ".csv": "CSV", ".json": "JSON"}

# A link's target as Markdown and HTML write it: [text](target), href="target", and a reference
# definition on a line of its own ("[m]: target", indented in a YAML block).
_LINK_START = r"""(?:\]\(\s*<?|(?:href|src)\s*=\s*["']|^[ \t]*\[[^\]\n]+\]:[ \t]*<?)"""
LINKED_FILE = re.compile(_LINK_START + r"""/?(files/[^)\s"'<>#?]+)""", re.MULTILINE)


def _unpaired_lists(data, overlay, location=(), every_list=False):
    """(location, overlay items, Japanese items) of each list of items the overlay translates
    with another number of items: items are paired by position, so a missing one would put
    every English title after it on the wrong item (and an internal item's on a public one).
    With `every_list`, lists of text too (an agenda); deepest first, shallower ones after."""
    if isinstance(data, dict) and isinstance(overlay, dict):
        for key, value in list(overlay.items()):
            if key in data:
                yield from _unpaired_lists(data[key], value, location + (key,), every_list)
    elif isinstance(data, list) and isinstance(overlay, list) and data and (every_list or isinstance(data[0], dict)):
        for i, (item, translated) in enumerate(zip(data, overlay)):
            yield from _unpaired_lists(item, translated, location + (i,), every_list)
        if len(overlay) != len(data):
            yield location, len(overlay), len(data)


def _drop(data, location: tuple) -> None:
    """Remove the value at `location` (keys and list indexes) from `data`."""
    *path, last = location
    for step in path:
        data = data[step]
    if isinstance(data, dict):
        data.pop(last, None)
    else:
        data[last] = {}  # an item of an outer list keeps its place, translating nothing


PAGE_LINK = re.compile(_LINK_START + r"""(/(?!/)[^)\s"'<>]*)""", re.MULTILINE)


def record_id_of(collection: str, path: Path) -> str:
    """A record's id: its file's name, or a report's folder's."""
    return path.parent.name if COLLECTIONS[collection].kind == "report" else path.stem


def link_lines(path: Path) -> tuple[list[tuple[int, str, str]], list[tuple[int, str, str]]]:
    """(line number, target, field) of each Markdown link in the file, to an attachment
    (files/...) and to a page of this site (/offers/x/): found when the file is read, kept with
    its parse, checked against the tree on every load. The field is the one the line belongs to
    (`minutes`, `answer`; a page's `body`), for the message."""
    # a file that is not UTF-8 has its problem from its reading: no link of it is published
    text = path.read_bytes().decode("utf-8", errors="replace")
    # The whole text, as the build reads it to publish what is linked: a link may run over two
    # lines ("[memo](⏎/files/…)"), and is on the line its target starts.
    breaks = [match.start() for match in re.finditer("\n", text)]
    line_of = lambda at: bisect.bisect_left(breaks, at) + 1  # noqa: E731
    links = [(line_of(m.start(1)), m.group(1), files) for files, pattern in ((True, LINKED_FILE), (False, PAGE_LINK))
             for m in pattern.finditer(text) if files or not m.group(1).startswith("/files/")]
    if not links:  # most files: no field to look for
        return [], []
    fields = _fields_by_line(text, path.suffix == ".md", line_of)
    starts = [start for start, _ in fields]

    def field_of(line: int) -> str:
        above = bisect.bisect_right(starts, line) - 1
        return fields[above][1] if above >= 0 else ""

    return ([(line, target, field_of(line)) for line, target, files in links if files],
            [(line, target, field_of(line)) for line, target, files in links if not files])


_TOP_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:", re.MULTILINE)


def _fields_by_line(text: str, markdown: bool, line_of) -> list[tuple[int, str]]:
    """(first line, field) of each top-level field of a YAML file, or of a Markdown page's
    metadata lines and its body (after the first blank line); `line_of(offset)` is the line."""
    starts = [(line_of(m.start()), m.group(1).lower() if markdown else m.group(1)) for m in _TOP_KEY.finditer(text)]
    if not markdown:
        return starts
    blank = re.search(r"\n[ \t]*\n", text)
    if blank is None:
        return [(1, "body")]
    body = line_of(blank.start()) + 1
    return [start for start in starts if start[0] < body] + [(body, "body")]


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


def load_site(root, cache_dir=None, beside: bool = False) -> Site:
    """Parse and validate the content tree at `root`; raise ContentError with every problem.

    With `cache_dir`, files whose bytes have not changed since the last load are not parsed
    or validated again; cross-references are always checked afresh. With `beside`, the checks
    that only judge the records (references between them, what may be published: 0.1 to 0.2 s
    of a warm load of the bench's tree) run in a forked process while the caller goes on with
    the records; the caller must take their verdict (judged) before it publishes anything."""
    phones, phone_problems = published_phone_numbers(Path(root))
    # what a text may show decides its problems: a parse is kept for one list of numbers
    loader = _Loader(Path(root), ParseCache(cache_dir, Path(root), variant=",".join(sorted(phones))), phones)
    loader.problems += phone_problems
    loader.read_all(loader.discover())
    loader.overlays()
    judging = None
    if beside and not any(not problem.warning for problem in loader.problems):
        judging = Beside(loader.judge)
    else:  # with errors already, every problem is told at once
        loader.problems += loader.judge()
    states = {key: loader.translation_state(record) for key, (record, _) in loader.docs.items()}
    loader.cache.save()
    redirect_map = redirects_file(loader.root)
    redirects, problems = load_redirects(redirect_map, display(redirect_map))
    loader.problems += problems
    loader.redirect_checks(redirects)
    errors = [problem for problem in loader.problems if not problem.warning]
    if errors:
        if judging is not None:  # every problem at once
            errors += [problem for problem in judging.result() if not problem.warning]
        raise ContentError(errors)
    records: dict[str, list[Record]] = {name: [] for name in COLLECTIONS}
    for (name, _), (record, _) in loader.docs.items():
        record.translation = states[name, record.id]  # of the whole record: before publication trims anything
        records[name].append(record)
    for items in records.values():
        items.sort(key=lambda r: r.sort_key())
    return Site(root=Path(root), records=records, redirects=redirects, judging=judging,
                warnings=sorted(problem for problem in loader.problems if problem.warning))


def judged(site: Site) -> list[Problem]:
    """The warnings of the checks load_site(beside=True) left running, once they are done;
    ContentError with their errors."""
    if site.judging is None:
        return []
    problems, site.judging = site.judging.result(), None
    errors = [problem for problem in problems if not problem.warning]
    if errors:
        raise ContentError(errors)
    return sorted(problems)
