"""Reproducible builds: the same content and BUILD_DATE give byte-identical output, whatever
the folder, the hash seed, the time zone or the order the file system lists files in."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BUILD_DATE, FIXTURE, ROOT, files_of


def build(content: Path, output: Path, **env: str) -> dict[str, bytes]:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts/build.py"), "--content", str(content), "--output", str(output),
         "--build-date", BUILD_DATE], capture_output=True, text=True, cwd=output.parent,
        env={**os.environ, **env})
    assert result.returncode == 0, result.stderr
    return files_of(output)


@pytest.mark.parametrize("content", [FIXTURE, ROOT / "content"], ids=["fixture", "repository"])
def test_two_builds_of_the_same_content_are_byte_identical(tmp_path, content):
    (tmp_path / "a").mkdir()
    (tmp_path / "elsewhere/b").mkdir(parents=True)
    first = build(content, tmp_path / "a/site", PYTHONHASHSEED="1", TZ="UTC")
    second = build(content, tmp_path / "elsewhere/b/public", PYTHONHASHSEED="2", TZ="America/Los_Angeles")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert len(first) > 50 and any(name.endswith(".pdf") for name in first)
