"""The CI workflow runs what the README promises on every pull request: validation, the whole
test suite, and the reviewer's report, through make targets that exist."""

from __future__ import annotations

import re
import subprocess

import yaml

from conftest import ROOT


def test_pull_requests_are_checked_tested_and_described():
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1 reads `on` as true
    assert "pull_request" in triggers
    runs = {name: " ".join(step.get("run", "") for step in job["steps"]) for name, job in workflow["jobs"].items()}
    assert "make check" in runs["test"] and "make test" in runs["test"]
    assert "make -s translation-status" in runs["test"]  # the status summary, printed for reviewers
    assert "make changes" in runs["changes"] and "github.base_ref" in runs["changes"]
    assert workflow["jobs"]["changes"]["permissions"]["pull-requests"] == "write"
    makefile = (ROOT / "Makefile").read_text()
    for target in ("check", "test", "changes"):
        assert re.search(rf"^{target}:", makefile, re.M), target
    assert "scripts/changes.py $(BASE) $(REV)" in makefile
    # The report's work folder is kept between a pull request's runs, where make changes puts it.
    work = re.search(r"^CHANGES_WORK \?= (\S+)$", makefile, re.M).group(1)
    assert "--work $(CHANGES_WORK)" in makefile
    cached = {step["uses"].split("@")[0]: step["with"]["path"] for step in workflow["jobs"]["changes"]["steps"]
              if step.get("uses", "").startswith("actions/cache/")}
    assert cached == {"actions/cache/restore": work, "actions/cache/save": work}
    # Main's own builds are kept too, for the first report of a pull request from it.
    assert triggers["push"]["branches"] == ["main"] and "if" not in workflow["jobs"]["changes"]
    on_push = [step["run"] for step in workflow["jobs"]["changes"]["steps"] if step.get("if") == "github.event_name == 'push'"]
    assert len(on_push) == 1 and "make changes BASE=HEAD REV=HEAD" in on_push[0]
    # A report that crashed still replaces the last push's comment, saying it could not be made.
    steps = {step.get("name"): step for step in workflow["jobs"]["changes"]["steps"]}
    assert "[ -s changes.md ] ||" in steps["Describe the change"]["run"]
    assert steps["Post or update the pull-request comment"]["if"].startswith("always() && ")


def test_a_touched_but_unchanged_lock_reinstalls_nothing():
    """A checkout (or an editor saving it unchanged) makes requirements.txt newer than the
    installed venv: make must not rebuild the venv for that, only for a changed lock."""
    def planned(*args):
        return subprocess.run(["make", "-n", *args, "check"], cwd=ROOT, capture_output=True, text=True, check=True).stdout

    assert "pip install" not in planned("-W", "requirements.txt")  # as if just touched
    assert "pip install" in planned("STAMP=.venv/.installed-a-lock-not-installed")
