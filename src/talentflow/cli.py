"""The talentflow command line: a thin layer over ingest, extract, store and query.

Output a person reads is a Rich table; output for a program is JSON Lines (``--format jsonl``).
"""

from __future__ import annotations

import csv
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table as RichTable
from rich.text import Text

from talentflow import __version__
from talentflow.models import ALL_STATUSES, FACT_STATUSES, REPORT_STATUSES, Claim

if TYPE_CHECKING:
    from rich.progress import Progress

    from talentflow.evaluate import GraphReport
    from talentflow.extract.train import Corpus

app = typer.Typer(
    name="talentflow",
    help="Turn news about people changing jobs into an evidence-backed database of talent moves.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
# Piped output keeps long evidence lines whole unless COLUMNS says how wide to be.
# Markup off: names, titles and evidence come from articles and file names, and must print as they
# are ("[/bold]" in a file name is text); styles are given as Text. Control characters are removed
# from everything printed (see ``_clean``), so an escape sequence in an article cannot reach the terminal.
out = Console(width=None if sys.stdout.isatty() or "COLUMNS" in os.environ else 220, markup=False, highlight=False)
err = Console(stderr=True, soft_wrap=True, markup=False, highlight=False)
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Text safe to print on a terminal: control characters (escape sequences, bells) removed."""
    return CONTROL_CHARACTERS.sub("", text)


class Table(RichTable):
    """A Rich table whose title and cells are cleaned of control characters."""

    def __init__(self, *headers: str, title: str | None = None, **options: Any) -> None:
        super().__init__(*headers, title=_clean(title) if title else title, **options)

    def add_row(self, *cells: Any, **options: Any) -> None:
        super().add_row(*(_clean(c) if isinstance(c, str) else c for c in cells), **options)


def _say(text: str) -> None:
    out.print(_clean(text))


def _log(text: str) -> None:
    """A line of a running log (``watch``): never wrapped, whatever the terminal's width."""
    out.print(_clean(text), soft_wrap=True)


def _error(message: str, label: str = "error:", style: str = "red") -> None:
    err.print(Text.assemble((label, style), " ", _clean(message)))

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database file or URL (sqlite:///x.db, postgresql+psycopg://...). "
        "Default: $TALENTFLOW_DB or ./talentflow.db",
        show_default=False,
    ),
]


class Format(StrEnum):
    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class ExtractFormat(StrEnum):
    table = "table"
    jsonl = "jsonl"


class DateChoice(StrEnum):
    best = "best"
    effective = "effective"
    reported = "reported"


StatusChoice = StrEnum("StatusChoice", {s: s for s in FACT_STATUSES})  # type: ignore[misc]
# Rumours and denials never make a move; `talentflow reports` lists them.
ReportStatus = StrEnum("ReportStatus", {s: s for s in REPORT_STATUSES})  # type: ignore[misc]


class ExportChoice(StrEnum):
    csv = "csv"
    jsonl = "jsonl"
    graphml = "graphml"
    ftm = "ftm"


def _fail(message: str, code: int = 2) -> typer.Exit:
    _error(message)
    return typer.Exit(code)


@contextmanager
def _known_names() -> Iterator[None]:
    """An organization, person or cohort the database does not know: exit 1 with "did you mean"."""
    from talentflow.query import NotFound

    try:
        yield
    except NotFound as exc:
        raise _fail(str(exc), code=1) from exc


def _undated_note(left_out: int, format: Format, what: str = "moves") -> None:
    """Say how many moves (or people) a date window left out for having no known date."""
    if left_out:
        (out if format is Format.table else err).print(
            f"{left_out} {what} with no known date left out of the window (--undated include adds them)")


def _open_store(db: str | None):  # type: ignore[no-untyped-def]
    from talentflow.store import Store

    try:
        return Store(db)
    except Exception as exc:  # a bad URL, an unreachable server, a file we cannot write
        raise _fail(f"{db or 'database'}: cannot open database ({type(exc).__name__}: {exc})".splitlines()[0]) from exc


def _progress() -> Progress:
    # Imported here: only the commands that show progress need it (a read-only command starts faster).
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal,
    )


def _count_inputs(paths: list[str]) -> int | None:
    """How many documents the inputs hold, when that is known before reading them (for progress):
    unknown as soon as there is a URL, a feed or a bulk file."""
    from talentflow.ingest import HTML_SUFFIXES, SUPPORTED_SUFFIXES, TEXT_SUFFIXES, is_url

    total = 0
    for raw in paths:
        if is_url(raw):
            return None
        p = Path(raw)
        for f in (f for f in p.rglob("*") if f.is_file()) if p.is_dir() else [p]:
            if f.suffix.lower() in TEXT_SUFFIXES | HTML_SUFFIXES:
                total += 1
            elif not p.is_dir() or f.suffix.lower() in SUPPORTED_SUFFIXES:
                return None
    return total


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
    orgs: Annotated[
        Path | None,
        typer.Option("--orgs", help="Your own organizations file (same shape as data/organizations.json): "
                     "aliases, kinds, parents. Default: $TALENTFLOW_ORGS."),
    ] = None,
) -> None:
    if version:
        _say(f"talentflow {__version__}")
        raise typer.Exit()
    if orgs:
        from talentflow.orgs import ORGS_ENV, load_gazetteer

        try:
            load_gazetteer(str(orgs))
        except ValueError as exc:
            raise _fail(str(exc)) from exc
        os.environ[ORGS_ENV] = str(orgs)  # every stage of this run reads the same file


