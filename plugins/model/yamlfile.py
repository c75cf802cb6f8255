"""YAML reading that keeps line numbers and does not guess types the way YAML 1.1 does.

PyYAML follows YAML 1.1: `NO` and `on` become booleans, `2024-04-01` a date, and `2.10` the
float 2.1. Editors do not expect that, so plain scalars resolve as in YAML 1.2's core schema
(only true/false are booleans; dates stay strings and are checked by the schema), and each
value's line and raw text are kept so that errors can point at the source and quote it.
"""

from __future__ import annotations

import re
import unicodedata
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
                if not isinstance(key, str):  # `~:`, `true:`, `1e3:` are named as written, not as None/True/1000.0
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key)
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
QUOTE = ("値全体を引用符（\"…\"）で囲んでください", "put the whole value in quotes (\"…\")")
SYNTAX_MISTAKES = [
    ("found unexpected end of stream", "quoted scalar", "引用符が閉じられていません。値の終わりにも同じ引用符を書いてください",
     "the quote is not closed: end the value with the same quote", True),
    ("mapping values are not allowed", None, "値に「: 」が含まれています。値全体を引用符（\"…\"）で囲んでください",
     "the value contains ': ': put the whole value in quotes (\"…\")", False),
    ("expected <block end>", None, *INDENTATION, False),
    ("did not find expected key", None, *INDENTATION, False),
    ("did not find expected '-' indicator", None, *INDENTATION, False),
    ("expected ',' or", None, "括弧（[ ] か { }）が閉じられていません", "a bracket ([ ] or { }) is not closed", True),
    ("but found another document", None, "1つのファイルに書けるのは1件だけです。この行の「---」を消すか、ここから後を別のファイルにしてください",
     "one record per file: remove this '---', or move what follows it to a file of its own", False),
    ("unknown escape character", None, "\"…\" の中では「\\」が特別な意味を持ちます。値を '…' で囲むか、「\\」を「\\\\」と2つ重ねてください",
     "inside \"…\" a backslash starts an escape: use '…' quotes instead, or double the backslash (\\\\)", False),
]

# What an IME types in place of YAML's own characters. The parser takes them for text, so it
# stumbles a line or two later; they are looked for only on the lines before its error, and
# count as the mistake only if typing the half-width character gets the parser past it.
_IDEOGRAPHIC_SPACE = "\u3000"
_FULL_WIDTH_DASHES = "－−ー"  # full-width hyphen-minus, minus sign, and the long-vowel mark a kana IME gives for '-'
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*\Z")
_KEY_AND_VALUE = re.compile(r"(?P<key>[^\s:：#＃\"'\[{][^:：]*?)(?P<colon>[:：])(?P<space>[ \u3000]*)(?P<value>.*)\Z")
FULL_WIDTH_NAME = ("項目名を半角英字で書いてください", "write the field name in half-width letters")
FULL_WIDTH_COLON = ("全角のコロン「：」を半角の「:」にしてください", "the full-width colon '：' must be a half-width ':'")
FULL_WIDTH_SPACE_AFTER_COLON = ("「:」の後ろの全角スペース「　」を半角スペースにしてください",
                                "the space after ':' must be a half-width space, not the full-width '　'")
NO_SPACE_AFTER_COLON = ("「:」の後ろに半角スペースを入れてください", "put a space after ':'")
FULL_WIDTH_INDENT = ("字下げに全角スペース「　」が使われています。字下げは半角スペースにしてください",
                     "the indentation is the full-width space '　': indent with half-width spaces")
FULL_WIDTH_BLANK = ("全角スペース「　」を消して、空の行にしてください", "delete the full-width space '　' and leave the line empty")
FULL_WIDTH_HASH = ("全角の「＃」ではコメントになりません。半角の「#」にしてください",
                   "the full-width '＃' does not start a comment: type a half-width '#'")


def full_width_dash(dash: str) -> tuple[str, str]:
    return (f"全角の「{dash}」はリストの印になりません。半角の「-」にしてください",
            f"the full-width '{dash}' does not start a list item: type a half-width '-'")


def full_width_key(line: str) -> tuple[str, list[tuple[str, str]], str] | None:
    """`status：open` or `status:　open` (a field name, then a full-width colon or space): the
    line as it should be, what to change, and the field name; None if the line is not one."""
    match = _KEY_AND_VALUE.match(line)
    name = unicodedata.normalize("NFKC", match["key"]) if match else ""
    if not _FIELD_NAME.match(name):
        return None
    colon, space, value = match["colon"], match["space"], match["value"]
    changes = [FULL_WIDTH_NAME] if name != match["key"] else []
    if colon == "：":
        changes.append(FULL_WIDTH_COLON)
    if _IDEOGRAPHIC_SPACE in space:
        changes.append(FULL_WIDTH_SPACE_AFTER_COLON)
    if colon == ":" and not space and value and not value.startswith("//"):  # `brand:森`, not `https://`
        changes.append(NO_SPACE_AFTER_COLON)
    if not changes:
        return None
    return name + ":" + (" " + value if value else ""), changes, name


