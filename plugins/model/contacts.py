"""Contacts on a public site must be an organisation's: a contact page or a role address, never
a free-mail or mobile address, a person's name, or a personal mobile number."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .problems import Problem

PHONE_NUMBERS_FILE = "phone-numbers.yaml"  # organisations' numbers the site may publish

FREE_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com", "hotmail.com",
    "hotmail.co.jp", "outlook.com", "outlook.jp", "live.jp", "live.com", "msn.com", "icloud.com",
    "me.com", "mac.com", "aol.com", "protonmail.com", "proton.me", "gmx.com", "gmx.de", "gmx.net",
    "mail.com", "nifty.com", "excite.co.jp", "zoho.com", "goo.jp", "mail.goo.ne.jp", "livedoor.com",
    "infoseek.jp", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "naver.com",
    "tutanota.com", "tuta.io", "fastmail.com",
    # mobile carriers' addresses belong to a handset, that is to a person
    "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp", "i.softbank.jp", "ymobile.ne.jp",
    "disney.ne.jp", "uqmobile.jp", "rakumail.jp",
}
ROLE_WORDS = {
    "info", "information", "contact", "contacts", "inquiry", "inquiries", "toiawase", "otoiawase",
    "sales", "eigyo", "support", "office", "desk", "help", "helpdesk", "admin", "secretariat",
    "jimukyoku", "jcredit", "j", "credit", "credits", "carbon", "offset", "env", "kankyo",
    "energy", "forest", "forestry", "shinrin", "ringyo", "team", "dept", "division", "section",
    "group", "center", "centre", "service", "services", "trade", "trading", "market", "green",
    "gx", "co2", "climate", "koho", "pr", "press", "general", "soumu", "somu", "kikaku",
}
# Common Japanese family names, romanised: a local part made of one of these is a person's.
SURNAMES = {
    "sato", "suzuki", "takahashi", "tanaka", "watanabe", "ito", "yamamoto", "nakamura",
    "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto", "inoue",
    "kimura", "hayashi", "saito", "shimizu", "yamazaki", "mori", "abe", "ikeda", "hashimoto",
    "yamashita", "ishikawa", "nakajima", "maeda", "fujita", "ogawa", "goto", "okada", "hasegawa",
    "murakami", "kondo", "ishii", "sakamoto", "endo", "aoki", "fujii", "nishimura", "fukuda",
    "ota", "miura", "fujiwara", "okamoto", "matsuda", "nakagawa", "nakano", "harada", "ono",
    "tamura", "takeuchi", "kaneko", "wada", "nakayama", "ishida", "ueda", "morita", "hara",
    "shibata", "sakai", "kudo", "yokoyama", "miyazaki", "miyamoto", "uchida", "takagi", "ando",
    "taniguchi", "ohno", "maruyama", "imai", "takada", "fujimoto", "takeda", "murata", "ueno",
    "sugiyama", "masuda", "sugawara", "hirano", "kojima", "otsuka", "chiba", "kubo", "matsui",
    "iwasaki", "sakurai", "kinoshita", "noguchi", "matsuo", "nomura", "kikuchi", "sano", "onishi",
}
# Common romanised given names (four letters or more, so that no role word is taken for one).
GIVEN_NAMES = {
    "taro", "jiro", "ichiro", "saburo", "hanako", "hiroshi", "takashi", "makoto", "akira",
    "kenji", "kazuo", "naoki", "daisuke", "shota", "yuta", "kenta", "takuya", "yusuke", "haruto",
    "sota", "minoru", "satoshi", "tsuyoshi", "masaru", "yoshio", "kiyoshi", "tetsuya", "kazuki",
    "hiroki", "ryota", "yuko", "yoko", "keiko", "kyoko", "akiko", "tomoko", "naoko", "mayumi",
    "megumi", "ayumi", "yumiko", "michiko", "sachiko", "kazuko", "misaki", "sakura", "haruka",
    "kaori", "yuki", "yuka", "emiko", "junko", "masako", "noriko", "hiromi", "chika", "nanami",
}
NAMES = SURNAMES | GIVEN_NAMES


def looks_like_a_name(text: str) -> bool:
    """True if `text` (a mail local part or a URL segment) reads as a person's romanised name:
    a family or given name among its words, or written together with an initial or the other
    name (tyamada, yamadat, taroyamada)."""
    words = [w for w in re.split(r"[._\-+0-9]+", text.lower()) if w]
    if any(w in NAMES for w in words):
        return True
    joined = "".join(words)
    for surname in SURNAMES:
        if surname in joined:
            rest = joined.replace(surname, "", 1)
            if len(rest) == 1 or rest in GIVEN_NAMES:
                return True
    return False


def email_problem(address: str) -> tuple[str, str] | None:
    """Why `address` may not be published, in Japanese and English, or None if it may."""
    local, _, domain = address.lower().partition("@")
    if any(domain == free or domain.endswith("." + free) for free in FREE_MAIL_DOMAINS):
        return (f"フリーメール・携帯のアドレス（{domain}）は掲載できません。組織の代表アドレスか問い合わせページの URL にしてください",
                f"free-mail or mobile address ({domain}) cannot be published; use an organisation's role address or contact URL")
    tokens = [t for t in re.split(r"[._\-+0-9]+", local) if t]
    if looks_like_a_name(local) or (
        len(tokens) >= 2 and all(t.isalpha() and t not in ROLE_WORDS for t in tokens)
        and not any(r in local for r in ROLE_WORDS if len(r) > 3)
    ):
        return (f"個人名のアドレス（{address}）は掲載できません。組織の代表アドレスにしてください",
                f"{address} looks like a person's address; use an organisation's role address")
    return None


def _personal_segment(segment: str) -> bool:
    """A home directory (/~yamada/) or a full name (/staff/taro-yamada/); one name alone may be
    a place or a word (mori is also "forest"), so it is not enough in a URL."""
    words = [w for w in re.split(r"[._\-+0-9]+", segment.lower()) if w]
    return segment.startswith("~") or sum(w in NAMES for w in words) >= 2


def url_problem(url: str) -> tuple[str, str] | None:
    """Why a contact URL may not be published: a personal page or an address in disguise."""
    parts = urlsplit(url)
    if parts.username:
        return ("URL に利用者名（@ の前）を含めないでください",
                "the URL must not carry a user name (before @)")
    if any(_personal_segment(unquote(s)) for s in parts.path.split("/")):
        return ("個人のページの URL は掲載できません。組織の問い合わせページにしてください",
                "this looks like a person's page; use the organisation's contact page")
    return None


# Japanese numbers as written: 03-1234-5678, 090 1234 5678, (03)1234-5678, +81-3-1234-5678.
# Three groups with separators, so that dates, postal codes and quantities never match.
PHONE = re.compile(r"(?<![\w+\-.])(?:\+81[-\s]?\(?\d{1,4}\)?|\(?0\d{1,4}\)?)[-\s(]?\s?\d{1,4}[-\s)]\s?\d{3,4}(?![\w\-])")
MOBILE_NUMBER = re.compile(r"(?<![0-9０-９])[0０][7-9７-９][0０][-‐－ー−\s]?[0-9０-９]{4}[-‐－ー−\s]?[0-9０-９]{4}(?![0-9０-９])")
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")


def digits(number: str) -> str:
    """The digits of a phone number, national form: +81-3-1234-5678 -> 0312345678."""
    only = re.sub(r"\D", "", unicodedata.normalize("NFKC", number))
    return "0" + only[2:] if number.lstrip().startswith(("+81", "＋８１")) else only


_AT_WRITTEN_OUT = re.compile(r"\s*(?:\[\s*at\s*\]|\(\s*at\s*\)|\{\s*at\s*\}|<\s*at\s*>)\s*", re.IGNORECASE)
# Cheap searches that every match of the patterns above implies: most texts (every page of the
# site is one) hold none, and the full patterns, tried at each character, cost ten times more.
_AT_HINT = re.compile(r"[\[({<]\s*at\s*[\])}>]", re.IGNORECASE)
_PHONE_HINT = re.compile(r"\d[-\s)]\s?\d{3}|0[7-9]0[-‐－ー−\s]?\d{4}")


def personal_data(text: str, allowed_phones: frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(ja, en) for each piece of personal data in `text`: a person's e-mail address, or a phone
    number that is not an organisation's (`allowed_phones`, digits only: phone-numbers.yaml).
    The one rule for a record's text and for the built site's files, however written (full
    width, ＠)."""
    found = []
    normal = unicodedata.normalize("NFKC", text)
    if _AT_HINT.search(normal):
        normal = _AT_WRITTEN_OUT.sub("@", normal)  # taro [at] example.com is still an address
    for address in EMAIL_IN_TEXT.findall(normal) if "@" in normal else ():
        reason = email_problem(address)
        if reason:
            found.append(reason)
    if not _PHONE_HINT.search(normal):
        return found
    numbers = {}  # digits -> the number as written, once however many patterns find it
    for match in sorted([*PHONE.finditer(normal), *MOBILE_NUMBER.finditer(normal)], key=lambda m: m.start()):
        numbers.setdefault(digits(match.group(0)), match.group(0).strip())
    for number, written in numbers.items():
        if len(number) < 10 or number in allowed_phones:
            continue
        if MOBILE_NUMBER.fullmatch(number):
            found.append((f"携帯電話の番号（{written}）は個人のものとして掲載できません。組織の代表番号か問い合わせページにしてください",
                          f"a mobile phone number ({written}) is a person's and cannot be published; use the "
                          "organisation's number or page"))
        else:
            found.append((f"電話番号（{written}）が含まれています。組織の代表番号なら content/{PHONE_NUMBERS_FILE} に加えてください",
                          f"contains a phone number ({written}); if it is an organisation's, add it to "
                          f"content/{PHONE_NUMBERS_FILE}"))
    return found


