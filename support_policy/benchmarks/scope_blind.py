"""Blind evaluation of the learned fallback (``support_policy.scope.learned``) next to the rules.

    python support_policy/benchmarks/scope_blind.py [--blind FILE]    # default tests/scope/heldout_requests_8.jsonl

The rules are scored alone (``classify(..., learned=False)``); the shipped classifier is rules plus the
fallback, as in (b) below. A FILE outside tests/scope is a set nobody has tuned on yet.

1. Leave-one-set-out cross-validation over the tuning data (dev set and the other held-out sets): for each
   set, a Naive Bayes model is trained on the other sets and scored on it. For every threshold T it
   prints (a) the model alone: out-of-scope precision/recall of the predictions with probability >= T;
   (b) the combination: rules decide when they say in/out; on needs_review or no match, the model's
   category is used when its probability >= T. The rules were tuned on these sets, so (b) is
   optimistic for the rules; (a) is the honest signal for how far the model can be trusted.
   T is chosen as the smallest threshold whose pooled out-of-fold model-alone out-of-scope precision
   (a) is at least ``TARGET_PRECISION``. (b) cannot choose T: the tuned rules leave only a handful of
   needs_review cases on these sets.
2. Blind set (never trained on, never used to choose T): rules only vs the combination at the chosen
   T, trained on all of the tuning data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

# This checkout first on the path, before the bench's copy of the app.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from support_policy.benchmarks.shared import ROOT, shared_file
from support_policy.scope import NEEDS_REVIEW, OUT_OF_SCOPE, classify
from support_policy.scope.categories import is_excluded
from support_policy.scope.learned import NaiveBayes, load_jsonl

DEV = shared_file("data", "scope_dev.jsonl")
ALL_SETS = sorted((ROOT / "tests" / "scope").glob("heldout_requests*.jsonl"))
BLIND = ROOT / "tests" / "scope" / "heldout_requests_8.jsonl"
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.999, 0.9999)
TARGET_PRECISION = 0.95


def groups(blind: Path) -> dict[str, list[dict]]:
	"""The tuning data: the dev set and every held-out set but the blind one."""
	out = {"dev": load_jsonl(DEV)}
	for path in ALL_SETS:
		if path.resolve() != blind.resolve():
			out[path.stem] = load_jsonl(path)
	return out


def metrics(rows: list[tuple[str, str]]) -> dict:
	"""rows: (label scope "in"/"out", predicted verdict)."""
	tp = sum(1 for label, v in rows if v == OUT_OF_SCOPE and label == "out")
	fp = sum(1 for label, v in rows if v == OUT_OF_SCOPE and label != "out")
	fn = sum(1 for label, v in rows if v != OUT_OF_SCOPE and label == "out")
	return {
		"precision": tp / (tp + fp) if tp + fp else 1.0,
		"recall": tp / (tp + fn) if tp + fn else 1.0,
		"tp": tp,
		"fp": fp,
		"fn": fn,
		"review": sum(1 for _l, v in rows if v == NEEDS_REVIEW),
		"n": len(rows),
	}


def verdict_of(code: str) -> str:
	return OUT_OF_SCOPE if is_excluded(code) else "in_scope"


def combine(rule_verdict: str, prediction, threshold: float) -> str:
	if rule_verdict != NEEDS_REVIEW:
		return rule_verdict
	if prediction is not None and prediction.probability >= threshold:
		return verdict_of(prediction.category)
	return NEEDS_REVIEW


def model_alone(prediction, threshold: float) -> str:
	if prediction is not None and prediction.probability >= threshold:
		return verdict_of(prediction.category)
	return NEEDS_REVIEW


def fmt(m: dict) -> str:
	return (
		f"P {m['precision']:.3f}  R {m['recall']:.3f}  (tp {m['tp']:3d} fp {m['fp']:2d} fn {m['fn']:3d})"
		f"  review {m['review']:3d}/{m['n']}"
	)


def cross_validate(data: dict[str, list[dict]]):
	"""[(item, rule verdict, out-of-fold prediction)] over all tuning sets."""
	rows = []
	for name, items in data.items():
		model = NaiveBayes.train([it for other, its in data.items() if other != name for it in its])
		for item in items:
			rule = classify(item["subject"], item["description"], learned=False).verdict
			rows.append((item, rule, model.predict(item["subject"], item["description"])))
	return rows


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("--blind", type=Path, default=BLIND)
	args = parser.parse_args()
	data = groups(args.blind)
	rows = cross_validate(data)
	rules_cv = metrics([(it["scope"], r) for it, r, _p in rows])
	accuracy = sum(1 for it, _r, p in rows if p and p.category == it["category"]) / len(rows)
	fallback = [(it, p) for it, r, p in rows if r == NEEDS_REVIEW]
	print(
		f"== leave-one-set-out CV over dev + the other held-out sets ({len(rows)} requests, {len(data)} folds)"
	)
	print(f"model category accuracy (out of fold) {accuracy:.3f}")
	print(f"rules only (tuned on these sets)        {fmt(rules_cv)}")
	print(f"rules needs_review cases: {len(fallback)}")
	chosen = None
	for t in THRESHOLDS:
		alone = metrics([(it["scope"], model_alone(p, t)) for it, _r, p in rows])
		comb = metrics([(it["scope"], combine(r, p, t)) for it, r, p in rows])
		fb_right = sum(1 for it, p in fallback if p and p.probability >= t and p.category == it["category"])
		fb_used = sum(1 for _it, p in fallback if p and p.probability >= t)
		print(f"T={t:<7} model alone {fmt(alone)}")
		print(f"          combined    {fmt(comb)}   fallback used {fb_used}, right category {fb_right}")
		if chosen is None and alone["precision"] >= TARGET_PRECISION:
			chosen = t
	if chosen is None:
		chosen = THRESHOLDS[-1]
	print(f"chosen threshold T = {chosen}")

	blind = load_jsonl(args.blind)
	model = NaiveBayes.train([it for items in data.values() for it in items])
	rule_rows, comb_rows, alone_rows = [], [], []
	print(f"\n== blind set {args.blind.name} ({len(blind)} requests, never trained on)")
	for item in blind:
		result = classify(item["subject"], item["description"], learned=False)
		prediction = model.predict(item["subject"], item["description"])
		rule_rows.append((item["scope"], result.verdict))
		comb_rows.append((item["scope"], combine(result.verdict, prediction, chosen)))
		alone_rows.append((item["scope"], model_alone(prediction, chosen)))
		if result.verdict == NEEDS_REVIEW:
			got = f"{prediction.category} p={prediction.probability:.4f}" if prediction else "none"
			print(f"  fallback {item['id']} label {item['category']:<17} model {got}  {item['subject']}")
	print(f"rules only      {fmt(metrics(rule_rows))}")
	print(f"combined T={chosen:<7} {fmt(metrics(comb_rows))}")
	print(f"model alone T={chosen:<4} {fmt(metrics(alone_rows))}")
	print("(for transparency, the combination at every threshold; T was not chosen here)")
	for t in THRESHOLDS:
		rows = []
		for item in blind:
			result = classify(item["subject"], item["description"], learned=False)
			rows.append(
				(
					item["scope"],
					combine(result.verdict, model.predict(item["subject"], item["description"]), t),
				)
			)
		print(f"  T={t:<7} combined {fmt(metrics(rows))}")


if __name__ == "__main__":
	main()
