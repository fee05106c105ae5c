"""Dates as files write them in their metadata: ISO 8601, PDF's ``D:20231204``, e-mail style."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_ISO = re.compile(r"(?:D:)?\s*(\d{4})-?(\d{2})-?(\d{2})")


def parse_date(value: object) -> dt.date | None:
    """A calendar date from a metadata value (date, datetime or text), or None.

    >>> parse_date("2023-12-04T10:00:00+01:00"), parse_date("D:20231204101500Z")
    (datetime.date(2023, 12, 4), datetime.date(2023, 12, 4))
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = _ISO.match(value.strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def year_ok(date: dt.date | None) -> dt.date | None:
    """``date`` if it is a plausible publication date (1900-2100), else None."""
    return date if date is not None and 1900 <= date.year <= 2100 else None
