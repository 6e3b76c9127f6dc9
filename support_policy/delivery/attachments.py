"""Which of a request's attachments travel to the hub: the one place for the limits.

Framework-free. The customer site refuses an upload beyond these limits with a clear message; each
file it accepts travels to the hub on its own (one outbox row per file, whenever it was attached).
The hub applies the limits again on arrival (``refusal``, with its own Max File Size): what it does
not take stays on the customer site and is named in a note on the hub's request, never dropped
silently.
"""

from __future__ import annotations

MAX_FILES = 5
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_TOTAL_BYTES = 10 * 1024 * 1024


def refusal(previous: list[int], size: int, max_file_bytes: int = MAX_FILE_BYTES) -> str | None:
	"""Why one more file of ``size`` bytes cannot go with a request that already holds files of
	``previous`` sizes: "count", "size" or "total"; None when it may."""
	if len(previous) >= MAX_FILES:
		return "count"
	if not fits(size, max_file_bytes):
		return "size"
	if sum(previous) + size > MAX_TOTAL_BYTES:
		return "total"
	return None


def choose(files: list[tuple[str, int]], max_file_bytes: int = MAX_FILE_BYTES) -> tuple[list[str], list[str]]:
	"""(sent, left) names from ``files`` = [(name, size), ...], in the order given."""
	sent: list[str] = []
	left: list[str] = []
	sizes: list[int] = []
	for name, size in files:
		if refusal(sizes, size, max_file_bytes):
			left.append(name)
			continue
		sent.append(name)
		sizes.append(size)
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
