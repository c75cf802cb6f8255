"""Rendering themed pages in both languages, re-rendering only what changed.

Every page is rendered with its dependencies recorded: the records and collections its
template reads from the site (through `Site.find`/`Site.all`) and the records in its context.
Its fingerprint combines the template and the templates it uses, the code and settings, and
the digests of those dependencies; a page whose fingerprint is unchanged is not rendered again.
Every file goes through the build's `Output` (see output.py)."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import os
import pickle
import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateNotFound
from markupsafe import Markup

from model import Record
from model.cache import load_pickle, save_pickle
from model.parallel import cores, fork_pool

from .output import Output
from .routes import LANG_PREFIX, url_for
from .theme import language_context

LANGUAGES = ("ja", "en")
PLUGINS_DIR = Path(__file__).resolve().parent.parent
# Pages; below this, starting worker processes costs more than it saves, even for lists of a
# thousand records: a forked worker renders those at half this process's speed (each memory
# page it touches is copied first) and sends them back to be written.
PARALLEL_THRESHOLD = 400


def output_of(generator) -> Output:
    """The build's Output, shared by every generator through the Pelican context."""
    context = generator.context
    if context.get("JCREDIT_OUTPUT") is None:  # scripts/build.py passes one in the settings
        context["JCREDIT_OUTPUT"] = Output(generator.output_path, staged=False)
    return context["JCREDIT_OUTPUT"]


def write_file(generator, relative: str, data: bytes | str) -> bool:
    """Produce one output file (unchanged bytes are not written again)."""
    return output_of(generator).write(relative, data)


def common_context(generator) -> dict:
    """What every page's template gets, whichever generator renders it."""
    settings = generator.settings
    return {"site": generator.context["jcredit_site"],
            "build_date": dt.date.fromisoformat(settings["BUILD_DATE"]),
            "internal_build": settings["INTERNAL_BUILD"],
            "SITENAME": settings["SITENAME"]}


