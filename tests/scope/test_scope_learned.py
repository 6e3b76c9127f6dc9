"""The learned scope model and its place in ``classify``: it decides only what the rules leave
undecided."""

from pathlib import Path

from support_policy.scope.learned import NaiveBayes, features, load_jsonl

HERE = Path(__file__).resolve().parent

ITEMS = [
	{
		"subject": "Capacitación",
		"description": "¿Nos dan un curso para aprender a usar compras?",
		"category": "training",
	},
	{
		"subject": "Clases",
		"description": "Queremos una sesión para enseñar al equipo",
		"category": "training",
	},
	{
		"subject": "Sitio caído",
		"description": "No abre el sistema, sale error 502",
		"category": "connectivity",
	},
	{"subject": "No carga", "description": "El sitio está caído desde la mañana", "category": "connectivity"},
]


def test_features_use_engine_stems_and_bigrams():
	feats = features("Sitio caído", "error 502")
	assert any(" " in f for f in feats)  # bigrams
	assert feats.count(feats[0]) >= 2  # subject counted twice


def test_predicts_category_with_probability_and_words():
	model = NaiveBayes.train(ITEMS)
	prediction = model.predict("curso", "Necesitamos capacitación para el equipo")
	assert prediction.category == "training"
	assert 0.5 < prediction.probability <= 1.0
	assert prediction.top_words
	assert model.predict("", "") is None
	assert model.predict("zzz", "qqq") is None  # no known word


def test_set_8_is_balanced_and_labelled():
	items = load_jsonl(HERE / "heldout_requests_8.jsonl")
	assert len(items) == 80
	counts = {}
	for item in items:
		counts[item["category"]] = counts.get(item["category"], 0) + 1
	assert set(counts.values()) == {5} and len(counts) == 16


def test_fallback_decides_only_what_the_rules_left_undecided():
	from support_policy.scope import classify
	from support_policy.scope.engine import Classification
	from support_policy.scope.learned import decide_undecided

	decided = classify("Migración", "Necesitamos importar todos los clientes desde CONTPAQi")
	assert (
		decide_undecided(decided, "Migración", "Necesitamos importar todos los clientes desde CONTPAQi")
		is decided
	)

	undecided = Classification(verdict="needs_review", category=None)
	subject, description = (
		"Clientes del sistema viejo",
		"queremos pasar los clientes y productos del excel del sistema anterior",
	)
	result = decide_undecided(undecided, subject, description)
	assert (result.verdict, result.category) == ("out_of_scope", "data_import")
	assert result.rules == ()
	assert result.evidence and all(e.startswith("modelo: ") for e in result.evidence)
	assert result.message


def test_fallback_keeps_needs_review_when_the_model_is_not_confident():
	from support_policy.scope.engine import Classification
	from support_policy.scope.learned import decide_undecided

	undecided = Classification(verdict="needs_review", category=None)
	assert decide_undecided(undecided, "hola", "buenas tardes", threshold=0.999) is undecided
	assert decide_undecided(undecided, "", "") is undecided


def test_a_vague_request_stays_with_the_agents():
	"""One known word can make Naive Bayes 96 % sure; too little said is not decided by the model."""
	from support_policy.scope.engine import Classification
	from support_policy.scope.learned import decide_undecided

	undecided = Classification(verdict="needs_review", category=None)
	assert decide_undecided(undecided, "Isla Norte: impresora", "Isla Norte: impresora") is undecided


def test_classify_lets_the_model_decide_only_with_the_shipped_rules_or_when_asked():
	"""The shipped classifier includes the model; rules passed in (the app's Scope Rule records) get it
	only when the caller says so, and ``learned=False`` gives the rules' own answer."""
	from support_policy.scope import NEEDS_REVIEW, classify
	from support_policy.scope.rules import load_default_rules

	subject = "Aprovechar los 10 usuarios"
	description = (
		"Con el plan de 10 usuarios queremos sacarle el máximo: ayúdennos a decidir qué puede hacer cada "
		"uno por módulo, quién cancela facturas y quién solo consulta."
	)
	rules_only = classify(subject, description, learned=False)
	assert rules_only.verdict == NEEDS_REVIEW
	shipped = classify(subject, description)
	assert (shipped.verdict, shipped.category) == ("out_of_scope", "workflow")
	assert all(e.startswith("modelo: ") for e in shipped.evidence)
	own_rules = load_default_rules()
	assert classify(subject, description, rules=own_rules).verdict == NEEDS_REVIEW
	assert classify(subject, description, rules=own_rules, learned=True).verdict == "out_of_scope"
