"""The search index of one output folder, kept up to date shard by shard.

Pagefind has no incremental mode: it indexes a whole folder every time, at about a
millisecond a page. So the index is split: each language's pages fall into SHARDS shards by a
hash of their path, each shard a Pagefind bundle at /pagefind/<lang>/<n>/, and search.js
merges a language's shards when it searches (Pagefind's mergeIndex: one WebAssembly module,
each shard's small metadata). The shadow pages Pagefind reads (bigrams.shadow_page) live in
the cache folder; a build rewrites the shadows of the pages that changed and re-indexes only
the shards holding them. What a shard holds depends on its pages alone, so an updated index
is byte for byte the index a fresh build makes."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import pickle
import shutil
import zlib
from functools import lru_cache, partial
from pathlib import Path
from urllib.parse import quote

from model.cache import load_pickle
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
        its bytes in `root`, None if unknown): rewrite the shadows of the pages that changed,
        index their shards; returns how many shards were indexed. After a failure the next
        update starts afresh."""
        try:
            return self._update(Path(root), digests)
        except BaseException:
            self.forget()
            raise

    def _update(self, root: Path, digests: dict[str, bytes | None]) -> int:
        changed = set()
        pages = {relative: digest for relative, digest in digests.items() if relative.endswith(".html")}
        for relative in sorted(set(self.pages) - set(pages)):
            changed |= self._forget(relative)
        todo = [relative for relative, digest in sorted(pages.items())
                if digest is None or self.pages.get(relative, (None,))[0] != digest]
        for relative, (digest, lang, indexed) in zip(todo, fork_map(partial(self._shadow, root), todo)):
            known = self.pages.get(relative)
            if known is None or known[1:] != (lang, indexed):
                # what the index holds of the page changed (not just, say, a list's date)
                if known is not None and known[1] != lang:
                    changed |= self._forget(relative)  # its old shadow, under another language
                if lang:
                    changed.add((lang, shard_of(relative)))
            self.pages[relative] = (digest, lang, indexed)
        wanted = {(lang, shard_of(relative)) for relative, (_, lang, _) in self.pages.items() if lang}
        primaries = {lang: min(n for other, n in wanted if other == lang) for lang, _ in wanted}
        # the first shard of a language carries Pagefind's script and WebAssembly for all
        changed |= {(lang, n) for lang, n in self.primaries.items() ^ primaries.items()}
        changed |= {shard for shard in wanted if not (root / BUNDLES / shard[0] / str(shard[1])).is_dir()}
        self.primaries = primaries
        shards = sorted(changed & wanted)
        staging = root.parent / f".search-{root.name}"  # beside the output: renamed into it
        self._index(staging, shards)
        self._put_in_place(root, staging, shards, wanted)
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.state.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps((self.pages, self.primaries), protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(self.state)
        if shards:
            logger.info("search index: %d shards indexed", len(shards))
        return len(shards)

    def _shadow(self, root: Path, relative: str) -> tuple[bytes, str | None, bytes | None]:
        """Read a page and, if what the index holds of it changed, write its shadow (in the
        workers, when there are many): (digest of the page, language, digest of the shadow)."""
        digest, lang, shadow = read_page(root, relative)
        indexed = content_digest(shadow.encode("utf-8")) if lang else None
        if lang and self.pages.get(relative, (None,))[1:] != (lang, indexed):
            target = self._shadow_path(lang, relative)
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

    def _forget(self, relative: str) -> set:
        known = self.pages.pop(relative, None)
        if not known or not known[1]:
            return set()
        self._shadow_path(known[1], relative).unlink(missing_ok=True)
        return {(known[1], shard_of(relative))}

    def _index(self, staging: Path, shards: list[tuple[str, int]]) -> None:
        """Pagefind over each shard's shadows, a few at a time, into staging/<lang>/<n>."""
        shutil.rmtree(staging, ignore_errors=True)
        running: list = []
        try:
            for number, (lang, n) in enumerate(shards):
                target = staging / lang / str(n)
                running.append(((lang, n), start_pagefind(self.shadows / lang / str(n), "--output-path", str(target))))
                while running and (len(running) >= cores() or number == len(shards) - 1):
                    (done_lang, done_n), process = running.pop(0)
                    finish(process)
                    tidy(staging / done_lang / str(done_n), primary=self.primaries[done_lang] == done_n)
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
        shutil.rmtree(staging, ignore_errors=True)
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


def read_page(root: Path, relative: str) -> tuple[bytes, str | None, str | None]:
    """(digest, language, shadow page) of a page; no language if it is not searchable."""
    data = (root / relative).read_bytes()
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