class Renderer:
    """Fingerprints, dependency tracking and rendering for one build."""

    def __init__(self, generator):
        self.settings = generator.settings
        self.context = generator.context
        self.site = generator.context["jcredit_site"]
        self.output = output_of(generator)
        self.state = self.output.state
        self.pages = self.output.pages
        self._digests: dict = {}
        self._parts: dict = {}  # dependency key -> its share of a fingerprint
        self._template_versions: dict = {}
        self.code_version = self._code_version()
        self.waits: list = []  # called before the first page is rendered (before_rendering)

    @classmethod
    def of(cls, generator) -> "Renderer":
        context = generator.context
        if "jcredit_renderer" not in context:
            context["jcredit_renderer"] = cls(generator)
        return context["jcredit_renderer"]

    # -- fingerprints ----------------------------------------------------------------------
    def _code_version(self) -> str:
        digest = hashlib.sha256()
        for key in ("BUILD_DATE", "INTERNAL_BUILD", "SITENAME", "SITEURL"):
            digest.update(repr(self.settings.get(key)).encode())
        theme = Path(self.settings["THEME"])
        # Named relative to their folders: a checkout elsewhere (the change report builds two
        # revisions in two folders) renders nothing again that its code does not change.
        # Every file of the plugins: their code, and the data it reads (code lists, schemas,
        # the default contract templates), of which a page shows labels and sizes.
        files = [(f"plugins/{p.relative_to(PLUGINS_DIR).as_posix()}", p) for p in PLUGINS_DIR.rglob("*")
                 if p.is_file() and "__pycache__" not in p.parts]
        files += [(f"theme/{p.relative_to(theme).as_posix()}", p) for p in theme.glob("translations/**/*.po")]
        for name, path in sorted(files):
            digest.update(name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()

    def template_version(self, generator, name: str) -> str:
        """A hash of the template and every template it extends, imports or includes."""
        if name not in self._template_versions:
            digest = hashlib.sha256(self.code_version.encode())
            seen, queue = set(), [_template_file(generator, name)]
            while queue:
                current = queue.pop()
                if current in seen:
                    continue
                seen.add(current)
                try:
                    source, _, _ = generator.env.loader.get_source(generator.env, current)
                except TemplateNotFound:  # an optional `include ... ignore missing`
                    source = "\0missing"
                digest.update(current.encode())
                digest.update(source.encode())
                queue.extend(TEMPLATE_REFERENCE.findall(source))
            self._template_versions[name] = digest.hexdigest()
        return self._template_versions[name]

    def digest(self, key: tuple) -> str:
        if key not in self._digests:
            if key[0] == "collection":
                parts = [self.digest(("record", key[1], r.id)) for r in self.site.records.get(key[1], [])]
                value = hashlib.sha256("|".join(parts).encode()).hexdigest()
            elif key[0] == "file":  # a download a page states the size of (opendata.published)
                from opendata.published import announced  # the plugin that keeps them builds on this one
                data = announced(self.context).get(key[1])
                value = "absent" if data is None else str(len(data))
            else:
                record = self.site._index.get((key[1], key[2]))
                value = record_digest(record, Path(self.settings["PATH"])) if record else "absent"
            self._digests[key] = value
        return self._digests[key]

    def fingerprint(self, base: str, dependencies) -> str:
        parts = self._parts
        for key in dependencies:
            if key not in parts:
                parts[key] = (repr(key) + self.digest(key)).encode()
        return hashlib.sha256(base.encode() + b"".join(parts[key] for key in sorted(dependencies))).hexdigest()

    # -- values made from the site ----------------------------------------------------------
    def remembered(self, name: str, compute, *arguments):
        """compute(), or what it returned in an earlier build if the code, the settings,
        `arguments` and everything it read of the site (recorded as for pages) are unchanged:
        whole-site tables take a rebuild a tenth of a second each. Kept in CACHE_PATH, one file
        per name, read ahead by the build server."""
        path = Path(self.settings["CACHE_PATH"], f"derived-{name}.pickle")
        earlier = load_kept(path)
        entry = self.kept(f"{self.code_version}|{name}|{arguments!r}", earlier, compute)
        if entry is not earlier:
            save_pickle(path, entry)
        return entry[2]

    def kept(self, base: str, entry: tuple | None, compute, reads=()) -> tuple:
        """`entry`, a (fingerprint, dependencies, value) kept from an earlier build, if the
        fingerprint of `base` and what it read is unchanged; else a new entry of compute(), with
        what it reads of the site (and `reads`). Either way, the page being rendered, if any,
        depends on the same."""
        outer = self.site.observer
        if entry is None or entry[0] != self.fingerprint(base, entry[1]):
            read = set(reads)
            self.site.observer = read.add
            try:
                value = compute()
            finally:
                self.site.observer = outer
            dependencies = tuple(sorted(read))
            entry = (self.fingerprint(base, dependencies), dependencies, value)
        for key in entry[1] if outer else ():
            outer(key)
        return entry

    # -- pages -----------------------------------------------------------------------------
    def jobs(self, generator, template_name, path, context=None, record=None, file_name="index.html"):
        """One job per language: (relative file, base of the fingerprint, render arguments)."""
        context = context or {}
        own = _context_dependencies(context, record)
        version = self.template_version(generator, template_name)
        context_digest = _context_digest(context)
        for lang in LANGUAGES:
            relative = LANG_PREFIX[lang] + path + file_name
            base = f"{version}|{lang}|{relative}|{context_digest}"
            yield relative, base, own, (template_name, path, context, record, file_name, lang)

    def needs_render(self, relative, base, own) -> bool:
        previous = self.state.pages.get(relative)
        if previous and self.output.exists(relative):
            fingerprint, dependencies = previous
            if fingerprint == self.fingerprint(base, set(dependencies) | own):
                self.output.keep(relative)
                self.pages[relative] = previous
                return False
        return True

    def render(self, generator, relative, base, own, arguments) -> tuple[bytes, str, tuple]:
        """Render one page; returns its bytes, fingerprint and dependency keys."""
        template_name, path, context, record, file_name, lang = arguments
        read: set = set()
        self.site.observer = read.add
        parts = RecordParts(self, relative, base)
        try:
            html = generator.get_template(template_name).render(
                {**page_context(generator, path, context, record, file_name, lang), "cached": parts})
        finally:
            self.site.observer = None
        parts.save()
        dependencies = tuple(sorted(read | own))
        return html.encode("utf-8"), self.fingerprint(base, dependencies), dependencies

    def store(self, relative, data, fingerprint, dependencies) -> bool:
        """Write the page; True when its bytes changed."""
        changed = self.output.write(relative, data)
        self.pages[relative] = (fingerprint, dependencies)
        return changed

    def render_all(self, generator, jobs) -> int:
        """Render the jobs whose fingerprints changed, on every core when there are many."""
        todo = [job for job in jobs if self.needs_render(*job[:3])]
        while todo and self.waits:
            self.waits.pop(0)()
        workers = cores()
        if len(todo) < PARALLEL_THRESHOLD or workers < 2:
            for job in todo:
                data, fingerprint, dependencies = self.render(generator, *job)
                if self.store(job[0], data, fingerprint, dependencies):
                    self.output.check_soon({job[0]: data})  # on the other core while this one renders on
            return len(todo)
        # Forked workers render; into a fresh folder they write themselves, while an in-place
        # update sends the pages back so that nothing is written before the build succeeds.
        chunks = [chunk for chunk in (todo[i::workers * 4] for i in range(workers * 4)) if chunk]
        with fork_pool(workers, _worker_init, (self, generator)) as pool:
            for results, made_ahead in pool.imap_unordered(_worker_render, chunks):
                self.output.take_ahead(made_ahead)
                for relative, data, fingerprint, dependencies in results:
                    if isinstance(data, Written):
                        self.output.record(relative, data.digest)
                        self.pages[relative] = (fingerprint, dependencies)
                    else:
                        self.store(relative, data, fingerprint, dependencies)
        return len(todo)


class RecordParts:
    """The parts of one page made per record by a macro, each kept from the page's last render
    with what it read of the site: a list of a thousand records renders again only the rows
    whose records changed. A template writes `{{ cached(row, record) }}` for `row(record)`;
    the macro must take what it shows from its record, and read any other through the site
    (Site.find), which tells the part's dependencies as it tells a page's."""

    def __init__(self, renderer: Renderer, relative: str, base: str):
        self.renderer, self.relative, self.base = renderer, relative, base
        self.known: dict | None = None  # (macro, collection, id) -> (fingerprint, dependencies, html)
        self.used: dict = {}

    @functools.cached_property
    def path(self) -> Path:  # only for the pages that have parts
        return parts_file(self.renderer.settings["CACHE_PATH"], self.renderer.state.output, self.relative)

    def __call__(self, macro, record: Record) -> Markup:
        if self.known is None:
            self.known = load_kept(self.path) or {}
        key = (macro.name, record.collection.name, record.id)
        entry = self.renderer.kept(f"{self.base}|{macro.name}", self.known.get(key), lambda: str(macro(record)),
                                   reads=[("record", key[1], key[2])])
        self.used[key] = entry
        return Markup(entry[2])

    def save(self) -> None:
        """Keep the parts of this render (only those: a record gone from the page is forgotten)."""
        if self.used or self.known:
            save_pickle(self.path, self.used)


def load_kept(path: Path):
    """What Renderer.kept's callers keep at `path`, or None if it is missing or unreadable (cut
    short, or pickled by other code): it is then made again."""
    try:
        return load_pickle(path)
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, AttributeError, ImportError):
        return None


