"""What a change does to the published site, as Markdown for a pull-request comment.

Builds the repository's content and code at two git revisions (each with its own code) and
lists the pages added, changed and removed (Japanese and English side by side), the downloads
that changed, validation problems new at HEAD, translations the change made stale, and changes
to the server configuration. HEAD is checked out where BASE was and built
over BASE's output with BASE's caches: the incremental build renders only what the change
touches, and its output is byte for byte a cold build's (the build's own guarantee, tested in
tests/test_incremental.py).

With --work DIR (CI keeps it between a pull request's runs), the folder outlasts the report: the
next report builds BASE over what this one left, incrementally too, or takes BASE's build whole
from its snapshot when BASE and the build date are the same (a pull request's next push).

Usage: changes.py BASE [HEAD] [--build-date YYYY-MM-DD] [--site-url URL] [--output FILE] [--work DIR]
Exit status: 0 when the report was written, 1 when HEAD does not build (the report says why).
"""

from __future__ import annotations

import argparse
import datetime as dt
import contextlib
import difflib
import fcntl
import html
import io
import json
import os
import pickle
import re
import shutil
import stat
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "plugins"))

from checks.site_files import page_url  # noqa: E402
from model.problems import PROBLEM_LINE as PROBLEM  # noqa: E402

SERVER_FILES = ("_headers", "_redirects", "_server/")
SEARCH_INDEX = "pagefind/"
LIST_LIMIT = 60
DIFF_PAGES, DIFF_FILES, DIFF_LINES = 10, 5, 60  # what changed, shown for the first pages and data files
DIFF_BUDGET = 30_000  # characters of diffs in all: a pull-request comment holds 65,536
# Run inside each revision's tree with its own model: every item's translation state (read
# through the parse cache the build just filled, where the revision's model has one).
INVENTORY = """
import json, sys
sys.path.insert(0, "plugins")
from model import load_site
try:
    site = load_site(sys.argv[1], cache_dir=sys.argv[2])
except TypeError:
    site = load_site(sys.argv[1])
print(json.dumps([{"item": r.source, "en": getattr(r, "overlay_source", None), "state": r.translation,
                   "internal": r.internal} for items in site.records.values() for r in items]))
"""


@dataclass
class Revision:
    name: str
    commit: str
    tree: Path
    built: bool = False
    problems: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    translations: dict[str, dict] = field(default_factory=dict)
    files: dict[str, bytes] = field(default_factory=dict)
    refused: list[dict] = field(default_factory=list)  # what the checkout would not write (problems)


