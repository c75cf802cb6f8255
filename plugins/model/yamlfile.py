"""YAML reading that keeps line numbers and does not guess types the way YAML 1.1 does.

PyYAML follows YAML 1.1: `NO` and `on` become booleans, `2024-04-01` a date, and `2.10` the
float 2.1. Editors do not expect that, so plain scalars resolve as in YAML 1.2's core schema
(only true/false are booleans; dates stay strings and are checked by the schema), and each
value's line and raw text are kept so that errors can point at the source and quote it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import Problem

_INT = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_NULL = {"", "~", "null", "Null", "NULL"}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}

# libyaml's parser is ten times faster and gives the same nodes and marks.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Location = tuple  # a path into the document: ("versions", 1, "version")


@dataclass
class YamlDocument:
    """One parsed file: its data, and the line and raw text of every value in it."""

    data: object
    lines: dict = field(default_factory=dict)  # Location -> 1-based line
    raw: dict = field(default_factory=dict)  # Location -> source text of plain scalars

    def line(self, location: Location) -> int:
        """The line of `location`, or of its nearest ancestor that has one."""
        location = tuple(location)
        while location:
            if location in self.lines:
                return self.lines[location]
            location = location[:-1]
        return self.lines.get((), 1)


class _Converter:
    def __init__(self, path: str):
        self.path = path
        self.doc = YamlDocument(None)
        self.problems: list[Problem] = []

    def convert(self, node, location: Location):
        self.doc.lines.setdefault(location, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            result = {}
            for key_node, value_node in node.value:
                key = self.convert(key_node, location + ("<key>",))
                self.doc.lines.pop(location + ("<key>",), None)
                self.doc.raw.pop(location + ("<key>",), None)
                if not isinstance(key, str):
                    key = str(key)
                if key in result:
                    self.problems.append(Problem(
                        self.path, key_node.start_mark.line + 1, _dotted(location + (key,)),
                        "同じ項目が2回書かれています",
                        "this field is written twice"))
                # A value's line is its key's line: that is where editors look.
                self.doc.lines[location + (key,)] = key_node.start_mark.line + 1
                result[key] = self.convert(value_node, location + (key,))
            return result
        if isinstance(node, yaml.SequenceNode):
            return [self.convert(item, location + (i,)) for i, item in enumerate(node.value)]
        return self._scalar(node, location)

    def _scalar(self, node, location):
        text = node.value
        if node.style:  # plain scalars have no style (None, or "" from libyaml)
            return text  # quoted or block scalars are always strings
        self.doc.raw[location] = text
        if text in _NULL:
            return None
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        if _INT.match(text):
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        return text


def _dotted(location: Location) -> str:
    out = ""
    for part in location:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted


def load_yaml(path, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML file; syntax errors come back as problems, never as exceptions."""
    try:
        text = open(path, encoding="utf-8").read()
    except UnicodeDecodeError as exc:
        return None, [Problem(display_path, 1, "", "UTF-8 で保存してください",
                              f"the file is not UTF-8 ({exc.reason})")]
    return parse_yaml(text, display_path)


# The parser's wording for the mistakes editors make, explained: (what the parser says, what
# it was doing or None, Japanese, English, whether the line is where it was doing it).
INDENTATION = ("字下げがそろっていません。同じ階層の項目は同じ位置から書いてください",
               "the indentation does not line up: items at one level start in the same column")
TAB = ("タブ文字は使えません。字下げは半角スペースにしてください", "a tab character: indent with spaces")
SYNTAX_MISTAKES = [
    ("found unexpected end of stream", "quoted scalar", "引用符が閉じられていません。値の終わりにも同じ引用符を書いてください",
     "the quote is not closed: end the value with the same quote", True),
    ("mapping values are not allowed", None, "値に「: 」が含まれています。値全体を引用符（\"…\"）で囲んでください",
     "the value contains ': ': put the whole value in quotes (\"…\")", False),
    ("expected <block end>", None, *INDENTATION, False),
    ("did not find expected key", None, *INDENTATION, False),
    ("did not find expected '-' indicator", None, *INDENTATION, False),
    ("did not find expected ',' or", None, "括弧（[ ] か { }）が閉じられていません", "a bracket ([ ] or { }) is not closed", True),
]


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, display_path: str) -> Problem:
    """The parser's error as an editor can act on it, on the line to look at."""
    problem, context = exc.problem or str(exc), exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1

    def explained(ja: str, en: str, at: int = line) -> Problem:
        return Problem(display_path, at, "", f"YAML の書き方に誤りがあります: {ja}", f"YAML syntax error: {en}")

    source = (text.split("\n")[line - 1:line] or [""])[0]
    if ("cannot start any token" in problem or "a tab character" in problem) and "\t" in source:
        return explained(*TAB)
    if "mapping values are not allowed" in problem and mark and re.fullmatch(r"\s+[\w-]+", source[:mark.column]):
        return explained(*INDENTATION)  # a key indented by mistake reads as the line before's value
    for says, doing, ja, en, at_start in SYNTAX_MISTAKES:
        if says in problem and (doing is None or doing in context):
            start = exc.context_mark if at_start and exc.context_mark else mark
            return explained(ja, en, start.line + 1 if start else 1)
    return Problem(display_path, line, "", f"YAML の書き方に誤りがあります（{problem}）", f"YAML syntax error: {problem}")


def parse_yaml(text: str, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text, e.g. an older revision of a file taken from git."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, display_path)]
    if node is None:
        return None, [Problem(display_path, 1, "", "ファイルが空です", "the file is empty")]
    converter = _Converter(display_path)
    converter.doc.data = converter.convert(node, ())
    return converter.doc, converter.problems
