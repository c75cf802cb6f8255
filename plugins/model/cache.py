"""A parse-and-validate cache keyed by file content, so that a rebuild re-reads only the
files that changed. Keys are content hashes, never mtimes, so the cache stays valid across a
fresh checkout; it is dropped whole when the model's code, schemas or code lists change."""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from pathlib import Path

MODEL_DIR = Path(__file__).parent


@lru_cache(maxsize=None)
def model_version() -> str:
    """A hash of everything that decides how a file is read and checked."""
    digest = hashlib.sha256()
    for path in sorted(MODEL_DIR.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yaml"):
            digest.update(path.relative_to(MODEL_DIR).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def file_digest(*paths: Path) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes() if path.is_file() else b"\0missing")
    return digest.hexdigest()


class ParseCache:
    """Results of reading one file, by (kind, display path, content digest), pickled."""

    def __init__(self, directory: Path | None, content_root: Path):
        self.path = None
        self.entries: dict = {}
        self.used: dict = {}
        if directory is not None:
            name = hashlib.sha256(str(content_root.resolve()).encode()).hexdigest()[:16]
            self.path = Path(directory) / f"parse-{name}-{model_version()}.pickle"
            try:
                self.entries = pickle.loads(self.path.read_bytes())
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                self.entries = {}

    def get(self, key):
        """A fresh copy of what was stored under `key`, or None."""
        stored = self.entries.get(key)
        if stored is None:
            return None
        self.used[key] = stored
        return pickle.loads(stored)

    def put(self, key, value) -> None:
        # Stored as bytes at once: the records go on to be changed by the rest of the load.
        self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Keep only what this load used: deleted and old versions of files drop out."""
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.path.parent.glob(self.path.name.rsplit("-", 1)[0] + "-*.pickle"):
            if stale != self.path:
                stale.unlink(missing_ok=True)  # written by another version of the model
        temporary = self.path.with_suffix(".tmp")
        temporary.write_bytes(pickle.dumps(self.used, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(self.path)
