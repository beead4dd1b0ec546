"""Dates as precise as the source allows, and the newsroom's "today".

A claim dated to a month, a year or a range is stored as the first day of that period (so lists
sort by the earliest possible date) together with its precision; these functions turn that pair
back into words, ISO 8601 and the last possible day, and never state more than is known.

Words are in the current interface language. Days and months come from Django's locale data
(``date_format``: "7 листопада 2024", "вересень 2024"); a period inside a sentence ("made in
September 2024") is a translatable sentence of its own, because Ukrainian and Russian put the
month in the locative case there ("у вересні 2024 р."), which no date format gives.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import zoneinfo

from django.conf import settings
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, pgettext, pgettext_lazy

from claims.models import DatePrecision

# A month as it follows "made" or "said" ("made in September 2024"): one sentence per month, so
# that Ukrainian and Russian can give its locative ("у січні %(year)s р.", "в январе %(year)s г.").
# A tuple of literal calls, so that makemessages extracts all twelve.
IN_MONTH = (
    pgettext_lazy("made … (a month in a sentence)", "in January %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in February %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in March %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in April %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in May %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in June %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in July %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in August %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in September %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in October %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in November %(year)s"),
    pgettext_lazy("made … (a month in a sentence)", "in December %(year)s"),
)


def newsroom_today() -> datetime.date:
    """Today in the newsroom's time zone (CLAIMTRACKER_NEWSROOM_TIME_ZONE): the latest date a verdict may take."""
    zone = zoneinfo.ZoneInfo(settings.CLAIMTRACKER_NEWSROOM_TIME_ZONE)
    return timezone.now().astimezone(zone).date()


def future_status_error(effective_on: datetime.date | None) -> str | None:
    """Why a status dated ``effective_on`` is refused, or None: a status takes effect today at the latest."""
    today = newsroom_today()
    if effective_on is None or effective_on <= today:
        return None
    return gettext("A status cannot take effect in the future: %(day)s is after today, %(today)s.") % {
        "day": effective_on.isoformat(),
        "today": today.isoformat(),
    }


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


# Lists word the same few dates again and again: each wording is kept per date and language (a
# person's page of a hundred claims spent a tenth of its time formatting dates; BENCHMARKS.md).
_WORDINGS_KEPT = 4096


def describe_day(value: datetime.date) -> str:
    """A day in words: "7 November 2024" ("7 листопада 2024": the month as it follows a day number)."""
    return _day_in_words(value, translation.get_language())


@functools.lru_cache(maxsize=_WORDINGS_KEPT)
def _day_in_words(value: datetime.date, language: str | None) -> str:
    return date_format(value, "j E Y")


def _month(value: datetime.date) -> str:
    """A month on its own: "September 2024" ("вересень 2024")."""
    return date_format(value, "F Y")


def _month_after_preposition(value: datetime.date) -> str:
    """A month in the form it takes after a day number, "November 2024" ("листопада 2024")."""
    return date_format(value, "E Y")


def _year(value: datetime.date) -> str:
    return f"{value:%Y}"


# What a period is, once its precision and ends are read: one of these, with its first and last day.
_DAY, _MONTH, _YEAR, _DAYS, _MONTHS, _YEARS = "day", "month", "year", "days", "months", "years"


def _period_kind(start: datetime.date, precision: str, until: datetime.date | None) -> tuple[str, datetime.date]:
    """The kind of period to word (a range of whole months or years is worded as such), and its last day."""
    if precision == DatePrecision.MONTH:
        return _MONTH, start
    if precision == DatePrecision.YEAR:
        return _YEAR, start
    if precision == DatePrecision.RANGE and until is not None:
        if _spans_whole_years(start, until):
            return (_YEAR, start) if start.year == until.year else (_YEARS, until)
        if _spans_whole_months(start, until):
            return (_MONTH, start) if (start.year, start.month) == (until.year, until.month) else (_MONTHS, until)
        return _DAYS, until
    return _DAY, start


def describe_period(start: datetime.date, precision: str, until: datetime.date | None = None) -> str:
    """The date in words, no more precise than known: "7 November 2024", "September 2024", "2024"."""
    return _period_on_its_own(start, precision, until, translation.get_language())


@functools.lru_cache(maxsize=_WORDINGS_KEPT)
def _period_on_its_own(start: datetime.date, precision: str, until: datetime.date | None, language: str | None) -> str:
    kind, end = _period_kind(start, precision, until)
    if kind == _MONTH:
        return _month(start)
    if kind == _YEAR:
        return _year(start)
    if kind == _YEARS:
        # Translators: two years, e.g. 2023 and 2024, shown on their own (not in a sentence).
        words = pgettext("a range of years on its own", "between %(start)s and %(end)s")
        return words % {"start": _year(start), "end": _year(end)}
    if kind == _MONTHS:
        # Translators: two months, shown on their own (not in a sentence); both are in the form a month
        # takes on its own (the nominative), e.g. "February 2024" and "November 2024".
        words = pgettext("a range of months on its own", "between %(start)s and %(end)s")
        return words % {"start": _month(start), "end": _month(end)}
    if kind == _DAYS:
        # Translators: two days, shown on their own (not in a sentence), e.g. "15 October 2024" and
        # "5 November 2024" (the month in the form it takes after a day number).
        words = pgettext("a range of days on its own", "between %(start)s and %(end)s")
        return words % {"start": describe_day(start), "end": describe_day(end)}
    return describe_day(start)


def describe_period_in_sentence(start: datetime.date, precision: str, until: datetime.date | None = None) -> str:
    """The date as it follows "made" or "said": "on 7 November 2024", "in 2024", "between … and …"."""
    return _period_in_sentence(start, precision, until, translation.get_language())


@functools.lru_cache(maxsize=_WORDINGS_KEPT)
def _period_in_sentence(start: datetime.date, precision: str, until: datetime.date | None, language: str | None) -> str:
    kind, end = _period_kind(start, precision, until)
    if kind == _MONTH:
        return str(IN_MONTH[start.month - 1]) % {"year": _year(start)}
    if kind == _YEAR:
        # Translators: follows "made" or "said": "made in 2024".
        words = pgettext("made … (a year in a sentence)", "in %(year)s")
        return words % {"year": _year(start)}
    if kind == _YEARS:
        # Translators: follows "made" or "said": "made between 2023 and 2024".
        words = pgettext("made … (a range of years in a sentence)", "between %(start)s and %(end)s")
        return words % {"start": _year(start), "end": _year(end)}
    if kind == _MONTHS:
        # Translators: follows "made" or "said": "made between February 2024 and November 2024". Both
        # months are in the form a month takes after a day number (the genitive in Ukrainian and Russian,
        # lower case: "лютого 2024", "листопада 2024"), as after "з … до …" / "с … до …".
        words = pgettext("made … (a range of months in a sentence)", "between %(start)s and %(end)s")
        return words % {"start": _month_after_preposition(start), "end": _month_after_preposition(end)}
    if kind == _DAYS:
        # Translators: follows "made" or "said": "made between 15 October 2024 and 5 November 2024"; both
        # days have the month in the form it takes after a day number.
        words = pgettext("made … (a range of days in a sentence)", "between %(start)s and %(end)s")
        return words % {"start": describe_day(start), "end": describe_day(end)}
    # Translators: follows "made" or "said": "made on 7 November 2024".
    words = pgettext("made … (a day in a sentence)", "on %(day)s")
    return words % {"day": describe_day(start)}


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
