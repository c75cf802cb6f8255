"""Which offers are on sale, in what order, and what each one says in a given language.

The table, the open data and the contracts all take their offers and their text from here,
so they cannot disagree."""

from __future__ import annotations

import datetime as dt
import re

from model import VOCABULARIES, Site
from model.records import SaleOffer


def listed_offers(site: Site, day: dt.date) -> list[SaleOffer]:
    """Open offers not past `expires_on` on `day`, newest listing first (the table's default).

    `site` is already filtered for publication, so internal offers are not here."""
    return [offer for offer in site.all("offers") if offer.is_listed(day)]


def text(record, field: str, lang: str):
    """A translatable field in `lang`: the English overlay where given, else the Japanese."""
    if lang == "en" and record.overlay and record.overlay.get(field):
        return record.overlay[field]
    return record.data.get(field)


def reading(offer: SaleOffer, lang: str) -> str | None:
    """The brand's sort key: its kana reading, or, shown in English, the English brand from its
    first letter or digit ('"Shimanto Forest" credits' sorts under S, not before every letter)."""
    if lang == "en" and offer.overlay and offer.overlay.get("brand"):
        return re.sub(r"^[\W_]+", "", offer.overlay["brand"])
    return offer.get("brand_kana")


def prefecture_code(offer: SaleOffer) -> str:
    """JIS X 0401 code: sorts prefectures north to south and keeps Japanese out of URLs."""
    return VOCABULARIES.entry("prefectures", offer.prefecture)["code"]


def filter_options(offers: list[SaleOffer], lang: str) -> dict[str, list]:
    """The choices the table's filters offer: only values that some listed offer has, in
    code-list order; areas are regions, each followed by its prefectures."""
    present = {"categories": {o.category for o in offers}, "sectors": {o.sector for o in offers},
               "prefectures": {o.prefecture for o in offers}}
    areas = []
    for region, entry in VOCABULARIES.lists["regions"].items():
        prefectures = [p for p in entry["prefectures"] if p in present["prefectures"]]
        if prefectures:
            areas.append({"code": region, "label": VOCABULARIES.label("regions", region, lang),
                          "prefectures": [(VOCABULARIES.entry("prefectures", p)["code"],
                                           VOCABULARIES.label("prefectures", p, lang)) for p in prefectures]})
    return {
        "categories": [(c, VOCABULARIES.label("methodology-categories", c, lang))
                       for c in VOCABULARIES.codes("methodology-categories") if c in present["categories"]],
        "sectors": [(s, VOCABULARIES.label("sectors", s, lang))
                    for s in VOCABULARIES.codes("sectors") if s in present["sectors"]],
        "areas": areas,
    }
