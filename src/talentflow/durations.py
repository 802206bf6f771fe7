"""Durations as people type them: "30s", "15m", "2h", "1d", "2w" (a watch interval, a digest's period)."""

from __future__ import annotations

import math

UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 7 * 86400}


def parse_duration(text: str, what: str = "a duration") -> float:
    """ "15m" -> 900.0 seconds; a number (fractions too: "1.5h") and one unit. ValueError, naming
    ``what`` ("an interval", "a period"), otherwise."""
    number, unit = text.strip()[:-1], text.strip()[-1:].lower()
    try:
        value = float(number) * UNITS[unit]
    except (KeyError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ValueError(f"{text!r}: {what} is a number and a unit, such as 30s, 15m, 2h, 1d or 2w") from None
    if value <= 0:
        raise ValueError(f"{text!r}: {what} must be more than 0")
    return value


def duration_text(seconds: float) -> str:
    """900 -> "15m": the largest unit that divides it."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"
