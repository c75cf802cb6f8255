"""Mistakes whose fields are each valid but which together publish something wrong, found by an
audit with `make check` passing: a copied version line still naming the old PDF, versions dated
against their numbers, a certification before its project's registration, an offer under
another methodology than its project's. Each tree also holds the valid near misses."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT  # noqa: F401  (puts plugins/ on the path)
from model.cache import ParseCache
from model.consistency import consistency_problems
from model.problems import Problem
from model.site import _Loader, display
from test_validation import METHODOLOGY, OFFER, make_tree, offer_with


def consistency_of(root: Path) -> list[Problem]:
    """consistency_problems over the tree's records, read as load_site reads them."""
    loader = _Loader(root, ParseCache(None, root))
    loader.read_all(loader.discover())
    assert loader.problems == [], [str(p) for p in loader.problems]  # every record valid alone
    return sorted(consistency_problems(root, loader.docs))


def methodology(*versions: tuple[str, str, str]) -> str:
    """FO-001 with (version, revised_on, file) entries, oldest first as editors add them."""
    head = METHODOLOGY.split("versions:")[0]
    return head + "versions:\n" + "".join(
        f'  - version: "{v}"\n    revised_on: {d}\n    file: {f}\n' for v, d, f in versions)


def files(*names: str) -> dict[str, str]:
    return {name: "%PDF-1.4\n" for name in names}


def test_two_versions_naming_one_file_are_a_copied_line(tmp_path):
    root = make_tree(tmp_path, {
        "ja/methodologies/FO-001.yaml": methodology(("2.9", "2023-04-01", "files/FO-001.pdf"),
                                                    ("2.10", "2024-03-29", "files/FO-001.pdf")),
    })
    assert consistency_of(root) == [Problem(
        display(root / "ja/methodologies/FO-001.yaml"), 11, "versions[1].file",
        "versions[0].file（8行目）と同じファイルです。この項目のファイルにしてください",
        "the same file as versions[0].file (line 8): name this item's own file")]


def test_two_materials_of_one_meeting_naming_one_file(tmp_path):
    root = make_tree(tmp_path, {
        **files("files/m/shiryo1.pdf", "files/m/shiryo2.pdf"),
        "ja/meetings/steering-040.yaml": """\
            committee: steering
            number: 40
            date: 2026-07-15
            agenda: [開会, 閉会]
            materials:
              - {title: 資料1, file: files/m/shiryo1.pdf}
              - {title: 資料2, file: files/m/shiryo2.pdf}
              - {title: 資料3, file: files/m/shiryo1.pdf}
            """,
    })
    assert consistency_of(root) == [Problem(
        display(root / "ja/meetings/steering-040.yaml"), 8, "materials[2].file",
        "materials[0].file（6行目）と同じファイルです。この項目のファイルにしてください",
        "the same file as materials[0].file (line 6): name this item's own file")]


def test_a_file_named_for_another_version(tmp_path):
    """The audit's case: 3.2 added by copying 3.1's line, its date updated, its file not. The
    names that do carry their own version (2.10, 3 for "3.0", any case) pass."""
    root = make_tree(tmp_path, {
        **files("files/FO-001_v2.10.pdf", "files/FO-001_VER3.pdf", "files/FO-001_ver3.1.pdf",
                "files/regulations/jisshi-yoko_ver5.2.pdf"),
        "ja/methodologies/FO-001.yaml": methodology(("2.10", "2020-04-01", "files/FO-001_v2.10.pdf"),
                                                    ("3.0", "2022-08-03", "files/FO-001_VER3.pdf"),
                                                    ("3.1", "2024-03-29", "files/FO-001_ver3.1.pdf"),
                                                    ("3.2", "2026-03-31", "files/FO-001_ver3.1.pdf")),
        "ja/regulations/jisshi-yoko.yaml": """\
            title: 実施要綱
            version: "5.3"
            revised_on: 2026-04-01
            file: files/regulations/jisshi-yoko_ver5.2.pdf
            """,
    })
    methodology_path = display(root / "ja/methodologies/FO-001.yaml")
    assert consistency_of(root) == [
        Problem(methodology_path, 17, "versions[3].file",
                "versions[2].file（14行目）と同じファイルです。この項目のファイルにしてください",
                "the same file as versions[2].file (line 14): name this item's own file"),
        Problem(methodology_path, 17, "versions[3].file",
                "ファイル名の版（3.1）が version の 3.2 と違います（前の版のファイルのままではありませんか）",
                "the file name says version 3.1, but this is version 3.2 (is it still the previous version's file?)"),
        Problem(display(root / "ja/regulations/jisshi-yoko.yaml"), 4, "file",
                "ファイル名の版（5.2）が version の 5.3 と違います（前の版のファイルのままではありませんか）",
                "the file name says version 5.2, but this is version 5.3 (is it still the previous version's file?)"),
    ]


