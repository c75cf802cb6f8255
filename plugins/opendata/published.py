"""Files generators make for download (tables, figure data, PDFs), announced in Pelican's shared
context while contexts are generated, so that any page can link one with its format and size
before the file itself is written."""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from pathlib import PurePosixPath
from urllib.parse import quote

from jinja2 import pass_context

from site_pages.routes import LANG_PREFIX

CONTEXT_KEY = "jcredit_downloads"


def announce(context: dict, files: Mapping[str, bytes]) -> None:
    """Make `files` (output-relative path -> bytes) known to every page; kept as given, as
    their bytes may still be in making (opendata.tables.FilesInMaking)."""
    context.setdefault(CONTEXT_KEY, ChainMap()).maps.append(files)


def announced(context: dict) -> Mapping[str, bytes]:
    return context.get(CONTEXT_KEY, {})


def observed(context: dict, path: str) -> None:
    """Tell the page being rendered that it shows the announced file `path` (its size): the
    page is rendered again when the file's size changes, whatever made it change (a contract
    template, a report's print style), as it is when a record it reads changes."""
    site = context.get("jcredit_site")
    if site is not None and site.observer:
        site.observer(("file", path))


def url_of(path: str) -> str:
    """The site-absolute URL of an output file, percent-encoded (図1_….csv is UTF-8 on disk)."""
    return "/" + quote(path, safe="/")


def download_name(path: str) -> str:
    """The name a downloaded file is saved under: an English copy is told from the Japanese one
    saved beside it (offers-en.csv and offers.csv, not offers (1).csv)."""
    file = PurePosixPath(path)
    return f"{file.stem}-en{file.suffix}" if path.startswith(LANG_PREFIX["en"]) else file.name


def install_helper(env, context: dict) -> None:
    """`published_file(path)` in templates: the page language's copy of an announced file, if any."""

    @pass_context
    def published_file(ctx, path: str) -> dict:
        files = announced(context)
        local = LANG_PREFIX[ctx.get("lang", "ja")] + path
        chosen = local if local in files else path
        if chosen not in files:
            raise KeyError(f"no generator announced {path}")
        observed(context, chosen)
        return {"url": url_of(chosen), "format": PurePosixPath(chosen).suffix.lstrip(".").upper(),
                "size": len(files[chosen]), "name": download_name(chosen)}

    env.globals["published_file"] = published_file
