"""Every shipped rule fires on a phrasing of its own (not taken from the dev set), and the decisive
ones classify that phrasing on their own category with the full rule set."""

import json

import pytest

from support_policy.scope import (
	IN_SCOPE,
	OUT_OF_SCOPE,
	by_label,
	classify,
	compile_rules,
	load_default_records,
	load_default_rules,
	validate_rule,
)
from support_policy.scope.rules import DEFAULT_RULES_PATH

# rule name -> (subject, description, category expected from the full rule set or None for hints)
FRESH = {
	"SR-CONNECTIVITY-01": (
		"Urge",
		"Se cayó el sitio otra vez, nadie puede entrar desde las 8.",
		"connectivity",
	),
	"SR-CONNECTIVITY-02": (
		"Lentitud",
		"Abrir una factura se tarda muchísimo, como dos minutos.",
		"connectivity",
	),
	"SR-CONNECTIVITY-03": (
		"Aviso del navegador",
		"Dice que el certificado SSL de nuestro dominio caducó.",
		"connectivity",
	),
	"SR-CONNECTIVITY-04": ("Error raro", "Sale HTTP 504 al abrir cualquier cosa.", "connectivity"),
	"SR-CONNECTIVITY-05": ("Problema", "Está intermitente la conexión al servidor.", None),
	"SR-BACKUP-01": ("Duda", "¿Cuántos días conservan los respaldos de la base?", "backup"),
	"SR-BACKUP-02": ("Respaldos", "Una pregunta sobre el backup.", None),
	"SR-RESTORE-01": ("Por favor", "Necesitamos volver al respaldo de anoche, la base quedó mal.", "restore"),
	"SR-RESTORE-02": ("Ayuda", "Eliminamos por error todas las cotizaciones de mayo.", "restore"),
	"SR-RESTORE-03": ("Pregunta", "¿Se puede recuperar algo?", None),
	"SR-GUIDANCE-01": ("Manual", "¿Me pasan el enlace a la documentación oficial de compras?", "guidance"),
	"SR-GUIDANCE-02": ("Tutorial", "¿Tienen algún tutorial?", None),
	"SR-GUIDANCE-03": ("Duda", "¿Cómo se crea una lista de precios?", None),
	"SR-GUIDANCE-05": ("Nómina", "¿Dónde está la documentación de nómina? Con el link me basta.", "guidance"),
	"SR-GUIDANCE-04": ("Lo hago yo", "Prefiero hacerlo yo mismo.", None),
	"SR-FAQ-01": ("Clave", "Olvidé mi contraseña, ¿cómo la reseteo?", "faq"),
	"SR-FAQ-02": ("Usuario", "¿Cómo desactivo al usuario de un vendedor que se fue?", "faq"),
	"SR-FAQ-03": ("Acceso", "No me llega el correo de acceso ni la contraseña.", None),
	"SR-ACCOUNT-01": ("Pago", "¿Cuál es su cuenta bancaria para pagar la anualidad?", "account"),
	"SR-ACCOUNT-02": ("Suscripción", "¿Cuándo vence nuestra suscripción?", "account"),
	"SR-ACCOUNT-03": ("Datos", "Cambió nuestra razón social.", None),
	"SR-ACCOUNT-04": ("Usuarios", "¿El plan nos deja tener más de 12 usuarios?", "account"),
	"SR-UPDATE-01": ("Versión", "¿Nos pueden pasar a la versión más reciente de ERPNext?", "update"),
	"SR-UPDATE-02": ("Pregunta", "Una duda sobre la actualización.", None),
	"SR-ONSITE-01": ("Visita", "¿Hacen soporte presencial? Somos de Querétaro.", "onsite"),
	"SR-ONSITE-03": ("Apoyo", "¿Alguien podría venir a la planta de Apodaca el jueves?", "onsite"),
	"SR-ONSITE-04": ("Help", "Can you send someone to our warehouse next week?", "onsite"),
	"SR-ONSITE-05": ("Visita", "¿Pueden darse una vuelta por nuestra bodega el viernes?", "onsite"),
	"SR-ONSITE-02": ("Equipo", "Hay que conectar los relojes checadores.", None),
	"SR-DATA-IMPORT-01": (
		"Datos",
		"¿Nos ayudan a migrar la información de clientes y artículos?",
		"data_import",
	),
	"SR-DATA-IMPORT-02": ("Sistema viejo", "Todo lo tenemos en Aspel SAE, ¿lo pasan?", "data_import"),
	"SR-DATA-IMPORT-05": ("Carga", "¿Nos ayudan a cargar 2,500 productos con sus precios?", "data_import"),
	"SR-DATA-IMPORT-03": ("Archivo", "Les mando un CSV.", None),
	"SR-DATA-IMPORT-04": ("Carga", "¿Pueden subir la lista de productos al sistema?", None),
	"SR-CONSULTING-01": (
		"Consejo",
		"¿Qué nos recomiendan para llevar los anticipos según nuestro giro?",
		"consulting",
	),
	"SR-CONSULTING-02": ("Idea", "Queremos una recomendación.", None),
	"SR-MISCONFIG-01": (
		"Error",
		"Configuré mal los impuestos y ahora todo sale en cero.",
		"misconfiguration",
	),
	"SR-MISCONFIG-05": ("Error", "Por error le cambié la moneda a la empresa.", "misconfiguration"),
	"SR-MISCONFIG-06": ("Oops", "I accidentally disabled the sales module for everyone.", "misconfiguration"),
	"SR-MISCONFIG-07": (
		"Se rompió",
		"Desactivé la numeración automática y ahora nadie puede guardar pedidos.",
		"misconfiguration",
	),
	"SR-MISCONFIG-08": (
		"Broken",
		"We changed the default warehouse and now every delivery fails.",
		"misconfiguration",
	),
	"SR-MISCONFIG-02": ("Ajuste", "Revisé los valores predeterminados.", None),
	"SR-MISCONFIG-03": ("Cambio", "Ayer moví un ajuste.", None),
	"SR-MISCONFIG-04": ("Raro", "Y ahora no sale nada.", None),
	"SR-TRAINING-01": ("Curso", "¿Tienen capacitación para el área de cobranza?", "training"),
	"SR-TRAINING-02": ("Duda", "No entiendo bien el módulo.", None),
	"SR-DESIGN-01": ("Campo", "Queremos un campo personalizado en clientes para el giro.", "design"),
	"SR-DESIGN-02": ("Formato", "¿Nos hacen un formato de impresión para la remisión?", "design"),
	"SR-DESIGN-03": (
		"Medida",
		"Hay que personalizar la pantalla de pedidos a nuestra forma de trabajar.",
		"design",
	),
	"SR-DESIGN-05": ("Remisión", "Queremos que la remisión muestre el peso de cada bulto.", "design"),
	"SR-DESIGN-04": ("Colores", "Los colores no nos gustan.", None),
	"SR-NATIVE-BUG-01": (
		"Falla",
		"Después de la actualización ya no se pueden cancelar pagos.",
		"native_bug",
	),
	"SR-NATIVE-BUG-02": ("Bug", "Es un bug de ERPNext, también pasa en el demo.", "native_bug"),
	"SR-NATIVE-BUG-03": ("Algo", "Dejó de funcionar el botón.", None),
	"SR-WORKFLOW-01": (
		"Aprobaciones",
		"Necesitamos un flujo de aprobación para las compras grandes.",
		"workflow",
	),
	"SR-WORKFLOW-02": ("Permisos", "Los cajeros solo deben ver sus propias ventas.", "workflow"),
	"SR-WORKFLOW-04": ("Costos", "¿Cómo hacemos para que los cajeros no vean los costos?", "workflow"),
	"SR-WORKFLOW-03": ("Roles", "Hablemos de roles.", None),
	"SR-THIRD-PARTY-01": ("App", "El módulo lo hizo otro proveedor y ahora falla.", "third_party"),
	"SR-THIRD-PARTY-02": ("Tienda", "El conector con Mercado Libre ya no sincroniza.", "third_party"),
	"SR-THIRD-PARTY-04": (
		"Script",
		"El script que nos dejó el consultor ya no calcula comisiones.",
		"third_party",
	),
	"SR-THIRD-PARTY-05": ("Duda", "Lo revisó un freelancer.", None),
	"SR-THIRD-PARTY-06": (
		"Error",
		"El desarrollador que contratamos cambió la pantalla de pedidos y falla.",
		"third_party",
	),
	"SR-THIRD-PARTY-03": ("Integración", "Pregunta sobre integraciones.", None),
	"SR-DATA-CHANGE-01": ("Corrección", "¿Me pueden corregir ustedes el folio de esa nota?", "data_change"),
}

