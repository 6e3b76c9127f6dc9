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
8-10   priority: position in ``support_policy.sla.targets.PRIORITIES`` (1 = Low), 0 when not
       set, 7 (``OTHER``) for a value that is not in that list
11-15  category the target was chosen with (the customer's, else the classifier's): position in
       ``support_policy.scope.categories.CATEGORIES``, 0 when not set, 31 (``OTHER``) for a value
       that is not in that list
====== ===================================================================================

The codes come from those two lists in the code, not from the doctype's Select options: a manager who
reorders or adds options in Customize Form (a Property Setter), or an update that changes them, leaves
every stored key right, and nothing has to be rebuilt. A value the lists do not know is coded
``OTHER``; the report then groups and filters by the text itself (still right, only slower). A test
ties the doctypes' options to the two lists, so as shipped every value has its own code.

:func:`ensure` creates the column and the index, and rebuilds them when the definition changes (the
column's comment holds a fingerprint of its expression). It runs on every migrate and whenever the
Support Request doctype is updated.
"""

from __future__ import annotations

import hashlib

import frappe
from frappe import _
from pypika.terms import Term

from support_policy.glue.reporting import FINISHED_STATUSES
from support_policy.scope.categories import CATEGORIES
from support_policy.sla.targets import PRIORITIES

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
# The code of a priority or category the lists below do not know (all bits of its field set).
PRIORITY_OTHER = (1 << PRIORITY_BITS) - 1
CATEGORY_OTHER = (1 << CATEGORY_BITS) - 1
CODED = {
	"priority": tuple(PRIORITIES),
	"category": tuple(category.label for category in CATEGORIES),
}


def options(fieldname: str) -> tuple[str, ...]:
	"""The values the key codes for ``fieldname`` ("priority" or "category"), code 1 first. Fixed in the
	code (whatever the doctype's Select options say now)."""
	return CODED[fieldname]


def code_of(fieldname: str, value: str | None) -> int | None:
	"""The code the key stores for ``value`` (0: not set); None when the value has no code of its own
	(stored as ``OTHER``: compare the text instead)."""
	if not value:
		return 0
	values = options(fieldname)
	return values.index(value) + 1 if value in values else None


def expression() -> str:
	"""The SQL of the generated column (the bit layout above)."""
	priorities, categories = options("priority"), options("category")
	if len(priorities) >= PRIORITY_OTHER or len(categories) >= CATEGORY_OTHER:
		raise ValueError("sla_report_key: too many priorities or categories for the bit layout")

	def listed(values) -> str:
		return ", ".join(frappe.db.escape(v) for v in values)

	def coded(value: str, values, other: int) -> str:
		# 0 when not set, the position in ``values``, else ``other``.
		return (
			f"IF(IFNULL({value}, '') = '', 0, IFNULL(NULLIF(FIELD({value}, {listed(values)}), 0), {other}))"
		)

	def timer(field: str, shift: int) -> str:
		return f"(CASE `{field}` WHEN 'Met' THEN {MET << shift} WHEN 'Breached' THEN {BREACHED << shift} ELSE 0 END)"

	parts = [
		timer("first_response_status", FIRST_RESPONSE_SHIFT),
		timer("resolution_status", RESOLUTION_SHIFT),
		f"IF(`sla_status` = 'Met', {SLA_MET}, 0)",
		f"IF(`first_responded_on` IS NOT NULL, {RESPONDED}, 0)",
		f"IF(`status` IN ({listed(FINISHED_STATUSES)}), {FINISHED}, 0)",
		f"IF(IFNULL(`sla_status`, '') NOT IN ('', 'Not Applicable'), {HAS_SLA}, 0)",
		f"({coded('`priority`', priorities, PRIORITY_OTHER)} << {PRIORITY_SHIFT})",
		f"({coded(CATEGORY_USED, categories, CATEGORY_OTHER)} << {CATEGORY_SHIFT})",
	]
	return " | ".join(parts)


# The category the target was chosen with: the customer's, else the classifier's.
CATEGORY_USED = "IF(IFNULL(`category`, '') <> '', `category`, `scope_category`)"


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


# ------------------------------------------------------------------------------ server settings

# Bytes of the covering index per request, measured after a rebuild (93 MB for a million requests).
INDEX_BYTES_PER_REQUEST = 100
MANAGER_ROLES = ("Support Manager", "System Manager")


def server_warning() -> str | None:
	"""What the database server lacks for the SLA reports' speed, for a manager to pass on; None when
	nothing. The reports read the covering index ``sla_report``; it has to stay in MariaDB's InnoDB
	buffer pool (``innodb_buffer_pool_size``, 128 MB by default: enough for about a million requests),
	or every run reads it from disk. Nothing else needs changing: ``max_allowed_packet`` can stay at
	its default (the report reads a period in slices that fit it)."""
	pool = int(frappe.db.sql("select @@innodb_buffer_pool_size")[0][0])
	rows = frappe.db.sql(
		"""select table_rows from information_schema.tables
		where table_schema = database() and table_name = %s""",
		TABLE,
	)
	requests = int(rows[0][0] or 0) if rows else 0
	needed = requests * INDEX_BYTES_PER_REQUEST
	if needed <= pool:
		return None
	return _(
		"The database server's InnoDB buffer pool ({0} MB) is smaller than the index the SLA reports "
		"read (about {1} MB for {2} requests), so every run reads it from disk and takes longer. Ask "
		"the server's administrator to raise innodb_buffer_pool_size to at least {3} MB (see the "
		"app's README, Install)."
	).format(pool >> 20, needed >> 20, requests, 2 * needed >> 20)


def server_warning_for_user() -> str | None:
	""":func:`server_warning` for managers; nothing for anyone else (a customer has no use for it)."""
	if not set(MANAGER_ROLES).intersection(frappe.get_roles()):
		return None
	return server_warning()
