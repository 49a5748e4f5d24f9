"""Gold policy: which of a task's annotations becomes the dataset's truth (pure functions).

A task can carry several annotations. Only *completed* annotations are candidates: an
annotation with ``was_cancelled`` (the annotator pressed Skip) never is, and drafts live in the
task's ``drafts`` list, which nisba never reads as annotations. A task with no candidate is
counted and left out of the dataset.

Policies (``--gold``):

- ``latest`` (the default): an annotation marked ground truth wins (the most recent one if
  several are); otherwise the latest completed annotation by ``updated_at`` (then
  ``created_at``, then id). Label Studio's community edition has no review step, so the last
  person to submit a task is the best signal of a settled annotation: annotators fix each
  other's work by updating or re-annotating, and a reviewer marks ground truth.
- ``ground_truth``: only annotations marked ground truth are gold; every other task is left
  out. For a reviewed workflow where unreviewed work must not reach training.
- ``majority``: ground truth wins; otherwise the spans that a strict majority of the task's
  completed annotations mark exactly (same layer, label, start and end), the relations a
  majority draws between kept spans, and per kept span the most frequent choice values
  (ties go to the latest annotation). With one annotation it is that annotation; with two
  both must agree. It trades recall for precision, which suits a test split drawn from
  several annotators.

Not handled here: parsing the result JSON (regions.py), building rows (document.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from annotation.convert.regions import Region, Relation, region_id

DEFAULT_POLICY = "latest"


@dataclass
class Candidate:
    """One completed annotation, already parsed into regions and relations."""

    annotation_id: int
    annotator: str
    ground_truth: bool
    when: str
    regions: list[Region]
    relations: list[Relation]

    def order_key(self) -> tuple:
        return (self.when, self.annotation_id)


@dataclass
class Gold:
    regions: list[Region]
    relations: list[Relation]
    annotator: str
    annotation_id: int
    annotation_ids: list[int] = field(default_factory=list)


def annotator_name(annotation: dict) -> str:
    """The annotator as a string: the e-mail when the export expanded ``completed_by``, else the user id."""
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("id") or "")
    if who is None:
        return str(annotation.get("created_username") or "")
    return str(who)


def is_completed(annotation: dict) -> bool:
    """Submitted and not skipped. Drafts are not in ``annotations`` at all."""
    return not annotation.get("was_cancelled") and annotation.get("result") is not None


def _from(c: Candidate, considered: list[Candidate]) -> Gold:
    return Gold(list(c.regions), list(c.relations), c.annotator, c.annotation_id,
                sorted(x.annotation_id for x in considered))


def _ground_truth(cands: list[Candidate]) -> Candidate | None:
    gts = [c for c in cands if c.ground_truth]
    return max(gts, key=Candidate.order_key) if gts else None


def latest(cands: list[Candidate]) -> Gold | None:
    if not cands:
        return None
    chosen = _ground_truth(cands) or max(cands, key=Candidate.order_key)
    return _from(chosen, cands)


def ground_truth_only(cands: list[Candidate]) -> Gold | None:
    chosen = _ground_truth(cands)
    return _from(chosen, cands) if chosen else None


def majority(cands: list[Candidate]) -> Gold | None:
    if not cands:
        return None
    gt = _ground_truth(cands)
    if gt is not None:
        return _from(gt, cands)
    if len(cands) == 1:
        return _from(cands[0], cands)
    need = len(cands) // 2 + 1
    ordered = sorted(cands, key=Candidate.order_key)  # earliest first; latest wins ties below

    def key(r: Region) -> tuple:
        return (r.layer, r.label, r.start, r.end)

    votes: Counter = Counter()
    first: dict[tuple, Region] = {}
    choice_votes: dict[tuple, dict[str, Counter]] = {}
    choice_last: dict[tuple, dict[str, str]] = {}
    for c in ordered:
        for k in {key(r) for r in c.regions}:
            votes[k] += 1
        for r in c.regions:
            first.setdefault(key(r), r)
            for name, value in r.choices.items():
                choice_votes.setdefault(key(r), {}).setdefault(name, Counter())[value] += 1
                choice_last.setdefault(key(r), {})[name] = value
    kept = {k for k, n in votes.items() if n >= need}
    regions = []
    id_of: dict[tuple, str] = {}
    for k in sorted(kept, key=lambda k: (k[2], k[3], k[0], k[1])):
        r = first[k]
        rid = r.id if r.id not in id_of.values() else region_id(*k)  # two annotators, one id
        id_of[k] = rid
        choices = {}
        for name, counter in choice_votes.get(k, {}).items():
            top = max(counter.values())
            winners = {v for v, n in counter.items() if n == top}
            last = choice_last[k][name]
            choices[name] = last if last in winners else sorted(winners)[0]
        regions.append(Region(rid, r.layer, r.label, r.start, r.end, r.text, choices, r.score))
    rel_votes: Counter = Counter()
    for c in ordered:
        by_id = {r.id: key(r) for r in c.regions}
        rels = {(by_id[x.from_id], by_id[x.to_id], x.label) for x in c.relations
                if x.from_id in by_id and x.to_id in by_id}
        for rel in rels:
            rel_votes[rel] += 1
    relations = [Relation(id_of[a], id_of[b], label) for (a, b, label), n in sorted(rel_votes.items())
                 if n >= need and a in kept and b in kept]
    names = ",".join(sorted({c.annotator for c in cands}))
    return Gold(regions, relations, f"majority({names})", -1, sorted(c.annotation_id for c in cands))


POLICIES: dict[str, Callable[[list[Candidate]], Gold | None]] = {
    "latest": latest,
    "ground_truth": ground_truth_only,
    "majority": majority,
}
