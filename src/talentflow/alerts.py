"""Watchlists and alerts: what a user wants to hear about, and each event that touched it, once.

A watchlist is a set of filters over moves (``org``, ``person``, ``cohort``, ``kind``, ``status``),
the same whether it was made with ``--org Meta`` or ``--query "moves --org Meta --kind left"``.
``record_alerts`` reads the claims stored since it last ran (a cursor in ``settings``) and turns
each into events:

- ``new_move``: the first fact of a move;
- ``new_source``: a fact from a document the move did not cite yet;
- ``status_change``: a fact that changes the move's status (reported -> confirmed), or the first
  fact beside earlier rumours (rumored -> confirmed);
- ``denial``: a denial, beside a move or not.

An event that touches a watchlist is recorded once (a unique key per watchlist and event), with a
pending delivery per channel the watchlist names, in the transaction that moves the cursor on: a
crash leaves either both or neither, and ``notify.deliver_pending`` resumes what is pending.
"""

from __future__ import annotations

import argparse
import json
import shlex
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Select, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from talentflow.explore import move_label
from talentflow.models import FACT_STATUSES, name_key
from talentflow.query import NotFound, _touches, moves_select, org_scope, similar_names
from talentflow.resolve import move_status
from talentflow.schema import (
    alert_deliveries,
    alerts,
    claims,
    cohort_members,
    cohorts,
    documents,
    moves,
    person_names,
    settings,
    watchlists,
)
from talentflow.store import Store, not_rejected

KINDS = ("left", "joined", "founded")
FILTER_KEYS = ("org", "person", "cohort", "kind", "status")
CHANNELS = ("webhook", "email")
CURSOR = "alerts.last_claim"
BATCH = 500  # claims read at a time


@dataclass(frozen=True)
class Watchlist:
    id: int
    name: str
    filters: dict[str, Any]
    webhook: str | None
    email: str | None
    created_at: str
    after_claim: int = 0  # it hears of events of later claims only

    @property
    def description(self) -> str:
        """The filters as the command line would give them: "--org Meta --kind left"."""
        parts = []
        for key in FILTER_KEYS:
            values = self.filters.get(key)
            for value in values if isinstance(values, list) else [values] if values else []:
                parts.append(f"--{key} {shlex.quote(str(value))}")
        return " ".join(parts)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "filters": self.filters, "webhook": self.webhook, "email": self.email,
                "created_at": self.created_at}


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


# -- watchlists -------------------------------------------------------------------------------


def parse_query(text: str) -> dict[str, Any]:
    """Filters from a ``moves`` command line: "moves --org Meta --kind left" (the word "moves" is
    optional). ValueError names what is wrong."""
    parser = argparse.ArgumentParser(prog="moves", add_help=False, exit_on_error=False)
    for key in ("org", "person", "cohort"):
        parser.add_argument(f"--{key}")
    parser.add_argument("--kind", choices=KINDS)
    parser.add_argument("--status", action="append", choices=FACT_STATUSES)
    try:
        words = shlex.split(text)
    except ValueError as exc:
        raise ValueError(f"query {text!r}: {exc}") from exc
    if words[:1] == ["moves"]:
        words = words[1:]
    try:
        found, rest = parser.parse_known_args(words)
    except (argparse.ArgumentError, SystemExit) as exc:
        raise ValueError(f"query {text!r}: {exc}") from exc
    if rest:
        raise ValueError(f"query {text!r}: cannot use {' '.join(rest)} (it takes --org, --person, --cohort, "
                         "--kind and --status)")
    return {k: v for k, v in vars(found).items() if v}


