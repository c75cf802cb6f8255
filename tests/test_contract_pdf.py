"""The contract documents open in LibreOffice: headless Writer converts each to PDF, and the
PDF says what the offer says (test_offers.py reads them back with python-docx)."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from conftest import FIXTURE
from model import load_site


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)  # PDF text breaks lines and spaces where the layout does


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_libreoffice_converts_each_contract_to_a_pdf_holding_its_facts(built_site, tmp_path, lang):
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Writer is needed: apt-get install libreoffice-writer-nogui (make test does)"
    contracts = sorted((built_site / ("en/" if lang == "en" else "") / "offers").glob("*/contract.docx"))
    assert len(contracts) == 3
    for contract in contracts:  # one folder per offer: every file is named contract.docx
        shutil.copy(contract, tmp_path / f"{contract.parent.name}.docx")
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *sorted(map(str, tmp_path.glob("*.docx")))],
        capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    site = load_site(FIXTURE)
    for contract in contracts:
        offer = site.find("offers", contract.parent.name)
        pdf = PdfReader(tmp_path / "pdf" / f"{offer.id}.pdf")
        text = squeeze("".join(page.extract_text() for page in pdf.pages))
        brand = (offer.overlay or {}).get("brand") if lang == "en" and offer.overlay else offer.brand
        for fact in (brand, f"{offer.quantity_t_co2:,}", offer.methodology):
            assert squeeze(fact) in text, (offer.id, fact)
        assert ("売買契約書" if lang == "ja" else "SaleandPurchaseAgreement") in text
