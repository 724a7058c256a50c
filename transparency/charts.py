"""Geometry of the dashboard's server-rendered SVG charts (markup in
``templates/transparency/_chart_*.html``). Bars per agency reuse the queue
statistics' ``bar_chart``; the monthly trend is drawn here as paired columns
(received, finished) per month. Every chart carries a title and description
and is followed by its data as a table (the accessible fallback)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.utils.formats import number_format

from queueing.statistics import BarChart, bar_chart

from .selectors import Figures


@dataclass(frozen=True)
class Column:
    x: float
    y: float
    width: float
    height: float
    value: int
    kind: str  # "received" | "finished", the CSS class


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    labels: list[tuple[float, str]]  # (x centre, label)
    ticks: list[tuple[float, int]]  # (y, value)
    width: int
    height: int
    left: int
    plot_bottom: int


def trend_chart(
    points: list[tuple[str, int, int]], *, width: int = 640, height: int = 240
) -> ColumnChart:
    """Columns for ``(label, received, finished)`` per month, oldest first."""
    left, top, bottom = 44, 12, 28
    plot_height = height - top - bottom
    peak = max((max(r, f) for _, r, f in points), default=0) or 1
    slot = (width - left - 8) / max(1, len(points))
    bar = max(2.0, slot * 0.35)
    columns, labels = [], []
    for i, (label, received, finished) in enumerate(points):
        x0 = left + i * slot + (slot - 2 * bar) / 2
        for j, (value, kind) in enumerate(
            ((received, "received"), (finished, "finished"))
        ):
            h = plot_height * value / peak
            columns.append(
                Column(
                    round(x0 + j * bar, 1),
                    round(top + plot_height - h, 1),
                    round(bar - 1, 1),
                    round(h, 1),
                    value,
                    kind,
                )
            )
        labels.append((round(left + i * slot + slot / 2, 1), label))
    step = max(1, -(-peak // 4))
    ticks = [
        (round(top + plot_height - plot_height * v / peak, 1), v)
        for v in range(0, peak + 1, step)
    ]
    return ColumnChart(columns, labels, ticks, width, height, left, top + plot_height)


def sla_chart(lines: list[Figures]) -> BarChart:
    """Share finished within the SLA per line, in percent, labelled with the
    short name; lines without a known deadline are left out. Values are
    written in the active language's number format (``62,5%`` in
    Indonesian)."""
    chart = bar_chart(
        [(f.short, f.sla_percent) for f in lines if f.sla_percent is not None],
        unit="%",
    )
    bars = [replace(bar, text=f"{number_format(bar.value, 1)}%") for bar in chart.bars]
    return replace(chart, bars=bars)
