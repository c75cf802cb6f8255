"""Outcomes of the per-file checks, kept between builds of one output folder: a file whose
content digest (or, for files the build did not write, size and modification time) is what
it was when it was last checked is not read again. An outcome depends on its file alone
(links are resolved across files in references.py, which keeps what it needs here too).
The outcomes are kept in SHARDS files by a hash of the file's path, and a build rewrites
only the files whose outcomes changed: pickling all of them took a one-page edit 0.4 s."""

from __future__ import annotations

import hashlib
import pickle
import zlib
from pathlib import Path

from model.cache import load_pickle, save_pickle
from model.parallel import fork_map

from .site_files import SiteFiles

LARGE_BYTES = 2_000_000
SHARDS = 256  # files of outcomes: an edit rewrites the few holding what changed


class CheckMemo:
    def __init__(self, cache_dir: str | None, output_key: str, site: SiteFiles, version: str):
        self.site = site
        self.paths: list[Path] = []
        self.entries: dict = {}
        self.fresh: dict = {}
        self.stored: list[set] = [set() for _ in range(SHARDS)]  # keys each shard's file holds
        self.dirty: set[int] = set()
        self.before: dict = {}  # key -> its entry before this check made it anew (None: new file)
        self.links = None  # what the last check's link resolution left (references.Links)
        self.links_path: Path | None = None
        self._links_loaded = None
        if cache_dir:
            output = hashlib.sha256(output_key.encode()).hexdigest()[:16]
            name = f"checks-{output}-{hashlib.sha256(version.encode()).hexdigest()[:12]}"
            self.paths = [Path(cache_dir) / f"{name}-{n}.pickle" for n in range(SHARDS)]
            self.links_path = Path(cache_dir) / f"{name}-links.pickle"
            try:
                self.links = self._links_loaded = load_pickle(self.links_path)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                pass
            for other in Path(cache_dir).glob(f"checks-{output}-*.pickle"):
                if not other.name.startswith(name + "-"):  # made by other check code: of no use now
                    other.unlink(missing_ok=True)
            for n, path in enumerate(self.paths):
                try:
                    part = load_pickle(path)
                except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                    continue
                self.entries.update(part)
                self.stored[n] = set(part)

    def outcomes(self, kind: str, files: list[str], compute) -> list:
        """compute(file) for each of `files` (check `kind`), remembered for files unchanged
        since; the rest computed on every core when there are many."""
        keys = [(kind, file) for file in files]
        stamps = [self.site.stamp(file) for file in files]
        known = [self.entries.get(key) for key in keys]
        missing = [i for i, (stamp, entry) in enumerate(zip(stamps, known)) if entry is None or entry[0] != stamp]
        values = [entry[1] if entry is not None else None for entry in known]
        # On every core when there are many files, or a few large ones (lists of a thousand rows).
        large = len(missing) >= 2 and sum(self.site.size(files[i]) for i in missing) >= LARGE_BYTES
        for i, value in zip(missing, fork_map(compute, [files[i] for i in missing], threshold=2 if large else 200)):
            values[i] = value
            self.dirty.add(shard_of(files[i]))
            self.before.setdefault(keys[i], known[i])
        for key, stamp, value in zip(keys, stamps, values):
            self.fresh[key] = (stamp, value)
        return values

    def take(self, outcomes: dict) -> None:
        """Outcomes made ahead, elsewhere (checks.Checker.ahead): (kind, file) -> (stamp, outcome)."""
        for key, entry in outcomes.items():
            if self.entries.get(key) != entry:
                self.before.setdefault(key, self.entries.get(key))
                self.entries[key] = entry
                self.dirty.add(shard_of(key[1]))

    def save(self) -> None:
        """Remember outcomes, rewriting only the shards that changed; those of pending files are
        stored once they are on disk."""
        if not self.paths:
            return
        shards: list[dict] = [{} for _ in range(SHARDS)]
        for key, value in self.fresh.items():
            if value[0] is not None:  # None: unknown
                shards[shard_of(key[1])][key] = value
        for n, (path, kept) in enumerate(zip(self.paths, shards)):
            if n in self.dirty or kept.keys() != self.stored[n]:
                save_pickle(path, kept)
        if self.links != self._links_loaded and self.links is not None:
            save_pickle(self.links_path, self.links)


def shard_of(file: str) -> int:
    return zlib.crc32(file.encode("utf-8")) % SHARDS
