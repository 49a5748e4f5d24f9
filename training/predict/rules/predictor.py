"""Cold-start pre-annotation by rules: entities, event triggers and attributed claims.

Needs no training data: configs/lexicon.yaml (cues, introducers, gazetteer, triggers) and
configs/sources.yaml (canonical sources). Output is the predictor contract of
training/predict/tagger.py: ``predict(texts) -> [PredictionResult(regions, relations, score)]``,
with ``model_version = "rules-<sha256 of lexicon.yaml + sources.yaml + schema fingerprint>[:10]"``.

Claims, one sentence at a time (a sentence ends at . ؟ ! or a newline):

1. A cue is a lexicon verb form at word level, clitics و/ف allowed in front (وذكرت -> ذكرت).
2. Verb-first: the first introducer (إن أن ان انه ...) after the cue in the same sentence opens
   the CLAIM, which runs to the sentence end or to the next cue with its own introducer. No
   introducer means no claim ("قال في تصريح" makes nothing).
3. The SOURCE is the noun phrase between cue and introducer, cut at a comma (apposition), a
   stop word or phrase (في بيان، امس، طلب ...), or "لـ + outlet"; "لرويترز" after the source
   gives an ORG region رويترز and ``reported_via`` SOURCE -> ORG.
4. "X حسبما صرح Y لرويترز": the claim is what precedes حسبما, the source the noun after the cue.
5. No named subject (وقالت ان، وأضاف أن، ما قالت إنه، SVO "روسياوتركيا وإيران أعلنت"): the
   nearest known source named earlier in the same sentence; else the SOURCE region of the
   previous sentence; else the first known source named in the previous sentence; else the
   last SOURCE region.
6. source_id and source_type come from sources.yaml (training/predict/rules/sources.py); unknown
   sources get source_id "other" and a type from the lexicon's hints; a source whose name is
   withheld (طلب عدم نشر اسمه) or an unnamed مسئول/مصدر is anonymous (words inside such a
   phrase, or after عدم, are never cues: "عدم ذكر اسمه"). Stance: the cue's (نفى -> denied,
   يرى -> hedged), hedged when the claim opens with a hedge (ربما، قد + imperfect).

7. Subjects beyond the first noun phrase: a time adverb after the cue is skipped (قال يوم الاثنين X);
   an honorific pronoun (قال سموه) or a demonstrative object (أرجع ذلك) leaves the subject dropped;
   a subject before its cue after كان wins; a bare title reaches for the name after it (مدير شركة
   (سيبرين) فلاديمير جوكف); a generic head gives way to its quoted name (منظمة (بتسيلم)); «X وY» and
   «X ونظيره Y» give a SOURCE each; a cue after الذي takes the noun before it; طالب + an unnamed
   object is the addressee. A dropped subject prefers, in order: a known source right before its
   verb (SVO), the clause subject after an introducer for "الا انه قال", a clause's own subject
   named before (وتطرق السقا ... قائلا), the speaker of the sentence, a titled name of the previous
   sentence; a connective's outlet (حسبما ذكرت X) is never the speaker.
8. Outlets and content: an according-to connective after the cue (وفقاً لوكالة X، وفقا لما نقلته X) is
   the outlet; content may come before a closing «، قال X», run over a paragraph after a colon or
   over a next sentence opening with وأن, and a first-person pronoun after the cue (قال نحن) opens
   direct speech. Context keeps ambiguous words from being cues: يدعى "is called", يذكر أن
   (impersonal), قال الله (scripture), an imperfect after أن/لم/لن, بين after a quote mark.

Entities come from the gazetteer, event triggers from the trigger lexicon, event arguments
from the nearest entity of a fitting label (lexicon ``roles``).

Scores are rule confidences in [0, 1] (fixed per rule, documented in ``SCORES``); a task's score
is the mean of its region scores.

Not handled here: quotes without a cue verb, nested attribution (X said that Y said),
coreference beyond the previous sentence, cues written as nouns (تصريحات).
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


from annotation.errors import NisbaError
from annotation.convert.regions import Region, Relation, has_word_character, region_id
from annotation.schema.schema import CONFIGS_DIR, DEFAULT_SCHEMA, DEFAULT_SOURCES, Schema, load_schema
from annotation.text.arabic import CLITICS, PhraseMatcher, PRONOUN_SUFFIXES, normalize, word_spans
from annotation.text.fingerprint import normalization_fingerprint
from training.predict.base import PredictionResult
from training.predict.rules.word_lists import read_word_list
from training.predict.rules.sources import SourceIndex, _words as alias_words

DEFAULT_LEXICON = CONFIGS_DIR / "lexicon.yaml"
LEXICON_FORMAT_VERSION = 1
SALT = "rules"
# a source phrase's words before titles are trimmed ("وكيل شؤون البيئة ... الدكتور عبد الباسط بن سالم صيرفي")
MAX_SOURCE_WORDS = 16
# how far after the cue a prepositional object (أكد على، أعلن عن) may open the content
OBJECT_REACH_WORDS = MAX_SOURCE_WORDS  # the object may follow a full-length source phrase
# ... but one farther than this yields to a masdar content before it (أكدت الوزارة، وفقا لـ...، وقوف قطر ... على)
NEAR_OBJECT_WORDS = 8
# "على لسان وزير الخارجية الذي أكد"، "الذي أعلنت الوزارة أمس اسمه": a relative clause's cue
RELATIVE_PRONOUNS = frozenset({"الذي", "التي", "الذين"})
MAX_CUE_TO_INTRODUCER_WORDS = 25
MAX_DESCRIBED_WORDS = 50  # a describing cue's object (وصف X ... بأنه) may run this far
ROLE_WINDOW_WORDS = 8

# Confidence of each rule, in [0, 1].
SCORES = {
    "entity": 0.8, "entity_multiword": 0.85, "outlet": 0.9, "trigger": 0.6, "cue_verb": 0.9,
    "claim": 0.75, "claim_dropped_subject": 0.6, "source_linked": 0.85, "source_unlinked": 0.6,
    "source_antecedent": 0.55,
}
CUE_PREFIXES = ("", "و", "ف")
PREPOSITION_PREFIXES = ("ب", "وب")
# ".وأشارت"، "بالمحافظة.إلى ذلك": scraped text drops the space (a period between words of two and three
# letters or more); a period after a lone letter is an abbreviation's ("(د. ب. أ)"، "د. محمد"، "بي.سي"),
# no sentence end; nor is an ellipsis ("لا بديل عن الحوار.. والحل قريب"): the speaker's pause
SENTENCE_END = re.compile(r"(?<![\s(«\"][\u0621-\u064A])(?<!\.)[.؟!?](?=\s|$|و[^\W\d])|(?<![\s(«\".][\u0621-\u064A])(?<!\.[\u0621-\u064A]{2})(?<!\.)[.؟!?][»\"”](?=\s|$)|(?<=[\u0621-\u064A]{2})\.(?=[\u0621-\u064A]{3})|\n")
CLAUSE_BREAK = re.compile(r"[,،؛;:\-–—()«»\"“”]|\s\u0640+\s")  # a tatweel between spaces is a dash
ARABIC_LETTER = re.compile(r"[\u0600-\u06ff]")
QUOTE_OPEN = re.compile(r"[«\"“”]")
QUOTE_CHARS = "«»“”\""
QUOTE_CLOSERS = {"«": "»", "“": "”", "\"": "\"", "”": "”“", "»": "»«"}
MAX_QUOTE_CHARS = 1500
ANONYMOUS_ID = "AnonymousOfficial"
# prepositional pronouns that may stand between a cue and its subject ("أثنى فيها "ابن نحيت"")
LEADING_PRONOUN_PPS = {"فيها", "فيه", "فيهم", "فيهما", "به", "بها", "بهم", "بهما", "خلاله", "خلالها"}
# words that open an addressee, never a subject ("وطالب الجميع بسرعة تنفيذ ...")
ADDRESSEE_WORDS = {"الجميع", "جميع", "كافة", "كافه", "كل", "عامة", "عامه"}
# particles that put an imperfect verb in the subjunctive or jussive ("أن يعلن", "لم يذكر")
SUBJUNCTIVE_PARTICLES = {"ان", "لن", "لم", "كي", "لكي", "وان", "ولم", "ولن"}
# a first-person pronoun right after a cue opens direct speech ("قال نحن نقود ...")
FIRST_PERSON = {"نحن", "انا", "اننا", "انني", "لقد"}
# "ونظيره الروسي": a counterpart, a second source of the same kind
COUNTERPART_WORDS = {"نظيره", "نظيرته", "نظيرها", "نظراؤه"}
BRACKETED = re.compile(r"\s*\(\s*([^()\n]{2,40}?)\s*\)")
QUOTE_ANY = re.compile(r"[«»\"“”]")
# Word sets of the source-name rules, written once each and normalized as the document's words are
# (ة/ه, أ/ا and ى/ي variants fold together).
def _normalized(words: str) -> set[str]:
    return {normalize(w) for w in words.split()}


# nouns of institutions and offices: never the first word of a person's name after a title
NAME_TAIL_STOPS = _normalized("مجلس وزارة هيئة لجنة ادارة قوات جيش شركة منظمة مركز حركة جامعة دائرة مكتب عام اول خادم "
                              "شؤون شئون خارجية داخلية دفاع باسم بمنطقة منطقة ولاية محافظة اقليم مقاطعة بلدية فرع "
                              "سابق السابق الاسبق حكومة دولة جهاز مديرية قيادة اركان شرطة وكالة "
                              "نادي صحة تحالف اتحاد جمعية مؤسسة مجموعة")
# after a name, these open its descriptor ("محمد حسن زاده المسؤول في هيئة ..."، "بخاري دان معلم أحد سكان ...")
NAME_DESCRIPTORS = _normalized("المسؤول المسئول مسؤول مسئول مسؤولة مسئولة المسؤولة احد إحدى احدى عضوة العضو وهو وهي")
CLAUSE_PRONOUNS = _normalized("وهو وهي وهم")
DEMONSTRATIVES = _normalized("هذا هذه هؤلاء هولاء ذلك تلك")
# titles of a person a spokesman speaks for ("المتحدث باسم الرئيس ...")
PRINCIPAL_TITLES = _normalized("الرئيس رئيس رئيسة وزير الوزير وزيرة الأمين أمين الملك الأمير ولي المرشد زعيم "
                               "الزعيم قائد المستشار المستشارة النائب")
# a diplomat's or a mission's title goes on past لدى to where it is accredited
ACCREDITED_HEADS = _normalized("سفير السفير سفيرة مندوب المندوب مندوبة ممثل الممثل سفارة السفارة مبعوث المبعوث")
NAME_PARTICLES = _normalized("ابن ابو بن بنت ام آل ال")
# "son/daughter of": inside a name, never its first word ("هاجد بن مسفر"); أبو and آل may open one
FILIATION_WORDS = _normalized("ابن بن بنت")
# after a name, words that end it: a place or occasion, a time, "also", a clause ("فإن ...")
NAME_ENDS = _normalized("في من عقب ايضا أيضا آنذاك انذاك ردا فإن فان فانه امس")
# the verbs of an anonymity clause ("طلب عدم ذكر اسمه"، "فضل عدم الكشف عن هويته")
ANONYMITY_VERBS = _normalized("طلب طلبت طلبوا فضل فضلت فضلوا رفض رفضت رفضوا")
# what an anonymity clause withholds: "رفض الكشف عن اسمه"، "رفض ذكر اسمه"; "لم يشأ كشف هويته"، "لم تذكر اسمه"
WITHHOLD_VERBS = _normalized("ذكر الكشف كشف الافصاح نشر الاشارة")
WITHHOLD_NEGATED = _normalized("يشا تشا يشأ تشأ يذكر تذكر يرد ترد")
# the words a withholding verb follows ("لم يشأ كشف"، "رفض الكشف"): there it is no cue
WITHHOLD_BEFORE = WITHHOLD_NEGATED | ANONYMITY_VERBS
# what a withheld name is called ("اسمه"، "هويتها"، "اسمائهم")
WITHHELD = ("اسم", "هوي")
# words between a statement noun and its author ("بيان صحفي أصدره"، "تقرير صادر من")
STATEMENT_MODIFIERS = _normalized("صحفي صحافي رسمي مشترك صادر صادرة الصادر الصادرة صدر أصدره أصدرته اصدره اصدرته نشره نشرته من عن")
# the occasions an outlet interviews a speaker on ("في حوار مع «...»"، "في تصريح إلى "..."")
INTERVIEW_WORDS = _normalized("حوار مقابلة اتصال لقاء تصريح تصريحات حديث مكالمة هاتفي هاتفية خاصة خاص")
# generic heads that a "في" phrase goes on describing ("بعثة الأمم المتحدة في العراق"، "عدد من السكان في")
PLACED_HEADS = _normalized("احد عدد بعثة مراسل مراسلنا ناشطون ناشطين مشرعون اهالي سكان ضابط جنرال باحث خبراء "
                           "خبيران قيادات شركات مسعف المهندسون مهندسون")
# the shapes of verbal nouns, normalized (ة -> ه): مفاعلة، تفعيل، استفعال، انفعال، افتعال، -ية
NISBA = re.compile(r"(?!ال)\w{3,}(ي|يه|يون|يين)")  # an indefinite nisba adjective (عسكرية، أمنيون)
# "المتحدث باسم X"، "الناطق بلسان X": X is the body a spokesman speaks for
SPEAKS_FOR = _normalized("باسم بلسان")
VERBAL_NOUN_SHAPE = re.compile(r"م[^ا]\w{2,3}ه|ت\w{2}ي\w|است\w{3,4}|ا\w{2,3}ا\w|[^ا]\w{3,}يه")  # ا\w{3}ا\w holds انفعال
# quantifiers that open a prepositional object ("أهاب آل صالح بجميع المواطنين")
QUANTIFIERS = _normalized("جميع كل كافة بعض عموم سائر")
# words opening a sentence before its verb that are no subject ("بدوره قال"، "ثم أضاف")
FRONTING_CONNECTIVES = _normalized("بدوره بدورها ثم كذلك أيضا ايضا وهنا هنا لذلك ولذلك حيث وحيث بينما فيما كما "
                                   "لكنه لكنها انه انها فانه فانها ولكنه ولكنها")
# words a clause opens with before its verb ("كما رحب ...")
VERB_OPENERS = _normalized("كما وكما")
# a paper, company or website named right after its kind: the source is the name (nisba-gold train
# leaves the kind out of 15 of 18 such sources; وكالة، منظمة، حركة stay: their names include them)
NAMED_HEADS = _normalized("صحيفة شركة موقع")
# short words that open no noun object ("أكد ...، حرص" opens one)
# prepositions and adverbs that open no name after a description ("المواطن دون ..."، "الوزير رغم ...")
NOT_NAME_WORDS = _normalized("دون رغم خلال عبر لدى امام أمام بين نحو حول ضد عقب اثر إثر اثناء أثناء وسط بعد قبل "
                             "نفسه ذاته ايضا أيضا امس أمس اليوم غدا حاليا سابقا")
# say-verbs that may report direct speech with no introducer, colon or marks ("وقال الوزير، ...")
DIRECT_SPEECH_CUES = _normalized("قال قالت يقول تقول اضاف اضافت تابع تابعت")
VERB_PPS = _normalized("مع في على عن من إلى")
MARKED_NAME = re.compile(r"[«\"“(]\s*([^«»\"“”()]{2,40}?)\s*[»\"”)]")
QUESTION_NOUNS = _normalized("سؤال أسئلة اسئلة استفسار استفسارات")
PRAYER_NOUNS = _normalized("صلاة صلاه خطبة خطبه صلوات")
CLAUSE_OPENING_WORDS = _normalized("ليس ليست لا لم لن ما هناك هنالك ان إن")
ADDRESSEE_PLURALS = _normalized("للصحفيين للصحافيين للصحافة للصحف للمراسلين للحضور")
FUNCTION_WORDS = _normalized("من في على عن إلى الى مع ثم لم لن قد كان هو هي هم ما لا أن ان إن بعد قبل عند منذ حتى")
# "عبر والد الشهيد الشيخ ناصر ...": the kin named before the speaker's name, skipped to reach it
OUTLET_SOURCE_TYPE = "news_agency"
# nouns between an according-to connective and its source ("حسب أرقام الأمم المتحدة")
REPORT_NOUNS = _normalized("أرقام ارقام تقديرات إحصاءات احصاءات إحصائيات احصائيات إحصائية احصائية حصيلة بيانات تقرير "
                           "تقارير تصريحات تأكيد وصف")
# report nouns that are statements themselves: their owner is the source only when known
STATEMENT_REPORT_NOUNS = _normalized("بيانات")
# a word that opens the content after "بحسب X،" ("فإن المهاجمين فروا"، "فقد وصلت")
CONTENT_OPENERS = _normalized("فان فانه فانها فانهم فقد")
# prepositions that open no subject after a cue ("وقال في مؤتمر صحافي"، "من جانبه")
NO_SUBJECT_OPENERS = _normalized("في من قبل بعد خلال صراحة بصراحة بقوله بدوره بدورها وهو وهي وهم ب مما ومما")
# a condition before a cue verb ("إذا ما دعت الضرورة"): nobody reports
CONDITIONALS = _normalized("إذا اذا لو كلما")
# adverbs between a cue and its subject, or before its content ("وقالت أيضا القوات الجوية"، "وأكد مجددا أن")
ADVERBS_AFTER_CUE = _normalized("مرارا تكرارا مجددا أيضا ايضا سابقا مؤخرا كذلك جدا حاليا دائما دوما لاحقا")
# how far before a named speaker his title is looked for, when a later description takes his id
DESCRIPTION_WINDOW_CHARS = 60
# "وزارة الداخلية" after "وزارة الداخلية التونسية": a ministry named without its country is a description too
MINISTRY_WORDS = _normalized("وزارة وزاره")
CLAUSE_OR_SENTENCE_BREAK = re.compile(r"[,،؛;:.()«»\"“”\n]")
# plural descriptions that name a group of unnamed people, never one named speaker
PLURAL_DESCRIPTIONS = _normalized("السكان الناشطون الناشطين المسؤولون المسئولون المراجع الشهود الأهالي")
# styles of address before a title ("معالي الأمين العام"، "سمو أمير المنطقة")
STYLES_OF_ADDRESS = _normalized("معالي سمو فضيلة سعادة")
# verbs of publishing a statement ("في بيان نشرته وكالة ..."، "تسلمت «عكاظ» نسخة منه"): the outlet follows
PUBLISH_VERBS = _normalized("نشرته نشرتها أوردته أوردتها بثته بثتها أذاعته أذاعتها وزعته وزعتها تسلمت تلقت حصلت "
                            "أجرته أجرتها أجراها خص خصه خصت")
# platforms whose account carries a speaker's words (guidelines: a Facebook page is an outlet)
SOCIAL_PLATFORMS = _normalized("تويتر تويتير فيسبوك انستغرام انستجرام إنستغرام يوتيوب تلغرام تيليغرام تليجرام")
PLATFORM_LEADS = _normalized("عبر على في حسابه حسابها صفحته صفحتها تغريدة تغريدات تدوينة منشور")
# the interviewee's pronoun between an interview verb and the outlet ("في حوار أجرته معه صحيفة ...")
INTERVIEWEE_WORDS = _normalized("معه معها معهم به بها")
# words opening a circumstance between commas, after a cue's subject and before its object
ASIDE_OPENERS = _normalized("خلال في اثناء عقب لدى بعد قبل")
# time phrases of three words after a cue, before its subject or its content
TIME_PHRASES = {tuple(normalize(w) for w in p.split()) for p in ("اول من امس", "في الوقت نفسه", "في الوقت ذاته", "في نفس الوقت",
                                                                 "في وقت سابق", "في وقت لاحق", "في وقت متأخر")}
TIME_PAIRS = {tuple(normalize(w) for w in p.split()) for p in ("هذا الأسبوع", "هذا الشهر", "الأسبوع الماضي", "الشهر الماضي", "العام الماضي",
                                                               "من قبل", "الليلة الماضية")}
# words that end the look for a name after a descriptor ("النجيفي من جهة ثانية"، "مع وزير ...")
SCAN_ENDS = _normalized("مع من ايضا امس")
KIN_WORDS = _normalized("والد والده شقيق شقيقه")
# a rank written after its head ("اللواء ركن")
RANK_WORDS = _normalized("ركن اول أول")
# a conjunct opening one of these is a second source ("سكان وشهود"، "الشرطة وأحد السكان")
ANONYMOUS_CONJUNCTS = _normalized("احد سكان السكان شهود مسعفون مسعفين اخرى آخرون اخرون آخرين اخرين ناشطون ناشطين "
                                  "اطباء بيانات")
PLACE_NOUNS = _normalized("منطقة ولاية محافظة اقليم مقاطعة بلدية مدينة قرية امانة")
# nouns that open an institution's or a place's name, never a person's ("نادي الهلال"، "صحة جازان")
INSTITUTION_NOUNS = NAME_TAIL_STOPS | PLACE_NOUNS
# a known source right after one of these is no speaker (a preposition's or a noun's object)
SUBJECTLESS_BEFORE = _normalized("في من الى إلى على عن مع ضد بين داخل خارج نحو لدى تجاه حول عبر مثل دون بعد قبل منذ")
# words that open with ب but are no "بـ + object" (prepositional objects written onto the word)
NOT_PREFIX_OBJECTS = {"بن", "بين", "بعد", "بيان", "بينما", "بها", "به", "بهم", "بهما", "بشكل", "بلاده", "بلادها",
                      "بدوره", "بدورها", "بدورهم", "بنت", "بيت", "بعض", "باسم",  # "المتحدثة باسم الشرطة": on behalf of
                      "بحسب"}  # "وأفاد مصادر بحسب سكاي نيوز بمقتل": a connective naming the outlet


def oblique_plural(word: str) -> bool:
    """A definite relative adjective's plural in the oblique case ("الحوثيين"، "اليمنيين"): an
    object or a genitive, never a verb's subject (that is "الحوثيون")."""
    return word.startswith("ال") and word.endswith("يين") and len(word) >= 7


def opens_no_subject(word: str) -> bool:
    """Whether a phrase after a verb cue opening with this normalized word is no subject: a circumstance
    ("وقال في مؤتمر صحافي": NO_SUBJECT_OPENERS), an oblique plural (an object: "ودعت الحوثيين إلى") or
    an addressee with لل ("قال للإيرانيين")."""
    return word in NO_SUBJECT_OPENERS or oblique_plural(word) or word.startswith("لل") or (
        word.startswith("ل") and word.endswith(("ها", "هم", "هما")) and len(word) >= 5)


def connective_word(word: str, part: str, first: bool) -> bool:
    """Whether ``word`` (normalized) is ``part`` of an according-to connective: the same word, the
    part's opening when it ends in ل ("وفقا ل" in "لوكالة"), or, for the first word, the part after a
    clitic ("وبحسب")."""
    return word == part or (part.endswith("ل") and word.startswith(part)) or (first and any(word == c + part for c in CLITICS))


def masdar_stem(word: str) -> str:
    """A normalized word without its article and a pronoun or feminine ending ("وقوفها" -> "وقوف",
    "الضروره" -> "ضرور"): how verbal nouns are listed and looked up."""
    b = word[2:] if word.startswith("ال") else word
    return next((b[:-len(x)] for x in ("ها", "هم", "ه") if b.endswith(x) and len(b) - len(x) >= 3), b)


@dataclass
class Lexicon:
    cue_forms: dict[str, str]  # normalized form -> stance
    introducers: set[str]
    according_to_cue: set[str]
    according_to_source: list[str]
    according_to_norms: set[str]
    hedges: set[str]
    source_stops: list[tuple[str, ...]]
    anonymity: list[str]
    anonymous_heads: set[str]
    type_hints: list[tuple[str, str]]
    outlets: set[str]
    gazetteer: dict[str, str]
    triggers: dict[str, str]
    roles: dict[str, list[dict]] = field(default_factory=dict)
    introducer_pronouns: set[str] = field(default_factory=set)
    entity_source_types: dict[str, str] = field(default_factory=dict)
    cue_kinds: dict[str, str] = field(default_factory=dict)  # normalized form -> verb | participle | passive
    cue_context: dict[str, dict] = field(default_factory=dict)  # normalized form -> context rule (its words normalized: a str, or a frozenset for a list)
    cue_objects: dict[str, set[str]] = field(default_factory=dict)  # normalized form -> prepositions
    outlet_heads: set[str] = field(default_factory=set)
    honorifics: set[str] = field(default_factory=set)
    name_markers: set[str] = field(default_factory=set)
    title_heads: set[str] = field(default_factory=set)
    given_names: set[str] = field(default_factory=set)
    masdars: set[str] = field(default_factory=set)  # verbal nouns that open a cue's object (masdar_stem)
    weekdays: set[str] = field(default_factory=set)
    coreferent_mentions: set[str] = field(default_factory=set)
    statement_nouns: set[str] = field(default_factory=set)
    subject_adverbials: set[str] = field(default_factory=set)
    bare_object_cues: set[str] = field(default_factory=set)  # normalized forms taking a masdar object
    pronoun_subjects: set[str] = field(default_factory=set)  # "وقال سموه": a dropped subject
    addressee_cues: set[str] = field(default_factory=set)  # "طالب X بـ": X is the addressee unless named
    object_cues: set[str] = field(default_factory=set)  # "دعا X Y إلى": Y, the object, is no part of the source
    describing_cues: set[str] = field(default_factory=set)  # "وصف X Y بأنه": the object Y always comes
    telling_cues: set[str] = field(default_factory=set)  # "X أبلغ Y أن": a name before the verb tells, Y is told
    quoted_name_heads: set[str] = field(default_factory=set)  # "منظمة (بتسيلم)": the name is the source

    @classmethod
    def load(cls, path: str | Path = DEFAULT_LEXICON) -> "Lexicon":
        from annotation.yaml_files import read_yaml

        path = Path(path)
        data = read_yaml(path, "lexicon", LEXICON_FORMAT_VERSION)
        cue_forms, cue_kinds, cue_context, cue_objects = {}, {}, {}, {}
        bare_object_cues = set()
        for i, cue in enumerate(data.get("cues") or []):
            if not cue.get("forms"):
                raise NisbaError(f"{path}: cues[{i}] ({cue.get('lemma')}) has no forms")
            context = cue.get("context")
            if isinstance(context, str):
                context = {context: True}
            for form in cue["forms"]:
                cue_forms[normalize(form)] = str(cue.get("stance", "asserted"))
                cue_kinds[normalize(form)] = str(cue.get("kind", "verb"))
                if cue.get("bare_object"):
                    bare_object_cues.add(normalize(form))
                if cue.get("objects"):
                    cue_objects[normalize(form)] = {normalize(x) for x in cue["objects"]}
                if context:  # words normalized once here, not at every cue check
                    cue_context[normalize(form)] = {k: (normalize(v) if isinstance(v, str) else
                                                        frozenset(normalize(x) for x in v) if isinstance(v, list) else v)
                                                    for k, v in context.items()}
        gazetteer = {}
        for label, names in (data.get("gazetteer") or {}).items():
            for name in names:
                gazetteer.setdefault(name, str(label))
        triggers = {}
        for etype, words in (data.get("triggers") or {}).items():
            for w in words:
                triggers.setdefault(w, str(etype))
                if not normalize(w).startswith("ال") and " " not in w:
                    triggers.setdefault("ال" + w, str(etype))
        return cls(
            cue_forms=cue_forms,
            cue_kinds=cue_kinds,
            cue_objects=cue_objects,
            outlet_heads={normalize(w) for w in data.get("outlet_heads") or []},
            honorifics={normalize(w) for w in data.get("honorifics") or []},
            name_markers={normalize(w) for w in data.get("name_markers") or []},
            title_heads={normalize(w) for w in data.get("title_heads") or []},
            given_names={normalize(w) for w in data.get("given_names") or []}
            | (read_word_list(path.parent / data["given_names_file"]) if data.get("given_names_file") else set()),
            masdars=read_word_list(path.parent / data["masdars_file"]) if data.get("masdars_file") else set(),
            weekdays={normalize(w) for w in data.get("weekdays") or []},
            coreferent_mentions={" ".join(normalize(w).split()) for w in data.get("coreferent_mentions") or []},
            statement_nouns={normalize(w) for w in data.get("statement_nouns") or []},
            subject_adverbials={normalize(w) for w in data.get("subject_adverbials") or []},
            pronoun_subjects={normalize(w) for w in data.get("pronoun_subjects") or []},
            addressee_cues={normalize(w) for w in data.get("addressee_cues") or []},
            object_cues={normalize(w) for w in data.get("object_cues") or []},
            describing_cues={normalize(w) for w in data.get("describing_cues") or []},
            telling_cues={normalize(w) for w in data.get("telling_cues") or []},
            quoted_name_heads={normalize(w) for w in data.get("quoted_name_heads") or []},
            cue_context=cue_context,
            bare_object_cues=bare_object_cues,
            introducers={normalize(w) for w in data.get("introducers") or []},
            according_to_cue={normalize(w) for w in data.get("according_to_cue") or []},
            according_to_source=[normalize(w) for w in data.get("according_to_source") or []],
            according_to_norms={normalize(w) for w in data.get("according_to_norms") or []},
            hedges={normalize(w) for w in data.get("hedges") or []},
            source_stops=[tuple(normalize(w).split()) for w in data.get("source_stops") or []],
            anonymity=[" ".join(normalize(w).split()) for w in data.get("anonymity") or []],
            anonymous_heads={normalize(w) for w in data.get("anonymous_heads") or []},
            type_hints=[(" ".join(normalize(h["word"]).split()), str(h["type"]))
                        for h in data.get("source_type_hints") or []],
            outlets={normalize(w) for w in data.get("outlets") or []},
            gazetteer=gazetteer,
            triggers=triggers,
            roles=dict(data.get("roles") or {}),
            introducer_pronouns={normalize(w) for w in data.get("introducer_pronouns") or []},
            entity_source_types={str(k): str(v) for k, v in (data.get("entity_source_types") or {}).items()},
        )


