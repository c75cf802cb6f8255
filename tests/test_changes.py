"""The reviewer's report: scripts/changes.py builds two revisions of a real git repository (this
project's code with the fixture tree as its content) and describes the difference in Markdown."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE, FIXTURE, ROOT

sys.path.insert(0, str(ROOT / "scripts"))
from changes import project_repository  # noqa: E402


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=Editor", "-c", "user.email=editor@example.org", *args],
                          cwd=repo, check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path) -> Path:
    """A repository holding the project's code and the fixture tree as `content/`, one commit."""
    return project_repository(tmp_path / "repo", FIXTURE)


def changes(repo: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "scripts/changes.py"), "--repo", str(repo),
                           "--build-date", BUILD_DATE, *args], capture_output=True, text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_report_lists_pages_downloads_translations_and_server_changes(repo):
    content = repo / "content"
    edit(content / "ja/offers/kochi-forest.yaml", "価格はご相談に応じます。", "価格は1t当たり5,000円です。")
    (content / "ja/news/2026-11-20-new.md").write_text("Title: 新しいお知らせ\nDate: 2026-11-20\n\n本文。\n", encoding="utf-8")
    (content / "ja/projects/P0014.yaml").unlink()
    (content / "ja/offers/closed-offer.yaml").unlink()  # the offer that referred to it
    pdf = content / "files/methodologies/FO-001/FO-001_v2.10.pdf"
    pdf.write_bytes(pdf.read_bytes() + b"\n% revised\n")
    (content / "redirects.yaml").write_text((content / "redirects.yaml").read_text() + "/new-old/: /offers/\n")
    git(repo, "commit", "-q", "-am", "head")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "add news")

    result = changes(repo, "HEAD~2", "HEAD", "--site-url", "https://preview.example")
    assert result.returncode == 0, result.stderr
    report = result.stdout
    assert report.startswith("## 公開サイトへの影響 / What this change does to the site")
    rows = {line.split(" | ")[0].strip("| "): line for line in report.splitlines() if line.startswith("| [`/")}
    offer = rows["[`/offers/kochi-forest/`](https://preview.example/offers/kochi-forest/)"]
    assert "[`/en/offers/kochi-forest/`](https://preview.example/en/offers/kochi-forest/)" in offer
    assert offer.endswith("| 変更 changed | 変更 changed |")  # the English page gains its out-of-date notice
    assert rows["[`/news/2026-11-20-new/`](https://preview.example/news/2026-11-20-new/)"].endswith(
        "| 追加 added | 追加 added |")
    assert rows["[`/projects/P0014/`](https://preview.example/projects/P0014/)"].endswith("| 削除 removed | 削除 removed |")
    assert "| [`/files/methodologies/FO-001/FO-001_v2.10.pdf`](https://preview.example/files/methodologies/FO-001/FO-001_v2.10.pdf) | 変更 changed |" in report
    assert "古くなった英訳 / made stale: `ja/offers/kochi-forest.yaml` (English: `en/offers/kochi-forest.yaml`)" in report
    assert "英訳なし / new, not translated: `ja/news/2026-11-20-new.md`" in report
    assert "+    \"/new-old/\" \"/offers/\";" in report  # the nginx map's diff
    assert "/offers/secret-offer/" not in report and "MARKER" not in report
    assert "pagefind/" not in report  # the search index follows the pages, and is not listed