def _half_width(line: str) -> tuple[str, list[tuple[str, str]], str]:
    """The line with YAML's characters typed half-width, what was changed, and an example."""
    indent = re.match(r"[ \u3000]*", line).group()
    rest, changes, example = line[len(indent):], [], ""
    if _IDEOGRAPHIC_SPACE in indent:
        changes.append(FULL_WIDTH_INDENT if rest else FULL_WIDTH_BLANK)
        indent = indent.replace(_IDEOGRAPHIC_SPACE, "  ")
    dash = re.match(f"([{_FULL_WIDTH_DASHES}])[ \u3000]+", rest)
    if dash:
        changes.append(full_width_dash(dash[1]))
        rest = "- " + rest[dash.end():]
    elif rest.startswith("＃"):
        return indent + "#" + rest[1:], changes + [FULL_WIDTH_HASH], ""
    item = "- " if rest.startswith("- ") else ""
    key = full_width_key(rest[len(item):])
    if key:
        rest, more, name = key
        changes += more
        value = rest[len(name) + 2:]
        example = f"{name}: {value[:30]}…" if len(value) > 40 else rest
        rest = item + rest
    return indent + rest, changes, example


def _error_position(text: str):
    try:
        yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        return (mark.line, mark.column) if mark else (0, 0)
    except yaml.YAMLError:
        return (0, 0)
    return None


def _typed_full_width(lines: list[str], numbers, mark) -> tuple[int, str, str] | None:
    """The first of the lines `numbers` whose full-width characters are the parser's error at
    `mark`: (line, Japanese, English)."""
    error_at = (mark.line, mark.column) if mark else (0, 0)
    for number in numbers:
        fixed, changes, example = _half_width(lines[number - 1])
        if not changes:
            continue
        position = _error_position("\n".join(lines[:number - 1] + [fixed] + lines[number:]))
        if position is None or position > error_at:
            return number, *full_width_message(number, changes, example)
    return None


def full_width_message(number: int, changes: list[tuple[str, str]], example: str = "") -> tuple[str, str]:
    """「13 行目の全角のコロン「：」を…（status: open）」, and in English."""
    ja = f"{number} 行目の" + "。".join(change[0] for change in changes)
    en = f"line {number}: " + "; ".join(change[1] for change in changes)
    return (f"{ja}（{example}）", f"{en} ({example})") if example else (ja, en)


def _owner(lines: list[str], number: int) -> str:
    """The field whose text line `number` was meant to continue: the nearest `key:` above it,
    indented no deeper."""
    depth = len(lines[number - 1]) - len(lines[number - 1].lstrip(" "))
    for line in reversed(lines[:number - 1]):
        match = re.match(r"( *)(?:- )?([^\s:#\"'][^:]*?):(?:\s|\Z)", line)
        if match and len(match[1]) <= depth:
            return match[2]
    return "minutes"


