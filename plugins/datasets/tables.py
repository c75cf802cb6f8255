"""The open-data tables of the collections: one function per table, rows in both languages,
made from the validated records (English from the translation where there is one)."""

from __future__ import annotations

from model import VOCABULARIES, Site
from opendata import Column, Table
from site_pages.theme import pick

LANGUAGES = ("ja", "en")


def text(record, lang, *path):
    value, _ = pick(record, lang, path)
    if isinstance(value, list):
        return " / ".join(map(str, value))
    return value


def label(vocabulary, code, lang):
    return VOCABULARIES.label(vocabulary, code, lang) if code else None


def meetings(site: Site) -> Table:
    columns = [Column("id", "ID", "ID"), Column("committee", "委員会", "Committee"),
               Column("number", "開催回", "Number", "integer"), Column("date", "開催日", "Date", "date"),
               Column("time", "開催時間", "Time"), Column("venue", "会場", "Venue"),
               Column("online", "オンライン開催", "Online", "boolean"), Column("agenda", "議事次第", "Agenda"),
               Column("materials", "配布資料数", "Materials", "integer"),
               Column("projects_registered", "登録プロジェクト数", "Projects registered", "integer"),
               Column("credits_certified_t_co2", "認証クレジット量（t-CO2）", "Credits certified (t-CO2)", "integer")]
    rows = {lang: [] for lang in LANGUAGES}
    for m in sorted(site.all("meetings"), key=lambda m: (m.date, m.id)):
        results = m.get("results") or {}
        for lang in LANGUAGES:
            rows[lang].append({
                "id": m.id, "committee": label("committees", m.committee, lang), "number": m.number,
                "date": m.date, "time": m.get("time"), "venue": text(m, lang, "venue"),
                # a closed committee's is not published: no value, rather than "not online"
                "online": bool(m.get("online")) if m.is_public_committee else None, "agenda": text(m, lang, "agenda"),
                "materials": len(m.get("materials", [])),
                "projects_registered": results.get("projects_registered"),
                "credits_certified_t_co2": results.get("credits_certified_t_co2")})
    return Table("meetings", "委員会の開催", "Committee meetings", columns, rows,
                 "運営委員会及び認証委員会の開催日、会場、議事次第、認証委員会の審議結果。",
                 "Steering and certification committee meetings: date, venue, agenda, and the "
                 "certification committee's results.")


def methodologies(site: Site) -> Table:
    columns = [Column("id", "方法論番号", "Methodology"), Column("category", "区分", "Category"),
               Column("title", "名称", "Title"), Column("version", "現行版", "Current version"),
               Column("revised_on", "改定日", "Revised on", "date"), Column("status", "状態", "Status"),
               Column("versions", "版数", "Versions", "integer")]
    status = {"ja": {"active": "有効", "abolished": "廃止"}, "en": {"active": "Active", "abolished": "Abolished"}}
    rows = {lang: [{"id": m.id, "category": label("methodology-categories", m.category, lang),
                    "title": text(m, lang, "title"), "version": m.current_version["version"],
                    "revised_on": m.current_version["revised_on"], "status": status[lang][m.status],
                    "versions": len(m.versions)} for m in site.all("methodologies")] for lang in LANGUAGES}
    return Table("methodologies", "方法論", "Methodologies", columns, rows,
                 "J-クレジット制度の方法論の区分、現行版、改定日及び状態。",
                 "The scheme's methodologies: category, current version, revision date and status.")


