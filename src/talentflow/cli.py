"""The talentflow command line: a thin layer over ingest, extract, store and query.

Output a person reads is a Rich table; output for a program is JSON Lines (``--format jsonl``).
"""

from __future__ import annotations

import csv
import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from talentflow import __version__
from talentflow.models import ALL_STATUSES, FACT_STATUSES, Claim, Document

app = typer.Typer(
    name="talentflow",
    help="Turn news about people changing jobs into an evidence-backed database of talent moves.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
)
out = Console(width=None if sys.stdout.isatty() else 220)
err = Console(stderr=True, soft_wrap=True)

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


def _fail(message: str, code: int = 2) -> typer.Exit:
    err.print(f"[red]error:[/red] {message}", highlight=False, markup=True)
    return typer.Exit(code)


def _open_store(db: str | None):  # type: ignore[no-untyped-def]
    from talentflow.store import Store

    try:
        return Store(db)
    except Exception as exc:  # a bad URL, an unreachable server, a file we cannot write
        raise _fail(f"{db or 'database'}: cannot open database ({type(exc).__name__}: {exc})".splitlines()[0]) from exc


def _progress() -> Progress:
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
    from talentflow.ingest import JSONL_SUFFIXES, TEXT_SUFFIXES

    total = 0
    for raw in paths:
        p = Path(raw)
        if p.is_dir():
            suffixes = [f.suffix.lower() for f in p.rglob("*")]
            if any(s in JSONL_SUFFIXES for s in suffixes):
                return None  # records per file are unknown until read
            total += sum(1 for s in suffixes if s in TEXT_SUFFIXES)
        elif p.suffix.lower() in JSONL_SUFFIXES:
            return None
        else:
            total += 1
    return total


@app.callback(invoke_without_command=True)
def main(
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.")] = False,
) -> None:
    if version:
        out.print(f"talentflow {__version__}")
        raise typer.Exit()


@app.command()
def ingest(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .md, .jsonl) or directories, read recursively.")],
    db: DbOption = None,
) -> None:
    """Read articles, extract their claims and store both. Re-ingesting the same text changes nothing.

    Example: [bold]talentflow ingest articles/ more.jsonl --db talent.db[/bold]
    """
    from talentflow.extract import Extractor
    from talentflow.ingest import IngestError, iter_documents

    store = _open_store(db)
    extractor: Extractor | None = None
    new = unchanged = failed = found = 0
    with _progress() as progress:
        task = progress.add_task("ingesting", total=_count_inputs(paths))
        for item in iter_documents(paths):
            progress.advance(task)
            if isinstance(item, IngestError):
                failed += 1
                err.print(f"[red]error:[/red] {item}", highlight=False)
                continue
            if store.has_document(item.id):
                unchanged += 1
                continue
            extractor = extractor or Extractor()
            try:
                claims = extractor.extract(item)
                result = store.save(item, claims)
            except Exception as exc:  # one bad document must not stop the batch
                failed += 1
                err.print(f"[red]error:[/red] {item.label}: {type(exc).__name__}: {exc}", highlight=False)
                continue
            if result.new:
                new += 1
                found += result.claims
            else:
                unchanged += 1
    out.print(
        f"{new} new, {unchanged} unchanged, {failed} failed documents; {found} claims found (database: {store.url})",
        highlight=False,
    )
    store.close()
    if failed:
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
) -> None:
    """Print the claims found in articles, without a database (the contract is in the README).

    Example: [bold]talentflow extract article.txt --format jsonl[/bold]
    """
    from talentflow.extract import Extractor
    from talentflow.ingest import IngestError, iter_documents

    extractor = Extractor()
    statuses = ALL_STATUSES if all_statuses else FACT_STATUSES
    failed = 0
    rows: list[Claim] = []
    for item in iter_documents(paths):
        if isinstance(item, IngestError):
            failed += 1
            err.print(f"[red]error:[/red] {item}", highlight=False)
            continue
        for claim in extractor.extract(item):
            if claim.status not in statuses:
                continue
            if format is ExtractFormat.jsonl:
                sys.stdout.write(json.dumps(claim.to_contract(), ensure_ascii=False) + "\n")
            else:
                rows.append(claim)
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
                c.doc,
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
    if failed:
        raise typer.Exit(1)


