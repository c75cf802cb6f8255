"""Section names, written once: navigation, headings and breadcrumbs all use `section()`."""


def N_(message):  # marks a message for Babel extraction; translated when rendered
    return message


SECTIONS = {
    "about": N_("制度について"),
    "offers": N_("売り出しクレジット"),
    "meetings": N_("委員会"),
    "methodologies": N_("方法論"),
    "regulations": N_("規程類"),
    "faqs": N_("よくある質問"),
    "providers": N_("J-クレジット・プロバイダー"),
    "projects": N_("登録プロジェクト"),
    "regional": N_("地域版J-クレジット制度"),
    "international": N_("国際交渉"),
    "ndc": N_("各国のNDC"),
    "cop": N_("COP交渉日報"),
    "reports": N_("委託調査報告書"),
    "news": N_("お知らせ"),
    "statistics": N_("統計"),
    "opendata": N_("オープンデータ"),
    "search": N_("サイト内検索"),
}
