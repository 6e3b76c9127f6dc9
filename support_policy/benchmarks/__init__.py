"""Benchmarks that need a site (run with ``bench execute``); the pure-core ones live in /benchmarks."""
