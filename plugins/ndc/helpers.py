"""Template helpers for NDC pages: a party named in a sentence, a target, its reduction and a
change, in the page's language."""

from __future__ import annotations

import re

from jinja2 import pass_context

from model import VOCABULARIES
from model.ndc import describe_target, format_reduction

# English names a sentence says with "the": those naming a kind of state or union, or plural
# (the European Union, the United States, the Republic of Korea, the Netherlands); a bracketed
# part does not count (Micronesia (Federated States of) takes none).
_SAID_WITH_THE = re.compile(r"\b(?:Union|Kingdom|States|Republic|Federation|Emirates|Islands|Netherlands|"
                            r"Philippines|Bahamas|Maldives|Comoros|Holy See)\b")


def party_in_text(code: str, lang: str, start: bool = False) -> str:
    """The party's name as a sentence says it: "the European Union" where a table's column says
    "European Union"; `start`: at the start of the sentence ("The United Kingdom ...")."""
    name = VOCABULARIES.label("parties", code, lang)
    if lang == "en" and _SAID_WITH_THE.search(re.sub(r"\([^)]*\)", "", name)):
        return ("The " if start else "the ") + name
    return name


def install_helpers(env) -> None:
    def gettext_of(ctx):
        return lambda message: env.globals["translate"](ctx["lang"], message)

    env.globals.update(
        ndc_party=pass_context(lambda ctx, code, start=False: party_in_text(code, ctx["lang"], start)),
        ndc_target=pass_context(lambda ctx, target: describe_target(target, gettext_of(ctx), ctx["lang"])),
        ndc_reduction=pass_context(lambda ctx, target: format_reduction(target, gettext_of(ctx), ctx["lang"])),
        ndc_change=pass_context(lambda ctx, change: change.describe(gettext_of(ctx), ctx["lang"])),
    )
