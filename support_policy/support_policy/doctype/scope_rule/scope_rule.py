# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_policy.scope import CATEGORIES, ScopeRuleError, rule_from_record, validate_rule
from support_policy.scope.categories import SCOPE_LABELS
from support_policy.glue.scope import invalidate_rules, rule_record


class ScopeRule(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		category: DF.Literal[
			"",
			"Connectivity",
			"Backup",
			"Restore",
			"Guidance",
			"Frequent Question",
			"Account & Billing",
			"Platform Update",
			"On-site Support",
			"Data Import",
			"Consulting",
			"Misconfiguration",
			"Training",
			"Design & Customization",
			"Native Bug",
			"Workflow & Authorization",
			"Third-party Development",
			"Change on Customer's Behalf",
			"Other",
		]
		enabled: DF.Check
		is_standard: DF.Check
		message: DF.Text | None
		order: DF.Int
		phrases: DF.SmallText | None
		regex: DF.SmallText | None
		shipped_hash: DF.Data | None
		support_plan: DF.Link | None
		title: DF.Data
		verdict: DF.Literal["In scope", "Out of scope"]

	# end: auto-generated types
	def validate(self):
		"""Empty rules, invalid regular expressions and ones that could hang intake are refused."""
		try:
			validate_rule(rule_from_record(self.as_record()))
		except ScopeRuleError as error:
			frappe.throw(translate_error(error), title=_("Invalid Scope Rule"))

	def on_update(self):
		invalidate_rules()

	def on_trash(self):
		invalidate_rules()

	def as_record(self) -> dict:
		return rule_record(self)


def translate_error(error: ScopeRuleError) -> str:
	"""The core's message in the user's language; nested errors and labels are translated too."""
	args = [translate_error(arg) if isinstance(arg, ScopeRuleError) else arg for arg in error.args_]
	args = [_(arg) if isinstance(arg, str) and arg in TRANSLATABLE_ARGS else arg for arg in args]
	return _(error.template).format(*args)


# Labels the core puts into its messages (verdicts and category labels).
TRANSLATABLE_ARGS = frozenset((*SCOPE_LABELS.values(), *(category.label for category in CATEGORIES)))
