"""A real Pelican build of the fixture tree, asserted on the HTML a reader gets."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import lxml.html
import pytest

from conftest import FIXTURE, ROOT, read, run_build

DETAIL_PAGES = ["offers/kochi-forest/", "meetings/steering-040/", "meetings/certification-058/",
                "methodologies/FO-001/", "projects/P0010/", "international/ndc/JPN/",
                "reports/ndc-study/", "news/2026-10-01-meeting/", "about/"]
LIST_PAGES = ["", "offers/", "meetings/", "methodologies/", "regulations/", "faqs/", "providers/",
              "projects/", "regional/", "international/ndc/", "reports/", "news/", "statistics/",
              "opendata/", "search/"]


def page(output: Path, path: str):
    return lxml.html.fromstring(read(output, path + "index.html"))


def texts(tree, xpath: str) -> list[str]:
    return [" ".join(e.text_content().split()) for e in tree.xpath(xpath)]


@pytest.mark.parametrize("path", LIST_PAGES + DETAIL_PAGES)
def test_every_page_exists_in_both_languages_and_links_its_counterpart(built_site, path):
    ja, en = page(built_site, path), page(built_site, "en/" + path)
    assert ja.get("lang") == "ja" and en.get("lang") == "en"
    for tree in (ja, en):
        alternates = {l.get("hreflang"): l.get("href") for l in tree.xpath("//link[@rel='alternate'][@hreflang]")}
        assert alternates == {"ja": "/" + path, "en": "/en/" + path, "x-default": "/" + path}
        assert len(tree.xpath("//h1")) == 1
        assert tree.xpath("//main[@id='main']") and tree.xpath("//a[@class='skip-link'][@href='#main']")
    assert ja.xpath("//nav[contains(@class,'lang-switch')]//a/@href") == ["/en/" + path]
    assert en.xpath("//nav[contains(@class,'lang-switch')]//a/@href") == ["/" + path]


def test_offer_table_lists_only_open_unexpired_public_offers(built_site):
    rows = texts(page(built_site, "offers/"), "//table[@id='offers-table']/tbody/tr/th")
    links = page(built_site, "offers/").xpath("//table[@id='offers-table']/tbody/tr/th/a/@href")
    assert sorted(links) == ["/offers/boiler-tokyo/", "/offers/gov-held/", "/offers/kochi-forest/"]
    assert any("政府保有" in row for row in rows)
    caption = texts(page(built_site, "offers/"), "//caption")[0]
    assert "3件" in caption
    quantities = texts(page(built_site, "offers/"), "//table[@id='offers-table']/tbody/tr/td[@class='num']")
    assert "12,000" in quantities and "50,000" in quantities


def test_english_pages_use_overlays_and_mark_japanese_fallbacks(built_site):
    translated = page(built_site, "en/offers/kochi-forest/")
    assert not translated.xpath("//main//h1//*[@lang='ja']")  # brand translated
    untranslated = page(built_site, "en/offers/boiler-tokyo/")
    assert untranslated.xpath("//main//h1/span[@lang='ja']")
    notice = untranslated.xpath("//div[contains(@class,'notice')]")[0]
    assert "not been translated" in notice.text_content()
    assert notice.xpath(".//a/@href") == ["/offers/boiler-tokyo/"]
    # theme strings come from the English catalog
    assert "Credits for sale" in texts(page(built_site, "en/offers/"), "//h1")[0]


def test_stale_english_page_has_a_notice_linking_the_japanese(built_site):
    stale = page(built_site, "en/news/2026-10-01-meeting/")
    notice = stale.xpath("//div[contains(@class,'notice-warning')]")[0]
    assert "may be out of date" in notice.text_content()
    assert notice.xpath(".//a/@href") == ["/news/2026-10-01-meeting/"]
    current = page(built_site, "en/about/")
    assert not current.xpath("//div[contains(@class,'notice')]")


def test_missing_english_page_falls_back_to_japanese_marked_lang_ja(built_site):
    fallback = page(built_site, "en/contact/")
    assert fallback.xpath("//article//h1/span[@lang='ja']")
    assert fallback.xpath("//article/div[@lang='ja']")


def test_certification_committee_publishes_date_agenda_and_results_only(built_site):
    html = read(built_site, "meetings/certification-058/index.html")
    assert "MARKER-CERT-MINUTES" not in html and "MARKER-CERT-MATERIAL" not in html
    tree = lxml.html.fromstring(html)
    headings = texts(tree, "//main//h2")
    assert headings == ["議事次第", "審議結果"]
    summary = dict(zip(texts(tree, "//main//dl/dt"), texts(tree, "//main//dl/dd")))
    assert summary["開催日"] == "2025年8月19日" and "開催方法" not in summary  # not its time, place or format
    steering = texts(page(built_site, "meetings/steering-040/"), "//main//h2")
    assert "議事概要" in steering and "配布資料" in steering


MARKERS = ["MARKER-INTERNAL-OFFER", "MARKER-INTERNAL-MATERIAL", "MARKER-CERT-MINUTES",
           "MARKER-CERT-MATERIAL", "MARKER-COP-REPORT", "MARKER-INTERNAL-PAGE"]


def test_internal_content_appears_nowhere_in_the_public_build(built_site):
    for path in built_site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for marker in MARKERS:
                assert marker.encode() not in data, f"{marker} leaked into {path}"
    assert not (built_site / "international/cop").exists()
    assert not (built_site / "secret").exists()
    # the internal material's PDF is not published either
    internal_files = {m["file"] for m in _meeting_materials("steering-040") if m.get("visibility") == "internal"}
    assert internal_files and not any((built_site / f).exists() for f in internal_files)


def _meeting_materials(meeting_id):
    from model import load_site
    return load_site(FIXTURE).find("meetings", meeting_id).materials


def test_internal_preview_holds_internal_items_marked_on_every_page(internal_site):
    assert "MARKER-COP-REPORT" in read(internal_site, "international/cop/cop31-day1/index.html")
    assert "MARKER-INTERNAL-PAGE" in read(internal_site, "secret/index.html")
    for path in internal_site.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        assert tree.xpath("//div[@class='internal-banner']"), path
        assert tree.xpath("//meta[@name='robots'][@content='noindex, nofollow']"), path


def test_the_internal_preview_is_never_built_into_the_public_sites_folder(tmp_path, content_copy):
    """`make internal` into the folder a web server publishes would publish the internal items
    until the next public build: refused, the public site left as it was; `make internal`
    without OUTPUT builds into preview/."""
    output = tmp_path / "output"
    assert run_build(content=content_copy, output=output).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    result = run_build("--internal", content=content_copy, output=output)
    assert result.returncode == 1 and "holds the public site" in result.stderr
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert run_build("--internal", content=content_copy, output=tmp_path / "preview").returncode == 0
    assert run_build("--internal", content=content_copy, output=tmp_path / "preview").returncode == 0  # again, in place
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "$(if $(filter command line environment,$(origin OUTPUT)),$(OUTPUT),preview)" in makefile


def test_markdown_raw_html_is_sanitised(built_site):
    html = read(built_site, "about/index.html")
    assert "<script" not in html.replace('<script src="/theme', "")
    assert "javascript:" not in html and "evil.example" not in html
    assert "alert(" not in html


def test_no_inline_script_or_style_and_no_external_resources(built_site):
    for path in built_site.rglob("*.html"):
        tree = lxml.html.fromstring(path.read_text(encoding="utf-8"))
        # JSON-LD data blocks are never executed, so script-src 'self' allows them
        assert not tree.xpath("//script[not(@src)][not(@type='application/ld+json')] | //style | //*[@style]"), path
        for block in tree.xpath("//script[@type='application/ld+json']"):
            assert "</" not in block.text and json.loads(block.text)["@context"], path
        assert not [e for e in tree.xpath("//*[starts-with(name(), 'on')] | //@*[starts-with(name(), 'on')]")], path
        for url in tree.xpath("//script/@src | //img/@src | //link/@href[../@rel!='alternate']"):
            assert url.startswith("/") and not url.startswith("//"), (path, url)
    for css in built_site.rglob("*.css"):
        assert not re.search(r"url\(\s*['\"]?(https?:)?//", css.read_text()), css


def test_downloads_state_format_and_size_and_are_published(built_site):
    tree = page(built_site, "methodologies/FO-001/")
    links = tree.xpath("//a[@class='download']")
    assert len(links) == 2
    for link in links:
        assert (built_site / link.get("href").lstrip("/")).is_file()
        meta = link.getnext()
        assert re.fullmatch(r"\(PDF形式、\d+ (B|KB|MB)\)", meta.text_content())
    history = texts(tree, "//table//tbody/tr/th")
    assert history == ["2.10", "1.0"]  # newest first, and "2.10" kept as written


def test_site_builds_only_inside_output_and_ignores_other_trees(tmp_path):
    output = tmp_path / "out"
    result = run_build(output=output)
    assert result.returncode == 0, result.stderr
    assert not (ROOT / "output.building").exists()
    assert (output / "index.html").is_file() and (output / "en/index.html").is_file()


def test_failed_build_leaves_previous_output_untouched(tmp_path, content_copy):
    output = tmp_path / "out"
    assert run_build(content=content_copy, output=output).returncode == 0
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    offer = content_copy / "ja/offers/kochi-forest.yaml"
    offer.write_text(offer.read_text(encoding="utf-8").replace("quantity_t_co2: 12000", "quantity_t_co2: １２０００"),
                     encoding="utf-8")
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 1
    assert "kochi-forest.yaml:" in result.stderr and "quantity_t_co2" in result.stderr
    after = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    assert after == before
    assert not output.with_name("out.building").exists()


def test_make_targets_build_and_check_any_content_tree(tmp_path, content_copy):
    output = tmp_path / "made"
    result = subprocess.run(["make", "-s", "html", f"CONTENT={content_copy}", f"OUTPUT={output}",
                             "BUILD_DATE=2026-11-23"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert (output / "offers/kochi-forest/index.html").is_file()
    (content_copy / "ja/faqs/bad.yaml").write_text("category: general\nquestion: 質問\n", encoding="utf-8")
    result = subprocess.run(["make", "-s", "check", f"CONTENT={content_copy}"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode != 0
    assert re.search(r"ja/faqs/bad\.yaml:1: answer: .+ / required field is missing", result.stderr)


def test_expired_provider_is_dropped(built_site):
    rows = page(built_site, "providers/").xpath("//table/tbody/tr")
    assert len(rows) == 2


def test_publication_keeps_translation_state_of_the_whole_record():
    from model import load_site
    from model.publication import publishable
    site = load_site(FIXTURE)
    public = publishable(site, internal_build=False)
    states = {(r.collection.name, r.id): r.translation for items in site.records.values() for r in items}
    for items in public.records.values():
        for record in items:
            assert record.translation == states[(record.collection.name, record.id)]
    assert states[("meetings", "steering-040")] == "stale"
    assert states[("offers", "kochi-forest")] == "current"
    assert states[("offers", "boiler-tokyo")] == "missing"


def test_repository_content_builds_and_keeps_its_internal_items_out(tmp_path):
    """The sample content in the repo: valid, built, and no internal item's title published."""
    from model import load_site
    content = ROOT / "content"
    output = tmp_path / "site"
    assert run_build(content=content, output=output).returncode == 0
    site = load_site(content)
    secrets = [r.get("title") or r.get("brand") for items in site.records.values() for r in items if r.internal]
    secrets += [m["title"] for m in site.all_materials() if m.get("visibility") == "internal"]
    assert len(secrets) >= 4
    published = b"".join(p.read_bytes() for p in output.rglob("*") if p.is_file())
    for secret in secrets:
        assert secret.encode("utf-8") not in published, secret


def test_one_file_made_twice_in_a_build_is_a_defect_not_the_last_writers_choice(tmp_path):
    """Say, a page whose URL is a list's: the build fails instead of publishing one of them."""
    from site_pages.output import Output

    output = Output(tmp_path / "site", staged=False)
    output.write("offers/index.html", "<p>一覧</p>")
    with pytest.raises(RuntimeError, match="offers/index.html is made twice"):
        output.write("offers/index.html", "<p>ページ</p>")
    assert (tmp_path / "site/offers/index.html").read_text(encoding="utf-8") == "<p>一覧</p>"
