"""The geometry of a scorecard's progress chart: a stacked bar per point of a weekly ``Series``.

Rendered on the server as inline SVG (templates/public/_progress_chart.html), so it needs no
JavaScript; the data table under it is built from the same ``Series`` here, so the two cannot
disagree. One ``<path>`` per status holds that status's segment of every bar (a rectangle per point
where its count is not zero), which keeps ten years of weeks (520 points) to a few tens of kilobytes:
the bars get thinner, and past ``GAPLESS_FROM`` points they touch.

Every coordinate leaves here as a string: a number in a template is formatted for the reader's
language ("12,5" in Ukrainian), which would break the SVG.
"""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass

from django.utils.formats import date_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.models import Status
from claims.scorecards import Series

WIDTH = 640
HEIGHT = 300
PLOT_TOP = 16
PLOT_BOTTOM = 252  # the baseline; the date labels sit below it
PLOT_RIGHT = WIDTH - 16
DATE_LABEL_Y = 282
# Bars have a gap between them while they are this few; from then on they touch.
GAPLESS_FROM = 60
BAR_SHARE = 0.7  # of its slot, while bars have gaps
WIDEST_BAR = 56
MOST_COUNT_TICKS = 5  # 0 and up to four steps above it
MOST_DATE_LABELS = 4


def _n(value: float, places: int = 2) -> str:
    """A coordinate for SVG: at most two decimals (or ``places``), a dot, no exponent."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in {"", "-0"} else text


@dataclass(frozen=True)
class CountTick:
    value: int
    y: str


@dataclass(frozen=True)
class DateTick:
    day: datetime.date
    x: str  # where the label is anchored
    anchor: str  # its text-anchor: start (first), end (last) or middle
    mark_x: str  # the middle of its bar, where the tick mark is


@dataclass(frozen=True)
class Layer:
    """One status's segments of the bars, stacked in scale order from the baseline up."""

    status: Status
    path: str
    counts: str  # each point's count, space-separated, for tests and scripts reading the page


@dataclass(frozen=True)
class Cell:
    status: Status
    count: int


@dataclass(frozen=True)
class Row:
    day: datetime.date
    cells: list[Cell]
    total: int


@dataclass(frozen=True)
class ProgressChart:
    series: Series
    layers: list[Layer]
    rows: list[Row]
    count_ticks: list[CountTick]
    date_ticks: list[DateTick]
    plot_left: str
    slot: str
    bar_width: str
    unit: str  # the height of one pledge

    view_box = f"0 0 {WIDTH} {HEIGHT}"
    plot_right = str(PLOT_RIGHT)
    baseline = str(PLOT_BOTTOM)
    date_label_y = str(DATE_LABEL_Y)
    mark_bottom = str(PLOT_BOTTOM + 6)

    @property
    def statuses(self) -> list[Status]:
        return self.series.statuses

    @property
    def is_empty(self) -> bool:
        return not self.series.points

    @property
    def days(self) -> str:
        """Every point's day (ISO), space-separated, in the order of the layers' counts."""
        return " ".join(point.day.isoformat() for point in self.series.points)

    @property
    def first(self) -> Row | None:
        return self.rows[0] if self.rows else None

    @property
    def last(self) -> Row | None:
        return self.rows[-1] if self.rows else None

    @property
    def last_standing(self) -> list[Cell]:
        """The statuses the last point has pledges at, for the chart's description."""
        return [cell for cell in self.rows[-1].cells if cell.count] if self.rows else []

    @property
    def table_body(self) -> SafeString:
        """The data table's rows, one per point: the day, each status's count, the total.

        Joined here rather than by the template: ten years of weeks is 520 rows of nine cells, which
        the template language took 300 ms to render (its number and date filters most of it), this
        a tenth of that. Numbers and months are formatted for the reader's language, each once.
        """
        months: dict[tuple[int, int], str] = {}
        numbers: dict[int, str] = {}

        def month(day: datetime.date) -> str:
            if (day.year, day.month) not in months:
                months[day.year, day.month] = escape(date_format(day, "M"))
            return months[day.year, day.month]

        def number(count: int) -> str:
            if count not in numbers:
                numbers[count] = escape(number_format(count, force_grouping=True))
            return numbers[count]

        rows = []
        for row in self.rows:
            cells = "".join(f"<td>{number(cell.count)}</td>" for cell in row.cells)
            rows.append(
                f'<tr><th scope="row"><time datetime="{row.day.isoformat()}">{row.day.day} {month(row.day)} '
                f"{row.day.year}</time></th>{cells}<td>{number(row.total)}</td></tr>"
            )
        # Safe: dates and counts formatted here, every text escaped above.
        return mark_safe("\n".join(rows))  # noqa: S308  # nosec B308 B703

    @property
    def legend(self) -> list[Status]:
        return [layer.status for layer in self.layers]