def git(*args: str, cwd: Path = ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()


def resolve(name: str, repo: Path) -> str:
    return git("rev-parse", "--verify", f"{name}^{{commit}}", cwd=repo)


def checkout(name: str, into: Path, repo: Path) -> Revision:
    """The revision's files (content and code), as `git archive` gives them, in `into`. Files
    already there with the same bytes are left as they are (one revision's tree differs from
    the last one's in a few files, and creating thousands of files was most of a checkout's
    time); every other file and folder is removed."""
    commit = resolve(name, repo)
    archive = subprocess.run(["git", "archive", "--format=tar", commit], cwd=repo, check=True, capture_output=True).stdout
    into.mkdir(parents=True, exist_ok=True)
    kept, refused = {into}, []
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar:
            try:
                member = tarfile.data_filter(member, str(into))  # no absolute paths, links out or devices
            except tarfile.FilterError as error:  # the build would refuse it too: said, not written
                refused.append({"path": member.name, "line": "1", "field": "",
                                "ja": f"シンボリックリンクなどは置けません（{error}）。ファイルそのものを置いてください",
                                "en": f"a symbolic link or special file cannot be built ({error}): put the file itself here"})
                continue
            target = into / member.name
            kept.update([target, *target.parents])
            if member.isdir():
                if target.exists() and not target.is_dir():
                    target.unlink()
                target.mkdir(parents=True, exist_ok=True)
            elif member.isfile():
                data = tar.extractfile(member).read()
                if not (target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data):
                    if target.is_dir():
                        shutil.rmtree(target)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.unlink(missing_ok=True)
                    target.write_bytes(data)
                if stat.S_IMODE(target.stat().st_mode) != member.mode:
                    target.chmod(member.mode)
            else:
                tar.extract(member, into, filter="data")
    for path in sorted(into.rglob("*"), reverse=True):  # deepest first
        # Python's compiled modules stay: each is checked against its source when imported.
        if path not in kept and "__pycache__" not in path.relative_to(into).parts:
            path.unlink() if path.is_file() or path.is_symlink() else shutil.rmtree(path)
    return Revision(name, commit, into, refused=refused)


COMMIT = ["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", "commit", "-q"]


def project_repository(repo: Path, content: Path) -> Path:
    """A git repository at `repo` holding this project's code as it is in the working tree and
    `content` as its content, in one commit: a place to try the report (tests, benchmark)."""
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.splitlines()
    for name in files:
        if not name.startswith(("content/", "tests/")) and (ROOT / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, repo / name)
    shutil.copytree(content, repo / "content")
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run([*COMMIT, "-m", "base"], cwd=repo, check=True)
    return repo


def build(revision: Revision, build_date: str, output: Path, cache: Path) -> None:
    """Build the revision into `output` with the caches in `cache` (one-off: no build server)."""
    tree = revision.tree
    # No repository above the tree (a work folder may lie in a checkout): the build's git
    # history is then the same wherever the tree is.
    env = {**os.environ, "JCREDIT_CACHE": str(cache), "BUILD_SERVER": "0", "GIT_CEILING_DIRECTORIES": str(tree.parent)}
    result = subprocess.run([sys.executable, "scripts/build.py", "--content", "content", "--output",
                             str(output), "--build-date", build_date],
                            cwd=tree, capture_output=True, text=True, env=env)
    revision.built = result.returncode == 0 and not revision.refused
    revision.problems += revision.refused
    built_files = f"{output}/"
    for line in result.stderr.splitlines():
        match = PROBLEM.match(line)
        if match:
            problem = match.groupdict()
            if problem["path"].startswith(built_files):  # an output check: the page's address, not the runner's folder
                problem.update(path=page_url(problem["path"][len(built_files):]), line="")
            revision.problems.append(problem)
        elif line.startswith(("WARNING", "Warning")) or "WARNING" in line[:20]:
            revision.warnings.append(line.strip())
    if not revision.built and not revision.problems:
        revision.warnings.append(result.stderr.strip().splitlines()[-1] if result.stderr.strip() else "build failed")
    inventory = subprocess.run([sys.executable, "-c", INVENTORY, "content", str(cache)], cwd=tree,
                               capture_output=True, text=True, env=env)
    if inventory.returncode == 0:
        revision.translations = {i["item"]: i for i in json.loads(inventory.stdout) if not i["internal"]}
    if revision.built:
        revision.files = {p.relative_to(output).as_posix(): p.read_bytes()
                          for p in sorted(output.rglob("*")) if p.is_file()}


# -- the work folder ----------------------------------------------------------------------------

class Work:
    """Where the two revisions are built: tree/ (the checkout), output/ and cache/, and, in a
    lasting folder, base.pickle (BASE's Revision, its files included, with the build date).
    A marker stands while a build runs: a folder it is found in was left mid-build, and is
    emptied, since an output killed while it was being updated may not agree with its state."""

    def __init__(self, folder: Path, lasting: bool):
        self.folder, self.lasting = folder, lasting
        self.tree, self.output, self.cache = folder / "tree", folder / "output", folder / "cache"
        self.snapshot, self.marker = folder / "base.pickle", folder / "building"
        if self.marker.exists():
            for path in (self.tree, self.output, self.cache, self.snapshot, self.marker):
                shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)

    @contextlib.contextmanager
    def building(self):
        self.marker.touch()
        yield  # an exception or a kill leaves the marker standing
        self.marker.unlink()

    def base(self, commit: str, build_date: str) -> Revision | None:
        """BASE's revision as the last report built it, if it was this commit on this date,
        built by this Python with these packages (both builds run with this script's)."""
        try:
            with self.snapshot.open("rb") as file:
                key, fields = pickle.load(file)
            return Revision(**fields) if key == snapshot_key(commit, build_date) else None
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError):
            return None

    def keep_base(self, revision: Revision, build_date: str) -> None:
        if self.lasting:
            temporary = self.snapshot.with_suffix(".tmp")
            # Its fields, not the object: a plain dict reads back whoever runs this module.
            temporary.write_bytes(pickle.dumps((snapshot_key(revision.commit, build_date), vars(revision)),
                                               protocol=pickle.HIGHEST_PROTOCOL))
            temporary.replace(self.snapshot)


def snapshot_key(commit: str, build_date: str) -> tuple[str, str, str, str]:
    return commit, build_date, sys.version, (ROOT / "requirements.txt").read_text(encoding="utf-8")


@contextlib.contextmanager
def work_folder(folder: Path | None):
    """A Work in `folder`, locked against another report using it at once; without a folder,
    in a temporary one removed at the end."""
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="jcredit-changes-") as temporary:
            yield Work(Path(temporary), lasting=False)
        return
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield Work(folder, lasting=True)


