"""The evaluation report: metrics.json, Markdown, HTML, PNG plots, worst errors in context, model card."""

from __future__ import annotations

import json
import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")

import pytest  # noqa: E402

from _eval_data import TEXT0, TEXT1, HandPredictor, make_dataset, make_model_dir
from training.evaluate.evaluation import evaluate_model
from training.evaluate.report import error_context, plot_learning_curve, read_log_history, write_report
from training.evaluate.span_metrics import confusion, pair_errors, span_scores

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory):
    """One evaluation of the hand-made predictions, shared by the tests below."""
    root = tmp_path_factory.mktemp("eval")
    data = make_dataset(root / "data")
    model = make_model_dir(root / "model")
    metrics = evaluate_model(model, data, "test", root / "report", predictor=HandPredictor(), progress=False)
    return root, metrics


def test_report_writes_metrics_markdown_html_and_png_plots(evaluated):
    root, metrics = evaluated
    report = root / "report"
    for name in ("metrics.json", "report.md", "report.html"):
        assert (report / name).stat().st_size > 200, name
    pngs = ["confusion_entities.png", "confusion_claims.png", "f1_entities.png", "f1_claims.png",
            "learning_curve.png"]
    assert not (report / "f1_events.png").exists()  # no gold event in the split: not scored
    for name in pngs:
        assert (report / name).read_bytes()[:8] == PNG_MAGIC, name
    md = (report / "report.md").read_text(encoding="utf-8")
    html = (report / "report.html").read_text(encoding="utf-8")
    for name in pngs:
        assert f"]({name})" in md and f'src="{name}"' in html
    assert "Layer `events` not scored: no gold spans in this split." in md