def count_scale(largest: int) -> tuple[int, int]:
    """The top of the count axis and its step: 1, 2 or 5 × a power of ten, at most four steps to the top."""
    largest = max(largest, 1)
    power = 1
    while True:
        for factor in (1, 2, 5):
            step = factor * power
            steps = math.ceil(largest / step)
            if steps <= MOST_COUNT_TICKS - 1:
                return steps * step, step
        power *= 10


def _label_room(top: int) -> int:
    """The width left of the plot for the count labels, from the longest one ("1,000")."""
    return 24 + 13 * len(f"{top:,}")


def _date_tick_indexes(count: int) -> list[int]:
    if count == 0:
        return []
    labels = min(MOST_DATE_LABELS, count)
    if labels == 1:
        return [0]
    return sorted({round(index * (count - 1) / (labels - 1)) for index in range(labels)})


def progress_chart(series: Series) -> ProgressChart:
    points = series.points
    top, step = count_scale(series.largest_total)
    left = _label_room(top)
    plot_width = PLOT_RIGHT - left
    slot = plot_width / max(len(points), 1)
    bar_width = slot if len(points) >= GAPLESS_FROM else min(slot * BAR_SHARE, WIDEST_BAR)
    offset = (slot - bar_width) / 2
    unit = (PLOT_BOTTOM - PLOT_TOP) / top

    stacked = [0] * len(points)  # how high each bar already is
    layers = []
    for status in series.statuses:
        counts = [point.count(status) for point in points]
        if not any(counts):
            continue
        rectangles = []
        for index, count in enumerate(counts):
            if count:
                x = left + index * slot + offset
                y = PLOT_BOTTOM - unit * (stacked[index] + count)
                rectangles.append(f"M{_n(x)} {_n(y)}h{_n(bar_width)}v{_n(unit * count)}h{_n(-bar_width)}z")
                stacked[index] += count
        layers.append(Layer(status=status, path="".join(rectangles), counts=" ".join(map(str, counts))))

    count_ticks = [CountTick(value=value, y=_n(PLOT_BOTTOM - unit * value)) for value in range(0, top + 1, step)]
    indexes = _date_tick_indexes(len(points))
    date_ticks = []
    for position, index in enumerate(indexes):
        bar_left = left + index * slot + offset
        if len(indexes) > 1 and position == 0:
            x, anchor = bar_left, "start"
        elif len(indexes) > 1 and position == len(indexes) - 1:
            x, anchor = bar_left + bar_width, "end"
        else:
            x, anchor = bar_left + bar_width / 2, "middle"
        date_ticks.append(DateTick(day=points[index].day, x=_n(x), anchor=anchor, mark_x=_n(bar_left + bar_width / 2)))
    rows = [
        Row(
            day=point.day,
            cells=[Cell(status=status, count=point.count(status)) for status in series.statuses],
            total=point.total,
        )
        for point in points
    ]
    return ProgressChart(
        series=series,
        layers=layers,
        rows=rows,
        count_ticks=count_ticks,
        date_ticks=date_ticks,
        # Precise enough to tell which point each of 520 bars is.
        plot_left=_n(left),
        slot=_n(slot, 6),
        bar_width=_n(bar_width, 6),
        unit=_n(unit, 6),
    )
