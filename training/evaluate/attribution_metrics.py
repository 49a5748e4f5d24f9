"""Attribution evaluation: predicted claims-layer regions and relations against gold.

Per document the inputs are plain regions and relations (annotation/convert/regions.py), gold and
predicted. Figures (precision, recall, F1 with the counts behind them):

- ``source_span``: SOURCE spans, exact (start, end);
- ``cue``: CUE spans, exact;
- ``claim_exact``: CLAIM spans, exact;
- ``claim_token``: CLAIM content by token overlap: the tokens (annotation/text/tokens.py's
  ``pretokenize``) inside any predicted CLAIM against those inside any gold CLAIM;
- ``pair``: attributed pairs (CLAIM attributed_to SOURCE). A predicted pair is right when its
  claim matches a gold claim (token-overlap F1 >= ``CLAIM_MATCH_F1``, or exact when
  ``claim_match="exact"``) AND its source is right: the same span, or both carry the same
  source_id other than "other" (a dropped subject may be resolved to another mention of the
  same source). One-to-one, greedy in text order.
- ``reported_via``: (SOURCE span, outlet span) pairs, exact;
- ``canonical_source_accuracy``: over gold SOURCE regions that a predicted SOURCE matches
  exactly, the share whose source_id agrees;
- ``stance_accuracy``: over matched pairs, the share whose CLAIM stance agrees;
- ``per_source_pair_recall``: gold pairs grouped by canonical source id, and also by the
  canonical outlet of their reported_via (linked through sources.yaml); for a gold pair with a
  reported_via, the outlet span must be right too.
- ``per_kind_pair_recall``: gold pairs grouped by the patterns they show
  (training/evaluate/attribution_kinds.py: cue kinds, content before the cue, quotations,
  anonymous sources, outlets, dropped subjects, ...);
- ``missed_pairs``: each gold pair not found, with its kinds, why (``no claim`` when no predicted
  claim overlaps it, ``wrong source`` when one does, ``reported_via wrong``), its finer cause
  (``MISS_CAUSES``: cue missed, claim missed, claim boundary, source boundary, source not found,
  linked another source, outlet missed, outlet wrong) and its context; ``miss_causes`` counts them.

``span_layer_scores`` gives exact span+label P/R/F1 for any layer (entities, events), and
``event_argument_scores`` (trigger span, role, argument span) triples.

Which regions and relations are claims, sources, cues and outlets is the schema's roles
(``schema.roles``; the default schema's when none is given). The figure names are a report format
of their own: ``cue`` and ``reported_via`` are the document view's part names (``VIEW``).

Not handled here: choosing gold among annotators (annotation/convert/gold.py) or rendering a report.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Callable, Iterable

from annotation.convert.document import VIEW
from annotation.convert.regions import Region, Relation
from annotation.dataset.scores import exact_counts, exact_counts_by_label, precision_recall_f1
from annotation.schema.schema import Roles, Schema, default_schema
from annotation.text.tokens import pretokenize
from training.evaluate.attribution_kinds import pair_kinds

METRICS_FORMAT_VERSION = 1
CLAIM_MATCH_F1 = 0.5

Doc = tuple[str, list[Region], list[Relation], list[Region], list[Relation]]


def prf(tp: int, n_pred: int, n_gold: int) -> dict:
    p, r, f = precision_recall_f1(tp, n_pred, n_gold)
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(f, 4),
            "tp": tp, "n_pred": n_pred, "n_gold": n_gold}


def _spans(regions: Iterable[Region], role: tuple[str, str] | None) -> set[tuple[int, int]]:
    """The spans of the regions carrying a label role's (layer, label)."""
    return {(r.start, r.end) for r in regions if (r.layer, r.label) == role}


def _tokens_in(tokens: list[tuple[int, int]], s: int, e: int) -> set[int]:
    return {i for i, (a, b) in enumerate(tokens) if a >= s and b <= e}


