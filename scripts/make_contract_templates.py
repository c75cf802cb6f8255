"""Make the default contract templates (契約書ひな形) shipped in plugins/offers/templates/.

Editors may instead keep their own in the content repository, edited in Word:
content/ja/offers/contract-template.docx and content/en/offers/contract-template.docx.
The placeholders ({{ brand }}, {{ quantity }}, ...) are listed in the README.
Usage: make_contract_templates.py [--check]   (--check: exit 1 if the shipped files are stale)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from docx import Document  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Mm, Pt  # noqa: E402

from offers.contracts import DEFAULT_TEMPLATES, TITLE  # noqa: E402
from offers.package import clean_docx  # noqa: E402

MOMENT = dt.datetime(2026, 4, 1)
FONTS = {"ja": ("Yu Mincho", "游明朝"), "en": ("Times New Roman", "游明朝")}

# (kind, text): "title", "article" (a heading), "p" (a paragraph), "facts" (the facts table),
# "if"/"endif" (docxtpl paragraph conditions), "note" (small print)
BLANK = {"ja": "＿＿＿＿＿＿＿＿", "en": "______________"}
TEXT = {
    "ja": [
        ("title", TITLE["ja"]),
        ("p", "{{ seller }}（以下「甲」という。）と" + BLANK["ja"] + "（以下「乙」という。）は、J-クレジット制度において"
              "認証されたクレジットの売買について、次のとおり契約（以下「本契約」という。）を締結する。"),
        ("article", "第1条（売買の目的物）"),
        ("p", "甲は、乙に対し、次のクレジット（以下「本クレジット」という。）を売り渡し、乙はこれを買い受ける。"),
        ("facts", [("銘柄", "{{ brand }}"), ("方法論", "{{ methodology }} {{ methodology_title }}"),
                   ("プロジェクト", "{{ project }}"), ("実施場所", "{{ prefecture }}（{{ region }}）"),
                   ("業種", "{{ sector }}"), ("売り出し数量", "{{ quantity }} t-CO2"),
                   ("売買数量", BLANK["ja"] + " t-CO2"),
                   ("売買単価", "1 t-CO2 当たり " + BLANK["ja"] + " 円（消費税別）"),
                   ("売買代金の総額", BLANK["ja"] + " 円（消費税別）")]),
        ("article", "第2条（取引条件）"),
        ("p", "本クレジットの売買は、甲が売り出し情報において示した次の取引希望条件を踏まえて行う。"),
        ("p", "{{ conditions }}"),
        ("if", "{%p if government_held %}"),
        ("p", "本クレジットは政府保有クレジットであり、その売買の手続は入札公告の定めるところによる。"),
        ("endif", "{%p endif %}"),
        ("article", "第3条（代金の支払）"),
        ("p", "乙は、＿＿＿＿年＿＿月＿＿日までに、売買代金の総額に消費税を加えた額を甲の指定する銀行口座に"
              "振り込む方法により支払う。振込手数料は乙の負担とする。"),
        ("article", "第4条（移転）"),
        ("p", "甲は、前条の支払を確認した日から＿＿営業日以内に、J-クレジット登録簿システムにおいて、"
              "本クレジットを乙の保有口座（口座番号：" + BLANK["ja"] + "）へ移転する。"),
        ("article", "第5条（表明及び保証）"),
        ("p", "甲は、本クレジットがJ-クレジット制度において適正に認証されたものであり、"
              "第三者の権利の目的となっていないことを表明し、保証する。"),
        ("article", "第6条（用途）"),
        ("p", "乙は、本クレジットを" + BLANK["ja"] + "（カーボン・オフセット、温対法に基づく報告等）に用いる。"),
        ("article", "第7条（協議）"),
        ("p", "本契約に定めのない事項又は本契約の解釈に疑義が生じた事項は、甲乙誠実に協議して定める。"),
        ("p", "本契約の成立を証するため、本書2通を作成し、甲乙記名押印の上、各1通を保有する。"),
        ("p", "＿＿＿＿年＿＿月＿＿日"),
        ("p", "甲（売り手）　名称：{{ seller }}"),
        ("p", "　　　　　　　所在地：" + BLANK["ja"] + "　代表者：" + BLANK["ja"] + "　印"),
        ("p", "乙（買い手）　名称：" + BLANK["ja"]),
        ("p", "　　　　　　　所在地：" + BLANK["ja"] + "　代表者：" + BLANK["ja"] + "　印"),
        ("note", "このひな形は、J-クレジット制度ウェブサイトに{{ listed_date }}に掲載された売り出し情報を差し込んで作成したものです"
                 "（売り出し情報 {{ offer_id }}：掲載日 {{ listed_on }}、数量 {{ quantity_t_co2 }} t-CO2、掲載期限 {{ expiry_date }}、"
                 "{{ offer_url }}、問い合わせ先 {{ contact }}）。契約の内容は、当事者間で協議の上、定めてください。"),
    ],
    "en": [
        ("title", TITLE["en"]),
        ("p", "{{ seller }} (the \"Seller\") and " + BLANK["en"] + " (the \"Buyer\") agree as follows on the sale "
              "and purchase of credits certified under the J-Credit Scheme (this \"Agreement\")."),
        ("article", "Article 1 (Credits sold)"),
        ("p", "The Seller sells to the Buyer, and the Buyer buys from the Seller, the following credits "
              "(the \"Credits\")."),
        ("facts", [("Brand", "{{ brand }}"), ("Methodology", "{{ methodology }} {{ methodology_title }}"),
                   ("Project", "{{ project }}"), ("Location", "{{ prefecture }} ({{ region }})"),
                   ("Sector", "{{ sector }}"), ("Quantity offered", "{{ quantity }} t-CO2"),
                   ("Quantity bought", BLANK["en"] + " t-CO2"),
                   ("Unit price", "JPY " + BLANK["en"] + " per t-CO2 (excluding consumption tax)"),
                   ("Total price", "JPY " + BLANK["en"] + " (excluding consumption tax)")]),
        ("article", "Article 2 (Terms)"),
        ("p", "The sale takes into account the following terms stated by the Seller in its offer."),
        ("p", "{{ conditions }}"),
        ("if", "{%p if translation == 'stale' %}"),
        ("p", "The Japanese offer has changed since its English text was written: the Japanese contract "
              "template (契約書ひな形) states the terms as they are now."),
        ("endif", "{%p endif %}"),
        ("if", "{%p if translation == 'missing' %}"),
        ("p", "The offer has no English text yet: its terms are given as the Seller wrote them, in Japanese."),
        ("endif", "{%p endif %}"),
        ("if", "{%p if government_held %}"),
        ("p", "The Credits are government-held credits; their sale follows the procedure of the call for tenders."),
        ("endif", "{%p endif %}"),
        ("article", "Article 3 (Payment)"),
        ("p", "The Buyer pays the total price plus consumption tax by ______ (date) by transfer to the bank "
              "account designated by the Seller. The Buyer bears the transfer fees."),
        ("article", "Article 4 (Transfer)"),
        ("p", "Within ____ business days of confirming the payment, the Seller transfers the Credits in the "
              "J-Credit Registry to the Buyer's holding account (account number: " + BLANK["en"] + ")."),
        ("article", "Article 5 (Representations and warranties)"),
        ("p", "The Seller represents and warrants that the Credits were duly certified under the J-Credit "
              "Scheme and are free of any third-party right."),
        ("article", "Article 6 (Use)"),
        ("p", "The Buyer uses the Credits for " + BLANK["en"] + " (carbon offsetting, reporting under the Act "
              "on Promotion of Global Warming Countermeasures, etc.)."),
        ("article", "Article 7 (Consultation)"),
        ("p", "Matters not provided for in this Agreement, or doubts about its interpretation, are settled by "
              "the parties in good-faith consultation."),
        ("p", "In witness whereof, this Agreement is made in duplicate, signed and sealed by both parties, "
              "each keeping one copy."),
        ("p", "Date: ______"),
        ("p", "Seller: {{ seller }}    Address: " + BLANK["en"] + "    Representative: " + BLANK["en"]),
        ("p", "Buyer: " + BLANK["en"] + "    Address: " + BLANK["en"] + "    Representative: " + BLANK["en"]),
        ("note", "This template was filled in from an offer listed on {{ listed_date }} on the J-Credit Scheme website "
                 "(offer {{ offer_id }}: listed on {{ listed_on }}; quantity {{ quantity_t_co2 }} t-CO2; listed until "
                 "{{ expiry_date }}; {{ offer_url }}; contact: {{ contact }}). The parties settle the content of the "
                 "agreement between themselves."),
    ],
}


def build_template(lang: str) -> bytes:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(25))
    normal = document.styles["Normal"]
    normal.font.name, east_asian = FONTS[lang]
    normal.font.size = Pt(10.5)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), east_asian)
    for kind, content in TEXT[lang]:
        if kind == "title":
            heading = document.add_paragraph()
            heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = heading.add_run(content)
            run.bold, run.font.size = True, Pt(16)
        elif kind == "article":
            document.add_paragraph().add_run(content).bold = True
        elif kind == "facts":
            table = document.add_table(rows=0, cols=2)
            table.style = "Table Grid"
            for label, value in content:
                cells = table.add_row().cells
                cells[0].text, cells[1].text = label, value  # one run each: docxtpl needs whole tags
                cells[0].width, cells[1].width = Mm(40), Mm(120)
        elif kind == "note":
            document.add_paragraph().add_run(content).font.size = Pt(8.5)
        else:
            document.add_paragraph(content)
    # Word 2010's duplicate of styles.xml: Word does without it, and every contract is smaller and
    # renders faster (a part no relationship reaches is not saved).
    for rel_id, rel in list(document.part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            document.part.drop_rel(rel_id)
    buffer = io.BytesIO()
    document.save(buffer)
    return clean_docx(buffer.getvalue(), TITLE[lang], lang, MOMENT)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the shipped templates are stale")
    args = parser.parse_args(argv)
    stale = []
    for lang in ("ja", "en"):
        path = DEFAULT_TEMPLATES / lang / "contract-template.docx"
        data = build_template(lang)
        if args.check:
            if not path.is_file() or path.read_bytes() != data:
                stale.append(path)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
            print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")
    for path in stale:
        print(f"stale: {path.relative_to(ROOT)}; run scripts/make_contract_templates.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
