"""What a site's backup folder says: the last *complete* backup, i.e. a database dump, a public-files
archive and a private-files archive taken in the same run (Frappe names them
``<YYYYmmdd_HHMMSS>-<site>-database.sql.gz``, ``-files.tar`` / ``.tgz`` and ``-private-files.tar`` /
``.tgz``). A run with one of the three missing is not a complete backup of the platform."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime

PATTERN = re.compile(
	r"^(?P<stamp>\d{8}_\d{6})-.+?-(?P<part>database\.sql(?:\.gz)?|private-files\.t(?:ar|gz)|files\.t(?:ar|gz))$"
)
PARTS = {"database": "database", "private-files": "private_files", "files": "public_files"}


def part_of(name: str) -> tuple[str, str] | None:
	match = PATTERN.match(name)
	if not match:
		return None
	part = match.group("part").split(".")[0]
	return match.group("stamp"), PARTS[part]


def complete_backups(files: Iterable[tuple[str, int]]) -> list[dict]:
	"""Complete backups, newest first, from (file name, size in bytes) pairs:
	``{"taken_at": naive datetime (the site's time zone), "database": bytes, "public_files": bytes,
	"private_files": bytes}``."""
	runs: dict[str, dict] = {}
	for name, size in files:
		found = part_of(name)
		if found:
			stamp, part = found
			runs.setdefault(stamp, {})[part] = int(size)
	complete = []
	for stamp, parts in runs.items():
		if set(parts) == set(PARTS.values()):
			complete.append({"taken_at": datetime.strptime(stamp, "%Y%m%d_%H%M%S"), **parts})
	return sorted(complete, key=lambda b: b["taken_at"], reverse=True)