@app.command()
def explain(
    paths: Annotated[list[str], typer.Argument(help="Files (.txt, .md, .jsonl) or directories.")],
) -> None:
    """Show, for each sentence that produced or nearly produced a claim, which rule fired and why
    it was kept or dropped.

    Example: [bold]talentflow explain article.txt[/bold]
    """
    from talentflow.extract import Extractor
    from talentflow.ingest import IngestError, iter_documents

    extractor = Extractor()
    for item in iter_documents(paths):
        if isinstance(item, IngestError):
            err.print(f"[red]error:[/red] {item}", highlight=False)
            continue
        table = Table("rule", "trigger", "kept", "why", "claim", title=item.label, show_lines=True)
        last = None
        for trace in extractor.run(item).traces:
            if trace.sentence != last:
                table.add_row("", "", "", "", f"[dim]{_escape(trace.sentence)}[/dim]")
                last = trace.sentence
            claim = trace.claim
            desc = (
                ""
                if claim is None
                else (
                    f"{claim.kind} {claim.person}: {_org_unit(claim.from_org, claim.from_unit) or '-'} -> "
                    f"{_org_unit(claim.to_org, claim.to_unit) or '-'} ({claim.status}, {claim.date or 'no date'})"
                )
            )
            table.add_row(
                trace.rule, trace.trigger, "yes" if trace.kept else "no", _escape(trace.reason), _escape(desc)
            )
        out.print(table)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def _org_unit(org: str | None, unit: str | None) -> str:
    if not org:
        return ""
    return f"{org} ({unit})" if unit else org


def _write_rows(rows: list[dict[str, Any]], format: Format, title: str) -> None:
    if format is Format.jsonl:
        for r in rows:
            sys.stdout.write(json.dumps(r, ensure_ascii=False) + "\n")
        return
    if format is Format.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(
            [
                "id",
                "kind",
                "person",
                "from_org",
                "from_unit",
                "to_org",
                "to_unit",
                "role",
                "date",
                "status",
                "sources",
                "first_seen",
                "evidence",
                "source_url",
            ]
        )
        for r in rows:
            ev = r["evidence"][0] if r["evidence"] else {}
            writer.writerow(
                [
                    r["id"],
                    r["kind"],
                    r["person"],
                    r["from_org"],
                    r["from_unit"],
                    r["to_org"],
                    r["to_unit"],
                    r["role"],
                    r["date"],
                    r["status"],
                    r["sources"],
                    r["first_seen"],
                    ev.get("text"),
                    ev.get("url"),
                ]
            )
        return
    table = Table("date", "person", "from", "to", "kind", "status", "src", "evidence", title=title, show_lines=True)
    for r in rows:
        ev = r["evidence"][0] if r["evidence"] else {}
        source = ev.get("url") or ev.get("doc") or ""
        table.add_row(
            r["date"] or "",
            r["person"],
            _org_unit(r["from_org"], r["from_unit"]),
            _org_unit(r["to_org"], r["to_unit"]),
            "founded" if r["kind"] == "founding" else "move",
            r["status"],
            str(r["sources"]),
            _escape(f"“{ev.get('text', '')}” — {source}"),
        )
    out.print(table)


