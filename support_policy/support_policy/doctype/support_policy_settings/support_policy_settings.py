# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt


class SupportPolicySettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF
		from support_policy.support_policy.doctype.support_policy_settings_recipient.support_policy_settings_recipient import (
			SupportPolicySettingsRecipient,
		)

		at_risk_share: DF.Percent
		canary_url: DF.Data | None
		change_cursor: DF.Int
		change_retention_days: DF.Int
		changes_pruned_through: DF.Int
		company: DF.Link | None
		default_calendar: DF.Link | None
		default_plan: DF.Link | None
		email_account: DF.Link | None
		failures_to_confirm: DF.Int
		hub_contract: DF.Data | None
		hub_site_key: DF.Data | None
		hub_site_secret: DF.Password | None
		hub_url: DF.Data | None
		last_pull_on: DF.Datetime | None
		link_error: DF.SmallText | None
		maintenance_notice_hours: DF.Float
		monitor_alerted: DF.Data | None
		monitor_last_round: DF.Datetime | None
		monitoring_enabled: DF.Check
		no_learned_scope: DF.Check
		notification_recipients: DF.Table[SupportPolicySettingsRecipient]
		probe_concurrency: DF.Int
		quote_page_url: DF.Data | None
		regroup_minutes: DF.Int
		site_mode: DF.Literal["Hub", "Customer Site"]
		sites_per_job: DF.Int
		success_pack_item: DF.Link | None
		successes_to_recover: DF.Int

	# end: auto-generated types
	def on_update(self):
		if self.has_value_changed("site_mode"):
			from support_policy.customer_site import CUSTOMER_SITE, desk

			desk.apply_site_mode(self.site_mode == CUSTOMER_SITE)

	def validate(self):
		if not self.at_risk_share:
			self.at_risk_share = 75
		if not 0 < flt(self.at_risk_share) < 100:
			frappe.throw(_("The At Risk share must be between 0 and 100 percent"))
		if self.success_pack_item and frappe.db.get_value("Item", self.success_pack_item, "is_stock_item"):
			frappe.throw(_("The Success Pack item must be a service (not a stock item)"))
