"""base/times.py: the one parser every room reads time stamps with."""

from __future__ import annotations

import datetime

import pytest

from optout_bot.base.times import folder_stamp, iso, parse_time, stamp_in

UTC = datetime.timezone.utc
NOON = datetime.datetime(2026, 11, 22, 14, 0, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    [
        "2026-11-22T14:00:05Z",
        "2026-11-22T14:00:05.000000Z",
        "2026-11-22T14:00:05.0Z",
        "2026-11-22T14:00:05+00:00",
        "2026-11-22T15:00:05+01:00",
        "2026-11-22T14:00:05",
        "20261122T140005Z",
    ],
)
def test_every_form_optout_bot_meets_reads_as_the_same_utc_moment(text: str):
    """ISO with Z, an offset, no zone (taken as UTC) or a folder stamp: one aware UTC time."""
    moment = parse_time(text)
    assert moment == NOON
    assert moment is not None and moment.utcoffset() == datetime.timedelta(0)


def test_any_number_of_fraction_digits_is_read():
    """1 to 9 fraction digits (Python 3.10's fromisoformat takes only 3 or 6)."""
    assert parse_time("2026-11-24T09:30:00.1Z") == datetime.datetime(
        2026, 11, 24, 9, 30, 0, 100000, tzinfo=UTC
    )
    assert parse_time("2026-11-24T09:30:00.123456789Z") == datetime.datetime(
        2026, 11, 24, 9, 30, 0, 123456, tzinfo=UTC
    )


@pytest.mark.parametrize("value", [None, "", "yesterday", 12, "2026-13-01T00:00:00Z"])
def test_what_is_not_a_time_is_none(value: object):
    """Absent, empty, garbage, a number or an impossible date: None, never an exception."""
    assert parse_time(value) is None


def test_written_forms_read_back():
    """iso() and folder_stamp() write what parse_time() reads; stamp_in() finds a folder's."""
    moment = datetime.datetime(2026, 11, 22, 14, 0, 5, 42, tzinfo=UTC)
    assert iso(moment) == "2026-11-22T14:00:05.000042Z"
    assert parse_time(iso(moment)) == moment
    assert folder_stamp(moment) == "20261122T140005Z"
    assert stamp_in("20261122T140005Z-desktop-verify") == NOON
    assert stamp_in("desktop-verify") is None
