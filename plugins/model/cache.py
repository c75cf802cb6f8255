"""A parse-and-validate cache keyed by file content, so that a rebuild re-reads only the
files that changed. Keys are content hashes, never mtimes, so the cache stays valid across a
fresh checkout; it is dropped whole when the model's code, schemas or code lists change."""

from __future__ import annotations

import hashlib
import os
import pickle
import time
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


class DigestMemo:
    """file_digest without reading files that have not changed, as git's index does: a file's
    digest is kept with its inode, size, modification and change times, and taken again while
    they are the same. A digest taken within RACY_NS of the file's modification is not trusted
    (the file may have changed again within the clock's resolution): it is taken afresh."""

    RACY_NS = 2_000_000_000

    def __init__(self, path: Path | None):
        self.path = path
        self.known: dict[str, tuple] = {}  # path -> (stat signature, digest)
        self.fresh: dict[str, tuple] = {}
        if path is not None:
            try:
                self.known = load_pickle(path)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                self.known = {}

    def digest(self, *paths: Path) -> str:
        if len(paths) != 1:
            return file_digest(*paths)
        path, now = str(paths[0]), time.time_ns()
        try:
            status = os.stat(path)
        except OSError:
            return file_digest(*paths)
        signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
        known = self.known.get(path)
        if known is not None and known[0] == signature:
            self.fresh[path] = known
            return known[1]
        value = file_digest(*paths)
        if now - max(status.st_mtime_ns, status.st_ctime_ns) > self.RACY_NS:
            self.fresh[path] = (signature, value)
        return value

    def save(self) -> None:
        if self.path is None or self.fresh == self.known:
            return
        save_pickle(self.path, self.fresh)


class ParseCache:
    """Results of reading one file, by (kind, display path, content digest), pickled."""

    def __init__(self, directory: Path | None, content_root: Path, variant: str = ""):
        self.path = None
        self.entries: dict = {}  # key -> pickled outcome
        self.decoded: dict = {}  # key -> the outcome unpickled ahead (read_ahead), served once
        self.used: dict = {}
        self.digests = DigestMemo(None)
        if directory is not None:
            name = hashlib.sha256(str(content_root.resolve()).encode()).hexdigest()[:16]
            version = model_version() + (hashlib.sha256(variant.encode()).hexdigest()[:8] if variant else "")
            self.path = Path(directory) / f"parse-{name}-{version}.pickle"
            self.digests = DigestMemo(Path(directory) / f"digests-{name}.pickle")
            try:
                loaded = load_pickle(self.path)
            except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
                loaded = {}
            self.entries, self.decoded = loaded if isinstance(loaded, tuple) else (loaded, {})

    def get(self, key):
        """A fresh copy of what was stored under `key`, or None."""
        stored = self.entries.get(key)
        if stored is None:
            return None
        self.used[key] = stored
        decoded = self.decoded.pop(key, None)
        return decoded if decoded is not None else pickle.loads(stored)

    def put(self, key, value) -> None:
        # Stored as bytes at once: the records go on to be changed by the rest of the load.
        self.used[key] = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)

    def save(self) -> None:
        """Keep only what this load used: deleted and old versions of files drop out."""
        self.digests.save()
        if self.path is None or self.used.keys() == self.entries.keys():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        for stale in self.path.parent.glob(self.path.name.rsplit("-", 1)[0] + "-*.pickle"):
            if stale != self.path:
                stale.unlink(missing_ok=True)  # written by another version of the model
        save_pickle(self.path, self.used)


# -- reading ahead ---------------------------------------------------------------------------
# The warm build processes (scripts/build_server.py, and build.py --warm for `make serve`) unpickle the caches
# between builds, while nobody waits; the next build, a fork of it, finds them read. A file
# read ahead serves only while it is unchanged, and only once.
_AHEAD: dict[str, tuple[tuple, object]] = {}


def load_pickle(path: Path):
    """What is pickled at `path`: read ahead, or read now (raising what reading raises)."""
    ahead = _AHEAD.pop(str(path), None)
    if ahead is not None and ahead[0] == _signature(path):
        return ahead[1]
    return pickle.loads(Path(path).read_bytes())


def save_pickle(path: Path, value, at_once: bool = False) -> None:
    """Pickle `value` to `path` whole or not at all: readers, and other builds writing the same
    file, never see half of it. Put off while saves are deferred (defer_saves), unless
    `at_once` (what must agree with the output it describes)."""
    if not at_once and _DEFERRED.get("pid") == os.getpid():
        _DEFERRED["saves"].append((Path(path), value))
        return
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(path)


# The caches a build leaves are for the next build: on the build server they are written after
# the build has reported its result (they took each build a tenth of a second before its
# caller could go on). A value saved is not changed after; a forked process saves at once.
_DEFERRED: dict = {}


def defer_saves() -> None:
    """Put off this process's save_pickle calls until save_deferred()."""
    _DEFERRED.update(pid=os.getpid(), saves=[])


def save_deferred() -> None:
    """Make the saves put off, in their order (a later save of a file wins). A file that cannot
    be written is removed rather than left stale: the next build makes it again."""
    saves = _DEFERRED.get("saves", [])
    _DEFERRED.clear()
    for path, value in saves:
        try:
            save_pickle(path, value)
        except Exception:
            try:
                path.unlink(missing_ok=True)
            except OSError:
                pass


def read_ahead(folder: Path, interrupted=lambda: False) -> None:
    """Unpickle the build's caches in `folder`, and the parse cache's entries too; stop as
    soon as `interrupted()` (a build is asked for): what is read by then still serves."""
    _AHEAD.clear()
    for path in [*Path(folder).glob("*.pickle"), *Path(folder).glob("*/state.pickle")]:
        if interrupted():
            return
        try:
            signature = _signature(path)
            value = pickle.loads(path.read_bytes())
            if path.name.startswith("parse-"):
                decoded = {}
                value = (value, decoded)
                for number, (key, stored) in enumerate(value[0].items()):
                    if number % 64 == 0 and interrupted():
                        break
                    decoded[key] = pickle.loads(stored)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            continue
        _AHEAD[str(path)] = (signature, value)


def _signature(path: Path) -> tuple:
    status = os.stat(path)
    return status.st_ino, status.st_size, status.st_mtime_ns
