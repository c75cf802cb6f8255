"""Template helpers for NDC pages: a target, its reduction and a change, in the page's language."""

from __future__ import annotations

from jinja2 import pass_context

from model.ndc import describe_target, format_reduction


def install_helpers(env) -> None:
    def gettext_of(ctx):
        return lambda message: env.globals["translate"](ctx["lang"], message)

    env.globals.update(
        ndc_target=pass_context(lambda ctx, target: describe_target(target, gettext_of(ctx), ctx["lang"])),
        ndc_reduction=pass_context(lambda ctx, target: format_reduction(target, ctx["lang"])),
        ndc_change=pass_context(lambda ctx, change: change.describe(gettext_of(ctx), ctx["lang"])),
    )
