"""Scheduler entry (every minute): queue the outbox sender and the change puller on a customer site."""

import frappe

from support_policy.customer_site import feed, is_customer_site, outbox


def every_minute() -> None:
	if not is_customer_site():
		return
	outbox.enqueue_send()
	frappe.enqueue(
		"support_policy.customer_site.feed.pull", queue="short", job_id=feed.JOB_ID, deduplicate=True
	)
