"""Commands `nisba pull`, `nisba export` and `nisba agreement`.

Thin wrappers: options in, annotation/dataset/ (pull.py, exports.py, agreement.py) does the work,
a rich table out. Heavy imports (datasets, the SDK) happen inside the commands.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer

from annotation.commands.common import fail
from annotation.errors import NisbaError

DEFAULT_OUT = Path("artifacts/data")
MAX_PROBLEMS_SHOWN = 20


def _schema(path: Optional[Path]):
    from annotation.schema.schema import DEFAULT_SCHEMA, SchemaError, load_schema

    try:
        return load_schema(path or DEFAULT_SCHEMA)
    except SchemaError as exc:
        raise NisbaError(str(exc)) from None




def print_pull_summary(result, console) -> None:
    from rich.table import Table

    table = Table(title=f"Pull into {result.out}")
    table.add_column("count")
    table.add_column("value", justify="right")
    for key in ("tasks", "annotations", "completed", "cancelled", "drafts", "ground_truth", "tasks_with_gold",
                "tasks_without_gold", "tasks_left_out", "duplicates_left_out"):
        table.add_row(key, str(result.counts.get(key, 0)))
    for split, n in result.split_sizes.items():
        table.add_row(f"split {split}", str(n), style="cyan")
    for kind, n in sorted(result.problem_counts.items()):
        table.add_row(f"problem {kind}", str(n), style="yellow")
    console.print(table)
    if result.problems:
        shown = Table(title=f"Problems (first {min(len(result.problems), MAX_PROBLEMS_SHOWN)} of "
                            f"{len(result.problems)}; all in {result.out / 'pull_report.json'})")
        for col in ("task", "annotation", "kind", "message"):
            shown.add_column(col, overflow="fold")
        for p in result.problems[:MAX_PROBLEMS_SHOWN]:
            shown.add_row(str(p.task_id if p.task_id is not None else "-"),
                          str(p.annotation_id if p.annotation_id is not None else "-"), p.kind, p.message)
        console.print(shown)


def pull_cmd(
    out: Annotated[Path, typer.Option("--out", help="Dataset folder to write (DatasetDict + raw export + report).")] = DEFAULT_OUT,
    project: Annotated[Optional[str], typer.Option(help="Project id or title (default: the schema's title).")] = None,
    from_export: Annotated[Optional[Path], typer.Option("--from-export", help="Convert a Label Studio JSON/JSONL export file instead of asking a server.")] = None,
    gold: Annotated[str, typer.Option(help="Gold policy: latest (ground truth wins, else latest completed), ground_truth (only ground truth), majority (spans most annotators agree on).")] = "latest",
    strict: Annotated[bool, typer.Option("--strict", help="Exit non-zero when the pull found any problem (after writing the report).")] = False,
    ratios: Annotated[str, typer.Option(help="train,validation,test ratios; splits follow each text's content hash.")] = "0.8,0.1,0.1",
    schema: Annotated[Optional[Path], typer.Option(help="Schema file (default configs/schema.yaml).")] = None,
    via: Annotated[str, typer.Option(help="Server only: 'export' (one JSON export download, the faster) or 'tasks' (the paged tasks API).")] = "export",
) -> None:
    """Pull annotated tasks into a Hugging Face DatasetDict (document view), keeping the raw export."""
    from rich.console import Console

    from annotation.dataset import pull as pull_mod
    from annotation.dataset.splits import parse_ratios

    console = Console()
    try:
        sch = _schema(schema)
        split_ratios = parse_ratios(ratios)
        if gold not in pull_mod.POLICIES:
            raise NisbaError(f"--gold {gold!r}: choose one of {sorted(pull_mod.POLICIES)}")
        if from_export is not None:
            result = pull_mod.pull_from_export(from_export, out, sch, policy=gold, ratios=split_ratios,
                                               progress=bool(console and console.is_terminal))
        else:
            from annotation.labelstudio.client import connect

            result = pull_mod.pull_from_server(connect(), project or sch.title, out, sch, gold,
                                      split_ratios, via, console)
    except pull_mod.PullFailed as exc:
        print_pull_summary(exc.result, console)
        fail(exc)
        return
    except NisbaError as exc:
        fail(exc)
        return
    print_pull_summary(result, console)
    console.print(f"wrote {out} (datasets.load_from_disk({str(out)!r})); raw export {result.provenance['raw_export']} "
                  f"sha256 {result.provenance['raw_sha256'][:12]}")
    if pull_mod.previous_dir(Path(out)).is_dir():
        console.print(f"the dataset it replaced is kept in {pull_mod.previous_dir(Path(out))}")
    if strict and result.problems:
        fail(NisbaError(f"--strict: the pull found {len(result.problems)} problem(s); see {out / 'pull_report.json'}"))


def export_cmd(
    data: Annotated[Path, typer.Option("--data", help="A pulled dataset folder.")] = DEFAULT_OUT,
    format: Annotated[str, typer.Option("--format", help="parquet, jsonl (Label Studio import) or conll.")] = "jsonl",
    out: Annotated[Optional[Path], typer.Option("--out", help="Folder to write into (default DATA/export/FORMAT).")] = None,
    schema: Annotated[Optional[Path], typer.Option(help="Schema file (default configs/schema.yaml).")] = None,
) -> None:
    """Export the gold of a pulled dataset and refresh its dataset card (README.md)."""
    from annotation.dataset.exports import export

    try:
        paths = export(data, format, out, _schema(schema))
    except NisbaError as exc:
        fail(exc)
        return
    for p in paths:
        typer.echo(f"wrote {p}")
    typer.echo(f"wrote {Path(data) / 'README.md'}")


def agreement_cmd(
    data: Annotated[Optional[Path], typer.Option("--data", help="A pulled dataset folder (uses its annotations.jsonl.gz).")] = None,
    project: Annotated[Optional[str], typer.Option(help="Project id or title: export it from the server and compute.")] = None,
    json_out: Annotated[Optional[Path], typer.Option("--json", help="Write the JSON here (default DATA/agreement.json, or stdout table only).")] = None,
    schema: Annotated[Optional[Path], typer.Option(help="Schema file (default configs/schema.yaml).")] = None,
    corpus: Annotated[Optional[str], typer.Option(
        help="nisba-gold: agreement of its doubly annotated articles before and after adjudication; "
             "writes configs/nisba-gold/agreement.json and its card README.md.")] = None,
) -> None:
    """Inter-annotator agreement: pairwise span F1 (exact, overlap), token kappa, per-annotator counts."""
    from rich.console import Console

    from annotation.dataset.agreement import agreement_table, annotator_table
    from annotation.dataset.pull import agreement_from

    console = Console()
    if corpus:
        gold_agreement_cmd(corpus, _schema(schema), console)
        return
    try:
        sch = _schema(schema)
        result = agreement_from(data, project, sch)
    except NisbaError as exc:
        fail(exc)
        return
    console.print(agreement_table(result))
    console.print(annotator_table(result))
    target = json_out or (Path(data) / "agreement.json" if data else None)
    if target:
        target.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
        console.print(f"wrote {target}")


def gold_agreement_cmd(corpus: str, sch, console) -> None:
    """`nisba agreement --corpus nisba-gold`: before/after adjudication, agreement.json and the card."""
    from annotation.corpora import nisba_gold
    from annotation.corpora.documents import read_corpus
    from annotation.corpora.registry import corpus_files, corpus_spec
    from annotation.dataset.agreement import agreement_table

    try:
        spec = corpus_spec(corpus)
        if spec.reader != "nisba-gold":
            raise NisbaError(f"--corpus {corpus!r}: agreement is kept for nisba-gold only (a corpus with passes)")
        result = nisba_gold.gold_agreement(sch, corpus_files(spec.text_corpus))
        docs = read_corpus(corpus, schema=sch).documents
    except NisbaError as exc:
        fail(exc)
        return
    for key, title in (("before_adjudication", "between the passes"), ("after_adjudication", "each pass vs gold")):
        table = agreement_table(result[key])
        table.title = f"{table.title}: {title}"
        console.print(table)
    out = nisba_gold.GOLD_DIR / "agreement.json"
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    console.print(f"wrote {out}")
    console.print(f"wrote {nisba_gold.write_card(docs, result)}")


def register(app: typer.Typer) -> None:
    app.command("pull")(pull_cmd)
    app.command("export")(export_cmd)
    app.command("agreement")(agreement_cmd)
