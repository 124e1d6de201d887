"""Chart geometry: rows in, coordinates out, for the SVG the templates draw.

No figure is made here: the values plotted are the rows' own; this module only scales them to
pixels and percents of the chart's width (rounded to 0.1, so that the same rows give the same
bytes). Text is never scaled: across, positions are percents, so a chart is as wide as its box
and its labels are drawn at the stylesheet's size on a phone as on a desk.
"""

from __future__ import annotations

import math
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


#: The plot's left and right edges in percent of the chart's width: the text around it is drawn
#: at its own size in CSS pixels at any width (no viewBox scales it), so it reads on a phone.
PLOT_LEFT, PLOT_RIGHT = 16.0, 92.0
#: The plot's inner coordinates across: x from 0 to this, stretched to the plot's width.
ACROSS = 1000


def nice_step(span: float, most: int = 5) -> float:
    """The smallest round step (1, 2, 2.5 or 5 × 10^n) that splits ``span`` into at most
    ``most`` intervals."""
    if span <= 0:
        return 1.0
    raw = span / most
    power = 10 ** math.floor(math.log10(raw))
    for mult in (1, 2, 2.5, 5, 10):
        if mult * power >= raw - 1e-9 * power:
            return mult * power
    return 10 * power  # pragma: no cover - the loop ends at 10


@dataclass(frozen=True)
class TrendChart:
    """A line chart of the actual against the expected, period by period: the plot's lines in
    inner coordinates (x 0–ACROSS, y in pixels), the text and grid in percent and pixels."""

    height: int
    top: int
    bottom: int
    left: float  # percent
    right: float  # percent
    actual: str  # polyline points, inner coordinates
    expected: str
    dots: list[tuple[float, float, TrendPoint]]  # inner x, y
    ticks: list[tuple[float, str, bool]]  # x percent, period label, shown on a phone
    grid: list[tuple[float, float]]  # y, value (round steps)
    target_y: float | None


def trend_chart(
    points: Sequence[TrendPoint], target: float, baseline: float, count_target: int | None
) -> TrendChart:
    """Scale a key result's trend to a chart 240 px tall and as wide as its box (y from 0, or
    the lowest value, to a round step at or above the largest of target, actual and expected)."""
    height, top, bottom = 240, 12, 206
    goal = float(count_target) if count_target is not None else target
    values = [goal, baseline] + [v for p in points for v in (p.actual, p.expected) if v is not None]
    high = max(values) or 1.0
    low = min(0.0, *values)
    step = nice_step(high - low)
    low = math.floor(low / step) * step
    high = max(math.ceil(high / step - 1e-9) * step, low + step)
    span = high - low
    n = max(len(points) - 1, 1)

    def frac(i: int) -> float:
        return i / n if len(points) > 1 else 0.5

    def x(i: int) -> float:
        return _r(ACROSS * frac(i))

    def y(v: float) -> float:
        return _r(bottom - (bottom - top) * (v - low) / span)

    def line(attr: str) -> str:
        return " ".join(
            f"{x(i)},{y(getattr(p, attr))}"
            for i, p in enumerate(points)
            if getattr(p, attr) is not None
        )

    dots = [(x(i), y(p.actual), p) for i, p in enumerate(points) if p.actual is not None]
    # on a phone every third label of five or more is drawn, counted back from the last (the
    # as-of period): seven labels of 2567-06 do not fit in 300 px
    last = len(points) - 1
    ticks = [
        (
            _r(PLOT_LEFT + (PLOT_RIGHT - PLOT_LEFT) * frac(i)),
            p.period,
            len(points) <= 4 or (last - i) % 3 == 0,
        )
        for i, p in enumerate(points)
    ]
    steps = round(span / step)
    grid = [(y(low + step * k), low + step * k) for k in range(steps + 1)]
    return TrendChart(
        height,
        top,
        bottom,
        PLOT_LEFT,
        PLOT_RIGHT,
        line("actual"),
        line("expected"),
        dots,
        ticks,
        grid,
        y(goal),
    )


@dataclass(frozen=True)
class Bar:
    """One agency's bar: its percent of its own target, capped at the chart's edge; ``y`` in
    pixels, ``width`` in percent of the chart's width."""

    row: AgencyRow
    y: int
    width: float


@dataclass(frozen=True)
class BarChart:
    height: int
    left: float  # percent: where the bars start (the names end)
    bars: list[Bar]
    hundred: float  # percent: x of 100 % of the own target
    row: int  # pixels per bar


#: Pixels per bar: a line of 12 px text.
BAR = 20
#: Bars longer than this percent of the own target are cut at the edge (the table says how far).
CAP = 150.0


def bar_chart(rows: Sequence[AgencyRow]) -> BarChart:
    """Horizontal bars, one per agency, of the percent of its own target (rows in their order);
    the names take the left 40 % of the width, the bars the rest but 3 %."""
    left, right = 40.0, 97.0
    scale = (right - left) / CAP
    bars = [
        Bar(row, 4 + i * BAR, _r(scale * min(max(row.percent or 0.0, 0.0), CAP)))
        for i, row in enumerate(rows)
    ]
    return BarChart(8 + len(rows) * BAR, left, bars, _r(left + scale * 100), BAR)
