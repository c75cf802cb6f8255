"""Rules between an NDC record's values that `make check` used to pass and the build then
published wrong: a range beyond ±100%, a base-year target without its base year or with one
after its target year, a version given twice, and a negative reduction (an increase) where it
cannot be one. Each is a problem at its file, line and field, in Japanese and English."""

from __future__ import annotations

import pytest

from conftest import run_build
from model import load_site
from test_validation import only, problems_of

USA = "ja/international/ndc/USA.yaml"  # one base-year target: type line 9, base_year 10, range [61, 66] 11
JPN = "ja/international/ndc/JPN.yaml"  # versions "1.1" (line 4) and "2.0" (line 16)
ONLY_BASE_YEAR_INCREASES = ("負の値（増加）は基準年比（base-year）の目標だけに書けます",
                            "a negative value (an increase) is for base-year targets only")


def edit(content, name, old, new):
    path = content / name
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("name, edits, field, line, expect", [
    (USA, {"[61, 66]": "[61, 660]"}, "submissions[0].targets[0].reduction_pct_range[1]", 11,
     ("100 以下にしてください", "must be at most 100")),
    (USA, {"[61, 66]": "[-160, -61]"}, "submissions[0].targets[0].reduction_pct_range[0]", 11,
     ("-100 以上にしてください", "must be at least -100")),
    (USA, {"        base_year: 2005\n": ""}, "submissions[0].targets[0].type", 9,
     ("基準年比（base-year）の目標には基準年を base_year", "a base-year target needs its base year")),
    (USA, {"base_year: 2005": "base_year: 2050"}, "submissions[0].targets[0].base_year", 10,
     ("基準年（2050年）は目標年（2035年）より前の年にしてください",
      "the base year (2050) must be before the target year (2035)")),
    (USA, {"base_year: 2005": "base_year: 2035"}, "submissions[0].targets[0].base_year", 10,
     ("目標年（2035年）より前", "must be before the target year (2035)")),
    (JPN, {'version: "2.0"': 'version: "1.1"'}, "submissions[1].version", 16,
     ("版 1.1 は submissions[0] の版 1.1 と同じです", "give each submission a version of its own")),
    (JPN, {'version: "2.0"': 'version: "1.1.0"'}, "submissions[1].version", 16,  # one version, as numbers
     ("版 1.1.0 は submissions[0] の版 1.1 と同じです", "version 1.1.0 is the version of submissions[0] (1.1)")),
    (USA, {"[61, 66]": "[-5, 10]"}, "submissions[0].targets[0].reduction_pct_range", 11,
     ("増加（負の値）から削減にまたがる", "runs from an increase (negative) to a reduction")),
    # an increase is a base-year target's only: -46 on a peak or intensity target is "−46%" misread
    (USA, {"type: base-year": "type: peak", "[61, 66]": "[-66, -61]"},
     "submissions[0].targets[0].reduction_pct_range[0]", 11, ONLY_BASE_YEAR_INCREASES),
    (USA, {"type: base-year": "type: intensity", "reduction_pct_range: [61, 66]": "reduction_pct: -46"},
     "submissions[0].targets[0].reduction_pct", 11, ONLY_BASE_YEAR_INCREASES),
])
def test_a_value_the_other_values_contradict_is_a_problem_at_its_line(content_copy, name, edits, field, line, expect):
    for old, new in edits.items():
        edit(content_copy, name, old, new)
    problem = only(problems_of(content_copy), field)
    assert problem.path.endswith(name) and problem.line == line, str(problem)
    assert expect[0] in problem.ja and expect[1] in problem.en, str(problem)


def test_versions_compare_as_numbers_and_a_base_year_target_may_be_an_increase(content_copy):
    edit(content_copy, JPN, 'version: "2.0"', 'version: "1.10"')  # after 1.1, not the same version
    edit(content_copy, USA, "[61, 66]", "[-10, -5]")
    site = load_site(content_copy)
    assert [s["version"] for s in site.find("ndc", "JPN").submissions] == ["1.10", "1.1"]
    assert site.find("ndc", "USA").latest["targets"][0]["reduction_pct_range"] == [-10, -5]


def test_check_names_every_problem_with_its_file_line_and_field(tmp_path, content_copy):
    """`make check` (scripts/build.py --check) fails and says each one, in both languages."""
    edit(content_copy, USA, "[61, 66]", "[61, 660]")
    edit(content_copy, JPN, 'version: "2.0"', 'version: "1.1"')
    edit(content_copy, JPN, "base_year: 2013\n        reduction_pct: 60", "base_year: 2050\n        reduction_pct: 60")
    edit(content_copy, JPN, "        base_year: 2013\n        reduction_pct: 73", "        reduction_pct: 73")
    result = run_build("--check", content=content_copy, output=tmp_path / "out")
    assert result.returncode == 1 and not (tmp_path / "out").exists()
    said = [line for line in result.stderr.splitlines() if "/ndc/" in line]
    assert len(said) == 4, result.stderr
    for where, ja, en in [
        ("USA.yaml:11: submissions[0].targets[0].reduction_pct_range[1]: ", "100 以下にしてください", "must be at most 100"),
        ("JPN.yaml:16: submissions[1].version: ", "版 1.1 は submissions[0]", "version 1.1 is the version of submissions[0]"),
        ("JPN.yaml:22: submissions[1].targets[0].base_year: ", "基準年（2050年）は目標年（2035年）より前",
         "the base year (2050) must be before the target year (2035)"),
        ("JPN.yaml:26: submissions[1].targets[1].type: ", "基準年比（base-year）の目標には基準年を",
         "a base-year target needs its base year"),
    ]:
        assert any(where in line and ja in line.split(" / ")[0] and en in line for line in said), (where, said)
