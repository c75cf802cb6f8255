"""Outcomes of the per-file checks, kept between builds of one output folder: a file whose
content digest (or, for files the build did not write, size and modification time) is what
it was when it was last checked is not read again. An outcome
depends on its file alone (links are resolved afresh each time, see references.py)."""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path

from model.cache import load_pickle
from model.parallel import fork_map

from .site_files import SiteFiles

LARGE_BYTES = 2_000_000


class CheckMemo:
    def __init__(self, cache_dir: str | None, output_key: str, site: SiteFiles, version: str):
        self.site = site
        self.path = None
        self.entries: dict = {}
        self.fresh: dict = {}
        if cache_dir:
            name = hashlib.sha256(f"{output_key}|{version}".encode()).hexdigest()[:16]
            self.path = Path(cache_dir) / f"checks-{name}.pickle"
            try:
                self.entries = load_pickle(self.path)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                self.entries = {}

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
        for key, stamp, value in zip(keys, stamps, values):
            self.fresh[key] = (stamp, value)
        return values

    def save(self) -> None:
        """Remember outcomes; those of pending files are stored once they are on disk."""
        if self.path is None:
            return
        kept = {key: value for key, value in self.fresh.items() if value[0] is not None}  # None: unknown
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(self.path)