def build_both(work: Work, base_name: str, head_name: str, build_date: str, repo: Path) -> tuple[Revision, Revision]:
    """BASE built (or taken from the work folder's snapshot), then HEAD in its place."""
    base = work.base(resolve(base_name, repo), build_date)
    if base is not None:
        base.name = base_name
        print(f"{base_name} ({base.commit[:10]}): its build is taken from {work.snapshot}", file=sys.stderr)
    else:
        base = checkout(base_name, work.tree, repo)
        with work.building():
            build(base, build_date, work.output, work.cache)
        work.keep_base(base, build_date)
    head = checkout(head_name, work.tree, repo)
    with work.building():
        build(head, build_date, work.output, work.cache)
    return base, head


# -- comparing ------------------------------------------------------------------------------------

def main_content(html: bytes) -> bytes:
    """The page's <main>: what changed for the reader, as opposed to the frame around it."""
    tree = lxml.html.document_fromstring(html)
    main = tree.find(".//main")
    return lxml.html.tostring(main if main is not None else tree)


def page_changes(base: dict[str, bytes], head: dict[str, bytes]) -> list[tuple[str, dict[str, str]]]:
    """(Japanese URL, {"ja": change, "en": change}) for every page whose output differs."""
    pages: dict[str, dict[str, str]] = {}
    for name in sorted(set(base) | set(head)):
        if not name.endswith(".html"):
            continue
        url = page_url(name)
        lang, key = ("en", url[3:]) if url.startswith("/en/") else ("ja", url)
        if name not in base:
            change = "added"
        elif name not in head:
            change = "removed"
        elif base[name] == head[name]:
            continue
        elif main_content(base[name]) == main_content(head[name]):
            change = "frame"
        else:
            change = "changed"
        pages.setdefault(key, {})[lang] = change
    return sorted(pages.items())


def file_changes(base: dict[str, bytes], head: dict[str, bytes], server: bool) -> list[tuple[str, str, str]]:
    """(path, change, sizes) for non-page files: downloads and assets, or the server's files."""
    rows = []
    for name in sorted(set(base) | set(head)):
        if name.endswith(".html") or name.startswith(SERVER_FILES) != server or name.startswith(SEARCH_INDEX):
            continue  # pages are compared as pages; the search index follows them
        before, after = base.get(name), head.get(name)
        if before == after:
            continue
        change = "added" if before is None else "removed" if after is None else "changed"
        rows.append((name, change, sizes(before, after)))
    return rows


def size(data: bytes) -> str:
    return f"{len(data):,} B" if len(data) < 1024 else f"{len(data) / 1024:,.1f} KB"


def sizes(before: bytes | None, after: bytes | None) -> str:
    shown = [size(b) for b in (before, after) if b is not None]
    if len(shown) == 2 and shown[0] == shown[1]:  # 5.7 KB → 5.7 KB says nothing
        shown = [f"{len(before):,} B", f"{len(after):,} B"]
    return " → ".join(shown)


def visible_lines(html_bytes: bytes) -> list[str]:
    """The text of a page's <main>, a line per line of the page's source (a table row, an
    item, a paragraph): what a reader sees, to diff."""
    # the texts of neighbouring elements apart: "数量（t-CO2） 12,000", not "数量（t-CO2）12,000"
    text = "\x1f".join(lxml.html.fromstring(main_content(html_bytes)).itertext())
    lines = (" ".join(" ".join(part.split()) for part in line.split("\x1f") if part.strip()) for line in text.splitlines())
    return [line for line in lines if line]


def text_diff(before: list[str], after: list[str], name: str) -> list[str]:
    """A unified diff in a fenced block (fenced longer than any run of backticks in it)."""
    diff = list(difflib.unified_diff(before, after, f"a{name}", f"b{name}", lineterm="", n=1))[2:]
    if len(diff) > DIFF_LINES:
        diff = diff[:DIFF_LINES] + [f"… ({len(diff) - DIFF_LINES} more lines)"]
    fence = "`" * max(3, 1 + max((len(run) for run in re.findall(r"`+", "\n".join(diff))), default=0))
    return [f"{fence}diff", *diff, fence]


def escaped(text: str) -> str:
    """Text from content or a message, shown as text in GitHub's Markdown (HTML would be run
    through its filter: "<form> is not allowed" would lose its <form>)."""
    return html.escape(text, quote=False)


def problem_line(problem: dict) -> str:
    where = problem["path"] + (f":{problem['line']}" if problem["line"] else "")
    return f"- `{where}` **{escaped(problem['field'])}**: {escaped(problem['ja'])} / {escaped(problem['en'])}"