def add_watchlist(store: Store, name: str, filters: dict[str, Any], webhook: str | None = None,
                  email: str | None = None) -> Watchlist:
    """A new watchlist; it hears of events from claims stored after now. ValueError says why not."""
    name = name.strip()
    if not name or len(name) > 200 or "/" in name:
        raise ValueError(f"{name!r}: a watchlist name is 1 to 200 characters, without '/'")
    filters = {k: v for k, v in filters.items() if v}
    if not filters:
        raise ValueError(f"{name}: give what to watch (--org, --person, --cohort or --query)")
    unknown = set(filters) - set(FILTER_KEYS)
    if unknown:
        raise ValueError(f"{name}: unknown filters {', '.join(sorted(unknown))}")
    if filters.get("kind") not in (None, *KINDS):
        raise ValueError(f"{name}: kind must be one of {', '.join(KINDS)}")
    if webhook is not None and not webhook.startswith(("http://", "https://")):
        raise ValueError(f"{webhook}: a webhook is an http(s) URL")
    if email is not None and ("@" not in email or any(c in email for c in " \r\n,;")):
        raise ValueError(f"{email}: not an e-mail address")
    with store.engine.begin() as conn:
        if filters.get("cohort") and conn.execute(
                select(cohorts.c.id).where(cohorts.c.name == filters["cohort"])).first() is None:
            raise ValueError(f"{filters['cohort']}: no such cohort (talentflow cohort list)")
        last = conn.execute(select(func.max(claims.c.id))).scalar() or 0
        created = now_iso()
        try:
            new_id = conn.execute(insert(watchlists).values(
                name=name, filters=json.dumps(filters, sort_keys=True), webhook=webhook, email=email,
                after_claim=last, created_at=created)).inserted_primary_key[0]  # type: ignore[index]
        except IntegrityError as exc:
            raise ValueError(f"{name}: a watchlist of that name exists (remove it first)") from exc
        if conn.execute(select(settings.c.value).where(settings.c.name == CURSOR)).first() is None:
            conn.execute(insert(settings).values(name=CURSOR, value=str(last)))
    return Watchlist(int(new_id), name, filters, webhook, email, created, last)


def list_watchlists(store: Store) -> list[Watchlist]:
    with store.engine.connect() as conn:
        return [_watchlist(r) for r in conn.execute(select(watchlists).order_by(watchlists.c.name))]


def get_watchlist(store: Store, name: str) -> Watchlist:
    with store.engine.connect() as conn:
        row = conn.execute(select(watchlists).where(watchlists.c.name == name)).first()
        if row is None:
            names = {n: n for n in conn.execute(select(watchlists.c.name)).scalars()}
            raise NotFound(f"{name}: no such watchlist", similar_names(name, names), "watchlist")
    return _watchlist(row)


def remove_watchlist(store: Store, name: str) -> None:
    """Forget a watchlist with its alerts and their deliveries."""
    watchlist = get_watchlist(store, name)
    with store.engine.begin() as conn:
        ids = select(alerts.c.id).where(alerts.c.watchlist_id == watchlist.id).scalar_subquery()
        conn.execute(delete(alert_deliveries).where(alert_deliveries.c.alert_id.in_(ids)))
        conn.execute(delete(alerts).where(alerts.c.watchlist_id == watchlist.id))
        conn.execute(delete(watchlists).where(watchlists.c.id == watchlist.id))


def _watchlist(row: Any) -> Watchlist:
    return Watchlist(row.id, row.name, json.loads(row.filters), row.webhook, row.email, row.created_at,
                     row.after_claim)


def matching_moves(store: Store, conn: Connection, filters: dict[str, Any]) -> Select:
    """The moves a watchlist's filters select (``query``'s meaning of an organization: its units
    too; a person by any spelling stored for them)."""
    kind = filters.get("kind")
    kinds = {"founded": ("founding",), "left": ("move",), "joined": ("move",)}.get(kind or "", ("move", "founding"))
    query = moves_select().where(moves.c.kind.in_(kinds))
    if filters.get("status"):
        query = query.where(moves.c.status.in_(filters["status"]))
    if filters.get("org"):
        side = {"left": "from", "joined": "to", "founded": "to"}.get(kind or "", "either")
        query = query.where(_touches(org_scope(store, conn, filters["org"], known=False), side))  # type: ignore[arg-type]
    keys = _person_keys(conn, filters)
    if keys is not None:
        query = query.where(moves.c.person_id.in_(select(person_names.c.person_id).where(person_names.c.key.in_(keys))))
    return query


def _person_keys(conn: Connection, filters: dict[str, Any]) -> list[str] | None:
    """The name keys a watchlist's person and cohort filters allow (None: anyone)."""
    keys: list[str] | None = None
    if filters.get("person"):
        keys = [name_key(filters["person"])]
    if filters.get("cohort"):
        members = list(conn.execute(select(cohort_members.c.key).join(cohorts).where(
            cohorts.c.name == filters["cohort"])).scalars())
        keys = members if keys is None else [k for k in keys if k in members]
    return keys


