"""Which names are one person and which reports are one move."""

from __future__ import annotations

import pytest

from talentflow.resolve import MoveShape, compare_names, effective_date, months_apart, move_status, same_move


@pytest.mark.parametrize(("a", "b", "verdict"), [
    ("Alexandr Wang", "alexandr wang,", "same"),
    ("José Álvarez", "Jose Alvarez", "same"),
    ("Lena Hartmann", "Lena M. Hartmann", "same"),
    ("Lena M. Hartmann", "Lena Maria Hartmann", "same"),
    ("John Smith Jr.", "John Smith", "same"),
    ("Lena M. Hartmann", "Lena K. Hartmann", "doubtful"),
    ("J. Smith", "John Smith", "doubtful"),
    ("Alexei Petrov", "Aleksei Petrov", "doubtful"),
    ("Ilya Sutskever", "Ilya Sutskevar", "doubtful"),
    ("Wei Zhang", "Hui Zhang", "different"),
    ("Mark Chen", "Mike Chen", "different"),
    ("Mark Chen", "Mark Zhou", "different"),
])
def test_compare_names(a, b, verdict):
    assert compare_names(a, b)[0] == verdict
    assert compare_names(b, a)[0] == verdict


def shape(from_org=None, to_org=None, date="2025-06-01", kind="move"):
    return MoveShape(kind, from_org, to_org, date)


def test_reports_sharing_an_organization_and_close_in_time_are_one_move():
    assert same_move(shape(1, None), shape(1, 2, "2025-08"))
    assert same_move(shape(None, 2), shape(1, 2, None))
    assert not same_move(shape(1, 2), shape(1, 3))  # another destination
    assert not same_move(shape(1, None, "2017-03"), shape(1, None, "2024-02"))  # left twice, years apart
    assert not same_move(shape(None, 2), shape(None, 2, kind="founding"))


def test_a_leaving_and_a_joining_weeks_apart_complete_each_other():
    assert same_move(shape(1, None, "2025-06-01"), shape(None, 2, "2025-07-15"))
    assert not same_move(shape(1, None, "2025-01-01"), shape(None, 2, "2025-09-01"))
    assert not same_move(shape(1, None, None), shape(None, 2, "2025-06-01"))


def test_status_dates_and_precision():
    assert move_status(["reported", "confirmed", "denied"]) == "confirmed"
    assert move_status(["denied", "rumored"]) == "rumored"
    assert effective_date(["2025-06", "2025-06-09", "2025-06-12"]) == "2025-06-09"
    assert effective_date([]) is None
    assert months_apart("2025", "2025-12") == 6
    assert months_apart(None, "2025") is None


def test_leaving_and_joining_the_same_organization_is_never_one_move():
    assert not same_move(shape(1, None, "2017"), shape(None, 1, "2017"))
    assert same_move(shape(1, None, "2017"), shape(None, 2, "2017"))
