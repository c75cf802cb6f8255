"""The open-data catalogue: every dataset the site publishes, declared once by the plugin that
makes it, and described for people (the catalogue page) and machines (DCAT in JSON-LD).

A plugin declares its tables in `generate_context`; the opendata generator writes them all in
`generate_output`, so no dataset can be published without being catalogued."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from markupsafe import Markup

from model.parallel import Beside, fork_map
from model.records import COLLECTIONS

from .published import announce
from .filecache import FileCache
from .tables import LICENCE, PUBLISHER, FilesInMaking, Table, files_cached, table_files, table_key, table_paths

CONTEXT_KEY = "opendata_datasets"
LICENCE_URL = "https://www.digital.go.jp/resources/open_data/public_data_license_v1.0"
FORMATS = {"csv": "text/csv", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "json": "application/json"}
LANG_PREFIX = {"ja": "", "en": "en/"}
# DCAT's media types, formats and languages are resources, named by the registries' IRIs
# (as DCAT-AP harvesters expect), not strings.
MEDIA_TYPE_IRI = "http://www.iana.org/assignments/media-types/"
FILE_TYPE_IRI = "http://publications.europa.eu/resource/authority/file-type/"
LANGUAGE_IRI = "http://id.loc.gov/vocabulary/iso639-1/"
CATALOGUE_TITLE = {"ja": "J-クレジット制度 オープンデータカタログ", "en": "J-Credit Scheme open data catalogue"}
XSD_TYPES = {"text": "string", "integer": "integer", "year": "gYear", "number": "decimal", "date": "date", "url": "anyURI",
             "boolean": "boolean"}


@dataclass
class Dataset:
    """A table and where it lives: /<folder>/<table.name>.csv|xlsx|json, presented on /<page>."""

    table: Table
    folder: str
    page: str
    modified: dt.date
    languages = ("ja", "en")
    formats = tuple(FORMATS)

    @property
    def name(self) -> str:
        return self.table.name

    @cached_property
    def files(self) -> dict[str, bytes]:
        """Output path -> bytes of its CSV, XLSX and JSON in both languages."""
        return table_files(self.table, self.folder, self.modified)

    def rows(self, lang: str) -> list[dict]:
        return self.table.rows[lang if lang in self.languages else "ja"]

    def context_key(self) -> tuple:
        """What a page can show of the dataset, for the page's fingerprint (site_pages): its
        place and date and the digests of its tables, worked out once (a repr lists every row)."""
        return (type(self).__name__, self.name, self.folder, self.page, self.modified,
                tuple(table_key(self.table, lang, self.modified) for lang in self.languages))

    def path(self, lang: str, extension: str) -> str:
        """The file in `lang`; the Japanese one where the dataset has no other language."""
        prefix = LANG_PREFIX[lang] if lang in self.languages else ""
        return f"{prefix}{self.folder}/{self.name}.{extension}"


@dataclass
class MadeDataset(Dataset):
    """A dataset whose files another plugin made in its own form (a research report's figure
    data: Japanese only, CSV and XLSX, named after the figure): catalogued and written here
    like any other, so that no data is published without being catalogued."""

    made: dict[str, bytes] = field(default_factory=dict)  # output path -> bytes
    stem: str = ""
    languages = ("ja",)
    formats = ("csv", "xlsx")

    @property
    def name(self) -> str:
        return self.stem

    @property
    def files(self) -> dict[str, bytes]:
        return self.made

    def context_key(self) -> tuple:
        return super().context_key() + (FileCache.key(sorted(self.made.items())),)


def declare(context: dict, table: Table, folder: str, page: str, modified: dt.date) -> "Dataset":
    """Publish `table` as open data; called by a generator's `generate_context`. Its files are
    made at once and announced, so that any page can state their formats and sizes."""
    return _register(context, Dataset(table, folder, page, modified))


def declare_all(context: dict, entries: list[tuple[Table, str, str, dt.date]]) -> list[Dataset]:
    """declare() each (table, folder, page, modified); the files not in the cache are made on
    every core, in a forked process while the build goes on: a workbook of a few thousand
    rows takes a second to write."""
    datasets = [Dataset(*entry) for entry in entries]
    missing = [d for d in datasets if not files_cached(d.table, d.modified)]
    if missing:
        making = Beside(lambda: fork_map(lambda d: dict(table_files(d.table, d.folder, d.modified, beside=False)),
                                         missing, threshold=2))
        for number, dataset in enumerate(missing):  # the cached_property, as the worker will make it
            dataset.__dict__["files"] = FilesInMaking(table_paths(dataset.table, dataset.folder), making,
                                                      lambda made, number=number: made[number])
    return [_register(context, dataset) for dataset in datasets]


def declare_made(context: dict, dataset: MadeDataset) -> MadeDataset:
    """Catalogue (and have written) a dataset whose files are already made."""
    return _register(context, dataset)


def _register(context: dict, dataset: Dataset) -> Dataset:
    known = context.setdefault(CONTEXT_KEY, [])
    if any(d.path("ja", "csv") == dataset.path("ja", "csv") for d in known):
        raise ValueError(f"dataset {dataset.path('ja', 'csv')} is declared twice")
    known.append(dataset)
    announce(context, dataset.files)
    return dataset


def declared(context: dict) -> list[Dataset]:
    return sorted(context.get(CONTEXT_KEY, []), key=lambda d: (d.folder, d.name))


DATES_KEY = "opendata_folder_dates"


class FolderDates:
    """When the records of each content folder last changed, as git tells it for one build: the
    date of the last commit touching ja/<folder> or en/<folder>, or the build date while a file
    there has uncommitted changes or the tree is not in git.

    Every folder is asked at once, in git processes started with the build (start()), so a
    build waits for git once, while it loads the content, not twice per dataset on the way to
    rendering: in a repository, each status took some 6 ms."""

    def __init__(self, root: Path):
        self.root = Path(root)
        folders = {p.name for lang in LANG_PREFIX if (self.root / lang).is_dir()
                   for p in (self.root / lang).iterdir() if p.is_dir()}
        folders |= {c.folder for c in COLLECTIONS.values()  # the nested ones: international/ndc
                    if "/" in c.folder and any((self.root / lang / c.folder).is_dir() for lang in LANG_PREFIX)}

        def run(*args: str) -> subprocess.Popen:
            return subprocess.Popen(["git", "-C", str(self.root), *args], stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL)

        try:
            self._prefix = run("rev-parse", "--show-prefix")  # status names paths from the top
            self._status = run("status", "--porcelain", "-z", "--untracked-files=all", "--", *LANG_PREFIX)
            self._logs = {folder: run("log", "-1", "--format=%cs", "--", *(f"{lang}/{folder}" for lang in LANG_PREFIX))
                          for folder in sorted(folders)}
        except OSError:  # no git
            self._prefix = self._status = None
            self._logs = {}

    @classmethod
    def start(cls, context: dict, root: Path) -> None:
        if DATES_KEY not in context:
            context[DATES_KEY] = cls(root)

    @classmethod
    def of(cls, context: dict) -> "FolderDates":
        cls.start(context, Path(context["PATH"]))
        return context[DATES_KEY]

    def last_changed(self, folders: list[str], fallback: dt.date) -> dt.date:
        dates = [self._dates.get(folder) for folder in folders if folder in self._logs]
        if not dates or None in dates or self._dirty & set(folders):
            return fallback
        return min(max(dates), fallback)

    @cached_property
    def _dirty(self) -> set[str]:
        """The folders holding a file that is not as committed."""
        prefix, status = _output(self._prefix), _output(self._status)
        if prefix is None or status is None:
            return set(self._logs)
        entries, dirty = iter(status.split("\0")), set()
        for entry in entries:
            renamed = "R" in entry[:2] or "C" in entry[:2]  # then the source path follows
            paths = [entry[3:], next(entries, "")] if renamed else [entry[3:]]
            for path in paths:
                parts = path.removeprefix(prefix.strip()).split("/")
                dirty.update("/".join(parts[1:depth]) for depth in range(2, len(parts)))
        return dirty

    @cached_property
    def _dates(self) -> dict[str, dt.date | None]:
        found = {}
        for folder, process in self._logs.items():
            day = (_output(process) or "").strip()
            found[folder] = dt.date.fromisoformat(day) if day else None
        return found


def _output(process: subprocess.Popen | None) -> str | None:
    """What a git process printed, None if it failed."""
    if process is None:
        return None
    out, _ = process.communicate()
    return out.decode("utf-8") if process.returncode == 0 else None


def last_changed(context: dict, folders: list[str], fallback: dt.date, expiries=()) -> dt.date:
    """When the rows of a dataset last changed: the records behind it (in content `folders`,
    FolderDates), or, for a listing, a record leaving it (the day after one of its `expiries`,
    up to the build date `fallback`), which no commit marks."""
    changed = FolderDates.of(context).last_changed(folders, fallback)
    return max([changed, *(day + dt.timedelta(days=1) for day in expiries if day < fallback)])


def _both(values: dict[str, str]) -> list[dict]:
    return [{"@language": lang, "@value": value} for lang, value in values.items() if value]


def dcat(datasets: list[Dataset], sizes: dict[str, int], site_url: str) -> dict:
    """The catalogue as DCAT (with CSVW column descriptions) in JSON-LD."""
    base = site_url.rstrip("/") + "/"
    licence = {"@id": LICENCE_URL, "dct:title": _both(LICENCE)}
    entries = []
    for dataset in datasets:
        table = dataset.table
        schema = {"@type": "csvw:Schema", "csvw:column": [
            {"@type": "csvw:Column", "csvw:name": c.key, "csvw:titles": _both({"ja": c.ja, "en": c.en}),
             "csvw:datatype": XSD_TYPES.get(c.kind, "string")} for c in table.columns]}
        distributions = []
        for lang in dataset.languages:
            for extension in dataset.formats:
                path = dataset.path(lang, extension)
                distribution = {"@type": "dcat:Distribution", "dcat:downloadURL": {"@id": base + path},
                                "dcat:mediaType": {"@id": MEDIA_TYPE_IRI + FORMATS[extension]},
                                "dct:format": {"@id": FILE_TYPE_IRI + extension.upper()},
                                "dct:language": {"@id": LANGUAGE_IRI + lang}, "dcat:byteSize": sizes[path],
                                "dct:license": licence}
                if extension == "csv":
                    distribution["csvw:tableSchema"] = schema
                distributions.append(distribution)
        entries.append({
            "@type": "dcat:Dataset", "@id": base + dataset.path("ja", "csv").rsplit(".", 1)[0],
            "dct:identifier": dataset.name,
            # in the languages the data is published in: a Japanese title is not tagged English
            "dct:title": _both({lang: table.title(lang) for lang in dataset.languages}),
            "dct:description": _both({lang: table.description(lang) for lang in dataset.languages}),
            "dct:modified": {"@value": dataset.modified.isoformat(), "@type": "xsd:date"},
            "dct:publisher": {"@type": "foaf:Organization", "foaf:name": _both(PUBLISHER)},
            "dct:license": licence,
            "dcat:landingPage": {"@id": base + dataset.page},
            "dcat:distribution": distributions,
        })
    return {
        "@context": {"dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
                     "foaf": "http://xmlns.com/foaf/0.1/", "csvw": "http://www.w3.org/ns/csvw#",
                     "xsd": "http://www.w3.org/2001/XMLSchema#"},
        "@id": base + "opendata/catalog.json",
        "@type": "dcat:Catalog",
        "dct:title": _both(CATALOGUE_TITLE),
        "dct:publisher": {"@type": "foaf:Organization", "foaf:name": _both(PUBLISHER)},
        "dct:license": licence,
        "dcat:landingPage": {"@id": base + "opendata/"},
        "dct:modified": {"@value": max((d.modified for d in datasets), default=dt.date(1970, 1, 1)).isoformat(),
                         "@type": "xsd:date"},
        "dcat:dataset": entries,
    }


def json_ld(document: dict) -> Markup:
    """JSON safe to embed in a <script type="application/ld+json"> data block: every <, > and &
    is escaped as JSON, so the markup is ready for the template as it is."""
    text = json.dumps(document, ensure_ascii=False, indent=1)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))