def projects(site: Site) -> Table:
    columns = [Column("project_id", "プロジェクト番号", "Project"), Column("title", "プロジェクト名", "Title"),
               Column("implementer", "実施者", "Implementer"), Column("methodology", "方法論", "Methodology"),
               Column("category", "方法論の区分", "Methodology category"),
               Column("prefecture", "都道府県", "Prefecture"), Column("sector", "業種", "Sector"),
               Column("registered_on", "登録日", "Registered on", "date"),
               Column("certified_t_co2", "認証量（t-CO2）", "Credits certified (t-CO2)", "integer")]
    rows = {lang: [{"project_id": p.id, "title": text(p, lang, "title"), "implementer": text(p, lang, "implementer"),
                    "methodology": p.methodology, "category": label("methodology-categories", p.category, lang),
                    "prefecture": label("prefectures", p.prefecture, lang),
                    "sector": label("sectors", p.get("sector"), lang), "registered_on": p.registered_on,
                    "certified_t_co2": p.certified_t_co2} for p in site.all("projects")] for lang in LANGUAGES}
    return Table("projects", "登録プロジェクト", "Registered projects", columns, rows,
                 "J-クレジット制度に登録されたプロジェクトと、その認証量の合計。",
                 "Projects registered under the scheme and the credits certified for each.")


def certifications(site: Site) -> Table:
    columns = [Column("project_id", "プロジェクト番号", "Project"), Column("date", "認証日", "Certified on", "date"),
               Column("quantity_t_co2", "認証量（t-CO2）", "Credits certified (t-CO2)", "integer"),
               Column("committee", "認証委員会の開催回", "Certification committee meeting", "integer"),
               Column("methodology", "方法論", "Methodology"), Column("prefecture", "都道府県", "Prefecture")]
    found = sorted(((c, p) for p in site.all("projects") for c in p.certifications),
                   key=lambda pair: (pair[0]["date"], pair[1].id))
    rows = {lang: [{"project_id": p.id, "date": c["date"], "quantity_t_co2": c["quantity_t_co2"],
                    "committee": c["committee"], "methodology": p.methodology,
                    "prefecture": label("prefectures", p.prefecture, lang)} for c, p in found]
            for lang in LANGUAGES}
    return Table("certifications", "クレジットの認証", "Credit certifications", columns, rows,
                 "プロジェクトごとのクレジット認証の記録（認証日、認証量、認証委員会）。",
                 "Every certification of credits: project, date, quantity and committee meeting.")


def providers(site: Site, today) -> Table:
    columns = [Column("name", "事業者名", "Provider"), Column("services", "サービス", "Services"),
               Column("area", "対応地域", "Area"), Column("url", "URL", "URL", "url"),
               Column("verified_on", "確認日", "Verified on", "date"),
               Column("expires_on", "掲載期限", "Listed until", "date")]
    nationwide = {"ja": "全国", "en": "Nationwide"}
    listed = [p for p in site.all("providers") if p.is_listed(today)]
    rows = {lang: [{"name": text(p, lang, "name"),
                    "services": " / ".join(label("provider-services", s, lang) for s in p.services),
                    "area": nationwide[lang] if p.get("nationwide") else
                    " / ".join(label("prefectures", x, lang) for x in p.get("prefectures", [])),
                    "url": p.url, "verified_on": p.verified_on, "expires_on": p.get("expires_on")}
                   for p in listed] for lang in LANGUAGES}
    return Table("providers", "J-クレジット・プロバイダー", "J-Credit providers", columns, rows,
                 "J-クレジットの創出・活用を支援する事業者（掲載期限内のもの）。",
                 "Service providers supporting the creation and use of J-Credits (current listings).")


def regional(site: Site) -> Table:
    columns = [Column("name", "制度名", "Scheme"), Column("operator", "運営者", "Operator"),
               Column("approved_on", "承認日", "Approved on", "date"), Column("url", "URL", "URL", "url")]
    rows = {lang: [{"name": text(r, lang, "name"), "operator": text(r, lang, "operator"),
                    "approved_on": r.approved_on, "url": r.url} for r in site.all("regional")]
            for lang in LANGUAGES}
    return Table("regional", "地域版J-クレジット制度", "Regional J-Credit schemes", columns, rows,
                 "J-クレジット制度と統合された地域版の制度。", "Regional schemes integrated with the J-Credit scheme.")
