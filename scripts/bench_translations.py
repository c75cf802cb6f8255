"""Benchmark of the translation workflow on a copy of a content tree in its own git repository:
the yearly batch (export, vendor, import) over every missing file, then status, diff and export
with many stale files, and the build's own share (dating notices, the sitemap).

Usage: bench_translations.py [--content DIR] [--stale N]   (prints seconds; changes nothing in DIR)
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from lxml import etree  # noqa: E402

from model import load_site  # noqa: E402
from sitemap.sitemap import public_pages, sitemap_xml  # noqa: E402
from translation.history import ContentHistory  # noqa: E402
from translation.status import japanese_changed_on  # noqa: E402


def run(*args, cwd=None, env=None) -> float:
    started = time.perf_counter()
    subprocess.run(args, cwd=cwd, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def tool(content: Path, *args) -> float:
    return run(sys.executable, str(ROOT / "scripts/translations.py"), "--content", str(content), *args)


def commit(content: Path, day: str) -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": f"{day}T10:00:00", "GIT_COMMITTER_DATE": f"{day}T10:00:00",
           "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@example.org",
           "GIT_COMMITTER_NAME": "b", "GIT_COMMITTER_EMAIL": "b@example.org"}
    run("git", "add", "-A", cwd=content, env=env)
    run("git", "commit", "-q", "-m", day, cwd=content, env=env)


def vendor(xliff: Path, done: Path) -> None:
    root = etree.parse(str(xliff)).getroot()
    ns = etree.QName(root).namespace
    for unit in root.iter(f"{{{ns}}}trans-unit"):
        target = unit.find(f"{{{ns}}}target")
        if target is None:
            target = etree.Element(f"{{{ns}}}target")
            unit.find(f"{{{ns}}}source").addnext(target)
        target.text = "EN " + unit.find(f"{{{ns}}}source").text
    done.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--stale", type=int, default=100, help="projects whose Japanese title is edited")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-translations-"))
    content = work / "content"
    shutil.copytree(args.content, content)
    run("git", "init", "-q", cwd=content)
    commit(content, "2026-04-01")
    files = sum(1 for _ in (content / "ja").rglob("*.*"))
    print(f"content: {files} Japanese files, {args.stale} made stale")

    print(f"status (nothing stale but the sample's own): {tool(content, 'status'):.2f} s")
    print(f"export XLIFF 1.2 of every missing file:  {tool(content, 'export', str(work / 'batch.xlf')):.2f} s")
    print(f"export XLSX of every missing file:       {tool(content, 'export', str(work / 'batch.xlsx')):.2f} s")
    vendor(work / "batch.xlf", work / "done.xlf")
    print(f"import XLIFF (write, pin, validate):     {tool(content, 'import', str(work / 'done.xlf')):.2f} s")
    commit(content, "2026-05-01")

    projects = sorted((content / "ja/projects").glob("*.yaml"))[: args.stale]
    for number, path in enumerate(projects):
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("title: ", "title: （改）", 1), encoding="utf-8")
    commit(content, "2026-09-01")
    for path in sorted((content / "ja/projects").glob("*.yaml"))[args.stale:]:  # shared values only
        path.write_text(path.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    commit(content, "2026-10-01")

    print(f"status with {args.stale} stale (git explains each): {tool(content, 'status'):.2f} s")
    print(f"status --json:                          {tool(content, 'status', '--json'):.2f} s")
    print(f"diff of one stale file:                 {tool(content, 'diff', projects[0].relative_to(content / 'ja').as_posix()):.2f} s")
    print(f"export XLIFF of the stale files:        {tool(content, 'export', str(work / 'stale.xlf')):.2f} s")

    site = load_site(content)
    history = ContentHistory(content)
    stale = [r for items in site.records.values() for r in items if r.translation == "stale"]
    started = time.perf_counter()
    for record in stale:
        japanese_changed_on(record, history)
    print(f"build: dating {len(stale)} stale notices:       {time.perf_counter() - started:.2f} s")
    output = work / "output"
    build = run(sys.executable, str(ROOT / "scripts/build.py"), "--content", str(content), "--output", str(output))
    started = time.perf_counter()
    pages = list(public_pages(output))
    sitemap_xml(pages, "https://japancredit.go.jp")
    print(f"build: whole build {build:.2f} s, of which the sitemap of {len(pages)} pages "
          f"{time.perf_counter() - started:.2f} s")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
