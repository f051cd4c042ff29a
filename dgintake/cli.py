"""The `dgintake` command (CONTRACT.md): process a packet, list the rules, score a set."""

from __future__ import annotations

import json
import logging
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Intake pipeline for 牵引单位 change applications.")
err = Console(stderr=True)


def _parse_date(value: Optional[str]) -> Optional[date]:
    if value is None:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as exc:
        raise typer.BadParameter("expected YYYY-MM-DD") from exc


def _quiet_libraries(verbose: bool) -> None:
    logging.basicConfig(level=logging.INFO if verbose else logging.ERROR, stream=sys.stderr)
    for name in ("paddlex", "paddleocr", "pdfminer", "ppocr"):
        logging.getLogger(name).setLevel(logging.INFO if verbose else logging.ERROR)


@app.command()
def process(
    path: Annotated[Path, typer.Argument(help="Folder, .zip, .pdf, image, .docx or .xlsx")],
    submitted_on: Annotated[Optional[str], typer.Option("--submitted-on", help="YYYY-MM-DD")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the contract JSON")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False,
) -> None:
    """Process one packet and print its result."""
    _quiet_libraries(verbose)
    when = _parse_date(submitted_on)
    if not path.exists():
        err.print(f"dgintake: no such file or folder: {path}")
        raise typer.Exit(2)
    from dgintake.pipeline import process as run_pipeline

    try:
        result = run_pipeline(path, when)
    except Exception as exc:
        if verbose:
            raise
        err.print(f"dgintake: processing failed: {type(exc).__name__}: {exc}")
        raise typer.Exit(1) from None
    if as_json:
        sys.stdout.write(json.dumps(result.to_json_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        from dgintake.report import print_summary

        print_summary(result, Console())


@app.command()
def rules() -> None:
    """List every rule with its code, severity and article."""
    from validators import CATALOGUE, RULES

    table = Table("code", "severity", "article", "fires when", "rule")
    implemented = {}
    for registered in RULES:
        implemented.setdefault(registered.code, registered.func.__name__)
    for entry in CATALOGUE.values():
        table.add_row(entry.code, entry.severity, entry.article, entry.fires_when, implemented.get(entry.code, "—"))
    Console().print(table)


@app.command()
def demo(
    count: Annotated[int, typer.Option(help="How many sample packets")] = 3,
    console: Annotated[bool, typer.Option("--console/--no-console", help="Serve the review console afterwards")] = True,
    port: Annotated[int, typer.Option(help="Console port")] = 8000,
) -> None:
    """The whole embedded system on sample packets: draw them, drop them into incoming/,
    run the intake, print the queue, then serve the review console."""
    _quiet_libraries(False)
    from dgintake.settings import get_settings

    checkout = Path(__file__).resolve().parents[1]
    if not (checkout / "tests" / "generator").is_dir():
        err.print("dgintake demo draws its packets with tests/generator: run it from a source checkout")
        raise typer.Exit(2)
    sys.path.insert(0, str(checkout))
    from dgintake.service_cli import drop, intake, queue
    from tests.generator.packets import write_sample_set

    samples = get_settings().var_dir / "samples"
    paths = write_sample_set(samples, count=count, seed=7)
    Console().print(f"{len(paths)} sample packets written to {samples}")
    drop(paths)
    intake(once=True)
    queue()
    if console:
        try:
            from review.commands import serve_demo
        except ImportError:
            err.print("the review console is not installed in this environment")
            raise typer.Exit(1) from None
        serve_demo(port=port)


@app.command("eval")
def evaluate_folder(
    folder: Annotated[Path, typer.Argument(help="Folder of packets with <packet>.truth.json beside each")],
    save: Annotated[
        Optional[Path], typer.Option(help="Also write each packet's result JSON to this folder")
    ] = None,
) -> None:
    """Score the pipeline against generated ground truth and print the tables."""
    _quiet_libraries(False)
    from dgintake.evaluate import calibration_error, evaluate, page_accuracy, reliability
    from dgintake.pipeline import process as run_pipeline

    scores = evaluate(folder, run_pipeline, save_to=save)
    console = Console()
    console.print(f"{scores.packets} packets, {scores.seconds:.1f} s; page classification {page_accuracy(scores):.2%}")
    confusion = Table("truth", "predicted", "pages")
    for (truth, predicted), n in sorted(scores.pages.items()):
        confusion.add_row(truth, predicted, str(n), style=None if truth == predicted else "red")
    console.print(confusion)
    fields = Table("field", "exact", "n")
    for name, (right, total) in sorted(scores.fields.items()):
        fields.add_row(name, f"{right / total:.1%}", str(total))
    for name, (tp, fp, fn) in sorted(scores.names.items()):
        f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 1.0
        fields.add_row(f"{name} (names F1)", f"{f1:.1%}", str(tp + fn))
    if scores.seal[1]:
        fields.add_row("application_letter.sealed", f"{scores.seal[0] / scores.seal[1]:.1%}", str(scores.seal[1]))
    console.print(fields)
    codes = Table("code", "precision", "recall", "tp", "fp", "fn")
    for code, (tp, fp, fn) in sorted(scores.codes.items()):
        precision = tp / (tp + fp) if tp + fp else 1.0
        recall = tp / (tp + fn) if tp + fn else 1.0
        codes.add_row(code, f"{precision:.2f}", f"{recall:.2f}", str(tp), str(fp), str(fn))
    console.print(codes)
    bins = Table("confidence", "fields", "mean confidence", "right")
    for low, high, n, mean, right in reliability(scores):
        bins.add_row(f"{low:.2f}–{high:.2f}", str(n), f"{mean:.3f}", f"{right:.1%}")
    console.print(bins)
    console.print(f"calibration error (ECE) {calibration_error(scores):.3f}")
    console.print(f"verdict accuracy {scores.verdicts[0] / max(scores.verdicts[1], 1):.1%}")


from dgintake.service_cli import register as _register_service_commands  # noqa: E402
from review.commands import console, users_app  # noqa: E402

_register_service_commands(app)
app.add_typer(users_app, name="users")
app.command()(console)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
