"""What an editor's attachment may be, as `make check` and the build see it: a file where its
path says, below the content root, of a type whose hidden data the output checks read, not a
symbolic link, and not a file an internal item keeps. Each refusal names the file, the line
and the field; the build publishes nothing then."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import FIXTURE, run_build
from model import load_site
from test_validation import MEETING, MEETING_FILES, make_tree, only, problems_of

PUBLIC_MEETING = """\
committee: steering
number: 39
date: 2026-06-10
agenda: [開会]
materials:
  - title: 参考資料
    file: {file}
"""


def meeting_tree(tmp_path, file: str, extra: dict | None = None):
    return make_tree(tmp_path, {**MEETING_FILES, **(extra or {}),
                                "ja/meetings/steering-040.yaml": MEETING.format(contact="jimukyoku@example.go.jp"),
                                "ja/meetings/steering-039.yaml": PUBLIC_MEETING.format(file=file)})


@pytest.mark.parametrize("file", ["files/../ja/methodologies/FO-001.yaml", "files/m/../m/shidai.pdf", "files/./m/shidai.pdf",
                                  "files//m/shidai.pdf", "files/m\\shidai.pdf"])
def test_a_path_that_climbs_or_wanders_is_refused_on_its_line(tmp_path, file):
    """The path is copied to the output as written: files/../ja/... would publish a record's
    source, an internal one included."""
    problem = only(problems_of(meeting_tree(tmp_path, file)), "materials[0].file")
    assert problem.path.endswith("ja/meetings/steering-039.yaml") and problem.line == 7
    assert "'..', '.' or an empty part" in problem.en and "「..」" in problem.ja


@pytest.mark.parametrize("file", ["/files/m/shidai.pdf", "content/files/m/shidai.pdf", "./files/m/shidai.pdf"])
def test_a_path_from_the_site_or_repository_root_is_told_once_with_the_path_to_write(tmp_path, file):
    problems = [p for p in problems_of(meeting_tree(tmp_path, file)) if p.field == "materials[0].file"]
    assert len(problems) == 1, [str(p) for p in problems]  # not also "an empty part" for the leading "/"
    problem = problems[0]
    assert problem.line == 7 and problem.en.endswith("; write files/m/shidai.pdf")
    assert problem.ja.endswith("files/m/shidai.pdf と書いてください")


@pytest.mark.parametrize("name", ["sanko.html", "sanko.js", "zu.svg", "shiryo.pptx", "shiryo.xls", "photo.jpg", "noext"])
def test_a_file_of_a_type_the_checks_cannot_read_is_refused(tmp_path, name):
    """An HTML page or script would run as this site (its CSP allows 'self'); a slide deck or
    an old Office file would carry authors' names the checks cannot see."""
    root = meeting_tree(tmp_path, f"files/m/{name}", {f"files/m/{name}": "x"})
    problem = only(problems_of(root), "materials[0].file")
    assert problem.line == 7 and "cannot be published" in problem.en and "PDF" in problem.en and "公開できません" in problem.ja


def test_a_markdown_link_to_a_script_or_up_the_tree_is_refused_on_its_line(tmp_path):
    root = meeting_tree(tmp_path, "files/m/shidai.pdf", {
        "files/m/x.js": "alert(1)",
        "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n[資料](/files/m/x.js)\n\n[内部](/files/../ja/methodologies/FO-001.yaml)\n"})
    problems = [p for p in problems_of(root) if p.path.endswith("n.md")]
    assert [(p.line, "cannot be published" in p.en or "'..'" in p.en) for p in problems] == [(4, True), (6, True)]


def test_symbolic_links_in_the_content_are_refused(tmp_path):
    """git keeps a symbolic link; a build following it would publish what it points at, a
    file of the build machine's (/etc/passwd) or another item's internal memo."""
    root = meeting_tree(tmp_path, "files/m/link.pdf")
    (root / "files/m/link.pdf").symlink_to(root / "files/m/memo.pdf")
    (root / "files/m/passwd.pdf").symlink_to("/etc/passwd")
    (root / "ja/news").mkdir(parents=True)
    (root / "ja/news/2026-10-01-n.md").symlink_to("/etc/hostname")
    problems = problems_of(root)
    links = sorted(p.path.rsplit("/", 1)[1] for p in problems if "symbolic links are not allowed" in p.en)
    assert links == ["2026-10-01-n.md", "link.pdf", "passwd.pdf"]
    assert "symbolic link cannot be published" in only(problems, "materials[0].file").en


def test_a_public_item_may_not_attach_a_file_an_internal_item_keeps(tmp_path):
    root = meeting_tree(tmp_path, "files/m/memo.pdf")
    problem = only(problems_of(root), "materials[0].file")
    assert problem.path.endswith("ja/meetings/steering-039.yaml") and problem.line == 7
    assert "files/m/memo.pdf is not published (internal in ja/meetings/steering-040.yaml)" in problem.en