@app.command()
def moves(
    org: Annotated[str | None, typer.Option(help="Only moves into or out of this organization or its units.")] = None,
    person: Annotated[str | None, typer.Option(help="Only this person (name, any case or accents).")] = None,
    since: Annotated[str | None, typer.Option(help="From this date on (YYYY, YYYY-MM or YYYY-MM-DD).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this date, inclusive.")] = None,
    all_statuses: Annotated[bool, typer.Option("--all-statuses", help="Include rumoured and denied moves.")] = False,
    limit: Annotated[int | None, typer.Option(help="At most this many rows.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    db: DbOption = None,
) -> None:
    """List moves (and foundings), newest first, each with its evidence.

    Example: [bold]talentflow moves --org Meta --since 2025-01 --format csv[/bold]
    """
    from talentflow.query import list_moves

    for value, name in ((since, "--since"), (until, "--until")):
        if value and not _valid_date(value):
            raise _fail(f"{name} {value!r}: not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    store = _open_store(db)
    rows = list_moves(
        store,
        org=org,
        person=person,
        since=since,
        until=until,
        limit=limit,
        statuses=ALL_STATUSES if all_statuses else FACT_STATUSES,
    )
    _write_rows(rows, format, f"{len(rows)} moves")


def _valid_date(value: str) -> bool:
    import re

    return bool(re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", value))


@app.command()
def person(
    name: Annotated[str, typer.Argument(help="The person's name; case and accents are ignored.")],
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    db: DbOption = None,
) -> None:
    """A person's moves and foundings in time order, each with its evidence.

    Example: [bold]talentflow person "Ruoming Pang"[/bold]
    """
    from talentflow.query import person_moves

    store = _open_store(db)
    rows = person_moves(store, name)
    if not rows:
        raise _fail(f"{name}: no such person in {store.url}", code=1)
    _write_rows(rows, format, f"{rows[0]['person']}: {len(rows)} moves")


@app.command()
def org(
    name: Annotated[str, typer.Argument(help="Organization name or alias (Facebook = Meta).")],
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    db: DbOption = None,
) -> None:
    """Who joined, who left and who founded an organization (its units included), with evidence.

    Example: [bold]talentflow org Meta[/bold]
    """
    from talentflow.query import org_report

    store = _open_store(db)
    report = org_report(store, name)
    if not (report["joined"] or report["left"] or report["founded"]):
        raise _fail(f"{name}: no moves into or out of this organization in {store.url}", code=1)
    if format is Format.table:
        if report["units"]:
            out.print(f"Units of {report['org']}: {', '.join(report['units'])}", highlight=False)
        for section in ("joined", "left", "founded"):
            if report[section]:
                _write_rows(report[section], format, f"{section} {report['org']}: {len(report[section])}")
        return
    rows = [dict(r, relation=section) for section in ("joined", "left", "founded") for r in report[section]]
    _write_rows(rows, format, report["org"])


@app.command()
def flows(
    limit: Annotated[int, typer.Option(help="How many organizations in each list.")] = 10,
    format: Annotated[Format, typer.Option("--format", "-f")] = Format.table,
    db: DbOption = None,
) -> None:
    """Organizations with the largest inflow and outflow of people.

    Example: [bold]talentflow flows --limit 5[/bold]
    """
    from talentflow.query import top_flows

    store = _open_store(db)
    result = top_flows(store, limit)
    if format is not Format.table:
        rows = [dict(r, list=name) for name in ("inflow", "outflow") for r in result[name]]
        if format is Format.jsonl:
            for r in rows:
                sys.stdout.write(json.dumps(r) + "\n")
        else:
            writer = csv.DictWriter(sys.stdout, fieldnames=["list", "org", "inflow", "outflow", "net"])
            writer.writeheader()
            writer.writerows(rows)
        return
    for name in ("inflow", "outflow"):
        table = Table("organization", "in", "out", "net", title=f"largest {name}")
        for r in result[name]:
            table.add_row(r["org"], str(r["inflow"]), str(r["outflow"]), f"{r['net']:+d}")
        out.print(table)


@app.command(name="eval")
def evaluate(
    gold_dir: Annotated[Path, typer.Argument(help="Folder of *.gold.json files.")],
    articles: Annotated[Path, typer.Argument(help="The articles as JSON Lines {id, text, url?, published?}.")],
    show_errors: Annotated[bool, typer.Option("--show-errors", help="List every false positive and negative.")] = False,
    floors: Annotated[Path | None, typer.Option(help="JSON file of minimum figures; exit 1 when below any.")] = None,
    format: Annotated[ExtractFormat, typer.Option("--format", "-f")] = ExtractFormat.table,
) -> None:
    """Score the extractor against gold labels: precision, recall and F1 for left, joined, founded.

    Example: [bold]talentflow eval ../shared/corpus/dev/gold ../shared/corpus/dev/articles.jsonl[/bold]
    """
    from talentflow.evaluate import TYPES, load_gold, score
    from talentflow.extract import Extractor
    from talentflow.ingest import IngestError, read_jsonl

    if not gold_dir.is_dir():
        raise _fail(f"{gold_dir}: not a directory of gold files")
    if not articles.is_file():
        raise _fail(f"{articles}: no such file")
    try:
        gold = load_gold(gold_dir)
    except (ValueError, KeyError) as exc:
        raise _fail(str(exc)) from exc
    extractor = Extractor()
    documents: list[Document] = []
    for item in read_jsonl(articles):
        if isinstance(item, IngestError):
            err.print(f"[red]error:[/red] {item}", highlight=False)
        else:
            documents.append(item)
    claims_by_doc = {d.label or d.id: c.claims for d, c in extractor.pipe(documents)}
    report = score(gold, claims_by_doc, extractor.gazetteer)
    figures = report.as_dict()
    if format is ExtractFormat.jsonl:
        sys.stdout.write(
            json.dumps({"scores": figures, "claims_on_negative_docs": report.claims_on_negative_docs}) + "\n"
        )
    else:
        if show_errors:
            _print_errors(report)
        table = Table(
            "type", "precision", "recall", "F1", "TP", "FP", "FN", title=f"extraction on {len(documents)} documents"
        )
        for name in (*TYPES, "overall"):
            f = figures[name]
            table.add_row(
                name,
                f"{f['precision']:.3f}",
                f"{f['recall']:.3f}",
                f"{f['f1']:.3f}",
                str(f["tp"]),
                str(f["fp"]),
                str(f["fn"]),
            )
        out.print(table)
        negatives = ", ".join(f"{d}={n}" for d, n in sorted(report.claims_on_negative_docs.items()))
        out.print(f"claims on negative documents: {negatives or 'none in gold'}", highlight=False)
    if floors:
        failures = _check_floors(figures, report.claims_on_negative_docs, floors)
        for line in failures:
            err.print(f"[red]below floor:[/red] {line}", highlight=False)
        if failures:
            raise typer.Exit(1)


def _print_errors(report) -> None:  # type: ignore[no-untyped-def]
    for label, items in (("false positive", report.false_positives), ("false negative", report.false_negatives)):
        for i in items:
            out.print(
                f"{label}: {i.doc} {i.type} {i.person} | {i.org}{' / ' + i.unit if i.unit else ''} | {i.evidence}",
                highlight=False,
                markup=False,
            )


def _check_floors(figures: dict, negatives: dict[str, int], path: Path) -> list[str]:
    try:
        wanted = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise _fail(f"{path}: cannot read floors ({exc})") from exc
    failures = []
    for name, metrics in wanted.items():
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


if __name__ == "__main__":  # pragma: no cover
    app()
