"""Dates as precise as the source allows, and the newsroom's "today".

A claim dated to a month, a year or a range is stored as the first day of that period (so lists
sort by the earliest possible date) together with its precision; these functions turn that pair
back into words, ISO 8601 and the last possible day, and never state more than is known.
"""

from __future__ import annotations

import calendar
import datetime
import zoneinfo

from django.conf import settings
from django.utils import timezone

from claims.models import DatePrecision


def newsroom_today() -> datetime.date:
    """Today in the newsroom's time zone (CLAIMTRACKER_NEWSROOM_TIME_ZONE): the latest date a verdict may take."""
    zone = zoneinfo.ZoneInfo(settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE)
    return timezone.now().astimezone(zone).date()


def future_status_error(effective_on: datetime.date | None) -> str | None:
    """Why a status dated ``effective_on`` is refused, or None: a status takes effect today at the latest."""
    today = newsroom_today()
    if effective_on is None or effective_on <= today:
        return None
    return f"A status cannot take effect in the future: {effective_on.isoformat()} is after today, {today.isoformat()}."


def end_of_day(day: datetime.date) -> datetime.datetime:
    """The first instant after ``day`` in the site's time zone: "as of" a day means by its end."""
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time()))


def normalise_period_start(day: datetime.date, precision: str) -> datetime.date:
    """The first day of the month or year ``day`` falls in, for those precisions; ``day`` otherwise."""
    if precision == DatePrecision.MONTH:
        return day.replace(day=1)
    if precision == DatePrecision.YEAR:
        return day.replace(month=1, day=1)
    return day


def period_end(start: datetime.date, precision: str, until: datetime.date | None = None) -> datetime.date:
    """The last day of the period: the latest the claim may have been made."""
    if precision == DatePrecision.MONTH:
        return start.replace(day=calendar.monthrange(start.year, start.month)[1])
    if precision == DatePrecision.YEAR:
        return start.replace(month=12, day=31)
    if precision == DatePrecision.RANGE and until is not None:
        return until
    return start


def _spans_whole_months(start: datetime.date, end: datetime.date) -> bool:
    return start.day == 1 and end == period_end(end, DatePrecision.MONTH)


def _spans_whole_years(start: datetime.date, end: datetime.date) -> bool:
    return (start.month, start.day) == (1, 1) and (end.month, end.day) == (12, 31)


def describe_day(value: datetime.date) -> str:
    """A day in words: "7 November 2024"."""
    return f"{value.day} {value:%B %Y}"


def _period_in_words(start: datetime.date, precision: str, until: datetime.date | None) -> tuple[str, str]:
    """The preposition a sentence puts before the period ("on", "in", or none for "between …"), and the words."""
    if precision == DatePrecision.MONTH:
        return "in", f"{start:%B %Y}"
    if precision == DatePrecision.YEAR:
        return "in", f"{start:%Y}"
    if precision == DatePrecision.RANGE and until is not None:
        if _spans_whole_years(start, until):
            return ("in", f"{start:%Y}") if start.year == until.year else ("", f"between {start:%Y} and {until:%Y}")
        if _spans_whole_months(start, until):
            if (start.year, start.month) == (until.year, until.month):
                return "in", f"{start:%B %Y}"
            return "", f"between {start:%B %Y} and {until:%B %Y}"
        return "", f"between {describe_day(start)} and {describe_day(until)}"
    return "on", describe_day(start)


def describe_period(start: datetime.date, precision: str, until: datetime.date | None = None) -> str:
    """The date in words, no more precise than known: "7 November 2024", "September 2024", "2024"."""
    return _period_in_words(start, precision, until)[1]


def describe_period_in_sentence(start: datetime.date, precision: str, until: datetime.date | None = None) -> str:
    """The date as it follows "made" or "said": "on 7 November 2024", "in 2024", "between … and …"."""
    preposition, words = _period_in_words(start, precision, until)
    return f"{preposition} {words}" if preposition else words


def iso_period(start: datetime.date, precision: str, until: datetime.date | None = None) -> str:
    """ISO 8601 at the known precision: 2024-11-07, 2024-09, 2024, or an interval 2024-02/2024-11."""
    if precision == DatePrecision.MONTH:
        return f"{start:%Y-%m}"
    if precision == DatePrecision.YEAR:
        return f"{start:%Y}"
    if precision == DatePrecision.RANGE and until is not None:
        if _spans_whole_years(start, until):
            return f"{start:%Y}/{until:%Y}" if start.year != until.year else f"{start:%Y}"
        if _spans_whole_months(start, until):
            return f"{start:%Y-%m}/{until:%Y-%m}"
        return f"{start.isoformat()}/{until.isoformat()}"
    return start.isoformat()
