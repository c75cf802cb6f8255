"""JSON Schemas of the content model: loading, the registry that resolves their references,
the generated code-list schema, and which fields are translatable (`x-translatable`)."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker, validators
from referencing import Registry, Resource

from .vocabularies import SCHEMA_DEFS, VOCABULARIES

SCHEMA_DIR = Path(__file__).parent / "schemas"
VOCABULARY_SCHEMA = "vocabularies.schema.json"
VOCABULARY_PREFIX = "../vocabularies/"  # a code list's schema names its file in `description`


def vocabulary_schema() -> dict:
    """The code lists as JSON Schema enums, for validation and for editors' autocompletion."""
    defs = {}
    for name, vocabulary in SCHEMA_DEFS.items():
        codes = VOCABULARIES.codes(vocabulary)
        labels = [f"{c}: {VOCABULARIES.label(vocabulary, c, 'ja')} / "
                  f"{VOCABULARIES.label(vocabulary, c, 'en')}" for c in codes]
        defs[name] = {"enum": codes, "description": f"{VOCABULARY_PREFIX}{vocabulary}.yaml",
                      "x-labels": labels}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Code lists, generated from plugins/model/vocabularies by `make schemas`",
        "$defs": defs,
    }


def vocabulary_of(schema: dict) -> str | None:
    """The code list a (resolved) schema takes its values from, e.g. "parties", or None."""
    description = schema.get("description", "")
    if description.startswith(VOCABULARY_PREFIX) and description.endswith(".yaml"):
        return description[len(VOCABULARY_PREFIX):-len(".yaml")]
    return None


def vocabulary_schema_text() -> str:
    return json.dumps(vocabulary_schema(), ensure_ascii=False, indent=1) + "\n"


@lru_cache(maxsize=None)
def registry() -> Registry:
    resources = []
    for path in SCHEMA_DIR.glob("*.schema.json"):
        if path.name == VOCABULARY_SCHEMA:
            continue  # always built from the vocabularies, so a stale copy cannot mislead
        resources.append((path.name, Resource.from_contents(json.loads(path.read_text("utf-8")))))
    resources.append((VOCABULARY_SCHEMA, Resource.from_contents(vocabulary_schema())))
    return Registry().with_resources(resources)


@lru_cache(maxsize=None)
def inlined(schema_name: str) -> dict:
    """The schema with every `$ref` replaced by its target: validating it needs no lookups,
    which makes validation of thousands of records several times faster."""

    def inline(node):
        if isinstance(node, dict):
            node = resolve(node) if "$ref" in node else node
            return {key: inline(value) for key, value in node.items()}
        if isinstance(node, list):
            return [inline(item) for item in node]
        return node

    return inline(registry().contents(schema_name))


def _is_integer(checker, instance) -> bool:
    """Only a whole number as written (1100) is an integer: JSON Schema counts 1100.0 and 1e3
    too, and they would be published as 1100.0 and 1000.0."""
    return isinstance(instance, int) and not isinstance(instance, bool)


# The one validator class every schema of the content model is applied with.
ContentValidator = validators.extend(
    Draft202012Validator, type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _is_integer))


@lru_cache(maxsize=None)
def validator(schema_name: str) -> Draft202012Validator:
    return ContentValidator(inlined(schema_name), format_checker=FormatChecker())


@lru_cache(maxsize=None)
def overlay_validator(schema_name: str, whole_page: bool) -> Draft202012Validator:
    """Validator for an English translation: a whole Markdown page takes the page's own
    metadata (nothing required) plus its pins; a YAML overlay only the translatable fields."""
    from .translation import overlay_schema

    schema = inlined(schema_name)
    if whole_page:
        schema = {**schema, "required": [], "properties": {
            **schema["properties"], "source_hash": {"type": "string"}, "source_commit": {"type": "string"}}}
    else:
        schema = overlay_schema(schema, resolve)
    return ContentValidator(schema, format_checker=FormatChecker())


def resolve(schema: dict) -> dict:
    """Follow a `$ref` (one level is all our schemas use) and merge the local keywords."""
    ref = schema.get("$ref")
    if not ref:
        return schema
    document, _, pointer = ref.partition("#")
    target = registry().contents(document)
    for part in pointer.strip("/").split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in schema.items() if k != "$ref"}}


@lru_cache(maxsize=None)
def translatable_fields(schema_name: str) -> tuple[str, ...]:
    """Paths of translatable fields, e.g. `brand`, `agenda`, `materials[].title`."""
    found: list[str] = []

    def walk(schema: dict, prefix: str) -> None:
        schema = resolve(schema)
        for name, sub in schema.get("properties", {}).items():
            path = f"{prefix}{name}"
            sub = resolve(sub)
            if sub.get("x-translatable"):
                found.append(path)
            elif sub.get("type") == "array" and isinstance(sub.get("items"), dict):
                walk(sub["items"], f"{path}[].")
            elif sub.get("type") == "object":
                walk(sub, f"{path}.")

    walk(registry().contents(schema_name), "")
    return tuple(found)


def generated_schemas() -> dict[str, str]:
    """Schema files made from other sources (`make schemas` writes them; a test checks them):
    the code lists, and for translators one overlay schema per collection."""
    from .records import COLLECTIONS
    from .translation import overlay_schema

    files = {VOCABULARY_SCHEMA: vocabulary_schema_text()}
    for collection in COLLECTIONS.values():
        if collection.kind == "markdown":
            continue
        schema = overlay_schema(registry().contents(collection.schema), resolve)
        schema = {"$schema": "https://json-schema.org/draft/2020-12/schema",
                  "title": f"English translation of {collection.schema} (content/en/...)", **schema}
        files[f"{collection.schema.replace('.schema', '.overlay.schema')}"] = (
            json.dumps(schema, ensure_ascii=False, indent=1) + "\n")
    return files


def write_generated_schemas() -> None:
    for name, text in generated_schemas().items():
        path = SCHEMA_DIR / name
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
