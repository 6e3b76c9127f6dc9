"""Where the framework-free benchmarks find the repository and the shared data beside it (no frappe)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def shared_file(*parts: str) -> Path:
	"""``shared/<parts>`` beside the repository: ``../shared`` of a clone, or of a folder above it (a
	worktree under ``wt/``). The path beside the clone when none exists, so the error names it."""
	for folder in ROOT.parents:
		candidate = folder.joinpath("shared", *parts)
		if candidate.exists():
			return candidate
	return ROOT.parent.joinpath("shared", *parts)
