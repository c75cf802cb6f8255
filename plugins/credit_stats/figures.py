"""The scheme's figures, computed from the registered projects and their certifications:
credits certified per fiscal year, by methodology category and by prefecture, the time from a
project's registration to its first certification, and the flow of projects from registration
to certification."""

from __future__ import annotations

import datetime as dt
import statistics as stats
from collections import Counter
from dataclasses import dataclass

from charts import Bar, Chart
from model import VOCABULARIES, Site
from opendata import Column

CREDITS = Column("credits_t_co2", "認証量（t-CO2）", "Credits certified (t-CO2)", "integer")
PROJECTS = Column("projects", "プロジェクト数", "Projects", "integer")
# Years from registration to first certification, as histogram bins: (upper bound, ja, en)
DELAY_BINS = [(1, "1年未満", "Under 1 year"), (2, "1年以上2年未満", "1 to 2 years"),
              (3, "2年以上3年未満", "2 to 3 years"), (5, "3年以上5年未満", "3 to 5 years"),
              (10, "5年以上10年未満", "5 to 10 years"), (None, "10年以上", "10 years or more")]


def fiscal_year(day: dt.date) -> int:
    """Japan's fiscal year (年度) starts on 1 April."""
    return day.year if day.month >= 4 else day.year - 1


@dataclass
class Summary:
    projects: int
    certified_projects: int
    credits: int
    median_years_to_first: float | None


def summary(site: Site) -> Summary:
    projects = site.all("projects")
    delays = _delays(site)
    return Summary(len(projects), sum(1 for p in projects if p.certifications),
                   sum(p.certified_t_co2 for p in projects),
                   round(stats.median(delays), 1) if delays else None)


def _certifications(site: Site):
    return [(c, p) for p in site.all("projects") for c in p.certifications]


def _delays(site: Site) -> list[float]:
    return [(min(c["date"] for c in p.certifications) - p.registered_on).days / 365.25
            for p in site.all("projects") if p.certifications]


def credits_by_fiscal_year(site: Site) -> Chart:
    totals = Counter()
    for c, _ in _certifications(site):
        totals[fiscal_year(c["date"])] += c["quantity_t_co2"]
    years = range(min(totals), max(totals) + 1) if totals else []
    bars = [Bar(f"{y}年度", f"FY{y}", totals[y]) for y in years]
    peak = max(bars, key=lambda b: b.value, default=None)
    return Chart("credits-by-fiscal-year", "年度別のクレジット認証量", "Credits certified per fiscal year",
                 Column("fiscal_year", "年度", "Fiscal year"), CREDITS, bars,
                 description_ja=_describe_ja(bars, peak, "年度別の認証量"),
                 description_en=_describe_en(bars, peak, "credits certified per fiscal year"))


def credits_by_category(site: Site) -> Chart:
    totals = Counter()
    for c, p in _certifications(site):
        totals[p.category] += c["quantity_t_co2"]
    bars = [Bar(VOCABULARIES.label("methodology-categories", code, "ja"),
                VOCABULARIES.label("methodology-categories", code, "en"), totals[code])
            for code in sorted(totals, key=lambda code: -totals[code])]
    return Chart("credits-by-methodology-category", "方法論の区分別のクレジット認証量",
                 "Credits certified by methodology category",
                 Column("category", "方法論の区分", "Methodology category"), CREDITS, bars, horizontal=True,
                 description_ja=_describe_ja(bars, bars[0] if bars else None, "方法論の区分別の認証量"),
                 description_en=_describe_en(bars, bars[0] if bars else None, "credits by methodology category"))