@dataclass
class _Word:
    start: int
    end: int
    norm: str


class _Doc:
    """Words, sentences and the regions being built for one text."""

    def __init__(self, text: str):
        self.text = text
        self.words = [_Word(s, e, normalize(text[s:e])) for s, e in word_spans(text)]
        self.sentences: list[tuple[int, int]] = []
        pos = 0
        for m in SENTENCE_END.finditer(text):
            self._add_sentence(pos, m.start())
            pos = m.end()
        self._add_sentence(pos, len(text))
        self.regions: dict[str, Region] = {}
        self.relations: list[Relation] = []
        self.masked: set[int] = set()  # starts of words that are never cues
        self.reporters: set[str] = set()  # SOURCE ids named by a connective (حسبما ذكرت X، بحسب X)
        self.used_connectives: set[int] = set()  # word indices of connectives read as a statement's outlet
        self.uncarried: set[str] = set()  # SOURCE ids whose outlet relayed one statement only (not carried on)
        self._index = {w.start: i for i, w in enumerate(self.words)}
        self._ends = [w.end for w in self.words]

    def index_of(self, word: "_Word") -> int:
        return self._index[word.start]

    def word_before(self, pos: int) -> int | None:
        """The index of the last word ending at or before ``pos``, else None."""
        i = bisect.bisect_right(self._ends, pos) - 1
        return i if i >= 0 else None

    def _add_sentence(self, s: int, e: int) -> None:
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        if s < e:
            self.sentences.append((s, e))

    def sentence_of(self, pos: int) -> int:
        for i, (s, e) in enumerate(self.sentences):
            if s <= pos < e:
                return i
        return len(self.sentences) - 1

    def words_in(self, s: int, e: int) -> list[int]:
        return [i for i, w in enumerate(self.words) if w.start >= s and w.end <= e]

    def gap(self, i: int, j: int) -> str:
        """The text between word i and word j (j > i)."""
        return self.text[self.words[i].end:self.words[j].start]

    def add(self, layer: str, label: str, s: int, e: int, score: float, choices: dict | None = None) -> str:
        rid = region_id(layer, label, s, e, SALT)
        if rid not in self.regions:
            self.regions[rid] = Region(rid, layer, label, s, e, self.text[s:e], dict(choices or {}), score)
        return rid

    def relate(self, a: str, b: str, label: str | None) -> None:
        """Relate a -> b; a relation role the schema leaves unbound (None) relates nothing."""
        if label is None:
            return
        rel = Relation(a, b, label)
        if rel not in self.relations:
            self.relations.append(rel)


def rules_inputs_fingerprint(lexicon: str | Path = DEFAULT_LEXICON, sources: str | Path = DEFAULT_SOURCES) -> str:
    """A hash of what the rules read besides the text: the lexicon, the given-names and verbal-noun
    files it names, the sources and the normalization.

    The rules' model_version folds it in, and so does a model whose attribution linker falls
    back on the rules (training/train/model.py, training/predict/tagger.py).
    """
    from annotation.yaml_files import read_yaml

    digest = hashlib.sha256()
    for path in (lexicon, sources):
        digest.update(Path(path).read_bytes())
    data = read_yaml(Path(lexicon), "lexicon", LEXICON_FORMAT_VERSION)
    for key in ("given_names_file", "masdars_file"):  # word lists drawn from data
        listed = Path(lexicon).parent / data[key] if data.get(key) else None
        if listed is not None and listed.is_file():
            digest.update(listed.read_bytes())
    digest.update(normalization_fingerprint().encode())
    return digest.hexdigest()


def _title_words(doc: _Doc, start: int, end: int) -> list[str]:
    """The normalized words of ``start:end`` and of its clause just before it (its title), at most
    DESCRIPTION_WINDOW_CHARS back and not past a clause or sentence break."""
    lo = max(0, start - DESCRIPTION_WINDOW_CHARS)
    cut = max((m.end() for m in CLAUSE_OR_SENTENCE_BREAK.finditer(doc.text, lo, start)), default=lo)
    return normalize(doc.text[cut:end]).split()


def _speaks_for_at(words: list[str], k: int) -> bool:
    """Whether words[k] names the body a spokesman speaks for ("باسم الجيش"، "بلسان الوزارة")."""
    return k > 0 and words[k - 1] in SPEAKS_FOR


