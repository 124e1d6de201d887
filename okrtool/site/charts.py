"""Chart geometry: rows in, coordinates out, for the SVG the templates draw.

No figure is made here: the values plotted are the rows' own; this module only scales them to
pixels (rounded to 0.1 px, so that the same rows give the same bytes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from okrtool.progress import STATUSES, AgencyRow
from okrtool.progress.site import TrendPoint


def _r(x: float) -> float:
    return round(x, 1)


@dataclass(frozen=True)
class Segment:
    """One status's share of a stacked bar, in percent of the bar's width."""

    status: str
    count: int
    x: float
    width: float


def stacked(counts: dict[str, int]) -> list[Segment]:
    """A bar of key results by status, best first; empty when there are none."""
    total = sum(counts.values())
    out = []
    x = 0.0
    for status in STATUSES:
        n = counts.get(status, 0)
        if n and total:
            width = 100 * n / total
            out.append(Segment(status, n, _r(x), _r(width)))
            x += width
    return out


@dataclass(frozen=True)
class TrendChart:
    """A line chart of the actual against the expected, month by month."""

    width: int
    height: int
    left: int
    right: int  # x where the plot ends
    bottom: int
    top: int
    actual: str  # polyline points
    expected: str
    dots: list[tuple[float, float, TrendPoint]]
    ticks: list[tuple[float, str]]  # x, period label
    grid: list[tuple[float, float]]  # y, value
    target_y: float | None


def trend_chart(
    points: Sequence[TrendPoint], target: float, baseline: float, count_target: int | None
) -> TrendChart:
    """Scale a key result's trend to a 640 × 220 chart (y from 0 to the largest of target,
    actual and expected)."""
    width, height, left, right, top, bottom = 640, 220, 64, 28, 14, 190
    goal = float(count_target) if count_target is not None else target
    values = [goal, baseline] + [v for p in points for v in (p.actual, p.expected) if v is not None]
    high = max(values) or 1.0
    low = min(0.0, *values)
    span = (high - low) or 1.0
    n = max(len(points) - 1, 1)

    def x(i: int) -> float:
        return _r(left + (width - left - right) * (i / n if len(points) > 1 else 0.5))

    def y(v: float) -> float:
        return _r(bottom - (bottom - top) * (v - low) / span)

    def line(attr: str) -> str:
        return " ".join(
            f"{x(i)},{y(getattr(p, attr))}"
            for i, p in enumerate(points)
            if getattr(p, attr) is not None
        )

    dots = [(x(i), y(p.actual), p) for i, p in enumerate(points) if p.actual is not None]
    ticks = [(x(i), p.period) for i, p in enumerate(points)]
    grid = [(y(low + span * k / 4), low + span * k / 4) for k in range(5)]
    return TrendChart(
        width,
        height,
        left,
        width - right,
        bottom,
        top,
        line("actual"),
        line("expected"),
        dots,
        ticks,
        grid,
        y(goal),
    )


@dataclass(frozen=True)
class Bar:
    """One agency's bar: its percent of its own target, capped at the chart's edge."""

    row: AgencyRow
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int
    scale: float  # px per percent
    bars: list[Bar]
    hundred: float  # x of 100 %


BAR = 16
#: Bars longer than this percent of the own target are cut at the edge (the table says how far).
CAP = 150.0


def bar_chart(rows: Sequence[AgencyRow]) -> BarChart:
    """Horizontal bars, one per agency, of the percent of its own target (rows in their order)."""
    width, left, right = 640, 170, 20
    scale = (width - left - right) / CAP
    bars = [
        Bar(row, 4 + i * BAR, _r(scale * min(row.percent or 0.0, CAP)))
        for i, row in enumerate(rows)
    ]
    return BarChart(width, 8 + len(rows) * BAR, left, scale, bars, _r(left + scale * 100))
