"""A tiny learned fallback for the scope rules: multinomial Naive Bayes over request words.

Framework-free and pure standard library (it ships inside the Frappe app). Features are the stems
the rule engine itself uses (:func:`.text.tokenize` on :func:`.text.prepare`d text): every non-empty
stem, plus bigrams of consecutive non-empty stems; subject features count twice. Training uses
Laplace (add-``alpha``) smoothing and a uniform class prior (every category is equally likely a
priori, whatever the mix of the training file).

    model = NaiveBayes.train(items)          # items: dicts with subject, description, category
    prediction = model.predict(subject, description)
    prediction.category, prediction.probability, prediction.top_words

The probability is the normalised posterior of the best category. Naive Bayes posteriors are
over-confident; the threshold is chosen by leave-one-set-out cross-validation
(``benchmarks/scope_blind.py``).

:func:`decide_undecided` is the fallback :func:`.engine.classify` applies (with the shipped rules,
or when asked to, as the app does): only a request the rules leave as "needs_review" is decided by
the model, and only when it is confident. The rules stay in charge of
everything they decide. The model is trained on ``training_requests.jsonl`` (requests the team wrote
and labelled; not the provider's data set).
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, replace
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

from .categories import by_code, default_message
from .reply import own_words
from .text import prepare, tokenize

TRAINING_FILE = Path(__file__).with_name("training_requests.jsonl")
# Chosen by leave-one-set-out cross-validation: the smallest threshold whose model-alone
# out-of-scope precision on unseen sets stays >= 0.95 (benchmarks/scope_blind.py).
FALLBACK_THRESHOLD = 0.5
# Naive Bayes is over-confident on short texts: one known word ("impresora") can give 0.96. A request
# too vague for the rules stays with the agents unless it says enough for the model to weigh.
MIN_EVIDENCE_STEMS = 5
SUBJECT_REPEAT = 2
DEFAULT_ALPHA = 0.5
TOP_WORDS = 4


def _stems(text: str | None) -> list[tuple[str, str]]:
	"""(stem, folded word) of the non-stop-word tokens of a text."""
	return [(token.stem, token.word) for token in tokenize(prepare(text)) if token.stem and not token.soft]


def features(subject: str | None, description: str | None) -> list[str]:
	"""Unigram and bigram stem features of a request (subject features repeated)."""
	out: list[str] = []
	# As the rules read it: this message's own words, without quoted replies and signatures.
	description = own_words(description)
	for text, repeat in ((subject, SUBJECT_REPEAT), (description, 1)):
		stems = [s for s, _w in _stems(text)]
		grams = stems + [f"{a} {b}" for a, b in pairwise(stems)]
		out.extend(grams * repeat)
	return out


@dataclass(frozen=True)
class Prediction:
	category: str
	probability: float
	top_words: tuple[str, ...] = ()
	ranking: tuple[tuple[str, float], ...] = ()


class NaiveBayes:
	"""Multinomial Naive Bayes with add-alpha smoothing and a uniform prior."""

	def __init__(self, log_likelihood: dict[str, dict[str, float]], unseen: dict[str, float]):
		self.log_likelihood = log_likelihood
		self.unseen = unseen
		self.classes = tuple(sorted(log_likelihood))
		# Per known feature, its log-likelihood in every class (in ``classes`` order): a prediction
		# adds a few dozen such rows instead of looking each feature up once per class.
		vocabulary = set().union(*(table.keys() for table in log_likelihood.values()))
		self._rows = {
			feature: tuple(log_likelihood[c].get(feature, unseen[c]) for c in self.classes)
			for feature in vocabulary
		}

	@classmethod
	def train(cls, items: Iterable[dict], alpha: float = DEFAULT_ALPHA) -> NaiveBayes:
		counts: dict[str, Counter] = {}
		for item in items:
			counts.setdefault(item["category"], Counter()).update(
				features(item.get("subject"), item.get("description"))
			)
		vocabulary = set()
		for counter in counts.values():
			vocabulary.update(counter)
		size = len(vocabulary) + 1
		log_likelihood: dict[str, dict[str, float]] = {}
		unseen: dict[str, float] = {}
		for code, counter in counts.items():
			total = sum(counter.values()) + alpha * size
			log_likelihood[code] = {f: math.log((n + alpha) / total) for f, n in counter.items()}
			unseen[code] = math.log(alpha / total)
		return cls(log_likelihood, unseen)

	def knows(self, feature: str) -> bool:
		return feature in self._rows

	def predict(self, subject: str | None, description: str | None) -> Prediction | None:
		"""The most likely category, with the request's words that weighed most for it."""
		rows = self._rows
		known = [rows[f] for f in features(subject, description) if f in rows]
		if not known or not self.classes:
			return None
		scores = [sum(column) for column in zip(*known, strict=True)]
		peak = max(scores)
		exp = [math.exp(score - peak) for score in scores]
		total = sum(exp)
		ranking = sorted(
			((code, e / total) for code, e in zip(self.classes, exp, strict=True)), key=lambda pair: -pair[1]
		)
		best, probability = ranking[0]
		runner = ranking[1][0] if len(ranking) > 1 else None
		return Prediction(
			category=best,
			probability=probability,
			top_words=self._top_words(subject, description, best, runner),
			ranking=tuple(ranking[:3]),
		)

	def _top_words(self, subject, description, best, runner) -> tuple[str, ...]:
		"""The request's words that most favour the predicted category over the runner-up."""
		gain: dict[str, float] = {}
		for text in (subject, own_words(description)):  # evidence only from this message's words
			for stem_, word in _stems(text):
				if stem_ not in self.log_likelihood[best]:
					continue
				other = self.log_likelihood[runner].get(stem_, self.unseen[runner]) if runner else 0.0
				value = self.log_likelihood[best][stem_] - other
				if value > 0 and value > gain.get(word, 0.0):
					gain[word] = value
		return tuple(w for w, _v in sorted(gain.items(), key=lambda pair: -pair[1])[:TOP_WORDS])


