"""The kinds of support request the provider's policy names: the single place that defines them.

Each category has a stable code (used by rules and the engine), the English label that the Frappe
Select fields store, its scope ("in" or "out"), the clause of the policy it comes from (Spanish,
verbatim from "Política de Soporte — Hosting de ERPNEXT", PDF line breaks joined) and, for excluded
work, what support can still do.

``data_change`` is the policy's "no podemos hacer cambios en tus datos o flujos de trabajo, pero
podremos guiarte" clause. It sits in the *included* part of the policy: support answers the request,
but by guiding the customer, not by doing the change for them. So its scope is "in", it is not
excluded (no Success Pack is offered) and it is marked ``guided_only``.

``other`` is what a customer picks when nothing fits. Its scope is "in" only so that picking it never
decides "out" by itself; the engine treats a selected "other" as no selection at all.
"""

from __future__ import annotations

from dataclasses import dataclass

IN = "in"
OUT = "out"
# What the Scope Rule's "Verdict" and the Support Request's "Scope Verdict" Selects store.
SCOPE_LABELS = {IN: "In scope", OUT: "Out of scope"}


@dataclass(frozen=True)
class Category:
	code: str
	label: str
	scope: str  # "in" or "out"
	clause: str  # the policy's words (Spanish)
	can_do: str = ""  # for excluded work: what support can still do (Spanish)
	guided_only: bool = False  # support answers by guiding, it does not carry out the change

	@property
	def excluded(self) -> bool:
		"""Excluded by the policy: answered with a Success Pack recommendation."""
		return self.scope == OUT


CATEGORIES: tuple[Category, ...] = (
	Category(
		"connectivity",
		"Connectivity",
		IN,
		"Resolución de problemas de conectividad y disponibilidad del sistema, ofreciendo una "
		"disponibilidad de 99.99%.",
	),
	Category(
		"backup",
		"Backup",
		IN,
		"Mantener un respaldo cada 24 horas de la totalidad de la plataforma (base de datos y archivos)",
	),
	Category(
		"restore",
		"Restore",
		IN,
		"Restablecer la conectividad, base de datos y archivos en un plazo no mayor a 2 horas.",
	),
	Category(
		"guidance",
		"Guidance",
		IN,
		"Auxiliar en el buen uso del sistema al proveerte con material oficial (guías, documentación de "
		"producto ) de ERPNEXT y Frappe.",
	),
	Category(
		"faq",
		"Frequent Question",
		IN,
		"Respuestas a preguntas frecuentes y de uso común (ej. Reiniciar contraseñas, guías sobre altas o "
		"bajas de usuarios, etc).",
	),
	Category(
		"account",
		"Account & Billing",
		IN,
		"Preguntas relacionadas con tu cuenta, subscripción, o facturación.",
	),
	Category(
		"update",
		"Platform Update",
		IN,
		"Manejar peticiones de actualizaciones a tu plataforma.",
	),
	Category(
		"onsite",
		"On-site Support",
		OUT,
		"Soporte en sitio ni visitas del equipo de soporte a tus instalaciones.",
		"Te atendemos a distancia, por correo o chat, de lunes a viernes de 9 a 18 h.",
	),
	Category(
		"data_import",
		"Data Import",
		OUT,
		"Importar documentos de tu sistema anterior a nuestra plataforma.",
		"Podemos indicarte la documentación oficial de la herramienta de importación de datos (Data Import) "
		"de ERPNext para que tu equipo haga la carga.",
	),
	Category(
		"consulting",
		"Consulting",
		OUT,
		"Consultoría. Preguntas que requieren que entendamos tu proceso de negocio.",
		"Podemos compartirte la documentación oficial del módulo que te interesa para que conozcas cómo "
		"funciona.",
	),
	Category(
		"misconfiguration",
		"Misconfiguration",
		OUT,
		"Resolver errores producidos por configuración inapropiada del sistema.",
		"Podemos indicarte la documentación oficial de esa configuración para que la revises y la ajustes; "
		"si necesitas regresar a un respaldo, también podemos restaurarlo.",
	),
	Category(
		"training",
		"Training",
		OUT,
		"Entrenamiento y/o capacitación en cómo usar el Software (aunque te redireccionaremos a los "
		"recursos en línea oficiales)",
		"Te redireccionamos a los recursos en línea oficiales de ERPNext y Frappe (documentación, guías y "
		"videos).",
	),
	Category(
		"design",
		"Design & Customization",
		OUT,
		"Diseño. Mejoras para configurar tu plataforma según las necesidades de tu negocio.",
		"Podemos compartirte la documentación oficial de personalización (campos personalizados, formatos de "
		"impresión y reportes) de ERPNext y Frappe.",
	),
	Category(
		"native_bug",
		"Native Bug",
		OUT,
		"Solucionar errores nativos de ERPNEXT, bugs de actualizaciones o cambios al código fuente de Frappe "
		"Framework o ERPNEXT.",
		"Podemos revisar si la falla ya está corregida en una versión más reciente y, si es así, atender tu "
		"petición de actualización.",
	),
	Category(
		"workflow",
		"Workflow & Authorization",
		OUT,
		"Ayuda para definir modelos de trabajo (workflows) o lógica de negocio y autorizaciones.",
		"Podemos compartirte la documentación oficial de flujos de trabajo (Workflow) y de permisos por rol "
		"de Frappe.",
	),
	Category(
		"third_party",
		"Third-party Development",
		OUT,
		"Preguntas o situaciones relacionadas a desarrollos específicos o personalizaciones hechas por un "
		"tercero.",
		"Te sugerimos contactar a quien hizo ese desarrollo; nosotros seguimos a cargo de la disponibilidad, "
		"los respaldos y las actualizaciones de tu plataforma.",
	),
	Category(
		"data_change",
		"Change on Customer's Behalf",
		IN,
		"A través del servicio de soporte no podemos hacer cambios en tus datos o flujos de trabajo, pero "
		"podremos guiarte, mostrarte la documentación y aportar conocimiento para que saques el mayor "
		"provecho de tu producto!",
		"Te guiamos paso a paso y te compartimos la documentación para que tú hagas el cambio.",
		guided_only=True,
	),
	Category("other", "Other", IN, ""),
)

