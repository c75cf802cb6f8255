"""Personal data in published text: a person's e-mail address or a phone number not listed as
an organisation's. E-mail addresses are judged by the same rule as the content's contacts."""

from __future__ import annotations

import re
import unicodedata

from model.contacts import EMAIL_IN_TEXT, email_problem

# Japanese numbers as written: 03-1234-5678, 090 1234 5678, (03)1234-5678, +81-3-1234-5678.
# Three groups with separators, so that dates, postal codes and quantities never match.
PHONE = re.compile(r"(?<![\w+\-.])(?:\+81[-\s]?\(?\d{1,4}\)?|\(?0\d{1,4}\)?)[-\s(]?\s?\d{1,4}[-\s)]\s?\d{3,4}(?![\w\-])")


def digits(number: str) -> str:
    """The digits of a phone number, national form: +81-3-1234-5678 -> 0312345678."""
    only = re.sub(r"\D", "", number)
    return "0" + only[2:] if number.lstrip().startswith("+81") else only


def personal_data(text: str, allowed_phones: frozenset[str]) -> list[tuple[str, str]]:
    """(ja, en) for each piece of personal data in `text`."""
    found = []
    normal = unicodedata.normalize("NFKC", text)
    for address in EMAIL_IN_TEXT.findall(normal):
        reason = email_problem(address)
        if reason:
            found.append(reason)
    for match in PHONE.finditer(normal):
        number = match.group(0).strip()
        if len(digits(number)) >= 10 and digits(number) not in allowed_phones:
            found.append((f"電話番号（{number}）が含まれています。組織の代表番号なら設定 PUBLISHED_PHONE_NUMBERS に加えてください",
                          f"contains a phone number ({number}); if it is an organisation's, add it to PUBLISHED_PHONE_NUMBERS"))
    return found
