"""Contacts on a public site must be an organisation's: no free-mail, no personal names."""

from __future__ import annotations

import re

FREE_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.co.jp", "ymail.ne.jp", "yahoo.com", "hotmail.com",
    "hotmail.co.jp", "outlook.com", "outlook.jp", "live.jp", "live.com", "msn.com", "icloud.com",
    "me.com", "mac.com", "aol.com", "docomo.ne.jp", "ezweb.ne.jp", "au.com", "softbank.ne.jp",
    "i.softbank.jp", "ymobile.ne.jp", "protonmail.com", "proton.me", "gmx.com", "mail.com",
    "nifty.com", "excite.co.jp", "zoho.com",
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


def email_problem(address: str) -> tuple[str, str] | None:
    """Why `address` may not be published, in Japanese and English, or None if it may."""
    local, _, domain = address.lower().partition("@")
    if domain in FREE_MAIL_DOMAINS or domain.endswith((".docomo.ne.jp", ".ezweb.ne.jp")):
        return (f"フリーメール・携帯のアドレス（{domain}）は掲載できません。組織の代表アドレスか問い合わせページの URL にしてください",
                f"free-mail or mobile address ({domain}) cannot be published; use an organisation's role address or contact URL")
    tokens = [t for t in re.split(r"[._\-+0-9]+", local) if t]
    if any(t in SURNAMES for t in tokens) or (
        len(tokens) >= 2 and all(t.isalpha() and t not in ROLE_WORDS for t in tokens)
        and not any(r in local for r in ROLE_WORDS if len(r) > 3)
    ):
        return (f"個人名のアドレス（{address}）は掲載できません。組織の代表アドレスにしてください",
                f"{address} looks like a person's address; use an organisation's role address")
    return None


EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
HTML_TAG = re.compile(r"<\s*/?\s*[A-Za-z][^<>]*>")
