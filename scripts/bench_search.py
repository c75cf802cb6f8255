"""Benchmark and audit the site search on a built site: the time to write the search
index (every shard), its size, the time a query takes in Chromium, and, for every katakana word
of the Japanese pages, whether its results are exactly the pages holding it.

Usage: bench_search.py [--content DIR] [--build-date YYYY-MM-DD] [--query Q ...]
Builds into a temporary folder; prints figures, changes nothing."""

from __future__ import annotations

import argparse
import functools
import re
import statistics
import sys
import tempfile
import threading
import time
import unicodedata
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))

QUERIES = ["クレジット", "森林", "モニタリング", "プロバイダー", "サイバー", "ヒートポンプ", "methodology", "meeting"]
KATAKANA = re.compile(r"[ァ-ヺー]{3,}")


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def serve(folder: Path) -> ThreadingHTTPServer:
    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def japanese_pages(output: Path) -> dict[str, str]:
    from search.bigrams import searchable_page
    pages = {}
    for path in output.rglob("index.html"):
        page = searchable_page(path.read_text(encoding="utf-8"))
        if page and page[0] == "ja":
            url = "/" + path.parent.relative_to(output).as_posix() + "/"
            pages[url.replace("/./", "/")] = unicodedata.normalize("NFKC", page[2]).lower()
    return pages


def run_query(page, base: str, query: str) -> tuple[float, list[str]]:
    prefix = "" if any(ord(c) > 0x2E80 for c in query) else "en/"
    started = time.perf_counter()
    page.goto(f"{base}/{prefix}search/?q={quote(query)}")
    page.wait_for_selector("#search-results[aria-busy=false]", state="attached", timeout=60000)
    elapsed = time.perf_counter() - started
    while page.is_visible("#search-more"):
        shown = page.locator("#search-results li").count()
        page.click("#search-more")
        page.locator(f"#search-results li >> nth={shown}").wait_for()
    return elapsed, page.eval_on_selector_all("#search-results h2 a", "a => a.map(x => x.getAttribute('href'))")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--build-date", default="2026-11-23")
    parser.add_argument("--query", action="append", help="queries to time (default: a fixed set)")
    args = parser.parse_args(argv)

    import build
    from search import index_folder
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as temp:
        output = Path(temp) / "site"
        started = time.perf_counter()
        if build.main(["--content", args.content, "--output", str(output), "--build-date", args.build_date]):
            return 1
        print(f"whole build, search included: {time.perf_counter() - started:.2f} s")
        started = time.perf_counter()
        index_folder(output)
        print(f"search index alone (every shard, from no cache): {time.perf_counter() - started:.2f} s")
        for lang in ("ja", "en"):
            print(f"  pagefind/{lang}/: {size_of(output / 'pagefind' / lang) / 1e6:.2f} MB")

        pages = japanese_pages(output)
        words = sorted({w for text in pages.values() for w in KATAKANA.findall(text)})
        server = serve(output)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                                 args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            run_query(page, base, "森林")  # warm the browser cache once
            for query in args.query or QUERIES:
                times = [run_query(page, base, query)[0] for _ in range(3)]
                count = len(run_query(page, base, query)[1])
                print(f"query {query!r}: {count} results, median {statistics.median(times) * 1000:.0f} ms")
            wrong = {}
            for word in words:
                found = set(run_query(page, base, word)[1])
                holding = {url for url, text in pages.items() if word in text}
                if found != holding:
                    wrong[word] = (sorted(holding - found)[:3], sorted(found - holding)[:3])
            browser.close()
        server.shutdown()
        print(f"katakana words on Japanese pages: {len(words)}; with results not exactly the pages "
              f"holding them: {len(wrong)}")
        for word, (missed, extra) in wrong.items():
            print(f"  {word}: missed {missed} extra {extra}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
