"""Translation workflow: which English is missing or stale, what changed in the Japanese since a
translation was pinned, re-pinning, stubs, and the yearly batch for translators' tools.

  translations.py [--content DIR] status [--json] [--check] [--summary] [--internal]
  translations.py [--content DIR] diff PATH...
  translations.py [--content DIR] mark PATH...
  translations.py [--content DIR] stub PATH [--force]
  translations.py [--content DIR] export FILE.xlf|FILE.xlsx [--xliff-version 1.2|2.0] [PATH...]
  translations.py [--content DIR] import FILE.xlf|FILE.xlsx

PATH is a file below the language folders (offers/qa.yaml); content/ja/offers/qa.yaml and
content/en/offers/qa.yaml are accepted too. Internal items are never exported.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from model import ContentError, load_site  # noqa: E402
from model.translation import STATES, source_hash  # noqa: E402
from translation.compare import changes, line_diff, paragraphs, parse_id, units, untranslated, value_at  # noqa: E402
from translation.exchange import ExchangeError, export_units, hidden_parts, import_units  # noqa: E402
from translation.history import ContentHistory  # noqa: E402
from translation.overlays import stub_text  # noqa: E402
from translation.pins import pin_file  # noqa: E402
from translation.snapshots import remember  # noqa: E402
from translation.status import UnknownPath, counts, find, translation_statuses  # noqa: E402
from translation.xliff import VERSIONS, read_xliff, write_xliff  # noqa: E402

STATE_NAMES = {"missing": "未翻訳", "stale": "要更新", "current": "最新"}


class Failure(Exception):
    """A message for the user (ja / en); the command exits 1."""


def main(argv=None) -> int:
    commands = parser()
    # argparse stops a subcommand's PATH... at its first option (`export FILE --xliff-version 2.0
    # PATH`, Python issue 14191); the paths after it come back unrecognised and are added here
    args, extra = commands.parse_known_args(argv)
    if extra and hasattr(args, "paths") and not any(item.startswith("-") for item in extra):
        args.paths += extra
    elif extra:
        commands.error(f"unrecognized arguments: {' '.join(extra)}")
    root = Path(args.content)
    try:
        site = load_site(root)
    except ContentError as error:
        print(error.report(), file=sys.stderr)
        return 1
    history = ContentHistory(root)
    try:
        return args.run(args, root, site, history)
    except (Failure, UnknownPath) as error:
        print(error, file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                  formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    top.add_argument("--content", default=os.environ.get("CONTENT") or "content",
                     help="the content root (default: content)")
    commands = top.add_subparsers(required=True, metavar="COMMAND")
    status = commands.add_parser("status", help="every translated file as missing, stale or current")
    status.add_argument("--json", action="store_true", help="machine-readable output")
    status.add_argument("--check", action="store_true", help="exit 1 when anything is missing or stale")
    status.add_argument("--summary", action="store_true", help="counts per collection and the stale files")
    status.add_argument("--internal", action="store_true", help="include internal items")
    status.set_defaults(run=run_status)
    diff = commands.add_parser("diff", help="what changed in the Japanese since the English was pinned")
    diff.add_argument("paths", nargs="+", metavar="PATH")
    diff.set_defaults(run=run_diff)
    mark = commands.add_parser("mark", help="pin English files to today's Japanese after updating them")
    mark.add_argument("paths", nargs="+", metavar="PATH")
    mark.set_defaults(run=run_mark)
    stub = commands.add_parser("stub", help="start an English file: the fields to translate, Japanese beside")
    stub.add_argument("path", metavar="PATH")
    stub.add_argument("--force", action="store_true", help="replace an existing English file")
    stub.set_defaults(run=run_stub)
    export = commands.add_parser("export", help="every missing or stale public file to XLIFF or XLSX")
    export.add_argument("file", type=Path, metavar="FILE")
    export.add_argument("paths", nargs="*", metavar="PATH", help="only these files")
    export.add_argument("--xliff-version", choices=VERSIONS, default="1.2")
    export.set_defaults(run=run_export)
    imported = commands.add_parser("import", help="write a translated XLIFF or XLSX file into content/en, pinned")
    imported.add_argument("file", type=Path, metavar="FILE")
    imported.set_defaults(run=run_import)
    return top


# -- status ----------------------------------------------------------------------------------

def run_status(args, root, site, history) -> int:
    statuses = translation_statuses(site, history, internal=args.internal)
    tally = counts(statuses)
    if args.json:
        print(json.dumps({"content": str(root), "counts": tally,
                          "items": [status.as_json() for status in statuses]}, ensure_ascii=False, indent=1))
    elif args.summary:
        print_summary(root, statuses, tally)
    else:
        order = {state: i for i, state in enumerate(("stale", "missing", "current"))}
        for status in sorted(statuses, key=lambda s: (order[s.state], s.path)):
            print(f"{status.state:8} {status.path}{describe_change(status)}")
        print(totals(tally))
    if args.check and (tally["missing"] or tally["stale"]):
        print("翻訳が未完了または古いものがあります / some English is missing or stale", file=sys.stderr)
        return 1
    return 0


def describe_change(status) -> str:
    """`  changed: conditions; Japanese changed: 2026-10-02`, with what git could tell."""
    if status.state != "stale":
        return ""
    said = []
    if status.changed is not None:
        said.append("変更 / changed: " + (", ".join(status.changed) or "-"))
    if status.changed_on:
        said.append(f"日本語の更新 / Japanese changed: {status.changed_on.isoformat()}")
    return "  " + "; ".join(said) if said else ""


def totals(tally) -> str:
    total = sum(tally.values())
    parts = ", ".join(f"{state} {tally[state]} ({STATE_NAMES[state]})" for state in STATES)
    return f"{total} 件 / files: {parts}"


def print_summary(root, statuses, tally) -> None:
    print(f"翻訳の状況 / Translation status of {root}: {totals(tally)}")
    by_collection: dict[str, dict[str, int]] = {}
    for status in statuses:
        row = by_collection.setdefault(status.record.collection.name, dict.fromkeys(STATES, 0))
        row[status.state] += 1
    print(f"  {'collection':16}" + "".join(f"{state:>9}" for state in STATES))
    for name, row in by_collection.items():
        print(f"  {name:16}" + "".join(f"{row[state]:>9}" for state in STATES))
    stale = [status for status in statuses if status.state == "stale"]
    if stale:
        print("要更新 / stale (scripts/translations.py diff PATH):")
        for status in stale:
            print(f"  {status.path}{describe_change(status)}")


# -- diff ------------------------------------------------------------------------------------

def run_diff(args, root, site, history) -> int:
    statuses = translation_statuses(site, internal=True)
    for argument in args.paths:
        status = find(statuses, argument, root).explain(history)
        print(f"== {status.path}: {status.state} ({STATE_NAMES[status.state]})")
        if status.state == "missing":
            print("   英語訳がありません。翻訳する日本語: / no English yet; the Japanese to translate:")
            for unit_id, text in units(status.part.text).items():
                print(f"-- {unit_id}")
                print("\n".join("   " + line for line in text.splitlines()))
            continue
        overlay = status.part.overlay
        print(f"   pin: {overlay.get('source_hash') or '-'}"
              + (f", source_commit {overlay['source_commit']}" if overlay.get("source_commit") else ""))
        if status.state == "current":
            print("   ピン留め以降、日本語の変更はありません / the Japanese has not changed since the pin")
            continue
        since = status.current_since
        unknown = "未コミット / not committed" if history.top else "不明（git の外） / unknown (not in git)"
        print("   日本語の更新 / Japanese changed: " + (f"{since.date} ({since.commit[:10]})" if since else unknown))
        if status.pinned is not None:
            pinned = status.pinned
            how = {"source_commit": "source_commit", "history": "git history (by source_hash)",
                   "snapshot": "the snapshot kept by mark (.cache/translation-sources)"}[pinned.source]
            at = f"{pinned.commit[:10]} ({pinned.date}), " if pinned.commit else ""
            print(f"   翻訳時の日本語 / Japanese translated: {at}from {how}")
            for change in changes(status.pinned.text, status.part.text):
                print(f"-- {change.unit}")
                print("\n".join("   " + line for line in line_diff(change.before, change.after)))
                english = english_unit(overlay, status.part.text, change.unit)
                if english:
                    print("   英語（現在） / English now: " + english.replace("\n", "\n   "))
        else:
            print("   翻訳時の日本語がわかりません。日本語と英語を項目・段落ごとに並べます。\n"
                  "   the Japanese it was translated from is not known (not in git, no snapshot):\n"
                  "   today's Japanese and the English side by side, field by field and paragraph by paragraph")
            for unit_id, text in units(status.part.text).items():
                print(f"-- {unit_id}")
                print("   ja: " + text.strip("\n").replace("\n", "\n       "))
                english = english_unit(overlay, status.part.text, unit_id)
                print("   en: " + (english.strip("\n").replace("\n", "\n       ") if english else "（英語なし / no English）"))
    return 0


def english_unit(overlay: dict, japanese: dict, unit_id: str) -> str | None:
    location, paragraph = parse_id(unit_id)
    value = value_at(overlay, location)
    if not isinstance(value, str) or paragraph is None:
        return value if isinstance(value, str) else None
    blocks = paragraphs(value)
    return blocks[paragraph - 1] if paragraph <= len(blocks) else None


# -- mark and stub ---------------------------------------------------------------------------

def run_mark(args, root, site, history) -> int:
    statuses = translation_statuses(site, internal=True)
    for argument in args.paths:
        status = find(statuses, argument, root)
        english = root / "en" / status.path
        if not english.exists():
            raise Failure(f"{status.path}: 英語のファイルがありません。先に stub を使ってください / "
                          f"no English file (start one with: stub {status.path})")
        pins = {"source_hash": source_hash(status.part.text),
                "source_commit": history.document(status.part).pin_commit()}
        changed = pin_file(english, pins)
        remember(root, status.part.text)  # for diff, where git cannot tell what was translated
        commit = f" (source_commit {pins['source_commit'][:10]})" if pins["source_commit"] else ""
        print(f"{status.path}: {'pinned' if changed else 'already pinned'} {pins['source_hash']}{commit}")
        waiting = untranslated(status.part.text, status.part.overlay or {})
        if waiting:
            print(f"  注意 / note: まだ日本語のままの項目 / still in Japanese: {', '.join(waiting)}")
    return 0


def run_stub(args, root, site, history) -> int:
    status = find(translation_statuses(site, internal=True), args.path, root)
    english = root / "en" / status.path
    if english.exists() and not args.force:
        raise Failure(f"{english}: 英語のファイルがすでにあります（置き換えるには --force） / "
                      "the English file exists (--force replaces it)")
    english.parent.mkdir(parents=True, exist_ok=True)
    english.write_text(stub_text(status.part, set() if status.internal else hidden_parts(status)), encoding="utf-8")
    print(f"wrote {english}")
    return 0


# -- the yearly batch ------------------------------------------------------------------------

def run_export(args, root, site, history) -> int:
    statuses = translation_statuses(site, history)
    if args.paths:
        wanted = {find(statuses, argument, root).path for argument in args.paths}
        statuses = [status for status in statuses if status.path in wanted]
    exported = export_units(statuses)
    if not exported:
        print("書き出す翻訳はありません / nothing is missing or stale")
        return 0
    suffix = args.file.suffix.lower()
    if suffix in (".xlf", ".xliff"):
        data = write_xliff(exported, args.xliff_version)
    elif suffix == ".xlsx":
        from translation.workbook import write_workbook  # openpyxl only when a workbook is asked for
        data = write_workbook(exported)
    else:
        raise Failure(f"{args.file}: .xlf / .xliff / .xlsx のいずれかにしてください / use .xlf, .xliff or .xlsx")
    args.file.write_bytes(data)
    files = len({unit.file for unit in exported})
    print(f"wrote {args.file}: {files} files, {len(exported)} units")
    return 0


def run_import(args, root, site, history) -> int:
    data = args.file.read_bytes()
    try:
        if data[:2] == b"PK":  # a zip: an XLSX workbook
            from translation.workbook import read_workbook
            imported = read_workbook(data)
        else:
            imported = read_xliff(data)
    except ExchangeError as error:
        raise Failure(f"{args.file}: {error}") from None
    statuses = translation_statuses(site, internal=True)
    result, previous = import_units(root, statuses, imported, history)
    try:
        load_site(root)
    except ContentError as error:
        for path, before in previous.items():  # leave content/en as it was
            path.write_bytes(before) if before is not None else path.unlink()
        print(error.report(), file=sys.stderr)
        raise Failure("取り込みを取り消しました / the import was undone") from None
    for path in result.written:
        print(f"imported {path} (pinned: current)")
    for path in result.earlier:
        print(f"imported {path}: 書き出した時点の日本語にピン留め。その後日本語が変わったため、古い訳（stale）のままです / "
              "pinned to the Japanese it was translated from, which has changed since: it stays stale")
    for path in result.unpinned:
        print(f"imported {path}: 書き出し後に日本語が変わったため未ピン留め（stale）/ "
              "not pinned: the Japanese changed after the export, so it stays stale")
    for message in result.skipped:
        print(f"skipped {message}", file=sys.stderr)
    return 1 if result.skipped else 0


if __name__ == "__main__":
    sys.exit(main())
