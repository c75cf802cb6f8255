"""The build server behind `make html` (scripts/build_server.py): a build it runs writes to
the caller's own standard output and error, returns the build's exit code, and gives what a
build in a process of its own gives; a failing build leaves it serving."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import BUILD_DATE, ROOT, files_of, run_build
from test_incremental import edit

sys.path.insert(0, str(ROOT / "scripts"))
import build_server  # noqa: E402


@pytest.fixture
def server_env(tmp_path):
    env = {**os.environ, "BUILD_SERVER": "1", "JCREDIT_CACHE": str(tmp_path / "cache")}
    env.pop("CI", None)
    yield env
    subprocess.run([sys.executable, str(ROOT / "scripts/build_server.py"), "--stop", env["JCREDIT_CACHE"]],
                   env=env, check=True)


def build(env, content, output):
    return subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--content", str(content),
                           "--output", str(output), "--build-date", BUILD_DATE],
                          capture_output=True, text=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL)


def test_builds_on_the_server_equal_separate_builds(tmp_path, content_copy, server_env):
    output, separate = tmp_path / "served", tmp_path / "separate"
    cache = tmp_path / "cache"
    result = build(server_env, content_copy, output)
    assert result.returncode == 0 and "built" in result.stdout, result.stdout + result.stderr
    socket = build_server.socket_path(cache)
    assert socket.exists(), "the first build starts a server"
    assert oct(socket.parent.stat().st_mode & 0o777) == "0o700"

    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: １２")
    result = build(server_env, content_copy, output)
    assert result.returncode == 1
    assert "kochi-forest.yaml" in result.stderr and "quantity_t_co2" in result.stderr, result.stderr
    assert "kochi-forest.yaml" not in result.stdout  # the caller's streams stay apart

    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: １２", "quantity_t_co2: 12500")
    result = build(server_env, content_copy, output)
    assert result.returncode == 0 and "written" in result.stdout, result.stdout + result.stderr
    assert socket.exists(), "one server served every build"

    assert run_build(content=content_copy, output=separate).returncode == 0
    assert files_of(output) == files_of(separate)


def test_stop_and_disabled(tmp_path, content_copy, server_env):
    socket = build_server.socket_path(tmp_path / "cache")
    assert build(server_env, content_copy, tmp_path / "a").returncode == 0
    assert socket.exists() and socket.with_suffix(".lock").exists()
    subprocess.run([sys.executable, str(ROOT / "scripts/build_server.py"), "--stop", server_env["JCREDIT_CACHE"]],
                   env=server_env, check=True)
    deadline = time.monotonic() + 10
    while (socket.exists() or socket.with_suffix(".lock").exists()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not socket.exists() and not socket.with_suffix(".lock").exists()  # a stopped server leaves nothing
    for disabled in ({"BUILD_SERVER": "0"}, {"CI": "true"}):
        assert build({**server_env, **disabled}, content_copy, tmp_path / "b").returncode == 0
        assert not socket.exists()


def test_a_server_gives_way_when_the_code_changes_and_stops_when_idle(tmp_path, content_copy, server_env):
    log, socket = tmp_path / "cache/build-server.log", build_server.socket_path(tmp_path / "cache")
    assert build(server_env, content_copy, tmp_path / "a").returncode == 0
    code = ROOT / "scripts/build_server.py"
    status = code.stat()
    os.utime(code, ns=(status.st_atime_ns, status.st_mtime_ns + 1_000_000))  # as an edit would
    result = build(server_env, content_copy, tmp_path / "a")
    assert result.returncode == 0 and "written" in result.stdout, result.stdout + result.stderr
    lines = log.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and "serving" in lines[0] and "serving" in lines[2], lines
    assert lines[1].endswith("stopped: the code changed"), lines

    subprocess.run([sys.executable, str(code), "--stop", server_env["JCREDIT_CACHE"]], env=server_env, check=True)
    assert build({**server_env, "BUILD_SERVER_IDLE": "1"}, content_copy, tmp_path / "a").returncode == 0
    deadline = time.monotonic() + 15
    while socket.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not socket.exists()
    assert log.read_text(encoding="utf-8").splitlines()[-1].endswith("stopped: idle")


def test_ctrl_c_stops_the_build_and_every_process_it_started(tmp_path, content_copy, server_env):
    env = {**server_env, "JCREDIT_CACHE": str(tmp_path / "cold")}  # nothing cached: a build of some seconds
    assert subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--check"], env=env, cwd=ROOT,
                          capture_output=True).returncode == 0  # starts the server
    server = int((tmp_path / "cold/build-server.log").read_text(encoding="utf-8").split()[4])
    caller = subprocess.Popen([sys.executable, str(ROOT / "scripts/build.py"), "--content", str(content_copy),
                               "--output", str(tmp_path / "site"), "--build-date", BUILD_DATE],
                              cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                              preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))  # as in a terminal
    group, deadline = None, time.monotonic() + 30
    while group is None and time.monotonic() < deadline:  # until the build has started a process of its own
        table = processes()
        forks = [pid for pid, (parent, _) in table.items() if parent == server]
        group = next((fork for fork in forks if sum(g == fork for _, g in table.values()) >= 2), None)
        time.sleep(0.005)
    assert group is not None, "the build never ran a process of its own"
    caller.send_signal(signal.SIGINT)
    assert caller.wait(timeout=10) == 130
    deadline = time.monotonic() + 10
    while any(g == group for _, g in processes().values()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(g == group for _, g in processes().values()), "a process of the stopped build lives on"
    assert not (tmp_path / "site").exists()
    subprocess.run([sys.executable, str(ROOT / "scripts/build_server.py"), "--stop", env["JCREDIT_CACHE"]],
                   env=env, check=True)


def processes() -> dict[int, tuple[int, int]]:
    """pid -> (parent pid, process group) of every process (Linux /proc)."""
    found = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        found[int(stat.parent.name)] = (int(fields[1]), int(fields[2]))
    return found


def test_a_server_is_no_callers_child_so_a_caller_that_lives_on_keeps_no_zombie(tmp_path, server_env, monkeypatch):
    """make serve asks for builds for hours; the servers it started stop on their own (idle,
    code changed) and must not stay behind as its zombie children."""
    for name, value in server_env.items():
        monkeypatch.setenv(name, value)
    cache = tmp_path / "cache"
    connection = build_server._start(build_server.socket_path(cache), cache)
    assert connection is not None
    connection.close()
    pid = int(re.search(r"build server (\d+) serving", (cache / "build-server.log").read_text()).group(1))
    parent = int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])
    assert parent != os.getpid()


def test_a_server_that_closes_with_the_request_queued_is_asked_again_not_a_traceback(tmp_path, monkeypatch):
    """A request queued as a server stops (--stop, idle) is reset by the kernel when the server
    closes its socket: the caller asks a new server, and without one builds on its own."""
    import socket
    import struct
    import threading

    path = build_server.socket_path(tmp_path / "cache")
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    path.unlink(missing_ok=True)
    listener.bind(str(path))
    listener.listen(8)
    resets = []

    def reset_every_request():  # a server on its way out: each connection closed unanswered
        while True:
            try:
                connection, _ = listener.accept()
            except OSError:
                return
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.recv(8)
            resets.append(1)  # before the close: the caller, reset by it, may check at once
            connection.close()

    threading.Thread(target=reset_every_request, daemon=True).start()
    monkeypatch.setattr(build_server, "_wait_gone", lambda path: None)
    monkeypatch.setattr(build_server, "_start", lambda path, cache_dir: build_server._connect(path))
    try:
        assert build_server.request(["--check"], tmp_path / "cache", files=()) is None  # then: a build of its own
    finally:
        listener.close()
        path.unlink(missing_ok=True)
    assert len(resets) == 2  # asked twice, as for a server whose code changed
