"""The progress chart and its data table say the same thing: the SVG's bars, read back from their
geometry, and the table, read cell by cell, give every point's count at every status. The chart has
an accessible name and description, stays small for ten years of weeks, and has sensible axes."""

from __future__ import annotations

import datetime

import pytest

from claims.dates import newsroom_today
from public.scorecard_chart import count_scale
from tests.factories import EditorFactory, PersonFactory, SuperuserFactory, rate
from tests.scorecard_support import Element, TermFactory, noon, parse, pledge_made

pytestmark = pytest.mark.django_db

EVERY_STATUS = ["not-yet-rated", "in-the-works", "stalled", "compromise", "kept", "broken", "unclear"]


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.fixture
def term():
    """From Monday 1 January to 12 February 2024: three pledges, a correction and a removal."""
    from claims.services import status_update_remove

    person = PersonFactory(name="Ada Mayor", slug="ada-mayor")
    term = TermFactory(person=person, office="Mayor", starts_on=day("2024-01-01"), ends_on=day("2024-02-12"))
    editor = EditorFactory()
    first = pledge_made(person, day("2023-12-01"), term=term)
    second = pledge_made(person, day("2024-01-03"), term=term)
    third = pledge_made(person, day("2024-01-17"), term=term)
    rate(first, "in-the-works", day("2024-01-05"), "Bill.", by=editor, recorded_at=noon("2024-01-05"))
    mistaken = rate(first, "broken", day("2024-01-20"), "Dropped.", by=editor, recorded_at=noon("2024-01-20"))
    rate(first, "kept", day("2024-01-20"), "Passed.", by=editor, corrects=mistaken, recorded_at=noon("2024-02-02"))
    rate(second, "stalled", day("2024-01-10"), "Blocked.", by=editor, recorded_at=noon("2024-01-10"))
    removed = rate(third, "unclear", day("2024-01-25"), "Vague.", by=editor, recorded_at=noon("2024-01-25"))
    status_update_remove(update=removed, removed_by=SuperuserFactory(), reason="Privacy.")
    return term


# --- reading the chart back ----------------------------------------------------------------------


def rectangles(path: str) -> list[tuple[float, float, float, float]]:
    """(x, y, width, height) of each "M x y h w v h h -w z" rectangle of a path."""
    found = []
    for piece in path.split("z"):
        if not piece:
            continue
        assert piece.startswith("M"), piece
        corner, rest = piece[1:].split("h", 1)
        width, rest = rest.split("v", 1)
        height, back = rest.split("h", 1)
        x, y = corner.split(" ")
        assert float(back) == -float(width), piece
        found.append((float(x), float(y), float(width), float(height)))
    return found


def chart_counts(svg: Element) -> dict[tuple[str, str], int]:
    """(day, status) → count, measured from the bars' geometry, checking that they stack in scale order."""
    days = svg.attrs["data-days"].split(" ")
    bars = svg.find("g", class_="progress-chart__bars")
    left, slot, width = (float(bars.attrs[name]) for name in ("data-left", "data-slot", "data-bar-width"))
    baseline, unit = float(bars.attrs["data-baseline"]), float(bars.attrs["data-unit"])
    counts: dict[tuple[str, str], int] = {}
    stacked_to = [baseline] * len(days)  # the top of each bar so far
    paths = bars.find_all("path")
    assert [path.attrs["data-status"] for path in paths] == sorted(
        (path.attrs["data-status"] for path in paths), key=EVERY_STATUS.index
    ), "the statuses stack in scale order"
    for path in paths:
        status = path.attrs["data-status"]
        for x, y, bar_width, height in rectangles(path.attrs["d"]):
            index = round((x - left - (slot - width) / 2) / slot)
            assert abs(bar_width - width) < 0.02
            assert abs((y + height) - stacked_to[index]) < 0.05, "each segment sits on the one below"
            stacked_to[index] = y
            count = height / unit
            assert abs(count - round(count)) < 0.01
            counts[(days[index], status)] = round(count)
        assert path.attrs["data-counts"].split(" ") == [str(counts.get((shown, status), 0)) for shown in days]
    return counts