def parts_file(cache_dir, output: Path, relative: str) -> Path:
    """Where the parts of the page `relative` of the output folder `output` are kept (read
    ahead by the build server): one file per page and folder, so that the public site and the
    internal preview, built with one cache, do not take each other's place."""
    key = hashlib.sha256(f"{Path(output).resolve()}\0{relative}".encode()).hexdigest()[:16]
    return Path(cache_dir, f"parts-{key}.pickle")


TEMPLATE_REFERENCE = re.compile(r"""{%-?\s*(?:extends|import|include|from)\s+['"]([^'"]+)['"]""")


def _template_file(generator, name: str) -> str:
    """`offer` -> `offer.html`, as Pelican's get_template resolves it, without compiling."""
    for extension in generator.settings["TEMPLATE_EXTENSIONS"]:
        try:
            generator.env.loader.get_source(generator.env, name + extension)
            return name + extension
        except TemplateNotFound:
            continue
    raise TemplateNotFound(name)


_WORKER: dict = {}


@dataclass(frozen=True)
class Written:
    """A page a worker wrote itself (into a fresh folder): only its digest comes back."""
    digest: bytes


def _worker_init(renderer, generator):
    _WORKER.update(renderer=renderer, generator=generator)


def _worker_render(chunk):
    """The chunk's pages, and the output checks' outcomes for them, with what the search index
    reads of them (Output.ahead): made here while their bytes are at hand, they are not read
    back and parsed again elsewhere."""
    renderer, generator = _WORKER["renderer"], _WORKER["generator"]
    results, made = [], {}
    for job in chunk:
        data, fingerprint, dependencies = renderer.render(generator, *job)
        made[job[0]] = data
        if renderer.output.staged:
            results.append((job[0], data, fingerprint, dependencies))
        else:
            renderer.output.write(job[0], data)
            results.append((job[0], Written(renderer.output.digests[job[0]]), fingerprint, dependencies))
    return results, renderer.output.ahead(made)


