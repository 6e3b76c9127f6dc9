"""Speed of scope classification with many rules.

    python support_policy/benchmarks/scope_speed.py [--rounds 20]
    python support_policy/benchmarks/scope_speed.py --smoke     # seconds, figures ignored (CI)

Builds rule sets of 50, 500 and 5000 rules (the shipped rules plus generated ones with realistic
phrases; about one in twenty generated rules also has a regular expression), compiles each once and
prints the mean time of one ``classify`` call over the dev-set texts. Goal: <= 1 ms per request with
500 rules, and no linear growth with the number of rules.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from pathlib import Path

# This checkout first on the path, before the bench's copy of the app.
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from support_policy.benchmarks.shared import ROOT, shared_file
from support_policy.scope import Rule, classify, compile_rules, load_default_rules
from support_policy.scope.categories import CATEGORIES

DEV = shared_file("data", "scope_dev.jsonl")

VERBS = (
	"importar revisar configurar corregir agregar quitar cambiar crear eliminar cancelar timbrar imprimir "
	"exportar sincronizar conciliar validar autorizar aprobar recalcular cerrar abrir enviar descargar "
	"capturar registrar ajustar asignar bloquear desbloquear migrar actualizar restaurar respaldar"
).split()
OBJECTS = (
	"facturas pedidos cotizaciones clientes proveedores articulos existencias almacenes polizas asientos "
	"pagos cobros notas de credito remisiones ordenes de compra ordenes de produccion listas de precios "
	"centros de costo cuentas contables empleados nominas vacaciones proyectos tareas hojas de tiempo "
	"activos fijos depreciaciones lotes numeros de serie tipos de cambio impuestos retenciones usuarios "
	"roles permisos reportes tableros formatos campos flujos series de nombres plantillas correos"
).split(" ")
QUALIFIERS = (
	"del mes",
	"de la sucursal",
	"en dolares",
	"del sistema anterior",
	"con error",
	"por lote",
	"de contado",
	"a credito",
	"del almacen general",
	"de la semana",
	"pendientes",
	"canceladas",
	"duplicadas",
	"en excel",
)
REGEXES = (
	r"\bfolio\s*[a-z]?\d{3,}\b",
	r"\b(?:sinv|pinv|so|po)-\d{4,}\b",
	r"\berror\s+(?:4\d\d)\b",
	r"\brfc\s+[a-z&]{3,4}\d{6}\w{3}\b",
	r"\b(?:v|version)\s?1[0-7]\.\d+\b",
	r"\bcfdi\s+(?:4\.0|3\.3)\b",
)


def generated_rules(count: int, seed: int = 7) -> list[Rule]:
	rng = random.Random(seed)
	objects = [o.strip() for o in " ".join(OBJECTS).split("  ")]
	phrases = [f"{v} {o}" for v, o in itertools.product(VERBS, objects)]
	phrases += [f"{v} {o} {q}" for v, o, q in itertools.product(VERBS[:10], objects[:15], QUALIFIERS)]
	rng.shuffle(phrases)
	codes = [c for c in CATEGORIES if c.code != "other"]
	rules = []
	for i in range(count):
		category = codes[i % len(codes)]
		chosen = tuple(phrases[(i * 6 + k) % len(phrases)] for k in range(rng.randint(3, 8)))
		regex = REGEXES[i % len(REGEXES)] if i % 20 == 0 else None
		rules.append(
			Rule(
				name=f"GEN-{i:05d}",
				title=f"Generated {i}",
				verdict=category.scope,
				category=category.code,
				phrases=chosen,
				regex=regex,
				order=rng.choice((60, 100, 100, 150, 200)),
			)
		)
	return rules


def rule_set(total: int) -> list[Rule]:
	defaults = load_default_rules()
	if total <= len(defaults):
		return defaults[:total]
	return defaults + generated_rules(total - len(defaults))


def texts() -> list[tuple[str, str]]:
	with DEV.open(encoding="utf-8") as handle:
		items = [json.loads(line) for line in handle if line.strip()]
	return [(item["subject"], item["description"]) for item in items]


def measure(total: int, requests: list[tuple[str, str]], rounds: int) -> dict:
	rules = rule_set(total)
	started = time.perf_counter()
	matcher = compile_rules(rules, version=f"speed-{total}")
	compile_ms = (time.perf_counter() - started) * 1000
	for subject, description in requests:  # warm-up (stemmer caches)
		classify(subject, description, rules=matcher)
	per_round = []
	for _ in range(rounds):
		started = time.perf_counter()
		for subject, description in requests:
			classify(subject, description, rules=matcher)
		per_round.append((time.perf_counter() - started) * 1000 / len(requests))
	return {
		"rules": len(matcher.rules),
		"phrases": matcher.phrase_count,
		"regexes": matcher.regex_count,
		"compile_ms": compile_ms,
		"mean_ms": statistics.mean(per_round),
		"best_ms": min(per_round),
	}


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--rounds", type=int, default=20)
	parser.add_argument("--sizes", default="50,500,5000")
	parser.add_argument("--smoke", action="store_true", help="a few seconds, figures ignored (CI)")
	args = parser.parse_args(argv)
	requests = texts()
	if args.smoke:
		args.rounds, args.sizes, requests = 1, "50,500", requests[:50]
	print(f"{len(requests)} dev-set requests, {args.rounds} rounds each")
	print(
		f"{'rules':>6} {'phrases':>8} {'regexes':>8} {'compile ms':>11} {'mean ms/request':>16} {'best':>7}"
	)
	results = {}
	for size in (int(s) for s in args.sizes.split(",")):
		r = measure(size, requests, args.rounds)
		results[size] = r
		print(
			f"{r['rules']:6d} {r['phrases']:8d} {r['regexes']:8d} {r['compile_ms']:11.1f} "
			f"{r['mean_ms']:16.3f} {r['best_ms']:7.3f}"
		)
	if args.smoke:
		print("smoke run: it ran; the figures mean nothing (one round, 50 texts)")
		return 0
	if 500 in results:
		verdict = "OK" if results[500]["mean_ms"] <= 1.0 else "TOO SLOW"
		print(f"goal <= 1 ms per request with 500 rules: {verdict}")
	if 50 in results and 500 in results:
		ratio = results[500]["mean_ms"] / results[50]["mean_ms"]
		print(f"500 rules / 50 rules time ratio: {ratio:.2f} (10.0 would be linear)")
	return 0


if __name__ == "__main__":
	sys.exit(main())