def _claim_matches(store: Store, conn: Connection, filters: dict[str, Any], claim: Any) -> bool:
    """For a denial that stands beside no move: the same filters, read from the claim."""
    keys = _person_keys(conn, filters)
    if keys is not None and name_key(claim.person_name) not in keys:
        return False
    kind = filters.get("kind")
    if kind and (kind == "founded") != (claim.kind == "founding"):
        return False
    if filters.get("org"):
        scope = {name_key(n) for n in org_scope(store, conn, filters["org"], known=False).names}
        sides = {"left": [claim.from_org], "joined": [claim.to_org], "founded": [claim.to_org]}.get(
            kind or "", [claim.from_org, claim.to_org])
        return any(org and name_key(store.gazetteer.canonical(org)) in scope for org in sides)
    return True


# -- events and alerts ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Event:
    kind: str  # new_move | new_source | status_change | denial
    key: str  # unique per event: an alert for it is recorded once per watchlist
    change: str | None = None  # "rumored -> confirmed"


def events_of(conn: Connection, claim: Any) -> list[Event]:
    """What one newly stored claim means for its move."""
    if claim.review == "wrong":
        return []
    if claim.status == "denied":
        return [Event("denial", f"denial:{claim.id}")]
    if claim.status not in FACT_STATUSES or claim.move_id is None:
        return []
    earlier = conn.execute(select(claims.c.status, claims.c.document_id).where(
        claims.c.move_id == claim.move_id, claims.c.id < claim.id,
        not_rejected())).all()
    facts = [e for e in earlier if e.status in FACT_STATUSES]
    if not facts:
        if any(e.status == "rumored" for e in earlier):
            return [Event("status_change", f"status:{claim.move_id}:{claim.id}", f"rumored -> {claim.status}")]
        return [Event("new_move", f"move:{claim.id}")]
    before = move_status(e.status for e in facts)
    after = move_status([*(e.status for e in facts), claim.status])
    if after != before:
        return [Event("status_change", f"status:{claim.move_id}:{after}", f"{before} -> {after}")]
    if claim.document_id not in {e.document_id for e in facts}:
        return [Event("new_source", f"source:{claim.move_id}:{claim.document_id}")]
    return []


def record_alerts(store: Store) -> int:
    """Record the alerts of every claim stored since the last call; how many were recorded. Safe
    to call from several processes at once: one of them records each alert."""
    recorded, clashes = 0, 0
    while True:
        try:
            found, done = _record_batch(store)
        except (IntegrityError, OperationalError, _CursorMoved):
            # Another process recorded the same claims first (or holds the write lock): read on
            # from its cursor.
            clashes += 1
            if clashes > 20:
                raise
            time.sleep(0.05 * clashes)
            continue
        recorded += found
        if done:
            return recorded


class _CursorMoved(Exception):
    """Another process moved the alert cursor while this one read the same claims."""


def _record_batch(store: Store) -> tuple[int, bool]:
    with store.engine.begin() as conn:
        lists = [_watchlist(r) for r in conn.execute(select(watchlists))]
        row = conn.execute(select(settings.c.value).where(settings.c.name == CURSOR)).first()
        cursor = int(row.value) if row else 0
        if not lists:  # nobody listens: skip ahead
            last_id = conn.execute(select(func.max(claims.c.id))).scalar() or 0
            if row is None:
                conn.execute(insert(settings).values(name=CURSOR, value=str(last_id)))
            elif int(row.value) < last_id:
                conn.execute(update(settings).where(settings.c.name == CURSOR).values(value=str(last_id)))
            return 0, True
        batch = conn.execute(
            select(claims, documents.c.url, documents.c.title, documents.c.published, documents.c.label)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.id > cursor).order_by(claims.c.id).limit(BATCH)).all()
        if not batch:
            return 0, True
        found = 0
        for claim in batch:
            events = events_of(conn, claim)
            for watchlist in lists:
                for event in events:
                    if claim.id > watchlist.after_claim and _touches_watchlist(store, conn, watchlist, claim):
                        found += _insert_alert(conn, watchlist, event, claim)
        last = str(batch[-1].id)
        if row is None:
            conn.execute(insert(settings).values(name=CURSOR, value=last))
        else:
            # Guarded by the old value: a second process that read the same cursor fails to move it
            # (no row updated) and its alerts roll back rather than repeat.
            moved = conn.execute(update(settings).where(settings.c.name == CURSOR, settings.c.value == row.value)
                                 .values(value=last)).rowcount
            if moved != 1:
                raise _CursorMoved
        return found, len(batch) < BATCH


