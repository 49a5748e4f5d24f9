"""The rules pre-annotator (training/predict/rules/predictor.py), predict_file, and the seed gold fixture."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from annotation.convert.document import content_hash
from annotation.errors import NisbaError
from annotation.convert.regions import parse_result
from annotation.schema.schema import CONFIGS_DIR, load_schema
from training.predict.predict_file import predict_file
from training.predict.rules.predictor import RulesPredictor
from training.evaluate.rules_eval import evaluate

FIXTURES = Path(__file__).parent / "fixtures"
SEED_TEXT = FIXTURES / "syria-talks-2017.txt"
SEED_GOLD = FIXTURES / "seed_gold.json"


@pytest.fixture(scope="module")
def schema():
    return load_schema()


@pytest.fixture(scope="module")
def rules(schema):
    return RulesPredictor(schema=schema)


def statements(rules, text):
    """[(claim, source, cue, via, stance, source_id, source_type)] as texts, in text order."""
    regions, relations = rules.annotate(text)
    by_id = {r.id: r for r in regions}
    out = []
    for claim in (r for r in regions if r.label == "CLAIM"):
        src = next((by_id[x.to_id] for x in relations if x.from_id == claim.id and x.label == "attributed_to"), None)
        cue = next((by_id[x.from_id] for x in relations if x.to_id == claim.id and x.label == "cue"), None)
        via = next((by_id[x.to_id] for x in relations if src and x.from_id == src.id and x.label == "reported_via"), None)
        out.append({"claim": claim, "source": src, "cue": cue, "via": via, "stance": claim.choices.get("stance"),
                    "source_id": src.choices.get("source_id") if src else None,
                    "source_type": src.choices.get("source_type") if src else None})
    return out


def test_sana_apposition_source_is_sana_news_agency(rules):
    text = "وذكرت وكالة الانباء السورية, سانا, أن وحدات من الجيش نفذت عملية نوعية."
    [st] = statements(rules, text)
    assert st["source"].text == "وكالة الانباء السورية"
    assert (st["source_id"], st["source_type"]) == ("SANA", "news_agency")
    assert st["cue"].text == "ذكرت" and st["cue"].start == 1
    assert st["claim"].text == "وحدات من الجيش نفذت عملية نوعية"
    assert st["stance"] == "asserted"


def test_hasabma_sarraha_alloush_is_source_reported_via_reuters(rules):
    text = "واتخذت المعارضة القرار في أنقرة حسبما صرح علوش لرويترز."
    [st] = statements(rules, text)
    assert st["source"].text == "علوش" and st["source_id"] == "Alloush"
    assert st["source_type"] == "armed_group"
    assert st["cue"].text == "صرح"
    assert st["claim"].text == "واتخذت المعارضة القرار في أنقرة"
    via = st["via"]
    assert (via.layer, via.label, via.text) == ("entities", "ORG", "رويترز")
    assert via.start == text.index("لرويترز") + 1 and text[via.start:via.end] == "رويترز"


def test_official_whose_name_is_withheld_is_anonymous_source(rules):
    text = ("وقال مسئول في جماعة مسلحة تنتمي للجيش الحر طلب عدم نشر اسمه لأن الجماعات لم تعين متحدثا "
            "إن الفصائل سوف تذهب.")
    [st] = statements(rules, text)
    # guidelines 4.1: «مسؤول طلب عدم ذكر اسمه» is the SOURCE, its anonymity clause included
    assert st["source"].text == "مسئول في جماعة مسلحة تنتمي للجيش الحر طلب عدم نشر اسمه"
    assert st["source_type"] == "anonymous" and st["source_id"] == "AnonymousOfficial"
    assert st["claim"].text == "الفصائل سوف تذهب"


def test_unknown_source_with_withheld_name_is_anonymous_official(rules):
    # guidelines 4.3: anonymous sources are source_type anonymous, source_id AnonymousOfficial
    text = "وقال ضابط كبير طلب عدم ذكر اسمه إن القوات انسحبت."
    [st] = statements(rules, text)
    assert st["source"].text == "ضابط كبير"
    assert (st["source_id"], st["source_type"]) == ("AnonymousOfficial", "anonymous")
    assert st["claim"].text == "القوات انسحبت"


def test_unnamed_masdar_official_is_anonymous(rules):
    [st] = statements(rules, "وقال مصدر عسكري إن القوات انسحبت.")
    assert st["source"].text == "مصدر عسكري"
    assert st["source_type"] == "anonymous"


def test_wa_adafa_with_dropped_subject_links_previous_source(rules):
    text = "وقال علوش إن المعارضة ستذهب إلي استانة. وأضاف أن هذا سيكون اختبارا للروس."
    first, second = statements(rules, text)
    assert second["cue"].text == "أضاف"
    assert second["claim"].text == "هذا سيكون اختبارا للروس"
    assert second["source"].id == first["source"].id and second["source"].text == "علوش"


def test_wa_qalat_with_dropped_subject_links_subject_of_previous_sentence(rules):
    text = "وأطلعت فيديريكا موجيريني, منسقة السياسة الخارجية, الوزراء علي المبادرات. وقالت ان الاتحاد يهدف إلي عقد مؤتمر."
    [st] = statements(rules, text)
    assert st["source"].text == "فيديريكا موجيريني" and st["source_id"] == "Mogherini"


def test_qalat_innahu_in_relative_clause_links_subject_named_in_same_sentence(rules):
    text = "وقال محللون إن الوضع صعب. وألغت المعارضة أي محادثات بسبب ما قالت إنه انتهاكات حكومية."
    first, second = statements(rules, text)
    assert first["source"].text == "محللون" and first["source_id"] == "Analysts"
    assert second["source"].text == "المعارضة" and second["source_id"] == "SyrianOpposition"
    assert second["claim"].text == "انتهاكات حكومية"


def test_nafa_an_gives_stance_denied(rules):
    text = "ونفى المتحدث باسم الوزارة أن تكون القوات قد انسحبت من المدينة."
    [st] = statements(rules, text)
    assert st["stance"] == "denied"
    assert st["cue"].text == "نفى"
    assert st["source"].text == "المتحدث باسم الوزارة"
    assert st["claim"].text == "تكون القوات قد انسحبت من المدينة"


def test_yara_gives_stance_hedged_and_analysts(rules):
    [st] = statements(rules, "ويري محللون إن المعارضة تتعرض لضغوط.")
    assert (st["stance"], st["source_id"], st["source_type"]) == ("hedged", "Analysts", "analyst")


def test_claim_opening_with_rubbama_is_hedged(rules):
    [st] = statements(rules, "وقال الأسد إن المحادثات ربما تفشل.")
    assert st["stance"] == "asserted"
    [st] = statements(rules, "وقال الأسد إن ربما تفشل المحادثات.")
    assert st["stance"] == "hedged"


def test_words_run_together_keep_every_offset(rules):
    text = "وقال مسئولون من المعارضة إن المحادثات التي تدعمها روسياوتركيا والأممالمتحدة ستعقد."
    regions, _ = rules.annotate(text)
    for r in regions:
        assert text[r.start:r.end] == r.text
    ents = {(r.text, r.label) for r in regions if r.layer == "entities"}
    assert {("روسيا", "GPE"), ("تركيا", "GPE"), ("الأممالمتحدة", "ORG")} <= ents
    tr = next(r for r in regions if r.text == "تركيا")
    assert tr.start == text.index("روسياوتركيا") + len("روسياو")


def test_cue_without_content_makes_no_claim(rules):
    regions, relations = rules.annotate("وقال في تصريح لوكالة الأنباء.")
    assert [r for r in regions if r.layer == "claims"] == []
    assert relations == []


def test_source_stops_before_fi_bayan(rules):
    [st] = statements(rules, "قالت وزارة الخارجية الروسية في بيان إن لافروف ناقش الاستعدادات.")
    assert st["source"].text == "وزارة الخارجية الروسية" and st["source_id"] == "RussianForeignMinistry"


def test_bihasab_source_after_connective(rules):
    [st] = statements(rules, "قتل عشرة مسلحين في قصف جوي بحسب المرصد السوري.")
    assert st["claim"].text == "قتل عشرة مسلحين في قصف جوي"
    assert st["source"].text == "المرصد السوري"
    assert st["cue"].text == "بحسب"


def test_trigger_with_pronoun_suffix_spans_the_word(rules):
    text = "وذلك خلال عملياتها المتواصلة وتدمير3 نقاط."
    regions, _ = rules.annotate(text)
    events = {(r.text, r.label) for r in regions if r.layer == "events"}
    assert ("عملياتها", "Conflict.Attack") in events and ("تدمير", "Conflict.Attack") in events


def test_model_version_hashes_lexicon_sources_and_schema(tmp_path, schema):
    base = RulesPredictor(schema=schema)
    assert base.model_version.startswith("rules-") and len(base.model_version) == len("rules-") + 10
    assert base.schema_fingerprint == schema.fingerprint()
    lex = tmp_path / "lexicon.yaml"
    shutil.copy(CONFIGS_DIR / "lexicon.yaml", lex)
    lex.write_text(lex.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    assert RulesPredictor(lexicon=lex, schema=schema).model_version != base.model_version
    assert RulesPredictor(schema=schema).model_version == base.model_version


def test_predict_scores_lie_in_unit_interval_and_ids_are_stable(rules):
    text = SEED_TEXT.read_text(encoding="utf-8")
    a, b = rules.predict([text, text])
    assert 0.0 < a.score <= 1.0
    assert all(0.0 <= r.score <= 1.0 for r in a.regions)
    assert [r.id for r in a.regions] == [r.id for r in b.regions]


def test_rules_output_parses_without_problems(rules, schema):
    from annotation.convert.regions import to_result

    text = SEED_TEXT.read_text(encoding="utf-8")
    [res] = rules.predict([text])
    regs, rels, problems = parse_result(to_result(res.regions, res.relations, schema), schema, text)
    assert problems == []
    assert len(regs) == len(res.regions) and len(rels) == len(res.relations)


# --- the seed gold ------------------------------------------------------------------------

def test_seed_gold_fixture_is_valid(schema):
    [task] = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    text = task["data"]["text"]
    assert text == SEED_TEXT.read_text(encoding="utf-8")
    assert task["data"]["content_hash"] == content_hash(text)
    [ann] = task["annotations"]
    assert ann["ground_truth"] is True
    for item in ann["result"]:
        if item["type"] in ("labels", "choices"):
            v = item["value"]
            assert text[v["start"]:v["end"]] == v["text"]
    regs, rels, problems = parse_result(ann["result"], schema, text)
    assert problems == []
    labels = [r.label for r in regs if r.layer == "claims"]
    assert labels.count("CLAIM") == 12 and labels.count("CUE") == 12
    claims = [r for r in regs if r.label == "CLAIM"]
    assert all(r.choices.get("stance") for r in claims)
    sources = [r for r in regs if r.label == "SOURCE"]
    assert all(r.choices.get("source_id") and r.choices.get("source_type") for r in sources)
    attributed = {x.from_id for x in rels if x.label == "attributed_to"}
    assert {c.id for c in claims} == attributed
    assert sum(x.label == "reported_via" for x in rels) == 1
    assert any(r.layer == "events" for r in regs) and any(x.label == "Place" for x in rels)


def test_seed_rules_find_every_sana_reuters_alloush_attribution(rules):
    report = evaluate(rules, SEED_GOLD)
    per = report["attribution"]["per_source_pair_recall"]
    for key in ("SANA", "Reuters", "Alloush"):
        assert per[key]["n"] >= 1
        assert per[key]["recall"] == 1.0, (key, report["attribution"]["missed_pairs"])
    assert report["gold_problems"] == []


# --- predict_file ---------------------------------------------------------------------------

def test_predict_file_txt_writes_label_studio_tasks(tmp_path, rules):
    out = tmp_path / "pred.jsonl"
    summary = predict_file(rules, SEED_TEXT, out)
    [line] = out.read_text(encoding="utf-8").splitlines()
    task = json.loads(line)
    text = SEED_TEXT.read_text(encoding="utf-8")
    assert task["data"]["text"] == text and task["data"]["content_hash"] == content_hash(text)
    [pred] = task["predictions"]
    assert pred["model_version"] == rules.model_version and 0 < pred["score"] <= 1
    kinds = {item["type"] for item in pred["result"]}
    assert kinds == {"labels", "choices", "relation"}
    assert summary["tasks"] == 1 and summary["regions"] > 100


def test_predict_file_reads_text_lines_and_label_studio_tasks(tmp_path, rules):
    src = tmp_path / "in.jsonl"
    rows = [{"text": "وقال الأسد إن حكومته مستعدة.", "url": "u1"},
            {"id": 7, "data": {"text": "ويري محللون إن المعارضة تتعرض لضغوط.", "meta": {"k": 1}}}]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    predict_file(rules, src, out)
    a, b = [json.loads(x) for x in out.read_text(encoding="utf-8").splitlines()]
    # the tasks `nisba import` makes of the same file: other keys are data, meta names file and line
    assert a["data"]["url"] == "u1" and b["id"] == 7 and b["data"]["meta"] == {"k": 1, "file": "in.jsonl", "line": 2}
    assert any(i.get("value", {}).get("labels") == ["CLAIM"] for i in a["predictions"][0]["result"])


def test_predict_file_bad_jsonl_names_file_and_line(tmp_path, rules):
    src = tmp_path / "bad.jsonl"
    src.write_text('{"text": "وقال الأسد إن حكومته مستعدة."}\n{"text": \n', encoding="utf-8")
    with pytest.raises(NisbaError, match=r"bad\.jsonl:2: not JSON"):
        predict_file(rules, src, tmp_path / "o.jsonl")
    src.write_text('{"title": "no text"}\n', encoding="utf-8")
    with pytest.raises(NisbaError, match=r"bad\.jsonl:1: no 'text'"):
        predict_file(rules, src, tmp_path / "o.jsonl")


def test_addressee_after_cue_is_not_the_source(rules):
    text = "وقال علوش إن المعارضة ستذهب. وقال لنا إن الوفد جاهز."
    first, second = statements(rules, text)
    assert second["source"].id == first["source"].id
    assert second["claim"].text == "الوفد جاهز"


def test_clitic_segmented_pronoun_after_introducer_is_skipped(rules):
    [st] = statements(rules, "و قال الجيش الاسرائيلي ان ه نفذ العملية .")
    assert st["claim"].text == "نفذ العملية"
    assert st["source"].text == "الجيش الاسرائيلي"


def test_fahasb_is_not_an_according_to_cue(rules):
    regions, _ = rules.annotate("لا يهم ذلك السياح فحسب بل السكان ايضا.")
    assert [r for r in regions if r.layer == "claims"] == []


def test_country_source_not_in_sources_yaml_is_government(rules):
    [st] = statements(rules, "وذكرت فرنسا أن العملية كانت ناجحة.")
    assert (st["source"].text, st["source_id"], st["source_type"]) == ("فرنسا", "other", "government")


def test_rules_model_version_changes_with_the_lexicon_the_sources_or_the_normalization(tmp_path, monkeypatch):
    import shutil

    from annotation.schema.schema import CONFIGS_DIR
    from annotation.text import normalize as normalize_module

    lexicon, sources = tmp_path / "lexicon.yaml", tmp_path / "sources.yaml"
    shutil.copy(CONFIGS_DIR / "lexicon.yaml", lexicon)
    shutil.copy(CONFIGS_DIR / "sources.yaml", sources)
    first = RulesPredictor(lexicon=lexicon, sources=sources).model_version
    assert RulesPredictor(lexicon=lexicon, sources=sources).model_version == first
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after_lexicon = RulesPredictor(lexicon=lexicon, sources=sources).model_version
    sources.write_text(sources.read_text(encoding="utf-8") + "\n# an edit\n", encoding="utf-8")
    after_sources = RulesPredictor(lexicon=lexicon, sources=sources).model_version
    monkeypatch.setitem(normalize_module.REPLACE, "\u06a9", "\u0643")  # keheh -> kaf
    after_normalization = RulesPredictor(lexicon=lexicon, sources=sources).model_version
    assert len({first, after_lexicon, after_sources, after_normalization}) == 4


def test_model_version_changes_with_the_lexicon_the_sources_or_the_normalization(tmp_path, monkeypatch):
    from annotation.text import arabic
    from training.train import model as model_module

    (tmp_path / model_module.WEIGHTS_FILE).write_bytes(b"weights")
    base = model_module.inputs_fingerprint()
    assert model_module.inputs_fingerprint() == base
    monkeypatch.setattr(arabic, "CLITICS", arabic.CLITICS + ("س",))
    changed = model_module.inputs_fingerprint()
    assert changed != base
    assert model_module.version_hash(tmp_path, None, base) != model_module.version_hash(tmp_path, None, changed)
    entry = {"attribution": {"sha256": "head"}}
    assert model_module.version_hash(tmp_path, entry, base) != model_module.version_hash(tmp_path, entry, changed)


def test_given_names_are_read_from_the_training_corpora_not_typed():
    from collections import Counter

    from training.predict.rules.given_names import GIVEN_NAMES_FILE, first_words, read_given_names, select_names

    counts, seen = first_words([("قال محمد علي إن خلف البيت خلف السور خلف الباب", {"entities": [(4, 12, "PER")]}),
                                ("وأكد محمد سالم أن خلف الله حضر", {"entities": [(5, 14, "PER"), (18, 26, "PER")]})])
    assert counts == Counter({"محمد": 2, "خلف": 1})
    # "خلف" opens one name in its four occurrences (behind, three times): not a given name
    assert select_names(counts, seen, excluded=set(), min_count=1) == ["محمد"]
    assert select_names(Counter({"الرئيس": 5, "وزير": 5}), Counter(), excluded={"وزير"}, min_count=1) == []
    header = GIVEN_NAMES_FILE.read_text(encoding="utf-8").splitlines()[:3]
    assert "NewsFANE train (CC BY-SA 3.0)" in " ".join(header) and "nisba-gold train" in " ".join(header)
    assert {"محمد", "عبدالله"} <= read_given_names()


@pytest.mark.skipif(not __import__("tests.corpus_sentences", fromlist=["corpus_available"]).corpus_available(),
                    reason="the corpora are not here to rebuild the list")
def test_given_names_file_is_what_the_corpora_give_today():
    from training.predict.rules.given_names import main

    assert main(["--check"]) == 0   # stale after nisba-gold train grows: python -m training.predict.rules.given_names


def test_masdars_are_read_from_nisba_gold_train_not_typed():
    from collections import Counter

    from annotation.convert.regions import Region, Relation
    from training.predict.rules.masdars import MASDARS_FILE, object_stems, select_masdars
    from training.predict.rules.predictor import masdar_stem

    text = "وأكدت مصادر محلية دخول القوات المدينة. وأكد الوزير أن الوضع هادئ."
    s = text.index("دخول")
    t = text.index("الوضع")
    regions = [Region("c1", "claims", "CUE", 0, 5, "وأكدت"), Region("k1", "claims", "CLAIM", s, s + 30, text[s:s + 30]),
               Region("c2", "claims", "CUE", 39, 43, text[39:43]), Region("k2", "claims", "CLAIM", t, t + 10, text[t:t + 10])]
    relations = [Relation("c1", "k1", "cue"), Relation("c2", "k2", "cue")]
    # the claim after "أن" opens no noun object: only "دخول" counts
    assert object_stems([(text, regions, relations)], {"اكدت", "اكد"}, {"ان"}) == Counter({"دخول": 1})
    assert select_masdars(Counter({"دخول": 2, "هذه": 5, "رفض": 1})) == ["دخول"]
    assert masdar_stem("وقوفها") == "وقوف" and masdar_stem("الضروره") == "ضرور"
    header = " ".join(MASDARS_FILE.read_text(encoding="utf-8").splitlines()[:3])
    assert "nisba-gold train (CC BY-NC-SA 4.0" in header and "non-commercial" in header


@pytest.mark.skipif(not __import__("tests.corpus_sentences", fromlist=["corpus_available"]).corpus_available(),
                    reason="the corpora are not here to rebuild the list")
def test_masdars_file_is_what_nisba_gold_train_gives_today():
    from training.predict.rules.masdars import main

    assert main(["--check"]) == 0   # stale after nisba-gold train grows: python -m training.predict.rules.masdars


def test_according_to_connective_ending_the_text_is_read_as_only_and_never_crashes(rules):
    # "وحسب" closing the text means "and that is all": no source follows it (it raised IndexError)
    got = statements(rules, "ويرى المراقبون أن الرد كان انتقاما سياسيا ضد العرب وحسب.")
    assert [(s["source"].text, s["cue"].text) for s in got] == [("المراقبون", "يرى")]


def test_a_tatweel_dash_after_the_cue_is_no_source_and_the_speaker_carries_over(rules):
    # "وأشار ـ في تصريح ... ـ إلى أن": the dash was read as the verb's subject, a one-mark SOURCE
    text = "وقال مدير المشروع سامي العلي إن العمل بدأ أمس. وأشار ـ في تصريح هاتفي لـ(اليوم) ـ إلى أن الافتتاح سيكون قريبا."
    got = statements(rules, text)
    assert [(s["claim"].text, s["source"].text, s["cue"].text) for s in got] == [
        ("العمل بدأ أمس", "سامي العلي", "قال"), ("الافتتاح سيكون قريبا", "سامي العلي", "أشار")]
    assert got[1]["via"].text == "اليوم"
