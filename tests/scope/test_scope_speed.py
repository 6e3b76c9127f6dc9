"""Classification cost does not grow with the number of rules (generous bounds for slow CI machines;
support_policy/benchmarks/scope_speed.py measures the real figures)."""

import importlib.util
import time
from pathlib import Path

from support_policy.scope import classify, compile_rules

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location(
	"scope_speed", ROOT / "support_policy" / "benchmarks" / "scope_speed.py"
)
scope_speed = importlib.util.module_from_spec(spec)
spec.loader.exec_module(scope_speed)

REQUESTS = [
	("Se cayó el sistema", "Desde la mañana el ERP marca error 502 y nadie puede entrar."),
	("Migración", "¿Pueden importar los clientes y artículos que tenemos en CONTPAQi y en Excel?"),
	("Formato", "Queremos un formato de impresión de factura con nuestro logo y colores."),
	("Respaldo", "¿A qué hora corre el respaldo diario? Necesito una copia de la base de datos."),
	("Aprobaciones", "Las compras arriba de 50 mil deben pasar por el director antes de enviarse."),
] * 20


def mean_ms(matcher) -> float:
	for subject, description in REQUESTS[:5]:
		classify(subject, description, rules=matcher)
	started = time.perf_counter()
	for subject, description in REQUESTS:
		classify(subject, description, rules=matcher)
	return (time.perf_counter() - started) * 1000 / len(REQUESTS)


def test_500_rules_classify_fast_and_not_linearly():
	small = compile_rules(scope_speed.rule_set(50))
	large = compile_rules(scope_speed.rule_set(500))
	assert len(large.rules) == 500 and large.regex_count > 5
	small_ms = min(mean_ms(small) for _ in range(3))
	large_ms = min(mean_ms(large) for _ in range(3))
	assert large_ms < 5.0, large_ms  # the goal is 1 ms; this bound leaves room for slow machines
	assert large_ms < 4 * small_ms + 0.2, (small_ms, large_ms)  # 10x the rules, far from 10x the time
