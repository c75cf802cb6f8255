"""The files one build produces, and how they reach the output folder.

A cold build writes straight into a fresh folder that scripts/build.py swaps in at the end. A
rebuild of an existing output keeps every change in memory and applies it only once the whole
build has succeeded, so a failing build never leaves a half-updated site; files that a build no
longer produces are removed then too."""

from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable

from model.cache import load_pickle, save_pickle
from model.parallel import Beside
from model.text import is_inside


CHECK_BATCH = 40  # pages: a forked process checks them in about a tenth of a second


class Output:
    def __init__(self, root: Path, staged: bool, state: "BuildState | None" = None, publishes_at_commit: bool = False):
        self.root = Path(root)
        self.staged = staged
        # Whether nothing written reaches readers before commit(): staged, or written into a
        # fresh folder that is swapped in after it (scripts/build.py). Only then may a verdict
        # on the content be taken after the pages are made (settle).
        self.publishes_at_commit = publishes_at_commit
        self.verdicts: list[Callable[[], None]] = []  # each raises ContentError, or says warnings
        self.state = state or BuildState(None, root)
        self.pending: dict[str, bytes] = {}
        self.produced: set[str] = set()
        self.pages: dict[str, tuple[str, tuple]] = {}  # rendered pages: fingerprint, dependencies
        self.digests: dict[str, bytes] = {}  # produced file -> content_digest, where known
        self.written = 0
        # Work on the finished output, made while it is checked: (prepare, install, discard).
        # prepare() runs in a forked process and returns what install() puts in place once
        # the output is committed, or discard() removes if the build fails (e.g. the search index).
        self.beside_checks: list[tuple] = []
        # The output checks of files known before the output is checked, made where their bytes
        # are, while the build goes on (checks.Checker.ahead, set by scripts/build.py), and
        # what the search index reads of those pages (search.read_page, set by the search
        # plugin): their outcomes, and the processes making more of them.
        self.check_ahead: Callable | None = None
        self.index_ahead: Callable | None = None
        self.checked: dict = {}
        self.indexed: dict = {}
        self.checking: list = []
        self.unchecked: dict[str, bytes] = {}  # pages made in this process, to check in a batch
        self.batch: Beside | None = None  # the last batch of them sent to be checked beside
        self.on_disk: set[str] | None = None  # the files in `root` as the build starts, if listed

    def ahead(self, files) -> tuple[dict, dict]:
        """The output checks' outcomes for `files` (path -> bytes) and what the search index
        reads of their pages, from the parse the checks make, if this build works ahead
        (take_ahead keeps them)."""
        if self.check_ahead is None or not files:
            return {}, {}
        indexed: dict = {}

        def read(file: str, data: bytes, tree) -> None:
            if file.endswith(".html"):
                indexed[file] = self.index_ahead(data, file, tree)

        return self.check_ahead(files, read if self.index_ahead is not None else None), indexed

    def take_ahead(self, made: tuple[dict, dict]) -> None:
        checked, indexed = made
        self.checked.update(checked)
        self.indexed.update(indexed)

    def check_beside(self, files) -> Beside | None:
        """Have `files` (path -> bytes) checked in a forked process while the build goes on;
        returns the process (None if there is nothing to check)."""
        if self.check_ahead is None or not files:
            return None
        self.checking.append(Beside(lambda: self.ahead(files)))
        return self.checking[-1]

    def check_soon(self, files) -> None:
        """Have `files` (path -> bytes) checked beside the build: in batches of at least
        CHECK_BATCH (a forked process per page would cost more than its check), one batch at
        a time (one core renders, the other checks), whatever else is checked beside (the open
        data: pages left to wait for it piled up into one late batch that the build then waited
        for). What is left when the output is checked is checked there."""
        if self.check_ahead is None:
            return
        self.unchecked.update(files)
        if len(self.unchecked) >= CHECK_BATCH and (self.batch is None or not self.batch.running()):
            self.batch = self.check_beside(self.unchecked)
            self.unchecked = {}

    def checked_ahead(self) -> dict:
        """Every check's outcome made ahead, once the processes making them are done (the output
        checks, and the search index, make those of a process that failed themselves); what the
        index reads is then in `indexed`."""
        for process in self.checking:
            try:
                self.take_ahead(process.result())
            except RuntimeError:
                pass
        self.checking.clear()
        return self.checked

    def write(self, relative: str, data: bytes | str | StoredFile) -> bool:
        """Produce output/relative with `data`; False when the file already holds it (known
        from the digest the last build recorded, without reading the file, or `data`)."""
        if isinstance(data, str):
            data = data.encode("utf-8")
        digest = data.digest if isinstance(data, StoredFile) else content_digest(data)
        self.claim(relative)
        self.digests[relative] = digest
        target = self.root / relative
        if isinstance(data, StoredFile):
            if self._holds_stored(target, relative, data):
                self.pending.pop(relative, None)
                return False
            data = data.load()
        if self._holds(target, relative, data, digest):
            self.pending.pop(relative, None)
            return False
        self.written += 1
        if self.staged:
            self.pending[relative] = data
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return True

    def _holds(self, target: Path, relative: str, data: bytes, digest: bytes) -> bool:
        try:
            size = target.stat().st_size
        except OSError:
            return False
        if size != len(data):
            return False
        known = self.state.digests.get(relative)
        return known == digest if known is not None else target.read_bytes() == data

    def _holds_stored(self, target: Path, relative: str, data: StoredFile) -> bool:
        """Whether the file holds `data`, known without reading either."""
        if self.state.digests.get(relative) != data.digest:
            return False
        try:
            return target.stat().st_size == data.size
        except OSError:
            return False

    def claim(self, relative: str) -> None:
        """Note `relative` as produced by this build; two parts of a build making one file
        (say, a page whose URL is a list's) is a defect, not a choice of the last writer, and
        so is a path that would lead out of the output folder."""
        if not is_inside(relative):
            raise RuntimeError(f"{relative!r} is not a path inside the output folder")
        if relative in self.produced:
            raise RuntimeError(f"{relative} is made twice in one build")
        self.produced.add(relative)

    def record(self, relative: str, digest: bytes) -> None:
        """A file a worker process wrote straight into a fresh folder."""
        self.claim(relative)
        self.digests[relative] = digest
        self.written += 1

    def keep(self, relative: str) -> None:
        """Produced by this build, unchanged from the last: nothing to write."""
        self.claim(relative)
        if relative in self.state.digests:
            self.digests[relative] = self.state.digests[relative]

    def read(self, relative: str) -> bytes:
        """A produced file's bytes, as they will be once committed."""
        data = self.pending.get(relative)
        return data if data is not None else (self.root / relative).read_bytes()

    def exists(self, relative: str) -> bool:
        """Whether the file is there, or will be once committed: asked for every page of every
        build, so answered from the folder's listing when there is one (a staged build writes
        nothing before its commit)."""
        if relative in self.pending:
            return True
        if self.on_disk is not None:
            return relative in self.on_disk
        return os.path.isfile(os.path.join(self.root, relative))

    def pages_changed(self) -> bool:
        """Whether any HTML page is new, different or gone in this build."""
        return not self.staged or any(f.endswith(".html") for f in [*self.pending, *self.obsolete()])

    def obsolete(self) -> set[str]:
        """Files the previous build produced and this one did not: removed on commit."""
        return self.state.produced - self.produced

    def settle(self) -> None:
        """Take the verdicts on the content still to come (ContentError from the first with
        errors)."""
        while self.verdicts:
            self.verdicts.pop(0)()

    def commit(self) -> tuple[int, int]:
        """Apply staged changes, remove files the previous build made and this one did not,
        and remember what this build produced; never before the verdicts on the content."""
        self.settle()
        for relative, data in self.pending.items():
            target = self.root / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(target.name + ".partial")
            temporary.write_bytes(data)
            temporary.replace(target)
        removed = 0
        for relative in sorted(filter(is_inside, self.obsolete())):  # never a file out of the folder
            target = self.root / relative
            if target.is_file():
                target.unlink()
                removed += 1
                _remove_empty_parents(target.parent, self.root)
        written = self.written
        self.pending = {}
        self.state.save(self.produced, self.pages, self.digests)
        return written, removed