def _touches_watchlist(store: Store, conn: Connection, watchlist: Watchlist, claim: Any) -> bool:
    if claim.move_id is None:
        return _claim_matches(store, conn, watchlist.filters, claim)
    query = matching_moves(store, conn, watchlist.filters).where(moves.c.id == claim.move_id)
    return conn.execute(query.limit(1)).first() is not None


def _insert_alert(conn: Connection, watchlist: Watchlist, event: Event, claim: Any) -> bool:
    if conn.execute(select(alerts.c.id).where(alerts.c.watchlist_id == watchlist.id,
                                              alerts.c.event_key == event.key)).first() is not None:
        return False  # recorded already (a second fact of the same event)
    payload = _payload(conn, watchlist, event, claim)
    created = now_iso()
    alert_id = conn.execute(insert(alerts).values(
        watchlist_id=watchlist.id, event_key=event.key, event=event.kind, claim_id=claim.id, move_id=claim.move_id,
        payload=json.dumps(payload, sort_keys=True), created_at=created)).inserted_primary_key[0]  # type: ignore[index]
    for channel in CHANNELS:
        target = getattr(watchlist, channel)
        if target:
            conn.execute(insert(alert_deliveries).values(alert_id=alert_id, channel=channel, target=target,
                                                         state="pending", attempts=0, next_attempt=0.0))
    return True


def _payload(conn: Connection, watchlist: Watchlist, event: Event, claim: Any) -> dict[str, Any]:
    move = conn.execute(moves_select().where(moves.c.id == claim.move_id)).first() if claim.move_id else None
    facts = {
        "kind": claim.kind, "person": claim.person_name, "from_org": claim.from_org, "to_org": claim.to_org,
        "from_unit": claim.from_unit, "to_unit": claim.to_unit, "role": claim.role, "date": claim.date,
        "status": claim.status, "sources": None,
    }
    if move is not None:
        facts.update({k: getattr(move, k) for k in ("kind", "person", "from_org", "to_org", "from_unit", "to_unit",
                                                    "role", "date", "status", "sources")})
    summary = describe(facts)
    if event.kind == "denial":
        summary = f"denied: {summary}"
    elif event.kind == "status_change":
        summary = f"{summary} ({event.change})"
    elif event.kind == "new_source":
        summary = f"{summary} (a new source)"
    return {
        "watchlist": watchlist.name, "event": event.kind, "change": event.change, "summary": summary,
        "move_id": claim.move_id, "claim_id": claim.id, **facts,
        "evidence": {"text": claim.evidence_text, "url": claim.url, "title": claim.title,
                     "published": claim.published, "document": claim.label or claim.document_id,
                     "claim_status": claim.status},
    }


def describe(move: dict[str, Any]) -> str:
    """A move in words, with its person: "Jane Roe left Acme for Globex"."""
    return f"{move['person']} {move_label(move)}"


def list_alerts(store: Store, watchlist: str | None = None, since: str | None = None,
                limit: int | None = 50) -> list[dict[str, Any]]:
    """Alerts, newest first, each with what it tells and where its deliveries stand."""
    with store.engine.connect() as conn:
        query = select(alerts, watchlists.c.name.label("watchlist")).join(watchlists).order_by(alerts.c.id.desc())
        if watchlist:
            query = query.where(watchlists.c.id == get_watchlist(store, watchlist).id)
        if since:
            query = query.where(alerts.c.created_at >= since)
        if limit:
            query = query.limit(limit)
        rows = conn.execute(query).all()
        states: dict[int, dict[str, str]] = {}
        ids = [r.id for r in rows]
        for d in conn.execute(select(alert_deliveries).where(alert_deliveries.c.alert_id.in_(ids))) if ids else []:
            states.setdefault(d.alert_id, {})[d.channel] = d.state
    return [{"id": r.id, "created_at": r.created_at, **json.loads(r.payload), "deliveries": states.get(r.id, {})}
            for r in rows]