def test_the_report_shows_what_a_reader_sees_differently_and_which_data_rows_changed(repo):
    edit(repo / "content/ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 9000")
    git(repo, "commit", "-q", "-am", "quantity")
    result = changes(repo, "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    page = result.stdout.split("<summary>/offers/kochi-forest/ の変化 / what changed</summary>")[1].split("</details>")[0]
    assert "\n-数量（t-CO2） 12,000\n+数量（t-CO2） 9,000\n" in page, page
    rows = result.stdout.split("<summary>/offers/offers.csv の変化 / rows changed</summary>")[1].split("</details>")[0]
    assert [line[:1] for line in rows.splitlines() if line.startswith(("-kochi", "+kochi"))] == ["-", "+"]
    assert ",12000," in rows and ",9000," in rows


def test_removed_pages_come_first_and_messages_show_as_text(tmp_path):
    """A page removed among hundreds changed is listed before the limit cuts the list; the
    markup a message quotes is text in the comment, not HTML GitHub would filter; a warning
    that only moved to another line is not new."""
    from changes import LIST_LIMIT, Revision, report

    page = lambda text: f"<html><body><main><p>{text}</p></main></body></html>".encode()  # noqa: E731
    base_files = {f"projects/P{n:04d}/index.html": page(n) for n in range(LIST_LIMIT + 20)}
    head_files = {name: page("changed") for name in base_files if name != "projects/P0077/index.html"}
    moved = "WARNING: content/ja/news/n.md:{}: body: <form> は本文に書けません（表示されません） / <form> is not allowed in the text"
    base = Revision("main", "a" * 40, tmp_path, built=True, files=base_files, warnings=[moved.format(13)])
    head = Revision("HEAD", "b" * 40, tmp_path, built=True, files=head_files, warnings=[moved.format(15)],
                    problems=[{"path": "content/ja/meetings/m.yaml", "line": "3", "field": "committee",
                               "ja": "「<details><summary>x」は使えない値です", "en": "'<details><summary>x' is not allowed"}])
    text = report(base, head, BUILD_DATE, None)
    table = [line for line in text.splitlines() if line.startswith("| `/")]
    assert table[0].startswith("| `/projects/P0077/` |") and "削除 removed" in table[0]
    assert "\n\n… and 20 more" in text  # a paragraph after the table, not one more row of it
    assert "&lt;details&gt;&lt;summary&gt;x" in text and "<details><summary>x" not in text
    assert "New build warnings" not in text


def test_base_that_does_not_build_and_head_that_does_are_told_apart(tmp_path):
    from changes import Revision, report
    problem = {"path": "content/ja/methodologies/FO-001.yaml", "line": "4", "field": "version", "ja": "x", "en": "y"}
    base = Revision("main", "a" * 40, tmp_path, built=False, problems=[problem])
    head = Revision("HEAD", "b" * 40, tmp_path, built=True)
    text = report(base, head, BUILD_DATE, None)
    assert "`HEAD` builds, fixing 1 problem(s)" in text and "does not build either" not in text


def test_a_symbolic_link_to_an_absolute_path_is_reported_not_a_crash(repo):
    link = repo / "content/files/meetings/steering-040/shiryo9.pdf"
    link.symlink_to("/srv/shared/shiryo9.pdf")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "link")
    result = changes(repo, "HEAD~1", "HEAD")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "- `content/files/meetings/steering-040/shiryo9.pdf:1`" in result.stdout
    assert "a symbolic link or special file cannot be built" in result.stdout


def test_an_output_check_names_the_page_not_the_folder_it_was_built_in(repo):
    news = repo / "content/ja/news/2026-11-01-offers.md"
    news.write_text(news.read_text(encoding="utf-8") + "\n[売り出し](/offers/kochi-forest/#no-such-part)\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a link to a missing part")
    result = changes(repo, "HEAD~1", "HEAD")
    assert result.returncode == 1
    assert "- `/news/2026-11-01-offers/` **a[href]**" in result.stdout
    assert "/output/" not in result.stdout and "index.html" not in result.stdout


def test_a_change_that_breaks_validation_is_reported_with_its_problems(repo):
    edit(repo / "content/ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: １２０００")
    git(repo, "commit", "-q", "-am", "typo")
    result = changes(repo, "main~1")
    assert result.returncode == 1
    assert "### ⚠ HEAD はビルドできません / HEAD does not build" in result.stdout
    assert "- `content/ja/offers/kochi-forest.yaml:7` **quantity_t_co2**: " in result.stdout


