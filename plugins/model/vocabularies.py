"""The code lists (sector, prefecture, party, ...) shipped with the project, and their labels."""

from __future__ import annotations

from functools import cached_property
from pathlib import Path

from .yamlfile import load_yaml

VOCABULARY_DIR = Path(__file__).parent / "vocabularies"

# schema $defs name -> vocabulary file; one place that ties the two together
SCHEMA_DEFS = {
    "prefecture": "prefectures",
    "sector": "sectors",
    "methodology_category": "methodology-categories",
    "provider_service": "provider-services",
    "ndc_target_type": "ndc-target-types",
    "party": "parties",
    "committee": "committees",
    "faq_category": "faq-categories",
    "region": "regions",
}


class Vocabularies:
    """Read-only access to every code list: codes in file order, and labels per language."""

    def __init__(self, directory: Path = VOCABULARY_DIR):
        self.directory = directory

    @cached_property
    def lists(self) -> dict[str, dict[str, dict]]:
        lists = {}
        for path in sorted(self.directory.glob("*.yaml")):
            doc, problems = load_yaml(path, str(path))
            if problems:
                raise ValueError("\n".join(str(p) for p in problems))
            lists[path.stem] = {str(code): entry for code, entry in doc.data.items()}
        return lists

    def codes(self, name: str) -> list[str]:
        return list(self.lists[name])

    def entry(self, name: str, code: str) -> dict:
        return self.lists[name][code]

    def label(self, name: str, code: str, lang: str) -> str:
        """A code's label; prefectures are keyed by their Japanese name and carry `en` only."""
        entry = self.lists[name].get(code)
        if entry is None:
            return code
        if lang == "ja" and "ja" not in entry:
            return code
        return entry.get(lang) or entry.get("ja") or code

    @cached_property
    def region_of_prefecture(self) -> dict[str, str]:
        return {pref: region for region, entry in self.lists["regions"].items()
                for pref in entry["prefectures"]}

    def category_of_methodology(self, methodology_id: str) -> str | None:
        prefix = methodology_id.rsplit("-", 1)[0]
        for code, entry in self.lists["methodology-categories"].items():
            if entry["prefix"] == prefix:
                return code
        return None


VOCABULARIES = Vocabularies()
