"""The automatic first grouping of open answers into themes.

1. **Topic themes.** Every question with a report topic (``Question.topic``) is a theme,
   and so is every bank-level ``themes:`` entry.  A theme's keywords are the bank's own
   (``keywords:``, weight 2); a topic the bank gives none takes the words of its topic that
   no other topic shares (weight 1: "拨付" in 奖补资金拨付及时性, but not "资金", which half
   the topics contain).  The designer's list, once written, is the whole list.
2. **Matching.** A keyword matches when it occurs in the answer (substring, so "慢" finds
   "太慢了").  An answer's score for a theme is the sum of the weights of the keywords it
   contains; it joins every theme scoring at least half its best score, so "简化申报流程，
   缩短拨付时间" lands in both 申报流程 and 资金拨付.
3. **Follow-ups.** A reason given after a dissatisfied answer ("为什么不满意") that matches
   no keyword belongs to its parent question's topic.
4. **Clusters.** What is left is segmented with jieba and grouped greedily by the content
   word most answers share (at least ``MIN_CLUSTER`` answers, at most ``MAX_CLUSTERS``
   clusters), each cluster named by its top words; the rest goes to 其他.

Everything is deterministic: the same answers give the same themes and ids.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from ...texts_zh import opinions as zh
from ..questionnaire import Questionnaire
from . import segment
from .text import is_non_answer, normalise

BANK_WEIGHT, TOPIC_WEIGHT = 2, 1
MAX_CLUSTERS = 6
MIN_CLUSTER = 2
OTHER = "other"


@dataclass(frozen=True)
class OpenAnswer:
    """One opinion: a normalised text and how many answers gave it, per question id."""

    key: str
    text: str
    counts: tuple[tuple[str, int], ...]

    @property
    def count(self) -> int:
        return sum(n for _, n in self.counts)


@dataclass(frozen=True)
class Answers:
    """The open answers of a survey: opinions (most frequent first), and what was left apart."""

    items: tuple[OpenAnswer, ...]
    #: Answers that say nothing ("无", "满意" …): counted, never listed.
    non_answers: int = 0

    @property
    def total(self) -> int:
        return sum(a.count for a in self.items) + self.non_answers


@dataclass(frozen=True)
class Seed:
    """A theme known before any answer is read: a topic or a bank theme, with weighted keywords."""

    id: str
    name: str
    keywords: dict[str, int] = field(hash=False)


@dataclass
class Grouping:
    """Themes (id → name, in order of creation) and each opinion's themes (key → ids)."""

    names: dict[str, str]
    assigned: dict[str, tuple[str, ...]]


def collect(rows: Iterable[tuple[str, str | None, int]]) -> Answers:
    """Merge ``(question id, text, answers)`` rows into opinions; set non-answers apart."""
    shown: dict[str, str] = {}
    counts: dict[str, Counter] = {}
    non_answers = 0
    for qid, text, n in rows:
        if text is None or is_non_answer(text):
            non_answers += n if text and text.strip() else 0
            continue
        key = normalise(text)
        shown.setdefault(key, text.strip())
        counts.setdefault(key, Counter())[qid] += n
    items = [OpenAnswer(k, shown[k], tuple(sorted(c.items()))) for k, c in counts.items()]
    items.sort(key=lambda a: (-a.count, a.key))
    return Answers(tuple(items), non_answers)


def seeds(questionnaire: Questionnaire) -> tuple[list[Seed], dict[str, str]]:
    """The topic themes of ``questionnaire`` and, per follow-up question id, its parent's theme id."""
    by_topic: dict[str, tuple[str, set[str]]] = {}
    for q in questionnaire.questions:
        if q.topic and q.show_if is None:
            sid, words = by_topic.setdefault(q.topic, (f"q:{q.id}", set()))
            words.update(q.keywords)
    # Segmenting the topics (and so loading jieba) is needed only when some topic has no keywords.
    bare = any(not words for _, words in by_topic.values())
    topic_words = {t: set(segment.content_words(t, segment.GENERIC_TOPIC_WORDS)) if bare else set()
                   for t in by_topic}
    shared = Counter(w for ws in topic_words.values() for w in ws)
    result = []
    for topic, (sid, bank_words) in by_topic.items():
        keywords = {w: BANK_WEIGHT for w in bank_words if w}
        if not keywords:
            keywords = {w: TOPIC_WEIGHT for w in topic_words[topic] if shared[w] == 1}
        result.append(Seed(sid, topic, keywords))
    for theme in questionnaire.themes:
        result.append(Seed(f"t:{theme.name}", theme.name, {w: BANK_WEIGHT for w in theme.keywords if w}))
    topic_of = {q.id: by_topic[q.topic][0] for q in questionnaire.questions if q.topic and q.show_if is None}
    fallback = {q.id: topic_of[q.show_if.question] for q in questionnaire.questions
                if q.show_if is not None and q.show_if.question in topic_of}
    return result, fallback


def group(answers: Answers, seed_list: list[Seed], fallback: dict[str, str]) -> Grouping:
    """Assign every opinion to its themes (see the module's docstring for the rules)."""
    names = {s.id: s.name for s in seed_list}
    by_word: dict[str, list[tuple[str, int]]] = {}
    for s in seed_list:
        for word, weight in s.keywords.items():
            by_word.setdefault(word, []).append((s.id, weight))
    words = sorted(by_word, key=lambda w: (-len(w), w))
    assigned: dict[str, tuple[str, ...]] = {}
    left: list[OpenAnswer] = []
    for item in answers.items:
        scores: Counter = Counter()
        for word in words:
            if word in item.key:
                for sid, weight in by_word[word]:
                    scores[sid] += weight
        if scores:
            best = max(scores.values())
            assigned[item.key] = tuple(sid for sid in names if scores.get(sid, 0) * 2 >= best)
            continue
        parent = next((fallback[q] for q, _ in sorted(item.counts, key=lambda c: -c[1]) if q in fallback), None)
        if parent:
            assigned[item.key] = (parent,)
        else:
            left.append(item)
    used = {sid for ids in assigned.values() for sid in ids}
    names = {sid: name for sid, name in names.items() if sid in used}
    clusters(left, names, assigned)
    return Grouping(names, assigned)


def clusters(items: list[OpenAnswer], names: dict[str, str], assigned: dict[str, tuple[str, ...]]) -> None:
    """Group ``items`` by their most shared content word; name each group by its top two words."""
    words = {a.key: segment.content_words(a.key) for a in items}
    rest = list(items)
    for _ in range(MAX_CLUSTERS):
        df: Counter = Counter()
        for a in rest:
            for w in words[a.key]:
                df[w] += a.count
        top = df.most_common()
        if not top or top[0][1] < MIN_CLUSTER:
            break
        word = min((w for w, n in top if n == top[0][1]), key=lambda w: (-len(w), w))
        members = [a for a in rest if word in words[a.key]]
        inner: Counter = Counter()
        for a in members:
            inner.update({w: a.count for w in words[a.key] if w != word})
        second = [w for w, n in inner.most_common(1) if n * 2 >= sum(a.count for a in members)]
        cid = f"c:{word}"
        names[cid] = "、".join([word, *second])
        for a in members:
            assigned[a.key] = (cid,)
        rest = [a for a in rest if word not in words[a.key]]
    if rest:
        names[OTHER] = zh.OTHER_THEME
        for a in rest:
            assigned[a.key] = (OTHER,)
