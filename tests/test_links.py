"""LinkChecker walks the built site over HTTP on 127.0.0.1, as a reader would: every internal
link and resource answers. (Over file:// it passes broken root-relative links.) The server sends
the header that lifts LinkChecker's throttle of a few requests per second per host."""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

LINKCHECKER = Path(sys.executable).parent / "linkchecker"
CONFIG = """[checking]
threads=8
maxrequestspersecond=1000
timeout=20
[filtering]
checkextern=0
[output]
log=text
status=0
"""


class Handler(SimpleHTTPRequestHandler):
    def end_headers(self):
        self.send_header("LinkChecker", "unthrottled")  # LinkChecker's own opt-in to full speed
        super().end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def serve():
    servers = []

    def start(root: Path) -> str:
        server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_address[1]}/"

    yield start
    for server in servers:
        server.shutdown()


def linkcheck(url: str, tmp_path: Path) -> subprocess.CompletedProcess:
    config = tmp_path / "linkcheckerrc"
    config.write_text(CONFIG)
    return subprocess.run([str(LINKCHECKER), "--config", str(config), "--no-warnings", url, url + "en/"],
                          capture_output=True, text=True, env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})


def checked(result) -> int:
    match = re.search(r"(\d+) links? in (\d+) URLs? checked", result.stdout)
    assert match, result.stdout + result.stderr
    return int(match.group(2))


def test_every_link_of_the_built_site_answers_over_http(built_site, serve, tmp_path):
    result = linkcheck(serve(built_site), tmp_path)
    assert result.returncode == 0, result.stdout[-4000:]
    pages = len(list(built_site.rglob("*.html")))
    assert checked(result) >= pages  # it really walked the whole site


def test_a_broken_link_is_reported(built_site, serve, tmp_path):
    copy = tmp_path / "site"
    shutil.copytree(built_site, copy)
    about = copy / "about/index.html"
    about.write_text(about.read_text(encoding="utf-8").replace("</main>", '<a href="/no-such-page/">x</a></main>'),
                     encoding="utf-8")
    result = linkcheck(serve(copy), tmp_path)
    assert result.returncode == 1
    assert "/no-such-page/" in result.stdout and "404" in result.stdout