def test_an_unchanged_site_says_so(repo):
    (repo / "README.md").write_text("changed text outside the site\n")
    git(repo, "commit", "-q", "-am", "docs")
    result = changes(repo, "HEAD~1", "HEAD")
    assert result.returncode == 0, result.stderr
    assert "The published site does not change." in result.stdout


def test_only_the_build_warnings_the_change_brings_are_listed(tmp_path):
    from changes import Revision, report

    base = Revision("main", "a" * 40, tmp_path, built=True, warnings=["WARNING: old one"])
    head = Revision("HEAD", "b" * 40, tmp_path, built=True, warnings=["WARNING: old one", "WARNING: new one"])
    text = report(base, head, BUILD_DATE, None)
    assert "New build warnings (1)" in text and "- WARNING: new one" in text and "old one" not in text
    assert "Build warnings" not in report(base, base, BUILD_DATE, None)


def test_a_lasting_work_folder_builds_on_the_last_report_and_reports_the_same(repo, tmp_path):
    """A pull request's next push (CI keeps the work folder): BASE's build is taken from the
    last report, HEAD is built over the last HEAD's tree and output, and the report is the one
    a report from scratch gives. A folder left mid-build is emptied and built afresh."""
    work = tmp_path / "work"
    content = repo / "content"
    edit(content / "ja/offers/kochi-forest.yaml", "価格はご相談に応じます。", "価格は1t当たり5,000円です。")
    git(repo, "commit", "-q", "-am", "first push")
    first = changes(repo, "HEAD~1", "HEAD", "--work", str(work))
    assert first.returncode == 0, first.stderr
    assert "taken from" not in first.stderr and (work / "base.pickle").is_file()

    (content / "ja/news/2026-11-12-heat-pump.md").unlink()  # gone from the tree the last report left
    git(repo, "commit", "-q", "-am", "second push")
    again = changes(repo, "HEAD~2", "HEAD", "--work", str(work))
    assert again.returncode == 0, again.stderr
    assert "HEAD~2 (" in again.stderr and f"its build is taken from {work / 'base.pickle'}" in again.stderr
    rows = {line.split(" | ")[0].strip("| "): line for line in again.stdout.splitlines() if line.startswith("| `/")}
    assert rows["`/offers/kochi-forest/`"].endswith("| 変更 changed | 変更 changed |")
    assert rows["`/news/2026-11-12-heat-pump/`"].split(" | ")[2] == "削除 removed"

    (work / "building").touch()  # as a report killed while it built leaves it
    afresh = changes(repo, "HEAD~2", "HEAD", "--work", str(work))
    assert afresh.returncode == 0, afresh.stderr
    assert "taken from" not in afresh.stderr and not (work / "building").exists()
    assert again.stdout == afresh.stdout


def test_the_diffs_stay_within_what_a_comment_holds(tmp_path):
    """GitHub keeps 65,536 characters of a comment: the diffs of many large changes stop at
    their budget, whole (a cut inside a fence would turn the rest of the comment into code)."""
    from changes import DIFF_BUDGET, Revision, report

    def page(word: str) -> bytes:
        return ("<html><body><main>" + "".join(f"<p>{word} {n} {'x' * 150}</p>\n" for n in range(80))
                + "</main></body></html>").encode()

    base = Revision("main", "a" * 40, tmp_path, built=True, files={f"p{n}/index.html": page("old") for n in range(10)})
    head = Revision("HEAD", "b" * 40, tmp_path, built=True, files={f"p{n}/index.html": page("new") for n in range(10)})
    text = report(base, head, BUILD_DATE, None)
    blocks = text.count("<details><summary>")
    assert 1 <= blocks < 10 and text.count("```diff") == blocks and text.count("</details>") == blocks
    assert len(text) < DIFF_BUDGET + 5_000
