"""Time the output checks on a built site: bench_checks.py OUTPUT [--repeat N].

Prints the files checked and the best time of each part (the reference scan of pages, CSS and
SVG, with the pages' text; the published-file checks by format), so that their share of a build can be followed."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "plugins"))

from checks.published_files import CHECKS, FileCheck, Policy  # noqa: E402
from checks.references import scan_references  # noqa: E402
from checks.site_files import SiteFiles  # noqa: E402


def best(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    site = SiteFiles.scan(args.output)
    print(f"{len(site.files)} files")
    policy = Policy(frozenset(), frozenset())
    seconds = best(lambda: scan_references(site, "out", frozenset({"japancredit.go.jp"}), policy=policy), args.repeat)
    print(f"references (html, css, svg) and the pages' text: {seconds:.3f} s")
    check = FileCheck(site, "out", policy)
    for suffix, method in CHECKS.items():
        files = site.by_suffix(suffix)
        if files:
            seconds = best(lambda: [method(check, f) for f in files], args.repeat)
            print(f"{suffix:6} {len(files):5} files: {seconds:.3f} s ({seconds / len(files) * 1000:.1f} ms each)")


if __name__ == "__main__":
    main()
