"""How long from saving a COP daily report to a rebuilt internal preview.

Copies a content tree, builds the internal preview once, then repeatedly edits a daily report
(appends a line, as an editor saving it would) and times `make internal` until it has finished.

Usage: bench_cop.py [--content DIR] [--runs N]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of `command`; CPU time stays steady when
    other work shares the machine, wall-clock does not."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != 0:
        sys.exit(f"{' '.join(command)} failed:\n{result.stdout}{result.stderr}")
    return elapsed, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime


def summary(name: str, seconds: list[float]) -> str:
    return (f"{name:<38} median {statistics.median(seconds):6.2f} s   "
            f"min {min(seconds):6.2f} s   max {max(seconds):6.2f} s   (n={len(seconds)})")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=str(ROOT / "content"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-cop-") as work:
        content = Path(work) / "content"
        output = Path(work) / "preview"
        shutil.copytree(args.content, content)
        reports = sorted((content / "ja/international/cop").glob("*.md"))
        if not reports:
            sys.exit("no COP daily report under ja/international/cop/")
        report = reports[-1]
        make = ["make", "-s", "internal", f"CONTENT={content}", f"OUTPUT={output}"]
        build = [sys.executable, "scripts/build.py", "--internal", "--content", str(content), "--output", str(output)]
        check = [sys.executable, "scripts/build.py", "--check", "--content", str(content)]

        first, _ = timed(make)  # also fills the report-PDF cache, as any earlier build would have
        pages = sum(1 for _ in output.rglob("*.html"))
        saved_to_preview, cpu, build_only, validate_only = [], [], [], []
        for run in range(args.runs):
            with report.open("a", encoding="utf-8") as handle:  # the editor saves the report
                handle.write(f"\n- 追記 {run + 1}（ベンチマーク）\n")
            elapsed, cpu_seconds = timed(make)
            saved_to_preview.append(elapsed)
            cpu.append(cpu_seconds)
            if f"追記 {run + 1}" not in (output / "international/cop" / report.stem / "index.html").read_text("utf-8"):
                sys.exit("the preview does not show the edit")
            build_only.append(timed(build)[0])
            validate_only.append(timed(check)[0])

    print(f"content: {args.content}  ({pages} HTML pages in the preview); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{'first make internal':<38} {first:6.2f} s")
    print(summary("save report -> make internal done", saved_to_preview))
    print(summary("  its CPU time (user + system)", cpu))
    print(summary("scripts/build.py --internal alone", build_only))
    print(summary("validation alone (make check)", validate_only))
    return 0


if __name__ == "__main__":
    sys.exit(main())
