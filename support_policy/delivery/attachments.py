"""Which of a request's attachments travel to the hub: the one place for the limits.

Framework-free. The customer site offers files in order; those that fit go with the request, the
others stay on the customer site and are named in a note on the hub's request (never dropped
silently). The hub applies its own Max File Size again on arrival (``fits``).
"""

from __future__ import annotations

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024


def choose(files: list[tuple[str, int]], max_file_bytes: int = MAX_FILE_BYTES) -> tuple[list[str], list[str]]:
	"""(sent, left) names from ``files`` = [(name, size), ...], in the order given."""
	sent: list[str] = []
	left: list[str] = []
	total = 0
	for name, size in files:
		if (
			len(sent) >= MAX_FILES
			or size > min(max_file_bytes, MAX_FILE_BYTES)
			or total + size > MAX_TOTAL_BYTES
		):
			left.append(name)
			continue
		sent.append(name)
		total += size
	return sent, left


def fits(size: int, max_file_bytes: int) -> bool:
	return 0 <= size <= min(max_file_bytes, MAX_FILE_BYTES)


# One call to the hub must stay under the hub's body limit (Frappe: 25 MB unless max_file_size is
# set); an item with MAX_TOTAL_BYTES of files is about 13.4 MB once in base64, so it travels alone.
MAX_CALL_BYTES = 16 * 1024 * 1024


def split(sizes: list[int], batch: int, max_bytes: int = MAX_CALL_BYTES) -> list[list[int]]:
	"""Indexes of ``sizes`` (each item's encoded size) in calls of at most ``batch`` items and
	``max_bytes``; an item bigger than ``max_bytes`` goes alone."""
	calls: list[list[int]] = []
	current: list[int] = []
	total = 0
	for index, size in enumerate(sizes):
		if current and (len(current) >= batch or total + size > max_bytes):
			calls.append(current)
			current, total = [], 0
		current.append(index)
		total += size
	if current:
		calls.append(current)
	return calls
