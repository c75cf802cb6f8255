"""Check one parsed document against its collection's schema, and against the rules between its
values that a schema cannot state (RECORD_CHECKS); every error becomes a Problem."""

from __future__ import annotations

import unicodedata

from .messages import explain, suggest_field
from .ndc import record_problems
from .problems import Problem
from .schemas import resolve, validator
from .yamlfile import YamlDocument, dotted


def _choices(branches) -> list[str]:
    names = []
    for branch in branches:
        for name in branch.get("required", []):
            if name not in names:
                names.append(name)
    return names


# schema name -> a function of the document's data yielding (location, ja, en)
RECORD_CHECKS = {"ndc.schema.json": record_problems}


def schema_problems(doc: YamlDocument, schema_name: str, path: str) -> list[Problem]:
    problems = []
    for error in validator(schema_name).iter_errors(doc.data):
        location = tuple(error.absolute_path)
        instance = error.instance
        message = error.schema.get("x-message") if isinstance(error.schema, dict) else None
        if message:  # a rule between fields (if/then in the schema) explains itself
            problems.append(Problem(path, doc.line(location), dotted(location), message["ja"], message["en"]))
        elif error.validator == "required":
            # a field typed in full width (ｓｔａｔｕｓ) is named once, as the unknown field it is
            typed = {unicodedata.normalize("NFKC", str(key)).strip().lower() for key in instance} \
                if isinstance(instance, dict) else set()
            for name in error.validator_value:
                if isinstance(instance, dict) and name not in instance and name not in typed:
                    problems.append(Problem(path, doc.line(location), dotted(location + (name,)),
                                            "必須項目がありません", "required field is missing"))
        elif error.validator == "additionalProperties":
            allowed = resolve(error.schema).get("properties", {})
            for name in instance:
                if name not in allowed:
                    ja, en = suggest_field(name, allowed)
                    problems.append(Problem(path, doc.line(location + (name,)),
                                            dotted(location + (name,)), ja, en))
        elif error.validator in ("anyOf", "oneOf") and _choices(error.validator_value):
            names = _choices(error.validator_value)
            present = [n for n in names if isinstance(instance, dict) and n in instance]
            field = dotted(location + (names[0],)) if not location else dotted(location)
            listed = " / ".join(names)
            if not present:
                problems.append(Problem(path, doc.line(location), field,
                                        f"{listed} のいずれかが必要です", f"one of {listed} is required"))
            elif len(present) > 1 and error.validator == "oneOf":
                problems.append(Problem(path, doc.line(location + (present[1],)), dotted(location + (present[1],)),
                                        f"{listed} は一つだけ書いてください", f"give only one of {listed}"))
            else:
                for sub in sorted(error.context, key=lambda e: len(e.absolute_path), reverse=True)[:1]:
                    sub_location = location + tuple(sub.relative_path)
                    ja, en = explain(sub, doc.raw.get(sub_location))
                    problems.append(Problem(path, doc.line(sub_location), dotted(sub_location), ja, en))
        else:
            ja, en = explain(error, doc.raw.get(location))
            problems.append(Problem(path, doc.line(location), dotted(location), ja, en))
    for location, ja, en in RECORD_CHECKS.get(schema_name, lambda data: ())(doc.data):
        problems.append(Problem(path, doc.line(location), dotted(location), ja, en))
    unique = {}
    for problem in problems:  # a bad date fails both its pattern and its format: say it once
        unique.setdefault((problem.line, problem.field), problem)
    return list(unique.values())
