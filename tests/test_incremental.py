"""Rebuilding an existing output after edits gives exactly what a cold build gives."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import ROOT, files_of, run_build


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def contract_template(path: Path) -> None:
    """The default Japanese template and a long article more: some 15 KB more in every contract."""
    import random

    import docx
    document = docx.Document(ROOT / "plugins/offers/templates/ja/contract-template.docx")
    characters = random.Random(1)
    document.add_paragraph("".join(chr(characters.randint(0x4E00, 0x9FFF)) for _ in range(6000)))
    document.save(path)


def test_incremental_builds_match_cold_builds_after_a_series_of_edits(tmp_path, content_copy, monkeypatch):
    output, cold = tmp_path / "site", tmp_path / "cold"
    monkeypatch.setenv("BUILD_SERVER", "0")

    def build(target: Path, cache: Path):
        monkeypatch.setenv("JCREDIT_CACHE", str(cache))
        return run_build(content=content_copy, output=target)

    assert build(output, tmp_path / "cache").returncode == 0
    edits = [
        lambda c: edit(c / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 13000"),
        lambda c: edit(c / "ja/methodologies/FO-001.yaml", "title: 森林経営活動", "title: 森林経営活動（改定）"),
        lambda c: (c / "ja/news/2026-11-01-offers.md").unlink(),
        lambda c: (c / "ja/pages/newpage.md").write_text("Title: 新しいページ\n\n本文\n", encoding="utf-8"),
        lambda c: (c / "en/offers/kochi-forest.yaml").unlink(),
        lambda c: edit(c / "ja/offers/boiler-tokyo.yaml", "status: open", "status: closed"),
        lambda c: edit(c / "ja/meetings/steering-040.yaml", "visibility: internal", "visibility: public"),
        # a certification: the projects' and certifications' open data and the statistics
        lambda c: edit(c / "ja/projects/P0010.yaml", "quantity_t_co2: 1520", "quantity_t_co2: 1620"),
        # a figure's data alone: the report's meta.yaml and report.md stay as they were
        lambda c: edit(c / "ja/reports/ndc-study/figures/fig1.csv", "日本,2030,2013,46", "日本,2030,2013,47"),
        # the content's own contract template: every contract, and the size each offer page states
        lambda c: contract_template(c / "ja/offers/contract-template.docx"),
    ]
    for number, change in enumerate(edits):
        change(content_copy)
        result = build(output, tmp_path / "cache")
        assert result.returncode == 0, result.stderr
        assert "written" in result.stdout
        # Cold: nothing of the incremental build's caches either.
        shutil.rmtree(cold, ignore_errors=True)
        shutil.rmtree(tmp_path / "cold-cache", ignore_errors=True)
        assert build(cold, tmp_path / "cold-cache").returncode == 0
        incremental, fresh = files_of(output), files_of(cold)
        assert incremental.keys() == fresh.keys(), f"edit {number}: {incremental.keys() ^ fresh.keys()}"
        different = [p for p in fresh if incremental[p] != fresh[p]]
        assert different == [], f"edit {number} left stale files: {different}"


def test_a_list_renders_again_only_the_rows_whose_records_or_reads_changed(tmp_path, content_copy, monkeypatch):
    """The offers list keeps each row from its last render (RecordParts): a row is made again
    when its offer changes or a record it reads through the site does (the methodology whose
    title it shows), and is taken as it was otherwise; a row whose offer left the list is
    forgotten. A kept row is told apart by a mark put into the kept parts by hand."""
    from model.cache import load_pickle, save_pickle
    from site_pages.pages import parts_file

    monkeypatch.setenv("BUILD_SERVER", "0")
    monkeypatch.setenv("JCREDIT_CACHE", str(tmp_path / "cache"))
    output = tmp_path / "site"
    kept = parts_file(tmp_path / "cache", output, "offers/index.html")
    assert run_build(content=content_copy, output=output).returncode == 0
    parts = load_pickle(kept)
    listed = {("offer_row", "offers", name) for name in ("boiler-tokyo", "gov-held", "kochi-forest")}
    assert parts.keys() == listed
    for name in ("boiler-tokyo", "gov-held"):  # marked as kept: only a row taken from here shows it
        fingerprint, dependencies, html = parts["offer_row", "offers", name]
        parts["offer_row", "offers", name] = (fingerprint, dependencies, html.replace("</tr>", f"<!-- kept {name} --></tr>"))
    save_pickle(kept, parts, at_once=True)

    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 13000")
    edit(content_copy / "ja/methodologies/FO-001.yaml", "title: 森林経営活動", "title: 森林経営活動（改定）")
    result = run_build(content=content_copy, output=output)
    assert result.returncode == 0, result.stderr
    rows = {row.split('href="/offers/')[1].split("/")[0]: row
            for row in (output / "offers/index.html").read_text(encoding="utf-8").split("<tr ")[1:] if "/offers/" in row}
    assert "<!-- kept boiler-tokyo -->" in rows["boiler-tokyo"]  # nothing it shows changed
    assert "kept" not in rows["gov-held"] and "森林経営活動（改定）" in rows["gov-held"]  # its methodology did
    assert "13,000" in rows["kochi-forest"] and "森林経営活動（改定）" in rows["kochi-forest"]

    edit(content_copy / "ja/offers/boiler-tokyo.yaml", "status: open", "status: closed")
    assert run_build(content=content_copy, output=output).returncode == 0
    assert load_pickle(kept).keys() == listed - {("offer_row", "offers", "boiler-tokyo")}

    # The internal preview, built with the same cache, keeps its rows apart (it lists more).
    before = kept.read_bytes()
    assert run_build("--internal", content=content_copy, output=tmp_path / "preview").returncode == 0
    assert ("offer_row", "offers", "secret-offer") in load_pickle(parts_file(tmp_path / "cache", tmp_path / "preview",
                                                                             "offers/index.html"))
    assert kept.read_bytes() == before


def test_files_deleted_from_the_output_by_hand_are_made_again(tmp_path, content_copy):
    """A rebuild knows which pages are there from one listing of the output folder (kept
    between builds by the folders' times): a page, a folder of pages and a download deleted by
    hand since the last build are made again, as a cold build makes them."""
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    cold = files_of(output)
    (output / "offers/kochi-forest/index.html").unlink()
    shutil.rmtree(output / "en/methodologies")
    (output / "offers/offers.xlsx").unlink()
    again = run_build(content=content_copy, output=output)
    assert again.returncode == 0, again.stderr
    assert "(0 files written" not in again.stdout
    assert files_of(output) == cold


def test_unchanged_rebuild_writes_nothing_and_failed_rebuild_changes_nothing(tmp_path, content_copy):
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    again = run_build(content=content_copy, output=output)
    assert "(0 files written, 0 removed)" in again.stdout
    before = files_of(output)
    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 12500")
    edit(content_copy / "ja/offers/gov-held.yaml", "status: open", "status: maybe")
    assert run_build(content=content_copy, output=output).returncode == 1
    assert files_of(output) == before


def test_the_checks_between_records_judge_beside_the_build_and_before_it_publishes(tmp_path, content_copy):
    """load_site(beside=True) leaves the references between records, and what may be published,
    to a forked process; a build takes its verdict before anything is published, and tells
    its problems rather than what the broken references broke on the way."""
    import sys
    sys.path.insert(0, str(ROOT / "plugins"))
    from model import ContentError, load_site
    from model.site import judged

    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    before = files_of(output)
    edit(content_copy / "ja/offers/kochi-forest.yaml", "methodology: FO-001", "methodology: FO-999")
    edit(content_copy / "ja/offers/kochi-forest.yaml", "project_id: P0010", "project_id: P9999")
    expected = {("methodology", 3, "methodology FO-999 does not exist"), ("project_id", 4, "project P9999 does not exist")}
    with pytest.raises(ContentError) as at_once:
        load_site(content_copy)
    assert {(p.field, p.line, p.en) for p in at_once.value.problems} == expected
    site = load_site(content_copy, beside=True)
    assert site.judging is not None and site.find("offers", "kochi-forest").data["project_id"] == "P9999"
    with pytest.raises(ContentError) as later:
        judged(site)
    assert later.value.problems == at_once.value.problems

    for fresh in (False, True):  # in place (staged), and into a new folder swapped in
        target = tmp_path / "fresh" if fresh else output
        failed = run_build(content=content_copy, output=target)
        assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
        assert "kochi-forest.yaml:4: project_id: " in failed.stderr and "FO-999 がありません" in failed.stderr
        assert not (tmp_path / "fresh").exists() and files_of(output) == before

    redirects = content_copy / "redirects.yaml"  # found after the checks beside have started: told with theirs
    redirects.write_text(redirects.read_text(encoding="utf-8") + "/old/path.html: /new/path/\n", encoding="utf-8")
    with pytest.raises(ContentError) as both:
        load_site(content_copy, beside=True)
    assert {p.field for p in both.value.problems} == {"methodology", "project_id", "/old/path.html"}
    redirects.write_text(redirects.read_text(encoding="utf-8").replace("/old/path.html: /new/path/\n", ""), encoding="utf-8")

    edit(content_copy / "ja/offers/kochi-forest.yaml", "project_id: P9999", "project_id: P0010")
    edit(content_copy / "ja/offers/kochi-forest.yaml", "methodology: FO-999", "methodology: FO-001")
    internal = content_copy / "ja/methodologies/FO-001.yaml"  # a public offer names an internal one: a warning
    internal.write_text(internal.read_text(encoding="utf-8") + "visibility: internal\n", encoding="utf-8")
    built = run_build(content=content_copy, output=output)
    assert built.returncode == 0, built.stderr
    assert "WARNING: " in built.stderr and "FO-001 is internal (visibility: internal)" in built.stderr


def test_a_rebuild_failing_its_output_checks_leaves_the_search_index_as_it_was(tmp_path, content_copy):
    """The index of the new pages is made while the output is checked; a finding discards it."""
    output = tmp_path / "site"
    assert run_build(content=content_copy, output=output).returncode == 0
    before = files_of(output)
    edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: 12500")
    page = content_copy / "ja/pages/broken-link.md"
    page.write_text("Title: 壊れたリンク\n\n[どこにもないページ](/nowhere/)\n", encoding="utf-8")
    failed = run_build(content=content_copy, output=output)
    assert failed.returncode == 1 and "/nowhere/" in failed.stderr
    assert files_of(output) == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".search-")]  # nothing left beside it
    page.unlink()
    assert run_build(content=content_copy, output=output).returncode == 0
    cold = tmp_path / "cold"
    assert run_build(content=content_copy, output=cold).returncode == 0
    assert files_of(output) == files_of(cold)


def test_the_code_version_of_pages_does_not_depend_on_where_the_code_lies(tmp_path, monkeypatch):
    """Two checkouts of one revision (the change report builds BASE and HEAD in two folders)
    fingerprint pages alike, so that HEAD's build renders only what the change touches; a
    change to a plugin changes it."""
    from site_pages import pages

    def version(plugins: Path) -> str:
        monkeypatch.setattr(pages, "PLUGINS_DIR", plugins)
        renderer = pages.Renderer.__new__(pages.Renderer)
        renderer.settings = {"THEME": str(ROOT / "theme"), "BUILD_DATE": "2026-11-23"}
        return renderer._code_version()

    here = version(pages.PLUGINS_DIR)
    elsewhere = tmp_path / "checkout" / "plugins"
    shutil.copytree(pages.PLUGINS_DIR, elsewhere, ignore=shutil.ignore_patterns("__pycache__"))
    assert version(elsewhere) == here
    (elsewhere / "site_pages" / "routes.py").write_text("# changed\n", encoding="utf-8", newline="")
    changed = version(elsewhere)
    assert changed != here
    # A code list's label is on pages as much as code is: the change report once kept pages
    # with the old label until another change rendered them again.
    sectors = elsewhere / "model" / "vocabularies" / "sectors.yaml"
    sectors.write_text(sectors.read_text(encoding="utf-8").replace("林業", "林業・木材産業", 1), encoding="utf-8")
    assert version(elsewhere) != changed
