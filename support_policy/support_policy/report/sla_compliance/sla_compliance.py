# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""Service-level compliance of the requests received in a period, grouped by customer, priority,
category, agent, month or week: how many met their first-response and resolution targets, and the
median and 90th-percentile business time to respond and to resolve.

"Met %" counts only timers that are decided (met, or breached, also while still running); timers
still on track are left out. Requests without a service level (out of scope, no contract) are left
out. Times are business seconds from the request's SLA event log, shown in business hours.
Percentiles are continuous (PERCENTILE_CONT: linear interpolation between ranks) and exact.

Speed (a year of a million requests): the report reads only the covering index ``sla_report``,
whose generated column ``sla_report_key`` holds the timer states, flags, priority and category as
bits (:mod:`support_policy.glue.report_key`), so no status text is compared per row. Rows are grouped by
integer ids, and the figures come from one scan whose packed integer lists Python sorts
(:func:`packed_figures`), read in slices of the period that fit MariaDB's default packet size (no
server setting needs raising); PERCENTILE_CONT windows in MariaDB (:func:`window_figures`) are the
fallback. Both give the same rows.

With "Show Breached Requests" the report lists the requests with a breached timer instead: the
drill-down behind the "Breached" column.
"""

from __future__ import annotations

import zlib
from datetime import date

import frappe
import numpy
from frappe import _
from frappe.query_builder import Case, CustomFunction
from frappe.query_builder.custom import GROUP_CONCAT as GroupConcat
from frappe.query_builder.functions import Coalesce, Count, IfNull, Max, NullIf, Sum
from frappe.utils import add_days, flt, get_last_day, getdate
from pypika.terms import Function, Term
from pypika.utils import format_alias_sql

from support_policy.glue import report_key
from support_policy.glue.reporting import (
	date_range,
	percent,
	permitted,
	request_columns,
	where_received,
)

GROUP_BY = ("Customer", "Priority", "Category", "Agent", "Month", "Week")
TIME_SERIES = ("Month", "Week")
# The breached list is a drill-down, not an export: beyond this, narrow the filters.
BREACHED_LIMIT = 5000

COUNTED = ("fr_met", "fr_breached", "res_met", "res_breached", "sla_met", "breached")
PERCENTILES = ("fr_p50", "fr_p90", "res_p50", "res_p90")
# Packed lists: group id << 32 | seconds. 32 MB of text per list is about 1.5 million requests.
PACK = 1 << 32
MASK = PACK - 1
PACKED_LIMIT = 32 * 1024 * 1024
# Characters of one value and its comma, at most: every packed value is below 2**63 (19 digits).
PACKED_WIDTH = 20
STATEMENT_BUFFERS = (
	"sort_buffer_size = 268435456, tmp_table_size = 536870912, max_heap_table_size = 536870912"
)
TO_DAYS_OFFSET = 365

Crc32 = CustomFunction("CRC32", ["value"])
Year = CustomFunction("YEAR", ["date"])
Month = CustomFunction("MONTH", ["date"])
ToDays = CustomFunction("TO_DAYS", ["date"])
WeekDay = CustomFunction("WEEKDAY", ["date"])


class PercentileCont(Term):
	"""``PERCENTILE_CONT(fraction) WITHIN GROUP (ORDER BY term) OVER (PARTITION BY ...)`` (MariaDB
	10.3+). NULLs are ignored, so a CASE without ELSE selects the rows that count."""

	def __init__(self, fraction: float, term: Term, partition_by: list[Term], alias: str | None = None):
		super().__init__(alias)
		self.fraction = float(fraction)
		self.term = term
		self.partition_by = partition_by

	def nodes_(self):
		yield self
		yield from self.term.nodes_()
		for term in self.partition_by:
			yield from term.nodes_()

	def get_sql(self, with_alias: bool = False, **kwargs) -> str:
		partition = ", ".join(term.get_sql(**kwargs) for term in self.partition_by)
		sql = "PERCENTILE_CONT({}) WITHIN GROUP (ORDER BY {}) OVER ({})".format(
			self.fraction,
			self.term.get_sql(**kwargs),
			f"PARTITION BY {partition}" if partition else "",
		)
		return format_alias_sql(sql, self.alias, **kwargs) if with_alias else sql


def group_labels() -> dict[str, str]:
	return {
		"Customer": _("Customer"),
		"Priority": _("Priority"),
		"Category": _("Category"),
		"Agent": _("Agent"),
		"Month": _("Month"),
		"Week": _("Week"),
	}


def execute(filters=None):
	filters = frappe._dict(filters or {})
	filters.group_by = filters.group_by or "Customer"
	if filters.group_by not in GROUP_BY:
		frappe.throw(_("Group By must be one of {0}").format(", ".join(group_labels().values())))
	if filters.show_breached:
		rows = breached_requests(filters)
		message = None
		if len(rows) >= BREACHED_LIMIT:
			message = _(
				"Showing the first {0} breached requests; narrow the filters to see the rest."
			).format(BREACHED_LIMIT)
		return breached_columns(), rows, with_server_warning(message), None
	rows = compliance(filters)
	return columns(filters), rows, with_server_warning(summary(rows)), chart(rows, filters)


def with_server_warning(message: str | None) -> str | None:
	"""The report's message, after what the database server lacks for its speed (managers only)."""
	warning = report_key.server_warning_for_user()
	if not warning:
		return message
	return "<br><br>".join(frappe.utils.escape_html(m) for m in (warning, message) if m)


