"""Bilingual explanations of schema errors, with hints for the mistakes editors actually make."""

from __future__ import annotations

import difflib
import re
import unicodedata

from .schemas import resolve, vocabulary_of
from .yamlfile import FULL_WIDTH_COLON, FULL_WIDTH_INDENT

ERAS = {  # era -> (first Western year, last era year)
    "令和": (2019, None), "平成": (1989, 31), "昭和": (1926, 64), "大正": (1912, 15),
    "R": (2019, None), "H": (1989, 31), "S": (1926, 64),
}
ERA_NAMES = {"令和": "Reiwa", "平成": "Heisei", "昭和": "Showa", "大正": "Taisho", "R": "Reiwa", "H": "Heisei", "S": "Showa"}
_WAREKI = re.compile(r"^(令和|平成|昭和|大正|R|H|S)\s*(元|\d+)\s*[年.\-/]\s*(\d+)\s*[月.\-/]\s*(\d+)\s*日?$")

TYPE_NAMES = {
    "integer": ("整数（半角数字）", "a whole number (ASCII digits)"),
    "number": ("数値（半角）", "a number"),
    "string": ("文字列", "text"),
    "boolean": ("true または false", "true or false"),
    "array": ("リスト（「- 」で始まる行）", "a list (lines starting with '- ')"),
    "object": ("項目の組（キー: 値）", "a mapping (key: value)"),
}


def wareki_to_iso(text: str) -> tuple[str | None, str | None]:
    """Convert a Japanese-era date. Returns (iso, None), or (None, reason) if the era is wrong."""
    match = _WAREKI.match(unicodedata.normalize("NFKC", text).strip())
    if not match:
        return None, None
    era, year, month, day = match.groups()
    year = 1 if year == "元" else int(year)
    first, last = ERAS[era]
    if last is not None and year > last:
        return None, f"{era}{year}年は存在しません（{era}は{last}年まで） / {ERA_NAMES[era]} {year} does not exist (the era ended in its year {last})"
    return f"{first + year - 1:04d}-{int(month):02d}-{int(day):02d}", None


def _hint(value, expected_type: str | None, raw: str | None) -> tuple[str, str]:
    """A short hint in both languages for a value of the wrong shape, or empty strings."""
    if isinstance(value, str):
        normal = unicodedata.normalize("NFKC", value).strip()
        if expected_type in ("integer", "number") and re.fullmatch(r"[-+]?[\d,]+(\.\d+)?", normal):
            if normal != value:
                return (f"全角の数字が含まれています。半角で {normal.replace(',', '')} と書いてください",
                        f"full-width digits: write {normal.replace(',', '')}")
            return (f"引用符やカンマを付けずに {normal.replace(',', '')} と書いてください",
                    f"write {normal.replace(',', '')} without quotes or commas")
        span = re.fullmatch(r"\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*[–—〜~－‐-]\s*([-+]?\d+(?:\.\d+)?)\s*%?\s*",
                            normal)
        if expected_type in ("integer", "number", "array") and (span or re.search(r"\d\s*[–—〜~－-]\s*\d", normal)):
            example = f"[{span.group(1)}, {span.group(2)}]" if span else "[下限, 上限]"
            return (f"幅は reduction_pct_range: {example} の形で書いてください（「–」や「～」でつながない）",
                    f"write a range as reduction_pct_range: {example.replace('下限', 'low').replace('上限', 'high')}"
                    " (not joined with a dash)")
        if expected_type in ("integer", "number") and normal.endswith("%"):
            bare = normal.rstrip("% ")
            if re.fullmatch(r"[-+]?\d+(\.\d+)?", bare):
                return (f"% を付けずに数値だけを {bare} と書いてください", f"write the number {bare} without '%'")
            return ("% を付けずに数値だけを書いてください", "write the number without '%'")
        if expected_type == "array" and re.match(r"\s*[－ー−‐]\s", value):  # read as one text, dashes and all
            return ("リストの印は半角の「-」です。全角の「－」を半角にしてください",
                    "a list item starts with a half-width '-', not the full-width '－'")
        if expected_type == "boolean" and value.lower() in {"yes", "no", "on", "off", "y", "n"}:
            return ("YAML 1.2 では true / false だけが真偽値です",
                    "only true and false are booleans (YAML 1.2)")
        if expected_type == "boolean" and value.strip().lower() in {"true", "false"}:
            return (f"引用符を付けずに {value.strip().lower()} と書いてください", f"write {value.strip().lower()} without quotes")
    if expected_type == "string" and isinstance(value, (int, float)) and raw is not None:
        return (f"引用符で囲んで \"{raw}\" と書いてください（囲まないと数値 {value} と読まれます）",
                f"quote it as \"{raw}\" (unquoted it reads as the number {value})")
    return "", ""


def _true_or_false(value, raw: str | None) -> tuple[str, str]:
    hint_ja, hint_en = _hint(value, "boolean", raw)
    return ("true か false で書いてください" + (f"。{hint_ja}" if hint_ja else ""),
            "write true or false" + (f"; {hint_en}" if hint_en else ""))


