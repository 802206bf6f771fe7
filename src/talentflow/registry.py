"""Units registered by name (candidate generators, feature functions, alert channels): a table,
and a decorator that adds to it. Plain Python, so that any stage can use it without importing
another stage's libraries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

Unit = TypeVar("Unit")


def registrar(table: dict[str, Unit]) -> Callable[[str], Callable[[Unit], Unit]]:
    """A decorator that registers a unit in ``table`` by name."""

    def named(name: str) -> Callable[[Unit], Unit]:
        def register(unit: Unit) -> Unit:
            table[name] = unit
            return unit

        return register

    return named
