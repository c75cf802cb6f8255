"""A build server for `make html`, in the manner of Bazel's and Gradle's: it imports Python,
Pelican and the plugins once and unpickles the caches the last build left while nobody waits;
each build is then a fork of it, and in all else a fresh build process.

`scripts/build.py` asks the server of this checkout and cache folder to build, starting one
when none is listening, and hands it its standard input, output and error (SCM_RIGHTS), so the
build writes to the caller's terminal or pipes as a build of its own would. The server:
- answers on a Unix socket in a folder only its user can enter, and only to that user;
- stops when the code it imported (plugins, scripts, settings, installed packages) changes,
  after 15 idle minutes (BUILD_SERVER_IDLE seconds), or when its cache folder is gone;
- is never used when CI is set or BUILD_SERVER=0.
The caller has the build's exit code as soon as the output is updated; the fork then writes
the caches for the next build, which is served once it has ended.
Ctrl-C on the caller stops the build: the server kills the fork and every process it started
(its process group); it never committed.

Usage: build_server.py [--detach] CACHE_DIR   (started by build.py; `build_server.py --stop CACHE_DIR` stops it)
"""

from __future__ import annotations

import array
import fcntl
import hashlib
import json
import os
import select
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IDLE_SECONDS = float(os.environ.get("BUILD_SERVER_IDLE") or 900)
STALE = -1000  # the reply of a server whose code has changed: ask a new one


def enabled() -> bool:
    return not os.environ.get("CI") and os.environ.get("BUILD_SERVER", "1") != "0"


def socket_path(cache_dir: Path) -> Path:
    """One server per checkout and cache folder, in a folder only this user can enter."""
    folder = Path(os.environ.get("XDG_RUNTIME_DIR") or "/tmp") / f"jcredit-build-{os.getuid()}"
    folder.mkdir(mode=0o700, exist_ok=True)
    status = folder.stat()
    if status.st_uid != os.getuid() or status.st_mode & 0o077:
        raise PermissionError(f"{folder} must belong to this user alone")
    key = hashlib.sha256(f"{ROOT}\0{Path(cache_dir).resolve()}".encode()).hexdigest()[:16]
    return folder / f"{key}.sock"


def code_version() -> str:
    """What the server imported: a change to any of it makes the server stale."""
    digest = hashlib.sha256()
    files = [*ROOT.glob("plugins/**/*.py"), *ROOT.glob("scripts/*.py"), ROOT / "pelicanconf.py",
             ROOT / "requirements.txt", *ROOT.glob(".venv/.installed-*")]
    for path in sorted(files):
        status = path.stat()
        digest.update(f"{path}\0{status.st_mtime_ns}\0{status.st_size}\n".encode())
    return digest.hexdigest()


# -- the caller's side ---------------------------------------------------------------------
def request(argv: list[str], cache_dir: Path, files=(0, 1, 2), cwd: Path | None = None) -> int | None:
    """Run build.py's `argv` on the server (started if need be), its standard input, output
    and error the file descriptors `files`, in the folder `cwd` (this process's by default);
    None when no server can."""
    path = socket_path(cache_dir)
    for attempt in range(2):
        connection = _connect(path) or _start(path, cache_dir)
        if connection is None:
            return None
        with connection:
            code = _ask(connection, argv, files, str(cwd or os.getcwd()))
        if code != STALE:
            return code
        _wait_gone(path)
    return None


def _connect(path: Path) -> socket.socket | None:
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        connection.connect(str(path))
        return connection
    except OSError:
        connection.close()
        return None


def _start(path: Path, cache_dir: Path) -> socket.socket | None:
    log = Path(cache_dir) / "build-server.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as output:
        # Through a parent that exits at once (--detach): the server is no caller's child, so a
        # caller that lives on (make serve) keeps no zombie of it once it stops.
        started = subprocess.run([sys.executable, __file__, "--detach", str(cache_dir)], stdin=subprocess.DEVNULL,
                                 stdout=output, stderr=output, start_new_session=True, cwd=ROOT)
    if started.returncode != 0:
        return None  # the build runs in a process of its own
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        connection = _connect(path)
        if connection is not None:
            return connection
        time.sleep(0.02)
    return None


def _ask(connection: socket.socket, argv: list[str], files, cwd: str) -> int:
    message = json.dumps({"argv": argv, "cwd": cwd, "env": dict(os.environ)}).encode()
    try:
        socket.send_fds(connection, [len(message).to_bytes(8, "big")], list(files))
        connection.sendall(message)
        reply = connection.recv(16)
    except KeyboardInterrupt:  # closing the connection tells the server to stop the build
        return 130
    except (ConnectionResetError, BrokenPipeError):
        # A server on its way out (stopped, or idle) closed with this request still queued:
        # a new server builds it (a build commits its output whole, or not at all).
        return STALE
    return int(reply) if reply else 1


def _wait_gone(path: Path) -> None:
    deadline = time.monotonic() + 5
    while path.exists() and time.monotonic() < deadline:
        time.sleep(0.02)


def stop(cache_dir: Path) -> None:
    """Stop the server, and return once it has stopped taking builds."""
    path = socket_path(cache_dir)
    connection = _connect(path)
    if connection is not None:
        with connection:
            socket.send_fds(connection, [(0).to_bytes(8, "big")], [])
        _wait_gone(path)


