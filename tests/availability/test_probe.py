"""Probes against fake hosted sites on loopback (ports 19010-19017; the benchmark uses 18000-18999)."""

import time

import pytest

from support_policy.availability.fake_sites import FakeSites
from support_policy.availability.health import complete_backups
from support_policy.availability.probe import Target, probe_round

PORTS = list(range(19010, 19018))


@pytest.fixture(scope="module")
def sites():
	with FakeSites(PORTS, api_key="k", api_secret="s", health={"enabled_users": 4}) as sites:
		yield sites


def targets(sites, secret="s"):
	return [Target(str(s.port), s.url, "k", secret) for s in sites]


def test_each_failure_mode_is_a_failed_probe_and_up_is_ok(sites):
	modes = ["up", "slow", "error", "maintenance", "timeout", "reset", "up", "up"]
	for port, mode in zip(PORTS, modes, strict=True):
		sites.set(port, mode, delay=0.3)
	started = time.monotonic()
	results = probe_round(targets(sites), concurrency=8, timeout=(0.5, 1.0))
	elapsed = time.monotonic() - started
	assert [r.ok for r in results] == [True, True, False, False, False, False, True, True]
	assert results[0].health == {"database": True, "redis": True, "enabled_users": 4}
	assert results[1].latency_ms >= 300
	assert results[2].error == "ping: HTTP 500" and results[3].error == "ping: HTTP 503"
	assert results[4].error == "timeout"
	assert elapsed < 3  # concurrent: the 1 s timeout is not paid once per site


def test_wrong_secret_fails_the_health_probe(sites):
	for port in PORTS:
		sites.set(port, "up")
	results = probe_round(targets(sites, secret="wrong"), concurrency=4)
	assert {r.error for r in results} == {"health: HTTP 401"}


def test_flapping_site_alternates(sites):
	sites.set(PORTS[0], "flapping", pattern=("up", "error"), pings=0)
	seen = [probe_round(targets(sites)[:1])[0].ok for _ in range(4)]
	assert seen == [True, False, True, False]


def test_complete_backups_need_all_three_parts():
	files = [
		("20261201_020000-cliente_example_com-database.sql.gz", 1000),
		("20261201_020000-cliente_example_com-files.tar", 200),
		("20261201_020000-cliente_example_com-private-files.tar", 300),
		("20261201_020000-cliente_example_com-site_config_backup.json", 5),
		("20261202_020000-cliente_example_com-database.sql.gz", 1100),  # files missing
		("20261130_020000-cliente_example_com-database.sql.gz", 900),
		("20261130_020000-cliente_example_com-files.tgz", 150),
		("20261130_020000-cliente_example_com-private-files.tgz", 250),
		("notes.txt", 1),
	]
	found = complete_backups(files)
	assert [b["taken_at"].isoformat() for b in found] == ["2026-12-01T02:00:00", "2026-11-30T02:00:00"]
	assert found[0] | {} == {
		"taken_at": found[0]["taken_at"],
		"database": 1000,
		"public_files": 200,
		"private_files": 300,
	}