def _overlap_f1(a: set[int], b: set[int]) -> float:
    inter = len(a & b)
    return 2 * inter / (len(a) + len(b)) if inter else 0.0


def _pairs(regions: list[Region], relations: list[Relation], roles: Roles) -> list[dict]:
    by_id = {r.id: r for r in regions}
    via = {rel.from_id: by_id[rel.to_id] for rel in relations
           if rel.label == roles.source_outlet and rel.to_id in by_id}
    out = []
    for rel in relations:
        if rel.label != roles.claim_source or rel.from_id not in by_id or rel.to_id not in by_id:
            continue
        claim, source = by_id[rel.from_id], by_id[rel.to_id]
        out.append({"claim": claim, "source": source, "via": via.get(source.id)})
    out.sort(key=lambda p: (p["claim"].start, p["claim"].end))
    return out


def _same_source(g: Region, p: Region, roles: Roles) -> bool:
    if (g.start, g.end) == (p.start, p.end):
        return True
    gid, pid = g.choices.get(roles.source_id, ""), p.choices.get(roles.source_id, "")
    return bool(gid) and gid != "other" and gid == pid


def attribution_scores(docs: Iterable[Doc], claim_match: str = "overlap",
                       outlet_canonical: Callable[[str], str | None] | None = None,
                       schema: Schema | None = None) -> dict:
    """All attribution figures over documents ``(text, gold_regions, gold_relations, pred_regions, pred_relations)``.

    ``outlet_canonical(text) -> id`` names the canonical outlet of a reported_via region; by
    default sources.yaml through training/predict/rules/sources.py.
    """
    roles = (schema or default_schema()).roles
    if outlet_canonical is None:
        from training.predict.rules.sources import SourceIndex
        index = SourceIndex.load()

        def outlet_canonical(t: str) -> str | None:
            s = index.link(t)
            return s.id if s else None

    counts = defaultdict(lambda: [0, 0, 0])  # name -> tp, n_pred, n_gold
    canon = [0, 0]
    stance = [0, 0]
    per_source: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    misses: list[dict] = []
    causes: Counter = Counter()
    for doc_i, (text, g_regs, g_rels, p_regs, p_rels) in enumerate(docs):
        for name, role in (("source_span", roles.source), (VIEW.cue, roles.cue), ("claim_exact", roles.claim)):
            c = counts[name]
            for i, n in enumerate(exact_counts(_spans(g_regs, role), _spans(p_regs, role))):
                c[i] += n
        tokens = pretokenize(text)
        g_tok = set().union(*[_tokens_in(tokens, s, e) for s, e in _spans(g_regs, roles.claim)] or [set()])
        p_tok = set().union(*[_tokens_in(tokens, s, e) for s, e in _spans(p_regs, roles.claim)] or [set()])
        c = counts["claim_token"]
        c[0] += len(g_tok & p_tok)
        c[1] += len(p_tok)
        c[2] += len(g_tok)

        g_src = {(r.start, r.end): r for r in g_regs if roles.is_(r, "source")}
        p_src = {(r.start, r.end): r for r in p_regs if roles.is_(r, "source")}
        for span, g in g_src.items():
            if span in p_src:
                canon[1] += 1
                canon[0] += g.choices.get(roles.source_id, "") == p_src[span].choices.get(roles.source_id, "")

        g_pairs, p_pairs = _pairs(g_regs, g_rels, roles), _pairs(p_regs, p_rels, roles)
        used: set[int] = set()
        c = counts["pair"]
        c[1] += len(p_pairs)
        c[2] += len(g_pairs)
        v = counts[VIEW.reported_via]
        g_via = {((x["source"].start, x["source"].end), (x["via"].start, x["via"].end)) for x in g_pairs if x["via"]}
        p_via = {((x["source"].start, x["source"].end), (x["via"].start, x["via"].end)) for x in p_pairs if x["via"]}
        v[0] += len(g_via & p_via)
        v[1] += len(p_via)
        v[2] += len(g_via)
        g_by_id = {r.id: r for r in g_regs}
        g_cue = {rel.to_id: g_by_id[rel.from_id] for rel in g_rels if rel.label == roles.cue_claim and rel.from_id in g_by_id}
        g_sources: dict[str, list[Region]] = defaultdict(list)
        for gp in g_pairs:
            g_sources[gp["claim"].id].append(gp["source"])
        for gp in g_pairs:
            g_claim = _tokens_in(tokens, gp["claim"].start, gp["claim"].end)
            hit = None
            for k, pp in enumerate(p_pairs):
                if k in used:
                    continue
                if claim_match == "exact":
                    claim_ok = (pp["claim"].start, pp["claim"].end) == (gp["claim"].start, gp["claim"].end)
                else:
                    claim_ok = _overlap_f1(g_claim, _tokens_in(tokens, pp["claim"].start, pp["claim"].end)) >= CLAIM_MATCH_F1
                if claim_ok and _same_source(gp["source"], pp["source"], roles):
                    hit = k
                    break
            via_ok = True
            if hit is not None:
                used.add(hit)
                c[0] += 1
                stance[1] += 1
                stance[0] += (gp["claim"].choices.get(roles.stance, "")
                              == p_pairs[hit]["claim"].choices.get(roles.stance, ""))
                if gp["via"]:
                    pv = p_pairs[hit]["via"]
                    via_ok = pv is not None and (pv.start, pv.end) == (gp["via"].start, gp["via"].end)
            keys = {gp["source"].choices.get(roles.source_id) or "other"}
            if gp["via"]:
                keys.add(outlet_canonical(gp["via"].text) or "other")
            ok = hit is not None and via_ok
            for key in keys:
                per_source[key][1] += 1
                per_source[key][0] += ok
            cue = g_cue.get(gp["claim"].id)
            kinds = pair_kinds(text, gp["claim"], g_sources[gp["claim"].id], cue, gp["via"] is not None)
            for key in kinds | {"all"}:
                per_kind[key][1] += 1
                per_kind[key][0] += ok
            if not ok:
                f1s = [_overlap_f1(g_claim, _tokens_in(tokens, pp["claim"].start, pp["claim"].end)) for pp in p_pairs]
                overlaps = any(f > 0 for f in f1s)
                cause = miss_cause(tokens, gp, cue, hit is not None and p_pairs[hit]["via"], p_pairs, f1s, p_regs, roles)
                causes[cause] += 1
                lo = min(gp["claim"].start, gp["source"].start, cue.start if cue else gp["claim"].start)
                hi = max(gp["claim"].end, gp["source"].end, cue.end if cue else gp["claim"].end)
                misses.append({"doc": doc_i, "claim": gp["claim"].text[:80], "source": gp["source"].text,
                               VIEW.source_id: gp["source"].choices.get(roles.source_id, ""),
                               VIEW.cue: cue.text if cue else "", "kinds": sorted(kinds),
                               "why": ("reported_via wrong" if hit is not None else
                                       "wrong source" if overlaps else "no claim"), "cause": cause,
                               "context": text[max(0, lo - 40):min(len(text), hi + 20, lo + 360)].replace("\n", " ")})
    out = {name: prf(*counts[name]) for name in
           ("source_span", VIEW.cue, "claim_exact", "claim_token", "pair", VIEW.reported_via)}
    out["format_version"] = METRICS_FORMAT_VERSION
    out["claim_match"] = claim_match
    out["canonical_source_accuracy"] = {"value": round(canon[0] / canon[1], 4) if canon[1] else 0.0, "n": canon[1]}
    out["stance_accuracy"] = {"value": round(stance[0] / stance[1], 4) if stance[1] else 0.0, "n": stance[1]}
    out["per_source_pair_recall"] = {k: {"recall": round(tp / n, 4) if n else 0.0, "tp": tp, "n": n}
                                     for k, (tp, n) in sorted(per_source.items())}
    out["per_kind_pair_recall"] = {k: {"recall": round(tp / n, 4) if n else 0.0, "tp": tp, "n": n}
                                   for k, (tp, n) in sorted(per_kind.items())}
    out["missed_pairs"] = misses
    out["miss_causes"] = dict(causes.most_common())
    return out


