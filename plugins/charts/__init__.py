"""Charts drawn at build time as SVG files, each with its text alternative and its data as a
table (the open-data rule for figures: a chart's numbers are published as CSV named after it).

Not a Pelican plugin: pages that show charts build a `Chart` and write `chart.svg(lang)` and
`chart.table()` next to each other."""

from .svg import Bar, Chart

__all__ = ["Bar", "Chart"]
