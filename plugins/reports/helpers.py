"""Template helpers for report pages: the downloads a report has, and its figures' labels."""

from __future__ import annotations

import re

from jinja2 import pass_context

from . import files


def N_(message):  # marks a message for Babel extraction; translated when rendered
    return message


FIGURE_KINDS = {"図": N_("図%(number)s"), "表": N_("表%(number)s")}


def install_helpers(env) -> None:
    def figure_label(ctx, number: str) -> str:
        """図1 / Figure 1, 表1-2 / Table 1-2."""
        match = re.fullmatch(r"(図|表)(.+)", number)
        if not match:
            return number
        return env.globals["translate"](ctx["lang"], FIGURE_KINDS[match.group(1)]) % {"number": match.group(2)}

    def figure_chart(record, figure) -> dict | None:
        """{path, description} of the figure's chart, if its data suits one."""
        chart = files.figure_chart(figure)
        return {"path": files.chart_path(record, figure), "description": chart.description("ja")} if chart else None

    env.globals.update(report_downloads=files.downloads, figure_label=pass_context(figure_label),
                       report_figure_chart=figure_chart)
