"""The task's text field and the scored layers come from the schema, never a literal "text"."""

import dataclasses
import json

from annotation.convert.task_files import make_task
from annotation.schema.schema import load_schema
from training.evaluate.rules_eval import load_gold


def _body_schema():
    return dataclasses.replace(load_schema(), text_name="body")


def test_task_text_field_comes_from_the_schema():
    task = make_task("نص المقال", {}, _body_schema())
    assert task["data"]["body"] == "نص المقال" and "text" not in task["data"]


def test_rules_eval_reads_the_gold_text_from_the_schema_field(tmp_path):
    gold = tmp_path / "gold.json"
    gold.write_text(json.dumps([{"id": 1, "data": {"body": "قال الوزير"}, "annotations": [{"result": []}]}],
                               ensure_ascii=False), encoding="utf-8")
    docs, problems = load_gold(gold, _body_schema())
    assert [d["text"] for d in docs] == ["قال الوزير"] and problems == []


# --- roles: the schema binds each name the code relies on, once ------------------------------

import ast  # noqa: E402
import copy  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
import yaml  # noqa: E402

from annotation.schema.schema import DEFAULT_SCHEMA, Roles, SchemaError, default_schema, parse_schema  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def raw():
    return yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))


def _refused(data) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        parse_schema(data, ["SANA"])
    return info.value


def test_roles_bind_the_default_schema_names():
    roles = default_schema().roles
    assert (roles.entities, roles.events, roles.claims) == ("entities", "events", "claims")
    assert (roles.claim, roles.source, roles.cue, roles.outlet) == (
        ("claims", "CLAIM"), ("claims", "SOURCE"), ("claims", "CUE"), ("entities", "ORG"))
    assert (roles.claim_source, roles.cue_claim, roles.source_outlet) == ("attributed_to", "cue", "reported_via")
    assert (roles.stance, roles.source_id, roles.source_type) == ("stance", "source_id", "source_type")


def test_role_naming_a_missing_label_is_a_schema_error(raw):
    raw["roles"]["claim"] = "claims:QUOTE"
    err = _refused(raw)
    assert err.path == "roles.claim" and "QUOTE" in str(err) and "'claim'" in str(err)


@pytest.mark.parametrize("role, name, what", [
    ("claims", "quotes", "unknown layer 'quotes'"),
    ("source", "quotes:SOURCE", "unknown layer 'quotes'"),
    ("claim_source", "said_by", "unknown relation 'said_by'"),
    ("stance", "polarity", "unknown choice 'polarity'"),
    ("outlet", "ORG", "expected 'layer:LABEL'"),
])
def test_role_naming_a_missing_layer_relation_or_choice_is_a_schema_error(raw, role, name, what):
    raw["roles"][role] = name
    err = _refused(raw)
    assert err.path == f"roles.{role}" and what in str(err)


def test_unknown_role_is_an_error_naming_the_nearest(raw):
    raw["roles"]["claim_sorce"] = "attributed_to"
    err = _refused(raw)
    assert err.path == "roles.claim_sorce" and "did you mean 'claim_source'?" in str(err)


def test_relation_role_must_join_its_label_roles(raw):
    raw["roles"]["claim_source"] = "cue"        # cue joins CUE -> CLAIM, not CLAIM -> SOURCE
    err = _refused(raw)
    assert err.path == "roles.claim_source" and "does not join claims:CLAIM (claim) to claims:SOURCE" in str(err)


def test_choice_role_must_be_shown_on_its_label_role(raw):
    raw["roles"]["stance"] = "source_type"      # shown on SOURCE, not on CLAIM
    err = _refused(raw)
    assert err.path == "roles.stance" and "not on claims:CLAIM (claim)" in str(err)


def test_renamed_names_reach_the_code_through_the_roles(raw):
    raw["layers"]["quotes"] = raw["layers"].pop("claims")
    raw["layers"]["quotes"]["labels"][0]["value"] = "QUOTE"
    for r in raw["relations"]:
        r["from"] = [p.replace("claims:CLAIM", "quotes:QUOTE").replace("claims:", "quotes:") for p in r["from"]]
        r["to"] = [p.replace("claims:CLAIM", "quotes:QUOTE").replace("claims:", "quotes:") for p in r["to"]]
        if r["value"] == "attributed_to":
            r["value"] = "said_by"
    for c in raw["choices"]:
        c["layer"] = "quotes"
        c["when"] = "QUOTE" if c["when"] == "CLAIM" else c["when"]
    raw["roles"].update(claims="quotes", claim="quotes:QUOTE", source="quotes:SOURCE", cue="quotes:CUE",
                        claim_source="said_by")
    roles = parse_schema(raw, ["SANA"]).roles
    assert roles.claims == "quotes" and roles.claim == ("quotes", "QUOTE") and roles.claim_source == "said_by"


