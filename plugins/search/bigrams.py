"""A second Pagefind bundle (/pagefind-bigram/) that indexes every page's Japanese text as
overlapping character pairs, so that a Japanese query finds every page containing it.

Pagefind's extended build segments pages with Lindera at build time but queries with the
browser's Intl.Segmenter; where they disagree, pages are missed (ヒートポンプ, ベースライン)
or wrong ones match (サイバー for サイドバー, Pagefind issue #1237). Character pairs need no
segmentation: a query's pairs must all occur on a page, then search.js checks the page's text
really holds the query. Pairs are written as ASCII words of one length (k + two 5-digit hex
code points) so that no tokenizer splits them and no pair is a prefix of another.
theme/static/js/search.js builds the same pairs from the query."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import unicodedata
from html import escape
from pathlib import Path

import lxml.html

BUNDLE = "pagefind-bigram"
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


def pair_token(pair: str) -> str:
    return "k" + "".join(f"{ord(ch):05x}" for ch in pair)


def pair_tokens(text: str) -> list[str]:
    """The character pairs of the Japanese runs of `text`, in order (repeats kept: Pagefind
    ranks a page higher the more often a query's pairs occur on it)."""
    return [pair_token(run[i:i + 2]) for run in CJK_RUN.findall(normalize(text)) for i in range(len(run) - 1)]


def searchable_page(html: str) -> tuple[str, str, str] | None:
    """(lang, title, text) of a page that opted in with data-pagefind-body, else None."""
    tree = lxml.html.fromstring(html)
    bodies = tree.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    body = bodies[0]
    for ignored in body.xpath(".//*[@data-pagefind-ignore]"):
        ignored.drop_tree()
    title = " ".join(body.xpath("string(.//h1)").split())
    text = " ".join(body.text_content().split())
    return tree.get("lang", "ja"), title, text


def shadow_page(lang: str, title: str, text: str) -> str:
    """The page as the pair bundle indexes it: the pairs as its words (the title's in a
    heading, which Pagefind weighs more), title and text as meta read from attributes."""
    return (f'<!DOCTYPE html><html lang="{escape(lang)}"><head><title>{escape(title)}</title></head>'
            f'<body data-pagefind-body><div data-pagefind-meta="title[data-title], text[data-text]" '
            f'data-title="{escape(title, True)}" data-text="{escape(text, True)}"></div>'
            f'<h1>{" ".join(pair_tokens(title))}</h1><p>{" ".join(pair_tokens(text))}</p></body></html>')


def write_bigram_index(output: Path, bundle: Path | None = None) -> int:
    """Index the built site at `output` into `bundle` (default output/pagefind-bigram/);
    returns the page count.

    Pagefind's CLI indexes a shadow copy of the site holding only the pairs: the same paths,
    so the same result URLs (its Python API is some 50 times slower for the same records)."""
    output = Path(output)
    count = 0
    with tempfile.TemporaryDirectory() as shadow:
        for path in sorted(output.rglob("*.html")):
            page = searchable_page(path.read_text(encoding="utf-8"))
            if not page or not CJK_RUN.search(normalize(page[2])):
                continue
            target = Path(shadow) / path.relative_to(output)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(shadow_page(*page), encoding="utf-8")
            count += 1
        run_pagefind(shadow, "--output-path", str(bundle or output / BUNDLE))
    return count


def start_pagefind(site, *options: str) -> subprocess.Popen:
    """Pagefind's extended CLI over `site`, started in the background."""
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--silent", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


# Pagefind's ready-made interfaces: search.js uses only pagefind.js, and their CSS embeds
# data: URLs that the site's CSP refuses.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
             "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


def finish(process: subprocess.Popen) -> None:
    """Wait for a Pagefind run; a failure fails the build."""
    output, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError("pagefind failed:\n" + output)


def tidy_bundle(bundle: Path) -> None:
    """Remove the unused interfaces, and write the entry file with its keys in order: Pagefind
    writes them in a different order from run to run, and builds must be reproducible."""
    for name in UNUSED_UI:
        (bundle / name).unlink(missing_ok=True)
    entry = bundle / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                separators=(",", ":")), encoding="utf-8")


def run_pagefind(site, *options: str) -> None:
    finish(start_pagefind(site, *options))