MISS_CAUSES = {
    "cue missed": "no predicted claim overlaps it and its gold cue is not a predicted cue",
    "claim missed": "its cue is predicted, but no predicted claim overlaps the claim",
    "claim boundary": "a predicted claim overlaps it, below the match threshold",
    "source boundary": "its claim is matched, linked to a source overlapping the gold source's span",
    "source not found": "its claim is matched, and the gold source's span is no predicted source at all",
    "linked another source": "its claim is matched, and the gold source is predicted but not linked to it",
    "outlet missed": "the pair is right, the gold reported_via has no predicted outlet",
    "outlet wrong": "the pair is right, with another outlet span",
}


def miss_cause(tokens: list[tuple[int, int]], gp: dict, cue: Region | None, via: Region | None | bool,
               p_pairs: list[dict], f1s: list[float], p_regs: list[Region], roles: Roles) -> str:
    """What went wrong with gold pair ``gp`` (``MISS_CAUSES``): what would close the gap.
    ``via``: the predicted outlet of the pair that matched it, False when none matched; ``f1s``: the
    token-overlap F1 of its claim with each predicted pair's."""
    if via is not False:
        return "outlet wrong" if via else "outlet missed"
    g_claim = _tokens_in(tokens, gp["claim"].start, gp["claim"].end)
    matched = [pp for pp, f in zip(p_pairs, f1s) if f >= CLAIM_MATCH_F1]
    if not matched:
        if any(f > 0 for f in f1s) or any(
                roles.is_(r, "claim") and _overlap_f1(g_claim, _tokens_in(tokens, r.start, r.end)) > 0 for r in p_regs):
            return "claim boundary"
        cues = _spans(p_regs, roles.cue)
        return "cue missed" if cue is None or (cue.start, cue.end) not in cues else "claim missed"
    gs = gp["source"]
    if any(pp["source"].start < gs.end and gs.start < pp["source"].end for pp in matched):
        return "source boundary"
    return "linked another source" if (gs.start, gs.end) in _spans(p_regs, roles.source) else "source not found"


