"""Quality of the shipped scope classifier on the labelled dev set.

    python support_policy/benchmarks/scope_eval.py                 # whole dev set (rules + learned fallback)
    python support_policy/benchmarks/scope_eval.py --rules-only    # the rules alone (classify(..., learned=False))
    python support_policy/benchmarks/scope_eval.py --half A        # ids with an odd number (d001, d003, ...)
    python support_policy/benchmarks/scope_eval.py --half B        # ids with an even number
    python support_policy/benchmarks/scope_eval.py --data other.jsonl

Prints per-category precision/recall, the binary out-of-scope precision and recall (a request is
predicted "out" only when the verdict is out_of_scope; needs_review counts as not out), the number of
needs_review verdicts and the list of errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

# This checkout first on the path, before the bench's copy of the app.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from support_policy.benchmarks.shared import ROOT, shared_file
from support_policy.scope import OUT_OF_SCOPE, classify
from support_policy.scope.categories import CATEGORIES

DEFAULT_DATA = shared_file("data", "scope_dev.jsonl")


def load(path: Path) -> list[dict]:
	with path.open(encoding="utf-8") as handle:
		return [json.loads(line) for line in handle if line.strip()]


def half_of(item: dict) -> str:
	digits = "".join(c for c in item["id"] if c.isdigit())
	return "A" if int(digits or 0) % 2 else "B"


def evaluate(items: list[dict], rules=None, learned: bool | None = None) -> dict:
	"""Metrics for labelled items (each with subject, description, scope, category)."""
	rows = []
	for item in items:
		result = classify(item.get("subject"), item.get("description"), rules=rules, learned=learned)
		rows.append((item, result))
	tp = sum(1 for item, r in rows if r.verdict == OUT_OF_SCOPE and item["scope"] == "out")
	fp = sum(1 for item, r in rows if r.verdict == OUT_OF_SCOPE and item["scope"] != "out")
	fn = sum(1 for item, r in rows if r.verdict != OUT_OF_SCOPE and item["scope"] == "out")
	per_category = {}
	for category in CATEGORIES:
		code = category.code
		labelled = sum(1 for item, _r in rows if item["category"] == code)
		predicted = sum(1 for _item, r in rows if r.category == code and r.verdict != "needs_review")
		correct = sum(
			1
			for item, r in rows
			if r.category == code and item["category"] == code and r.verdict != "needs_review"
		)
		if labelled or predicted:
			per_category[code] = {
				"labelled": labelled,
				"predicted": predicted,
				"precision": correct / predicted if predicted else None,
				"recall": correct / labelled if labelled else None,
			}
	errors = []
	for item, r in rows:
		wrong_scope = (r.verdict == OUT_OF_SCOPE) != (item["scope"] == "out")
		if wrong_scope or r.category != item["category"] or r.verdict == "needs_review":
			errors.append((item, r, wrong_scope))
	return {
		"n": len(rows),
		"out_precision": tp / (tp + fp) if tp + fp else 1.0,
		"out_recall": tp / (tp + fn) if tp + fn else 1.0,
		"tp": tp,
		"fp": fp,
		"fn": fn,
		"needs_review": sum(1 for _item, r in rows if r.verdict == "needs_review"),
		"verdicts": Counter(r.verdict for _item, r in rows),
		"category_accuracy": sum(
			1 for item, r in rows if r.category == item["category"] and r.verdict != "needs_review"
		)
		/ max(1, len(rows)),
		"per_category": per_category,
		"errors": errors,
	}


def _fmt(value) -> str:
	return "  -  " if value is None else f"{value:5.2f}"


def report(title: str, metrics: dict, show_errors: bool = True) -> None:
	print(f"== {title}: {metrics['n']} requests")
	print(f"{'category':18} {'n':>3} {'pred':>4} {'prec':>5} {'rec':>5}")
	for code, m in metrics["per_category"].items():
		print(f"{code:18} {m['labelled']:3d} {m['predicted']:4d} {_fmt(m['precision'])} {_fmt(m['recall'])}")
	print(
		f"out-of-scope precision {metrics['out_precision']:.3f}  recall {metrics['out_recall']:.3f}  "
		f"(tp {metrics['tp']}, fp {metrics['fp']}, fn {metrics['fn']})"
	)
	print(f"category accuracy {metrics['category_accuracy']:.3f}")
	print(f"needs_review {metrics['needs_review']}   verdicts {dict(metrics['verdicts'])}")
	if show_errors and metrics["errors"]:
		print("-- errors (label -> prediction); * = wrong scope")
		for item, r, wrong_scope in metrics["errors"]:
			mark = "*" if wrong_scope else " "
			print(
				f"{mark} {item['id']} {item['category']:>16} -> {r.verdict}/{r.category}  "
				f"rules={list(r.rules[:3])} evidence={list(r.evidence[:4])}"
			)
			print(f"      {item['subject']} | {item['description'][:150]}")
	print()


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
	parser.add_argument("--half", choices=["A", "B", "all", "both"], default="both")
	parser.add_argument("--quiet", action="store_true", help="no error list")
	parser.add_argument("--rules-only", action="store_true", help="without the learned fallback")
	args = parser.parse_args(argv)
	items = load(args.data)
	learned = False if args.rules_only else None
	what = "rules only" if args.rules_only else "rules + learned fallback"
	if args.half in ("all", "both"):
		report(f"{args.data.name}, {what}", evaluate(items, learned=learned), not args.quiet)
	if args.half in ("A", "both"):
		half = [i for i in items if half_of(i) == "A"]
		report(f"half A (odd ids), {what}", evaluate(half, learned=learned), args.half == "A")
	if args.half in ("B", "both"):
		half = [i for i in items if half_of(i) == "B"]
		report(f"half B (even ids), {what}", evaluate(half, learned=learned), args.half == "B")
	return 0


if __name__ == "__main__":
	sys.exit(main())
