"""Contract templates (契約書ひな形): each listed offer's facts filled into a Word template with
docxtpl, one document per language, published at /offers/<id>/contract.docx and /en/...

The template is the content root's own `<lang>/offers/contract-template.docx` when it has one,
else the project's default (made by scripts/make_contract_templates.py). A template is prepared
once for all offers (ContractFiller: about a millisecond a document), and documents are kept
by a hash of everything that goes into them, so a build renders only what changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import pickle
import re
import zipfile
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import docxtpl
from babel.dates import format_date
from babel.numbers import format_decimal
from jinja2 import StrictUndefined, Template, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from i18n.catalogs import babel_locale
from model import ContentError, Problem
from model.site import display
from model.cache import load_pickle, save_pickle
from model.parallel import fork_map
from opendata.filecache import FileCache
from opendata.tables import stamped
from site_pages.output import StoredFile, content_digest

from .package import core_xml, package_bytes, published_parts

TEMPLATE_PATH = "offers/contract-template.docx"  # below content/<lang>/
DEFAULT_TEMPLATES = Path(__file__).parent / "templates"
TITLE = {"ja": "J-クレジット売買契約書（ひな形）", "en": "J-Credit Sale and Purchase Agreement (template)"}
TITLE_OF_OFFER = {"ja": "{title}：{brand}", "en": "{title}: {brand}"}
NONE = {"ja": "―", "en": "—"}
BODY = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}body"
FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
DOCXTPL_PARAGRAPH = re.compile(r"<w:p([ >])")  # as docxtpl's render_xml_part rewrites a part before compiling it
# Any change to this code or to docxtpl must re-render every cached document.
CODE_VERSION = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(Path(__file__).parent.glob("*.py")))
                              + docxtpl.__version__.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class ContractTemplate:
    lang: str
    path: Path
    data: bytes

    @property
    def shown(self) -> str:
        return display(self.path)

    @cached_property
    def digest(self) -> str:
        """What identifies the template's bytes (hashed once, not once per offer)."""
        return hashlib.sha256(self.data).hexdigest()


def contract_template(content_root: Path, lang: str) -> ContractTemplate:
    """The content root's template for `lang`, else the default; ContentError if it is unfit."""
    own = Path(content_root) / lang / TEMPLATE_PATH
    path = own if own.is_file() else DEFAULT_TEMPLATES / lang / "contract-template.docx"
    template = ContractTemplate(lang, path, path.read_bytes())
    problems = template_problems(template)
    if problems:
        raise ContentError(problems)
    return template


def template_problems(template: ContractTemplate) -> list[Problem]:
    """What would publish an editor's traces or break every contract: checked before rendering."""
    def problem(ja, en):
        return Problem(template.shown, 1, "", ja, en)
    try:
        package = zipfile.ZipFile(io.BytesIO(template.data))
        document = package.read("word/document.xml")
    except (zipfile.BadZipFile, KeyError):
        return [problem("Word 文書（.docx）として読めません。Word で「.docx」形式で保存してください",
                        "not a Word document (.docx); save it from Word as .docx")]
    problems = []
    if any(name.startswith("word/comments") for name in package.namelist()):
        problems.append(problem("コメントが残っています（作成者名が公開されます）。削除してから保存してください",
                                "the template has comments (their authors would be published); delete them"))
    if re.search(rb"<w:(ins|del|moveFrom|moveTo)\b", document):
        problems.append(problem("変更履歴が残っています（作成者名が公開されます）。すべて承諾してから保存してください",
                                "the template has tracked changes (their authors would be published); accept them all"))
    return problems


def contract_context(row: dict, lang: str) -> dict:
    """Everything a template can say about an offer in `lang`, from its open-data row in that
    language (exports.offer_row); its keys are the placeholders editors may use (listed in the
    README). The row as written there (dates 2026-09-01, quantities 12000), plus the same
    facts for reading (12,000, 2026年9月1日)."""
    facts = {key: _as_text(value) for key, value in row.items()}
    locale = babel_locale(lang)
    facts.update(
        offer_id=row["id"],
        offer_url=row["page_url"],
        project=f"{row['project_id']} {row['project_title']}" if row["project_id"] else NONE[lang],
        quantity=format_decimal(row["quantity_t_co2"], locale=locale),
        listed_date=format_date(row["listed_on"], "long", locale=locale),
        expiry_date=format_date(row["expires_on"], "long", locale=locale) if row["expires_on"] else NONE[lang],
        contact=row["contact_url"] or row["contact_email"],
    )
    return {**facts, "offer": dict(facts)}  # {{ offer.brand }} reads as well as {{ brand }}


def _as_text(value):
    if value is None:
        return ""
    return value.isoformat() if isinstance(value, dt.date) else value


class _CompiledOnce(SandboxedEnvironment):
    """docxtpl compiles a part's XML again for every document it fills; here each source is
    compiled once, so a thousand offers cost a thousand renderings and one compilation.
    Sandboxed: a template is content, and may only read the facts it is given."""

    def __init__(self):
        super().__init__(undefined=StrictUndefined, autoescape=True)  # offer text stays text
        self._compiled: dict[str, Template] = {}

    def from_string(self, source, globals=None, template_class=None):
        if globals is not None or template_class is not None:
            return super().from_string(source, globals, template_class)
        if source not in self._compiled:
            self._compiled[source] = super().from_string(source)
        return self._compiled[source]


