# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from support_policy.scope import ScopeRuleError, rule_from_record, validate_rule


class ScopeRule(Document):
	def validate(self):
		"""Empty rules, invalid regular expressions and ones that could hang intake are refused."""
		try:
			validate_rule(rule_from_record(self.as_record()))
		except ScopeRuleError as error:
			frappe.throw(_(error.template).format(*error.args_), title=_("Invalid Scope Rule"))

	def as_record(self) -> dict:
		return {
			"name": self.name or self.title,
			"title": self.title,
			"verdict": self.verdict,
			"category": self.category,
			"phrases": self.phrases,
			"regex": self.regex,
			"order": self.order,
			"enabled": self.enabled,
			"plan": self.support_plan,
			"message": self.message,
		}