class RulesPredictor:
    """The rules pre-annotator; see the module docstring for what each rule does."""

    def __init__(self, lexicon: str | Path = DEFAULT_LEXICON, sources: str | Path = DEFAULT_SOURCES,
                 schema: Schema | None = None, schema_path: str | Path = DEFAULT_SCHEMA):
        self.schema = schema or load_schema(schema_path)
        self.lexicon = Lexicon.load(lexicon)
        self._stop_window = max((len(x) for x in self.lexicon.source_stops), default=1)
        self.sources = SourceIndex.load(sources)
        self.sources.name_words = {alias_words(w) for w in self.lexicon.given_names} | {"بن"}
        # the outlets "لـ + name" may introduce: the lexicon's, and every news agency's aliases in sources.yaml
        # ("أوغلو لهيئة الإذاعة والتلفزيون التركية")
        # heads that take their name in marks after them ("صحيفة «...»"، "لموقع "...""): the marks hold a name
        self.name_heads = self.lexicon.quoted_name_heads | self.lexicon.outlet_heads
        self.outlet_names = self.lexicon.outlets | {
            normalize(a) for src in self.sources.sources.values() if src.type == OUTLET_SOURCE_TYPE for a in src.aliases}
        self.schema_fingerprint = self.schema.fingerprint()
        digest = hashlib.sha256(rules_inputs_fingerprint(lexicon, sources).encode())
        digest.update(self.schema_fingerprint.encode())
        self.model_version = "rules-" + digest.hexdigest()[:10]
        self.connective_firsts = {phrase.split()[0] for phrase in self.lexicon.according_to_source}
        self.entity_matcher = PhraseMatcher(self.lexicon.gazetteer)
        self.trigger_matcher = PhraseMatcher(self.lexicon.triggers, suffixes=PRONOUN_SUFFIXES)
        # the schema's names, bound once (schema.roles; None: a role the schema leaves unbound)
        roles = self.schema.roles
        self.entity_layer, self.event_layer = roles.entities, roles.events
        self.place_label = roles.place
        self.claim_label, self.source_label, self.cue_label, self.outlet_label = (
            roles.claim, roles.source, roles.cue, roles.outlet)
        self.claim_source_rel, self.cue_claim_rel, self.source_outlet_rel = (
            roles.claim_source, roles.cue_claim, roles.source_outlet)
        self.stance_choice, self.source_id_choice, self.source_type_choice = (
            roles.stance, roles.source_id, roles.source_type)
        id_choice = self.schema.choice(self.source_id_choice) if self.source_id_choice else None
        self.source_ids = set(id_choice.values) if id_choice else set()

    # -- public -------------------------------------------------------------------------------
    def predict(self, texts: list[str], batch_size: int = 16) -> list[PredictionResult]:
        """One PredictionResult per text (batch_size is accepted for the contract; rules run one by one)."""
        out = []
        for text in texts:
            regions, relations = self.annotate(text)
            scores = [r.score for r in regions if r.score is not None]
            out.append(PredictionResult(regions, relations, round(sum(scores) / len(scores), 4) if scores else 0.0))
        return out

    def annotate(self, text: str) -> tuple[list[Region], list[Relation]]:
        doc = _Doc(text)
        if self.entity_layer:
            self._entities(doc)
        if self.claim_label and self.source_label and self.cue_label:
            self._claims(doc)
        if self.event_layer:
            self._events(doc)
        # every region holds a letter or a digit: one of marks or nothing is dropped with its relations
        wordless = {i for i, r in doc.regions.items() if not has_word_character(r.text)}
        regions = sorted((r for i, r in doc.regions.items() if i not in wordless),
                         key=lambda r: (r.start, r.end, r.layer, r.label))
        return regions, [x for x in doc.relations if x.from_id not in wordless and x.to_id not in wordless]

    def outlet_mentions(self, text: str) -> dict[tuple[int, int], set[str]]:
        """Every span of ``text`` the rules can read as an outlet, wherever it stands: (start, end) ->
        the readings that find it ("prefix": "لـ + outlet" (لرويترز، لوكالة فرانس برس، لـ«عكاظ»);
        "near": within a few words of an interview or statement noun (في مقابلة مع صحيفة «X»، في
        بيان نشرته وكالة X); "connective": after an according-to connective (وفقا لوكالة X، بحسب X);
        "known": an outlet's alias in sources.yaml). The candidates the learned linker chooses a
        source's reported_via from (training/predict/linker.py); the rules' own outlets are those
        their statements read."""
        doc = _Doc(text)
        end = len(text)
        found: dict[tuple[int, int], set[str]] = {}
        for k, w in enumerate(doc.words):
            if got := self._outlet(doc, k, end):
                found.setdefault(got[0], set()).add("prefix")
            if w.norm in PUBLISH_VERBS and (got := self._published_by(doc, k + 1, end)):
                found.setdefault(got, set()).add("near")
            if w.norm in {"مع", "الي"} and (got := self._outlet_near(doc, k, end)):
                found.setdefault(got, set()).add("near")  # "في مقابلة مع صحيفة «X»"، "في تصريحات إلى «X»"
            if self._may_open_connective(w.norm) and (got := self._connective_outlet_at(doc, k, end)) and got[0]:
                found.setdefault(got[0], set()).add("connective")
        for m in self.sources.matcher.find(text):
            if m.payload in self.sources.sources and self.sources.sources[m.payload].type == OUTLET_SOURCE_TYPE:
                found.setdefault((m.start, m.end), set()).add("known")
        # annotators name an outlet with its head word or without it ("وكالة الأنباء الكويتية" but
        # "فرانس برس"): each reading is offered both ways ("headless", "headed")
        starts = {w.start: k for k, w in enumerate(doc.words)}
        for (a, b), kinds in list(found.items()):
            k = starts.get(a, starts.get(a - 1))
            if k is None:
                continue
            if self._outlet_head(doc.words[k].norm) is not None and k + 1 < len(doc.words) and doc.words[k + 1].end <= b:
                found.setdefault((doc.words[k + 1].start, b), set()).update({"headless"} | kinds)
            elif k > 0 and a == doc.words[k].start and (plen := self._outlet_head(doc.words[k - 1].norm)) is not None \
                    and not CLAUSE_BREAK.search(doc.gap(k - 1, k)):
                found.setdefault((doc.words[k - 1].start + plen, b), set()).update({"headed"} | kinds)
        return found

    def _may_open_connective(self, word: str) -> bool:
        """Whether a connective of ``_connective_at`` may start at a word written ``word`` (normalized):
        its first word read as ``_connective_at`` reads it, or the bare حسب."""
        return word == "حسب" or any(connective_word(word, f, True) for f in self.connective_firsts)

    def _outlet_head(self, word: str) -> int | None:
        """The length of the proclitic (none, و، ل، ول، ب، وب) before an outlet head word (وكالة، صحيفة،
        قناة ...) that ``word`` (normalized) is, else None."""
        for plen in (0, 1, 2):
            if word[:plen] in ("", "و", "ل", "ب", "ول", "وب") and word[plen:] in self.lexicon.outlet_heads:
                return plen
        return None

    # -- entities and events ------------------------------------------------------------------
    def _entities(self, doc: _Doc) -> None:
        for m in self.entity_matcher.find(doc.text):
            score = SCORES["entity_multiword"] if " " in m.phrase else SCORES["entity"]
            doc.add(self.entity_layer, m.payload, m.start, m.end, score)

    def _events(self, doc: _Doc) -> None:
        layer = self.entity_layer
        entities = sorted((r for r in doc.regions.values() if r.layer == layer), key=lambda r: r.start)
        for m in self.trigger_matcher.find(doc.text):
            tid = doc.add(self.event_layer, m.payload, m.start, m.end, SCORES["trigger"])
            sent = doc.sentences[doc.sentence_of(m.start)]
            used: set[str] = set()
            for spec in self.lexicon.roles.get(m.payload, []):
                arg = self._argument(doc, m.start, m.end, sent, entities, spec, used)
                if arg:
                    used.add(arg.id)
                    doc.relate(tid, arg.id, spec["role"])

    def _argument(self, doc, start, end, sent, entities, spec, used) -> Region | None:
        labels = set(spec.get("labels") or [])
        cands = [r for r in entities if r.label in labels and r.id not in used
                 and sent[0] <= r.start and r.end <= sent[1]]
        if spec.get("side") == "before":
            cands = [r for r in cands if r.end <= start][::-1]
        else:
            cands = [r for r in cands if r.start >= end]
        after_word = normalize(spec["after_word"]) if spec.get("after_word") else None
        for r in cands:
            lo, hi = (r.end, start) if r.end <= start else (end, r.start)
            if len(doc.words_in(lo, hi)) > ROLE_WINDOW_WORDS:
                break
            if after_word:
                before = [w.norm for w in doc.words if w.end <= r.start][-2:]
                if after_word not in before:
                    continue
            return r
        return None

    # -- claims -------------------------------------------------------------------------------
    def _cue_form(self, word: _Word, doc: _Doc) -> tuple[int, str] | None:
        if word.start in doc.masked:
            return None
        for p in CUE_PREFIXES + PREPOSITION_PREFIXES:
            form = word.norm[len(p):]
            if p in PREPOSITION_PREFIXES and "after_preposition" not in self.lexicon.cue_context.get(form, {}):
                continue  # "بقال" is no cue: ب opens only a cue that takes a preposition ("بالقول")
            if word.norm.startswith(p) and form in self.lexicon.cue_forms and self._cue_in_context(doc, word, form, p):
                return len(p), self.lexicon.cue_forms[form]
        return None

    def cue_kind(self, word: _Word, plen: int) -> str:
        return self.lexicon.cue_kinds.get(word.norm[plen:], "verb")

    def _cue_in_context(self, doc: _Doc, word: _Word, form: str, prefix: str) -> bool:
        """Ambiguous cue words (ترى "you see", نقل transport, بين "between") are cues only in context."""
        i = doc.index_of(word)
        if not prefix and form[:1] in "يت" and i > 0 and doc.words[i - 1].norm in SUBJUNCTIVE_PARTICLES \
                and self.lexicon.cue_kinds.get(form, "verb") == "verb":
            return False  # "لم يستبعد أن يعلن التنظيم مسؤوليته": a verb in the subjunctive reports nothing
        if not prefix and i > 0 and (doc.words[i - 1].norm in CONDITIONALS or (
                doc.words[i - 1].norm == "ما" and i > 1 and doc.words[i - 2].norm in CONDITIONALS)):
            return False  # "إذا ما دعت الضرورة"، "لو قال": a condition, nobody reports
        rule = self.lexicon.cue_context.get(form)
        if not rule:
            return True
        if rule.get("clause_initial"):
            prev = doc.words[i - 1] if i > 0 else None
            after_ma = prev is not None and (prev.norm == "فيما" or (
                prev.norm == "ما" and i > 1 and doc.words[i - 2].norm in {"حسب", "بحسب", "وحسب", "وفق", "وفقا", "طبقا"}))
            if not (prefix or prev is None or after_ma  # "تتراوح ما بين 9 و10": between; "حسب ما بين": as he showed
                    or re.search(r"[,،؛;:\-–—()]", doc.text[prev.end:word.start])
                    or SENTENCE_END.search(doc.text[prev.end:word.start])):
                return False
        if rule.get("introducer_next"):
            # "وتصريحاته بأن ..."؛ "ومضى قطان بالقول: «...»": an introducer, or a colon or quotation mark
            quoted = i + 1 < len(doc.words) and re.match(r"\s*[:«\"“]", doc.gap(i, i + 1))
            if i + 1 >= len(doc.words) or (doc.words[i + 1].norm not in self.lexicon.introducers and not quoted):
                return False
        if "after_preposition" in rule:
            # "مكتفيا بالقول إن"، "دفع المحللين إلى القول بأن": a preposition before it, never "ويمكن القول إن"
            prev = doc.words[i - 1].norm if i > 0 else ""
            if prefix not in PREPOSITION_PREFIXES and prev not in rule["after_preposition"]:
                return False
        if rule.get("not_preceded_by") and not prefix and i > 0 \
                and doc.words[i - 1].norm in rule["not_preceded_by"]:
            return False  # "لا يمكن وصف هذه الأعمال بأنها": the verbal noun, no one describing
        if rule.get("not_followed_by"):  # "قال الله تعالى": a scripture citation, not a reported claim
            nxt = doc.words[i + 1].norm if i + 1 < len(doc.words) else ""
            if nxt in rule["not_followed_by"] and not re.search(r"[:«\"“]", doc.gap(i, i + 1)):
                return False  # "وقال: الله سيحاسب ...": after a colon the words are the speaker's
        if rule.get("statement_after_fi"):  # "وجاء في البيان": the statement is the source
            nxt = [w.norm for w in doc.words[i + 1:i + 3]]
            if len(nxt) < 2 or nxt[0] != "في" or nxt[1] not in self.lexicon.statement_nouns:
                return False
        if rule.get("followed_by"):  # one word or a list of words, within six words after the cue (or followed_within)
            after = [w.norm for w in doc.words[i + 1:i + 1 + int(rule.get("followed_within", 6))]]
            wanted = rule["followed_by"]
            if not (wanted in after if isinstance(wanted, str) else wanted & set(after)):
                return False
        return True

    def _mask_non_cues(self, doc: _Doc) -> None:
        """Words that look like cues but are not verbs here: inside an anonymity phrase
        ("طلب عدم ذكر اسمه") or after عدم."""
        doc.masked = set()
        norms = [w.norm for w in doc.words]
        for phrase in self.lexicon.anonymity:
            parts = phrase.split()
            for k in range(len(norms) - len(parts) + 1):
                if norms[k:k + len(parts)] == parts:
                    doc.masked.update(w.start for w in doc.words[k:k + len(parts)])
        for k in range(1, len(norms)):
            if norms[k - 1] == "عدم" or (norms[k] in WITHHOLD_VERBS and norms[k - 1] in WITHHOLD_BEFORE):
                doc.masked.add(doc.words[k].start)  # "لم يشأ كشف هويته"، "رفض الكشف عن اسمه": no cue
        for k, n in enumerate(norms[:-1]):
            # "ويدعى فاليري": is called, not يدعي "claims" (which is followed by its subject or أن)
            nxt = norms[k + 1]
            if n in self.lexicon.name_markers and nxt not in self.lexicon.introducers and (
                    nxt in self.lexicon.given_names or doc.text[doc.words[k].end - 1] == "ى" or not nxt.startswith("ال")):
                doc.masked.add(doc.words[k].start)

    def _claims(self, doc: _Doc) -> None:
        self._mask_non_cues(doc)
        cues = []
        for i, w in enumerate(doc.words):
            hit = self._cue_form(w, doc)
            if hit:
                cues.append((i, hit[0], hit[1]))
        statements = []
        for k, (i, plen, stance) in enumerate(cues):
            st = self._statement(doc, i, plen, stance)
            if st:
                statements.append(st)
        # a claim ends where the next statement of its sentence begins
        for k, st in enumerate(statements):
            nxt = statements[k + 1] if k + 1 < len(statements) else None
            if nxt and nxt["sentence"] == st["sentence"] and st["claim"][0] < nxt["cue_span"][0] < st["claim"][1] \
                    and not self._nested_cue(doc, st, nxt):
                st["claim"] = (st["claim"][0], self._trim_end(doc, st["claim"][0], doc.words[nxt["cue_word"]].start))
        # "وقال مصدر إنه يرجح أن ...": a cue opening another's content with no subject of its own is the
        # same speaker's wording, not a second statement
        statements = [st for k, st in enumerate(statements)
                      if not (k > 0 and st.get("dropped") and statements[k - 1]["claim"][0] == st["cue_span"][0] - st["cue_plen"]
                              and not st.get("quoted"))]
        for st in statements:
            if has_word_character(doc.text[st["claim"][0]:st["claim"][1]]):
                self._emit(doc, st)  # not a claim the next statement left nothing ("قال إن وقال إن ...") or marks only
        self._according_to_source(doc)
        self._propagate_source_ids(doc)
        self._carry_outlets(doc)

    def _direct_speech(self, doc: _Doc, i: int, sent_e: int) -> int | None:
        """Where the words of a say-verb at word i begin when no introducer, colon or quotation follows
        it: after its speaker (or none) and an outlet or addressee ("في تصريحات لـ«عكاظ»"، "للصحفيين"),
        at a comma or right after that outlet, or at a first-person pronoun (نحن، إننا); the words run on
        for at least four words to the sentence's end. Else None."""
        n = len(doc.words)
        src_words, via = self._source_phrase(doc, i + 1, sent_e, None)
        k = src_words[-1] + 1 if src_words else i + 1
        skipped = False
        if via is not None:
            after = next((x for x in range(k, min(n, k + 8)) if doc.words[x].start >= via[1]), None)
            if after is None:
                return None
            k, skipped = after, True
        elif k < n and doc.words[k].norm in ADDRESSEE_PLURALS:
            k, skipped = k + 1, True  # "للصحفيين"
        while k < n and doc.words[k].end <= sent_e and (t := self._time_adverb(doc, k)):
            k += t
        if k >= n or doc.words[k].end > sent_e or (src_words and k <= src_words[-1]):
            return None
        w = doc.words[k]
        broke = re.search(r"[,،]", doc.gap(k - 1, k)) is not None
        if not (broke or skipped or w.norm in FIRST_PERSON):
            return None
        if re.search(r"[:«\"“]", doc.gap(k - 1, k)) or w.norm in FUNCTION_WORDS or w.norm in self.lexicon.introducers \
                or self._cue_form(w, doc) or len(doc.words_in(w.start, sent_e)) < 4 or w.norm in self.lexicon.title_heads \
                or (src_words and doc.words[src_words[0]].norm in CLAUSE_OPENING_WORDS):
            return None  # "قال X، نائب رئيس ...": an apposition; "قال ليست هناك دولة ...، ...": no speaker named
        return w.start

    def _nested_cue(self, doc: _Doc, st: dict, nxt: dict) -> bool:
        """"وبين معاليه أن مجلس الوزراء نوه بـ ...": a cue inside the content, after its own subject with no
        break or و before it, is nested speech; the outer claim keeps it (guidelines 5)."""
        w = doc.words[nxt["cue_word"]]
        if nxt["cue_span"][0] != w.start or self.lexicon.cue_kinds.get(w.norm, "verb") != "verb":
            return False  # "وأضاف"، "فقال": a clitic opens a new statement; participles continue the speaker
        inside = doc.words_in(st["claim"][0], w.start)
        if not inside or CLAUSE_BREAK.search(doc.text[st["claim"][0]:w.start]):
            return False
        before = doc.text[st["claim"][0]:w.start]
        return any(not before[m.end:].strip() for m in self.sources.matcher.find(before))

    def _propagate_source_ids(self, doc: _Doc) -> None:
        """A later mention by last name of a speaker named in full before takes his canonical id
        ("إبراهيم نجم ... وأضاف نجم"، "راجح بادي ... وقال بادي": a short name too common to be an
        alias of its own in sources.yaml). Named in full is a SOURCE with an id, or a known source's
        alias of two words or more anywhere in the text, read as a SOURCE or not ("دعا المتحدث باسم
        المقاومة علي الأحمدي، ... وقال الأحمدي")."""
        sid_key = self.source_id_choice
        if not sid_key:
            return
        stype_key = self.source_type_choice
        # (start, last word, (id, type)) of each full naming: known aliases, then SOURCEs with an id
        named = [(m.start, normalize(m.phrase).split()[-1], (m.payload, self.sources.sources[m.payload].type))
                 for m in self.sources.matcher.find(doc.text)
                 if len(m.phrase.split()) >= 2 and m.payload in self.sources.sources and m.payload != ANONYMOUS_ID]
        sources = sorted((r for r in doc.regions.values() if (r.layer, r.label) == self.source_label), key=lambda r: r.start)
        for r in sources:
            words = normalize(r.text).split()
            sid = r.choices.get(sid_key, "other")
            if sid not in ("", "other", ANONYMOUS_ID) and len(words) >= 2:
                named.append((r.start, words[-1], (sid, r.choices.get(stype_key) if stype_key else None)))
        named.sort(key=lambda x: x[0])
        for r in sources:
            words = normalize(r.text).split()
            if len(words) != 1 or len(words[0]) < 3 or r.choices.get(sid_key, "other") not in ("", "other"):
                continue
            before = [ident for start, last, ident in named if start < r.start and last == words[0]]
            if before:
                sid, stype = before[-1]
                r.choices[sid_key] = sid
                if stype and stype_key:
                    r.choices[stype_key] = stype
        self._propagate_to_descriptions(doc, sources)

    def _propagate_to_descriptions(self, doc: _Doc, sources: list[Region]) -> None:
        """A later description of a speaker named before takes the speaker's canonical id: "وزير الخارجية"
        after "وزير الخارجية عادل الجبير"، "الوزير الأمريكي" after "وزير الخارجية الأمريكي جون كيري"،
        "الشرطة" after "شرطة لوس أنجلوس"، "وزارة الداخلية" after "وزارة الداخلية التونسية". A description
        is a SOURCE with no id, of up to four words, opening with a title, وزارة or the article (no
        anonymous head, no unnamed plural such as السكان, no lone surname in -ي), whose every word (the
        article aside) is read in an earlier SOURCE with an id (not anonymous) or a known alias of two
        words or more, or in the words of its clause just before it; the latest such one gives the id."""
        sid_key, stype_key = self.source_id_choice, self.source_type_choice
        bare = lambda w: w[2:] if w.startswith("ال") and len(w) > 4 else w

        def window(s: int, e: int) -> set[str]:
            # the mention and the words of its clause just before it, its title; the body a spokesman
            # speaks for ("المتحدث باسم الجيش ... واين ماروتو") describes someone else
            words = _title_words(doc, s, e)
            return {bare(w) for k, w in enumerate(words) if not _speaks_for_at(words, k)}

        anonymous = {bare(w) for w in self.lexicon.anonymous_heads}
        known = []
        for r in sources:
            sid = r.choices.get(sid_key, "other")
            if sid in ("", "other", ANONYMOUS_ID):
                continue
            known.append((r.start, window(r.start, r.end), sid, r.choices.get(stype_key) if stype_key else None))
        for m in self.sources.matcher.find(doc.text):
            # a known source's alias of two words or more, read as a SOURCE or not
            if len(m.phrase.split()) >= 2 and m.payload in self.sources.sources and m.payload != ANONYMOUS_ID:
                known.append((m.start, window(m.start, m.end), m.payload, self.sources.sources[m.payload].type))
        known.sort(key=lambda x: x[0])
        for r in sources:
            if r.choices.get(sid_key, "other") not in ("", "other"):
                continue
            words = normalize(r.text).split()
            if not words or len(words) > 4 or bare(words[0]) in anonymous or words[0] in PLURAL_DESCRIPTIONS \
                    or not (words[0] in self.lexicon.title_heads or words[0] in MINISTRY_WORDS or words[0].startswith("ال")) \
                    or (len(words) == 1 and words[0].endswith("ي") and words[0] not in self.lexicon.coreferent_mentions):
                continue  # "الحذيفي" alone is a surname, not a description
            want = {bare(w) for w in words}
            hits = [k for k in known if k[0] < r.start and want <= k[1]]
            if hits:
                _, _, sid, stype = hits[-1]
                r.choices[sid_key] = sid
                if stype and stype_key:
                    r.choices[stype_key] = stype

    def _carry_outlets(self, doc: _Doc) -> None:
        """An outlet named once for a speaker (an interview, "قال X لوكالة فرانس برس") carries his later
        mentions too (guidelines 5): a later SOURCE with the same canonical id, or the same last name
        when it is not a canonical source, gets the same reported_via."""
        via = self.source_outlet_rel
        if via is None:
            return
        via_of = {x.from_id: x.to_id for x in doc.relations if x.label == via}
        seen: dict[str, str] = {}
        anonymous_via = None
        source = self.source_label
        for r in sorted((r for r in doc.regions.values() if (r.layer, r.label) == source), key=lambda r: r.start):
            sid = r.choices.get(self.source_id_choice, "other")
            if sid == ANONYMOUS_ID:
                # "كشف مسؤول أمني لـ«الشرق الأوسط» ... وأضاف المسؤول الأمني": the definite mention is the same one
                if r.id in via_of:
                    anonymous_via = via_of[r.id]
                elif anonymous_via and normalize(r.text).startswith("ال"):
                    doc.relate(r.id, anonymous_via, via)
                continue
            # by canonical id and by last name: "بدر جاموس" (known) and later "جاموس" (not an alias)
            keys = [k for k in (sid if sid not in ("", "other") else None,
                                "name:" + (normalize(r.text).split() or [""])[-1]) if k]
            if r.id in via_of:
                if r.id not in doc.uncarried:
                    seen.update((k, via_of[r.id]) for k in keys)
            elif any(k in seen for k in keys):
                doc.relate(r.id, seen[next(k for k in keys if k in seen)], via)

    def _introducer_after(self, doc: _Doc, i: int, sent_end: int, objects: set[str] = frozenset()) -> int | None:
        """The introducer after cue word i in its sentence; failing that, for a cue taking a
        prepositional object (أعلن عن، أكد على), the first such preposition within a few words."""
        fallback = None
        for j in range(i + 1, min(len(doc.words), i + 1 + MAX_CUE_TO_INTRODUCER_WORDS)):
            w = doc.words[j]
            if w.end > sent_end:
                break
            if w.norm in self.lexicon.introducers and self._in_outlet_name(doc, j):
                continue  # "في مقابلة مع قناة "سي ان ان""، "لشبكة (إن.بي.سي)": the name's إن introduces nothing
            if w.norm in self.lexicon.introducers:
                if fallback is not None and fallback < j - 1 and doc.words[fallback].norm not in objects:
                    return fallback  # "اتهم X Y بالتواطؤ ...، ورغم ان": the object's content comes first
                return j
            if fallback is None and j - i <= OBJECT_REACH_WORDS and (
                    w.norm in objects or self._prefix_object(doc, w, objects)):
                fallback = j
            if self._cue_form(w, doc) and j > i + 1:
                break  # another cue before any introducer
        return fallback

    def _in_outlet_name(self, doc: _Doc, j: int) -> bool:
        """Word j belongs to an outlet's name: a dotted abbreviation ("سي.إن.إن."، "إن.بي.سي": a dot with
        no space joins it to a word of up to three letters), a listed outlet ("سي ان ان"), or the first
        word of a name in marks after an outlet head or مع ("مع "إن بي آر نيوز"")."""
        n = len(doc.words)
        for a, neighbour in ((j - 1, j - 1), (j, j + 1)):   # the gap after word a joins j to its neighbour
            if 0 <= a and a + 1 < n and doc.gap(a, a + 1) == "." and len(doc.words[neighbour].norm) <= 3:
                return True
        for a in range(max(0, j - 4), j + 1):
            for b in range(j + 1, min(n, a + 5) + 1):
                if " ".join(x.norm for x in doc.words[a:b]) in self.outlet_names:
                    return True
        if j > 0 and QUOTE_OPEN.search(doc.gap(j - 1, j)):
            before = doc.words[j - 1].norm
            return (before == "مع" or before in self.name_heads or (before[:1] == "ل" and before[1:] in self.name_heads)) \
                and bool(self._quoted_words(doc, j - 1, len(doc.text)))
        return False

    def _prefix_object(self, doc: _Doc, w: _Word, objects: set[str]) -> bool:
        """A one-letter preposition written onto the object ("طالب ... بتصنيف", "أفادت مصادر بوقوع"):
        the word starts with it, is no name (no entity region starts there) and no listed non-object."""
        if len(w.norm) < 4 or w.norm[0] not in objects:
            return False
        k = doc.index_of(w)
        if k > 0 and doc.words[k - 1].norm in self.lexicon.given_names and w.norm[1:3] != "ال" \
                and w.norm[1:] not in QUANTIFIERS and not CLAUSE_BREAK.search(doc.gap(k - 1, k)):
            return False  # "طالب فرنسوا بايرو الوزير ... بـ": a family name after a given name
        return (w.norm not in self.lexicon.introducers
                and w.norm not in NOT_PREFIX_OBJECTS and w.norm[1:] not in self.lexicon.given_names
                and not self._entity_at(doc, w) and not self._known_at(doc, k))  # "بترو بوروشنكو": a name

    def _quotation(self, doc: _Doc, after: int, upto: int, sent_e: int) -> tuple[int, int, int] | None:
        """Quoted content introduced between ``after`` (the cue's end) and ``upto``: (start, end, where the
        source phrase must stop), or None.

        A colon opens content ("وأضاف: نحتاج ..." to the sentence end; "قال: «...»" to the closing
        mark); a quotation mark opens it when the quotation holds at least four words (shorter
        ones are names or scare quotes: وكالة "سانا").
        """
        text = doc.text
        m = re.compile(r"[:«“\"”»]").search(text, after, upto)
        while m:
            got = "short" if self._named_by_head(doc, m.start()) else self._quotation_at(doc, m, upto, sent_e)
            if got != "short":
                return got
            close = next((k for k in range(m.start() + 1, upto) if text[k] in QUOTE_CLOSERS.get(m.group(), m.group())), None)
            if close is None:
                return None
            m = re.compile(r"[:«“\"”»]").search(text, close + 1, upto)  # "وأوضح "الحريري" في كلمة: "...""
        return None

    def _named_by_head(self, doc: _Doc, p: int) -> bool:
        """Whether the quotation mark at p follows a head that takes its name in marks (صحيفة «...»،
        لموقع "...", وكالة "..."): the quotation is that name, however long, not content."""
        if doc.text[p] == ":":
            return False
        k = doc.word_before(p)
        if k is None or doc.text[doc.words[k].end:p].strip():
            return False
        x = doc.words[k].norm
        return x in self.name_heads or (x[:1] == "ل" and x[1:] in self.name_heads)

    def _quotation_at(self, doc: _Doc, m: re.Match, upto: int, sent_e: int):
        text = doc.text
        p = m.start()
        colon = m.group() == ":"
        q = p
        if colon:
            q = p + 1
            while q < len(text) and text[q] in " \t":
                q += 1
            if q >= len(text) or text[q] not in QUOTE_CHARS:
                start = q
                end = self._trim_end(doc, start, self._colon_content_end(doc, sent_e))
                if self._opens_with_introducer(doc, start, end):
                    return None  # "قال ...: إنه ...": the introducer's reading
                return (start, end, p) if end > start else None
        opener = text[q]
        closers = QUOTE_CLOSERS.get(opener, opener)
        close = next((k for k in range(q + 1, min(len(text), q + 1 + MAX_QUOTE_CHARS)) if text[k] in closers), None)
        if close is None and not colon and opener in "«“":
            # "وقال دي ماريا أيضا «أستطيع ...": a quotation never closed runs to its paragraph's end
            para = text.find("\n", q)
            para = len(text) if para < 0 else para  # the text's end when no paragraph break follows
            close = para if para - q <= MAX_QUOTE_CHARS else None
        if close is None:
            if not colon:
                return None
            close = sent_e
        start = q + 1
        while start < close and text[start].isspace():
            start += 1
        end = self._trim_end(doc, start, close)
        if not colon and end > start and len(word_spans(text[start:end])) < 4:
            return "short"
        if end <= start or (not colon and self._opens_with_introducer(doc, start, end)):
            return None  # «"ان الجيش ..."», a stray mark before "إن ...": the introducer's reading
        return start, end, p

    def _content_referred_back(self, doc: _Doc, i: int, plen: int, si: int) -> tuple[int, int, list[int], tuple | None] | None:
        """A verb cue opening its sentence and followed by ذلك, then its source ("أوضح ذلك لـ"الرياض" مدير
        عام الفرع"، "ذكر ذلك الدكتور ..."): the sentence before is the content. (claim start, claim
        end, source words, outlet), else None."""
        sent_s, sent_e = doc.sentences[si]
        opens = doc.words[i].start - plen <= sent_s + 1
        # "... إلى مدينة عدن، كشف ذلك لـ"الرياض" محافظ عدن": the clause before the comma
        after_comma = not opens and i > 0 and doc.words[i - 1].start >= sent_s and re.search(r"[,،]", doc.gap(i - 1, i))
        if ((si == 0 and not after_comma) or i + 2 >= len(doc.words) or not (opens or after_comma)
                or self.lexicon.cue_kinds.get(doc.words[i].norm[plen:], "verb") != "verb"
                or doc.words[i + 1].norm not in {"ذلك", "هذا"} or CLAUSE_BREAK.search(doc.gap(i, i + 1))
                or (doc.words[i + 1].norm == "هذا" and doc.words[i + 2].norm.startswith("ال"))):  # "وأكد هذا الناطق"
            return None
        src, via = self._source_phrase(doc, i + 2, sent_e, None)
        if not src:
            return None
        prev_s, prev_e = (sent_s, doc.words[i - 1].end) if after_comma else doc.sentences[si - 1]
        claim_e = self._trim_end(doc, prev_s, prev_e)
        if len(doc.words_in(prev_s, claim_e)) < 3:
            return None
        return prev_s, claim_e, src, via

    def _content_before(self, doc: _Doc, i: int, plen: int, sent_s: int, sent_e: int) -> tuple[int, int, int] | None:
        """A verb cue after a comma that closes the content before it, with only its source after it ("«...»،
        قال المتحدث باسم الحكومة", "الحكومة ستتخذ إجراءات، قال المتحدث."): (claim start, claim end, source limit)."""
        if self.lexicon.cue_kinds.get(doc.words[i].norm[plen:], "verb") != "verb" or i == 0:
            return None
        gap = doc.gap(i - 1, i)
        if not re.search(r"[,،]", gap) or doc.words[i - 1].start < sent_s:
            return None
        src, _ = self._source_phrase(doc, i + 1, sent_e, None)
        if not src:
            return None
        tail = doc.words_in(doc.words[src[-1]].end, sent_e)
        if len(tail) > 4 or any(self._cue_form(doc.words[k], doc) or doc.words[k].norm in self.lexicon.introducers for k in tail):
            return None  # more than an outlet or a time after the source: not a closing attribution
        end = doc.words[i - 1].end
        if re.match(r"\s*[»”\"]", doc.text[end:end + 2]):
            opener = max(doc.text.rfind(q, sent_s, end) for q in "«“\"")
            start = opener + 1 if opener >= sent_s else sent_s
        else:
            start = sent_s
        claim_e = self._trim_end(doc, start, end)
        if len(doc.words_in(start, claim_e)) < 3:
            return None
        return start, claim_e, sent_e

    def _named_right_before(self, doc: _Doc, i: int, sent_s: int) -> list[int]:
        """The name written right before the verb cue at word i, after an introducer, a relative pronoun,
        a break or the sentence start ("أن مرسي أبلغ"، "الرئيس التنفيذي مارتن X، الذي أبلغ"): a known
        source, or up to four words opening with a given name, a title or an honorific; else []."""
        lex = self.lexicon
        words, _ = self._words_back(doc, i - 1, i, sent_s, 4, lambda k: doc.words[k].norm in lex.introducers
                                    or doc.words[k].norm in FUNCTION_WORDS or self._cue_form(doc.words[k], doc))
        if words and doc.words[words[-1]].norm in RELATIVE_PRONOUNS:
            return []
        for n in range(len(words)):
            tail = words[n:]
            s, e = doc.words[tail[0]].start, doc.words[tail[-1]].end
            if any(m.start == 0 and m.end == e - s for m in self.sources.matcher.find(doc.text[s:e])) \
                    or doc.words[tail[0]].norm in lex.given_names or doc.words[tail[0]].norm in lex.title_heads \
                    or doc.words[tail[0]].norm in lex.honorifics:
                return self._trim_title(doc, tail)
        return []

    def _subject_after_particle(self, doc: _Doc, i: int, sent_s: int) -> list[int]:
        """The subject between a contrast (لكن، إلا أن، غير أن، رغم أن) and the verb cue at word i ("إلا أن
        السلطات نفت"، "لكن باحثا من جامعة أوكسفورد قال"): at most six words with no break, no particle and
        no cue among them; else []."""
        lex = self.lexicon

        def contrast(k: int) -> bool:  # a contrast opens a clause of its own; after a bare أن the clause is another's content
            w = doc.words[k].norm
            return w in {"لكن", "ولكن"} or (w == "ان" and k > 0 and doc.words[k - 1].norm in {"الا", "غير", "رغم", "ورغم"})

        words, k = self._words_back(doc, i - 1, i, sent_s, 7, lambda k: contrast(k) or doc.words[k].norm in lex.introducers
                                    or self._cue_form(doc.words[k], doc) or doc.words[k].norm in FUNCTION_WORDS - {"من", "في"})
        if k is None or CLAUSE_BREAK.search(doc.gap(k, words[0] if words else i)) or not contrast(k):
            return []  # no contrast before a break, a particle, a cue or the seventh word
        if not words or len(words) > 6 or doc.words[words[0]].norm in {"من", "في"} \
                or doc.words[words[-1]].norm in {"من", "في"}:
            return []
        return self._trim_title(doc, words)

    def _plural_subject_before(self, doc: _Doc, i: int, plen: int, sent_s: int) -> list[int]:
        """A verb cue in the present plural (يقولون، يرون) with its subject written right before it, no
        break between ("لكن منتقدين يقولون إن"، "النواب الذين يقولون إن"، "مسؤولي الأمن البرازيليين
        يقولون إنهم"): that noun phrase, at most four words back to a particle or a break; else []."""
        form = doc.words[i].norm[plen:]
        if not (form.startswith("ي") and form.endswith("ون")) or i == 0:
            return []
        lex = self.lexicon
        k = i - 1
        if doc.words[k].norm == "الذين" and k > 0 and not CLAUSE_BREAK.search(doc.gap(k, i)):
            k -= 1
        words, _ = self._words_back(doc, k, i, sent_s, 4, lambda k: doc.words[k].norm in FUNCTION_WORDS
                                    or doc.words[k].norm in lex.introducers or doc.words[k].norm in {"لكن", "ولكن", "غير", "الا", "بعض"}
                                    or self._cue_form(doc.words[k], doc) or len(doc.words[k].norm) < 3)
        return self._trim_title(doc, words) if words else []

    @staticmethod
    def _words_back(doc: _Doc, k: int, end: int, sent_s: int, most: int, stop: Callable[[int], bool]) -> tuple[list[int], int | None]:
        """The words read back from word k (the phrase ending before word ``end``), at most ``most`` of
        them, within the sentence starting at ``sent_s``: (their indices in order, the index of the word
        that stopped the reading, a break after it or ``stop(index)`` true; None when the sentence
        start or ``most`` did)."""
        words: list[int] = []
        while k >= 0 and doc.words[k].start >= sent_s and len(words) < most:
            if CLAUSE_BREAK.search(doc.gap(k, words[0] if words else end)) or stop(k):
                return words, k
            words.insert(0, k)
            k -= 1
        return words, None

    def _relative_head(self, doc: _Doc, i: int, sent_s: int) -> list[int]:
        """"على لسان وزير الخارجية الذي أكد أن ...": a cue right after الذي/التي has the noun phrase before it as its
        subject (a known source or a title phrase, back to a preposition or a break); else []."""
        if i < 2 or doc.words[i - 1].norm not in RELATIVE_PRONOUNS or CLAUSE_BREAK.search(doc.gap(i - 1, i)):
            return []
        lex = self.lexicon
        words = []
        k = i - 2
        while k >= 0 and doc.words[k].start >= sent_s and len(words) < 6:
            w = doc.words[k]
            if (words and CLAUSE_BREAK.search(doc.gap(k, words[0]))) or w.norm in {"في", "علي", "عن", "من", "الي", "مع", "لسان"} \
                    or self._cue_form(w, doc) or w.norm in lex.introducers:
                break
            words.insert(0, k)
            k -= 1
        for n in range(len(words)):  # the longest tail that is a known source or opens with a title
            tail = words[n:]
            s, e = doc.words[tail[0]].start, doc.words[tail[-1]].end
            if doc.words[tail[0]].norm in lex.title_heads or any(
                    m.start == 0 and m.end == e - s for m in self.sources.matcher.find(doc.text[s:e])):
                return self._trim_title(doc, tail)
        return []

    def _coordinated_end(self, doc: _Doc, si: int, sent_e: int) -> int:
        """Content goes on over the next sentences of the paragraph that open with a coordinated introducer
        ("... ستشجع "الإسلام المعتدل". وأن هدف الاستراتيجية ..."): where the last of them ends."""
        end = sent_e
        for s, e in doc.sentences[si + 1:]:
            first = doc.words_in(s, e)[:1]
            if "\n" in doc.text[end:s] or not first or doc.words[first[0]].norm not in {"وان", "وبان"}:
                break
            end = e
        return end

    def _colon_content_end(self, doc: _Doc, sent_e: int) -> int:
        """Unquoted words after a colon ("وقال: هذا ليس حركة رائدة. إنه كيان وحشي.") run over the sentences of
        their paragraph, up to a sentence that opens with a cue of its own (وأضاف، وقال)."""
        si = doc.sentence_of(sent_e - 1)
        end = sent_e
        for s, e in doc.sentences[si + 1:]:
            if "\n" in doc.text[end:s]:
                break
            first = doc.words_in(s, e)[:2]
            if not first or any(self._cue_form(doc.words[k], doc) for k in first) \
                    or any(doc.words[k].norm in self.lexicon.according_to_cue for k in first):
                break
            end = e
        return end

    def _opens_with_introducer(self, doc: _Doc, start: int, end: int) -> bool:
        first = word_spans(doc.text[start:end])[:1]
        return bool(first) and normalize(doc.text[start + first[0][0]:start + first[0][1]]) in self.lexicon.introducers

    def _relayed_source(self, doc: _Doc, i: int, limit: int, plen: int) -> tuple[list[int], tuple | None] | None:
        """"نقلت وكالة "سانا" عن محافظ الحسكة ..." / "قالت صحيفة X نقلا عن مسؤولين ..." / "علمت «عكاظ» من
        مصادر ...": the source is the phrase after عن (or the cue's relayed_by); the phrase before it is
        the outlet (reported_via)."""
        cue_norm = doc.words[i].norm[plen:]
        rule = self.lexicon.cue_context.get(cue_norm, {})
        k = i + 1
        while k < len(doc.words) and doc.words[k].end <= limit and k - i <= MAX_SOURCE_WORDS:
            if k > i + 1 and ((doc.words[k].norm == "عن" and (rule.get("followed_by") == "عن" or doc.words[k - 1].norm == "نقلا"))
                              or (rule.get("relayed_by") and doc.words[k].norm == rule["relayed_by"])):
                # "علمت «عكاظ» من مصادر أمنية أن": the cue's own relaying preposition (lexicon relayed_by)
                if doc.words[k - 1].norm == "نقلا":
                    doc.used_connectives.update((k - 1, k))  # "قالت صحيفة X نقلا عن Y": read here, not again
                src, _ = self._source_phrase(doc, k + 1, limit, None)
                if not src:
                    return None
                outlet_words = [x for x in range(i + 1, k) if doc.words[x].norm != "نقلا"]
                if not outlet_words:
                    return None  # "وقال نقلا عن مصادر ...": no outlet between the cue and نقلا
                quoted = next((self._quoted_words(doc, x - 1, limit) for x in outlet_words
                               if x - 1 >= i and self._quoted_words(doc, x - 1, limit)), [])
                if quoted:
                    outlet_words = quoted
                else:
                    cut = next((n for n, x in enumerate(outlet_words)
                                if n > 0 and (any((doc.words[x].norm,) == st[:1] for st in self.lexicon.source_stops)
                                              or doc.words[x].norm in self.lexicon.weekdays)), None)
                    outlet_words = outlet_words[:cut] if cut else outlet_words
                    if doc.words[outlet_words[0]].norm in self.lexicon.outlet_heads | {"صحيفه", "وكاله"} \
                            and len(outlet_words) > 1 and (
                                " ".join(doc.words[x].norm for x in outlet_words[1:]) in self.outlet_names
                                or not ARABIC_LETTER.match(doc.words[outlet_words[1]].norm)):
                        # "نقل موقع TechCrunch عن": a known or foreign name without its head; "نقلت وكالة
                        # الأنباء العمانية عن"، "وكالة تسنيم الإيرانية للأنباء": the head is part of the name
                        outlet_words = outlet_words[1:]
                if not outlet_words:
                    return None
                return src, (doc.words[outlet_words[0]].start, doc.words[outlet_words[-1]].end)
            k += 1
        return None

    def _trim_end(self, doc: _Doc, s: int, e: int) -> int:
        while e > s and (doc.text[e - 1].isspace() or CLAUSE_BREAK.match(doc.text[e - 1])):
            e -= 1
        return e

    def _statement(self, doc: _Doc, i: int, plen: int, stance: str) -> dict | None:
        cue_w = doc.words[i]
        cue = (cue_w.start + plen, cue_w.end)
        si = doc.sentence_of(cue_w.start)
        sent_s, sent_e = doc.sentences[si]
        prev = i - 1
        if prev >= 2 and doc.words[prev].norm == "ما" and doc.words[prev - 1].norm == "علي" \
                and re.search(r"[,،]", doc.gap(prev - 2, prev - 1)) and not CLAUSE_BREAK.search(doc.gap(prev - 1, i)):
            prev -= 1  # "..., على ما أفاد مصدر في الشرطة": as the source said, the content before
        according = (prev >= 0 and doc.words[prev].start >= sent_s
                     and (doc.words[prev].norm in self.lexicon.according_to_cue or prev < i - 1)
                     and not CLAUSE_BREAK.search(doc.gap(prev, i)))
        st = {"cue_span": cue, "cue_word": i, "sentence": si, "claim_stance": stance, "via": None, "reporter": False, "cue_plen": plen}
        if according and self._trim_end(doc, sent_s, doc.words[prev].start) <= sent_s:
            according = False  # "كما أفاد X بأن ...": nothing before the connective, read it verb-first
        if according and any(self._cue_form(doc.words[k], doc) for k in doc.words_in(sent_s, doc.words[prev].start)):
            return None  # "قال X إنه ...، حسبما ذكرت وكالة Y": the connective names an outlet of X's words
        if according:
            # "X حسبما صرح Y لرويترز": content before the connective, source after the cue
            claim_e = self._trim_end(doc, sent_s, doc.words[prev].start)
            src_words, via = self._source_phrase(doc, i + 1, sent_e, None)
            if not src_words:
                return None
            st.update(claim=(sent_s, claim_e), source=(doc.words[src_words[0]].start, doc.words[src_words[-1]].end),
                      source_words=src_words, via=via, dropped=False, window=(cue[1], sent_e), reporter=True)
            return st
        if (back := self._content_referred_back(doc, i, plen, si)) is not None:
            # "... في أجواء ديمقراطية. أوضح ذلك رئيس الوزراء المصري": the sentence before, its source after ذلك
            claim_s, claim_e, src_words, via = back
            st.update(claim=(claim_s, claim_e), source=(doc.words[src_words[0]].start, doc.words[src_words[-1]].end),
                      source_words=src_words, via=via, dropped=False, window=(cue[1], sent_e))
            return st
        j = self._introducer_after(doc, i, sent_e, self.lexicon.cue_objects.get(cue_w.norm[plen:], frozenset()))
        if j is None and cue_w.norm[plen:] in self.lexicon.describing_cues:
            # "وصف X التفجير الذي استهدف ... [thirty words] بأنه عمل إجرامي": what is described may run long
            j = next((x for x in range(i + MAX_CUE_TO_INTRODUCER_WORDS, min(len(doc.words), i + MAX_DESCRIBED_WORDS))
                      if doc.words[x].end <= sent_e and doc.words[x].norm in {"بانه", "بانها", "بانهم", "بان"}), None)
            if j is not None and any(self._cue_form(doc.words[x], doc) for x in range(i + 1, j)):
                j = None
        quote = self._quotation(doc, cue[1], doc.words[j].start if j is not None else sent_e, sent_e)
        first_person = (i + 1 < len(doc.words) and doc.words[i + 1].norm in FIRST_PERSON
                        and doc.words[i + 1].end <= sent_e and not CLAUSE_BREAK.search(doc.gap(i, i + 1)))
        if quote:
            # "وأضاف: «...»", "قال مصدر أمني، «...»": the quoted words, over sentences if need be
            claim_s, claim_e, src_limit = quote
            st["quoted"] = True
        elif first_person and self.lexicon.cue_kinds.get(cue_w.norm[plen:], "verb") == "verb":
            # "قال نحن نقود عمليات عسكرية ...": direct speech with no colon or marks; the speaker is dropped
            claim_s = doc.words[i + 1].start
            claim_e, src_limit = self._trim_end(doc, claim_s, sent_e), claim_s
        elif (j is None or doc.words[j].norm in {"وان", "وبان"} or (
                j - i > NEAR_OBJECT_WORDS and doc.words[j].norm not in self.lexicon.introducers)) \
                and (bare := self._bare_object(doc, i, plen, sent_e)) and (j is None or bare[0] < doc.words[j].start):
            # a far object (أكد ... على) inside a masdar content yields to the masdar
            # "وحدد الوزير دخول الشركة مراحل الإنتاج، وأن العام الأول ...": وأن coordinates a second content
            # "أكدت اللجنة الوطنية لمكافحة الإرهاب محاصرة ...": a known source, then its masdar object
            claim_s, claim_e, src_limit = bare
        elif j is not None:
            claim_s = doc.words[j].end
            if doc.words[j].norm not in self.lexicon.introducers and \
                    doc.words[j].norm not in self.lexicon.cue_objects.get(cue_w.norm[plen:], ()):
                claim_s = doc.words[j].start + 1  # "بتصنيف": the preposition stays out
            if j + 1 < len(doc.words) and doc.words[j + 1].norm in self.lexicon.introducer_pronouns \
                    and doc.words[j + 1].end < sent_e:
                claim_s = doc.words[j + 1].end  # "ان ه ..." in clitic-segmented text
            while claim_s < sent_e and (doc.text[claim_s].isspace() or CLAUSE_BREAK.match(doc.text[claim_s])):
                claim_s += 1
            claim_e = self._trim_end(doc, claim_s, self._coordinated_end(doc, si, sent_e))
            src_limit = doc.words[j].start
            if doc.words[j].norm not in self.lexicon.introducers and j > i + 1 and self._dropped_before_object(doc, i, plen):
                # "الذي أكد عدم قدرته على ..."، "وأكد حرص بلاده على ...": the noun after the cue is its
                # object, not its subject; the content opens with it and the subject is dropped
                claim_s = src_limit = doc.words[i + 1].start
        elif j is None and self.cue_kind(cue_w, plen) == "participle" and i + 1 < len(doc.words) \
                and doc.words[i + 1].end <= sent_e and not CLAUSE_BREAK.search(doc.gap(i, i + 1)) \
                and (doc.words[i + 1].norm == "عدم" or self._object_noun(doc, i + 1)) \
                and not self._entity_at(doc, doc.words[i + 1]):
            # "..., مرجحة ارتفاع حصيلة القتلى": a participle's verbal-noun object is its content
            claim_s = doc.words[i + 1].start
            claim_e, src_limit = self._trim_end(doc, claim_s, sent_e), claim_s
        elif j is None and cue_w.norm[plen:] in DIRECT_SPEECH_CUES and (direct := self._direct_speech(doc, i, sent_e)):
            # "وقال المتحدث العسكري، أثناء قيام ..."، "وقال في تصريحات لـ«عكاظ» الإنجاز الكبير ..."، "قال وزير
            # الخارجية نحن مطالبون ...": direct speech with no introducer, after the speaker and his outlet
            claim_s = src_limit = direct
            claim_e = self._trim_end(doc, claim_s, sent_e)
        elif (before := self._content_before(doc, i, plen, sent_s, sent_e)):
            # "الحكومة ستتخذ إجراءات صارمة، قال المتحدث باسم الوزارة": the content comes first
            claim_s, claim_e, src_limit = before
        else:
            return None
        if claim_e <= claim_s:
            return None
        relayed = None
        if self.cue_kind(cue_w, plen) == "participle":
            src_words, via = [], None  # "مشيرا إلى أن": the speaker is the sentence's subject
            if i + 1 < len(doc.words) and doc.words[i + 1].end <= src_limit:
                # "مشيرا في تصريح لـ"الرياض" إلى أن"، "مضيفا لـ«عكاظ» أن": the outlet of the speaker's words
                via = self._outlet_near(doc, i + 1, src_limit)
        else:
            rule = self.lexicon.cue_context.get(cue_w.norm[plen:], {})
            first = i + 2 if rule.get("statement_after_fi") or (
                rule.get("followed_by") == "عن" and i + 1 < len(doc.words) and doc.words[i + 1].norm == "عن") else i + 1
            # "ونقل عن الوزير قوله إن": the passive, the source after عن
            src_words, via = self._source_phrase(doc, first, src_limit, j)
            relayed = self._relayed_source(doc, i, src_limit, plen)
            if relayed:
                src_words, via = relayed
        if src_words and j is not None and cue_w.norm[plen:] in self.lexicon.object_cues and not quote:
            src_words = self._cut_object(doc, src_words)  # "كما دعا المركز الأمم المتحدة إلى"
        if src_words and j is not None and cue_w.norm[plen:] in self.lexicon.describing_cues and not quote:
            src_words = self._cut_before_object(doc, src_words)  # "ووصف الوزير القانون بأنه"
        if len(src_words) == 1 and cue_w.norm[plen:] in self.lexicon.describing_cues and self._plain_noun(doc, src_words[0]):
            src_words, via = [], None  # "ووصف القتال بأنه «شرس»": what is described; the speaker is dropped
        if src_words and j is not None and doc.words[j].norm not in self.lexicon.introducers and not quote:
            src_words = self._cut_addressee(doc, src_words)
            cut = next((n for n, x in enumerate(src_words) if n > 0 and doc.words[x].norm in ADDRESSEE_WORDS), None)
            if cut:
                src_words = src_words[:cut]  # "ودعا الغامدي كافة شرائح المجتمع إلى": the addressee stays out
            if doc.words[src_words[0]].norm in ADDRESSEE_WORDS or (
                    cue_w.norm[plen:] in self.lexicon.addressee_cues and not self._named(doc, src_words)):
                # "وطالب الجميع بسرعة ..."، "كما طالب شركات الإنترنت بفعل المزيد": the addressee, the subject is dropped
                src_words, via = [], None
        if src_words and not relayed:
            src_words = (self._name_after_title(doc, src_words, src_limit)
                         or self._name_before_limit(doc, src_words, src_limit) or src_words)
            src_words = self._head_name(doc, src_words, src_limit)
        if src_words and cue_w.norm[plen:] in self.lexicon.telling_cues and not quote \
                and (told := self._named_right_before(doc, i, sent_s)):
            src_words = told  # "أن الجنرال ديمبسي أبلغ العبادي أن": the teller before the verb, the one told after it
        elif src_words and self.cue_kind(cue_w, plen) == "verb" and not quote and self._subject_before(doc, i, sent_s):
            src_words = []  # "وكانت وزارة الداخلية أعلنت إثر الاعتداء أنها": the subject came first
        if src_words and opens_no_subject(doc.words[src_words[0]].norm):
            # "وقال في مؤتمر صحافي"، "وكتب في تدوينة": a circumstance, the subject is dropped; "ودعت
            # الحوثيين إلى": a plural in -يين is an object, never the verb's subject (-يون); "قال للإيرانيين": an addressee
            src_words = []
        if src_words and all(doc.words[x].norm in self.lexicon.pronoun_subjects for x in src_words):
            # "وقال سموه"، "وشدد معاليه": the speaker named before (guidelines 4.3); the pronoun itself
            # when no one is ("وبين معاليه أن ..." opening an article)
            st["pronoun"] = (doc.words[src_words[0]].start, doc.words[src_words[-1]].end)
            src_words = []
        if len(src_words) > 1 and doc.words[src_words[0]].norm in NAMED_HEADS \
                and not doc.words[src_words[1]].norm.startswith("ال"):
            src_words = src_words[1:]  # "وقالت صحيفة لا ناسيون"، "أعلنت شركة فيسبوك": the name, not its kind
        source = (doc.words[src_words[0]].start, doc.words[src_words[-1]].end) if src_words else None
        if src_words:
            source = self._statement_noun_source(doc, src_words, src_limit) or source
        elif self.cue_kind(cue_w, plen) == "verb":
            src_words = (self._subject_before(doc, i, sent_s) or self._relative_head(doc, i, sent_s)
                         or self._plural_subject_before(doc, i, plen, sent_s) or self._subject_after_particle(doc, i, sent_s))
            if src_words:
                source = (doc.words[src_words[0]].start, doc.words[src_words[-1]].end)
        if via is None and src_words:
            # "وقال رئيس نقابة ... أبو بكر غامندي لوكالة فرانس برس إن": an outlet between a long source
            # phrase (cut at its word limit) and the introducer; "وقال سفين دزيي، المتحدث ...، لـ«الشرق
            # الأوسط»: «...»": and between an aside and a quotation
            k = src_words[-1] + 1
            while via is None and k < len(doc.words) and doc.words[k].end <= src_limit:
                via = self._outlet_near(doc, k, src_limit)
                if via is None and (outlet := self._connective_outlet_at(doc, k, src_limit)):
                    via = outlet[0]  # "وقالت الوزارة – بحسب البي بي سي – في بيان إن": a connective in an aside
                k += 1
        if via is None and len(src_words) > 1 and doc.words[src_words[0]].norm in self.lexicon.anonymous_heads:
            # "وأفادت مصادر الجزيرة في محيط المسجد": the outlet's own sources; it carried their words
            if (end := self._outlet_name_end(doc, src_words[1], src_words[-1] + 1)) is not None:
                via = doc.words[src_words[1]].start, doc.words[end - 1].end
        if via is None and source:
            via = self._leading_outlet(doc, si, i)
        if source and (trailing := self._trailing_outlet(doc, claim_s, claim_e)):
            # "أفاد المرصد بأن ...، وفقا للألمانية"، "وقال مصدر إن ...، حسبما ذكرت وكالة رويترز": the
            # outlet that carried the statement closes its sentence; the claim ends before it
            claim_e, outlet = trailing
            if via is None:
                via, st["trailing_via"] = outlet, True
        st.update(claim=(claim_s, claim_e), via=via, window=(cue[1], src_limit),
                  dropped=not src_words, source_words=src_words, source=source)
        # hedges: a marker between cue and introducer, or a hedge opening the claim
        first = [w for w in doc.words if claim_s <= w.start < claim_e][:3]
        if stance == "asserted" and first:
            norms = [w.norm for w in first]
            if (norms[0] in self.lexicon.hedges - {"قد"} or " ".join(norms[:2]) in self.lexicon.hedges
                    or (norms[0] == "قد" and len(norms) > 1 and norms[1][:1] in "يتنا")):
                st["claim_stance"] = "hedged"
        return st

    def _bare_object(self, doc: _Doc, i: int, plen: int, sent_e: int) -> tuple[int, int, int] | None:
        got = self._bare_object_at(doc, i, plen, sent_e)
        if got is None and doc.words[i].norm[plen:] in self.lexicon.bare_object_cues:
            got = self._object_after_comma(doc, i, sent_e)
        return got

    def _object_after_comma(self, doc: _Doc, i: int, sent_e: int) -> tuple[int, int, int] | None:
        """"وأكد X خلال المؤتمر الذي عقد أمس، جاهزية فريقه"، "أعلن الوزير، سالم الحربي، عزمه": the
        subject and an aside run to a comma within fifteen words, and a listed verbal noun (or عدم)
        after that comma opens the object: (claim start, claim end, where the source stops)."""
        lex = self.lexicon
        for x in range(i + 2, min(len(doc.words), i + 16)):
            w = doc.words[x]
            if w.end > sent_e:
                return None
            gap = doc.gap(x - 1, x)
            if CLAUSE_BREAK.sub("", gap).strip() or re.search(r"[.!?؟:«»\"“”]", gap) or w.norm in lex.introducers \
                    or self._cue_form(w, doc):
                return None
            if re.search(r"[,،]", gap) and (masdar_stem(w.norm) in lex.masdars or w.norm == "عدم"):
                return self._object_at(doc, x, sent_e, True)
        return None

    def _bare_object_at(self, doc: _Doc, i: int, plen: int, sent_e: int) -> tuple[int, int, int] | None:
        """A cue taking a noun object with no preposition ("أكدت اللجنة الوطنية لمكافحة الإرهاب محاصرة
        مجموعة", "أعلن الرئيس الفرنسي استعداد بلاده", "وحدد الوزير دخول الشركة"): when the words right
        after the cue are a known source (sources.yaml, a gazetteer entity, or a back-referring
        mention such as الوزير), perhaps followed by its holder's name after an honorific, or a
        titled person named from a given name, or nothing when the subject was written before the
        cue, and the next word is a plain noun, that noun opens the content: (claim start, claim
        end, where the source stops); else None."""
        if doc.words[i].norm[plen:] not in self.lexicon.bare_object_cues:
            return None
        k = i + 1
        if k >= len(doc.words) or doc.words[k].end > sent_e:
            return None
        lex = self.lexicon
        skipped = False
        denial = lex.cue_forms.get(doc.words[i].norm[plen:]) == "denied"
        if self._subject_before(doc, i, doc.sentences[doc.sentence_of(doc.words[i].start)][0]):
            # "وكانت الحكومة أعلنت، في وقت سابق، رفضها ...": the subject came first, the object
            # follows the cue, past a time adverbial or an aside between commas
            o = k + self._time_adverb(doc, k)
            if o < len(doc.words) and re.search(r"[,،]", doc.gap(i, k)):
                o = next((x for x in range(k, min(len(doc.words), k + 6)) if re.search(r"[,،]", doc.gap(x - 1, x))
                          and x > k), o)
            skipped = True
            if o >= len(doc.words) or doc.words[o].end > sent_e:
                return None
        else:
            if CLAUSE_BREAK.search(doc.gap(i, k)):
                return None
            while k + 1 < len(doc.words) and doc.words[k].norm in STYLES_OF_ADDRESS \
                    and not CLAUSE_BREAK.search(doc.gap(k, k + 1)):
                k += 1  # "وأكد معالي أمين العاصمة المقدسة ...": the honorific before the title
            s = doc.words[k].start
            if doc.words[k].norm in lex.anonymous_heads and k + 1 < len(doc.words) and NISBA.fullmatch(doc.words[k + 1].norm):
                # "وأكد مصدر قبلي في المحافظة لـ«X» سيطرة ...": an unnamed source and its adjectives
                # run on to the verbal noun that opens the object
                o = self._masdar_after(doc, k, sent_e, denial)
                return self._object_at(doc, o, sent_e, True, denial) if o is not None else None
            ends = self._known_ends(doc, s, sent_e)
            if doc.words[k].norm in self.lexicon.coreferent_mentions:
                ends.append(doc.words[k].end)
            if not ends:
                # "أكد مدرب الفريق جميل قاسم سعادته ..."، "أكد رئيس الوزراء نجيب عبدالرزاق العثور على":
                # a titled person named from a given name, then the noun object
                last = self._titled_name_last(doc, k, sent_e)
                if last is None and not self._quoted_at(doc, i) and (o := self._masdar_after(doc, k, sent_e, denial)) is not None:
                    return self._object_at(doc, o, sent_e, True, denial)
                o = last + 1 if last is not None else len(doc.words)
                o = self._past_nisbas(doc, o, sent_e, ("ي",))  # "أكد المهندس خالد بن سعد الحربي نائب ...": the family name
                if o >= len(doc.words) or doc.words[o].end > sent_e:
                    return None
                if doc.words[o].norm in lex.title_heads and not CLAUSE_BREAK.search(doc.gap(o - 1, o)) \
                        and (m := self._masdar_after(doc, o, sent_e, denial)) is not None:
                    return self._object_at(doc, m, sent_e, True, denial)  # "أعلن الدكتور X Y وزير ... إطلاق": past the title
                if (aside := self._aside_end(doc, o, sent_e)) is not None:
                    return self._object_at(doc, aside, sent_e, True, denial)  # "أكد الأمير X، وزير ...، جاهزية"
                return self._object_at(doc, o, sent_e, False, denial)
            end = max(ends)
            o = next((x for x in range(k, len(doc.words)) if doc.words[x].start >= end), None)
            while o is not None and doc.words[o].end <= sent_e and doc.words[o].norm[:1] == "و" \
                    and not CLAUSE_BREAK.search(doc.gap(o - 1, o)):
                # "وأعلنت واشنطن وأنقرة عزمهما ...": more known sources joined by و
                s2 = doc.words[o].start
                more = [s2 + m.end for m in self.sources.matcher.find(doc.text[s2:sent_e]) if m.start <= 1]
                more += [r.end for r in doc.regions.values() if r.layer == self.entity_layer and r.start in (s2, s2 + 1)]
                if not more:
                    break
                o = next((x for x in range(o, len(doc.words)) if doc.words[x].start >= max(more)), None)
            if o is not None:  # "وأعلنت الحكومة المصرية ..."، "الجبهة اليسارية المتطرفة التركية تنفيذ": adjectives of the source
                o = self._past_nisbas(doc, o, sent_e, ("ي", "يه"))
            while o is not None and o + 1 < len(doc.words) and doc.words[o].norm in FILIATION_WORDS \
                    and not CLAUSE_BREAK.search(doc.gap(o - 1, o) + doc.gap(o, o + 1)):
                o += 3 if doc.words[o + 1].norm in {"عبد", "ابو", "أبو"} else 2  # "متعب بن عبد الله بن عبد العزيز"
            if o is None or o >= len(doc.words) or doc.words[o].end > sent_e or o - k > MAX_SOURCE_WORDS:
                return None
            named = self._apposed_honorific_name(doc, o, sent_e)
            if named is not None:
                # "أكد أمين العاصمة المقدسة الدكتور أسامة البار، حرص ...": the title's holder, then the object
                o, skipped = named, True
            elif (last := self._given_name_last(doc, o, sent_e)) is not None:
                o = last + 1  # "أكد وزير الخارجية المصري سامح شكري ضرورة": the title's holder, unlisted
                if o >= len(doc.words) or doc.words[o].end > sent_e:
                    return None
            if o + 2 < len(doc.words) and doc.words[o].norm == "في" and doc.words[o + 1].norm in self.lexicon.statement_nouns \
                    and not CLAUSE_BREAK.search(doc.gap(o - 1, o) + doc.gap(o, o + 1) + doc.gap(o + 1, o + 2)):
                o, skipped = o + 2, True  # "أعلنت الوزارة في بيان الأحد القبض على ...": past the statement
            if (aside := self._aside_end(doc, o, sent_e)) is not None:
                o, skipped = aside, True  # "وأكد كيري، خلال زيارته القاهرة، استمرار ...": past the aside
            while o < len(doc.words) and not CLAUSE_BREAK.search(doc.gap(o - 1, o)) \
                    and (i == 0 or doc.words[i - 1].norm not in RELATIVE_PRONOUNS) and (t := self._time_adverb(doc, o)):
                o, skipped = o + t, True  # "أعلنت القوات المسلحة أمس الخميس مقتل ...": past the time
            if o >= len(doc.words) or doc.words[o].end > sent_e:
                return None
        got = self._object_at(doc, o, sent_e, skipped, denial)
        if got is None and o > k and (m := self._masdar_after(doc, o - 1, sent_e, denial)) is not None and m - k <= MAX_SOURCE_WORDS:
            # "أكد قائد اللواء الخامس في مدينة تعز العقيد X وجود ...": the known source's
            # description and holder run on to the verbal noun that opens the object
            got = self._object_at(doc, m, sent_e, True, denial)
        return got

    def _quoted_at(self, doc: _Doc, i: int) -> bool:
        """Whether word i stands inside quotation marks opened earlier in its sentence."""
        s = doc.sentences[doc.sentence_of(doc.words[i].start)][0]
        before = doc.text[s:doc.words[i].start]
        return before.count("«") > before.count("»") or before.count("“") > before.count("”") or before.count('"') % 2 == 1

    def _masdar_after(self, doc: _Doc, k: int, sent_e: int, denial: bool = False) -> int | None:
        """The index of a verbal noun that opens a cue's object after an unknown subject from word k
        ("وأكدت مصادر محلية دخول ..."، "وأكد المكرمي استمرار ..."), within MAX_SOURCE_WORDS words
        and no break, else None. After a denial (``denial``) a relative "ما" and its verb open it too
        ("ونفى X ما تردد عن ..."، "ونفى X ما قاله المعهد")."""
        lex = self.lexicon
        o = k + 1
        while o < min(len(doc.words), k + 1 + MAX_SOURCE_WORDS):
            w = doc.words[o]
            if (got := self._outlet(doc, o, sent_e)) and got[1] < len(doc.words) and doc.words[got[1]].end <= sent_e:
                o = got[1]  # "أكد ... نائف البكري لـ «عكاظ» وجود ...": past the outlet, the object
                if masdar_stem(doc.words[o].norm) in lex.masdars:
                    return o
                return None
            if w.end <= sent_e and not CLAUSE_BREAK.search(doc.gap(o - 1, o)) and (t := self._time_adverb(doc, o)):
                # "وأعلن الثوار أمس سيطرتهم على"، "أعلنت الإدارة أمس الثلاثاء رسميًا تعاقدها": past the time
                x = o + t
                while x < len(doc.words) and doc.words[x].end <= sent_e and not CLAUSE_BREAK.search(doc.gap(x - 1, x)) \
                        and doc.text[doc.words[x].start:doc.words[x].end].endswith(("ًا", "اً")):
                    x += 1
                return x if x < len(doc.words) and doc.words[x].end <= sent_e and self._object_noun(doc, x) else None
            if w.end > sent_e or CLAUSE_BREAK.search(doc.gap(o - 1, o)) or w.norm in lex.introducers \
                    or self._cue_form(w, doc) or self._stop_at(doc, o):
                return None
            if masdar_stem(w.norm) in lex.masdars or (w.norm == "عدم" and o == k + 1):
                return o  # "وأكد فينجر عدم مشاركة ...": a negated object right after a one-word subject
            if denial and w.norm == "ما" and o > k + 1 and o + 1 < len(doc.words) and doc.words[o + 1].end <= sent_e \
                    and doc.words[o + 1].norm not in FUNCTION_WORDS and not CLAUSE_BREAK.search(doc.gap(o, o + 1)):
                return o
            if o > k + 1 and all(NISBA.fullmatch(doc.words[x].norm) for x in range(k + 1, o)) \
                    and not NISBA.fullmatch(w.norm) and VERBAL_NOUN_SHAPE.fullmatch(w.norm):
                return o  # "وأعلنت مصادر عسكرية انضمام ...": a head and its adjectives, then the verbal noun
            o += 1
        return None

    def _dropped_before_object(self, doc: _Doc, i: int, plen: int) -> bool:
        """Whether the word after the verb cue at i opens its object, the subject being dropped: a bare
        object cue, and a listed verbal noun (or عدم), or a noun with a pronoun, that is no name."""
        lex = self.lexicon
        if doc.words[i].norm[plen:] not in lex.bare_object_cues or CLAUSE_BREAK.search(doc.gap(i, i + 1)):
            return False
        w = doc.words[i + 1]
        if w.norm.startswith("ال") or w.norm in lex.title_heads or w.norm in lex.given_names or w.norm in lex.honorifics \
                or w.norm in lex.anonymous_heads or self._entity_at(doc, w) or self._known_at(doc, i + 1):
            return False
        return w.norm == "عدم" or masdar_stem(w.norm) in lex.masdars or (
            w.norm.endswith(("ها", "هم", "ه")) and self._object_noun(doc, i + 1))

    def _past_nisbas(self, doc: _Doc, o: int, sent_e: int, endings: tuple[str, ...]) -> int:
        """The index past the definite words with one of ``endings`` from word o (nisba adjectives or a
        family name: "الحكومة المصرية"، "خالد الحربي") that are no listed verbal noun, no break between."""
        while o < len(doc.words) and doc.words[o].end <= sent_e and not CLAUSE_BREAK.search(doc.gap(o - 1, o)) \
                and doc.words[o].norm.startswith("ال") and doc.words[o].norm.endswith(endings) \
                and masdar_stem(doc.words[o].norm) not in self.lexicon.masdars:
            o += 1
        return o

    def _plain_noun(self, doc: _Doc, x: int) -> bool:
        """Whether word x is a definite common noun that names nobody: no title, honorific, anonymous
        head or back-referring mention, no known source and no entity."""
        w, lex = doc.words[x], self.lexicon
        return (w.norm.startswith("ال") and w.norm not in lex.title_heads and w.norm not in lex.honorifics
                and w.norm not in lex.anonymous_heads and w.norm not in lex.coreferent_mentions
                and w.norm not in lex.outlet_heads and not self._known_at(doc, x) and not self._entity_at(doc, w))

    def _object_noun(self, doc: _Doc, x: int) -> bool:
        """Whether word x reads as a cue's noun object: a listed verbal noun, a word of a verbal noun's
        shape (مشاركة، تعزيز، استمرار، انسحاب، جاهزية: VERBAL_NOUN_SHAPE), or a noun with a possessive
        pronoun referring back to the subject ("سيطرتهم"، "تعاقدها"). Asked only where an object is
        expected: past a time or an aside after the subject."""
        w = doc.words[x].norm
        if masdar_stem(w) in self.lexicon.masdars or VERBAL_NOUN_SHAPE.fullmatch(w):
            return True
        return (not w.startswith("ال") and w.endswith(("ها", "هم", "هما")) and len(w) >= 6
                and w not in FUNCTION_WORDS and w not in self.lexicon.introducers and not self._cue_form(doc.words[x], doc))

    def _apposed_honorific_name(self, doc: _Doc, o: int, sent_e: int) -> int | None:
        """After a known source at word o: an honorific and a given name within five words, the name
        closed by a comma ("... المقدسة الدكتور أسامة بن فضل البار، حرص"): the word after the comma, else None."""
        lex = self.lexicon
        for x in range(o, min(len(doc.words) - 1, o + 5)):
            if doc.words[x].end > sent_e or (x > o and CLAUSE_BREAK.search(doc.gap(x - 1, x))):
                return None
            if doc.words[x].norm in lex.honorifics and doc.words[x + 1].norm in lex.given_names:
                for y in range(x + 2, min(len(doc.words), x + 7)):
                    if doc.words[y].end > sent_e:
                        return None
                    if re.search(r"[,،]", doc.gap(y - 1, y)):
                        return y
                return None
        return None

    def _titled_name_last(self, doc: _Doc, k: int, sent_e: int) -> int | None:
        """The last word of a titled person's name, from word k ("مدرب الفريق جميل قاسم ..."): one word
        after its given name; None when word k opens no title or no given name follows it."""
        lex = self.lexicon
        if doc.words[k].norm not in lex.title_heads and doc.words[k].norm not in lex.honorifics:
            return None
        for g in range(k + 1, min(len(doc.words), k + 8)):
            w = doc.words[g]
            if w.end > sent_e or CLAUSE_BREAK.search(doc.gap(g - 1, g)) or w.norm in lex.introducers or self._cue_form(w, doc):
                return None
            if w.norm in lex.given_names and doc.text[w.end - 1] != "ى":
                return self._given_name_last(doc, g, sent_e)
        return None

    def _aside_end(self, doc: _Doc, o: int, sent_e: int) -> int | None:
        """When a comma comes before word o and word o opens a circumstance (خلال، في، أثناء، عقب،
        لدى) closed by the next comma within 12 words: the index of the word after that comma, else
        None."""
        if o >= len(doc.words):
            return None
        comma = re.search(r"[,،]", doc.gap(o - 1, o))
        if (not comma and doc.words[o].norm == "في") or (comma and doc.words[o].norm in self.lexicon.title_heads):
            # "أكدت الرئاسة السودانية في بيان، مشاركة ..."، "أكد الأمير X، وزير الحرس الوطني، جاهزية ...":
            # a short place, statement or title phrase, then a comma and the noun object
            y = next((y for y in range(o + 1, min(len(doc.words), o + 6)) if re.search(r"[,،]", doc.gap(y - 1, y))), None)
            ok = y is not None and doc.words[y].end <= sent_e and self._object_noun(doc, y) \
                and not any(CLAUSE_BREAK.sub("", doc.gap(x - 1, x)).strip() for x in range(o + 1, y))
            return y if ok else None
        if not comma or doc.words[o].norm not in ASIDE_OPENERS:
            return None
        for y in range(o + 1, min(len(doc.words), o + 13)):
            if doc.words[y].end > sent_e or doc.words[y].norm in self.lexicon.introducers:
                return None
            if re.search(r"[,،]", doc.gap(y - 1, y)):
                return y
        return None

    def _given_name_last(self, doc: _Doc, g: int, sent_e: int) -> int | None:
        """When word g is a given name: the index of the one word after it, past "بن"، "آل"، "أبو" ("جميل
        قاسم | سعادته"، "نجيب عبدالرزاق | العثور"; a longer name leaves no object here, which reads as no
        claim); else None."""
        if doc.words[g].norm not in self.lexicon.given_names or doc.text[doc.words[g].end - 1] == "ى":
            return None
        x = g + 2 if doc.words[g].norm == "عبد" else g + 1  # "عبد الواحد | النبوي": عبد opens a given name of two words
        while x + 1 < len(doc.words) and doc.words[x].norm in NAME_PARTICLES | {"عبد"}:
            x += 1
        if x >= len(doc.words) or doc.words[x].end > sent_e or CLAUSE_BREAK.search(doc.gap(g, x)):
            return None
        return x

    def _object_at(self, doc: _Doc, o: int, sent_e: int, skipped: bool, relative: bool = False) -> tuple[int, int, int] | None:
        """The noun object opening at word o, past an outlet ("وفقاً لوكالة ..."): (claim start, claim end,
        where the source stops), or None when word o is no plain noun."""
        lex = self.lexicon
        if (got := self._connective_outlet_at(doc, o, sent_e)):
            # "وأكدت الوزارة وفقاً لوكالة الأنباء القطرية ... وقوف ...": past the outlet
            o, skipped = got[1], True
            if o + 1 < len(doc.words) and doc.words[o].norm == "في" and doc.words[o + 1].norm in lex.statement_nouns:
                o += 2
            o += self._time_adverb(doc, o) if o < len(doc.words) else 0
            if o >= len(doc.words) or doc.words[o].end > sent_e:
                return None
        w = doc.words[o]
        if relative and w.norm == "ما" and len(doc.words_in(w.start, sent_e)) >= 3:
            return w.start, self._trim_end(doc, w.start, sent_e), w.start  # "ونفى X ما تردد عن ...": what is denied
        if ((CLAUSE_BREAK.search(doc.gap(o - 1, o)) and not skipped) or (len(w.norm) < (3 if skipped else 4) and w.norm != "عدم")
                or w.norm in FUNCTION_WORDS or w.norm in lex.introducers
                or self._cue_form(w, doc) or w.norm in lex.weekdays
                or (w.norm[:1] in "لبفكو" and not (skipped and w.norm[:1] == "و"))
                or self._stop_at(doc, o)
                or self._entity_at(doc, w)
                or w.norm in lex.title_heads or w.norm in lex.honorifics or w.norm in lex.given_names
                or w.norm in NAME_DESCRIPTORS):
            return None
        claim_e = self._trim_end(doc, w.start, sent_e)
        if len(doc.words_in(w.start, claim_e)) < 3:
            return None
        return w.start, claim_e, w.start

    def _cut_addressee(self, doc: _Doc, words: list[int]) -> list[int]:
        """Before a prepositional object the phrase may hold the subject and the addressee ("حث كاميرون
        الشبان على", "اتهم الحزب الكردي انقرة بـ"): a known source opening it ends it there."""
        s, e = doc.words[words[0]].start, doc.words[words[-1]].end
        opening = [m for m in self.sources.matcher.find(doc.text[s:e]) if m.start == 0 and m.payload != ANONYMOUS_ID]
        if not opening:
            return words  # "مصدر قبلي في المحافظة": an unnamed source's description goes on
        end = s + max(m.end for m in opening)
        return [k for k in words if doc.words[k].end <= end] or words

    def _cut_object(self, doc: _Doc, words: list[int]) -> list[int]:
        """A cue with an object before its preposition or clause (دعا، حث، اتهم: "دعا المركز الأمم المتحدة
        إلى"، "حث الصندوق عامة الشعب على"، "اتهم الإصدار حركة طالبان بـ"): the phrase ends before a known
        source, an entity, a title or an addressee word that follows a definite subject; a title
        opening the phrase ("وزير الخارجية الأمريكي جون كيري") keeps it whole."""
        lex = self.lexicon
        for n in range(2, len(words)):  # "دعا الشيخ X القرني المسلمين إلى"، "ودعا الدكتور X المصلح الله أن"
            w, prev = doc.words[words[n]].norm, doc.words[words[n - 1]].norm
            if prev.startswith("ال") and ((w.startswith("ال") and w.endswith("ين") and len(w) >= 7) or w == "الله"):
                return words[:n]
        if len(words) < 2 or doc.words[words[0]].norm in lex.title_heads or doc.words[words[0]].norm in lex.honorifics:
            return words
        s, e = doc.words[words[0]].start, doc.words[words[-1]].end
        starts = {s + m.start for m in self.sources.matcher.find(doc.text[s:e])}
        starts |= {s + m.start for m in self.entity_matcher.find(doc.text[s:e])}
        for n in range(1, len(words)):
            w = doc.words[words[n]]
            if (w.start in starts or w.norm in ADDRESSEE_WORDS or w.norm in lex.title_heads) \
                    and doc.words[words[n - 1]].norm.startswith("ال"):
                return words[:n]
        return words

    def _statement_noun_source(self, doc: _Doc, words: list[int], limit: int) -> tuple[int, int] | None:
        """"ذكر بيان لقيادة القوة الجوية" -> "قيادة القوة الجوية"; "قال بيان صادر عن وزارة الداخلية" ->
        "وزارة الداخلية": a statement noun's author is the source (guidelines 4.1), else None."""
        if doc.words[words[0]].norm not in self.lexicon.statement_nouns:
            return None
        if len(words) >= 2 and doc.words[words[1]].norm.startswith("ل") and len(doc.words[words[1]].norm) >= 4:
            return doc.words[words[1]].start + 1, doc.words[words[-1]].end
        # "بيان المنظمة"، "بيان من مكتب المبعوث"، "تقرير صادر من المكتب"، "بيان صحفي أصدره قطاع ...": the author
        rest = words[1:]
        while rest and doc.words[rest[0]].norm in STATEMENT_MODIFIERS:
            rest = rest[1:]
        if rest and rest != words[1:] or (rest and doc.words[rest[0]].norm.startswith("ال")
                                          and not doc.words[words[0]].norm.startswith("ال")):  # not "البيان الفرنسي"
            if doc.words[rest[0]].norm in {"من", "عن"}:
                rest = rest[1:]
            if rest and doc.words[rest[0]].norm not in FUNCTION_WORDS:
                return doc.words[rest[0]].start, doc.words[rest[-1]].end
        k = words[-1] + 1
        if (len(words) <= 3 and k < len(doc.words) and doc.words[k].norm == "عن"
                and all(doc.words[x].norm in self.lexicon.statement_nouns | STATEMENT_MODIFIERS for x in words)):
            # "قال بيان صادر عن"، "وأوضح بيان صحفي صدر عن المنظمة": the author after عن
            author, _ = self._source_phrase(doc, k + 1, limit, None)
            if author:
                return doc.words[author[0]].start, doc.words[author[-1]].end
        return None

    def _subject_before(self, doc: _Doc, i: int, sent_s: int) -> list[int]:
        """The subject written before a cue with none after it (guidelines 4.3), marked as such by
        كان ("وكانت وزارة الداخلية أعلنت أنها", "كانت تقارير إخبارية، قد ذكرت أن") or by an
        adverbial ("الشرطة الشيشانية، من جانبها، ذكرت أنها"); else []."""
        idx = [k for k in doc.words_in(sent_s, doc.words[i].start)]
        if not idx:
            return []
        lex = self.lexicon
        norms = [doc.words[k].norm for k in idx]
        marked = False
        if norms[0] in {"كان", "كانت", "وكان", "وكانت"}:
            idx, norms, marked = idx[1:], norms[1:], True
        elif norms[0] in {"لكن", "ولكن", "بينما", "فيما"} and len(idx) > 1:
            idx, norms, marked = idx[1:], norms[1:], True   # "لكن غامندي قال إنه"
        if norms and norms[-1] == "قد":
            idx, norms = idx[:-1], norms[:-1]
        # an adverbial (من جانبها، من جهته) before or after the subject
        for at in (0, len(norms) - 2):
            if len(norms) >= 3 and at >= 0 and norms[at] == "من" and norms[at + 1] in lex.subject_adverbials:
                idx, norms = idx[:at] + idx[at + 2:], norms[:at] + norms[at + 2:]
                marked = True
                break
        if not marked or not 1 <= len(idx) <= 6:
            return []
        if any(CLAUSE_BREAK.search(doc.gap(a, b)) for a, b in zip(idx, idx[1:])):
            return []
        if any(n in lex.introducers or self._cue_form(doc.words[k], doc) for k, n in zip(idx, norms)):
            return []
        if any(tuple(norms[n:n + len(s)]) == s for s in lex.source_stops for n in range(len(norms))):
            return []
        return self._trim_title(doc, idx)

    def _source_phrase(self, doc: _Doc, k: int, limit: int, stop_at: int | None) -> tuple[list[int], tuple | None]:
        """Word indices of the source's name from word k, and the (start, end) of its outlet, if any.

        The phrase ends at a clause break, a stop phrase, an introducer or a cue. An outlet
        ("لرويترز", "لوكالة "رويترز"", "لصحيفة “ديلي ميل”", "في تصريح لـ"الرياض"") before or after
        the name is the reported_via target. Titles are trimmed (``_trim_title``); a bare title
        with a name in apposition after a comma gives the name ("رئيس الوزراء الأسبق، سعد الحريري").
        """
        words: list[int] = []
        via = None
        n = len(doc.words)
        if k > 0 and (quoted := self._quoted_words(doc, k - 1, limit)) and len(quoted) <= 4 \
                and doc.words[quoted[0]].start < limit and not self._cue_form(doc.words[quoted[0]], doc) \
                and (quoted[-1] + 1 >= n or doc.words[quoted[-1] + 1].start >= limit
                     or doc.words[quoted[-1] + 1].norm in self.lexicon.introducers | {"من", "عن"}):
            return quoted, via  # "علمت “عين اليوم” أن"، "وذكرت «المدينة» أن": a name in marks, whatever its words
        while k < n and doc.words[k].end <= limit and k != stop_at and len(words) < MAX_SOURCE_WORDS:
            w = doc.words[k]
            if words and CLAUSE_BREAK.search(doc.gap(words[-1], k)):
                quoted = self._quoted_words(doc, words[-1], limit)
                if quoted and doc.words[words[0]].norm in self.lexicon.title_heads \
                        and len(self._trim_title(doc, words)) == len(words) and len(quoted) <= 4 \
                        and (quoted[-1] + 1 >= n or doc.words[quoted[-1] + 1].norm in self.lexicon.introducers
                             or doc.words[quoted[-1] + 1].start >= limit):
                    # "قال المتحدث باسم الجيش “افيخاي ادرعي” إن": the name in marks after a bare title
                    words = quoted
                    break
                if "," in doc.gap(words[-1], k) or "،" in doc.gap(words[-1], k):
                    # "أكد معالي الأمين العام ...، الدكتور عبد اللطيف الزياني، أن": past a style of address
                    titled = words[1:] if len(words) > 1 and doc.words[words[0]].norm in STYLES_OF_ADDRESS else words
                    apposed = self._apposed_name(doc, titled, k, limit, stop_at) or (
                        doc.words[titled[0]].norm in self.lexicon.title_heads and self._comma_closed_name(doc, k, limit))
                    if apposed:
                        words = apposed
                        k = words[-1] + 1
                        if k < n and doc.words[k].end <= limit:
                            via = via or self._outlet_near(doc, k, limit)
                    elif w.norm == "في":  # "وقال باتيس، في تصريحات لـ«عكاظ»، إن": the outlet in the aside
                        via = via or self._outlet_near(doc, k, limit)
                break
            if words and (outlet := self._connective_outlet_at(doc, k, limit)):
                # "وأكدت وزارة الخارجية القطرية وفقاً لوكالة ...": the outlet (guidelines 5)
                via = via or outlet[0]
                break
            if not words and (outlet := self._connective_outlet_at(doc, k, limit)):
                via = via or outlet[0]  # "وشددت وفقا لما نقلته وكالة ...، على أن": no subject
                break
            if not words and self._time_adverb(doc, k):
                k += self._time_adverb(doc, k)  # "قال يوم الاثنين متحدثون"، "حسبما أعلن أمس النائب العام"
                continue
            if not words and w.norm in ADVERBS_AFTER_CUE:
                if k + 1 < n and (masdar_stem(doc.words[k + 1].norm) in self.lexicon.masdars
                                  or (VERBAL_NOUN_SHAPE.fullmatch(doc.words[k + 1].norm)
                                      and not doc.words[k + 1].norm.startswith("ال"))):
                    break  # "أكدت أيضا وجود عقبات": the object follows, the subject is dropped
                k += 1  # "وقالت أيضا القوات الجوية إن"، "وأكد مجددا أن": an adverb, then the subject if any
                continue
            if not words and w.norm in {"هذا", "هذه", "هولاء", "هؤلاء"} and k + 1 < n \
                    and doc.words[k + 1].norm.startswith("ال") and not CLAUSE_BREAK.search(doc.gap(k, k + 1)):
                k += 1  # "وقال هذا المصدر العسكري إن": the noun the demonstrative points to
                continue
            ali = (words and self._ali_at(doc, w)
                   and (doc.words[words[-1]].norm in self.lexicon.given_names   # "أحمد علي": the name, no "على"
                        or doc.words[words[-1]].norm in self.lexicon.honorifics  # "المقدم علي بن عمير"
                        or [doc.words[x].norm for x in words[-2:]] == ["ايه", "الله"]  # "آية الله علي خامنئي"
                        or self._name_after_placed_title(doc, words, k) or self._ali_closes_title(doc, words, k, limit)))
            ali = ali or (words and w.norm == "علي" and doc.words[words[-1]].norm in self.lexicon.given_names
                          and k + 1 < len(doc.words) and doc.words[k + 1].end <= limit
                          and not CLAUSE_BREAK.search(doc.gap(k - 1, k) + doc.gap(k, k + 1))
                          and re.fullmatch(r"ال\w{3,}ي", doc.words[k + 1].norm) is not None)  # "محمد على المقدشي": علي spelled على
            ali = ali or (not words and self._ali_at(doc, w) and k + 1 < len(doc.words)
                          and doc.words[k + 1].norm in self.lexicon.given_names
                          and not CLAUSE_BREAK.search(doc.gap(k, k + 1)))  # "وذكر علي سالم الوادعي أن"
            if words and (anon := self._anonymity_clause(doc, words[0], k, limit)):
                # "مسؤول طلب عدم ذكر اسمه"، "المصدر الذي فضل عدم الكشف عن اسمه" (guidelines 4.1): the
                # whole phrase is the source, no title to trim or name to find in it
                return words + anon, via
            if words and w.norm == "لدي" and doc.words[words[0]].norm in ACCREDITED_HEADS and k + 1 < n \
                    and doc.words[k + 1].end <= limit and not CLAUSE_BREAK.search(doc.gap(k - 1, k) + doc.gap(k, k + 1)):
                words.append(k)  # "سفير الصين لدى ماليزيا"، "مندوب مصر الدائم لدى الجامعة العربية": where he is accredited
                k += 1
                continue
            if self._stop_at(doc, k) and not ali:
                if via is None:  # "وقال في تصريح لـ"الرياض":": the outlet of a dropped subject too
                    via = self._outlet_near(doc, k, limit)
                break
            if words and w.norm == "في" and " ".join(doc.words[x].norm for x in words) in self.lexicon.coreferent_mentions:
                break  # "وقالت الوكالة في معلومات لا يمكن التحقق منها": the mention is whole
            if words and w.norm == "في" and self._named_after_place(doc, words):
                via = via or self._outlet_near(doc, k, limit)
                break  # "سفير المملكة في الأردن علي سالم في اتصال": the name is given
            if words and w.norm == "في" and not self._placed_head(doc, words[0]) \
                    and not self._placed_head(doc, words[-1]):  # "محمد حسن زاده المسؤول في هيئة ..." goes on
                if (known := self._known_name_across(doc, words[0], k, limit)) is not None:
                    words.extend(range(k, known + 1))  # "منظمة الأمن والتعاون في أوروبا": one known name
                    k = known + 1
                    continue
                via = via or self._outlet_near(doc, k, limit)
                break  # "قيادة العمليات المشتركة في العراق"، "خامنئي في خطبة": a name ends before في
            if not words and w.norm in LEADING_PRONOUN_PPS:
                k += 1  # "أثنى فيها "ابن نحيت" على": the pronoun's phrase before the subject
                continue
            outlet = self._outlet(doc, k, limit)
            if outlet:
                via, k = outlet
                if words:
                    break
                continue  # the addressee before the subject: "وأوضح لـ"الاقتصادية" مسؤول مطلع"
            if w.norm in self.lexicon.introducers or self._cue_form(w, doc):
                break
            if words and (w.norm in CONTENT_OPENERS or w.norm == "نحن"):
                break  # "وبحسب وديع أبونصار فإنه "..."، "قال الوزير نحن ...": the content opens
            if words and w.norm in CLAUSE_PRONOUNS:
                break  # "وقال X وهو صاحب المحل إنه": the clause describes the speaker, who is named
            if words and w.norm in DEMONSTRATIVES and k + 1 < n and doc.words[k + 1].norm.startswith("ال"):
                break  # "ووصف الوزير هذه الخطوة بأنها": a demonstrative opens the object
            words.append(k)
            k += 1
        while len(words) > 1 and doc.words[words[-1]].norm in FUNCTION_WORDS | {"ل", "ب"} \
                and doc.text[doc.words[words[-1]].end - 1] != "ي":  # "عثمان علي" is a name, "على" is not
            words.pop()  # "وحذرت السفارة الأمريكية من أن"، "وأضاف مصممو الشركة لـ"...": no name ends on a particle
        words = self._cut_after_name(doc, words)
        norms = [doc.words[x].norm for x in words]
        at = next((n for n in range(len(norms) - 2) if norms[n:n + 2] == ["ايه", "الله"]), None)
        if at is not None:  # "المرشد آية الله علي خامنئي لأنصاره": the name after the style
            name = words[at + 2:]
            cut = next((n for n, x in enumerate(name) if n > 0 and doc.words[x].norm[:1] == "ل"), None)
            return (name[:cut] if cut else name), via
        trimmed = self._trim_title(doc, words)
        if trimmed == words and len(words) > 1 and doc.words[words[0]].norm in self.lexicon.title_heads \
                and doc.words[words[0]].norm not in NAME_PARTICLES:  # "ابن نحيت" is a name
            tail = self._name_tail(doc, words)
            trimmed = words[tail:] if tail is not None else words
        if trimmed == words and (tail := self._definite_head_name(doc, words)):
            trimmed = tail  # "البائع العماني أمجد"، "الكومندان أندرسن": the name after its description
        if len(trimmed) > 2 and doc.words[trimmed[0]].norm in self.lexicon.given_names:
            # "دعا السفير أحمد عبدالعزيز قطان إيران إلى ...": a person's name holds no place after it
            places = {r.start for r in doc.regions.values() if (r.layer, r.label) == self.place_label}
            cut = next((n for n, k in enumerate(trimmed) if n >= 2 and doc.words[k].start in places), None)
            trimmed = trimmed[:cut] if cut is not None else trimmed
        on_behalf = next((n for n, x in enumerate(words) if doc.words[x].norm == "باسم" and n + 1 < len(words)), None)
        if trimmed and trimmed != words and on_behalf is not None and trimmed[0] in words \
                and words.index(trimmed[0]) > on_behalf and (
                    words[on_behalf + 1] == trimmed[0] or doc.words[words[on_behalf + 1]].norm in PRINCIPAL_TITLES):
            # "المتحدث باسم الرئيس الأفغاني أشرف غني"، "المتحدث باسم بحاح": the name is the principal's; the
            # spokesman speaks, unnamed ("المتحدث باسم الخارجية أحمد أبو زيد" names the spokesman)
            trimmed = words[:words.index(trimmed[-1]) + 1]
        return trimmed, via

    def _known_name_across(self, doc: _Doc, first: int, k: int, limit: int) -> int | None:
        """The last word of a known source's alias that opens at word ``first`` and runs past word k
        ("منظمة الأمن والتعاون في أوروبا"، "وزارة الداخلية في البحرين"), else None."""
        s = doc.words[first].start
        ends = [s + m.end for m in self.sources.matcher.find(doc.text[s:limit]) if m.start == 0]
        if not ends or max(ends) <= doc.words[k].end:
            return None
        end, last = max(ends), k
        while last + 1 < len(doc.words) and doc.words[last + 1].end <= end:
            last += 1
        return last if doc.words[last].end == end else None

    def _anonymity_clause(self, doc: _Doc, head: int, k: int, limit: int) -> list[int]:
        """The words of an anonymity clause right after an anonymous, descriptive or titled head's phrase,
        no comma between ("طلب عدم ذكر اسمه"، "الذي فضل عدم الكشف عن هويته"، "التي رفضت الكشف عن هويتها"،
        "الذي لم يشأ كشف هويته"), up to the name or identity it withholds, else []."""
        lex = self.lexicon
        x = doc.words[head].norm
        if x not in lex.anonymous_heads and x not in NAME_DESCRIPTORS and x not in lex.title_heads:
            return []
        out = []
        j = k
        if j < len(doc.words) and doc.words[j].norm in RELATIVE_PRONOUNS:
            out.append(j)
            j += 1
        if j + 1 >= len(doc.words):
            return []
        first, second = doc.words[j].norm, doc.words[j + 1].norm
        if not ((first in ANONYMITY_VERBS and (second == "عدم" or second in WITHHOLD_VERBS))
                or (first == "لم" and second in WITHHOLD_NEGATED)):
            return []
        for n in range(j, min(len(doc.words), j + 9)):
            w = doc.words[n]
            if w.end > limit or (n > k and CLAUSE_BREAK.search(doc.gap(n - 1, n))):
                return []
            out.append(n)
            if w.norm.startswith(WITHHELD) and not (n + 2 < len(doc.words) and doc.words[n + 1].norm == "او"
                                                 and doc.words[n + 2].norm.startswith(WITHHELD)):
                return out
        return []

    def _stop_at(self, doc: _Doc, k: int) -> bool:
        """Whether a stop phrase of the lexicon (``source_stops``: "في بيان"، "أمس"، "الذي") opens at word k."""
        if doc.words[k].norm == "امام" and doc.text[doc.words[k].start] == "إ":
            return False  # "إمام وخطيب المسجد": the imam, not أمام ("in front of"), which normalizes the same
        if k > 0 and doc.words[k - 1].norm in PRAYER_NOUNS and not CLAUSE_BREAK.search(doc.gap(k - 1, k)):
            return False  # "خطيب صلاة الجمعة"، "خطبة عيد الفطر": the prayer's day names it, no time
        ahead = tuple(x.norm for x in doc.words[k:k + self._stop_window])
        return any(ahead[:len(s)] == s for s in self.lexicon.source_stops)

    def _name_after_placed_title(self, doc: _Doc, words: list[int], k: int) -> bool:
        """Whether "علي" at word k opens the name after a title placed with في ("سفير المملكة في الأردن
        علي سالم الحربي"): the phrase opens with a title head, has في, and a word with no article and
        no particle follows."""
        lex = self.lexicon
        if doc.words[words[0]].norm not in lex.title_heads or not any(doc.words[x].norm == "في" for x in words) \
                or k + 1 >= len(doc.words) or CLAUSE_BREAK.search(doc.gap(k, k + 1)):
            return False
        nxt = doc.words[k + 1].norm
        return not nxt.startswith("ال") and nxt not in FUNCTION_WORDS and nxt not in lex.introducers \
            and (nxt in lex.given_names or len(nxt) >= 3)

    def _ali_closes_title(self, doc: _Doc, words: list[int], k: int, limit: int) -> bool:
        """Whether "علي" at word k is the holder's given name closing a bare title: "ووفق الناطق باسم مجلس
        ... علي الأحمدي فإن" (one more word, then an introducer, a break or the source's end)."""
        lex = self.lexicon
        if doc.words[words[0]].norm not in lex.title_heads or any(doc.words[x].norm in lex.given_names for x in words) \
                or k + 1 >= len(doc.words) or CLAUSE_BREAK.search(doc.gap(k, k + 1)) or doc.words[k + 1].norm in FUNCTION_WORDS:
            return False
        nxt = k + 2
        return nxt >= len(doc.words) or doc.words[nxt].start >= limit or CLAUSE_BREAK.search(doc.gap(k + 1, nxt)) \
            or doc.words[nxt].norm in lex.introducers or doc.words[nxt].norm in {"فان", "فانه"}

    def _name_after_prefixed_title(self, doc: _Doc, head: int, k: int, limit: int) -> list[int]:
        """After "لـ + title" (word head: "للناطق"، "لوزير") and its phrase up to word k: the holder's name
        from a given name at k (علي with ي too) up to a break or an introducer, at most four words; else []."""
        h = doc.words[head].norm
        bare = "ال" + h[2:] if h.startswith("لل") else h[1:]
        if bare not in self.lexicon.title_heads or k >= len(doc.words) or doc.words[k].end > limit \
                or CLAUSE_BREAK.search(doc.gap(k - 1, k)) or doc.words[k].norm not in self.lexicon.given_names \
                or doc.text[doc.words[k].end - 1] == "ى":
            return []
        name = [k]
        while len(name) < 4 and name[-1] + 1 < len(doc.words) and doc.words[name[-1] + 1].end <= limit:
            x = name[-1] + 1
            if CLAUSE_BREAK.search(doc.gap(x - 1, x)) or doc.words[x].norm in self.lexicon.introducers \
                    or doc.words[x].norm in FUNCTION_WORDS or self._cue_form(doc.words[x], doc) or self._stop_at(doc, x):
                break
            name.append(x)
        return name if len(name) >= 2 else []

    def _named_after_place(self, doc: _Doc, words: list[int]) -> bool:
        """Whether a title placed with في already has its name after the place (a given name past في)."""
        at = next((n for n, x in enumerate(words) if doc.words[x].norm == "في"), None)
        return at is not None and any(doc.words[x].norm in self.lexicon.given_names for x in words[at + 2:])

    def _placed_head(self, doc: _Doc, k: int) -> bool:
        """Whether a phrase opening with word k goes on past "في": an anonymous or generic head ("مصدر
        في القطاع النفطي"، "أحد السكان في") or a title without its name ("منسق الأمم المتحدة في اليمن");
        a name or an institution ends before it (nisba-gold train: 85 sources end before في)."""
        x = doc.words[k].norm
        return (x in self.lexicon.anonymous_heads or x in self.lexicon.title_heads or x in PLACED_HEADS
                or x in NAME_DESCRIPTORS)

    def _cut_after_name(self, doc: _Doc, words: list[int]) -> list[int]:
        """A phrase opening with a name (a known source's alias or a gazetteer entity) ends with it when
        the next word cannot go on naming it: "كارتر في البيان"، "خامنئي في خطبة ..."، "آشتون كارتر
        للصحافيين"، "وفقا لمركز الإحصاءات الإيراني فإن ..."، "حسن نصر الله امس"، "دي ماريا أيضا".
        Anonymous heads keep their "في" ("مصدر في القطاع النفطي"): they are no name."""
        if len(words) < 2 or doc.words[words[0]].norm in self.lexicon.anonymous_heads:
            return words
        s, e = doc.words[words[0]].start, doc.words[words[-1]].end
        ends = [s + m.end for m in self.sources.matcher.find(doc.text[s:e]) if m.start == 0]
        ends += [s + m.end for m in self.entity_matcher.find(doc.text[s:e]) if m.start == 0]
        if not ends:
            return words
        end = max(ends)
        rest = [k for k in words if doc.words[k].start >= end]
        if not rest or doc.words[rest[0]].start < end:
            return words
        nxt = doc.words[rest[0]].norm
        if nxt in NAME_ENDS or (nxt[:1] == "ل" and len(nxt) >= 4):  # "كارتر لصحفيين رافقوه"، "لقمان لابنه"
            return [k for k in words if doc.words[k].end <= end]
        return words

    def _name_after_title(self, doc: _Doc, words: list[int], limit: int) -> list[int]:
        """A long title cut short before its name ("كشف وكيل وزارة الحج ... منير محمد دبوان أن", "قال مدير
        شركة (سيبرين) فلاديمير جوكف، إنهم", "أوضح المشرف على برنامج "إحالتي" سليمان الشريع، أن"): the name,
        from a given name up to the introducer or a comma, when the phrase so far is a bare title; else []."""
        lex = self.lexicon
        if doc.words[words[0]].norm not in lex.title_heads or len(self._trim_title(doc, words)) != len(words) \
                or any(doc.words[x].norm in lex.given_names for x in words[1:]):
            return []
        k = words[-1] + 1
        for g in range(k, min(len(doc.words), k + 8)):
            w = doc.words[g]
            if w.end > limit or re.search(r"[,،]", doc.gap(g - 1, g)) or w.norm in lex.introducers or self._cue_form(w, doc) \
                    or self._outlet(doc, g, limit):
                return []  # "وقال المسؤول الإيراني لوكالة فارس": the name after an outlet is the outlet's
            if w.norm in lex.given_names and doc.text[w.end - 1] != "ى":  # على is no علي
                name = [g]
                while name[-1] + 1 < len(doc.words) and doc.words[name[-1] + 1].end <= limit and len(name) < 5 \
                        and not CLAUSE_BREAK.search(doc.gap(name[-1], name[-1] + 1)):
                    nxt = doc.words[name[-1] + 1]
                    if nxt.norm in lex.introducers or self._cue_form(nxt, doc) or nxt.norm in lex.title_heads:
                        break
                    name.append(name[-1] + 1)
                while len(name) > 1 and doc.words[name[-1]].norm in FUNCTION_WORDS \
                        and doc.text[doc.words[name[-1]].end - 1] != "ي":
                    name.pop()  # "أشار المواطن علي إبراهيم إلى أن": no name ends on a particle
                end = name[-1] + 1
                if end < len(doc.words) and doc.words[end].norm in FUNCTION_WORDS and end + 1 < len(doc.words) \
                        and (doc.words[end + 1].norm in lex.introducers or doc.words[end + 1].start >= limit):
                    end += 1  # "إلى أن"
                if end < len(doc.words) and doc.words[end].end <= limit and not re.search(r"[,،]", doc.gap(name[-1], end)) \
                        and doc.words[end].norm not in lex.introducers:
                    return []  # the name runs on into something else
                return self._trim_title(doc, name)
        return []

    def _name_before_limit(self, doc: _Doc, words: list[int], limit: int) -> list[int]:
        """A bare title or rank cut short by a place or a preposition, with the speaker's name just before
        the content ("الناطق باسم الدفاع المدني بمحافظة الطائف العقيد علي بن سعد الغامدي أن"): the
        name opening with a given name and running up to the content, an outlet or a stop, else []."""
        lex = self.lexicon
        first = doc.words[words[0]].norm
        described = not (first in lex.title_heads or first in lex.honorifics) and self._descriptor(doc, words[0])
        if not (first in lex.title_heads or first in lex.honorifics or described) \
                or any(doc.words[x].norm in lex.given_names for x in words):
            return []
        for g in range(words[-1] + 1, min(len(doc.words), words[-1] + 12)):
            w = doc.words[g]
            if w.end > limit or CLAUSE_BREAK.search(doc.gap(g - 1, g)) or w.norm in lex.introducers or self._cue_form(w, doc) \
                    or self._outlet(doc, g, limit):
                return []  # an outlet's name is not the speaker's
            known = w.norm not in lex.given_names and self._known_person_at(doc, g)  # "سامنثا باور"
            named = w.norm in lex.given_names or known
            if not named or doc.text[w.end - 1] == "ى" or g + 1 >= len(doc.words):  # على is no علي
                if described and (self._stop_at(doc, g) or w.norm in SCAN_ENDS):
                    return []
                continue
            name = [g]
            while name[-1] + 1 < len(doc.words) and len(name) < 6:
                nxt = name[-1] + 1
                x = doc.words[nxt]
                if x.end > limit or CLAUSE_BREAK.search(doc.gap(name[-1], nxt)) or x.norm in lex.introducers \
                        or self._cue_form(x, doc) or self._outlet(doc, nxt, limit) \
                        or (self._stop_at(doc, nxt) and not self._ali_at(doc, x)):
                    break  # "شلال علي شابع": علي is a name, على a stop
                name.append(nxt)
            after = name[-1] + 1
            if len(name) < 2 or (after < len(doc.words) and doc.words[after].end <= limit
                                 and not CLAUSE_BREAK.search(doc.gap(name[-1], after))
                                 and doc.words[after].norm not in lex.introducers and not self._outlet(doc, after, limit)
                                 and not self._stop_at(doc, after)):
                if known:
                    continue  # "إمام وخطيب المسجد الحرام ... الشيخ أسامة خياط": a known title, the name comes later
                return []  # the name must run up to the content, an outlet or a stop
            return self._trim_title(doc, name)
        return []

    def _descriptor(self, doc: _Doc, k: int) -> bool:
        """Whether word k is a definite relative adjective or occupation that may stand before a person's
        name ("القيادي"، "الإعلامي"، "الاقتصادي"), and no known source or entity opens there."""
        w = doc.words[k]
        if not (w.norm.startswith("ال") and w.norm.endswith("ي") and len(w.norm) >= 6):
            return False
        if self._known_at(doc, k):
            return False
        return not self._entity_at(doc, w)

    def _known_ends(self, doc: _Doc, s: int, limit: int) -> list[int]:
        """Where each known source (a sources.yaml alias, read up to ``limit``) or entity region opening at
        offset s ends."""
        ends = [s + m.end for m in self.sources.matcher.find(doc.text[s:limit]) if m.start == 0]
        return ends + [r.end for r in doc.regions.values() if r.layer == self.entity_layer and r.start == s]

    def _entity_at(self, doc: _Doc, w: _Word) -> bool:
        """Whether an entity region opens at word w."""
        return any(r.layer == self.entity_layer and r.start == w.start for r in doc.regions.values())

    @staticmethod
    def _ali_at(doc: _Doc, w: _Word) -> bool:
        """Whether word w is the given name علي as written (with ي), not the preposition على."""
        return w.norm == "علي" and doc.text[w.end - 1] == "ي"

    def _known_at(self, doc: _Doc, k: int) -> bool:
        """Whether a known source's alias (sources.yaml) opens at word k."""
        w = doc.words[k]
        return any(m.start == 0 for m in self.sources.matcher.find(doc.text[w.start:w.start + 80]))

    def _known_person_at(self, doc: _Doc, k: int) -> bool:
        """Whether a known source's alias that reads as a person's name opens at word k: two words or
        more, the first without the article, no news agency ("سامنثا باور"، not "الأمم المتحدة"، "مصر" or
        "سكاي نيوز")."""
        w = doc.words[k]
        return not w.norm.startswith("ال") and any(
            m.start == 0 and len(m.phrase.split()) >= 2 and self.sources.sources[m.payload].type != OUTLET_SOURCE_TYPE
            for m in self.sources.matcher.find(doc.text[w.start:w.start + 80]))

    def _head_name(self, doc: _Doc, words: list[int], limit: int) -> list[int]:
        """"وأشارت منظمة (بتسيلم) الإسرائيلية"، "وأوضحت وكالة "معاً""، "حسب ما ذكره موقع صحيفة "سبورت"": a phrase
        of generic heads only gives way to the name in marks after it."""
        if words and len(words) <= 2 and all(doc.words[x].norm in self.lexicon.quoted_name_heads for x in words):
            return self._marked_name(doc, words[-1], limit) or words
        return words

    def _marked_name(self, doc: _Doc, k: int, limit: int) -> list[int]:
        """The words (up to 4) in quotation marks or brackets right after word k, else []."""
        if k + 1 >= len(doc.words) or not re.search(r"[«»\"“”(]", doc.gap(k, k + 1)):
            return []
        out = [k + 1]
        while True:
            e = doc.words[out[-1]].end
            if re.match(r"\s*[»\"“”)]", doc.text[e:e + 3]):
                return out if doc.words[out[-1]].end <= limit else []
            nxt = out[-1] + 1
            if len(out) >= 4 or nxt >= len(doc.words) or (
                    CLAUSE_BREAK.search(doc.gap(out[-1], nxt)) and not self._in_outlet_name(doc, nxt)):
                return []  # a dotted abbreviation ("إن.بي.سي") is one name
            out.append(nxt)

    def _connective_outlet_at(self, doc: _Doc, k: int, limit: int) -> tuple[tuple[int, int] | None, int] | None:
        """An according-to connective at word k after a cue ("وفقاً لوكالة الأنباء القطرية"، "وفقا لما نقلته
        وكالة ..."): (the outlet's span or None, the index after the outlet), and the connective is marked
        as used; else None."""
        idx = list(range(k, min(len(doc.words), k + 4)))
        conn = self._connective_at(doc, idx, 0)
        if not conn:
            return None
        _, plen, phrase = conn
        last = k + plen - 1
        if doc.words[last].end > limit:
            return None
        nxt = last + 1
        if phrase.endswith("ما"):
            nxt += 1  # "وفقا لما نقلته": the verb belongs to the connective
            first = nxt
        elif phrase.endswith("ل") and doc.words[last].norm != phrase.split()[-1]:
            first = last  # "وفقاً لوكالة": the outlet is written onto ل
        else:
            first = nxt
        words = []
        j = first
        while j < len(doc.words) and doc.words[j].end <= limit and len(words) < 6:
            if words and CLAUSE_BREAK.search(doc.gap(words[-1], j)):
                break
            if doc.words[j].norm == "في" or doc.words[j].norm in self.lexicon.introducers or self._cue_form(doc.words[j], doc):
                break
            words.append(j)
            j += 1
        doc.used_connectives.update(range(k, k + plen))
        if not words:
            return None, j
        s = doc.words[words[0]].start + (1 if words[0] == last and first == last else 0)
        return (s, doc.words[words[-1]].end), j

    def _time_adverb(self, doc: _Doc, k: int) -> int:
        """How many words of a time adverbial start at word k (أمس، اليوم، مساء أمس، يوم الاثنين، أول من
        أمس، يوم أمس الأول، في الوقت نفسه), else 0."""
        lex = self.lexicon
        norms = [x.norm for x in doc.words[k:k + 3]]
        if tuple(norms) in TIME_PHRASES:
            return 3
        if tuple(norms[:2]) in TIME_PAIRS:
            return 2
        n = 0
        if norms and norms[0] in {"امس", "اليوم"} | lex.weekdays:
            n = 1
        elif len(norms) >= 2 and norms[0] in {"يوم", "مساء", "صباح", "ظهر", "فجر"} and (
                norms[1] in lex.weekdays or norms[1] in {"امس", "اليوم"}):
            n = 2
        if n and norms[n - 1] == "امس" and n < len(norms) and norms[n] == "الاول":
            n += 1  # "أمس الأول": the day before yesterday
        elif n == 1 and len(norms) > 1 and norms[0] in {"امس", "اليوم"} and norms[1] in lex.weekdays:
            n = 2  # "اليوم (الأحد)"، "أمس الاثنين": the day named after it
        return n

    def _apposed_name(self, doc: _Doc, words: list[int], k: int, limit: int, stop_at: int | None) -> list[int]:
        """After "TITLE، NAME": the name's words when the phrase so far is a bare title and a name follows."""
        lex = self.lexicon
        head = doc.words[words[0]].norm if words else ""
        if not words or (head not in lex.title_heads and head not in lex.anonymous_heads) \
                or len(self._trim_title(doc, words)) != len(words):
            return []  # "وقال مسؤول إعلام الحشد ...، علي الحسيني لـ": an official is named after the comma
        if doc.words[k].norm not in lex.given_names and doc.words[k].norm not in lex.honorifics:
            # "قال عضو المجلس، المعارض البارز X Y إن": a description with the article, then the name
            g = next((g for g in range(k + 1, min(len(doc.words), k + 3))
                      if doc.words[g].norm in lex.given_names and doc.text[doc.words[g].end - 1] != "ى"), None)
            if not doc.words[k].norm.startswith("ال") or g is None or doc.words[g].end > limit or self._stop_at(doc, k) \
                    or any(CLAUSE_BREAK.search(doc.gap(x - 1, x)) or not doc.words[x].norm.startswith("ال") for x in range(k + 1, g)) \
                    or CLAUSE_BREAK.search(doc.gap(g - 1, g)):
                return []
            k = g
        name: list[int] = []
        while k < len(doc.words) and doc.words[k].end <= limit and k != stop_at and len(name) < 6:
            if name and CLAUSE_BREAK.search(doc.gap(name[-1], k)):
                break
            w = doc.words[k]
            if w.norm in lex.introducers or self._cue_form(w, doc) or self._outlet(doc, k, limit):
                break
            if self._stop_at(doc, k) and not (name and self._weekday_surname(doc, k)) \
                    and not (not name and self._ali_at(doc, w)):  # "الطالب، علي X" (no على)
                break
            name.append(k)
            k += 1
        return self._trim_title(doc, name)

    def _weekday_surname(self, doc: _Doc, k: int) -> bool:
        """Whether word k is a weekday written as a family name: right after a given name ("محمد الخميس")."""
        return k > 0 and doc.words[k].norm in self.lexicon.weekdays and doc.words[k - 1].norm in self.lexicon.given_names

    def _comma_closed_name(self, doc: _Doc, k: int, limit: int) -> list[int]:
        """After "TITLE، " at word k: an unlisted name of up to four words closed by a comma, an
        introducer, an outlet or the source's limit ("قال ممثل اليونيسيف باليمن، جوليان هارنيس، إن"),
        past one more title phrase between commas ("وزير الثقافة، ممثل حزب العدالة، عمر تشيليك، أن");
        else []. A word with the article, a title, a time or a particle opens no such name."""
        lex = self.lexicon
        for _ in range(2):
            if k >= len(doc.words) or doc.words[k].end > limit:
                return []
            w = doc.words[k]
            if w.norm in lex.title_heads:
                k = next((y for y in range(k + 1, min(len(doc.words), k + 9))
                          if doc.words[y].end <= limit and re.search(r"[,،]", doc.gap(y - 1, y))), len(doc.words))
                continue
            if (w.norm.startswith("ال") or w.norm in FUNCTION_WORDS or w.norm in NAME_DESCRIPTORS
                    or w.norm in lex.introducers or self._cue_form(w, doc) or self._time_adverb(doc, k)
                    or self._stop_at(doc, k) or self._outlet(doc, k, limit) or self._connective_outlet_at(doc, k, limit)):
                return []
            name = [k]
            while len(name) < 4:
                x = name[-1] + 1
                if x >= len(doc.words) or doc.words[x].end > limit or CLAUSE_BREAK.search(doc.gap(x - 1, x)):
                    break
                v = doc.words[x]
                if v.norm in lex.introducers or v.norm in FUNCTION_WORDS or self._cue_form(v, doc) \
                        or (self._stop_at(doc, x) and not self._weekday_surname(doc, x)) or self._outlet(doc, x, limit):
                    break
                name.append(x)
            nx = name[-1] + 1
            closed = (nx >= len(doc.words) or doc.words[nx].start >= limit or re.search(r"[,،]", doc.gap(nx - 1, nx))
                      or doc.words[nx].norm in lex.introducers or self._outlet(doc, nx, limit))
            return name if closed else []
        return []

    def _outlet(self, doc: _Doc, k: int, limit: int) -> tuple[tuple[int, int], int] | None:
        """Word k opens "لـ + outlet": ((start, end) of the outlet's name, the index after it), else None."""
        w = doc.words[k]
        if not w.norm.startswith("ل"):
            return None
        rest = w.norm[1:]
        lex = self.lexicon
        if rest[:1] == "ل" and rest[1:2] != "ل" and "ا" + rest in lex.outlet_heads | self.outlet_names:
            rest = "ا" + rest  # "للتلفزيون المصري": ل + التلفزيون, its alef dropped as the spelling wants
        for size in (5, 4, 3, 2):  # "لفرانس برس"، "لهيئة الإذاعة البريطانية"
            if k + size <= len(doc.words):
                joined = " ".join([rest] + [x.norm for x in doc.words[k + 1:k + size]])
                if joined in self.outlet_names and not CLAUSE_BREAK.search(doc.text[w.end:doc.words[k + size - 1].start]):
                    return (w.start + 1, doc.words[k + size - 1].end), k + size
        if rest in self.outlet_names:
            return (w.start + 1, w.end), k + 1
        if rest and rest not in lex.outlet_heads:
            return None
        # "لـ«عكاظ»"، and "لـ(عكاظ)"، "لـ»المدينة»" as scraped text writes them
        quoted = self._quoted_words(doc, k, limit) or self._marked_name(doc, k, limit)  # "لشبكة (إن.بي.سي)"
        if quoted:
            return (doc.words[quoted[0]].start, doc.words[quoted[-1]].end), quoted[-1] + 1
        if not rest:
            return None
        # "لوكالة فرانس برس": the head and the name after it, up to a break
        span = [k]
        j = k + 1
        while j < len(doc.words) and len(span) < 4 and doc.words[j].end <= limit:
            x = doc.words[j]
            if CLAUSE_BREAK.search(doc.gap(span[-1], j)) or x.norm in lex.introducers or self._cue_form(x, doc):
                break
            if self._stop_at(doc, j):
                break
            span.append(j)
            j += 1
        if len(span) == 1:
            return None
        return (w.start + 1, doc.words[span[-1]].end), span[-1] + 1

    def _quoted_span(self, doc: _Doc, k: int, limit: int) -> tuple[int, int] | None:
        """The span of the words in quotation marks opening right after word k (``_quoted_words``), else None."""
        quoted = self._quoted_words(doc, k, limit)
        return (doc.words[quoted[0]].start, doc.words[quoted[-1]].end) if quoted else None

    def _quoted_words(self, doc: _Doc, k: int, limit: int) -> list[int]:
        """The words inside quotation marks opening right after word k (up to 6 words), else []."""
        if k + 1 >= len(doc.words):
            return []
        gap = doc.gap(k, k + 1)
        if not QUOTE_OPEN.search(gap):
            return []
        out = [k + 1]
        j = k + 2
        while j < len(doc.words) and len(out) < 6 and doc.words[j].end <= limit:
            g = doc.gap(out[-1], j)
            if QUOTE_ANY.search(g):
                break
            if CLAUSE_BREAK.search(g):
                return []
            out.append(j)
            j += 1
        if not QUOTE_ANY.search(doc.text[doc.words[out[-1]].end:doc.words[out[-1]].end + 2]):
            return []
        return out

    def _outlet_near(self, doc: _Doc, k: int, limit: int) -> tuple[int, int] | None:
        """"في تصريح لـ"الرياض"" / "في مقابلة مع صحيفة “ديلي ميل”": the outlet within the next few words."""
        for j in range(k, min(len(doc.words), k + 4)):
            if doc.words[j].end > limit:
                break
            got = self._outlet(doc, j, limit)
            if got:
                return got[0]
            if doc.words[j].norm == "مع" and j + 1 < len(doc.words) and doc.words[j + 1].norm in self.lexicon.outlet_heads:
                if (quoted := self._quoted_span(doc, j + 1, limit)) is not None:
                    return quoted
            if doc.words[j].norm == "مع" and j + 1 < len(doc.words) and {x.norm for x in doc.words[max(0, j - 3):j]} & INTERVIEW_WORDS \
                    and not CLAUSE_BREAK.search(doc.gap(j, j + 1)) and (got := self._published_by(doc, j + 1, limit)):
                return got  # "في مقابلة مع وكالة رويترز"، "في اتصال مع فرانس برس": the interviewer, unmarked
            if doc.words[j].norm in {"مع", "الي"} and j > 0 and {x.norm for x in doc.words[max(0, j - 2):j]} & INTERVIEW_WORDS:
                # "في حوار مع «الشرق الأوسط»"، "في تصريحات إلى "الوطن"": the interviewer in marks
                if (quoted := self._quoted_span(doc, j, limit)) is not None:
                    return quoted
        for j in range(k, min(len(doc.words) - 1, k + 4)):
            if doc.words[j].end > limit:
                break
            if doc.words[j].norm in {"نقل", "نقلت", "نقلته", "نقلتها"} and j + 1 < len(doc.words) \
                    and doc.words[j + 1].norm in {"عنه", "عنها", "عنهم"} and doc.words[j + 1].end <= limit:
                # "، كما نقل عنه موقع “العربية نت”، إنه": who relayed him (a name in marks first)
                if (got := self._published_by(doc, j + 2, limit)) is not None:
                    return got
            if doc.words[j].norm in QUESTION_NOUNS and j >= 2 and [x.norm for x in doc.words[j - 2:j]] == ["ردا", "علي"]:
                # "ردا على سؤال «عكاظ»"، "ردا على أسئلة وكالة فرانس برس": who asked carried the answer
                return self._published_by(doc, j + 1, limit)
        if (platform := self._platform_near(doc, k, limit)) is not None:
            return platform
        for j in range(k, min(len(doc.words) - 1, k + 6)):
            if doc.words[j].end > limit or (j > k and CLAUSE_BREAK.search(doc.gap(j - 1, j))):
                break
            if doc.words[j].norm in PUBLISH_VERBS:
                # "في بيان نشرته وكالة الأنباء القطرية"، "في بيان تسلمت «عكاظ» نسخة منه": who published it
                return self._published_by(doc, j + 1, limit)
        return None

    def _platform_near(self, doc: _Doc, k: int, limit: int) -> tuple[int, int] | None:
        """"عبر حسابه على تويتر"، "في تغريدة بحسابه الشخصي بتويتر"، "عبر «تويتر»": a social platform within
        eight words of word k, led by عبر، على، في or an account word, with no comma or full stop
        between; its span (a prefixed ب or ل left out), else None."""
        led = False
        for j in range(k, min(len(doc.words), k + 8)):
            w = doc.words[j]
            if w.end > limit or (j > k and re.search(r"[,،.؛;:]", doc.gap(j - 1, j))):
                return None
            bare = w.norm[1:] if w.norm[:1] in "بل" else w.norm
            if led and (w.norm in SOCIAL_PLATFORMS or bare in SOCIAL_PLATFORMS):
                return w.start + (w.norm not in SOCIAL_PLATFORMS), w.end
            led = led or w.norm in PLATFORM_LEADS or bare in PLATFORM_LEADS
        return None

    def _outlet_name_end(self, doc: _Doc, k: int, stop: int) -> int | None:
        """The index after the longest listed outlet name (up to four words, no clause break inside)
        opening at word k and ending before word ``stop``; else None."""
        for size in (4, 3, 2, 1):
            end = k + size
            if end <= min(stop, len(doc.words)) and " ".join(x.norm for x in doc.words[k:end]) in self.outlet_names \
                    and not CLAUSE_BREAK.search(doc.text[doc.words[k].end:doc.words[end - 1].start]):
                return end
        return None

    def _published_by(self, doc: _Doc, k: int, limit: int) -> tuple[int, int] | None:
        """The outlet named from word k after a publishing verb: a name in marks, a known outlet, or an
        outlet head with up to three words of its name; else None."""
        if k < len(doc.words) and doc.words[k].norm in INTERVIEWEE_WORDS:
            k += 1  # "في حوار أجرته معه صحيفة الشرق الأوسط"، "في لقاء خص به «الشرق الأوسط»"
        if k >= len(doc.words) or doc.words[k].end > limit:
            return None
        if (quoted := self._quoted_span(doc, k - 1, limit)) is not None:
            return quoted
        if (end := self._outlet_name_end(doc, k, len(doc.words))) is not None:
            return doc.words[k].start, doc.words[end - 1].end
        if doc.words[k].norm not in self.lexicon.outlet_heads:
            return None
        if (quoted := self._quoted_span(doc, k, limit)) is not None:  # "نشرته صحيفة «الرياض»": the name in marks, as after "لصحيفة"
            return quoted
        span = [k]
        while len(span) < 4 and span[-1] + 1 < len(doc.words) and doc.words[span[-1] + 1].end <= limit:
            x = span[-1] + 1
            if CLAUSE_BREAK.search(doc.gap(x - 1, x)) or doc.words[x].norm in self.lexicon.introducers \
                    or self._cue_form(doc.words[x], doc) or self._stop_at(doc, x) or doc.words[x].norm in FUNCTION_WORDS:
                break
            span.append(x)
        return (doc.words[k].start, doc.words[span[-1]].end) if len(span) > 1 else None

    def _trim_title(self, doc: _Doc, words: list[int]) -> list[int]:
        """The name inside a titled phrase (guidelines 4.3: the title is left out, as for PER).

        "الرئيس الفلسطيني محمود عباس" -> "محمود عباس" (a given name after a title);
        "وزير الثقافة الدكتور عادل الطريفي" -> "عادل الطريفي" (after an honorific);
        "نبيل أبو ردينة الناطق باسم الرئاسة" -> "نبيل أبو ردينة" (a title after a name ends it).
        A phrase that is all title ("وزير المعادن السوداني") is kept whole.
        """
        lex = self.lexicon
        if len(words) < 2:
            return words
        norms = [doc.words[i].norm for i in words]
        marks = [i for i, x in enumerate(norms[:-1]) if x in lex.honorifics or x in lex.name_markers]
        named = False
        if marks:
            words, norms = words[marks[-1] + 1:], norms[marks[-1] + 1:]
            named = True
        elif norms[:2] in (["رجل", "الاعمال"], ["سيده", "الاعمال"]) and len(norms) > 2 and norms[2] in lex.given_names:
            words, norms = words[2:], norms[2:]  # "رجل الأعمال زياد البسام": the occupation, then the name
            named = True
        elif norms[0] in lex.title_heads:
            g = next((i for i, x in enumerate(norms) if i > 0 and x in lex.given_names), None)
            if g is not None and g > 1 and norms[g] in FILIATION_WORDS and self._name_word(doc, words[g - 1]):
                g -= 1  # "رئيس الجمعية فاهد بن سعيد": بن follows the given name
            if g is not None:
                words, norms = words[g:], norms[g:]
                named = True
        elif norms[0].startswith("ال") and norms[0] not in lex.anonymous_heads:
            # "المواطن سعيد الشهراني"، "اللواء ركن جعفر محمد سعد"، "القيادي المتطرف سليمان كينان": one to
            # three describing words, then a given name; a place or institution there is no description
            g = next((i for i, x in enumerate(norms[:4]) if i > 0 and x in lex.given_names), None)
            if g is not None and all(x.startswith("ال") or x in RANK_WORDS for x in norms[:g]):
                s, e = doc.words[words[0]].start, doc.words[words[g - 1]].end
                if not any(m.start == 0 for matcher in (self.entity_matcher, self.sources.matcher)
                           for m in matcher.find(doc.text[s:e])):
                    words, norms = words[g:], norms[g:]
                    named = True
        if named or norms[0] in lex.given_names:
            # a title or "من + institution" after the name ends it ("فاليري زولوتاريف من مركز ...")
            cut = next((i for i, x in enumerate(norms) if i > 0 and norms[i - 1] not in NAME_PARTICLES
                        and not (i == len(norms) - 1 and i <= 2 and x in lex.title_heads)
                        and (x in lex.title_heads or x in lex.honorifics or x in NAME_DESCRIPTORS
                             or (x == "من" and i >= 2))), None)  # "خالد بن مساعد": مساعد is a name there;
            # "عبدالله قائد"، "محمد رحيم أمين" alone: a title word ending the phrase within three words is the family name
            if cut is not None:
                words = words[:cut]
        elif (norms[0] not in lex.title_heads and norms[0] not in lex.statement_nouns
              and norms[0] not in lex.anonymous_heads and not norms[0].startswith("ال")):
            # a name, then its descriptor: "غزاي الحربي ابن السجين"، "بروكمان وهو أب لخمسة"،
            # "فاديا البرغثي مسؤولة الإعلام"
            cut = next((i for i, x in enumerate(norms) if (i >= 2 and (x in lex.title_heads or x in NAME_DESCRIPTORS))
                        or (i >= 1 and x in CLAUSE_PRONOUNS)), None)
            if cut is not None and not {"في", "من"} & set(norms[:cut]):
                words = words[:cut]
        return words

    def _name_word(self, doc: _Doc, k: int) -> bool:
        """Whether word k may be a given name nobody listed: no "ال", no title, honorific, institution
        noun, known place or source."""
        x = doc.words[k].norm
        lex = self.lexicon
        if x.startswith("ال") or x in lex.title_heads or x in lex.honorifics or x in NAME_TAIL_STOPS \
                or x in FUNCTION_WORDS or len(x) < 3:
            return False
        w = doc.words[k]
        return not any(m.start == 0 for matcher in (self.entity_matcher, self.sources.matcher)
                       for m in matcher.find(doc.text[w.start:w.end]))

    def _definite_head_name(self, doc: _Doc, words: list[int]) -> list[int]:
        """The name closing a phrase of definite words ("البائع العماني أمجد"، "المعارض الصيني آي ويوي"):
        one to three words without the article after them, none a particle, a conjunct (و)، a word with
        a pronoun (وعلماؤها، نفسه), a number or a time; else []."""
        norms = [doc.words[x].norm for x in words]
        lead = next((n for n, x in enumerate(norms) if not x.startswith("ال")), len(norms))
        if lead == 0 or lead == len(norms) or len(norms) - lead > 3:
            return []
        for n in range(lead, len(norms)):
            x, w = norms[n], doc.words[words[n]]
            if x.startswith("ال") or x in FUNCTION_WORDS or x in NOT_NAME_WORDS or x[:1] == "ل" \
                    or x[:1] in "وفبك" and x[1:] not in self.lexicon.given_names \
                    or re.search(r"(ه|ها|هم|هما)$", x) and x not in self.lexicon.given_names \
                    or not ARABIC_LETTER.search(x) or self._time_adverb(doc, words[n]) \
                    or CLAUSE_BREAK.search(doc.gap(words[n - 1], words[n])) or x in self.lexicon.title_heads:
                return []
        return words[lead:]

    def _name_tail(self, doc: _Doc, words: list[int]) -> int | None:
        """Where the name begins in a titled phrase whose name has no known given name: the words
        at its end that are no part of a title ("نائب حاكم الإقليم عبدالستار باريز"، "السفير قطان"،
        "مدير إدارة الرقابة الشاملة عبدالعلي المكرمي"). Read from the end, a name word is no title
        head, honorific, institution noun, preposition or known place or source; a word with "ال"
        belongs to it only after a word without (a surname: "عبدالعلي المكرمي"). None when the
        phrase ends in its title ("مدير عام السجون"، "وزير المعادن السوداني")."""
        lex = self.lexicon
        norms = [doc.words[i].norm for i in words]

        def titled(n: int) -> bool:
            x = norms[n]
            w = doc.words[words[n]]
            return (x in lex.title_heads or x in lex.honorifics or x in lex.quoted_name_heads or x in lex.outlet_heads
                    or x in INSTITUTION_NOUNS or x in SUBJECTLESS_BEFORE or x in lex.anonymous_heads
                    or x in lex.coreferent_mentions or len(x) < 2 or x in NOT_NAME_WORDS
                    or any(m.start == 0 for m in self.entity_matcher.find(doc.text[w.start:w.end]))
                    or any(m.start == 0 for m in self.sources.matcher.find(doc.text[w.start:w.end])))

        end = doc.words[words[-1]].end
        for m in self.sources.matcher.find(doc.text[doc.words[words[1]].start:end]):
            a = doc.words[words[1]].start + m.start
            if doc.words[words[1]].start + m.end == end and not normalize(doc.text[a:a + 3]).startswith("ال"):
                # a known source named without "ال" ends the phrase: the person's name ("السفير قطان"),
                # unless it opens with an institution or place noun ("رئيس نادي الهلال"، "المتحدث باسم
                # قوات التحالف"، "محافظ مدينة عدن" keep their title)
                n = next((n for n in range(1, len(words)) if doc.words[words[n]].start == a), None)
                if n is not None and norms[n] not in INSTITUTION_NOUNS and norms[n - 1] not in {"لدي", "في", "فى", "باسم"} \
                        and not (norms[n - 1][:1] == "ل" and not norms[n - 1].startswith("ال")):
                    return n  # not "محلل في رويترز"، "المدير التنفيذي لسوق عكاظ": an employer or a place
        definite = lambda x: x.startswith(("ال", "لل", "بال", "وال", "فال", "كال"))
        start = None
        for n in range(len(norms) - 1, 0, -1):
            if titled(n) or (norms[n][:1] == "ل" and norms[n][1:] in NAME_TAIL_STOPS):
                break
            if definite(norms[n]) and (n < len(norms) - 1 or n - 1 < 1 or definite(norms[n - 1]) or titled(n - 1)):
                break   # "ال" only in a surname at the end ("عبدالعلي المكرمي"), never "حاكم الولاية ..."
            start = n
        while start is not None and start < len(norms) and definite(norms[start]):
            start += 1
        if start is None or start >= len(norms) or len(norms) - start > 4:
            return None
        if all(x.endswith(("ي", "يه", "ية")) and not x.startswith("ال") and x not in lex.given_names for x in norms[start:]):
            return None   # "متحدث إعلامي"، "متحدث رسمي عراقي": adjectives (nisbas), no name
        before = norms[start - 1]
        if before in PLACE_NOUNS or before[1:] in PLACE_NOUNS:
            return None   # "وزيرة منطقة جارخاند": the place of the title, no name
        if before in {"في", "فى", "باسم"}:
            return None   # "محلل في رويترز"، "المتحدث باسم بحاح": a place, an employer or a principal, no name
        return start

    def _antecedent(self, doc: _Doc, st: dict) -> tuple[str | None, tuple[int, int] | None]:
        """For a statement without a named subject: an existing SOURCE region id or a span."""
        si = st["sentence"]
        sent_s, _ = doc.sentences[si]
        source = self.source_label
        sources = [r for r in doc.regions.values() if (r.layer, r.label) == source and r.start < st["cue_span"][0]]
        # a source named by a connective ("حسبما ذكرت وكالة X") reports; the speaker is another
        speakers = [r for r in sources if r.id not in doc.reporters]
        before = doc.text[sent_s:st["cue_span"][0]]
        participle = self.cue_kind(doc.words[st["cue_word"]], st["cue_plen"]) == "participle"
        if not participle and not st.get("pronoun") and (fronted := self._fronted_subject(doc, sent_s, st["cue_word"])):
            return None, fronted  # "المتهم قال إن ..."، "عيدان طالب القاضي بـ": the subject written first
        subject = next((m for m in self.sources.matcher.find(before) if not before[m.end:].strip()), None)
        if subject and not st.get("pronoun") and not participle:
            # "أن مجلس الوزراء نوه بـ": the subject right before its verb; a participle's subject is the
            # clause's ("قال لافروف إنه ... تنظيم داعش مشيرا الى ان": not داعش)
            return None, (sent_s + subject.start, sent_s + subject.end)
        i = st.get("cue_word")
        if i is not None and i > 0 and doc.words[i - 1].norm in {"انه", "لكنه", "فانه", "انها", "لكنها", "فانها"}:
            # "ورغم ان اردوغان لم يشر ...، الا انه قال": the pronoun is the nearest named source
            named = [m for m in self.sources.matcher.find(before)
                     if (normalize(before[:m.start]).split() or [""])[-1] in self.lexicon.introducers]
            if named:  # the subject of a clause: right after its introducer ("رغم ان اردوغان")
                m = max(named, key=lambda m: (m.end, m.end - m.start))
                return None, (sent_s + m.start, sent_s + m.end)
        in_sentence = [r for r in speakers if r.start >= sent_s] or [r for r in sources if r.start >= sent_s]
        subject = self._known_subject(doc, sent_s, st["cue_span"][0], sources)
        if subject and in_sentence and subject[0] > max(r.end for r in in_sentence):
            return None, subject
        cue_w = doc.words[st["cue_word"]]
        # a noun cue's pronoun ("وتصريحاته بأن") is the nearest name, not the sentence's subject
        possessive = self.lexicon.cue_context.get(cue_w.norm[st["cue_plen"]:], {}).get("introducer_next")
        named = self._verb_subject(doc, sent_s, st["cue_span"][0], known=not possessive)
        if named and not any(r.start >= named[0] for r in in_sentence):
            # "وأبدى مايكل زورك ... سعادته ...، وقال: ..."، "رفض محمد علي جعفري ... وقال إن": the named
            # subject of the sentence's own verb, when no source is named after it
            return None, named
        if in_sentence:  # "قال X إن ...، مشيرا إلى أن ...": the speaker of the same sentence
            return max(in_sentence, key=lambda r: r.start).id, None
        if subject:  # "وأشاد أبوداود بالروح ... متمنيا أن": the subject of the clause's own verb
            return None, subject
        if participle and (opening := self._opening_cue_subject(doc, sent_s, st["cue_span"][0])):
            # "وكشفت مراجع عليا لـ«عكاظ» أسرار ... مؤكدة أن": the subject of the verb cue opening the
            # sentence, though that cue took no content of its own
            return None, opening
        mentions = self._subject_mentions(doc, sent_s, st["cue_span"][0])
        if mentions:
            return None, max(mentions, key=lambda m: (m[1], m[1] - m[0]))
        if si > 0:
            ps, pe = doc.sentences[si - 1]
            in_prev = [r for r in speakers if ps <= r.start < pe] or [r for r in sources if ps <= r.start < pe]
            if in_prev:
                return max(in_prev, key=lambda r: r.start).id, None
            mentions = self._subject_mentions(doc, ps, pe)
            if mentions:
                return None, mentions[0]
            titled = self._titled_name(doc, ps, pe)
            if titled:  # "وصف الأكاديمي ... الدكتور خميس الغامدي ... / وأوضح أنه": the titled person named before
                return None, titled
        if sources:
            return max(sources, key=lambda r: r.start).id, None
        return None, None

    def _opening_cue_subject(self, doc: _Doc, sent_s: int, cue_s: int) -> tuple[int, int] | None:
        """The subject of a verb cue opening the sentence (its first word, or after كما) and read
        up to ``cue_s``, as a statement's source phrase is read: its span, else None."""
        idx = doc.words_in(sent_s, cue_s)
        if not idx:
            return None
        k = idx[1] if len(idx) > 1 and doc.words[idx[0]].norm in VERB_OPENERS else idx[0]
        form = self._cue_form(doc.words[k], doc)
        if not form or self.cue_kind(doc.words[k], form[0]) != "verb" or k + 1 >= len(doc.words) \
                or CLAUSE_BREAK.search(doc.gap(k, k + 1)) or self._quoted_at(doc, k) \
                or self._dropped_before_object(doc, k, form[0]):
            return None  # "وأكد حرص بلاده على": its object; "«... وقال الحوثيون ...»": inside a quotation
        claims = [r for r in doc.regions.values() if (r.layer, r.label) == self.claim_label]
        if any(r.start <= doc.words[k].start < r.end or doc.words[k].end <= r.start < cue_s for r in claims):
            return None  # inside a content, or the opening cue took its own content (its speaker is linked)
        bare = self._bare_object(doc, k, form[0], cue_s)
        words, via = self._source_phrase(doc, k + 1, bare[2] if bare else cue_s, None)
        if words and via and via[0] < doc.words[words[0]].start:
            return None  # "وقالت لرويترز “...”": past an outlet, no subject
        if words and doc.words[k].norm[form[0]:] in self.lexicon.object_cues:
            words = self._cut_object(doc, words)
        words = self._cut_addressee(doc, words) if words else words
        if not words or not self._named(doc, words) or opens_no_subject(doc.words[words[0]].norm) \
                or doc.words[words[0]].norm in ADDRESSEE_WORDS or all(doc.words[x].norm in self.lexicon.pronoun_subjects for x in words):
            return None
        if doc.words[words[0]].norm in self.lexicon.title_heads and (titled := self._titled_subject(doc, idx, idx.index(words[0]), cue_s)):
            return titled  # "وكشف قائد اللواء الثالث في تعز العميد X Y تفاصيل ...": the title's holder
        words = self._name_after_title(doc, words, cue_s) or self._name_before_limit(doc, words, cue_s) or words
        words = self._head_name(doc, words, cue_s)
        words = self._cut_before_object(doc, words)
        return doc.words[words[0]].start, doc.words[words[-1]].end

    def _cut_before_object(self, doc: _Doc, words: list[int]) -> list[int]:
        """A verb's subject read up to its noun object ("نفت الحكومة المصرية الأنباء"، "وكشف X سالم الحربي
        تفاصيل"، "ووصف الوزير القانون بأنه"): it ends at a known source or entity opening it, before a
        definite noun after its adjective, or after a given name's family name."""
        lex = self.lexicon
        s = doc.words[words[0]].start
        known = self._known_ends(doc, s, doc.words[words[-1]].end)
        if known:  # "نفى المجلس الأعلى للتعليم الأنباء ...": a known source, then the cue's object
            words = [x for x in words if doc.words[x].end <= max(known)] or words
        cut = next((n for n in range(2, len(words)) if doc.words[words[n]].norm.startswith("ال")
                    and not any(doc.words[x].norm in lex.given_names or doc.words[x].norm in lex.honorifics for x in words[n:])
                    and not doc.words[words[n]].norm.endswith(("ي", "يه", "يين", "يون"))
                    and doc.words[words[n - 1]].norm.startswith("ال") and doc.words[words[n - 1]].norm.endswith(("ي", "يه"))), None)
        words = words[:cut] if cut else words  # "نفت الحكومة المصرية الأنباء": a definite noun after the adjective
        if doc.words[words[0]].norm in lex.given_names:
            family = next((n for n in range(1, min(len(words), 4)) if doc.words[words[n]].norm.startswith("ال")), None)
            while family and family + 1 < len(words) and doc.words[words[family + 1]].norm.startswith("ال") \
                    and doc.words[words[family + 1]].norm.endswith("ي"):
                family += 1  # "ناصر الجهمي السبيعي"
            words = words[:family + 1] if family else words  # "سالم الحربي | تفاصيل المعركة": the family name ends it
        return words

    def _fronted_subject(self, doc: _Doc, sent_s: int, i: int) -> tuple[int, int] | None:
        """One or two words opening the sentence right before the verb cue at word i, with no break, no
        particle and no connective ("المتهم قال إن"، "عيدان طالب القاضي بـ"): their span, else None."""
        idx = doc.words_in(sent_s, doc.words[i].start)
        if not 1 <= len(idx) <= 2 or any(CLAUSE_BREAK.search(doc.gap(a, b)) for a, b in zip(idx, idx[1:] + [i])):
            return None
        lex = self.lexicon
        for k in idx:
            w = doc.words[k].norm
            bare = w[1:] if w[:1] in "وف" else w
            if w in FUNCTION_WORDS or bare in FUNCTION_WORDS or w in VERB_OPENERS or w in lex.introducers or w in lex.pronoun_subjects \
                    or self._cue_form(doc.words[k], doc) or self._time_adverb(doc, k) or (w[:1] in "وف" and len(idx) == 1) \
                    or w in FRONTING_CONNECTIVES or len(w) < 3:
                return None
        return doc.words[idx[0]].start, doc.words[idx[-1]].end

    def _subject_mentions(self, doc: _Doc, s: int, e: int) -> list[tuple[int, int]]:
        """Known sources named in [s, e) that can be a speaker: not inside a claim already found
        (the content's "إيران" in "قال بوميدوحة إن إيران ...، مشيرا إلى") and not the object of a
        preposition ("في البحرين"، "ضد داعش")."""
        claims = [(r.start, r.end) for r in doc.regions.values() if (r.layer, r.label) == self.claim_label]
        out = []
        for m in self.sources.matcher.find(doc.text[s:e]):
            a, b = s + m.start, s + m.end
            if any(cs <= a and b <= ce for cs, ce in claims):
                continue
            prev = re.findall(r"\w+", normalize(doc.text[max(s, a - 12):a]))
            if (prev and prev[-1] == "ل" or (a > s and doc.text[a - 1] == "ل" and not doc.text[a - 2:a - 1].strip())) \
                    and (normalize(doc.text[b:b + 8]).split() or [""])[0] not in RELATIVE_PRONOUNS:
                continue  # "وأضاف لـ «عكاظ» أن ..."، "قالت لرويترز": the outlet spoken to, no speaker
            if a > s and doc.text[a - 1] in "بك" and doc.text[a - 2:a - 1] in (" ", "و", "\n") \
                    and normalize(doc.text[a:b]).startswith("ال"):
                continue  # "أشادت موغيريني بالسعودية": the object of ب (or a likeness with ك), no speaker
            first = normalize(doc.text[a:b]).split()
            if len(first) == 1 and first[0].startswith("ال") and first[0].endswith(("يه", "ي")) and prev \
                    and prev[-1].startswith("ال") and not CLAUSE_BREAK.search(doc.text[max(s, a - 3):a]) \
                    and prev[-1] not in self.lexicon.title_heads and prev[-1] not in self.lexicon.honorifics \
                    and prev[-1] not in RANK_WORDS:  # "المقدم الخييلي" is a name
                continue  # "القيادة السعودية": a nisba adjective after a definite noun, no speaker
            if prev and prev[-1] in {"وفي", "ففي"} and re.match(r"\s*[,،]", doc.text[b:b + 3]):
                continue  # "وفي طهران، رفض ...": a place set before the clause
            if prev and prev[-1] in SUBJECTLESS_BEFORE or oblique_plural(first[0]):
                continue  # "ضد داعش"; "الحوثيين" (an object)
            out.append((a, b))
        return out

    def _verb_subject(self, doc: _Doc, s: int, e: int, known: bool = True) -> tuple[int, int] | None:
        """A person named right after the verb opening a clause in [s, e) ("وأبدى مايكل زورك المدير
        الرياضي ..."، "وفي طهران، رفض محمد علي جعفري، قائد ..."، "عبر والد الشهيد الشيخ ناصر بشيري"): the
        name from its given name (past honorifics), cut as a source name is; else None. Only a given
        name marks a person here: an unknown word after a verb may be anything."""
        lex = self.lexicon
        idx = doc.words_in(s, e)
        for n, k in enumerate(idx[:8]):
            if n > 0 and not CLAUSE_BREAK.search(doc.gap(idx[n - 1], k)) \
                    and not (doc.words[idx[n - 1]].norm in VERB_OPENERS
                             and (n == 1 or CLAUSE_BREAK.search(doc.gap(idx[n - 2], idx[n - 1])))):
                continue  # a clause opens at a break, or after "كما" ("كما رحب الوزير الجبير بـ")
            if self._cue_form(doc.words[k], doc) or doc.words[k].norm in lex.introducers:
                return None
            j = n + 1
            while j < len(idx) and j <= n + 3 and (doc.words[idx[j]].norm in lex.honorifics
                                                   or doc.words[idx[j]].norm in KIN_WORDS
                                                   or (j > n + 1 and doc.words[idx[j]].norm == "الشهيد")):
                j += 1
            if j < len(idx) and doc.words[idx[j]].norm in VERB_PPS:
                # "واتفق مع الرأيين السابقين الاقتصادي عبدالله العمري": a short object before the subject
                jj = next((y for y in range(j + 1, min(len(idx), j + 6)) if doc.words[idx[y]].norm in lex.title_heads
                           or doc.words[idx[y]].norm in lex.given_names), None)
                if jj is not None and not any(CLAUSE_BREAK.search(doc.gap(idx[y - 1], idx[y])) or self._cue_form(doc.words[idx[y]], doc)
                                              for y in range(j + 1, jj + 1)):
                    j = jj
            if j < len(idx) and doc.words[idx[j]].norm in lex.title_heads and (titled := self._titled_subject(doc, idx, j, e)):
                return titled  # "وصف مدير النادي سالم X قرار ..."
            if j >= len(idx) or doc.words[idx[j]].norm not in lex.given_names or doc.text[doc.words[idx[j]].end - 1] == "ى":
                after = self._known_after_verb(doc, idx, n, e) if known else None
                if after:  # "واستنكر الطيبي ..."، "واعرب بان في بيانه": a known source right after the verb
                    return after
                continue
            name = [idx[j]]
            for x in idx[j + 1:j + 4]:
                w = doc.words[x]
                ali = self._ali_at(doc, w) and doc.words[name[-1]].norm in lex.given_names
                if CLAUSE_BREAK.search(doc.gap(name[-1], x)) or w.norm in lex.introducers or self._cue_form(w, doc) \
                        or w.norm in lex.title_heads or w.norm in NAME_ENDS or self._prepositional(doc, x, e) \
                        or (any((w.norm,) == st[:1] for st in lex.source_stops) and not ali):  # "محمد علي جعفري"
                    break
                name.append(x)
            name = self._trim_title(doc, name)
            if len(name) >= 2:
                return doc.words[name[0]].start, doc.words[name[-1]].end
        return None

    def _titled_subject(self, doc: _Doc, idx: list[int], j: int, e: int) -> tuple[int, int] | None:
        """A verb's subject that is a title with its holder's name ("وامتدح أمين عام النادي علي
        الشايعي النتائج"، "رحب الخبير في شؤون الخليج الدكتور X Y بالبيان"): the name from the first given
        name within eight words of the title, up to its first word with the article (a family name;
        "بن"/"آل" go on), at most four words; else None."""
        lex = self.lexicon
        for g in range(j + 1, min(len(idx), j + 9)):
            w = doc.words[idx[g]]
            if CLAUSE_BREAK.search(doc.gap(idx[g - 1], idx[g])) or w.norm in lex.introducers or self._cue_form(w, doc):
                return None
            if w.norm not in lex.given_names or doc.text[w.end - 1] == "ى":
                continue
            name = [idx[g]]
            for x in idx[g + 1:g + 4]:
                v = doc.words[x]
                last = doc.words[name[-1]].norm
                if CLAUSE_BREAK.search(doc.gap(name[-1], x)) or v.norm in lex.introducers or self._cue_form(v, doc) \
                        or v.norm in lex.title_heads or v.norm in NAME_ENDS or self._prepositional(doc, x, e) \
                        or self._stop_at(doc, x) or (last.startswith("ال") and len(name) > 1 and v.norm not in NAME_PARTICLES):
                    break
                name.append(x)
            return (doc.words[name[0]].start, doc.words[name[-1]].end) if len(name) >= 2 else None
        return None

    def _prepositional(self, doc: _Doc, k: int, limit: int) -> bool:
        """Whether word k opens a phrase with ب or ل ("بالتحالف"، "للقيادة"، "لرويترز") rather than
        going on with a name ("بشيري"، "بن", a given name)."""
        w = doc.words[k].norm
        if w[:1] not in "بل" or w in NAME_PARTICLES or w in self.lexicon.given_names:
            return False
        return w[1:3] == "ال" or w[:2] == "لل" or bool(self._outlet(doc, k, limit)) or len(w) <= 3 \
            or w[1:] in self.lexicon.outlet_heads or w[1:] in self.lexicon.quoted_name_heads

    def _known_after_verb(self, doc: _Doc, idx: list[int], n: int, e: int) -> tuple[int, int] | None:
        """A known source's alias (sources.yaml) opening right after the verb at idx[n], else None; the
        word at idx[n] must look like a verb: no particle ("وفي طهران") and no definite noun."""
        if n + 1 >= len(idx):
            return None
        opener = doc.words[idx[n]].norm
        bare = opener[1:] if opener[:1] in "وف" and len(opener) >= 3 else opener
        if bare in FUNCTION_WORDS or opener in FUNCTION_WORDS or bare.startswith("ال") or bare[:1] in "بل" \
                or opener in self.lexicon.given_names or bare in {"كان", "كانت", "كانوا"}:  # "وكانت X قد هاجمت"
            return None
        title = doc.words[idx[n + 1]].norm
        past_title = n + 2 < len(idx) and title in self.lexicon.title_heads and title.startswith("ال") \
            and not CLAUSE_BREAK.search(doc.gap(idx[n + 1], idx[n + 2]))
        for m in (n + 1, n + 2) if past_title else (n + 1,):  # "واستنكر الطيبي"; past a title: "رحب الوزير الجبير"
            start = doc.words[idx[m]].start
            ends = [start + x.end for x in self.sources.matcher.find(doc.text[start:e]) if x.start == 0]
            ends = [x for x in ends if any(doc.words[k].end == x for k in idx[m:m + 5])]
            if ends:
                return start, max(ends)
        return None

    def _titled_name(self, doc: _Doc, s: int, e: int) -> tuple[int, int] | None:
        """The first name after an honorific in [s, e) ("الدكتور خميس الغامدي"، "اللواء ركن جعفر محمد سعد"):
        up to three words, cut as a source name is; else None."""
        lex = self.lexicon
        idx = doc.words_in(s, e)
        for n, k in enumerate(idx):
            if doc.words[k].norm not in lex.honorifics or (n + 1 < len(idx) and doc.words[idx[n + 1]].norm in lex.honorifics):
                continue
            name = []
            for x in idx[n + 1:n + 4]:
                w = doc.words[x]
                if (name and CLAUSE_BREAK.search(doc.gap(name[-1], x))) or w.norm in lex.introducers \
                        or self._cue_form(w, doc) or any((w.norm,) == st[:1] for st in lex.source_stops) \
                        or w.norm in {"من", "في"} or w.norm in lex.title_heads or (name and self._prepositional(doc, x, e)):
                    break  # "رحب ... الدكتور X Y بالبيان"
                name.append(x)
            if len(name) >= 2:
                return doc.words[name[0]].start, doc.words[name[-1]].end
        return None

    def _named(self, doc: _Doc, words: list[int]) -> bool:
        """The phrase opens with a known source, a gazetteer entity, a title, an honorific or a given name,
        or a word with no article that was a cue's subject before ("وأكد غراند أن ... وطالب غراند الأطراف بـ")."""
        lex = self.lexicon
        first = doc.words[words[0]]
        return bool([m for m in self.sources.matcher.find(doc.text[first.start:doc.words[words[-1]].end]) if m.start == 0]
                    or any(r.layer == self.entity_layer and r.start == first.start for r in doc.regions.values())
                    or (len(words) == 1 and not first.norm.startswith("ال")
                        and any(doc.words[k].norm == first.norm and self._cue_form(doc.words[k - 1], doc)
                                for k in range(1, words[0])))
                    or first.norm in lex.title_heads or first.norm in lex.honorifics or first.norm in lex.given_names
                    or first.norm in lex.coreferent_mentions or first.norm in lex.anonymous_heads)

    def _known_subject(self, doc: _Doc, sent_s: int, cue_s: int, sources: list[Region]) -> tuple[int, int] | None:
        """A clause opening with a verb whose subject is a speaker named before, by his last name
        ("وأشاد أبوداود بالروح ... متمنيا أن", "...»، ووجه السقا الدعوة ... قائلا:"): the last such word's
        span, else None."""
        idx = doc.words_in(sent_s, cue_s)
        last_names = {words[-1] for r in sources if (words := normalize(r.text).split())}  # a mark-only span has none
        found = None
        for n, k in enumerate(idx[1:], 1):
            opener = idx[n - 1]
            if doc.words[k].norm not in last_names or len(doc.words[k].norm) < 3:
                continue
            if n - 1 == 0 or (doc.words[opener].norm.startswith("و") and CLAUSE_BREAK.search(doc.gap(idx[n - 2], opener))):
                found = (doc.words[k].start, doc.words[k].end)
        return found

    def _source_choices(self, doc: _Doc, span: tuple[int, int], window: tuple[int, int] | None) -> tuple[dict, float]:
        text = doc.text[span[0]:span[1]]
        norm = " ".join(normalize(text).split())
        bare = norm[1:] if norm[:1] in ("و", "ف") and norm[1:3] == "ال" else norm
        if bare in self.lexicon.coreferent_mentions:
            # "البيان", "الوزير", "المتحدث": the last named source before it (guidelines 4.4)
            source, sid = self.source_label, self.source_id_choice
            prev = [r for r in doc.regions.values() if (r.layer, r.label) == source
                    and r.start < span[0] and r.choices.get(sid) not in (None, "other", ANONYMOUS_ID)]
            if prev:
                last = max(prev, key=lambda r: r.start)
                title = _title_words(doc, last.start, last.start)
                # "المتحدث باسم الجيش ... واين موروتو" then "الجيش": the body, not the speaker
                if not any(w == bare and _speaks_for_at(title, k) for k, w in enumerate(title)):
                    return dict(last.choices), SCORES["source_antecedent"]
        linked = self.sources.link(text)
        if linked and norm.split()[0] in self.lexicon.anonymous_heads:
            linked = None  # "مصادر في المعارضة السورية"، "مسؤولون في الإدارة الأمريكية": unnamed people of a known body
        source_id = linked.id if linked and linked.id in self.source_ids else "other"
        source_type = linked.type if linked else ""
        if window is not None:
            between = " ".join(normalize(doc.text[window[0]:window[1]]).split())
            if any(p in between for p in self.lexicon.anonymity):
                source_type = "anonymous"  # the name is withheld
        words = norm.split()
        head = words[0] if words else ""
        if words and words[-1].startswith(WITHHELD) and set(words) & WITHHOLD_VERBS:
            source_type = "anonymous"  # "المسؤول الذي لم يشأ كشف هويته": the span withholds the name
        if not linked and head in self.lexicon.anonymous_heads:
            source_type = "anonymous"  # an unnamed مسئول / مصدر
        elif not linked and head.startswith("ال") and head[2:] in self.lexicon.anonymous_heads and any(
                r.start < span[0] and r.choices.get(self.source_id_choice) == ANONYMOUS_ID
                and normalize(r.text).split()[:1] == [head[2:]] for r in doc.regions.values()):
            source_type = "anonymous"  # "مسؤول أمني ... وأضاف المسؤول الأمني": the same unnamed official
        if not source_type:
            entity = next((r.label for r in doc.regions.values() if r.layer == self.entity_layer
                           and (r.start, r.end) == tuple(span)), None)
            source_type = self.lexicon.entity_source_types.get(entity or "", "")
        if not source_type:
            source_type = next((t for hint, t in self.lexicon.type_hints if hint in norm), "")
        if source_type == "anonymous" and ANONYMOUS_ID in self.source_ids:
            source_id = ANONYMOUS_ID  # guidelines 4.3: every anonymous source has this id
        choices = {self.source_id_choice: source_id} if self.source_id_choice else {}
        if source_type and self.source_type_choice:
            choices[self.source_type_choice] = source_type
        return choices, SCORES["source_linked"] if linked else SCORES["source_unlinked"]

    def _conjuncts(self, doc: _Doc, span: tuple[int, int]) -> list[tuple[int, int]]:
        """"X وY" where Y opens with a known source ("المرصد السوري لحقوق الانسان ووكالة الانباء السورية"):
        one span per source (guidelines 4.3); else [span]."""
        if alias_words(doc.text[span[0]:span[1]]) in self.sources.alias_to_id:
            return [span]  # a known source's whole name ("روسيا وتركيا وإيران") is one source
        # a span after "و" opens inside its word ("مصر" of "ومصر"): that word is the first conjunct's
        idx = doc.words_in(span[0] - 1 if span[0] > 0 and doc.text[span[0] - 1] == "و" else span[0], span[1])
        lex = self.lexicon
        for n, k in enumerate(idx[1:], 1):
            w = doc.words[k]
            if not w.norm.startswith("و") or len(w.norm) < 3:
                continue
            rest = doc.text[w.start + 1:span[1]]
            head = [m for m in self.sources.matcher.find(rest) if m.start == 0]
            if head and doc.words[idx[n - 1]].end > span[0]:
                return [(span[0], doc.words[idx[n - 1]].end)] + self._conjuncts(doc, (w.start + 1, span[1]))
            if w.norm[1:] in lex.anonymous_heads | ANONYMOUS_CONJUNCTS:
                # "الحكومة المالية ومصادر عسكرية"، "سكان وشهود"، "الشرطة وأحد السكان": two sources
                return [(span[0], doc.words[idx[n - 1]].end), (w.start + 1, span[1])]
            if (w.norm[1:] in lex.honorifics or w.norm[1:] in lex.given_names) and n >= 2 \
                    and any(doc.words[x].norm in lex.given_names for x in idx[:n]) and idx[n + 1:]:
                # "الدكتور عبدالله القباع والدكتور محمد السعيد"، "محمد علي وأحمد حسن": two persons
                first = (span[0], doc.words[idx[n - 1]].end)
                if w.norm[1:] in lex.honorifics:  # "والدكتور محمد السعيد": the name after the honorific
                    second = self._trim_title(doc, idx[n + 1:])
                    return [first, (doc.words[second[0]].start, doc.words[second[-1]].end)] if second else [span]
                return [first, (w.start + 1, span[1])]
            if (w.norm[1:] in lex.title_heads or w.norm[1:] in COUNTERPART_WORDS) and n >= 2:
                # "جون كيري ونظيره الروسي سيرغي لافروف": a second titled person, named after the title
                second = self._trim_title(doc, idx[n:]) if w.norm[1:] in lex.title_heads else []
                if not second or second[0] == k:
                    names = [x for x in idx[n + 1:] if doc.words[x].norm in lex.given_names]
                    second = idx[idx.index(names[0]):] if names else []
                if second and second[0] != k:
                    first = (span[0], doc.words[idx[n - 1]].end)
                    return [first, (doc.words[second[0]].start, doc.words[second[-1]].end)]
        return [span]

    def _bracketed_alias(self, doc: _Doc, span: tuple[int, int], claim: tuple[int, int]) -> list[tuple[int, int]]:
        """A known source's other name in brackets right after the source ("وزارة الدفاع الأمريكية
        (البنتاغون)"، "وكالة الأنباء السورية (سانا)"): a second mention of the same speaker, a SOURCE of
        the claim too (nisba-gold), when the brackets stand before the claim; else []."""
        m = BRACKETED.match(doc.text, span[1])
        if not m or (claim[0] < m.end() and m.start() < claim[1]):
            return []
        inner = (m.start(1), m.end(1))
        link = self.sources.link(doc.text[inner[0]:inner[1]])
        return [inner] if link is not None and link.id != ANONYMOUS_ID else []

    def _quote_closed(self, doc: _Doc, claim: tuple[int, int]) -> tuple[int, int]:
        """A claim opening right after a quotation mark (أن «القتال مستمر ...» ويستعد، بأنها «مروعة»
        واستنكرت) ends at its closing mark when the quotation holds three words or more; a quoted name
        inside the content (إن «داعش» يسيطر) leaves it whole."""
        s, e = claim
        k = s - 1
        while k >= 0 and doc.text[k] == " ":
            k -= 1
        if k < 0 or doc.text[k] not in QUOTE_CLOSERS or doc.text[k] in "»":
            return claim
        j = min((x for x in (doc.text.find(c, s, e) for c in QUOTE_CLOSERS[doc.text[k]]) if x > s), default=-1)
        if j < 0 or len(doc.words_in(s, j)) < 3:
            return claim
        return s, self._trim_end(doc, s, j)

    def _emit(self, doc: _Doc, st: dict) -> None:
        st = dict(st, claim=self._quote_closed(doc, st["claim"]))
        src_id = None
        extra = []
        if st["source"] is not None:
            parts = self._conjuncts(doc, st["source"]) + self._bracketed_alias(doc, st["source"], st["claim"])
            if len(parts) > 1:
                st = dict(st, source=parts[0])
                for part in parts[1:]:
                    choices, score = self._source_choices(doc, part, st["window"])
                    extra.append(doc.add(*self.source_label, *part, score, choices))
            choices, score = self._source_choices(doc, st["source"], st["window"])
            src_id = doc.add(*self.source_label, *st["source"], score, choices)
            if st.get("reporter"):
                doc.reporters.add(src_id)
            claim_score = SCORES["claim"]
        else:
            existing, span = self._antecedent(doc, st)
            if existing:
                src_id = existing
            elif span or st.get("pronoun"):
                span = span or st["pronoun"]
                choices, _ = self._source_choices(doc, span, None)
                src_id = doc.add(*self.source_label, *span, SCORES["source_antecedent"], choices)
            claim_score = SCORES["claim_dropped_subject"]
        stance = {self.stance_choice: st["claim_stance"]} if self.stance_choice else None
        claim_id = doc.add(*self.claim_label, *st["claim"], claim_score, stance)
        cue_id = doc.add(*self.cue_label, *st["cue_span"], SCORES["cue_verb"])
        doc.relate(cue_id, claim_id, self.cue_claim_rel)
        for other in extra:
            doc.relate(claim_id, other, self.claim_source_rel)
        if src_id:
            doc.relate(claim_id, src_id, self.claim_source_rel)
            if st["via"] and self.outlet_label:
                via_id = doc.add(*self.outlet_label, *st["via"], SCORES["outlet"])
                doc.relate(src_id, via_id, self.source_outlet_rel)
                if st.get("trailing_via"):
                    doc.uncarried.add(src_id)  # an outlet relaying one statement carries no later mention

    def _known_words_at(self, doc: _Doc, k: int, limit: int) -> list[int]:
        """The words of a known source (sources.yaml or a gazetteer entity) opening at word k, with the
        nisba adjectives after it ("الشرطة"، "وزارة الداخلية السعودية"), when a plain word follows
        them with no break; else []."""
        s = doc.words[k].start
        ends = [e for e in self._known_ends(doc, s, limit) if e <= limit]
        if not ends:
            return []
        words = [x for x in doc.words_in(s, max(ends))]
        x = words[-1] + 1 if words else k
        definite = doc.words[k].norm.startswith("ال")
        while x < len(doc.words) and doc.words[x].end <= limit and not CLAUSE_BREAK.search(doc.gap(x - 1, x)) \
                and doc.words[x].norm.startswith("ال") == definite and doc.words[x].norm.endswith(("ي", "يه")) \
                and len(doc.words[x].norm) >= 4:  # "مصدر عسكري مالي": an indefinite head's adjectives are indefinite
            words.append(x)
            x += 1
        if x >= len(doc.words) or doc.words[x].end > limit or CLAUSE_BREAK.search(doc.gap(x - 1, x)) \
                or doc.words[x].norm[:1] in "لبفو" or doc.words[x].norm in {"في", "من", "عن", "الذي", "التي"} \
                or doc.words[x].norm in self.lexicon.given_names or doc.words[x].norm in self.lexicon.honorifics:
            return []  # "بحسب المرصد، ..."، "وفقا للجيش في بيان"، "بحسب الحكومة ومصادر": the phrase reader decides
        return words

    def _connective_at(self, doc: _Doc, idx: list[int], n: int) -> tuple[int, int, str] | None:
        """(n, words, phrase) when an according-to connective (بحسب، وفقا لـ) starts at idx[n], else None."""
        for phrase in self.lexicon.according_to_source:
            parts = phrase.split()
            got = [doc.words[x].norm for x in idx[n:n + len(parts)]]
            if got and len(got) == len(parts) and all(connective_word(g, p, m == 0) for m, (g, p) in enumerate(zip(got, parts))):
                return n, len(parts), phrase
        w = doc.words[idx[n]]
        if w.norm == "حسب" and n + 1 < len(idx) and (n == 0 or re.search(r"[,،]", doc.gap(idx[n - 1], idx[n]))):
            # a bare "حسب" opening the sentence or after a comma ("...، حسب المرصد."); "فحسب" (only)
            # is another word, and "حسب القياس" inside a clause is no connective
            return n, 1, "حسب"
        return None

    def _connective_outlet(self, doc: _Doc, idx: list[int], conn: tuple[int, int, str], se: int) -> tuple[int, int] | None:
        """The outlet named by a trailing connective ("وفقا للالمانية" -> "لالمانية", "بحسب وكالة X" -> X)."""
        n0, plen, phrase = conn
        last = idx[n0 + plen - 1]
        if phrase.endswith("ل") and doc.words[last].norm != phrase.split()[-1]:
            return doc.words[last].start + 1, doc.words[last].end
        if last + 1 >= len(doc.words) or doc.words[last + 1].end > se:
            return None
        got = self._outlet(doc, last, se) if doc.words[last].norm.startswith("ل") else None
        if got:
            return got[0]
        words, _ = self._source_phrase(doc, last + 1, se, None)
        return (doc.words[words[0]].start, doc.words[words[-1]].end) if words else None

    def _leading_outlet(self, doc: _Doc, si: int, i: int) -> tuple[int, int] | None:
        """An outlet named by an according-to connective opening the sentence of cue word i, before a
        comma or فقد ("وبحسب "رويترز"، فقد ذكر نجيب أن"، "ووفقاً لما أوردته وكالة باسنيوز، أفاد ناشطون"):
        the outlet carried the statement (guidelines 5). A news agency, a name in marks or an outlet
        head's name; else None."""
        ss, se = doc.sentences[si]
        idx = doc.words_in(ss, se)
        if not idx or idx[0] >= i or not self._connective_at(doc, idx, 0):
            return None
        used = set(doc.used_connectives)
        got = self._connective_outlet_at(doc, idx[0], doc.words[i].start)
        doc.used_connectives = used
        if not got or got[0] is None or got[1] > i:
            return None
        span, nxt = got
        last = doc.word_before(span[1])
        if last is not None and doc.words[last].norm == "فقد" and doc.words[last].start > span[0]:
            span = span[0], doc.words[last - 1].end  # "ووفقا لوكالة أنباء الأناضول التركية فقد أوضحت"
        head = doc._index.get(span[0])
        if head is not None and doc.words[head].norm in self.lexicon.outlet_heads and doc.words[head].end == span[1] \
                and (named := self._quoted_words(doc, head, doc.words[i].start)):
            span = doc.words[named[0]].start, doc.words[named[-1]].end  # "وحسب موقع "سكاي نيوز عربية"؛ فقد"
        text = normalize(doc.text[span[0]:span[1]])
        quoted = QUOTE_ANY.search(doc.text[span[0] - 2:span[0]] + doc.text[span[1]:span[1] + 2])
        if not (quoted or text in self.outlet_names or text.split()[0] in self.lexicon.outlet_heads
                or text.split()[0][1:] in self.lexicon.outlet_heads):
            bracketed = re.search(r"\(\s*$", doc.text[span[0] - 2:span[0]]) and re.match(r"\s*\)", doc.text[span[1]:span[1] + 2])
            if not bracketed or " " in text:
                return None
        between = doc.text[span[1]:doc.words[i].start]
        if re.search(r"[,،؛]", between) or "فقد" in between.split():
            return span
        # "وبحسب (وام) أكد المصرف": a marked or known outlet right before the cue
        return span if doc.words[i - 1].end <= span[1] and not re.sub(r"[)»\"”\s]", "", between) else None

    def _trailing_outlet(self, doc: _Doc, s: int, e: int) -> tuple[int, tuple[int, int]] | None:
        """An according-to connective after a comma that closes a statement's content [s, e) and names an
        outlet ("...، بحسب الموقع الرسمي للرئاسة"، "...، وفقا للألمانية"، "...، حسبما ذكرت وكالة رويترز"):
        (the content's new end, the outlet's span); else None. The outlet is a known outlet, a name in
        marks or an outlet head's name, and at most two words follow it before the end."""
        idx = doc.words_in(s, e)
        for n in range(1, len(idx)):
            if not re.search(r"[,،؛]", doc.gap(idx[n - 1], idx[n])):
                continue
            used = set(doc.used_connectives)
            if doc.words[idx[n]].norm == "حسبما" and n + 2 < len(idx) and self._cue_form(doc.words[idx[n + 1]], doc):
                words, _ = self._source_phrase(doc, idx[n + 2], e, None)  # "...، حسبما ذكرت وكالة رويترز"
                got = ((doc.words[words[0]].start, doc.words[words[-1]].end), 0) if words else None
            elif self._connective_at(doc, idx, n):
                got = self._connective_outlet_at(doc, idx[n], e)
            else:
                continue
            if not got or got[0] is None:
                doc.used_connectives = used
                return None
            span = got[0]
            marked = MARKED_NAME.search(doc.text, span[0], e + 2)
            name = (marked.start(1), marked.end(1)) if marked and marked.start() <= span[1] + 2 else None
            if name:  # "، حسب موقع الإذاعة البريطانية "بي بي سي"": the name in marks closes the outlet
                span = (span[0], max(span[1], name[1]))
            text = normalize(doc.text[span[0]:span[1]])
            head = text.split()[0] if text.split() else ""
            heads = {head, head[1:], head[2:] if head.startswith("ال") else head, "ال" + head[2:] if head.startswith("لل") else head}
            quoted = QUOTE_ANY.search(doc.text[span[0] - 2:span[0]] + doc.text[span[1]:span[1] + 2])
            tail = [x for x in idx[n:] if doc.words[x].start >= span[1]]
            if len(tail) > 2 or not (quoted or text in self.outlet_names or heads & self.lexicon.outlet_heads):
                doc.used_connectives = used
                return None
            end = self._trim_end(doc, s, doc.words[idx[n]].start)
            return (end, name or span) if end > s else None  # the name in marks is the outlet's span (as annotated)
        return None

    def _report_owner_at(self, doc: _Doc, k: int) -> bool:
        """Whether word k, right after a report noun (أرقام، تصريحات، تأكيد), names the noun's owner: a known
        source, a definite noun (an indefinite noun's definite neighbour is its genitive: "تقرير الأمم
        المتحدة"، "تأكيد رئيسها"), or an unnamed official ("تصريحات مسؤولين"), not an adjective ("تقارير
        إيرانية")."""
        w = doc.words[k]
        if CLAUSE_BREAK.search(doc.gap(k - 1, k)):
            return False
        if self._known_at(doc, k):
            return True
        if doc.words[k - 1].norm in STATEMENT_REPORT_NOUNS:
            return False  # "بحسب بيانات السلطات": statements, the noun stays in the source
        construct = (k + 1 < len(doc.words) and doc.words[k + 1].norm.startswith("ال") and len(w.norm) >= 4
                     and not w.norm.endswith(("ي", "يه")) and w.norm not in FUNCTION_WORDS
                     and not CLAUSE_BREAK.search(doc.gap(k, k + 1)))  # "أرقام حكومة الإقليم": a noun and its genitive
        return ((w.norm.startswith("ال") and w.norm not in FUNCTION_WORDS)
                or w.norm in self.lexicon.anonymous_heads or w.norm in self.lexicon.title_heads
                or w.norm[:4] == "رييس" or construct)

    def _according_to_source(self, doc: _Doc) -> None:
        """"بحسب X" / "وفقا لـ X" at a sentence's end or start: the rest of the sentence is the claim."""
        claim = self.claim_label
        claimed = [(r.start, r.end) for r in doc.regions.values() if (r.layer, r.label) == claim]
        for si, (ss, se) in enumerate(doc.sentences):
            idx = doc.words_in(ss, se)
            conns = [None if k in doc.used_connectives else self._connective_at(doc, idx, n) for n, k in enumerate(idx)]
            found = [c for c in conns if c]
            outlet_conn = None
            if len(found) > 1 and found[0][0] == 0:
                # "وحسب البيان ، ... وفقا للالمانية": the opening connective names the source, a
                # trailing one the outlet that carried it (guidelines 5)
                outlet_conn = found[-1]
            for n, k in enumerate(idx):
                if outlet_conn and n != 0:
                    continue
                conn = conns[n]
                if not conn:
                    continue
                n0, plen, phrase = conn
                last = idx[n0 + plen - 1]
                first_src = last + 1
                if doc.words[last].norm in {"ما", "لما"} and first_src < len(doc.words):
                    verb = doc.words[first_src]
                    bare = next((verb.norm[:-len(x)] for x in ("ها", "ه") if verb.norm.endswith(x)), verb.norm)
                    if not (self._cue_form(verb, doc) or bare in self.lexicon.cue_forms):
                        continue
                    first_src += 1  # "وحسب ما ذكرت وسائل الإعلام"، "وفقا لما أعلنه الاتحاد": the verb is part of the connective
                elif phrase.endswith("ل") and doc.words[last].norm != phrase.split()[-1]:
                    first_src = last  # "لـX" written together: وفقا لرويترز
                    if doc.words[last].norm[1:] in REPORT_NOUNS | {"استطلاع"} and last + 1 < len(doc.words) \
                            and doc.words[last + 1].end <= se and self._report_owner_at(doc, last + 1):
                        first_src = last + 1  # "وفقا لإحصاءات رويترز": the owner of the numbers
                if first_src >= len(doc.words):
                    continue  # "... ضد العرب وحسب." ("and that is all"): the connective ends the text, no source after it
                cue = (doc.words[idx[n0]].start, doc.words[last].end if first_src > last else doc.words[last].start + 1)
                marked = (self._marked_name(doc, last, se) if first_src == last
                          and doc.words[last].norm[1:] in self.lexicon.quoted_name_heads else [])
                if marked:  # "ووفقا لموقع "جلوبال فاير باور"، فإن": the name in marks
                    src_words, src = marked, (doc.words[marked[0]].start, doc.words[marked[-1]].end)
                elif first_src == last:
                    src_words, src = [last], (doc.words[last].start + 1, doc.words[last].end)
                    if last + 1 < len(doc.words) and doc.words[last + 1].end <= se \
                            and not CLAUSE_BREAK.search(doc.gap(last, last + 1)):
                        # "وفقا لمجلس الشحن العالمي": the name runs on after the word with لـ
                        rest = self._source_phrase(doc, last + 1, se, None)[0]
                        if rest and rest[0] == last + 1:
                            src_words = [last] + rest
                            src = (doc.words[last].start + 1, doc.words[rest[-1]].end)
                            if (named := self._name_after_prefixed_title(doc, last, rest[-1] + 1, se)):
                                # "ووفقا للناطق باسم مجلس ... علي الأحمدي فإن": the title's holder
                                src_words, src = named, (doc.words[named[0]].start, doc.words[named[-1]].end)
                        elif rest:  # "وفقا لرئيس الوزراء فلان": the title left out
                            src_words = rest
                            src = (doc.words[rest[0]].start, doc.words[rest[-1]].end)
                    if doc.words[last].norm[1:] in self.lexicon.statement_nouns and len(src_words) > 1 \
                            and doc.words[src_words[1]].norm.startswith("ال"):
                        src_words = src_words[1:]  # "ووفقا لبيان الجيش فإن": the statement's author
                        src = (doc.words[src_words[0]].start, doc.words[src_words[-1]].end)
                else:
                    if first_src + 1 < len(doc.words) and doc.words[first_src].norm in REPORT_NOUNS \
                            and doc.words[first_src + 1].end <= se and self._report_owner_at(doc, first_src + 1):
                        # "حسب أرقام الأمم المتحدة"، "بحسب تصريحات مسؤولين أتراك": the owner of the numbers
                        # or words is the source; "بحسب تقارير إيرانية" keeps its noun
                        first_src += 1
                    src_words, _ = self._source_phrase(doc, first_src, se, None)
                    if (known := self._known_words_at(doc, first_src, se)):
                        src_words = known  # "وبحسب الشرطة وجدت السيدة ...": a known source, then the content
                    elif doc.words[first_src - 1].norm == "ل" and (marked := self._marked_name(doc, first_src - 1, se)):
                        src_words = marked  # "ووفقا لـ "سي إن إن" زار مراسلون": the name in marks, then the content
                    if not src_words:
                        continue
                    src_words = self._head_name(doc, src_words, se)
                    if doc.words[src_words[0]].norm in self.lexicon.statement_nouns and len(src_words) > 1 \
                            and not doc.words[src_words[1]].norm.startswith("ل"):
                        src_words = src_words[:1]  # "وبحسب البيان ستتوقف ...": the statement alone
                    src = (doc.words[src_words[0]].start, doc.words[src_words[-1]].end)
                    # "بحسب بيان لرئاسة الجمهورية"، "وفق بيان صادر عن الوزارة": the statement's author
                    src = self._statement_noun_source(doc, src_words, se) or src
                head = doc.text[src[0]:src[1]].split()[0] if src[1] > src[0] else ""
                head = normalize(head[1:] if head.startswith("ل") and not head.startswith("ال") else head)
                bare = head[2:] if head.startswith("ال") else head
                if bare in self.lexicon.according_to_norms or next(
                        (bare[:-len(x)] for x in ("هما", "هم", "ها", "ه") if bare.endswith(x)), "") in self.lexicon.according_to_norms:
                    continue  # "وفقا للدستور": in accordance with a rule, nobody speaks
                tail = src_words[-1]
                claim_end, via = se, None
                if outlet_conn:
                    claim_end = doc.words[idx[outlet_conn[0]]].start
                    via = self._connective_outlet(doc, idx, outlet_conn, se)
                opens_clause = doc.words[idx[n0]].norm == "و" + phrase.split()[0] and n0 > 0 and re.search(r"[,،]", doc.gap(idx[n0 - 1], idx[n0])) \
                    and doc.words[tail].end < claim_end and not re.search(r"[,،]", doc.text[doc.words[tail].end:claim_end])
                if self._trim_end(doc, ss, doc.words[idx[n0]].start) > ss and not opens_clause:
                    claim = (ss, self._trim_end(doc, ss, doc.words[idx[n0]].start))
                else:
                    cs = doc.words[tail].end
                    while cs < se and (doc.text[cs].isspace() or CLAUSE_BREAK.match(doc.text[cs])):
                        cs += 1
                    lead = next((w for w in doc.words if w.start == cs), None)
                    if lead and tail + 1 < len(doc.words) and re.search(r"[,،]", doc.gap(tail, tail + 1)):
                        # "وبحسب سلمى مفضل، زوجة الجنيد، فقد وصلت": past an apposition between commas to فقد/فإن
                        k2 = next((x for x in range(tail + 2, min(len(doc.words), tail + 8))
                                   if re.search(r"[,،]", doc.gap(x - 1, x))), None)
                        if k2 is not None and doc.words[k2].norm in CONTENT_OPENERS and doc.words[k2].end < claim_end:
                            lead = doc.words[k2]
                            cs = lead.start
                    opened = bool(lead and (lead.norm in CONTENT_OPENERS or lead.norm in {"ان", "انه", "انها"}) and lead.end < claim_end)
                    if opened:
                        cs = lead.end  # "وبحسب مصادر أمنية، فإن المهاجمين فروا": فإن opens the content
                        while cs < se and (doc.text[cs].isspace() or QUOTE_OPEN.match(doc.text[cs])):
                            cs += 1
                    claim = (cs, self._trim_end(doc, cs, claim_end))
                    later = min((a for a, b in claimed if claim[0] < a < claim[1]), default=None)
                    if opened and later is not None and not any(a <= claim[0] < b for a, b in claimed):
                        # "وبحسب أقارب الضحية فإن ...، وحوّلت ... الطبيب الشرعي الذي أكد ... أن ...": the
                        # content ends at the last comma before a later statement's claim
                        cut = max((m.start() for m in re.finditer(r"[,،؛]", doc.text[claim[0]:later])), default=None)
                        cues = [r.start for r in doc.regions.values() if (r.layer, r.label) == self.cue_label]
                        if cut is not None and not any(claim[0] <= c < claim[0] + cut for c in cues) and not any(
                                self._cue_form(doc.words[x], doc) for x in doc.words_in(claim[0], claim[0] + cut)):
                            claim = (claim[0], self._trim_end(doc, claim[0], claim[0] + cut))
                if claim[1] <= claim[0] or any(a < claim[1] and claim[0] < b for a, b in claimed):
                    continue
                if via is None and tail + 1 < len(doc.words):
                    # "بحسب ما ذكر مصدر امني في مدينة ... لوكالة فرانس برس": the source's outlet
                    via = self._outlet_near(doc, tail + 1, claim[0] if claim[0] > doc.words[tail].end else se)
                st = {"cue_span": cue, "claim": claim, "source": src, "window": None, "via": via, "claim_stance": "asserted",
                      "reporter": True}
                self._emit(doc, st)
                claimed.append(claim)
                break
