"""The output scan: what every built page, stylesheet and SVG makes a browser load or run.

A reader's browser may contact no other host, no inline script or style may need a CSP
exception, nothing may be embedded, and every internal link must lead to a built file (and
to an element with that id when it has a #fragment). Each finding is a Problem naming the
output file and line.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import tinycss2

from model.problems import Problem

from .published_files import FileCheck, Policy, shown
from .site_files import SiteFiles, page_url, split_internal

# rel values whose link the browser fetches by itself (everything else is a link to follow)
FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "preconnect",
                 "dns-prefetch", "icon", "shortcut", "apple-touch-icon", "apple-touch-icon-precomposed",
                 "mask-icon", "manifest", "search", "pingback"}
# attributes whose URL the browser loads (or sends to) without a click
RESOURCE_ATTRIBUTES = {"src", "srcset", "imagesrcset", "poster", "action", "formaction", "data",
                       "background", "ping", "manifest", "codebase", "longdesc"}
EMBEDDING = {"iframe", "frame", "frameset", "embed", "object", "applet", "portal", "base"}
DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}  # data blocks: CSP never runs them
LINK_SCHEMES = {"http", "https", "mailto", "tel"}
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"  # in SVG files; inline SVG in a page has "xlink:href"
HREFS = ("href", "xlink:href", XLINK_HREF)


class Scan:
    def __init__(self, site: SiteFiles, display: str, own_hosts: frozenset[str]):
        self.site = site
        self.display = display
        self.own_hosts = own_hosts
        self.problems: list[Problem] = []
        self.ids: dict[str, set[str]] = {}  # page file -> its ids, for #fragment checks
        self.references: list[tuple] = []  # file, line, field, url, path, fragment: internal URLs
        self.targets: set[tuple[str, str]] = set()  # the (path, fragment) of every reference

    def problem(self, file: str, line: int | None, field: str, ja: str, en: str) -> None:
        self.problems.append(Problem(f"{self.display}/{file}", line or 1, field, ja, en))

    # -- URLs ---------------------------------------------------------------------------------
    def resource(self, file: str, line, field: str, url: str, base: str) -> None:
        """A URL the browser loads by itself: it must be this site's and exist."""
        url = url.strip()
        if not url or url.startswith("#"):
            return
        internal = split_internal(url, base, self.own_hosts)
        if internal is None:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                self.problem(file, line, field, "data: URL は CSP で読み込めません。ファイルとして置いてください",
                             "a data: URL is blocked by the CSP; publish the resource as a file")
            else:
                self.problem(file, line, field, f"他のサーバーを参照しています（{url}）。サイト内のファイルにしてください",
                             f"refers to another host ({url}); use a file on this site")
            return
        self.internal(file, line, field, url, internal)

    def link(self, file: str, line, field: str, url: str, base: str) -> None:
        """A URL the reader may follow: any http(s)/mailto/tel link, but internal ones must exist."""
        url = url.strip()
        if not url:
            return
        scheme = "" if url[0] in "/#" else urlsplit(url).scheme.lower()
        if scheme and scheme not in LINK_SCHEMES:
            self.problem(file, line, field, f"使えない URL です（{scheme}:）", f"unsafe URL scheme ({scheme}:)")
            return
        internal = split_internal(url, base, self.own_hosts)
        if internal is not None:
            self.internal(file, line, field, url, internal)

    def internal(self, file, line, field, url, internal) -> None:
        """Noted, and resolved once every file is scanned (resolve_internal): a file's scan
        then depends only on its own bytes, and stays valid while other files come and go."""
        # Interned: every page links the same menus, and the memo pickles each string once.
        self.references.append((file, line, sys.intern(field), sys.intern(url), *map(sys.intern, internal)))

    def resolve_internal(self, references: Iterable[tuple]) -> frozenset[tuple[str, str]]:
        """Each distinct target once (a site's pages make some 300,000 references to a few
        thousand targets); the `references` are gone through only when a target is missing.
        Returns the targets that failed."""
        missing, no_id = set(), set()
        for path, fragment in self.targets:
            target = self.site.resolve(path)
            if target is None:
                missing.add(path)
            elif fragment and fragment != "top" and target.endswith(".html"):
                if fragment not in self.ids.get(target, set()):
                    no_id.add((path, fragment))
        if not missing and not no_id:
            return frozenset()
        for file, line, field, url, path, fragment in references:
            if path in missing:
                self.problem(file, line, field, f"リンク先のページやファイルがありません（{url}）",
                             f"links to a page or file that is not built ({url})")
            elif (path, fragment) in no_id:
                self.problem(file, line, field, f"リンク先のページに #{fragment} がありません",
                             f"the linked page has no element with id '{fragment}'")
        return frozenset(target for target in self.targets if target[0] in missing) | frozenset(no_id)

    # -- HTML -----------------------------------------------------------------------------------
    def html(self, file: str):
        """Scan a page; returns its parsed tree (None for an empty file) for the page's other
        checks, so that each page is parsed once."""
        data = self.site.read(file)
        if not data.strip():
            return None
        tree = lxml.html.document_fromstring(data, parser=lxml.html.HTMLParser(encoding="utf-8"))
        base = page_url(file)
        ids: dict[str, list[int]] = {}
        for element in tree.iter(lxml.etree.Element):
            tag = element.tag.lower() if isinstance(element.tag, str) else ""
            line = element.sourceline
            if tag in EMBEDDING:
                self.problem(file, line, tag, f"<{tag}> は使えません（埋め込み・他サイトの読み込み）",
                             f"<{tag}> is not allowed (embedding, or another host's content)")
            elif tag == "script" and not element.get("src") and element.get("type", "").lower() not in DATA_SCRIPT_TYPES:
                self.problem(file, line, "script", "インラインスクリプトは使えません（CSP）。/theme/js/ のファイルにしてください",
                             "inline script is blocked by the CSP; put it in a file under /theme/js/")
            elif tag == "style":
                self.problem(file, line, "style", "<style> は使えません（CSP）。/theme/css/ のファイルにしてください",
                             "<style> is blocked by the CSP; put the rules in a file under /theme/css/")
            elif tag == "meta" and element.get("http-equiv", "").lower() == "refresh":
                self.problem(file, line, "meta", "meta refresh は使えません。転送はサーバー設定（redirects.yaml）で行います",
                             "meta refresh is not allowed; redirects belong to the server configuration")
            for name, value in element.attrib.items():
                name = name.lower()
                field = f"{tag}[{name}]"
                if name.startswith("on"):
                    self.problem(file, line, field, "イベント属性（on…）は使えません（CSP）", "event-handler attributes are blocked by the CSP")
                elif name == "style":
                    self.problem(file, line, field, "style 属性は使えません（CSP）。CSS のクラスにしてください",
                                 "style attributes are blocked by the CSP; use a CSS class")
                elif name == "srcdoc":
                    self.problem(file, line, field, "srcdoc は使えません", "srcdoc is not allowed")
                elif name == "id":
                    ids.setdefault(value, []).append(line)
                elif name in ("srcset", "imagesrcset"):
                    for candidate in srcset_urls(value):
                        self.resource(file, line, field, candidate, base)
                elif name == "ping":
                    for url in value.split():
                        self.resource(file, line, field, url, base)
                elif name in RESOURCE_ATTRIBUTES:
                    self.resource(file, line, field, value, base)
                elif name in HREFS:
                    rels = set(element.get("rel", "").lower().split())
                    if tag == "link" and rels & FETCHING_RELS or tag in ("use", "image", "feimage"):
                        self.resource(file, line, field, value, base)
                    else:
                        self.link(file, line, field, value, base)
        for value, lines in ids.items():
            if len(lines) > 1:
                self.problem(file, lines[1], "id", f"id「{value}」がページ内で重複しています",
                             f"the id '{value}' is used {len(lines)} times on the page")
        self.ids[file] = set(ids)
        return tree

    # -- CSS and SVG ------------------------------------------------------------------------------
    def css(self, file: str, text: str | None = None, line_offset: int = 0) -> None:
        text = self.site.read(file).decode("utf-8") if text is None else text
        base = page_url(file)
        for line, url, kind in css_urls(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)):
            self.resource(file, line + line_offset, kind, url, base)

    def svg(self, file: str) -> None:
        parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        try:
            tree = lxml.etree.parse(self.site.source(file), parser)
        except lxml.etree.XMLSyntaxError as error:
            self.problem(file, error.lineno, "", f"SVG を読めません（{error.msg}）", f"unreadable SVG ({error.msg})")
            return
        base = page_url(file)
        for element in tree.iter(lxml.etree.Element):
            local = lxml.etree.QName(element).localname.lower()
            if local in {"script", "foreignobject"} | EMBEDDING:
                self.problem(file, element.sourceline, local, f"SVG に <{local}> は使えません", f"<{local}> is not allowed in SVG")
            elif local == "style":
                self.css(file, element.text or "", (element.sourceline or 1) - 1)
            for name, value in element.attrib.items():
                short = lxml.etree.QName(name).localname.lower()
                if short.startswith("on") or short == "style":
                    self.problem(file, element.sourceline, f"{local}[{short}]", "SVG のイベント属性・style 属性は使えません",
                                 "event-handler and style attributes are not allowed in SVG")
                elif short == "href":
                    self.resource(file, element.sourceline, f"{local}[href]", value, base)