def published_phone_numbers(content_root: Path) -> tuple[frozenset[str], list[Problem]]:
    """The organisations' numbers the site may show (digits only), from the content root's
    phone-numbers.yaml, a list; and every problem with the file. No file: none may be shown."""
    path = Path(content_root) / PHONE_NUMBERS_FILE
    if not path.is_file():
        return frozenset(), []
    from .site import display
    from .yamlfile import load_yaml

    shown = display(path)
    doc, problems = load_yaml(path, shown)
    if doc is None:
        return frozenset(), [p for p in problems if "empty" not in p.en]  # an empty list is a list
    if not isinstance(doc.data, list):
        return frozenset(), problems + [Problem(shown, 1, "", "「- 03-1234-5678」のように番号を1行ずつ並べてください",
                                                "list one number per line, as '- 03-1234-5678'")]
    numbers = set()
    for i, number in enumerate(doc.data):
        written = doc.raw.get((i,), number)  # 0312345678 as typed, not the integer YAML reads
        if isinstance(number, str) and MOBILE_NUMBER.fullmatch(digits(number)):
            problems.append(Problem(shown, doc.line((i,)), f"[{i}]", f"携帯電話の番号（{written}）は個人のものとして載せられません。組織の代表番号だけを書いてください",
                                    f"a mobile number ({written}) is a person's and may not be listed; list organisations' main numbers only"))
        elif isinstance(number, str) and len(digits(number)) >= 10 and digits(number).startswith("0") \
                and not re.search(r"[^\d\s()+\-‐－ー−（）]", unicodedata.normalize("NFKC", number)):
            numbers.add(digits(number))
        else:
            problems.append(Problem(shown, doc.line((i,)), f"[{i}]", f"電話番号ではありません（{written}）。03-1234-5678 のように書いてください",
                                    f"not a phone number ({written}); write it as 03-1234-5678"))
    return frozenset(numbers), problems
