"""The warm build process behind `make serve` (scripts/build.py --warm): each build it runs
gives what a separate `make html` gives, and a failing build reports its problems and keeps
the process serving."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import BUILD_DATE, ROOT, run_build
from test_incremental import edit, tree


class Warm:
    def __init__(self):
        self.process = subprocess.Popen([sys.executable, str(ROOT / "scripts/build.py"), "--warm"], cwd=ROOT,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def build(self, content: Path, output: Path) -> tuple[int, str]:
        self.process.stdin.write(f'["--content", "{content}", "--output", "{output}", "--build-date", "{BUILD_DATE}"]\n')
        self.process.stdin.flush()
        lines = []
        for line in self.process.stdout:
            if line.startswith("\0"):
                return int(line[1:]), "".join(lines)
            lines.append(line)
        raise AssertionError("the warm process ended:\n" + "".join(lines))

    def close(self) -> int:
        self.process.stdin.close()
        return self.process.wait(timeout=30)


def test_warm_builds_equal_separate_builds_and_survive_a_failure(tmp_path, content_copy):
    warm, output, separate = Warm(), tmp_path / "warm", tmp_path / "separate"
    try:
        code, report = warm.build(content_copy, output)
        assert code == 0 and "built" in report, report

        edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: 12000", "quantity_t_co2: １２")
        code, report = warm.build(content_copy, output)
        assert code == 1 and "kochi-forest.yaml" in report and "quantity_t_co2" in report, report

        edit(content_copy / "ja/offers/kochi-forest.yaml", "quantity_t_co2: １２", "quantity_t_co2: 12500")
        code, report = warm.build(content_copy, output)
        assert code == 0 and "written" in report, report
    finally:
        assert warm.close() == 0
    assert run_build(content=content_copy, output=separate).returncode == 0
    assert tree(output) == tree(separate)
