"""The NDC comparison chart: each party's latest targets as horizontal bars, drawn at build
time from the same records as the table and the chart data (ndc-chart.csv) beside it."""

from __future__ import annotations

from functools import partial

from charts import Bar, Chart
from model import VOCABULARIES
from model.ndc import bounds, format_reduction
from opendata import Column

from .tables import CHART_NAME


def ndc_chart(site, translate) -> Chart:
    """One bar per latest target of a party with its own NDC; a range is drawn at its lower
    bound (the commitment) and its label gives the whole range, worded as the table's
    (an increase reads 10%増加, not -10%). `translate(lang, message)` is the catalog's."""
    bars = []
    for party in site.all("ndc"):
        if party.covered_by:
            continue  # its targets are another party's (an EU member state's are the EU's)
        for target in sorted(party.latest["targets"], key=lambda t: t["year"]):
            low, _ = bounds(target)
            names = {lang: VOCABULARIES.label("parties", party.party, lang) for lang in ("ja", "en")}
            share = {lang: format_reduction(target, partial(translate, lang), lang) for lang in ("ja", "en")}
            bars.append(Bar(f"{names['ja']} {target['year']}年（{share['ja']}）",
                            f"{names['en']} {target['year']} ({share['en']})", low))
    listing_ja = "、".join(bar.ja for bar in bars)
    listing_en = "; ".join(bar.en for bar in bars)
    return Chart(CHART_NAME, "各国の最新のNDCの削減目標", "Latest NDC reduction targets of each party",
                 Column("target", "締約国と目標年", "Party and target year"),
                 Column("reduction_low_pct", "削減率（%、幅のある目標は下限）", "Reduction (%, lower bound of a range)",
                        "number"),
                 bars, horizontal=True,
                 description_ja=f"各国の最新のNDCの削減目標（基準は国により異なります）：{listing_ja}。",
                 description_en=f"Latest NDC reduction targets (baselines differ by party): {listing_en}.")
