"""The search index of one output folder, kept up to date shard by shard.

Pagefind has no incremental mode: it indexes a whole folder every time, at about a
millisecond a page. So the index is split: each language's pages fall into SHARDS shards by a
hash of their path, each shard a Pagefind bundle at /pagefind/<lang>/<n>/, and search.js
merges a language's shards when it searches (Pagefind's mergeIndex: one WebAssembly module,
each shard's small metadata). The shadow pages Pagefind reads (bigrams.shadow_page) are kept
in the cache folder, a file per shard; a build renews the shadows of the pages that changed
and re-indexes only the shards holding them, each written out as files for its Pagefind run
in a scratch folder in memory (tmpfs), where creating thousands of files costs a tenth of
what it costs on disk. What a shard holds depends on its pages alone, so an updated index is
byte for byte the index a fresh build makes.

An update is made in two steps, so that a build can make it while its output is checked and
publish it only if the checks pass: `prepare` makes the changed shards' shadows and bundles
beside the live ones, `install` puts them in place."""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import logging
import os
import pickle
import shutil
import tempfile
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
        self.shadows = self.folder / "shards"  # <lang>-<n>.pickle: page -> its shadow
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

    def prepare(self, read, digests: dict[str, bytes | None], root: Path, pages_read: dict | None = None) -> Prepared:
        """Everything of an update the live index does not see: the shadows of the pages that
        changed (`read(page)` gives a page's bytes; `pages_read`, page -> read_page's result,
        what was read of some already) and the bundles of their shards, made beside the live ones.
        Touches nothing `install` has not been given."""
        root = Path(root)
        for stale in [*self.folder.glob("staged-*"), *root.parent.glob(f".search-*.{root.name}")]:
            shutil.rmtree(stale, ignore_errors=True)  # of an update that never finished
        prepared = Prepared(self.folder / f"staged-{os.getpid()}", root.parent / f".search-{os.getpid()}.{root.name}")
        prepared.folder.mkdir(parents=True)
        try:
            self._prepare(read, digests, root, prepared, pages_read or {})
        except LostShadows:  # the cache lost part of the index: every page is indexed afresh
            self.discard(prepared)
            self.forget()
            return self.prepare(read, digests, root, pages_read)
        except BaseException:
            self.discard(prepared)
            raise
        return prepared

    def _prepare(self, read, digests: dict[str, bytes | None], root: Path, prepared: Prepared,
                 pages_read: dict) -> None:
        pages, changed, leaving = dict(self.pages), set(), set()

        def leave(relative: str) -> None:  # the page's shadow leaves the shard it was in
            known = pages.pop(relative, None)
            if known and known[1]:
                changed.add((known[1], shard_of(relative)))
                leaving.add((known[1], relative))

        html = {relative: digest for relative, digest in digests.items() if relative.endswith(".html")}
        for relative in sorted(set(pages) - set(html)):
            leave(relative)
        todo = [relative for relative, digest in sorted(html.items())
                if digest is None or pages.get(relative, (None,))[0] != digest]
        ahead = {relative: pages_read[relative] for relative in todo  # read of the bytes the page holds
                 if relative in pages_read and html[relative] is not None and pages_read[relative][0] == html[relative]}
        rest = [relative for relative in todo if relative not in ahead]
        made = dict(zip(rest, fork_map(partial(self._shadow, read), rest)))
        made |= {relative: self._shadow(read, relative, page) for relative, page in ahead.items()}
        incoming: dict[tuple[str, int], dict[str, str]] = {}  # shard -> its pages' new shadows
        for relative in todo:
            digest, lang, indexed, shadow = made[relative]
            if shadow is not None:
                incoming.setdefault((lang, shard_of(relative)), {})[relative] = shadow
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
        members: dict[tuple[str, int], set[str]] = {}  # shard -> its pages, as they will be
        for relative, (_, lang, _) in pages.items():
            if lang:
                members.setdefault((lang, shard_of(relative)), set()).add(relative)
        shadows = {}
        for lang, n in prepared.shards:  # each changed shard's shadows, as they will be
            kept = {relative: shadow for relative, shadow in self.shadows_of(lang, n).items()
                    if (lang, relative) not in leaving}
            shadows[lang, n] = kept | incoming.get((lang, n), {})
            if shadows[lang, n].keys() != members[lang, n]:
                raise LostShadows(f"{lang}-{n}")
            save_pickle(prepared.folder / self._shard_file(lang, n), shadows[lang, n], at_once=True)
        self._index(prepared, shadows, primaries)

    def install(self, root: Path, prepared: Prepared) -> None:
        """Put a prepared update in place: its shadows, bundles and state. After a failure the
        next update starts afresh."""
        try:
            self.shadows.mkdir(parents=True, exist_ok=True)
            for lang, n in prepared.changed:
                name = self._shard_file(lang, n)
                if (lang, n) not in prepared.wanted:
                    (self.shadows / name).unlink(missing_ok=True)  # the shard holds no page now
                else:
                    os.replace(prepared.folder / name, self.shadows / name)
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

    def _shadow(self, read, relative: str, page: tuple | None = None) -> tuple:
        """Read a page (in the workers, when there are many), unless `page` is what read_page
        made of it: (digest of the page, language, digest of its shadow, and the shadow itself
        if what the index holds of it changed)."""
        digest, lang, shadow = page or read_page(read(relative), relative)
        indexed = content_digest(shadow.encode("utf-8")) if lang else None
        changed = lang and self.pages.get(relative, (None,))[1:] != (lang, indexed)
        return digest, lang, indexed, shadow if changed else None

    def shadows_of(self, lang: str, n: int) -> dict[str, str]:
        """The live shadows of a shard: page -> shadow."""
        try:
            return load_pickle(self.shadows / self._shard_file(lang, n))
        except FileNotFoundError:
            return {}
        except (OSError, pickle.UnpicklingError, EOFError, ValueError) as error:
            raise LostShadows(f"{lang}-{n}") from error

    @staticmethod
    def _shard_file(lang: str, n: int) -> str:
        return f"{lang}-{n}.pickle"

    def forget(self) -> None:
        """Start afresh next time (after a failed update)."""
        shutil.rmtree(self.folder, ignore_errors=True)
        self.pages, self.primaries = {}, {}

    def _index(self, prepared: Prepared, shadows: dict, primaries: dict[str, int]) -> None:
        """Pagefind over each shard's shadows, a few at a time, into its staged bundle; each
        run reads its shard's shadows as files in a scratch folder, removed once it is done."""
        running: list = []
        scratch = Path(tempfile.mkdtemp(prefix=f"jcredit-search-{os.getpid()}-", dir=scratch_root(prepared.folder)))
        try:
            for number, (lang, n) in enumerate(prepared.shards):
                site = scratch / f"{lang}-{n}"
                site.mkdir()
                for relative, shadow in sorted(shadows[lang, n].items()):  # flat: see bigrams.shadow_page
                    (site / quote(relative, safe="")).write_text(shadow, encoding="utf-8")
                target = prepared.bundles / lang / str(n)
                running.append(((lang, n), start_pagefind(site, "--output-path", str(target))))
                while running and (len(running) >= cores() or number == len(prepared.shards) - 1):
                    (done_lang, done_n), process = running.pop(0)
                    finish(process)
                    shutil.rmtree(scratch / f"{done_lang}-{done_n}")
                    tidy(prepared.bundles / done_lang / str(done_n), primary=primaries[done_lang] == done_n)
        except BaseException:
            for _, process in running:
                process.kill()
            raise
        finally:
            shutil.rmtree(scratch, ignore_errors=True)

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


