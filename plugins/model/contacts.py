"""Contacts on a public site must be an organisation's: a contact page or a role address, never
a free-mail or mobile address, a person's name, or a personal mobile number."""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

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


MOBILE_NUMBER = re.compile(r"(?<![0-9０-９])[0０][7-9７-９][0０][-‐－ー−\s]?[0-9０-９]{4}[-‐－ー−\s]?[0-9０-９]{4}(?![0-9０-９])")
MOBILE_NUMBER_PROBLEM = ("携帯電話の番号は個人のものとして掲載できません。組織の代表番号か問い合わせページにしてください",
                         "mobile phone numbers are personal and cannot be published; use the organisation's number or page")
EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