# ------------------------------------------------------------------------------------------ query


def effective_category(request):
	"""The category the SLA target was chosen with: the customer's, else the classifier's."""
	return Coalesce(NullIf(request.category, ""), NullIf(request.scope_category, ""))


class Grouping:
	"""How rows are grouped: ``expr`` gives each row a group id, ``value(id)`` the group's value.

	Ids are integers (month number, Monday's day number, the report key's code of the priority or
	category, the rank of the customer's or agent's CRC32): MariaDB partitions, sorts and
	groups integers several times faster than utf8mb4 strings, which it compares through their
	collation, and Python sorts small integers faster than large ones.

	Customers and agents: the CRC32 of every distinct value of the indexed column is read first (a
	loose index scan); ``expr`` is the rank of a row's CRC32 among them (MariaDB's INTERVAL, a binary
	search). A value missing from that list (written in between, or differing only in letter case)
	would take a neighbour's rank, so one list of the packed query carries ``check`` instead, the
	CRC32 itself: ``id_of(check)`` raises KeyError for a CRC32 that is not known, and the report is
	then computed again grouping by the text itself, as it is when two values share a CRC32."""

	def __init__(self, expr, value, check=None, id_of=None):
		self.expr = expr
		self.value = value
		self.check = expr if check is None else check
		self.id_of = id_of or int


def grouping(request, group_by: str, exact: bool = False) -> Grouping:
	received = request.received_on
	if group_by == "Month":
		return Grouping(
			Year(received) * 100 + Month(received),
			lambda i: f"{int(i) // 100:04d}-{int(i) % 100:02d}" if i else None,
		)
	if group_by == "Week":
		# MariaDB's TO_DAYS counts from year 0; Python's ordinal from year 1.
		return Grouping(
			ToDays(received) - WeekDay(received),
			lambda i: str(date.fromordinal(int(i) - TO_DAYS_OFFSET)) if i else None,
		)
	if group_by in ("Priority", "Category"):
		if exact:  # the text itself
			column = request.priority if group_by == "Priority" else effective_category(request)
			return Grouping(column, lambda v: v or None)
		# Codes from the report key (0: not set). A value without a code of its own (``OTHER``: an
		# option added in Customize Form) raises KeyError, and the report groups by the text instead.
		values = report_key.options(group_by.lower())
		expr = report_key.priority_id() if group_by == "Priority" else report_key.category_id()
		return Grouping(expr, lambda i: values[int(i) - 1] if 0 < int(i) <= len(values) else coded_none(i))
	column = request.customer if group_by == "Customer" else request.assigned_agent
	if exact:
		return Grouping(column, lambda v: v or None)
	candidates = candidate_values(request, column)
	by_crc: dict[int, str | None] = {0: None}  # CRC32('') = 0: empty is "not set"
	for value in filter(None, candidates):
		crc = zlib.crc32(value.encode())
		if by_crc.get(crc, value) != value:
			return grouping(request, group_by, exact=True)
		by_crc[crc] = value
	crcs = sorted(by_crc)
	rank = {crc: index for index, crc in enumerate(crcs, 1)}
	# IFNULL inside CRC32, not around it: around it, the result is no longer an unsigned integer and
	# the arithmetic on it is several times slower.
	crc = Crc32(IfNull(column, ""))
	return Grouping(
		Function("INTERVAL", crc, *crcs),
		lambda i: by_crc[crcs[int(i) - 1]],
		check=crc,
		id_of=lambda c: rank[int(c)],
	)