class LostShadows(Exception):
    """A shard's shadows in the cache are unreadable, or not those of the pages it holds."""


def scratch_root(fallback: Path) -> Path:
    """Where Pagefind's input is written for a run: a folder in memory if this system has one
    for the user (XDG_RUNTIME_DIR, /dev/shm), else `fallback`; stale scratch folders of builds
    that were killed are removed on the way."""
    for candidate in (os.environ.get("XDG_RUNTIME_DIR"), "/dev/shm"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            for stale in Path(candidate).glob("jcredit-search-*-*"):
                pid = stale.name.split("-")[2]
                if pid.isdigit() and not _alive(int(pid)):
                    shutil.rmtree(stale, ignore_errors=True)
            return Path(candidate)
    return fallback


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        pass
    return True


@dataclass
class Prepared:
    """An update made beside the live index (SearchIndex.prepare), for `install`."""
    folder: Path  # in the index's cache folder: the changed shards' shadows, a file each
    bundles: Path  # beside the output: <lang>/<n>/, renamed into it
    pages: dict = field(default_factory=dict)
    primaries: dict = field(default_factory=dict)
    wanted: set = field(default_factory=set)
    changed: list = field(default_factory=list)  # shards whose shadows change
    shards: list = field(default_factory=list)  # of those, the ones indexed (the rest are gone)


def read_page(data: bytes, relative: str, tree=None) -> tuple[bytes, str | None, str | None]:
    """(digest, language, shadow page) of the page `relative` holding `data` (whose `tree`, if
    it was parsed already); no language if it is not searchable."""
    page = searchable_page(data.decode("utf-8") if tree is None else tree)
    if not page:
        return content_digest(data), None, None
    href = "/" + relative.removesuffix("index.html")
    return content_digest(data), page.lang, shadow_page(page, href)


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