def table_counts(table: Element) -> tuple[list[str], dict[tuple[str, str], int], dict[str, int]]:
    """The table's days, (day, status) → count and day → total."""
    header = table.find("thead").find_all("th")
    assert header[0].text == "Day"
    assert header[-1].text == "Total"
    statuses = [cell.attrs["data-status"] for cell in header[1:-1]]
    assert statuses == EVERY_STATUS
    days, counts, totals = [], {}, {}
    for row in table.find("tbody").find_all("tr"):
        shown = row.find("time").attrs["datetime"]
        cells = [int(cell.text.replace(",", "")) for cell in row.find_all("td")]
        days.append(shown)
        counts.update({(shown, status): count for status, count in zip(statuses, cells[:-1], strict=True)})
        totals[shown] = cells[-1]
    return days, counts, totals


# --- the chart and the table agree -------------------------------------------------------------


def test_the_svg_and_the_table_agree_cell_by_cell_with_the_figures_worked_out_by_hand(client, term):
    page = parse(client.get(f"/terms/{term.pk}/").content)
    svg = page.find("svg", class_="progress-chart__svg")
    table = page.find("table", class_="progress-table")

    days, in_table, totals = table_counts(table)
    drawn = chart_counts(svg)

    assert days == svg.attrs["data-days"].split(" ")
    assert {key: count for key, count in in_table.items() if count} == drawn
    assert totals == {shown: sum(drawn.get((shown, status), 0) for status in EVERY_STATUS) for shown in days}
    # By hand: first (campaign, 1 Dec) in the works from 5 Jan, broken on the 20th until corrected to
    # kept on 2 Feb; second (3 Jan) stalled from the 10th; third (17 Jan) unclear from the 25th, removed today.
    assert {shown: {status: n for (on, status), n in drawn.items() if on == shown} for shown in days} == {
        "2024-01-01": {"not-yet-rated": 1},
        "2024-01-08": {"in-the-works": 1, "not-yet-rated": 1},
        "2024-01-15": {"in-the-works": 1, "stalled": 1},
        "2024-01-22": {"stalled": 1, "broken": 1, "not-yet-rated": 1},
        "2024-01-29": {"stalled": 1, "broken": 1, "unclear": 1},
        "2024-02-05": {"stalled": 1, "kept": 1, "unclear": 1},
        "2024-02-12": {"stalled": 1, "kept": 1, "unclear": 1},
    }


def test_both_charts_of_a_comparison_agree_with_their_tables(client, term):
    other = PersonFactory(slug="other")
    pledge_made(other, day("2024-01-01"))

    page = parse(client.get("/compare/", {"a": "person:other", "b": f"term:{term.pk}"}).content)

    sides = page.find_all("section", class_="compare__side")
    assert len(sides) == 2
    for side in sides:
        days, in_table, _totals = table_counts(side.find("table", class_="progress-table"))
        svg = side.find("svg", class_="progress-chart__svg")
        assert days == svg.attrs["data-days"].split(" ")
        assert {key: count for key, count in in_table.items() if count} == chart_counts(svg)
    ids = [element.attrs["id"] for element in page.iter() if "id" in element.attrs]
    assert len(ids) == len(set(ids)), "ids are unique on the page"


def test_a_person_chart_agrees_with_its_table_as_of_a_day(client, term):
    page = parse(client.get("/people/ada-mayor/scorecard/", {"as_of": "2024-01-21"}).content)

    days, in_table, _totals = table_counts(page.find("table", class_="progress-table"))

    weekly = [day("2023-12-01") + datetime.timedelta(weeks=week) for week in range(8)]
    assert days == [*(shown.isoformat() for shown in weekly), "2024-01-21"]
    assert {key: count for key, count in in_table.items() if count} == chart_counts(page.find("svg", role="img"))
    assert in_table[("2024-01-21", "broken")] == 1  # the correction came on 2 February


# --- accessible names and description ----------------------------------------------------------


