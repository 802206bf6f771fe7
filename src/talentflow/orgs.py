"""The organization gazetteer: canonical names, aliases, kinds and parent organizations.

The bundled list lives in ``data/organizations.json``; users extend it with their own file of the
same shape (``--orgs FILE`` or ``TALENTFLOW_ORGS``). Units such as FAIR or Google DeepMind name
their parent, so a claim about a unit is also a claim about the company.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from talentflow.models import Organization, name_key

ORGS_ENV = "TALENTFLOW_ORGS"


def _read_json(name: str) -> dict:
    return json.loads(resources.files("talentflow.data").joinpath(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class CompanyUnit:
    """An organization name resolved to the company a reader would name, and the unit inside it."""

    org: str
    unit: str | None


class Gazetteer:
    def __init__(self, organizations: Iterable[Organization]) -> None:
        self.by_name: dict[str, Organization] = {}
        self._by_key: dict[str, Organization] = {}
        for org in organizations:
            self.add(org)

    def add(self, org: Organization) -> None:
        """Add an organization; one already known under this name takes the new kind and parent
        and keeps its aliases (a user's file refines the bundled list)."""
        old = self.by_name.get(org.name)
        if old is not None:
            org = Organization(org.name, org.kind, org.parent, tuple(dict.fromkeys((*old.aliases, *org.aliases))))
        self.by_name[org.name] = org
        for alias in (org.name, *org.aliases):
            self._by_key[name_key(alias)] = org

    def lookup(self, name: str) -> Organization | None:
        """By name or alias, case and punctuation ignored, with "the" and legal suffixes ("Inc",
        "Group Plc") tried off: "The Walt Disney Company" is "Walt Disney"."""
        key = name_key(name)
        for candidate in dict.fromkeys((key, key.removeprefix("the "), name_key(without_legal_suffix(name)))):
            found = self._by_key.get(candidate)
            if found is not None:
                return found
        return None

    def canonical(self, name: str) -> str:
        """The canonical name of a known organization, or the name itself, tidied."""
        org = self.lookup(name)
        return org.name if org else tidy_org_name(name)

    def top(self, org: Organization) -> Organization:
        seen = set()
        while org.parent and org.parent in self.by_name and org.name not in seen:
            seen.add(org.name)
            org = self.by_name[org.parent]
        return org

    def company_and_unit(self, name: str) -> CompanyUnit:
        """FAIR -> (Meta, FAIR); OpenAl -> (OpenAI, None); an unknown name stays as it is."""
        org = self.lookup(name)
        if org is None:
            return CompanyUnit(tidy_org_name(name), None)
        top = self.top(org)
        if top.name == org.name:
            return CompanyUnit(org.name, None)
        return CompanyUnit(top.name, org.name)

    def aliases(self) -> list[tuple[str, Organization]]:
        return [(alias, org) for org in self.by_name.values() for alias in (org.name, *org.aliases)]


def tidy_org_name(name: str) -> str:
    # "Magnolia (Ark.) Regional Medical Center": the place's state in brackets is not in the name.
    name = re.sub(r"\s*\([^()]{1,12}\)\s*", " ", name)
    if ")" in name and "(" not in name.split(")")[0]:
        name = name.split(")", 1)[1]  # "Ga.) University Health System": the end of a bracket before it
    # "(Reuters) -Standard Chartered": a dateline's dash is not in the name.
    name = name.strip().strip(",.;:'\"“”‘’").strip().lstrip("-–—").strip()
    for suffix in ("’s", "'s"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
    if name.lower().startswith("the ") and len(name.split()) > 1:
        name = name[4:]
    return without_legal_suffix(name)


@cache
def descriptive_suffixes() -> frozenset[str]:
    return frozenset(_read_json("organizations.json").get("descriptive_suffixes", ()))


@cache
def _legal_suffixes() -> frozenset[str]:
    return frozenset(_read_json("organizations.json").get("legal_suffixes", ()))


def without_legal_suffix(name: str) -> str:
    """ "Reckitt Benckiser Group Plc" -> "Reckitt Benckiser"; a name is never cut to nothing."""
    words = name.replace(",", " ").split()
    while len(words) > 1 and words[-1].lower() in _legal_suffixes():
        words.pop()
    return " ".join(words) if len(words) < len(name.replace(",", " ").split()) else name


def _organizations_from(data: dict) -> list[Organization]:
    return [
        Organization(
            name=o["name"],
            kind=o.get("kind", "company"),
            parent=o.get("parent"),
            aliases=tuple(o.get("aliases", ())),
        )
        for o in data.get("organizations", [])
    ]


def load_gazetteer(extra_file: str | None = None) -> Gazetteer:
    """The bundled organizations plus the user's file (argument, else ``$TALENTFLOW_ORGS``); a
    user's entry of the same name replaces the bundled one."""
    return _load_gazetteer(extra_file or os.environ.get(ORGS_ENV))


@cache
def _load_gazetteer(extra: str | None) -> Gazetteer:
    orgs = _organizations_from(_read_json("organizations.json"))
    if extra:
        path = Path(extra)
        try:
            orgs += _organizations_from(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError) as exc:
            raise ValueError(f"{path}: cannot read organizations file: {exc}") from exc
    return Gazetteer(orgs)


@cache
def load_not_organizations() -> dict[str, frozenset[str]]:
    data = _read_json("not_organizations.json")
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


class Vocabulary:
    """The extractor's word lists (``data/triggers.json``), read by key. It remembers which keys code
    has read, so that a test can check that the file holds nothing that no code uses."""

    def __init__(self, data: dict[str, Any]) -> None:
        self._data = {k: v for k, v in data.items() if not k.startswith("_")}
        self._read: set[str] = set()

    def words(self, key: str) -> frozenset[str]:
        self._read.add(key)
        return frozenset(self._data[key])

    def table(self, key: str) -> dict[str, list[str]]:
        """A mapping section such as ``leave_phrasal`` (its ``_comment`` left out)."""
        self._read.add(key)
        return {k: v for k, v in self._data[key].items() if not k.startswith("_")}

    def unread(self) -> set[str]:
        return set(self._data) - self._read


@cache
def load_triggers() -> Vocabulary:
    return Vocabulary(_read_json("triggers.json"))