def problem_key(problem: dict) -> tuple[str, str, str]:
    return problem["path"].split("/content/")[-1], problem["field"], problem["en"]  # lines move; problems don't


def warning_key(warning: str):
    """A build warning as problem_key sees a problem: the same warning on another line is the same."""
    match = PROBLEM.match(warning.removeprefix("WARNING: "))
    return problem_key(match.groupdict()) if match else warning


def new_problems(base: Revision, head: Revision) -> list[dict]:
    known = {problem_key(p) for p in base.problems}
    return [p for p in head.problems if problem_key(p) not in known]


def made_stale(base: Revision, head: Revision) -> list[dict]:
    return [item for key, item in sorted(head.translations.items())
            if item["state"] == "stale" and base.translations.get(key, {}).get("state") != "stale"]


def new_untranslated(base: Revision, head: Revision) -> list[dict]:
    return [item for key, item in sorted(head.translations.items())
            if item["state"] == "missing" and key not in base.translations]


# -- the report ----------------------------------------------------------------------------------

LABELS = {"added": "追加 added", "removed": "削除 removed", "changed": "変更 changed",
          "frame": "枠のみ frame only", None: "—"}


def link(url: str, site_url: str | None) -> str:
    return f"[`{url}`]({site_url.rstrip('/')}{url})" if site_url else f"`{url}`"


def report(base: Revision, head: Revision, build_date: str, site_url: str | None) -> str:
    out = [f"## 公開サイトへの影響 / What this change does to the site",
           f"`{base.name}` ({base.commit[:10]}) → `{head.name}` ({head.commit[:10]}), BUILD_DATE {build_date}", ""]
    fresh = new_problems(base, head)
    if not head.built:
        out += ["### ⚠ HEAD はビルドできません / HEAD does not build", ""]
        if not fresh and not head.problems:
            out += ["```", *head.warnings[-10:], "```", ""]
    if fresh:
        out += [f"### 新しい検証エラー / New validation problems ({len(fresh)})", ""]
        out += [problem_line(p) for p in fresh[:LIST_LIMIT]]
        out += _more(fresh) + [""]
    if not (base.built and head.built):
        if not base.built and head.built:
            fixed = {problem_key(p) for p in base.problems} - {problem_key(p) for p in head.problems}
            out += [f"`{base.name}` はビルドできません。`{head.name}` はビルドでき、{len(fixed)} 件の問題を解消します"
                    f"（比べる元がないため、ページの変化は示せません）。 / `{base.name}` does not build; `{head.name}` "
                    f"builds, fixing {len(fixed)} problem(s) (with nothing to compare with, no page changes are shown).", ""]
        elif not base.built:
            out += [f"`{base.name}` does not build either; nothing to compare.", ""]
        return "\n".join(out)

    budget = [DIFF_BUDGET]
    pages = page_changes(base.files, head.files)
    # pages added or removed first: a long list of changes must not hide them past the limit
    content = sorted(((url, c) for url, c in pages if set(c.values()) - {"frame"}),
                     key=lambda row: (not {"added", "removed"} & set(row[1].values()), row[0]))
    frame_only = [url for url, c in pages if not set(c.values()) - {"frame"}]
    counts = {kind: sum(kind in c.values() for _, c in pages) for kind in ("added", "changed", "removed")}
    out += [f"### ページ / Pages: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed"
            + (f", {len(frame_only)} with only the frame (menu, footer) changed" if frame_only else ""), ""]
    if content:
        out += ["| 日本語 | English | 日本語ページ | English page |", "|---|---|---|---|"]
        for url, change in content[:LIST_LIMIT]:
            out.append(f"| {link(url, site_url)} | {link('/en' + url, site_url)} | {LABELS[change.get('ja')]} | {LABELS[change.get('en')]} |")
        out += _more(content) + [""]
        out += page_diffs(base.files, head.files, [(url, c) for url, c in content if "changed" in c.values()], budget)
    if frame_only:
        out += [f"<details><summary>枠のみ変わったページ / pages whose frame only changed ({len(frame_only)})</summary>", ""]
        out += [", ".join(f"`{url}`" for url in frame_only[:200]) + (" …" if len(frame_only) > 200 else ""), "", "</details>", ""]

    downloads = file_changes(base.files, head.files, server=False)
    if downloads:
        out += [f"### ダウンロード・ファイル / Downloads and files ({len(downloads)})", "",
                "| file | change | size |", "|---|---|---|"]
        out += [f"| {link('/' + name, site_url)} | {LABELS[change]} | {shown} |" for name, change, shown in downloads[:LIST_LIMIT]]
        out += _more(downloads) + [""]
        out += data_diffs(base.files, head.files, [name for name, change, _ in downloads if change == "changed"], budget)

    stale, untranslated = made_stale(base, head), new_untranslated(base, head)
    if stale or untranslated:
        out += ["### 翻訳 / Translations", ""]
        out += [f"- 古くなった英訳 / made stale: `{i['item']}` (English: `{i['en']}`)" for i in stale]
        out += [f"- 英訳なし / new, not translated: `{i['item']}`" for i in untranslated]
        out += [""]

    server = file_changes(base.files, head.files, server=True)
    if server:
        out += ["### サーバー設定 / Server configuration", ""]
        for name, change, _ in server:
            before = base.files.get(name, b"").decode("utf-8", "replace").splitlines()
            after = head.files.get(name, b"").decode("utf-8", "replace").splitlines()
            diff = list(difflib.unified_diff(before, after, f"a/{name}", f"b/{name}", lineterm="", n=1))
            out += [f"<details><summary><code>{name}</code> {LABELS[change]}</summary>", "", "```diff", *diff[:80], "```",
                    "", "</details>", ""]

    known = {warning_key(w) for w in base.warnings}
    warnings = [w for w in head.warnings if warning_key(w) not in known]  # those the change brings
    if warnings:
        out += [f"### 新しいビルドの警告 / New build warnings ({len(warnings)})", "",
                *[f"- {escaped(w)}" for w in warnings[:LIST_LIMIT]], *_more(warnings), ""]
    if not (pages or downloads or server or stale or untranslated or fresh):
        out += ["公開サイトに変更はありません。 / The published site does not change.", ""]
    return "\n".join(out)


