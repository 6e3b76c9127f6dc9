"""Benchmark: one monitoring round over 1,000 hosted sites within the minute, on 2 cores.

Run::

    python -m support_policy.benchmarks.probes             # 1,000 sites (ports 18000-18999), ~1-2 min
    python -m support_policy.benchmarks.probes --smoke     # 100 sites, seconds
    bench --site SITE execute support_policy.benchmarks.probes.run --kwargs "{'smoke': True}"

The sites are fake hosted sites on loopback (:mod:`support_policy.availability.fake_sites`), served by a
separate process so that they do not share the probing processes' interpreter: 82 % answer at once,
10 % slowly (1-3 s; 0.1-0.3 s in the smoke run, whose timeouts are 0.5/1 s), 4 % with HTTP 500, 2 % with 503 (maintenance) and 2 % never answer (the probe's
read timeout, 8 s, is paid in full). Each site gets the real probe: ping, then the authenticated health
method (two HTTP requests).

The round is split the way the hub splits it: jobs of ``sites_per_job`` sites, taken by ``workers``
processes (Frappe's RQ workers), each probing its job with a bounded thread pool (``concurrency``).
Anchor: the same probes one at a time (sequential, the textbook loop), timed on the first 100 sites
side by side in this process and scaled to 1,000. The goal: the whole round < 60 s on 2 cores with
2 workers.
"""

from __future__ import annotations

import argparse
import multiprocessing
import random
import time

from support_policy.availability.fake_sites import FakeSites
from support_policy.availability.probe import Target, probe_round

FIRST_PORT = 18000
BUDGET_SECONDS = 60.0


def plan_modes(n: int, seed: int = 14, slow=(1.0, 3.0)) -> list[tuple[str, float]]:
	rng = random.Random(seed)
	modes = []
	for _ in range(n):
		x = rng.random()
		if x < 0.82:
			modes.append(("up", 0.0))
		elif x < 0.92:
			modes.append(("slow", rng.uniform(*slow)))
		elif x < 0.96:
			modes.append(("error", 0.0))
		elif x < 0.98:
			modes.append(("maintenance", 0.0))
		else:
			modes.append(("timeout", 0.0))
	return modes


def raise_open_files_limit(needed: int) -> None:
	"""Each fake site is a listening socket plus its connections: 1,000 sites need more than the
	usual soft limit of 1,024 open files (the hard limit is usually far higher)."""
	import resource

	soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
	wanted = needed if hard == resource.RLIM_INFINITY else min(hard, needed)
	if soft != resource.RLIM_INFINITY and soft < wanted:
		resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))


def serve(ports, modes, ready, stop):
	raise_open_files_limit(len(ports) * 4 + 256)
	from datetime import UTC, datetime, timedelta

	backup = {
		"taken_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
		"database": 50_000_000,
		"public_files": 5_000_000,
		"private_files": 2_000_000,
	}
	sites = FakeSites(
		ports,
		api_key="bench",
		api_secret="secret",
		health={"enabled_users": 5, "backups": [backup], "versions": {"frappe": "15.0.0"}},
	)
	for port, (mode, delay) in zip(ports, modes, strict=True):
		sites.set(port, mode, delay=delay)
	sites.start()
	ready.set()
	stop.wait()
	sites.stop()


def probe_job(args):
	targets, concurrency, timeout = args
	started = time.perf_counter()
	results = probe_round(targets, concurrency=concurrency, timeout=timeout)
	return time.perf_counter() - started, sum(1 for r in results if r.ok), len(results)


def one_round(targets, workers, sites_per_job, concurrency, timeout):
	jobs = [
		(targets[i : i + sites_per_job], concurrency, timeout) for i in range(0, len(targets), sites_per_job)
	]
	started = time.perf_counter()
	with multiprocessing.get_context("fork").Pool(workers) as pool:
		done = pool.map(probe_job, jobs, chunksize=1)
	elapsed = time.perf_counter() - started
	return elapsed, sum(d[1] for d in done), sum(d[2] for d in done), max(d[0] for d in done)


def run(smoke: bool = False):
	n = 100 if smoke else 1000
	timeout = (0.5, 1.0) if smoke else (2.0, 8.0)
	ports = list(range(FIRST_PORT, FIRST_PORT + n))
	modes = plan_modes(n, slow=(0.1, 0.3) if smoke else (1.0, 3.0))
	ctx = multiprocessing.get_context("fork")
	ready, stop = ctx.Event(), ctx.Event()
	server = ctx.Process(target=serve, args=(ports, modes, ready, stop), daemon=True)
	server.start()
	try:
		if not ready.wait(60):
			raise RuntimeError("fake sites did not start")
		targets = [Target(str(p), f"http://127.0.0.1:{p}", "bench", "secret") for p in ports]
		expected_ok = sum(1 for mode, _ in modes if mode in ("up", "slow"))
		print(
			f"{n} fake sites on 127.0.0.1:{ports[0]}-{ports[-1]}: "
			f"{sum(1 for m, _ in modes if m == 'up')} up, {sum(1 for m, _ in modes if m == 'slow')} slow, "
			f"{sum(1 for m, _ in modes if m == 'error')} HTTP 500, "
			f"{sum(1 for m, _ in modes if m == 'maintenance')} HTTP 503, "
			f"{sum(1 for m, _ in modes if m == 'timeout')} never answering; timeout {timeout} s; "
			f"{multiprocessing.cpu_count()} CPUs"
		)
		sample = targets[:100]
		started = time.perf_counter()
		probe_round(sample, concurrency=1, timeout=timeout)
		sequential = (time.perf_counter() - started) * n / len(sample)
		print(f"anchor  sequential (one probe at a time), scaled from 100 sites: {sequential:7.1f} s")
		configs = [(2, 100, 32), (1, 250, 64), (2, 250, 64), (2, 500, 128), (4, 250, 64)]
		if smoke:
			configs = [(2, 50, 32)]
		for workers, per_job, concurrency in configs:
			elapsed, ok, total, slowest_job = one_round(targets, workers, per_job, concurrency, timeout)
			print(
				f"workers={workers} sites/job={per_job:3d} threads/job={concurrency:3d}: round {elapsed:6.1f} s "
				f"(slowest job {slowest_job:5.1f} s), {ok}/{total} ok (expected {expected_ok}); "
				f"x{sequential / elapsed:5.1f} faster than the anchor, "
				f"{elapsed / BUDGET_SECONDS:5.1%} of the minute"
			)
	finally:
		stop.set()
		server.join(30)