def _remove_empty_parents(folder: Path, root: Path) -> None:
    while folder != root and folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def content_digest(data: bytes) -> bytes:
    return hashlib.blake2b(data, digest_size=16).digest()


class StoredFile:
    """A file kept elsewhere (say, in a cache) whose size and content_digest are known: a
    build writes it, reading its bytes, only where the output does not hold it already."""

    __slots__ = ("size", "digest", "load")

    def __init__(self, size: int, digest: bytes, load: Callable[[], bytes]):
        self.size, self.digest, self.load = size, digest, load

    def __len__(self) -> int:  # the size pages show
        return self.size


class BuildState:
    """What the last build of one output folder produced: every file, and for rendered pages
    the fingerprint and dependencies they were rendered with. Kept in the cache folder."""

    def __init__(self, cache_dir: str | None, output: Path):
        self.output = Path(output)  # the folder as published (a fresh build is made beside it)
        self.path = None
        self.produced: set[str] = set()
        self.pages: dict[str, tuple[str, tuple]] = {}  # relative -> (fingerprint, dependency keys)
        self.digests: dict[str, bytes] = {}  # relative -> content_digest of what was written
        if cache_dir:
            key = hashlib.sha256(str(Path(output).resolve()).encode()).hexdigest()[:16]
            self.path = Path(cache_dir) / f"build-{key}.pickle"
            try:
                self.produced, self.pages, self.digests = load_pickle(self.path)
            except (OSError, pickle.UnpicklingError, EOFError, ValueError):
                pass

    def save(self, produced: set[str], pages: dict, digests: dict) -> None:
        # A state older than the output would leave files the next builds no longer make (say,
        # a page made internal again) published: the old one goes at once, with the commit. The
        # new one may be written after the build has answered (model.cache.defer_saves); a build
        # ended before that leaves none, and the next one starts afresh.
        if self.path is not None:
            self.path.unlink(missing_ok=True)
            save_pickle(self.path, (produced, pages, digests))

    def forget(self) -> None:
        if self.path is not None:
            self.path.unlink(missing_ok=True)