def test_a_closed_committees_paper_may_not_be_attached_to_a_public_meeting(tmp_path):
    root = make_tree(tmp_path, {"files/c/list.pdf": "%PDF-1.4\n", "ja/meetings/steering-039.yaml": PUBLIC_MEETING.format(file="files/c/list.pdf"),
                                "ja/meetings/certification-058.yaml": "committee: certification\nnumber: 58\ndate: 2025-08-19\n"
                                "agenda: [審議]\nmaterials:\n  - title: 審議対象\n    file: files/c/list.pdf\n"})
    assert "internal in ja/meetings/certification-058.yaml" in only(problems_of(root), "materials[0].file").en
    load_site(FIXTURE)  # the fixture's closed-committee papers are attached to nothing public


def test_the_build_stops_before_publishing_a_refused_attachment(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    meeting = content / "ja/meetings/steering-040.yaml"
    text = meeting.read_text(encoding="utf-8")
    meeting.write_text(text.replace("file: files/meetings/steering-040/shiryo1.pdf",
                                    "file: files/meetings/steering-040/../../../ja/pages/secret.md", 1), encoding="utf-8")
    assert meeting.read_text(encoding="utf-8") != text
    result = run_build(content=content, output=tmp_path / "output")
    assert result.returncode == 1 and "steering-040.yaml" in result.stderr and "'..'" in result.stderr
    assert not (tmp_path / "output").exists() and not os.listdir(tmp_path) == []


def test_a_link_that_runs_over_two_lines_is_checked_as_the_build_reads_it(tmp_path):
    """"[memo](⏎/files/…)" is a link to Markdown, and the build publishes what it leads to: the
    checks read it so too, on the line where its target starts; in an HTML comment as well."""
    root = meeting_tree(tmp_path, "files/m/shidai.pdf", {
        "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n[メモ](\n/files/m/memo.pdf)\n\n<!-- <a href=\n\"/files/../x.csv\"> -->\n"})
    problems = sorted((p.line, p.en) for p in problems_of(root) if p.path.endswith("n.md"))
    assert [line for line, _ in problems] == [5, 8]
    assert "files/m/memo.pdf: internal in ja/meetings/steering-040.yaml" in problems[0][1]
    assert "'..'" in problems[1][1]


def test_the_build_refuses_to_publish_a_kept_file_the_checks_could_not_see(tmp_path):
    """A YAML escape (\\u002f for "/") hides a link from a reading of the file's lines, not from
    the build, which reads the value: the build itself refuses to publish a file an internal
    item keeps, and publishes nothing."""
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)
    output = tmp_path / "output"
    assert run_build(content=content, output=output).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    (content / "ja/faqs/memo.yaml").write_text(
        'category: general\norder: 99\nquestion: 資料はどこですか。\n'
        'answer: "[資料](\\u002ffiles/meetings/steering-040/shiryo2-internal.pdf)"\n', encoding="utf-8")
    result = run_build(content=content, output=output)
    assert result.returncode == 1, result.stdout
    assert "files/meetings/steering-040/shiryo2-internal.pdf" in result.stderr and "cannot be published" in result.stderr
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before


def test_no_output_file_is_written_or_removed_out_of_the_output_folder(tmp_path):
    from site_pages.output import BuildState, Output

    outside = tmp_path / "victim.csv"
    outside.write_text("keep\n", encoding="utf-8")
    output = Output(tmp_path / "out", staged=False)
    for path in ("../victim.csv", "files/../../victim.csv", "/etc/x.csv", "files//x.csv", "files/./x.csv"):
        with pytest.raises(RuntimeError, match="not a path inside the output folder"):
            output.write(path, b"x")
    # A state left by an older build naming such a path removes nothing out of the folder.
    state = BuildState(str(tmp_path / "cache"), tmp_path / "out")
    state.produced = {"../victim.csv"}
    Output(tmp_path / "out", staged=True, state=state).commit()
    assert outside.read_text(encoding="utf-8") == "keep\n"


def test_a_link_in_a_markdown_field_is_told_under_that_fields_name(tmp_path):
    """Not as field "-": the editor looks for the minutes, the answer or the page's body."""
    root = meeting_tree(tmp_path, "files/m/shidai.pdf", {
        "ja/news/n.md": "Title: お知らせ\nDate: 2026-10-01\n\n本文\n\n[資料](/files/m/nai.pdf)\n"})
    meeting = root / "ja/meetings/steering-039.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8") + "minutes: |\n  議事\n\n  [一覧](/offers/nai/)\n",
                       encoding="utf-8")
    found = sorted((Path(p.path).name, p.line, p.field) for p in problems_of(root))
    assert found == [("n.md", 6, "body"), ("steering-039.yaml", 11, "minutes")]