# -- the digest ----------------------------------------------------------------------------------


def digest(store: Store, period: timedelta, watchlist: str | None = None) -> dict[str, Any]:
    """The moves first reported in the last ``period`` (by when their first source was stored),
    by organization, with net flows and new foundings; each with its source."""
    since = (datetime.now(UTC) - period).isoformat(timespec="seconds")
    filters = get_watchlist(store, watchlist).filters if watchlist else {}
    with store.engine.connect() as conn:
        first = (select(claims.c.move_id, func.min(documents.c.ingested_at).label("first_stored"),
                        func.min(claims.c.id).label("claim_id"))
                 .join(documents, documents.c.id == claims.c.document_id)
                 .where(claims.c.move_id.is_not(None), claims.c.status.in_(FACT_STATUSES), not_rejected())
                 .group_by(claims.c.move_id).subquery())
        query = matching_moves(store, conn, filters).join(first, first.c.move_id == moves.c.id).where(
            first.c.first_stored >= since).add_columns(first.c.claim_id).order_by(moves.c.id)
        rows = conn.execute(query).all()
        sources = {r.id: r for r in conn.execute(
            select(claims.c.id, claims.c.evidence_text, documents.c.url, documents.c.title, documents.c.label)
            .join(documents, documents.c.id == claims.c.document_id)
            .where(claims.c.id.in_([r.claim_id for r in rows])))} if rows else {}
    items = []
    for r in rows:
        source = sources[r.claim_id]
        items.append({"move_id": r.id, "kind": r.kind, "person": r.person, "from_org": r.from_org,
                      "to_org": r.to_org, "date": r.date, "status": r.status, "summary": describe(dict(r._mapping)),
                      "evidence": source.evidence_text, "source": source.url or source.title or source.label})
    by_org: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for item in items:
        if item["kind"] == "move":
            if item["from_org"]:
                by_org.setdefault(item["from_org"], {"left": [], "joined": []})["left"].append(item)
            if item["to_org"]:
                by_org.setdefault(item["to_org"], {"left": [], "joined": []})["joined"].append(item)
    pairs: dict[tuple[str, str], int] = {}
    for item in items:
        if item["kind"] == "move" and item["from_org"] and item["to_org"]:
            a, b = sorted((item["from_org"], item["to_org"]))
            pairs[(a, b)] = pairs.get((a, b), 0) + (1 if item["from_org"] == a else -1)
    return {
        "since": since, "watchlist": watchlist, "moves": len(items),
        "by_org": [{"org": org, "joined": len(v["joined"]), "left": len(v["left"]), "moves": v["joined"] + v["left"]}
                   for org, v in sorted(by_org.items(), key=lambda kv: (-len(kv[1]["joined"]) - len(kv[1]["left"]),
                                                                         kv[0]))],
        "net_flows": [{"from": a if n > 0 else b, "to": b if n > 0 else a, "net": abs(n)}
                      for (a, b), n in sorted(pairs.items()) if n],
        "foundings": [i for i in items if i["kind"] == "founding"],
    }


def digest_text(found: dict[str, Any]) -> str:
    """The digest as plain text, for a terminal or an e-mail: every line with its source."""
    scope = f" for watchlist {found['watchlist']}" if found["watchlist"] else ""
    lines = [f"talentflow digest{scope}: {found['moves']} new moves since {found['since'][:16].replace('T', ' ')} UTC",
             ""]
    if found["by_org"]:
        lines.append("By organization")
        for org in found["by_org"]:
            lines.append(f"  {org['org']}: {org['joined']} joined, {org['left']} left")
            lines += [f"    - {m['summary']} [{m['status']}] ({m['source']})" for m in org["moves"]]
        lines.append("")
    if found["net_flows"]:
        lines.append("Net flows")
        lines += [f"  {f['from']} -> {f['to']}: {f['net']}" for f in found["net_flows"]]
        lines.append("")
    if found["foundings"]:
        lines.append("New foundings")
        lines += [f"  - {m['summary']} [{m['status']}] ({m['source']})" for m in found["foundings"]]
        lines.append("")
    if not found["moves"]:
        lines.append("Nothing new.")
    return "\n".join(lines).rstrip() + "\n"