if __name__ == "__main__":
	parser = argparse.ArgumentParser()
	parser.add_argument("--smoke", action="store_true")
	run(smoke=parser.parse_args().smoke)


def run_with_recording(sites: int = 1000, rounds: int = 4, smoke: bool = False, profile: bool = False):
	"""The same round inside a bench, recorded: ``sites`` Hosted Sites (of one throwaway contract)
	pointing at the fake sites, ``rounds`` consecutive minutes probed and recorded by the real job
	(``support_policy.glue.monitoring.probe_sites``) in jobs of the configured size, one after the
	other in this process (one worker). Prints, per round, the probing and the recording time. The
	third round confirms the outages of the failing sites (incidents, one request for the contract,
	mail). Everything is rolled back at the end.

	    bench --site SCRATCH_SITE execute support_policy.benchmarks.probes.run_with_recording
	"""
	from datetime import UTC, datetime, timedelta

	import frappe

	from support_policy.availability import probe as probe_module
	from support_policy.glue import monitoring
	from support_policy.setup.testing import make_contract, make_customer

	if smoke:
		sites, rounds = 100, 3
	timeout = (0.5, 1.0) if smoke else (2.0, 8.0)
	ports = list(range(FIRST_PORT, FIRST_PORT + sites))
	modes = plan_modes(sites, slow=(0.1, 0.3) if smoke else (1.0, 3.0))
	# spawn: a fork of the bench process (its threads, connections and locks) can hang the sites
	ctx = multiprocessing.get_context("spawn")
	ready, stop = ctx.Event(), ctx.Event()
	server = ctx.Process(target=serve, args=(ports, modes, ready, stop), daemon=True)
	server.start()
	timings = {"probe": 0.0}
	original_round = probe_module.probe_round

	def timed_round(*args, **kwargs):
		started = time.perf_counter()
		try:
			return original_round(*args, **kwargs)
		finally:
			timings["probe"] += time.perf_counter() - started

	try:
		if not ready.wait(180):
			raise RuntimeError("fake sites did not start")
		customer = make_customer("Benchmark Monitoreo SA")
		contract = make_contract(customer, [])
		names = []
		for port in ports:
			doc = frappe.get_doc(
				{
					"doctype": "Hosted Site",
					"site_url": f"http://127.0.0.1:{port}",
					"contract": contract.name,
					"monitor_api_key": "bench",
					"monitor_api_secret": "secret",
				}
			)
			doc.insert(ignore_permissions=True)
			names.append(doc.name)
		per_job = max(1, int(monitoring.setting("sites_per_job")))
		monitoring.probe_round = timed_round
		monitoring.PROBE_TIMEOUT = timeout
		canary = frappe.db.get_single_value("Support Policy Settings", "canary_url")
		frappe.db.set_single_value("Support Policy Settings", "canary_url", "")
		start = datetime.now(UTC).replace(second=0, microsecond=0)
		print(f"{sites} Hosted Sites, jobs of {per_job}, one worker, {multiprocessing.cpu_count()} CPUs")
		for r in range(rounds):
			timings["probe"] = 0.0
			minute = (start + timedelta(minutes=r)).isoformat()
			started = time.perf_counter()
			events = 0
			profiler = None
			if profile and r == rounds - 1:
				import cProfile

				profiler = cProfile.Profile()
				profiler.enable()
			for i in range(0, len(names), per_job):
				events += monitoring.probe_sites(names[i : i + per_job], minute)["events"]
			total = time.perf_counter() - started
			if profiler:
				import pstats

				profiler.disable()
				pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
			print(
				f"round {r + 1}: {total:5.1f} s = probing {timings['probe']:5.1f} s + recording "
				f"{total - timings['probe']:5.1f} s ({(total - timings['probe']) / sites * 1000:4.1f} ms per site); "
				f"{events} events; {total / BUDGET_SECONDS:5.1%} of the minute"
			)
		incidents = frappe.db.count("Site Incident", {"contract": contract.name})
		requests_ = frappe.db.count("Support Request", {"contract": contract.name})
		print(f"incidents {incidents}, requests on the contract {requests_} (one contract: one request)")
		frappe.db.set_single_value("Support Policy Settings", "canary_url", canary)
	finally:
		monitoring.probe_round = original_round
		monitoring.PROBE_TIMEOUT = probe_module.DEFAULT_TIMEOUT
		frappe.db.rollback()
		stop.set()
		server.join(30)