def srcset_urls(value: str) -> list[str]:
    """The URLs of a srcset: comma-separated candidates, each a URL and an optional descriptor."""
    return [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


URL_FUNCTIONS = {"url", "src", "image-set", "-webkit-image-set"}


def css_urls(nodes):
    """(line, url, kind) for every url(), image-set() string and @import in CSS component values."""
    for node in nodes:
        kind = getattr(node, "type", "")
        if kind == "url":
            yield node.source_line, node.value, "url()"
        elif kind == "at-rule" and node.lower_at_keyword == "import":
            target = next((t for t in node.prelude if t.type in ("string", "url")), None)
            if target is not None:
                yield node.source_line, target.value, "@import"
            continue  # the prelude holds nothing else to load
        elif kind == "function" and node.lower_name in URL_FUNCTIONS:
            yield from ((t.source_line, t.value, f"{node.lower_name}()") for t in node.arguments if t.type == "string")
        for child in ("prelude", "content", "arguments"):
            yield from css_urls(getattr(node, child, None) or [])


def page_outcome(site: SiteFiles, method: str, file: str, own_hosts: frozenset[str],
                 policy: Policy | None = None, parsed=None) -> tuple:
    """What the scan finds in one file, by `method` (html, css or svg), from its bytes alone:
    (problems, its ids, its internal references, their targets), the problems' paths relative
    to the output (published_files.shown puts the output's name in front). With a `policy`, a
    page's text is also checked for personal data (FileCheck.page_text) from the same parse;
    `parsed(tree)` is given a page's tree before that check takes its scripts out."""
    single = Scan(site, "", own_hosts)
    tree = getattr(single, method)(file)
    if parsed is not None and method == "html":
        parsed(tree)
    problems = single.problems
    if tree is not None and policy is not None:
        text = FileCheck(site, "", policy)
        text.page_text(file, tree)
        problems = problems + text.problems
    targets = frozenset((reference[4], reference[5]) for reference in single.references)
    return problems, single.ids.get(file, set()), single.references, targets


SCANNED = (("html", (".html", ".htm")), ("css", (".css",)), ("svg", (".svg",)))


@dataclass(frozen=True)
class Links:
    """What a check's link resolution leaves for the next check of the same output."""
    files: frozenset[str]  # the site's files
    reached: frozenset[str]  # the files its links led to
    failed: frozenset[tuple[str, str]]  # the targets that led nowhere


def scan_references(site: SiteFiles, display: str, own_hosts: frozenset[str], memo=None,
                    policy: Policy | None = None) -> list[Problem]:
    """The scan of every page, stylesheet and SVG (page_outcome), and of the links between them."""
    scan = Scan(site, display, own_hosts)
    outcomes, renewed = [], {}
    for method, suffixes in SCANNED:
        files = site.by_suffix(*suffixes)
        compute = lambda file, method=method: page_outcome(site, method, file, own_hosts, policy)  # noqa: E731
        found = memo.outcomes(method, files, compute) if memo else [compute(file) for file in files]
        outcomes += found
        if method == "html":
            scan.ids.update(zip(files, (ids for _, ids, _, _ in found)))
        if memo is not None:
            renewed.update(((method, file), outcome) for file, outcome in zip(files, found)
                           if (method, file) in memo.before)
    scan.problems = shown([problem for problems, _, _, _ in outcomes for problem in problems], display)
    last = memo.links if memo is not None else None
    if isinstance(last, Links) and _still_valid(last, memo, site, scan, renewed):
        # What resolved last time resolves now: only the links of the files made anew, and
        # those that failed, are resolved again.
        scan.targets = set().union(last.failed, *(targets for _, _, _, targets in renewed.values()))
        reached = last.reached
    else:
        scan.targets = set().union(*(targets for _, _, _, targets in outcomes))
        reached = frozenset()
    failed = scan.resolve_internal(reference for _, _, references, _ in outcomes for reference in references)
    if memo is not None:
        memo.links = Links(site.files, reached | {site.resolve(path) for path, _ in scan.targets} - {None}, failed)
    return scan.problems


def _still_valid(last: Links, memo, site: SiteFiles, scan: Scan, renewed: dict) -> bool:
    """Whether every link that resolved at the last check resolves now: no file a link led to
    is gone, no page is added (it might take a URL from another file), and each page made
    anew has the ids it had then."""
    if last.reached & (last.files - site.files):
        return False
    if any(file.lower().endswith((".html", ".htm")) for file in site.files - last.files):
        return False
    for key in renewed:
        before = memo.before[key]
        if before is None or key[0] == "html" and before[1][1] != scan.ids[key[1]]:
            return False
    return True
