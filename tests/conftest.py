"""Shared fixtures: the fixture content tree, a real build of it, and helpers to read output."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURE = ROOT / "tests" / "fixtures" / "site"
BUILD_DATE = "2026-11-23"
sys.path.insert(0, str(ROOT / "plugins"))
# Builds in tests run in a process of their own; test_build_server.py tests the build server.
os.environ["BUILD_SERVER"] = "0"


@pytest.fixture(scope="session", autouse=True)
def build_cache(tmp_path_factory):
    """Builds in tests use their own cache folder, never the working copy's .cache/."""
    path = tmp_path_factory.mktemp("cache")
    os.environ["JCREDIT_CACHE"] = str(path)
    return path


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


def files_of(root: Path) -> dict[str, bytes]:
    """Every file below `root`, by its path relative to it: what two builds compare."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The system Chromium from Debian; its background services would try the network."""
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run"]}


def built_headers(output: Path) -> dict[str, str]:
    """The headers the build wrote for every response (`_headers`), its Content-Security-Policy
    among them."""
    lines = (output / "_headers").read_text().splitlines()
    assert lines[0] == "/*"
    return dict(line.strip().split(": ", 1) for line in lines[1:] if line.strip())


def serve_directory(directory: Path, headers: dict):
    """`directory` over HTTP on 127.0.0.1 (a free port), sending `headers` with every response."""
    import functools
    import threading
    from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

    class Quiet(SimpleHTTPRequestHandler):
        def end_headers(self):
            for name, value in headers.items():
                self.send_header(name, value)
            super().end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def served_site(built_site):
    """The built site over HTTP on 127.0.0.1, as a reader's browser gets it."""
    server = serve_directory(built_site, {})
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def csp_site(built_site):
    """The built site served with the headers the build wrote: search, filters and every
    script run under the site's own strict Content-Security-Policy."""
    server = serve_directory(built_site, built_headers(built_site))
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def served_internal_site(internal_site):
    """The internal preview over HTTP on 127.0.0.1."""
    server = serve_directory(internal_site, {})
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@contextlib.contextmanager
def serving(directory: Path):
    """`directory` over HTTP on 127.0.0.1 (a free port); yields the base URL."""
    server = serve_directory(directory, {})
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
