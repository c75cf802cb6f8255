"""Rendering one themed page in both languages and writing files into the output.

Every generator of every plugin writes through `write_file`, which leaves a file alone when
its bytes have not changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from .routes import LANG_PREFIX, url_for

LANGUAGES = ("ja", "en")


def write_file(output: Path, relative: str, data: bytes | str) -> bool:
    """Write `data` to output/relative unless it is already there; True if written."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    target = Path(output) / relative
    if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    return True


def common_context(generator) -> dict:
    """What every page's template gets, whichever generator renders it."""
    settings = generator.settings
    return {"site": generator.context["jcredit_site"],
            "build_date": dt.date.fromisoformat(settings["BUILD_DATE"]),
            "internal_build": settings["INTERNAL_BUILD"],
            "SITENAME": settings["SITENAME"]}


def render_page(generator, template_name: str, path: str, context: dict | None = None,
                record=None, file_name: str = "index.html") -> None:
    """Render `template_name` at /path/ and /en/path/ with the common context."""
    template = generator.get_template(template_name)
    base = {**common_context(generator), **(context or {})}
    page_path = path if file_name == "index.html" else path + file_name
    for lang in LANGUAGES:
        page = {**base, "lang": lang, "path": path,
                "alternates": {other: url_for(page_path, other) for other in LANGUAGES}}
        if record is not None and lang == "en":
            page["translation"] = record.translation
        write_file(generator.output_path, LANG_PREFIX[lang] + path + file_name, template.render(page))
