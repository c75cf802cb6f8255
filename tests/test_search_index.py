"""The sharded search index (plugins/search/shards.py) with the real Pagefind: an edit
re-indexes only the shard of the edited page, and the result is the index a fresh build of
the same pages makes, byte for byte."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
from pathlib import Path

from search import shards
from search.shards import SHARDS, SearchIndex, read_page, shard_of
from site_pages.output import content_digest


def write_site(root: Path, count: int = 40) -> dict[str, bytes]:
    pages = {}
    for n in range(count):
        lang, prefix = ("en", "en/") if n % 2 else ("ja", "")
        relative = f"{prefix}records/r{n:03d}/index.html"
        body = f"<h1>Record {n}</h1><p>森林経営活動 {n} の記録。Forest record number {n}.</p>"
        pages[relative] = page(lang, body)
    pages["search/index.html"] = b'<!DOCTYPE html><html lang="ja"><body><main>no index</main></body></html>'
    for relative, data in pages.items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_bytes(data)
    return {relative: content_digest(data) for relative, data in pages.items()}


def page(lang: str, body: str) -> bytes:
    return (f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title></head><body>'
            f'<main data-pagefind-body>{body}</main></body></html>').encode("utf-8")


def same_tree(a: Path, b: Path) -> bool:
    files = lambda root: sorted(p.relative_to(root) for p in root.rglob("*") if p.is_file())  # noqa: E731
    return files(a) == files(b) and all(filecmp.cmp(a / f, b / f, shallow=False) for f in files(a))


def test_an_edit_reindexes_one_shard_and_matches_a_fresh_index(tmp_path):
    site = tmp_path / "site"
    digests = write_site(site)
    index = SearchIndex(tmp_path / "cache", site)
    shards = {("en" if n % 2 else "ja", shard_of(f"{'en/' if n % 2 else ''}records/r{n:03d}/index.html"))
              for n in range(40)}
    assert index.update(site, digests) == len(shards)
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == 0  # nothing changed

    edited = "records/r004/index.html"
    (site / edited).write_bytes(page("ja", "<h1>Record 4</h1><p>ヒートポンプの導入。</p>"))
    digests[edited] = content_digest((site / edited).read_bytes())
    untouched = site / "pagefind/en" / str(min(n for lang, n in shards if lang == "en"))
    before = {p: p.stat().st_mtime_ns for p in untouched.rglob("*")}
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == 1
    assert {p: p.stat().st_mtime_ns for p in untouched.rglob("*")} == before

    removed = "en/records/r005/index.html"
    (site / removed).unlink()
    del digests[removed]
    SearchIndex(tmp_path / "cache", site).update(site, digests)

    fresh = tmp_path / "fresh"
    write_site(fresh)
    (fresh / edited).write_bytes((site / edited).read_bytes())
    (fresh / removed).unlink()
    SearchIndex(tmp_path / "other-cache", fresh).update(fresh, dict.fromkeys(digests))
    assert same_tree(site / "pagefind", fresh / "pagefind")
    assert all(0 <= shard_of(r) < SHARDS for r in digests)


def test_a_lost_bundle_is_made_again(tmp_path):
    site = tmp_path / "site"
    digests = write_site(site, 6)
    SearchIndex(tmp_path / "cache", site).update(site, digests)
    victim = next(p for p in (site / "pagefind/ja").iterdir() if p.is_dir())
    shutil.rmtree(victim)
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == 1
    assert (victim / "pagefind-entry.json").is_file()


def test_another_pagefind_or_shadow_format_reindexes_everything(tmp_path, monkeypatch):
    site = tmp_path / "site"
    digests = write_site(site, 6)
    shards = SearchIndex(tmp_path / "cache", site).update(site, digests)
    monkeypatch.setattr("search.shards.index_version", lambda: "another")
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == shards
    assert [p.name.rsplit("-", 1)[1] for p in (tmp_path / "cache").iterdir()] == ["another"]


def test_a_change_the_index_does_not_hold_reindexes_nothing(tmp_path):
    """A list's row marked data-pagefind-ignore, or markup outside the indexed body, changes
    the page but not its shadow: no shard is indexed again, and the index stays exact."""
    site = tmp_path / "site"
    digests = write_site(site)
    index = SearchIndex(tmp_path / "cache", site)
    index.update(site, digests)
    edited = "records/r006/index.html"
    body = "<h1>Record 6</h1><p>森林経営活動 6 の記録。Forest record number 6.</p>"
    (site / edited).write_bytes(page("ja", body + '<table data-pagefind-ignore><tr><td>1,250 t-CO2</td></tr></table>'))
    digests[edited] = content_digest((site / edited).read_bytes())
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == 0

    fresh = tmp_path / "fresh"
    shutil.copytree(site, fresh, ignore=shutil.ignore_patterns("pagefind"))
    SearchIndex(tmp_path / "cache-fresh", fresh).update(fresh, {r: None for r in digests})
    assert same_tree(site / "pagefind", fresh / "pagefind")

    (site / edited).write_bytes(page("ja", body.replace("Forest", "Woodland")))
    digests[edited] = content_digest((site / edited).read_bytes())
    assert SearchIndex(tmp_path / "cache", site).update(site, digests) == 1


def test_a_prepared_update_changes_nothing_until_installed_and_nothing_if_discarded(tmp_path):
    """A build prepares the index while its output is checked: the live bundles, shadows and
    state stay as they were until the update is installed, and a discarded update leaves no trace."""
    site = tmp_path / "site"
    digests = write_site(site)
    SearchIndex(tmp_path / "cache", site).update(site, digests)
    snapshot = lambda: {p: p.read_bytes() for p in [*(tmp_path / "cache").rglob("*"), *site.rglob("*")]  # noqa: E731
                        if p.is_file()}
    before = snapshot()

    edited, pending = "records/r004/index.html", {}
    pending[edited] = page("ja", "<h1>Record 4</h1><p>ヒートポンプの導入。</p>")
    digests[edited] = content_digest(pending[edited])
    read = lambda relative: pending.get(relative) or (site / relative).read_bytes()  # noqa: E731
    index = SearchIndex(tmp_path / "cache", site)
    prepared = index.prepare(read, digests, site)
    assert prepared.shards == [("ja", shard_of(edited))]
    after = snapshot()
    assert {p: after[p] for p in before} == before
    assert all(p.is_relative_to(prepared.folder) for p in after.keys() - before.keys())
    assert prepared.bundles.is_dir() and not prepared.bundles.is_relative_to(site)
    index.discard(prepared)
    assert snapshot() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "site"]

    prepared = index.prepare(read, digests, site)
    (site / edited).write_bytes(pending[edited])  # the build commits its output, then installs
    index.install(site, prepared)
    fresh = tmp_path / "fresh"
    write_site(fresh)
    (fresh / edited).write_bytes(pending[edited])
    SearchIndex(tmp_path / "other-cache", fresh).update(fresh, dict.fromkeys(digests))
    assert same_tree(site / "pagefind", fresh / "pagefind")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cache", "fresh", "other-cache", "site"]


def test_pages_read_where_they_were_made_are_not_read_again_and_index_as_if_they_were(tmp_path):
    """An edit's pages are read for the index where they are made (Output.index_ahead, i.e.
    read_page): the index takes that, reads only a page whose bytes are no longer what was
    read, and is the index that reading every page makes."""
    site = tmp_path / "site"
    digests = write_site(site)
    SearchIndex(tmp_path / "cache", site).update(site, digests)
    edits = {"records/r004/index.html": page("ja", "<h1>Record 4</h1><p>ヒートポンプの導入。</p>"),
             "en/records/r007/index.html": page("en", "<h1>Record 7</h1><p>Heat pumps, installed.</p>")}
    known = {relative: read_page(data, relative) for relative, data in edits.items()}
    replaced = "records/r010/index.html"
    known[replaced] = read_page(page("ja", "<h1>古い版</h1>"), replaced)
    edits[replaced] = page("ja", "<h1>Record 10</h1><p>新しい記録。</p>")
    for relative, data in edits.items():
        (site / relative).write_bytes(data)
        digests[relative] = content_digest(data)
    read = []
    index = SearchIndex(tmp_path / "cache", site)
    prepared = index.prepare(lambda relative: read.append(relative) or (site / relative).read_bytes(),
                             digests, site, known)
    assert read == [replaced]
    index.install(site, prepared)
    fresh = tmp_path / "fresh"
    write_site(fresh)
    for relative, data in edits.items():
        (fresh / relative).write_bytes(data)
    SearchIndex(tmp_path / "other-cache", fresh).update(fresh, dict.fromkeys(digests))
    assert same_tree(site / "pagefind", fresh / "pagefind")


def test_pagefind_reads_its_input_from_a_scratch_folder_in_memory_that_no_run_leaves_behind(tmp_path, monkeypatch):
    """The shadows are written out for Pagefind in XDG_RUNTIME_DIR (or /dev/shm), removed after
    each run; a scratch folder left by a build that was killed goes at the next update."""
    runtime = tmp_path / "run"
    runtime.mkdir()
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(runtime))
    dead = _finished_pid()
    (runtime / f"jcredit-search-{dead}-x1").mkdir()
    (runtime / f"jcredit-search-{os.getpid()}-x2").mkdir()  # a running build's
    (runtime / "jcredit-search-notes").mkdir()  # not a scratch folder
    seen = []
    real = shards.start_pagefind
    monkeypatch.setattr(shards, "start_pagefind", lambda site, *options: seen.append(site) or real(site, *options))
    site = tmp_path / "site"
    SearchIndex(tmp_path / "cache", site).update(site, write_site(site, 6))
    assert seen and all(folder.is_relative_to(runtime) for folder in seen)
    assert sorted(p.name for p in runtime.iterdir()) == [f"jcredit-search-{os.getpid()}-x2", "jcredit-search-notes"]


def _finished_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


def test_shadows_lost_from_the_cache_have_every_page_indexed_afresh(tmp_path):
    """A shard file of the cache that is unreadable, or gone while the index still counts its
    pages, cannot be updated in part: when its shard must be indexed again, every page is, as
    in a fresh build."""
    site, fresh = tmp_path / "site", tmp_path / "fresh"
    digests = write_site(site)
    write_site(fresh)
    index = SearchIndex(tmp_path / "cache", site)
    everything = index.update(site, digests)
    for number, damage in ((4, lambda shard: shard.write_bytes(b"not a pickle")), (6, Path.unlink)):
        edited = f"records/r{number:03d}/index.html"
        damage(index.shadows / f"ja-{shard_of(edited)}.pickle")
        for root in (site, fresh):
            (root / edited).write_bytes(page("ja", f"<h1>Record {number}</h1><p>ヒートポンプの導入。</p>"))
        digests[edited] = content_digest((site / edited).read_bytes())
        assert SearchIndex(tmp_path / "cache", site).update(site, digests) == everything
    SearchIndex(tmp_path / "cache-fresh", fresh).update(fresh, dict.fromkeys(digests))
    assert same_tree(site / "pagefind", fresh / "pagefind")


# -- what a shadow page holds ----------------------------------------------------------------

def fragments(site: Path) -> dict[str, dict]:
    """What the built index returns for each page (its fragment): url -> url, meta, filters."""
    import gzip
    import json
    found = {}
    for path in site.glob("pagefind/*/*/fragment/*.pf_fragment"):
        data = gzip.decompress(path.read_bytes())
        assert data.startswith(b"pagefind_dcd")
        fragment = json.loads(data[len(b"pagefind_dcd"):])
        found[fragment["meta"]["href"]] = fragment
    return found


def test_the_text_keeps_a_space_where_block_elements_meet():
    """A definition list's term and its description, a table's header cell and its value are
    apart on the page: the index and the excerpts keep them apart ("Implementer 株式会社かたば
    み", not "Implementer株式会社かたばみ"), and no character pair spans the two. Inline
    elements run on, as the reader reads them."""
    from search.bigrams import index_words, searchable_page
    html = page("en", "<h1>P0521 <span lang=\"ja\">四万十の森</span></h1>"
                      "<dl><dt>Implementer</dt><dd>株式会社かたばみ</dd><dt>Methodology</dt>"
                      "<dd><a href=\"/en/methodologies/FO-001/\">FO-001</a></dd></dl>"
                      "<table><tr><th>数量</th><td>1,100</td></tr><tr><th>都道府県</th><td>高知県</td></tr></table>"
                      "<p>Forest <b>man</b>agement<br>across the <em>Shimanto</em> river</p>").decode()
    text = searchable_page(html).text
    assert text == ("P0521 四万十の森 Implementer 株式会社かたばみ Methodology FO-001 数量 1,100 都道府県 高知県 "
                    "Forest management across the Shimanto river")
    assert "k091cf0770c" not in index_words(text)  # 量 and 都 of two cells are not a pair


def test_a_page_is_read_for_the_index_from_the_tree_its_checks_parsed_and_leaves_it_as_it_was():
    """The output checks parse each page; the index reads the same tree (Output.ahead), which
    the checks go on reading after it: what is marked data-pagefind-ignore is left out of what
    the index reads (its heading is not the title; the text after it is kept), not out of the tree."""
    import lxml.html

    from search.bigrams import searchable_page
    html = page("ja", '<div data-pagefind-ignore><h1>注記の見出し</h1>注記の文</div>後の文'
                      '<h1>森林経営</h1><p>本文</p>').decode()
    tree = lxml.html.document_fromstring(html.encode(), parser=lxml.html.HTMLParser(encoding="utf-8"))
    before = lxml.html.tostring(tree)
    read = searchable_page(html)
    assert searchable_page(tree) == read and lxml.html.tostring(tree) == before
    assert read.title == "森林経営" and read.text == "後の文 森林経営 本文"
    assert read_page(html.encode(), "a/index.html", tree) == read_page(html.encode(), "a/index.html")


def test_a_shadow_carries_the_language_of_the_runs_of_its_title_and_text(tmp_path):
    """An English page shows an untranslated record's Japanese marked lang="ja": the index
    returns, beside the title and text, where their runs in another language than the page's
    are (offsets in UTF-16 code units, as the script counts: 𠮷 is two), so that the results
    mark them too (WCAG 3.1.2)."""
    from search.bigrams import searchable_page
    body = ('<h1>P0579 <span lang="ja">道有林における森林経営活動</span></h1>'
            '<dl><dt>Implementer</dt><dd lang="ja">𠮷野町 <b>森林組合</b></dd><dt>Prefecture</dt><dd>Hokkaido</dd></dl>'
            '<p>Untranslated: <span lang="ja">森林管理</span></p>')
    shown = searchable_page(page("en", body).decode())
    assert shown.title_langs == "ja:6-19" and shown.title[6:19] == "道有林における森林経営活動"
    assert shown.text_langs == "ja:6-19 ja:32-41 ja:76-80"
    utf16 = shown.text.encode("utf-16-le")
    runs = [utf16[int(a) * 2:int(b) * 2].decode("utf-16-le")
            for a, b in (run.split(":")[1].split("-") for run in shown.text_langs.split())]
    assert runs == ["道有林における森林経営活動", "𠮷野町 森林組合", "森林管理"]
    assert searchable_page(page("ja", "<h1>森林</h1><p>Forest: 森林</p>").decode())[3:] == ("", "")

    site = tmp_path / "site"
    pages = {"en/projects/P0579/index.html": page("en", body), "en/about/index.html": page("en", "<h1>About</h1>")}
    for relative, data in pages.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    SearchIndex(tmp_path / "cache", site).update(site, dict.fromkeys(pages))
    meta = fragments(site)["/en/projects/P0579/"]["meta"]
    assert (meta["title_langs"], meta["text_langs"]) == (shown.title_langs, shown.text_langs)
    assert "title_langs" not in fragments(site)["/en/about/"]["meta"]


def test_project_pages_are_the_long_tail_that_search_lists_after_the_main_pages(tmp_path):
    """Registered projects' pages (hundreds, named after their methodology's activity) are one
    group of the index, every other page the main one: search.js searches the main group first.
    The title's words and pairs are a meta field of their own, which tells search.js whether a
    result's title holds the query."""
    from search.bigrams import page_group
    assert [page_group(href) for href in ("/projects/P0212/", "/en/projects/P0212/")] == ["long-tail"] * 2
    assert {page_group(href) for href in ("/projects/", "/en/projects/", "/methodologies/FO-001/", "/offers/x/",
                                          "/faqs/", "/", "/en/", "/news/2026-11-01-offers/")} == {"main"}
    site = tmp_path / "site"
    pages = {"projects/P0212/index.html": page("ja", "<h1>P0212 町有林における森林経営活動</h1>"),
             "methodologies/FO-001/index.html": page("ja", "<h1>FO-001 森林経営活動</h1>")}
    for relative, data in pages.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_bytes(data)
    SearchIndex(tmp_path / "cache", site).update(site, dict.fromkeys(pages))
    found = fragments(site)
    assert found["/projects/P0212/"]["filters"] == {"group": ["long-tail"]}
    assert found["/methodologies/FO-001/"]["filters"] == {}  # one value only: Pagefind writes it the same every time
    assert found["/methodologies/FO-001/"]["meta"]["title_words"] == (
        "fo-001 k068ee06797 k0679707d4c k07d4c055b6 k055b606d3b k06d3b052d5")


def test_the_offers_filter_form_is_no_part_of_the_offers_pages_text(built_site):
    """Its labels (絞り込み, 方法論の区分, すべて…) were the excerpt of /offers/ in results."""
    from search.bigrams import searchable_page
    page = searchable_page((built_site / "offers/index.html").read_text(encoding="utf-8"))
    assert "絞り込み" not in page.text and "方法論の区分" not in page.text
    assert "政府保有クレジット" in page.text  # the page's own text stays