def candidate_values(request, column) -> list[str]:
	"""Every value the column holds (a loose scan of its index)."""
	return frappe.qb.from_(request).select(column).distinct().where(column.isnotnull()).run(pluck=True)


def coded_none(code) -> None:
	"""The group of code 0 (not set); KeyError for any other code without a value (``OTHER``)."""
	if int(code):
		raise KeyError(code)
	return None


def base_query(filters):
	"""Requests received in the period that carry a service level, with the filters and the user's
	permissions applied."""
	request = frappe.qb.DocType("Support Request")
	query = frappe.qb.from_(request).where(report_key.has_sla())
	from_date, to_date = date_range(filters)
	query = where_received(query, request.received_on, from_date, to_date)
	if filters.customer:
		query = query.where(request.customer == filters.customer)
	# Priority and category through the report key: conditions the covering index answers (the text
	# for a value the key has no code for).
	if filters.priority:
		code = report_key.code_of("priority", filters.priority)
		if code is None:
			query = query.where(request.priority == filters.priority)
		else:
			query = query.where(report_key.priority_id() == code)
	if filters.category:
		code = report_key.code_of("category", filters.category)
		if code is None:
			query = query.where(effective_category(request) == filters.category)
		else:
			query = query.where(report_key.category_id() == code)
	if filters.agent:
		query = query.where(request.assigned_agent == filters.agent)
	# The drill-down from an "Unassigned" or "Not Set" row.
	if filters.blank == "Agent":
		query = query.where(request.assigned_agent.isnull() | (request.assigned_agent == ""))
	elif filters.blank == "Category":
		query = query.where(report_key.category_id() == 0)
	return permitted(query, "Support Request"), request


def flag(condition):
	return Case().when(condition, 1).else_(0)


def compliance(filters, exact: bool = False, method: str | None = None) -> list[dict]:
	"""One row per group. ``method`` "packed" or "window" forces a way of computing (tests compare
	them); by default the packed one, and the window one when the packed one cannot be used."""
	query, request = base_query(filters)
	group = grouping(request, filters.group_by, exact)
	figures = None
	try:
		if not exact and method != "window":
			figures = packed_figures(query, request, group)
		if figures is None:
			figures = window_figures(query, request, group.expr)
		values = [group.value(row.group_id) for row in figures]
	except KeyError:  # a customer or agent the ids were not mapped for
		return compliance(filters, exact=True)
	rows = []
	for figure, value in zip(figures, values, strict=True):
		row = frappe._dict(group_key=value, requests=int(figure.requests or 0))
		for field in COUNTED:
			row[field] = int(figure[field] or 0)
		row.fr_met_pct = percent(row.fr_met, row.fr_met + row.fr_breached)
		row.res_met_pct = percent(row.res_met, row.res_met + row.res_breached)
		row.sla_met_pct = percent(row.sla_met, row.sla_met + row.breached)
		for field in (*PERCENTILES, "paused"):
			row[field + "_hours"] = hours(figure[field])
		set_group_labels(row, filters)
		rows.append(row)
	if filters.group_by in TIME_SERIES:
		rows.sort(key=lambda r: str(r.group_value or ""))
	else:
		rows.sort(key=lambda r: (-r.requests, str(r.group_value or "")))
	return rows


