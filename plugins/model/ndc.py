"""NDC facts computed from the records: what changed from one submission to the next, how a
target reads in Japanese and English (a negative reduction as an increase), what is wrong between
a record's values that its schema cannot state, and what is wrong with a party code.

Sentences are Babel msgids (Japanese, marked with N_) formatted with the `translate` of the page's
language, so the same change reads in both languages from one catalog.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

from .consistency import version_number
from .vocabularies import VOCABULARIES


def N_(message):  # marks a message for Babel extraction; translated when described
    return message


Translate = Callable[[str], str]  # the page language's gettext

EU = "EUU"  # UNFCCC's code for the European Union, not an ISO 3166 country

CHANGE_MESSAGES = {
    "first": N_("最初の提出です。"),
    "unchanged": N_("前回の提出から目標の変更はありません。"),
    "added": N_("%(year)s年の目標を追加：%(new)s"),
    "removed": N_("%(year)s年の目標は記載されなくなりました（前回：%(old)s）"),
    "raised": N_("%(year)s年の目標の削減率を引き上げ：%(old)s → %(new)s"),
    "lowered": N_("%(year)s年の目標の削減率を引き下げ：%(old)s → %(new)s"),
    "narrowed": N_("%(year)s年の目標の幅を狭めました：%(old)s → %(new)s"),
    "widened": N_("%(year)s年の目標の幅を広げました：%(old)s → %(new)s"),
    "reduction": N_("%(year)s年の目標の削減率を変更：%(old)s → %(new)s"),
    "base_year": N_("%(year)s年の目標の基準年を変更：%(old)s年 → %(new)s年"),
    "type": N_("%(year)s年の目標の種類を変更：%(old)s → %(new)s"),
    "net": N_("%(year)s年の目標の計上方法を変更：%(old)s → %(new)s"),
    "coverage": N_("%(year)s年の目標の対象範囲の記述を変更しました。"),
}

TARGET_MESSAGES = {
    "base-year": N_("%(base)s年比%(pct)s削減"),
    "intensity": N_("%(base)s年比で排出原単位を%(pct)s削減"),
    "peak": N_("ピーク比%(pct)s削減"),
    "bau": N_("BAU比%(pct)s削減"),
    None: N_("%(pct)s削減"),  # an intensity target whose base year is not given
}
# A negative reduction is an increase; the schema allows it on base-year targets only.
BASE_YEAR_INCREASE = N_("%(base)s年比%(pct)s増加")
INCREASE = N_("%(pct)s増加")
NET = {True: N_("ネット"), False: N_("グロス")}
PAREN = N_("（%(text)s）")
CONDITIONAL = N_("条件付き")


# -- reading targets -----------------------------------------------------------------------

def bounds(target: dict) -> tuple[float, float]:
    """(low, high) of a target's reduction; a single value is a range of width 0."""
    if "reduction_pct_range" in target:
        low, high = target["reduction_pct_range"]
        return low, high
    return target["reduction_pct"], target["reduction_pct"]


def number(value: float) -> str:
    """55.0 -> "55", 66.25 -> "66.25": as the submission wrote it, without a trailing .0."""
    return f"{value:g}" if isinstance(value, float) else str(value)


def _size(target: dict, lang: str) -> tuple[str, bool]:
    """The reduction's size, "60%" or a range "61～66%" (Japanese) / "61–66%" (English), and
    whether it is an increase: [-10, -5] is an increase of 5～10%, never "-10～-5%" (a text
    starting with "-" would also run as a formula in a spreadsheet)."""
    low, high = bounds(target)
    increase = low < 0
    if increase:
        low, high = abs(high), abs(low)
    if "reduction_pct_range" not in target:
        return f"{number(low)}%", increase
    return f"{number(low)}{'～' if lang == 'ja' else '–'}{number(high)}%", increase


def format_reduction(target: dict, translate: Translate, lang: str) -> str:
    """"60%", "61～66%" / "61–66%", or an increase "10%増加" / "10% increase"."""
    size, increase = _size(target, lang)
    return translate(INCREASE) % {"pct": size} if increase else size


def describe_target(target: dict, translate: Translate, lang: str) -> str:
    """One target as a phrase: 2013年比60%削減（ネット） / 60% below 2013 (net); an increase
    2013年比10%増加 / 10% above 2013."""
    kind = target["type"]
    if kind in ("base-year", "intensity") and not target.get("base_year"):
        kind = None
    size, increase = _size(target, lang)
    message = BASE_YEAR_INCREASE if increase else TARGET_MESSAGES[kind]
    text = translate(message) % {"base": target.get("base_year"), "pct": size}
    notes = [translate(NET[target["net"]])] if target.get("net") is not None else []
    if target.get("conditional"):
        notes.append(translate(CONDITIONAL))
    if notes:
        text += translate(PAREN) % {"text": ("、" if lang == "ja" else ", ").join(notes)}
    return text