def test_a_schema_without_roles_binds_the_default_names_it_has(raw):
    del raw["roles"]
    raw["relations"] = [r for r in raw["relations"] if r["value"] != "cue"]
    roles = parse_schema(raw, ["SANA"]).roles
    assert roles.claim == ("claims", "CLAIM") and roles.claim_source == "attributed_to"
    assert roles.cue_claim is None and roles.attribution_relations == ("attributed_to", "reported_via")


def test_left_out_role_is_unbound_and_matches_no_region(raw):
    del raw["roles"]["cue"]
    roles = parse_schema(raw, ["SANA"]).roles
    assert roles.cue is None and roles == dataclasses.replace(default_schema().roles, cue=None)

    class R:
        layer, label = "claims", "CUE"

    assert not roles.is_(R, "cue") and default_schema().roles.is_(R, "cue") and isinstance(roles, Roles)


RENAMED = {"claims": "quotes", "CLAIM": "QUOTE", "attributed_to": "said_by", "stance": "polarity",
           "source_id": "speaker_id"}


def _rename_claims(raw) -> None:
    """configs/schema.yaml with the claims layer's names changed as ``RENAMED`` says, roles bound to them."""
    def pattern(p: str) -> str:
        layer, label = p.split(":")
        return f"{RENAMED.get(layer, layer)}:{RENAMED.get(label, label)}"

    raw["layers"]["quotes"] = raw["layers"].pop("claims")
    raw["layers"]["quotes"]["labels"][0]["value"] = "QUOTE"
    for r in raw["relations"]:
        r["value"], r["from"], r["to"] = RENAMED.get(r["value"], r["value"]), [pattern(p) for p in r["from"]], \
            [pattern(p) for p in r["to"]]
    for c in raw["choices"]:
        c["name"], c["layer"], c["when"] = RENAMED.get(c["name"], c["name"]), "quotes", RENAMED.get(c["when"], c["when"])
    raw["roles"] = {role: ":".join(RENAMED.get(part, part) for part in str(name).split(":"))
                    for role, name in raw["roles"].items()}


def test_the_rules_and_the_linker_write_the_names_the_schema_binds(raw):
    from annotation.schema.schema import load_source_ids
    from training.predict.linker import CombinedPredictor, PairLinker
    from training.predict.rules.predictor import RulesPredictor
    from training.predict.rules.sources import SourceIndex
    from training.predict.rules.sources_review import unknown_mentions

    ids = load_source_ids()
    text = (ROOT / "tests" / "fixtures" / "syria-talks-2017.txt").read_text(encoding="utf-8")
    default = parse_schema(copy.deepcopy(raw), ids)
    _rename_claims(raw)
    renamed = parse_schema(raw, ids)
    assert renamed.roles.claim == ("quotes", "QUOTE") and renamed.roles.stance == "polarity"

    def view(res, rename=lambda n: n):
        by_id = {r.id: r for r in res.regions}

        def key(r):
            return rename(r.layer), rename(r.label), r.start, r.end

        regions = sorted((key(r), sorted((rename(k), v) for k, v in r.choices.items())) for r in res.regions)
        return regions, sorted((key(by_id[x.from_id]), key(by_id[x.to_id]), rename(x.label)) for x in res.relations)

    for make in (lambda schema: RulesPredictor(schema=schema),
                 lambda schema: CombinedPredictor(RulesPredictor(schema=schema), PairLinker.load(roles=schema.roles))):
        before, after = make(default).predict([text])[0], make(renamed).predict([text])[0]
        assert view(after) == view(before, lambda n: RENAMED.get(n, n))
        assert {r.layer for r in after.regions} >= {"quotes"} and "said_by" in {x.label for x in after.relations}
    none_known = SourceIndex([])  # every SOURCE is an unknown mention
    mentions = unknown_mentions([{"text": text, "regions": before.regions}], none_known, default.roles)
    assert unknown_mentions([{"text": text, "regions": after.regions}], none_known, renamed.roles) == mentions
    assert any(m["source_type"] for m in mentions)


def test_roles_leave_the_labeling_config_and_fingerprint_alone(raw):
    from annotation.schema.labeling_config import labeling_config

    without = copy.deepcopy(raw)
    del without["roles"]
    a, b = parse_schema(raw, ["SANA"]), parse_schema(without, ["SANA"])
    assert labeling_config(a) == labeling_config(b) and a.fingerprint() == b.fingerprint()


# --- no schema name is written in the code ----------------------------------------------------

# Where code may still write a schema name. Each entry is a path prefix (all names) or
# (path, name) (that name only), with why.
NOT_YET_CONVERTED = ()  # every module reads the names from schema.roles
COINCIDENCES = {
    # gazetteer tags are CRF feature values of their own vocabulary (with LANG, news_agency, ...);
    # renaming the schema's GPE must not change the features a trained CRF was fitted on
    ("training/train/gazetteer.py", "GPE"), ("training/train/gazetteer.py", "LOC"),
    # the CLI command ``nisba claims`` (the claims table): a command name, not the layer
    ("annotation/commands/claims.py", "claims"),
    # the review's mention rows ({text, source_type, context, article}, read by ``nisba sources review``):
    # a column of its own; the region's choice is read through schema.roles
    ("training/predict/rules/sources_review.py", "source_type"),
}
# Formats of their own, whose names coincide with the schema's by design: (path, top-level class or
# assignment) skipped whole. The document view's columns (entities, events, claims, cue, ...) stay
# the same whatever the schema calls its layers, relations and choices: a dataset reader relies on them.
FORMATS = {("annotation/convert/document.py", "DocumentView"),
           # configs/lexicon.yaml's own keys (a cue's ``stance:``): the lexicon's format, whatever the schema's names
           ("training/predict/rules/predictor.py", "Lexicon")}
