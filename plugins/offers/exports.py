"""The open data of the offers: /offers/offers.csv, .xlsx and .json, one row per listed offer
in the table's order, with Japanese or English headers and text."""

from __future__ import annotations

from model import VOCABULARIES, Site
from opendata import Column, Table
from site_pages.routes import url_for

from .listing import prefecture_code, text

COLUMNS = [
    Column("id", "ID", "ID"),
    Column("brand", "銘柄", "Brand"),
    Column("brand_kana", "銘柄の読み", "Brand (reading)"),
    Column("methodology", "方法論番号", "Methodology ID"),
    Column("methodology_title", "方法論", "Methodology"),
    Column("methodology_category", "方法論の区分", "Methodology category"),
    Column("project_id", "プロジェクト番号", "Project ID"),
    Column("project_title", "プロジェクト名", "Project"),
    Column("prefecture", "都道府県", "Prefecture"),
    Column("prefecture_code", "都道府県コード", "Prefecture code"),
    Column("region", "地方", "Region"),
    Column("sector", "業種", "Sector"),
    Column("quantity_t_co2", "数量（t-CO2）", "Quantity (t-CO2)", "integer"),
    Column("conditions", "取引希望条件", "Terms"),
    Column("seller", "売り手", "Seller"),
    Column("notes", "備考", "Notes"),
    Column("government_held", "政府保有", "Government-held", "boolean"),
    Column("listed_on", "掲載日", "Listed on", "date"),
    Column("expires_on", "掲載期限", "Listed until", "date"),
    Column("contact_url", "問い合わせ先URL", "Contact URL", "url"),
    Column("contact_email", "問い合わせ先メールアドレス", "Contact email"),
    Column("page_url", "掲載ページ", "Page", "url"),
    Column("contract_url", "契約書ひな形", "Contract template", "url"),
    # current, stale (the Japanese changed since) or missing: the English row's text is then older
    # than, or the same as, the Japanese
    Column("translation", "英語訳の状態", "English translation"),
]


def offer_row(offer, site: Site, lang: str, site_url: str) -> dict:
    """One offer as published: its facts in `lang`, codes as labels, references only to
    published records. The contract documents start from the same row."""
    methodology = site.find("methodologies", offer.methodology)
    project = site.find("projects", offer.get("project_id")) if offer.get("project_id") else None
    label = lambda vocabulary, code: VOCABULARIES.label(vocabulary, code, lang)  # noqa: E731
    return {
        "id": offer.id,
        "brand": text(offer, "brand", lang),
        "brand_kana": offer.get("brand_kana"),
        "methodology": offer.methodology,
        "methodology_title": text(methodology, "title", lang) if methodology else None,
        "methodology_category": label("methodology-categories", offer.category),
        "project_id": project.id if project else None,
        "project_title": text(project, "title", lang) if project else None,
        "prefecture": label("prefectures", offer.prefecture),
        "prefecture_code": prefecture_code(offer),
        "region": label("regions", offer.region),
        "sector": label("sectors", offer.sector),
        "quantity_t_co2": offer.quantity_t_co2,
        "conditions": text(offer, "conditions", lang),
        "seller": text(offer, "seller", lang),
        "notes": text(offer, "notes", lang),
        "government_held": offer.government_held,
        "listed_on": offer.listed_on,
        "expires_on": offer.get("expires_on"),
        "contact_url": offer.get("contact_url"),
        "contact_email": offer.get("contact_email"),
        "page_url": site_url + url_for(offer.url_path, lang),
        "contract_url": site_url + contract_url(offer, lang),
        "translation": offer.translation,
    }


def contract_url(offer, lang: str) -> str:
    """/offers/<id>/contract.docx, or under /en/ for the English contract."""
    return url_for(offer.url_path + "contract.docx", lang)


def contract_filename(offer, lang: str) -> str:
    """The name a downloaded contract is saved under: with the offer's id (and the language),
    so that a buyer's contracts for several offers do not all arrive as contract.docx."""
    return f"J-Credit-contract-{offer.id}{'-en' if lang == 'en' else ''}.docx"


def offers_table(site: Site, offers: list, site_url: str = "") -> Table:
    return Table("offers", "売り出しクレジット", "Credits for sale", COLUMNS,
                 {lang: [offer_row(o, site, lang, site_url) for o in offers] for lang in ("ja", "en")},
                 "掲載中のクレジットの売り出し：銘柄、方法論、地域、業種、数量（t-CO2）、取引希望条件、売り手、"
                 "掲載期間、問い合わせ先と契約書ひな形の URL。",
                 "The credits for sale listed now: brand, methodology, region, sector, quantity (t-CO2), "
                 "terms, seller, listing period, and the URLs of the contact and the contract template.")