def test_a_version_dated_before_an_earlier_one(tmp_path):
    """3.2 dated before 3.1 (the page would call 3.1 current), and 3.11 before 3.10: numbers
    compare part by part, so 3.10 after 3.9 is in order (as text "3.10" < "3.9")."""
    root = make_tree(tmp_path, {
        **files("files/a.pdf", "files/b.pdf", "files/c.pdf", "files/d.pdf", "files/e.pdf", "files/f.pdf"),
        "ja/methodologies/FO-001.yaml": methodology(("3.0", "2022-08-03", "files/a.pdf"),
                                                    ("3.1", "2024-03-29", "files/b.pdf"),
                                                    ("3.2", "2023-03-31", "files/c.pdf"),
                                                    ("3.9", "2025-04-01", "files/d.pdf"),
                                                    ("3.10", "2026-04-01", "files/e.pdf"),
                                                    ("3.11", "2025-10-01", "files/f.pdf")),
    })
    path = display(root / "ja/methodologies/FO-001.yaml")
    assert consistency_of(root) == [
        Problem(path, 13, "versions[2].revised_on",
                "前の版 3.1 の改定日（2024-03-29、10行目）より前の日付です（版番号の大きい版ほど新しい日付にしてください）",
                "is before the revision date of the earlier version 3.1 (2024-03-29, line 10): "
                "a higher version number needs a later date"),
        Problem(path, 22, "versions[5].revised_on",
                "前の版 3.10 の改定日（2026-04-01、19行目）より前の日付です（版番号の大きい版ほど新しい日付にしてください）",
                "is before the revision date of the earlier version 3.10 (2026-04-01, line 19): "
                "a higher version number needs a later date"),
    ]


PROJECT = """\
    project_id: P0001
    title: 町有林における森林経営活動
    implementer: 中標津町
    methodology: FO-001
    prefecture: 北海道
    registered_on: 2020-04-01
    certifications: []
    """


def test_a_certification_before_the_projects_registration(tmp_path):
    root = make_tree(tmp_path, {"ja/projects/P0001.yaml": PROJECT.replace("certifications: []", """certifications:
      - {date: 2019-09-10, quantity_t_co2: 100, committee: 40}
      - {date: 2020-04-01, quantity_t_co2: 100, committee: 41}
      - {date: 2021-03-01, quantity_t_co2: 100, committee: 44}""")})
    assert consistency_of(root) == [Problem(
        display(root / "ja/projects/P0001.yaml"), 8, "certifications[0].date",
        "プロジェクトの登録日（registered_on: 2020-04-01）より前の日付です",
        "is before the project's registration (registered_on 2020-04-01)")]


def test_an_offer_under_another_methodology_prefecture_or_sector_than_its_project(tmp_path):
    """The offers table filters by them: the credits would be listed under another's."""
    project = PROJECT.replace("prefecture: 北海道", "prefecture: 北海道\n    sector: forestry")
    other = METHODOLOGY.replace("FO-001", "EN-S-001").replace("forestry", "energy-saving").replace("森林経営活動", "ボイラー")
    root = make_tree(tmp_path, {
        **files("files/EN-S-001.pdf"),
        "ja/methodologies/EN-S-001.yaml": other,
        "ja/projects/P0001.yaml": project,
        "ja/projects/P0002.yaml": PROJECT.replace("P0001", "P0002"),  # no sector: none to agree with
        "ja/offers/wrong.yaml": offer_with(methodology="EN-S-001", project_id="P0001", brand="別の銘柄",
                                           sector="agriculture"),
        "ja/offers/right.yaml": offer_with(project_id="P0001", prefecture="北海道"),
        "ja/offers/any-sector.yaml": offer_with(project_id="P0002", prefecture="北海道", brand="四つ目の銘柄"),
        "ja/offers/no-project.yaml": offer_with(methodology="EN-S-001", brand="三つ目の銘柄"),
    })
    assert OFFER.splitlines()[1:4] == ["methodology: FO-001", "prefecture: 高知県", "sector: forestry"]
    wrong = display(root / "ja/offers/wrong.yaml")
    assert consistency_of(root) == [
        Problem(wrong, 2, "methodology", "プロジェクト P0001 の方法論は FO-001 です。プロジェクトと同じ方法論にしてください",
                "project P0001 is registered under methodology FO-001: the offer's methodology must be its project's"),
        Problem(wrong, 3, "prefecture", "プロジェクト P0001 の都道府県は 北海道 です。プロジェクトと同じ都道府県にしてください",
                "project P0001 is in 北海道: the offer's prefecture must be its project's"),
        Problem(wrong, 4, "sector", "プロジェクト P0001 の業種は forestry です。プロジェクトと同じ業種にしてください",
                "project P0001 is in sector forestry: the offer's sector must be its project's"),
    ]


def test_one_version_listed_twice_or_written_two_ways(tmp_path):
    """"3.1" twice is a line copied and not updated; "3" and "3.0" are one version too (the
    page would list it twice). "3.1" and "3.10" are two."""
    root = make_tree(tmp_path, {
        **files("files/v3.pdf", "files/v3b.pdf", "files/v31.pdf", "files/v310.pdf", "files/v31b.pdf"),
        "ja/methodologies/FO-001.yaml": methodology(("3", "2020-04-01", "files/v3.pdf"),
                                                    ("3.0", "2020-04-01", "files/v3b.pdf"),
                                                    ("3.1", "2021-04-01", "files/v31.pdf"),
                                                    ("3.10", "2024-04-01", "files/v310.pdf"),
                                                    ("3.1", "2024-04-01", "files/v31b.pdf")),
    })
    path = display(root / "ja/methodologies/FO-001.yaml")
    assert consistency_of(root) == [
        Problem(path, 9, "versions[1].version", "6行目の版 3 と同じ版です。版ごとに別の番号にしてください",
                "the same version as 3 on line 6: give each version its own number"),
        Problem(path, 18, "versions[4].version", "12行目の版 3.1 と同じ版です。版ごとに別の番号にしてください",
                "the same version as 3.1 on line 12: give each version its own number"),
    ]