# "text" is the task field's default name, but also Label Studio's region value key, the document
# row's column and every record's text field: those are formats, not the schema's task field.
# test_task_text_field_comes_from_the_schema and the rules_eval test above pin the task field.
NOT_CHECKED = {"text"}
CODE = ("annotation", "training")


def _schema_names(schema) -> dict[str, str]:
    names = {}
    for layer in schema.layers:
        names[layer.name] = "layer"
        names.update({label: "label" for label in layer.labels})
        names.update({role: "event role" for role in layer.roles})
    names.update({r.value: "relation" for r in schema.relations if r.value not in names})
    names.update({c.name: "choice" for c in schema.choices})
    names[schema.text_name] = "task field"
    return {k: v for k, v in names.items() if k not in NOT_CHECKED}


def _docstrings(tree) -> set[int]:
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                out.add(id(first.value))
    return out


def _literals(names: dict[str, str]) -> list[str]:
    found = []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("annotation/schema/") or any(rel.startswith(p) for p in NOT_YET_CONVERTED):
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for top_node in tree.body:
                named = [top_node.name] if isinstance(top_node, (ast.ClassDef, ast.FunctionDef)) else [
                    t.id for t in getattr(top_node, "targets", []) if isinstance(t, ast.Name)]
                if any((rel, n) in FORMATS for n in named):
                    skip |= {id(n) for n in ast.walk(top_node)}
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                        and node.value in names and (rel, node.value) not in COINCIDENCES):
                    found.append(f"{rel}:{node.lineno}: {node.value!r} ({names[node.value]})")
    return found


def test_no_schema_name_is_written_as_a_literal_outside_the_schema():
    found = _literals(_schema_names(default_schema()))
    assert not found, "read these names from schema.roles instead:\n" + "\n".join(found)


def _task_data(node) -> bool:
    """Whether an expression is a task's data: ``x["data"]``, ``x.get("data")`` or a name ``data``."""
    if isinstance(node, ast.BoolOp):
        return any(_task_data(v) for v in node.values)
    if isinstance(node, ast.Name):
        return node.id == "data"
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "data"
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "get"
            and bool(node.args) and isinstance(node.args[0], ast.Constant) and node.args[0].value == "data")


def _task_field_literals(src: str, field: str) -> list[int]:
    """Lines that name a task's text field ``field`` by a literal: ``task["data"]["text"]``,
    ``data.get("text")``, ``{"data": {"text": ...}}``."""
    def is_field(node) -> bool:
        return isinstance(node, ast.Constant) and node.value == field

    lines = []
    for node in ast.walk(ast.parse(src)):
        if isinstance(node, ast.Subscript) and is_field(node.slice) and _task_data(node.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("get", "pop") \
                and node.args and is_field(node.args[0]) and _task_data(node.func.value):
            lines.append(node.lineno)
        elif isinstance(node, ast.Dict):
            if any(isinstance(k, ast.Constant) and k.value == "data" and isinstance(v, ast.Dict)
                   and any(is_field(kk) for kk in v.keys) for k, v in zip(node.keys, node.values)):
                lines.append(node.lineno)
    return lines


def test_task_field_is_never_written_as_a_literal_outside_the_schema():
    field, found = default_schema().text_name, []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if rel.startswith("annotation/schema/") or any(rel.startswith(p) for p in NOT_YET_CONVERTED):
                continue
            found += [f"{rel}:{line}" for line in _task_field_literals(path.read_text(encoding="utf-8"), field)]
    assert not found, "read the task field as schema.text_name:\n" + "\n".join(found)


def test_the_task_field_check_sees_a_literal_task_field():
    src = ('a = task["data"]["text"]\nb = data.get("text")\nc = {"data": {"text": t, "meta": {}}}\n'
           'd = task["data"][schema.text_name]\ne = task["data"].get("content_hash")\nf = row["text"]\n')
    assert _task_field_literals(src, "text") == [1, 2, 3]


def test_the_literal_check_sees_a_schema_name_in_code(tmp_path, monkeypatch):
    names = _schema_names(default_schema())
    assert {"claims", "CLAIM", "attributed_to", "stance", "ORG", "Attacker"} <= set(names)
    src = 'def f(r):\n    """claims in a docstring are fine."""\n    return r.label == "CLAIM"\n'
    tree = ast.parse(src)
    hits = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and n.value in names
            and id(n) not in _docstrings(tree)]
    assert hits == ["CLAIM"]
