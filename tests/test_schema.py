"""Schema checks: a bad schema is refused before any server call, naming the key path."""

from __future__ import annotations

import copy

import pytest
import yaml

from annotation.schema.schema import DEFAULT_SCHEMA, SchemaError, load_schema, parse_schema

SOURCES = ["SANA", "Reuters"]


@pytest.fixture
def raw():
    return yaml.safe_load(DEFAULT_SCHEMA.read_text(encoding="utf-8"))


def refused(data) -> SchemaError:
    with pytest.raises(SchemaError) as info:
        parse_schema(data, SOURCES)
    return info.value


def test_default_schema_has_three_layers_in_order(schema):
    assert schema.layer_names == ["entities", "events", "claims"]
    assert schema.layer("entities").labels[:3] == ("PER", "ORG", "GPE")
    assert schema.layer("claims").labels == ("CLAIM", "SOURCE", "CUE")


def test_claims_relations_and_choices_are_present(schema):
    assert {"attributed_to", "cue", "reported_via"} <= {r.value for r in schema.relations}
    assert [c.name for c in schema.choices] == ["source_type", "source_id", "stance"]
    assert "other" in schema.choice("source_id").values
    assert {"SANA", "Reuters", "Alloush", "Mogherini"} <= set(schema.choice("source_id").values)


def test_event_roles_become_relations_from_triggers_to_entities(schema):
    attacker = schema.relation("Attacker")
    assert attacker.allows("events", "Conflict.Attack", "entities", "PER")
    assert not attacker.allows("claims", "CLAIM", "entities", "PER")


def test_duplicate_label_is_named_by_key_path(raw):
    raw["layers"]["claims"]["labels"].append({"value": "PER"})
    err = refused(raw)
    assert err.path == "layers.claims.labels[3].value"
    assert "duplicate label 'PER'" in str(err)


def test_relation_naming_unknown_label_is_named_by_key_path(raw):
    raw["relations"][0]["to"] = ["claims:SPEAKER"]
    err = refused(raw)
    assert err.path == "relations[0].to[0]"
    assert "SPEAKER" in str(err)


def test_relation_naming_unknown_layer_is_refused(raw):
    raw["relations"][1]["from"] = ["quotes:CUE"]
    assert refused(raw).path == "relations[1].from[0]"


def test_empty_layer_is_named_by_key_path(raw):
    raw["layers"]["events"]["labels"] = []
    err = refused(raw)
    assert err.path == "layers.events.labels"
    assert "at least one label" in str(err)


def test_no_layers_is_refused(raw):
    raw["layers"] = {}
    assert refused(raw).path == "layers"


def test_duplicate_explicit_hotkey_is_refused(raw):
    raw["layers"]["entities"]["labels"][0]["hotkey"] = "x"
    raw["layers"]["claims"]["labels"][0]["hotkey"] = "x"
    assert refused(raw).path == "layers.claims.labels[0].hotkey"


def test_choice_on_unknown_label_is_refused(raw):
    raw["choices"][2]["when"] = "QUOTE"
    assert refused(raw).path == "choices[2].when"


def test_fingerprint_changes_with_labels_only(raw):
    a = parse_schema(copy.deepcopy(raw), SOURCES)
    raw["title"] = "another title"
    assert parse_schema(copy.deepcopy(raw), SOURCES).fingerprint() == a.fingerprint()
    raw["layers"]["entities"]["labels"].append({"value": "WEA"})
    assert parse_schema(raw, SOURCES).fingerprint() != a.fingerprint()


def test_missing_schema_file_is_a_schema_error(tmp_path):
    with pytest.raises(SchemaError, match="not found"):
        load_schema(tmp_path / "nope.yaml")


def test_project_commands_refuse_bad_schema_before_any_call(raw, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from annotation.cli import app

    monkeypatch.setenv("LABEL_STUDIO_URL", "http://127.0.0.1:9")  # nothing listens: a call would fail differently
    monkeypatch.setenv("LABEL_STUDIO_API_KEY", "k" * 40)
    raw["layers"]["claims"]["labels"].append({"value": "PER"})
    bad = tmp_path / "schema.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), encoding="utf-8")
    for command in (["project", "create"], ["project", "config"]):
        out = CliRunner().invoke(app, [*command, "--schema", str(bad)])
        assert out.exit_code == 1
        assert "layers.claims.labels[3].value: duplicate label 'PER'" in out.output
        assert "not reachable" not in out.output


def test_project_config_command_prints_the_xml():
    from typer.testing import CliRunner

    from annotation.cli import app

    out = CliRunner().invoke(app, ["project", "config"])
    assert out.exit_code == 0
    assert out.output.startswith("<View>") and 'name="claims"' in out.output


def test_schema_error_is_a_nisba_error():
    from annotation.errors import NisbaError

    assert issubclass(SchemaError, NisbaError)


@pytest.mark.parametrize("command", [
    ["predict", "--model", "rules", "--input", "in.txt", "--out", "out.jsonl"],
    ["next"], ["loop-report"], ["serve", "--model", "rules", "--token", "t"],
])
def test_bad_schema_is_printed_once_without_traceback(command, monkeypatch):
    from typer.testing import CliRunner

    import annotation.schema.schema as schema_module
    from annotation.cli import app

    def bad(*args, **kwargs):
        raise SchemaError("layers.claims.labels[3].value", "duplicate label 'PER'")

    monkeypatch.setattr(schema_module, "load_schema", bad)
    out = CliRunner().invoke(app, command)
    assert out.exit_code == 1, out.output
    assert isinstance(out.exception, SystemExit)
    assert out.output.count("error: layers.claims.labels[3].value: duplicate label 'PER'") == 1
    assert "Traceback" not in out.output
