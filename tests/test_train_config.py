"""The training config: typed, only existing keys may be overridden, errors name the key."""

import pytest

from annotation.errors import NisbaError
from training.train.config import apply_overrides, config_keys, load_config


def test_default_config_file_loads_with_the_documented_defaults():
    cfg = load_config()
    assert cfg.model.name == "default"
    assert cfg.model.layers == ["entities", "events", "claims"]
    assert cfg.data.max_length > cfg.data.stride


def test_dotted_override_changes_a_typed_value():
    cfg = load_config(None, ["training.epochs=3", "training.learning_rate=3e-5", "training.progress=false"])
    assert cfg.training.epochs == 3
    assert cfg.training.learning_rate == pytest.approx(3e-5)
    assert cfg.training.progress is False


def test_list_override_accepts_yaml_list_or_comma_list():
    assert load_config(None, ["model.layers=[entities, claims]"]).model.layers == ["entities", "claims"]
    assert load_config(None, ["model.layers=entities,events"]).model.layers == ["entities", "events"]


def test_unique_leaf_name_is_accepted_as_override():
    assert load_config(None, ["stride=32"]).data.stride == 32


def test_ambiguous_leaf_name_is_refused_naming_the_choices():
    with pytest.raises(NisbaError, match="training.epochs, pretrain.epochs|pretrain.epochs, training.epochs"):
        load_config(None, ["epochs=3"])


def test_unknown_override_key_is_refused_naming_the_key_and_a_suggestion():
    with pytest.raises(NisbaError, match=r"'training.epoch'.*did you mean training.epochs"):
        load_config(None, ["training.epoch=3"])


def test_wrong_type_is_refused_naming_the_key():
    with pytest.raises(NisbaError, match="training.batch_size must be int"):
        load_config(None, ["training.batch_size=big"])


def test_unknown_key_in_the_file_is_refused(tmp_path):
    path = tmp_path / "train.yaml"
    path.write_text("training:\n  epochz: 3\n", encoding="utf-8")
    with pytest.raises(NisbaError, match="epochz"):
        load_config(path)


def test_invalid_value_is_refused_by_validation():
    with pytest.raises(NisbaError, match="data.stride"):
        load_config(None, ["data.max_length=64", "data.stride=64"])


def test_override_without_equals_sign_is_refused():
    with pytest.raises(NisbaError, match="expected key=value"):
        apply_overrides(load_config(), ["training.epochs"])


def test_every_file_key_is_a_config_key():
    import yaml

    from training.train.config import DEFAULT_TRAIN_CONFIG

    data = yaml.safe_load(DEFAULT_TRAIN_CONFIG.read_text(encoding="utf-8"))
    file_keys = {f"{s}.{k}" for s, v in data.items() if isinstance(v, dict) for k in v}
    assert file_keys == set(config_keys())


def test_pretrain_fingerprint_ignores_the_cache_dir_only():
    a, b = load_config().pretrain, load_config().pretrain
    b.cache_dir = "/elsewhere"
    assert a.fingerprint() == b.fingerprint()
    b.hidden_size = 64
    assert a.fingerprint() != b.fingerprint()


def test_missing_key_in_the_file_is_an_error_naming_it(tmp_path):
    # the dataclasses hold no defaults: a value lives in configs/train.yaml alone
    import yaml

    from training.train.config import DEFAULT_TRAIN_CONFIG

    data = yaml.safe_load(DEFAULT_TRAIN_CONFIG.read_text(encoding="utf-8"))
    del data["training"]["warmup_ratio"]
    del data["crf"]
    path = tmp_path / "train.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(NisbaError, match=r"missing config keys training.warmup_ratio, crf.c1, crf.c2"):
        load_config(path)


def test_config_classes_hold_no_defaults():
    import dataclasses

    from training.train.config import TrainConfig, _section_types

    for cls in [TrainConfig, *_section_types().values()]:
        for f in dataclasses.fields(cls):
            assert f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING, f"{cls.__name__}.{f.name}"


# Parameters of training/train/ named like a train.yaml key whose default is a value of their own,
# with why each is not the setting: (path, function, parameter).
NOT_THE_SETTING = {
    # 0 is "no cap", the neutral value of the function; the pretrain passes pretrain.max_words_per_corpus
    ("training/train/pretrain.py", "corpus_sentences", "max_words_per_corpus"),
    # the word clusters' own cache folder and k-means seed (training/train/clusters.py, another
    # change in progress): not pretrain.cache_dir nor training.seed
    ("training/train/clusters.py", "cache_path", "cache_dir"),
    ("training/train/clusters.py", "clusters_for", "cache_dir"),
    ("training/train/clusters.py", "build_clusters", "seed"),
}


def test_no_training_setting_has_a_default_outside_train_yaml():
    # a function of training/train/ taking a setting of configs/train.yaml (by its name) takes it
    # from the config: a default there would be a second value of the setting
    import ast
    from pathlib import Path

    from training.train.config import config_keys

    root = Path(__file__).resolve().parent.parent
    settings = {key.split(".", 1)[1] for key in config_keys()}
    found = []
    for path in sorted((root / "training" / "train").rglob("*.py")):
        rel = path.relative_to(root).as_posix()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            a = node.args
            positional = a.posonlyargs + a.args
            pairs = list(zip(positional[len(positional) - len(a.defaults):], a.defaults))
            pairs += [(arg, d) for arg, d in zip(a.kwonlyargs, a.kw_defaults) if d is not None]
            for arg, default in pairs:
                if (arg.arg in settings and isinstance(default, ast.Constant) and default.value is not None
                        and (rel, node.name, arg.arg) not in NOT_THE_SETTING):
                    found.append(f"{rel}:{node.lineno} {node.name}({arg.arg}={default.value!r})")
    assert not found, "take these from the config (configs/train.yaml):\n" + "\n".join(found)


def test_the_tagger_takes_its_dropout_from_the_config_alone():
    # model.dropout lives in configs/train.yaml: the tagger has no value of its own
    import inspect

    from training.train.model import MultiLayerTagger

    assert inspect.signature(MultiLayerTagger.__init__).parameters["dropout"].default is inspect.Parameter.empty
