"""Service benchmarks, each measured side by side in one run:

  overhead  the intake flow (Prefect ephemeral mode, store, database) on N packets
            against a plain loop of `process` over the same packets (goal ≤ 1.05×)
  rerun     dropping the same packets again and running intake against the cold run
            (goal ≤ 5 %: content hashes find them, nothing is read twice)
  nightly   re-judging 10,000 stored packets on SQLite and on PostgreSQL (goal ≤ 60 s)
  memory    one worker's resident memory over 1,000 pages (goal: growth ≤ 5 % after warm-up)

    python benchmarks/service.py overhead --packets 4 --kind scan
    python benchmarks/service.py nightly --packets 10000
"""

from __future__ import annotations

import argparse
import copy
import os
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _packets(kind: str, count: int, out: Path, seed: int = 500) -> list[Path]:
    if kind == "scan":
        from tests.generator.packets import write_sample_set

        return write_sample_set(out, count=count, seed=seed)
    from tests.service.digital_packets import write_digital_packet

    return [write_digital_packet(out, seed + n) for n in range(count)]


def _fresh_var(tag: str) -> Path:
    var = Path(tempfile.mkdtemp(prefix=f"dgbench-{tag}-"))
    os.environ["DGINTAKE_VAR_DIR"] = str(var)
    os.environ.pop("PREFECT_HOME", None)
    from dgintake.settings import get_settings

    get_settings.cache_clear()
    from storage.db import dispose_all

    dispose_all()
    return var


def overhead(args) -> None:
    from dgintake.intake import drop
    from dgintake.pipeline import engine_for, process
    from dgintake.settings import get_settings
    from storage.objects import open_store

    work = Path(tempfile.mkdtemp(prefix="dgbench-"))
    paths = _packets(args.kind, args.packets, work / "packets")
    # every round reads every page cold: no OCR cache on disk, the engine's memory emptied
    os.environ["DGINTAKE_OCR_CACHE"] = "false"
    _fresh_var("overhead")
    settings = get_settings()
    engine = engine_for(settings)
    process(paths[0])  # warm-up: model folders built, engine loaded, in this process for every round

    def plain_loop() -> float:
        engine.forget()
        started = time.perf_counter()
        for path in paths:
            process(path)
        return time.perf_counter() - started

    store = open_store(settings)
    from flows.intake import intake

    def intake_flow(tag: str) -> tuple[float, dict]:
        engine.forget()
        started = time.perf_counter()
        for n, path in enumerate(paths):
            drop(store, path, name=f"{tag}-{n}")
        totals = intake(once=True)
        return time.perf_counter() - started, totals

    # Prefect's ephemeral API starts with the first flow run of a process and then serves
    # every later one (a polling `dgintake intake` pays it once): timed apart, on an empty
    # incoming/, once on a fresh PREFECT_HOME (its database created) and once more
    started = time.perf_counter()
    intake(once=True)
    boot = time.perf_counter() - started
    # plain, flow, plain: the machine's load drifts, so the flow is set against both sides of it
    first = plain_loop()
    flow, totals = intake_flow("cold")
    assert totals["processed"] == len(paths), totals
    second = plain_loop()
    plain = (first + second) / 2
    print(
        f"{len(paths)} {args.kind} packets: plain loop {first:.1f} s and {second:.1f} s, intake flow {flow:.1f} s "
        f"(drop, register, copy, process, page images, store): ratio {flow / plain:.3f} with the API up;"
        f" first flow run of a process (API start on a new PREFECT_HOME) {boot:.1f} s, ratio with it {(flow + boot) / plain:.3f}"
    )
    rerun, again = intake_flow("again")
    print(
        f"re-run on unchanged packets: {rerun:.2f} s ({again['duplicates']} duplicates, {again['processed']} processed)"
        f" = {rerun / flow:.2%} of the cold run"
    )


def _seed(url: str, count: int, template: dict) -> None:
    from sqlalchemy import insert

    from storage.db import get_engine
    from storage.models import Packet

    engine = get_engine(url)
    now = date(2026, 11, 20)
    rows = []
    for n in range(count):
        result = copy.deepcopy(template)
        result["packet"]["source"] = f"incoming/bench-{n}"
        rows.append(
            dict(
                id=f"bench{n:011d}",
                name=f"bench-{n}",
                sha256=f"{n:064x}",
                content_key=f"{n:064x}",
                status="awaiting_review",
                verdict=result["verdict"],
                source_key=f"incoming/bench-{n}",
                source_is_folder=True,
                incoming_cleared=True,
                submitted_on=now,
                received_at=datetime(2026, 11, 20, tzinfo=UTC),
                judged_on=now,
                attempts=1,
                machine_result=result,
                result=result,
                version=1,
            )
        )
        if len(rows) == 1000:
            with engine.begin() as connection:
                connection.execute(insert(Packet), rows)
            rows = []
    if rows:
        with engine.begin() as connection:
            connection.execute(insert(Packet), rows)


