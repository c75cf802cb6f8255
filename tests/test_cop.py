"""COP daily negotiation reports: internal by default, never in any form in the public build,
and in the internal preview (`make internal`) with every page marked not for publication."""

from __future__ import annotations

import subprocess

import lxml.html
import pytest

from conftest import FIXTURE, ROOT, read, run_build
from model import load_site

CONTENT = ROOT / "content"


@pytest.fixture(scope="module")
def repository_builds(tmp_path_factory):
    """The repository's own content, built public and internal."""
    base = tmp_path_factory.mktemp("repository")
    for mode, args in (("public", ()), ("internal", ("--internal",))):
        result = run_build(*args, content=CONTENT, output=base / mode)
        assert result.returncode == 0, result.stderr
    return base / "public", base / "internal"


def cop_reports(content):
    reports = load_site(content).all("cop")
    assert reports and all(r.internal for r in reports)  # no report says otherwise
    return reports


def test_repository_cop_reports_are_nowhere_in_the_public_build(repository_builds):
    public, _ = repository_builds
    reports = cop_reports(CONTENT)
    assert len(reports) == 2
    assert not (public / "international/cop").exists() and not (public / "en/international/cop").exists()
    secrets = [r.title for r in reports] + ["【内部検討用】", "相当調整の報告時期に関する記述"]
    for path in public.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret.encode("utf-8") not in data, (secret, path)
    international = lxml.html.fromstring(read(public, "international/index.html"))
    assert not [h for h in international.xpath("//a/@href") if "/cop/" in h]


def test_repository_cop_reports_are_in_the_internal_preview_marked_on_every_page(repository_builds):
    _, internal = repository_builds
    for report in cop_reports(CONTENT):
        for prefix in ("", "en/"):
            html = read(internal, f"{prefix}international/cop/{report.id}/index.html")
            assert report.title in html
    listing = lxml.html.fromstring(read(internal, "international/cop/index.html"))
    assert len(listing.xpath("//main//ul[@class='item-list']/li")) == 2
    pages = list(internal.rglob("*.html"))
    assert len(pages) > 100
    for path in pages:
        tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        banner = tree.xpath("//div[@class='internal-banner']")
        assert banner, path
        assert ("公開禁止" if tree.get("lang") == "ja" else "not for publication") in banner[0].text_content(), path
        assert tree.xpath("//meta[@name='robots'][@content='noindex, nofollow']"), path


def test_make_internal_builds_the_preview_with_the_daily_report(tmp_path):
    output = tmp_path / "preview"
    result = subprocess.run(["make", "-s", "internal", f"CONTENT={FIXTURE}", f"OUTPUT={output}",
                             "BUILD_DATE=2026-11-23"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = read(output, "international/cop/cop31-day1/index.html")
    assert "MARKER-COP-REPORT" in html and 'class="internal-banner"' in html


def test_a_report_stated_public_is_published(tmp_path, content_copy):
    report = content_copy / "ja/international/cop/cop31-day1.md"
    report.write_text(report.read_text(encoding="utf-8").replace("Topics:", "Visibility: public\nTopics:", 1),
                      encoding="utf-8")
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    html = read(output, "international/cop/cop31-day1/index.html")
    assert "MARKER-COP-REPORT" in html and "internal-banner" not in html


@pytest.mark.parametrize("written", ["第6条、緩和", "第6条，緩和", "第6条, 緩和"])
def test_topics_typed_with_a_japanese_comma_are_two_topics(content_copy, written):
    report = content_copy / "ja/international/cop/cop31-day1.md"
    report.write_text(report.read_text(encoding="utf-8").replace("Topics: 第6条, 緩和", f"Topics: {written}"),
                      encoding="utf-8")
    [record] = load_site(content_copy).all("cop")
    assert record.data["topics"] == ["第6条", "緩和"]
