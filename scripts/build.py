"""Build a content tree into OUTPUT atomically: validate, render into a fresh folder, swap.

A failed build (bad content, a template error, a finding of the output checks) leaves the
previous output untouched.
Outside CI a build runs on the build server of this checkout (scripts/build_server.py), which
is started when none runs: a fork of a process that has already imported everything.

Usage: build.py [--content DIR] [--output DIR] [--build-date YYYY-MM-DD] [--internal] [--check]
"""

from __future__ import annotations

import argparse
import functools
import gc
import logging
import os
import shutil
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))
sys.path.insert(0, str(ROOT / "scripts"))

import build_server  # noqa: E402  (light: a request to the server imports nothing heavy)


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", default=os.environ.get("CONTENT") or "content")
    parser.add_argument("--output", default=os.environ.get("OUTPUT") or "output")
    parser.add_argument("--build-date", default=os.environ.get("BUILD_DATE") or None)
    parser.add_argument("--internal", action="store_true", help="internal preview with internal items")
    parser.add_argument("--check", action="store_true", help="validate only")
    return parser.parse_args(argv)


def cache_dir() -> Path:
    """The build's caches (pelicanconf.py's CACHE_PATH)."""
    return Path(os.environ.get("JCREDIT_CACHE") or ROOT / ".cache")


def validate(content: str) -> int:
    from model import ContentError, load_site
    from offers.contracts import templates_problems

    started = time.perf_counter()
    try:
        site = load_site(content, cache_dir=cache_dir())
        problems = templates_problems(site, Path(content))  # checked by the build as it renders contracts
        if problems:
            raise ContentError(problems)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    count = sum(len(items) for items in site.records.values())
    for warning in site.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    print(f"OK: {count} 件のコンテンツに問題はありません / {count} items valid "
          f"({time.perf_counter() - started:.2f} s)" + (f"; 注意 {len(site.warnings)} 件 / {len(site.warnings)} warning(s)"
                                                       if site.warnings else ""))
    return 0


def build(content: str, output: str, build_date: str | None, internal: bool) -> int:
    """Build `content` into `output`: a fresh folder swapped in, or, when `output` holds this
    build's previous result, an in-place update applied only once everything succeeded."""
    from pelican import Pelican
    from pelican.log import console as pelican_console
    from pelican.log import init as init_logging
    from pelican.settings import read_settings

    from checks import Checker, check_output, output_files
    from model import ContentError
    from model.parallel import Beside
    from site_pages.output import BuildState, Output

    # Warnings to stderr as plain lines; an error (a plugin that fails to load) fails the build.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    init_logging(logging.WARNING, fatal="errors", handler=handler)
    pelican_console.quiet = True  # Pelican's summary counts its own articles, of which we have none
    started = time.perf_counter()
    output_path = Path(output).resolve()
    home = output_path / "index.html"
    if internal and home.is_file() and b"internal-banner" not in home.read_bytes():
        print(f"公開用のサイトのフォルダ（{output}）には内部確認用のサイトを作れません。別のフォルダにしてください"
              f"（make internal OUTPUT=preview） / {output} holds the public site: the internal preview goes into "
              "another folder (make internal OUTPUT=preview)", file=sys.stderr)
        return 1
    state = BuildState(cache_dir(), output_path)
    in_place = output_path.is_dir() and bool(state.produced)
    target = output_path if in_place else output_path.with_name(output_path.name + ".building")
    if not in_place:
        shutil.rmtree(target, ignore_errors=True)
        state.forget()  # the old state describes a folder that is about to be replaced
    os.environ.update(CONTENT=str(Path(content).resolve()), OUTPUT=str(target))
    if build_date:
        os.environ["BUILD_DATE"] = build_date
    os.environ["INTERNAL_BUILD"] = "1" if internal else "0"
    sink = Output(target, staged=in_place, state=state, publishes_at_commit=True)
    try:
        settings = read_settings(str(ROOT / "pelicanconf.py"), override={
            "PATH": str(Path(content).resolve()), "OUTPUT_PATH": str(target), "JCREDIT_OUTPUT": sink})
        # Files are checked where they are made, while the build goes on: in the render workers
        # while their bytes are at hand, in a process beside for the pages made here.
        sink.check_ahead = Checker(settings).ahead
        if in_place:
            sink.on_disk = output_files(target, settings, output_path)  # for what to render, and the checks
        try:
            Pelican(settings).run()
        finally:  # the content's problems found beside the build, rather than what they broke
            sink.settle()
        ahead = sink.checked_ahead()  # before the search index starts: it takes what was read of pages
        # The search index is made while the output is checked, and put in place only after.
        beside = [(Beside(prepare), install, discard) for prepare, install, discard in sink.beside_checks]
        problems = check_output(target, settings, display=output, pending=sink.pending, removed=sink.obsolete(),
                                key=output_path, digests=sink.digests, ahead=ahead, files=sink.on_disk)
        prepared = _results(beside)
        if problems:
            for result, _, discard in prepared:
                discard(result)
            raise ContentError(problems)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return _failed(None if in_place else target)
    except Exception:
        traceback.print_exc()
        return _failed(None if in_place else target)
    written, removed = sink.commit()
    try:
        for result, install, _ in prepared:
            install(result)
    except Exception:
        traceback.print_exc()
        sink.state.forget()  # the next build starts afresh and indexes everything
        print("検索索引を更新できませんでした / the search index could not be updated", file=sys.stderr)
        return 1
    if not in_place:
        previous = output_path.with_name(output_path.name + ".previous")
        shutil.rmtree(previous, ignore_errors=True)
        if output_path.exists():
            output_path.rename(previous)
        target.rename(output_path)
        shutil.rmtree(previous, ignore_errors=True)
    print(f"built {output_path} in {time.perf_counter() - started:.2f} s "
          f"({written} files written, {removed} removed)")
    return 0


