"""The annotator's path in a real browser (Debian's headless Chromium, selenium), against the
test Label Studio: guidelines on screen, a pre-annotation corrected by hand and counted by
`nisba loop-report`, the added region pulled with the selected characters' offsets, one layer
at a time, and a connected `nisba serve` pre-annotating a task when it is opened.

Every step's screenshot goes into the report folder (tests/browser_fixtures.py) with an
index.html showing them in order.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from typer.testing import CliRunner

from annotation.convert.document import content_hash
from annotation.labelstudio.ml_admin import connect_ml_backend, prelabel_on_open
from annotation.labelstudio.predictions import task_predictions
from annotation.labelstudio.projects import create_or_update_project
from tests.browser_fixtures import browser_gallery, labeling_browser  # noqa: F401 - fixtures

pytestmark = [pytest.mark.integration, pytest.mark.slow, pytest.mark.browser]

SEED = Path(__file__).resolve().parents[1] / "fixtures" / "syria-talks-2017.txt"
SEED_GOLD = Path(__file__).resolve().parents[1] / "fixtures" / "seed_gold.json"
ARABIC_WORD = re.compile(r"[\u0621-\u064A]{4,}")


@pytest.fixture()
def project(ls_client, schema):
    created = create_or_update_project(ls_client, schema, f"test browser {uuid.uuid4().hex[:8]}")
    yield created
    try:
        ls_client.projects.delete(id=created.id)
    except Exception as exc:  # noqa: BLE001 - cleanup only
        print(f"could not delete test project {created.id}: {exc}")


@pytest.fixture()
def cli(ls_server, monkeypatch):
    """`nisba ...` through typer's CliRunner against the test server."""
    from annotation.cli import app

    monkeypatch.setenv("LABEL_STUDIO_URL", ls_server.url)
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", ls_server.token)

    def run(*args: str) -> str:
        result = CliRunner().invoke(app, list(args), catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    return run


def hotkeys(schema) -> dict[tuple[str, str], str]:
    from annotation.schema.labeling_config import labeling_config

    tree = ET.fromstring(labeling_config(schema))
    return {(labels.get("name"), label.get("value")): label.get("hotkey")
            for labels in tree.iter("Labels") for label in labels.iter("Label")}


def overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def alone(regions: list[dict]) -> list[dict]:
    """Regions no other region overlaps: one click on them selects them and nothing else."""
    return [r for r in regions if not any(o is not r and overlaps(r, o) for o in regions)]


def own_char(region: dict, regions: list[dict], text: str) -> int | None:
    """A letter of ``region`` that no other region covers (where a click selects it), or None."""
    middle = (region["start"] + region["end"]) // 2
    for at in sorted(range(region["start"], region["end"]), key=lambda i: abs(i - middle)):
        if text[at].isalpha() and not any(o is not region and o["start"] <= at < o["end"] for o in regions):
            return at
    return None


def related(relations: list[dict], region: dict) -> bool:
    return any(region["id"] in (x["from"], x["to"]) for x in relations)


def test_annotator_corrects_a_pre_annotation_and_the_loop_report_counts_each_edit(
        ls_client, project, schema, cli, labeling_browser, browser_gallery, tmp_path):
    from datasets import load_from_disk

    from annotation.convert.document import document_to_regions
    from annotation.loop.push import push_predictions
    from annotation.schema.instructions import MARKER
    from training.predict.load import load_predictor

    browser, shots = labeling_browser, browser_gallery
    text = SEED.read_text(encoding="utf-8")
    task_id = ls_client.projects.import_tasks(id=project.id, return_task_ids=True, request=[
        {"data": {"text": text, "content_hash": content_hash(text)}}]).task_ids[0]
    rules = load_predictor("rules")
    assert push_predictions(ls_client, project.id, rules, schema).created == 1
    n_predicted = len(rules.predict([text])[0].regions)

    shown = browser.start_labeling(project.id, MARKER)
    assert MARKER in shown and "SOURCE" in shown and "CLAIM" in shown and "guidelines" in shown
    browser.screenshot(shots, "instructions", "Label All Tasks: the project's instructions (the schema's "
                       "labels, then docs/guidelines.md) shown before the first task")
    browser.close_dialog()
    t0 = time.monotonic()
    state = browser.open_task(project.id, task_id, min_regions=n_predicted)
    browser.screenshot(shots, "pre-annotated", f"The seed article opened with the rules' pre-annotation "
                       f"({rules.model_version}): {n_predicted} regions, all three layers")

    regions, relations = state["regions"], state["relations"]
    keys = hotkeys(schema)
    by_layer = {layer: [r for r in alone(regions) if r["layer"] == layer and not related(relations, r)]
                for layer in schema.layer_names}
    entities = by_layer["entities"]
    # four different entity regions, none overlapped and none in a relation
    relabel = next(r for r in entities if r["label"] == "ORG")
    resize = next(r for r in entities if r is not relabel and " " in r["text"])
    delete = next(r for r in reversed(entities) if r not in (relabel, resize))
    accept = next(r for r in entities if r not in (relabel, resize, delete))
    new_label = "GPE" if relabel["label"] != "GPE" else "LOC"
    new_end = resize["start"] + resize["text"].index(" ")
    # a word no region covers, the one nearest the middle of the article (mid-line, right to left)
    word = min((m for m in ARABIC_WORD.finditer(text)
                if not any(r["start"] < m.end() and m.start() < r["end"] for r in regions)),
               key=lambda m: abs(m.start() - len(text) // 2))
    added = {"start": word.start(), "end": word.end(), "label": "LOC", "text": word.group()}

    browser.select_region(accept)
    browser.screenshot(shots, "accept", f"Accepted: {accept['label']} «{accept['text']}» looked at and left as predicted")
    browser.unselect()
    browser.relabel(relabel, keys[("entities", new_label)])
    browser.select_region(relabel)
    browser.screenshot(shots, "relabel", f"Relabelled: «{relabel['text']}» {relabel['label']} -> {new_label} "
                       f"(clicked, then hotkey {keys[('entities', new_label)]})")
    browser.unselect()
    browser.move_end(resize, new_end)
    browser.select_region({**resize, "end": new_end})
    browser.screenshot(shots, "boundary", f"Boundary moved: «{resize['text']}» -> «{text[resize['start']:new_end]}» "
                       "(the end handle dragged)")
    browser.unselect()
    browser.delete(delete)
    browser.screenshot(shots, "delete", f"Deleted: {delete['label']} «{delete['text']}» (clicked, then Backspace)")
    made = browser.add_region(added["start"], added["end"], keys[("entities", "LOC")])
    assert (made["start"], made["end"], made["label"], made["text"]) == (added["start"], added["end"], "LOC", added["text"])
    browser.select_region(made)
    browser.screenshot(shots, "add", f"Added: LOC «{added['text']}» (hotkey {keys[('entities', 'LOC')]}, then the "
                       "characters selected with the mouse, right to left)")

    claims = [r for r in regions if r["label"] == "CLAIM" and own_char(r, regions, text) is not None]
    sources = [r for r in regions if r["label"] == "SOURCE" and own_char(r, regions, text) is not None]
    claim, source = next((c, s) for c in claims for s in sources
                         if not any(x["from"] == c["id"] and x["to"] == s["id"] for x in relations))
    browser.relate(claim, source, "attributed_to", source_at=own_char(claim, regions, text),
                   target_at=own_char(source, regions, text))
    browser.select_region(claim, own_char(claim, regions, text))
    browser.screenshot(shots, "relation", f"Relation drawn: CLAIM «{claim['text'][:40]}...» attributed_to "
                       f"SOURCE «{source['text']}»")
    browser.unselect()
    stance_claim = next(c for c in claims if c is not claim and c["choices"].get("stance") != ["hedged"])
    browser.choose(stance_claim, "hedged", at=own_char(stance_claim, regions, text))
    browser.select_region(stance_claim, own_char(stance_claim, regions, text))
    browser.screenshot(shots, "stance", f"Per-region choice: stance of CLAIM «{stance_claim['text'][:40]}...» "
                       f"{stance_claim['choices'].get('stance')} -> hedged")
    browser.unselect()
    browser.submit()
    editing_s = time.monotonic() - t0
    browser.screenshot(shots, "submitted", "Submitted")

    # what the server stored
    after = {r["id"]: r for r in browser.state()["regions"]}
    assert after[relabel["id"]]["label"] == new_label
    assert (after[resize["id"]]["start"], after[resize["id"]]["end"]) == (resize["start"], new_end)
    assert delete["id"] not in after and after[accept["id"]]["label"] == accept["label"]
    assert after[stance_claim["id"]]["choices"]["stance"] == ["hedged"]

    report = json.loads(cli("loop-report", "--project", str(project.id), "--json"))
    e, v, c = (report["layers"][k] for k in ("entities", "events", "claims"))
    n_e = sum(1 for r in regions if r["layer"] == "entities")
    n_v = sum(1 for r in regions if r["layer"] == "events")
    n_c = sum(1 for r in regions if r["layer"] == "claims")
    assert (e["predicted"], e["accepted"], e["edited"], e["deleted"], e["added"]) == (n_e, n_e - 3, 2, 1, 1)
    assert (v["predicted"], v["accepted"], v["edited"], v["deleted"], v["added"]) == (n_v, n_v, 0, 0, 0)
    assert (c["predicted"], c["accepted"], c["edited"], c["deleted"], c["added"]) == (n_c, n_c - 1, 1, 0, 0)
    assert report["relations"]["claims"]["added"] == 1
    assert all(report["relations"][k]["deleted"] == 0 for k in schema.layer_names)
    assert sum(report["relations"][k]["added"] for k in schema.layer_names) == 1
    n_rel = report["relations"]["claims"]["predicted"]
    assert f"claims {n_rel}/{n_rel}/0/1" in cli("loop-report", "--project", str(project.id))
    assert report["annotations"] == 1 and report["tasks"] == 1
    assert 0 < report["lead_time_s"] <= editing_s + 5

    out = tmp_path / "data"
    cli("pull", "--project", str(project.id), "--out", str(out))
    ds = load_from_disk(str(out))
    rows = [row for split in ds for row in ds[split] if row["text"] == text]
    assert len(rows) == 1
    pulled, _ = document_to_regions(rows[0], schema)
    mine = [r for r in pulled if r.layer == "entities" and (r.start, r.end) == (added["start"], added["end"])]
    assert [(r.label, r.text) for r in mine] == [("LOC", added["text"])]
    assert text[mine[0].start:mine[0].end] == added["text"]
    print(f"annotate-and-count: {editing_s:.1f} s in the editor, lead_time {report['lead_time_s']} s")


def test_each_layer_alone_and_all_three_on_the_seed_article(ls_client, project, schema, labeling_browser,
                                                          browser_gallery):
    browser, shots = labeling_browser, browser_gallery
    gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    task_id = ls_client.projects.import_tasks(id=project.id, return_task_ids=True, request=gold).task_ids[0]
    n_regions = sum(1 for r in gold[0]["annotations"][0]["result"] if r.get("type") == "labels")
    state = browser.open_task(project.id, task_id, min_regions=n_regions)
    counts = {layer: sum(1 for r in state["regions"] if r["layer"] == layer) for layer in schema.layer_names}
    layer_of = {r["id"]: r["layer"] for r in state["regions"]}
    arrows = {layer: sum(1 for x in state["relations"] if layer_of.get(x["from"]) == layer and layer_of.get(x["to"]) == layer)
              for layer in schema.layer_names}

    def visible() -> dict[str, int]:
        out = dict.fromkeys(schema.layer_names, 0)
        for r in browser.state()["regions"]:
            out[r["layer"]] += not r["hidden"]
        return out

    all_arrows = browser.visible_arrows()
    assert all_arrows >= len(state["relations"]) > 0
    browser.screenshot(shots, "layers-all", f"Seed article gold, all three layers: {len(state['regions'])} regions, "
                       f"{len(state['relations'])} relation arrows")
    browser.show_layers(["entities"])
    assert visible() == {**dict.fromkeys(schema.layer_names, 0), "entities": counts["entities"]}
    assert browser.visible_arrows() == 0 == arrows["entities"]
    browser.screenshot(shots, "layers-entities", f"Entities alone: {counts['entities']} regions, no arrows")
    browser.show_layers(["claims"])
    assert visible() == {**dict.fromkeys(schema.layer_names, 0), "claims": counts["claims"]}
    assert 0 < browser.visible_arrows() < all_arrows
    browser.screenshot(shots, "layers-claims", f"Claims alone: {counts['claims']} regions (CLAIM, SOURCE, CUE) "
                       "with their attributed_to and cue arrows")
    browser.show_layers(list(schema.layer_names))
    assert visible() == counts and browser.visible_arrows() == all_arrows


def test_connected_model_pre_annotates_a_task_when_it_is_opened(ls_client, project, schema, labeling_browser,
                                                               browser_gallery):
    from annotation.labelstudio.ml_backend import Backend, make_server
    from training.predict.load import load_predictor

    browser, shots = labeling_browser, browser_gallery
    rules = load_predictor("rules")
    seed = SEED.read_text(encoding="utf-8")
    text = seed[: seed.index(".", 400) + 1]   # the first sentences: a fresh text, no predictions
    expected = rules.predict([text])[0]
    server = make_server(Backend(rules, schema), "browser-token", "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        task_id = ls_client.projects.import_tasks(id=project.id, return_task_ids=True, request=[
            {"data": {"text": text, "content_hash": content_hash(text)}}]).task_ids[0]
        assert task_predictions(ls_client, task_id) == []
        connect_ml_backend(ls_client, project.id, f"http://127.0.0.1:{server.server_address[1]}", "browser-token")
        prelabel_on_open(ls_client, project.id, "nisba")
        state = browser.open_task(project.id, task_id, min_regions=1)
        browser.screenshot(shots, "connected-model", f"A task without predictions, opened with `nisba serve` "
                           f"connected: the model's {len(state['regions'])} regions are there")
    finally:
        server.shutdown()
        server.server_close()
    want = sorted((r.layer, r.label, r.start, r.end) for r in expected.regions)
    got = sorted((r["layer"], r["label"], r["start"], r["end"]) for r in state["regions"])
    assert got == want and len(got) > 3
    assert {p["model_version"] for p in task_predictions(ls_client, task_id)} == {rules.model_version}