# -- what changed --------------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    """One difference between a submission and the one before it, for one target year."""

    kind: str  # a key of CHANGE_MESSAGES
    year: int | None = None
    old: object = None  # the previous target (dict) or value
    new: object = None

    def describe(self, translate: Translate, lang: str) -> str:
        values = {"year": self.year, "old": self._text(self.old, translate, lang),
                  "new": self._text(self.new, translate, lang)}
        return translate(CHANGE_MESSAGES[self.kind]) % values

    def _text(self, value, translate, lang):
        if isinstance(value, dict):
            if self.kind in ("raised", "lowered", "narrowed", "widened", "reduction"):
                return format_reduction(value, translate, lang)
            return describe_target(value, translate, lang)
        if self.kind == "type":
            return VOCABULARIES.label("ndc-target-types", value, lang)
        if self.kind == "net":
            return translate(NET[value])
        return value


def _key(target: dict) -> tuple:
    return (target["year"], bool(target.get("conditional")))


def _reduction_change(old: dict, new: dict) -> str | None:
    (old_low, old_high), (new_low, new_high) = bounds(old), bounds(new)
    if (old_low, old_high) == (new_low, new_high):
        return None
    if new_low >= old_low and new_high >= old_high:
        return "raised"
    if new_low <= old_low and new_high <= old_high:
        return "lowered"
    both_ranges = old_low < old_high and new_low < new_high
    if both_ranges and old_low <= new_low and new_high <= old_high:
        return "narrowed"
    if both_ranges and new_low <= old_low and old_high <= new_high:
        return "widened"
    return "reduction"


def target_changes(old: dict, new: dict) -> list[Change]:
    """What changed in one target (same year) between two submissions."""
    year = new["year"]
    changes = []
    if old["type"] != new["type"]:
        changes.append(Change("type", year, old["type"], new["type"]))
    if old.get("base_year") != new.get("base_year") and old.get("base_year") and new.get("base_year"):
        changes.append(Change("base_year", year, old["base_year"], new["base_year"]))
    kind = _reduction_change(old, new)
    if kind and changes:
        kind = "reduction"  # percentages of a different type or base year are not comparable
    if kind:
        changes.append(Change(kind, year, old, new))
    if old.get("net") is not None and new.get("net") is not None and old["net"] != new["net"]:
        changes.append(Change("net", year, old["net"], new["net"]))
    if old.get("coverage") and new.get("coverage") and old["coverage"] != new["coverage"]:
        changes.append(Change("coverage", year))
    return changes


def submission_changes(previous: dict | None, current: dict) -> list[Change]:
    """Every change from `previous` to `current` (submissions), in target-year order."""
    if previous is None:
        return [Change("first")]
    before = {_key(t): t for t in previous["targets"]}
    after = {_key(t): t for t in current["targets"]}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None:
            changes.append(Change("added", key[0], None, new))
        elif new is None:
            changes.append(Change("removed", key[0], old, None))
        else:
            changes += target_changes(old, new)
    return changes or [Change("unchanged")]


def submission_order(submission: dict) -> tuple:
    """Oldest first: by date, then by version as numbers ("1.10" after "1.9")."""
    return submission["submitted_on"], tuple(int(part) for part in submission["version"].split("."))


def history(submissions: list[dict]) -> list[tuple[dict, list[Change]]]:
    """(submission, its changes from the one before), newest first."""
    ordered = sorted(submissions, key=submission_order)
    pairs = [(s, submission_changes(ordered[i - 1] if i else None, s)) for i, s in enumerate(ordered)]
    return pairs[::-1]


# -- checks a schema cannot state ----------------------------------------------------------

def _mappings(value) -> list[tuple[int, dict]]:
    """(index, item) of the mappings in a list; values of the wrong shape are the schema's to report."""
    return [(i, item) for i, item in enumerate(value) if isinstance(item, dict)] if isinstance(value, list) else []


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _targets(data) -> list[tuple[tuple, dict]]:
    """(location, target) of every target of every submission."""
    submissions = data.get("submissions") if isinstance(data, dict) else None
    return [(("submissions", i, "targets", j), target)
            for i, submission in _mappings(submissions) for j, target in _mappings(submission.get("targets"))]