def syntax_problem(exc: yaml.MarkedYAMLError, text: str, display_path: str) -> Problem:
    """The parser's error as an editor can act on it, on the line to look at."""
    problem, context = exc.problem or str(exc), exc.context or ""
    mark = exc.problem_mark or exc.context_mark
    line = mark.line + 1 if mark else 1

    def explained(ja: str, en: str, at: int = line) -> Problem:
        return Problem(display_path, at, "", f"YAML の書き方に誤りがあります: {ja}", f"YAML syntax error: {en}")

    lines = [text_line.rstrip("\r") for text_line in text.split("\n")]
    source = (lines[line - 1:line] or [""])[0]
    if ("cannot start any token" in problem or "a tab character" in problem) and "\t" in source:
        return explained(*TAB)
    # A simple key is the parser's word for "a line I took for `key: value`": that line is the one.
    first = exc.context_mark.line + 1 if exc.context_mark and "simple key" in context else line
    typed = _typed_full_width(lines, range(max(1, first - 3), min(line, len(lines)) + 1), mark)
    if typed:
        return explained(*typed[1:], at=typed[0])
    if "could not find expected ':'" in problem and first != line:
        stray = lines[first - 1]
        word = re.fullmatch(r"\s*(?:- )?([a-z_][a-z0-9_]*)(?:\s+(\S.*))?", stray)
        if word and (word[2] or "_" in word[1]):  # `status open`: a field name without its colon
            example = f"{word[1]}: {word[2] or ''}".strip()
            return explained(f"項目名の後に「: 」がありません（{example}）", f"a field name needs ': ' after it ({example})", first)
        key = _owner(lines, first)
        return explained(f"複数行の文章は `{key}: |` のように | を付けて、次の行から字下げして書いてください",
                         f"text of several lines needs '|': write `{key}: |` and indent the lines below it", first)
    if "mapping values are not allowed" in problem and mark and re.fullmatch(r"\s+[\w-]+", source[:mark.column]):
        return explained(*INDENTATION)  # a key indented by mistake reads as the line before's value
    if "sequence entries are not allowed" in problem:
        key = re.match(r"\s*(?:- )?([^:]*):", source)
        key = key[1] if key else "agenda"
        return explained(f"値を「- 」で始めるとリストの印と読まれます。リストなら `{key}:` の次の行から字下げして「- 」を書き、"
                         f"文章なら{QUOTE[0]}",
                         f"a value starting with '- ' reads as a list item: write a list on the lines below `{key}:`, "
                         f"indented, or for text {QUOTE[1]}")
    indicator = exc.context_mark if re.search(r"an alias|an anchor|a tag|block scalar", context) else mark
    char = (lines[indicator.line:indicator.line + 1] or [""])[0][indicator.column:indicator.column + 1] if indicator else ""
    if char and ("cannot start any token" in problem or re.search(r"an alias|an anchor|a tag", context)):
        return explained(f"値を「{char}」で始めることはできません。{QUOTE[0]}",
                         f"a value cannot start with '{char}' (it means something in YAML): {QUOTE[1]}")
    if char and "block scalar" in context and "comment or" in problem:  # `minutes: | 本文`
        return explained(f"「{char}」の後ろには何も書かず、文章は次の行から字下げして書いてください",
                         f"nothing may follow '{char}' on its line: start the text on the next line, indented")
    if re.search(r"did not find expected key|expected <block end>", problem) and mark and source[:mark.column].strip():
        value = re.match(r"\s*(?:- )?(?:[^\s:#\"'][^:]*?:\s+)?([\"'\[{])", source)  # something closed before the line's end
        if value and value[1] in "\"'":
            return explained("引用符で囲むときは値全体を囲んでください。値の中にも同じ引用符があるときは、外側をもう一方の引用符（\" か '）にしてください",
                             "quotes must enclose the whole value; if the value holds the same quote, enclose it in the other kind (\" or ')")
        if value:
            return explained(f"値が「{value[1]}」で始まると、リストや組として読まれます。{QUOTE[0]}",
                             f"a value starting with '{value[1]}' reads as a list or mapping: {QUOTE[1]}")
    for says, doing, ja, en, at_start in SYNTAX_MISTAKES:
        if says in problem and (doing is None or doing in context):
            start = exc.context_mark if at_start and exc.context_mark else mark
            return explained(ja, en, start.line + 1 if start else 1)
    return Problem(display_path, line, "", "YAML の書き方に誤りがあります。この行と前の行の字下げ・「:」・引用符を確かめてください",
                   f"YAML syntax error: {problem}")


# What XML 1.0 (the feeds, the Office files) cannot hold, and no text means to: the control
# characters but tab, line feed and carriage return.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def control_character_message(character: str) -> tuple[str, str]:
    code = f"U+{ord(character):04X}" if len(character) == 1 else character
    return f"目に見えない制御文字（{code}）が含まれています。消してください", f"an invisible control character ({code}): delete it"


def control_character_problem(exc: yaml.reader.ReaderError, text: str, display_path: str) -> Problem:
    """An invisible character the parser refuses (a vertical tab from an Excel cell, say)."""
    character = chr(exc.character) if isinstance(exc.character, int) else str(exc.character)
    line = text.count("\n", 0, max(text.find(character), 0)) + 1  # libyaml's position counts bytes
    return Problem(display_path, line, "", *control_character_message(character))


def parse_yaml(text: str, display_path: str) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse YAML text, e.g. an older revision of a file taken from git."""
    try:
        node = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return None, [syntax_problem(exc, text, display_path)]
    except yaml.reader.ReaderError as exc:  # a control character pasted from Excel or Word
        return None, [control_character_problem(exc, text, display_path)]
    if node is None:
        return None, [Problem(display_path, 1, "", "ファイルが空です", "the file is empty")]
    converter = _Converter(display_path)
    converter.doc.data = converter.convert(node, ())
    return converter.doc, converter.problems