def credits_by_prefecture(site: Site) -> Chart:
    totals = Counter()
    for c, p in _certifications(site):
        totals[p.prefecture] += c["quantity_t_co2"]
    order = VOCABULARIES.codes("prefectures")
    bars = [Bar(pref, VOCABULARIES.label("prefectures", pref, "en"), totals[pref])
            for pref in sorted(totals, key=lambda pref: (-totals[pref], order.index(pref)))]
    return Chart("credits-by-prefecture", "都道府県別のクレジット認証量", "Credits certified by prefecture",
                 Column("prefecture", "都道府県", "Prefecture"), CREDITS, bars, horizontal=True,
                 description_ja=_describe_ja(bars, bars[0] if bars else None, "都道府県別の認証量"),
                 description_en=_describe_en(bars, bars[0] if bars else None, "credits by prefecture"))


def time_to_first_certification(site: Site) -> Chart:
    counts = Counter()
    for years in _delays(site):
        counts[next(i for i, (upper, _, _) in enumerate(DELAY_BINS) if upper is None or years < upper)] += 1
    bars = [Bar(ja, en, counts[i]) for i, (_, ja, en) in enumerate(DELAY_BINS)]
    figures = summary(site)
    median = figures.median_years_to_first
    ja = (f"クレジットが認証された{figures.certified_projects}件のプロジェクトについて、登録から初回認証までの年数の分布。"
          + (f"中央値は{median}年。" if median is not None else ""))
    en = (f"Years from registration to first certification for the {figures.certified_projects} projects "
          f"with certified credits." + (f" The median is {median} years." if median is not None else ""))
    return Chart("time-to-first-certification", "登録から初回認証までの期間",
                 "Time from registration to first certification",
                 Column("period", "期間", "Period"), PROJECTS, bars, description_ja=ja, description_en=en)


# The stages of a project's flow through the scheme: (certifications at least, ja, en)
FLOW_STAGES = [(0, "登録", "Registered"), (1, "1回以上認証", "Certified at least once"),
               (2, "2回以上認証", "Certified twice or more"), (3, "3回以上認証", "Certified three times or more")]


def project_flow(site: Site) -> Chart:
    """The flow of registered projects through the scheme: how many reach a first
    certification, and how many go on to be certified again (monitoring continued)."""
    counts = [len(p.certifications) for p in site.all("projects")]
    bars = [Bar(ja, en, sum(1 for n in counts if n >= least)) for least, ja, en in FLOW_STAGES]
    registered = bars[0].value
    share = lambda bar: f"{bar.value / registered:.0%}" if registered else "—"  # noqa: E731
    ja = (f"登録された{registered}件のプロジェクトのうち、認証に至ったのは{bars[1].value}件（{share(bars[1])}）、"
          f"2回以上認証されたのは{bars[2].value}件（{share(bars[2])}）、3回以上は{bars[3].value}件（{share(bars[3])}）。")
    en = (f"Of the {registered} registered projects, {bars[1].value} ({share(bars[1])}) have had credits certified, "
          f"{bars[2].value} ({share(bars[2])}) twice or more and {bars[3].value} ({share(bars[3])}) three times or more.")
    return Chart("project-flow", "登録から認証へのプロジェクトの流れ", "Flow of projects from registration to certification",
                 Column("stage", "段階", "Stage"), PROJECTS, bars, horizontal=True, description_ja=ja, description_en=en)


def charts(site: Site) -> list[Chart]:
    return [credits_by_fiscal_year(site), credits_by_category(site), credits_by_prefecture(site),
            time_to_first_certification(site), project_flow(site)]


def _describe_ja(bars, top, what) -> str:
    if not bars:
        return f"{what}（データはまだありません）。"
    total = sum(b.value for b in bars)
    return f"{what}。合計{total:,} t-CO2のうち、最も多いのは{top.ja}の{top.value:,} t-CO2。"


def _describe_en(bars, top, what) -> str:
    if not bars:
        return f"{what.capitalize()} (no data yet)."
    total = sum(b.value for b in bars)
    return f"{what.capitalize()}: {total:,} t-CO2 in total; the largest is {top.en} with {top.value:,} t-CO2."