def test_metrics_json_holds_the_computed_values(evaluated):
    root, metrics = evaluated
    saved = json.loads((root / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert saved["format_version"] == 1
    ent = saved["layers"]["entities"]
    assert ent == metrics["layers"]["entities"]
    assert ent["seqeval"]["overall_f1"] == pytest.approx(0.5)
    assert ent["span"]["overall"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "tp": 3, "fp": 3, "fn": 3, "support": 6}
    assert ent["span"]["per_label"]["ORG"]["recall"] == pytest.approx(1 / 3)
    labels = ent["confusion"]["labels"]
    assert labels == ["O", "PER", "ORG", "GPE", "LOC", "FAC", "NORP"]
    assert ent["confusion"]["matrix"][labels.index("GPE")][labels.index("LOC")] == 1
    assert saved["headline"]["span_f1"] == pytest.approx(0.5)
    assert saved["model_version"] == "tiny-1234abcd"


def test_worst_errors_are_listed_in_context(evaluated):
    root, metrics = evaluated
    worst = metrics["worst_errors"]
    kinds = [(e["kind"], e["layer"]) for e in worst]
    # the worst of each layer first (a wrong label before a miss), then each layer's next worst
    assert kinds == [("label", "entities"), ("missed", "claims"), ("spurious", "entities"),
                     ("missed", "entities"), ("boundary", "entities")]
    first = worst[0]
    assert first["gold_part"] == {"label": "GPE", "start": TEXT0.index("أستانة"), "end": len(TEXT0), "text": "أستانة"}
    assert first["pred_part"]["label"] == "LOC" and first["score"] == 0.9
    assert first["before"].endswith("ستذهب إلى") and first["span_text"] == "أستانة" and first["task_id"] == 100
    md = (root / "report" / "report.md").read_text(encoding="utf-8")
    assert "1. **label** in `entities`" in md
    assert "ستذهب إلى ⟦أستانة⟧" in md
    assert "⟦الجيش السوري⟧ دخل حلب" in md
    html = (root / "report" / "report.html").read_text(encoding="utf-8")
    assert "<mark>أستانة</mark>" in html and 'dir="rtl"' in html


def test_model_card_names_data_config_metrics_and_model_version(evaluated):
    root, _ = evaluated
    card = (root / "model" / "README.md").read_text(encoding="utf-8")
    assert card.startswith("# tiny-1234abcd")
    assert "model_version: `tiny-1234abcd`" in card
    assert "split `test`: 2 documents" in card and "split `train`: 1 documents" in card
    assert "| entities | 0.500 | 0.500 | 0.500 | 0.500 | 0.500 | 0.500 | 6 | 6 |" in card
    assert "| events |" not in card
    assert '"epochs": 2' in card


def test_error_context_cuts_text_around_the_span_and_marks_truncation():
    text = "أ" * 100 + "علوش" + "ب" * 100
    e = {"kind": "missed", "doc": 0, "layer": "entities", "gold": (100, 104, "PER"), "pred": None, "score": None}
    ctx = error_context(text, e, width=10)
    assert ctx["before"] == "…" + "أ" * 10 and ctx["span_text"] == "علوش" and ctx["after"] == "ب" * 10 + "…"
    assert ctx["pred_part"] is None and ctx["gold_part"]["text"] == "علوش"


def test_learning_curve_reads_trainer_log_and_skips_without_one(tmp_path):
    model = make_model_dir(tmp_path / "model")
    history = read_log_history(model)
    assert [r["eval_f1"] for r in history if "eval_f1" in r] == [0.4, 0.6]
    path = plot_learning_curve(history, tmp_path / "curve.png")
    assert path.read_bytes()[:8] == PNG_MAGIC
    assert plot_learning_curve([], tmp_path / "none.png") is None and not (tmp_path / "none.png").exists()
    (model / "log_history.json").write_text(json.dumps({"format_version": 1, "log_history": history[:2]}))
    assert read_log_history(model) == history[:2]


def test_write_report_without_training_log_has_no_learning_curve(tmp_path):
    gold, pred = [[(0, 3, "PER")]], [[(0, 3, "ORG")]]
    layer = {"seqeval": {"overall_precision": 0.0, "overall_recall": 0.0, "overall_f1": 0.0, "overall_accuracy": 0.5,
                         "per_label": {"PER": {"precision": 0.0, "recall": 0.0, "f1": 0.0, "number": 1}}},
             "span": span_scores(gold, pred, ["PER", "ORG"]),
             "confusion": confusion([["B-PER", "O"]], [["B-ORG", "O"]], ["PER", "ORG"])}
    metrics = {"format_version": 1, "model_version": "rules-1", "model": "rules", "data": "d", "split": "test",
               "n_documents": 1, "layers": {"entities": layer}}
    errors = [e.as_dict() for e in pair_errors(0, "entities", gold[0], pred[0])]
    paths = write_report(tmp_path, metrics, errors, ["علي قال"])
    assert "learning_curve" not in paths and not (tmp_path / "learning_curve.png").exists()
    saved = json.loads(paths["metrics"].read_text(encoding="utf-8"))
    assert saved["worst_errors"][0]["span_text"] == "علي" and saved["worst_errors"][0]["kind"] == "label"


# --- the command ---------------------------------------------------------------------------------

def test_evaluate_command_scores_the_rules_predictor_and_prints_the_report_path(tmp_path):
    from typer.testing import CliRunner

    from annotation.cli import app

    data = make_dataset(tmp_path / "data")
    result = CliRunner().invoke(app, ["evaluate", "--model", "rules", "--data", str(data), "--split", "test",
                                      "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    saved = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert saved["model_version"].startswith("rules-") and saved["n_documents"] == 2
    ent = saved["layers"]["entities"]
    assert f"seqeval P {ent['seqeval']['overall_precision']:.3f}" in result.output
    assert f"exact span P {ent['span']['overall']['precision']:.3f}" in result.output
    assert f"report: {tmp_path / 'report' / 'report.html'}" in result.output
    assert not (tmp_path / "report" / "learning_curve.png").exists()  # rules have no training log


def test_evaluate_command_exits_1_with_a_clear_message_on_an_empty_split(tmp_path):
    from typer.testing import CliRunner

    from annotation.cli import app

    data = make_dataset(tmp_path / "data", {"train": [TEXT1], "test": []})
    result = CliRunner().invoke(app, ["evaluate", "--model", "rules", "--data", str(data), "--report", str(tmp_path / "r")])
    assert result.exit_code == 1
    assert "error: split 'test' of dataset" in result.output and "is empty" in result.output
    assert "Traceback" not in result.output


@pytest.mark.slow
def test_evaluate_command_on_a_tiny_trained_model_writes_report_and_model_card(tmp_path):
    from typer.testing import CliRunner

    from annotation.cli import app
    from annotation.schema.schema import load_schema
    from training_fixtures import make_dataset as synthetic_dataset, synthetic_rows, tiny_encoder_dir

    dsd = synthetic_dataset(load_schema(), {"train": synthetic_rows(24, seed=1),
                                            "validation": synthetic_rows(6, seed=2, first_id=100),
                                            "test": synthetic_rows(6, seed=3, first_id=200)})
    dsd.save_to_disk(str(tmp_path / "data"))
    encoder = tiny_encoder_dir(tmp_path / "encoder", list(dsd["train"]["text"]))
    overrides = {"model.name": str(encoder), "training.epochs": 3, "training.batch_size": 8,
                 "training.learning_rate": 0.003, "training.logging_steps": 2, "training.progress": "false",
                 "data.max_length": 64, "data.stride": 16}
    runner = CliRunner()
    trained = runner.invoke(app, ["train", "--data", str(tmp_path / "data"), "--out", str(tmp_path / "model"),
                                  *[f"{k}={v}" for k, v in overrides.items()]])
    assert trained.exit_code == 0, trained.output
    result = runner.invoke(app, ["evaluate", "--model", str(tmp_path / "model"), "--data", str(tmp_path / "data"),
                                 "--split", "test", "--report", str(tmp_path / "report")])
    assert result.exit_code == 0, result.output
    info = json.loads((tmp_path / "model" / "nisba.json").read_text(encoding="utf-8"))
    saved = json.loads((tmp_path / "report" / "metrics.json").read_text(encoding="utf-8"))
    assert saved["model_version"] == info["model_version"] and saved["n_documents"] == 6
    assert set(saved["layers"]) | set(saved["skipped_layers"]) == set(info["layers"])
    for layer in saved["layers"].values():
        assert 0.0 <= layer["span"]["overall"]["f1"] <= 1.0 and 0.0 <= layer["seqeval"]["overall_f1"] <= 1.0
    assert (tmp_path / "report" / "learning_curve.png").read_bytes()[:8] == PNG_MAGIC
    card = (tmp_path / "model" / "README.md").read_text(encoding="utf-8")
    assert f"model_version: `{info['model_version']}`" in card and "split `test`: 6 documents" in card


def test_evaluate_without_report_writes_to_the_makefiles_report_folder(tmp_path, monkeypatch):
    import re
    from pathlib import Path

    from typer.testing import CliRunner

    from annotation.cli import app

    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text(encoding="utf-8")
    artifacts = re.search(r"^ARTIFACTS \?= (\S+)$", makefile, re.M).group(1)
    report = re.search(r"^REPORT \?= (\S+)$", makefile, re.M).group(1).replace("$(ARTIFACTS)", artifacts)
    data = make_dataset(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["evaluate", "--model", "rules", "--data", str(data), "--split", "test"])
    assert result.exit_code == 0, result.output
    assert report == "artifacts/report" and (tmp_path / report / "metrics.json").is_file()
