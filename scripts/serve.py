"""Preview server for editors: builds, serves on 127.0.0.1, rebuilds on save, reloads the page.

Every save under the content root, the theme or the plugins starts an incremental build; when
it succeeds, open pages reload themselves; when it fails, they show the problems the build
reported (the same `path:line: field: message` lines as `make check`). The reload script is
added to pages by this server only; the built site never contains it.

Usage: serve.py [--content DIR] [--output DIR] [--port N] [--build-date YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import queue
import re
import subprocess
import sys
import tempfile
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import build_server  # noqa: E402
from build import cache_dir  # noqa: E402  (and the plugins on the path)
from model.problems import PROBLEM_LINE  # noqa: E402
RELOAD_SCRIPT = (Path(__file__).parent / "devserver" / "reload.js").read_bytes()


class Broadcaster:
    """Server-sent events to every open page."""

    def __init__(self):
        self.listeners: list[queue.Queue] = []
        self.lock = threading.Lock()
        self.last = event("built", "", "", True)

    def subscribe(self) -> queue.Queue:
        listener = queue.Queue()
        with self.lock:
            self.listeners.append(listener)
        return listener

    def unsubscribe(self, listener) -> None:
        with self.lock:
            self.listeners.remove(listener)

    def send(self, event: dict) -> None:
        self.last = event
        with self.lock:
            for listener in self.listeners:
                listener.put(event)


class PreviewHandler(SimpleHTTPRequestHandler):
    events: Broadcaster

    def log_message(self, *args):
        pass

    def do_GET(self):
        if self.path == "/__preview/reload.js":
            return self._send(200, "text/javascript; charset=utf-8", RELOAD_SCRIPT)
        if self.path == "/__preview/events":
            return self._stream()
        path = self.translate_path(self.path)
        if Path(path).is_dir():
            path = str(Path(path) / "index.html")
        if not Path(path).is_file():
            lang = "en/" if self.path.startswith("/en/") else ""
            return self._html(404, Path(self.directory) / lang / "404.html")
        if path.endswith(".html"):
            return self._html(200, Path(path))
        return super().do_GET()

    def _html(self, status, path: Path):
        # No page yet (the first build failed into an empty folder): a page to show the problems on
        html = path.read_bytes() if path.is_file() else (
            '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>プレビュー / Preview</title></head>'
            "<body><h1>ページがまだありません / No page yet</h1></body></html>").encode()
        html = html.replace(b"</body>", b'<script src="/__preview/reload.js"></script></body>', 1)
        self._send(status, "text/html; charset=utf-8", html)

    def _send(self, status, kind, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _stream(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        listener = self.events.subscribe()
        try:
            self.wfile.write(f"data: {json.dumps(self.events.last)}\n\n".encode())
            self.wfile.flush()
            while True:
                try:
                    event = listener.get(timeout=15)
                    self.wfile.write(f"data: {json.dumps(event)}\n\n".encode())
                except queue.Empty:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.events.unsubscribe(listener)


def run_build(arguments: list[str], cwd: Path) -> tuple[int, str]:
    """(exit code, output) of one build in the folder `cwd`: on the build server of `make html`
    (which starts a new one when the plugins' code has changed), or, in CI, in a process of its own."""
    with tempfile.TemporaryFile() as report:
        code = None
        if build_server.enabled():
            with open(os.devnull) as nothing:
                code = build_server.request(arguments, cache_dir(), (nothing.fileno(), report.fileno(), report.fileno()),
                                            cwd=cwd)
        if code is None:
            code = subprocess.run([sys.executable, str(ROOT / "scripts" / "build.py"), *arguments],
                                  stdin=subprocess.DEVNULL, stdout=report, stderr=report, cwd=cwd,
                                  env={**os.environ, "BUILD_SERVER": "0"}).returncode
        report.seek(0)
        return code, report.read().decode("utf-8", errors="replace")


WRITTEN = re.compile(r"^built .* \((\d+) files written, (\d+) removed\)$", re.M)


def event(kind: str, report: str, warnings: str, changed: bool) -> dict:
    """What the open pages are told of a build: `finished` (ms since the epoch) lets a page
    that connects after the build tell whether it was loaded before it (and is stale)."""
    return {"type": kind, "report": report, "warnings": warnings, "changed": changed, "finished": time.time() * 1000}


def below(path: Path, folder: Path) -> str:
    return str(path.relative_to(folder) if path.is_relative_to(folder) else path)


def build(args) -> dict:
    # Built from the content folder's parent, whose files the build names relative to the
    # folder it runs in (model.site.display): the panel says content/ja/offers/x.yaml:12, as
    # the editors' repository does, wherever the preview was started.
    # (abspath, not resolve: a content folder that is a symbolic link keeps the name it was given)
    content = Path(os.path.abspath(args.content))
    here = content.parent
    arguments = ["--content", below(content, here), "--output", below(Path(os.path.abspath(args.output)), here)]
    if args.build_date:
        arguments += ["--build-date", args.build_date]
    started = time.perf_counter()
    code, report = run_build(arguments, here)
    lines = report.strip().splitlines()
    print("\n".join(lines[-40:]), f"\n[{time.strftime('%H:%M:%S')}] "
          f"{'built' if code == 0 else 'FAILED'} in {time.perf_counter() - started:.2f} s",
          flush=True)
    written = WRITTEN.search(report)
    warnings = "\n".join(l.removeprefix("WARNING: ") for l in lines if l.startswith("WARNING: "))
    if code == 0:  # reload only what a build changed: a save of the same bytes keeps the page as it is
        return event("built", "", warnings, written is None or written.group(1, 2) != ("0", "0"))
    # the problems, and of a failure that is not the content's (a template, the code) its last words
    problems = [l for l in lines if PROBLEM_LINE.match(l)]
    return event("failed", "\n".join(problems or lines[-12:]), warnings, False)


def watch(args, events: Broadcaster) -> None:
    from watchfiles import watch as watch_paths

    paths = [Path(args.content).resolve(), ROOT / "theme", ROOT / "plugins", ROOT / "scripts"]
    for changes in watch_paths(*paths, debounce=200, step=50):
        changed = sorted({Path(p).name for _, p in changes})
        print(f"changed: {', '.join(changed[:5])}{' …' if len(changed) > 5 else ''}", flush=True)
        events.send(build(args))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default="content")
    parser.add_argument("--output", default="output")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--build-date", default=None)
    args = parser.parse_args(argv)
    for name in ("JCREDIT_CACHE", "CONTRACT_CACHE"):  # builds run in the content's parent folder
        if os.environ.get(name):
            os.environ[name] = str(Path(os.environ[name]).resolve())
    events = Broadcaster()
    handler = type("Handler", (PreviewHandler,), {"events": events})
    try:  # the port first: a taken one is said before a whole build is made for nothing
        server = ThreadingHTTPServer(("127.0.0.1", args.port), functools.partial(handler, directory=args.output))
    except OSError as error:
        print(f"ポート {args.port} を使えません（{error.strerror}）。PORT=8001 のように別の番号にしてください / "
              f"port {args.port} cannot be used ({error.strerror}): give another, e.g. make serve PORT=8001",
              file=sys.stderr)
        return 1
    # A first build that fails is served all the same: the pages show its problems, and reload
    # once a save mends them.
    events.last = build(args)
    threading.Thread(target=watch, args=(args, events), daemon=True).start()
    print(f"Serving {args.output} on http://127.0.0.1:{args.port}/ (rebuilds on save; Ctrl-C stops)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
