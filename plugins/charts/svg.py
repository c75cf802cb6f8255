"""Bar charts as standalone SVG: vertical bars for a series in order (fiscal years), horizontal
bars for ranked categories (prefectures). Presentation attributes only, no <style> and no
script, so the files pass a strict Content-Security-Policy; text in system fonts."""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from babel.numbers import format_decimal

from i18n.catalogs import babel_locale

from opendata import Column, Table

FONT = ("'Hiragino Sans', 'Noto Sans CJK JP', 'Noto Sans JP', 'Yu Gothic', Meiryo, "
        "system-ui, sans-serif")
BAR = "#0b6e4f"
TEXT = "#1a1a1a"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    """One category and its value, labelled in both languages."""

    ja: str
    en: str
    value: float

    def label(self, lang: str) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass
class Chart:
    """A titled bar chart; `name` is the file stem of its SVG and of its data table."""

    name: str
    title_ja: str
    title_en: str
    category: Column  # what the bars are (header of the first data column)
    value: Column  # what their length measures, with its unit in the header
    bars: list[Bar]
    horizontal: bool = False
    description_ja: str = ""  # the finding in words: the chart's text alternative
    description_en: str = ""
    width: int = 720

    def title(self, lang: str) -> str:
        return self.title_ja if lang == "ja" else self.title_en

    def description(self, lang: str) -> str:
        return self.description_ja if lang == "ja" else self.description_en

    def table(self) -> Table:
        """The chart's data: one row per bar, in the chart's order."""
        rows = {lang: [{self.category.key: bar.label(lang), self.value.key: bar.value} for bar in self.bars]
                for lang in ("ja", "en")}
        return Table(self.name, self.title_ja, self.title_en, [self.category, self.value], rows,
                     description_ja=self.description_ja, description_en=self.description_en)

    def svg(self, lang: str) -> str:
        return (_horizontal if self.horizontal else _vertical)(self, lang)


def _number(value: float, lang: str) -> str:
    return format_decimal(value, locale=babel_locale(lang))


def _nice_max(value: float, whole: bool) -> tuple[float, float]:
    """An axis maximum above `value` (room for the value's label) and a tick step giving
    up to 6 ticks; whole-number steps for counts (`whole`)."""
    if value <= 0:
        return 1, 1
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (0.2, 0.25, 0.5, 1, 2, 2.5, 5, 10):
        tick = step * magnitude
        if whole and tick != int(tick):
            continue
        if value / tick < 5:
            return (math.floor(value / tick) + 1) * tick, tick
    return value, value


def _text_width(text: str, size: float) -> float:
    """Rough rendered width: full-width characters are about 1 em, others about 0.6 em."""
    return sum(size if ord(ch) > 0x2E80 else size * 0.6 for ch in text)


def _document(chart: Chart, lang: str, width: float, height: float, body: list[str]) -> str:
    title, desc = escape(chart.title(lang)), escape(chart.description(lang) or chart.title(lang))
    return "\n".join([
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" lang="{lang}" '
        f'aria-labelledby="{chart.name}-title {chart.name}-desc" font-family={quoteattr(FONT)} fill="{TEXT}">',
        f'<title id="{chart.name}-title">{title}</title>',
        f'<desc id="{chart.name}-desc">{desc}</desc>',
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="16" y="28" font-size="18" font-weight="700">{title}</text>',
        *body,
        "</svg>", ""])


