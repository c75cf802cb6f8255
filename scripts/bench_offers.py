"""Benchmark the offers with 1,000 generated offers: build time with a cold and a warm contract
cache and after one edit, page weight gzipped, script size, and the time Chromium takes to
re-sort and to filter the table.

Usage: bench_offers.py [--count 1000] [--content content] [--work /tmp/bench-offers] [--runs 7]
Prints a table of figures; the aims are under 100 ms to re-sort and under 200 KB gzipped.
`--skip-build` re-measures an existing --work folder (the browser part only), with the theme's
current CSS and scripts copied in: a template change needs a build.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from model import VOCABULARIES, load_site  # noqa: E402

BUILD_DATE = "2026-11-23"
PLACES = [("朝日", "あさひ"), ("白川", "しらかわ"), ("青葉", "あおば"), ("大空", "おおぞら"), ("若葉", "わかば"),
          ("緑川", "みどりかわ"), ("星野", "ほしの"), ("宮原", "みやはら"), ("月山", "がっさん"), ("清水", "しみず"),
          ("高原", "こうげん"), ("桜台", "さくらだい"), ("東山", "ひがしやま"), ("西浦", "にしうら"), ("南風", "みなみかぜ"),
          ("北斗", "ほくと"), ("山並", "やまなみ"), ("川辺", "かわべ"), ("森里", "もりさと"), ("海原", "うなばら")]
KINDS = {"FO": ("の森", "のもり"), "EN-S": ("省エネ", "しょうえね"), "EN-R": ("再エネ", "さいえね"),
         "AG": ("の田んぼ", "のたんぼ"), "IP": ("ものづくり", "ものづくり"), "WA": ("資源循環", "しげんじゅんかん")}
TERMS = ["100 t-CO2単位で販売します。", "価格は数量及び活用目的に応じて個別に協議します。",
         "カーボン・オフセットや温対法の報告にご活用いただけます。", "地域の環境保全活動に協力いただける事業者を優先します。",
         "1 t-CO2単位での販売が可能です。購入目的をお知らせください。", "入札により販売します。詳細は公告をご確認ください。"]
MINISTRIES = ["経済産業省", "環境省", "農林水産省（林野庁）"]


def write_offers(content: Path, count: int, seed: int = 1) -> None:
    """Replace the offers of `content` with `count` open, listed, valid offers."""
    site = load_site(content)
    methodologies = [m.id for m in site.all("methodologies")]
    projects = site.all("projects")
    prefectures = VOCABULARIES.codes("prefectures")
    sectors = VOCABULARIES.codes("sectors")
    folder = content / "ja/offers"
    for old in folder.glob("*.yaml"):
        old.unlink()
    shutil.rmtree(content / "en/offers", ignore_errors=True)
    for news in (content / "ja/news").glob("*.md"):  # news may link to an offer that is now gone
        if "/offers/" in news.read_text(encoding="utf-8"):
            news.unlink()
            (content / "en/news" / news.name).unlink(missing_ok=True)
    rng = random.Random(seed)
    for number in range(1, count + 1):
        project = rng.choice(projects) if rng.random() < 0.6 else None
        methodology = project.methodology if project else rng.choice(methodologies)
        place, reading = rng.choice(PLACES)
        kind, kind_reading = KINDS[methodology.rsplit("-", 1)[0]]
        government = rng.random() < 0.05
        seller = rng.choice(MINISTRIES) if government else rng.choice([f"{place}町", f"株式会社{place}エネルギー",
                                                                      f"{place}森林組合", f"一般社団法人{place}環境協会"])
        listed = f"20{rng.randint(24, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines = [f"brand: 「{place}{kind}」クレジット 第{number}号", f"brand_kana: {reading}{kind_reading}",
                 f"methodology: {methodology}"]
        if project:
            lines.append(f"project_id: {project.id}")
        lines += [f"prefecture: {rng.choice(prefectures)}", f"sector: {rng.choice(sectors)}",
                  f"quantity_t_co2: {rng.choice([rng.randint(1, 99), rng.randint(100, 9999), rng.randint(10000, 90000)])}",
                  f"conditions: {''.join(rng.sample(TERMS, 2))}", f"seller: {seller}",
                  f"contact_url: https://www.example.jp/offer-{number:04d}/contact/", f"listed_on: {listed}",
                  "expires_on: 2027-12-31", "status: open"]
        (folder / f"offer-{number:04d}.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def build(content: Path, output: Path, cache: Path) -> tuple[float, int]:
    """Seconds for one build, and how many contracts it rendered (new cache entries)."""
    before = set(cache.glob("*.docx")) if cache.exists() else set()
    started = time.perf_counter()
    result = subprocess.run([sys.executable, str(ROOT / "scripts/build.py"), "--content", str(content),
                             "--output", str(output), "--build-date", BUILD_DATE],
                            capture_output=True, text=True, env={**os.environ, "CONTRACT_CACHE": str(cache)})
    seconds = time.perf_counter() - started
    if result.returncode:
        sys.exit(result.stderr)
    return seconds, len(set(cache.glob("*.docx")) - before)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def browser_timings(output: Path, runs: int) -> tuple[int, dict[str, list[dict]]]:
    """Each action run `runs` times in Chromium, traced until the frame that shows its result is
    drawn: the time from the action to that frame (what a reader waits for: rendering a browser
    defers to the frame counts too), the longest task on the page's main thread, and the main
    thread's CPU time meanwhile, split into script (with the DOM changes it makes), style and
    layout. CPU time is what the page costs; wall times also hold the waits for a busy machine's
    cores."""
    from playwright.sync_api import sync_playwright

    class Quiet(SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    action = """async ([selector, kind, value]) => {
        const element = document.querySelector(selector);
        const start = performance.now();
        if (kind === 'click') element.click();
        else { element.value = value; element.dispatchEvent(new Event('input', {bubbles: true})); }
        document.body.offsetHeight;  // the layout the change causes, as the next frame would
        // A task queued from the next frame's animation callbacks runs once that frame is drawn.
        await new Promise((drawn) => requestAnimationFrame(() => setTimeout(drawn)));
        return performance.now() - start;
    }"""
    actions = [(f"sort {key}", f"th[data-sort-key={key}] button", "click", None, None)
               for key in ("quantity", "brand", "listed", "seller")]
    actions += [(f"filter {name}", f"[name={name}]", "input", value, "")
                for name, value in (("category", "forestry"), ("area", "kanto"), ("sector", "public"), ("min", "5000"))]
    timings: dict[str, list[dict]] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                             args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        page = browser.new_page()
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/offers/")
        rows = page.locator("#offers-table tbody tr").count()
        for name, selector, kind, value, undo in actions:
            for run in range(runs):
                browser.start_tracing(page=page, categories=["devtools.timeline", "toplevel"])
                drawn = page.evaluate(action, [selector, kind, value if run % 2 == 0 else undo])
                work = _main_thread_work(json.loads(browser.stop_tracing()))
                timings.setdefault(name, []).append({"drawn": drawn, **work})
        browser.close()
    server.shutdown()
    return rows, timings


def _main_thread_work(trace: dict) -> dict:
    """The renderer's main thread over the trace, in ms: its longest task's wall time, and the CPU
    time of all its tasks, in all and by kind."""
    events = trace["traceEvents"]
    main = {(e["pid"], e["tid"]) for e in events
            if e.get("name") == "thread_name" and e.get("args", {}).get("name") == "CrRendererMain"}
    spans = [e for e in events if (e.get("pid"), e.get("tid")) in main and e.get("ph") == "X"]
    tasks = [e for e in spans if e["name"] == "ThreadControllerImpl::RunTask"]
    cpu = lambda name: sum(e.get("tdur", 0) for e in spans if e["name"] == name) / 1000  # noqa: E731
    return {"task": max(e["dur"] for e in tasks) / 1000, "cpu": cpu("ThreadControllerImpl::RunTask"),
            "script": cpu("EventDispatch") or cpu("FunctionCall"), "style": cpu("UpdateLayoutTree"),
            "layout": cpu("Layout")}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-offers"))
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--skip-build", action="store_true", help="measure the pages already in --work")
    args = parser.parse_args(argv)

    content, output, cache = args.work / "content", args.work / "output", args.work / "cache"
    if args.skip_build:
        shutil.copytree(ROOT / "theme/static", output / "theme", dirs_exist_ok=True)
    else:
        shutil.rmtree(args.work, ignore_errors=True)
        shutil.copytree(args.content, content)
        write_offers(content, args.count)
        cold, cold_rendered = build(content, output, cache)
        warm, warm_rendered = build(content, output, cache)
        edited = content / "ja/offers/offer-0001.yaml"
        edited.write_text(edited.read_text(encoding="utf-8").replace("status: open", "notes: 数量を見直しました。\nstatus: open"),
                          encoding="utf-8")
        edit, edit_rendered = build(content, output, cache)
        print(f"offers: {args.count} generated; contracts: {len(list(output.glob('offers/*/contract.docx')))} ja "
              f"+ {len(list(output.glob('en/offers/*/contract.docx')))} en")
        print(f"build, cold contract cache:  {cold:6.1f} s  ({cold_rendered} contracts rendered)")
        print(f"build, warm contract cache:  {warm:6.1f} s  ({warm_rendered} rendered)")
        print(f"build after one offer edit:  {edit:6.1f} s  ({edit_rendered} rendered)")

    html = (output / "offers/index.html").read_bytes()
    css = (output / "theme/css/site.css").read_bytes()
    scripts = [p.read_bytes() for p in sorted((output / "theme/js").glob("*.js"))]
    print(f"/offers/ HTML: {len(html) / 1024:.0f} KB, gzipped {gzipped(html) / 1024:.1f} KB")
    print(f"scripts: {sum(map(len, scripts)) / 1024:.1f} KB, gzipped {sum(map(gzipped, scripts)) / 1024:.1f} KB; "
          f"CSS gzipped {gzipped(css) / 1024:.1f} KB")
    print(f"page weight gzipped (HTML + CSS + scripts): "
          f"{(gzipped(html) + gzipped(css) + sum(map(gzipped, scripts))) / 1024:.1f} KB")
    for name in ("offers.csv", "offers.xlsx", "offers.json"):
        print(f"{name}: {(output / 'offers' / name).stat().st_size / 1024:.0f} KB")
    rows, timings = browser_timings(output, args.runs)
    print(f"Chromium, {rows} rows, {args.runs} runs each, median (max) ms: until the frame is drawn, "
          f"longest task, cpu = script + style + layout")
    for name, runs in timings.items():
        median = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
        print(f"  {name:16} drawn {median['drawn']:6.1f} ({max(r['drawn'] for r in runs):6.1f})   "
              f"task {median['task']:6.1f} ({max(r['task'] for r in runs):6.1f})   "
              f"cpu {median['cpu']:6.1f} ({max(r['cpu'] for r in runs):6.1f}) = {median['script']:5.1f} + "
              f"{median['style']:5.1f} + {median['layout']:5.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