def date_problem(value) -> tuple[str, str]:
    if not isinstance(value, str):
        return ("日付は YYYY-MM-DD の形で書いてください", "write dates as YYYY-MM-DD")
    iso, reason = wareki_to_iso(value)
    if reason:
        return reason.split(" / ")[0], reason.split(" / ")[1]
    if iso:
        return (f"和暦ではなく西暦で {iso} と書いてください", f"use the Western calendar: {iso}")
    normal = unicodedata.normalize("NFKC", value)
    match = re.fullmatch(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?", normal.strip())
    if match:
        iso = "{}-{:02d}-{:02d}".format(*map(int, match.groups()))
        return (f"日付は YYYY-MM-DD の形で {iso} と書いてください", f"write the date as {iso}")
    return ("日付は YYYY-MM-DD（西暦）で書いてください", "write dates as YYYY-MM-DD")


def explain(error, raw: str | None) -> tuple[str, str]:
    """Japanese and English text for one jsonschema error."""
    kind, value, schema = error.validator, error.instance, resolve(error.schema)
    if schema.get("format") == "date" and kind in ("type", "pattern", "format"):
        if kind == "format" and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", str(value)):  # not \d: full-width digits
            return (f"存在しない日付です（{value}）", f"not a real date ({value})")
        return date_problem(value)
    if kind == "type":
        expected = error.validator_value if isinstance(error.validator_value, str) else error.validator_value[0]
        if value is None:
            return ("値が空です", "the value is empty")
        if expected == "integer" and isinstance(value, float) and value.is_integer():  # 1100.0, 1e3
            return (f"{int(value)} と整数で書いてください（{raw or value} は小数として読まれます）",
                    f"write it as a whole number: {int(value)} ({raw or value} reads as a decimal)")
        if expected == "boolean":
            return _true_or_false(value, raw)
        ja, en = TYPE_NAMES.get(expected, (expected, expected))
        hint_ja, hint_en = _hint(value, expected, raw)
        return (f"{ja}で書いてください" + (f"。{hint_ja}" if hint_ja else ""),
                f"must be {en}" + (f"; {hint_en}" if hint_en else ""))
    if kind == "enum" and vocabulary_of(schema) == "parties":
        from .ndc import party_code_problem
        return party_code_problem(value)
    if kind == "enum":
        allowed = [str(a) for a in error.validator_value]
        close = difflib.get_close_matches(str(value), allowed, n=3, cutoff=0.5)
        if len(allowed) <= 8:
            choices = ", ".join(allowed)
        else:
            choices = ", ".join(close) + " …" if close else f"{allowed[0]} … ({len(allowed)})"
        hint_ja, hint_en = _hint(value, "boolean", raw) if "true" in allowed else ("", "")
        return (f"「{value}」は使えない値です（使える値: {choices}）{hint_ja}",
                f"\"{value}\" is not an allowed value (allowed: {choices}){hint_en and '; ' + hint_en}")
    if kind == "const" and isinstance(error.validator_value, bool):  # a provider's `nationwide: true`
        if isinstance(value, bool):
            word = "true" if error.validator_value else "false"
            return (f"ここに書けるのは {word} だけです（でなければ項目ごと消してください）",
                    f"only {word} may be written here (otherwise leave the field out)")
        return _true_or_false(value, raw)
    if kind == "const":
        return (f"{error.validator_value} と書いてください", f"must be {error.validator_value}")
    if kind in ("pattern", "minLength") and schema.get("minLength") == 1 and (value or "").strip() == "":
        return ("空にできません", "must not be empty")
    if kind == "pattern":
        description = schema.get("description", "")
        hint_ja, hint_en = "", ""
        normal = unicodedata.normalize("NFKC", value)
        if normal != value and re.fullmatch(error.validator_value, normal):
            hint_ja, hint_en = f"。全角文字を半角にして {normal} と書いてください", f"; write {normal} (half-width)"
        below_root = re.sub(r"^(?:\.?/|content/)+", "", normal)  # a file written from the repository or site root
        if below_root != normal and re.fullmatch(error.validator_value, below_root):
            hint_ja, hint_en = f"。{below_root} と書いてください", f"; write {below_root}"
        return (f"「{value}」は形式が正しくありません{('（' + description.split(' / ')[0] + '）') if description else ''}{hint_ja}",
                f"\"{value}\" is not in the expected form{(' (' + description.split(' / ')[-1] + ')') if description else ''}{hint_en}")
    if kind in ("minimum", "exclusiveMinimum"):
        return (f"{error.validator_value} 以上にしてください", f"must be at least {error.validator_value}")
    if kind in ("maximum", "exclusiveMaximum"):
        return (f"{error.validator_value} 以下にしてください", f"must be at most {error.validator_value}")
    if kind == "minItems":
        return (f"少なくとも {error.validator_value} 件必要です", f"needs at least {error.validator_value} item(s)")
    if kind == "maxItems":
        return (f"{error.validator_value} 件までです", f"takes at most {error.validator_value} item(s)")
    if kind == "uniqueItems":
        return ("同じ値が重複しています", "holds the same value twice")
    return (f"内容が正しくありません（{error.message}）", error.message)


def suggest_field(name: str, allowed) -> tuple[str, str]:
    # What a Japanese IME makes of a field name the parser still reads as one: `ｓｔａｔｕｓ`,
    # `title：会議` (a full-width colon), `　　file` (indented with full-width spaces).
    normal = unicodedata.normalize("NFKC", name)
    if "：" in name and normal.partition(":")[0].strip() in allowed:
        return FULL_WIDTH_COLON
    if "\u3000" in name and normal.strip() in allowed:
        return FULL_WIDTH_INDENT
    if normal != name and normal in allowed:
        return (f"全角文字が含まれています。半角で「{normal}」と書いてください", f"full-width letters: write \"{normal}\"")
    close = difflib.get_close_matches(name, list(allowed), n=1, cutoff=0.6)
    if close:
        return (f"未知の項目です（「{close[0]}」の誤りではありませんか）",
                f"unknown field (did you mean \"{close[0]}\"?)")
    return ("未知の項目です", "unknown field")