@app.command()
def ingest(
    inputs: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories (read recursively) and http(s) URLs: text, Markdown, HTML, "
                       "RSS/Atom feeds, JSON Lines and CSV.", show_default=False),
    ] = None,
    urls: Annotated[
        list[Path] | None,
        typer.Option("--urls", help="A file of URLs to fetch, one per line (# starts a comment). Repeatable.",
                     show_default=False),
    ] = None,
    column: Annotated[
        list[str] | None,
        typer.Option("--column", help="FIELD=COLUMN: which CSV column or JSON key holds a field (text, id, url, "
                     "title, published, author). Repeatable, e.g. --column text=body --column published=date.",
                     show_default=False),
    ] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parse with this many processes.")] = 1,
    allow_private: Annotated[
        list[str] | None,
        typer.Option("--allow-private", metavar="HOST[:PORT]", show_default=False,
                     help="Fetch from this host although it has a private, loopback or link-local address "
                          "(your own server). Repeatable; redirects are checked against it too."),
    ] = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 20.0,
    rate: Annotated[float, typer.Option("--rate", min=0.01, help="Requests per second to any one host.")] = 1.0,
    ray: Annotated[bool, typer.Option("--ray", help="Read and extract on a Ray cluster (--jobs actors), writing "
                                      "here in input order; a local Ray unless --ray-address is given.")] = False,
    ray_address: Annotated[str | None, typer.Option(
        "--ray-address", envvar="RAY_ADDRESS", metavar="HOST:PORT",
        help="The Ray cluster to join (with --ray).")] = None,
    db: DbOption = None,
) -> None:
    """Read articles, extract their claims and store both. Re-ingesting the same text changes nothing;
    a near-duplicate of a stored article (a syndicated copy) is kept as a copy, not extracted again.
    Exits with status 1 when any input failed.

    Example: [bold]talentflow ingest articles/ feed.xml https://example.org/news/story --db talent.db[/bold]
    """
    from talentflow.ingest import Columns, FetchPolicy, IngestError, IngestOptions, read_url_list
    from talentflow.pipeline import run_ingest

    try:
        options = IngestOptions(columns=Columns.parse(column or []), fetch=FetchPolicy(
            timeout=timeout, rate=rate, allow_private=tuple(allow_private or ())))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if not inputs and not urls:
        raise _fail("nothing to ingest: give files, directories or URLs, or --urls FILE")
    store = _open_store(db)
    list_errors: list[IngestError] = []

    def all_inputs():  # type: ignore[no-untyped-def]
        yield from inputs or []
        for url_file in urls or []:
            for url in read_url_list(url_file):
                if isinstance(url, IngestError):
                    list_errors.append(url)
                    _error(str(url))
                else:
                    yield url

    with _progress() as progress:
        task = progress.add_task("ingesting", total=None if urls else _count_inputs(inputs or []))
        if ray:
            from talentflow.distributed import ingest_on_ray

            summary = ingest_on_ray(all_inputs(), store, options, address=ray_address, workers=jobs,
                                    on_item=lambda: progress.advance(task), on_error=lambda e: _error(str(e)))
        else:
            summary = run_ingest(
                all_inputs(), store, options, jobs=jobs,
                on_item=lambda: progress.advance(task),
                on_error=lambda e: _error(str(e)),
            )
    summary.failed += len(list_errors)
    from talentflow.alerts import record_alerts

    recorded = record_alerts(store)
    alerts_note = f"; {recorded} new alerts (talentflow alerts --send delivers them)" if recorded else ""
    _say(f"{summary.line()}{alerts_note} (database: {store.display_url})")
    store.close()
    if summary.failed:
        raise typer.Exit(1)


@app.command()
def extract(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .md, .jsonl) or directories.")],
    format: Annotated[
        ExtractFormat, typer.Option("--format", "-f", help="table for people, jsonl for programs.")
    ] = ExtractFormat.table,
    all_statuses: Annotated[
        bool, typer.Option("--all-statuses", help="Also print rumoured, attempted and denied moves.")
    ] = False,
    groups: Annotated[
        bool, typer.Option("--groups", help="Also print unnamed groups that left or joined "
                           "(\"several OpenAI researchers\"), as kind \"group\".")
    ] = False,
) -> None:
    """Print the claims found in articles, without a database (the contract is in the README).

    Example: [bold]talentflow extract article.txt --format jsonl[/bold]
    """
    from talentflow.extract import Extractor
    from talentflow.extract.groups import GroupClaim
    from talentflow.ingest import IngestError, iter_documents

    extractor = Extractor()
    statuses = ALL_STATUSES if all_statuses else FACT_STATUSES
    failed = 0
    rows: list[Claim] = []
    group_rows: list[GroupClaim] = []
    for item in iter_documents(paths):
        if isinstance(item, IngestError):
            failed += 1
            _error(str(item))
            continue
        result = extractor.run(item)
        records: list[Claim | GroupClaim] = [*result.claims, *(result.groups if groups else [])]
        for record in records:
            if record.status not in statuses:
                continue
            if format is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(record.to_contract(), ensure_ascii=False) + "\n")
            elif isinstance(record, Claim):
                rows.append(record)
            else:
                group_rows.append(record)
    if format is ExtractFormat.table:
        table = Table(
            "doc",
            "kind",
            "person",
            "from",
            "to",
            "role",
            "date",
            "status",
            "evidence",
            title=f"{len(rows)} claims",
            show_lines=True,
        )
        for c in rows:
            table.add_row(
                c.doc or "",
                c.kind,
                c.person,
                _org_unit(c.from_org, c.from_unit),
                _org_unit(c.to_org, c.to_unit),
                c.role or "",
                c.date or "",
                c.status,
                c.evidence.text,
            )
        out.print(table)
        if group_rows:
            groups_table = Table("doc", "type", "organization", "who", "status", "evidence",
                                 title=f"{len(group_rows)} unnamed groups", show_lines=True)
            for g in group_rows:
                groups_table.add_row(g.doc or "", g.type, _org_unit(g.org, g.unit), g.count_text, g.status,
                                     g.evidence.text)
            out.print(groups_table)
    if failed:
        raise typer.Exit(1)


@app.command()
def explain(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .md, .jsonl) or directories.")],
    top: Annotated[int, typer.Option("--top", help="How many feature contributions to show per candidate.")] = 6,
) -> None:
    """Show every candidate (a person and an organization in a sentence with a move cue): the
    scorer's probability of left, joined and founded, which it claimed, and the features that
    weighed most, so that a wrong decision can be traced to its cause.

    Example: [bold]talentflow explain article.txt[/bold]
    """
    from talentflow.extract import Extractor
    from talentflow.ingest import IngestError, iter_documents

    extractor = Extractor()
    for item in iter_documents(paths):
        if isinstance(item, IngestError):
            _error(str(item))
            continue
        table = Table("person", "organization", "cue", "p(left)", "p(joined)", "p(founded)", "claimed",
                      "weighed most", title=item.label or item.id, show_lines=True)
        last = None
        for trace in extractor.run(item).traces:
            if trace.sentence != last:
                table.add_row("", "", "", "", "", "", "", Text(_clean(trace.sentence), style="dim"))
                last = trace.sentence
            best = max(trace.probabilities, key=lambda t: trace.probabilities[t])
            weighed = ", ".join(f"{f} {w:+.2f}" for f, w in trace.contributions(best)[:top])
            claimed = ", ".join(trace.accepted) or "none"
            if trace.accepted and trace.status not in FACT_STATUSES:
                claimed += f" ({trace.status})"
            table.add_row(trace.person, trace.org, trace.cue,
                          *(f"{trace.probabilities[t]:.2f}" for t in ("left", "joined", "founded")),
                          claimed, f"{best}: {weighed}")
        out.print(table)


def _sources(move: dict[str, Any]) -> str:
    """Independent sources, and syndicated copies beside them."""
    copies = move.get("copies") or 0
    return f"{move['sources']} +{copies} {'copy' if copies == 1 else 'copies'}" if copies else str(move["sources"])


def _org_unit(org: str | None, unit: str | None) -> str:
    if not org:
        return ""
    return f"{org} ({unit})" if unit else org


def _status(row: dict[str, Any]) -> str:
    denials = row.get("denials") or 0
    return row["status"] + (f", {denials} denial{'s' if denials > 1 else ''}" if denials else "")


def _source_line(row: dict[str, Any]) -> str:
    ev = row["evidence"][0] if row["evidence"] else {}
    source = ev.get("url") or ev.get("doc") or ""
    if ev.get("reported_by"):  # a retelling: the quote is in our file, the report only credited
        from urllib.parse import urlsplit

        source += f" (a retelling; reported by {urlsplit(ev['reported_by']).hostname})"
    more = f" (+{len(row['evidence']) - 1} more)" if len(row["evidence"]) > 1 else ""
    return f"“{ev.get('text', '')}” — {source}{more}"