def nightly(args) -> None:
    from dgintake.nightly import run_nightly
    from dgintake.pipeline import process
    from dgintake.settings import Settings
    from storage.objects import LocalStore

    work = Path(tempfile.mkdtemp(prefix="dgbench-nightly-"))
    template = process(_packets("digital", 1, work / "packets")[0], date(2026, 11, 20)).to_json_dict()
    urls = {"sqlite": f"sqlite:///{work / 'bench.db'}"}
    if args.postgres:
        from sqlalchemy import create_engine, text

        admin = create_engine(args.postgres.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("DROP DATABASE IF EXISTS dgintake_bench WITH (FORCE)"))
            connection.execute(text("CREATE DATABASE dgintake_bench"))
        urls["postgresql"] = args.postgres.rsplit("/", 1)[0] + "/dgintake_bench"
    for name, url in urls.items():
        _seed(url, args.packets, template)
        settings = Settings(var_dir=work / "var", database_url=url)
        store = LocalStore(work / "objects", "bench")
        started = time.perf_counter()
        summary = run_nightly(store, settings, date(2026, 11, 20) + timedelta(days=200), "bench")
        elapsed = time.perf_counter() - started
        print(
            f"nightly on {name}: {summary['revalidated']} packets re-judged in {elapsed:.1f} s "
            f"({summary['changed']} changed; {args.packets / elapsed:.0f} packets/s)"
        )


def _write_batch(kind: str, count: int, out: str, seed: int) -> list[str]:
    import logging

    logging.getLogger("fontTools").setLevel(logging.ERROR)
    return [str(path) for path in _packets(kind, count, Path(out), seed=seed)]


def memory(args) -> None:
    """Packets are drawn in a child process, ahead of the worker, so that what the
    generator's font and PDF libraries keep does not count as the worker's growth."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from dgintake.intake import Intake, drop
    from dgintake.settings import get_settings
    from dgintake.worker import process_one
    from storage.objects import open_store

    _fresh_var("memory")
    settings = get_settings()
    store = open_store(settings)
    work = Path(tempfile.mkdtemp(prefix="dgbench-memory-"))
    pages_done, samples, seed = 0, [], 1000
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        upcoming = pool.submit(_write_batch, args.kind, 10, str(work / f"b{seed}"), seed)
        while pages_done < args.pages:
            batch = [Path(p) for p in upcoming.result()]
            seed += 10
            upcoming = pool.submit(_write_batch, args.kind, 10, str(work / f"b{seed}"), seed)
            for n, path in enumerate(batch):
                drop(store, path, name=f"m{seed}-{n}")
            for packet_id in Intake(store, settings).run().packet_ids:
                outcome = process_one(packet_id, store, settings, "bench")
                pages_done += outcome.pages
                samples.append((pages_done, _rss_mb()))
                if len(samples) % 20 == 0:
                    print(f"  {pages_done} pages, RSS {samples[-1][1]:.0f} MB", flush=True)
    warm = next(rss for pages, rss in samples if pages >= args.pages * 0.1)
    final = samples[-1][1]
    print(f"{pages_done} {args.kind} pages in one worker ({time.perf_counter() - started:.0f} s): RSS after warm-up (10 %)"
          f" {warm:.0f} MB, at the end {final:.0f} MB, growth {(final - warm) / warm:.1%};"
          f" peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="which", required=True)
    p = sub.add_parser("overhead")
    p.add_argument("--packets", type=int, default=4)
    p.add_argument("--kind", choices=["scan", "digital"], default="scan")
    p = sub.add_parser("nightly")
    p.add_argument("--packets", type=int, default=10_000)
    p.add_argument("--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    p = sub.add_parser("memory")
    p.add_argument("--pages", type=int, default=1000)
    p.add_argument("--kind", choices=["scan", "digital"], default="digital")
    args = parser.parse_args()
    {"overhead": overhead, "nightly": nightly, "memory": memory}[args.which](args)


if __name__ == "__main__":
    main()
