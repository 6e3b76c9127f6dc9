# Copyright (c) 2026, support_policy contributors
# For license information, please see license.txt

"""What the SLA reports need of a Support Request, in one small integer kept by the database.

A year of a million requests is read by the SLA Compliance report in one scan. Reading the statuses
as text costs a collation comparison per value and per row, and reading them from the table means
reading whole rows. So the table carries a generated column, ``sla_report_key`` (PERSISTENT: MariaDB
computes it on every insert and update, whatever writes the row), and the covering index
``sla_report`` holds it next to everything the report reads. The report then scans the index only.

Bits of ``sla_report_key``:

====== ===================================================================================
0-1    first-response timer: 1 met, 2 breached, 0 anything else
2-3    resolution timer: 1 met, 2 breached, 0 anything else
4      the request's SLA status is Met
5      the first response was given (``first_responded_on`` set)
6      the request is finished (status Resolved or Closed)
7      the request has a service level (SLA status set and not Not Applicable)
8-10   priority: position in the field's options (1 = Low), 0 when not set
11-15  category the target was chosen with (the customer's, else the classifier's): position
       in the field's options, 0 when not set
====== ===================================================================================

:func:`ensure` creates the column and the index, and rebuilds them when the definition changes (the
column's comment holds a fingerprint of its expression). It runs on every migrate and whenever the
Support Request doctype is updated.
"""

from __future__ import annotations

import hashlib

import frappe
from pypika.terms import Term

from support_policy.glue.reporting import FINISHED_STATUSES

DOCTYPE = "Support Request"
TABLE = f"tab{DOCTYPE}"
COLUMN = "sla_report_key"
INDEX = "sla_report"
# The covering index: the date range first, then everything the compliance figures read.
INDEX_COLUMNS = (
	"received_on",
	COLUMN,
	"first_response_seconds",
	"business_seconds_used",
	"business_seconds_paused",
	"customer",
	"assigned_agent",
)

FIRST_RESPONSE_SHIFT = 0
RESOLUTION_SHIFT = 2
SLA_MET = 1 << 4
RESPONDED = 1 << 5
FINISHED = 1 << 6
HAS_SLA = 1 << 7
PRIORITY_SHIFT = 8
PRIORITY_BITS = 3
CATEGORY_SHIFT = 11
CATEGORY_BITS = 5
# Timer states in bits 0-1 and 2-3.
MET, BREACHED = 1, 2
# Either timer breached.
ANY_BREACHED = BREACHED << FIRST_RESPONSE_SHIFT | BREACHED << RESOLUTION_SHIFT


def options(fieldname: str) -> list[str]:
	"""The Select options of a Support Request field, without the empty one."""
	return [o for o in (frappe.get_meta(DOCTYPE).get_options(fieldname) or "").split("\n") if o]


def expression() -> str:
	"""The SQL of the generated column (the bit layout above)."""
	priorities, categories = options("priority"), options("category")
	if len(priorities) >= 1 << PRIORITY_BITS or len(categories) >= 1 << CATEGORY_BITS:
		raise ValueError("sla_report_key: too many priority or category options for the bit layout")

	def listed(values) -> str:
		return ", ".join(frappe.db.escape(v) for v in values)

	def timer(field: str, shift: int) -> str:
		return f"(CASE `{field}` WHEN 'Met' THEN {MET << shift} WHEN 'Breached' THEN {BREACHED << shift} ELSE 0 END)"

	parts = [
		timer("first_response_status", FIRST_RESPONSE_SHIFT),
		timer("resolution_status", RESOLUTION_SHIFT),
		f"IF(`sla_status` = 'Met', {SLA_MET}, 0)",
		f"IF(`first_responded_on` IS NOT NULL, {RESPONDED}, 0)",
		f"IF(`status` IN ({listed(FINISHED_STATUSES)}), {FINISHED}, 0)",
		f"IF(IFNULL(`sla_status`, '') NOT IN ('', 'Not Applicable'), {HAS_SLA}, 0)",
		f"(FIELD(`priority`, {listed(priorities)}) << {PRIORITY_SHIFT})",
		"(FIELD(IF(IFNULL(`category`, '') <> '', `category`, `scope_category`), "
		f"{listed(categories)}) << {CATEGORY_SHIFT})",
	]
	return " | ".join(parts)


def fingerprint(sql: str) -> str:
	return "support_policy " + hashlib.sha1(f"{sql}|{INDEX_COLUMNS}".encode()).hexdigest()[:16]


def ensure() -> bool:
	"""Create, or re-create after a change of definition, the column and the index. True if it changed
	anything."""
	if not frappe.db.table_exists(DOCTYPE):
		return False
	sql = expression()
	comment = fingerprint(sql)
	current = frappe.db.sql(
		"""select column_comment from information_schema.columns
		where table_schema = database() and table_name = %s and column_name = %s""",
		(TABLE, COLUMN),
	)
	has_index = frappe.db.sql(
		"""select count(*) from information_schema.statistics
		where table_schema = database() and table_name = %s and index_name = %s""",
		(TABLE, INDEX),
	)[0][0]
	if current and current[0][0] == comment and has_index:
		return False
	changes = []
	if has_index:
		changes.append(f"DROP INDEX `{INDEX}`")
	if current:
		changes.append(f"DROP COLUMN `{COLUMN}`")
	changes.append(
		f"ADD COLUMN `{COLUMN}` SMALLINT UNSIGNED AS ({sql}) PERSISTENT COMMENT {frappe.db.escape(comment)}"
	)
	changes.append(f"ADD INDEX `{INDEX}` ({', '.join(f'`{c}`' for c in INDEX_COLUMNS)})")
	# DDL commits; this runs in migrate and doctype updates only.
	frappe.db.sql_ddl(f"ALTER TABLE `{TABLE}` {', '.join(changes)}")
	return True


class Bits(Term):
	"""``(`tabSupport Request`.`sla_report_key` >> shift & mask)`` for frappe.qb queries."""

	def __init__(self, shift: int = 0, width: int = 16, alias: str | None = None, mask: int | None = None):
		super().__init__(alias)
		self.shift = shift
		self.mask = (1 << width) - 1 if mask is None else mask

	def get_sql(self, with_alias: bool = False, **kwargs) -> str:
		column = f"`{TABLE}`.`{COLUMN}`"
		sql = f"({column} >> {self.shift} & {self.mask})" if self.shift else f"({column} & {self.mask})"
		if with_alias and self.alias:
			return f"{sql} `{self.alias}`"
		return sql


def flag(bit: int) -> Term:
	"""1 when ``bit`` (one of the flags above) is set, else 0."""
	return Bits(bit.bit_length() - 1, 1)


def first_response_state() -> Term:
	return Bits(FIRST_RESPONSE_SHIFT, 2)


def resolution_state() -> Term:
	return Bits(RESOLUTION_SHIFT, 2)


def states() -> Term:
	"""Bits 0-4: both timer states and SLA met."""
	return Bits(0, 5)


def priority_id() -> Term:
	return Bits(PRIORITY_SHIFT, PRIORITY_BITS)


def category_id() -> Term:
	return Bits(CATEGORY_SHIFT, CATEGORY_BITS)


def any_breached():
	"""Either timer breached (a condition)."""
	return Bits(mask=ANY_BREACHED) > 0


def has_sla():
	"""The request has a service level (a condition)."""
	return Bits(mask=HAS_SLA) > 0