def span_layer_scores(gold: Iterable[list[Region]], pred: Iterable[list[Region]], layer: str) -> dict:
    """Exact span+label P/R/F1 of one layer over documents, overall and per label."""
    per = exact_counts_by_label(([(r.start, r.end, r.label) for r in regs if r.layer == layer] for regs in gold),
                                ([(r.start, r.end, r.label) for r in regs if r.layer == layer] for regs in pred))
    total = [sum(v[i] for v in per.values()) for i in range(3)]
    return {"overall": prf(*total), "per_label": {k: prf(*v) for k, v in sorted(per.items())}}


def event_argument_scores(docs: Iterable[tuple[list[Region], list[Relation], list[Region], list[Relation]]],
                          schema: Schema | None = None) -> dict:
    """(trigger span, role, argument span) triples, exact."""
    tp = n_pred = n_gold = 0
    roles = (schema or default_schema()).roles

    def triples(regs, rels):
        by_id = {r.id: r for r in regs}
        return {((by_id[x.from_id].start, by_id[x.from_id].end), x.label, (by_id[x.to_id].start, by_id[x.to_id].end))
                for x in rels if x.label not in roles.attribution_relations and x.from_id in by_id
                and x.to_id in by_id and by_id[x.from_id].layer == roles.events}

    for g_regs, g_rels, p_regs, p_rels in docs:
        counts = exact_counts(triples(g_regs, g_rels), triples(p_regs, p_rels))
        tp, n_pred, n_gold = tp + counts[0], n_pred + counts[1], n_gold + counts[2]
    return prf(tp, n_pred, n_gold)
