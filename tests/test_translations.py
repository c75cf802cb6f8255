"""The translation workflow on a copy of the fixture tree: status, mark, diff and stub through
the real command line, with and without git history."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import lxml.html
import pytest

from conftest import ROOT, read, run_build

SCRIPT = ROOT / "scripts" / "translations.py"


def translations(content: Path, *args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(SCRIPT), "--content", str(content), *args],
                          capture_output=True, text=True, cwd=cwd)


def states(content: Path, *args: str) -> dict[str, str]:
    result = translations(content, "status", "--json", *args)
    assert result.returncode == 0, result.stderr
    return {item["path"]: item["state"] for item in json.loads(result.stdout)["items"]}


def status_of(content: Path, path: str) -> dict:
    result = translations(content, "status", "--json")
    return next(item for item in json.loads(result.stdout)["items"] if item["path"] == path)


def git(content: Path, *args: str, day: str = "2026-05-01") -> str:
    """git in the content tree, with a fixed author and commit date."""
    moment = f"{day}T10:00:00+09:00"
    env = {**os.environ, "GIT_AUTHOR_DATE": moment, "GIT_COMMITTER_DATE": moment,
           "GIT_AUTHOR_NAME": "editor", "GIT_AUTHOR_EMAIL": "editor@example.org",
           "GIT_COMMITTER_NAME": "editor", "GIT_COMMITTER_EMAIL": "editor@example.org"}
    result = subprocess.run(["git", *args], cwd=content, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def commit_all(content: Path, message: str, day: str) -> str:
    git(content, "add", "-A")
    git(content, "commit", "-q", "-m", message, day=day)
    return git(content, "rev-parse", "HEAD").strip()


@pytest.fixture
def repo(content_copy) -> Path:
    """The fixture tree as its own git repository, every English file pinned on 2026-05-01."""
    git(content_copy, "init", "-q")
    commit_all(content_copy, "content", "2026-05-01")
    result = translations(content_copy, "mark", "meetings/steering-040.yaml", "news/2026-10-01-meeting.md")
    assert result.returncode == 0, result.stderr
    commit_all(content_copy, "pin", "2026-05-02")
    return content_copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


# -- status ----------------------------------------------------------------------------------

def test_status_lists_every_public_file_as_missing_stale_or_current(content_copy):
    found = states(content_copy)
    assert found["offers/kochi-forest.yaml"] == "current"
    assert found["pages/about.md"] == "current"
    assert found["meetings/steering-040.yaml"] == "stale"  # its pin is a placeholder
    assert found["offers/boiler-tokyo.yaml"] == "missing"
    assert found["reports/ndc-study/meta.yaml"] == "missing"
    assert found["reports/ndc-study/report.md"] == "missing"  # a report is translated in two files
    assert "offers/secret-offer.yaml" not in found and "pages/secret.md" not in found  # internal
    assert "offers/secret-offer.yaml" in states(content_copy, "--internal")
    text = translations(content_copy, "status").stdout
    assert "current  offers/kochi-forest.yaml" in text and "missing  offers/boiler-tokyo.yaml" in text


def test_shared_value_edit_keeps_current_and_text_edit_makes_stale(content_copy):
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    edit(offer, "quantity_t_co2: 12000", "quantity_t_co2: 9000")
    edit(offer, "listed_on: 2026-09-01", "listed_on: 2026-09-15")
    edit(offer, "methodology: FO-001\nproject_id: P0010", "methodology: AG-005")  # an offer's methodology is its project's
    edit(offer, "prefecture: 北海道", "prefecture: 高知県")
    assert states(content_copy)["offers/kochi-forest.yaml"] == "current"
    edit(offer, "価格はご相談に応じます。", "価格は1t-CO2あたり5,000円です。")
    assert states(content_copy)["offers/kochi-forest.yaml"] == "stale"


def test_markdown_page_goes_stale_when_its_body_changes_not_its_date(content_copy):
    page = content_copy / "ja/pages/about.md"
    edit(page, "Title: 制度について", "Title: 制度について\nModified: 2026-11-01\nOrder: 3")
    assert states(content_copy)["pages/about.md"] == "current"
    edit(page, "- 適切な森林管理", "- 適切な森林管理\n- 農業分野の取組")
    assert states(content_copy)["pages/about.md"] == "stale"


def test_check_fails_when_anything_is_missing_or_stale(content_copy):
    result = translations(content_copy, "status", "--check")
    assert result.returncode == 1
    assert "stale" in result.stderr
    assert translations(content_copy, "status").returncode == 0  # without --check it only reports


def test_check_passes_when_every_public_file_is_current(tmp_path):
    content = tmp_path / "content"
    (content / "ja/regional").mkdir(parents=True)
    (content / "en/regional").mkdir(parents=True)
    (content / "ja/regional/kochi.yaml").write_text(
        "name: 高知県J-クレジット制度\noperator: 高知県\napproved_on: 2026-04-01\n"
        "url: https://www.example.jp/kochi/\n", encoding="utf-8")
    (content / "en/regional/kochi.yaml").write_text(
        "name: Kochi J-Credit Scheme\noperator: Kochi Prefecture\n", encoding="utf-8")
    assert translations(content, "status", "--check").returncode == 1  # unpinned
    assert translations(content, "mark", "regional/kochi.yaml").returncode == 0
    result = translations(content, "status", "--check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "current  regional/kochi.yaml" in result.stdout


def test_summary_counts_by_collection_and_names_the_stale(content_copy):
    result = translations(content_copy, "status", "--summary")
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "current 3" in lines[0] and "stale 2" in lines[0]
    assert any(line.split()[:4] == ["offers", "4", "0", "1"] for line in lines)
    assert "  meetings/steering-040.yaml" in result.stdout


def test_bad_content_is_reported_not_traced(content_copy):
    (content_copy / "en/offers/kochi-forest.yaml").write_text("brand: [\n", encoding="utf-8")
    result = translations(content_copy, "status")
    assert result.returncode == 1
    assert "en/offers/kochi-forest.yaml:" in result.stderr and "Traceback" not in result.stderr


# -- mark ------------------------------------------------------------------------------------

def test_mark_pins_yaml_first_line_and_keeps_every_other_byte(content_copy):
    english = content_copy / "en/meetings/steering-040.yaml"
    before = english.read_bytes()
    for argument in ("meetings/steering-040.yaml", "content/en/meetings/steering-040.yaml",
                     str(content_copy / "ja/meetings/steering-040.yaml")):
        result = translations(content_copy, "mark", argument, cwd=content_copy.parent)
        assert result.returncode == 0, result.stderr
    after = english.read_bytes()
    assert after.split(b"\n", 1)[1] == before.split(b"\n", 1)[1]
    assert after.startswith(b'source_hash: "sha256:') and after != before
    assert states(content_copy)["meetings/steering-040.yaml"] == "current"
    assert "venue" in result.stdout  # the fields still in Japanese are named


def test_mark_adds_a_pin_to_a_markdown_page_metadata(content_copy):
    english = content_copy / "en/news/2026-10-01-meeting.md"
    english.write_text("Title: Minutes published\r\n\r\nWe have published the minutes.\r\n", encoding="utf-8")
    assert translations(content_copy, "mark", "ja/news/2026-10-01-meeting.md").returncode == 0
    text = english.read_bytes().decode()
    assert text.startswith("Title: Minutes published\r\nSource_hash: sha256:")
    assert text.endswith("\r\n\r\nWe have published the minutes.\r\n")
    assert states(content_copy)["news/2026-10-01-meeting.md"] == "current"


def test_mark_refuses_unknown_paths_and_missing_english(content_copy):
    result = translations(content_copy, "mark", "offers/kochi-forst.yaml")
    assert result.returncode == 1 and "offers/kochi-forest.yaml" in result.stderr  # did you mean
    result = translations(content_copy, "mark", "offers/boiler-tokyo.yaml")
    assert result.returncode == 1 and "stub" in result.stderr
    assert not (content_copy / "en/offers/boiler-tokyo.yaml").exists()


def test_mark_pins_the_commit_when_the_japanese_is_committed(repo):
    english = (repo / "en/meetings/steering-040.yaml").read_text(encoding="utf-8")
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert f'source_commit: "{first}"' in english.splitlines()[1]
    # an uncommitted Japanese file has no commit to pin: a stale source_commit is removed
    edit(repo / "ja/meetings/steering-040.yaml", "方法論の改定について", "方法論の改定について（第2回）")
    assert translations(repo, "mark", "meetings/steering-040.yaml").returncode == 0
    assert "source_commit" not in (repo / "en/meetings/steering-040.yaml").read_text(encoding="utf-8")


# -- diff ------------------------------------------------------------------------------------

def test_diff_shows_the_changed_japanese_since_the_pinned_commit(repo):
    edit(repo / "ja/meetings/steering-040.yaml", "令和8年度の制度運営について\n", "令和9年度の制度運営の見直しについて\n")
    edit(repo / "ja/meetings/steering-040.yaml", "number: 40", "number: 40")
    commit_all(repo, "revise the agenda", "2026-10-02")
    status = status_of(repo, "meetings/steering-040.yaml")
    assert status["state"] == "stale"
    assert status["changed_fields"] == ["agenda.1"]
    assert status["japanese_changed_on"] == "2026-10-02"
    result = translations(repo, "diff", "meetings/steering-040.yaml")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "from source_commit" in out and "2026-10-02" in out
    assert "- 令和8年度の制度運営について" in out and "+ 令和9年度の制度運営の見直しについて" in out
    assert "Operation of the scheme in FY2026" in out  # the English to revise
    assert "方法論の改定について" not in out  # unchanged agenda items stay out of the diff


def test_diff_finds_the_pinned_text_in_history_without_source_commit(repo):
    english = repo / "en/news/2026-10-01-meeting.md"
    english.write_text("\n".join(l for l in english.read_text(encoding="utf-8").split("\n")
                                 if not l.startswith("Source_commit")), encoding="utf-8")
    page = repo / "ja/news/2026-10-01-meeting.md"
    edit(page, "議事概要を掲載しました。", "議事概要を掲載しました。\n\n資料は委員会のページをご覧ください。")
    commit_all(repo, "add a paragraph", "2026-10-05")
    out = translations(repo, "diff", "content/en/news/2026-10-01-meeting.md").stdout
    assert "git history (by source_hash)" in out
    assert "-- body:p2" in out and "+ 資料は委員会のページをご覧ください。" in out


def test_diff_without_git_compares_with_the_snapshot_mark_kept(content_copy):
    assert translations(content_copy, "mark", "offers/kochi-forest.yaml").returncode == 0
    edit(content_copy / "ja/offers/kochi-forest.yaml", "中標津町", "中標津町森林組合")
    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 3000")
    assert status_of(content_copy, "offers/kochi-forest.yaml")["changed_fields"] == ["seller"]
    out = translations(content_copy, "diff", "offers/kochi-forest.yaml").stdout
    assert "stale" in out and "snapshot" in out
    assert "-- seller\n   - 中標津町\n   + 中標津町森林組合\n" in out and "English now: Nakashibetsu Town" in out
    assert "conditions" not in out and "3000" not in out


def test_diff_of_a_missing_translation_lists_the_japanese_to_translate(content_copy):
    out = translations(content_copy, "diff", "offers/boiler-tokyo.yaml").stdout
    assert "missing" in out and "-- seller\n   株式会社東京テスト不動産" in out


def test_diff_with_nothing_to_compare_shows_japanese_and_english_side_by_side(content_copy):
    edit(content_copy / "ja/offers/kochi-forest.yaml", "中標津町", "中標津町森林組合")
    out = translations(content_copy, "diff", "offers/kochi-forest.yaml").stdout
    assert "stale" in out and "not known" in out
    assert "-- seller" in out and "ja: 中標津町森林組合" in out and "en: Nakashibetsu Town" in out


def test_shared_value_commit_does_not_move_the_japanese_change_date(repo):
    edit(repo / "ja/meetings/steering-040.yaml", "方法論の改定について", "方法論の改定案について")
    commit_all(repo, "text", "2026-09-01")
    edit(repo / "ja/meetings/steering-040.yaml", "time: \"14:00-16:00\"", "time: \"15:00-17:00\"")
    commit_all(repo, "time only", "2026-09-20")
    assert status_of(repo, "meetings/steering-040.yaml")["japanese_changed_on"] == "2026-09-01"


# -- stub ------------------------------------------------------------------------------------

def test_stub_starts_a_yaml_translation_that_validates_and_shows_the_japanese(content_copy):
    result = translations(content_copy, "stub", "content/ja/meetings/steering-041.yaml")
    assert result.returncode == 0, result.stderr
    stub = (content_copy / "en/meetings/steering-041.yaml").read_text(encoding="utf-8")
    japanese = (content_copy / "ja/meetings/steering-041.yaml").read_text(encoding="utf-8")
    first_item = next(line.strip()[2:] for line in japanese.splitlines() if line.startswith("  - "))
    assert f"# {first_item}" in stub and "agenda:" in stub
    assert states(content_copy)["meetings/steering-041.yaml"] == "missing"  # nothing translated yet
    assert translations(content_copy, "stub", "meetings/steering-041.yaml").returncode == 1  # no overwrite
    filled = stub.replace("agenda:\n  # ", "agenda:\n  - Opening\n  # ", 1)
    (content_copy / "en/meetings/steering-041.yaml").write_text(filled, encoding="utf-8")
    assert translations(content_copy, "mark", "meetings/steering-041.yaml").returncode == 0
    assert states(content_copy)["meetings/steering-041.yaml"] == "current"


def test_stub_leaves_out_what_the_public_site_does_not_show(content_copy):
    """As the export does: a closed committee's minutes and an internal material are never
    shown in English, and a stub may go to a translator outside the secretariat."""
    assert translations(content_copy, "stub", "meetings/certification-058.yaml").returncode == 0
    stub = (content_copy / "en/meetings/certification-058.yaml").read_text(encoding="utf-8")
    assert "MARKER" not in stub and "minutes:" not in stub and "results:" in stub
    assert translations(content_copy, "stub", "--force", "meetings/steering-040.yaml").returncode == 0
    stub = (content_copy / "en/meetings/steering-040.yaml").read_text(encoding="utf-8")
    assert "MARKER" not in stub
    assert stub.split("materials:\n", 1)[1].startswith("  - {}\n  -\n    # ")  # the internal item keeps its place
    assert translations(content_copy, "status").returncode == 0  # both stubs validate


def test_stub_starts_a_markdown_translation_with_the_japanese_in_comments(content_copy):
    assert translations(content_copy, "stub", "pages/contact.md").returncode == 0
    stub = (content_copy / "en/pages/contact.md").read_text(encoding="utf-8")
    assert stub.startswith("Title:\n\n<!--\nTitle: ")
    assert states(content_copy)["pages/contact.md"] == "missing"
    assert translations(content_copy, "status").returncode == 0  # the stub validates


# -- in the built site -----------------------------------------------------------------------

def built(content: Path, tmp_path: Path, *args: str) -> Path:
    output = tmp_path / ("internal" if args else "public")
    result = run_build(*args, content=content, output=output)
    assert result.returncode == 0, result.stderr
    return output


def notice(output: Path, path: str):
    tree = lxml.html.fromstring(read(output, path + "index.html"))
    found = tree.xpath("//main//div[contains(@class,'notice')][@role='note']")
    return found[0] if found else None


def test_stale_english_page_names_the_day_the_japanese_changed(repo, tmp_path):
    edit(repo / "ja/meetings/steering-040.yaml", "令和8年度の制度運営について\n", "令和9年度の制度運営について\n")
    commit_all(repo, "revise the agenda", "2026-10-02")
    edit(repo / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 8000")
    commit_all(repo, "fewer credits", "2026-10-03")
    output = built(repo, tmp_path)
    stale = notice(output, "en/meetings/steering-040/")
    assert "The Japanese page was updated on October 2, 2026" in stale.text_content()
    assert stale.xpath(".//a[@hreflang='ja']/@href") == ["/meetings/steering-040/"]
    assert notice(output, "meetings/steering-040/") is None  # the Japanese page needs none
    assert notice(output, "en/offers/kochi-forest/") is None  # a shared value changed: still current
    assert "8,000" in read(output, "en/offers/kochi-forest/index.html")
    page = lxml.html.fromstring(read(output, "en/meetings/steering-040/index.html"))
    assert page.xpath("//nav[contains(@class,'lang-switch')]//a/@href") == ["/meetings/steering-040/"]


def test_stale_notice_without_git_history_names_no_day(content_copy, tmp_path):
    edit(content_copy / "ja/offers/kochi-forest.yaml", "中標津町", "中標津町役場")
    output = built(content_copy, tmp_path)
    text = " ".join(notice(output, "en/offers/kochi-forest/").text_content().split())
    assert "The Japanese page has been updated since this translation" in text


def test_stale_notice_without_git_takes_the_japanese_pages_modified_date(content_copy, tmp_path):
    edit(content_copy / "ja/pages/about.md", "Title: 制度について", "Title: 制度について\nModified: 2026-11-01")
    edit(content_copy / "ja/pages/about.md", "- 適切な森林管理", "- 適切な森林管理\n- 農業分野の取組")
    output = built(content_copy, tmp_path)
    assert "The Japanese page was updated on November 1, 2026" in notice(output, "en/about/").text_content()


def test_missing_english_falls_back_to_japanese_marked_with_a_notice(content_copy, tmp_path):
    translations(content_copy, "stub", "offers/gov-held.yaml")  # an empty stub translates nothing
    output = built(content_copy, tmp_path)
    for path in ("en/offers/boiler-tokyo/", "en/offers/gov-held/"):
        tree = lxml.html.fromstring(read(output, path + "index.html"))
        assert "has not been translated" in notice(output, path).text_content()
        assert tree.xpath("//main//h1/span[@lang='ja']")
        assert notice(output, path).xpath(".//a[@hreflang='ja']/@href") == ["/" + path[3:]]


def test_status_page_is_built_only_in_the_internal_preview(repo, tmp_path):
    edit(repo / "ja/meetings/steering-040.yaml", "令和8年度の制度運営について\n", "令和9年度の制度運営について\n")
    commit_all(repo, "revise the agenda", "2026-10-02")
    public = built(repo, tmp_path)
    assert not (public / "translation-status").exists() and not (public / "en/translation-status").exists()
    internal = built(repo, tmp_path, "--internal")
    for path in ("translation-status/", "en/translation-status/"):
        tree = lxml.html.fromstring(read(internal, path + "index.html"))
        rows = {row.xpath("string(th)").split()[0]: row for row in tree.xpath("//table[@id='translation-status']/tbody/tr")}
        assert rows["meetings/steering-040.yaml"].get("class") == "state-stale"
        assert "agenda.1" in rows["meetings/steering-040.yaml"].text_content()
        assert rows["meetings/steering-040.yaml"].xpath(".//time/@datetime") == ["2026-10-02"]
        assert rows["offers/boiler-tokyo.yaml"].get("class") == "state-missing"
        assert rows["pages/secret.md"].xpath(".//span[@class='badge']")  # internal items, marked
        assert tree.xpath("//meta[@name='robots'][@content='noindex, nofollow']")


def test_an_english_texts_links_to_the_sites_pages_lead_to_the_english_pages(tmp_path, content_copy):
    """A translator keeps the Japanese text's /meetings/steering-040/: an English reader, on the
    page and in the feed, is taken to /en/meetings/steering-040/; files and /en/ links stay."""
    news = content_copy / "en/news/2026-10-01-meeting.md"
    news.write_text(news.read_text(encoding="utf-8") + "\nSee [the minutes](/meetings/steering-040/#main), "
                    "[the data](/meetings/meetings.csv) and [the FAQ](/en/faqs/).\n", encoding="utf-8")
    output = tmp_path / "out"
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 0, result.stderr
    english = lxml.html.fromstring(read(output, "en/news/2026-10-01-meeting/index.html"))
    assert english.xpath("//main//p[starts-with(., 'See ')]/a/@href") == [
        "/en/meetings/steering-040/#main", "/meetings/meetings.csv", "/en/faqs/"]
    feed = read(output, "en/news/feed.atom")
    assert "https://japancredit.go.jp/en/meetings/steering-040/#main" in feed
    japanese = lxml.html.fromstring(read(output, "news/2026-10-01-meeting/index.html"))
    assert not [href for href in japanese.xpath("//main//a/@href") if href.startswith("/en/")]


def test_the_history_closes_while_a_process_forked_beside_the_build_holds_its_pipe(repo):
    """Old texts come through one `git cat-file --batch`; a check forked beside the build while
    it ran holds its input pipe open too, and may wait for the build to take its result. Closing
    the history stops git rather than wait for the end of its input: waiting deadlocked the build."""
    import threading

    from model.parallel import Beside
    from translation.history import ContentHistory

    history = ContentHistory(repo)
    first = git(repo, "rev-list", "--max-parents=0", "HEAD").strip()
    assert "方法論" in history.text_at(first, "ja/meetings/steering-040.yaml")
    release_read, release = os.pipe()
    beside = Beside(lambda: os.read(release_read, 1))  # blocked until this process lets it go
    closing = threading.Thread(target=history.close)
    closing.start()
    closing.join(timeout=10)
    waited = closing.is_alive()
    os.write(release, b"x")
    assert beside.result() == b"x"
    closing.join()
    assert not waited, "close() waited for the forked process"
    assert history._batch is None