def _range_problems(data) -> list[tuple[tuple, str, str]]:
    """Ranges that cannot be read as written: [50, 46] would read 「50～46%削減」, [60, 60]
    「60～60%削減」, and [-5, 10] is neither an increase nor a reduction."""
    found = []
    for location, target in _targets(data):
        span = target.get("reduction_pct_range")
        if not (isinstance(span, list) and len(span) == 2 and all(_is_number(v) for v in span)):
            continue
        location += ("reduction_pct_range",)
        low, high = number(span[0]), number(span[1])
        if span[0] > span[1]:
            found.append((location, f"下限を先に [{high}, {low}] と書いてください（[{low}, {high}] では「{low}～{high}%削減」と公開されます）",
                          f"write the lower bound first: [{high}, {low}] ([{low}, {high}] would read \"{low}–{high}%\")"))
        elif span[0] == span[1]:
            found.append((location, f"幅のない目標は reduction_pct: {low} と書いてください",
                          f"a target without a range is written reduction_pct: {low}"))
        elif span[0] < 0 < span[1]:
            found.append((location, f"[{low}, {high}] は増加（負の値）から削減にまたがるため、一つの目標として"
                                    "公開できません。下限と上限をともに 0 以上か、ともに 0 以下にしてください",
                          f"[{low}, {high}] runs from an increase (negative) to a reduction and cannot be published as "
                          "one target: make both bounds 0 or more, or both 0 or less"))
    return found


def _base_year_problems(data) -> list[tuple[tuple, str, str]]:
    """A base year not before its target year (2050 for a 2035 target): no reduction from it."""
    found = []
    for location, target in _targets(data):
        base, year = target.get("base_year"), target.get("year")
        if _is_number(base) and _is_number(year) and base >= year:
            found.append((location + ("base_year",), f"基準年（{base}年）は目標年（{year}年）より前の年にしてください",
                          f"the base year ({base}) must be before the target year ({year})"))
    return found


def _version_problems(data) -> list[tuple[tuple, str, str]]:
    """Two submissions of one version: an entry copied and not updated, and a history listing one
    version twice."""
    found, first = [], {}
    submissions = data.get("submissions") if isinstance(data, dict) else None
    for i, submission in _mappings(submissions):
        version = submission.get("version")
        if not (isinstance(version, str) and re.fullmatch(r"[0-9]+(\.[0-9]+)*", version)):
            continue  # not a version: the schema says so
        k = first.setdefault(version_number(version), i)
        if k != i:
            other = submissions[k]["version"]
            found.append((("submissions", i, "version"),
                          f"版 {version} は submissions[{k}] の版 {other} と同じです。提出ごとに別の版にしてください",
                          f"version {version} is the version of submissions[{k}] ({other}): "
                          "give each submission a version of its own"))
    return found


def record_problems(data) -> list[tuple[tuple, str, str]]:
    """What is wrong between the values of one NDC record, as (location, ja, en)."""
    return _range_problems(data) + _base_year_problems(data) + _version_problems(data)


# -- party codes ---------------------------------------------------------------------------

def party_code_problem(value) -> tuple[str, str]:
    """Why `value` is not a party of the code list, and what to write instead (ja, en)."""
    import pycountry

    codes = VOCABULARIES.codes("parties")
    text = unicodedata.normalize("NFKC", str(value)).strip()
    upper = text.upper()
    if upper in codes:
        return (f"「{value}」は半角大文字で {upper} と書いてください", f"write \"{value}\" as {upper}")
    country = None
    if len(upper) == 3 and upper.isalpha():
        country = pycountry.countries.get(alpha_3=upper)
        if country is not None:
            return (f"{upper}（{country.name}）は締約国の一覧にありません。"
                    f"plugins/model/vocabularies/parties.yaml に日本語名と英語名を加えてください",
                    f"{upper} ({country.name}) is not in the party code list; add it with its Japanese "
                    "and English names to plugins/model/vocabularies/parties.yaml")
    if upper in ("EU", "EUR", "EUN"):
        return (f"欧州連合は {EU} と書いてください", f"write the European Union as {EU}")
    if len(upper) == 2 and upper.isalpha():
        country = pycountry.countries.get(alpha_2=upper)
    for code in codes:  # a name written instead of the code: 日本, Japan
        names = [VOCABULARIES.label("parties", code, lang) for lang in ("ja", "en")]
        if any(text == name or (len(text) > 1 and name.startswith(text)) for name in names):
            return (f"国名ではなく ISO 3166-1 の3文字コード {code} を書いてください",
                    f"write the ISO 3166-1 alpha-3 code {code}, not the name")
    if country is None:
        try:
            country = pycountry.countries.lookup(text)
        except LookupError:
            country = None
    if country is not None:
        return (f"ISO 3166-1 の3文字コード {country.alpha_3} を書いてください（{value} は使えません）",
                f"write the ISO 3166-1 alpha-3 code {country.alpha_3} ({country.name}), not {value}")
    return (f"「{value}」は ISO 3166-1 の3文字の国コードではありません（EU は {EU}）",
            f"\"{value}\" is not an ISO 3166-1 alpha-3 country code ({EU} for the European Union)")
