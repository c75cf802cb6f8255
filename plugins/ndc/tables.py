"""The NDC records as open-data tables: every submission's targets, and the latest targets the
comparison chart draws (one row per target of each party with an NDC of its own)."""

from __future__ import annotations

from functools import partial

from model import VOCABULARIES, Site
from model.ndc import NET, bounds, format_reduction
from opendata import Column, Table

FOLDER = "international/ndc"
NDC_NAME = "ndc"
CHART_NAME = "ndc-chart"

PARTY = [Column("party", "締約国コード", "Party code"), Column("party_name", "締約国", "Party")]
TARGET = [
    Column("target_year", "目標年", "Target year", "year"),
    Column("target_type", "目標の種類", "Target type"),
    Column("base_year", "基準年", "Base year", "year"),
    Column("reduction", "削減率", "Reduction"),
    Column("reduction_low_pct", "削減率の下限（%）", "Reduction, low (%)", "number"),
    Column("reduction_high_pct", "削減率の上限（%）", "Reduction, high (%)", "number"),
    Column("net", "ネット／グロス", "Net / gross"),
]


def _target_row(target: dict, translate, lang: str) -> dict:
    low, high = bounds(target)
    gettext = partial(translate, lang)
    return {
        "target_year": target["year"],
        "target_type": VOCABULARIES.label("ndc-target-types", target["type"], lang),
        "base_year": target.get("base_year"),
        "reduction": format_reduction(target, gettext, lang),  # text; the numbers are the next columns
        "reduction_low_pct": low,
        "reduction_high_pct": high,
        "net": translate(lang, NET[target["net"]]) if target.get("net") is not None else None,
    }


def ndc_table(site: Site, translate, localized) -> Table:
    """Every target of every submission; `localized(record, lang, path)` gives translated text."""
    columns = PARTY + [
        Column("covered_by", "対象となるNDC", "Covered by the NDC of"),
        Column("submitted_on", "提出日", "Submitted on", "date"),
        Column("version", "版", "Version"),
        Column("latest", "最新の提出", "Latest submission", "boolean"),
    ] + TARGET + [
        Column("conditional", "条件付き", "Conditional", "boolean"),
        Column("coverage", "対象範囲", "Coverage"),
        Column("source_url", "出典", "Source", "url"),
    ]
    rows = {"ja": [], "en": []}
    for party in site.all("ndc"):
        latest = party.latest
        for submission in party.submissions:
            index = party.data["submissions"].index(submission)
            for number, target in enumerate(submission["targets"]):
                for lang in rows:
                    covered_by = party.covered_by
                    rows[lang].append({
                        "party": party.party,
                        "party_name": VOCABULARIES.label("parties", party.party, lang),
                        "covered_by": VOCABULARIES.label("parties", covered_by, lang) if covered_by else None,
                        "submitted_on": submission["submitted_on"],
                        "version": submission["version"],
                        "latest": submission is latest,  # true/false, as in every dataset
                        **_target_row(target, translate, lang),
                        "conditional": bool(target.get("conditional")),
                        "coverage": localized(party, lang, ("submissions", index, "targets", number, "coverage")),
                        "source_url": submission["source_url"],
                    })
    return Table(NDC_NAME, "各国のNDCの目標（全提出）", "NDC targets of each party (all submissions)", columns, rows,
                 "パリ協定の締約国が提出した国が決定する貢献（NDC）の削減目標。過去の提出を含め、目標ごとに1行。",
                 "The emission targets in the nationally determined contributions (NDCs) parties to the Paris "
                 "Agreement have submitted, earlier submissions included; one row per target.")


def chart_table(site: Site, translate) -> Table:
    """The latest targets of the parties that submit an NDC of their own: the chart's data."""
    rows = {"ja": [], "en": []}
    for party in site.all("ndc"):
        if party.covered_by:
            continue  # its targets are another party's (an EU member state's are the EU's)
        for target in sorted(party.latest["targets"], key=lambda t: t["year"]):
            for lang in rows:
                rows[lang].append({"party": party.party,
                                   "party_name": VOCABULARIES.label("parties", party.party, lang),
                                   **_target_row(target, translate, lang)})
    return Table(CHART_NAME, "各国の最新のNDCの目標（グラフのデータ）", "Latest NDC targets of each party (chart data)",
                 PARTY + TARGET, rows,
                 "NDCの比較グラフの数値：独自のNDCを提出する締約国ごとの、最新の提出の削減目標。",
                 "The figures of the NDC comparison chart: the targets of the latest submission of each party "
                 "that submits an NDC of its own.")
