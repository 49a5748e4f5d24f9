"""Small, deterministic training data and a tiny encoder for the training tests (no files needed).

``synthetic_rows`` builds document-view rows (annotation.document.regions_to_document) from a
few newsfane-like sentence templates with entities, event triggers and attributed claims;
``tiny_encoder_dir`` trains a WordPiece tokenizer on the rows' words and saves an untrained
2-layer BERT with ``save_pretrained``: a local directory AutoModel can load.
"""

from __future__ import annotations

import random
from pathlib import Path

from annotation.convert.document import document_features, regions_to_document
from annotation.convert.regions import Region, Relation, region_id

PEOPLE = ["علوش", "محمد علي", "أحمد حسن", "بوتين", "ستيفان دي ميستورا", "لافروف", "أردوغان", "سعيد جليلي"]
PLACES = ["سوريا", "روسيا", "تركيا", "إيران", "لبنان", "مصر", "الأردن", "قطر"]
ORGS = ["وكالة الأنباء السورية", "الأمم المتحدة", "رويترز", "الجيش السوري", "جيش الإسلام", "الاتحاد الأوروبي"]
FILLER = ["وتستمر المعارك في المنطقة منذ أشهر .", "ولم يصدر أي تعليق رسمي حتى الآن .",
          "ويأتي ذلك بعد أسابيع من التوتر .", "وكانت الأوضاع قد هدأت نسبيا ."]


def _say(rng):
    per, gpe = rng.choice(PEOPLE), rng.choice(PLACES)
    s = f"وقال {per} إن {gpe} ستشارك في المحادثات المقبلة ."
    claim = f"{gpe} ستشارك في المحادثات المقبلة"
    return s, [("claims", "CUE", "قال"), ("entities", "PER", per), ("claims", "SOURCE", per),
               ("entities", "GPE", gpe), ("claims", "CLAIM", claim), ("events", "Contact.Negotiate", "المحادثات")]


def _meet(rng):
    org, a, b = rng.choice(ORGS), *rng.sample(PEOPLE, 2)
    gpe = rng.choice(PLACES)
    s = f"وذكرت {org} أن {a} التقى {b} في {gpe} أمس ."
    claim = f"{a} التقى {b} في {gpe} أمس"
    return s, [("claims", "CUE", "ذكرت"), ("entities", "ORG", org), ("claims", "SOURCE", org),
               ("claims", "CLAIM", claim), ("entities", "PER", a), ("events", "Contact.Meet", "التقى"),
               ("entities", "PER", b), ("entities", "GPE", gpe)]


def _die(rng):
    org, gpe = rng.choice(ORGS), rng.choice(PLACES)
    s = f"وأعلن {org} عن مقتل ثلاثة أشخاص في هجوم على {gpe} ."
    return s, [("entities", "ORG", org), ("events", "Life.Die", "مقتل"), ("events", "Conflict.Attack", "هجوم"),
               ("entities", "GPE", gpe)]


TEMPLATES = [_say, _meet, _die]
# event arguments of the templates: (trigger label, role, entity label, which one of that label)
ARGUMENTS = [("Contact.Meet", "Participant", "PER", 0), ("Contact.Meet", "Participant", "PER", 1),
             ("Contact.Meet", "Place", "GPE", 0), ("Conflict.Attack", "Target", "GPE", 0)]


def synthetic_document(rng: random.Random, n_sentences: int, task_id: int, arguments: bool = False) -> dict:
    text = ""
    regions: dict[tuple, Region] = {}
    relations: list[Relation] = []
    for k in range(n_sentences):
        if k and rng.random() < 0.3:
            text += rng.choice(FILLER) + "\n"
        sentence, spans = rng.choice(TEMPLATES)(rng)
        base = len(text)
        cursor = 0
        placed = {}
        by_label: dict[str, list[Region]] = {}
        for layer, label, sub in spans:
            start = sentence.find(sub, cursor if layer == "entities" and label == "PER" else 0)
            if layer == "entities" and label == "PER":
                cursor = start + len(sub)
            s, e = base + start, base + start + len(sub)
            r = Region(region_id(layer, label, s, e), layer, label, s, e, sentence[start:start + len(sub)])
            regions[(layer, s, e)] = r
            placed[label] = r
            by_label.setdefault(label, []).append(r)
        if arguments:
            for trigger, role, label, k in ARGUMENTS:
                if trigger in placed and len(by_label.get(label, [])) > k:
                    relations.append(Relation(placed[trigger].id, by_label[label][k].id, role))
        if "CLAIM" in placed:
            relations.append(Relation(placed["CLAIM"].id, placed["SOURCE"].id, "attributed_to"))
            relations.append(Relation(placed["CUE"].id, placed["CLAIM"].id, "cue"))
        text += sentence + "\n"
    text = text.rstrip("\n")
    return regions_to_document(text, list(regions.values()), relations, task_id=task_id, annotation_id=task_id)


def synthetic_rows(n: int, seed: int = 0, sentences: tuple[int, int] = (2, 5), first_id: int = 1,
                   arguments: bool = False) -> list[dict]:
    """``arguments``: the event triggers get their arguments too (``ARGUMENTS``)."""
    rng = random.Random(seed)
    return [synthetic_document(rng, rng.randint(*sentences), first_id + i, arguments) for i in range(n)]


def make_dataset(schema, splits: dict[str, list[dict]]):
    from datasets import Dataset, DatasetDict

    features = document_features(schema)
    def split(rows):
        if not rows:  # from_list cannot infer an empty table
            return Dataset.from_dict({k: [] for k in features}, features=features)
        return Dataset.from_list(rows, features=features)

    return DatasetDict({name: split(rows) for name, rows in splits.items()})


def tiny_encoder_dir(path: Path, texts: list[str], hidden: int = 64, layers: int = 2, max_positions: int = 256) -> Path:
    """A WordPiece tokenizer trained on ``texts`` plus an untrained tiny BERT, saved with save_pretrained."""
    from transformers import BertConfig, BertModel

    from training.train.pretrain import model_words, train_tokenizer

    tokenizer = train_tokenizer([model_words(t) for t in texts], vocab_size=300, min_frequency=1, max_length=max_positions)
    config = BertConfig(vocab_size=len(tokenizer), hidden_size=hidden, num_hidden_layers=layers, num_attention_heads=2,
                        intermediate_size=hidden * 2, max_position_embeddings=max_positions,
                        pad_token_id=tokenizer.pad_token_id)
    BertModel(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path