def window_figures(query, request, key) -> list[frappe._dict]:
	"""Everything in one SQL statement: PERCENTILE_CONT windows over the period's rows, then one row
	per group. Exact, but MariaDB sorts the rows once per timer through temporary files."""
	responded = report_key.flag(report_key.RESPONDED) == 1
	finished = report_key.flag(report_key.FINISHED) == 1
	response_seconds = Case().when(responded, request.first_response_seconds)
	resolve_seconds = Case().when(finished, request.business_seconds_used)
	inner = query.select(
		key.as_("group_id"),
		report_key.first_response_state().as_("fr_state"),
		report_key.resolution_state().as_("res_state"),
		report_key.flag(report_key.SLA_MET).as_("sla_met"),
		request.business_seconds_paused.as_("paused"),
		PercentileCont(0.5, response_seconds, [key]).as_("fr_p50"),
		PercentileCont(0.9, response_seconds, [key]).as_("fr_p90"),
		PercentileCont(0.5, resolve_seconds, [key]).as_("res_p50"),
		PercentileCont(0.9, resolve_seconds, [key]).as_("res_p90"),
	)
	outer = (
		frappe.qb.from_(inner)
		.select(
			inner.group_id,
			Count("*").as_("requests"),
			Sum(flag(inner.fr_state == 1)).as_("fr_met"),
			Sum(flag(inner.fr_state == 2)).as_("fr_breached"),
			Sum(flag(inner.res_state == 1)).as_("res_met"),
			Sum(flag(inner.res_state == 2)).as_("res_breached"),
			Sum(inner.sla_met).as_("sla_met"),
			Sum(flag((inner.fr_state == 2) | (inner.res_state == 2))).as_("breached"),
			Sum(inner.paused).as_("paused"),
			*(Max(inner[field]).as_(field) for field in PERCENTILES),
		)
		.groupby(inner.group_id)
	)
	sql, params = outer.walk()
	# MariaDB's default buffers (2 MB sort, 16 MB in-memory temporary tables) would spill the sorts
	# to disk. For this statement only.
	return frappe.db.sql(f"SET STATEMENT {STATEMENT_BUFFERS} FOR {sql}", params, as_dict=True)


def packed_figures(query, request, group: Grouping) -> list[frappe._dict] | None:
	"""The same figures without sorting in SQL (about a third faster on a year of a million requests).
	MariaDB returns four comma-separated lists of integers that pack the group id with what Python
	needs: each request's timer states, and the response, resolution and paused seconds of the
	requests that have them (``id << 32 | seconds``). numpy parses the lists, counts the states and
	sorts the packed seconds, which puts each group's values in one ordered run, so its percentiles are
	read by position (the same linear interpolation as PERCENTILE_CONT). On a year of a million
	requests that takes about a tenth of a second, a tenth of what the same work costs in pure Python.

	A list must fit in one result row, which MariaDB sends in one packet: ``packed_limit()`` is a fifth
	of the server's ``max_allowed_packet`` (16 MB by default), at most ``PACKED_LIMIT``. So the period
	is read in slices of consecutive ``received_on`` that each hold at most ``packed_rows()`` requests
	(:func:`slices`), and the slices' lists are merged before counting and sorting: the figures are
	the same however the period is cut. Returns None only when a single moment holds more requests
	than a slice may (or a list came back cut): then :func:`window_figures` computes the figures."""
	limit = packed_limit()
	rows_per_slice = limit // PACKED_WIDTH
	if rows_per_slice < 1:
		return None
	parts = []
	for part in slices(query, request, rows_per_slice):
		if part is None:
			return None
		lists = packed_lists(part, request, group, limit)
		if lists is None:
			return None
		parts.append(lists)
	states, response, resolution, pause = (numpy.concatenate(arrays) for arrays in zip(*parts, strict=True))
	if not len(states):
		return []
	states, counts = numpy.unique(states, return_counts=True)
	response, resolution, pause = (numpy.sort(values) for values in (response, resolution, pause))
	paused_sums = numpy.concatenate(([0], numpy.cumsum(pause & MASK)))

	groups: dict[int, frappe._dict] = {}
	for state, n in zip(states.tolist(), counts.tolist(), strict=True):
		gid = group.id_of(state >> 6)
		row = groups.get(gid)
		if row is None:
			row = groups[gid] = frappe._dict(group_id=gid, requests=0, **dict.fromkeys(COUNTED, 0))
		fr, res, sla_met = state & 3, (state >> 2) & 3, (state >> 4) & 1
		row.requests += n
		row.fr_met += n if fr == 1 else 0
		row.fr_breached += n if fr == 2 else 0
		row.res_met += n if res == 1 else 0
		row.res_breached += n if res == 2 else 0
		row.sla_met += n * sla_met
		row.breached += n if 2 in (fr, res) else 0
	for gid, row in groups.items():
		bounds = [gid * PACK, (gid + 1) * PACK]
		start, end = numpy.searchsorted(response, bounds).tolist()
		row.fr_p50, row.fr_p90 = (percentile_cont(response, start, end, f) for f in (0.5, 0.9))
		start, end = numpy.searchsorted(resolution, bounds).tolist()
		row.res_p50, row.res_p90 = (percentile_cont(resolution, start, end, f) for f in (0.5, 0.9))
		start, end = numpy.searchsorted(pause, bounds).tolist()
		row.paused = int(paused_sums[end] - paused_sums[start])
	return list(groups.values())


