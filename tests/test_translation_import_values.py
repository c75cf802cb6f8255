"""What an import writes into content/en: every value read back exactly as the translator wrote
it, whatever YAML would make of it, and English confirmed as it was written as it was."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml
from lxml import etree

from model.yamlfile import parse_yaml
from test_translations import commit_all, edit, git, states, translations

XLIFF = "urn:oasis:names:tc:xliff:document:1.2"
NS = {"x": XLIFF}


@pytest.fixture
def repo(content_copy) -> Path:
    git(content_copy, "init", "-q")
    commit_all(content_copy, "content", "2026-05-01")
    return content_copy


def exchange(content: Path, tmp_path: Path, path: str, targets: dict[str, str]) -> subprocess.CompletedProcess:
    """One file through the yearly batch: exported as XLIFF 1.2, the translator writes `targets`
    (unit id -> English) and confirms every unit, the others as the export pre-filled them."""
    batch = tmp_path / "batch.xlf"
    result = translations(content, "export", str(batch), path)
    assert result.returncode == 0, result.stderr
    root = etree.fromstring(batch.read_bytes())
    for unit in root.iterfind(".//x:trans-unit", NS):
        target = unit.find("x:target", NS)
        if unit.get("id") in targets:
            if target is None:
                target = etree.Element(f"{{{XLIFF}}}target")
                unit.find("x:source", NS).addnext(target)
            target.text = targets[unit.get("id")]
        assert target is not None, f"{unit.get('id')}: no English given"
        target.set("state", "translated")
    done = tmp_path / "done.xlf"
    done.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    return translations(content, "import", str(done))


NASTY = {
    "offers/boiler-tokyo.yaml": {
        "brand": "Marunouchi: energy saving # not a comment",
        "conditions": "# first come, first served: 10 t-CO2 or more",
        "seller": "NO"},
    "regional/kochi.yaml": {"name": "on", "operator": "2.10", "description": "２０３０年度までに４６％"},
    "faqs/how-to-buy.yaml": {
        "question": "yes",
        "answer:p1": "- either ask a seller: see the list\n\n  indented, after a blank line",
        "answer:p2": "- or a broker\n- or a tender\n\n\nthree newlines above, 'quotes' and \"quotes\" here  "},
}


@pytest.mark.parametrize("path", NASTY)
def test_values_read_back_exactly_as_translated(repo, tmp_path, path):
    """Values YAML would read as something else (a boolean, a number, a comment, a list)."""
    targets = NASTY[path]
    result = exchange(repo, tmp_path, path, targets)
    assert result.returncode == 0, result.stderr
    text = (repo / "en" / path).read_text(encoding="utf-8")
    expected = {key: value for key, value in targets.items() if ":p" not in key}
    if "answer:p1" in targets:
        expected["answer"] = targets["answer:p1"] + "\n\n" + targets["answer:p2"]
    for read in (lambda text: parse_yaml(text, path)[0].data, yaml.safe_load):  # the site's YAML 1.2, and 1.1
        data = read(text)
        assert {key: data[key] for key in expected} == expected, (path, text)
    assert states(repo)[path] == "current"


def test_english_confirmed_as_it_was_is_written_as_it_was(repo, tmp_path):
    """A text's English ends in a newline (a `|` block): sent out without it, as every unit is,
    and confirmed as it was, it comes back with it; only what changed is a changed line."""
    path = "faqs/how-to-buy.yaml"
    japanese = yaml.safe_load((repo / "ja" / path).read_text(encoding="utf-8"))
    count = len(japanese["answer"].split("\n\n"))
    answer = "\n\n".join(f"English paragraph {n}." for n in range(1, count + 1)) + "\n"
    (repo / "en/faqs").mkdir(parents=True)
    (repo / "en" / path).write_text("question: How can I buy credits?\nanswer: |\n"
                                    + "".join(f"  {line}\n" if line else "\n" for line in answer.splitlines()),
                                    encoding="utf-8")
    assert translations(repo, "mark", path).returncode == 0
    commit_all(repo, "english", "2026-05-02")
    edit(repo / "ja" / path, "クレジットはどのように購入できますか。", "クレジットはどうすれば購入できますか。")
    commit_all(repo, "question reworded", "2026-05-03")
    before = (repo / "en" / path).read_text(encoding="utf-8")
    result = exchange(repo, tmp_path, path, {"question": "How do I buy credits?"})
    assert result.returncode == 0, result.stderr
    after = (repo / "en" / path).read_text(encoding="utf-8")
    assert yaml.safe_load(after)["answer"] == answer
    changed = [line for line in after.splitlines() if line not in before.splitlines()]
    assert [line.split(":")[0] for line in changed] == ["source_hash", "source_commit", "question"]
    assert changed[2] == "question: How do I buy credits?"