# -- the server ----------------------------------------------------------------------------
def serve(cache_dir: Path) -> int:
    import build  # scripts/build.py: imports Pelican, the plugins and the checks

    version = code_version()
    path = socket_path(cache_dir)
    lock_path = path.with_suffix(".lock")
    deadline = time.monotonic() + 5  # a stale server may still be on its way out
    while True:
        lock = open(lock_path, "w")
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.close()
            if time.monotonic() > deadline:
                return 0  # another server, started at the same moment, serves
            time.sleep(0.05)
            continue
        # A server on its way out removes the lock file it held: a lock on that file, taken
        # while it went, locks nothing any more. Locked and still in place, it is ours.
        if lock_path.exists() and os.fstat(lock.fileno()).st_ino == lock_path.stat().st_ino:
            break
        lock.close()
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path.unlink(missing_ok=True)
    listener.bind(str(path))
    listener.listen(8)
    listener.settimeout(IDLE_SECONDS)
    print(f"{time.strftime('%F %T')} build server {os.getpid()} serving {ROOT} (caches in {cache_dir})", flush=True)
    try:
        reason = _serve_builds(build, listener, Path(cache_dir), version)
    finally:
        listener.close()
        path.unlink(missing_ok=True)
        lock_path.unlink(missing_ok=True)  # while still held: nothing is left behind in the folder
    print(f"{time.strftime('%F %T')} build server {os.getpid()} stopped: {reason}", flush=True)
    return 0


def _serve_builds(build, listener: socket.socket, cache_dir: Path, version: str) -> str:
    """Build on request until there is a reason to stop; returns it."""
    def asked() -> bool:  # a build waits: reading ahead stops, it is served at once
        return bool(select.select([listener], [], [], 0)[0])

    while True:
        build.prepare_warm(cache_dir, asked)  # what the last build left, for the next
        try:
            connection, _ = listener.accept()
        except TimeoutError:
            return "idle"
        with connection:
            if not _same_user(connection):
                continue
            fds, message = _receive(connection)
            if message is None:
                return "asked to stop"
            if code_version() != version or not cache_dir.is_dir():
                connection.sendall(str(STALE).encode())
                return "the code changed" if cache_dir.is_dir() else "the cache folder is gone"
            _run(build, message, fds, connection)


def _same_user(connection: socket.socket) -> bool:
    credentials = connection.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, 12)
    return array.array("i", credentials)[1] == os.getuid()


def _receive(connection: socket.socket) -> tuple[list[int], dict | None]:
    connection.settimeout(10)
    head, fds, _, _ = socket.recv_fds(connection, 8, 3)
    size = int.from_bytes(head, "big") if len(head) == 8 else 0
    if not size:
        return fds, None
    data = b""
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            break
        data += chunk
    connection.settimeout(None)
    return fds, json.loads(data)


def _run(build, message: dict, fds: list[int], connection: socket.socket) -> None:
    """Build in a fork that has the caller's working folder, environment and standard files;
    answer the caller with the build's exit code as soon as the build reports it (it goes on
    to write its caches), and return once the fork has ended."""
    reported, report = os.pipe()
    child = os.fork()
    if child == 0:
        os.setpgid(0, 0)  # the build and every process it starts: stopped together
        os.close(reported)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        for fd in fds:
            os.close(fd)
        os.chdir(message["cwd"])
        os.environ.clear()
        os.environ.update(message["env"])
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        # The caller's files, buffered as a build of its own would buffer them.
        sys.stdout = open(1, "w", encoding="utf-8", buffering=1 if os.isatty(1) else -1, closefd=False)
        sys.stderr = open(2, "w", encoding="utf-8", buffering=1, closefd=False)
        os._exit(build.run_child(message["argv"], lambda code: os.write(report, str(code).encode())))
    os.close(report)
    for fd in fds:  # the caller's files: the fork has them
        os.close(fd)
    try:
        os.setpgid(child, child)  # here too, so that it is done before a kill, whichever runs first
    except OSError:
        pass  # the child has done it already, or is gone
    ended = os.pidfd_open(child)  # readable the moment the build ends
    answered = False
    try:
        watched = [connection, reported, ended]
        while True:  # until the build ends, or the caller hangs up (Ctrl-C): then stop the build
            readable, _, _ = select.select(watched, [], [])
            if connection in readable and not connection.recv(4096):  # nothing more is sent: a hang-up
                try:
                    os.killpg(child, signal.SIGTERM)  # the build, its workers and the tools they run
                except ProcessLookupError:
                    pass  # all gone already
                watched = [ended]
            if reported in readable:
                code = os.read(reported, 16)
                watched = [ended]  # the caller goes now: its hanging up is no longer a Ctrl-C
                if code:
                    answered = _answer(connection, code)
            if ended in readable:
                status = os.waitpid(child, 0)[1]
                if not answered:  # the build ended without reporting (killed, or it crashed)
                    _answer(connection, str(os.waitstatus_to_exitcode(status)).encode())
                return
    finally:
        os.close(ended)
        os.close(reported)


def _answer(connection: socket.socket, code: bytes) -> bool:
    try:
        connection.sendall(code)
    except OSError:
        pass  # the caller is gone
    return True


if __name__ == "__main__":
    if sys.argv[1:2] == ["--stop"]:
        stop(Path(sys.argv[2]))
        sys.exit(0)
    if sys.argv[1:2] == ["--detach"]:
        if os.fork():
            os._exit(0)
        sys.exit(serve(Path(sys.argv[2])))
    sys.exit(serve(Path(sys.argv[1])))