class ContractFiller:
    """One template prepared to fill many offers: docxtpl's own patching and rendering of the
    body, headers, footers and footnotes, without reopening and saving the whole package for
    each document; the parts no placeholder touches are compressed once, and dated for each."""

    def __init__(self, template: ContractTemplate):
        self.template = template
        self.environment = _CompiledOnce()
        self.docx = docxtpl.DocxTemplate(io.BytesIO(template.data))
        self.docx.render_init()
        main = self.docx.docx.part
        self.main_name = main.partname.lstrip("/")
        self.main_xml = zipfile.ZipFile(io.BytesIO(template.data)).read(self.main_name)
        self.body = self.docx.patch_xml(self.docx.get_xml())
        self.parts = {}  # member name -> (python-docx part, patched XML, is a footnotes part)
        for uri in (self.docx.HEADER_URI, self.docx.FOOTER_URI):
            for _, part in self.docx.get_headers_footers(uri):
                self.parts[part.partname.lstrip("/")] = (part, self.docx.patch_xml(self.docx.get_part_xml(part)), False)
        for part in main.package.parts:
            if part.content_type == FOOTNOTES:
                blob = part.blob.decode("utf-8") if isinstance(part.blob, bytes) else part.blob
                self.parts[part.partname.lstrip("/")] = (part, self.docx.patch_xml(blob), True)
        filled = {self.main_name, "docProps/core.xml", *self.parts}
        fixed = {name: body for name, body in published_parts(template.data).items() if name not in filled}
        self.fixed = package_bytes(fixed, dt.datetime(1980, 1, 1))  # compressed once, dated for each document

    def compile(self) -> None:
        """Compile the parts now, as docxtpl will ask for them (it breaks the XML before each
        paragraph first), not in the first fill: a build server's builds fill them at once."""
        for source in [self.body, *(source for _, source, _ in self.parts.values())]:
            self.environment.from_string(DOCXTPL_PARAGRAPH.sub(r"\n<w:p\1", source))

    def fill(self, context: dict) -> dict[str, bytes]:
        """The filled-in parts, by member name; ContentError naming the template if a
        placeholder is wrong."""
        try:
            return self._fill(context)
        except UndefinedError as error:
            name = re.search(r"'(\w+)' is undefined", str(error))
            field = name.group(1) if name else ""
            fields = ", ".join(name for name in context if name != "offer")
            raise ContentError([Problem(
                self.template.shown, 1, field,
                f"差し込み項目 {{{{ {field} }}}} はありません。使える項目: {fields}",
                f"there is no placeholder {{{{ {field} }}}}; the placeholders are: {fields}")]) from None
        except TemplateError as error:
            raise ContentError([Problem(self.template.shown, 1, "",
                                        f"差し込み項目の書き方が正しくありません（{error}）",
                                        f"a placeholder is malformed ({error})")]) from None

    def _fill(self, context: dict) -> dict[str, bytes]:
        docx, environment = self.docx, self.environment
        docx.docx_ids_index = 1000  # as docxtpl's render_init: pictures numbered afresh
        body = docx.fix_tables(docx.render_xml_part(self.body, docx.docx.part, context, environment))
        docx.fix_docpr_ids(body)
        document = etree.fromstring(self.main_xml)
        document.replace(document.find(BODY), body)
        parts = {self.main_name: etree.tostring(document, encoding="UTF-8", standalone=True)}
        for name, (part, source, footnotes) in self.parts.items():
            xml = docx.render_xml_part(source, part, context, environment)
            parts[name] = xml.encode("utf-8") if footnotes else etree.tostring(
                etree.fromstring(xml.encode("utf-8")), encoding="UTF-8", standalone=True)
        return parts

    def contract(self, context: dict, moment: dt.datetime) -> bytes:
        """The published document: the fixed parts, the core properties naming the secretariat
        and the offer, and the filled-in parts, every member dated `moment`."""
        parts = self.fill(context)
        lang = self.template.lang
        title = TITLE_OF_OFFER[lang].format(title=TITLE[lang], brand=context["brand"])
        return package_bytes({"docProps/core.xml": core_xml(title, lang, moment), **parts}, moment,
                             base=stamped(self.fixed, moment))


_FILLERS: dict[tuple[str, str], ContractFiller] = {}  # (language, template digest) -> its filler


def filler(template: ContractTemplate) -> ContractFiller:
    """The template's filler, prepared once per process (and, for the default templates, by
    the build server before any build: prepare_default_fillers)."""
    key = (template.lang, template.digest)
    if key not in _FILLERS:
        _FILLERS[key] = ContractFiller(template)
    return _FILLERS[key]


def prepare_default_fillers() -> None:
    """Have the default templates' fillers ready, and compiled, in this process."""
    for lang in ("ja", "en"):
        path = DEFAULT_TEMPLATES / lang / "contract-template.docx"
        filler(ContractTemplate(lang, path, path.read_bytes())).compile()