def _write_jsonl(rows: list[dict[str, Any]]) -> None:
    for r in rows:
        sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")


def _write_records(rows: list[dict[str, Any]], format: Format) -> None:
    """Flat records (no nested evidence) as JSON Lines or CSV."""
    if format is Format.jsonl:
        _write_jsonl(rows)
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else [])
    writer.writeheader()
    writer.writerows(rows)


def _write_rows(rows: list[dict[str, Any]], format: Format, title: str) -> None:
    """Moves as a table, JSON Lines or CSV (the columns of ``talentflow export --format csv``)."""
    if format is Format.jsonl:
        _write_jsonl(rows)
        return
    if format is Format.csv:
        from talentflow.export import CSV_COLUMNS, csv_row

        writer = csv.writer(sys.stdout)
        writer.writerow(CSV_COLUMNS)
        writer.writerows(csv_row(r) for r in rows)
        return
    table = Table("effective", "reported", "person", "from", "to", "kind", "status", "src", "evidence", title=title,
                  show_lines=True)
    for r in rows:
        table.add_row(
            r["effective_date"] or "",
            r["first_seen"] or "",
            r["person"],
            _org_unit(r["from_org"], r["from_unit"]),
            _org_unit(r["to_org"], r["to_unit"]),
            "founded" if r["kind"] == "founding" else "move",
            _status(r),
            _sources(r),
            _source_line(r),
        )
    out.print(table)


