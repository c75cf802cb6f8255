"""The legacy-domain redirect map editors keep in `redirects.yaml` at the content root:
old path on jcdm.go.jp or jcre.jp -> path of the page that replaces it on this site.

A content root without the file gets the project's default (`defaults/redirects.yaml`). Every
entry is checked here, with its line; that each target is a built page is checked after the build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from .problems import Problem
from .yamlfile import load_yaml

FILE_NAME = "redirects.yaml"
DEFAULT = Path(__file__).parent / "defaults" / FILE_NAME
# Characters that could change the meaning of a web-server configuration line; paths are
# written as a browser shows them, anything unusual percent-encoded.
_UNSAFE = re.compile(r'[\s"\'\\$;{}<>`^|]|[\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Redirect:
    old: str  # path on a legacy domain, decoded: /sale/list.html
    new: str  # path on this site: /offers/
    source: str  # file and line, for messages about the target: content/redirects.yaml
    line: int


def redirects_file(content_root: Path) -> Path:
    own = Path(content_root) / FILE_NAME
    return own if own.is_file() else DEFAULT


def load_redirects(path: Path, shown: str) -> tuple[list[Redirect], list[Problem]]:
    """The redirects in `path`, or every problem with them (shown as `shown:line`)."""
    doc, problems = load_yaml(path, shown)
    if doc is None:
        return [], [p for p in problems if "empty" not in p.en]  # an empty map is a valid map
    if not isinstance(doc.data, dict):
        return [], problems + [Problem(shown, 1, "", "「旧パス: 新パス」の組を並べてください",
                                       "write one 'old path: new path' pair per line")]
    redirects = []
    for old, new in doc.data.items():
        line = doc.line((old,))
        ok = True
        for field, value, what in (("old", old, ("旧サイトのパス", "the old path")), ("new", new, ("新しいパス", "the new path"))):
            problem = _path_problem(value, field == "new")
            if problem:
                problems.append(Problem(shown, line, str(old), f"{what[0]}: {problem[0]}", f"{what[1]}: {problem[1]}"))
                ok = False
        if ok:
            redirects.append(Redirect(unquote(old), new, shown, line))
    return redirects, problems


def _path_problem(value, is_target: bool) -> tuple[str, str] | None:
    if not isinstance(value, str) or not value.startswith("/") or value.startswith("//"):
        return ("「/」で始まるサイト内のパスで書いてください（例: /offers/）",
                "write a path on the site starting with '/' (e.g. /offers/)")
    if "?" in value or (not is_target and "#" in value):
        return ("「?」以降（クエリ）は書けません。パスだけを書いてください", "write the path only, without '?' or '#'")
    if _UNSAFE.search(value) or _UNSAFE.search(unquote(value)):
        return ("空白や記号（\" ' \\ $ ; { } < > など）は使えません。必要なら %XX で書いてください",
                "spaces and characters such as \" ' \\ $ ; { } < > are not allowed; percent-encode them")
    return None
