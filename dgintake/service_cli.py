"""The service commands of SERVICE.md: drop, intake, queue, show, nightly, db upgrade,
and deploy for a real Prefect server. Each takes `--json`; tables otherwise."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

db_app = typer.Typer(help="The database.", no_args_is_help=True)
err = Console(stderr=True)


def _print_json(payload) -> None:
    sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")


def _settings():
    from dgintake.settings import get_settings

    return get_settings()


def _fail(message: str, code: int = 1):
    err.print(f"dgintake: {message}")
    raise typer.Exit(code)


def drop(
    paths: Annotated[list[Path], typer.Argument(help="Packets: folders, zips, PDFs, images, Word or Excel files")],
    name: Annotated[Optional[str], typer.Option("--name", help="Name under incoming/ (one packet only)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Upload packets into incoming/ (a folder's files first, its _READY last)."""
    from dgintake.intake import drop as drop_packet
    from storage.objects import StoreError, open_store

    if name and len(paths) > 1:
        _fail("--name names one packet; give one PATH", 2)
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        _fail(f"no such file or folder: {', '.join(missing)}", 2)
    try:
        store = open_store(_settings())
        dropped = [{"key": k, "bytes": n} for path in paths for k, n in drop_packet(store, path, name)]
    except StoreError as exc:
        _fail(str(exc))
    if as_json:
        _print_json({"dropped": dropped})
        return
    table = Table("key", "bytes")
    for item in dropped:
        table.add_row(item["key"], str(item["bytes"]))
    Console().print(table)


def intake(
    once: Annotated[bool, typer.Option("--once", help="Drain incoming/ and exit")] = False,
    poll: Annotated[float, typer.Option("--poll", help="Seconds between polls")] = 10.0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Find what is ready in incoming/, register it exactly once, process it, queue it."""
    from flows import progress as flow_progress

    quiet = as_json or not sys.stderr.isatty()
    bar = Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err,
        disable=quiet,
    )
    packets_bar = bar.add_task("packets", total=0)
    pages_bar = bar.add_task("pages read", total=0)
    reading: dict[str, tuple[int, int]] = {}  # packet -> (pages read, pages expected)

    def listen(event: str, data: dict) -> None:
        if event == "packets":
            bar.update(packets_bar, total=(bar.tasks[packets_bar].total or 0) + data["total"])
        elif event == "pages":
            reading[data["packet_id"]] = (data["read"], data["expected"])
            bar.update(pages_bar, completed=sum(r for r, _ in reading.values()), total=sum(e for _, e in reading.values()))
        elif event == "packet_done":
            bar.advance(packets_bar)

    flow_progress.set_listener(listen)
    from flows.intake import intake as intake_flow

    try:
        with bar:
            totals = intake_flow(once=once, poll_seconds=poll)
    except KeyboardInterrupt:
        raise typer.Exit(130) from None
    finally:
        flow_progress.set_listener(None)
    result = {k: totals[k] for k in ("registered", "processed", "duplicates", "failed", "rejected")}
    if as_json:
        _print_json(result)
    else:
        table = Table(*result.keys())
        table.add_row(*(str(v) for v in result.values()))
        Console().print(table)


def queue(
    status: Annotated[Optional[str], typer.Option("--status", help="Only this status (comma-separated for several)")] = None,
    limit: Annotated[int, typer.Option(help="Most rows shown")] = 200,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """The packets and their states, oldest first."""
    from storage import queries
    from storage.db import session_scope

    with session_scope(_settings().db_url) as session:
        rows = queries.queue(session, limit=limit, status=status)
        counts = queries.counts(session)
    if as_json:
        _print_json({"packets": rows, "counts": counts})
        return
    table = Table("id", "name", "status", "verdict", "codes", "received", "attempts", "duplicate of")
    for row in rows:
        table.add_row(
            row["id"], row["name"], row["status"], row["verdict"] or "", " ".join(row["codes"]),
            row["received_at"][:19], str(row["attempts"]), row["duplicate_of"] or "",
        )
    console = Console()
    console.print(table)
    console.print("  ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "no packets")


def show(
    packet_id: Annotated[str, typer.Argument(help="Packet id")],
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """One packet: its queue row, result and audit trail."""
    from storage import queries
    from storage.db import session_scope

    with session_scope(_settings().db_url) as session:
        row = queries.show(session, packet_id)
    if row is None:
        _fail(f"no packet {packet_id}", 2)
    if as_json:
        _print_json(row)
        return
    console = Console()
    console.print(f"[bold]{row['id']}[/] {row['name']}  {row['status']}  {row['verdict'] or ''}")
    if row.get("failure_reason"):
        console.print(f"failure: {row['failure_reason']}")
    if row["result"]:
        from dgintake.models import PacketResult
        from dgintake.report import print_summary

        print_summary(PacketResult.model_validate(row["result"]), console)
    events = Table("at", "actor", "action", "detail")
    for event in row["events"]:
        events.add_row(event["at"][:19], event["actor"], event["action"], json.dumps(event["detail"], ensure_ascii=False))
    console.print(events)


def nightly(
    on: Annotated[Optional[str], typer.Option("--on", help="YYYY-MM-DD (default today, Asia/Shanghai)")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Re-judge every undecided packet for DATE, retry failed ones, write a summary."""
    if on:
        try:
            date.fromisoformat(on)
        except ValueError:
            _fail("--on expects YYYY-MM-DD", 2)
    from dgintake.nightly import AlreadyRunning, report_text
    from flows.intake import nightly as nightly_flow

    try:
        summary = nightly_flow(on=on)
    except AlreadyRunning as exc:
        _fail(str(exc))
    if as_json:
        _print_json({k: summary[k] for k in ("revalidated", "changed", "retried", "expiring")} | summary)
    else:
        Console().print(report_text(summary))


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Run the database migrations to head."""
    from storage.db import upgrade

    upgrade(_settings().db_url)
    err.print("database at head")


def deploy(
    pool: Annotated[str, typer.Option("--pool", help="Prefect work pool (process type)")] = "dgintake",
    name: Annotated[str, typer.Option("--name")] = "dgintake",
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Register the process-packet and nightly deployments on the Prefect server."""
    from flows.deploy import deploy as deploy_flows

    ids = deploy_flows(pool, name)
    if as_json:
        _print_json(ids)
    else:
        for key, value in ids.items():
            Console().print(f"{key}/{name}: {value}")


def register(app: typer.Typer) -> None:
    for command in (drop, intake, queue, show, nightly, deploy):
        app.command()(command)
    app.add_typer(db_app, name="db")