_BY_CODE = {category.code: category for category in CATEGORIES}
_BY_LABEL = {category.label: category for category in CATEGORIES}
_BY_LABEL_FOLDED = {category.label.casefold(): category for category in CATEGORIES}

CODES: tuple[str, ...] = tuple(_BY_CODE)
LABELS: tuple[str, ...] = tuple(_BY_LABEL)
IN_SCOPE_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES if c.scope == IN)
OUT_OF_SCOPE_CODES: tuple[str, ...] = tuple(c.code for c in CATEGORIES if c.scope == OUT)


def by_code(code: str) -> Category:
	"""The category with this code; KeyError if there is none."""
	return _BY_CODE[code]


def by_label(label: str) -> Category:
	"""The category with this English label (as a Frappe Select stores it); KeyError if none."""
	try:
		return _BY_LABEL[label]
	except KeyError:
		return _BY_LABEL_FOLDED[str(label).strip().casefold()]


def lookup(value: str | None) -> Category | None:
	"""A category from its code or its label; None for empty or unknown values."""
	if not value:
		return None
	value = str(value).strip()
	return _BY_CODE.get(value) or _BY_LABEL.get(value) or _BY_LABEL_FOLDED.get(value.casefold())


def is_excluded(code: str) -> bool:
	"""True when the policy excludes this kind of request (the customer is offered a Success Pack)."""
	return by_code(code).excluded


def default_message(code: str) -> str:
	"""The Spanish message for a request of this category when no rule supplies one."""
	category = by_code(code)
	if category.excluded:
		return (
			f"Tu solicitud corresponde a un tipo de soporte que nuestra política no incluye: "
			f"«{category.clause}». {category.can_do}"
		)
	if category.guided_only:
		return f"{category.clause} {category.can_do}"
	if category.clause:
		return f"Tu solicitud está cubierta por nuestro soporte: «{category.clause}»"
	return ""
