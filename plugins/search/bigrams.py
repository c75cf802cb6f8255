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
from typing import NamedTuple

import lxml.html

from model import COLLECTIONS

CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff]{2,}")


def normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).lower()


@functools.lru_cache(maxsize=1 << 16)  # a site repeats its pairs: shadow pages made in half the time
def pair_token(pair: str) -> str:
    return "k" + "".join(f"{ord(ch):05x}" for ch in pair)


def pair_tokens(text: str) -> list[str]:
    """The character pairs of the Japanese runs of `text`, in order (repeats kept: Pagefind
    ranks a page higher the more often a query's pairs occur on it)."""
    return [pair_token(run[i:i + 2]) for run in CJK_RUN.findall(normalize(text)) for i in range(len(run) - 1)]


class SearchablePage(NamedTuple):
    """What the index holds of a page: its language, title and text as a reader sees them, and
    the runs of title and text in another language (seen_text: an English page shows an
    untranslated record's Japanese, marked lang="ja"), so that results can mark them too."""
    lang: str
    title: str
    text: str
    title_langs: str = ""
    text_langs: str = ""


# Elements whose text a reader sees apart from the text beside them: where one starts or ends,
# the text keeps a space ("Implementer 株式会社かたばみ", not "Implementer株式会社かたばみ": a
# list's term and its description, a table's header cell and its value). Others run on.
BLOCKS = frozenset("""address article aside blockquote br caption dd details dialog div dl dt fieldset
    figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr legend li main nav ol option
    p pre section summary table tbody td tfoot th thead tr ul""".split())
UNSEEN = frozenset(("script", "style", "template"))
SPACE_OR_WORD = re.compile(r"\s+|\S+")


def searchable_page(page) -> SearchablePage | None:
    """The page (its HTML, or its tree as lxml parsed it, left unchanged) as the index holds it,
    if it opted in with data-pagefind-body, else None."""
    tree = lxml.html.fromstring(page) if isinstance(page, str) else page
    bodies = tree.xpath("//*[@data-pagefind-body]")
    if not bodies:
        return None
    body = bodies[0]
    ignored = set(body.xpath(".//*[@data-pagefind-ignore]"))
    lang = tree.get("lang", "ja")
    headings = [h for h in body.iterdescendants("h1") if ignored.isdisjoint(h.iterancestors())]
    title, title_langs = seen_text(headings[0], lang) if headings else ("", "")
    text, text_langs = seen_text(body, lang, ignored)
    return SearchablePage(lang, title, text, title_langs, text_langs)


def seen_text(element, lang: str, ignored=frozenset()) -> tuple[str, str]:
    """The text of `element` as a reader sees it (whitespace collapsed, a space where block
    elements meet), and its runs in a language other than `lang`, the page's, as
    "ja:6-19 ja:40-43": start and end offsets in UTF-16 code units, as the script counts.
    The `ignored` elements' own text is left out, as of those never seen."""
    pieces: list[tuple[str | None, str]] = []  # (language, text); no language: a block's edge

    def walk(node, language: str) -> None:
        if node.tag in UNSEEN or node in ignored:
            return
        language = node.get("lang") or language
        block = node.tag in BLOCKS
        if block:
            pieces.append((None, ""))
        if node.text:
            pieces.append((language, node.text))
        for child in node:
            if isinstance(child.tag, str):  # not a comment
                walk(child, language)
            if child.tail:
                pieces.append((language, child.tail))
        if block:
            pieces.append((None, ""))

    walk(element, (element.xpath("ancestor::*[@lang][1]/@lang") or [lang])[0])
    text: list[str] = []
    runs: list[list] = []  # [language, start, end]
    size, space = 0, False
    for language, piece in pieces:
        if language is None:
            space = True
            continue
        for part in SPACE_OR_WORD.findall(piece):
            if part.isspace():
                space = True
                continue
            if space and text:
                text.append(" ")
                size += 1
            space = False
            start, size = size, size + len(part.encode("utf-16-le")) // 2
            text.append(part)
            if language == lang:
                continue
            if runs and runs[-1][0] == language and runs[-1][2] >= start - 1:
                runs[-1][2] = size  # the same run, across a space at most
            else:
                runs.append([language, start, size])
    return "".join(text), " ".join(f"{language}:{start}-{end}" for language, start, end in runs)


def index_words(text: str) -> str:
    """What Pagefind indexes of `text`: its other words as they are, its Japanese as pairs."""
    return f"{CJK_RUN.sub(' ', normalize(text))} {' '.join(pair_tokens(text))}"


# The site's long tail: pages of a collection with hundreds of records, whose names repeat the
# words of the main pages (a registered project is named after its methodology's activity).
# Search lists them after the main pages (methodologies, offers, FAQs, rules, news, meetings).
LONG_TAIL = ("projects",)
LONG_TAIL_FILTER = 'data-pagefind-filter="group:long-tail" '


def page_group(href: str) -> str:
    """The search group of the page at `href` (/projects/P0212/, /en/...): "long-tail" for a
    record page of a LONG_TAIL collection, else "main"."""
    path = href.strip("/").split("/")
    path = path[1:] if path[:1] == ["en"] else path
    return "long-tail" if "/".join(path[:-1]) in {COLLECTIONS[name].folder for name in LONG_TAIL} else "main"


def shadow_page(page: SearchablePage, href: str) -> str:
    """The page as Pagefind reads it: its words and pairs (the title's in a heading, which
    Pagefind weighs more), and as meta: title and text, for showing and checking results, with
    their runs in another language (title_langs, text_langs); the title's words and pairs
    (title_words), so that a result tells whether its title holds the query (search.js ranks
    those first: Pagefind's matchedMetaFields); and the page's address (`href`): shadows lie
    flat in their shard's folder, as creating a folder per page took longer than reading and
    writing the pages. The long tail's pages carry the filter `group: long-tail` (page_group);
    the main pages none: a filter of two values is written by Pagefind in a random order (a Rust
    hash map), and the index would differ from build to build.
    English keeps Pagefind's stemming ("minutes" finds "minute"); Japanese pages get a
    private-use language tag, so that Pagefind runs no dictionary segmentation over them
    (the pairs make it unnecessary, and loading the dictionary costs a second a run)."""
    tag = "en" if page.lang == "en" else f"x-{page.lang}"
    meta = {"title": page.title, "text": page.text, "href": href, "title_words": " ".join(index_words(page.title).split())}
    meta |= {key: value for key, value in (("title_langs", page.title_langs), ("text_langs", page.text_langs)) if value}
    fields = ", ".join(f"{key}[data-{key.replace('_', '-')}]" for key in meta)
    values = " ".join(f'data-{key.replace("_", "-")}="{escape(value, True)}"' for key, value in meta.items())
    return (f'<!DOCTYPE html><html lang="{escape(tag)}"><head><title>{escape(page.title)}</title></head>'
            f'<body data-pagefind-body>'
            f'<div data-pagefind-meta="{fields}" {LONG_TAIL_FILTER if page_group(href) == "long-tail" else ""}'
            f'{values}></div>'
            f'<h1>{escape(index_words(page.title))}</h1><p>{escape(index_words(page.text))}</p></body></html>')


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