def page_diffs(base: dict[str, bytes], head: dict[str, bytes], changed: list, budget: list[int]) -> list[str]:
    """What a reader sees differently on the first changed pages: the Japanese page, or the
    English one where only it changed."""
    out = []
    for url, change in changed[:DIFF_PAGES]:
        page = url if change.get("ja") == "changed" else "/en" + url
        name = page.lstrip("/") + "index.html"
        if name in base and name in head:
            out += _budgeted([f"<details><summary>{escaped(page)} の変化 / what changed</summary>", "",
                              *text_diff(visible_lines(base[name]), visible_lines(head[name]), page), "", "</details>", ""],
                             budget)
    return out


def data_diffs(base: dict[str, bytes], head: dict[str, bytes], changed: list[str], budget: list[int]) -> list[str]:
    """The rows that changed in the first changed CSV files (the open data, figure data)."""
    out = []
    for name in [n for n in changed if n.endswith(".csv")][:DIFF_FILES]:
        lines = [data.decode("utf-8-sig", "replace").splitlines() for data in (base[name], head[name])]
        out += _budgeted([f"<details><summary>/{escaped(name)} の変化 / rows changed</summary>", "",
                          *text_diff(*lines, "/" + name), "", "</details>", ""], budget)
    return out


def _budgeted(block: list[str], budget: list[int]) -> list[str]:
    """`block` if the diffs' budget still holds it (the comment would be cut, mid-fence, past
    its limit), else nothing."""
    size = sum(len(line) + 1 for line in block)
    if size > budget[0]:
        return []
    budget[0] -= size
    return block


def _more(rows: list) -> list[str]:
    # a blank line first: a line right under a table would be read as one more row of it
    return ["", f"… and {len(rows) - LIST_LIMIT} more"] if len(rows) > LIST_LIMIT else []


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base", help="the revision the change starts from, e.g. origin/main")
    parser.add_argument("head", nargs="?", default="HEAD")
    parser.add_argument("--build-date", default=dt.date.today().isoformat(),
                        help="the same for both builds, so that only the change differs")
    parser.add_argument("--site-url", help="where HEAD's preview is served, to turn URLs into links")
    parser.add_argument("--repo", type=Path, default=ROOT, help="the git repository (default: this one)")
    parser.add_argument("--output", type=Path, help="write the Markdown here instead of stdout")
    parser.add_argument("--work", type=Path, help="a folder kept for the next report, which builds on "
                                                  "what this one left (default: a temporary one)")
    args = parser.parse_args(argv)
    with work_folder(args.work) as work:
        base, head = build_both(work, args.base, args.head, args.build_date, args.repo)
        text = report(base, head, args.build_date, args.site_url)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        print(text)
    return 0 if head.built else 1


if __name__ == "__main__":
    sys.exit(main())
