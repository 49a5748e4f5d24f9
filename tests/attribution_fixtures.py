"""Templated Arabic news documents with several attributed statements each, for the pair scorer.

Each document holds 3-5 statements drawn from templates where the source comes before the
claim ("وقال X إن ..."), after it ("... ، حسبما قال X"), with an outlet ("وقال X لرويترز إن
...", reported_via) or not at all ("وأضاف أن ...": the previous statement's source). So a
claim has several candidate SOURCE spans and the nearest one is not always right.
``attribution_rows(n, seed)`` gives document-view rows (annotation.convert.document).
"""

from __future__ import annotations

import random

from annotation.convert.document import regions_to_document
from annotation.convert.regions import Region, Relation, region_id

SPEAKERS = [("PER", "علوش"), ("PER", "لافروف"), ("PER", "ستيفان دي ميستورا"), ("PER", "أردوغان"),
            ("PER", "محمد علي"), ("ORG", "الأمم المتحدة"), ("ORG", "الجيش السوري"), ("ORG", "جيش الإسلام")]
OUTLETS = ["رويترز", "سانا", "تاس"]
PLACES = ["سوريا", "روسيا", "تركيا", "إيران", "لبنان", "قطر"]
CLAIMS = ["{g} ستشارك في المحادثات المقبلة", "الهدنة صامدة في {g} منذ أيام", "المفاوضات ستستأنف الأسبوع المقبل",
          "الهجوم استهدف مواقع مدنية في {g}", "الاتفاق لن يصمد طويلا", "وفد {g} وصل إلى أستانة"]
FILLER = ["ولم يصدر أي تعليق رسمي حتى الآن .", "وتستمر المعارك في المنطقة منذ أشهر ."]


def _statement(rng: random.Random, kind: str):
    """(sentence, parts) where parts name (role, text) in sentence order; roles: CUE SOURCE CLAIM OUTLET."""
    label, speaker = rng.choice(SPEAKERS)
    claim = rng.choice(CLAIMS).format(g=rng.choice(PLACES))
    if kind == "before":
        return f"وقال {speaker} إن {claim} .", [("CUE", "قال"), ("SOURCE", speaker, label), ("CLAIM", claim)]
    if kind == "after":
        return f"{claim} ، حسبما قال {speaker} .", [("CLAIM", claim), ("CUE", "قال"), ("SOURCE", speaker, label)]
    if kind == "outlet":
        outlet = rng.choice(OUTLETS)
        return (f"وقال {speaker} ل{outlet} إن {claim} .",
                [("CUE", "قال"), ("SOURCE", speaker, label), ("OUTLET", outlet), ("CLAIM", claim)])
    return f"وأضاف أن {claim} .", [("CUE", "أضاف"), ("CLAIM", claim)]


def attribution_document(rng: random.Random, task_id: int, n_statements: int) -> dict:
    from training.predict.rules.sources import SourceIndex

    index = SourceIndex.load()
    text = ""
    regions: list[Region] = []
    relations: list[Relation] = []
    last_source: Region | None = None
    for k in range(n_statements):
        if k and rng.random() < 0.2:
            text += rng.choice(FILLER) + " "
        kind = rng.choice(["before", "before", "after", "after", "outlet"] + (["dropped"] if last_source else []))
        sentence, parts = _statement(rng, kind)
        base, cursor, placed = len(text), 0, {}
        for part in parts:
            role, sub = part[0], part[1]
            start = sentence.index(sub, cursor)
            cursor = start + len(sub)
            s, e = base + start, base + cursor
            if role == "OUTLET":
                r = Region(region_id("entities", "ORG", s, e), "entities", "ORG", s, e, sub)
            elif role == "SOURCE":
                linked = index.link(sub)
                choices = {"source_id": linked.id if linked else "other"}
                r = Region(region_id("claims", "SOURCE", s, e), "claims", "SOURCE", s, e, sub, choices)
                regions.append(Region(region_id("entities", part[2], s, e), "entities", part[2], s, e, sub))
            else:
                choices = {"stance": "asserted"} if role == "CLAIM" else {}
                r = Region(region_id("claims", role, s, e), "claims", role, s, e, sub, choices)
            regions.append(r)
            placed[role] = r
        source = placed.get("SOURCE", last_source)
        relations.append(Relation(placed["CLAIM"].id, source.id, "attributed_to"))
        relations.append(Relation(placed["CUE"].id, placed["CLAIM"].id, "cue"))
        if "OUTLET" in placed:
            relations.append(Relation(source.id, placed["OUTLET"].id, "reported_via"))
        last_source = source
        text += sentence + " "
    return regions_to_document(text.rstrip(), regions, relations, task_id=task_id, annotation_id=task_id)


def attribution_rows(n: int, seed: int = 0, statements: tuple[int, int] = (3, 5), first_id: int = 1) -> list[dict]:
    rng = random.Random(seed)
    return [attribution_document(rng, first_id + i, rng.randint(*statements)) for i in range(n)]
