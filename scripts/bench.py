"""Benchmark the build at the scale of the real scheme, against vanilla Pelican.

Generates a content tree that follows the content model (1,000 offers, 3,000 projects with
certifications, 300 meetings, 72 methodologies, 300 FAQs, 200 providers, 100 news items,
English overlays for a third of the offers and the main pages), then measures in one run:
cold `make html`, `make check`, rebuilds after editing one offer, one methodology and one
template, the same offer and methodology edits on the build server that `make html` uses outside CI, the
editors' watch loop (`make serve`: from saving an offer to the rebuilt page),
the reviewers' change report over two revisions (`make changes`) and on the pull request's
next push, and vanilla Pelican building the same number of Markdown pages. Prints wall time, pages a
second and peak memory for each, and the ratios.

Usage: scripts/bench.py [--work DIR] [--keep]
"""

from __future__ import annotations

import argparse
import datetime as dt
import filecmp
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))

from model import VOCABULARIES  # noqa: E402
from model.site import translatable_text  # noqa: E402
from model.translation import source_hash  # noqa: E402

PDF = (ROOT / "tests/fixtures/site/files/regulations/jisshi-yoko.pdf").read_bytes()  # a valid one-page PDF


def write(path: Path, text: str | bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")


def _kana(number: int) -> str:
    return "".join("あいうえおかきくけこ"[int(d)] for d in str(number))


def generate(root: Path, seed: int = 2026) -> None:
    """A large, valid content tree; deterministic for a given seed."""
    rng = random.Random(seed)
    prefectures = VOCABULARIES.codes("prefectures")
    sectors = VOCABULARIES.codes("sectors")
    categories = VOCABULARIES.lists["methodology-categories"]
    methodologies = []
    for category, entry in categories.items():
        for n in range(1, 13):  # 6 categories x 12 = 72 methodologies
            mid = f"{entry['prefix']}-{n:03d}"
            methodologies.append(mid)
            versions = "".join(
                f'  - {{version: "{v}.0", revised_on: {2013 + v * 3}-04-01, file: files/methodologies/{mid}_v{v}.pdf}}\n'
                for v in (1, 2, 3))
            for v in (1, 2, 3):
                write(root / f"files/methodologies/{mid}_v{v}.pdf", PDF)
            write(root / f"ja/methodologies/{mid}.yaml",
                  f"id: {mid}\ncategory: {category}\ntitle: {entry['ja']}の方法論その{n}\n"
                  f"summary: {entry['ja']}分野の排出削減活動を対象とする方法論です。\nstatus: active\nversions:\n{versions}")
    of_project = {}  # an offer's credits are its project's: its methodology, prefecture and sector
    for n in range(1, 3001):
        mid, prefecture, sector = of_project[n] = rng.choice(methodologies), rng.choice(prefectures), rng.choice(sectors)
        certs = "".join(
            f"  - {{date: {2016 + c}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}, quantity_t_co2: {rng.randint(10, 9000)}, "
            f"committee: {20 + c * 5}}}\n" for c in range(rng.randint(0, 4)))
        write(root / f"ja/projects/P{n:04d}.yaml",
              f"project_id: P{n:04d}\ntitle: プロジェクト{n}における排出削減活動\nimplementer: 実施者{n}株式会社\n"
              f"methodology: {mid}\nprefecture: {prefecture}\nsector: {sector}\n"
              f"registered_on: 2015-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\ncertifications:\n{certs or '  []'}\n"
              .replace("certifications:\n  []", "certifications: []"))
    for n in range(1, 1001):
        project = rng.randint(1, 3000)
        mid, prefecture, sector = of_project[project]
        write(root / f"ja/offers/offer-{n:04d}.yaml",
              f"brand: 銘柄{n}クレジット\nbrand_kana: めいがら{_kana(n)}\nmethodology: {mid}\n"
              f"project_id: P{project:04d}\nprefecture: {prefecture}\n"
              f"sector: {sector}\nquantity_t_co2: {rng.randint(10, 50000)}\n"
              f"conditions: 1口{rng.choice([10, 50, 100])}t-CO2から。価格は応相談。\nseller: 売り手{n}株式会社\n"
              f"contact_url: https://www.example{n}.co.jp/contact/\nlisted_on: 2026-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
              f"status: {'open' if n % 10 else 'closed'}\n")
    for n in range(1, 301):
        committee = "steering" if n % 2 else "certification"
        number = (n + 1) // 2
        extra = ("minutes: |\n  事務局から説明があり、了承された。\nmaterials:\n"
                 f"  - {{title: 資料1, file: files/meetings/{committee}-{number:03d}/shiryo1.pdf}}\n"
                 if committee == "steering" else
                 f"results: {{projects_registered: {rng.randint(1, 20)}, credits_certified_t_co2: {rng.randint(100, 90000)}}}\n")
        if committee == "steering":
            write(root / f"files/meetings/{committee}-{number:03d}/shiryo1.pdf", PDF)
        write(root / f"ja/meetings/{committee}-{number:03d}.yaml",
              f"committee: {committee}\nnumber: {number}\ndate: {2001 + number // 7}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}\n"
              f"agenda: [開会, 議事, 閉会]\n{extra}")
    faq_categories = VOCABULARIES.codes("faq-categories")
    for n in range(1, 301):
        write(root / f"ja/faqs/faq-{n:03d}.yaml",
              f"category: {faq_categories[n % len(faq_categories)]}\nquestion: 質問{n}はどうすればよいですか。\n"
              f"answer: |\n  回答{n}です。**手続**は[制度の概要](/about/)をご覧ください。\norder: {n}\n")
    services = VOCABULARIES.codes("provider-services")
    for n in range(1, 201):
        where = "nationwide: true" if n % 3 == 0 else f"prefectures: [{rng.choice(prefectures)}]"
        write(root / f"ja/providers/provider-{n:03d}.yaml",
              f"name: プロバイダー{n}株式会社\nservices: [{rng.choice(services)}]\n{where}\n"
              f"url: https://www.provider{n}.example.jp/\nverified_on: 2026-04-01\n")
    for n in range(1, 101):
        write(root / f"ja/news/news-{n:03d}.md",
              f"Title: お知らせ{n}\nDate: 2026-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}\n\n本文{n}です。\n")
    for name in ("about", "participate", "contact", "accessibility", "privacy", "terms"):
        write(root / f"ja/pages/{name}.md", f"Title: {name} のページ\n\n## 概要\n\n{name} の本文です。\n")
    write(root / "ja/regulations/jisshi-yoko.yaml",
          "title: J-クレジット制度実施要綱\nversion: \"6.0\"\nrevised_on: 2025-04-01\nfile: files/regulations/yoko.pdf\n")
    write(root / "files/regulations/yoko.pdf", PDF)
    write(root / "ja/regional/kochi.yaml",
          "name: 高知県J-クレジット制度\noperator: 高知県\napproved_on: 2014-04-01\nurl: https://www.pref.kochi.lg.jp/\n")
    pin_overlays(root)


def pin_overlays(root: Path) -> None:
    """English for a third of the offers and for the main pages, pinned to the Japanese."""
    from model import load_site

    site = load_site(root)
    for offer in site.all("offers")[::3]:
        n = offer.id.split("-")[1]
        overlay = {"brand": f"Brand {n} credits", "conditions": "From 10 t-CO2 a lot; price negotiable.",
                   "seller": f"Seller {n} Co., Ltd."}
        offer_text = translatable_text(offer)
        pinned = source_hash(offer_text)
        write(root / f"en/offers/{offer.id}.yaml",
              f'source_hash: "{pinned}"\n' + "".join(f"{k}: {v}\n" for k, v in overlay.items()))
    for page in site.all("pages"):
        write(root / f"en/pages/{page.id}.md",
              f"Title: {page.id} page\nSource_hash: {source_hash(translatable_text(page))}\n\n## Summary\n\nEnglish text.\n")


def measure(label: str, command: list[str], pages: int | None = None, env=None) -> dict:
    """Run `command`, return wall time, CPU time (user and system, every process of its tree:
    steadier than wall time on a shared machine) and peak memory of its process tree."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode:
        raise SystemExit(f"{label} failed:\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}")
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    row = {"label": label, "wall": wall, "cpu": cpu, "peak_mb": max(after.ru_maxrss, before.ru_maxrss) / 1024,
           "pages": pages}
    rate = f"{pages / wall:8.0f} pages/s" if pages else " " * 15
    print(f"{label:<38} {wall:7.2f} s {rate}  cpu {cpu:6.2f} s  peak {row['peak_mb']:6.0f} MB", flush=True)
    return row


def watch_loop(make: list[str], content: Path, output: Path, env: dict, saves: int = 3) -> dict:
    """`make serve` over the built output: the time from saving an offer until the server
    reports the rebuild done (its own build time included), for a few saves; the median."""
    port = 8765
    server = subprocess.Popen(make + ["serve", f"OUTPUT={output}", f"PORT={port}"], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        wait_for(server, "Serving")
        offer = content / "ja/offers/offer-0003.yaml"
        times = []
        for n in range(saves):
            time.sleep(2)  # an editor's pause, as for the build server's rows
            text = offer.read_text(encoding="utf-8")
            started = time.perf_counter()
            offer.write_text(text.replace("quantity_t_co2: ", f"quantity_t_co2: {n + 1}", 1), encoding="utf-8")
            line = wait_for(server, "] built in ", "] FAILED")
            if "FAILED" in line:
                raise SystemExit("the watch loop's build failed")
            times.append(time.perf_counter() - started)
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # make, the server and its warm build process
        server.wait(timeout=10)
    wall = sorted(times)[len(times) // 2]
    print(f"{'make serve: save one offer -> rebuilt':<38} {wall:7.2f} s (median of {saves} saves: "
          f"{', '.join(f'{t:.2f}' for t in times)})", flush=True)
    return {"label": "watch loop", "wall": wall, "cpu": 0, "peak_mb": 0, "pages": None}


def wait_for(process: subprocess.Popen, *markers: str) -> str:
    for line in process.stdout:
        if any(marker in line for marker in markers):
            return line
    raise SystemExit("make serve stopped")


def count_pages(output: Path) -> int:
    return sum(1 for _ in output.rglob("*.html"))


def same_tree(a: Path, b: Path) -> bool:
    left = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    right = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    return left == right and all(filecmp.cmp(a / p, b / p, shallow=False) for p in left)


VANILLA_BODY = """
## 概要

{n}件目の記事です。J-クレジット制度は、省エネルギー設備の導入や再生可能エネルギーの利用、森林管理などに
よる温室効果ガスの排出削減量や吸収量をクレジットとして国が認証する制度です。

- 方法論: FO-001 森林経営活動
- 都道府県: 高知県
- 数量: 1,200 t-CO2

| 項目 | 内容 |
|---|---|
| 売り手 | 四万十町森林組合 |
| 取引希望条件 | 1口100t-CO2から。価格は応相談。 |

詳しくは[制度の概要](/about/)をご覧ください。
"""


def change_report(work: Path, content: Path) -> tuple[dict, dict]:
    """The reviewers' report in CI (`make changes`): a repository of this project's code with
    the generated tree as its content, one offer edited in a second commit; changes.py builds
    both revisions, the second over the first's output. Then the pull request's next push,
    another offer edited, reported with the work folder the first report left (CI's cache)."""
    from changes import COMMIT, project_repository

    shutil.rmtree(work / "repo", ignore_errors=True)
    repo = project_repository(work / "repo", content)

    def report(label: str, offer: str, base: str) -> dict:
        path = repo / f"content/ja/offers/{offer}.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("quantity_t_co2: ", "quantity_t_co2: 1", 1), encoding="utf-8")
        subprocess.run([*COMMIT, "-am", f"{offer}'s quantity"], cwd=repo, check=True)
        return measure(label, [sys.executable, str(ROOT / "scripts/changes.py"), base, "HEAD", "--repo", str(repo),
                               "--build-date", "2026-11-23", "--work", str(work / "changes"),
                               "--output", str(work / "changes.md")])

    return (report("change report: two revisions built", "offer-0101", "HEAD~1"),
            report("change report: the next push", "offer-0102", "HEAD~2"))


def vanilla_pelican(work: Path, pages: int) -> dict:
    """Plain Pelican 4.12, default settings and theme, over as many Markdown articles as our
    build writes pages, each about the size of one of our record pages' text."""
    content = work / "vanilla" / "content"
    shutil.rmtree(work / "vanilla", ignore_errors=True)
    for n in range(pages):
        write(content / f"article-{n:05d}.md",
              f"Title: 記事{n}\nDate: 2026-01-{(n % 28) + 1:02d}\nCategory: c{n % 10}\nTags: t{n % 50}\n"
              + VANILLA_BODY.format(n=n))
    settings = work / "vanilla" / "pelicanconf.py"
    write(settings, "SITENAME = 'bench'\nSITEURL = ''\nTIMEZONE = 'Asia/Tokyo'\n")
    return measure("vanilla Pelican (same page count)",
                   [sys.executable, "-m", "pelican", str(content), "-s", str(settings), "-o",
                    str(work / "vanilla" / "output"), "-q"], pages)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/jcredit-bench"))
    parser.add_argument("--keep", action="store_true", help="keep the generated tree and outputs")
    args = parser.parse_args(argv)
    work = args.work.resolve()
    content, output, cold = work / "content", work / "output", work / "cold"
    # A last run's tree is deleted after this run's measures, not before: on ext4, files made
    # within minutes of many deletions cost several times more to create (the allocator skips
    # the inodes just freed), which would land on whichever build came first.
    previous = work.with_name(f"{work.name}.old-{os.getpid()}")
    if work.exists():
        work.rename(previous)
    started = time.perf_counter()
    generate(content)
    print(f"generated {sum(1 for p in content.rglob('*') if p.is_file())} files in "
          f"{time.perf_counter() - started:.1f} s under {content}")

    make = ["make", "-s", f"CONTENT={content}", "BUILD_DATE=2026-11-23"]
    # The build's caches live in the work folder: the first build starts from none, as on a
    # fresh checkout; the later cold builds (the references for the rebuilds) find them warm.
    # Each build in a process of its own, so that its CPU time and memory are measured; the
    # build server's rebuilds (make html outside CI) are measured after, by wall time.
    env = {**os.environ, "JCREDIT_CACHE": str(work / "cache"), "BUILD_SERVER": "0"}
    env.pop("CONTRACT_CACHE", None)
    served = {**env, "BUILD_SERVER": "1"}
    served.pop("CI", None)
    rows = [measure("make check", make + ["check"], env=env)]
    rows.append(measure("make html (cold, empty caches)", make + ["html", f"OUTPUT={output}"], env=env))
    pages = count_pages(output)
    rows[-1]["pages"] = pages
    print(f"  {pages} HTML pages, {sum(1 for p in output.rglob('*') if p.is_file())} files")
    vanilla = vanilla_pelican(work, pages)  # next to the cold build: the disk in the same state

    def edit_and_rebuild(label, path: Path, old: str, new: str, *more: Path, builds=env):
        """Edit `path` (and each of `more` the same way, each edit a rebuild of its own: the
        median is reported), rebuild, and compare the output with a cold build's."""
        rebuilds = []
        for edited in (path, *more):
            if builds is not env:
                time.sleep(2)  # an editor's pause, in which the build server reads ahead
            edited.write_text(edited.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
            rebuilds.append(measure(label, make + ["html", f"OUTPUT={output}"], pages, env=builds))
        row = sorted(rebuilds, key=lambda r: r["wall"])[len(rebuilds) // 2]
        if more:
            print(f"  median of {len(rebuilds)}: {row['wall']:.2f} s")
        shutil.rmtree(cold, ignore_errors=True)
        subprocess.run(make + ["html", f"OUTPUT={cold}"], cwd=ROOT, capture_output=True, check=True, env=env)
        row["identical"] = same_tree(output, cold)
        print(f"  output identical to a cold build: {row['identical']}")
        return row

    rows.append(measure("make check (parse cache warm)", make + ["check"], env=env))
    rows.append(measure("make html (nothing changed)", make + ["html", f"OUTPUT={output}"], pages, env=env))
    rows.append(edit_and_rebuild("rebuild after editing one offer", content / "ja/offers/offer-0002.yaml",
                                 "quantity_t_co2: ", "quantity_t_co2: 1",
                                 content / "ja/offers/offer-0500.yaml", content / "ja/offers/offer-0999.yaml"))
    rows.append(edit_and_rebuild("rebuild after editing one methodology", content / "ja/methodologies/FO-001.yaml",
                                 "title: ", "title: 改定 "))
    template = ROOT / "theme/templates/offer.html"
    original = template.read_text(encoding="utf-8")
    try:
        rows.append(edit_and_rebuild("rebuild after editing one template", template,
                                     "{% block content %}", "{% block content %}\n<!-- bench -->"))
    finally:
        template.write_text(original, encoding="utf-8")
    try:
        rows.append(measure("build server: start, nothing changed", make + ["html", f"OUTPUT={output}"], pages, env=served))
        time.sleep(2)  # as an editor would take to change something: the server reads ahead
        rows.append(measure("build server: nothing changed", make + ["html", f"OUTPUT={output}"], pages, env=served))
        served_offer = edit_and_rebuild("build server: one offer edited", content / "ja/offers/offer-0004.yaml",
                                        "quantity_t_co2: ", "quantity_t_co2: 1",
                                        content / "ja/offers/offer-0600.yaml", content / "ja/offers/offer-0998.yaml",
                                        builds=served)
        rows.append(served_offer)
        served_methodology = edit_and_rebuild("build server: one methodology edited",
                                              content / "ja/methodologies/FO-002.yaml", "title: ", "title: 改定 ",
                                              builds=served)
        rows.append(served_methodology)
        rows.append(watch_loop(make, content, output, served))
    finally:
        subprocess.run([sys.executable, str(ROOT / "scripts/build_server.py"), "--stop", served["JCREDIT_CACHE"]],
                       env=served, check=True)
    report, next_push = change_report(work, content)
    cold_row = rows[1]
    print(f"\ncold build / vanilla Pelican: {cold_row['wall'] / vanilla['wall']:.2f} "
          f"(target <= 0.33; in CPU time {cold_row['cpu'] / vanilla['cpu']:.2f}); "
          f"{cold_row['pages'] / cold_row['wall']:.0f} vs {vanilla['pages'] / vanilla['wall']:.0f} pages/s")
    print(f"one-offer rebuild: {served_offer['wall']:.2f} s on the build server, {rows[4]['wall']:.2f} s in a "
          f"process of its own (target < 2 s); one methodology: {served_methodology['wall']:.2f} s on the build "
          f"server, {rows[5]['wall']:.2f} s in a process of its own; check: {rows[0]['wall']:.2f} s cold, "
          f"{rows[2]['wall']:.2f} s warm (target < 3 s); peak memory: {max(r['peak_mb'] for r in rows):.0f} MB (target < 1024 MB)")
    print(f"change report: {report['wall']:.2f} s for both revisions, {report['wall'] / cold_row['wall']:.2f} cold builds; "
          f"the next push {next_push['wall']:.2f} s")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
