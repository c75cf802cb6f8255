"""Shared fixtures: the fixture content tree, a real build of it, and helpers to read output."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
BUILD_DATE = "2026-11-23"
sys.path.insert(0, str(ROOT / "plugins"))


def run_build(*args: str, content: Path = FIXTURE, output: Path, build_date: str = BUILD_DATE):
    """Run the real build command, as `make html` does; returns the CompletedProcess."""
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build.py"), "--content", str(content),
         "--output", str(output), "--build-date", build_date, *args],
        capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("public") / "output"
    result = run_build(output=output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture(scope="session")
def internal_site(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("internal") / "output"
    result = run_build("--internal", output=output)
    assert result.returncode == 0, result.stdout + result.stderr
    return output


@pytest.fixture
def content_copy(tmp_path) -> Path:
    """A writable copy of the fixture tree, for tests that break it on purpose."""
    target = tmp_path / "content"
    shutil.copytree(FIXTURE, target)
    return target


def read(output: Path, path: str) -> str:
    return (output / path).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium from Debian; its background services would try the network."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run"]}


@contextlib.contextmanager
def serving(directory: Path):
    """`directory` over HTTP on 127.0.0.1 (a free port), as a reader's browser gets it; yields the base URL."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over HTTP on 127.0.0.1."""
    with serving(built_site) as url:
        yield url
