// Copyright (c) 2026, support_policy contributors
// For license information, please see license.txt

frappe.ui.form.on("Hosted Site", {
	refresh(frm) {
		if (frm.doc.link_silent_since) {
			frm.dashboard.set_headline(
				__("This site has not called the hub since {0}: its users' requests may be waiting there.", [
					frappe.datetime.str_to_user(frm.doc.link_silent_since),
				]),
				"orange"
			);
		}
		if (frm.is_new() || !frappe.user.has_role(["Support Manager", "System Manager"])) return;
		frm.add_custom_button(__("Issue Credentials"), () => {
			frappe.confirm(
				__("New credentials replace the current ones at once: the site stops working until it is given the new ones. Continue?"),
				() =>
					frappe
						.call("support_policy.hub.api.issue_credentials", { hosted_site: frm.doc.name })
						.then((r) => {
							const d = r.message;
							frappe.msgprint({
								title: __("Credentials for {0}", [frappe.utils.escape_html(frm.doc.site_url)]),
								indicator: "green",
								message:
									`<p>${__("Shown only once. On the customer site, run:")}</p>` +
									`<pre style="white-space: pre-wrap">${frappe.utils.escape_html(d.command)}</pre>` +
									`<p>${__("or fill Support Policy Settings → Site Link with these values.")}</p>`,
							});
							frm.reload_doc();
						})
			);
		});
	},
});
