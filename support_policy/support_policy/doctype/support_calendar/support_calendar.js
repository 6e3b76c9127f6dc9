// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.ui.form.on("Support Calendar", {
	refresh(frm) {
		if (frm.is_new()) return;
		frappe
			.call("support_policy.support_policy.doctype.support_calendar.support_calendar.upcoming_holidays", {
				calendar: frm.doc.name,
			})
			.then((r) => {
				const rows = (r.message || [])
					.map(
						(h) =>
							`<tr><td>${frappe.datetime.str_to_user(h.date)}</td><td>${frappe.utils.escape_html(
								h.name
							)}</td></tr>`
					)
					.join("");
				frm.get_field("holidays_preview").$wrapper.html(
					rows
						? `<table class="table table-bordered table-sm"><thead><tr><th>${__("Date")}</th><th>${__(
								"Holiday"
						  )}</th></tr></thead><tbody>${rows}</tbody></table>`
						: `<p class="text-muted">${__("No holidays in the next twelve months")}</p>`
				);
			});
	},
});
