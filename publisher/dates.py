"""Dates in the article's metadata: EDTF (ISO 8601-2) read with the ``edtf`` library, and
written in each language through Babel with the patterns of the language table.

The metadata accepts what every edition can write: a year (``2024``), a month (``2024-03``),
a day (``2024-03-12``), or an interval of them (``2024-03-12/2024-03-15``, ``2024-03/2025``).
Uncertain, approximate or open-ended dates are refused: no language's pattern can write them.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

PRECISIONS = ("year", "month", "day")
ACCEPTED = "a year (2024), a month (2024-03), a day (2024-03-12) or an interval of them (2024-03/2025)"


@dataclass(frozen=True)
class PartialDate:
    """A year, a month or a day: the precision is where the first None is."""
    year: int
    month: int | None = None
    day: int | None = None

    @property
    def precision(self) -> str:
        return "day" if self.day else "month" if self.month else "year"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        if self.day:
            return self.first_day
        if self.month:
            following = dt.date(self.year + self.month // 12, self.month % 12 + 1, 1)
            return following - dt.timedelta(days=1)
        return dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class DateSpan:
    """One date, or an interval from ``start`` to ``end``, as the metadata gives it."""
    text: str
    start: PartialDate
    end: PartialDate | None = None


class DateError(ValueError):
    pass


def parse_date(value) -> DateSpan:
    """Read an EDTF value (YAML may hand over a year as an int and a day as a date)."""
    import edtf   # imported when a date is read: a build with nothing to do reads none
    text = value.isoformat() if isinstance(value, dt.date) else str(value).strip()
    try:
        parsed = edtf.parse_edtf(text)
    except Exception as error:   # the library raises its own parse exception or ValueError
        raise DateError(f"{text!r} is not an EDTF date") from error
    if type(parsed) is edtf.Interval:   # level 1 intervals may be open or unknown at one end
        start, end = _point(parsed.lower, text), _point(parsed.upper, text)
        if end.last_day < start.first_day:
            raise DateError(f"{text!r} ends before it begins")
        return DateSpan(text, start, end)
    return DateSpan(text, _point(parsed, text))


def _point(value, text: str) -> PartialDate:
    import edtf
    if type(value) is not edtf.Date:
        raise DateError(f"{text!r} is not a plain year, month or day")
    fields = []
    for name in ("year", "month", "day"):
        part = getattr(value, name, None)
        if part is None:
            break
        if not str(part).isdigit():
            raise DateError(f"{text!r} has unspecified digits")
        fields.append(int(part))
    point = PartialDate(*fields)
    try:
        point.first_day
    except ValueError as error:
        raise DateError(f"{text!r}: {error}") from error
    return point


def format_point(point: PartialDate, language) -> str:
    """The date as the language writes it at its precision, in the language's digits."""
    from babel.dates import format_date
    pattern = {"year": language.year_pattern, "month": language.month_pattern,
               "day": language.date_pattern}[point.precision]
    return language.to_digits(format_date(point.first_day, pattern, locale=language.locale))
