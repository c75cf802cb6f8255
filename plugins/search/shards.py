"""The search index of one output folder, kept up to date shard by shard.

Pagefind has no incremental mode: it indexes a whole folder every time, at about a
millisecond a page. So the index is split: each language's pages fall into SHARDS shards by a
hash of their path, each shard a Pagefind bundle at /pagefind/<lang>/<n>/, and search.js
merges a language's shards when it searches (Pagefind's mergeIndex: one WebAssembly module,
each shard's small metadata). The shadow pages Pagefind reads (bigrams.shadow_page) live in
the cache folder; a build rewrites the shadows of the pages that changed and re-indexes only
the shards holding them. What a shard holds depends on its pages alone, so an updated index
is byte for byte the index a fresh build makes.

An update is made in two steps, so that a build can make it while its output is checked and
publish it only if the checks pass: `prepare` writes the changed shards' shadows and bundles
beside the live ones (the unchanged shadows hard-linked), `install` puts them in place."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import shutil
import zlib
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote

from model.cache import load_pickle, save_pickle
from model.parallel import cores, fork_map
from site_pages.output import content_digest

from .bigrams import finish, searchable_page, shadow_page, start_pagefind

logger = logging.getLogger(__name__)

SHARDS = 16  # per language: a one-page edit re-indexes a sixteenth of it
BUNDLES = "pagefind"  # /pagefind/<lang>/<n>/
# Pagefind's ready-made interfaces: search.js uses only pagefind.js, and their CSS embeds
# data: URLs that the site's CSP refuses. Shards other than 0 need only their index files.
UNUSED_UI = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
             "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
PRIMARY_ONLY = ("pagefind.js", "pagefind-worker.js")


@lru_cache(maxsize=None)
def index_version() -> str:
    """Pagefind's version and this package's code: a change re-indexes every shard."""
    digest = hashlib.sha256(importlib.metadata.version("pagefind").encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def shard_of(relative: str) -> int:
    return zlib.crc32(relative.encode("utf-8")) % SHARDS


class SearchIndex:
    def __init__(self, cache_dir: str | Path, output_key: Path):
        key = hashlib.sha256(str(Path(output_key).resolve()).encode()).hexdigest()[:16]
        self.folder = Path(cache_dir) / f"search-{key}-{index_version()}"
        for other in Path(cache_dir).glob(f"search-{key}-*"):
            if other != self.folder:  # made by another Pagefind or shadow format: of no use now
                shutil.rmtree(other, ignore_errors=True)
        self.shadows = self.folder / "shadow"
        self.state = self.folder / "state.pickle"
        # page -> (digest of the page, its language or None, digest of its shadow or None)
        self.pages: dict[str, tuple[bytes, str | None, bytes | None]] = {}
        self.primaries: dict[str, int] = {}  # language -> the shard carrying the script
        try:
            self.pages, self.primaries = load_pickle(self.state)
        except (OSError, pickle.UnpicklingError, EOFError, ValueError):
            shutil.rmtree(self.shadows, ignore_errors=True)

    def update(self, root: Path, digests: dict[str, bytes | None]) -> int:
        """Bring root/pagefind/ up to date with the HTML pages in `digests` (page -> digest of
        its bytes in `root`, None if unknown); returns how many shards were indexed."""
        root = Path(root)
        prepared = self.prepare(lambda relative: (root / relative).read_bytes(), digests, root)
        self.install(root, prepared)
        return len(prepared.shards)

    def prepare(self, read, digests: dict[str, bytes | None], root: Path) -> Prepared:
        """Everything of an update the live index does not see: the shadows of the pages that
        changed (`read(page)` gives a page's bytes) and the bundles of their shards, made
        beside the live ones. Touches nothing `install` has not been given."""
        root = Path(root)
        for stale in [*self.folder.glob("staged-*"), *root.parent.glob(f".search-*.{root.name}")]:
            shutil.rmtree(stale, ignore_errors=True)  # of an update that never finished
        prepared = Prepared(self.folder / f"staged-{os.getpid()}", root.parent / f".search-{os.getpid()}.{root.name}")
        try:
            self._prepare(read, digests, root, prepared)
        except BaseException:
            self.discard(prepared)
            raise
        return prepared

    def _prepare(self, read, digests: dict[str, bytes | None], root: Path, prepared: Prepared) -> None:
        pages, changed, leaving = dict(self.pages), set(), set()

        def leave(relative: str) -> None:  # the page's shadow leaves the shard it was in
            known = pages.pop(relative, None)
            if known and known[1]:
                changed.add((known[1], shard_of(relative)))
                leaving.add(self._shadow_path(known[1], relative).relative_to(self.shadows))

        html = {relative: digest for relative, digest in digests.items() if relative.endswith(".html")}
        for relative in sorted(set(pages) - set(html)):
            leave(relative)
        todo = [relative for relative, digest in sorted(html.items())
                if digest is None or pages.get(relative, (None,))[0] != digest]
        shadow = partial(self._shadow, read, prepared.incoming)
        for relative, (digest, lang, indexed) in zip(todo, fork_map(shadow, todo)):
            known = pages.get(relative)
            if known is None or known[1:] != (lang, indexed):
                # what the index holds of the page changed (not just, say, a list's date)
                if known is not None and known[1] != lang:
                    leave(relative)  # its old shadow, under another language
                if lang:
                    changed.add((lang, shard_of(relative)))
            pages[relative] = (digest, lang, indexed)
        wanted = {(lang, shard_of(relative)) for relative, (_, lang, _) in pages.items() if lang}
        primaries = {lang: min(n for other, n in wanted if other == lang) for lang, _ in wanted}
        # the first shard of a language carries Pagefind's script and WebAssembly for all
        changed |= {(lang, n) for lang, n in self.primaries.items() ^ primaries.items()}
        changed |= {shard for shard in wanted if not (Path(root) / BUNDLES / shard[0] / str(shard[1])).is_dir()}
        prepared.pages, prepared.primaries, prepared.wanted = pages, primaries, wanted
        prepared.changed, prepared.shards = sorted(changed), sorted(changed & wanted)
        for lang, n in prepared.changed:  # each changed shard's shadows, as they will be
            staged = prepared.shadows / lang / str(n)
            staged.mkdir(parents=True, exist_ok=True)
            live = self.shadows / lang / str(n)
            for entry in os.scandir(live) if live.is_dir() else ():
                if Path(lang, str(n), entry.name) not in leaving:
                    os.link(entry.path, staged / entry.name)
            incoming = prepared.incoming / lang / str(n)
            for entry in os.scandir(incoming) if incoming.is_dir() else ():
                os.replace(entry.path, staged / entry.name)
        self._index(prepared, primaries)

    def install(self, root: Path, prepared: Prepared) -> None:
        """Put a prepared update in place: its shadows, bundles and state. After a failure the
        next update starts afresh."""
        try:
            for lang, n in prepared.changed:
                live, staged = self.shadows / lang / str(n), prepared.shadows / lang / str(n)
                shutil.rmtree(live, ignore_errors=True)
                if staged.is_dir() and any(staged.iterdir()):
                    live.parent.mkdir(parents=True, exist_ok=True)
                    staged.rename(live)
            self.pages, self.primaries = prepared.pages, prepared.primaries
            self._put_in_place(Path(root), prepared.bundles, prepared.shards, prepared.wanted)
            save_pickle(self.state, (self.pages, self.primaries))
        except BaseException:
            self.forget()
            raise
        finally:
            self.discard(prepared)
        if prepared.shards:
            logger.info("search index: %d shards indexed", len(prepared.shards))

    def discard(self, prepared: Prepared) -> None:
        """Remove what `prepare` made and `install` did not take."""
        shutil.rmtree(prepared.folder, ignore_errors=True)
        shutil.rmtree(prepared.bundles, ignore_errors=True)

    def _shadow(self, read, incoming: Path, relative: str) -> tuple[bytes, str | None, bytes | None]:
        """Read a page and, if what the index holds of it changed, write its new shadow under
        `incoming` (in the workers, when there are many): (digest of the page, language,
        digest of the shadow)."""
        digest, lang, shadow = read_page(read(relative), relative)
        indexed = content_digest(shadow.encode("utf-8")) if lang else None
        if lang and self.pages.get(relative, (None,))[1:] != (lang, indexed):
            target = incoming / self._shadow_path(lang, relative).relative_to(self.shadows)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(shadow, encoding="utf-8")
        return digest, lang, indexed

    def _shadow_path(self, lang: str, relative: str) -> Path:
        """Flat in the shard's folder, named by the page's path (its address is in the shadow)."""
        return self.shadows / lang / str(shard_of(relative)) / quote(relative, safe="")

    def forget(self) -> None:
        """Start afresh next time (after a failed update)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.pages, self.primaries = {}, {}

    def _index(self, prepared: Prepared, primaries: dict[str, int]) -> None:
        """Pagefind over each shard's staged shadows, a few at a time, into its staged bundle."""
        running: list = []
        try:
            for number, (lang, n) in enumerate(prepared.shards):
                target = prepared.bundles / lang / str(n)
                running.append(((lang, n), start_pagefind(prepared.shadows / lang / str(n), "--output-path", str(target))))
                while running and (len(running) >= cores() or number == len(prepared.shards) - 1):
                    (done_lang, done_n), process = running.pop(0)
                    finish(process)
                    tidy(prepared.bundles / done_lang / str(done_n), primary=primaries[done_lang] == done_n)
        except BaseException:
            for _, process in running:
                process.kill()
            raise

    def _put_in_place(self, root: Path, staging: Path, shards: list[tuple[str, int]], wanted: set) -> None:
        """The new bundles in place of the old; the bundles of shards that hold no page now
        removed; each language's shards.json written."""
        bundles = root / BUNDLES
        for lang, n in shards:
            final = bundles / lang / str(n)
            shutil.rmtree(final, ignore_errors=True)
            final.parent.mkdir(parents=True, exist_ok=True)
            (staging / lang / str(n)).rename(final)
        languages = {lang for lang, _ in wanted}
        for folder in list(bundles.iterdir()) if bundles.is_dir() else ():
            if folder.name not in languages:
                shutil.rmtree(folder) if folder.is_dir() else folder.unlink()
                continue
            for shard in list(folder.iterdir()):
                if shard.is_dir() and (folder.name, int(shard.name) if shard.name.isdigit() else -1) not in wanted:
                    shutil.rmtree(shard)
            manifest = {"primary": self.primaries[folder.name],
                        "shards": sorted(n for lang, n in wanted if lang == folder.name)}
            (folder / "shards.json").write_text(json.dumps(manifest), encoding="utf-8")


@dataclass
class Prepared:
    """An update made beside the live index (SearchIndex.prepare), for `install`."""
    folder: Path  # in the index's cache folder: incoming/ and shadows/
    bundles: Path  # beside the output: <lang>/<n>/, renamed into it
    pages: dict = field(default_factory=dict)
    primaries: dict = field(default_factory=dict)
    wanted: set = field(default_factory=set)
    changed: list = field(default_factory=list)  # shards whose shadows change
    shards: list = field(default_factory=list)  # of those, the ones indexed (the rest are gone)

    @property
    def incoming(self) -> Path:  # the changed pages' shadows, as the workers wrote them
        return self.folder / "incoming"

    @property
    def shadows(self) -> Path:  # each changed shard's shadows, as Pagefind reads them
        return self.folder / "shadows"


def read_page(data: bytes, relative: str) -> tuple[bytes, str | None, str | None]:
    """(digest, language, shadow page) of the page `relative` holding `data`; no language if
    it is not searchable."""
    page = searchable_page(data.decode("utf-8"))
    if not page:
        return content_digest(data), None, None
    href = "/" + relative.removesuffix("index.html")
    return content_digest(data), page[0], shadow_page(*page, href)


def tidy(bundle: Path, primary: bool) -> None:
    """Remove what search.js never loads, and write the entry file with its keys in order:
    Pagefind writes them in a different order from run to run, and builds must be reproducible."""
    for name in UNUSED_UI + (() if primary else PRIMARY_ONLY):
        (bundle / name).unlink(missing_ok=True)
    if not primary:
        for wasm in bundle.glob("wasm.*.pagefind"):
            wasm.unlink()
    entry = bundle / "pagefind-entry.json"
    entry.write_text(json.dumps(json.loads(entry.read_text(encoding="utf-8")), sort_keys=True,
                                separators=(",", ":")), encoding="utf-8")
