"""What the search index holds of a page: its words, and its Japanese text as overlapping
character pairs, so that a Japanese query finds every page containing it.

Pagefind's extended build segments pages with Lindera at build time but queries with the
browser's Intl.Segmenter; where they disagree, pages are missed (ヒートポンプ, ベースライン)
or wrong ones match (サイバー for サイドバー, Pagefind issue #1237). Character pairs need no
segmentation: a query's pairs must all occur on a page, then search.js checks the page's text
really holds the query. Pagefind indexes a shadow page per page (shadow_page), never the page. Pairs are written as ASCII words of one length (k + two 5-digit hex
code points) so that no tokenizer splits them and no pair is a prefix of another.
theme/static/js/search.js builds the same pairs from the query."""

from __future__ import annotations

import functools
import re
import subprocess
import unicodedata
from html import escape

import lxml.html

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


def index_words(text: str) -> str:
    """What Pagefind indexes of `text`: its other words as they are, its Japanese as pairs."""
    return f"{CJK_RUN.sub(' ', normalize(text))} {' '.join(pair_tokens(text))}"


def shadow_page(lang: str, title: str, text: str, href: str) -> str:
    """The page as the index holds it: its words and pairs (the title's in a heading, which
    Pagefind weighs more), and title and text as meta, for showing and checking results.
    English keeps Pagefind's stemming ("minutes" finds "minute"); Japanese pages get a
    private-use language tag, so that Pagefind runs no dictionary segmentation over them
    (the pairs make it unnecessary, and loading the dictionary costs a second a run).
    The page's address is meta too (`href`): shadows lie flat in their shard's folder, as
    creating a folder per page took longer than reading and writing the pages."""
    tag = "en" if lang == "en" else f"x-{lang}"
    return (f'<!DOCTYPE html><html lang="{escape(tag)}"><head><title>{escape(title)}</title></head>'
            f'<body data-pagefind-body>'
            f'<div data-pagefind-meta="title[data-title], text[data-text], href[data-href]" '
            f'data-title="{escape(title, True)}" data-text="{escape(text, True)}" '
            f'data-href="{escape(href, True)}"></div>'
            f'<h1>{escape(index_words(title))}</h1><p>{escape(index_words(text))}</p></body></html>')


@functools.cache
def pagefind_executable() -> str:
    """The extended Pagefind binary the pinned Python package installed: run directly, not
    through `python -m pagefind`, which starts an interpreter only to exec it (0.1 s a run)."""
    from pagefind.service import get_executable
    executable = get_executable()
    if executable is None:
        raise RuntimeError("pagefind_bin_extended is not installed (requirements.txt pins it)")
    return str(executable.resolve())


def start_pagefind(site, *options: str) -> subprocess.Popen:
    """Pagefind's CLI over `site`, started in the background."""
    command = [pagefind_executable(), "--site", str(site), "--silent", *options]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def finish(process: subprocess.Popen) -> None:
    """Wait for a Pagefind run; a failure fails the build."""
    output, _ = process.communicate()
    if process.returncode != 0:
        raise RuntimeError("pagefind failed:\n" + output)