def packed_limit() -> int:
	"""Longest list (characters) one packed statement may return: a fifth of the server's
	``max_allowed_packet`` (four lists and the counts share one row), at most ``PACKED_LIMIT``."""
	return min(PACKED_LIMIT, int(frappe.db.sql("select @@max_allowed_packet")[0][0]) // 5)


def packed_rows() -> int:
	"""Requests per slice: every list holds at most one value per request, of at most
	``PACKED_WIDTH`` characters."""
	return packed_limit() // PACKED_WIDTH


def slices(query, request, rows: int):
	"""``query`` cut into consecutive ranges of ``received_on`` holding at most ``rows`` of its rows
	each (one slice when the period is small). Each cut is found by skipping ``rows`` entries of the
	covering index from the previous cut, the query's own conditions applied; yields None when more
	than ``rows`` requests share one ``received_on`` (no cut can split them)."""
	received = request.received_on
	start = None
	while True:
		rest = query if start is None else query.where(received >= start)
		cut = (
			rest.select(received)
			.force_index(report_key.INDEX)
			.orderby(received)
			.limit(1)
			.offset(rows)
			.run(pluck=True)
		)
		if not cut:
			yield rest
			return
		if cut[0] == start:
			yield None
			return
		yield rest.where(received < cut[0])
		start = cut[0]


def packed_lists(query, request, group: Grouping, limit: int):
	"""One statement: the four packed lists of ``query``'s rows as int64 arrays, or None when one came
	back cut at ``limit`` characters."""
	group_id = group.expr  # never NULL: the period's received_on, key bits, or a rank
	responded = report_key.flag(report_key.RESPONDED) == 1
	finished = report_key.flag(report_key.FINISHED) == 1
	paused = request.business_seconds_paused > 0
	packed = query.select(
		Count("*"),
		Sum(report_key.flag(report_key.RESPONDED)),
		Sum(report_key.flag(report_key.FINISHED)),
		Sum(flag(paused)),
		# Bits 0-4 of the key: first-response state, resolution state (<< 2), SLA met (<< 4).
		GroupConcat(group.check * 64 + report_key.states()),
		GroupConcat(Case().when(responded, group_id * PACK + request.first_response_seconds)),
		GroupConcat(Case().when(finished, group_id * PACK + request.business_seconds_used)),
		GroupConcat(Case().when(paused, group_id * PACK + request.business_seconds_paused)),
	)
	sql, params = packed.walk()
	row = frappe.db.sql(f"SET STATEMENT group_concat_max_len = {int(limit)} FOR {sql}", params)[0]
	counts, texts = row[:4], row[4:]
	lists = [parse_integers(text) for text in texts]
	if [len(values) for values in lists] != [int(n or 0) for n in counts]:
		return None  # cut at the limit
	return lists


def parse_integers(text: str | None):
	"""A comma-separated list of integers from GROUP_CONCAT as an int64 array. Every packed value is
	below 2**63: the largest are week ids (below 2**20) << 32 and CRC32 values (below 2**32) << 6."""
	if not text:
		return numpy.empty(0, dtype=numpy.int64)
	# Text mode of fromstring (not deprecated, unlike its binary mode); a list it cannot read to the
	# end comes back short, which the caller's length check catches.
	return numpy.fromstring(text, dtype=numpy.int64, sep=",")


def percentile_cont(values: list[int], start: int, end: int, fraction: float) -> float | None:
	"""PERCENTILE_CONT of the packed, sorted ``values[start:end]`` (one group's run)."""
	n = end - start
	if n <= 0:
		return None
	position = fraction * (n - 1)
	index = int(position)
	low = int(values[start + index]) & MASK
	if position == index:
		return float(low)
	high = int(values[start + index + 1]) & MASK
	return low + (high - low) * (position - index)


def hours(seconds):
	return None if seconds is None else flt(flt(seconds) / 3600, 2)


def set_group_labels(row, filters) -> None:
	"""``group`` is what the report shows; ``group_value``, ``from_date`` and ``to_date`` are what the
	drill-down to the breached requests filters on."""
	value = row.pop("group_key")
	group_by = filters.group_by
	row.group_value = value
	row.from_date, row.to_date = filters.from_date, filters.to_date
	if group_by == "Month" and value:
		first = getdate(f"{value}-01")
		row.from_date = max(first, getdate(filters.from_date)) if filters.from_date else first
		last = get_last_day(first)
		row.to_date = min(last, getdate(filters.to_date)) if filters.to_date else last
		row.group = value
	elif group_by == "Week" and value:
		first = getdate(value)
		row.from_date = max(first, getdate(filters.from_date)) if filters.from_date else first
		last = add_days(first, 6)
		row.to_date = min(last, getdate(filters.to_date)) if filters.to_date else last
		row.group = str(first)
	elif group_by in ("Priority", "Category"):
		row.group = _(value) if value else _("Not Set")
	elif group_by == "Agent":
		row.group = value or _("Unassigned")
	else:
		row.group = value or _("Not Set")
	row.from_date = str(row.from_date) if row.from_date else None
	row.to_date = str(row.to_date) if row.to_date else None


def columns(filters):
	group_by = filters.group_by
	group_column = {"fieldname": "group", "label": group_labels()[group_by], "width": 200}
	if group_by == "Customer":
		group_column.update(fieldtype="Link", options="Customer")
	elif group_by == "Agent":
		group_column.update(fieldtype="Link", options="User")
	else:
		group_column.update(fieldtype="Data")
	return [
		group_column,
		{"fieldname": "requests", "label": _("Requests"), "fieldtype": "Int", "width": 90},
		{"fieldname": "fr_met_pct", "label": _("First Response Met %"), "fieldtype": "Percent", "width": 150},
		{"fieldname": "res_met_pct", "label": _("Resolution Met %"), "fieldtype": "Percent", "width": 130},
		{"fieldname": "sla_met_pct", "label": _("SLA Met %"), "fieldtype": "Percent", "width": 100},
		{"fieldname": "breached", "label": _("Breached"), "fieldtype": "Int", "width": 90},
		{
			"fieldname": "fr_p50_hours",
			"precision": 2,
			"label": _("Median Time to Respond (business h)"),
			"fieldtype": "Float",
			"width": 150,
		},
		{
			"fieldname": "fr_p90_hours",
			"precision": 2,
			"label": _("90th Percentile Time to Respond (business h)"),
			"fieldtype": "Float",
			"width": 150,
		},
		{
			"fieldname": "res_p50_hours",
			"precision": 2,
			"label": _("Median Time to Resolve (business h)"),
			"fieldtype": "Float",
			"width": 150,
		},
		{
			"fieldname": "res_p90_hours",
			"precision": 2,
			"label": _("90th Percentile Time to Resolve (business h)"),
			"fieldtype": "Float",
			"width": 150,
		},
		{
			"fieldname": "paused_hours",
			"label": _("Time Paused (business h)"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 130,
		},
		{"fieldname": "group_value", "label": _("Group Value"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "from_date", "label": _("From Date"), "fieldtype": "Date", "hidden": 1},
		{"fieldname": "to_date", "label": _("To Date"), "fieldtype": "Date", "hidden": 1},
	]


def summary(rows) -> str | None:
	if not rows:
		return None
	fr_met, fr_breached = sum(r.fr_met for r in rows), sum(r.fr_breached for r in rows)
	res_met, res_breached = sum(r.res_met for r in rows), sum(r.res_breached for r in rows)
	return _(
		"{0} requests with a service level: first response met in {1} % of decided timers, resolution met "
		"in {2} %, {3} requests breached. Timers still running on time are not counted yet."
	).format(
		sum(r.requests for r in rows),
		share(fr_met, fr_met + fr_breached),
		share(res_met, res_met + res_breached),
		sum(r.breached for r in rows),
	)


def share(part, whole) -> str:
	value = percent(part, whole)
	return "—" if value is None else frappe.format(value, {"fieldtype": "Float", "precision": 1})


def chart(rows, filters):
	if not rows:
		return None
	datasets = [
		("fr_met_pct", _("First Response Met %")),
		("res_met_pct", _("Resolution Met %")),
	]
	if filters.group_by in TIME_SERIES:
		datasets.append(("sla_met_pct", _("SLA Met %")))
		# A line needs two points.
		shown, kind = rows, "line" if len(rows) > 1 else "bar"
	else:
		shown, kind = rows[:15], "bar"
	return {
		"data": {
			"labels": [r.group for r in shown],
			"datasets": [{"name": label, "values": [r[f] or 0 for r in shown]} for f, label in datasets],
		},
		"type": kind,
		"fieldtype": "Percent",
		"axisOptions": {"xIsSeries": 1} if kind == "line" else {},
		"lineOptions": {"regionFill": 0},
	}


# ------------------------------------------------------------------------------- breached requests


def breached_requests(filters) -> list[dict]:
	"""The first ``BREACHED_LIMIT`` breached requests of the period, oldest first, in two steps: their
	names from the covering index alone (walked in ``received_on`` order, so it stops at the limit),
	then those rows by primary key. Read in one statement, MariaDB would pick the ``customer`` index
	and fetch every row of the customer's year to test the statuses: on a table larger than the InnoDB
	buffer pool (128 MB by default) that is one random disk read per row."""
	query, request = base_query(filters)
	names = (
		query.select(request.name)
		.force_index(report_key.INDEX)
		.where(report_key.any_breached())
		.orderby(request.received_on)
		.limit(BREACHED_LIMIT)
	).run(pluck=True)
	if not names:
		return []
	query = (
		frappe.qb.from_(request)
		.select(
			request.name.as_("request"),
			request.subject,
			request.received_on,
			request.customer,
			request.priority,
			effective_category(request).as_("category"),
			request.assigned_agent,
			request.status,
			request.first_response_status,
			request.first_response_due,
			request.first_responded_on,
			request.resolution_status,
			request.resolution_due,
			request.resolved_on,
			request.business_seconds_used,
		)
		.where(request.name.isin(names))
		.orderby(request.received_on)
		.orderby(request.name)
	)
	rows = query.run(as_dict=True)
	for row in rows:
		row.business_hours_used = hours(row.pop("business_seconds_used"))
		for field in ("priority", "category", "status", "first_response_status", "resolution_status"):
			row[field] = _(row[field]) if row[field] else row[field]
	return rows


def breached_columns():
	return [
		*request_columns(),
		{"fieldname": "priority", "label": _("Priority"), "fieldtype": "Data", "width": 90},
		{"fieldname": "category", "label": _("Category"), "fieldtype": "Data", "width": 140},
		{
			"fieldname": "assigned_agent",
			"label": _("Agent"),
			"fieldtype": "Link",
			"options": "User",
			"width": 160,
		},
		{"fieldname": "status", "label": _("Status"), "fieldtype": "Data", "width": 120},
		{
			"fieldname": "first_response_status",
			"label": _("First Response"),
			"fieldtype": "Data",
			"width": 110,
		},
		{
			"fieldname": "first_response_due",
			"label": _("First Response Due"),
			"fieldtype": "Datetime",
			"width": 160,
		},
		{
			"fieldname": "first_responded_on",
			"label": _("First Responded On"),
			"fieldtype": "Datetime",
			"width": 160,
		},
		{"fieldname": "resolution_status", "label": _("Resolution"), "fieldtype": "Data", "width": 110},
		{"fieldname": "resolution_due", "label": _("Resolution Due"), "fieldtype": "Datetime", "width": 160},
		{"fieldname": "resolved_on", "label": _("Resolved On"), "fieldtype": "Datetime", "width": 160},
		{
			"fieldname": "business_hours_used",
			"label": _("Business Hours Used"),
			"fieldtype": "Float",
			"width": 120,
		},
	]