def _vertical(chart: Chart, lang: str) -> str:
    size = 13
    top, bottom, left, right = 64, 56, 16, 16
    values = [bar.value for bar in chart.bars]
    axis_max, tick = _nice_max(max(values, default=0), chart.value.kind == "integer")
    left += max(_text_width(_number(axis_max, lang), size), 24) + 8
    plot_h = 260
    plot_w = chart.width - left - right
    slot = plot_w / max(len(chart.bars), 1)
    labels = [bar.label(lang) for bar in chart.bars]
    rotate = max((_text_width(label, size) for label in labels), default=0) > slot - 4
    if rotate:
        bottom = 24 + max(_text_width(label, size) for label in labels) * 0.75
    height = top + plot_h + bottom
    body = [f'<text x="16" y="50" font-size="{size}">{escape(chart.value.header(lang))}</text>']
    steps = round(axis_max / tick)
    for i in range(steps + 1):
        v = tick * i
        y = top + plot_h - plot_h * v / axis_max
        body.append(f'<line x1="{left:.1f}" y1="{y:.1f}" x2="{chart.width - right:.1f}" y2="{y:.1f}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{left - 6:.1f}" y="{y + 4:.1f}" font-size="{size}" text-anchor="end">'
                    f'{_number(v, lang)}</text>')
    bar_w = min(slot * 0.7, 64)
    for i, bar in enumerate(chart.bars):
        x = left + slot * i + (slot - bar_w) / 2
        h = plot_h * bar.value / axis_max
        y = top + plot_h - h
        cx = x + bar_w / 2
        body.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" fill="{BAR}">'
                    f'<title>{escape(labels[i])}: {_number(bar.value, lang)}</title></rect>')
        body.append(f'<text x="{cx:.1f}" y="{y - 5:.1f}" font-size="{size - 1}" text-anchor="middle">'
                    f'{_number(bar.value, lang)}</text>')
        base = top + plot_h + 18
        if rotate:
            body.append(f'<text x="{cx:.1f}" y="{base:.1f}" font-size="{size}" text-anchor="end" '
                        f'transform="rotate(-45 {cx:.1f} {base:.1f})">{escape(labels[i])}</text>')
        else:
            body.append(f'<text x="{cx:.1f}" y="{base:.1f}" font-size="{size}" text-anchor="middle">'
                        f'{escape(labels[i])}</text>')
    body.append(f'<line x1="{left:.1f}" y1="{top + plot_h:.1f}" x2="{chart.width - right:.1f}" '
                f'y2="{top + plot_h:.1f}" stroke="{TEXT}" stroke-width="1.5"/>')
    return _document(chart, lang, chart.width, height, body)


def _horizontal(chart: Chart, lang: str) -> str:
    size = 13
    row = 26
    top, right = 64, 16
    labels = [bar.label(lang) for bar in chart.bars]
    values = [bar.value for bar in chart.bars]
    # The axis runs from zero, or from below it when a value is negative (an NDC target that
    # is an increase): one tick step for both sides, and room beyond the longest bar for its label.
    high, low = max(values, default=0), min(values, default=0)
    _, tick = _nice_max(max(high, -low), chart.value.kind == "integer")
    axis_max = (math.floor(high / tick) + 1) * tick if high > 0 else 0
    axis_min = -(math.floor(-low / tick) + 1) * tick if low < 0 else 0
    axis_max = axis_max if axis_max > axis_min else tick
    left = 16 + max((_text_width(label, size) for label in labels), default=0) + 8
    value_room = _text_width(_number(axis_max, lang), size - 1) + 8
    plot_w = chart.width - left - right - value_room
    plot_h = row * max(len(chart.bars), 1)
    height = top + plot_h + 40

    def x_of(value: float) -> float:
        return left + plot_w * (value - axis_min) / (axis_max - axis_min)

    body = [f'<text x="{chart.width - right:.1f}" y="50" font-size="{size}" text-anchor="end">'
            f'{escape(chart.value.header(lang))}</text>']
    for i in range(round((axis_max - axis_min) / tick) + 1):
        v = axis_min + tick * i
        x = x_of(v)
        body.append(f'<line x1="{x:.1f}" y1="{top:.1f}" x2="{x:.1f}" y2="{top + plot_h:.1f}" '
                    f'stroke="{GRID}" stroke-width="1"/>')
        body.append(f'<text x="{x:.1f}" y="{top + plot_h + 18:.1f}" font-size="{size}" text-anchor="middle">'
                    f'{_number(v, lang)}</text>')
    zero = x_of(0)
    for i, bar in enumerate(chart.bars):
        y = top + row * i
        end = x_of(bar.value)
        body.append(f'<text x="{left - 8:.1f}" y="{y + row / 2 + 5:.1f}" font-size="{size}" '
                    f'text-anchor="end">{escape(labels[i])}</text>')
        body.append(f'<rect x="{min(zero, end):.1f}" y="{y + 4:.1f}" width="{abs(end - zero):.1f}" height="{row - 8}" fill="{BAR}">'
                    f'<title>{escape(labels[i])}: {_number(bar.value, lang)}</title></rect>')
        label_x, anchor = (end + 5, "") if bar.value >= 0 else (end - 5, ' text-anchor="end"')
        body.append(f'<text x="{label_x:.1f}" y="{y + row / 2 + 5:.1f}" font-size="{size - 1}"{anchor}>'
                    f'{_number(bar.value, lang)}</text>')
    body.append(f'<line x1="{zero:.1f}" y1="{top:.1f}" x2="{zero:.1f}" y2="{top + plot_h:.1f}" '
                f'stroke="{TEXT}" stroke-width="1.5"/>')
    return _document(chart, lang, chart.width, height, body)
