"""The event-role classifier (training/predict/event_roles.py): its features, its candidates,
training on invented sentences, its file, and its arguments replacing a combination's."""

from __future__ import annotations

import json

import pytest

from annotation.convert.regions import Region, Relation, region_id
from annotation.errors import NisbaError
from annotation.schema.schema import load_schema
from training.predict.base import PredictionResult
from training.predict.event_roles import (
    MAX_GAP_WORDS,
    NONE,
    RoleClassifier,
    candidate_pairs,
    pair_features,
    train_role_classifier,
)


def _region(text: str, layer: str, label: str, sub: str, nth: int = 0) -> Region:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return Region(region_id(layer, label, start, start + len(sub)), layer, label, start, start + len(sub), sub)


def test_features_name_the_side_the_gap_and_the_preposition_before_the_entity():
    text = "وقع انفجار في بغداد أمس."
    trigger = _region(text, "events", "Conflict.Attack", "انفجار")
    place = _region(text, "entities", "GPE", "بغداد")
    feats = pair_features(text, trigger, place, [trigger], [place])
    assert {"side=after", "gap=1", "prev=في", "clitic=-", "between=في", "type|label=Conflict.Attack|GPE",
            "nearest=True"} <= set(feats)


def test_features_name_the_proclitic_inside_the_entity_word():
    text = "وقع انفجار ببغداد أمس."
    trigger = _region(text, "events", "Conflict.Attack", "انفجار")
    place = Region("p", "entities", "GPE", text.index("بغداد"), text.index("بغداد") + 5, "بغداد")
    feats = pair_features(text, trigger, place, [trigger], [place])
    assert "clitic=ب" in feats and "prev=انفجار" in feats and "gap=0" in feats


def test_an_entity_before_the_trigger_with_another_trigger_nearer_is_marked_so():
    text = "أعلن تنظيم داعش مسؤوليته عن الهجوم وعن التفجير."
    attack = _region(text, "events", "Conflict.Attack", "الهجوم")
    blast = _region(text, "events", "Conflict.Attack", "التفجير")
    org = _region(text, "entities", "ORG", "داعش")
    feats = pair_features(text, blast, org, [attack, blast], [org])
    assert {"side=before", "triggers_between=1", "nearest=False", "prev=تنظيم"} <= set(feats)


def test_candidates_stay_in_the_trigger_sentence_and_within_reach():
    far = " ".join(["كلمة"] * (MAX_GAP_WORDS + 1))
    text = f"قصف الجيش حلب. ووصل الوفد إلى دمشق. واشتباك {far} حمص"
    shelling = _region(text, "events", "Conflict.Attack", "قصف")
    clash = _region(text, "events", "Conflict.Attack", "اشتباك")
    regions = [shelling, clash, _region(text, "entities", "GPE", "حلب"), _region(text, "entities", "GPE", "دمشق"),
               _region(text, "entities", "GPE", "حمص")]
    pairs = {(t.text, e.text) for t, e, _ in candidate_pairs(text, regions)}
    assert pairs == {("قصف", "حلب")}


def _documents():
    """Invented news sentences: a place after في, an attacker before the attack, a destination after إلى."""
    places = ["حلب", "دمشق", "حمص", "بغداد", "الموصل", "إدلب", "درعا", "صنعاء"]
    groups = ["داعش", "القاعدة", "النصرة", "الحوثيين"]
    docs = []
    for i, place in enumerate(places):
        group = groups[i % len(groups)]
        text = f"شن تنظيم {group} هجوما في {place} أمس. ووصل الوزير إلى {places[i - 1]} اليوم."
        attack = _region(text, "events", "Conflict.Attack", "هجوما")
        travel = _region(text, "events", "Movement.Transport", "وصل")
        org = _region(text, "entities", "ORG", group)
        where = _region(text, "entities", "GPE", place)
        dest = _region(text, "entities", "GPE", places[i - 1], nth=1 if places[i - 1] == place else 0)
        docs.append((text, [attack, travel, org, where, dest],
                     [Relation(attack.id, org.id, "Attacker"), Relation(attack.id, where.id, "Place"),
                      Relation(travel.id, dest.id, "Destination")]))
    return docs


def test_the_classifier_learns_roles_from_the_words_around_the_entity():
    clf = train_role_classifier(_documents(), say=lambda m: None)
    text = "شن تنظيم داعش هجوما في الرقة أمس. ووصل الوزير إلى عمان اليوم."
    attack = _region(text, "events", "Conflict.Attack", "هجوما")
    travel = _region(text, "events", "Movement.Transport", "وصل")
    org, raqqa, amman = (_region(text, "entities", l, s) for l, s in (("ORG", "داعش"), ("GPE", "الرقة"), ("GPE", "عمان")))
    got = {(x.from_id, x.to_id, x.label) for x in clf.arguments(text, [attack, travel, org, raqqa, amman])}
    assert got == {(attack.id, org.id, "Attacker"), (attack.id, raqqa.id, "Place"), (travel.id, amman.id, "Destination")}
    assert clf.stats["gold_arguments"] == 24 and clf.stats["documents"] == 8


def test_a_saved_classifier_loads_and_predicts_the_same(tmp_path):
    docs = _documents()
    clf = train_role_classifier(docs, say=lambda m: None)
    clf.save(tmp_path / "event_roles.json")
    again = RoleClassifier.load(tmp_path / "event_roles.json", load_schema())
    for text, regions, _ in docs:
        assert again.arguments(text, regions) == clf.arguments(text, regions)


def test_a_classifier_with_a_role_the_schema_lacks_is_refused_naming_the_file(tmp_path):
    clf = train_role_classifier(_documents(), say=lambda m: None)
    path = tmp_path / "event_roles.json"
    clf.save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["classes"][data["classes"].index("Attacker")] = "Perpetrator"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(NisbaError, match=r"event_roles\.json: roles \['Perpetrator'\]"):
        RoleClassifier.load(path, load_schema())


def test_documents_without_arguments_are_an_error_not_an_empty_model():
    text, regions, _ = _documents()[0]
    with pytest.raises(NisbaError, match="no event argument"):
        train_role_classifier([(text, regions, [])], say=lambda m: None)


def test_a_combination_gets_the_classifier_arguments_and_keeps_its_claim_relations():
    from training.predict.combine import reattach_arguments

    text, regions, _ = _documents()[0]
    clf = train_role_classifier(_documents(), say=lambda m: None)
    attack = next(r for r in regions if r.label == "Conflict.Attack")
    dest = next(r for r in regions if r.text == "صنعاء")
    claim = Region("c", "claims", "CLAIM", 0, 5, text[:5])
    source = Region("s", "claims", "SOURCE", 6, 10, text[6:10])
    stale = Relation(attack.id, dest.id, "Victim")  # the rules' argument, say
    kept = Relation("c", "s", "attributed_to")
    out = reattach_arguments(text, PredictionResult(regions + [claim, source], [stale, kept], 0.9), clf)
    assert stale not in out.relations and kept in out.relations
    assert {x.label for x in out.relations if x.from_id == attack.id} == {"Attacker", "Place"}
    assert out.score == 0.9 and NONE not in {x.label for x in out.relations}
