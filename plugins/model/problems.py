"""Validation problems: a file, a line, a field and a message in Japanese and English."""

from __future__ import annotations

import re
from dataclasses import dataclass

# A problem as printed (Problem.__str__), read back by the tools that show a build's output
# elsewhere: the reviewers' report, the editors' preview.
PROBLEM_LINE = re.compile(r"^(?P<path>[^\s:][^:]*):(?P<line>\d+): (?P<field>.*?): (?P<ja>.*) / (?P<en>.*)$")


@dataclass(frozen=True, order=True)
class Problem:
    path: str  # relative to the working directory where possible, for clickable output
    line: int
    field: str
    ja: str
    en: str
    # A warning does not stop the build: what it names is published as the site can (say,
    # markup the Markdown sanitiser drops), and the editor is told.
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.field or '-'}: {self.ja} / {self.en}"


class ContentError(Exception):
    """Raised when a content tree has problems; carries every one of them."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} content problem(s)")

    def report(self) -> str:
        lines = [str(p) for p in self.problems]
        lines.append(
            f"{len(self.problems)} 件の問題があります。公開物は更新されていません。"
            f" / {len(self.problems)} problem(s) found; nothing was published."
        )
        return "\n".join(lines)