def _results(beside: list) -> list:
    """(result, install, discard) of each task made beside the checks, once all are done;
    if one failed, the others' results are discarded and the failure raised."""
    prepared, failures = [], []
    for task, install, discard in beside:
        try:
            prepared.append((task.result(), install, discard))
        except RuntimeError as failure:
            failures.append(failure)
    if failures:
        for result, _, discard in prepared:
            discard(result)
        raise failures[0]
    return prepared


def _failed(staging: Path | None) -> int:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)
    print("ビルドに失敗しました。公開物は更新されていません。 / build failed; the previous output is untouched",
          file=sys.stderr)
    return 1


def prepare_warm(cache: Path, interrupted=lambda: False) -> None:
    """Import what a build needs, once, and unpickle the caches the last build left (until
    `interrupted()`)."""
    from model.cache import read_ahead
    from model.parallel import keep_alive

    _import_everything()
    gc.unfreeze()  # what the last read-ahead kept may be garbage now
    gc.collect()
    read_ahead(cache, interrupted)
    keep_alive()  # the builds forked from here never walk it


@functools.cache
def _import_everything() -> None:
    from pelican.plugins._utils import load_plugins
    from pelican.settings import read_settings

    import checks  # noqa: F401  (the output checks and all they use)
    from i18n.catalogs import LANGUAGES, babel_locale
    from offers.contracts import prepare_default_fillers

    load_plugins(read_settings(str(ROOT / "pelicanconf.py")))
    for lang in LANGUAGES:  # Babel loads a locale's data when first used: in every build, if not here
        babel_locale(lang).decimal_formats
    prepare_default_fillers()  # an edited offer's contracts are then filled in at once


def run_child(argv: list[str], report=lambda code: None) -> int:
    """In a forked child of a warm process: one build, as a separate run of this script. Its
    exit code goes to `report` as soon as the build is done; the caches for the next build
    are written after (model.cache.defer_saves), with the caller's files let go. Nothing
    escapes: the fork must never return into the server's code."""
    from model.cache import defer_saves, save_deferred
    from model.parallel import stop_untaken

    code = 1
    defer_saves()
    try:
        code = run(argv)
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 1
    except BaseException:
        traceback.print_exc()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        nothing = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # a caller reading our output to its end is not kept waiting
            os.dup2(nothing, fd)
        report(code)
    except BaseException:
        pass  # the server answers with the exit code instead
    try:
        save_deferred()
    except BaseException:
        pass
    finally:
        stop_untaken()  # the fork ends by os._exit, which runs no atexit handler
    return code


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if build_server.enabled():
        code = build_server.request(argv, cache_dir())
        if code is not None:
            return code
    return run(argv)


def run(argv: list[str]) -> int:
    args = parse_args(argv)
    if args.check:
        return validate(args.content)
    return build(args.content, args.output, args.build_date, args.internal)


if __name__ == "__main__":
    sys.exit(main())
