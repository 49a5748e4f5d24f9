"""Event arguments learned: a role classifier over (trigger, entity) pairs of one sentence.

The span taggers (the CRF, the transformer) find event triggers and entities but no arguments;
the rules attach a few by lexicon (nisba-gold test 0.067). This classifier labels every pair of
a trigger and an entity in the trigger's sentence, at most ``MAX_GAP_WORDS`` words apart, with
one of the schema's event roles (Place, Attacker, Target...) or ``none``: a multinomial
logistic regression (scikit-learn) over binary features (``pair_features``):

- the trigger's type and word, the entity's label and words;
- where the entity stands: before or after the trigger, the words between (a bucket; the words
  themselves when at most four), the entities and triggers between, whether this trigger is
  the entity's nearest, a comma between;
- what introduces the entity: the proclitic inside its word ("ب[داعش]", "و[سوريا]") and the
  one or two words before it ("في", "إلى", "مدينة", "تنظيم"), the word after it;
- conjunctions of those (type x label x side, type x preceding word, ...).

97% of nisba-gold train's arguments lie in the trigger's sentence, 95% within 30 words.
Features seen once in training are dropped. ``none`` is penalized by ``NONE_PENALTY`` (log
odds) at prediction: chosen on nisba-gold dev with gold triggers and entities (argument F1
0.644 without, 0.655 with; more penalty trades precision for recall at equal F1).

``train_role_classifier(docs)`` fits it on documents ``(text, regions, relations)``;
``RoleClassifier.save/load`` keep it as JSON (``event_roles.json`` in a model directory:
format_version, classes, feature names, weights); ``RoleClassifier.arguments(text, regions)``
gives the event-argument relations of one text's regions, whoever predicted them.

Not handled here: which documents it learns from (training/train/crf_data.py), where its
relations go (training/predict/crf.py, combine.py).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from annotation.convert.regions import Region, Relation
from annotation.errors import NisbaError
from annotation.json_files import read_versioned_json
from annotation.schema.schema import Roles, default_roles
from annotation.text.sentences import sentence_bounds

ROLES_FILE = "event_roles.json"
ROLES_FORMAT_VERSION = 1
NONE = "none"
MAX_GAP_WORDS = 30
NONE_PENALTY = 0.5
MIN_FEATURE_COUNT = 2
C = 0.3  # inverse L2 strength; nisba-gold dev (gold spans): 0.3 0.654, 1.0 0.655, 3.0 0.649
WORD = re.compile(r"\w+")
_ALEF = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ة": "ه", "ى": "ي"})
# a pair's named parts joined two (or three) at a time
CONJUNCTIONS = (("type", "label"), ("type", "side"), ("label", "side"), ("type", "prev"), ("label", "prev"),
                ("label", "clitic"), ("type", "clitic"), ("trigger", "label"), ("side", "gap"),
                ("type", "entity"), ("nearest", "side"), ("triggers_between", "side"), ("prev", "side"),
                ("type", "label", "side"), ("type", "label", "side", "gap"))


def _norm(word: str) -> str:
    return word.translate(_ALEF)


def _gap_bucket(n: int) -> str:
    for top, name in ((0, "0"), (1, "1"), (2, "2"), (3, "3"), (5, "4-5"), (8, "6-8"), (12, "9-12"), (20, "13-20")):
        if n <= top:
            return name
    return "21+"


def _between(trigger: Region, entity: Region) -> tuple[int, int]:
    return (trigger.end, entity.start) if entity.start >= trigger.end else (entity.end, trigger.start)


def pair_features(text: str, trigger: Region, entity: Region, triggers: list[Region],
                  entities: list[Region]) -> list[str]:
    """The binary features of ``entity`` as an argument of ``trigger`` (see the module docstring)."""
    word_start = entity.start
    while word_start > 0 and text[word_start - 1].isalnum():
        word_start -= 1
    lo, hi = _between(trigger, entity)
    if entity.start >= trigger.end:
        hi = max(lo, min(hi, word_start))  # a proclitic of the entity's word is not a word between
    between = text[lo:hi] if hi > lo else ""
    gap_words = WORD.findall(between)
    before = WORD.findall(text[max(0, word_start - 40):word_start])
    after = WORD.findall(text[entity.end:entity.end + 40])

    def dist(t: Region) -> int:
        return max(t.start - entity.end, entity.start - t.end, 0)

    parts = {
        "type": trigger.label, "label": entity.label,
        "side": "after" if entity.start >= trigger.end else "before",
        "gap": _gap_bucket(len(gap_words)),
        "clitic": text[word_start:entity.start] or "-",
        "prev": _norm(before[-1]) if before else "^", "prev2": _norm(before[-2]) if len(before) > 1 else "^",
        "next": _norm(after[0]) if after else "$",
        "trigger": _norm(trigger.text.strip()), "entity": _norm(entity.text.strip()),
        "entities_between": str(min(3, sum(1 for e in entities if e.start >= lo and e.end <= hi))),
        "triggers_between": str(min(2, sum(1 for t in triggers if t.start >= lo and t.end <= hi))),
        "nearest": str(min(triggers, key=dist) is trigger),
    }
    feats = [f"{k}={v}" for k, v in parts.items()]
    feats += ["|".join(names) + "=" + "|".join(parts[n] for n in names) for names in CONJUNCTIONS]
    if len(gap_words) <= 4:
        feats += [f"between={_norm(w)}" for w in gap_words]
    if "،" in between or "," in between:
        feats.append("comma")
    return feats


def candidate_pairs(text: str, regions: list[Region], roles: Roles | None = None):
    """(trigger, entity, features) for every entity in a trigger's sentence, at most
    ``MAX_GAP_WORDS`` words from it and not overlapping it."""
    roles = roles or default_roles()
    triggers = [r for r in regions if r.layer == roles.events]
    entities = [r for r in regions if r.layer == roles.entities]
    for trigger in triggers:
        s0, s1 = sentence_bounds(text, trigger.start)
        for entity in entities:
            if entity.start < s0 or entity.end > s1 + 1 or (entity.start < trigger.end and entity.end > trigger.start):
                continue
            lo, hi = _between(trigger, entity)
            if hi > lo and len(WORD.findall(text[lo:hi])) > MAX_GAP_WORDS:
                continue
            yield trigger, entity, pair_features(text, trigger, entity, triggers, entities)


class RoleClassifier:
    """The fitted classifier: ``classes`` (``none`` among them), a weight row per known feature."""

    def __init__(self, classes: list[str], features: list[str], weights: np.ndarray, intercept: np.ndarray,
                 stats: dict | None = None, roles: Roles | None = None):
        if NONE not in classes:
            raise NisbaError(f"event roles: the classes {classes} lack {NONE!r}")
        self.classes, self.weights, self.intercept = list(classes), np.asarray(weights), np.asarray(intercept)
        self.index = {f: i for i, f in enumerate(features)}
        self.stats = stats or {}
        self.roles = roles or default_roles()
        self._none = self.classes.index(NONE)

    def scores(self, feature_lists: list[list[str]]) -> np.ndarray:
        """Class probabilities, one row per pair, ``none`` penalized by ``NONE_PENALTY``."""
        z = np.tile(self.intercept, (len(feature_lists), 1))
        for i, feats in enumerate(feature_lists):
            rows = [self.index[f] for f in feats if f in self.index]
            if rows:
                z[i] += self.weights[rows].sum(axis=0)
        z[:, self._none] -= NONE_PENALTY
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        return p / p.sum(axis=1, keepdims=True)

    def arguments(self, text: str, regions: list[Region]) -> list[Relation]:
        """The event-argument relations (trigger -> entity, the role as label) of one text's regions."""
        pairs = list(candidate_pairs(text, regions, self.roles))
        if not pairs:
            return []
        probs = self.scores([f for _, _, f in pairs])
        out = []
        for (trigger, entity, _), row in zip(pairs, probs):
            best = int(row.argmax())
            if best != self._none:
                out.append(Relation(trigger.id, entity.id, self.classes[best]))
        return out

    def save(self, path: str | Path) -> None:
        names = sorted(self.index, key=self.index.get)
        data = {"format_version": ROLES_FORMAT_VERSION, "classes": self.classes, "none_penalty": NONE_PENALTY,
                "max_gap_words": MAX_GAP_WORDS, "stats": self.stats,
                "intercept": [round(float(x), 5) for x in self.intercept],
                "features": names, "weights": [[round(float(x), 4) for x in row] for row in self.weights]}
        Path(path).write_text(json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")

    @classmethod
    def load(cls, path: str | Path, schema=None) -> "RoleClassifier":
        data = read_versioned_json(path, ROLES_FORMAT_VERSION, "retrain the model")
        if schema is not None:
            unknown = sorted(set(data["classes"]) - {NONE} - set(schema.event_roles))
            if unknown:
                raise NisbaError(f"{path}: roles {unknown} are not event roles of the schema "
                                 f"({', '.join(schema.event_roles)}); retrain the model")
        return cls(data["classes"], data["features"], np.array(data["weights"], dtype=np.float64).reshape(
            len(data["features"]), len(data["classes"])), np.array(data["intercept"], dtype=np.float64),
            data.get("stats"), schema.roles if schema is not None else None)


def gold_pairs(text: str, regions: list[Region], relations: list[Relation], roles: Roles | None = None):
    """(features, role or ``none``) for every candidate pair of a gold document, and the number of
    gold arguments (those out of the candidates' reach included)."""
    roles = roles or default_roles()
    by_id = {r.id: r for r in regions}
    gold = {}
    for x in relations:
        a, b = by_id.get(x.from_id), by_id.get(x.to_id)
        if a is not None and b is not None and a.layer == roles.events and b.layer == roles.entities:
            gold[(a.id, b.id)] = x.label
    return [(f, gold.get((t.id, e.id), NONE)) for t, e, f in candidate_pairs(text, regions, roles)], len(gold)


def train_role_classifier(docs, roles: Roles | None = None, say=print) -> RoleClassifier:
    """Fit the classifier on ``docs`` (``(text, regions, relations)``, gold); raises NisbaError when
    they hold no event argument."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    roles = roles or default_roles()
    X, y, n_gold, n_docs = [], [], 0, 0
    for text, regions, relations in docs:
        pairs, n = gold_pairs(text, regions, relations, roles)
        n_gold += n
        n_docs += bool(n)
        for feats, label in pairs:
            X.append(feats)
            y.append(label)
    reached = sum(1 for label in y if label != NONE)
    if not reached:
        raise NisbaError("event roles: the training documents hold no event argument (trigger -> entity relation)")
    counts = Counter(f for feats in X for f in feats)
    vec = DictVectorizer()
    A = vec.fit_transform([{f: 1 for f in feats if counts[f] >= MIN_FEATURE_COUNT} for feats in X])
    clf = LogisticRegression(C=C, max_iter=2000)
    clf.fit(A, y)
    classes = [str(c) for c in clf.classes_]
    coef = clf.coef_
    if len(classes) == 2:  # binary: sklearn keeps one row, for classes[1]
        coef = np.vstack([-coef[0] / 2, coef[0] / 2])
        intercept = np.array([-clf.intercept_[0] / 2, clf.intercept_[0] / 2])
    else:
        intercept = clf.intercept_
    stats = {"documents": n_docs, "gold_arguments": n_gold, "pairs": len(y), "arguments_in_reach": reached,
             "features": len(vec.feature_names_), "per_role": dict(Counter(l for l in y if l != NONE).most_common())}
    say(f"event roles: {n_gold} gold arguments in {n_docs} documents, {reached} within reach among {len(y)} "
        f"trigger-entity pairs; {len(vec.feature_names_)} features")
    if NONE not in classes:
        raise NisbaError("event roles: every candidate pair is an argument; nothing to learn 'none' from")
    return RoleClassifier(classes, list(vec.feature_names_), coef.T, intercept, stats, roles)


def rows_with_triggers(rows, schema) -> list[tuple[str, list[Region], list[Relation]]]:
    """``(text, regions, relations)`` of the document-view rows (a pulled split) that hold an event trigger."""
    from annotation.convert.document import document_to_regions

    out = []
    for row in rows:
        regions, relations = document_to_regions(row, schema)
        if any(r.layer == schema.roles.events for r in regions):
            out.append((row["text"], regions, relations))
    return out


def train_into(model_dir: str | Path, docs, roles: Roles | None = None, say=print) -> dict | None:
    """Train the classifier on ``docs`` and write ``model_dir/event_roles.json``; its stats, or None
    (and no file) when the documents hold no event argument."""
    import time

    path = Path(model_dir) / ROLES_FILE
    path.unlink(missing_ok=True)
    if not docs:
        return None
    started = time.perf_counter()
    try:
        classifier = train_role_classifier(docs, roles, say=say)
    except NisbaError as exc:  # no argument in the data: the model predicts none
        say(f"no event-role classifier: {exc}")
        return None
    classifier.save(path)
    return {**classifier.stats, "train_seconds": round(time.perf_counter() - started, 1)}


def load_from(model_dir: str | Path, schema=None) -> RoleClassifier | None:
    """The classifier of a model directory, None when it has none."""
    path = Path(model_dir) / ROLES_FILE
    return RoleClassifier.load(path, schema) if path.is_file() else None
