from datetime import UTC, date, datetime

from console.core.i18n import show_date, show_month, show_time


def test_every_date_has_one_format_without_a_leading_zero():
    assert show_date(date(2026, 11, 4)) == "4 Nov 2026"
    assert show_date(datetime(2026, 12, 24, 23, 0, tzinfo=UTC)) == "24 Dec 2026"
    assert show_month(date(2026, 11, 1)) == "November 2026"


def test_times_are_shown_on_the_program_s_clock_with_its_zone_across_daylight_saving():
    assert show_time(datetime(2026, 11, 24, 15, 5, tzinfo=UTC), zone_name="America/Chicago") == "24 Nov 2026, 09:05 CST"
    assert show_time(datetime(2026, 7, 1, 15, 5, tzinfo=UTC), zone_name="America/Chicago") == "1 Jul 2026, 10:05 CDT"
    assert show_time(datetime(2027, 1, 1, 3, 30, tzinfo=UTC), zone_name="America/Los_Angeles") == "31 Dec 2026, 19:30 PST"


def test_a_naive_moment_is_read_as_utc_and_an_unknown_zone_shows_utc():
    assert show_time(datetime(2026, 11, 24, 15, 5), zone_name="Europe/Madrid") == "24 Nov 2026, 16:05 CET"
    assert show_time(datetime(2026, 11, 24, 15, 5, tzinfo=UTC), zone_name="Mars/Olympus") == "24 Nov 2026, 15:05 UTC"
