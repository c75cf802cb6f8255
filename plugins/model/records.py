"""The record types of the content model, one per collection, and the collection registry.

A record is read and validated once; every page, table, export and document for it is made
from the same object. Records know nothing of Pelican or of templates.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import ClassVar

from .vocabularies import VOCABULARIES


@dataclass
class Record:
    """One content item: a YAML record or a Markdown document."""

    collection: ClassVar["Collection"]
    id: str
    source: str  # path relative to the content root, e.g. "ja/offers/x.yaml"
    data: dict
    lines: dict = field(default_factory=dict, repr=False)
    overlay: dict | None = None  # English translated fields, if any
    overlay_source: str | None = None
    body: str | None = None  # Markdown body of documents
    translation: str = "missing"  # English state: missing / stale / current (of the whole record)
    translation_changed_on: dt.date | None = None  # stale: the day the Japanese changed, if known
    # A digest of every file the record was read from (its Japanese file, a report's report.md
    # and figures, its English files): what the record holds is a function of these bytes.
    source_digest: str = field(default="", repr=False)
    attachments: tuple = field(default=(), repr=False)  # (location, path) of each file its fields name

    def get(self, name, default=None):
        return self.data.get(name, default)

    def __getattr__(self, name):
        # Templates read fields as attributes (offer.brand); unknown names stay an error.
        data = self.__dict__.get("data")
        if data is not None and name in data:
            return data[name]
        raise AttributeError(name)

    @property
    def internal(self) -> bool:
        """Never published: `visibility: internal`, or a Pelican-style `status: draft`."""
        return (self.data.get("visibility", self.collection.default_visibility) == "internal"
                or self.data.get("status") == "draft")

    @property
    def hidden(self) -> bool:
        """Published at its URL but left out of lists (Pelican's `status: hidden`)."""
        return self.data.get("status") == "hidden"

    @property
    def url_path(self) -> str:
        return f"{self.collection.folder}/{self.id}/"

    def sort_key(self):
        return self.id


@dataclass(frozen=True)
class Collection:
    """A folder of records under content/ja/ and what the site makes of it."""

    name: str  # also the URL folder's last part and the template prefix
    folder: str  # below content/ja/
    schema: str
    kind: str = "yaml"  # "yaml", "markdown" or "report"
    detail_pages: bool = True
    default_visibility: str = "public"
    empty_list: bool = True  # whether its list page is made with no public record in it


class SaleOffer(Record):
    """売り出しクレジット: a credit-sale offer."""

    @property
    def government_held(self) -> bool:
        """政府保有クレジット: as stated, else whether a ministry or agency sells it."""
        return self.data.get("government_held", is_ministry(self.data["seller"]))

    def is_listed(self, today: dt.date) -> bool:
        expires = self.data.get("expires_on")
        return self.data["status"] == "open" and (expires is None or expires >= today)

    @property
    def region(self) -> str:
        return VOCABULARIES.region_of_prefecture[self.data["prefecture"]]

    @property
    def category(self) -> str:
        return VOCABULARIES.category_of_methodology(self.data["methodology"])

    def sort_key(self):
        return (-self.data["listed_on"].toordinal(), self.id)


class Meeting(Record):
    """委員会の開催: a committee meeting; only public committees publish minutes and materials."""

    @property
    def is_public_committee(self) -> bool:
        return VOCABULARIES.entry("committees", self.data["committee"])["public"]

    @property
    def venue_says_online(self) -> bool:
        """Whether the Japanese venue already says the meeting is held online (オンライン開催,
        オンライン併用), so that no page adds "online" to it again, in either language."""
        return "オンライン" in self.data.get("venue", "")

    @property
    def fiscal_year(self) -> int:
        date = self.data["date"]
        return date.year if date.month >= 4 else date.year - 1

    def sort_key(self):
        return (-self.data["date"].toordinal(), self.id)


class Methodology(Record):
    """方法論: a methodology and its version history."""

    @property
    def current_version(self) -> dict:
        return max(self.data["versions"], key=lambda v: (v["revised_on"], _version_tuple(v["version"])))

    @property
    def history(self) -> list[dict]:
        return sorted(self.data["versions"], key=lambda v: (v["revised_on"], _version_tuple(v["version"])),
                      reverse=True)


class Regulation(Record):
    """規程類: a rule document."""

    def sort_key(self):
        return (self.data.get("order", 1000), self.id)


class Faq(Record):
    """よくある質問: one question and its answer."""

    def sort_key(self):
        return (VOCABULARIES.codes("faq-categories").index(self.data["category"]), self.data["order"], self.id)


class Provider(Record):
    """J-クレジット・プロバイダー: a listed service provider."""

    def is_listed(self, today: dt.date) -> bool:
        expires = self.data.get("expires_on")
        return expires is None or expires >= today


class Project(Record):
    """登録プロジェクト: a registered project and its certified credits."""

    @property
    def certified_t_co2(self) -> int:
        return sum(c["quantity_t_co2"] for c in self.data["certifications"])

    @property
    def category(self) -> str:
        return VOCABULARIES.category_of_methodology(self.data["methodology"])


class RegionalScheme(Record):
    """地域版J-クレジット制度: a regional scheme."""

    def sort_key(self):
        return (self.data["approved_on"], self.id)


class NdcParty(Record):
    """One party's NDC submissions, newest first."""

    @property
    def submissions(self) -> list[dict]:
        from .ndc import submission_order
        return sorted(self.data["submissions"], key=submission_order, reverse=True)

    @property
    def latest(self) -> dict:
        return self.submissions[0]

    @property
    def history(self) -> list[tuple[dict, list]]:
        """(submission, what changed from the one before), newest first."""
        from .ndc import history
        return history(self.data["submissions"])

    @property
    def covered_by(self) -> str | None:
        """The party whose NDC covers this one (an EU member state: EUU), if any."""
        return VOCABULARIES.entry("parties", self.data["party"]).get("covered_by")


class CopReport(Record):
    """COP 交渉日報: a daily negotiation report, internal unless stated otherwise."""

    def sort_key(self):
        return (-self.data["date"].toordinal(), self.id)


class Page(Record):
    """A Markdown page."""

    @property
    def url_path(self) -> str:
        return f"{self.id}/"

    def sort_key(self):
        return (self.data.get("order", 1000), self.id)


class NewsItem(Record):
    """お知らせ: a dated news item."""

    def sort_key(self):
        return (-self.data["date"].toordinal(), self.id)


class ResearchReport(Record):
    """委託調査報告書: meta.yaml plus report.md; figures are CSV files in the report folder."""

    report: dict | None = None  # front matter of report.md
    report_overlay: dict | None = None  # the English report.md, if translated
    figure_tables: list = []  # model.figures.FigureTable per figure, in meta.yaml order

    def sort_key(self):
        return (-self.data["fiscal_year"], self.id)

    @property
    def internal(self) -> bool:
        """Also when report.md says so (`Visibility: internal`, `Status: draft`), as any
        Markdown page's header does: the report is one item, of two files."""
        document = self.report or {}
        return super().internal or document.get("visibility") == "internal" or document.get("status") == "draft"

    @property
    def hidden(self) -> bool:
        return super().hidden or (self.report or {}).get("status") == "hidden"


# 〜省 or 〜庁, optionally with its agency in brackets: 農林水産省（林野庁）. Not 県庁 or 都庁,
# which are prefectures' offices, not the State's.
MINISTRY = re.compile(r"(省|(?<![都道府県])庁)(（[^（）]*）)?$")


def is_ministry(organisation: str) -> bool:
    return bool(MINISTRY.search(organisation.strip()))


def _version_tuple(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def _bind(cls, collection):
    cls.collection = collection
    return cls


# URLs the site makes itself besides the collections' (/<folder>/): a page may not take them.
SITE_FOLDERS = frozenset({"en", "search", "statistics", "opendata", "files", "theme", "pagefind", "_server"})

RECORD_TYPES: dict[str, type[Record]] = {}
COLLECTIONS: dict[str, Collection] = {}
for _cls, _collection in [
    (SaleOffer, Collection("offers", "offers", "offer.schema.json")),
    (Meeting, Collection("meetings", "meetings", "meeting.schema.json")),
    (Methodology, Collection("methodologies", "methodologies", "methodology.schema.json")),
    (Regulation, Collection("regulations", "regulations", "regulation.schema.json", detail_pages=False)),
    (Faq, Collection("faqs", "faqs", "faq.schema.json", detail_pages=False)),
    (Provider, Collection("providers", "providers", "provider.schema.json", detail_pages=False)),
    (Project, Collection("projects", "projects", "project.schema.json")),
    (RegionalScheme, Collection("regional", "regional", "regional.schema.json", detail_pages=False)),
    (NdcParty, Collection("ndc", "international/ndc", "ndc.schema.json")),
    (CopReport, Collection("cop", "international/cop", "cop.schema.json", kind="markdown",
                           default_visibility="internal", empty_list=False)),
    (ResearchReport, Collection("reports", "reports", "report.schema.json", kind="report")),
    (Page, Collection("pages", "pages", "page.schema.json", kind="markdown")),
    (NewsItem, Collection("news", "news", "news.schema.json", kind="markdown")),
]:
    _bind(_cls, _collection)
    RECORD_TYPES[_collection.name] = _cls
    COLLECTIONS[_collection.name] = _collection

RESERVED_PAGE_IDS = SITE_FOLDERS | {collection.folder.split("/")[0] for collection in COLLECTIONS.values()}
