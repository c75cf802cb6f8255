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
from search.shards import SHARDS, SearchIndex, shard_of
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