def _check_dates(**values: str | None) -> None:
    from talentflow.dates import valid_date

    for name, value in values.items():
        if value and not valid_date(value):
            raise _fail(f"--{name} {value!r}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


class UndatedChoice(StrEnum):
    exclude = "exclude"
    include = "include"


UndatedOption = Annotated[
    UndatedChoice,
    typer.Option(help="Moves with no known date: left out of a --since/--until window (and counted), or included."),
]
SinceOption = Annotated[str | None, typer.Option(help="From this date on (YYYY, YYYY-MM or YYYY-MM-DD).")]
UntilOption = Annotated[str | None, typer.Option(help="Up to this date, inclusive.")]
DatesOption = Annotated[
    DateChoice,
    typer.Option(help="Which date --since/--until filter on: the move's own (effective), its first report "
                 "(reported), or the first of these known (best)."),
]
FormatOption = Annotated[Format, typer.Option("--format", "-f", help="table for people; jsonl or csv for programs.")]


@app.command()
def moves(
    org: Annotated[str | None, typer.Option(help="Only moves into or out of this organization or its units.")] = None,
    person: Annotated[str | None, typer.Option(help="Only this person (name, any case or accents).")] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    dates: DatesOption = DateChoice.best,
    undated: UndatedOption = UndatedChoice.exclude,
    status: Annotated[
        list[StatusChoice] | None,
        typer.Option(help="Only these statuses (repeat the option). Default: confirmed, reported, planned."),
    ] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows; 0 for all.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many rows first (paging).")] = 0,
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """List moves (and foundings), newest first, each with its evidence.

    Example: [bold]talentflow moves --org Meta --since 2025-01 --format csv[/bold]
    """
    from talentflow.query import count_undated, list_moves

    _check_dates(since=since, until=until)
    statuses = [s.value for s in status] if status else FACT_STATUSES
    store = _open_store(db)
    with _known_names():
        rows = list_moves(store, org=org, person=person, since=since, until=until, statuses=statuses,
                          dates=dates.value, limit=limit or None, offset=offset, undated=undated.value)
        left_out = count_undated(store, since, until, undated.value, org=org, person=person, statuses=statuses,
                                 dates=dates.value)
    _write_rows(rows, format, f"{len(rows)} moves" + (f" (--limit {limit})" if len(rows) == limit else ""))
    _undated_note(left_out, format)


@app.command()
def reports(
    org: Annotated[str | None, typer.Option(help="Only reports naming this organization or its units.")] = None,
    person: Annotated[str | None, typer.Option(help="Only this person.")] = None,
    status: Annotated[list[ReportStatus] | None, typer.Option(help="rumored or denied (repeat); default both.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many rows; 0 for all.")] = 100,
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Rumours, attempts and denials ("in talks to join", "declined Meta's offer"). They never make
    a move; each shows the move it stands beside, if a source states one.

    Example: [bold]talentflow reports --org Meta --status denied[/bold]
    """
    from talentflow.query import list_reports

    store = _open_store(db)
    with _known_names():
        rows = list_reports(store, person=person, org=org, statuses=[s.value for s in status] if status else
                            REPORT_STATUSES, limit=limit or None)
    if format is not Format.table:
        _write_records(rows, format)
        return
    table = Table("reported", "person", "from", "to", "status", "beside move", "evidence",
                  title=f"{len(rows)} rumours and denials", show_lines=True)
    for r in rows:
        table.add_row(r["published"] or "", r["person"], r["from_org"] or "", r["to_org"] or "", r["status"],
                      str(r["move_id"] or ""), f"“{r['evidence']}” — {r['url'] or r['doc']}")
    out.print(table)


@app.command()
def person(
    name: Annotated[str, typer.Argument(help="The person's name; case and accents are ignored.")],
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """A person's career as the sources tell it: each move in time order with its sources, and the
    stints they add up to.

    Example: [bold]talentflow person "Ruoming Pang"[/bold]
    """
    from talentflow.query import career

    store = _open_store(db)
    with _known_names():
        result = career(store, name)
    steps = result["steps"]  # oldest first, undated last
    if format is Format.jsonl:
        _write_jsonl([result])
        return
    if format is Format.csv:
        _write_rows(steps, format, "")
        return
    also = [n for n in result["names"] if n != result["person"]]
    out.print(Text.assemble((_clean(result["person"]), "bold"), _clean(f" (also: {', '.join(also)})") if also else ""))
    table = Table("date", "step", "role", "status", "sources", title="career, oldest first", show_lines=True)
    for s in steps:
        if s["kind"] == "founding":
            step = f"founded {_org_unit(s['to_org'], s['to_unit'])}"
        else:
            step = " -> ".join(x for x in (_org_unit(s["from_org"], s["from_unit"]) or "?",
                                           _org_unit(s["to_org"], s["to_unit"]) or "?"))
        sources = "\n".join(f"“{e['text']}” — {e['url'] or e['doc']}" for e in s["evidence"])
        table.add_row(s["date"] or "", step, s["role"] or "", _status(s), sources)
    out.print(table)
    stints_table = Table("organization", "role", "from", "until", title="stints")
    for stint in result["stints"]:
        role = "founder" if stint["founder"] else (stint["role"] or "")
        stints_table.add_row(_org_unit(stint["org"], stint["unit"]), role, stint["start"] or "?",
                             stint["end"] or "")
    out.print(stints_table)
    for r in result["reports"]:
        _say(f"{r['status']}, not a move: “{r['evidence']}” — {r['url'] or r['doc']}")
    for pair in result["maybe_same_as"]:
        _say(f"maybe the same person: {pair['person_a']} / {pair['person_b']} ({pair['reason']}); "
             f"see talentflow people merge")


@app.command()
def org(
    name: Annotated[str, typer.Argument(help="Organization name or alias (Facebook = Meta).")],
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Who joined, who left and who founded an organization (its units included), with evidence.

    Example: [bold]talentflow org Meta[/bold]
    """
    from talentflow.query import org_report

    store = _open_store(db)
    with _known_names():
        report = org_report(store, name)
    if not (report["joined"] or report["left"] or report["founded"]):
        raise _fail(f"{name}: no moves into or out of this organization in {store.display_url}", code=1)
    if format is Format.table:
        facts = [report["kind"] or "organization"]
        if report["parent"]:
            facts.append(f"part of {report['parent']}")
        if report["units"]:
            facts.append(f"units: {', '.join(report['units'])}")
        out.print(Text.assemble((_clean(report["org"]), "bold"), ": ", _clean("; ".join(facts))))
        for section in ("joined", "left", "founded"):
            if report[section]:
                _write_rows(report[section], format, f"{section} {report['org']}: {len(report[section])}")
        return
    rows = [dict(r, relation=section) for section in ("joined", "left", "founded") for r in report[section]]
    _write_rows(rows, format, report["org"])


@app.command()
def flows(
    org: Annotated[str | None, typer.Option(help="Only flows into or out of this organization and its units.")] = None,
    between: Annotated[
        tuple[str, str] | None,
        typer.Option(help="Two organizations: the moves each way and the net flow.", metavar="A B"),
    ] = None,
    since: SinceOption = None,
    until: UntilOption = None,
    dates: DatesOption = DateChoice.best,
    undated: UndatedOption = UndatedChoice.exclude,
    limit: Annotated[int, typer.Option(help="At most this many pairs (with --between: the newest moves each way); "
                                             "0 for all.")] = 20,
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """People moving between organizations in a window, as from -> to counts; with --between A B,
    the moves each way and the net flow.

    Example: [bold]talentflow flows --between OpenAI Meta --since 2025[/bold]
    """
    from talentflow.query import count_undated, net_flow
    from talentflow.query import flows as flow_pairs

    _check_dates(since=since, until=until)
    store = _open_store(db)
    if between:
        with _known_names():
            result = net_flow(store, between[0], between[1], since=since, until=until, dates=dates.value,
                              undated=undated.value, limit=limit or None)
        if format is Format.jsonl:
            _write_jsonl([result])
            return
        if format is Format.csv:
            rows = [dict(r, direction=d) for d in ("a_to_b", "b_to_a") for r in result[f"moves_{d}"]]
            _write_rows(rows, format, "")
            return
        a, b, net = result["a"], result["b"], result["net_to_b"]
        window = f" ({since or '...'} to {until or '...'})" if since or until else ""
        _say(f"{a} -> {b}: {result['a_to_b']}   {b} -> {a}: {result['b_to_a']}   "
             f"net: {b if net >= 0 else a} {abs(net):+d}{window}")
        for d, label in (("a_to_b", f"{a} -> {b}"), ("b_to_a", f"{b} -> {a}")):
            if result[f"moves_{d}"]:
                _write_rows(result[f"moves_{d}"], format, label)
        _undated_note(result["undated_left_out"], format)
        return
    with _known_names():
        rows = flow_pairs(store, org=org, since=since, until=until, dates=dates.value, limit=limit or None,
                          undated=undated.value)
        left_out = count_undated(store, since, until, undated.value, org=org, kinds=("move",), dates=dates.value,
                                 both_sides=True)
    if format is not Format.table:
        _write_records(rows, format)
    else:
        table = Table("from", "to", "people", title="flows between organizations")
        for r in rows:
            table.add_row(r["from_org"], r["to_org"], str(r["moves"]))
        out.print(table)
    _undated_note(left_out, format)


@app.command()
def alumni(
    name: Annotated[str, typer.Argument(help="Organization name or alias; its units are included.")],
    since: SinceOption = None,
    until: UntilOption = None,
    undated: UndatedOption = UndatedChoice.exclude,
    limit: Annotated[int, typer.Option(help="At most this many people, latest departures first; 0 for all.")] = 100,
    offset: Annotated[int, typer.Option(help="Skip this many people first (paging).")] = 0,
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """People who left an organization and have not come back: where each went, and the companies
    they founded.

    Example: [bold]talentflow alumni OpenAI --since 2024[/bold]
    """
    from talentflow.query import alumni as alumni_of

    _check_dates(since=since, until=until)
    store = _open_store(db)
    with _known_names():
        result = alumni_of(store, name, since=since, until=until, limit=limit or None, offset=offset,
                           undated=undated.value)
    rows = result["alumni"]
    if format is Format.jsonl:
        _write_jsonl(rows)
    elif format is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["person", *DEPARTURE_COLUMNS])
        writer.writerows([r["person"], *_departure_cells(r)] for r in rows)
    else:
        shown = f"{len(rows)} of " if len(rows) < result["total"] else ""
        table = Table("left", "person", "went to", "founded", "evidence",
                      title=f"{shown}{result['total']} people who left {result['org']}", show_lines=True)
        for r in rows:
            table.add_row(r["left_date"] or "", r["person"], r["went_to"] or "",
                          ", ".join(f["org"] for f in r["founded"]), _source_line(r))
        out.print(table)
    _undated_note(result["undated_left_out"], format, "people")


DEPARTURE_COLUMNS = ("left", "went_to", "founded", "evidence", "url")


def _departure_cells(row: dict[str, Any]) -> list[Any]:
    """A departure (from ``alumni`` or ``cohort status``) as CSV cells; empty for one who stayed."""
    ev = row["evidence"][0] if row["evidence"] else {}
    founded = "; ".join(f["org"] for f in row.get("founded", []))
    return [row.get("left_date"), row.get("went_to"), founded, ev.get("text"), ev.get("url")]


cohort_app = typer.Typer(help="Named sets of people (the authors of a paper, a team) followed over time.",
                         no_args_is_help=True)
app.add_typer(cohort_app, name="cohort")


@cohort_app.command("create")
def cohort_create(
    name: Annotated[str, typer.Argument(help="A name for the cohort, such as llama-authors.")],
    from_file: Annotated[Path, typer.Option("--from-file", help="A text file with one person per line.")],
    org: Annotated[str, typer.Option(help="The organization the cohort is measured against.")],
    replace: Annotated[bool, typer.Option("--replace", help="Redefine the cohort if it exists.")] = False,
    db: DbOption = None,
) -> None:
    """Define a cohort from a file of names (blank lines and lines starting with # are skipped).

    Example: [bold]talentflow cohort create llama-authors --from-file llama.txt --org Meta[/bold]
    """
    try:
        text = from_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(f"{from_file}: cannot read ({type(exc).__name__}: {exc})".splitlines()[0]) from exc
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    from talentflow.query import measurable_org

    store = _open_store(db)
    with _known_names():
        org = measurable_org(store, org)
    try:
        count = store.create_cohort(name, org, names, replace=replace)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    _say(f"cohort {name}: {count} people, measured against {store.gazetteer.canonical(org)}")


@cohort_app.command("status")
def cohort_status(
    name: Annotated[str, typer.Argument(help="The cohort's name.")],
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """How many of a cohort are still at its organization, who left, when and where to.

    Example: [bold]talentflow cohort status llama-authors[/bold]
    """
    from talentflow.query import cohort_status as status_of

    store = _open_store(db)
    with _known_names():
        result = status_of(store, name)
    rows = result["people"]
    if format is Format.jsonl:
        _write_jsonl(rows)
        return
    if format is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(["name", "status", *DEPARTURE_COLUMNS])
        writer.writerows([r["name"], r["status"], *_departure_cells(r)] for r in rows)
        return
    _say(f"{result['left']} of {result['members']} left {result['org']}; {result['stayed']} reported with no "
         f"departure; {result['no_reports']} with no reports at all; {result['founded']} founded a company.")
    table = Table("person", "status", "left", "went to", "founded", "evidence", title=f"cohort {name}",
                  show_lines=True)
    for r in rows:
        table.add_row(r["name"], r["status"], r.get("left_date") or "", r.get("went_to") or "",
                      ", ".join(f["org"] for f in r.get("founded", [])), _source_line(r) if r["evidence"] else "")
    out.print(table)


@cohort_app.command("list")
def cohort_list(format: FormatOption = Format.table, db: DbOption = None) -> None:
    """The cohorts defined in the database."""
    from talentflow.query import list_cohorts

    rows = list_cohorts(_open_store(db))
    if format is not Format.table:
        _write_records(rows, format)
        return
    table = Table("cohort", "organization", "members", "created")
    for r in rows:
        table.add_row(r["name"], r["org"], str(r["members"]), r["created_at"])
    out.print(table)


people_app = typer.Typer(help="Decide who is who: merge two people, split a name off, list doubtful pairs.",
                         no_args_is_help=True)
app.add_typer(people_app, name="people")


@people_app.command("merge")
def people_merge(
    keep: Annotated[str, typer.Argument(help="The person to keep (any of their names).")],
    other: Annotated[str, typer.Argument(help="The person to merge into it.")],
    db: DbOption = None,
) -> None:
    """Make two people one; later reports under either name go to the merged person.

    Example: [bold]talentflow people merge "Alexandr Wang" "Alexander Wang"[/bold]
    """
    store = _open_store(db)
    try:
        shown = store.merge_people(keep, other)
    except (LookupError, ValueError) as exc:
        raise _fail(str(exc), code=1) from exc
    _say(f"merged {other} into {shown}")


@people_app.command("split")
def people_split(
    name: Annotated[str, typer.Argument(help="The name to take out of the person it was merged into.")],
    db: DbOption = None,
) -> None:
    """Undo a merge: this name becomes a person of its own and stays apart.

    Example: [bold]talentflow people split "Alexander Wang"[/bold]
    """
    store = _open_store(db)
    try:
        shown = store.split_person(name)
    except (LookupError, ValueError) as exc:
        raise _fail(str(exc), code=1) from exc
    _say(f"{shown} is now a person of their own")


@people_app.command("doubtful")
def people_doubtful(format: FormatOption = Format.table, db: DbOption = None) -> None:
    """Pairs of names that may be one person, kept apart until you merge them."""
    from talentflow.query import doubtful_pairs

    rows = doubtful_pairs(_open_store(db))
    if format is not Format.table:
        _write_records(rows, format)
        return
    table = Table("name", "maybe the same as", "why", title=f"{len(rows)} doubtful pairs")
    for r in rows:
        table.add_row(r["person_a"], r["person_b"], r["reason"] or "")
    out.print(table)


@app.command()
def export(
    format: Annotated[ExportChoice, typer.Option("--format", "-f", help="csv, jsonl, graphml (Gephi) or ftm.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here instead of stdout.")] = None,
    db: DbOption = None,
) -> None:
    """The whole graph: moves as CSV, entities as JSON Lines, GraphML for Gephi, or FollowTheMoney
    entities (Person, Organization, Employment with start and end dates).

    Example: [bold]talentflow export --format graphml -o talent.graphml[/bold]
    """
    from talentflow.export import export as write_graph

    store = _open_store(db)
    if output is None:
        write_graph(store, format.value, sys.stdout)
        return
    partial = output.with_name(output.name + ".partial")
    try:
        with partial.open("w", encoding="utf-8", newline="") as stream:
            count = write_graph(store, format.value, stream)
        partial.replace(output)  # a failed export never leaves half a file under the real name
    except OSError as exc:
        raise _fail(f"{output}: cannot write ({exc})") from exc
    _say(f"{count} records written to {output}")


@app.command(name="eval")
def evaluate(
    corpora: Annotated[list[Path], typer.Argument(help="Corpus folders, each with gold/ and articles.jsonl.")],
    folds: Annotated[int, typer.Option("--folds", help="Cross-validate by article in K folds (0: score the "
                                       "shipped weights, only honest on articles they were not fitted on).")] = 0,
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List every false positive and negative.")] = False,
    floors: Annotated[Path | None, typer.Option(help="JSON file of minimum figures; exit 1 when below any.")] = None,
    graph: Annotated[bool, typer.Option("--graph", help="Also score the resolved graph: store the same claims in "
                                        "a fresh database and compare its moves with the gold of all articles, "
                                        "per person; exit 1 when a move says what no claim states.")] = False,
    seeds: Annotated[int, typer.Option("--seeds", help="With --folds: cross-validate again with forest seeds "
                                       "1..N-1 and print each overall figure and their mean (the figures "
                                       "above and the floors are seed 0's, the shipped seed).")] = 1,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.table,
) -> None:
    """Score the extractor against gold labels: precision, recall and F1 for left, joined, founded,
    overall and per corpus. With --folds K, fit the scorer on K-1 folds of the articles and score the
    fold left out, K times, so that no article is scored by a model fitted on it. The forest's seed
    moves F1 by about .004: judge a change with --seeds 4.

    Example: [bold]talentflow eval --folds 5 ../shared/corpus/train ../shared/corpus/dev[/bold]
    """
    from talentflow.evaluate import score
    from talentflow.extract import Extractor
    from talentflow.extract.train import (
        blank_scorer,
        candidate_recall,
        cross_validate,
        load_corpus,
        merged_gold,
        prepare,
    )

    try:
        loaded = [load_corpus(path) for path in corpora]
    except (ValueError, KeyError) as exc:
        raise _fail(str(exc)) from exc
    if graph:  # articles dated as an ingest dates them (URL path, dateline)
        from talentflow.ingest import with_publication_date

        loaded = [replace(c, documents=[with_publication_date(d) for d in c.documents]) for c in loaded]
    if folds == 1 or folds < 0:
        raise _fail(f"--folds {folds}: give 0 (no cross-validation) or at least 2")
    if seeds < 1 or (seeds > 1 and not folds):
        raise _fail(f"--seeds {seeds}: give 1, or more with --folds")
    # Cross-validation fits its own models on every feature function there is, as `train` does.
    extractor = Extractor(scorer=blank_scorer()) if folds else Extractor()
    with _progress() as progress:
        task = progress.add_task("parsing articles", total=sum(len(c.documents) for c in loaded))
        docs = prepare(loaded, extractor, lambda n: progress.advance(task, n))
    by_seed: list[dict] = []
    if folds:
        cv = cross_validate(docs, loaded, extractor, folds)
        report, per_corpus, reliability, recall = cv.overall, cv.per_corpus, cv.reliability, cv.candidate_recall
        by_seed = [report.as_dict()] + [cross_validate(docs, loaded, extractor, folds, seed=s).overall.as_dict()
                                        for s in range(1, seeds)]
    else:
        claims: dict[str, Iterable[Claim]] = {f"{d.corpus}/{d.doc}": extractor.decide(d.candidates).claims
                                              for d in docs}
        per_corpus = {c.name: score(c.gold, {doc: claims.get(f"{c.name}/{doc}", []) for doc in c.gold},
                                    extractor.gazetteer) for c in loaded}
        report, reliability = score(merged_gold(loaded), claims, extractor.gazetteer), []
        recall = candidate_recall(docs, extractor.gazetteer)
    # The graph is scored on the claims just scored, so one cross-validation gives both.
    resolved = _score_graph(loaded, cv.claims if folds else claims) if graph else None
    figures = report.as_dict()
    if format is ExtractFormat.jsonl:
        sys.stdout.write(json.dumps({
            "scores": figures, "per_corpus": {n: r.as_dict() for n, r in per_corpus.items()},
            "claims_on_negative_docs": report.claims_on_negative_docs, "folds": folds,
            "candidate_recall": {"reached": recall[0], "items": recall[1]},
            "reliability": [{"low": lo, "high": hi, "right": ok, "claims": n} for lo, hi, ok, n in reliability],
            **({"seeds": [{"seed": s, "scores": f} for s, f in enumerate(by_seed)]} if seeds > 1 else {}),
            **({"graph": resolved.report.as_dict(), "moves": resolved.moves, "unsupported": resolved.unsupported}
               if resolved else {}),
        }) + "\n")
    else:
        if show_errors:
            _print_errors(report)
        how = f"cross-validated in {folds} folds" if folds else "shipped weights"
        _print_scores(figures, f"extraction on {len(docs)} documents ({how})")
        if len(per_corpus) > 1:
            for name, r in per_corpus.items():
                _print_scores(r.as_dict(), f"corpus {name}")
        if reliability:
            table = Table("confidence", "claims", "right", "share right", title="reliability of claimed items")
            for lo, hi, ok, n in reliability:
                table.add_row(f"{lo:.1f}-{hi:.1f}", str(n), str(ok), f"{ok / n:.2f}")
            out.print(table)
        _say(f"candidate recall: {recall[0]} of {recall[1]} gold items reachable as a candidate "
             f"({recall[0] / max(recall[1], 1):.1%})")
        negatives = ", ".join(f"{d}={n}" for d, n in sorted(report.claims_on_negative_docs.items()))
        _say(f"claims on negative documents: {negatives or 'none in gold'}")
        if seeds > 1:
            _print_seeds(by_seed)
        if resolved:
            how = f"claims cross-validated in {folds} folds" if folds else "claims of the shipped weights"
            _print_scores(resolved.report.as_dict(),
                          f"resolved graph: {resolved.moves} moves ({how}), against the gold per person")
            _say(f"moves that say what no claim states: {len(resolved.unsupported)}")
            for bad in resolved.unsupported[:20]:
                _say(f"  move {bad['move']} ({bad['person']}): {bad['why']}")
    failures = _check_floors(figures, report.claims_on_negative_docs, floors) if floors else []
    for line in failures:
        _error(line, "below floor:")
    if failures or (resolved and resolved.unsupported):
        raise typer.Exit(1)


def _print_seeds(by_seed: list[dict]) -> None:
    """Overall P/R/F1 and each type's F1 per forest seed, and their mean."""
    columns = [("overall", "precision"), ("overall", "recall"), ("overall", "f1"),
               ("left", "f1"), ("joined", "f1"), ("founded", "f1")]
    table = Table("seed", "precision", "recall", "F1", "left F1", "joined F1", "founded F1",
                  title=f"cross-validated over {len(by_seed)} forest seeds")
    for seed, figures in enumerate(by_seed):
        table.add_row(str(seed), *(f"{figures[t][m]:.3f}" for t, m in columns))
    table.add_row("mean", *(f"{sum(f[t][m] for f in by_seed) / len(by_seed):.3f}" for t, m in columns))
    out.print(table)


def _score_graph(corpora: list[Corpus], claims: dict[str, Iterable[Claim]]) -> GraphReport:
    """Store each article with its claims in a fresh SQLite file and score the resolved graph."""
    import tempfile

    from talentflow.evaluate import score_graph
    from talentflow.extract.train import merged_gold
    from talentflow.store import Store

    with tempfile.TemporaryDirectory() as folder:
        store = Store(str(Path(folder) / "graph.db"))
        for corpus in corpora:
            for document in corpus.documents:
                name = f"{corpus.name}/{document.label or document.id}"
                store.save(document, list(claims.get(name, [])))
        result = score_graph(merged_gold(corpora), store)
        store.close()
    return result


def _print_scores(figures: dict[str, dict[str, Any]], title: str) -> None:
    from talentflow.evaluate import TYPES

    table = Table("type", "precision", "recall", "F1", "TP", "FP", "FN", title=title)
    for name in (*TYPES, "overall"):
        f = figures[name]
        table.add_row(name, f"{f['precision']:.3f}", f"{f['recall']:.3f}", f"{f['f1']:.3f}", str(f["tp"]),
                      str(f["fp"]), str(f["fn"]))
    out.print(table)


@app.command()
def train(
    corpora: Annotated[list[Path], typer.Argument(help="Corpus folders, each with gold/ and articles.jsonl.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Where to write the weights "
                                                "(default: the package's data/scorer.json).")] = None,
) -> None:
    """Fit the scorer on labelled corpora and write its weights as JSON (no pickle): what
    extraction loads. The same corpora give the same weights.

    Example: [bold]talentflow train ../shared/corpus/train ../shared/corpus/dev[/bold]
    """
    from importlib import resources

    from talentflow.extract import Extractor
    from talentflow.extract.train import C, blank_scorer, fit, load_corpus, prepare

    try:
        loaded = [load_corpus(path) for path in corpora]
    except (ValueError, KeyError) as exc:
        raise _fail(str(exc)) from exc
    extractor = Extractor(scorer=blank_scorer())
    with _progress() as progress:
        task = progress.add_task("parsing articles", total=sum(len(c.documents) for c in loaded))
        docs = prepare(loaded, extractor, lambda n: progress.advance(task, n))
    meta = {"corpora": {c.name: len(c.documents) for c in loaded}, "C": C}
    scorer = fit(docs, meta=meta)
    target = output or Path(str(resources.files("talentflow.data").joinpath("scorer.json")))
    scorer.save(target)
    _say(f"fitted a {scorer.meta['model']} model per type on {len(docs)} articles; written to {target}")


def _print_errors(report) -> None:  # type: ignore[no-untyped-def]
    for label, items in (("false positive", report.false_positives), ("false negative", report.false_negatives)):
        for i in items:
            _say(f"{label}: {i.doc} {i.type} {i.person} | {i.org}{' / ' + i.unit if i.unit else ''} | {i.evidence}")


def _check_floors(figures: dict, negatives: dict[str, int], path: Path) -> list[str]:
    try:
        wanted = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"{path}: cannot read floors ({exc})") from exc
    failures = []
    for name, metrics in wanted.items():
        if name.startswith("_"):
            continue
        if name == "max_claims_on_negative_docs":
            total = sum(negatives.values())
            if total > metrics:
                failures.append(f"{total} claims on negative documents (at most {metrics})")
            continue
        for metric, floor in metrics.items():
            value = figures.get(name, {}).get(metric)
            if value is None or value < floor:
                failures.append(f"{name} {metric} {value} < {floor}")
    return failures


watchlist_app = typer.Typer(help="What you want to hear about: moves of an organization, a person, a cohort, "
                             "or any moves query, told by webhook, e-mail, Atom feed and `talentflow alerts`.",
                             no_args_is_help=True)
app.add_typer(watchlist_app, name="watchlist")


@watchlist_app.command("add")
def watchlist_add(
    name: Annotated[str, typer.Argument(help="A name for the watchlist, such as deepmind-departures.")],
    org: Annotated[str | None, typer.Option(help="Moves into or out of this organization or its units.")] = None,
    person: Annotated[str | None, typer.Option(help="Moves of this person.")] = None,
    cohort: Annotated[str | None, typer.Option(help="Moves of the members of this cohort.")] = None,
    query: Annotated[str | None, typer.Option(
        "--query", help='A moves query: "moves --org Meta --kind left" (--org, --person, --cohort, --kind '
        'left|joined|founded, --status).')] = None,
    webhook: Annotated[str | None, typer.Option(help="POST each alert as signed JSON to this URL.")] = None,
    email: Annotated[str | None, typer.Option(help="E-mail each alert to this address.")] = None,
    db: DbOption = None,
) -> None:
    """Watch for new moves, new sources, status changes and denials that match the filters. The
    watchlist hears of what is stored from now on.

    Example: [bold]talentflow watchlist add meta-exits --query "moves --org Meta --kind left" --email me@x.org[/bold]
    """
    from talentflow.alerts import add_watchlist, parse_query

    store = _open_store(db)
    try:
        filters = parse_query(query) if query else {}
        filters.update({k: v for k, v in (("org", org), ("person", person), ("cohort", cohort)) if v})
        watchlist = add_watchlist(store, name, filters, webhook, email)
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    channels = ", ".join(c for c in (watchlist.webhook and "webhook", watchlist.email and "e-mail") if c)
    _say(f"watchlist {watchlist.name}: {watchlist.description}" + (f" (told by {channels})" if channels else ""))


@watchlist_app.command("list")
def watchlist_list(format: FormatOption = Format.table, db: DbOption = None) -> None:
    """The watchlists and what each watches."""
    from talentflow.alerts import list_watchlists

    found = list_watchlists(_open_store(db))
    if format is not Format.table:
        _write_records([w.to_json() for w in found], format)
        return
    table = Table("watchlist", "watches", "webhook", "e-mail", "created")
    for w in found:
        table.add_row(w.name, w.description, w.webhook or "", w.email or "", w.created_at)
    out.print(table)


@watchlist_app.command("remove")
def watchlist_remove(name: Annotated[str, typer.Argument(help="The watchlist's name.")], db: DbOption = None) -> None:
    """Remove a watchlist with its alerts."""
    from talentflow.alerts import remove_watchlist

    store = _open_store(db)
    with _known_names():
        remove_watchlist(store, name)
    _say(f"watchlist {name} removed")


WebhookSecretOption = Annotated[str | None, typer.Option(
    "--webhook-secret", envvar="TALENTFLOW_WEBHOOK_SECRET", show_envvar=True,
    help="The shared secret webhooks are signed with (HMAC-SHA256, X-Talentflow-Signature).")]
SmtpOption = Annotated[str | None, typer.Option(
    "--smtp", envvar="TALENTFLOW_SMTP", show_envvar=True,
    help="The mail server: smtp://[USER:PASSWORD@]HOST[:PORT], smtp+starttls://... or smtps://...")]
MailFromOption = Annotated[str, typer.Option("--mail-from", envvar="TALENTFLOW_MAIL_FROM",
                                             help="The sender of alert e-mails.")]
BaseUrlOption = Annotated[str | None, typer.Option(
    "--base-url", envvar="TALENTFLOW_BASE_URL", help="Where `talentflow serve` is reached, for links in alerts.")]
AllowPrivateOption = Annotated[list[str] | None, typer.Option(
    "--allow-private", metavar="HOST[:PORT]", show_default=False,
    help="Fetch from (or post to) this host although it has a private or loopback address. Repeatable.")]


def _channels(webhook_secret: str | None, smtp: str | None, mail_from: str, base_url: str | None,
              allow_private: list[str] | None, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    from talentflow.ingest import FetchPolicy
    from talentflow.notify import Channels, SmtpServer

    try:
        server = SmtpServer.from_url(smtp) if smtp else None
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    return Channels(webhook_secret or None, server, mail_from, FetchPolicy(
        timeout=timeout, allow_private=tuple(allow_private or ())), base_url=base_url)


@app.command()
def alerts(
    watchlist: Annotated[str | None, typer.Option(help="Only this watchlist's alerts.")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first; 0 for all.")] = 50,
    send: Annotated[bool, typer.Option("--send", help="First record alerts of what was stored and send every "
                                       "pending delivery (what a stopped watch left).")] = False,
    retry_failed: Annotated[bool, typer.Option("--retry-failed", help="With --send, try again the deliveries "
                                               "given up on.")] = False,
    webhook_secret: WebhookSecretOption = None,
    smtp: SmtpOption = None,
    mail_from: MailFromOption = "talentflow@localhost",
    base_url: BaseUrlOption = None,
    allow_private: AllowPrivateOption = None,
    format: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """The alerts recorded for watchlists, newest first, each with its sentence, source and where
    its deliveries stand.

    Example: [bold]talentflow alerts --watchlist meta-exits --send[/bold]
    """
    from talentflow.alerts import list_alerts, record_alerts

    store = _open_store(db)
    if send:
        from talentflow.notify import deliver_pending

        recorded = record_alerts(store)
        report = deliver_pending(store, _channels(webhook_secret, smtp, mail_from, base_url, allow_private),
                                 retry_failed=retry_failed)
        for error in report.errors:
            _error(error)
        _say(f"{recorded} new alerts; {report.line()}")
    with _known_names():
        rows = list_alerts(store, watchlist, limit=limit or None)
    if format is not Format.table:
        _write_records(rows, format)
        return
    table = Table("when", "watchlist", "alert", "status", "evidence", "delivered", show_lines=True,
                  title=f"{len(rows)} alerts")
    for r in rows:
        source = r["evidence"]["url"] or r["evidence"]["title"] or r["evidence"]["document"]
        table.add_row(r["created_at"][:16].replace("T", " "), r["watchlist"], r["summary"], r["status"],
                      f"\u201c{r['evidence']['text']}\u201d ({source})",
                      ", ".join(f"{c}: {s}" for c, s in sorted(r["deliveries"].items())))
    out.print(table)


@app.command()
def digest(
    since: Annotated[str, typer.Option(help="The period: 7d, 24h, 2w ...")] = "7d",
    watchlist: Annotated[str | None, typer.Option(help="Only moves this watchlist watches.")] = None,
    email: Annotated[str | None, typer.Option(help="Mail the digest to this address instead of printing it.")] = None,
    smtp: SmtpOption = None,
    mail_from: MailFromOption = "talentflow@localhost",
    format: Annotated[Format, typer.Option("--format", "-f", help="table (text) or jsonl.")] = Format.table,
    db: DbOption = None,
) -> None:
    """What the period brought: new moves by organization, net flows and new foundings, each line
    with its source.

    Example: [bold]talentflow digest --since 7d --watchlist meta-exits[/bold]
    """
    import datetime

    from talentflow.alerts import digest as make_digest
    from talentflow.alerts import digest_text
    from talentflow.durations import parse_duration

    try:
        period = datetime.timedelta(seconds=parse_duration(since, "a period"))
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    store = _open_store(db)
    with _known_names():
        found = make_digest(store, period, watchlist)
    if email:
        from talentflow.notify import send_digest

        error = send_digest(_channels(None, smtp, mail_from, None, None), email, found)
        if error:
            raise _fail(error, 1)
        _say(f"digest of {found['moves']} moves sent to {email}")
        return
    if format is Format.jsonl:
        _write_jsonl([found])
        return
    out.print(digest_text(found), end="")


@app.command()
def watch(
    urls: Annotated[list[str] | None,
                    typer.Argument(help="Feeds, pages or URL lists to poll.", show_default=False)] = None,
    sources: Annotated[Path | None, typer.Option(
        "--sources", help="A file of sources: one URL per line, optionally with its own interval (URL 1h).")] = None,
    every: Annotated[str, typer.Option("--every", help="How often to poll each source: 30s, 15m, 2h, 1d.")] = "15m",
    once: Annotated[bool, typer.Option("--once", help="Poll what is due once and exit (for cron).")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Parse with this many processes.")] = 1,
    allow_private: AllowPrivateOption = None,
    timeout: Annotated[float, typer.Option("--timeout", min=0.1, help="Seconds to wait for a server.")] = 20.0,
    rate: Annotated[float, typer.Option("--rate", min=0.01, help="Requests per second to any one host.")] = 1.0,
    webhook_secret: WebhookSecretOption = None,
    smtp: SmtpOption = None,
    mail_from: MailFromOption = "talentflow@localhost",
    base_url: BaseUrlOption = None,
    db: DbOption = None,
) -> None:
    """Poll sources on a schedule, ingest what is new and send the alerts it makes; one line per
    poll. Runs until stopped (SIGTERM or Ctrl-C stop it between documents); a restart resumes where
    it stopped. Conditional requests, per-host rate limits and backoff on failures keep it polite.

    Example: [bold]talentflow watch --sources feeds.txt --every 15m --db talent.db[/bold]
    """
    import signal
    import threading

    from talentflow.durations import parse_duration
    from talentflow.ingest import FetchPolicy, IngestOptions
    from talentflow.watch import Source, Watcher, read_sources

    try:
        interval = parse_duration(every, "an interval")
        found = [Source(u, interval) for u in urls or []] + (read_sources(sources, interval) if sources else [])
    except ValueError as exc:
        raise _fail(str(exc)) from exc
    if not found:
        raise _fail("nothing to watch: give URLs or --sources FILE")
    from talentflow.ingest import is_url

    bad = [s.url for s in found if not is_url(s.url)]
    if bad:
        raise _fail(f"{bad[0]}: not an http(s) URL")
    store = _open_store(db)
    stop = threading.Event()

    def stop_soon(signum: int, _frame: object) -> None:
        if not stop.is_set():
            _say(f"{signal.Signals(signum).name}: stopping after the current document")
        stop.set()

    signal.signal(signal.SIGTERM, stop_soon)
    signal.signal(signal.SIGINT, stop_soon)
    options = IngestOptions(fetch=FetchPolicy(timeout=timeout, rate=rate, allow_private=tuple(allow_private or ())))
    watcher = Watcher(store, found, options, _channels(webhook_secret, smtp, mail_from, base_url, allow_private,
                                                       timeout), jobs, say=_log, stop=stop)
    _say(f"watching {len(found)} sources (database: {store.display_url})"
         + ("" if once else "; SIGTERM or Ctrl-C stops"))
    failed = watcher.run(once=once)
    store.close()
    _say("stopped" if stop.is_set() else "done")
    if once and failed:
        raise typer.Exit(1)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Address to listen on; other than 127.0.0.1 exposes the app "
                                      "to your network.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes answering requests "
                                         "(about one per core).")] = 1,
    allowed_host: Annotated[list[str] | None, typer.Option(
        "--allowed-host", help="Another name clients use for this server (the Host header); repeatable. "
        "Requests naming any other host are refused.", show_default=False)] = None,
    db: DbOption = None,
) -> None:
    """Serve the web app and the JSON API (OpenAPI at /openapi.json) over the database. Reading is
    open; reviews need the token in $TALENTFLOW_TOKEN. Only requests for this server's own names
    are answered (the listening address, plus --allowed-host).

    Example: [bold]TALENTFLOW_TOKEN=secret talentflow serve --db demo.db[/bold]
    """
    from talentflow.store import DB_ENV
    from talentflow.web.app import HOSTS_ENV, TOKEN_ENV, allowed_hosts_for

    store = _open_store(db)  # migrate once, here, before any worker starts
    from talentflow.web.jobs import interrupt_unfinished

    interrupt_unfinished(store)
    hosts = allowed_hosts_for(host, allowed_host or ())
    os.environ[DB_ENV], os.environ[HOSTS_ENV] = store.url, ",".join(hosts)
    store.close()
    shown = f"[{host}]" if ":" in host else host
    writes = "reviews enabled" if os.environ.get(TOKEN_ENV) else f"read-only: set {TOKEN_ENV} to allow reviews"
    _say(f"talentflow is serving http://{shown}:{port} (database: {store.display_url}; {writes}; "
         f"{workers} worker{'s' if workers > 1 else ''}). Press Ctrl-C to stop.")
    if host not in ("127.0.0.1", "localhost", "::1"):
        _error(f"listening on {host}: anyone who can reach this address can read the database", "warning:", "yellow")
    from talentflow.web.app import run_server

    try:
        run_server(host, port, workers)
    except OSError as exc:
        raise _fail(f"cannot listen on {host}:{port} ({exc.strerror or exc})") from exc


if __name__ == "__main__":  # pragma: no cover
    app()