def templates_problems(site, content_root: Path) -> list[Problem]:
    """What `make check` says of the content's own contract templates, as the build would find
    it: a package unfit to publish, and a placeholder no offer fills (tried with the first
    offer's row: every row has the same placeholders). The defaults are the tests' to check."""
    from .exports import offer_row  # it builds on this module's neighbours, not the other way

    problems = []
    offers = site.all("offers")
    for lang in ("ja", "en"):
        if not (Path(content_root) / lang / TEMPLATE_PATH).is_file():
            continue
        try:
            template = contract_template(content_root, lang)
            if offers:
                ContractFiller(template).fill(contract_context(offer_row(offers[0], site, lang, ""), lang))
        except ContentError as error:
            problems += error.problems
    return problems


def render_contract(template: ContractTemplate, row: dict, moment: dt.datetime) -> bytes:
    """One filled-in contract for the offer of open-data `row` (ContractFiller fills many faster)."""
    return ContractFiller(template).contract(contract_context(row, template.lang), moment)


class ContractCache:
    """Rendered contracts by content hash, in a folder that outlives builds (FileCache).

    The key covers the template's bytes, the offer's open-data row (all its facts come from it),
    the date and this code, so a document is rendered again exactly when something in it would
    change; the facts are worked out only for documents not in the cache. An index beside the
    documents holds each one's size and digest and the day a build last used it, so a build
    reads a document only where its output does not hold it yet (reading two thousand of them
    cost every rebuild a fifth of a second)."""

    def __init__(self, folder: Path, keep_days: int = 30):
        self.files = FileCache(folder, ".docx", keep_days)
        self.rendered = self.reused = 0
        self._index_path = Path(folder) / "index.pickle"
        try:  # key -> (size, content digest, ordinal of the day a build last used it)
            self._index: dict[str, tuple[int, bytes, int]] = load_pickle(self._index_path)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            self._index = {}
        self._used: set[str] = set()

    @staticmethod
    def key(template: ContractTemplate, row: dict, moment: dt.datetime) -> str:
        """Everything a document is made of; the row by its repr (its values are text, numbers,
        dates and None), which takes a third of json.dumps's time for the thousands of offers."""
        facts = repr((CODE_VERSION, template.digest, template.lang, moment.isoformat(), sorted(row.items())))
        return hashlib.sha256(facts.encode("utf-8")).hexdigest()

    def contract(self, template: ContractTemplate, row: dict, moment: dt.datetime) -> bytes:
        return self.contracts([(template, row, moment)])[0]

    def contracts(self, jobs: list[tuple[ContractTemplate, dict, dt.datetime]]) -> list[bytes]:
        """The documents of (template, open-data row, moment) jobs, in order."""
        return [document.load() for document in self.documents(jobs)]

    def documents(self, jobs: list[tuple[ContractTemplate, dict, dt.datetime]]) -> list[StoredFile]:
        """The documents of the jobs, in order: those in the cache by their size and digest,
        the others rendered (on every core when there are many) and kept."""
        keys = [self.key(*job) for job in jobs]
        self._used.update(keys)
        documents = [self._stored(key, job) if key in self._index else None for key, job in zip(keys, jobs)]
        missing = [index for index, document in enumerate(documents) if document is None]
        self.reused += len(jobs) - len(missing)
        if missing:
            # The first is rendered here: a wrong placeholder fails with its message before any
            # worker starts, and the workers inherit the compiled template.
            first = self._render(jobs[missing[0]])
            rendered = [first] + fork_map(self._render, [jobs[index] for index in missing[1:]])
            for index, data in zip(missing, rendered):
                self.files.put(keys[index], data)
                self._index[keys[index]] = (len(data), content_digest(data), 0)
                documents[index] = StoredFile(len(data), content_digest(data), lambda data=data: data)
            self.rendered += len(missing)
        return documents

    def _stored(self, key: str, job) -> StoredFile:
        size, digest, _ = self._index[key]

        def load() -> bytes:  # rendered again if the file was lost or damaged: the same bytes
            data = self.files.get(key)
            if data is None or content_digest(data) != digest:
                data = self.files.put(key, self._render(job))
            return data

        return StoredFile(size, digest, load)

    def _render(self, job) -> bytes:
        template, row, moment = job
        return filler(template).contract(contract_context(row, template.lang), moment)

    def prune(self) -> int:
        """Forget the documents no build has used for `keep_days` (and any file the index does
        not know, once it is that old); saves the index. Returns how many files were removed."""
        today = dt.date.today().toordinal()
        kept = {key: (size, digest, today if key in self._used else day)
                for key, (size, digest, day) in self._index.items()}
        removed = 0
        for key in [key for key, (_, _, day) in kept.items() if today - day > self.files.keep_days]:
            del kept[key]
            self.files.remove(key)
            removed += 1
        if kept != self._index or not self._index_path.exists():
            removed += self.files.prune(keep=kept.keys())
            save_pickle(self._index_path, kept)
        self._index = kept
        return removed