def load_jsonl(path: Path | str) -> list[dict]:
	with Path(path).open(encoding="utf-8") as handle:
		return [json.loads(line) for line in handle if line.strip()]


@lru_cache(maxsize=1)
def default_model() -> NaiveBayes:
	"""The model trained on the shipped training file (built once per process, ~0.1 s)."""
	return NaiveBayes.train(load_jsonl(TRAINING_FILE))


def decide_undecided(
	result,
	subject: str | None,
	description: str | None,
	model: NaiveBayes | None = None,
	threshold: float = FALLBACK_THRESHOLD,
):
	"""Decide a Classification the rules left as "needs_review" when the model is confident and the
	request has at least ``MIN_EVIDENCE_STEMS`` words it knows. Returns ``result`` unchanged
	otherwise: the rules stay in charge of everything they decide.

	(Letting a sure model also overrule the rules' "in scope" was tried: on blind sets it caught a few
	more excluded requests, but on the provider's dev set it flagged requests for the official
	documentation or a restore as excluded work. Naive Bayes is over-confident, so its probability
	does not tell those apart.)

	A decided result names no rule; its evidence is the words that weighed most, prefixed "modelo:",
	so a person can see why.
	"""
	if result.verdict != "needs_review":
		return result
	model = model or default_model()
	known = {f for f in features(subject, description) if " " not in f and model.knows(f)}
	if len(known) < MIN_EVIDENCE_STEMS:
		return result
	prediction = model.predict(subject, description)
	if prediction is None or prediction.probability < threshold or prediction.category == "other":
		return result
	category = by_code(prediction.category)
	return replace(
		result,
		verdict="out_of_scope" if category.excluded else "in_scope",
		category=category.code,
		rules=(),
		evidence=tuple(f"modelo: {word}" for word in prediction.top_words),
		message=default_message(category.code),
	)