def page_context(generator, path, context, record, file_name, lang) -> dict:
    page_path = path if file_name == "index.html" else path + file_name
    page = {**common_context(generator), **context, **language_context(generator.env, lang), "path": path,
            "alternates": {other: url_for(page_path, other) for other in LANGUAGES}}
    if record is not None and lang == "en":
        page["translation"] = record.translation
    return page


def before_rendering(generator, wait) -> None:
    """Have `wait()` called once before the first page is rendered, in this process: for what
    pages need that is still being made beside the build (the open data's files)."""
    Renderer.of(generator).waits.append(wait)


def remembered(generator, name: str, compute, *arguments):
    """Renderer.remembered, for any generator."""
    return Renderer.of(generator).remembered(name, compute, *arguments)


def render_page(generator, template_name: str, path: str, context: dict | None = None,
                record=None, file_name: str = "index.html") -> None:
    """Render `template_name` at /path/ and /en/path/ (skipped when nothing it uses changed)."""
    renderer = Renderer.of(generator)
    renderer.render_all(generator, list(renderer.jobs(generator, template_name, path, context, record, file_name)))


def record_digest(record: Record, content: Path) -> str:
    """Everything of a record a page can show: what it was read from (its data, translation and
    figures are made of those bytes alone), the day its Japanese changed (from the history),
    and its attachments' sizes."""
    if not record.source_digest:
        raise ValueError(f"{record.source}: a record that was not read by model.load_site")
    digest = hashlib.sha256(f"{record.source_digest}|{record.translation}|{record.translation_changed_on}".encode())
    for location, value in record.attachments:
        if location[-1] != "file":
            continue  # a report's figure data: read with the record, in its source digest
        target = os.path.join(content, value)
        digest.update(f"{value}:{os.path.getsize(target) if os.path.isfile(target) else -1}".encode())
    return digest.hexdigest()


def _context_dependencies(context: dict, record) -> set:
    found = set()
    for value in [record, *context.values()]:
        items = value if isinstance(value, (list, tuple)) else [value]
        for item in items:
            if isinstance(item, Record):
                found.add(("record", item.collection.name, item.id))
    return found


def _context_digest(context: dict) -> str:
    """The non-record part of a page's context (records count through their digests)."""
    def plain(value):
        if isinstance(value, Record):
            return ("record", value.collection.name, value.id)
        if hasattr(value, "context_key"):  # says what of it a page can show, more cheaply than repr()
            return value.context_key()
        if isinstance(value, (list, tuple)):
            return [plain(v) for v in value]
        if isinstance(value, dict):
            return {k: plain(v) for k, v in sorted(value.items())}
        return value
    return hashlib.sha256(repr(plain(context)).encode()).hexdigest()
