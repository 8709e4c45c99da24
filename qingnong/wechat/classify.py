"""Suggest the 内容类别 and 栏目 of an article or message from its title (issue 14).

jieba splits the title into words. A multinomial naive Bayes trained on the labelled set we
ship (data/labelled.tsv) gives each label a probability. It is a suggestion only: a person
confirms every article.

Naive Bayes is written here (about 30 lines) rather than taken from scikit-learn, which
would add numpy and scipy (about 100 MB) to a county office's machine for one small model.
Its accuracy on a held-out part of the set is measured by bench/classify.py.
"""
import functools
import math
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import jieba

LABELLED = Path(__file__).with_name("data") / "labelled.tsv"
jieba.setLogLevel(60)  # its dictionary-loading chatter


def labelled_rows():
    """[(title, category, theme)] of the shipped set (theme "" when none of the six fits)."""
    rows = []
    for line in LABELLED.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            title, category, theme = (line.split("\t") + ["", ""])[:3]
            rows.append((title.strip(), category.strip(), theme.strip()))
    return rows


def split(rows, every=5):
    """(training, held out): every `every`-th row held out, the same on every run."""
    return [r for i, r in enumerate(rows) if i % every], [r for i, r in enumerate(rows) if not i % every]


def tokens(text):
    """The title's words, and its characters (a word the dictionary lacks still counts)."""
    words = [w for w in jieba.lcut(text) if w.strip() and not unicodedata.category(w[0]).startswith("P")]
    return words + [f"字:{ch}" for ch in text if unicodedata.category(ch).startswith("L")]


class NaiveBayes:
    """Multinomial naive Bayes with add-one smoothing."""

    def __init__(self, examples):
        self.priors = Counter(label for _, label in examples)
        self.counts = defaultdict(Counter)
        for words, label in examples:
            self.counts[label].update(words)
        self.vocabulary = {w for c in self.counts.values() for w in c}
        self.totals = {label: sum(c.values()) for label, c in self.counts.items()}

    def probabilities(self, words):
        """[(label, probability)], the likeliest first."""
        n, size = sum(self.priors.values()), len(self.vocabulary) + 1
        scores = {label: math.log(prior / n) + sum(math.log((self.counts[label][w] + 1) / (self.totals[label] + size))
                                                   for w in words if w in self.vocabulary)
                  for label, prior in self.priors.items()}
        top = max(scores.values())
        weights = {label: math.exp(s - top) for label, s in scores.items()}
        total = sum(weights.values())
        return sorted(((label, w / total) for label, w in weights.items()), key=lambda x: -x[1])


def train(rows):
    examples = [(tokens(title), category, theme) for title, category, theme in rows]
    return NaiveBayes([(w, c) for w, c, _ in examples]), NaiveBayes([(w, t) for w, _, t in examples])


@functools.cache
def _models():
    return train(labelled_rows())


@dataclass(frozen=True)
class Suggestion:
    category: str
    category_confidence: float
    theme: str  # "" when none of the six 栏目 fits
    theme_confidence: float


def suggest(title):
    categories, themes = _models()
    words = tokens(title)
    (category, cp), (theme, tp) = categories.probabilities(words)[0], themes.probabilities(words)[0]
    return Suggestion(category, cp, theme, tp)
