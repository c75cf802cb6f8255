"""Build a content tree into OUTPUT atomically: validate, render into a fresh folder, swap.

A failed build (bad content, a template error, a finding of the output checks) leaves the
previous output untouched.
Usage: build.py [--content DIR] [--output DIR] [--build-date YYYY-MM-DD] [--internal] [--check]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from checks import check_output  # noqa: E402
from model import ContentError, load_site  # noqa: E402


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=os.environ.get("CONTENT") or "content")
    parser.add_argument("--output", default=os.environ.get("OUTPUT") or "output")
    parser.add_argument("--build-date", default=os.environ.get("BUILD_DATE") or None)
    parser.add_argument("--internal", action="store_true", help="internal preview with internal items")
    parser.add_argument("--check", action="store_true", help="validate only")
    return parser.parse_args(argv)


def validate(content: str) -> int:
    started = time.perf_counter()
    try:
        site = load_site(content)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    count = sum(len(items) for items in site.records.values())
    print(f"OK: {count} 件のコンテンツに問題はありません / {count} items valid "
          f"({time.perf_counter() - started:.2f} s)")
    return 0


def build(content: str, output: str, build_date: str | None, internal: bool) -> int:
    from pelican import Pelican
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    init_logging(logging.WARNING, fatal="errors")  # a plugin that fails to load fails the build

    output_path = Path(output).resolve()
    staging = output_path.with_name(output_path.name + ".building")
    shutil.rmtree(staging, ignore_errors=True)
    os.environ.update(CONTENT=str(Path(content).resolve()), OUTPUT=str(staging))
    if build_date:
        os.environ["BUILD_DATE"] = build_date
    os.environ["INTERNAL_BUILD"] = "1" if internal else "0"
    started = time.perf_counter()
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"),
                                 override={"PATH": str(Path(content).resolve()), "OUTPUT_PATH": str(staging)})
        Pelican(settings).run()
        problems = check_output(staging, settings, display=output)
        if problems:
            raise ContentError(problems)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    except Exception:
        traceback.print_exc()
        print("ビルドに失敗しました。公開物は更新されていません。 / build failed; the previous output is untouched",
              file=sys.stderr)
        shutil.rmtree(staging, ignore_errors=True)
        return 1
    previous = output_path.with_name(output_path.name + ".previous")
    shutil.rmtree(previous, ignore_errors=True)
    if output_path.exists():
        output_path.rename(previous)
    staging.rename(output_path)
    shutil.rmtree(previous, ignore_errors=True)
    print(f"built {output_path} in {time.perf_counter() - started:.2f} s")
    return 0


def main(argv=None) -> int:
    args = parse_args(argv)
    if args.check:
        return validate(args.content)
    return build(args.content, args.output, args.build_date, args.internal)


if __name__ == "__main__":
    sys.exit(main())