def test_the_chart_is_an_image_named_by_its_visible_caption_and_described(client, term):
    page = parse(client.get(f"/terms/{term.pk}/").content)
    svg = page.find("svg", role="img")

    caption = page.find(id=svg.attrs["aria-labelledby"])
    assert caption.tag == "figcaption"
    assert "visually-hidden" not in caption.attrs.get("class", "")
    assert (
        caption.text
        == "Ada Mayor, Mayor: pledges at each status, week by week, from 1 January 2024 to 12 February 2024"
    )
    description = svg.find("desc")
    assert description.attrs["id"] == svg.attrs["aria-describedby"]
    assert description.text == (
        "A stacked bar for each of 7 points in time, a week apart, one colour per status in the order of the scale. "
        "On 12 February 2024, 3 pledges: Stalled 1; Kept 1; Unclear / cannot be rated 1. "
        "The table below gives every point’s figures."
    )
    for axis in svg.find_all("g", class_="progress-chart__axis"):
        assert axis.attrs["aria-hidden"] == "true"
    legend = page.find("ul", class_="progress-chart__legend")
    assert [item.text for item in legend.find_all("li")] == [
        "Not yet rated",
        "In the works",
        "Stalled",
        "Kept",
        "Broken",
        "Unclear / cannot be rated",
    ]


def test_the_table_is_a_captioned_table_in_a_labelled_scrollable_region(client, term):
    page = parse(client.get(f"/terms/{term.pk}/").content)
    region = page.find(class_="progress-chart__table-scroll")

    assert (region.attrs["role"], region.attrs["tabindex"]) == ("region", "0")
    assert page.find(id=region.attrs["aria-labelledby"]).text.startswith("The chart’s figures for Ada Mayor, Mayor")
    table = region.find("table")
    assert table.find("caption").text.startswith("The chart’s figures for Ada Mayor, Mayor")
    assert all(cell.attrs["scope"] == "row" for cell in table.find("tbody").find_all("th"))


def test_a_term_not_yet_begun_says_there_is_nothing_to_chart(client):
    person = PersonFactory(slug="future")
    pledge_made(person, newsroom_today() - datetime.timedelta(days=2))
    term = TermFactory(person=person, starts_on=newsroom_today() + datetime.timedelta(days=10), ends_on=None)

    page = parse(client.get(f"/terms/{term.pk}/").content)

    assert page.find_all("svg", role="img") == []
    assert page.find_all("table", class_="progress-table") == []
    assert page.find(class_="progress-chart__empty").text.startswith("No weeks to chart yet")


# --- axes and size -----------------------------------------------------------------------------


def test_the_count_axis_steps_by_one_two_or_five_times_a_power_of_ten():
    assert count_scale(0) == (1, 1)
    assert count_scale(1) == (1, 1)
    assert count_scale(3) == (3, 1)
    assert count_scale(4) == (4, 1)
    assert count_scale(5) == (6, 2)
    assert count_scale(12) == (15, 5)
    assert count_scale(41) == (60, 20)
    assert count_scale(1000) == (1000, 500)


def test_the_axes_label_a_few_counts_and_days(client, term):
    svg = parse(client.get(f"/terms/{term.pk}/").content).find("svg", role="img")

    labels = [text.text for text in svg.find_all("text")]
    # Largest bar: 3 pledges → 0 to 3 in ones; days: the first, the last and two between.
    assert labels == ["0", "1", "2", "3", "1 Jan 2024", "15 Jan 2024", "29 Jan 2024", "12 Feb 2024"]


def test_ten_years_of_weeks_make_a_chart_of_sane_size_with_touching_bars(client):
    person = PersonFactory(slug="veteran")
    editor = EditorFactory()
    today = newsroom_today()
    for years in range(12):
        claim = pledge_made(person, today - datetime.timedelta(days=365 * (12 - years)))
        rate(
            claim, ["kept", "broken", "stalled"][years % 3], claim.made_on + datetime.timedelta(days=30), "x", by=editor
        )

    response = client.get("/people/veteran/scorecard/")

    page = parse(response.content)
    svg = page.find("svg", role="img")
    days = svg.attrs["data-days"].split(" ")
    assert len(days) == 520
    bars = svg.find("g", class_="progress-chart__bars")
    assert bars.attrs["data-slot"] == bars.attrs["data-bar-width"]
    markup = response.content.decode()
    svg_size = markup.index("</svg>", markup.index('role="img"')) - markup.index('role="img"')
    assert svg_size < 40_000, svg_size
    days_in_table, in_table, _totals = table_counts(page.find("table", class_="progress-table"))
    assert days_in_table == days
    assert {key: count for key, count in in_table.items() if count} == chart_counts(svg)