RULES = {rule.name: rule for rule in load_default_rules()}


def test_every_shipped_rule_has_a_fresh_phrasing():
	assert set(FRESH) == set(RULES)


def test_shipped_rules_are_valid_and_cover_every_kind():
	for rule in RULES.values():
		validate_rule(rule)
	covered = {rule.category for rule in RULES.values()}
	expected = {
		"connectivity", "backup", "restore", "guidance", "faq", "account", "update", "onsite", "data_import",
		"consulting", "misconfiguration", "training", "design", "native_bug", "workflow", "third_party",
		"data_change",
	}  # fmt: skip
	assert expected <= covered


def test_default_rules_file_has_the_record_shape():
	records = json.loads(DEFAULT_RULES_PATH.read_text(encoding="utf-8"))
	assert records == load_default_records()
	keys = {"name", "title", "verdict", "category", "phrases", "regex", "order", "enabled", "plan", "message"}
	names = set()
	for record in records:
		assert set(record) == keys
		assert record["verdict"] in ("In scope", "Out of scope")
		category = by_label(record["category"])
		assert record["verdict"] == ("Out of scope" if category.excluded else "In scope")
		assert isinstance(record["phrases"], str) and isinstance(record["regex"], str)
		assert isinstance(record["order"], int) and record["enabled"] in (0, 1) and record["plan"] == ""
		assert record["name"] not in names
		names.add(record["name"])
		if category.excluded:
			# The out-of-scope message names the policy clause and says what support can still do.
			assert "«" in record["message"] and "»" in record["message"]
			assert any(word in record["message"] for word in ("Podemos", "Te ", "te "))


@pytest.mark.parametrize("name", sorted(FRESH))
def test_rule_fires_on_a_fresh_phrasing(name):
	subject, description, _expected = FRESH[name]
	result = classify(subject, description, rules=compile_rules([RULES[name]]))
	assert name in result.rules, result


@pytest.mark.parametrize("name", sorted(n for n, v in FRESH.items() if v[2]))
def test_decisive_rule_decides_with_the_full_rule_set(name):
	subject, description, expected = FRESH[name]
	result = classify(subject, description)
	assert result.category == expected, result
	category_rule = RULES[name]
	assert result.verdict == (OUT_OF_SCOPE if category_rule.verdict == "out" else IN_SCOPE), result
